// The named validations a schema attaches with `x-k8ts-validate` (FormatName), each reporting Kubernetes' field
// errors: one FieldValueInvalid per problem, with Kubernetes' detail text. A value of another JSON type than the
// format is about passes: the schema's type check reports that.
import type { JsonValue } from '../json.js';
import { parseQuantityJson, Quantity, QuantityParseError } from '../quantity/quantity.js';
import type { FormatName } from '../schema/schema.js';
import { fieldErrors, type FieldError } from './field-error.js';
import {
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isPathSegmentName,
  isQualifiedName,
  isValidCIDR,
  isValidIP,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
} from './names.js';

export type FormatValidator = (value: JsonValue, path: string) => FieldError[];

/** apimachinery's IsNegativeErrorMsg. */
export const NEGATIVE_ERROR_MSG = 'must be greater than or equal to 0';

/** A validator for strings from a check that returns detail messages. */
function stringCheck(check: (value: string) => string[]): FormatValidator {
  return (value, path) => (typeof value === 'string' ? check(value).map((msg) => fieldErrors.invalid(path, value, msg)) : []);
}

/** Quantities arrive as strings or JSON numbers (Quantity.UnmarshalJSON reads both). */
function parseQuantityValue(value: JsonValue, path: string): Quantity | FieldError | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  try {
    return parseQuantityJson(value);
  } catch (err) {
    if (err instanceof QuantityParseError) return fieldErrors.invalid(path, value, err.message);
    throw err;
  }
}

const quantity: FormatValidator = (value, path) => {
  const parsed = parseQuantityValue(value, path);
  return parsed && !(parsed instanceof Quantity) ? [parsed] : [];
};

/** ValidateNonnegativeQuantity: the bad value shown is the quantity's canonical text. Malformed text is reported too. */
const nonNegativeQuantity: FormatValidator = (value, path) => {
  const parsed = parseQuantityValue(value, path);
  if (!parsed) return [];
  if (!(parsed instanceof Quantity)) return [parsed];
  return parsed.sign() < 0 ? [fieldErrors.invalid(path, parsed.toString(), NEGATIVE_ERROR_MSG)] : [];
};

/** validateLocalDescendingPath: subPath, configMap/secret item paths and the like stay inside their volume. */
function relativePathErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.startsWith('/')) errs.push('must be a relative path');
  errs.push(...noBackstepErrors(value));
  return errs;
}

/** validatePathNoBacksteps: one error even for `../../..`. */
function noBackstepErrors(value: string): string[] {
  return value.split('/').includes('..') ? ["must not contain '..'"] : [];
}

/** An absolute path without '..' elements (Kubernetes checks hostPath paths for backsteps the same way). */
function absolutePathErrors(value: string): string[] {
  const errs: string[] = [];
  if (!value.startsWith('/')) errs.push('must be an absolute path');
  errs.push(...noBackstepErrors(value));
  return errs;
}

const portNumber: FormatValidator = (value, path) =>
  typeof value === 'number' ? isValidPortNum(value).map((msg) => fieldErrors.invalid(path, value, msg)) : [];

const nonNegative: FormatValidator = (value, path) =>
  typeof value === 'number' && value < 0 ? [fieldErrors.invalid(path, value, NEGATIVE_ERROR_MSG)] : [];

export const formatValidators: Record<FormatName, FormatValidator> = {
  'dns1123-subdomain': stringCheck(isDNS1123Subdomain),
  'dns1123-label': stringCheck(isDNS1123Label),
  'dns1035-label': stringCheck(isDNS1035Label),
  'qualified-name': stringCheck(isQualifiedName),
  'label-value': stringCheck(isValidLabelValue),
  'env-var-name': stringCheck(isEnvVarName),
  'config-map-key': stringCheck(isConfigMapKey),
  'port-number': portNumber,
  'port-name': stringCheck(isValidPortName),
  quantity,
  'non-negative-quantity': nonNegativeQuantity,
  ip: stringCheck(isValidIP),
  cidr: stringCheck(isValidCIDR),
  'absolute-path': stringCheck(absolutePathErrors),
  'relative-path': stringCheck(relativePathErrors),
  'path-segment-name': stringCheck(isPathSegmentName),
  'non-negative': nonNegative,
};
