// The Job controller's decisions on fixtures: counting, failure and success conditions, pod management, the pod
// failure backoff, finalizer tracking, Indexed Jobs, and whole Job lifecycles replayed through the pure steps.
import t from 'tap';
import type { Job, JobStatus, Pod } from '@k8ts/api-machinery';
import { FakeClock } from '@k8ts/client';
import { FinalizerExpectations } from '../../src/controllers/job/finalizer-expectations.js';
import { matchPodFailurePolicy } from '../../src/controllers/job/pod-failure-policy.js';
import {
  COMPLETION_INDEX_ANNOTATION,
  OrderedIntervals,
  firstPendingIndexes,
  indexedGenerateName,
  surplusIndexedPods,
} from '../../src/controllers/job/indexes.js';
import {
  JOB_TRACKING_FINALIZER,
  NO_BACKOFF,
  assessJob,
  cleanUncounted,
  decideManage,
  enactFinished,
  ensureConditionStatus,
  finishedEvents,
  isComplete,
  isJobFinished,
  metaTime,
  nextBackoffRecord,
  pastBackoffLimitOnFailure,
  planTracking,
  podFinishedTime,
  podTemplateFor,
  remainingBackoffMs,
  successCondition,
  suspendTransition,
  wantActive,
  type BackoffRecord,
  type JobSyncState,
} from '../../src/controllers/job/job-logic.js';

const START = Date.parse('2026-11-23T12:00:00Z');
const BACKOFF = { baseMs: 10_000, maxMs: 600_000 };

interface JobOpts {
  completions?: number | null;
  parallelism?: number;
  backoffLimit?: number;
  activeDeadlineSeconds?: number;
  suspend?: boolean;
  indexed?: boolean;
  restartPolicy?: 'Never' | 'OnFailure';
  podReplacementPolicy?: 'Failed' | 'TerminatingOrFailed';
  status?: JobStatus;
}

function job(opts: JobOpts = {}): Job {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: 'pi', namespace: 'default', uid: 'job-uid', generation: 1 },
    spec: {
      ...(opts.completions === null ? {} : { completions: opts.completions ?? 1 }),
      parallelism: opts.parallelism ?? 1,
      backoffLimit: opts.backoffLimit ?? 6,
      completionMode: opts.indexed ? 'Indexed' : 'NonIndexed',
      suspend: opts.suspend ?? false,
      podReplacementPolicy: opts.podReplacementPolicy ?? 'TerminatingOrFailed',
      ...(opts.activeDeadlineSeconds !== undefined ? { activeDeadlineSeconds: opts.activeDeadlineSeconds } : {}),
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'job-uid' } },
      template: {
        metadata: { labels: { 'batch.kubernetes.io/controller-uid': 'job-uid', 'batch.kubernetes.io/job-name': 'pi' } },
        spec: { restartPolicy: opts.restartPolicy ?? 'Never', containers: [{ name: 'c', image: 'busybox' }] },
      },
    },
    ...(opts.status ? { status: opts.status } : {}),
  };
}

interface PodOpts {
  phase?: 'Pending' | 'Running' | 'Succeeded' | 'Failed';
  ready?: boolean;
  finalizer?: boolean;
  deleting?: boolean;
  index?: number;
  finishedAt?: number;
  created?: number;
  restarts?: number;
  node?: string;
}

function pod(name: string, opts: PodOpts = {}): Pod {
  const phase = opts.phase ?? 'Running';
  const finished = opts.finishedAt ?? START;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      creationTimestamp: new Date(opts.created ?? START - 60_000).toISOString(),
      ...(opts.finalizer === false ? {} : { finalizers: [JOB_TRACKING_FINALIZER] }),
      ...(opts.deleting ? { deletionTimestamp: new Date(START).toISOString(), deletionGracePeriodSeconds: 30 } : {}),
      ...(opts.index !== undefined ? { annotations: { [COMPLETION_INDEX_ANNOTATION]: String(opts.index) } } : {}),
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: 'pi', uid: 'job-uid', controller: true }],
    },
    spec: { containers: [{ name: 'c', image: 'busybox' }], ...(opts.node === undefined ? { nodeName: 'n1' } : opts.node ? { nodeName: opts.node } : {}) },
    status: {
      phase,
      conditions: [{ type: 'Ready', status: opts.ready ?? phase === 'Running' ? 'True' : 'False', lastTransitionTime: new Date(START - 30_000).toISOString() }],
      containerStatuses: [
        {
          name: 'c',
          image: 'busybox',
          imageID: '',
          ready: phase === 'Running',
          restartCount: opts.restarts ?? 0,
          state:
            phase === 'Succeeded' || phase === 'Failed'
              ? { terminated: { exitCode: phase === 'Failed' ? 1 : 0, finishedAt: new Date(finished).toISOString() } }
              : { running: { startedAt: new Date(START - 50_000).toISOString() } },
        },
      ],
    },
  };
}

function assess(j: Job, pods: Pod[], nowMs = START, backoff: BackoffRecord = NO_BACKOFF, expected = new Set<string>()): JobSyncState {
  return assessJob({ job: j, pods, expectedRmFinalizers: expected, backoff, nowMs });
}

t.test('counting pods', async (t) => {
  const s = assess(job({ completions: 5, parallelism: 3 }), [
    pod('a', { phase: 'Running' }),
    pod('b', { phase: 'Pending', ready: false }),
    pod('c', { phase: 'Running', deleting: true }),
    pod('d', { phase: 'Succeeded' }),
    pod('e', { phase: 'Failed' }),
    pod('f', { phase: 'Succeeded', finalizer: false }),
  ]);
  t.equal(s.active, 2, 'pending and running, not terminating');
  t.equal(s.ready, 1);
  t.equal(s.terminating, 1);
  t.equal(s.succeeded, 1, 'only the succeeded pod with a finalizer is new; the other was counted before');
  t.equal(s.failed, 2, 'failed, and deleted before succeeding');
  t.equal(s.job.status.startTime, metaTime(START), 'the first sync starts the Job');
  t.same(s.job.status.uncountedTerminatedPods, {});

  const counted = assess(
    job({ completions: 5, status: { succeeded: 2, failed: 1, uncountedTerminatedPods: { succeeded: ['uid-d'] }, startTime: '2026-01-01T00:00:00Z' } }),
    [pod('d', { phase: 'Succeeded' })],
  );
  t.equal(counted.succeeded, 3, 'status counters plus uncounted UIDs (a pod in the uncounted list is not new)');
  t.equal(counted.failed, 1);
  t.equal(counted.job.status.startTime, '2026-01-01T00:00:00Z', 'startTime is kept');
  t.equal(assess(job({ suspend: true }), []).job.status.startTime, undefined, 'a suspended Job does not start');

  const failedOnly = assess(job({ podReplacementPolicy: 'Failed' }), [pod('x', { deleting: true })]);
  t.equal(failedOnly.failed, 0, 'with podReplacementPolicy Failed a terminating pod is not a failure yet');

  const expected = assess(job(), [pod('e', { phase: 'Failed' })], START, NO_BACKOFF, new Set(['uid-e']));
  t.equal(expected.failed, 0, 'a pod whose finalizer removal is pending was counted already');
});

t.test('failure conditions', async (t) => {
  const limit = assess(job({ backoffLimit: 1, status: { failed: 1 } }), [pod('x', { phase: 'Failed' })]);
  t.same(
    { type: limit.finishedCondition?.type, reason: limit.finishedCondition?.reason, message: limit.finishedCondition?.message },
    { type: 'FailureTarget', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' },
    'more failures than backoffLimit: FailureTarget first (1.32 delays the terminal condition)',
  );
  t.equal(assess(job({ backoffLimit: 1 }), [pod('x', { phase: 'Failed' })]).finishedCondition, undefined, 'failures == backoffLimit is still fine');
  t.equal(assess(job({ backoffLimit: 0 }), [pod('x', { phase: 'Failed' })]).finishedCondition?.reason, 'BackoffLimitExceeded', 'backoffLimit 0: the first failure fails the Job');

  const started = { startTime: metaTime(START - 10_000) };
  const early = assess(job({ activeDeadlineSeconds: 30, status: started }), [pod('a')]);
  t.equal(early.finishedCondition, undefined);
  t.equal(early.deadlineRequeueMs, 20_000, 'look again when the deadline passes');
  const late = assess(job({ activeDeadlineSeconds: 10, status: started }), [pod('a')]);
  t.same([late.finishedCondition?.type, late.finishedCondition?.reason, late.finishedCondition?.message], ['FailureTarget', 'DeadlineExceeded', 'Job was active longer than specified deadline']);
  t.equal(assess(job({ activeDeadlineSeconds: 10, suspend: true, status: started }), []).finishedCondition, undefined, 'no deadline while suspended');

  const target = assess(job({ status: { conditions: [{ type: 'FailureTarget', status: 'True', reason: 'DeadlineExceeded', message: 'm' }] } }), []);
  t.same([target.finishedCondition?.type, target.finishedCondition?.reason], ['Failed', 'DeadlineExceeded'], 'an earlier FailureTarget becomes Failed');
  const met = assess(job({ status: { conditions: [{ type: 'SuccessCriteriaMet', status: 'True', reason: 'CompletionsReached' }] } }), []);
  t.equal(met.finishedCondition?.type, 'SuccessCriteriaMet', 'an earlier SuccessCriteriaMet stays the target');

  const onFailure = job({ restartPolicy: 'OnFailure', backoffLimit: 2 });
  t.equal(pastBackoffLimitOnFailure(onFailure, [pod('a', { restarts: 1 })]), false);
  t.equal(pastBackoffLimitOnFailure(onFailure, [pod('a', { restarts: 1 }), pod('b', { restarts: 1 })]), true, 'restarts of running pods count with OnFailure');
  t.equal(pastBackoffLimitOnFailure(job({ backoffLimit: 2 }), [pod('a', { restarts: 5 })]), false, 'not with Never');
});

t.test('how many pods a Job wants', async (t) => {
  t.equal(wantActive(job({ completions: 5, parallelism: 2 }), 0, 0), 2, 'parallelism');
  t.equal(wantActive(job({ completions: 5, parallelism: 3 }), 4, 0), 1, 'never more than the remaining completions');
  t.equal(wantActive(job({ completions: 5, parallelism: 3 }), 6, 0), 0);
  t.equal(wantActive(job({ completions: null, parallelism: 3 }), 0, 1), 3, 'a work queue runs parallelism pods ...');
  t.equal(wantActive(job({ completions: null, parallelism: 3 }), 1, 2), 2, '... until one succeeds, then lets the rest finish');
  t.equal(isComplete(job({ completions: null }), 1, 1), false);
  t.equal(isComplete(job({ completions: null }), 1, 0), true);
  t.equal(isComplete(job({ completions: 3 }), 3, 0), true);
  t.equal(isComplete(job({ completions: 3 }), 2, 0), false);
});

t.test('managing pods', async (t) => {
  const j = job({ completions: 4, parallelism: 2 });
  t.same(decideManage(assess(j, []), BACKOFF, START), { action: 'create', count: 2, indexes: undefined });
  t.same(decideManage(assess(j, [pod('a')]), BACKOFF, START), { action: 'create', count: 1, indexes: undefined });
  t.same(decideManage(assess(j, [pod('a'), pod('b')]), BACKOFF, START), { action: 'none' });
  const surplus = decideManage(assess(j, [pod('a'), pod('b', { phase: 'Pending', ready: false }), pod('c', { node: '' })]), BACKOFF, START);
  t.equal(surplus.action, 'delete');
  t.same(surplus.action === 'delete' ? surplus.pods.map((p) => p.metadata?.name) : [], ['c'], 'the unscheduled pod goes first');
  const nearlyDone = decideManage(assess(job({ completions: 4, parallelism: 2, status: { succeeded: 3 } }), [pod('a'), pod('b')]), BACKOFF, START);
  t.equal(nearlyDone.action === 'delete' ? nearlyDone.pods.length : 0, 1, 'one completion left: one pod is enough');

  const suspended = decideManage(assess(job({ suspend: true, completions: 4, parallelism: 2 }), [pod('a'), pod('b')]), BACKOFF, START);
  t.same(suspended.action === 'delete' ? suspended.pods.map((p) => p.metadata?.name).sort() : [], ['a', 'b'], 'suspend removes every active pod');

  const terminating = [pod('a', { deleting: true })];
  t.same(decideManage(assess(j, terminating), BACKOFF, START), { action: 'create', count: 2, indexes: undefined }, 'TerminatingOrFailed replaces a terminating pod at once');
  t.same(
    decideManage(assess(job({ completions: 4, parallelism: 2, podReplacementPolicy: 'Failed' }), terminating), BACKOFF, START),
    { action: 'create', count: 1, indexes: undefined },
    'Failed waits until the terminating pod is gone',
  );

  const failedAt = START - 4_000;
  const afterFailure = assess(j, [pod('x', { phase: 'Failed', finishedAt: failedAt })], START);
  t.same(afterFailure.newBackoff, { failuresAfterLastSuccess: 1, lastFailureTime: failedAt });
  t.same(decideManage(afterFailure, BACKOFF, START), { action: 'wait', delayMs: 6_000 }, 'a replacement waits out the backoff');
  t.same(decideManage(afterFailure, BACKOFF, failedAt + 10_000), { action: 'create', count: 2, indexes: undefined });
});

t.test('pod failure backoff', async (t) => {
  const rec = (n: number, at = START): BackoffRecord => ({ failuresAfterLastSuccess: n, lastFailureTime: at });
  t.equal(remainingBackoffMs(NO_BACKOFF, START, 10_000, 600_000), 0);
  t.same([1, 2, 3, 4, 5, 6, 7, 8].map((n) => remainingBackoffMs(rec(n), START, 10_000, 600_000)), [10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 600_000, 600_000], '10 s doubling, capped');
  t.equal(remainingBackoffMs(rec(2), START + 15_000, 10_000, 600_000), 5_000, 'counted from the last failure');
  t.equal(remainingBackoffMs(rec(2), START + 25_000, 10_000, 600_000), 0);
  t.same(remainingBackoffMs(rec(3), START, 100, 60_000), 400, 'the base is a setting (tests use short ones)');

  const f1 = pod('f1', { phase: 'Failed', finishedAt: START - 3000 });
  const f2 = pod('f2', { phase: 'Failed', finishedAt: START - 1000 });
  const s1 = pod('s1', { phase: 'Succeeded', finishedAt: START - 2000 });
  t.same(nextBackoffRecord(NO_BACKOFF, [], [f2, f1]), { failuresAfterLastSuccess: 2, lastFailureTime: START - 1000 });
  t.same(nextBackoffRecord(rec(3), [], [f1]), { failuresAfterLastSuccess: 4, lastFailureTime: START - 3000 }, 'failures add up');
  t.same(nextBackoffRecord(rec(3), [s1], [f1, f2]), { failuresAfterLastSuccess: 1, lastFailureTime: START - 1000 }, 'a success resets; only later failures count');
  t.same(nextBackoffRecord(rec(3), [s1], []), { failuresAfterLastSuccess: 0 });

  const deleted = pod('d', { deleting: true });
  deleted.status!.containerStatuses = [];
  deleted.status!.conditions = [];
  t.equal(podFinishedTime(deleted), START - 30_000, 'a deleted pod finished at its deletion minus the grace period');
});

t.test('counting finished pods with the tracking finalizer', async (t) => {
  const now = metaTime(START);
  const j = job({ completions: 3, parallelism: 2, status: { startTime: now, active: 2 } });
  const s = assess(j, [pod('a', { phase: 'Succeeded' }), pod('b', { phase: 'Failed' }), pod('c')]);
  const plan = planTracking(s, false, now);
  t.same(plan.podsToRemoveFinalizer.map((p) => p.metadata?.name), ['a', 'b'], 'finished pods lose the finalizer; running ones keep it');
  t.same(s.job.status.uncountedTerminatedPods, { succeeded: ['uid-a'], failed: ['uid-b'] }, 'recorded before the finalizers go');
  t.equal(plan.needsFlush, true);
  t.same([...plan.uidsWithFinalizer].sort(), ['uid-a', 'uid-b', 'uid-c']);
  plan.uidsWithFinalizer.delete('uid-a');
  plan.uidsWithFinalizer.delete('uid-b');
  t.equal(cleanUncounted(s.job.status, plan.uidsWithFinalizer), true);
  t.same([s.job.status.succeeded, s.job.status.failed, s.job.status.uncountedTerminatedPods], [1, 1, {}], 'then they move to the counters');

  const partial: JobStatus = { succeeded: 1, uncountedTerminatedPods: { succeeded: ['x', 'y'], failed: ['z'] } };
  cleanUncounted(partial, new Set(['y']));
  t.same(partial, { succeeded: 2, failed: 1, uncountedTerminatedPods: { succeeded: ['y'] } }, 'a failed finalizer removal keeps its pod uncounted');

  const failing = assess(job({ backoffLimit: 0 }), [pod('x', { phase: 'Failed' }), pod('r')]);
  failing.activePods = [];
  failing.active = 0;
  const fplan = planTracking(failing, false, now);
  t.same(failing.job.status.uncountedTerminatedPods?.failed, ['uid-x', 'uid-r'], 'when the Job fails, unfinished pods count as failed');
  t.same(failing.job.status.conditions?.map((c) => c.type), ['FailureTarget'], 'the interim condition is written first');
  t.equal(failing.finishedCondition?.type, 'Failed', 'the final condition comes later');
  t.equal(fplan.podsToRemoveFinalizer.length, 2);
  t.equal(enactFinished(failing, now), false, 'not while pods are uncounted');
  cleanUncounted(failing.job.status, new Set());
  failing.terminating = 1;
  t.equal(enactFinished(failing, now), false, 'nor while pods terminate');
  failing.terminating = 0;
  t.equal(enactFinished(failing, now), true);
  t.same(
    failing.job.status.conditions?.map((c) => [c.type, c.reason]),
    [
      ['FailureTarget', 'BackoffLimitExceeded'],
      ['Failed', 'BackoffLimitExceeded'],
    ],
  );
  t.equal(failing.job.status.completionTime, undefined, 'a failed Job has no completionTime');
  t.same(finishedEvents(failing.job, failing.finishedCondition!), [{ type: 'Warning', reason: 'BackoffLimitExceeded', message: 'Job has reached the specified backoff limit' }]);
});

t.test('suspend and resume', async (t) => {
  const now = metaTime(START);
  const s = suspendTransition(job({ suspend: true }), now);
  t.same(s.event, { reason: 'Suspended', message: 'Job suspended' });
  t.same(s.conditions.map((c) => [c.type, c.status, c.reason]), [['Suspended', 'True', 'JobSuspended']]);
  t.same(suspendTransition(job({ suspend: true, status: { conditions: s.conditions } }), now).event, undefined, 'once');
  const r = suspendTransition(job({ status: { conditions: s.conditions } }), now);
  t.same([r.event?.reason, r.resetStartTime], ['Resumed', true], 'resuming restarts the deadline clock');
  t.same(r.conditions.map((c) => [c.type, c.status, c.reason]), [['Suspended', 'False', 'JobResumed']]);
  t.same(suspendTransition(job(), now).event, undefined, 'a never-suspended Job gets no condition');
  t.equal(ensureConditionStatus([], 'Suspended', 'False', 'x', 'y', now).changed, false);
});

t.test('Indexed Jobs', async (t) => {
  const iv = OrderedIntervals.parse('0,2-4,7', 10);
  t.equal(iv.total(), 5);
  t.equal(iv.toString(), '0,2-4,7');
  t.equal(iv.withIndexes([1, 5, 9]).toString(), '0-5,7,9');
  t.equal(new OrderedIntervals().withIndexes([3, 4]).toString(), '3,4', 'two neighbours are written with a comma');
  t.equal(OrderedIntervals.parse('0-3,x,5-20', 8).toString(), '0-3,5-7', 'corrupt parts skipped, indexes beyond completions cut');
  t.ok(iv.has(3));
  t.notOk(iv.has(5));

  const active = [pod('p1', { index: 1 }), pod('p3', { index: 3 })];
  t.same(firstPendingIndexes(active, OrderedIntervals.parse('0,4', 8), 3, 8), [2, 5, 6]);
  t.same(firstPendingIndexes([], new OrderedIntervals(), 5, 3), [0, 1, 2], 'never beyond completions');

  const older = pod('dupOld', { index: 2, created: START - 600_000 });
  const newer = pod('dupNew', { index: 2, created: START - 1_000, phase: 'Pending', ready: false });
  const split = surplusIndexedPods([older, newer, pod('noIndex'), pod('tooBig', { index: 9 })], 5, (a, b) => (a.status?.phase === 'Pending' ? -1 : b.status?.phase === 'Pending' ? 1 : 0));
  t.same(split.remove.map((p) => p.metadata?.name).sort(), ['dupNew', 'noIndex', 'tooBig']);
  t.same(split.keep.map((p) => p.metadata?.name), ['dupOld']);
  t.equal(indexedGenerateName('pi', 3), 'pi-3-');
  t.equal(indexedGenerateName('x'.repeat(60), 12).length, 58, 'long names are cut to keep room for the random suffix');

  const ij = job({ indexed: true, completions: 4, parallelism: 2 });
  t.same(decideManage(assess(ij, []), BACKOFF, START), { action: 'create', count: 2, indexes: [0, 1] });
  const withDone = assess(ij, [pod('i0', { index: 0, phase: 'Succeeded' }), pod('i2', { index: 2 })]);
  t.equal(withDone.succeeded, 1, 'succeeded = completed indexes');
  t.same(decideManage(withDone, BACKOFF, START), { action: 'create', count: 1, indexes: [1] });
  const dup = decideManage(assess(ij, [pod('a', { index: 1 }), pod('b', { index: 1 })]), BACKOFF, START);
  t.equal(dup.action === 'delete' ? dup.pods.length : 0, 1, 'a duplicated index loses a pod even below parallelism');

  const tpl = podTemplateFor(ij, 3);
  t.equal(tpl.metadata?.annotations?.[COMPLETION_INDEX_ANNOTATION], '3');
  t.equal(tpl.metadata?.labels?.[COMPLETION_INDEX_ANNOTATION], '3');
  t.equal(tpl.spec?.hostname, 'pi-3');
  t.same(tpl.spec?.containers?.[0]?.env, [
    { name: 'JOB_COMPLETION_INDEX', valueFrom: { fieldRef: { fieldPath: "metadata.labels['batch.kubernetes.io/job-completion-index']" } } },
  ]);
  t.same(tpl.metadata?.finalizers, [JOB_TRACKING_FINALIZER]);
  t.equal(ij.spec?.template?.metadata?.annotations, undefined, 'the Job is not modified');
  t.same(podTemplateFor(job(), undefined).metadata?.finalizers, [JOB_TRACKING_FINALIZER]);

  const now = metaTime(START);
  const s = assess(ij, [pod('i0', { index: 0, phase: 'Succeeded' }), pod('i0b', { index: 0, phase: 'Succeeded' }), pod('i3', { index: 3, phase: 'Succeeded' })]);
  planTracking(s, false, now);
  t.equal(s.job.status.completedIndexes, '0,3');
  t.equal(s.job.status.succeeded, 2, 'an index succeeding twice counts once');
  t.same(s.job.status.uncountedTerminatedPods, {}, 'indexes need no uncounted UIDs');
});

t.test('pod failure policy', async (t) => {
  const policy = {
    rules: [
      { action: 'FailJob' as const, onExitCodes: { containerName: 'c', operator: 'In' as const, values: [42] } },
      { action: 'Ignore' as const, onPodConditions: [{ type: 'DisruptionTarget', status: 'True' as const }] },
      { action: 'Count' as const, onExitCodes: { operator: 'NotIn' as const, values: [1, 2] } },
    ],
  };
  const exited = (name: string, code: number, conditions: Array<{ type: string; status: 'True' | 'False' }> = []): Pod => {
    const p = pod(name, { phase: 'Failed' });
    p.status!.containerStatuses![0]!.state = { terminated: { exitCode: code, finishedAt: new Date(START).toISOString() } };
    p.status!.conditions = conditions;
    return p;
  };
  t.same(matchPodFailurePolicy(policy, exited('a', 42)), {
    failJobMessage: 'Container c for pod default/a failed with exit code 42 matching FailJob rule at index 0',
    countFailed: true,
    action: 'FailJob',
  });
  t.same(matchPodFailurePolicy(policy, exited('b', 1, [{ type: 'DisruptionTarget', status: 'True' }])), { countFailed: false, action: 'Ignore' });
  t.same(matchPodFailurePolicy(policy, exited('c', 7)), { countFailed: true, action: 'Count' });
  t.same(matchPodFailurePolicy(policy, exited('d', 1)), { countFailed: true }, 'no rule: counted');
  t.same(matchPodFailurePolicy(undefined, exited('e', 42)), { countFailed: true });

  const withPolicy = job({ backoffLimit: 6 });
  withPolicy.spec!.podFailurePolicy = policy;
  withPolicy.spec!.podReplacementPolicy = 'Failed';
  const ignored = assess(withPolicy, [exited('b', 1, [{ type: 'DisruptionTarget', status: 'True' }])]);
  t.equal(ignored.failed, 0, 'an ignored failure does not count');
  const now = metaTime(START);
  const iplan = planTracking(ignored, false, now);
  t.equal(iplan.podsToRemoveFinalizer.length, 1, 'its finalizer still goes');
  t.same(ignored.job.status.uncountedTerminatedPods, {}, 'but it is never counted');
  const failJob = assess(withPolicy, [exited('a', 42), pod('r')]);
  t.same([failJob.finishedCondition?.type, failJob.finishedCondition?.reason, failJob.finishedCondition?.message], [
    'FailureTarget',
    'PodFailurePolicy',
    'Container c for pod default/a failed with exit code 42 matching FailJob rule at index 0',
  ]);
});

t.test('finalizer expectations', async (t) => {
  const e = new FinalizerExpectations();
  e.expectRemovals('ns/j', ['a', 'b']);
  const view = e.expected('ns/j');
  e.removalObserved('ns/j', 'a');
  t.same([...view].sort(), ['a', 'b'], 'a sync keeps its snapshot');
  t.same([...e.expected('ns/j')], ['b']);
  e.forget('ns/j');
  t.same([...e.expected('ns/j')], []);
});

/**
 * A minimal world for the pure steps: pods the "controller" created, a "kubelet" that finishes them, and the
 * controller's steps applied in the order the glue applies them (writes succeed, finalizer removals too).
 */
class World {
  pods: Pod[] = [];
  backoff: BackoffRecord = NO_BACKOFF;
  private seq = 0;
  created: string[] = [];
  events: string[] = [];

  constructor(
    public job: Job,
    readonly clock: FakeClock,
  ) {}

  sync(): { waitMs?: number } {
    const nowMs = this.clock.now();
    const now = metaTime(nowMs);
    if (isJobFinished(this.job)) return {};
    const s = assessJob({ job: this.job, pods: this.pods, expectedRmFinalizers: new Set(), backoff: this.backoff, nowMs });
    let waitMs: number | undefined;
    if (s.finishedCondition) {
      for (const p of s.activePods) p.metadata!.deletionTimestamp = now;
      s.terminating += s.active;
      s.active = 0;
    } else {
      const d = decideManage(s, { baseMs: 1000, maxMs: 8000 }, nowMs);
      if (d.action === 'create') {
        for (let i = 0; i < d.count; i++) {
          const ix = d.indexes?.[i];
          const p = pod(`p${this.seq++}`, { phase: 'Pending', ready: false, ...(ix !== undefined ? { index: ix } : {}) });
          this.pods.push(p);
          this.created.push(p.metadata!.name!);
          s.active++;
        }
      } else if (d.action === 'wait') {
        waitMs = d.delayMs;
      }
      if (isComplete(s.job, s.succeeded, s.active)) s.finishedCondition = successCondition(now);
    }
    s.job.status.active = s.active;
    s.job.status.ready = s.ready;
    s.job.status.terminating = s.terminating;
    const plan = planTracking(s, true, now);
    this.backoff = s.newBackoff;
    for (const p of plan.podsToRemoveFinalizer) {
      p.metadata!.finalizers = [];
      plan.uidsWithFinalizer.delete(p.metadata!.uid!);
    }
    // Pods being deleted go once their finalizer is gone.
    this.pods = this.pods.filter((p) => !(p.metadata?.deletionTimestamp && (p.metadata.finalizers ?? []).length === 0));
    s.terminating = this.pods.filter((p) => p.metadata?.deletionTimestamp && p.status?.phase !== 'Failed' && p.status?.phase !== 'Succeeded').length;
    cleanUncounted(s.job.status, plan.uidsWithFinalizer);
    if (enactFinished(s, now)) this.events.push(...finishedEvents(s.job, s.finishedCondition!).map((e) => e.reason));
    this.job = s.job;
    return waitMs === undefined ? {} : { waitMs };
  }

  finish(name: string, phase: 'Succeeded' | 'Failed'): void {
    const p = this.pods.find((x) => x.metadata?.name === name)!;
    const fresh = pod(name, { phase, finishedAt: this.clock.now(), ...(p.metadata?.annotations ? { index: Number(p.metadata.annotations[COMPLETION_INDEX_ANNOTATION]) } : {}) });
    fresh.metadata!.finalizers = p.metadata?.finalizers ?? [];
    Object.assign(p, fresh);
  }

  running(): string[] {
    return this.pods.filter((p) => p.status?.phase === 'Pending' || p.status?.phase === 'Running').map((p) => p.metadata!.name!);
  }
}

t.test('a Job with completions and parallelism runs to Complete', async (t) => {
  const clock = new FakeClock(START);
  const w = new World(job({ completions: 3, parallelism: 2 }), clock);
  w.sync();
  t.same(w.running(), ['p0', 'p1'], 'parallelism pods');
  w.finish('p0', 'Succeeded');
  w.sync();
  t.equal(w.job.status?.succeeded, 1);
  t.same(w.running(), ['p1', 'p2']);
  w.finish('p1', 'Succeeded');
  w.sync();
  t.same(w.running(), ['p2'], 'only one completion left');
  w.finish('p2', 'Succeeded');
  await clock.advance(5000);
  w.sync();
  const st = w.job.status!;
  t.equal(st.succeeded, 3);
  t.same(
    st.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
    [
      ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
      ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
    ],
  );
  t.equal(st.completionTime, metaTime(START + 5000));
  t.equal(st.startTime, metaTime(START));
  t.same(w.events, ['Completed']);
  t.equal(w.pods.every((p) => (p.metadata?.finalizers ?? []).length === 0), true, 'no pod keeps the finalizer');
});

t.test('failures back off exponentially until backoffLimit fails the Job', async (t) => {
  const clock = new FakeClock(START);
  const w = new World(job({ completions: 1, parallelism: 1, backoffLimit: 2 }), clock);
  w.sync();
  w.finish('p0', 'Failed');
  t.same(w.sync(), { waitMs: 1000 }, 'first replacement after the base delay');
  t.same(w.running(), []);
  await clock.advance(1000);
  w.sync();
  t.same(w.running(), ['p1']);
  w.finish('p1', 'Failed');
  t.same(w.sync(), { waitMs: 2000 }, 'then twice as long');
  await clock.advance(2000);
  w.sync();
  w.finish('p2', 'Failed');
  w.sync();
  t.equal(w.job.status?.failed, 3);
  t.same(
    w.job.status?.conditions?.map((c) => [c.type, c.reason]),
    [
      ['FailureTarget', 'BackoffLimitExceeded'],
      ['Failed', 'BackoffLimitExceeded'],
    ],
  );
  t.same(w.events, ['BackoffLimitExceeded']);
});

t.test('activeDeadlineSeconds fails a running Job and removes its pods', async (t) => {
  const clock = new FakeClock(START);
  const w = new World(job({ completions: 2, parallelism: 2, activeDeadlineSeconds: 5 }), clock);
  w.sync();
  t.equal(w.running().length, 2);
  await clock.advance(5000);
  w.sync();
  t.same(w.pods, [], 'the pods are deleted (and counted)');
  t.equal(w.job.status?.failed, 2);
  t.same(w.job.status?.conditions?.map((c) => [c.type, c.reason]).at(-1), ['Failed', 'DeadlineExceeded']);
});

t.test('an Indexed Job completes every index once', async (t) => {
  const clock = new FakeClock(START);
  const w = new World(job({ indexed: true, completions: 3, parallelism: 3 }), clock);
  w.sync();
  const indexOf = (name: string): string | undefined => w.pods.find((p) => p.metadata?.name === name)?.metadata?.annotations?.[COMPLETION_INDEX_ANNOTATION];
  t.same(w.running().map(indexOf), ['0', '1', '2']);
  w.finish('p1', 'Failed');
  w.finish('p2', 'Succeeded');
  w.sync();
  t.equal(w.job.status?.completedIndexes, '2');
  await clock.advance(1000);
  w.sync();
  t.same(w.running().map(indexOf), ['0', '1'], 'the failed index runs again');
  w.finish('p0', 'Succeeded');
  w.finish('p3', 'Succeeded');
  w.sync();
  t.equal(w.job.status?.completedIndexes, '0-2');
  t.equal(w.job.status?.succeeded, 3);
  t.equal(w.job.status?.failed, 1);
  t.ok(isJobFinished(w.job));
});
