// A Deployment's status and its Available/Progressing conditions (pkg/controller/deployment sync.go and progress.go),
// in the words `kubectl rollout status` and `kubectl describe` read.
import type { DeploymentCondition, DeploymentStatus } from '@k8ts/api-machinery';
import type { RolloutParams } from './rollout-math.js';
import { maxUnavailableOf } from './rollout-math.js';

export interface RsStatusSummary {
  name: string;
  replicas: number;
  statusReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
}

export interface DeploymentFacts extends RolloutParams {
  generation: number;
  paused: boolean;
  progressDeadlineSeconds: number | undefined;
  collisionCount: number | undefined;
  conditions: DeploymentCondition[];
  /** The status before this sync (to tell progress from standing still). */
  previous: DeploymentStatus;
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
    unavailableReplicas: Math.max(0, sum((rs) => rs.replicas) - availableReplicas),
    conditions: d.conditions,
    ...(d.collisionCount !== undefined ? { collisionCount: d.collisionCount } : {}),
  };
  const available = availableReplicas >= d.replicas - maxUnavailableOf(d);
  status.conditions = setCondition(
    status.conditions ?? [],
    available
      ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
      : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' },
    now,
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
 * syncRolloutStatus's Progressing condition: NewReplicaSetAvailable once complete, ReplicaSetUpdated while moving,
 * ProgressDeadlineExceeded when nothing moved for progressDeadlineSeconds since the last progress; paused
 * Deployments keep DeploymentPaused. `nowMs` is the controller's clock.
 */
export function progressingCondition(
  d: DeploymentFacts,
  next: DeploymentStatus,
  newRSName: string | undefined,
  nowMs: number,
): DeploymentCondition | undefined {
  if (d.paused || d.progressDeadlineSeconds === undefined) return undefined;
  const current = d.conditions.find((c) => c.type === 'Progressing');
  const rs = newRSName ?? '';
  if (isComplete(d.replicas, d.generation, next)) {
    return { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "${rs}" has successfully progressed.` };
  }
  if (isProgressing(d.previous, next)) {
    // Progress moves lastUpdateTime even when reason and message stay: the deadline counts from the last progress.
    return { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `ReplicaSet "${rs}" is progressing.`, lastUpdateTime: new Date(nowMs).toISOString() };
  }
  if (current?.reason === 'ProgressDeadlineExceeded' || current?.reason === 'NewReplicaSetAvailable') return undefined;
  const since = current?.lastUpdateTime ? Date.parse(current.lastUpdateTime) : NaN;
  if (current && !Number.isNaN(since) && since + d.progressDeadlineSeconds * 1000 < nowMs) {
    return { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${rs}" has timed out progressing.` };
  }
  return undefined;
}

/**
 * SetDeploymentCondition: replaces the condition of the same type; keeps lastTransitionTime when the status did not
 * change. lastUpdateTime moves when something (status, reason or message) changed, or when `next` brings its own
 * (progress), so "no progress since" stays measurable.
 */
export function setCondition(conditions: DeploymentCondition[], next: Omit<DeploymentCondition, 'lastTransitionTime'>, now: string): DeploymentCondition[] {
  const current = conditions.find((c) => c.type === next.type);
  const same = current && current.status === next.status && current.reason === next.reason && current.message === next.message;
  if (same && (next.lastUpdateTime === undefined || next.lastUpdateTime === current.lastUpdateTime)) return conditions;
  const transition = current && current.status === next.status ? (current.lastTransitionTime ?? now) : now;
  const condition: DeploymentCondition = { ...next, lastUpdateTime: next.lastUpdateTime ?? now, lastTransitionTime: transition };
  return [...conditions.filter((c) => c.type !== next.type), condition];
}
