// What the kubelet knows of a pod from the runtime: its sandboxes and every container instance (one per attempt),
// newest first. The pod worker compares this with the pod spec; the status generator turns it into PodStatus.

export type ContainerState = 'created' | 'running' | 'exited' | 'unknown';

export interface ContainerInstance {
  id: string;
  /** The pod spec's container name. */
  name: string;
  /** 0 for the first instance; the restart count of the next is this + 1. */
  attempt: number;
  isInit: boolean;
  /** Hash of the container spec it was created from: a different hash means the spec changed. */
  hash: string;
  state: ContainerState;
  createdAt: number;
  startedAt?: number | undefined;
  finishedAt?: number | undefined;
  exitCode?: number | undefined;
  oomKilled: boolean;
  /** Docker's error when the start itself failed (bad command, mount error, ...). */
  error?: string | undefined;
  image: string;
  imageID: string;
  /** The container's termination message (terminationMessagePath or FallbackToLogsOnError). */
  message?: string | undefined;
}

export interface SandboxInstance {
  id: string;
  attempt: number;
  ready: boolean;
  ip?: string | undefined;
  createdAt: number;
  /** Sandboxes of host-network pods have no IP of their own. */
  hostNetwork: boolean;
}

export interface PodRuntimeStatus {
  uid: string;
  name: string;
  namespace: string;
  /** Newest first. */
  sandboxes: SandboxInstance[];
  /** Newest attempt first within each container name. */
  containers: ContainerInstance[];
}

export function emptyRuntimeStatus(uid: string, name: string, namespace: string): PodRuntimeStatus {
  return { uid, name, namespace, sandboxes: [], containers: [] };
}

/** The newest instance of a container, if any. */
export function latestInstance(status: PodRuntimeStatus, name: string, isInit = false): ContainerInstance | undefined {
  let best: ContainerInstance | undefined;
  for (const c of status.containers) {
    if (c.name !== name || c.isInit !== isInit) continue;
    if (!best || c.attempt > best.attempt || (c.attempt === best.attempt && c.createdAt > best.createdAt)) best = c;
  }
  return best;
}

/** The instance before the newest one (what `lastState` and `logs --previous` show). */
export function previousInstance(status: PodRuntimeStatus, name: string, isInit = false): ContainerInstance | undefined {
  const latest = latestInstance(status, name, isInit);
  let best: ContainerInstance | undefined;
  for (const c of status.containers) {
    if (c.name !== name || c.isInit !== isInit || c === latest) continue;
    if (!best || c.attempt > best.attempt) best = c;
  }
  return best;
}
