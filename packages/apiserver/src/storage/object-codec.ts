// How objects sit in etcd: JSON without metadata.resourceVersion, because the key's mod_revision is the version and
// storing it too would only let the two disagree. Reads stamp the revision back in.
import { isJsonObject, type JsonObject } from '@k8ts/api-machinery';

/** The bytes to write for `obj` (metadata.resourceVersion dropped); `obj` itself is not modified. */
export function encodeForStorage(obj: JsonObject): string {
  const meta = obj.metadata;
  if (!isJsonObject(meta) || !Object.hasOwn(meta, 'resourceVersion')) return JSON.stringify(obj);
  const metadata: JsonObject = { ...meta };
  delete metadata.resourceVersion;
  return JSON.stringify({ ...obj, metadata });
}

/** Parses a stored value and sets metadata.resourceVersion to `revision`. Throws on a value that is not a JSON object. */
export function decodeStored(value: Buffer | string, revision: number, key: string): JsonObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch (err) {
    throw new Error(`stored value at ${key} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (!isJsonObject(parsed)) throw new Error(`stored value at ${key} is not a JSON object`);
  // A freshly parsed object is ours to modify.
  const meta = isJsonObject(parsed.metadata) ? parsed.metadata : (parsed.metadata = {});
  meta.resourceVersion = String(revision);
  return parsed;
}

/** A shallow copy of `obj` whose metadata says resourceVersion `revision` (nested values stay shared). */
export function withResourceVersion(obj: JsonObject, revision: number): JsonObject {
  const meta = isJsonObject(obj.metadata) ? obj.metadata : {};
  return { ...obj, metadata: { ...meta, resourceVersion: String(revision) } };
}
