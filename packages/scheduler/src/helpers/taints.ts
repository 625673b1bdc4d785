// Taints and tolerations as Kubernetes matches them (v1.Toleration.ToleratesTaint and the scheduling helpers).
import type { Taint, Toleration } from '@k8ts/api-machinery';

export const TAINT_EFFECT_NO_SCHEDULE = 'NoSchedule';
export const TAINT_EFFECT_PREFER_NO_SCHEDULE = 'PreferNoSchedule';
export const TAINT_EFFECT_NO_EXECUTE = 'NoExecute';
/** The taint a cordoned node stands for; tolerating it also tolerates spec.unschedulable. */
export const TAINT_NODE_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

/** An empty effect tolerates every effect, an empty key with Exists every key; Equal (or no operator) needs the value. */
export function toleratesTaint(toleration: Toleration, taint: Taint): boolean {
  if (toleration.effect && toleration.effect !== taint.effect) return false;
  if (toleration.key && toleration.key !== taint.key) return false;
  switch (toleration.operator ?? '') {
    case '':
    case 'Equal':
      return (toleration.value ?? '') === (taint.value ?? '');
    case 'Exists':
      return true;
    default:
      return false;
  }
}

export function tolerationsTolerateTaint(tolerations: readonly Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => toleratesTaint(t, taint));
}

/** The taints the filter enforces: NoSchedule and NoExecute (PreferNoSchedule only lowers the score). */
export const doNotScheduleTaint = (t: Taint): boolean => t.effect === TAINT_EFFECT_NO_SCHEDULE || t.effect === TAINT_EFFECT_NO_EXECUTE;

/** The first taint (in node order) that passes `inScope` and no toleration tolerates. */
export function findUntoleratedTaint(
  taints: readonly Taint[] | undefined,
  tolerations: readonly Toleration[] | undefined,
  inScope: (t: Taint) => boolean,
): Taint | undefined {
  return (taints ?? []).find((t) => inScope(t) && !tolerationsTolerateTaint(tolerations, t));
}
