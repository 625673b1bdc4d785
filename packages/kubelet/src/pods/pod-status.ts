// The PodStatus the kubelet writes, from the spec and the runtime's view (the kubelet's generateAPIPodStatus and
// getPhase): pure, so every STATUS string `kubectl get pods` shows can be produced and tested.
import type { corev1 } from '@k8ts/api-machinery';
import { latestInstance, previousInstance, type ContainerInstance, type PodRuntimeStatus } from '../runtime/types.js';

/** Why a container is waiting, when the worker knows better than "ContainerCreating" (image pulls, config errors, backoff). */
export interface WaitingReason {
  reason: string;
  message: string;
}

export interface StatusInputs {
  hostIP: string;
  now: string;
  /** Keyed `init/<name>` or `app/<name>`. */
  waiting: ReadonlyMap<string, WaitingReason>;
  ready(containerName: string, containerId: string): boolean;
  started(containerName: string, containerId: string): boolean;
  qosClass: string;
  /** An init container failed with restartPolicy Never: the pod failed. */
  initFailedPermanently?: boolean;
  /** Host-network pods use the node's IP. */
  hostNetwork: boolean;
}

export const waitingKey = (isInit: boolean, name: string): string => `${isInit ? 'init' : 'app'}/${name}`;

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z'));

export function terminatedState(c: ContainerInstance): corev1.ContainerStateTerminated {
  const reason = c.oomKilled ? 'OOMKilled' : c.error ? 'ContainerCannotRun' : c.exitCode === 0 ? 'Completed' : 'Error';
  return {
    exitCode: c.exitCode ?? (c.error ? 128 : 0),
    reason,
    ...(c.error ? { message: c.error } : c.message ? { message: c.message } : {}),
    ...(c.startedAt !== undefined ? { startedAt: iso(c.startedAt) } : {}),
    ...(c.finishedAt !== undefined ? { finishedAt: iso(c.finishedAt) } : {}),
    containerID: `docker://${c.id}`,
  };
}

function containerStatus(
  container: corev1.Container,
  isInit: boolean,
  status: PodRuntimeStatus,
  inputs: StatusInputs,
  initPending: boolean,
): corev1.ContainerStatus {
  const latest = latestInstance(status, container.name, isInit);
  const previous = previousInstance(status, container.name, isInit);
  const waiting = inputs.waiting.get(waitingKey(isInit, container.name));
  const out: corev1.ContainerStatus = {
    name: container.name,
    image: container.image ?? '',
    imageID: latest?.imageID ? `docker-pullable://${latest.imageID}` : '',
    ready: false,
    restartCount: latest ? latest.attempt : 0,
    started: false,
    state: {},
    lastState: {},
  };
  if (latest) out.containerID = `docker://${latest.id}`;
  const defaultWaiting = (): WaitingReason => ({ reason: isInit || !initPending ? (isInit ? 'PodInitializing' : 'ContainerCreating') : 'PodInitializing', message: '' });
  if (!latest) {
    const w = waiting ?? defaultWaiting();
    out.state = { waiting: { reason: w.reason, ...(w.message ? { message: w.message } : {}) } };
  } else if (latest.state === 'running') {
    out.state = { running: { startedAt: iso(latest.startedAt ?? latest.createdAt) } };
    out.started = inputs.started(container.name, latest.id);
    out.ready = !isInit && out.started && inputs.ready(container.name, latest.id);
    if (previous?.state === 'exited') out.lastState = { terminated: terminatedState(previous) };
  } else if (latest.state === 'exited') {
    if (waiting) {
      // Waiting to be restarted (CrashLoopBackOff, or an image/config problem on the next attempt).
      out.state = { waiting: { reason: waiting.reason, ...(waiting.message ? { message: waiting.message } : {}) } };
      out.lastState = { terminated: terminatedState(latest) };
    } else {
      out.state = { terminated: terminatedState(latest) };
      if (previous?.state === 'exited') out.lastState = { terminated: terminatedState(previous) };
    }
  } else {
    const w = waiting ?? { reason: 'ContainerCreating', message: '' };
    out.state = { waiting: { reason: w.reason, ...(w.message ? { message: w.message } : {}) } };
    if (previous?.state === 'exited') out.lastState = { terminated: terminatedState(previous) };
  }
  return out;
}

/** The kubelet's getPhase. */
export function podPhase(pod: corev1.Pod, init: corev1.ContainerStatus[], app: corev1.ContainerStatus[], initFailedPermanently: boolean): string {
  const policy = pod.spec?.restartPolicy ?? 'Always';
  let pendingInit = 0;
  let failedInit = 0;
  for (const s of init) {
    if (s.state?.terminated) {
      if (s.state.terminated.exitCode !== 0) failedInit++;
    } else if (s.state?.waiting && s.lastState?.terminated && s.lastState.terminated.exitCode !== 0) {
      failedInit++;
    } else {
      pendingInit++;
    }
  }
  if (initFailedPermanently || (failedInit > 0 && policy === 'Never')) return 'Failed';
  let running = 0;
  let waiting = 0;
  let stopped = 0;
  let succeeded = 0;
  for (const s of app) {
    if (s.state?.running) running++;
    else if (s.state?.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.lastState?.terminated) stopped++;
    else waiting++;
  }
  if (pendingInit > 0 || failedInit > 0) return 'Pending';
  if (waiting > 0) return 'Pending';
  if (running > 0) return 'Running';
  if (stopped > 0) {
    if (policy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (policy === 'OnFailure') return 'Running';
    return 'Failed';
  }
  return 'Pending';
}

function condition(type: string, ok: boolean, previous: corev1.PodCondition[] | undefined, now: string, reason?: string, message?: string): corev1.PodCondition {
  const status = ok ? 'True' : 'False';
  const before = previous?.find((c) => c.type === type);
  return {
    type,
    status,
    lastTransitionTime: before && before.status === status && before.lastTransitionTime ? before.lastTransitionTime : now,
    ...(reason ? { reason } : {}),
    ...(message ? { message } : {}),
  };
}

export function generatePodStatus(pod: corev1.Pod, status: PodRuntimeStatus, inputs: StatusInputs): corev1.PodStatus {
  const initSpecs = pod.spec?.initContainers ?? [];
  const appSpecs = pod.spec?.containers ?? [];
  const initStatuses = initSpecs.map((c) => containerStatus(c, true, status, inputs, false));
  const initComplete = initStatuses.every((s) => s.state?.terminated?.exitCode === 0) || appSpecs.some((c) => latestInstance(status, c.name) !== undefined);
  const appStatuses = appSpecs.map((c) => containerStatus(c, false, status, inputs, !initComplete));
  const previousPhase = pod.status?.phase;
  let phase = podPhase(pod, initStatuses, appStatuses, inputs.initFailedPermanently ?? false);
  // Terminal phases never change back (the kubelet refuses that transition too).
  if (previousPhase === 'Succeeded' || previousPhase === 'Failed') phase = previousPhase;

  const prev = pod.status?.conditions;
  const terminal = phase === 'Succeeded' || phase === 'Failed';
  const notInitialized = initSpecs.filter((_, i) => initStatuses[i]!.state?.terminated?.exitCode !== 0).map((c) => c.name);
  const unready = appSpecs.filter((_, i) => !appStatuses[i]!.ready).map((c) => c.name);
  const containersReady = unready.length === 0 && !terminal;
  const readyReason = terminal ? 'PodCompleted' : containersReady ? undefined : 'ContainersNotReady';
  const readyMessage = terminal || containersReady ? undefined : `containers with unready status: [${unready.join(' ')}]`;
  const sandboxReady = status.sandboxes[0]?.ready ?? false;
  const conditions: corev1.PodCondition[] = [
    condition('PodReadyToStartContainers', sandboxReady, prev, inputs.now),
    condition(
      'Initialized',
      initComplete || notInitialized.length === 0,
      prev,
      inputs.now,
      initComplete || notInitialized.length === 0 ? (terminal && initSpecs.length ? 'PodCompleted' : undefined) : 'ContainersNotInitialized',
      initComplete || notInitialized.length === 0 ? undefined : `containers with incomplete status: [${notInitialized.join(' ')}]`,
    ),
    condition('Ready', containersReady, prev, inputs.now, readyReason, readyMessage),
    condition('ContainersReady', containersReady, prev, inputs.now, readyReason, readyMessage),
  ];
  const scheduled = prev?.find((c) => c.type === 'PodScheduled');
  if (scheduled) conditions.push(scheduled);

  const sandbox = status.sandboxes[0];
  const podIP = inputs.hostNetwork ? inputs.hostIP : sandbox?.ip ?? pod.status?.podIP;
  const startTime = pod.status?.startTime ?? inputs.now;
  return {
    phase,
    conditions,
    hostIP: inputs.hostIP,
    hostIPs: [{ ip: inputs.hostIP }],
    ...(podIP ? { podIP, podIPs: [{ ip: podIP }] } : {}),
    startTime,
    ...(initSpecs.length ? { initContainerStatuses: initStatuses } : {}),
    containerStatuses: appStatuses,
    qosClass: inputs.qosClass,
  };
}
