// The container runtime as the pod worker sees it: pods are sandboxes and container instances found by label; the
// worker decides, the runtime does. The Docker implementation is docker-runtime.ts.
import type { corev1 } from '@k8ts/api-machinery';
import type { PodRuntimeStatus, SandboxInstance } from './types.js';

export interface PodIdentity {
  uid: string;
  name: string;
  namespace: string;
}

export interface ExecResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** A container ready to create: the worker resolved env and volumes already. */
export interface ContainerLaunch {
  pod: corev1.Pod;
  container: corev1.Container;
  isInit: boolean;
  attempt: number;
  sandbox: SandboxInstance;
  env: Array<{ name: string; value: string }>;
  /** Docker mounts (bind / volume / tmpfs) for this container's volumeMounts. */
  mounts: Array<{ Type: 'bind' | 'volume' | 'tmpfs'; Source?: string; Target: string; ReadOnly?: boolean }>;
}

export interface RuntimeEvent {
  podUid: string;
  containerId: string;
  /** Docker's action: start, die, oom, destroy, ... */
  action: string;
}

export interface PodRuntime {
  /** What the runtime has for this pod (sandboxes and containers), newest first. */
  podStatus(pod: PodIdentity): Promise<PodRuntimeStatus>;
  /** Every pod this node's runtime has containers for (adoption, orphans, garbage collection). */
  listPods(): Promise<PodRuntimeStatus[]>;
  createSandbox(pod: corev1.Pod, options: { attempt: number; ip: string | undefined }): Promise<SandboxInstance>;
  /** Stops a sandbox (its containers must be stopped first). */
  stopSandbox(id: string): Promise<void>;
  imagePresent(image: string): Promise<boolean>;
  pullImage(image: string, signal?: AbortSignal): Promise<void>;
  /** The user an image runs as (for runAsNonRoot), '' for root/unset. */
  imageUser(image: string): Promise<string>;
  /** Creates and starts a container; resolves with its id. Start errors reject (the instance stays, exited). */
  startContainer(launch: ContainerLaunch): Promise<string>;
  /** SIGTERM (or the image's stop signal), SIGKILL after graceSeconds. */
  stopContainer(id: string, graceSeconds: number): Promise<void>;
  removeContainer(id: string): Promise<void>;
  exec(containerId: string, command: string[], timeoutMs: number): Promise<ExecResult>;
  /** Container lifecycle events of this node's pods, to react at once instead of at the next periodic sync. */
  events(signal: AbortSignal): AsyncIterable<RuntimeEvent>;
}
