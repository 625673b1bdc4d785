// Docker names and labels of the containers the kubelet owns (DESIGN.md "Containers the kubelet owns"), and the way
// back from a container's labels to the pod and container it belongs to, so a restarted kubelet can adopt them.
import type { corev1 } from '@k8ts/api-machinery';

export const LABEL_POD_NAME = 'io.kubernetes.pod.name';
export const LABEL_POD_NAMESPACE = 'io.kubernetes.pod.namespace';
export const LABEL_POD_UID = 'io.kubernetes.pod.uid';
export const LABEL_CONTAINER_NAME = 'io.kubernetes.container.name';
export const LABEL_DOCKER_TYPE = 'io.kubernetes.docker.type';
export const LABEL_RESTART_COUNT = 'io.kubernetes.container.restartCount';
export const LABEL_CONTAINER_HASH = 'io.kubernetes.container.hash';
export const LABEL_CONTAINER_INIT = 'io.kubernetes.container.init';
export const LABEL_TERMINATION_GRACE_PERIOD = 'io.kubernetes.pod.terminationGracePeriod';
export const LABEL_NODE = 'k8ts.node';
/** dockershim kept the pod's annotations as labels with this prefix. */
export const ANNOTATION_LABEL_PREFIX = 'annotation.';

/** The container name Kubernetes gives every sandbox. */
export const SANDBOX_CONTAINER_NAME = 'POD';
const NAME_PREFIX = 'k8s';

/** What a kubelet-owned container is, read back from its labels. */
export interface ContainerKey {
  podUid: string;
  podName: string;
  namespace: string;
  /** `POD` for the sandbox. */
  containerName: string;
  attempt: number;
  isSandbox: boolean;
  isInit: boolean;
  /** The container spec hash at creation; empty for the sandbox. */
  hash: string;
  /** The node that created it; empty when the label is absent. */
  nodeName: string;
  /** Seconds, when the label was set. */
  terminationGracePeriodSeconds?: number;
}

interface PodIdentity {
  name: string;
  namespace: string;
  uid: string;
}

function podIdentity(pod: corev1.Pod): PodIdentity {
  return { name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? 'default', uid: pod.metadata?.uid ?? '' };
}

/** `k8s_<container>_<pod>_<namespace>_<uid>_<attempt>`. */
export function containerName(pod: corev1.Pod, container: Pick<corev1.Container, 'name'>, attempt: number): string {
  const id = podIdentity(pod);
  return [NAME_PREFIX, container.name, id.name, id.namespace, id.uid, String(attempt)].join('_');
}

/** `k8s_POD_<pod>_<namespace>_<uid>_<attempt>`. */
export function sandboxName(pod: corev1.Pod, attempt = 0): string {
  return containerName(pod, { name: SANDBOX_CONTAINER_NAME }, attempt);
}

/** Splits a Docker container name (with or without Docker's leading slash) made by containerName/sandboxName. */
export function parseContainerName(dockerName: string): Pick<ContainerKey, 'containerName' | 'podName' | 'namespace' | 'podUid' | 'attempt' | 'isSandbox'> | undefined {
  const parts = dockerName.replace(/^\//, '').split('_');
  // Kubernetes names are DNS labels/subdomains, never containing '_', so exactly six parts.
  if (parts.length !== 6 || parts[0] !== NAME_PREFIX) return undefined;
  const [, container, podName, namespace, podUid, attemptText] = parts as [string, string, string, string, string, string];
  if (!/^\d+$/.test(attemptText)) return undefined;
  return { containerName: container, podName, namespace, podUid, attempt: Number(attemptText), isSandbox: container === SANDBOX_CONTAINER_NAME };
}

function gracePeriod(pod: corev1.Pod): string {
  return String(pod.spec?.terminationGracePeriodSeconds ?? 30);
}

function commonLabels(pod: corev1.Pod, nodeName: string): Record<string, string> {
  const id = podIdentity(pod);
  return {
    [LABEL_POD_NAME]: id.name,
    [LABEL_POD_NAMESPACE]: id.namespace,
    [LABEL_POD_UID]: id.uid,
    [LABEL_TERMINATION_GRACE_PERIOD]: gracePeriod(pod),
    [LABEL_NODE]: nodeName,
  };
}

/** The pod's annotations as `annotation.<key>` labels, as dockershim kept them. */
export function annotationLabels(pod: corev1.Pod): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(pod.metadata?.annotations ?? {})) labels[ANNOTATION_LABEL_PREFIX + key] = value;
  return labels;
}

export function sandboxLabels(pod: corev1.Pod, nodeName: string, attempt = 0): Record<string, string> {
  return {
    ...annotationLabels(pod),
    ...commonLabels(pod, nodeName),
    [LABEL_CONTAINER_NAME]: SANDBOX_CONTAINER_NAME,
    [LABEL_DOCKER_TYPE]: 'podsandbox',
    [LABEL_RESTART_COUNT]: String(attempt),
  };
}

export interface ContainerLabelOptions {
  nodeName: string;
  attempt: number;
  isInit?: boolean;
}

export function containerLabels(pod: corev1.Pod, container: corev1.Container, options: ContainerLabelOptions): Record<string, string> {
  return {
    ...annotationLabels(pod),
    ...commonLabels(pod, options.nodeName),
    [LABEL_CONTAINER_NAME]: container.name,
    [LABEL_DOCKER_TYPE]: 'container',
    [LABEL_RESTART_COUNT]: String(options.attempt),
    [LABEL_CONTAINER_HASH]: hashContainer(container),
    [LABEL_CONTAINER_INIT]: String(options.isInit ?? isInitContainer(pod, container.name)),
  };
}

/** Whether the pod lists `name` among its init containers. */
export function isInitContainer(pod: corev1.Pod, name: string): boolean {
  return (pod.spec?.initContainers ?? []).some((c) => c.name === name);
}

/** Reads a container's labels back; undefined when it is not a kubelet-owned container. */
export function parseContainerLabels(labels: Record<string, string> | null | undefined): ContainerKey | undefined {
  if (!labels) return undefined;
  const podUid = labels[LABEL_POD_UID];
  const podName = labels[LABEL_POD_NAME];
  const namespace = labels[LABEL_POD_NAMESPACE];
  const name = labels[LABEL_CONTAINER_NAME];
  if (!podUid || !podName || !namespace || !name) return undefined;
  const type = labels[LABEL_DOCKER_TYPE];
  const isSandbox = type === 'podsandbox' || (type === undefined && name === SANDBOX_CONTAINER_NAME);
  const attempt = Number.parseInt(labels[LABEL_RESTART_COUNT] ?? '0', 10);
  const grace = labels[LABEL_TERMINATION_GRACE_PERIOD];
  const key: ContainerKey = {
    podUid,
    podName,
    namespace,
    containerName: name,
    attempt: Number.isFinite(attempt) ? attempt : 0,
    isSandbox,
    isInit: labels[LABEL_CONTAINER_INIT] === 'true',
    hash: labels[LABEL_CONTAINER_HASH] ?? '',
    nodeName: labels[LABEL_NODE] ?? '',
  };
  if (grace !== undefined && /^-?\d+$/.test(grace)) key.terminationGracePeriodSeconds = Number(grace);
  return key;
}

/** JSON with object keys sorted, so equal specs hash equally whatever order their fields were written in. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** FNV-1a 32-bit over UTF-8, as Kubernetes' HashContainer uses (hex, like its label). */
function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * A stable hash of the container spec: every change to it (image, command, env, ...) changes the hash, so the kubelet
 * can tell that a running container no longer matches its pod and must be restarted.
 */
export function hashContainer(container: corev1.Container): string {
  return fnv1a32(stableJson(container)).toString(16);
}
