// core/v1 Secret: confidential data (tokens, keys, passwords) kept apart from pod specs.
import { isJsonObject, type JsonObject } from '../../json.js';
import type { Defaulter, KindDefinition, Validator } from '../../schema/module.js';
import { s, type Schema } from '../../schema/schema.js';
import { child, fieldErrors, key, type FieldError } from '../../validation/field-error.js';
import { invalidEach, isConfigMapKey } from './checks.js';
import { decodedLength, MAX_CONFIG_SIZE, validateFrozenWhenImmutable } from './configmap.js';
import { objAt, strAt } from './json-access.js';
import { core, kindSchema } from './kind-schema.js';

const SECRET = core('Secret');

export const secretSchemas: Record<string, Schema> = {
  [SECRET]: kindSchema({ group: '', version: 'v1', kind: 'Secret' }, 'Holds a small amount of sensitive data, such as a password, token or key.', {
    immutable: s.boolean('When true, data can no longer change (and this cannot be unset); only deletion is possible.'),
    data: s.map(s.bytes(), 'Secret values by key, base64-encoded in JSON.'),
    stringData: s.map(s.string(), 'Write-only convenience input: plain-text values merged into data (winning over it) when written.'),
    type: s.string('How the data is to be interpreted, e.g. Opaque or kubernetes.io/tls; fixed after creation.', {
      default: 'Opaque',
      immutable: true,
    }),
  }),
};

export const secretDefaulters: Record<string, Defaulter> = {
  // The server folds stringData into data on every write, so stringData is never stored nor returned.
  [SECRET]: (secret: JsonObject) => {
    const stringData = objAt(secret, 'stringData');
    if (!stringData) return;
    const data = objAt(secret, 'data') ?? {};
    for (const [k, v] of Object.entries(stringData)) if (typeof v === 'string') data[k] = Buffer.from(v, 'utf8').toString('base64');
    secret.data = data;
    delete secret.stringData;
  },
};

/** Why a base64 value is not a JSON object (what docker config files must be), worded like Go's decoder; '' if fine. */
export function jsonObjectPayloadError(b64: string): string {
  const text = Buffer.from(b64, 'base64').toString('utf8');
  if (text.trim() === '') return 'unexpected end of JSON input';
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return `invalid character '${text.trim()[0]}' looking for beginning of value`;
  }
  if (v === null || isJsonObject(v)) return '';
  const kind = Array.isArray(v) ? 'array' : typeof v === 'boolean' ? 'bool' : typeof v;
  return `json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`;
}

const REDACTED = '<secret contents redacted>';

function validateTypedSecret(secret: JsonObject, path: string): FieldError[] {
  const data = objAt(secret, 'data') ?? {};
  const dataPath = child(path, 'data');
  const has = (k: string): boolean => typeof data[k] === 'string';
  switch (strAt(secret, 'type') ?? '') {
    case 'kubernetes.io/service-account-token': {
      // Only the account name is required; the token controller fills in the rest later.
      const annotations = objAt(objAt(secret, 'metadata'), 'annotations');
      if (!strAt(annotations, 'kubernetes.io/service-account.name'))
        return [fieldErrors.required(key('metadata.annotations', 'kubernetes.io/service-account.name'))];
      return [];
    }
    case 'kubernetes.io/dockercfg':
    case 'kubernetes.io/dockerconfigjson': {
      const k = strAt(secret, 'type') === 'kubernetes.io/dockercfg' ? '.dockercfg' : '.dockerconfigjson';
      const v = data[k];
      if (typeof v !== 'string') return [fieldErrors.required(key(dataPath, k))];
      const err = jsonObjectPayloadError(v);
      return err ? [fieldErrors.invalid(key(dataPath, k), REDACTED, err)] : [];
    }
    case 'kubernetes.io/basic-auth':
      return has('username') || has('password') ? [] : [fieldErrors.required(key(dataPath, 'username')), fieldErrors.required(key(dataPath, 'password'))];
    case 'kubernetes.io/ssh-auth': {
      const v = data['ssh-privatekey'];
      return typeof v === 'string' && decodedLength(v) > 0 ? [] : [fieldErrors.required(key(dataPath, 'ssh-privatekey'))];
    }
    case 'kubernetes.io/tls': {
      const errs: FieldError[] = [];
      if (!has('tls.crt')) errs.push(fieldErrors.required(key(dataPath, 'tls.crt')));
      if (!has('tls.key')) errs.push(fieldErrors.required(key(dataPath, 'tls.key')));
      return errs;
    }
    default:
      return [];
  }
}

export const secretValidators: Record<string, Validator> = {
  [SECRET]: (secret, path, ctx) => {
    const errs: FieldError[] = [];
    if (ctx.operation === 'update' && isJsonObject(ctx.old)) errs.push(...validateFrozenWhenImmutable(secret, ctx.old, path, ['data']));
    let size = 0;
    for (const [k, v] of Object.entries(objAt(secret, 'data') ?? {})) {
      errs.push(...invalidEach(key(child(path, 'data'), k), k, isConfigMapKey(k)));
      if (typeof v === 'string') size += decodedLength(v);
    }
    if (size > MAX_CONFIG_SIZE) errs.push(fieldErrors.tooLong(child(path, 'data'), '', MAX_CONFIG_SIZE));
    return [...errs, ...validateTypedSecret(secret, path)];
  },
};

export const secretKind: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'Secret',
  plural: 'secrets',
  singular: 'secret',
  namespaced: true,
  schema: SECRET,
  fieldSelectors: { type: (o) => strAt(o, 'type') ?? '' },
};
