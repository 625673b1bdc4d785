// apps/v1 semantic validation (pkg/apis/apps/validation): selector/template agreement, restart policy of the
// template, rolling-update limits, StatefulSet update restrictions and status counters. Non-negative numbers,
// enums, required selectors and selector immutability are schema keywords and are not repeated here.
import type { JsonObject, JsonValue } from '../../json.js';
import type { ValidationContext, Validator } from '../../schema/module.js';
import { child, fieldErrors, type FieldError } from '../../validation/field-error.js';
import {
  intOrPercentValue,
  isNotMoreThan100Percent,
  labelSelectorErrors,
  num,
  obj,
  selectorMatches,
  selectorView,
  semanticEqual,
  stringMap,
  validatePositiveIntOrPercent,
} from './helpers.js';
import {
  CONTROLLER_REVISION,
  DAEMON_SET_SPEC,
  DAEMON_SET_STATUS,
  DAEMON_SET_UPDATE_STRATEGY,
  DEPLOYMENT_SPEC,
  DEPLOYMENT_STATUS,
  DEPLOYMENT_STRATEGY,
  REPLICA_SET_SPEC,
  REPLICA_SET_STATUS,
  STATEFUL_SET_SPEC,
  STATEFUL_SET_STATUS,
} from './schemas.js';

const MISMATCH = '`selector` does not match template `labels`';

/** Template labels as the selector sees them, and the value Kubernetes reports (null when absent). */
export function templateLabels(spec: JsonObject): { labels: Record<string, string>; bad: JsonValue } {
  const labels = obj(obj(spec.template)?.metadata)?.labels;
  return { labels: stringMap(labels) ?? {}, bad: labels ?? null };
}

/**
 * Pod-template rules every long-running workload shares: the restart policy must be Always (an unset one is
 * defaulted to Always) and activeDeadlineSeconds is not allowed. A missing template means an empty pod spec, which
 * Kubernetes rejects for its missing containers (the PodSpec hook cannot see a template that is not there).
 */
export function alwaysRestartTemplateErrors(spec: JsonObject, path: string, kindName: string): FieldError[] {
  const errs: FieldError[] = [];
  const tpl = obj(spec.template);
  if (!tpl) {
    errs.push(fieldErrors.required(child(path, 'template.spec.containers')));
    return errs;
  }
  const podSpec = obj(tpl.spec);
  const rp = podSpec?.restartPolicy;
  if (typeof rp === 'string' && rp !== '' && rp !== 'Always') {
    errs.push(fieldErrors.notSupported(child(path, 'template.spec.restartPolicy'), rp, ['Always']));
  }
  if (podSpec?.activeDeadlineSeconds !== undefined) {
    errs.push(fieldErrors.forbidden(child(path, 'template.spec.activeDeadlineSeconds'), `activeDeadlineSeconds in ${kindName} is not Supported`));
  }
  return errs;
}

/** ReplicaSet-style selector rules (ReplicaSets and Deployments): non-empty, convertible, matching the template. */
function replicaSetLikeErrors(spec: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const sel = spec.selector;
  const selObj = obj(sel);
  errs.push(...labelSelectorErrors(sel, child(path, 'selector')));
  if (selObj && selectorView(sel).kind === 'everything') {
    errs.push(fieldErrors.invalid(child(path, 'selector'), selObj, 'empty selector is invalid for deployment'));
  }
  const view = selectorView(sel);
  if (view.kind === 'invalid') {
    errs.push(fieldErrors.invalid(child(path, 'selector'), sel ?? null, 'invalid label selector'));
    return errs;
  }
  const { labels, bad } = templateLabels(spec);
  if (view.kind !== 'everything' && !selectorMatches(view, labels)) {
    errs.push(fieldErrors.invalid(child(path, 'template.metadata.labels'), bad, MISMATCH));
  }
  errs.push(...alwaysRestartTemplateErrors(spec, path, 'ReplicaSet'));
  return errs;
}

const validateDeploymentSpec: Validator = (spec, path) => {
  const errs = replicaSetLikeErrors(spec, path);
  const pds = num(spec.progressDeadlineSeconds);
  if (pds !== undefined && pds <= (num(spec.minReadySeconds) ?? 0)) {
    errs.push(fieldErrors.invalid(child(path, 'progressDeadlineSeconds'), pds, 'must be greater than minReadySeconds'));
  }
  return errs;
};

const validateDeploymentStrategy: Validator = (strategy, path) => {
  const errs: FieldError[] = [];
  const ruPath = child(path, 'rollingUpdate');
  if (strategy.type === 'Recreate') {
    if (strategy.rollingUpdate !== undefined) errs.push(fieldErrors.forbidden(ruPath, "may not be specified when strategy `type` is 'Recreate'"));
  } else if (strategy.type === 'RollingUpdate') {
    const ru = obj(strategy.rollingUpdate);
    if (!ru) return [fieldErrors.required(ruPath, 'this should be defaulted and never be nil')];
    const muPath = child(ruPath, 'maxUnavailable');
    errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, muPath));
    errs.push(...validatePositiveIntOrPercent(ru.maxSurge, child(ruPath, 'maxSurge')));
    if (intOrPercentValue(ru.maxUnavailable) === 0 && intOrPercentValue(ru.maxSurge) === 0) {
      errs.push(fieldErrors.invalid(muPath, ru.maxUnavailable ?? 0, 'may not be 0 when `maxSurge` is 0'));
    }
    errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, muPath));
  }
  return errs;
};

const validateReplicaSetSpec: Validator = (spec, path) => replicaSetLikeErrors(spec, path);

const validateDaemonSetSpec: Validator = (spec, path) => {
  const sel = spec.selector;
  const errs = labelSelectorErrors(sel, child(path, 'selector'));
  const view = selectorView(sel);
  const { labels, bad } = templateLabels(spec);
  // DaemonSets check the match even for a missing selector (which matches nothing), and skip invalid ones.
  if (view.kind !== 'invalid' && !selectorMatches(view, labels)) {
    errs.push(fieldErrors.invalid(child(path, 'template.metadata.labels'), bad, MISMATCH));
  }
  const selObj = obj(sel);
  if (selObj && view.kind === 'everything') errs.push(fieldErrors.invalid(child(path, 'selector'), selObj, 'empty selector is invalid for daemonset'));
  errs.push(...alwaysRestartTemplateErrors(spec, path, 'DaemonSet'));
  return errs;
};

const validateDaemonSetUpdateStrategy: Validator = (strategy, path) => {
  if (strategy.type !== 'RollingUpdate') return [];
  const ruPath = child(path, 'rollingUpdate');
  const ru = obj(strategy.rollingUpdate);
  if (!ru) return [fieldErrors.required(ruPath)];
  const muPath = child(ruPath, 'maxUnavailable');
  const msPath = child(ruPath, 'maxSurge');
  const errs = [
    ...validatePositiveIntOrPercent(ru.maxUnavailable, muPath),
    ...validatePositiveIntOrPercent(ru.maxSurge, msPath),
    ...isNotMoreThan100Percent(ru.maxUnavailable, muPath),
    ...isNotMoreThan100Percent(ru.maxSurge, msPath),
  ];
  const hasUnavailable = intOrPercentValue(ru.maxUnavailable) !== 0;
  const hasSurge = intOrPercentValue(ru.maxSurge) !== 0;
  if (hasUnavailable && hasSurge) errs.push(fieldErrors.invalid(msPath, ru.maxSurge ?? 0, 'may not be set when maxUnavailable is non-zero'));
  else if (!hasUnavailable && !hasSurge) errs.push(fieldErrors.required(muPath, 'cannot be 0 when maxSurge is 0'));
  return errs;
};

/** Spec fields a StatefulSet update may change; everything else is frozen at creation. */
const STS_MUTABLE = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];

function withoutKeys(o: JsonObject, keys: string[]): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(o)) if (!keys.includes(k)) out[k] = v;
  return out;
}

const validateStatefulSetSpec: Validator = (spec, path, ctx: ValidationContext) => {
  const errs: FieldError[] = [];
  const us = obj(spec.updateStrategy);
  if (us?.type === 'OnDelete' && us.rollingUpdate !== undefined) {
    errs.push(fieldErrors.invalid(child(path, 'updateStrategy.rollingUpdate'), us.rollingUpdate, "only allowed for updateStrategy 'RollingUpdate'"));
  }
  const ru = obj(us?.rollingUpdate);
  if (us?.type === 'RollingUpdate' && ru && ru.maxUnavailable !== undefined) {
    const muPath = child(path, 'updateStrategy.rollingUpdate.maxUnavailable');
    errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, muPath));
    if (intOrPercentValue(ru.maxUnavailable) === 0) errs.push(fieldErrors.invalid(muPath, ru.maxUnavailable, 'cannot be 0'));
    errs.push(...isNotMoreThan100Percent(ru.maxUnavailable, muPath));
  }

  const sel = spec.selector;
  const view = selectorView(sel);
  const selObj = obj(sel);
  errs.push(...labelSelectorErrors(sel, child(path, 'selector')));
  if (selObj && view.kind === 'everything') errs.push(fieldErrors.invalid(child(path, 'selector'), selObj, 'empty selector is invalid for statefulset'));
  if (view.kind === 'invalid') {
    errs.push(fieldErrors.invalid(child(path, 'selector'), sel ?? null, ''));
  } else {
    const { labels, bad } = templateLabels(spec);
    if (view.kind !== 'everything' && !selectorMatches(view, labels)) {
      errs.push(fieldErrors.invalid(child(path, 'template.metadata.labels'), bad, MISMATCH));
    }
  }
  errs.push(...alwaysRestartTemplateErrors(spec, path, 'StatefulSet'));

  const old = obj(ctx.old);
  if (ctx.operation === 'update' && old && !semanticEqual(withoutKeys(spec, STS_MUTABLE), withoutKeys(old, STS_MUTABLE))) {
    errs.push(
      fieldErrors.forbidden(
        path,
        "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
      ),
    );
  }
  return errs;
};

/** Status counters that may not exceed status.replicas, then the available ≤ ready rule. */
function counterErrors(status: JsonObject, path: string, counters: string[], readyMsg: string): FieldError[] {
  const errs: FieldError[] = [];
  const replicas = num(status.replicas) ?? 0;
  for (const c of counters) {
    const v = num(status[c]) ?? 0;
    if (v > replicas) errs.push(fieldErrors.invalid(child(path, c), v, 'cannot be greater than status.replicas'));
  }
  const available = num(status.availableReplicas) ?? 0;
  if (available > (num(status.readyReplicas) ?? 0)) errs.push(fieldErrors.invalid(child(path, 'availableReplicas'), available, readyMsg));
  return errs;
}

/** collisionCount only grows (it feeds the names of new revisions). */
function collisionCountErrors(status: JsonObject, path: string, ctx: ValidationContext): FieldError[] {
  const oldCount = num(obj(ctx.old)?.collisionCount);
  if (ctx.operation !== 'update' || oldCount === undefined) return [];
  const count = num(status.collisionCount);
  if (count !== undefined && count >= oldCount) return [];
  return [fieldErrors.invalid(child(path, 'collisionCount'), count ?? 0, 'cannot be decremented')];
}

export const appsValidators: Record<string, Validator> = {
  [DEPLOYMENT_SPEC]: validateDeploymentSpec,
  [DEPLOYMENT_STRATEGY]: validateDeploymentStrategy,
  [REPLICA_SET_SPEC]: validateReplicaSetSpec,
  [DAEMON_SET_SPEC]: validateDaemonSetSpec,
  [DAEMON_SET_UPDATE_STRATEGY]: validateDaemonSetUpdateStrategy,
  [STATEFUL_SET_SPEC]: validateStatefulSetSpec,
  [DEPLOYMENT_STATUS]: (st, path, ctx) => [
    ...counterErrors(st, path, ['updatedReplicas', 'readyReplicas', 'availableReplicas'], 'cannot be greater than readyReplicas'),
    ...collisionCountErrors(st, path, ctx),
  ],
  [REPLICA_SET_STATUS]: (st, path) => counterErrors(st, path, ['fullyLabeledReplicas', 'readyReplicas', 'availableReplicas'], 'cannot be greater than readyReplicas'),
  [STATEFUL_SET_STATUS]: (st, path, ctx) => [
    ...counterErrors(st, path, ['readyReplicas', 'currentReplicas', 'updatedReplicas', 'availableReplicas'], 'cannot be greater than status.readyReplicas'),
    ...collisionCountErrors(st, path, ctx),
  ],
  [DAEMON_SET_STATUS]: (st, path, ctx) => collisionCountErrors(st, path, ctx),
  // A revision without data is meaningless; Kubernetes words this Required error itself.
  [CONTROLLER_REVISION]: (rev, path) => (rev.data === undefined ? [fieldErrors.required(child(path, 'data'), 'data is mandatory')] : []),
};
