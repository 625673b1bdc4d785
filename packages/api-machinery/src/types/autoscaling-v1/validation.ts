// autoscaling/v1 semantic validation (pkg/apis/autoscaling/validation, as applied to the v1 fields): replica
// bounds, the scale target reference and the CPU target. minReplicas ≥ 1 is a schema keyword.
import type { Validator } from '../../schema/module.js';
import { child, fieldErrors, type FieldError } from '../../validation/field-error.js';
import { isPathSegmentName } from '../../validation/names.js';
import { num, obj, str } from '../apps-v1/helpers.js';
import { HPA_SPEC } from './schemas.js';

const validateHpaSpec: Validator = (spec, path) => {
  const errs: FieldError[] = [];
  const min = num(spec.minReplicas);
  const max = num(spec.maxReplicas) ?? 0;
  const maxPath = child(path, 'maxReplicas');
  if (max < 1) errs.push(fieldErrors.invalid(maxPath, max, 'must be greater than 0'));
  if (min !== undefined && max < min) errs.push(fieldErrors.invalid(maxPath, max, 'must be greater than or equal to `minReplicas`'));
  const ref = obj(spec.scaleTargetRef) ?? {};
  for (const f of ['kind', 'name']) {
    const v = str(ref[f]) ?? '';
    const p = child(path, `scaleTargetRef.${f}`);
    if (v === '') errs.push(fieldErrors.required(p));
    else errs.push(...isPathSegmentName(v).map((m) => fieldErrors.invalid(p, v, m)));
  }
  // v1's CPU target becomes a Resource metric whose utilization must be positive.
  const cpu = num(spec.targetCPUUtilizationPercentage);
  if (cpu !== undefined && cpu < 1) errs.push(fieldErrors.invalid(child(path, 'targetCPUUtilizationPercentage'), cpu, 'must be greater than 0'));
  return errs;
};

export const autoscalingValidators: Record<string, Validator> = {
  [HPA_SPEC]: validateHpaSpec,
};
