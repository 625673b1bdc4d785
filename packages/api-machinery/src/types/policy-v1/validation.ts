// policy/v1 semantic validation (pkg/apis/policy/validation): a budget sets at most one of minAvailable and
// maxUnavailable, each a non-negative number or a percentage up to 100%.
import type { Validator } from '../../schema/module.js';
import { child, fieldErrors, type FieldError } from '../../validation/field-error.js';
import { isNotMoreThan100Percent, labelSelectorErrors, validatePositiveIntOrPercent } from '../apps-v1/helpers.js';
import { PDB_SPEC } from './schemas.js';

const validatePdbSpec: Validator = (spec, path) => {
  const errs: FieldError[] = [];
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    errs.push(fieldErrors.invalid(path, spec, 'minAvailable and maxUnavailable cannot be both set'));
  }
  for (const f of ['minAvailable', 'maxUnavailable']) {
    if (spec[f] === undefined) continue;
    errs.push(...validatePositiveIntOrPercent(spec[f], child(path, f)), ...isNotMoreThan100Percent(spec[f], child(path, f)));
  }
  errs.push(...labelSelectorErrors(spec.selector, child(path, 'selector')));
  return errs;
};

export const policyValidators: Record<string, Validator> = {
  [PDB_SPEC]: validatePdbSpec,
};
