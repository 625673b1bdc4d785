// A Deployment's status and its Available/Progressing/ReplicaFailure conditions (pkg/controller/deployment sync.go
// and progress.go, deployment util's condition helpers), in the words `kubectl rollout status` and `kubectl describe`
// read.
import type { DeploymentCondition, DeploymentStatus, ReplicaSetCondition } from '@k8ts/api-machinery';
import type { RolloutParams } from './rollout-math.js';
import { maxUnavailableOf } from './rollout-math.js';

/** Condition reasons of deployment util (the API's words). */
export const REASONS = {
  minimumReplicasAvailable: 'MinimumReplicasAvailable',
  minimumReplicasUnavailable: 'MinimumReplicasUnavailable',
  replicaSetUpdated: 'ReplicaSetUpdated',
  failedRSCreate: 'ReplicaSetCreateError',
  newReplicaSet: 'NewReplicaSetCreated',
  foundNewRS: 'FoundNewReplicaSet',
  newRSAvailable: 'NewReplicaSetAvailable',
  timedOut: 'ProgressDeadlineExceeded',
  paused: 'DeploymentPaused',
  resumed: 'DeploymentResumed',
} as const;

/** Go's math.MaxInt32: a progressDeadlineSeconds or revisionHistoryLimit of this value means "none". */
export const MAX_INT32 = 2_147_483_647;

export interface RsStatusSummary {
  name: string;
  replicas: number;
  statusReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
}

export interface DeploymentFacts extends RolloutParams {
  /** The Deployment's name (messages about a rollout without a new ReplicaSet name it). */
  name: string;
  generation: number;
  paused: boolean;
  progressDeadlineSeconds: number | undefined;
  collisionCount: number | undefined;
  conditions: DeploymentCondition[];
  /** The status before this sync (to tell progress from standing still). */
  previous: DeploymentStatus;
}

/** metav1.Time on the wire: RFC 3339 in whole seconds. */
export function metaTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** HasProgressDeadline. */
export function hasProgressDeadline(d: { progressDeadlineSeconds: number | undefined }): boolean {
  return d.progressDeadlineSeconds !== undefined && d.progressDeadlineSeconds !== MAX_INT32;
}

export function getCondition(conditions: DeploymentCondition[] | undefined, type: string): DeploymentCondition | undefined {
  return conditions?.find((c) => c.type === type);
}

export function removeCondition(conditions: DeploymentCondition[], type: string): DeploymentCondition[] {
  return conditions.filter((c) => c.type !== type);
}

/** NewDeploymentCondition: both times are now. */
export function newCondition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, now: string): DeploymentCondition {
  return { type, status, lastUpdateTime: now, lastTransitionTime: now, reason, message };
}

/**
 * SetDeploymentCondition: nothing changes when a condition of the type already has this status and reason (not even
 * its message); otherwise it replaces it, keeping lastTransitionTime when only the reason changed. Returns the same
 * array when nothing changed.
 */
export function setCondition(conditions: DeploymentCondition[], next: DeploymentCondition): DeploymentCondition[] {
  const current = getCondition(conditions, next.type ?? '');
  if (current && current.status === next.status && current.reason === next.reason) return conditions;
  const condition = current && current.status === next.status ? { ...next, lastTransitionTime: current.lastTransitionTime } : next;
  return [...removeCondition(conditions, next.type ?? ''), condition];
}

/** calculateStatus: the counts, and the Available condition. */
export function calculateStatus(d: DeploymentFacts, newRS: RsStatusSummary | undefined, all: RsStatusSummary[], now: string): DeploymentStatus {
  const sum = (f: (rs: RsStatusSummary) => number): number => all.reduce((n, rs) => n + f(rs), 0);
  const availableReplicas = sum((rs) => rs.availableReplicas);
  const status: DeploymentStatus = {
    observedGeneration: d.generation,
    replicas: sum((rs) => rs.statusReplicas),
    updatedReplicas: newRS?.statusReplicas ?? 0,
    readyReplicas: sum((rs) => rs.readyReplicas),
    availableReplicas,
    // Negative while scaling down (more available than wanted): none is missing then.
    unavailableReplicas: Math.max(0, sum((rs) => rs.replicas) - availableReplicas),
    ...(d.collisionCount !== undefined ? { collisionCount: d.collisionCount } : {}),
  };
  const available = availableReplicas >= d.replicas - maxUnavailableOf(d);
  status.conditions = setCondition(
    [...d.conditions],
    available
      ? newCondition('Available', 'True', REASONS.minimumReplicasAvailable, 'Deployment has minimum availability.', now)
      : newCondition('Available', 'False', REASONS.minimumReplicasUnavailable, 'Deployment does not have minimum availability.', now),
  );
  return status;
}

/** Every replica updated, available and counted, at the current generation (DeploymentComplete). */
export function isComplete(replicas: number, generation: number, s: DeploymentStatus): boolean {
  return (
    (s.updatedReplicas ?? 0) === replicas &&
    (s.replicas ?? 0) === replicas &&
    (s.availableReplicas ?? 0) === replicas &&
    (s.observedGeneration ?? 0) >= generation
  );
}

/** Something moved since the last sync (DeploymentProgressing). */
export function isProgressing(previous: DeploymentStatus, next: DeploymentStatus): boolean {
  const oldReplicas = (s: DeploymentStatus): number => (s.replicas ?? 0) - (s.updatedReplicas ?? 0);
  return (
    (next.updatedReplicas ?? 0) > (previous.updatedReplicas ?? 0) ||
    oldReplicas(next) < oldReplicas(previous) ||
    (next.readyReplicas ?? 0) > (previous.readyReplicas ?? 0) ||
    (next.availableReplicas ?? 0) > (previous.availableReplicas ?? 0)
  );
}

/**
 * DeploymentTimedOut: no progress for progressDeadlineSeconds since the Progressing condition's lastUpdateTime (the
 * last progress, new ReplicaSet or resume). Never after a completed rollout; always once reported.
 */
export function isTimedOut(d: DeploymentFacts, status: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const condition = getCondition(status.conditions, 'Progressing');
  if (!condition) return false;
  if (condition.reason === REASONS.newRSAvailable) return false;
  if (condition.reason === REASONS.timedOut) return true;
  const from = Date.parse(condition.lastUpdateTime ?? '');
  return !Number.isNaN(from) && from + (d.progressDeadlineSeconds ?? 0) * 1000 < nowMs;
}

/**
 * syncRolloutStatus's conditions on top of calculateStatus: Progressing (NewReplicaSetAvailable once complete,
 * ReplicaSetUpdated with a fresh lastUpdateTime on every progress, ProgressDeadlineExceeded when the deadline passed
 * without any) and ReplicaFailure (copied from the new ReplicaSet, else from any other). A Deployment whose current
 * rollout already completed and has no old replicas left is not estimated again (a resync or plain scale).
 */
export function rolloutStatus(
  d: DeploymentFacts,
  calculated: DeploymentStatus,
  newRSName: string | undefined,
  replicaFailure: DeploymentCondition | undefined,
  nowMs: number,
): DeploymentStatus {
  const now = metaTime(nowMs);
  const status: DeploymentStatus = { ...calculated, conditions: [...(calculated.conditions ?? [])] };
  const set = (c: DeploymentCondition): void => {
    status.conditions = setCondition(status.conditions ?? [], c);
  };
  if (!hasProgressDeadline(d)) status.conditions = removeCondition(status.conditions ?? [], 'Progressing');
  const current = getCondition(d.conditions, 'Progressing');
  const completeBefore = status.replicas === status.updatedReplicas && current?.reason === REASONS.newRSAvailable;
  const subject = newRSName !== undefined ? `ReplicaSet "${newRSName}"` : `Deployment "${d.name}"`;
  if (hasProgressDeadline(d) && !completeBefore) {
    if (isComplete(d.replicas, d.generation, status)) {
      set(newCondition('Progressing', 'True', REASONS.newRSAvailable, `${subject} has successfully progressed.`, now));
    } else if (isProgressing(d.previous, status)) {
      // Unlike other conditions, progress refreshes lastUpdateTime even when reason and status stay: the deadline
      // counts from the last progress. The transition time stays while the status stays True.
      const next = newCondition('Progressing', 'True', REASONS.replicaSetUpdated, `${subject} is progressing.`, now);
      if (current?.status === 'True') next.lastTransitionTime = current.lastTransitionTime ?? now;
      status.conditions = [...removeCondition(status.conditions ?? [], 'Progressing'), next];
    } else if (isTimedOut(d, status, nowMs)) {
      set(newCondition('Progressing', 'False', REASONS.timedOut, `${subject} has timed out progressing.`, now));
    }
  }
  if (replicaFailure) set(replicaFailure);
  else status.conditions = removeCondition(status.conditions ?? [], 'ReplicaFailure');
  return status;
}

/**
 * getReplicaFailures: the new ReplicaSet's ReplicaFailure condition, else the first old one's, as a Deployment
 * condition (lastUpdateTime = the ReplicaSet's lastTransitionTime).
 */
export function replicaFailureOf(newRS: { conditions?: ReplicaSetCondition[] | undefined } | undefined, all: Array<{ conditions?: ReplicaSetCondition[] | undefined }>): DeploymentCondition | undefined {
  const toDeployment = (c: ReplicaSetCondition): DeploymentCondition => ({
    type: c.type,
    status: c.status,
    ...(c.lastTransitionTime ? { lastUpdateTime: c.lastTransitionTime, lastTransitionTime: c.lastTransitionTime } : {}),
    ...(c.reason !== undefined ? { reason: c.reason } : {}),
    ...(c.message !== undefined ? { message: c.message } : {}),
  });
  const fromNew = newRS?.conditions?.find((c) => c.type === 'ReplicaFailure');
  if (fromNew) return toDeployment(fromNew);
  for (const rs of all) {
    const c = rs.conditions?.find((x) => x.type === 'ReplicaFailure');
    if (c) return toDeployment(c);
  }
  return undefined;
}

/**
 * checkPausedConditions: Progressing=Unknown DeploymentPaused while paused, DeploymentResumed on resume, so the time
 * spent paused never counts against the deadline. A reported timeout stays. Undefined when nothing changes.
 */
export function pausedConditions(d: Pick<DeploymentFacts, 'paused' | 'progressDeadlineSeconds' | 'conditions'>, nowMs: number): DeploymentCondition[] | undefined {
  if (!hasProgressDeadline(d)) return undefined;
  const current = getCondition(d.conditions, 'Progressing');
  if (current?.reason === REASONS.timedOut) return undefined;
  const pausedExists = current?.reason === REASONS.paused;
  const now = metaTime(nowMs);
  if (d.paused && !pausedExists) return setCondition(d.conditions, newCondition('Progressing', 'Unknown', REASONS.paused, 'Deployment is paused', now));
  if (!d.paused && pausedExists) return setCondition(d.conditions, newCondition('Progressing', 'Unknown', REASONS.resumed, 'Deployment is resumed', now));
  return undefined;
}

/**
 * requeueStuckDeployment: when a rollout is neither complete nor timed out, when to look again so the deadline is
 * noticed without any other event (lastUpdateTime + deadline - now, plus a second of slack). Undefined: no need.
 */
export function progressCheckAfterMs(d: DeploymentFacts, status: DeploymentStatus, nowMs: number): number | undefined {
  const current = getCondition(d.conditions, 'Progressing');
  if (!hasProgressDeadline(d) || !current) return undefined;
  if (isComplete(d.replicas, d.generation, status) || current.reason === REASONS.timedOut) return undefined;
  const from = Date.parse(current.lastUpdateTime ?? '');
  if (Number.isNaN(from)) return undefined;
  const after = from + (d.progressDeadlineSeconds ?? 0) * 1000 - nowMs;
  return Math.max(0, after) + 1000;
}
