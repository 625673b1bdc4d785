// The StatefulSet controller's decisions (pkg/controller/statefulset stateful_set_control.go and stateful_set_utils.go),
// free of I/O: pod identities (<set>-<ordinal>, hostname/subdomain, the pod-name and pod-index labels), the claims
// from volumeClaimTemplates (<claim>-<set>-<ordinal>), and one sync's plan — create missing ordinals, replace
// finished pods, delete condemned ordinals highest first, and roll pods at or above the partition to the update
// revision highest first. OrderedReady ("monotonic") stops at the first pod that is not Running and Ready; Parallel
// does everything at once.
import type { OwnerReference, PersistentVolumeClaim, Pod, PodSpec, PodTemplateSpec, StatefulSet, StatefulSetStatus, Volume } from '@k8ts/api-machinery';
import { cloneJson, type JsonValue } from '@k8ts/api-machinery';
import { isPodAvailable, isPodReady } from '../../shared/pod-state.js';
import { podFromTemplate } from '../../shared/pod-template.js';
import { CONTROLLER_REVISION_HASH_LABEL } from '../history/controller-history.js';

export const POD_NAME_LABEL = 'statefulset.kubernetes.io/pod-name';
export const POD_INDEX_LABEL = 'apps.kubernetes.io/pod-index';

const ORDINAL = /^(.*)-([0-9]+)$/;

/** The parent name and ordinal of a stateful pod's name; ordinal -1 when it has none. */
export function parseOrdinal(podName: string): { parent: string; ordinal: number } {
  const m = ORDINAL.exec(podName);
  if (!m) return { parent: '', ordinal: -1 };
  const ordinal = Number(m[2]);
  return Number.isSafeInteger(ordinal) && ordinal <= 2 ** 31 - 1 ? { parent: m[1]!, ordinal } : { parent: '', ordinal: -1 };
}

export const ordinalOf = (pod: Pod): number => parseOrdinal(pod.metadata?.name ?? '').ordinal;

/** isMemberOf: named <set>-<ordinal>, so a pod that merely matches the selector is not taken. */
export function isMemberOf(setName: string, pod: Pod): boolean {
  return parseOrdinal(pod.metadata?.name ?? '').parent === setName;
}

export const podName = (setName: string, ordinal: number): string => `${setName}-${ordinal}`;
export const claimName = (claimTemplate: string, setName: string, ordinal: number): string => `${claimTemplate}-${setName}-${ordinal}`;

export const startOrdinal = (set: StatefulSet): number => set.spec?.ordinals?.start ?? 0;
export const replicasOf = (set: StatefulSet): number => set.spec?.replicas ?? 1;

/** The revision a pod was made from (for a StatefulSet the label holds the full revision name). */
export const podRevision = (pod: Pod): string => pod.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';

export const isTerminating = (pod: Pod): boolean => pod.metadata?.deletionTimestamp !== undefined;
export const isRunningAndReady = (pod: Pod): boolean => pod.status?.phase === 'Running' && isPodReady(pod);
export const isRunningAndAvailable = (pod: Pod, minReadySeconds: number, nowMs: number): boolean =>
  pod.status?.phase === 'Running' && isPodAvailable(pod, minReadySeconds, nowMs);
export const isHealthy = (pod: Pod): boolean => isRunningAndReady(pod) && !isTerminating(pod);
const isFinished = (pod: Pod): boolean => pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';

/** The PVCs a pod of `set` at `ordinal` uses, by template name: the template's labels plus the selector's matchLabels. */
export function claimsFor(set: StatefulSet, ordinal: number): Map<string, PersistentVolumeClaim> {
  const claims = new Map<string, PersistentVolumeClaim>();
  const setName = set.metadata?.name ?? '';
  for (const template of set.spec?.volumeClaimTemplates ?? []) {
    const templateName = template.metadata?.name ?? '';
    const copy = cloneJson(template as unknown as JsonValue) as unknown as PersistentVolumeClaim;
    claims.set(templateName, {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      ...(copy.spec ? { spec: copy.spec } : {}),
      metadata: {
        ...(copy.metadata?.annotations ? { annotations: copy.metadata.annotations } : {}),
        name: claimName(templateName, setName, ordinal),
        namespace: set.metadata?.namespace ?? '',
        labels: { ...(copy.metadata?.labels ?? {}), ...(set.spec?.selector?.matchLabels ?? {}) },
      },
    });
  }
  return claims;
}

/**
 * newStatefulSetPod: the template's pod named <set>-<ordinal>, with its identity (hostname, subdomain from
 * serviceName, the pod-name and pod-index labels), its claims mounted as volumes named after their templates
 * (replacing template volumes of the same name), and the revision it was made from.
 */
export function newStatefulSetPod(set: StatefulSet, template: PodTemplateSpec | undefined, ordinal: number, revisionName: string, ref: OwnerReference): Pod {
  const setName = set.metadata?.name ?? '';
  const namespace = set.metadata?.namespace ?? '';
  const pod = podFromTemplate(template ?? { spec: { containers: [] } }, namespace, setName, ref);
  const name = podName(setName, ordinal);
  const { generateName: _unused, ...meta } = pod.metadata ?? {};
  pod.metadata = {
    ...meta,
    name,
    labels: { ...(meta.labels ?? {}), [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinal), [CONTROLLER_REVISION_HASH_LABEL]: revisionName },
  };
  const spec: PodSpec = pod.spec ?? { containers: [] };
  const claimVolumes: Volume[] = [...claimsFor(set, ordinal)].map(([volumeName, claim]) => ({
    name: volumeName,
    persistentVolumeClaim: { claimName: claim.metadata?.name ?? '' },
  }));
  const claimed = new Set(claimVolumes.map((v) => v.name));
  const volumes = [...(spec.volumes ?? []).filter((v) => !claimed.has(v.name)), ...claimVolumes];
  pod.spec = {
    ...spec,
    hostname: name,
    ...(set.spec?.serviceName ? { subdomain: set.spec.serviceName } : {}),
    ...(volumes.length > 0 ? { volumes } : {}),
  };
  return pod;
}

/** The identity labels a pod must carry (identityMatches; hostname and subdomain are immutable once created). */
export function identityLabelsMissing(pod: Pod): Record<string, string> | undefined {
  const name = pod.metadata?.name ?? '';
  const want = { [POD_NAME_LABEL]: name, [POD_INDEX_LABEL]: String(ordinalOf(pod)) };
  const labels = pod.metadata?.labels ?? {};
  return Object.entries(want).every(([k, v]) => labels[k] === v) ? undefined : want;
}

export interface StatefulView {
  name: string;
  replicas: number;
  start: number;
  /** OrderedReady: one pod at a time, in order. */
  monotonic: boolean;
  deleting: boolean;
  strategy: 'RollingUpdate' | 'OnDelete';
  partition: number;
  minReadySeconds: number;
  currentRevision: string;
  updateRevision: string;
}

export function statefulViewOf(set: StatefulSet, currentRevision: string, updateRevision: string): StatefulView {
  const strategy = set.spec?.updateStrategy;
  return {
    name: set.metadata?.name ?? '',
    replicas: replicasOf(set),
    start: startOrdinal(set),
    monotonic: set.spec?.podManagementPolicy !== 'Parallel',
    deleting: set.metadata?.deletionTimestamp !== undefined,
    strategy: strategy?.type === 'OnDelete' ? 'OnDelete' : 'RollingUpdate',
    partition: strategy?.rollingUpdate?.partition ?? 0,
    minReadySeconds: set.spec?.minReadySeconds ?? 0,
    currentRevision,
    updateRevision,
  };
}

export type StatefulAction =
  | { kind: 'create'; ordinal: number; revision: 'current' | 'update' }
  | { kind: 'delete'; pod: Pod; reason: 'finished' | 'scale-down' | 'update' }
  /** A pending pod's claims are re-created if missing (someone deleted a PVC the pod waits for). */
  | { kind: 'ensure-claims'; pod: Pod }
  | { kind: 'fix-identity'; pod: Pod; labels: Record<string, string> };

export interface StatefulPlan {
  actions: StatefulAction[];
  status: Required<Pick<StatefulSetStatus, 'replicas' | 'readyReplicas' | 'currentReplicas' | 'updatedReplicas' | 'availableReplicas'>>;
}

/**
 * One sync of updateStatefulSet. `pods` are the set's own members. In monotonic mode the plan stops at the first
 * step that must wait (a pod not yet Running and Ready, a pod terminating) or act, so at most one pod changes per sync.
 */
export function planStatefulSet(view: StatefulView, pods: readonly Pod[], nowMs: number): StatefulPlan {
  const end = view.start + view.replicas - 1;
  const replicas: Array<Pod | undefined> = new Array<Pod | undefined>(Math.max(0, view.replicas)).fill(undefined);
  const condemned: Pod[] = [];
  for (const pod of pods) {
    const ord = ordinalOf(pod);
    if (ord < 0) continue;
    if (ord >= view.start && ord <= end) replicas[ord - view.start] = pod;
    else condemned.push(pod);
  }
  condemned.sort((a, b) => ordinalOf(b) - ordinalOf(a));
  const status = replicaStatus([...replicas.filter((p): p is Pod => p !== undefined), ...condemned], view, nowMs);
  const actions: StatefulAction[] = [];
  if (view.deleting) return { actions, status };

  const available = (p: Pod): boolean => isRunningAndAvailable(p, view.minReadySeconds, nowMs);
  // The first unhealthy pod, among replicas and then condemned lowest first: the one a blocked scale-down may still remove.
  let firstUnhealthy: Pod | undefined;
  for (const p of replicas) {
    if (p && !isHealthy(p)) {
      firstUnhealthy = p;
      break;
    }
  }
  if (!firstUnhealthy) {
    for (let i = condemned.length - 1; i >= 0; i--) {
      if (!isHealthy(condemned[i]!)) {
        firstUnhealthy = condemned[i];
        break;
      }
    }
  }

  // 1. The replicas in ordinal order.
  for (let i = 0; i < replicas.length; i++) {
    const pod = replicas[i];
    const ordinal = view.start + i;
    if (!pod) {
      const useCurrent = view.strategy === 'RollingUpdate' && ordinal < view.start + view.partition;
      actions.push({ kind: 'create', ordinal, revision: useCurrent ? 'current' : 'update' });
      if (view.monotonic) return { actions, status };
      continue;
    }
    if (isFinished(pod)) {
      // A finished pod is deleted and made again on a later sync, once it is gone.
      if (!isTerminating(pod)) actions.push({ kind: 'delete', pod, reason: 'finished' });
      if (view.monotonic) return { actions, status };
      continue;
    }
    if (pod.status?.phase === 'Pending' || pod.status?.phase === undefined) actions.push({ kind: 'ensure-claims', pod });
    if (view.monotonic && (isTerminating(pod) || !isRunningAndReady(pod) || !available(pod))) return { actions, status };
    const labels = identityLabelsMissing(pod);
    if (labels) actions.push({ kind: 'fix-identity', pod, labels });
  }

  // 2. Scale down: condemned pods highest ordinal first, each only once every replica is healthy (monotonic).
  for (const pod of condemned) {
    if (isTerminating(pod)) {
      if (view.monotonic) return { actions, status };
      continue;
    }
    if (view.monotonic && pod !== firstUnhealthy && (!isRunningAndReady(pod) || !available(pod))) return { actions, status };
    actions.push({ kind: 'delete', pod, reason: 'scale-down' });
    if (view.monotonic) return { actions, status };
  }

  // 3. RollingUpdate: the highest ordinal at or above the partition not at the update revision goes first.
  if (view.strategy === 'OnDelete') return { actions, status };
  for (let target = replicas.length - 1; target >= view.partition; target--) {
    const pod = replicas[target];
    if (!pod) continue;
    if (podRevision(pod) !== view.updateRevision && !isTerminating(pod)) {
      actions.push({ kind: 'delete', pod, reason: 'update' });
      return { actions, status };
    }
    if (!isHealthy(pod)) return { actions, status };
  }
  return { actions, status };
}

/** computeReplicaStatus over the pods that exist. */
export function replicaStatus(pods: readonly Pod[], view: Pick<StatefulView, 'minReadySeconds' | 'currentRevision' | 'updateRevision'>, nowMs: number): StatefulPlan['status'] {
  const s = { replicas: 0, readyReplicas: 0, currentReplicas: 0, updatedReplicas: 0, availableReplicas: 0 };
  for (const pod of pods) {
    s.replicas++;
    if (isRunningAndReady(pod)) {
      s.readyReplicas++;
      if (isRunningAndAvailable(pod, view.minReadySeconds, nowMs)) s.availableReplicas++;
    }
    if (!isTerminating(pod)) {
      if (podRevision(pod) === view.currentRevision) s.currentReplicas++;
      if (podRevision(pod) === view.updateRevision) s.updatedReplicas++;
    }
  }
  return s;
}

/** completeRollingUpdate: once every pod is updated and ready, the update revision becomes the current one. */
export function completeRollingUpdate(
  view: Pick<StatefulView, 'strategy' | 'currentRevision' | 'updateRevision'>,
  status: StatefulPlan['status'],
): { currentRevision: string; currentReplicas: number } {
  if (view.strategy === 'RollingUpdate' && status.updatedReplicas === status.replicas && status.readyReplicas === status.replicas) {
    return { currentRevision: view.updateRevision, currentReplicas: status.updatedReplicas };
  }
  return { currentRevision: view.currentRevision, currentReplicas: status.currentReplicas };
}
