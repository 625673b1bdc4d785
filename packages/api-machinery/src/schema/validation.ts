// Validation against the schema keywords (required, enum, limits, named formats, immutability) and each component's
// validator hook, collecting every error with its field path as Kubernetes does (422 Invalid with causes).
import { isJsonObject, jsonEqual, type JsonObject, type JsonValue } from '../json.js';
import { fieldErrors, type FieldError } from '../validation/field-error.js';
import { formatValidators } from '../validation/formats.js';
import type { ValidationContext } from './module.js';
import type { CompiledSchema } from './compiled.js';
import type { SchemaRegistry } from './registry.js';

interface Walk {
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

function inEnum(n: CompiledSchema, value: JsonValue): boolean {
  if (n.enumStrings && typeof value === 'string') return n.enumStrings.has(value);
  return n.enumValues!.some((e) => jsonEqual(e, value));
}

function checkKeywords(w: Walk, n: CompiledSchema, value: JsonValue, old: JsonValue | undefined, path: string): void {
  if (n.enumValues && !inEnum(n, value)) w.errors.push(fieldErrors.notSupported(path, value, n.enumValues.map(String)));
  if (typeof value === 'number') {
    if (n.minimum !== undefined && value < n.minimum) w.errors.push(fieldErrors.invalid(path, value, `must be greater than or equal to ${n.minimum}`));
    if (n.maximum !== undefined && value > n.maximum) w.errors.push(fieldErrors.invalid(path, value, `must be less than or equal to ${n.maximum}`));
  }
  if (typeof value === 'string') {
    if (n.maxLength !== undefined && Buffer.byteLength(value) > n.maxLength) w.errors.push(fieldErrors.tooLong(path, value, n.maxLength));
    if (n.pattern !== undefined && !n.pattern.test(value)) w.errors.push(fieldErrors.invalid(path, value, `must match the regular expression '${n.patternSource}'`));
  }
  if (Array.isArray(value) && n.maxItems !== undefined && value.length > n.maxItems) w.errors.push(fieldErrors.tooMany(path, value.length, n.maxItems));
  for (const f of n.formats) {
    const errs = formatValidators[f](value, path);
    if (errs.length) w.errors.push(...errs);
  }
  if (n.immutable && w.operation === 'update' && old !== undefined && !jsonEqual(value, old)) {
    w.errors.push(fieldErrors.invalid(path, value, 'field is immutable'));
  }
}

function walk(w: Walk, n: CompiledSchema, value: JsonValue, old: JsonValue | undefined, path: string): void {
  if (n.unresolved !== undefined) throw n.unresolvedError();
  if (n.hasKeywordChecks) checkKeywords(w, n, value, old, path);
  if (n.type === 'array' && Array.isArray(value)) {
    const items = n.items;
    if (!items?.checksAnything) return;
    for (let i = 0; i < value.length; i++) walk(w, items, value[i]!, oldItem(old, value[i]!, i, n.mergeKey), `${path}[${i}]`);
    return;
  }
  if (!isJsonObject(value)) return;
  const oldObj = isJsonObject(old) ? old : undefined;
  for (const req of n.required) {
    if (isMissing(value[req])) w.errors.push(fieldErrors.required(path === '' ? req : `${path}.${req}`));
  }
  const props = n.properties;
  if (props) {
    for (const p of props) {
      if (!p.node.checksAnything) continue;
      const v = value[p.key];
      if (v === undefined || v === null) continue;
      if (p.required && isMissing(v)) continue;
      walk(w, p.node, v, oldObj?.[p.key], path === '' ? p.key : `${path}.${p.key}`);
    }
  } else {
    const values = n.additional;
    if (values?.checksAnything) for (const k in value) walk(w, values, value[k]!, oldObj?.[k], `${path}[${k}]`);
  }
  if (n.validator) {
    const ctx: ValidationContext = { operation: w.operation, old };
    const errs = n.validator(value, path, ctx);
    if (errs.length) w.errors.push(...errs);
  }
}

/** Validates `obj` (an instance of the named component); `old` is the stored object on update. */
export function validateObject(reg: SchemaRegistry, component: string, obj: JsonObject, old?: JsonObject): FieldError[] {
  const w: Walk = { operation: old ? 'update' : 'create', errors: [] };
  walk(w, reg.compiledComponent(component), obj, old, '');
  return w.errors;
}
