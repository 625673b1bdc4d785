// Validation against the schema keywords (required, enum, limits, named formats, immutability) and each component's
// validator hook, collecting every error with its field path as Kubernetes does (422 Invalid with causes).
import { isJsonObject, jsonEqual, type JsonObject, type JsonValue } from '../json.js';
import { fieldErrors, type FieldError } from '../validation/field-error.js';
import { formatValidators } from '../validation/formats.js';
import type { ValidationContext } from './module.js';
import type { SchemaRegistry } from './registry.js';
import type { Schema } from './schema.js';

interface Walk {
  reg: SchemaRegistry;
  operation: 'create' | 'update';
  errors: FieldError[];
}

function isMissing(v: JsonValue | undefined): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/** Finds the old counterpart of a list item: by merge key when the list has one, else by index. */
function oldItem(list: JsonValue | undefined, item: JsonValue, i: number, mergeKey: string | undefined): JsonValue | undefined {
  if (!Array.isArray(list)) return undefined;
  if (mergeKey && isJsonObject(item)) {
    const k = item[mergeKey];
    return list.find((o) => isJsonObject(o) && jsonEqual(o[mergeKey], k));
  }
  return list[i];
}

function checkKeywords(w: Walk, use: Schema, target: Schema, value: JsonValue, old: JsonValue | undefined, path: string): void {
  const enumValues = use.enum ?? target.enum;
  if (enumValues && !enumValues.some((e) => jsonEqual(e, value))) {
    w.errors.push(fieldErrors.notSupported(path, value, enumValues.map(String)));
  }
  const minimum = use.minimum ?? target.minimum;
  const maximum = use.maximum ?? target.maximum;
  if (typeof value === 'number') {
    if (minimum !== undefined && value < minimum) w.errors.push(fieldErrors.invalid(path, value, `must be greater than or equal to ${minimum}`));
    if (maximum !== undefined && value > maximum) w.errors.push(fieldErrors.invalid(path, value, `must be less than or equal to ${maximum}`));
  }
  const maxLength = use.maxLength ?? target.maxLength;
  if (typeof value === 'string' && maxLength !== undefined && Buffer.byteLength(value) > maxLength) {
    w.errors.push(fieldErrors.tooLong(path, value, maxLength));
  }
  const pattern = use.pattern ?? target.pattern;
  if (typeof value === 'string' && pattern !== undefined && !new RegExp(pattern).test(value)) {
    w.errors.push(fieldErrors.invalid(path, value, `must match the regular expression '${pattern}'`));
  }
  if (Array.isArray(value)) {
    const maxItems = use.maxItems ?? target.maxItems;
    if (maxItems !== undefined && value.length > maxItems) w.errors.push(fieldErrors.tooMany(path, value.length, maxItems));
  }
  for (const f of [...(use['x-k8ts-validate'] ?? []), ...(use === target ? [] : target['x-k8ts-validate'] ?? [])]) {
    w.errors.push(...formatValidators[f](value, path));
  }
  if (w.operation === 'update' && (use['x-k8ts-immutable'] || target['x-k8ts-immutable']) && old !== undefined && !jsonEqual(value, old)) {
    w.errors.push(fieldErrors.invalid(path, value, 'field is immutable'));
  }
}

function walk(w: Walk, use: Schema, value: JsonValue, old: JsonValue | undefined, path: string): void {
  const { schema, component } = w.reg.resolve(use);
  checkKeywords(w, use, schema, value, old, path);
  if (schema.type === 'array' && Array.isArray(value) && schema.items) {
    const mergeKey = use['x-kubernetes-patch-merge-key'] ?? schema['x-kubernetes-patch-merge-key'];
    value.forEach((item, i) => walk(w, schema.items!, item, oldItem(old, item, i, mergeKey), `${path}[${i}]`));
    return;
  }
  if (!isJsonObject(value)) return;
  const oldObj = isJsonObject(old) ? old : undefined;
  for (const req of schema.required ?? []) {
    if (isMissing(value[req])) w.errors.push(fieldErrors.required(path === '' ? req : `${path}.${req}`));
  }
  if (schema.properties) {
    for (const [k, prop] of Object.entries(schema.properties)) {
      const v = value[k];
      if (v === undefined || v === null) continue;
      if ((schema.required ?? []).includes(k) && isMissing(v)) continue;
      walk(w, prop, v, oldObj?.[k], path === '' ? k : `${path}.${k}`);
    }
  } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    for (const [k, v] of Object.entries(value)) walk(w, schema.additionalProperties, v, oldObj?.[k], `${path}[${k}]`);
  }
  if (component) {
    const hook = w.reg.validator(component);
    if (hook) {
      const ctx: ValidationContext = { operation: w.operation, old };
      w.errors.push(...hook(value, path, ctx));
    }
  }
}

/** Validates `obj` (an instance of the named component); `old` is the stored object on update. */
export function validateObject(reg: SchemaRegistry, component: string, obj: JsonObject, old?: JsonObject): FieldError[] {
  const w: Walk = { reg, operation: old ? 'update' : 'create', errors: [] };
  walk(w, { $ref: `#/components/schemas/${component}` }, obj, old, '');
  return w.errors;
}
