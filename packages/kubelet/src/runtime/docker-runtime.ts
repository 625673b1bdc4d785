// PodRuntime over the Docker Engine API: a pod is a sandbox container owning the network namespace plus app and
// init containers joined to it (DESIGN.md), all found again by their labels, so a restarted kubelet adopts them.
// Only containers labelled with this node's name are ever looked at or touched.
import { readFileSync } from 'node:fs';
import type { corev1 } from '@k8ts/api-machinery';
import type { Logger } from '@k8ts/observability';
import type { DockerClient } from '../docker/docker-client.js';
import { DockerError } from '../docker/docker-error.js';
import type { ContainerInspect, ContainerSummary } from '../docker/types.js';
import { appContainerConfig, sandboxConfig } from '../pods/container-config.js';
import { containerName, LABEL_NODE, LABEL_POD_UID, parseContainerLabels, sandboxName } from '../pods/naming.js';
import type { ContainerLaunch, ExecResult, PodIdentity, PodRuntime, RuntimeEvent } from './pod-runtime.js';
import type { ContainerInstance, ContainerState, PodRuntimeStatus, SandboxInstance } from './types.js';

export interface DockerRuntimeOptions {
  docker: DockerClient;
  nodeName: string;
  network: string;
  serviceCIDR: string;
  /** Next hop of the Service CIDR route inside pods: the node's address on the pod network. */
  serviceRouteVia: string;
  clusterDNS: string[];
  clusterDomain: string;
  sandboxImage: string;
  memoryCapacity: number;
  logger: Logger;
}

const parseTime = (t: string | undefined): number | undefined => (t && !t.startsWith('0001-') ? Date.parse(t) : undefined);

type CreateConfig = Parameters<DockerClient['containerCreate']>[1];

/**
 * Kubernetes protects sandboxes and Guaranteed pods with negative OOM scores, but lowering a score needs
 * CAP_SYS_RESOURCE, which unprivileged engines (like the one on our CI machines) lack: runc then fails every start.
 * Negative scores become 0 (the default); the positive ones that make BestEffort pods go first are kept.
 */
function withoutNegativeOomScore(config: CreateConfig): CreateConfig {
  const adj = config.HostConfig?.OomScoreAdj;
  if (adj === undefined || adj >= 0) return config;
  return { ...config, HostConfig: { ...config.HostConfig, OomScoreAdj: 0 } };
}

/** The container's termination message: the file behind its terminationMessagePath mount (at most 4 KiB). */
function terminationMessage(info: ContainerInspect): string | undefined {
  const mount = info.Mounts.find((m) => m.Type === 'bind' && /\/termination-log-[^/]*$/.test(m.Source));
  if (!mount) return undefined;
  try {
    const text = readFileSync(mount.Source, 'utf8').slice(0, 4096);
    return text || undefined;
  } catch {
    return undefined; // the kubelet runs elsewhere than the engine's files: no message
  }
}

export class DockerRuntime implements PodRuntime {
  /** Inspections of exited containers never change: cache them. */
  private readonly exitedCache = new Map<string, ContainerInspect>();

  constructor(private readonly opts: DockerRuntimeOptions) {}

  get docker(): DockerClient {
    return this.opts.docker;
  }

  /** Creates the pod network when it is missing (tests and single-host setups; compose creates it itself). */
  async ensureNetwork(subnet: string, gateway: string): Promise<void> {
    const { docker, network } = this.opts;
    if (await docker.networkInspect(network)) return;
    try {
      await docker.networkCreate({ Name: network, Driver: 'bridge', IPAM: { Config: [{ Subnet: subnet, Gateway: gateway }] }, Labels: { 'k8ts.io/network': 'pods' } });
      this.opts.logger.info({ network, subnet }, 'pod network created');
    } catch (e) {
      // Another kubelet on this host created it meanwhile.
      if (!(await docker.networkInspect(network))) throw e;
    }
  }

  private async inspect(id: string): Promise<ContainerInspect | null> {
    const cached = this.exitedCache.get(id);
    if (cached) return cached;
    const info = await this.opts.docker.containerInspect(id);
    if (info && (info.State.Status === 'exited' || info.State.Status === 'dead')) this.exitedCache.set(id, info);
    return info;
  }

  private async statusFrom(summaries: ContainerSummary[]): Promise<Map<string, PodRuntimeStatus>> {
    const pods = new Map<string, PodRuntimeStatus>();
    const inspected = await Promise.all(summaries.map((s) => this.inspect(s.Id)));
    for (const info of inspected) {
      if (!info) continue;
      const key = parseContainerLabels(info.Config.Labels);
      if (!key || key.nodeName !== this.opts.nodeName) continue;
      let pod = pods.get(key.podUid);
      if (!pod) pods.set(key.podUid, (pod = { uid: key.podUid, name: key.podName, namespace: key.namespace, sandboxes: [], containers: [] }));
      const created = Date.parse(info.Created);
      if (key.isSandbox) {
        const net = info.NetworkSettings.Networks?.[this.opts.network];
        const hostNetwork = info.HostConfig.NetworkMode === 'host';
        pod.sandboxes.push({ id: info.Id, attempt: key.attempt, ready: info.State.Running, ip: hostNetwork ? undefined : net?.IPAddress || undefined, createdAt: created, hostNetwork });
        continue;
      }
      const state: ContainerState =
        info.State.Status === 'running' || info.State.Status === 'restarting' || info.State.Status === 'paused'
          ? 'running'
          : info.State.Status === 'created'
            ? 'created'
            : info.State.Status === 'exited' || info.State.Status === 'dead'
              ? 'exited'
              : 'unknown';
      const instance: ContainerInstance = {
        id: info.Id,
        name: key.containerName,
        attempt: key.attempt,
        isInit: key.isInit,
        hash: key.hash,
        state,
        createdAt: created,
        startedAt: parseTime(info.State.StartedAt),
        finishedAt: state === 'exited' ? parseTime(info.State.FinishedAt) : undefined,
        exitCode: state === 'exited' ? info.State.ExitCode : undefined,
        oomKilled: info.State.OOMKilled,
        error: state === 'exited' && info.State.Error ? info.State.Error : undefined,
        image: info.Config.Image,
        imageID: info.Image,
        message: state === 'exited' ? terminationMessage(info) : undefined,
      };
      // A container that was created but never started (start failed) counts as exited with its error.
      if (state === 'created' && info.State.Error) {
        instance.state = 'exited';
        instance.error = info.State.Error;
        instance.exitCode = 128;
      }
      pod.containers.push(instance);
    }
    for (const p of pods.values()) {
      p.sandboxes.sort((a, b) => b.attempt - a.attempt || b.createdAt - a.createdAt);
      p.containers.sort((a, b) => b.attempt - a.attempt);
    }
    return pods;
  }

  async podStatus(pod: PodIdentity): Promise<PodRuntimeStatus> {
    const list = await this.opts.docker.containerList({ all: true, labels: { [LABEL_NODE]: this.opts.nodeName, [LABEL_POD_UID]: pod.uid } });
    const found = (await this.statusFrom(list)).get(pod.uid);
    return found ?? { uid: pod.uid, name: pod.name, namespace: pod.namespace, sandboxes: [], containers: [] };
  }

  async listPods(): Promise<PodRuntimeStatus[]> {
    const list = await this.opts.docker.containerList({ all: true, labels: { [LABEL_NODE]: this.opts.nodeName } });
    return [...(await this.statusFrom(list)).values()];
  }

  async createSandbox(pod: corev1.Pod, options: { attempt: number; ip: string | undefined }): Promise<SandboxInstance> {
    const { docker } = this.opts;
    const config = sandboxConfig(pod, {
      nodeName: this.opts.nodeName,
      network: this.opts.network,
      podIP: options.ip ?? '',
      serviceCidr: this.opts.serviceCIDR,
      nodeIP: this.opts.serviceRouteVia,
      clusterDNS: this.opts.clusterDNS,
      clusterDomain: this.opts.clusterDomain,
      pauseImage: this.opts.sandboxImage,
      attempt: options.attempt,
    });
    const name = sandboxName(pod, options.attempt);
    const id = await this.createReplacing(name, withoutNegativeOomScore(config));
    await docker.containerStart(id);
    return { id, attempt: options.attempt, ready: true, ip: options.ip, createdAt: Date.now(), hostNetwork: pod.spec?.hostNetwork === true };
  }

  /** Creates a container; a leftover with the same name (a crash between create and record) is removed first. */
  private async createReplacing(name: string, config: CreateConfig): Promise<string> {
    try {
      return await this.opts.docker.containerCreate(name, config);
    } catch (e) {
      if (!(e instanceof DockerError && e.conflict)) throw e;
      await this.opts.docker.containerRemove(name, { force: true });
      return this.opts.docker.containerCreate(name, config);
    }
  }

  async stopSandbox(id: string): Promise<void> {
    await this.opts.docker.containerStop(id, 2);
  }

  async imagePresent(image: string): Promise<boolean> {
    return (await this.opts.docker.imageInspect(image)) !== null;
  }

  async pullImage(image: string, signal?: AbortSignal): Promise<void> {
    await this.opts.docker.imagePull(image, signal);
  }

  async imageUser(image: string): Promise<string> {
    return (await this.opts.docker.imageInspect(image))?.Config?.User ?? '';
  }

  async startContainer(launch: ContainerLaunch): Promise<string> {
    const { pod, container, attempt, sandbox, env, mounts, isInit } = launch;
    const config = appContainerConfig(pod, container, {
      sandboxId: sandbox.id,
      env,
      mounts,
      nodeName: this.opts.nodeName,
      attempt,
      memoryCapacity: this.opts.memoryCapacity,
    });
    if (isInit && config.Labels) config.Labels['io.kubernetes.container.init'] = 'true';
    const id = await this.createReplacing(containerName(pod, container, attempt), withoutNegativeOomScore(config));
    try {
      await this.opts.docker.containerStart(id);
    } catch (e) {
      this.exitedCache.delete(id);
      throw e;
    }
    return id;
  }

  async stopContainer(id: string, graceSeconds: number): Promise<void> {
    this.exitedCache.delete(id);
    if (graceSeconds <= 0) await this.opts.docker.containerKill(id, 'SIGKILL');
    else await this.opts.docker.containerStop(id, graceSeconds);
  }

  async removeContainer(id: string): Promise<void> {
    this.exitedCache.delete(id);
    await this.opts.docker.containerRemove(id, { force: true, volumes: true });
  }

  async exec(containerId: string, command: string[], timeoutMs: number): Promise<ExecResult> {
    return this.opts.docker.runExec(containerId, command, { timeoutMs, maxOutputBytes: 10 * 1024 });
  }

  async *events(signal: AbortSignal): AsyncIterable<RuntimeEvent> {
    const stream = this.opts.docker.events(
      { filters: { type: ['container'], event: ['start', 'die', 'oom', 'destroy'], label: [`${LABEL_NODE}=${this.opts.nodeName}`] } },
      signal,
    );
    for await (const ev of stream) {
      const podUid = ev.Actor.Attributes[LABEL_POD_UID];
      if (podUid) yield { podUid, containerId: ev.Actor.ID, action: ev.Action };
    }
  }

  /** Containers of this node in one list (for garbage collection and stats). */
  async listContainers(): Promise<ContainerSummary[]> {
    return this.opts.docker.containerList({ all: true, labels: { [LABEL_NODE]: this.opts.nodeName } });
  }
}

