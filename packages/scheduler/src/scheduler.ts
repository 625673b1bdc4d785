// The scheduling loop (Kubernetes' scheduleOne): pop a pod, run the profile on a fresh snapshot, assume the pod on
// the chosen node in the cache at once (so the next cycle already sees the node's room taken), bind it through the
// API in the background, and on failure put it back with PodScheduled=False and a FailedScheduling event.
// All I/O goes through SchedulerApi, so the loop runs unchanged against fakes in unit tests.
import type { Pod, PodCondition } from '@k8ts/api-machinery';
import type { Logger } from '@k8ts/observability';
import { Snapshot, type SchedulerCache } from './cache/scheduler-cache.js';
import {
  EVENT_ACTION_BINDING,
  EVENT_ACTION_SCHEDULING,
  EVENT_REASON_FAILED_SCHEDULING,
  EVENT_REASON_SCHEDULED,
  REASON_SCHEDULER_ERROR,
  REASON_UNSCHEDULABLE,
  scheduledMessage,
  truncateMessage,
  unschedulableCondition,
} from './events-and-status.js';
import type { FitError } from './framework/fit-error.js';
import { PodInfo, podRef } from './framework/pod-info.js';
import type { Profile } from './framework/profile.js';
import type { SchedulerMetrics } from './metrics.js';
import { DEFAULT_SCHEDULER_NAME } from './plugins/default-profile.js';
import { EVENT_ASSIGNED_POD_DELETE, type QueuedPodInfo, type SchedulingQueue } from './queue/scheduling-queue.js';

/** The scheduler's edges: the API calls it makes and the informer it reads the latest pods from. */
export interface SchedulerApi {
  /** POST pods/<name>/binding. */
  bind(pod: Pod, nodeName: string): Promise<void>;
  /** Sets the PodScheduled condition through pods/<name>/status. */
  setPodCondition(pod: Pod, condition: PodCondition): Promise<void>;
  /** Records an event about the pod (fire and forget). */
  recordEvent(pod: Pod, type: 'Normal' | 'Warning', reason: string, action: string, note: string): void;
  /** The informer's current version of the pod; undefined when it is gone. */
  currentPod?(namespace: string, name: string): Pod | undefined;
}

export interface SchedulerOptions {
  cache: SchedulerCache;
  queue: SchedulingQueue;
  profiles: readonly Profile[];
  api: SchedulerApi;
  logger: Logger;
  metrics?: SchedulerMetrics;
  /** For tie-breaking between equally scored nodes. */
  random?: () => number;
  now?: () => Date;
}

const seconds = (startMs: number): number => (performance.now() - startMs) / 1000;

export class Scheduler {
  private readonly profiles = new Map<string, Profile>();
  private readonly snapshot = new Snapshot();
  private readonly bindings = new Set<Promise<void>>();
  private stopped = false;

  constructor(private readonly opts: SchedulerOptions) {
    for (const p of opts.profiles) this.profiles.set(p.schedulerName, p);
  }

  responsibleFor(pod: Pod): boolean {
    return this.profiles.has(pod.spec?.schedulerName || DEFAULT_SCHEDULER_NAME);
  }

  /** Schedules pods until stop(); yields to the event loop between pods so informers and bindings progress. */
  async run(): Promise<void> {
    while (!this.stopped) {
      try {
        if (!(await this.scheduleOne())) break;
      } catch (err) {
        this.opts.logger.error({ err }, 'scheduling cycle failed');
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Ends run() after the current pod; waits for bindings in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.opts.queue.close();
    await Promise.allSettled([...this.bindings]);
  }

  /** Bindings still in flight (tests wait for them). */
  async waitForBindings(): Promise<void> {
    while (this.bindings.size > 0) await Promise.allSettled([...this.bindings]);
  }

  /** One pod through the scheduling cycle; false once the queue is closed. */
  async scheduleOne(): Promise<boolean> {
    const { queue, cache, logger } = this.opts;
    const q = await queue.pop();
    if (!q) return false;
    const pod = q.podInfo.pod;
    const profile = this.profiles.get(pod.spec?.schedulerName || DEFAULT_SCHEDULER_NAME);
    if (!profile || pod.metadata?.deletionTimestamp || cache.isAssumedPod(pod)) {
      queue.done(q.podInfo.key);
      return true;
    }
    const cycle = queue.schedulingCycle;
    const start = performance.now();
    cache.updateSnapshot(this.snapshot);
    let result: ReturnType<Profile['schedulePod']>;
    try {
      result = profile.schedulePod(pod, this.snapshot, this.opts.random);
    } catch (err) {
      result = { kind: 'error', message: err instanceof Error ? err.message : String(err) };
    }
    if (result.kind === 'unschedulable') {
      this.observeAttempt('unschedulable', profile, start);
      logger.debug({ pod: podRef(pod), reason: result.error.message }, 'unable to schedule pod; waiting');
      this.handleFailure(q, REASON_UNSCHEDULABLE, result.error.message, cycle, result.error);
      return true;
    }
    if (result.kind === 'error') {
      this.observeAttempt('error', profile, start);
      logger.warn({ pod: podRef(pod), err: result.message }, 'error scheduling pod; retrying');
      this.handleFailure(q, REASON_SCHEDULER_ERROR, result.message, cycle);
      return true;
    }
    const nodeName = result.nodeName;
    const assumed: Pod = { ...pod, spec: { ...pod.spec!, nodeName } };
    try {
      cache.assumePod(assumed);
    } catch (err) {
      this.observeAttempt('error', profile, start);
      this.handleFailure(q, REASON_SCHEDULER_ERROR, err instanceof Error ? err.message : String(err), cycle);
      return true;
    }
    logger.debug({ pod: podRef(pod), node: nodeName, feasible: result.feasibleNodes, evaluated: result.evaluatedNodes }, 'assumed pod on node');
    const binding = this.bindingCycle(q, assumed, nodeName, profile, cycle, start).catch((err: unknown) => {
      logger.error({ err, pod: podRef(assumed) }, 'binding cycle failed');
    });
    this.bindings.add(binding);
    void binding.finally(() => this.bindings.delete(binding));
    return true;
  }

  private async bindingCycle(q: QueuedPodInfo, assumed: Pod, nodeName: string, profile: Profile, cycle: number, start: number): Promise<void> {
    const { api, cache, queue, logger, metrics } = this.opts;
    try {
      await api.bind(assumed, nodeName);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      cache.forgetPod(assumed);
      // The room the assumed pod held is free again; pods it kept out may fit now.
      queue.moveAllToActiveOrBackoffQueue(EVENT_ASSIGNED_POD_DELETE);
      this.observeAttempt('error', profile, start);
      logger.warn({ pod: podRef(assumed), node: nodeName, err: message }, 'binding failed');
      this.handleFailure(q, REASON_SCHEDULER_ERROR, `binding rejected: ${message}`, cycle);
      return;
    }
    cache.finishBinding(assumed);
    queue.done(q.podInfo.key);
    this.observeAttempt('scheduled', profile, start);
    metrics?.podSchedulingAttempts.observe(q.attempts);
    metrics?.podSchedulingDuration.observe({ attempts: String(Math.min(q.attempts, 15)) }, (Date.now() - q.initialAttemptTimestamp) / 1000);
    logger.info({ pod: podRef(assumed), node: nodeName, attempts: q.attempts }, 'bound pod to node');
    api.recordEvent(assumed, 'Normal', EVENT_REASON_SCHEDULED, EVENT_ACTION_BINDING, scheduledMessage(assumed, nodeName));
  }

  private observeAttempt(result: 'scheduled' | 'unschedulable' | 'error', profile: Profile, start: number): void {
    const labels = { result, profile: profile.schedulerName };
    this.opts.metrics?.scheduleAttempts.inc(labels);
    this.opts.metrics?.attemptDuration.observe(labels, seconds(start));
  }

  /**
   * Back into the queue with its latest version (unless it is gone or got bound meanwhile), then tell the user:
   * a FailedScheduling event and PodScheduled=False with the reason.
   */
  private handleFailure(q: QueuedPodInfo, reason: string, message: string, cycle: number, fitError?: FitError): void {
    const { api, queue, logger } = this.opts;
    const pod = q.podInfo.pod;
    q.unschedulablePlugins = new Set(fitError?.diagnosis.unschedulablePlugins ?? []);
    const current = api.currentPod ? api.currentPod(pod.metadata?.namespace ?? '', pod.metadata?.name ?? '') : pod;
    if (!current || current.metadata?.uid !== pod.metadata?.uid) {
      queue.done(q.podInfo.key);
      logger.debug({ pod: podRef(pod) }, 'pod is gone; not requeued');
      return;
    }
    if (current.spec?.nodeName) {
      queue.done(q.podInfo.key);
      logger.debug({ pod: podRef(pod), node: current.spec.nodeName }, 'pod was bound meanwhile; not requeued');
      return;
    }
    q.podInfo = new PodInfo(current);
    queue.addUnschedulableIfNotPresent(q, cycle);
    api.recordEvent(current, 'Warning', EVENT_REASON_FAILED_SCHEDULING, EVENT_ACTION_SCHEDULING, truncateMessage(message));
    const condition = unschedulableCondition(current, reason, message, this.opts.now?.() ?? new Date());
    if (condition) {
      api.setPodCondition(current, condition).catch((err: unknown) => {
        logger.warn({ pod: podRef(current), err: err instanceof Error ? err.message : String(err) }, 'could not update the PodScheduled condition');
      });
    }
  }
}
