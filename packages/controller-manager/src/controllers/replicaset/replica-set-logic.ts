// The ReplicaSet / ReplicationController decisions (pkg/controller/replicaset), pure: how many pods to create or
// which to delete, and the status to report. Both kinds share this; they differ only in how the selector is written.
import { labelSelectorFromObject, type LabelSelector, type Pod, type PodTemplateSpec, type ReplicaSetCondition } from '@k8ts/api-machinery';
import { isPodAvailable, isPodReady } from '../../shared/pod-state.js';
import { podsToDelete } from '../../shared/pod-ranking.js';

/** The at-most number of pods one sync creates or deletes (kube-controller-manager's burstReplicas). */
export const BURST_REPLICAS = 500;

/** What a ReplicaSet and a ReplicationController have in common, in the ReplicaSet's terms. */
export interface ReplicaSetView {
  uid: string;
  generation: number;
  replicas: number;
  minReadySeconds: number;
  selector: LabelSelector;
  template: PodTemplateSpec | undefined;
  conditions: ReplicaSetCondition[];
}

export type ScaleDecision = { action: 'create'; count: number } | { action: 'delete'; pods: Pod[] } | { action: 'none' };

/**
 * manageReplicas: the difference between the wanted and the active pods, capped at BURST_REPLICAS. Deletion picks
 * the least useful pods, ranked against `related` (every pod of the owner's family, e.g. all of a Deployment's).
 */
export function decideScale(view: ReplicaSetView, activePods: Pod[], related: Pod[], nowMs: number): ScaleDecision {
  const diff = activePods.length - view.replicas;
  if (diff < 0) return { action: 'create', count: Math.min(-diff, BURST_REPLICAS) };
  if (diff > 0) return { action: 'delete', pods: podsToDelete(activePods, related, Math.min(diff, BURST_REPLICAS), nowMs) };
  return { action: 'none' };
}

/** Batches of 1, 2, 4, ... (controller.slowStartBatch): a quota or webhook failure costs one call, not hundreds. */
export function slowStartBatches(total: number, initial = 1): number[] {
  const batches: number[] = [];
  let remaining = total;
  for (let size = Math.min(initial, remaining); remaining > 0; size = Math.min(size * 2, remaining)) {
    batches.push(size);
    remaining -= size;
  }
  return batches;
}

export interface ReplicaCounts {
  replicas: number;
  fullyLabeledReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
}

export function countReplicas(view: ReplicaSetView, activePods: Pod[], nowMs: number): ReplicaCounts {
  const templateLabels = view.template?.metadata?.labels ?? {};
  // Every label of the template, exactly (an empty template selects every pod, as in Kubernetes).
  const fullyLabeled = labelSelectorFromObject({ matchLabels: templateLabels });
  let fullyLabeledReplicas = 0;
  let readyReplicas = 0;
  let availableReplicas = 0;
  for (const pod of activePods) {
    if (fullyLabeled.matches(pod.metadata?.labels)) fullyLabeledReplicas++;
    if (isPodReady(pod)) readyReplicas++;
    if (isPodAvailable(pod, view.minReadySeconds, nowMs)) availableReplicas++;
  }
  return { replicas: activePods.length, fullyLabeledReplicas, readyReplicas, availableReplicas };
}

/**
 * The ReplicaFailure condition: set (reason FailedCreate/FailedDelete, the API's message) while creating or deleting
 * fails, removed once a sync manages replicas without error.
 */
export function replicaFailureConditions(current: ReplicaSetCondition[], failure: { reason: string; message: string } | undefined, now: string): ReplicaSetCondition[] {
  const others = current.filter((c) => c.type !== 'ReplicaFailure');
  if (!failure) return others;
  const existing = current.find((c) => c.type === 'ReplicaFailure');
  if (existing && existing.status === 'True' && existing.reason === failure.reason && existing.message === failure.message) return current;
  return [...others, { type: 'ReplicaFailure', status: 'True', reason: failure.reason, message: failure.message, lastTransitionTime: now }];
}

/** When a sync should look again: pods that are ready but not yet available become available after minReadySeconds. */
export function recheckAfterMs(view: ReplicaSetView, counts: ReplicaCounts): number | undefined {
  if (view.minReadySeconds > 0 && counts.readyReplicas === view.replicas && counts.availableReplicas !== view.replicas) {
    return view.minReadySeconds * 1000;
  }
  return undefined;
}
