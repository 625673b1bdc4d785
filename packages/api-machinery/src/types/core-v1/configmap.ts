// core/v1 ConfigMap: non-confidential configuration data as key/value pairs.
import { isJsonObject, jsonEqual, type JsonObject } from '../../json.js';
import type { KindDefinition, Validator } from '../../schema/module.js';
import { s, type Schema } from '../../schema/schema.js';
import { child, fieldErrors, key, type FieldError } from '../../validation/field-error.js';
import { invalidEach, isConfigMapKey } from './checks.js';
import { boolAt, objAt } from './json-access.js';
import { core, kindSchema } from './kind-schema.js';

const CONFIG_MAP = core('ConfigMap');
/** Limit on the total payload of a ConfigMap or Secret (1 MiB). */
export const MAX_CONFIG_SIZE = 1024 * 1024;

export const configMapSchemas: Record<string, Schema> = {
  [CONFIG_MAP]: kindSchema({ group: '', version: 'v1', kind: 'ConfigMap' }, 'Configuration data for pods to consume, as UTF-8 strings or binary values.', {
    immutable: s.boolean('When true, data and binaryData can no longer change (and this cannot be unset); only deletion is possible.'),
    data: s.map(s.string(), 'UTF-8 configuration values by key.'),
    binaryData: s.map(s.bytes(), 'Binary configuration values (base64 in JSON) by key; keys may not repeat those of data.'),
  }),
};

/** Bytes of a base64 value once decoded. */
export const decodedLength = (b64: string): number => Buffer.from(b64, 'base64').length;

/** The "immutable" contract shared by ConfigMaps and Secrets: once set, the flag and the listed payload fields are frozen. */
export function validateFrozenWhenImmutable(obj: JsonObject, old: JsonObject, path: string, fields: string[]): FieldError[] {
  if (boolAt(old, 'immutable') !== true) return [];
  const msg = 'field is immutable when `immutable` is set';
  const errs: FieldError[] = [];
  if (boolAt(obj, 'immutable') !== true) errs.push(fieldErrors.forbidden(child(path, 'immutable'), msg));
  // An empty map and an absent one are the same thing once stored.
  const norm = (v: JsonObject | undefined): JsonObject | undefined => (v && Object.keys(v).length ? v : undefined);
  for (const f of fields) if (!jsonEqual(norm(objAt(obj, f)), norm(objAt(old, f)))) errs.push(fieldErrors.forbidden(child(path, f), msg));
  return errs;
}

export const configMapValidators: Record<string, Validator> = {
  [CONFIG_MAP]: (cm, path, ctx) => {
    const errs: FieldError[] = [];
    if (ctx.operation === 'update' && isJsonObject(ctx.old)) errs.push(...validateFrozenWhenImmutable(cm, ctx.old, path, ['data', 'binaryData']));
    const data = objAt(cm, 'data') ?? {};
    const binary = objAt(cm, 'binaryData') ?? {};
    let size = 0;
    for (const [k, v] of Object.entries(data)) {
      const p = key(child(path, 'data'), k);
      errs.push(...invalidEach(p, k, isConfigMapKey(k)));
      if (k in binary) errs.push(fieldErrors.invalid(p, k, 'duplicate of key present in binaryData'));
      if (typeof v === 'string') size += Buffer.byteLength(v, 'utf8');
    }
    for (const [k, v] of Object.entries(binary)) {
      errs.push(...invalidEach(key(child(path, 'binaryData'), k), k, isConfigMapKey(k)));
      if (typeof v === 'string') size += decodedLength(v);
    }
    // Kubernetes reports the size error against the whole object (an empty field path).
    if (size > MAX_CONFIG_SIZE) errs.push(fieldErrors.tooLong(path, '', MAX_CONFIG_SIZE));
    return errs;
  },
};

export const configMapKind: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'ConfigMap',
  plural: 'configmaps',
  singular: 'configmap',
  shortNames: ['cm'],
  namespaced: true,
  schema: CONFIG_MAP,
};
