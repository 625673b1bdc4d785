// Deployment revisions (pkg/controller/deployment/util): every ReplicaSet a Deployment owns carries the revision its
// template was last rolled out at, and `kubectl rollout history/undo` read them (undo is client-side: it copies an old
// ReplicaSet's template back into the Deployment).
import { canonicalJson } from '../../shared/template-hash.js';
import { cloneJson, type JsonValue, type PodTemplateSpec, type ReplicaSet } from '@k8ts/api-machinery';

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

/** SetNewReplicaSetAnnotations keeps revision-history under this many characters (maxRevHistoryLengthInChars). */
export const MAX_REVISION_HISTORY_CHARS = 2000;

/**
 * The annotations a new (or re-used) ReplicaSet gets at `revision` (SetNewReplicaSetAnnotations): the Deployment's
 * own, the revision (a re-used one records its previous revisions in revision-history, oldest dropped past 2000
 * characters), and, only for a ReplicaSet about to be created, desired and max replicas. An existing ReplicaSet's
 * replica annotations are left alone: they record the size it was scaled for, which proportional scaling reads.
 */
export function replicaSetAnnotations(
  current: Record<string, string> | undefined,
  deploymentAnnotations: Record<string, string> | undefined,
  revision: number,
  replicas?: { desired: number; max: number },
): Record<string, string> {
  const next: Record<string, string> = { ...(current ?? {}), ...copiableAnnotations(deploymentAnnotations) };
  const old = current?.[REVISION_ANNOTATION];
  const oldNumber = old === undefined || old === '' ? 0 : Number(old);
  if (!Number.isInteger(oldNumber)) return { ...(current ?? {}) }; // an unreadable revision: Kubernetes leaves it all alone
  if (oldNumber < revision) {
    next[REVISION_ANNOTATION] = String(revision);
    if (old !== undefined) {
      const history = current?.[REVISION_HISTORY_ANNOTATION];
      if (!history) next[REVISION_HISTORY_ANNOTATION] = old;
      else {
        const parts = history.split(',');
        let total = history.length + old.length + 1;
        let start = 0;
        while (total > MAX_REVISION_HISTORY_CHARS && start < parts.length) total -= parts[start++]!.length + 1;
        if (total <= MAX_REVISION_HISTORY_CHARS) next[REVISION_HISTORY_ANNOTATION] = [...parts.slice(start), old].join(',');
      }
    }
  }
  if (replicas) {
    next[DESIRED_REPLICAS_ANNOTATION] = String(replicas.desired);
    next[MAX_REPLICAS_ANNOTATION] = String(replicas.max);
  }
  return next;
}

/** Whether two annotation maps differ (what decides an update). */
export function annotationsDiffer(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const x = a ?? {};
  const y = b ?? {};
  const keys = new Set([...Object.keys(x), ...Object.keys(y)]);
  for (const k of keys) if (x[k] !== y[k]) return true;
  return false;
}

/** The replica annotations a scale writes (SetReplicasAnnotations); undefined when they are already right. */
export function replicasAnnotationsUpdate(current: Record<string, string> | undefined, desired: number, max: number): Record<string, string> | undefined {
  if (current?.[DESIRED_REPLICAS_ANNOTATION] === String(desired) && current[MAX_REPLICAS_ANNOTATION] === String(max)) return undefined;
  return { ...(current ?? {}), [DESIRED_REPLICAS_ANNOTATION]: String(desired), [MAX_REPLICAS_ANNOTATION]: String(max) };
}

/** A ReplicaSet as the revision bookkeeping sees it. */
export interface RsRevisionSummary {
  name: string;
  revision: number;
  createdMs: number;
  replicas: number;
  statusReplicas: number;
  generation: number;
  observedGeneration: number;
  deleting: boolean;
}

/**
 * cleanupDeployment: the old ReplicaSets beyond revisionHistoryLimit, lowest revision first, that may go now (scaled
 * to zero, with no pods left, their latest spec observed, not already being deleted).
 */
export function replicaSetsToCleanUp(oldRSs: RsRevisionSummary[], revisionHistoryLimit: number): string[] {
  const alive = oldRSs.filter((rs) => !rs.deleting);
  const diff = alive.length - revisionHistoryLimit;
  if (diff <= 0) return [];
  const sorted = [...alive].sort((a, b) => a.revision - b.revision || a.createdMs - b.createdMs || (a.name < b.name ? -1 : 1));
  return sorted
    .slice(0, diff)
    .filter((rs) => rs.statusReplicas === 0 && rs.replicas === 0 && rs.generation <= rs.observedGeneration)
    .map((rs) => rs.name);
}

/** The second highest revision (LastRevision): what a rollback to "the previous revision" goes to. */
export function lastRevision(revisions: number[]): number {
  let max = 0;
  let second = 0;
  for (const v of revisions) {
    if (v >= max) {
      second = max;
      max = v;
    } else if (v > second) second = v;
  }
  return second;
}

/**
 * The Deployment's annotations after a rollback to a ReplicaSet (SetDeploymentAnnotationsTo): its own annotations of
 * the kinds never copied, plus every other annotation of the ReplicaSet (e.g. its change-cause).
 */
export function annotationsForRollback(deploymentAnnotations: Record<string, string> | undefined, rsAnnotations: Record<string, string> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(deploymentAnnotations ?? {})) if (NOT_COPIED.has(k)) out[k] = v;
  for (const [k, v] of Object.entries(rsAnnotations ?? {})) if (!NOT_COPIED.has(k)) out[k] = v;
  return out;
}

/** The template a rollback copies into the Deployment (SetFromReplicaSetTemplate): the ReplicaSet's, minus the hash label. */
export function templateWithoutHash(template: PodTemplateSpec | undefined): PodTemplateSpec {
  const copy = cloneJson((template ?? {}) as unknown as JsonValue) as unknown as PodTemplateSpec;
  if (copy.metadata?.labels) {
    delete copy.metadata.labels[POD_TEMPLATE_HASH_LABEL];
  }
  return copy;
}

/** The annotation through which apps/v1 round-trips the deprecated spec.rollbackTo (getRollbackTo). */
export const ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';

export function rollbackToRevision(annotations: Record<string, string> | undefined): number | undefined {
  const raw = annotations?.[ROLLBACK_TO_ANNOTATION];
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  return Number.isInteger(n) ? n : undefined; // an unreadable one is ignored, as Kubernetes does
}

const createdMs = (rs: ReplicaSet): number => {
  const t = Date.parse(rs.metadata?.creationTimestamp ?? '');
  return Number.isNaN(t) ? 0 : t;
};

/** Oldest first, by name among equals (controller.ReplicaSetsByCreationTimestamp). */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const name = (rs: ReplicaSet): string => rs.metadata?.name ?? '';
  return createdMs(a) - createdMs(b) || (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
}

/**
 * FindNewReplicaSet: the ReplicaSet running the Deployment's template. Several can match (after an upgrade, or a
 * collision resolved late); the oldest is chosen so every sync picks the same one.
 */
export function findNewReplicaSet(template: PodTemplateSpec | undefined, replicaSets: ReplicaSet[]): ReplicaSet | undefined {
  return [...replicaSets].sort(byCreation).find((rs) => templatesEqualIgnoringHash(rs.spec?.template, template));
}
