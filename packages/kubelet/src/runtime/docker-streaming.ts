// The kubelet API's runtime side over Docker: logs, exec, attach, port forwarding and stats of this node's pods.
// Containers are found by their Kubernetes labels (newest attempt, or the one before for `--previous`).
import { connect } from 'node:net';
import { readFileSync } from 'node:fs';
import { Readable, type Duplex } from 'node:stream';
import type { DockerClient } from '../docker/docker-client.js';
import type { ContainerStatsSample, ContainerSummary } from '../docker/types.js';
import { LABEL_CONTAINER_NAME, LABEL_NODE, LABEL_POD_NAME, LABEL_POD_NAMESPACE, parseContainerLabels } from '../pods/naming.js';
import {
  StreamingError,
  type ContainerStats,
  type CpuStats,
  type LogOptions,
  type MemoryStats,
  type PodRef,
  type PodStats,
  type StatsSummary,
  type StreamOptions,
  type StreamSession,
  type StreamingRuntime,
} from '../server/streaming-runtime.js';

export interface DockerStreamingOptions {
  docker: DockerClient;
  nodeName: string;
  network: string;
  nodeIP: string;
  startTime: string;
}

export class DockerStreamingRuntime implements StreamingRuntime {
  /** Previous node CPU sample, for a usage rate between two /stats/summary calls. */
  private lastCpu: { total: number; idle: number; at: number } | undefined;

  constructor(private readonly opts: DockerStreamingOptions) {}

  private async podContainers(pod: PodRef, container?: string): Promise<ContainerSummary[]> {
    const labels: Record<string, string> = { [LABEL_NODE]: this.opts.nodeName, [LABEL_POD_NAMESPACE]: pod.namespace, [LABEL_POD_NAME]: pod.name };
    if (container) labels[LABEL_CONTAINER_NAME] = container;
    const list = await this.opts.docker.containerList({ all: true, labels });
    return list
      .filter((c) => !pod.uid || parseContainerLabels(c.Labels)?.podUid === pod.uid)
      .sort((a, b) => (parseContainerLabels(b.Labels)?.attempt ?? 0) - (parseContainerLabels(a.Labels)?.attempt ?? 0) || b.Created - a.Created);
  }

  /** The container instance: the newest, or with `previous` the one before it. */
  private async find(pod: PodRef, container: string, previous = false): Promise<ContainerSummary> {
    const all = (await this.podContainers(pod, container)).filter((c) => !parseContainerLabels(c.Labels)?.isSandbox);
    const found = previous ? all[1] : all[0];
    if (!found) {
      if (previous && all[0]) throw new StreamingError(400, `previous terminated container "${container}" in pod "${pod.name}" not found`);
      throw new StreamingError(404, `container "${container}" in pod "${pod.name}" not found on node ${this.opts.nodeName}`);
    }
    return found;
  }

  async logs(pod: PodRef, container: string, options: LogOptions, signal: AbortSignal): Promise<Readable> {
    const c = await this.find(pod, container, options.previous);
    let since: number | undefined;
    if (options.sinceSeconds !== undefined) since = Date.now() / 1000 - options.sinceSeconds;
    else if (options.sinceTime) since = Date.parse(options.sinceTime) / 1000;
    const chunks = await this.opts.docker.containerLogs(
      c.Id,
      {
        follow: options.follow === true && c.State === 'running',
        stdout: true,
        stderr: true,
        timestamps: options.timestamps === true,
        tail: options.tailLines ?? 'all',
        ...(since !== undefined ? { since } : {}),
      },
      signal,
    );
    const limit = options.limitBytes;
    async function* bytes(): AsyncGenerator<Buffer> {
      let sent = 0;
      for await (const chunk of chunks) {
        if (limit !== undefined && sent + chunk.data.length >= limit) {
          yield chunk.data.subarray(0, limit - sent);
          return;
        }
        sent += chunk.data.length;
        yield chunk.data;
      }
    }
    return Readable.from(bytes(), { objectMode: false });
  }

  async exec(pod: PodRef, container: string, command: string[], options: StreamOptions): Promise<StreamSession> {
    const c = await this.find(pod, container);
    if (c.State !== 'running') throw new StreamingError(400, `container ${container} is not running`);
    if (command.length === 0) throw new StreamingError(400, 'you must specify at least one command for the container');
    const { docker } = this.opts;
    const execId = await docker.execCreate(c.Id, { Cmd: command, AttachStdin: options.stdin, AttachStdout: options.stdout, AttachStderr: options.stderr, Tty: options.tty });
    const stream = await docker.execStart(execId, { Tty: options.tty, stdin: options.stdin });
    const done = stream.closed.then(async () => {
      // The exit code is recorded a moment after the stream closes.
      for (let i = 0; i < 50; i++) {
        const info = await docker.execInspect(execId);
        if (!info.Running) return { exitCode: info.ExitCode };
        await new Promise((r) => setTimeout(r, 20));
      }
      return { exitCode: null };
    });
    return {
      ...(options.stdin ? { stdin: stream.stdin } : {}),
      stdout: stream.stdout,
      stderr: stream.stderr,
      resize: (size) => docker.execResize(execId, size),
      done,
      close: () => stream.close(),
    };
  }

  async attach(pod: PodRef, container: string, options: StreamOptions): Promise<StreamSession> {
    const c = await this.find(pod, container);
    if (c.State !== 'running') throw new StreamingError(400, `container ${container} is not running`);
    const { docker } = this.opts;
    const stream = await docker.containerAttach(c.Id, { stdin: options.stdin, stdout: options.stdout, stderr: options.stderr });
    const done = stream.closed.then(async () => {
      const info = await docker.containerInspect(c.Id);
      return { exitCode: info && !info.State.Running ? info.State.ExitCode : null };
    });
    return {
      ...(options.stdin ? { stdin: stream.stdin } : {}),
      stdout: stream.stdout,
      stderr: stream.stderr,
      resize: (size) => docker.containerResize(c.Id, size),
      done,
      close: () => stream.close(),
    };
  }

  async portForward(pod: PodRef, port: number): Promise<Duplex> {
    const all = await this.podContainers(pod);
    const sandbox = all.find((c) => parseContainerLabels(c.Labels)?.isSandbox && c.State === 'running');
    if (!sandbox) throw new StreamingError(404, `pod ${pod.namespace}/${pod.name} has no running sandbox on node ${this.opts.nodeName}`);
    const hostNetwork = sandbox.HostConfig?.NetworkMode === 'host';
    const ip = hostNetwork ? '127.0.0.1' : sandbox.NetworkSettings?.Networks?.[this.opts.network]?.IPAddress;
    if (!ip) throw new StreamingError(500, `pod ${pod.namespace}/${pod.name} has no IP address`);
    const socket = connect({ host: ip, port });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', (e) => reject(new StreamingError(500, `error forwarding port ${port} to pod ${pod.name}: ${e.message}`)));
    });
    return socket;
  }

  async statsSummary(): Promise<StatsSummary> {
    const now = new Date().toISOString();
    const running = (await this.opts.docker.containerList({ all: false, labels: { [LABEL_NODE]: this.opts.nodeName } })).filter((c) => !parseContainerLabels(c.Labels)?.isSandbox);
    const samples = await Promise.all(
      running.map(async (c) => {
        try {
          return { c, s: await this.opts.docker.containerStats(c.Id) };
        } catch {
          return undefined; // gone meanwhile
        }
      }),
    );
    const pods = new Map<string, PodStats>();
    for (const item of samples) {
      if (!item) continue;
      const key = parseContainerLabels(item.c.Labels);
      if (!key) continue;
      let pod = pods.get(key.podUid);
      if (!pod) {
        pod = {
          podRef: { name: key.podName, namespace: key.namespace, uid: key.podUid },
          startTime: new Date(item.c.Created * 1000).toISOString(),
          containers: [],
          cpu: { time: now, usageNanoCores: 0, usageCoreNanoSeconds: 0 },
          memory: { time: now, usageBytes: 0, workingSetBytes: 0, rssBytes: 0 },
        };
        pods.set(key.podUid, pod);
      }
      const stats = containerStats(key.containerName, new Date(item.c.Created * 1000).toISOString(), item.s);
      pod.containers.push(stats);
      pod.cpu.usageNanoCores += stats.cpu.usageNanoCores;
      pod.cpu.usageCoreNanoSeconds += stats.cpu.usageCoreNanoSeconds;
      pod.memory.usageBytes += stats.memory.usageBytes;
      pod.memory.workingSetBytes += stats.memory.workingSetBytes;
      pod.memory.rssBytes = (pod.memory.rssBytes ?? 0) + (stats.memory.rssBytes ?? 0);
    }
    return { node: { nodeName: this.opts.nodeName, startTime: this.opts.startTime, cpu: this.nodeCpu(now), memory: nodeMemory(now) }, pods: [...pods.values()] };
  }

  /** Node CPU from /proc/stat: the rate since the previous call (or since boot on the first). */
  private nodeCpu(time: string): CpuStats {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    const ticks = 100; // USER_HZ
    const total = fields.reduce((a, b) => a + b, 0);
    const idle = (fields[3] ?? 0) + (fields[4] ?? 0);
    const at = Date.now();
    const prev = this.lastCpu ?? { total: 0, idle: 0, at: at - 1 };
    this.lastCpu = { total, idle, at };
    const busyTicks = total - idle - (prev.total - prev.idle);
    const seconds = Math.max(0.001, (at - prev.at) / 1000);
    const usageNanoCores = this.lastCpu && prev.total > 0 ? Math.max(0, Math.round(((busyTicks / ticks) * 1e9) / seconds)) : 0;
    return { time, usageNanoCores, usageCoreNanoSeconds: Math.round(((total - idle) / ticks) * 1e9) };
  }
}

function containerStats(name: string, startTime: string, s: ContainerStatsSample): ContainerStats {
  const cpuDelta = (s.cpu_stats.cpu_usage?.total_usage ?? 0) - (s.precpu_stats.cpu_usage?.total_usage ?? 0);
  const seconds = Math.max(0.001, (Date.parse(s.read) - Date.parse(s.preread)) / 1000);
  const usageNanoCores = s.precpu_stats.cpu_usage?.total_usage && !s.preread.startsWith('0001-') ? Math.max(0, Math.round(cpuDelta / seconds)) : 0;
  const stats = s.memory_stats.stats ?? {};
  const usage = s.memory_stats.usage ?? 0;
  const inactive = stats['total_inactive_file'] ?? stats['inactive_file'] ?? 0;
  const memory: MemoryStats = {
    time: s.read,
    usageBytes: usage,
    workingSetBytes: Math.max(0, usage - inactive),
    rssBytes: stats['total_rss'] ?? stats['rss'] ?? stats['anon'] ?? 0,
    ...(s.memory_stats.limit ? { availableBytes: Math.max(0, s.memory_stats.limit - usage) } : {}),
  };
  return { name, startTime, cpu: { time: s.read, usageNanoCores, usageCoreNanoSeconds: s.cpu_stats.cpu_usage?.total_usage ?? 0 }, memory };
}

function nodeMemory(time: string): MemoryStats {
  const info = readFileSync('/proc/meminfo', 'utf8');
  const kb = (k: string): number => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(info)?.[1] ?? 0) * 1024;
  const total = kb('MemTotal');
  const available = kb('MemAvailable');
  return { time, usageBytes: total - kb('MemFree'), workingSetBytes: total - available, availableBytes: available };
}


