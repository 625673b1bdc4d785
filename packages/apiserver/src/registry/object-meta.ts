// System-managed metadata: what the server sets on create and carries over on update, as Kubernetes' rest.BeforeCreate
// and BeforeUpdate do.
import { randomBytes, randomUUID } from 'node:crypto';
import { isJsonObject, jsonEqual, type JsonObject, type KindDefinition } from '@k8ts/api-machinery';

/** RFC 3339 with second precision, as metav1.Time serializes. */
export function nowTimestamp(now = new Date()): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';
const MAX_GENERATED_BASE = 58; // 63 - 5 random characters

/** names.SimpleNameGenerator: the prefix (cut to 58 characters) and 5 random characters. */
export function generateName(base: string): string {
  const prefix = base.length > MAX_GENERATED_BASE ? base.slice(0, MAX_GENERATED_BASE) : base;
  const bytes = randomBytes(5);
  let suffix = '';
  for (const b of bytes) suffix += NAME_ALPHABET[b % NAME_ALPHABET.length];
  return prefix + suffix;
}

export function metadataOf(obj: JsonObject): JsonObject {
  if (!isJsonObject(obj.metadata)) obj.metadata = {};
  return obj.metadata as JsonObject;
}

/** Fills the fields the server owns on create. */
export function prepareCreateMeta(obj: JsonObject, kind: KindDefinition, namespace: string | undefined): void {
  const meta = metadataOf(obj);
  meta.uid = randomUUID();
  meta.creationTimestamp = nowTimestamp();
  delete meta.deletionTimestamp;
  delete meta.deletionGracePeriodSeconds;
  delete meta.selfLink;
  delete meta.managedFields;
  if (kind.namespaced && namespace !== undefined) meta.namespace = namespace;
  if (!kind.namespaced) delete meta.namespace;
  if (kind.generation) meta.generation = 1;
  else delete meta.generation;
}

/** Keeps server-owned metadata from the stored object and bumps generation when the desired state changed. */
export function prepareUpdateMeta(obj: JsonObject, old: JsonObject, kind: KindDefinition): void {
  const meta = metadataOf(obj);
  const oldMeta = metadataOf(old);
  for (const f of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'namespace']) {
    if (oldMeta[f] === undefined) delete meta[f];
    else meta[f] = oldMeta[f]!;
  }
  delete meta.selfLink;
  delete meta.managedFields;
  if (meta.name === undefined && oldMeta.name !== undefined) meta.name = oldMeta.name;
  if (kind.generation) {
    const oldGen = typeof oldMeta.generation === 'number' ? oldMeta.generation : 1;
    meta.generation = desiredStateChanged(obj, old) ? oldGen + 1 : oldGen;
  } else {
    delete meta.generation;
  }
}

/** Everything but metadata and status is desired state (spec, template, data, rules…). */
export function desiredStateChanged(a: JsonObject, b: JsonObject): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const k of keys) {
    if (k === 'metadata' || k === 'status' || k === 'kind' || k === 'apiVersion') continue;
    if (!jsonEqual(a[k], b[k])) return true;
  }
  return false;
}
