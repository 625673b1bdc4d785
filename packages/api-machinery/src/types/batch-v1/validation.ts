// batch/v1 semantic validation (pkg/apis/batch/validation): Job spec cross-field rules (indexed mode, pod
// failure and success policies, restart policy), the generated selector, Job update restrictions, CronJob
// schedule and time zone. Limits, enums and non-negative numbers are schema keywords.
import type { JsonObject, JsonValue } from '../../json.js';
import type { ValidationContext, Validator } from '../../schema/module.js';
import { child, fieldErrors, index, key, type FieldError } from '../../validation/field-error.js';
import { isDNS1123Label, isQualifiedName } from '../../validation/names.js';
import { arr, isDomainPrefixedPath, labelSelectorErrors, num, obj, selectorMatches, selectorView, semanticEqual, str, stringMap } from '../apps-v1/helpers.js';
import { templateLabels } from '../apps-v1/validation.js';
import { isKnownTimeZone, parseCronSchedule } from './cron.js';
import { CONTROLLER_UID_LABEL, JOB_NAME_LABEL, LEGACY_CONTROLLER_UID_LABEL, LEGACY_JOB_NAME_LABEL } from './defaults.js';
import { CRON_JOB, CRON_JOB_SPEC, JOB, JOB_SPEC, JOB_TEMPLATE_SPEC } from './schemas.js';

const MAX_PARALLELISM_INDEXED = 100000;
const MAX_FAILED_INDEXES = 100000;
const COMPLETIONS_SOFT_LIMIT = 100000;
const PARALLELISM_LIMIT_HIGH_COMPLETIONS = 10000;
const MAX_FAILED_INDEXES_HIGH_COMPLETIONS = 10000;

/** Go's %q of a []string: ["a" "b"]. */
const quoteList = (xs: string[]): string => `[${xs.map((x) => JSON.stringify(x)).join(' ')}]`;

/**
 * validateIndexesFormat: "1,3-5,7" style index lists, increasing, below completions. Returns the number of indexes,
 * or the parse error in Kubernetes' words.
 */
export function parseIndexes(indexes: string, completions: number): { total: number; error?: string } {
  if (indexes.length === 0) return { total: 0 };
  const atoi = (x: string): number | undefined => (/^[+-]?[0-9]+$/.test(x) ? Number.parseInt(x, 10) : undefined);
  let last: number | undefined;
  let total = 0;
  for (const interval of indexes.split(',')) {
    const limits = interval.split('-');
    if (limits.length > 2) {
      return { total: 0, error: `the fragment ${JSON.stringify(interval)} violates the requirement that an index interval can have at most two parts separated by '-'` };
    }
    const x = atoi(limits[0]!);
    if (x === undefined) return { total: 0, error: `cannot convert string to integer for index: ${JSON.stringify(limits[0])}` };
    if (x >= completions) return { total: 0, error: `too large index: ${JSON.stringify(limits[0])}` };
    if (last !== undefined && last >= x) return { total: 0, error: `non-increasing order, previous: ${last}, current: ${x}` };
    total++;
    last = x;
    if (limits.length > 1) {
      const y = atoi(limits[1]!);
      if (y === undefined) return { total: 0, error: `cannot convert string to integer for index: ${JSON.stringify(limits[1])}` };
      if (y >= completions) return { total: 0, error: `too large index: ${JSON.stringify(limits[1])}` };
      if (last >= y) return { total: 0, error: `non-increasing order, previous: ${last}, current: ${y}` };
      total += y - x;
      last = y;
    }
  }
  return { total };
}

function containerNames(spec: JsonObject): Set<string> {
  const podSpec = obj(obj(spec.template)?.spec);
  const names = new Set<string>();
  for (const c of [...arr(podSpec?.containers), ...arr(podSpec?.initContainers)]) {
    const n = str(obj(c)?.name);
    if (n !== undefined) names.add(n);
  }
  return names;
}

function podFailurePolicyErrors(spec: JsonObject, pfp: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = containerNames(spec);
  arr(pfp.rules).forEach((r, i) => {
    const rule = obj(r) ?? {};
    const rulePath = index(child(path, 'rules'), i);
    const actionPath = child(rulePath, 'action');
    if (rule.action === undefined) errs.push(fieldErrors.required(actionPath, `valid values: ${quoteList(['Count', 'FailIndex', 'FailJob', 'Ignore'])}`));
    else if (rule.action === 'FailIndex' && spec.backoffLimitPerIndex === undefined) {
      errs.push(fieldErrors.invalid(actionPath, 'FailIndex', 'requires the backoffLimitPerIndex to be set'));
    }
    const onExit = obj(rule.onExitCodes);
    if (onExit) {
      const exitPath = child(rulePath, 'onExitCodes');
      if (onExit.operator === undefined) errs.push(fieldErrors.required(child(exitPath, 'operator'), `valid values: ${quoteList(['In', 'NotIn'])}`));
      const cname = str(onExit.containerName);
      if (cname !== undefined && !names.has(cname)) {
        errs.push(fieldErrors.invalid(child(exitPath, 'containerName'), cname, 'must be one of the container or initContainer names in the pod template'));
      }
      const valuesPath = child(exitPath, 'values');
      const values = arr(onExit.values).filter((v): v is number => typeof v === 'number');
      if (values.length === 0) errs.push(fieldErrors.invalid(valuesPath, onExit.values ?? null, 'at least one value is required'));
      const seen = new Set<number>();
      let ordered = true;
      values.forEach((v, j) => {
        if (onExit.operator === 'In' && v === 0) errs.push(fieldErrors.invalid(index(valuesPath, j), 0, 'must not be 0 for the In operator'));
        if (seen.has(v)) errs.push(fieldErrors.duplicate(index(valuesPath, j), v));
        else seen.add(v);
        if (j > 0 && values[j - 1]! > v) ordered = false;
      });
      if (!ordered) errs.push(fieldErrors.invalid(valuesPath, values, 'must be ordered'));
    }
    const onConditions = arr(rule.onPodConditions);
    // A missing condition type is the empty string to Go, which fails the qualified-name check (present ones are
    // checked by the schema format).
    onConditions.forEach((c, j) => {
      if (obj(c)?.type === undefined) {
        errs.push(...isQualifiedName('').map((m) => fieldErrors.invalid(child(index(child(rulePath, 'onPodConditions'), j), 'type'), '', m)));
      }
    });
    if (onExit && onConditions.length > 0) errs.push(fieldErrors.invalid(rulePath, undefined, 'specifying both OnExitCodes and OnPodConditions is not supported'));
    if (!onExit && onConditions.length === 0) errs.push(fieldErrors.invalid(rulePath, undefined, 'specifying one of OnExitCodes and OnPodConditions is required'));
  });
  return errs;
}

function successPolicyErrors(spec: JsonObject, sp: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const rulesPath = child(path, 'rules');
  const rules = arr(sp.rules);
  if (rules.length === 0) errs.push(fieldErrors.required(rulesPath, 'at least one rules must be specified when the successPolicy is specified'));
  const completions = num(spec.completions);
  rules.forEach((r, i) => {
    const rule = obj(r) ?? {};
    const rulePath = index(rulesPath, i);
    const indexes = str(rule.succeededIndexes);
    const count = num(rule.succeededCount);
    if (count === undefined && indexes === undefined) {
      errs.push(fieldErrors.required(rulePath, 'at least one of succeededCount or succeededIndexes must be specified'));
    }
    // Without completions (already reported as required) the limits below cannot be checked.
    if (completions === undefined) return;
    let total = 0;
    if (indexes !== undefined) {
      const parsed = parseIndexes(indexes, completions);
      total = parsed.total;
      if (parsed.error) errs.push(fieldErrors.invalid(child(rulePath, 'succeededIndexes'), indexes, `error parsing succeededIndexes: ${parsed.error}`));
    }
    if (count !== undefined) {
      const countPath = child(rulePath, 'succeededCount');
      if (count > completions) {
        errs.push(fieldErrors.invalid(countPath, count, `must be less than or equal to ${completions} (the number of specified completions)`));
      }
      if (indexes !== undefined && count > total) {
        errs.push(fieldErrors.invalid(countPath, count, `must be less than or equal to ${total} (the number of indexes in the specified succeededIndexes field)`));
      }
    }
  });
  return errs;
}

/** validateJobSpec: the rules shared by Jobs and CronJob job templates. */
export function jobSpecErrors(spec: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const p = (f: string): string => child(path, f);
  const parallelism = num(spec.parallelism);
  const completions = num(spec.completions);
  const perIndex = num(spec.backoffLimitPerIndex);
  const maxFailed = num(spec.maxFailedIndexes);
  if (maxFailed !== undefined && perIndex === undefined) errs.push(fieldErrors.required(p('backoffLimitPerIndex'), 'when maxFailedIndexes is specified'));
  const managedBy = str(spec.managedBy);
  if (managedBy !== undefined) errs.push(...isDomainPrefixedPath(p('managedBy'), managedBy));

  const indexed = spec.completionMode === 'Indexed';
  if (indexed) {
    if (completions === undefined) errs.push(fieldErrors.required(p('completions'), 'when completion mode is Indexed'));
    if (parallelism !== undefined && parallelism > MAX_PARALLELISM_INDEXED) {
      errs.push(fieldErrors.invalid(p('parallelism'), parallelism, `must be less than or equal to ${MAX_PARALLELISM_INDEXED} when completion mode is Indexed`));
    }
    if (completions !== undefined && maxFailed !== undefined && maxFailed > completions) {
      errs.push(fieldErrors.invalid(p('maxFailedIndexes'), maxFailed, 'must be less than or equal to completions'));
    }
    if (maxFailed !== undefined && maxFailed > MAX_FAILED_INDEXES) {
      errs.push(fieldErrors.invalid(p('maxFailedIndexes'), maxFailed, `must be less than or equal to ${MAX_FAILED_INDEXES}`));
    }
    if (completions !== undefined && completions > COMPLETIONS_SOFT_LIMIT && perIndex !== undefined) {
      const suffix = `when completions are above ${COMPLETIONS_SOFT_LIMIT} and used with backoff limit per index`;
      if (maxFailed === undefined) errs.push(fieldErrors.required(p('maxFailedIndexes'), `must be specified when completions is above ${COMPLETIONS_SOFT_LIMIT}`));
      if (parallelism !== undefined && parallelism > PARALLELISM_LIMIT_HIGH_COMPLETIONS) {
        errs.push(fieldErrors.invalid(p('parallelism'), parallelism, `must be less than or equal to ${PARALLELISM_LIMIT_HIGH_COMPLETIONS} ${suffix}`));
      }
      if (maxFailed !== undefined && maxFailed > MAX_FAILED_INDEXES_HIGH_COMPLETIONS) {
        errs.push(fieldErrors.invalid(p('maxFailedIndexes'), maxFailed, `must be less than or equal to ${MAX_FAILED_INDEXES_HIGH_COMPLETIONS} ${suffix}`));
      }
    }
  }
  if (spec.completionMode === undefined || spec.completionMode === 'NonIndexed') {
    if (perIndex !== undefined) errs.push(fieldErrors.invalid(p('backoffLimitPerIndex'), perIndex, 'requires indexed completion mode'));
    if (maxFailed !== undefined) errs.push(fieldErrors.invalid(p('maxFailedIndexes'), maxFailed, 'requires indexed completion mode'));
  }

  const pfp = obj(spec.podFailurePolicy);
  if (pfp) errs.push(...podFailurePolicyErrors(spec, pfp, p('podFailurePolicy')));
  const sp = obj(spec.successPolicy);
  if (sp) {
    if (!indexed) errs.push(fieldErrors.invalid(p('successPolicy'), sp, 'requires indexed completion mode'));
    else errs.push(...successPolicyErrors(spec, sp, p('successPolicy')));
  }
  // The enum allows both values; a pod failure policy narrows it to Failed.
  if (pfp && spec.podReplacementPolicy === 'TerminatingOrFailed') {
    errs.push(fieldErrors.notSupported(p('podReplacementPolicy'), 'TerminatingOrFailed', ['Failed']));
  }

  const tpl = obj(spec.template);
  if (!tpl) errs.push(fieldErrors.required(p('template.spec.containers')));
  // An unset restart policy is defaulted to Always, which Jobs do not accept.
  const rp = str(obj(tpl?.spec)?.restartPolicy) ?? '';
  const rpPath = p('template.spec.restartPolicy');
  if (rp === 'Always' || rp === '') errs.push(fieldErrors.required(rpPath, 'valid values: "OnFailure", "Never"'));
  else if (rp !== 'OnFailure' && rp !== 'Never') errs.push(fieldErrors.notSupported(rpPath, rp, ['OnFailure', 'Never']));
  else if (pfp && rp !== 'Never') errs.push(fieldErrors.invalid(rpPath, rp, 'only "Never" is supported when podFailurePolicy is specified'));
  return errs;
}

/** ValidateHasLabel: a generated label must be present with the expected value. */
function hasLabel(labels: Record<string, string> | undefined, bad: JsonValue, path: string, k: string, expected: string): FieldError[] {
  const actual = labels?.[k];
  if (actual === undefined) return [fieldErrors.required(key(child(path, 'labels'), k), expected)];
  return actual === expected ? [] : [fieldErrors.invalid(key(child(path, 'labels'), k), bad, `must be '${expected}'`)];
}

/** When the selector was generated, the template must carry the generated labels and the selector select them. */
function generatedSelectorErrors(job: JsonObject, spec: JsonObject): FieldError[] {
  if (spec.manualSelector === true || spec.selector === undefined) return [];
  const meta = obj(job.metadata) ?? {};
  const uid = str(meta.uid) ?? '';
  const name = str(meta.name) ?? '';
  const errs: FieldError[] = [];
  if (uid === '') errs.push(fieldErrors.required('metadata.uid'));
  const { bad } = templateLabels(spec);
  const tplMeta = 'spec.template.metadata';
  const present = stringMap(obj(obj(spec.template)?.metadata)?.labels);
  errs.push(...hasLabel(present, bad, tplMeta, LEGACY_CONTROLLER_UID_LABEL, uid));
  errs.push(...hasLabel(present, bad, tplMeta, LEGACY_JOB_NAME_LABEL, name));
  errs.push(...hasLabel(present, bad, tplMeta, CONTROLLER_UID_LABEL, uid));
  errs.push(...hasLabel(present, bad, tplMeta, JOB_NAME_LABEL, name));
  const expected = { [CONTROLLER_UID_LABEL]: uid, [JOB_NAME_LABEL]: name, [LEGACY_CONTROLLER_UID_LABEL]: uid, [LEGACY_JOB_NAME_LABEL]: name };
  const view = selectorView(spec.selector);
  if (view.kind !== 'invalid' && !selectorMatches(view, expected)) {
    errs.push(fieldErrors.invalid('spec.selector', spec.selector ?? null, '`selector` not auto-generated'));
  }
  return errs;
}

/** Template fields a suspended Job that never started may still change (scheduling directives). */
function withoutSchedulingDirectives(template: JsonValue | undefined): JsonValue | undefined {
  const t = obj(template);
  if (!t) return template;
  const meta = { ...(obj(t.metadata) ?? {}) };
  delete meta.labels;
  delete meta.annotations;
  const podSpec = { ...(obj(t.spec) ?? {}) };
  delete podSpec.nodeSelector;
  delete podSpec.tolerations;
  delete podSpec.schedulingGates;
  const affinity = obj(podSpec.affinity);
  if (affinity) {
    const rest = { ...affinity };
    delete rest.nodeAffinity;
    podSpec.affinity = rest;
  }
  return { ...t, metadata: meta, spec: podSpec };
}

function immutable(path: string, value: JsonValue | undefined, old: JsonValue | undefined): FieldError[] {
  return semanticEqual(value, old) ? [] : [fieldErrors.invalid(path, value ?? null, 'field is immutable')];
}

function jobUpdateErrors(spec: JsonObject, oldJob: JsonObject): FieldError[] {
  const errs: FieldError[] = [];
  const oldSpec = obj(oldJob.spec) ?? {};
  // Indexed Jobs are elastic: completions may change together with parallelism.
  if (spec.completionMode === 'Indexed') {
    if (!semanticEqual(spec.completions, oldSpec.completions) && spec.completions !== undefined && spec.completions !== spec.parallelism) {
      errs.push(fieldErrors.invalid('spec.completions', spec.completions, 'can only be modified in tandem with spec.parallelism'));
    }
  } else {
    errs.push(...immutable('spec.completions', spec.completions, oldSpec.completions));
  }
  errs.push(...immutable('spec.selector', spec.selector, oldSpec.selector));
  const mutableScheduling = oldSpec.suspend === true && obj(oldJob.status)?.startTime === undefined;
  const tpl = mutableScheduling ? withoutSchedulingDirectives(spec.template) : spec.template;
  const oldTpl = mutableScheduling ? withoutSchedulingDirectives(oldSpec.template) : oldSpec.template;
  if (!semanticEqual(tpl, oldTpl)) errs.push(fieldErrors.invalid('spec.template', spec.template ?? null, 'field is immutable'));
  for (const f of ['completionMode', 'podFailurePolicy', 'backoffLimitPerIndex', 'managedBy', 'successPolicy']) {
    errs.push(...immutable(`spec.${f}`, spec[f], oldSpec[f]));
  }
  return errs;
}

const validateJob: Validator = (job, _path, ctx: ValidationContext) => {
  const errs: FieldError[] = [];
  const spec = obj(job.spec) ?? {};
  if (spec.selector === undefined) errs.push(fieldErrors.required('spec.selector'));
  else errs.push(...labelSelectorErrors(spec.selector, 'spec.selector'));
  // Whether generated or manual, the selector must select the pods the Job creates.
  const view = selectorView(spec.selector);
  const { labels, bad } = templateLabels(spec);
  if (view.kind !== 'invalid' && !selectorMatches(view, labels)) {
    errs.push(fieldErrors.invalid('spec.template.metadata.labels', bad, '`selector` does not match template `labels`'));
  }
  const old = obj(ctx.old);
  if (ctx.operation === 'update' && old) return [...errs, ...jobUpdateErrors(spec, old)];

  errs.push(...generatedSelectorErrors(job, spec));
  // Indexed pods get "<name>-<index>" hostnames, which must be DNS labels.
  const completions = num(spec.completions);
  const name = str(obj(job.metadata)?.name) ?? '';
  if (spec.completionMode === 'Indexed' && completions !== undefined && completions > 0) {
    const hostname = `${name}-${completions - 1}`;
    if (isDNS1123Label(hostname).length) {
      errs.push(fieldErrors.invalid('metadata.name', name, `will not able to create pod with invalid DNS label: ${hostname}`));
    }
  }
  return errs;
};

function timeZoneErrors(tz: string, path: string): FieldError[] {
  if (tz.length === 0) return [fieldErrors.invalid(path, tz, 'timeZone must be nil or non-empty string')];
  for (const part of tz.split('/')) {
    if (part === '.' || part === '..' || part.startsWith('-') || !/^[A-Za-z.\-_0-9+]{1,14}$/.test(part)) {
      return [fieldErrors.invalid(path, tz, `unknown time zone ${tz}`)];
    }
  }
  const errs: FieldError[] = [];
  if (tz.toLowerCase() === 'local') errs.push(fieldErrors.invalid(path, tz, 'timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones'));
  if (!isKnownTimeZone(tz)) errs.push(fieldErrors.invalid(path, tz, `unknown time zone ${tz}`));
  return errs;
}

const validateCronJobSpec: Validator = (spec, path, ctx: ValidationContext) => {
  const errs: FieldError[] = [];
  const old = ctx.operation === 'update' ? obj(ctx.old) : undefined;
  const schedule = str(spec.schedule) ?? '';
  const schedulePath = child(path, 'schedule');
  if (schedule !== '') {
    const parsed = parseCronSchedule(schedule);
    if (!parsed.ok) errs.push(fieldErrors.invalid(schedulePath, schedule, parsed.error));
    // TZ= in the schedule is only tolerated on objects that already used it.
    const allowTZ = (str(old?.schedule) ?? '').includes('TZ');
    if (allowTZ && schedule.includes('TZ') && spec.timeZone !== undefined) {
      errs.push(fieldErrors.invalid(schedulePath, schedule, 'cannot use both timeZone field and TZ or CRON_TZ in schedule'));
    } else if (!allowTZ && schedule.includes('TZ')) {
      errs.push(fieldErrors.invalid(schedulePath, schedule, 'cannot use TZ or CRON_TZ in schedule, use timeZone field instead'));
    }
  }
  const tz = str(spec.timeZone);
  if (tz !== undefined && (!old || old.timeZone !== tz)) errs.push(...timeZoneErrors(tz, child(path, 'timeZone')));
  // A missing template is an empty Job spec, judged like one.
  if (spec.jobTemplate === undefined) errs.push(...jobSpecErrors({}, child(path, 'jobTemplate.spec')));
  return errs;
};

const validateJobTemplateSpec: Validator = (tpl, path) => {
  const errs: FieldError[] = [];
  const spec = obj(tpl.spec);
  if (!spec) return jobSpecErrors({}, child(path, 'spec'));
  // Each Job created from the template gets its own generated selector.
  if (spec.selector !== undefined) errs.push(fieldErrors.invalid(child(path, 'spec.selector'), spec.selector, '`selector` will be auto-generated'));
  if (spec.manualSelector === true) errs.push(fieldErrors.notSupported(child(path, 'spec.manualSelector'), true, ['nil', 'false']));
  return errs;
};

const validateCronJob: Validator = (cj, _path, ctx: ValidationContext) => {
  // Job names get an 11-character suffix and must stay DNS labels (63), so CronJob names stop at 52.
  const name = str(obj(cj.metadata)?.name) ?? '';
  if (ctx.operation === 'create' && name.length > 52) return [fieldErrors.invalid('metadata.name', name, 'must be no more than 52 characters')];
  return [];
};

export const batchValidators: Record<string, Validator> = {
  [JOB_SPEC]: (spec, path) => jobSpecErrors(spec, path),
  [JOB]: validateJob,
  [JOB_TEMPLATE_SPEC]: validateJobTemplateSpec,
  [CRON_JOB_SPEC]: validateCronJobSpec,
  [CRON_JOB]: validateCronJob,
};
