// What one sync of a pod must do, decided from the spec and what the runtime has (the kubelet's computePodActions):
// a pure function, so every restart rule is a unit test. The pod worker carries the actions out.
import type { corev1 } from '@k8ts/api-machinery';
import { latestInstance, type ContainerInstance, type PodRuntimeStatus } from '../runtime/types.js';

export interface ContainerToKill {
  id: string;
  name: string;
  /** Event message, e.g. "Container app failed liveness probe, will be restarted". */
  message: string;
}

export interface PodActions {
  /** Stop every container and the sandbox (sandbox gone or changed, or nothing is left to run). */
  killPod: boolean;
  createSandbox: boolean;
  /** Attempt number of the sandbox to create. */
  sandboxAttempt: number;
  /** The init container to start next (in order, one at a time). */
  nextInit?: corev1.Container | undefined;
  /** An init container failed and restartPolicy is Never: the pod fails. */
  initFailedPermanently: boolean;
  containersToStart: corev1.Container[];
  containersToKill: ContainerToKill[];
}

export interface ProbeVerdicts {
  /** Liveness (or startup) failed for this container instance: restart it. */
  shouldRestart(containerName: string, containerId: string): { restart: boolean; message: string };
}

export type HashFn = (container: corev1.Container) => string;

const restartPolicyOf = (pod: corev1.Pod): string => pod.spec?.restartPolicy ?? 'Always';

/** Should a container whose newest instance is `latest` be started (again)? */
export function shouldStart(pod: corev1.Pod, latest: ContainerInstance | undefined): boolean {
  if (!latest) return true;
  if (latest.state === 'running' || latest.state === 'created') return false;
  const policy = restartPolicyOf(pod);
  if (policy === 'Always') return true;
  if (policy === 'OnFailure') return latest.exitCode !== 0;
  return false;
}

/** Every init container has succeeded (its newest instance exited 0). */
export function initDone(pod: corev1.Pod, status: PodRuntimeStatus): boolean {
  return (pod.spec?.initContainers ?? []).every((c) => {
    const l = latestInstance(status, c.name, true);
    return l?.state === 'exited' && l.exitCode === 0;
  });
}

/** Has any app container ever been created (then init containers are not run again after a sandbox restart). */
function anyAppContainerCreated(pod: corev1.Pod, status: PodRuntimeStatus): boolean {
  return (pod.spec?.containers ?? []).some((c) => latestInstance(status, c.name) !== undefined);
}

function appContainersToStart(pod: corev1.Pod, status: PodRuntimeStatus, afterSandboxRestart: boolean): corev1.Container[] {
  return (pod.spec?.containers ?? []).filter((c) => {
    const latest = latestInstance(status, c.name);
    // After a new sandbox, running instances belonged to the old one and are being killed.
    if (afterSandboxRestart && latest && (latest.state === 'running' || latest.state === 'created')) return true;
    return shouldStart(pod, latest);
  });
}

export function computePodActions(pod: corev1.Pod, status: PodRuntimeStatus, probes: ProbeVerdicts, hash: HashFn): PodActions {
  const actions: PodActions = {
    killPod: false,
    createSandbox: false,
    sandboxAttempt: 0,
    initFailedPermanently: false,
    containersToStart: [],
    containersToKill: [],
  };
  const policy = restartPolicyOf(pod);
  const initContainers = pod.spec?.initContainers ?? [];
  const sandbox = status.sandboxes[0];

  // 1. The sandbox: none, or the newest is not ready → a new one (and everything in the pod restarts with it),
  //    unless the pod has finished for good (restartPolicy Never/OnFailure with nothing left to run).
  if (!sandbox || !sandbox.ready) {
    const nothingToRun =
      policy !== 'Always' &&
      status.containers.length > 0 &&
      (pod.spec?.containers ?? []).every((c) => !shouldStart(pod, latestInstance(status, c.name))) &&
      initDone(pod, status);
    if (nothingToRun) {
      actions.killPod = status.containers.some((c) => c.state === 'running') || status.sandboxes.some((s) => s.ready);
      return actions;
    }
    actions.killPod = status.sandboxes.length > 0 || status.containers.some((c) => c.state === 'running');
    actions.createSandbox = true;
    actions.sandboxAttempt = sandbox ? sandbox.attempt + 1 : 0;
    if (initContainers.length > 0 && !anyAppContainerCreated(pod, status)) {
      actions.nextInit = initContainers[0];
    } else if (initContainers.length > 0 && !initDone(pod, status)) {
      actions.nextInit = initContainers.find((c) => {
        const l = latestInstance(status, c.name, true);
        return !(l?.state === 'exited' && l.exitCode === 0);
      });
    } else {
      actions.containersToStart = appContainersToStart(pod, status, true);
    }
    return actions;
  }

  // 2. Init containers, one at a time, in order.
  if (!initDone(pod, status) && !anyAppContainerCreated(pod, status)) {
    for (const c of initContainers) {
      const latest = latestInstance(status, c.name, true);
      if (latest?.state === 'exited' && latest.exitCode === 0) continue;
      if (latest?.state === 'running' || latest?.state === 'created') return actions; // wait for it
      if (latest?.state === 'exited' && policy === 'Never') {
        actions.initFailedPermanently = true;
        actions.killPod = true;
        return actions;
      }
      actions.nextInit = c; // first start, or a restart of a failed one (subject to backoff)
      return actions;
    }
  }

  // 3. App containers: restart those that must (probes, spec changes), start those that should run.
  for (const c of pod.spec?.containers ?? []) {
    const latest = latestInstance(status, c.name);
    if (latest?.state === 'running') {
      const verdict = probes.shouldRestart(c.name, latest.id);
      if (verdict.restart) {
        actions.containersToKill.push({ id: latest.id, name: c.name, message: verdict.message });
        if (policy !== 'Never') actions.containersToStart.push(c);
        continue;
      }
      if (latest.hash !== hash(c)) {
        actions.containersToKill.push({ id: latest.id, name: c.name, message: `Container ${c.name} definition changed, will be restarted` });
        actions.containersToStart.push(c);
      }
      continue;
    }
    if (shouldStart(pod, latest)) actions.containersToStart.push(c);
  }

  // 4. Nothing running and nothing to start: the pod is done; stop the sandbox.
  const running = status.containers.some((c) => c.state === 'running' && !actions.containersToKill.some((k) => k.id === c.id));
  if (!running && actions.containersToStart.length === 0 && policy !== 'Always') actions.killPod = true;
  return actions;
}
