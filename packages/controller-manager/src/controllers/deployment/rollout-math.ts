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
  let fraction: number;
  if (p.replicas === 0) fraction = -rs.replicas;
  else {
    // Without a usable max-replicas annotation (someone scaled a ReplicaSet by hand), the Deployment's current size
    // stands in; with neither there is nothing to be proportional to.
    const before = rs.maxReplicasAnnotation !== undefined && rs.maxReplicasAnnotation !== 0 ? rs.maxReplicasAnnotation : p.statusReplicas;
    fraction = before === 0 ? 0 : roundHalfAway((rs.replicas * (p.replicas + maxSurgeOf(p))) / before) - rs.replicas;
  }
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/**
 * FindActiveOrLatest: with at most one active ReplicaSet (one with replicas), the one a plain scale resizes: the
 * active one, else the new one, else the newest old one. Undefined when several are active (scale proportionally).
 */
export function findActiveOrLatest(newRS: RsSummary | undefined, olds: RsSummary[]): RsSummary | undefined {
  const active = [...olds, ...(newRS ? [newRS] : [])].filter((rs) => rs.replicas > 0);
  if (active.length > 1) return undefined;
  return active[0] ?? newRS ?? [...olds].sort(byAge).at(-1);
}

/** IsSaturated: the new ReplicaSet was sized for this Deployment and has every replica available. */
export function isSaturated(p: RolloutParams, newRS: RsSummary | undefined): boolean {
  return newRS !== undefined && newRS.replicas === p.replicas && newRS.desiredReplicasAnnotation === p.replicas && newRS.available === p.replicas;
}

/** The proportional part of DeploymentController.scale: every active ReplicaSet's next size, in the order they are written. */
export interface ProportionalPlan {
  /** "up", "down", or "" when the total already fits (the event's wording). */
  operation: 'up' | 'down' | '';
  /** Every active ReplicaSet, largest first; the first one took the rounding leftovers. */
  sizes: Array<{ rs: RsSummary; size: number }>;
}

export function proportionalPlan(p: RolloutParams, newRS: RsSummary | undefined, olds: RsSummary[]): ProportionalPlan {
  const active = [...olds, ...(newRS ? [newRS] : [])].filter((rs) => rs.replicas > 0);
  const allowed = p.replicas > 0 ? p.replicas + maxSurgeOf(p) : 0;
  const toAdd = allowed - sum(active, (rs) => rs.replicas);
  // Larger first; among equals the newer first when growing, the older first when shrinking.
  const ordered =
    toAdd === 0 ? active : [...active].sort((a, b) => b.replicas - a.replicas || (toAdd > 0 ? -byAge(a, b) : byAge(a, b)));
  let added = 0;
  const sizes = ordered.map((rs) => {
    const share = proportion(rs, p, toAdd, added);
    added += share;
    return { rs, size: rs.replicas + share };
  });
  if (sizes[0] && toAdd !== 0) sizes[0].size = Math.max(0, sizes[0].size + toAdd - added);
  return { operation: toAdd > 0 ? 'up' : toAdd < 0 ? 'down' : '', sizes };
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
  const target = findActiveOrLatest(newRS, olds);
  if (target || (!newRS && olds.length === 0)) {
    if (target) set(target, p.replicas);
    return sizes;
  }
  if (newSaturated) {
    for (const rs of olds) if (rs.replicas > 0) set(rs, 0);
    return sizes;
  }
  if (p.strategy !== 'RollingUpdate') return sizes;
  for (const { rs, size } of proportionalPlan(p, newRS, olds).sizes) set(rs, size);
  return sizes;
}

/**
 * oldPodsRunning (Recreate): whether any pod of an old ReplicaSet may still run: old ReplicaSets still count pods,
 * or a pod they control is in any phase but Succeeded/Failed, terminating ones included (the new pods must not
 * start next to them).
 */
export function oldPodsRunning(oldStatusReplicas: number, oldPodPhases: Array<string | undefined>): boolean {
  if (oldStatusReplicas > 0) return true;
  return oldPodPhases.some((phase) => phase !== 'Succeeded' && phase !== 'Failed');
}
