// Informer events into the cache and the queue (Kubernetes' eventhandlers.go): bound, non-terminal pods feed the
// cache; pending pods of our profiles feed the queue; node and bound-pod changes move unschedulable pods back.
import type { Node, NodeCondition, Pod } from '@k8ts/api-machinery';
import type { SchedulerCache } from './cache/scheduler-cache.js';
import { ActionType, type ClusterEvent } from './framework/interface.js';
import { EVENT_ASSIGNED_POD_DELETE, type SchedulingQueue } from './queue/scheduling-queue.js';

export const isAssigned = (pod: Pod): boolean => (pod.spec?.nodeName ?? '') !== '';
export const isTerminal = (pod: Pod): boolean => pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';

const sameJson = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

function conditionStatuses(conditions: readonly NodeCondition[] | undefined): string {
  return JSON.stringify((conditions ?? []).map((c) => [c.type, c.status]).sort());
}

/** The scheduling-relevant ways a node changed, as ActionType bits (0: nothing that matters). */
export function nodeChangeActions(oldNode: Node, newNode: Node): number {
  let actions = 0;
  if (!sameJson(oldNode.status?.allocatable, newNode.status?.allocatable)) actions |= ActionType.UpdateNodeAllocatable;
  if (!sameJson(oldNode.metadata?.labels, newNode.metadata?.labels)) actions |= ActionType.UpdateNodeLabel;
  if (!sameJson(oldNode.spec?.taints, newNode.spec?.taints) || (oldNode.spec?.unschedulable ?? false) !== (newNode.spec?.unschedulable ?? false)) {
    actions |= ActionType.UpdateNodeTaint;
  }
  if (conditionStatuses(oldNode.status?.conditions) !== conditionStatuses(newNode.status?.conditions)) actions |= ActionType.UpdateNodeCondition;
  return actions;
}

export class EventHandlers {
  constructor(
    private readonly cache: SchedulerCache,
    private readonly queue: SchedulingQueue,
    /** Whether one of our profiles schedules this pod (spec.schedulerName). */
    private readonly responsibleFor: (pod: Pod) => boolean,
  ) {}

  /** In the cache's domain: bound and still running or pending. */
  private cached(pod: Pod): boolean {
    return isAssigned(pod) && !isTerminal(pod);
  }

  /** In the queue's domain: pending, unbound and ours. */
  private queued(pod: Pod): boolean {
    return !isAssigned(pod) && !isTerminal(pod) && this.responsibleFor(pod);
  }

  onPodAdd(pod: Pod): void {
    if (this.cached(pod)) {
      this.cache.addPod(pod);
      this.queue.moveAllToActiveOrBackoffQueue({ resource: 'Pod', actionType: ActionType.Add, label: 'AssignedPodAdd' });
    } else if (this.queued(pod)) {
      this.queue.add(pod);
    }
  }

  onPodUpdate(oldPod: Pod, newPod: Pod): void {
    const wasCached = this.cached(oldPod);
    const isCached = this.cached(newPod);
    if (wasCached && isCached) {
      this.cache.updatePod(oldPod, newPod);
      if (!sameJson(oldPod.metadata?.labels, newPod.metadata?.labels)) {
        this.queue.moveAllToActiveOrBackoffQueue({ resource: 'Pod', actionType: ActionType.UpdatePodLabel, label: 'AssignedPodUpdate' });
      }
      return;
    }
    if (wasCached && !isCached) {
      // finished (Succeeded/Failed): its resources are free again
      this.cache.removePod(oldPod);
      this.queue.moveAllToActiveOrBackoffQueue(EVENT_ASSIGNED_POD_DELETE);
      return;
    }
    const wasQueued = this.queued(oldPod);
    const isQueued = this.queued(newPod);
    if (wasQueued && !isQueued) this.queue.delete(oldPod);
    if (isCached) {
      this.cache.addPod(newPod);
      this.queue.moveAllToActiveOrBackoffQueue({ resource: 'Pod', actionType: ActionType.Add, label: 'AssignedPodAdd' });
    } else if (isQueued) {
      if (wasQueued) this.queue.update(oldPod, newPod);
      else this.queue.add(newPod);
    }
  }

  onPodDelete(pod: Pod): void {
    if (isAssigned(pod)) {
      this.cache.removePod(pod);
      this.queue.moveAllToActiveOrBackoffQueue(EVENT_ASSIGNED_POD_DELETE);
    } else {
      this.queue.delete(pod);
    }
  }

  onNodeAdd(node: Node): void {
    this.cache.addNode(node);
    this.queue.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.Add, label: 'NodeAdd' });
  }

  onNodeUpdate(oldNode: Node, newNode: Node): void {
    this.cache.updateNode(oldNode, newNode);
    const actions = nodeChangeActions(oldNode, newNode);
    if (actions !== 0) {
      const event: ClusterEvent = { resource: 'Node', actionType: actions, label: 'NodeUpdate' };
      this.queue.moveAllToActiveOrBackoffQueue(event);
    }
  }

  onNodeDelete(node: Node): void {
    this.cache.removeNode(node);
    this.queue.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.Delete, label: 'NodeDelete' });
  }
}
