// The pod garbage collector's decisions (pkg/controller/podgc), pure: terminated pods over the threshold (evicted
// first, then oldest), pods bound to Nodes that stayed missing through a quarantine, terminating pods on out-of-service
// Nodes, and terminating pods that were never scheduled.
import type { Node, Pod, PodCondition } from '@k8ts/api-machinery';

export const OUT_OF_SERVICE_TAINT = 'node.kubernetes.io/out-of-service';

export function isPodTerminated(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

function isEvicted(pod: Pod): boolean {
  return pod.status?.phase === 'Failed' && pod.status.reason === 'Evicted';
}

/** byEvictionAndCreationTimestamp: evicted pods first, then the oldest, then by name. */
export function compareForDeletion(a: Pod, b: Pod): number {
  const ea = isEvicted(a);
  const eb = isEvicted(b);
  if (ea !== eb) return ea ? -1 : 1;
  const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
  const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
  if (ta !== tb) return ta - tb;
  return (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
}

/** gcTerminated: the terminated pods beyond `threshold` (0 or less: keep them all). */
export function terminatedPodsToDelete(pods: Pod[], threshold: number): Pod[] {
  if (threshold <= 0) return [];
  const terminated = pods.filter(isPodTerminated);
  const excess = terminated.length - threshold;
  if (excess <= 0) return [];
  return terminated.sort(compareForDeletion).slice(0, excess);
}

/** gcUnscheduledTerminating: being deleted but never bound, so no kubelet will ever confirm. */
export function unscheduledTerminatingPods(pods: Pod[]): Pod[] {
  return pods.filter((p) => p.metadata?.deletionTimestamp && !p.spec?.nodeName).sort(compareForDeletion);
}

function isNodeReady(node: Node): boolean {
  return node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
}

/** gcTerminating: terminating pods on a NotReady Node an admin tainted out-of-service (its kubelet is known dead). */
export function terminatingPodsOnOutOfServiceNodes(pods: Pod[], nodeOf: (name: string) => Node | undefined): Pod[] {
  return pods
    .filter((p) => {
      if (!p.metadata?.deletionTimestamp || isPodTerminated(p) || !p.spec?.nodeName) return false;
      const node = nodeOf(p.spec.nodeName);
      return node !== undefined && !isNodeReady(node) && (node.spec?.taints ?? []).some((t) => t.key === OUT_OF_SERVICE_TAINT);
    })
    .sort(compareForDeletion);
}

/** Names of Nodes pods are bound to that the cache does not know. */
export function unknownNodeNames(pods: Pod[], known: ReadonlySet<string>): string[] {
  return [...new Set(pods.map((p) => p.spec?.nodeName ?? '').filter((n) => n !== '' && !known.has(n)))];
}

/**
 * The quarantine of missing Nodes (the pod GC's delayed nodeQueue): a Node must stay missing for `quarantineMs`
 * from when it was first noticed, so that a pod bound to a Node the cache has not seen yet is not deleted.
 */
export class NodeQuarantine {
  private readonly readyAt = new Map<string, number>();

  constructor(private readonly quarantineMs: number) {}

  notice(nodeName: string, nowMs: number): void {
    if (!this.readyAt.has(nodeName)) this.readyAt.set(nodeName, nowMs + this.quarantineMs);
  }

  /** Nodes whose quarantine is over (removed: noticed again later, they start a new one). */
  takeDue(nowMs: number): string[] {
    const due: string[] = [];
    for (const [name, at] of this.readyAt) {
      if (at <= nowMs) {
        due.push(name);
        this.readyAt.delete(name);
      }
    }
    return due;
  }

  /** The earliest moment a quarantine ends, if any is running. */
  nextDue(): number | undefined {
    return this.readyAt.size ? Math.min(...this.readyAt.values()) : undefined;
  }
}

/** The condition the pod GC adds to a pod whose Node is gone (DisruptionTarget, reason DeletionByPodGC). */
export function nodeGoneCondition(now: string): PodCondition {
  return { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists', lastTransitionTime: now };
}
