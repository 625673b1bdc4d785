// How many pods each of a Deployment's ReplicaSets should have (pkg/controller/deployment rolling.go, recreate.go,
// sync.go's scale and util's proportions), as pure arithmetic over ReplicaSet summaries.
import { resolveFenceposts } from '../../shared/int-or-percent.js';

/** A ReplicaSet as the rollout arithmetic sees it. */
export interface RsSummary {
  name: string;
  /** spec.replicas */
  replicas: number;
  /** status.availableReplicas */
  available: number;
  createdMs: number;
  /** The max-replicas annotation, when present (proportional scaling). */
  maxReplicasAnnotation?: number | undefined;
  /** The desired-replicas annotation, when present (scaling-event detection). */
  desiredReplicasAnnotation?: number | undefined;
}

export interface RolloutParams {
  replicas: number;
  strategy: 'RollingUpdate' | 'Recreate';
  maxSurge?: number | string | undefined;
  maxUnavailable?: number | string | undefined;
  /** status.replicas, the fallback when a ReplicaSet lacks the max-replicas annotation. */
  statusReplicas: number;
}

const sum = (rss: RsSummary[], f: (rs: RsSummary) => number): number => rss.reduce((n, rs) => n + f(rs), 0);
const byAge = (a: RsSummary, b: RsSummary): number => a.createdMs - b.createdMs || (a.name < b.name ? -1 : 1);

export function maxSurgeOf(p: RolloutParams): number {
  return p.strategy === 'RollingUpdate' ? resolveFenceposts(p.maxSurge, p.maxUnavailable, p.replicas).surge : 0;
}

export function maxUnavailableOf(p: RolloutParams): number {
  if (p.strategy !== 'RollingUpdate' || p.replicas === 0) return 0;
  return Math.min(resolveFenceposts(p.maxSurge, p.maxUnavailable, p.replicas).unavailable, p.replicas);
}

/** The new ReplicaSet's next size: up to replicas + maxSurge pods in total (NewRSNewReplicas). */
export function newReplicaSetSize(p: RolloutParams, newRS: RsSummary, all: RsSummary[]): number {
  if (p.strategy === 'Recreate') return p.replicas;
  const maxTotal = p.replicas + maxSurgeOf(p);
  const current = sum(all, (rs) => rs.replicas);
  if (current >= maxTotal) return newRS.replicas;
  return newRS.replicas + Math.min(maxTotal - current, p.replicas - newRS.replicas);
}

/**
 * Old ReplicaSets' next sizes during a rolling update (reconcileOldReplicaSets): first shed their unavailable pods,
 * then available ones, oldest ReplicaSet first, never below replicas - maxUnavailable available pods in total.
 * Returns only the ReplicaSets that change.
 */
export function oldReplicaSetSizes(p: RolloutParams, newRS: RsSummary | undefined, activeOld: RsSummary[]): Map<string, number> {
  const sizes = new Map<string, number>();
  const olds = [...activeOld].sort(byAge);
  const all = newRS ? [...olds, newRS] : olds;
  if (sum(olds, (rs) => rs.replicas) === 0) return sizes;
  const minAvailable = p.replicas - maxUnavailableOf(p);
  const newUnavailable = newRS ? newRS.replicas - newRS.available : 0;
  const maxScaledDown = sum(all, (rs) => rs.replicas) - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return sizes;

  const size = (rs: RsSummary): number => sizes.get(rs.name) ?? rs.replicas;
  let unhealthyScaledDown = 0;
  for (const rs of olds) {
    if (unhealthyScaledDown >= maxScaledDown) break;
    const unhealthy = rs.replicas - rs.available;
    if (rs.replicas === 0 || unhealthy <= 0) continue;
    const down = Math.min(maxScaledDown - unhealthyScaledDown, unhealthy);
    sizes.set(rs.name, rs.replicas - down);
    unhealthyScaledDown += down;
  }

  const available = sum(all, (rs) => rs.available);
  if (available <= minAvailable) return sizes;
  const toScaleDown = available - minAvailable;
  let scaledDown = 0;
  for (const rs of olds) {
    if (scaledDown >= toScaleDown) break;
    if (size(rs) === 0) continue;
    const down = Math.min(size(rs), toScaleDown - scaledDown);
    sizes.set(rs.name, size(rs) - down);
    scaledDown += down;
  }
  return sizes;
}

/** A replicas change the rollout did not cause: some active ReplicaSet was sized for another replica count. */
export function isScalingEvent(p: RolloutParams, all: RsSummary[]): boolean {
  return all.some((rs) => rs.replicas > 0 && rs.desiredReplicasAnnotation !== undefined && rs.desiredReplicasAnnotation !== p.replicas);
}

/** Go's math.Round: halves away from zero. */
const roundHalfAway = (x: number): number => Math.sign(x) * Math.round(Math.abs(x));

function proportion(rs: RsSummary, p: RolloutParams, toAdd: number, added: number): number {
  if (rs.replicas === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction =
    p.replicas === 0
      ? -rs.replicas
      : roundHalfAway((rs.replicas * (p.replicas + maxSurgeOf(p))) / (rs.maxReplicasAnnotation ?? p.statusReplicas)) - rs.replicas;
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * A scaling event during a rollout (DeploymentController.scale): one active ReplicaSet takes the whole count; a
 * saturated new one means the old go to zero; otherwise the change is spread in proportion to the ReplicaSets'
 * sizes, the leftover going to the largest. Returns only the ReplicaSets that change.
 */
export function proportionalSizes(p: RolloutParams, newRS: RsSummary | undefined, olds: RsSummary[], newSaturated: boolean): Map<string, number> {
  const sizes = new Map<string, number>();
  const set = (rs: RsSummary, n: number): void => {
    if (n !== rs.replicas) sizes.set(rs.name, n);
  };
  const active = [...olds, ...(newRS ? [newRS] : [])].filter((rs) => rs.replicas > 0);
  if (active.length <= 1) {
    const newestOld = [...olds].sort(byAge).at(-1);
    const target = active[0] ?? newRS ?? newestOld;
    if (target) set(target, p.replicas);
    return sizes;
  }
  if (newSaturated) {
    for (const rs of olds) if (rs.replicas > 0) set(rs, 0);
    return sizes;
  }
  if (p.strategy !== 'RollingUpdate') return sizes;
  const allowed = p.replicas > 0 ? p.replicas + maxSurgeOf(p) : 0;
  const toAdd = allowed - sum(active, (rs) => rs.replicas);
  // Larger first; among equals the newer first when growing, the older first when shrinking.
  const ordered = [...active].sort((a, b) => b.replicas - a.replicas || (toAdd > 0 ? b.createdMs - a.createdMs : a.createdMs - b.createdMs));
  const next = new Map<string, number>();
  let added = 0;
  for (const rs of ordered) {
    const share = toAdd !== 0 ? proportion(rs, p, toAdd, added) : 0;
    next.set(rs.name, rs.replicas + share);
    added += share;
  }
  const largest = ordered[0];
  if (largest && toAdd !== 0) next.set(largest.name, Math.max(0, (next.get(largest.name) ?? 0) + toAdd - added));
  for (const rs of ordered) set(rs, next.get(rs.name) ?? rs.replicas);
  return sizes;
}
