// The Job decisions (pkg/controller/job, Kubernetes 1.32 with its default feature gates), pure: how a Job's pods are
// counted (with the pod failure policy), when it has failed or completed, how many pods it wants and which ones to remove, how long a failure
// delays the next pod, and how finished pods move through status.uncountedTerminatedPods into the counters while
// the batch.kubernetes.io/job-tracking finalizer keeps them until they are counted. The controller glue does the I/O
// between these steps.
import type { Job, JobCondition, JobStatus, Pod, PodTemplateSpec } from '@k8ts/api-machinery';
import { compareForDeletion } from '../../shared/pod-ranking.js';
import { isPodReady } from '../../shared/pod-state.js';
import {
  COMPLETION_INDEX_ANNOTATION,
  COMPLETION_INDEX_ENV,
  OrderedIntervals,
  completionIndexOf,
  firstPendingIndexes,
  surplusIndexedPods,
} from './indexes.js';
import { matchPodFailurePolicy } from './pod-failure-policy.js';

export const JOB_TRACKING_FINALIZER = 'batch.kubernetes.io/job-tracking';
/** spec.managedBy of Jobs this controller reconciles (unset means the same). */
export const JOB_CONTROLLER_NAME = 'kubernetes.io/job-controller';
/** Finished pods recorded in status.uncountedTerminatedPods per sync at most (keeps the status under ~20 KB). */
export const MAX_UNCOUNTED_PODS = 500;
/** Pods one sync creates or deletes at most. */
export const MAX_POD_CREATE_DELETE_PER_SYNC = 500;
/** Pod events are batched: the Job is synced this long after the first one. */
export const SYNC_JOB_BATCH_PERIOD_MS = 1000;
/** Pod failure backoff (DefaultJobPodFailureBackOff, MaxJobPodFailureBackOff); the manager's flags can change both. */
export const DEFAULT_POD_FAILURE_BACKOFF_MS = 10_000;
export const MAX_POD_FAILURE_BACKOFF_MS = 10 * 60_000;

export const REASON_BACKOFF_LIMIT_EXCEEDED = 'BackoffLimitExceeded';
export const MESSAGE_BACKOFF_LIMIT_EXCEEDED = 'Job has reached the specified backoff limit';
export const REASON_DEADLINE_EXCEEDED = 'DeadlineExceeded';
export const MESSAGE_DEADLINE_EXCEEDED = 'Job was active longer than specified deadline';
export const REASON_POD_FAILURE_POLICY = 'PodFailurePolicy';
export const REASON_COMPLETIONS_REACHED = 'CompletionsReached';
export const MESSAGE_COMPLETIONS_REACHED = 'Reached expected number of succeeded pods';

/** metav1.Time: RFC 3339 in UTC with whole seconds. */
export function metaTime(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function timeOf(ts: string | undefined | null): number | undefined {
  if (!ts) return undefined;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? undefined : t;
}

// ---- conditions ----

export function findCondition(conditions: JobCondition[] | undefined, type: string): JobCondition | undefined {
  return conditions?.find((c) => c.type === type);
}

function conditionTrue(job: Job, type: string): JobCondition | undefined {
  const c = findCondition(job.status?.conditions, type);
  return c?.status === 'True' ? c : undefined;
}

/** Complete or Failed, when one of them is True (jobutil.FinishedCondition). */
export function finishedConditionOf(job: Job): JobCondition | undefined {
  return job.status?.conditions?.find((c) => (c.type === 'Complete' || c.type === 'Failed') && c.status === 'True');
}

export function isJobFinished(job: Job): boolean {
  return finishedConditionOf(job) !== undefined;
}

export function isJobSucceeded(job: Job): boolean {
  return conditionTrue(job, 'Complete') !== undefined;
}

export function newCondition(type: string, status: 'True' | 'False', reason: string, message: string, now: string): JobCondition {
  return { type, status, lastProbeTime: now, lastTransitionTime: now, reason, message };
}

/**
 * Sets the condition of `type` to `status` with reason and message (replacing the whole condition when any of
 * them changes); a False condition that does not exist yet is not added.
 */
export function ensureConditionStatus(
  conditions: JobCondition[],
  type: string,
  status: 'True' | 'False',
  reason: string,
  message: string,
  now: string,
): { conditions: JobCondition[]; changed: boolean } {
  const i = conditions.findIndex((c) => c.type === type);
  if (i >= 0) {
    const c = conditions[i]!;
    if (c.status === status && (c.reason ?? '') === reason && (c.message ?? '') === message) return { conditions, changed: false };
    const next = [...conditions];
    next[i] = newCondition(type, status, reason, message, now);
    return { conditions: next, changed: true };
  }
  if (status === 'False') return { conditions, changed: false };
  return { conditions: [...conditions, newCondition(type, status, reason, message, now)], changed: true };
}

// ---- pods ----

export function isIndexed(job: Job): boolean {
  return job.spec?.completionMode === 'Indexed';
}

export function isSuspended(job: Job): boolean {
  return job.spec?.suspend === true;
}

export function hasTrackingFinalizer(pod: Pod): boolean {
  return pod.metadata?.finalizers?.includes(JOB_TRACKING_FINALIZER) ?? false;
}

/** Replacements wait for the old pod to be Failed (podReplacementPolicy: Failed, or a pod failure policy). */
export function onlyReplaceFailedPods(job: Job): boolean {
  return job.spec?.podReplacementPolicy === 'Failed' || job.spec?.podFailurePolicy !== undefined;
}

function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

/** Being deleted and not finished (controller.IsPodTerminating). */
export function isPodTerminating(pod: Pod): boolean {
  return !isTerminal(pod) && pod.metadata?.deletionTimestamp !== undefined;
}

/** Pending or Running and not being deleted (controller.FilterActivePods). */
export function isJobPodActive(pod: Pod): boolean {
  return !isTerminal(pod) && pod.metadata?.deletionTimestamp === undefined;
}

/** Failed, or (unless only failed pods are replaced) deleted before it succeeded. */
export function isPodFailed(pod: Pod, job: Job): boolean {
  if (pod.status?.phase === 'Failed') return true;
  if (onlyReplaceFailedPods(job)) return false;
  return pod.metadata?.deletionTimestamp !== undefined && pod.status?.phase !== 'Succeeded';
}

/**
 * When a pod finished: its containers' last finish, else when it stopped being Ready, else its deletion (minus the
 * grace period), else its creation.
 */
export function podFinishedTime(pod: Pod): number {
  let latest: number | undefined;
  let allTerminated = (pod.status?.containerStatuses?.length ?? 0) > 0;
  for (const cs of pod.status?.containerStatuses ?? []) {
    const finished = timeOf(cs.state?.terminated?.finishedAt);
    if (finished === undefined) {
      allTerminated = false;
      break;
    }
    if (latest === undefined || finished > latest) latest = finished;
  }
  if (allTerminated && latest !== undefined) return latest;
  const ready = pod.status?.conditions?.find((c) => c.type === 'Ready');
  const readyFalse = ready?.status === 'False' ? timeOf(ready.lastTransitionTime) : undefined;
  if (readyFalse !== undefined) return readyFalse;
  const deleted = timeOf(pod.metadata?.deletionTimestamp);
  if (deleted !== undefined) return deleted - (pod.metadata?.deletionGracePeriodSeconds ?? 0) * 1000;
  return timeOf(pod.metadata?.creationTimestamp) ?? 0;
}

// ---- pod failure backoff ----

export interface BackoffRecord {
  failuresAfterLastSuccess: number;
  lastFailureTime?: number | undefined;
}

export const NO_BACKOFF: BackoffRecord = { failuresAfterLastSuccess: 0 };

/** The record after newly finished pods: failures since the last success, and when the last of them happened. */
export function nextBackoffRecord(prev: BackoffRecord, newSucceeded: Pod[], newFailed: Pod[]): BackoffRecord {
  const failedTimes = newFailed.map(podFinishedTime).sort((a, b) => a - b);
  if (newSucceeded.length === 0) {
    if (failedTimes.length === 0) return prev;
    return { failuresAfterLastSuccess: prev.failuresAfterLastSuccess + failedTimes.length, lastFailureTime: failedTimes[failedTimes.length - 1] };
  }
  const lastSuccess = Math.max(...newSucceeded.map(podFinishedTime));
  const after = failedTimes.filter((t) => t > lastSuccess);
  return after.length === 0 ? { failuresAfterLastSuccess: 0 } : { failuresAfterLastSuccess: after.length, lastFailureTime: after[after.length - 1] };
}

/** How long new pods still wait: base * 2^(failures-1), capped at max, counted from the last failure. */
export function remainingBackoffMs(record: BackoffRecord, nowMs: number, baseMs: number, maxMs: number): number {
  if (record.failuresAfterLastSuccess === 0 || record.lastFailureTime === undefined) return 0;
  let delay = baseMs;
  for (let i = 1; i < record.failuresAfterLastSuccess; i++) {
    delay *= 2;
    if (delay >= maxMs) {
      delay = maxMs;
      break;
    }
  }
  const elapsed = nowMs - record.lastFailureTime;
  return delay < elapsed ? 0 : delay - elapsed;
}

// ---- limits and deadlines ----

/** restartPolicy OnFailure: container restarts of running pods count against backoffLimit. */
export function pastBackoffLimitOnFailure(job: Job, pods: Pod[]): boolean {
  if (job.spec?.template?.spec?.restartPolicy !== 'OnFailure') return false;
  let restarts = 0;
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (phase !== 'Running' && phase !== 'Pending') continue;
    for (const cs of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) restarts += cs.restartCount ?? 0;
  }
  const limit = job.spec?.backoffLimit ?? 6;
  return limit === 0 ? restarts > 0 : restarts >= limit;
}

/** Milliseconds left before activeDeadlineSeconds passes (undefined without a deadline, a start, or while suspended). */
export function activeDeadlineRemainingMs(job: Job, nowMs: number): number | undefined {
  const ads = job.spec?.activeDeadlineSeconds;
  const start = timeOf(job.status?.startTime);
  if (ads === undefined || start === undefined || isSuspended(job)) return undefined;
  return ads * 1000 - (nowMs - start);
}

export function pastActiveDeadline(job: Job, nowMs: number): boolean {
  const left = activeDeadlineRemainingMs(job, nowMs);
  return left !== undefined && left <= 0;
}

// ---- one sync: what the pods say ----

export interface UncountedSets {
  succeeded: Set<string>;
  failed: Set<string>;
}

/** What a sync works with: the Job (a copy whose status it edits), its pods and the counts derived from them. */
export interface JobSyncState {
  job: Job & { status: JobStatus };
  pods: Pod[];
  activePods: Pod[];
  active: number;
  ready: number;
  terminating: number;
  succeeded: number;
  failed: number;
  uncounted: UncountedSets;
  /** Pods whose finalizer removal was requested but not yet seen: already counted. */
  expectedRmFinalizers: Set<string>;
  prevSucceededIndexes: OrderedIntervals;
  succeededIndexes: OrderedIntervals;
  newBackoff: BackoffRecord;
  /** The condition the Job is heading for (interim FailureTarget/SuccessCriteriaMet, or the final one). */
  finishedCondition: JobCondition | undefined;
  /** Sync again after this long to enforce activeDeadlineSeconds. */
  deadlineRequeueMs: number | undefined;
}

export interface AssessInput {
  job: Job;
  pods: Pod[];
  expectedRmFinalizers: Set<string>;
  backoff: BackoffRecord;
  nowMs: number;
}

/** Finished pods with a finalizer that are not counted yet (and, for Indexed Jobs, have a valid index). */
function newFinishedPods(job: Job, pods: Pod[], uncounted: UncountedSets, expected: Set<string>): { succeeded: Pod[]; failed: Pod[] } {
  const completions = job.spec?.completions ?? 0;
  const valid = (p: Pod, set: Set<string>): boolean => {
    const uid = p.metadata?.uid ?? '';
    if (!hasTrackingFinalizer(p) || set.has(uid) || expected.has(uid)) return false;
    if (isIndexed(job)) {
      const ix = completionIndexOf(p);
      if (ix === undefined || ix >= completions) return false;
    }
    return true;
  };
  return {
    succeeded: pods.filter((p) => valid(p, uncounted.succeeded) && p.status?.phase === 'Succeeded'),
    failed: pods.filter((p) => valid(p, uncounted.failed) && isPodFailed(p, job)),
  };
}

/** The message of the first failed pod matching a FailJob rule of the pod failure policy. */
export function failJobMessage(job: Job, pods: Pod[]): string | undefined {
  const policy = job.spec?.podFailurePolicy;
  if (!policy) return undefined;
  for (const p of pods) {
    if (!isPodFailed(p, job)) continue;
    const m = matchPodFailurePolicy(policy, p).failJobMessage;
    if (m !== undefined) return m;
  }
  return undefined;
}

/** Succeeded indexes from status.completedIndexes, plus succeeded pods still carrying the finalizer. */
export function succeededIndexes(job: Job, pods: Pod[]): { prev: OrderedIntervals; now: OrderedIntervals } {
  const completions = job.spec?.completions ?? 0;
  const prev = OrderedIntervals.parse(job.status?.completedIndexes, completions);
  const fresh = new Set<number>();
  for (const p of pods) {
    const ix = completionIndexOf(p);
    if (p.status?.phase === 'Succeeded' && ix !== undefined && ix < completions && hasTrackingFinalizer(p)) fresh.add(ix);
  }
  return { prev, now: prev.withIndexes([...fresh].sort((a, b) => a - b)) };
}

/**
 * The first half of syncJob: counts, the start time, the backoff record after new failures, and whether the Job
 * must fail (BackoffLimitExceeded, DeadlineExceeded) or already met its success criteria in an earlier sync.
 */
export function assessJob(input: AssessInput): JobSyncState {
  const { nowMs } = input;
  const job = structuredClone(input.job) as Job & { status: JobStatus };
  job.status ??= {};
  job.status.uncountedTerminatedPods ??= {};
  const uncounted: UncountedSets = {
    succeeded: new Set(job.status.uncountedTerminatedPods.succeeded ?? []),
    failed: new Set(job.status.uncountedTerminatedPods.failed ?? []),
  };
  const pods = input.pods;
  const activePods = pods.filter(isJobPodActive);
  const fresh = newFinishedPods(job, pods, uncounted, input.expectedRmFinalizers);
  const state: JobSyncState = {
    job,
    pods,
    activePods,
    active: activePods.length,
    ready: activePods.filter(isPodReady).length,
    terminating: pods.filter(isPodTerminating).length,
    succeeded: (job.status.succeeded ?? 0) + fresh.succeeded.length + uncounted.succeeded.size,
    // Failures a pod failure policy ignores do not count against backoffLimit.
    failed: (job.status.failed ?? 0) + fresh.failed.filter((p) => matchPodFailurePolicy(job.spec?.podFailurePolicy, p).countFailed).length + uncounted.failed.size,
    uncounted,
    expectedRmFinalizers: input.expectedRmFinalizers,
    prevSucceededIndexes: new OrderedIntervals(),
    succeededIndexes: new OrderedIntervals(),
    newBackoff: nextBackoffRecord(input.backoff, fresh.succeeded, fresh.failed),
    finishedCondition: undefined,
    deadlineRequeueMs: undefined,
  };
  // The first sync of a Job that is not suspended starts it.
  if (job.status.startTime === undefined && !isSuspended(job)) job.status.startTime = metaTime(nowMs);

  const now = metaTime(nowMs);
  state.finishedCondition = conditionTrue(job, 'SuccessCriteriaMet');
  if (!state.finishedCondition) {
    const target = conditionTrue(job, 'FailureTarget');
    if (target) state.finishedCondition = newCondition('Failed', 'True', target.reason ?? '', target.message ?? '', now);
    else {
      const message = failJobMessage(job, pods);
      if (message !== undefined) state.finishedCondition = newCondition('FailureTarget', 'True', REASON_POD_FAILURE_POLICY, message, now);
    }
  }
  if (!state.finishedCondition) {
    if (state.failed > (job.spec?.backoffLimit ?? 6) || pastBackoffLimitOnFailure(job, pods)) {
      state.finishedCondition = newCondition('FailureTarget', 'True', REASON_BACKOFF_LIMIT_EXCEEDED, MESSAGE_BACKOFF_LIMIT_EXCEEDED, now);
    } else if (pastActiveDeadline(job, nowMs)) {
      state.finishedCondition = newCondition('FailureTarget', 'True', REASON_DEADLINE_EXCEEDED, MESSAGE_DEADLINE_EXCEEDED, now);
    } else {
      state.deadlineRequeueMs = activeDeadlineRemainingMs(job, nowMs);
    }
  }
  if (isIndexed(job)) {
    const idx = succeededIndexes(job, pods);
    state.prevSucceededIndexes = idx.prev;
    state.succeededIndexes = idx.now;
    state.succeeded = idx.now.total();
  }
  return state;
}

// ---- one sync: managing pods ----

/** How many pods should run now (not counting terminating ones). */
export function wantActive(job: Job, succeeded: number, active: number): number {
  const parallelism = job.spec?.parallelism ?? 1;
  const completions = job.spec?.completions;
  // Without completions any success ends the Job: keep what runs, start nothing new.
  if (completions === undefined || completions === null) return succeeded > 0 ? active : parallelism;
  return Math.max(0, Math.min(completions - succeeded, parallelism));
}

/** controller.ActivePods order: the least advanced pods (unscheduled, pending, not ready, youngest) first. */
function rankForDeletion(nowMs: number): (a: Pod, b: Pod) => number {
  return (a, b) => compareForDeletion({ pod: a, rank: 0 }, { pod: b, rank: 0 }, nowMs);
}

/**
 * Active pods to remove: for Indexed Jobs always the duplicates and the pods without a valid index; then, to reach
 * `rmAtLeast`, the least advanced of the rest.
 */
export function activePodsForRemoval(job: Job, activePods: Pod[], rmAtLeast: number, nowMs: number): Pod[] {
  let rm: Pod[] = [];
  let left = activePods;
  if (isIndexed(job)) {
    const split = surplusIndexedPods(activePods, job.spec?.completions ?? 0, rankForDeletion(nowMs));
    rm = split.remove;
    left = split.keep;
  }
  if (rm.length < rmAtLeast) rm = [...rm, ...[...left].sort(rankForDeletion(nowMs)).slice(0, rmAtLeast - rm.length)];
  return rm;
}

export type ManageDecision =
  | { action: 'delete'; pods: Pod[] }
  | { action: 'create'; count: number; indexes: number[] | undefined }
  | { action: 'wait'; delayMs: number }
  | { action: 'none' };

export interface BackoffSettings {
  baseMs: number;
  maxMs: number;
}

/**
 * manageJob: a suspended Job removes all its active pods; otherwise surplus pods go first (never creating and
 * deleting in one sync), then missing pods are created once the failure backoff allows.
 */
export function decideManage(state: JobSyncState, backoff: BackoffSettings, nowMs: number): ManageDecision {
  const job = state.job;
  const active = state.activePods.length;
  if (isSuspended(job)) {
    const pods = activePodsForRemoval(job, state.activePods, active, nowMs);
    return pods.length > 0 ? { action: 'delete', pods } : { action: 'none' };
  }
  const want = wantActive(job, state.succeeded, active);
  const toDelete = activePodsForRemoval(job, state.activePods, Math.max(0, active - want), nowMs).slice(0, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (toDelete.length > 0) return { action: 'delete', pods: toDelete };
  const terminating = onlyReplaceFailedPods(job) ? state.terminating : 0;
  let diff = want - terminating - active;
  if (diff <= 0) return { action: 'none' };
  const wait = remainingBackoffMs(state.newBackoff, nowMs, backoff.baseMs, backoff.maxMs);
  if (wait > 0) return { action: 'wait', delayMs: wait };
  diff = Math.min(diff, MAX_POD_CREATE_DELETE_PER_SYNC);
  if (!isIndexed(job)) return { action: 'create', count: diff, indexes: undefined };
  const indexes = firstPendingIndexes(state.activePods, state.succeededIndexes, diff, job.spec?.completions ?? 0);
  return indexes.length > 0 ? { action: 'create', count: indexes.length, indexes } : { action: 'none' };
}

/** The template of the Job's next pod: the tracking finalizer and, for an index, its annotation, label, hostname and env. */
export function podTemplateFor(job: Job, index: number | undefined): PodTemplateSpec {
  const template = structuredClone(job.spec?.template ?? {}) as PodTemplateSpec;
  template.metadata ??= {};
  const finalizers = template.metadata.finalizers ?? [];
  if (!finalizers.includes(JOB_TRACKING_FINALIZER)) template.metadata.finalizers = [...finalizers, JOB_TRACKING_FINALIZER];
  if (index === undefined) return template;
  const spec = (template.spec ??= { containers: [] });
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    if ((c.env ?? []).some((e) => e.name === COMPLETION_INDEX_ENV)) continue;
    c.env = [...(c.env ?? []), { name: COMPLETION_INDEX_ENV, valueFrom: { fieldRef: { fieldPath: `metadata.labels['${COMPLETION_INDEX_ANNOTATION}']` } } }];
  }
  template.metadata.annotations = { ...template.metadata.annotations, [COMPLETION_INDEX_ANNOTATION]: String(index) };
  template.metadata.labels = { ...template.metadata.labels, [COMPLETION_INDEX_ANNOTATION]: String(index) };
  spec.hostname = `${job.metadata?.name ?? ''}-${index}`;
  return template;
}

/** The Job has all the successes it needs and nothing runs any more. */
export function isComplete(job: Job, succeeded: number, active: number): boolean {
  const completions = job.spec?.completions;
  if (completions === undefined || completions === null) return succeeded > 0 && active === 0;
  return succeeded >= completions && active === 0;
}

/**
 * The Suspended condition after a sync that managed pods: True while suspended, False once resumed (which restarts
 * the activeDeadlineSeconds clock).
 */
export function suspendTransition(job: Job, now: string): { conditions: JobCondition[]; event?: { reason: 'Suspended' | 'Resumed'; message: string }; resetStartTime: boolean } {
  const current = job.status?.conditions ?? [];
  if (isSuspended(job)) {
    const r = ensureConditionStatus(current, 'Suspended', 'True', 'JobSuspended', 'Job suspended', now);
    return r.changed ? { conditions: r.conditions, event: { reason: 'Suspended', message: 'Job suspended' }, resetStartTime: false } : { conditions: current, resetStartTime: false };
  }
  const r = ensureConditionStatus(current, 'Suspended', 'False', 'JobResumed', 'Job resumed', now);
  return r.changed ? { conditions: r.conditions, event: { reason: 'Resumed', message: 'Job resumed' }, resetStartTime: true } : { conditions: current, resetStartTime: false };
}

// ---- one sync: counting finished pods ----

export interface TrackingPlan {
  /** Pods whose tracking finalizer goes now (their outcome is in the status being written). */
  podsToRemoveFinalizer: Pod[];
  /** UIDs of pods that still carry the finalizer (removals that succeed are taken out). */
  uidsWithFinalizer: Set<string>;
  /** The status changed and must be written before finalizers are removed. */
  needsFlush: boolean;
  /** Stopped early at MAX_UNCOUNTED_PODS: the Job cannot finish in this sync. */
  reachedMaxUncounted: boolean;
}

/**
 * Moves uncounted pods whose finalizer is gone into the succeeded/failed counters. True when anything changed.
 */
export function cleanUncounted(status: JobStatus, uidsWithFinalizer: Set<string>): boolean {
  const u = (status.uncountedTerminatedPods ??= {});
  let changed = false;
  const keepSucceeded = (u.succeeded ?? []).filter((uid) => uidsWithFinalizer.has(uid));
  if (keepSucceeded.length !== (u.succeeded ?? []).length) {
    status.succeeded = (status.succeeded ?? 0) + (u.succeeded ?? []).length - keepSucceeded.length;
    changed = true;
  }
  const keepFailed = (u.failed ?? []).filter((uid) => uidsWithFinalizer.has(uid));
  if (keepFailed.length !== (u.failed ?? []).length) {
    status.failed = (status.failed ?? 0) + (u.failed ?? []).length - keepFailed.length;
    changed = true;
  }
  if (keepSucceeded.length > 0) u.succeeded = keepSucceeded;
  else delete u.succeeded;
  if (keepFailed.length > 0) u.failed = keepFailed;
  else delete u.failed;
  return changed;
}

/** Whether a pod's finalizer may go: the Job is finishing or being deleted, or the pod succeeded or failed. */
function canRemoveFinalizer(state: JobSyncState, pod: Pod, failed: boolean): boolean {
  return state.job.metadata?.deletionTimestamp !== undefined || state.finishedCondition !== undefined || pod.status?.phase === 'Succeeded' || failed;
}

/**
 * trackJobStatusAndRemoveFinalizers, first part: records newly finished pods in status.uncountedTerminatedPods (or,
 * for Indexed Jobs, their indexes in completedIndexes), picks the finalizers to remove, and puts the interim
 * FailureTarget/SuccessCriteriaMet condition in the status while turning `finishedCondition` into the final one.
 * Edits `state.job.status`.
 */
export function planTracking(state: JobSyncState, needsFlushIn: boolean, now: string): TrackingPlan {
  const job = state.job;
  const status = job.status;
  const indexed = isIndexed(job);
  const completions = job.spec?.completions ?? 0;
  const pods = indexed ? [...state.pods].sort((a, b) => (completionIndexOf(a) ?? -1) - (completionIndexOf(b) ?? -1)) : state.pods;
  const uidsWithFinalizer = new Set<string>();
  for (const p of pods) {
    const uid = p.metadata?.uid ?? '';
    if (hasTrackingFinalizer(p) && !state.expectedRmFinalizers.has(uid)) uidsWithFinalizer.add(uid);
  }
  let needsFlush = needsFlushIn;
  if (cleanUncounted(status, uidsWithFinalizer)) needsFlush = true;
  const u = status.uncountedTerminatedPods!;
  const newSucceeded = [...(u.succeeded ?? [])];
  const newFailed = [...(u.failed ?? [])];
  const newIndexes: number[] = [];
  const podsToRemoveFinalizer: Pod[] = [];
  let reachedMaxUncounted = false;
  const finishingAsFailure = state.finishedCondition !== undefined && state.finishedCondition.type !== 'SuccessCriteriaMet';
  for (const pod of pods) {
    const uid = pod.metadata?.uid ?? '';
    if (!hasTrackingFinalizer(pod) || state.expectedRmFinalizers.has(uid)) continue;
    const failed = isPodFailed(pod, job);
    if (!canRemoveFinalizer(state, pod, failed)) continue;
    podsToRemoveFinalizer.push(pod);
    if (pod.status?.phase === 'Succeeded' && !state.uncounted.failed.has(uid)) {
      if (indexed) {
        const ix = completionIndexOf(pod);
        // The index is enough to never count a success twice.
        if (ix !== undefined && ix < completions && !state.prevSucceededIndexes.has(ix)) {
          newIndexes.push(ix);
          needsFlush = true;
        }
      } else if (!state.uncounted.succeeded.has(uid)) {
        newSucceeded.push(uid);
        needsFlush = true;
      }
    } else if (failed || finishingAsFailure) {
      // When the Job fails, every pod that has not succeeded counts as failed.
      const ix = completionIndexOf(pod);
      if (!state.uncounted.failed.has(uid) && (!indexed || (ix !== undefined && ix < completions))) {
        // A failure the pod failure policy ignores is not counted at all.
        if (matchPodFailurePolicy(job.spec?.podFailurePolicy, pod).countFailed) {
          newFailed.push(uid);
          needsFlush = true;
        }
      }
    }
    if (newIndexes.length + newSucceeded.length + newFailed.length >= MAX_UNCOUNTED_PODS) {
      reachedMaxUncounted = true;
      break;
    }
  }
  if (newSucceeded.length > 0) u.succeeded = newSucceeded;
  if (newFailed.length > 0) u.failed = newFailed;
  if (indexed) {
    state.succeededIndexes = state.succeededIndexes.withIndexes([...new Set(newIndexes)].sort((a, b) => a - b));
    const text = state.succeededIndexes.toString();
    if (text !== (status.completedIndexes ?? '')) needsFlush = true;
    status.succeeded = state.succeededIndexes.total();
    status.completedIndexes = text;
  }
  const fc = state.finishedCondition;
  if (fc?.type === 'FailureTarget') {
    // Recorded before the finalizers go, so that the outcome survives the pods.
    status.conditions = [...(status.conditions ?? []), fc];
    needsFlush = true;
    state.finishedCondition = newCondition('Failed', 'True', fc.reason ?? '', fc.message ?? '', now);
  } else if (fc?.type === 'SuccessCriteriaMet') {
    if (!conditionTrue(job, 'SuccessCriteriaMet')) {
      status.conditions = [...(status.conditions ?? []), fc];
      needsFlush = true;
    }
    state.finishedCondition = newCondition('Complete', 'True', fc.reason ?? '', fc.message ?? '', now);
  }
  return { podsToRemoveFinalizer, uidsWithFinalizer, needsFlush, reachedMaxUncounted };
}

/**
 * enactJobFinished: once every finished pod is counted and none is terminating, the final Complete or Failed
 * condition goes in (and completionTime for Complete). Edits `state.job.status`; true when the Job finished.
 */
export function enactFinished(state: JobSyncState, now: string): boolean {
  const fc = state.finishedCondition;
  if (!fc) return false;
  const status = state.job.status;
  const u = status.uncountedTerminatedPods;
  if ((u?.succeeded?.length ?? 0) + (u?.failed?.length ?? 0) > 0) return false;
  if (state.terminating > 0) return false;
  const r = ensureConditionStatus(status.conditions ?? [], fc.type ?? '', 'True', fc.reason ?? '', fc.message ?? '', now);
  status.conditions = r.conditions;
  if (fc.type === 'Complete') status.completionTime = findCondition(r.conditions, 'Complete')?.lastTransitionTime ?? now;
  return true;
}

/** The event that announces a finished Job (recordJobFinished). */
export function finishedEvents(job: Job, fc: JobCondition): Array<{ type: 'Normal' | 'Warning'; reason: string; message: string }> {
  if (fc.type === 'Complete') {
    const events: Array<{ type: 'Normal' | 'Warning'; reason: string; message: string }> = [];
    const completions = job.spec?.completions;
    if (completions !== undefined && completions !== null && (job.status?.succeeded ?? 0) > completions) {
      events.push({ type: 'Warning', reason: 'TooManySucceededPods', message: 'Too many succeeded pods running after completion count reached' });
    }
    events.push({ type: 'Normal', reason: 'Completed', message: 'Job completed' });
    return events;
  }
  return [{ type: 'Warning', reason: fc.reason ?? '', message: fc.message ?? '' }];
}

/** The new SuccessCriteriaMet condition of a Job whose pods all succeeded. */
export function successCondition(now: string): JobCondition {
  return newCondition('SuccessCriteriaMet', 'True', REASON_COMPLETIONS_REACHED, MESSAGE_COMPLETIONS_REACHED, now);
}

/** Another controller reconciles this Job (spec.managedBy names someone else). */
export function managedElsewhere(job: Job): boolean {
  const by = job.spec?.managedBy;
  return by !== undefined && by !== JOB_CONTROLLER_NAME;
}
