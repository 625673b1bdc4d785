// The kubelet's prober.Manager: one ProbeWorker per container instance and probe kind. Workers are keyed by container
// id, so a restarted container gets fresh workers (fresh initial delay, fresh counts) and its predecessor's stop.
import type { corev1 } from '@k8ts/api-machinery';
import type { Clock } from '@k8ts/client';
import type { ProbeOutcome, ProbeResult, ProbeTarget } from './probe-runner.js';
import { ProbeWorker, type ProbeKind, type WorkerReport } from './probe-worker.js';

export type { ProbeKind } from './probe-worker.js';

export interface RunningContainer {
  containerName: string;
  containerId: string;
  /** When the container started, ms since the epoch on the manager's clock. */
  startedAt: number;
  podIP: string;
}

export interface ProbeChangeDetails {
  containerId: string;
  /** The published result flipped (false when the call only carries an event). */
  changed: boolean;
  /** Event to record on the container: reason Unhealthy (type Warning) or ProbeWarning (type Warning). */
  event?: { reason: 'Unhealthy' | 'ProbeWarning'; message: string };
}

/**
 * Called when a probe's published result changes and whenever an attempt warrants an event (every failed attempt
 * gets an Unhealthy event in Kubernetes, not only the one that crosses the threshold). `message` is that event's
 * text, e.g. "Liveness probe failed: HTTP probe failed with statuscode: 500".
 */
export type ProbeChangeHandler = (
  podUid: string,
  containerName: string,
  kind: ProbeKind,
  result: ProbeResult,
  message: string | undefined,
  details: ProbeChangeDetails,
) => void;

export interface ProbeLogger {
  debug(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface ProbeManagerDeps {
  /** One attempt; the kubelet binds runProbe's own deps: `(p, t) => runProbe(p, t, { exec })`. */
  runProbe: (probe: corev1.Probe, target: ProbeTarget) => Promise<ProbeOutcome>;
  /** @k8ts/client's Clock (realClock, or FakeClock in tests). */
  clock: Clock;
  onChange: ProbeChangeHandler;
  logger?: ProbeLogger;
}

interface ContainerProbes {
  running: RunningContainer;
  spec: corev1.Container;
  workers: Map<ProbeKind, ProbeWorker>;
}

interface PodEntry {
  pod: corev1.Pod;
  /** By container id. */
  containers: Map<string, ContainerProbes>;
}

const KINDS: ReadonlyArray<[ProbeKind, 'livenessProbe' | 'readinessProbe' | 'startupProbe']> = [
  ['startup', 'startupProbe'],
  ['liveness', 'livenessProbe'],
  ['readiness', 'readinessProbe'],
];

export class ProbeManager {
  private readonly pods = new Map<string, PodEntry>();

  constructor(private readonly deps: ProbeManagerDeps) {}

  /** Starts workers for newly running containers and stops those of containers no longer running. */
  syncPod(pod: corev1.Pod, running: RunningContainer[]): void {
    const podUid = pod.metadata?.uid;
    if (!podUid) return;
    let entry = this.pods.get(podUid);
    if (!entry) {
      entry = { pod, containers: new Map() };
      this.pods.set(podUid, entry);
    }
    entry.pod = pod;
    const specs = probedContainers(pod);
    const live = new Set<string>();
    for (const rc of running) {
      const spec = specs.get(rc.containerName);
      if (!spec) continue;
      live.add(rc.containerId);
      const known = entry.containers.get(rc.containerId);
      if (known) {
        known.running = rc; // the pod IP may have become known since
        continue;
      }
      this.startWorkers(podUid, entry, rc, spec);
    }
    for (const [id, cp] of entry.containers) {
      if (live.has(id)) continue;
      for (const w of cp.workers.values()) w.stop();
      entry.containers.delete(id);
    }
  }

  removePod(podUid: string): void {
    const entry = this.pods.get(podUid);
    if (!entry) return;
    for (const cp of entry.containers.values()) for (const w of cp.workers.values()) w.stop();
    this.pods.delete(podUid);
  }

  /**
   * Whether the container counts as ready: false until its startup probe passed, then its readiness probe's result,
   * or true when it has no readiness probe. undefined for a container id the manager does not know as running.
   */
  readiness(podUid: string, containerName: string, containerId: string): boolean | undefined {
    const cp = this.lookup(podUid, containerName, containerId);
    if (!cp) return undefined;
    if (!this.isStarted(cp)) return false;
    const w = cp.workers.get('readiness');
    return w ? w.result === 'success' : true;
  }

  /**
   * 'failure' when the container must be restarted: its liveness probe failed, or its startup probe did (Kubernetes
   * restarts for both; restartReason tells them apart). undefined when it has neither probe (or is unknown).
   */
  liveness(podUid: string, containerName: string, containerId: string): 'success' | 'failure' | undefined {
    const cp = this.lookup(podUid, containerName, containerId);
    if (!cp) return undefined;
    const startup = cp.workers.get('startup');
    const liveness = cp.workers.get('liveness');
    if (startup?.result === 'failure' || liveness?.result === 'failure') return 'failure';
    return startup || liveness ? 'success' : undefined;
  }

  /** Whether the startup probe has passed; true for a container without one. */
  started(podUid: string, containerName: string, containerId: string): boolean {
    const cp = this.lookup(podUid, containerName, containerId);
    return cp ? this.isStarted(cp) : false;
  }

  /** The startup probe's published result; undefined when the container has none. */
  startup(podUid: string, containerName: string, containerId: string): ProbeResult | undefined {
    return this.lookup(podUid, containerName, containerId)?.workers.get('startup')?.result;
  }

  /**
   * Why the kubelet must restart this container instance, worded as Kubernetes' Killing event
   * ("Container app failed liveness probe, will be restarted"), or undefined when the probes do not ask for it.
   */
  restartReason(podUid: string, containerName: string, containerId: string): string | undefined {
    const cp = this.lookup(podUid, containerName, containerId);
    if (!cp) return undefined;
    if (cp.workers.get('liveness')?.result === 'failure') return `Container ${containerName} failed liveness probe, will be restarted`;
    if (cp.workers.get('startup')?.result === 'failure') return `Container ${containerName} failed startup probe, will be restarted`;
    return undefined;
  }

  /** Number of live workers (for tests and metrics). */
  workerCount(): number {
    let n = 0;
    for (const entry of this.pods.values()) for (const cp of entry.containers.values()) n += cp.workers.size;
    return n;
  }

  stop(): void {
    for (const uid of [...this.pods.keys()]) this.removePod(uid);
  }

  private lookup(podUid: string, containerName: string, containerId: string): ContainerProbes | undefined {
    const cp = this.pods.get(podUid)?.containers.get(containerId);
    return cp && cp.running.containerName === containerName ? cp : undefined;
  }

  private isStarted(cp: ContainerProbes): boolean {
    const w = cp.workers.get('startup');
    return !w || w.result === 'success';
  }

  private startWorkers(podUid: string, entry: PodEntry, rc: RunningContainer, spec: corev1.Container): void {
    const cp: ContainerProbes = { running: rc, spec, workers: new Map() };
    entry.containers.set(rc.containerId, cp);
    for (const [kind, field] of KINDS) {
      const probe = spec[field];
      if (!probe) continue;
      const worker = new ProbeWorker(kind, probe, rc.startedAt, {
        clock: this.deps.clock,
        attempt: () => this.deps.runProbe(probe, { podIP: cp.running.podIP, containerId: rc.containerId, container: spec }),
        started: () => this.isStarted(cp),
        terminating: () => Boolean(entry.pod.metadata?.deletionTimestamp),
        report: (r) => this.report(podUid, cp, kind, r),
        onError: (err) => this.deps.logger?.warn({ err, podUid, container: rc.containerName, kind }, 'probe worker failed'),
      });
      cp.workers.set(kind, worker);
    }
    for (const w of cp.workers.values()) w.start();
  }

  private report(podUid: string, cp: ContainerProbes, kind: ProbeKind, r: WorkerReport): void {
    const { containerName, containerId } = cp.running;
    if (r.changed) this.deps.logger?.debug({ podUid, container: containerName, containerId, kind, result: r.result }, 'probe result changed');
    // Readiness is not probed before startup passes; once it has, probe it at once rather than a period later.
    if (kind === 'startup' && r.changed && r.result === 'success') cp.workers.get('readiness')?.trigger();
    try {
      this.deps.onChange(podUid, containerName, kind, r.result, r.event?.message, { containerId, changed: r.changed, event: r.event });
    } catch (err) {
      this.deps.logger?.warn({ err, podUid, container: containerName, kind }, 'probe change handler failed');
    }
  }
}

/** Containers the kubelet probes: the app containers and the sidecars (init containers with restartPolicy Always). */
function probedContainers(pod: corev1.Pod): Map<string, corev1.Container> {
  const out = new Map<string, corev1.Container>();
  for (const c of pod.spec?.initContainers ?? []) if (c.restartPolicy === 'Always') out.set(c.name, c);
  for (const c of pod.spec?.containers ?? []) out.set(c.name, c);
  return out;
}
