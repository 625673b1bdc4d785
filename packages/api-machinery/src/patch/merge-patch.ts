// RFC 7386 JSON Merge Patch (application/merge-patch+json): objects merge recursively, a null member deletes, any
// other value (arrays included) replaces. Used by kubectl label/annotate/scale and for types without SMP metadata.
import { isJsonObject, cloneJson, type JsonObject, type JsonValue } from '../json.js';
import { ownMember, setMember } from './members.js';
import { badPatch } from './patch-error.js';

function mergeObject(target: JsonValue | undefined, patch: JsonObject): JsonObject {
  const result: JsonObject = isJsonObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else setMember(result, key, mergeValue(ownMember(result, key), value));
  }
  return result;
}

function mergeValue(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  return isJsonObject(patch) ? mergeObject(target, patch) : cloneJson(patch);
}

/**
 * Applies a merge patch and returns a new document sharing nothing with the arguments, which are not modified
 * (callers such as defaulting mutate the result in place). As in kube-apiserver, a patch that is null or a bare string, number or boolean is rejected with
 * a 400 ("Invalid JSON Patch"); an array patch replaces the whole document, as the RFC says.
 */
export function applyMergePatch(original: JsonValue, patch: JsonValue): JsonValue {
  if (patch === null || (!isJsonObject(patch) && !Array.isArray(patch))) throw badPatch('Invalid JSON Patch');
  return mergeValue(cloneJson(original), patch);
}
