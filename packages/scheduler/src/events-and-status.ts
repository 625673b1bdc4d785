// What the scheduler tells the API about a pod, in Kubernetes' words: the PodScheduled condition, and the
// Scheduled / FailedScheduling events.
import type { JsonObject, Pod, PodCondition } from '@k8ts/api-machinery';

export const CONDITION_POD_SCHEDULED = 'PodScheduled';
/** PodScheduled=False reason when no node fits. */
export const REASON_UNSCHEDULABLE = 'Unschedulable';
/** PodScheduled=False reason when the attempt failed for another reason (API errors, no nodes at all). */
export const REASON_SCHEDULER_ERROR = 'SchedulerError';

export const EVENT_REASON_SCHEDULED = 'Scheduled';
export const EVENT_REASON_FAILED_SCHEDULING = 'FailedScheduling';
export const EVENT_ACTION_SCHEDULING = 'Scheduling';
export const EVENT_ACTION_BINDING = 'Binding';

/** Event notes are limited to 1024 bytes; longer ones end in " ..." (Kubernetes' truncateMessage). */
export const NOTE_LENGTH_LIMIT = 1024;

export function truncateMessage(message: string): string {
  const bytes = Buffer.from(message, 'utf8');
  if (bytes.length <= NOTE_LENGTH_LIMIT) return message;
  const suffix = ' ...';
  return bytes.subarray(0, NOTE_LENGTH_LIMIT - suffix.length).toString('utf8') + suffix;
}

export function scheduledMessage(pod: Pod, nodeName: string): string {
  return `Successfully assigned ${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''} to ${nodeName}`;
}

/**
 * The condition to write for a failed attempt, or undefined when the pod already carries exactly that condition
 * (repeated identical failures do not rewrite the status). lastTransitionTime moves only when the status changes.
 */
export function unschedulableCondition(pod: Pod, reason: string, message: string, now: Date): PodCondition | undefined {
  const current = pod.status?.conditions?.find((c) => c.type === CONDITION_POD_SCHEDULED);
  if (current && current.status === 'False' && current.reason === reason && current.message === message && !current.lastProbeTime) {
    return undefined;
  }
  const transitioned = !current || current.status !== 'False';
  return {
    type: CONDITION_POD_SCHEDULED,
    status: 'False',
    lastTransitionTime: transitioned ? now.toISOString().replace(/\.\d{3}Z$/, 'Z') : current.lastTransitionTime,
    reason,
    message,
  };
}

/** A strategic merge patch of pods/status setting one condition (conditions merge by type). */
export function conditionPatch(condition: PodCondition): JsonObject {
  const entry: JsonObject = { type: condition.type ?? CONDITION_POD_SCHEDULED, status: condition.status ?? 'False', lastProbeTime: null };
  if (condition.lastTransitionTime) entry['lastTransitionTime'] = condition.lastTransitionTime;
  if (condition.reason) entry['reason'] = condition.reason;
  if (condition.message) entry['message'] = condition.message;
  return { status: { conditions: [entry] } };
}
