// Deployment revisions (pkg/controller/deployment/util): every ReplicaSet a Deployment owns carries the revision its
// template was last rolled out at, and `kubectl rollout history/undo` read them (undo is client-side: it copies an old
// ReplicaSet's template back into the Deployment).
import { canonicalJson } from '../../shared/template-hash.js';
import type { JsonValue, PodTemplateSpec, ReplicaSet } from '@k8ts/api-machinery';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const POD_TEMPLATE_HASH_LABEL = 'pod-template-hash';

/** Annotations a Deployment never copies to its ReplicaSets (they describe the Deployment itself). */
const NOT_COPIED = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  'deprecated.deployment.rollback.to',
]);

export function revisionOf(rs: { metadata?: { annotations?: Record<string, string> } }): number {
  const raw = rs.metadata?.annotations?.[REVISION_ANNOTATION];
  const n = raw === undefined ? 0 : Number(raw);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

export function maxRevision(replicaSets: ReplicaSet[]): number {
  return replicaSets.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
}

/** Templates equal apart from the pod-template-hash label (EqualIgnoreHash). */
export function templatesEqualIgnoringHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  const strip = (t: PodTemplateSpec | undefined): JsonValue => {
    const labels = { ...(t?.metadata?.labels ?? {}) };
    delete labels[POD_TEMPLATE_HASH_LABEL];
    const metadata = { ...(t?.metadata ?? {}), labels };
    return { ...(t ?? {}), metadata } as unknown as JsonValue;
  };
  return canonicalJson(strip(a)) === canonicalJson(strip(b));
}

/** The Deployment's annotations that its ReplicaSets carry too. */
export function copiableAnnotations(deploymentAnnotations: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(deploymentAnnotations ?? {})) if (!NOT_COPIED.has(k)) out[k] = v;
  return out;
}

/**
 * The annotations a new (or re-used) ReplicaSet gets at `revision`: the Deployment's own, the revision (a re-used
 * one records its previous revisions in revision-history), desired and max replicas for proportional scaling.
 */
export function replicaSetAnnotations(
  current: Record<string, string> | undefined,
  deploymentAnnotations: Record<string, string> | undefined,
  revision: number,
  desiredReplicas: number,
  maxReplicas: number,
): Record<string, string> {
  const next: Record<string, string> = { ...(current ?? {}), ...copiableAnnotations(deploymentAnnotations) };
  const old = current?.[REVISION_ANNOTATION];
  if (old !== undefined && Number(old) < revision) {
    const history = current?.[REVISION_HISTORY_ANNOTATION];
    next[REVISION_HISTORY_ANNOTATION] = history ? `${history},${old}` : old;
  }
  if (old === undefined || Number(old) < revision) next[REVISION_ANNOTATION] = String(revision);
  next[DESIRED_REPLICAS_ANNOTATION] = String(desiredReplicas);
  next[MAX_REPLICAS_ANNOTATION] = String(maxReplicas);
  return next;
}
