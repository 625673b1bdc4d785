// storage.k8s.io/v1 semantic validation (pkg/apis/storage/validation): provisioner name, parameter limits,
// topology terms, and the fields a StorageClass may not change. Enums, defaults and the immutable
// volumeBindingMode are schema keywords.
import type { JsonObject } from '../../json.js';
import type { ValidationContext, Validator } from '../../schema/module.js';
import { child, fieldErrors, index, type FieldError } from '../../validation/field-error.js';
import { isQualifiedName } from '../../validation/names.js';
import { arr, obj, semanticEqual, str, strOr } from '../apps-v1/helpers.js';
import { STORAGE_CLASS, TOPOLOGY_SELECTOR_TERM } from './schemas.js';

const MAX_PARAMETERS = 512;
const MAX_PARAMETERS_SIZE = 256 * 1024;

function parameterErrors(params: JsonObject | undefined): FieldError[] {
  if (!params) return [];
  const entries = Object.entries(params);
  if (entries.length > MAX_PARAMETERS) return [fieldErrors.tooLong('parameters', 'Provisioner Parameters exceeded max allowed', MAX_PARAMETERS)];
  const errs: FieldError[] = [];
  let size = 0;
  for (const [k, v] of entries) {
    if (k.length < 1) errs.push(fieldErrors.invalid('parameters', k, 'field can not be empty.'));
    size += Buffer.byteLength(k) + Buffer.byteLength(strOr(v));
  }
  if (size > MAX_PARAMETERS_SIZE) errs.push(fieldErrors.tooLong('parameters', '', MAX_PARAMETERS_SIZE));
  return errs;
}

/** A term's requirements as a comparable key → sorted values map (used to find duplicate terms). */
function termKey(term: JsonObject): string {
  const m: Record<string, string[]> = {};
  for (const r of arr(term.matchLabelExpressions)) {
    const req = obj(r) ?? {};
    m[strOr(req.key)] = [...new Set(arr(req.values).map((v) => strOr(v)))].sort();
  }
  return JSON.stringify(Object.keys(m).sort().map((k) => [k, m[k]]));
}

const validateStorageClass: Validator = (sc, _path, ctx: ValidationContext) => {
  const errs: FieldError[] = [];
  // Provisioner names are compared case-insensitively, so the lowercase form must be a qualified name.
  const provisioner = str(sc.provisioner) ?? '';
  if (provisioner !== '') errs.push(...isQualifiedName(provisioner.toLowerCase()).map((m) => fieldErrors.invalid('provisioner', provisioner, m)));
  errs.push(...parameterErrors(obj(sc.parameters)));
  const seen = new Set<string>();
  arr(sc.allowedTopologies).forEach((t, i) => {
    const term = obj(t) ?? {};
    const k = termKey(term);
    if (seen.has(k)) errs.push(fieldErrors.duplicate(child(index('allowedTopologies', i), 'matchLabelExpressions'), term.matchLabelExpressions ?? null));
    seen.add(k);
  });
  const old = obj(ctx.old);
  if (ctx.operation === 'update' && old) {
    if (!semanticEqual(sc.parameters, old.parameters)) errs.push(fieldErrors.forbidden('parameters', 'updates to parameters are forbidden.'));
    if (provisioner !== strOr(old.provisioner)) errs.push(fieldErrors.forbidden('provisioner', 'updates to provisioner are forbidden.'));
    if (strOr(sc.reclaimPolicy) !== strOr(old.reclaimPolicy)) errs.push(fieldErrors.forbidden('reclaimPolicy', 'updates to reclaimPolicy are forbidden.'));
  }
  return errs;
};

/** ValidateTopologySelectorTerm: no key twice, no value twice within a requirement. */
const validateTopologySelectorTerm: Validator = (term, path) => {
  const errs: FieldError[] = [];
  const keys = new Set<string>();
  arr(term.matchLabelExpressions).forEach((r, i) => {
    const req = obj(r) ?? {};
    const reqPath = index(child(path, 'matchLabelExpressions'), i);
    const values = new Set<string>();
    arr(req.values).forEach((v, j) => {
      const value = strOr(v);
      if (values.has(value)) errs.push(fieldErrors.duplicate(index(child(reqPath, 'values'), j), value));
      values.add(value);
    });
    const k = strOr(req.key);
    if (keys.has(k)) errs.push(fieldErrors.duplicate(child(reqPath, 'key'), k));
    keys.add(k);
  });
  return errs;
};

export const storageValidators: Record<string, Validator> = {
  [STORAGE_CLASS]: validateStorageClass,
  [TOPOLOGY_SELECTOR_TERM]: validateTopologySelectorTerm,
};
