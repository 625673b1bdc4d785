// batch/v1 defaulting and validation hooks, the cron schedule parser, and a Job/CronJob through the engine.
import t from 'tap';
import type { JsonObject } from '../../../src/json.js';
import { applyDefaults } from '../../../src/schema/defaulting.js';
import type { Validator } from '../../../src/schema/module.js';
import { validateObject } from '../../../src/schema/validation.js';
import { parseCronSchedule } from '../../../src/types/batch-v1/cron.js';
import { batchModule } from '../../../src/types/batch-v1/index.js';
import { CREATE, messages, registryWith, update } from './helpers/modules.js';

const B = 'io.k8s.api.batch.v1';
const defaultJob = batchModule.defaulters![`${B}.Job`]!;
const validator = (n: string): Validator => batchModule.validators![`${B}.${n}`]!;
const UID = '3f1c0e7a-1111-2222-3333-444455556666';

const podTemplate = (restartPolicy: string | undefined, labels?: JsonObject): JsonObject => ({
  metadata: labels ? { labels } : {},
  spec: { containers: [{ name: 'main', image: 'busybox' }], initContainers: [{ name: 'init', image: 'busybox' }], ...(restartPolicy ? { restartPolicy } : {}) },
});

const newJob = (spec: JsonObject, meta: JsonObject = {}): JsonObject => ({ metadata: { name: 'pi', namespace: 'default', uid: UID, ...meta }, spec });

t.test('Job defaults: counts, limits, mode, suspend, replacement policy', async (t) => {
  const job = newJob({ template: podTemplate('Never') });
  defaultJob(job);
  const spec = job.spec as JsonObject;
  t.equal(spec.completions, 1);
  t.equal(spec.parallelism, 1);
  t.equal(spec.backoffLimit, 6);
  t.equal(spec.completionMode, 'NonIndexed');
  t.equal(spec.suspend, false);
  t.equal(spec.podReplacementPolicy, 'TerminatingOrFailed');

  const parallel = newJob({ parallelism: 3, template: podTemplate('Never') });
  defaultJob(parallel);
  t.notOk('completions' in (parallel.spec as JsonObject), 'completions stays unset when parallelism is given');

  const perIndex = newJob({ completions: 4, backoffLimitPerIndex: 1, podFailurePolicy: { rules: [] }, template: podTemplate('Never') });
  defaultJob(perIndex);
  t.equal((perIndex.spec as JsonObject).parallelism, 1);
  t.equal((perIndex.spec as JsonObject).backoffLimit, 2147483647);
  t.equal((perIndex.spec as JsonObject).podReplacementPolicy, 'Failed');
});

t.test('Job defaults generate the selector and labels from the uid', async (t) => {
  const job = newJob({ template: podTemplate('Never') });
  defaultJob(job);
  const spec = job.spec as JsonObject;
  t.same(spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': UID } });
  const expected = { 'job-name': 'pi', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': UID, 'batch.kubernetes.io/controller-uid': UID };
  t.same(((spec.template as JsonObject).metadata as JsonObject).labels, expected);
  // With no labels of its own the Job shows its pod labels.
  t.same((job.metadata as JsonObject).labels, expected);

  const labelled = newJob({ template: podTemplate('Never', { app: 'pi' }) });
  defaultJob(labelled);
  t.same((labelled.metadata as JsonObject).labels, { app: 'pi' }, 'the user template labels, copied before generation');

  const own = newJob({ template: podTemplate('Never', { app: 'pi' }) }, { labels: { team: 'x' } });
  defaultJob(own);
  t.same((own.metadata as JsonObject).labels, { team: 'x' });

  const manual = newJob({ manualSelector: true, selector: { matchLabels: { app: 'pi' } }, template: podTemplate('Never', { app: 'pi' }) });
  defaultJob(manual);
  t.same((manual.spec as JsonObject).selector, { matchLabels: { app: 'pi' } });
  t.same(((manual.spec as JsonObject).template as JsonObject).metadata, { labels: { app: 'pi' } });

  const noUid: JsonObject = { metadata: { name: 'pi' }, spec: { template: podTemplate('Never') } };
  defaultJob(noUid);
  t.notOk((noUid.spec as JsonObject).selector, 'nothing to generate from without a uid');
});

t.test('Job spec: restart policy', async (t) => {
  const v = validator('JobSpec');
  t.same(v({ template: podTemplate('Never') }, 'spec', CREATE), []);
  t.same(v({ template: podTemplate('OnFailure') }, 'spec', CREATE), []);
  t.same(messages(v({ template: podTemplate('Always') }, 'spec', CREATE)), ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  t.same(messages(v({ template: podTemplate(undefined) }, 'spec', CREATE)), ['spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"']);
  t.same(messages(v({ template: podTemplate('Sometimes') }, 'spec', CREATE)), [
    'spec.template.spec.restartPolicy: Unsupported value: "Sometimes": supported values: "OnFailure", "Never"',
  ]);
  t.same(messages(v({ podFailurePolicy: { rules: [{ action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget' }] }] }, template: podTemplate('OnFailure') }, 'spec', CREATE)), [
    'spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified',
  ]);
  t.same(messages(v({}, 'spec.jobTemplate.spec', CREATE)), [
    'spec.jobTemplate.spec.template.spec.containers: Required value',
    'spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
  ]);
});

t.test('Job spec: indexed mode and per-index limits', async (t) => {
  const v = validator('JobSpec');
  const tpl = podTemplate('Never');
  t.same(messages(v({ completionMode: 'Indexed', template: tpl }, 'spec', CREATE)), ['spec.completions: Required value: when completion mode is Indexed']);
  t.same(messages(v({ completionMode: 'Indexed', completions: 3, parallelism: 100001, template: tpl }, 'spec', CREATE)), [
    'spec.parallelism: Invalid value: 100001: must be less than or equal to 100000 when completion mode is Indexed',
  ]);
  t.same(messages(v({ completionMode: 'Indexed', completions: 2, backoffLimitPerIndex: 1, maxFailedIndexes: 3, template: tpl }, 'spec', CREATE)), [
    'spec.maxFailedIndexes: Invalid value: 3: must be less than or equal to completions',
  ]);
  t.same(messages(v({ completionMode: 'NonIndexed', backoffLimitPerIndex: 1, maxFailedIndexes: 1, template: tpl }, 'spec', CREATE)), [
    'spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode',
    'spec.maxFailedIndexes: Invalid value: 1: requires indexed completion mode',
  ]);
  t.same(messages(v({ completionMode: 'Indexed', completions: 2, maxFailedIndexes: 1, template: tpl }, 'spec', CREATE)), [
    'spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified',
  ]);
  t.same(messages(v({ completionMode: 'Indexed', completions: 200000, parallelism: 20000, backoffLimitPerIndex: 1, template: tpl }, 'spec', CREATE)), [
    'spec.maxFailedIndexes: Required value: must be specified when completions is above 100000',
    'spec.parallelism: Invalid value: 20000: must be less than or equal to 10000 when completions are above 100000 and used with backoff limit per index',
  ]);
  t.same(messages(v({ managedBy: 'nodomain', template: tpl }, 'spec', CREATE)), [
    'spec.managedBy: Invalid value: "nodomain": must be a domain-prefixed path (such as "acme.io/foo")',
  ]);
  t.same(v({ managedBy: 'kueue.x-k8s.io/multikueue', template: tpl }, 'spec', CREATE), []);
});

t.test('Job spec: pod failure policy', async (t) => {
  const v = validator('JobSpec');
  const tpl = podTemplate('Never');
  const withRules = (rules: JsonObject[], extra: JsonObject = {}): JsonObject => ({ podFailurePolicy: { rules }, template: tpl, ...extra });
  t.same(v(withRules([{ action: 'FailJob', onExitCodes: { operator: 'In', values: [1, 2] } }]), 'spec', CREATE), []);
  t.same(
    messages(
      v(
        withRules([
          { onExitCodes: { containerName: 'nope', values: [0, 3, 3, 1] } },
          { action: 'FailIndex', onExitCodes: { operator: 'In', values: [] }, onPodConditions: [{ type: 'X', status: 'True' }] },
          { action: 'Count' },
        ]),
        'spec',
        CREATE,
      ),
    ),
    [
      'spec.podFailurePolicy.rules[0].action: Required value: valid values: ["Count" "FailIndex" "FailJob" "Ignore"]',
      'spec.podFailurePolicy.rules[0].onExitCodes.operator: Required value: valid values: ["In" "NotIn"]',
      'spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "nope": must be one of the container or initContainer names in the pod template',
      'spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 3',
      'spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: [0,3,3,1]: must be ordered',
      'spec.podFailurePolicy.rules[1].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set',
      'spec.podFailurePolicy.rules[1].onExitCodes.values: Invalid value: []: at least one value is required',
      'spec.podFailurePolicy.rules[1]: Invalid value: null: specifying both OnExitCodes and OnPodConditions is not supported',
      'spec.podFailurePolicy.rules[2]: Invalid value: null: specifying one of OnExitCodes and OnPodConditions is required',
    ],
  );
  const noType = messages(v(withRules([{ action: 'Ignore', onPodConditions: [{ status: 'True' }] }]), 'spec', CREATE));
  t.equal(noType.length, 2);
  t.equal(noType[0], 'spec.podFailurePolicy.rules[0].onPodConditions[0].type: Invalid value: "": name part must be non-empty');
  t.match(noType[1], /^spec\.podFailurePolicy\.rules\[0\]\.onPodConditions\[0\]\.type: Invalid value: "": name part must consist of/);
  t.same(messages(v(withRules([{ action: 'Ignore', onExitCodes: { operator: 'In', values: [0] } }]), 'spec', CREATE)), [
    'spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator',
  ]);
  t.same(messages(v(withRules([{ action: 'Ignore', onPodConditions: [{ type: 'X' }] }], { podReplacementPolicy: 'TerminatingOrFailed' }), 'spec', CREATE)), [
    'spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"',
  ]);
});

t.test('Job spec: success policy', async (t) => {
  const v = validator('JobSpec');
  const tpl = podTemplate('Never');
  const indexed = (successPolicy: JsonObject): JsonObject => ({ completionMode: 'Indexed', completions: 5, successPolicy, template: tpl });
  t.same(v(indexed({ rules: [{ succeededIndexes: '0,2-4', succeededCount: 2 }] }), 'spec', CREATE), []);
  t.same(messages(v({ successPolicy: { rules: [] }, template: tpl }, 'spec', CREATE)), [
    'spec.successPolicy: Invalid value: {"rules":[]}: requires indexed completion mode',
  ]);
  t.same(messages(v(indexed({ rules: [] }), 'spec', CREATE)), [
    'spec.successPolicy.rules: Required value: at least one rules must be specified when the successPolicy is specified',
  ]);
  t.same(messages(v(indexed({ rules: [{}, { succeededIndexes: '3,1' }, { succeededIndexes: '0-1', succeededCount: 6 }, { succeededIndexes: '9' }] }), 'spec', CREATE)), [
    'spec.successPolicy.rules[0]: Required value: at least one of succeededCount or succeededIndexes must be specified',
    'spec.successPolicy.rules[1].succeededIndexes: Invalid value: "3,1": error parsing succeededIndexes: non-increasing order, previous: 3, current: 1',
    'spec.successPolicy.rules[2].succeededCount: Invalid value: 6: must be less than or equal to 5 (the number of specified completions)',
    'spec.successPolicy.rules[2].succeededCount: Invalid value: 6: must be less than or equal to 2 (the number of indexes in the specified succeededIndexes field)',
    'spec.successPolicy.rules[3].succeededIndexes: Invalid value: "9": error parsing succeededIndexes: too large index: "9"',
  ]);
});

t.test('Job: generated selector, template match and indexed hostnames on create', async (t) => {
  const v = validator('Job');
  const job = newJob({ template: podTemplate('Never') });
  defaultJob(job);
  t.same(v(job, '', CREATE), []);

  const tampered = newJob({ template: podTemplate('Never', { 'controller-uid': 'other' }) });
  defaultJob(tampered);
  // The generated selector still selects the pods (by the prefixed label); the legacy label is wrong.
  const errs = messages(v(tampered, '', CREATE));
  t.equal(errs.length, 1);
  t.match(errs[0], /^spec\.template\.metadata\.labels\[controller-uid\]: Invalid value: \{.*\}: must be '3f1c0e7a-1111-2222-3333-444455556666'$/);

  const foreign = newJob({ selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'other' } }, template: podTemplate('Never') });
  defaultJob(foreign);
  t.same(messages(v(foreign, '', CREATE)).map((m) => m.replace(/: Invalid value: .*: /, ': ')), [
    'spec.template.metadata.labels: `selector` does not match template `labels`',
    'spec.selector: `selector` not auto-generated',
  ]);

  const noSelector = newJob({ manualSelector: true, template: podTemplate('Never') });
  t.same(messages(v(noSelector, '', CREATE)), [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: null: `selector` does not match template `labels`',
  ]);

  const long = newJob({ completionMode: 'Indexed', completions: 10, manualSelector: true, selector: { matchLabels: { a: 'b' } }, template: podTemplate('Never', { a: 'b' }) }, { name: 'x'.repeat(62) });
  t.same(messages(v(long, '', CREATE)), [`metadata.name: Invalid value: "${'x'.repeat(62)}": will not able to create pod with invalid DNS label: ${'x'.repeat(62)}-9`]);
});

t.test('Job updates: immutable fields, elastic indexed jobs, scheduling directives of suspended jobs', async (t) => {
  const v = validator('Job');
  const old = newJob({ template: podTemplate('Never'), suspend: true });
  defaultJob(old);
  const changed = structuredClone(old);
  const spec = changed.spec as JsonObject;
  spec.completions = 3;
  spec.completionMode = 'Indexed';
  t.same(messages(v(changed, '', update(old))), [
    'spec.completions: Invalid value: 3: can only be modified in tandem with spec.parallelism',
    'spec.completionMode: Invalid value: "Indexed": field is immutable',
  ]);
  const nonIndexed = structuredClone(old);
  (nonIndexed.spec as JsonObject).completions = 2;
  t.same(messages(v(nonIndexed, '', update(old))), ['spec.completions: Invalid value: 2: field is immutable']);

  const scheduled = structuredClone(old);
  const podSpec = ((scheduled.spec as JsonObject).template as JsonObject).spec as JsonObject;
  podSpec.nodeSelector = { zone: 'a' };
  t.same(v(scheduled, '', update(old)), [], 'node selector may change while suspended and not started');
  const started = { ...structuredClone(old), status: { startTime: '2024-01-01T00:00:00Z' } };
  t.same(messages(v(scheduled, '', update(started))).map((m) => m.split(':')[0]), ['spec.template']);
  podSpec.containers = [{ name: 'main', image: 'other' }];
  t.same(messages(v(scheduled, '', update(old))).map((m) => m.split(':')[0]), ['spec.template']);
});

t.test('JobTemplateSpec: the selector is always generated', async (t) => {
  const v = validator('JobTemplateSpec');
  t.same(v({ spec: { template: podTemplate('Never') } }, 'spec.jobTemplate', CREATE), []);
  t.same(messages(v({ spec: { selector: { matchLabels: { a: 'b' } }, manualSelector: true } }, 'spec.jobTemplate', CREATE)), [
    'spec.jobTemplate.spec.selector: Invalid value: {"matchLabels":{"a":"b"}}: `selector` will be auto-generated',
    'spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "nil", "false"',
  ]);
});

t.test('CronJob spec: schedule, TZ, time zone', async (t) => {
  const v = validator('CronJobSpec');
  const jobTemplate = { spec: { template: podTemplate('Never') } };
  t.same(v({ schedule: '*/5 * * * *', jobTemplate }, 'spec', CREATE), []);
  t.same(v({ schedule: '@hourly', timeZone: 'Europe/Berlin', jobTemplate }, 'spec', CREATE), []);
  t.same(messages(v({ schedule: '* * *', jobTemplate }, 'spec', CREATE)), ['spec.schedule: Invalid value: "* * *": expected exactly 5 fields, found 3: [* * *]']);
  t.same(messages(v({ schedule: 'TZ=UTC 0 * * * *', jobTemplate }, 'spec', CREATE)), [
    'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead',
  ]);
  // Objects that already used TZ= may keep it, but not together with the field.
  t.same(v({ schedule: 'TZ=UTC 0 * * * *', jobTemplate }, 'spec', update({ schedule: 'TZ=UTC 5 * * * *' })), []);
  t.same(messages(v({ schedule: 'TZ=UTC 0 * * * *', timeZone: 'UTC', jobTemplate }, 'spec', update({ schedule: 'TZ=UTC 5 * * * *', timeZone: 'UTC' }))), [
    'spec.schedule: Invalid value: "TZ=UTC 0 * * * *": cannot use both timeZone field and TZ or CRON_TZ in schedule',
  ]);
  t.same(messages(v({ schedule: '0 * * * *', timeZone: 'Mars/Olympus', jobTemplate }, 'spec', CREATE)), [
    'spec.timeZone: Invalid value: "Mars/Olympus": unknown time zone Mars/Olympus',
  ]);
  t.same(messages(v({ schedule: '0 * * * *', timeZone: '../etc', jobTemplate }, 'spec', CREATE)), ['spec.timeZone: Invalid value: "../etc": unknown time zone ../etc']);
  t.same(messages(v({ schedule: '0 * * * *', timeZone: '', jobTemplate }, 'spec', CREATE)), ['spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string']);
  t.same(messages(v({ schedule: '0 * * * *', timeZone: 'Local', jobTemplate }, 'spec', CREATE)), [
    'spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones',
  ]);
  // An unchanged (stored) time zone is not re-checked.
  t.same(v({ schedule: '0 * * * *', timeZone: 'Mars/Olympus', jobTemplate }, 'spec', update({ schedule: '0 * * * *', timeZone: 'Mars/Olympus' })), []);
});

t.test('CronJob names stop at 52 characters on create', async (t) => {
  const v = validator('CronJob');
  t.same(messages(v({ metadata: { name: 'c'.repeat(53) } }, '', CREATE)), [`metadata.name: Invalid value: "${'c'.repeat(53)}": must be no more than 52 characters`]);
  t.same(v({ metadata: { name: 'c'.repeat(53) } }, '', update({})), []);
  t.same(v({ metadata: { name: 'c'.repeat(52) } }, '', CREATE), []);
});

t.test('cron schedule parser', async (t) => {
  const err = (s: string): string | undefined => {
    const r = parseCronSchedule(s);
    return r.ok ? undefined : r.error;
  };
  for (const ok of ['0 0 * * *', '*/15 9-17 * * MON-FRI', '0 0 1 jan,jul ?', '@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly', '@every 1h30m', '5/10 * * * *']) {
    t.equal(err(ok), undefined, ok);
  }
  t.equal(err(''), 'empty spec string');
  t.equal(err('* * * * * *'), 'expected exactly 5 fields, found 6: [* * * * * *]');
  t.equal(err('60 * * * *'), 'end of range (60) above maximum (59): 60');
  t.equal(err('* * 0 * *'), 'beginning of range (0) below minimum (1): 0');
  t.equal(err('5-1 * * * *'), 'beginning of range (5) beyond end of range (1): 5-1');
  t.equal(err('1-2-3 * * * *'), 'too many hyphens: 1-2-3');
  t.equal(err('*/2/3 * * * *'), 'too many slashes: */2/3');
  t.equal(err('*/0 * * * *'), 'step of range should be a positive number: */0');
  t.equal(err('x * * * *'), 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax');
  t.equal(err('* * * * 7'), 'end of range (7) above maximum (6): 7');
  t.equal(err('@often'), 'unrecognized descriptor: @often');
  t.equal(err('@every 5 minutes'), 'failed to parse duration @every 5 minutes: time: unknown unit " minutes" in duration "5 minutes"');
  t.equal(err('@every soon'), 'failed to parse duration @every soon: time: invalid duration "soon"');
  t.equal(err('@every 5x'), 'failed to parse duration @every 5x: time: unknown unit "x" in duration "5x"');
  t.equal(err('TZ=Nowhere/Land 0 * * * *'), 'provided bad location Nowhere/Land: unknown time zone Nowhere/Land');
  const parsed = parseCronSchedule('*/20 1,2 * * *');
  t.ok(parsed.ok);
  if (parsed.ok && parsed.schedule.kind === 'fields') {
    t.same([...parsed.schedule.minute.values], [0, 20, 40]);
    t.same([...parsed.schedule.hour.values], [1, 2]);
    t.ok(parsed.schedule.dom.star);
  }
  const every = parseCronSchedule('@every 90s');
  t.same(every.ok && every.schedule, { kind: 'every', seconds: 90 });
});

t.test('a Job and a CronJob through the schema engine', async (t) => {
  const reg = registryWith(batchModule);
  const job: JsonObject = { apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'pi', namespace: 'default', uid: UID }, spec: { template: podTemplate('Never') } };
  applyDefaults(reg, `${B}.Job`, job);
  t.equal((job.spec as JsonObject).backoffLimit, 6);
  t.same(validateObject(reg, `${B}.Job`, job), []);

  const cj: JsonObject = {
    metadata: { name: 'nightly', namespace: 'default', uid: UID },
    spec: { schedule: '0 3 * * *', jobTemplate: { spec: { template: podTemplate('OnFailure') } } },
  };
  applyDefaults(reg, `${B}.CronJob`, cj);
  const spec = cj.spec as JsonObject;
  t.same([spec.concurrencyPolicy, spec.suspend, spec.successfulJobsHistoryLimit, spec.failedJobsHistoryLimit], ['Allow', false, 3, 1]);
  t.notOk('backoffLimit' in ((spec.jobTemplate as JsonObject).spec as JsonObject), 'job templates are not defaulted like Jobs');
  t.same(validateObject(reg, `${B}.CronJob`, cj), []);

  const bad: JsonObject = { metadata: { name: 'x' }, spec: { concurrencyPolicy: 'Sometimes', jobTemplate: { spec: { template: podTemplate('Never') } } } };
  applyDefaults(reg, `${B}.CronJob`, bad);
  t.same(messages(validateObject(reg, `${B}.CronJob`, bad)), [
    'spec.schedule: Required value',
    'spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", "Forbid", "Replace"',
  ]);
});
