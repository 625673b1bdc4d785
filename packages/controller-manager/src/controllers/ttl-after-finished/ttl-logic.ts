// When a finished Job's ttlSecondsAfterFinished runs out (pkg/controller/ttlafterfinished), pure.
import type { Job } from '@k8ts/api-machinery';
import { finishedConditionOf } from '../job/job-logic.js';

/** The Job has a TTL and has finished, so it will be deleted some time. */
export function needsCleanup(job: Job): boolean {
  return job.spec?.ttlSecondsAfterFinished !== undefined && job.spec.ttlSecondsAfterFinished !== null && finishedConditionOf(job) !== undefined;
}

export type TtlDecision =
  | { action: 'none' }
  | { action: 'wait'; afterMs: number }
  | { action: 'delete'; expiredAtMs: number }
  | { action: 'error'; message: string };

/**
 * Whether to delete `job` now, look again later, or leave it (no TTL, not finished, already being deleted). The
 * finish time is when the Complete or Failed condition turned True.
 */
export function ttlDecision(job: Job, nowMs: number): TtlDecision {
  if (job.metadata?.deletionTimestamp || !needsCleanup(job)) return { action: 'none' };
  const finished = finishedConditionOf(job);
  const finishAt = finished?.lastTransitionTime ? Date.parse(finished.lastTransitionTime) : Number.NaN;
  if (Number.isNaN(finishAt)) {
    return { action: 'error', message: `unable to find the time when the Job ${job.metadata?.namespace ?? ''}/${job.metadata?.name ?? ''} finished` };
  }
  const expireAt = finishAt + (job.spec?.ttlSecondsAfterFinished ?? 0) * 1000;
  const left = expireAt - nowMs;
  return left <= 0 ? { action: 'delete', expiredAtMs: expireAt } : { action: 'wait', afterMs: left };
}
