// One sync of one pod (the kubelet's SyncPod / SyncTerminatingPod): compare the spec with what the runtime has,
// carry out the actions, write the status. Level-triggered: every call starts from what Docker says now, so a
// missed event, a crash or a kubelet restart is repaired by the next sync. The pod manager guarantees at most one
// sync per pod at a time.
import type { corev1 } from '@k8ts/api-machinery';
import type { EventRecorder } from '@k8ts/client';
import type { Logger } from '@k8ts/observability';
import type { PodIPAllocator } from '../network/ipam.js';
import type { ContainerLaunch, PodRuntime } from '../runtime/pod-runtime.js';
import { latestInstance, type ContainerInstance, type PodRuntimeStatus, type SandboxInstance } from '../runtime/types.js';
import { computePodActions, type HashFn } from './pod-actions.js';
import { generatePodStatus, waitingKey, type WaitingReason } from './pod-status.js';
import { RestartCarryover } from './restart-carryover.js';
import type { StatusManager } from './status-manager.js';

/** Volumes of one pod, set up (or refreshed) before containers start. */
export interface PodVolumes {
  /** Sets up or refreshes every volume; rejects with a message fit for a FailedMount event. */
  setUp(pod: corev1.Pod): Promise<{ mountsFor(container: corev1.Container, env: Array<{ name: string; value: string }>, attempt: number): ContainerLaunch['mounts'] }>;
  tearDown(podUid: string): Promise<void>;
}

/** Resolves a container's environment; rejects with Kubernetes' message for a missing ConfigMap/Secret (key). */
export type EnvResolver = (pod: corev1.Pod, container: corev1.Container, podIP: string) => Promise<Array<{ name: string; value: string }>>;

export interface ProbeState {
  syncPod(pod: corev1.Pod, running: Array<{ containerName: string; containerId: string; startedAt: number; podIP: string }>): void;
  removePod(podUid: string): void;
  readiness(podUid: string, containerName: string, containerId: string): boolean | undefined;
  liveness(podUid: string, containerName: string, containerId: string): 'success' | 'failure' | undefined;
  started(podUid: string, containerName: string, containerId: string): boolean;
}

/** Per-key exponential backoff (container restarts, image pulls). */
export interface RestartBackoff {
  /** In backoff since `since` (the failed container's finish time; default now)? */
  isInBackOff(key: string, now: number, since?: number): boolean;
  next(key: string, now: number, since?: number): number;
  remaining(key: string, now: number, since?: number): number;
  /** The current delay for the key, for messages like "back-off 20s". */
  get(key: string): number;
}

export type HookRunner = (
  handler: corev1.LifecycleHandler,
  target: { pod: corev1.Pod; container: corev1.Container; containerId: string; podIP: string; timeoutMs: number },
) => Promise<{ ok: boolean; message: string }>;

export interface PodSyncerDeps {
  runtime: PodRuntime;
  volumes: PodVolumes;
  env: EnvResolver;
  probes: ProbeState;
  restartBackoff: RestartBackoff;
  pullBackoff: RestartBackoff;
  runHook: HookRunner;
  hash: HashFn;
  qosClass: (pod: corev1.Pod) => string;
  runAsNonRootError: (container: corev1.Container, pod: corev1.Pod, imageUser: string) => string | undefined;
  recorder: EventRecorder;
  status: StatusManager;
  ipam: () => PodIPAllocator | undefined;
  nodeIP: string;
  logger: Logger;
  now?: () => number;
}

export interface SyncResult {
  /** Come back after this long (backoff expiry, or a container still starting). */
  requeueAfterMs?: number;
  /** The pod is gone for good: forget it. */
  done?: boolean;
}

const podKey = (pod: corev1.Pod): string => `${pod.metadata?.namespace}/${pod.metadata?.name}`;
const uidOf = (pod: corev1.Pod): string => pod.metadata?.uid ?? '';
const describe = (pod: corev1.Pod): string => `${pod.metadata?.name}_${pod.metadata?.namespace}(${uidOf(pod)})`;
const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class PodSyncer {
  /** Per pod uid: why containers are waiting (image pull errors, config errors, backoff). */
  private readonly waiting = new Map<string, Map<string, WaitingReason>>();
  private readonly initFailed = new Set<string>();
  /** FailedMount messages already reported, so a retry loop does not flood events. */
  private readonly reportedMountErrors = new Map<string, string>();
  /** When each image pull (pod uid/image) last failed: pull backoff counts from there. */
  private readonly pullFailedAt = new Map<string, number>();
  private readonly now: () => number;
  /** Ready/started of containers adopted after a kubelet restart, until their probes speak again. */
  private readonly carryover: RestartCarryover;

  constructor(private readonly deps: PodSyncerDeps) {
    this.now = deps.now ?? Date.now;
    this.carryover = new RestartCarryover(this.now());
  }

  /** Every probe report (the probe manager's onChange), so adopted containers hand over to their probes. */
  probeReported(pod: corev1.Pod | undefined, containerName: string, kind: 'liveness' | 'readiness' | 'startup', containerId: string, result: string, changed: boolean): void {
    const spec = [...(pod?.spec?.containers ?? []), ...(pod?.spec?.initContainers ?? [])].find((c) => c.name === containerName);
    this.carryover.probeReported(spec, kind, containerId, result, changed);
  }

  private waitingOf(uid: string): Map<string, WaitingReason> {
    let m = this.waiting.get(uid);
    if (!m) this.waiting.set(uid, (m = new Map()));
    return m;
  }

  /** Brings one pod to its spec. */
  async sync(pod: corev1.Pod, signal: AbortSignal): Promise<SyncResult> {
    if (pod.metadata?.deletionTimestamp) return this.terminate(pod, signal);
    const uid = uidOf(pod);
    const { runtime } = this.deps;
    const terminal = pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
    let rt = await runtime.podStatus({ uid, name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? '' });
    if (terminal) {
      // A finished pod keeps its dead containers (logs) but nothing of it runs.
      await this.stopEverything(pod, rt, 0);
      return {};
    }
    const hostNetwork = pod.spec?.hostNetwork === true;
    if (!hostNetwork && !this.deps.ipam()) {
      await this.writeStatus(pod, rt, 'network is not ready: the node has no podCIDR yet');
      return { requeueAfterMs: 1000 };
    }

    let volumes: Awaited<ReturnType<PodVolumes['setUp']>>;
    try {
      volumes = await this.deps.volumes.setUp(pod);
      this.reportedMountErrors.delete(uid);
    } catch (e) {
      const message = errorText(e);
      if (this.reportedMountErrors.get(uid) !== message) {
        this.reportedMountErrors.set(uid, message);
        this.deps.recorder.event(pod, 'Warning', 'FailedMount', message);
      }
      await this.writeStatus(pod, rt);
      return { requeueAfterMs: 2000 };
    }

    const actions = computePodActions(pod, rt, { shouldRestart: (name, id) => this.shouldRestart(pod, name, id) }, this.deps.hash);
    if (actions.killPod) {
      await this.stopEverything(pod, rt, this.gracePeriod(pod));
      if (actions.initFailedPermanently) this.initFailed.add(uid);
    }
    for (const kill of actions.containersToKill) {
      const spec = pod.spec?.containers?.find((c) => c.name === kill.name);
      this.deps.recorder.event(pod, 'Normal', 'Killing', kill.message);
      await this.stopContainer(pod, spec, kill.id, rt.sandboxes[0]?.ip ?? '', this.gracePeriod(pod));
    }
    let sandbox: SandboxInstance | undefined = rt.sandboxes[0];
    if (actions.createSandbox) {
      const ip = hostNetwork ? undefined : this.deps.ipam()!.allocate(uid);
      try {
        sandbox = await runtime.createSandbox(pod, { attempt: actions.sandboxAttempt, ip });
        if (actions.sandboxAttempt > 0) this.deps.recorder.event(pod, 'Normal', 'SandboxChanged', 'Pod sandbox changed, it will be killed and re-created.');
      } catch (e) {
        this.deps.recorder.event(pod, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${errorText(e)}`);
        await this.writeStatus(pod, rt);
        return { requeueAfterMs: 2000 };
      }
    }
    let requeueAfterMs: number | undefined;
    const consider = (ms: number | undefined): void => {
      if (ms !== undefined && ms > 0) requeueAfterMs = requeueAfterMs === undefined ? ms : Math.min(requeueAfterMs, ms);
    };
    if (sandbox && !signal.aborted) {
      if (actions.nextInit) consider(await this.startContainer(pod, actions.nextInit, true, rt, sandbox, volumes));
      for (const c of actions.containersToStart) {
        if (signal.aborted) break;
        consider(await this.startContainer(pod, c, false, rt, sandbox, volumes));
      }
    }
    rt = await runtime.podStatus({ uid, name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? '' });
    this.syncProbes(pod, rt);
    await this.writeStatus(pod, rt);
    return requeueAfterMs === undefined ? {} : { requeueAfterMs };
  }

  private shouldRestart(pod: corev1.Pod, name: string, id: string): { restart: boolean; message: string } {
    const uid = uidOf(pod);
    if (!this.deps.probes.started(uid, name, id)) {
      // A startup probe past its failure threshold reports failure through liveness() too.
      if (this.deps.probes.liveness(uid, name, id) === 'failure') return { restart: true, message: `Container ${name} failed startup probe, will be restarted` };
      return { restart: false, message: '' };
    }
    if (this.deps.probes.liveness(uid, name, id) === 'failure') return { restart: true, message: `Container ${name} failed liveness probe, will be restarted` };
    return { restart: false, message: '' };
  }

  private gracePeriod(pod: corev1.Pod): number {
    return pod.metadata?.deletionGracePeriodSeconds ?? pod.spec?.terminationGracePeriodSeconds ?? 30;
  }

  /** Starts one container (image, env, create, start, postStart). Returns a requeue delay when it had to wait. */
  private async startContainer(
    pod: corev1.Pod,
    container: corev1.Container,
    isInit: boolean,
    rt: PodRuntimeStatus,
    sandbox: SandboxInstance,
    volumes: Awaited<ReturnType<PodVolumes['setUp']>>,
  ): Promise<number | undefined> {
    const uid = uidOf(pod);
    const { runtime, recorder } = this.deps;
    const waiting = this.waitingOf(uid);
    const key = waitingKey(isInit, container.name);
    const latest = latestInstance(rt, container.name, isInit);
    const backoffKey = `${uid}/${container.name}`;
    const now = this.now();

    // Restart backoff: the first restart is immediate, then 10 s, 20 s, ... (CrashLoopBackOff while waiting).
    if (latest?.state === 'exited') {
      const since = latest.finishedAt ?? now;
      if (this.deps.restartBackoff.isInBackOff(backoffKey, now, since)) {
        const message = `back-off ${formatSeconds(this.deps.restartBackoff.get(backoffKey))} restarting failed container=${container.name} pod=${describe(pod)}`;
        waiting.set(key, { reason: 'CrashLoopBackOff', message });
        recorder.event(pod, 'Warning', 'BackOff', `Back-off restarting failed container ${container.name} in pod ${describe(pod)}`);
        return this.deps.restartBackoff.remaining(backoffKey, now, since) + 50;
      }
      this.deps.restartBackoff.next(backoffKey, now, since);
    }

    const image = container.image ?? '';
    if (!(await this.ensureImage(pod, container, key, waiting))) {
      const pullKey = `${uid}/${image}`;
      return Math.max(1000, this.deps.pullBackoff.remaining(pullKey, this.now(), this.pullFailedAt.get(pullKey)) + 50);
    }
    const imageUser = await runtime.imageUser(image);
    const nonRoot = this.deps.runAsNonRootError(container, pod, imageUser);
    if (nonRoot) {
      waiting.set(key, { reason: 'CreateContainerConfigError', message: nonRoot });
      recorder.event(pod, 'Warning', 'Failed', `Error: ${nonRoot}`);
      return 5000;
    }
    let env: Array<{ name: string; value: string }>;
    let launch: ContainerLaunch;
    try {
      env = await this.deps.env(pod, container, sandbox.ip ?? this.deps.nodeIP);
      const attempt = latest ? latest.attempt + 1 : 0;
      launch = { pod, container, isInit, attempt, sandbox, env, mounts: volumes.mountsFor(container, env, attempt) };
    } catch (e) {
      const message = errorText(e);
      waiting.set(key, { reason: 'CreateContainerConfigError', message });
      recorder.event(pod, 'Warning', 'Failed', `Error: ${message}`);
      return 5000;
    }
    let id: string;
    try {
      id = await runtime.startContainer(launch);
    } catch (e) {
      const message = errorText(e);
      waiting.delete(key);
      recorder.event(pod, 'Warning', 'Failed', `Error: ${message}`);
      this.deps.logger.warn({ pod: podKey(pod), container: container.name, err: message }, 'container start failed');
      return undefined;
    }
    waiting.delete(key);
    recorder.event(pod, 'Normal', 'Created', `Created container ${container.name}`);
    recorder.event(pod, 'Normal', 'Started', `Started container ${container.name}`);
    const postStart = container.lifecycle?.postStart;
    if (postStart) {
      const result = await this.deps.runHook(postStart, { pod, container, containerId: id, podIP: sandbox.ip ?? this.deps.nodeIP, timeoutMs: 30_000 });
      if (!result.ok) {
        recorder.event(pod, 'Warning', 'FailedPostStartHook', result.message);
        recorder.event(pod, 'Normal', 'Killing', `FailedPostStartHook`);
        await runtime.stopContainer(id, this.gracePeriod(pod));
      }
    }
    return undefined;
  }

  /** Applies imagePullPolicy; false when the image is not there (waiting reason set, pull backoff running). */
  private async ensureImage(pod: corev1.Pod, container: corev1.Container, key: string, waiting: Map<string, WaitingReason>): Promise<boolean> {
    const { runtime, recorder } = this.deps;
    const image = container.image ?? '';
    const policy = container.imagePullPolicy ?? (image.endsWith(':latest') || !/:[^/]+$/.test(image) ? 'Always' : 'IfNotPresent');
    const present = await runtime.imagePresent(image);
    if (policy === 'Never') {
      if (present) return true;
      const message = `Container image "${image}" is not present with pull policy of Never`;
      waiting.set(key, { reason: 'ErrImageNeverPull', message });
      recorder.event(pod, 'Warning', 'ErrImageNeverPull', message);
      return false;
    }
    if (present && policy === 'IfNotPresent') {
      recorder.event(pod, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
      return true;
    }
    const pullKey = `${uidOf(pod)}/${image}`;
    const now = this.now();
    if (this.deps.pullBackoff.isInBackOff(pullKey, now, this.pullFailedAt.get(pullKey) ?? 0)) {
      const message = `Back-off pulling image "${image}"`;
      waiting.set(key, { reason: 'ImagePullBackOff', message });
      recorder.event(pod, 'Normal', 'BackOff', message);
      return false;
    }
    recorder.event(pod, 'Normal', 'Pulling', `Pulling image "${image}"`);
    const started = this.now();
    try {
      await runtime.pullImage(image);
      recorder.event(pod, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${((this.now() - started) / 1000).toFixed(3)}s`);
      return true;
    } catch (e) {
      // Offline hosts: an image that is present locally still runs under pull policy Always, as the registry is
      // unreachable (the kubelet would fail; k8ts prefers to run what it has and says so).
      if (present) {
        recorder.event(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${errorText(e)}; using the local image`);
        return true;
      }
      this.deps.pullBackoff.next(pullKey, this.now(), this.pullFailedAt.get(pullKey));
      this.pullFailedAt.set(pullKey, this.now());
      const message = `failed to pull and unpack image "${image}": ${errorText(e)}`;
      waiting.set(key, { reason: 'ErrImagePull', message });
      recorder.event(pod, 'Warning', 'Failed', `Failed to pull image "${image}": ${errorText(e)}`);
      recorder.event(pod, 'Warning', 'Failed', 'Error: ErrImagePull');
      return false;
    }
  }

  /** preStop (within the grace period), then stop with what is left of it. */
  private async stopContainer(pod: corev1.Pod, spec: corev1.Container | undefined, id: string, podIP: string, graceSeconds: number): Promise<void> {
    const started = this.now();
    const preStop = spec?.lifecycle?.preStop;
    if (preStop && graceSeconds > 0) {
      const result = await this.deps.runHook(preStop, { pod, container: spec, containerId: id, podIP, timeoutMs: graceSeconds * 1000 });
      if (!result.ok) this.deps.recorder.event(pod, 'Warning', 'FailedPreStopHook', result.message);
    }
    const left = Math.max(graceSeconds > 0 ? 2 : 0, Math.ceil(graceSeconds - (this.now() - started) / 1000));
    await this.deps.runtime.stopContainer(id, left);
  }

  private async stopEverything(pod: corev1.Pod, rt: PodRuntimeStatus, graceSeconds: number): Promise<void> {
    const podIP = rt.sandboxes[0]?.ip ?? '';
    const running = rt.containers.filter((c) => c.state === 'running' || c.state === 'created');
    await Promise.all(
      running.map((c) => {
        const spec = (c.isInit ? pod.spec?.initContainers : pod.spec?.containers)?.find((s) => s.name === c.name);
        if (c.state === 'running' && graceSeconds > 0) this.deps.recorder.event(pod, 'Normal', 'Killing', `Stopping container ${c.name}`);
        return this.stopContainer(pod, spec, c.id, podIP, graceSeconds);
      }),
    );
    for (const s of rt.sandboxes) if (s.ready) await this.deps.runtime.stopSandbox(s.id);
  }

  /** Graceful deletion: stop everything within the grace period, report it, then the final delete. */
  private async terminate(pod: corev1.Pod, signal: AbortSignal): Promise<SyncResult> {
    const uid = uidOf(pod);
    const rt = await this.deps.runtime.podStatus({ uid, name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? '' });
    await this.stopEverything(pod, rt, this.gracePeriod(pod));
    if (signal.aborted) return { requeueAfterMs: 100 };
    const after = await this.deps.runtime.podStatus({ uid, name: pod.metadata?.name ?? '', namespace: pod.metadata?.namespace ?? '' });
    this.deps.probes.removePod(uid);
    await this.writeStatus(pod, after);
    await this.deps.status.finalDelete(pod);
    await this.cleanup(uid, after);
    return { done: true };
  }

  /** Removes every trace of a pod that no longer exists (or was deleted): containers, volumes, its IP. */
  async cleanup(uid: string, rt?: PodRuntimeStatus): Promise<void> {
    const { runtime } = this.deps;
    const status = rt ?? (await runtime.podStatus({ uid, name: '', namespace: '' }));
    await Promise.all(status.containers.filter((c) => c.state === 'running').map((c) => runtime.stopContainer(c.id, 0)));
    for (const c of status.containers) await runtime.removeContainer(c.id);
    for (const s of status.sandboxes) await runtime.removeContainer(s.id);
    this.carryover.forget(status.containers.map((c) => c.id));
    await this.deps.volumes.tearDown(uid);
    this.deps.ipam()?.release(uid);
    this.deps.probes.removePod(uid);
    this.deps.status.forget(uid);
    this.waiting.delete(uid);
    this.initFailed.delete(uid);
    this.reportedMountErrors.delete(uid);
    for (const k of this.pullFailedAt.keys()) if (k.startsWith(`${uid}/`)) this.pullFailedAt.delete(k);
  }

  private syncProbes(pod: corev1.Pod, rt: PodRuntimeStatus): void {
    const ip = rt.sandboxes[0]?.ip ?? this.deps.nodeIP;
    const running = rt.containers
      .filter((c) => c.state === 'running' && !c.isInit)
      .map((c) => ({ containerName: c.name, containerId: c.id, startedAt: c.startedAt ?? c.createdAt, podIP: ip }));
    this.deps.probes.syncPod(pod, running);
  }

  private async writeStatus(pod: corev1.Pod, rt: PodRuntimeStatus, _note?: string): Promise<void> {
    const uid = uidOf(pod);
    const spec = (name: string): corev1.Container | undefined => pod.spec?.containers?.find((c) => c.name === name);
    const instance = (id: string): ContainerInstance | undefined => rt.containers.find((c) => c.id === id);
    const status = generatePodStatus(pod, rt, {
      hostIP: this.deps.nodeIP,
      now: new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      waiting: this.waitingOf(uid),
      ready: (name, id) => this.carryover.ready(pod, spec(name), instance(id)) ?? this.deps.probes.readiness(uid, name, id) ?? true,
      started: (name, id) => this.carryover.started(pod, spec(name), instance(id)) ?? this.deps.probes.started(uid, name, id),
      qosClass: this.deps.qosClass(pod),
      initFailedPermanently: this.initFailed.has(uid),
      hostNetwork: pod.spec?.hostNetwork === true,
    });
    try {
      await this.deps.status.setStatus(pod, status);
    } catch (e) {
      this.deps.logger.warn({ pod: podKey(pod), err: errorText(e) }, 'pod status update failed');
    }
  }
}

function formatSeconds(ms: number): string {
  const s = Math.round(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)}m${s % 60}s` : `${s}s`;
}
