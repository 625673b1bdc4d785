// The taint eviction controller's decisions (pkg/controller/tainteviction), pure: which NoExecute taints a pod
// tolerates and for how long, and when it must go.
import type { Pod, Taint, Toleration } from '@k8ts/api-machinery';
import { TAINT_NOT_READY, TAINT_UNREACHABLE } from './node-lifecycle-logic.js';

/** v1.Toleration.ToleratesTaint. */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if ((toleration.key ?? '') !== (taint.key ?? '') && !(toleration.operator === 'Exists' && !toleration.key)) return false;
  switch (toleration.operator ?? 'Equal') {
    case 'Exists':
      return true;
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    default:
      return false;
  }
}

/**
 * The pod's tolerations as the DefaultTolerationSeconds admission plugin would leave them: k8ts' apiserver does not
 * run that plugin, so a pod that does not tolerate not-ready / unreachable NoExecute gets the default here.
 */
export function effectiveTolerations(pod: Pod, defaultSeconds: number): Toleration[] {
  const tolerations = pod.spec?.tolerations ?? [];
  const covers = (key: string): boolean => tolerations.some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
  const extra: Toleration[] = [];
  for (const key of [TAINT_NOT_READY, TAINT_UNREACHABLE]) {
    if (!covers(key)) extra.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: defaultSeconds });
  }
  return [...tolerations, ...extra];
}

export type EvictionDecision =
  /** No NoExecute taint concerns the pod (or it tolerates them forever): cancel any pending eviction. */
  | { kind: 'keep' }
  /** Delete now. */
  | { kind: 'evict' }
  /** Tolerated until `atMs` (measured from when the eviction was first scheduled). */
  | { kind: 'wait'; atMs: number };

/**
 * processPodOnNode: a pod that does not tolerate every NoExecute taint of its node goes at once; otherwise it goes
 * after the shortest tolerationSeconds of the tolerations used, counted from `scheduledAtMs` (when this controller
 * first saw it tainted); when no used toleration has a bound it stays.
 */
export function evictionDecision(taints: Taint[], tolerations: Toleration[], scheduledAtMs: number): EvictionDecision {
  const noExecute = taints.filter((t) => t.effect === 'NoExecute');
  if (noExecute.length === 0) return { kind: 'keep' };
  // GetMatchingTolerations: the first toleration of each taint.
  const used: Toleration[] = [];
  for (const taint of noExecute) {
    const match = tolerations.find((t) => toleratesTaint(t, taint));
    if (!match) return { kind: 'evict' };
    used.push(match);
  }
  // getMinTolerationTime: unbounded tolerations do not count; none bounded means forever; a bound <= 0 means now.
  const bounds = used.flatMap((t) => (typeof t.tolerationSeconds === 'number' ? [t.tolerationSeconds] : []));
  if (bounds.length === 0) return { kind: 'keep' };
  const seconds = Math.min(...bounds);
  if (seconds <= 0) return { kind: 'evict' };
  return { kind: 'wait', atMs: scheduledAtMs + seconds * 1000 };
}
