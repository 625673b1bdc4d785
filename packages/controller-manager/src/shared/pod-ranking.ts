// Which pods a controller deletes first when it scales down (pkg/controller ActivePodsWithRanks): the least useful
// first — unscheduled, pending, not ready, cheap to delete, doubled up on a node, ready for the shortest time
// (on a log2 scale, so pods of similar age count as equal), restarted most, newest.
import type { Pod } from '@k8ts/api-machinery';
import { isPodReady, maxContainerRestarts, podReadySince } from './pod-state.js';

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

export interface RankedPod {
  pod: Pod;
  /** How many related pods share its node: a higher rank is deleted first. */
  rank: number;
}

function deletionCost(pod: Pod): number {
  const raw = pod.metadata?.annotations?.[POD_DELETION_COST_ANNOTATION];
  const n = raw === undefined ? 0 : Number(raw);
  return Number.isInteger(n) ? n : 0;
}

function time(ts: string | undefined): number | undefined {
  if (!ts) return undefined;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? undefined : t;
}

/** log2 of the age in nanoseconds, as Go's int64(math.Log2(float64(duration))); -1 when not in the past. */
function logAge(t: number, nowMs: number): number {
  const ns = (nowMs - t) * 1e6;
  return ns > 0 ? Math.floor(Math.log2(ns)) : -1;
}

/** Compare two times so that empty < newer < older; bucketed by log2 of their age. 0 when equal. */
function compareNewerFirst(a: number | undefined, b: number | undefined, nowMs: number, uidA: string, uidB: string): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  const diff = logAge(a, nowMs) - logAge(b, nowMs);
  if (diff === 0) return uidA < uidB ? -1 : uidA > uidB ? 1 : 0;
  return diff;
}

/** Negative when `a` should be deleted before `b`. */
export function compareForDeletion(a: RankedPod, b: RankedPod, nowMs: number): number {
  const [pa, pb] = [a.pod, b.pod];
  const nodeA = pa.spec?.nodeName ?? '';
  const nodeB = pb.spec?.nodeName ?? '';
  if (nodeA !== nodeB && (nodeA === '' || nodeB === '')) return nodeA === '' ? -1 : 1;
  const phaseA = PHASE_ORDER[pa.status?.phase ?? ''] ?? 0;
  const phaseB = PHASE_ORDER[pb.status?.phase ?? ''] ?? 0;
  if (phaseA !== phaseB) return phaseA - phaseB;
  const readyA = isPodReady(pa);
  const readyB = isPodReady(pb);
  if (readyA !== readyB) return readyA ? 1 : -1;
  const costA = deletionCost(pa);
  const costB = deletionCost(pb);
  if (costA !== costB) return costA - costB;
  if (a.rank !== b.rank) return b.rank - a.rank;
  const uidA = pa.metadata?.uid ?? '';
  const uidB = pb.metadata?.uid ?? '';
  if (readyA && readyB) {
    const byReady = compareNewerFirst(podReadySince(pa), podReadySince(pb), nowMs, uidA, uidB);
    if (byReady !== 0) return byReady;
  }
  const restartsA = maxContainerRestarts(pa);
  const restartsB = maxContainerRestarts(pb);
  if (restartsA !== restartsB) return restartsB - restartsA;
  return compareNewerFirst(time(pa.metadata?.creationTimestamp), time(pb.metadata?.creationTimestamp), nowMs, uidA, uidB);
}

/**
 * Ranks `candidates` by how many of `related` (e.g. every pod of the same Deployment) run on the same node, so a
 * scale-down removes doubled-up pods first and keeps the spread.
 */
export function rankByCoLocation(candidates: Pod[], related: Pod[]): RankedPod[] {
  const perNode = new Map<string, number>();
  for (const p of related) {
    const node = p.spec?.nodeName;
    if (node) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  return candidates.map((pod) => ({ pod, rank: pod.spec?.nodeName ? (perNode.get(pod.spec.nodeName) ?? 0) : 0 }));
}

/** The `count` pods to delete first. */
export function podsToDelete(candidates: Pod[], related: Pod[], count: number, nowMs: number): Pod[] {
  if (count <= 0) return [];
  return rankByCoLocation(candidates, related)
    .sort((a, b) => compareForDeletion(a, b, nowMs))
    .slice(0, count)
    .map((r) => r.pod);
}
