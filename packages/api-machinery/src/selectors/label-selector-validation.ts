// metav1 validation of a LabelSelector object (ValidateLabelSelector): the field errors the apiserver returns for a
// bad spec.selector, as opposed to the conversion errors of labelSelectorFromObject.
import { isJsonObject, type JsonValue } from '../json.js';
import { child, fieldErrors, index, type FieldError } from '../validation/field-error.js';
import { isValidLabelValue } from '../validation/names.js';
import { validateLabelName, validateLabels } from '../validation/object-meta.js';

export interface LabelSelectorValidationOptions {
  /** Accept invalid values in matchExpressions (for objects already stored with them). */
  allowInvalidLabelValueInSelector?: boolean;
  /** Accept an unknown operator (as SubjectAccessReview does). */
  allowUnknownOperatorInRequirement?: boolean;
}

function validateRequirement(expr: Record<string, JsonValue>, path: string, options: LabelSelectorValidationOptions): FieldError[] {
  const errs: FieldError[] = [];
  const operator = typeof expr['operator'] === 'string' ? expr['operator'] : '';
  const values = Array.isArray(expr['values']) ? expr['values'] : [];
  const valuesPath = child(path, 'values');
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(fieldErrors.required(valuesPath, "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(fieldErrors.forbidden(valuesPath, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    default:
      if (!options.allowUnknownOperatorInRequirement) errs.push(fieldErrors.invalid(child(path, 'operator'), operator, 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(typeof expr['key'] === 'string' ? expr['key'] : '', child(path, 'key')));
  if (!options.allowInvalidLabelValueInSelector) {
    values.forEach((value, i) => {
      if (typeof value !== 'string') return;
      for (const msg of isValidLabelValue(value)) errs.push(fieldErrors.invalid(index(valuesPath, i), value, msg));
    });
  }
  return errs;
}

/** Field errors of a metav1.LabelSelector at `path` (e.g. `spec.selector`); null or absent is valid. */
export function validateLabelSelector(selector: JsonValue | undefined, path: string, options: LabelSelectorValidationOptions = {}): FieldError[] {
  if (!isJsonObject(selector)) return [];
  const errs = validateLabels(selector['matchLabels'], child(path, 'matchLabels'));
  const expressions = selector['matchExpressions'];
  if (Array.isArray(expressions)) {
    expressions.forEach((expr, i) => {
      if (isJsonObject(expr)) errs.push(...validateRequirement(expr, index(child(path, 'matchExpressions'), i), options));
    });
  }
  return errs;
}
