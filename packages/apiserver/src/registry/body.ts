// Turning a parsed request body into a typed object of the expected kind, with Kubernetes' decode errors and
// fieldValidation handling (Strict: 400 on unknown/duplicate fields; Warn: Warning headers; Ignore: silent).
import { decodeObject, isJsonObject, type JsonObject, type JsonValue, type KindDefinition, type SchemaRegistry } from '@k8ts/api-machinery';
import { errors } from '../api/errors.js';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface DecodedBody {
  object: JsonObject;
  warnings: string[];
}

export function apiVersionOf(kind: KindDefinition): string {
  return kind.group === '' ? kind.version : `${kind.group}/${kind.version}`;
}

function cannotHandle(kind: KindDefinition, why: string): Error {
  return errors.badRequest(`${kind.kind} in version "${kind.version}" cannot be handled as a ${kind.kind}: ${why}`);
}

/**
 * @param duplicates duplicated field paths found in the raw JSON text (strict decoding reports them too)
 * @param expectKind the kind the body must be (a subresource body such as Scale or Binding has its own)
 */
export function decodeBody(
  schemas: SchemaRegistry,
  kind: KindDefinition,
  body: JsonValue,
  mode: FieldValidation,
  duplicates: string[] = [],
  expect: { kind: string; apiVersion: string; schema: string } = { kind: kind.kind, apiVersion: apiVersionOf(kind), schema: kind.schema },
): DecodedBody {
  if (!isJsonObject(body)) throw cannotHandle(kind, `json: cannot unmarshal ${Array.isArray(body) ? 'array' : typeof body} into Go value of type struct`);
  if (typeof body.apiVersion === 'string' && body.apiVersion !== '' && body.apiVersion !== expect.apiVersion) {
    throw errors.badRequest(`the API version in the data (${body.apiVersion}) does not match the expected API version (${expect.apiVersion})`);
  }
  if (typeof body.kind === 'string' && body.kind !== '' && body.kind !== expect.kind) {
    throw errors.badRequest(`the kind in the data (${body.kind}) does not match the expected kind (${expect.kind})`);
  }
  const decoded = decodeObject(schemas, expect.schema, body);
  if (decoded.typeError) throw cannotHandle(kind, decoded.typeError);
  const problems = [...duplicates.map((d) => `duplicate field "${d}"`), ...decoded.unknownFields.map((f) => `unknown field "${f}"`)];
  const warnings: string[] = [];
  if (problems.length && mode === 'Strict') throw cannotHandle(kind, `strict decoding error: ${problems.join(', ')}`);
  if (problems.length && mode === 'Warn') warnings.push(...problems);
  const object = decoded.object;
  object.apiVersion = expect.apiVersion;
  object.kind = expect.kind;
  return { object, warnings };
}
