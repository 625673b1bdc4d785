// Field errors as Kubernetes reports them: a field path, a reason, and a message body in apimachinery's words.
// The apiserver turns a list of these into a 422 `Invalid` Status whose details.causes[] carry reason, message, field.
import type { JsonValue } from '../json.js';

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'FieldValueNotFound'
  | 'FieldValueTypeInvalid'
  | 'InternalError';

export interface FieldError {
  type: FieldErrorType;
  /** Dotted path with indices, e.g. `spec.containers[0].ports[1].containerPort`, `metadata.labels[app]`. */
  field: string;
  badValue?: JsonValue | undefined;
  detail?: string | undefined;
  /** For FieldValueNotSupported: the allowed values. */
  supported?: string[] | undefined;
  /** For FieldValueTooLong / FieldValueTooMany: the limit. */
  limit?: number | undefined;
}

/** Child path helpers, mirroring field.Path in apimachinery. */
export function child(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}
export function index(path: string, i: number): string {
  return `${path}[${i}]`;
}
export function key(path: string, k: string): string {
  return `${path}[${k}]`;
}

export const fieldErrors = {
  required: (field: string, detail?: string): FieldError => ({ type: 'FieldValueRequired', field, detail }),
  invalid: (field: string, badValue: JsonValue | undefined, detail: string): FieldError => ({ type: 'FieldValueInvalid', field, badValue, detail }),
  notSupported: (field: string, badValue: JsonValue | undefined, supported: string[]): FieldError => ({ type: 'FieldValueNotSupported', field, badValue, supported }),
  duplicate: (field: string, badValue: JsonValue | undefined): FieldError => ({ type: 'FieldValueDuplicate', field, badValue }),
  forbidden: (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail }),
  tooLong: (field: string, badValue: JsonValue | undefined, limit: number): FieldError => ({ type: 'FieldValueTooLong', field, badValue, limit }),
  tooMany: (field: string, actual: number, limit: number): FieldError => ({ type: 'FieldValueTooMany', field, badValue: actual, limit }),
  notFound: (field: string, badValue: JsonValue | undefined): FieldError => ({ type: 'FieldValueNotFound', field, badValue }),
  typeInvalid: (field: string, badValue: JsonValue | undefined, detail: string): FieldError => ({ type: 'FieldValueTypeInvalid', field, badValue, detail }),
  internal: (field: string, detail: string): FieldError => ({ type: 'InternalError', field, detail }),
};

/** How apimachinery prints a bad value: strings quoted (Go %q), numbers and booleans bare, anything else as JSON. */
export function formatBadValue(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return 'null';
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/** The message body without the field, as in a Status cause's `message`. */
export function fieldErrorBody(e: FieldError): string {
  const withDetail = (s: string): string => (e.detail ? `${s}: ${e.detail}` : s);
  switch (e.type) {
    case 'FieldValueRequired':
      return withDetail('Required value');
    case 'FieldValueInvalid':
    case 'FieldValueTypeInvalid':
      return withDetail(`Invalid value: ${formatBadValue(e.badValue)}`);
    case 'FieldValueNotSupported': {
      const s = `Unsupported value: ${formatBadValue(e.badValue)}`;
      return e.supported && e.supported.length ? `${s}: supported values: ${e.supported.map((v) => JSON.stringify(v)).join(', ')}` : s;
    }
    case 'FieldValueDuplicate':
      return `Duplicate value: ${formatBadValue(e.badValue)}`;
    case 'FieldValueForbidden':
      return withDetail('Forbidden');
    case 'FieldValueTooLong':
      return `Too long: may not be more than ${e.limit ?? 0} bytes`;
    case 'FieldValueTooMany':
      return `Too many: ${formatBadValue(e.badValue)}: must have at most ${e.limit ?? 0} items`;
    case 'FieldValueNotFound':
      return `Not found: ${formatBadValue(e.badValue)}`;
    case 'InternalError':
      return withDetail('Internal error');
  }
}

/** `field: body`, as kubectl prints each cause. */
export function fieldErrorMessage(e: FieldError): string {
  return `${e.field}: ${fieldErrorBody(e)}`;
}

/** The aggregate form used in an Invalid Status message: one error bare, several in brackets. */
export function aggregateFieldErrors(errs: FieldError[]): string {
  const msgs = errs.map(fieldErrorMessage);
  return msgs.length === 1 ? msgs[0]! : `[${msgs.join(', ')}]`;
}
