// rbac.authorization.k8s.io/v1 semantic validation (pkg/apis/rbac/validation): policy rules, aggregation
// selectors, role references and subjects, and the frozen roleRef of a binding.
import type { JsonObject } from '../../json.js';
import type { ValidationContext, Validator } from '../../schema/module.js';
import { child, fieldErrors, index, type FieldError } from '../../validation/field-error.js';
import { isDNS1123Subdomain, isPathSegmentName } from '../../validation/names.js';
import { arr, labelSelectorErrors, obj, selectorView, strOr } from '../apps-v1/helpers.js';
import { CLUSTER_ROLE, CLUSTER_ROLE_BINDING, GROUP, ROLE, ROLE_BINDING } from './schemas.js';

/** ValidatePolicyRule: verbs always; then either non-resource URLs (cluster roles only) or groups and resources. */
export function policyRuleErrors(rule: JsonObject, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (arr(rule.verbs).length === 0) errs.push(fieldErrors.required(child(path, 'verbs'), 'verbs must contain at least one value'));
  const urls = arr(rule.nonResourceURLs);
  if (urls.length > 0) {
    const urlPath = child(path, 'nonResourceURLs');
    if (namespaced) errs.push(fieldErrors.invalid(urlPath, urls, 'namespaced rules cannot apply to non-resource URLs'));
    if (arr(rule.apiGroups).length > 0 || arr(rule.resources).length > 0 || arr(rule.resourceNames).length > 0) {
      errs.push(fieldErrors.invalid(urlPath, urls, 'rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (arr(rule.apiGroups).length === 0) errs.push(fieldErrors.required(child(path, 'apiGroups'), 'resource rules must supply at least one api group'));
  if (arr(rule.resources).length === 0) errs.push(fieldErrors.required(child(path, 'resources'), 'resource rules must supply at least one resource'));
  return errs;
}

function rulesErrors(role: JsonObject, namespaced: boolean): FieldError[] {
  return arr(role.rules).flatMap((r, i) => policyRuleErrors(obj(r) ?? {}, namespaced, index('rules', i)));
}

/** ValidateRoleBindingSubject; cluster-wide bindings must say which namespace a service account lives in. */
export function subjectErrors(subject: JsonObject, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name = strOr(subject.name);
  const apiGroup = strOr(subject.apiGroup);
  if (name === '') errs.push(fieldErrors.required(child(path, 'name')));
  switch (subject.kind) {
    case 'ServiceAccount':
      if (name !== '') errs.push(...isDNS1123Subdomain(name).map((m) => fieldErrors.invalid(child(path, 'name'), name, m)));
      if (apiGroup !== '') errs.push(fieldErrors.notSupported(child(path, 'apiGroup'), apiGroup, ['']));
      if (!namespaced && strOr(subject.namespace) === '') errs.push(fieldErrors.required(child(path, 'namespace')));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== GROUP) errs.push(fieldErrors.notSupported(child(path, 'apiGroup'), apiGroup, [GROUP]));
      break;
    default:
      errs.push(fieldErrors.notSupported(child(path, 'kind'), strOr(subject.kind), ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

function bindingErrors(binding: JsonObject, namespaced: boolean, ctx: ValidationContext): FieldError[] {
  const errs: FieldError[] = [];
  const ref = obj(binding.roleRef) ?? {};
  const apiGroup = strOr(ref.apiGroup);
  if (apiGroup !== GROUP) errs.push(fieldErrors.notSupported('roleRef.apiGroup', apiGroup, [GROUP]));
  const kinds = namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole'];
  const kind = strOr(ref.kind);
  if (!kinds.includes(kind)) errs.push(fieldErrors.notSupported('roleRef.kind', kind, kinds));
  const name = strOr(ref.name);
  if (name === '') errs.push(fieldErrors.required('roleRef.name'));
  else errs.push(...isPathSegmentName(name).map((m) => fieldErrors.invalid('roleRef.name', name, m)));
  arr(binding.subjects).forEach((sub, i) => errs.push(...subjectErrors(obj(sub) ?? {}, namespaced, index('subjects', i))));
  // Changing what a binding grants would silently change who can do what; delete and recreate instead.
  const oldRef = obj(obj(ctx.old)?.roleRef);
  if (ctx.operation === 'update' && ctx.old !== undefined) {
    const o = oldRef ?? {};
    if (strOr(o.apiGroup) !== apiGroup || strOr(o.kind) !== kind || strOr(o.name) !== name) {
      errs.push(fieldErrors.invalid('roleRef', ref, 'cannot change roleRef'));
    }
  }
  return errs;
}

const validateClusterRole: Validator = (role) => {
  const errs = rulesErrors(role, false);
  const agg = obj(role.aggregationRule);
  if (agg) {
    const selPath = 'aggregationRule.clusterRoleSelectors';
    const selectors = arr(agg.clusterRoleSelectors);
    if (selectors.length === 0) errs.push(fieldErrors.required(selPath, 'at least one clusterRoleSelector required if aggregationRule is non-nil'));
    selectors.forEach((sel, i) => {
      const p = index(selPath, i);
      errs.push(...labelSelectorErrors(sel, p));
      if (selectorView(sel).kind === 'invalid') errs.push(fieldErrors.invalid(p, sel, 'invalid label selector.'));
    });
  }
  return errs;
};

export const rbacValidators: Record<string, Validator> = {
  [ROLE]: (role) => rulesErrors(role, true),
  [CLUSTER_ROLE]: validateClusterRole,
  [ROLE_BINDING]: (b, _path, ctx) => bindingErrors(b, true, ctx),
  [CLUSTER_ROLE_BINDING]: (b, _path, ctx) => bindingErrors(b, false, ctx),
};
