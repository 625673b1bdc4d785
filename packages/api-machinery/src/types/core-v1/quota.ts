// core/v1 ResourceQuota and LimitRange: per-namespace caps on aggregate usage and on individual objects.
import { isJsonObject, type JsonObject } from '../../json.js';
import type { Defaulter, KindDefinition, Validator } from '../../schema/module.js';
import { s, type Schema } from '../../schema/schema.js';
import { child, fieldErrors, index, key, type FieldError } from '../../validation/field-error.js';
import {
  compareQuantities,
  invalidEach,
  isOvercommitAllowed,
  isQualifiedName,
  isStandardQuotaResource,
  parseQ,
  quantityText,
  validateContainerResourceName,
  validateResourceName,
  validateResourceQuantityValue,
} from './checks.js';
import { objAt, objItems, strAt, strItems, strMapAt } from './json-access.js';
import { core, kindSchema, resourceList } from './kind-schema.js';

const QUOTA = core('ResourceQuota');
const QUOTA_SPEC = core('ResourceQuotaSpec');
const LIMIT_RANGE = core('LimitRange');
const LIMIT_ITEM = core('LimitRangeItem');

export const quotaSchemas: Record<string, Schema> = {
  [QUOTA]: kindSchema({ group: '', version: 'v1', kind: 'ResourceQuota' }, 'Caps the total resource usage and object counts of a namespace.', {
    spec: s.ref(QUOTA_SPEC, 'The limits to enforce.', { default: {} }),
    status: s.ref(core('ResourceQuotaStatus'), 'Enforced limits and current usage.'),
  }),
  [QUOTA_SPEC]: s.object(
    {
      hard: resourceList('Hard limit per named resource, e.g. pods, requests.cpu, count/deployments.apps.'),
      scopes: s.array(s.string(), 'Scopes an object must match to be counted: Terminating, NotTerminating, BestEffort, NotBestEffort, PriorityClass, CrossNamespacePodAffinity.', {
        listType: 'atomic',
      }),
      scopeSelector: s.ref(core('ScopeSelector'), 'Scope expressions an object must match to be counted (ANDed with scopes).'),
    },
    'Desired limits of a quota.',
  ),
  [core('ScopeSelector')]: s.object(
    { matchExpressions: s.array(s.ref(core('ScopedResourceSelectorRequirement')), 'Scope requirements, all of which must hold.', { listType: 'atomic' }) },
    'Selects the objects a quota applies to, by scope.',
    { mapType: 'atomic' },
  ),
  [core('ScopedResourceSelectorRequirement')]: s.object(
    {
      scopeName: s.string('Scope the requirement applies to.'),
      operator: s.string('Relation between the scope and the values: In, NotIn, Exists or DoesNotExist.'),
      values: s.array(s.string(), 'Values for In and NotIn; must be empty for Exists and DoesNotExist.', { listType: 'atomic' }),
    },
    'One scope requirement.',
  ),
  [core('ResourceQuotaStatus')]: s.object(
    {
      hard: resourceList('Limits being enforced.'),
      used: resourceList('Current usage per resource in the namespace.'),
    },
    'Enforced limits and observed usage of a quota.',
  ),
  [LIMIT_RANGE]: kindSchema({ group: '', version: 'v1', kind: 'LimitRange' }, 'Per-object resource constraints and defaults within a namespace.', {
    spec: s.ref(core('LimitRangeSpec'), 'The constraints.', { default: {} }),
  }),
  [core('LimitRangeSpec')]: s.object(
    { limits: s.array(s.ref(LIMIT_ITEM), 'Constraints, at most one per object type.', { listType: 'atomic' }) },
    'Constraints of a limit range.',
  ),
  [LIMIT_ITEM]: s.object(
    {
      type: s.string('Kind of object constrained: Pod, Container or PersistentVolumeClaim (or a qualified custom type).'),
      max: resourceList('Maximum usage per resource.'),
      min: resourceList('Minimum usage per resource.'),
      default: resourceList('Limits applied to containers that set none.'),
      defaultRequest: resourceList('Requests applied to containers that set none.'),
      maxLimitRequestRatio: resourceList('Largest allowed limit/request ratio per resource.'),
    },
    'Constraints for one type of object.',
  ),
};

export const quotaDefaulters: Record<string, Defaulter> = {
  // Container items: default limit from max, default request from default limit, then from min.
  [LIMIT_ITEM]: (item: JsonObject) => {
    if (strAt(item, 'type') !== 'Container') return;
    const def: JsonObject = { ...(objAt(item, 'default') ?? {}) };
    const req: JsonObject = { ...(objAt(item, 'defaultRequest') ?? {}) };
    for (const [k, v] of Object.entries(objAt(item, 'max') ?? {})) if (!(k in def)) def[k] = v;
    for (const [k, v] of Object.entries(def)) if (!(k in req)) req[k] = v;
    for (const [k, v] of Object.entries(objAt(item, 'min') ?? {})) if (!(k in req)) req[k] = v;
    if (Object.keys(def).length) item.default = def;
    if (Object.keys(req).length) item.defaultRequest = req;
  },
};

// ---- ResourceQuota ----

const STANDARD_SCOPES = ['Terminating', 'NotTerminating', 'BestEffort', 'NotBestEffort', 'PriorityClass', 'CrossNamespacePodAffinity'];
const POD_COMPUTE = new Set(['cpu', 'memory', 'limits.cpu', 'limits.memory', 'requests.cpu', 'requests.memory']);

function scopeValidForResource(scope: string, resource: string): boolean {
  if (scope === 'BestEffort') return resource === 'pods';
  if (STANDARD_SCOPES.includes(scope)) return resource === 'pods' || POD_COMPUTE.has(resource);
  return true;
}

function validateQuotaResources(list: Record<string, string>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(list)) {
    const p = key(field, k);
    const nameErrs = validateResourceName(k, p);
    if (!k.includes('/') && !isStandardQuotaResource(k)) nameErrs.push(fieldErrors.invalid(p, k, 'must be a standard resource for quota'));
    errs.push(...nameErrs, ...validateResourceQuantityValue(k, v, p));
  }
  return errs;
}

function validateQuotaSpec(spec: JsonObject, specPath: string): FieldError[] {
  const hard = strMapAt(spec, 'hard') ?? {};
  const hardNames = Object.keys(hard).sort();
  const errs = validateQuotaResources(hard, child(specPath, 'hard'));
  const conflicts = (set: Set<string>): boolean => (set.has('BestEffort') && set.has('NotBestEffort')) || (set.has('Terminating') && set.has('NotTerminating'));

  const scopes = strItems(spec, 'scopes').map(([, v]) => v);
  if (scopes.length) {
    const p = child(specPath, 'scopes');
    for (const scope of scopes) {
      if (!STANDARD_SCOPES.includes(scope)) errs.push(fieldErrors.invalid(p, scopes, 'unsupported scope'));
      for (const r of hardNames)
        if (isStandardQuotaResource(r) && !scopeValidForResource(scope, r)) errs.push(fieldErrors.invalid(p, scopes, 'unsupported scope applied to resource'));
    }
    if (conflicts(new Set(scopes))) errs.push(fieldErrors.invalid(p, scopes, 'conflicting scopes'));
  }

  const selector = objAt(spec, 'scopeSelector');
  if (selector) {
    const p = child(child(specPath, 'scopeSelector'), 'matchExpressions');
    const seen = new Set<string>();
    for (const [, req] of objItems(selector, 'matchExpressions')) {
      const scope = strAt(req, 'scopeName') ?? '';
      const op = strAt(req, 'operator') ?? '';
      const values = strItems(req, 'values').map(([, v]) => v);
      if (!STANDARD_SCOPES.includes(scope)) errs.push(fieldErrors.invalid(child(p, 'scopeName'), scope, 'unsupported scope'));
      for (const r of hardNames)
        if (isStandardQuotaResource(r) && !scopeValidForResource(scope, r)) errs.push(fieldErrors.invalid(p, selector, 'unsupported scope applied to resource'));
      if (['BestEffort', 'NotBestEffort', 'Terminating', 'NotTerminating', 'CrossNamespacePodAffinity'].includes(scope) && op !== 'Exists')
        errs.push(
          fieldErrors.invalid(
            child(p, 'operator'),
            op,
            'must be \'Exists\' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity',
          ),
        );
      if (op === 'In' || op === 'NotIn') {
        if (!values.length) errs.push(fieldErrors.required(child(p, 'values'), "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
      } else if (op === 'Exists' || op === 'DoesNotExist') {
        if (values.length) errs.push(fieldErrors.invalid(child(p, 'values'), values, "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
      } else errs.push(fieldErrors.invalid(child(p, 'operator'), op, 'not a valid selector operator'));
      seen.add(scope);
    }
    if (conflicts(seen)) errs.push(fieldErrors.invalid(p, scopes, 'conflicting scopes'));
  }
  return errs;
}

// ---- LimitRange ----

const MAX_MILLI_VALUE = 9223372036854775n; // math.MaxInt64 / 1000

/** Go's %f: six decimals, with +Inf/NaN spelled as Go does. */
const formatGoFloat = (v: number): string => (Number.isFinite(v) ? v.toFixed(6) : Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf');

function validateLimitItem(item: JsonObject, p: string): FieldError[] {
  const errs: FieldError[] = [];
  const type = strAt(item, 'type') ?? '';
  const typeErrs = invalidEach(child(p, 'type'), type, isQualifiedName(type));
  if (!typeErrs.length && !type.includes('/') && !['Pod', 'Container', 'PersistentVolumeClaim'].includes(type))
    typeErrs.push(fieldErrors.invalid(child(p, 'type'), type, 'must be a standard limit type or fully qualified'));
  errs.push(...typeErrs);
  const checkName = (name: string, field: string): FieldError[] =>
    type === 'Pod' || type === 'Container' ? validateContainerResourceName(name, field) : validateResourceName(name, field);

  const lists: Record<string, Record<string, string>> = {};
  const keys = new Set<string>();
  const collect = (which: string): void => {
    lists[which] = strMapAt(item, which) ?? {};
    for (const k of Object.keys(lists[which]!)) {
      errs.push(...checkName(k, key(child(p, which), k)));
      keys.add(k);
    }
  };
  collect('max');
  collect('min');
  if (type === 'Pod') {
    for (const which of ['default', 'defaultRequest'])
      if (Object.keys(strMapAt(item, which) ?? {}).length) errs.push(fieldErrors.forbidden(child(p, which), "may not be specified when `type` is 'Pod'"));
    lists.default = {};
    lists.defaultRequest = {};
  } else {
    collect('default');
    collect('defaultRequest');
  }
  if (type === 'PersistentVolumeClaim' && !('storage' in lists.min!) && !('storage' in lists.max!))
    errs.push(fieldErrors.required(child(p, 'limits'), 'either minimum or maximum storage value is required, but neither was provided'));
  collect('maxLimitRequestRatio');

  for (const k of keys) {
    // Messages print quantities the way Kubernetes' Quantity.String() does.
    const q = (which: string): string | undefined => (lists[which]![k] === undefined ? undefined : quantityText(lists[which]![k]!));
    const [min, max, def, defReq, ratio] = [q('min'), q('max'), q('default'), q('defaultRequest'), q('maxLimitRequestRatio')];
    const gt = (a: string | undefined, b: string | undefined): boolean => a !== undefined && b !== undefined && (compareQuantities(a, b) ?? 0) > 0;
    if (gt(min, max)) errs.push(fieldErrors.invalid(key(child(p, 'min'), k), min, `min value ${min} is greater than max value ${max}`));
    if (gt(min, defReq)) errs.push(fieldErrors.invalid(key(child(p, 'defaultRequest'), k), defReq, `min value ${min} is greater than default request value ${defReq}`));
    if (gt(defReq, max)) errs.push(fieldErrors.invalid(key(child(p, 'defaultRequest'), k), defReq, `default request value ${defReq} is greater than max value ${max}`));
    if (gt(defReq, def)) errs.push(fieldErrors.invalid(key(child(p, 'defaultRequest'), k), defReq, `default request value ${defReq} is greater than default limit value ${def}`));
    if (gt(min, def)) errs.push(fieldErrors.invalid(key(child(p, 'default'), k), min, `min value ${min} is greater than default value ${def}`));
    if (gt(def, max)) errs.push(fieldErrors.invalid(key(child(p, 'default'), k), max, `default value ${def} is greater than max value ${max}`));
    if (ratio !== undefined && (compareQuantities(ratio, '1') ?? 0) < 0)
      errs.push(fieldErrors.invalid(key(child(p, 'maxLimitRequestRatio'), k), ratio, `ratio ${ratio} is less than 1`));
    const [r, lo, hi] = [parseQ(ratio), parseQ(min), parseQ(max)];
    if (r && lo && hi) {
      // Go compares in milli-units when all three fit, else in whole units.
      const fits = [r, lo, hi].every((x) => x.value() < MAX_MILLI_VALUE);
      const ratioValue = fits ? Number(r.milliValue()) / 1000 : Number(r.value());
      const limit = fits ? Number(hi.milliValue()) / Number(lo.milliValue()) : Number(hi.value()) / Number(lo.value());
      if (ratioValue > limit)
        errs.push(fieldErrors.invalid(key(child(p, 'maxLimitRequestRatio'), k), ratio, `ratio ${ratio} is greater than max/min = ${formatGoFloat(limit)}`));
    }
    // Resources that cannot be overcommitted need identical default limit and request.
    if (!isOvercommitAllowed(k) && def !== undefined && defReq !== undefined && compareQuantities(def, defReq) !== 0)
      errs.push(fieldErrors.invalid(key(child(p, 'defaultRequest'), k), defReq, `default value ${def} must equal to defaultRequest value ${defReq} in ${k}`));
  }
  return errs;
}

export const quotaValidators: Record<string, Validator> = {
  [QUOTA]: (quota, path, ctx) => {
    const spec = objAt(quota, 'spec') ?? {};
    const specPath = child(path, 'spec');
    const errs = validateQuotaSpec(spec, specPath);
    if (ctx.operation === 'create') {
      const status = objAt(quota, 'status');
      errs.push(...validateQuotaResources(strMapAt(status, 'hard') ?? {}, child(path, 'status.hard')));
      errs.push(...validateQuotaResources(strMapAt(status, 'used') ?? {}, child(path, 'status.used')));
    } else if (isJsonObject(ctx.old)) {
      // Scopes are compared as sets and may not change.
      const scopes = strItems(spec, 'scopes').map(([, v]) => v);
      const oldScopes = new Set(strItems(objAt(ctx.old, 'spec'), 'scopes').map(([, v]) => v));
      const same = new Set(scopes).size === oldScopes.size && scopes.every((sc) => oldScopes.has(sc));
      if (!same) errs.push(fieldErrors.invalid(child(specPath, 'scopes'), scopes, 'field is immutable'));
    }
    return errs;
  },
  [core('LimitRangeSpec')]: (spec, path) => {
    const errs: FieldError[] = [];
    const seenTypes = new Set<string>();
    for (const [i, item] of objItems(spec, 'limits')) {
      const p = index(child(path, 'limits'), i);
      const type = strAt(item, 'type') ?? '';
      if (seenTypes.has(type)) errs.push(fieldErrors.duplicate(child(p, 'type'), type));
      seenTypes.add(type);
      errs.push(...validateLimitItem(item, p));
    }
    return errs;
  },
};

export const resourceQuotaKind: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  singular: 'resourcequota',
  shortNames: ['quota'],
  namespaced: true,
  schema: QUOTA,
  statusSubresource: true,
};

export const limitRangeKind: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'LimitRange',
  plural: 'limitranges',
  singular: 'limitrange',
  shortNames: ['limits'],
  namespaced: true,
  schema: LIMIT_RANGE,
};
