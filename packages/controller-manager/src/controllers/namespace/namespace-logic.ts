// The namespace controller's decisions (pkg/controller/namespace/deletion), pure: which resources a namespace's
// deletion must empty, how long to wait for what remains, the deletion conditions in the namespace's status, and the
// finalizers left once the `kubernetes` one is removed.
import { verbsOf, type KindDefinition, type NamespaceCondition, type Pod } from '@k8ts/api-machinery';

/** The finalizer the namespace controller owns in spec.finalizers. */
export const KUBERNETES_FINALIZER = 'kubernetes';
/** How long Kubernetes assumes finalizers on remaining objects take (finalizerEstimateSeconds). */
export const FINALIZER_ESTIMATE_SECONDS = 15;

export interface DeletableResource {
  group: string;
  version: string;
  /** The plural, e.g. "pods". */
  resource: string;
  kind: string;
  deleteCollection: boolean;
  list: boolean;
}

/** Every namespaced resource that can be deleted (discovery filtered by the "delete" verb). */
export function namespacedDeletableResources(kinds: KindDefinition[]): DeletableResource[] {
  return kinds
    .filter((k) => k.namespaced && verbsOf(k).includes('delete'))
    .map((k) => {
      const verbs = verbsOf(k);
      return { group: k.group, version: k.version, resource: k.plural, kind: k.kind, deleteCollection: verbs.includes('deletecollection'), list: verbs.includes('list') };
    });
}

/** "pods." or "deployments.apps": how the conditions name a resource (resource.group, as Kubernetes prints it). */
export function resourceLabel(r: Pick<DeletableResource, 'group' | 'resource'>): string {
  return `${r.resource}.${r.group}`;
}

/**
 * estimateGracefulTerminationForPods: the longest grace period among pods that have not finished, less the time the
 * namespace has been terminating (never negative), in whole seconds.
 */
export function podTerminationEstimateSeconds(pods: Pod[], deletedAtMs: number, nowMs: number): number {
  let estimate = 0;
  for (const pod of pods) {
    const phase = pod.status?.phase;
    if (phase === 'Succeeded' || phase === 'Failed') continue;
    const grace = pod.spec?.terminationGracePeriodSeconds;
    if (typeof grace === 'number' && grace > estimate) estimate = grace;
  }
  const left = estimate - (nowMs - deletedAtMs) / 1000;
  return left > 0 ? Math.floor(left) : 0;
}

/** What emptying one resource found. */
export interface ResourceOutcome {
  /** resourceLabel() of the resource. */
  resource: string;
  remaining: number;
  finalizers: Record<string, number>;
  /** Seconds to wait before looking again (0: nothing expected to go by itself). */
  estimateSeconds: number;
  /** A failure deleting or listing it. */
  error?: string | undefined;
}

/**
 * deleteAllContentForGroupVersionResource's verdict on what remains: with a time estimate (terminating pods) or
 * finalizers, wait; remaining objects with neither are unexpected, an error.
 */
export function remainingVerdict(
  resource: string,
  items: Array<{ metadata?: { finalizers?: string[] } }>,
  estimateSeconds: number,
  namespace: string,
): ResourceOutcome {
  const finalizers: Record<string, number> = {};
  for (const item of items) for (const f of item.metadata?.finalizers ?? []) finalizers[f] = (finalizers[f] ?? 0) + 1;
  if (items.length === 0) return { resource, remaining: 0, finalizers: {}, estimateSeconds };
  if (estimateSeconds > 0) return { resource, remaining: items.length, finalizers, estimateSeconds };
  if (Object.keys(finalizers).length > 0) return { resource, remaining: items.length, finalizers, estimateSeconds: FINALIZER_ESTIMATE_SECONDS };
  return {
    resource,
    remaining: items.length,
    finalizers,
    estimateSeconds,
    error: `unexpected items still remain in namespace: ${namespace} for gvr: ${resource}`,
  };
}

/** The condition types the namespace controller maintains, in Kubernetes' order. */
export const CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

const OK: Record<(typeof CONDITION_TYPES)[number], { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
};

export interface DeletionSummary {
  discoveryError?: string | undefined;
  outcomes: ResourceOutcome[];
}

/** The failing conditions this summary calls for (types absent here are set to their "ok" variant). */
function failingConditions(summary: DeletionSummary, now: string): NamespaceCondition[] {
  const out: NamespaceCondition[] = [];
  if (summary.discoveryError) {
    out.push({ type: 'NamespaceDeletionDiscoveryFailure', status: 'True', lastTransitionTime: now, reason: 'DiscoveryFailed', message: summary.discoveryError });
  }
  const errors = summary.outcomes.flatMap((o) => (o.error ? [o.error] : [])).sort();
  if (errors.length > 0) {
    out.push({
      type: 'NamespaceDeletionContentFailure',
      status: 'True',
      lastTransitionTime: now,
      reason: 'ContentDeletionFailed',
      message: `Failed to delete all resource types, ${errors.length} remaining: ${errors.join(', ')}`,
    });
  }
  const remaining = summary.outcomes
    .filter((o) => o.remaining > 0)
    .map((o) => `${o.resource} has ${o.remaining} resource instances`)
    .sort();
  if (remaining.length > 0) {
    out.push({
      type: 'NamespaceContentRemaining',
      status: 'True',
      lastTransitionTime: now,
      reason: 'SomeResourcesRemain',
      message: `Some resources are remaining: ${remaining.join(', ')}`,
    });
  }
  const byFinalizer: Record<string, number> = {};
  for (const o of summary.outcomes) {
    if (o.remaining === 0) continue;
    for (const [f, n] of Object.entries(o.finalizers)) byFinalizer[f] = (byFinalizer[f] ?? 0) + n;
  }
  const finalizers = Object.entries(byFinalizer)
    .filter(([, n]) => n > 0)
    .map(([f, n]) => `${f} in ${n} resource instances`)
    .sort();
  if (finalizers.length > 0) {
    out.push({
      type: 'NamespaceFinalizersRemaining',
      status: 'True',
      lastTransitionTime: now,
      reason: 'SomeFinalizerRemain',
      message: `Some finalizers are remaining: ${finalizers.join(', ')}`,
    });
  }
  return out;
}

/**
 * updateConditions: every maintained type present, failing ones True with their message, the rest False with the
 * "ok" reason; lastTransitionTime moves only when the status flips. `changed` says whether a status write is due.
 */
export function namespaceDeletionConditions(current: NamespaceCondition[], summary: DeletionSummary, now: string): { conditions: NamespaceCondition[]; changed: boolean } {
  const failing = failingConditions(summary, now);
  const conditions = current.map((c) => ({ ...c }));
  let changed = false;
  for (const type of CONDITION_TYPES) {
    const wanted = failing.find((c) => c.type === type) ?? { type, status: 'False', lastTransitionTime: now, ...OK[type] };
    const existing = conditions.find((c) => c.type === type);
    if (!existing) {
      conditions.push(wanted);
      changed = true;
    } else if (existing.status !== wanted.status || existing.reason !== wanted.reason || existing.message !== wanted.message) {
      if (existing.status !== wanted.status) existing.lastTransitionTime = now;
      existing.status = wanted.status;
      existing.reason = wanted.reason;
      existing.message = wanted.message;
      changed = true;
    }
  }
  return { conditions, changed };
}

/** The namespace's spec.finalizers without ours: a sorted set, as finalizeNamespace writes it. */
export function finalizersWithout(finalizers: string[] | undefined, token = KUBERNETES_FINALIZER): string[] {
  return [...new Set((finalizers ?? []).filter((f) => f !== token))].sort();
}

/** ResourcesRemainingError's requeue: half the estimate plus a second. */
export function recheckAfterMs(estimateSeconds: number): number {
  return (Math.floor(estimateSeconds / 2) + 1) * 1000;
}
