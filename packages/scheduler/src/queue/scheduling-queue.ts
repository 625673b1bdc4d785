// The scheduling queue (Kubernetes' PriorityQueue): activeQ ordered by priority then arrival, backoffQ ordered by
// the end of each pod's backoff (initial doubling up to max per attempt), and the unschedulable pods, which wait
// for a cluster event that could help them (a node added, a pod deleted, ...) or for podMaxInUnschedulablePodsDuration.
// Time comes from an injected clock; timers live in the runner, so tests drive flushes directly.
import type { Pod } from '@k8ts/api-machinery';
import { ActionType, type ClusterEvent } from '../framework/interface.js';
import { PodInfo, podKey } from '../framework/pod-info.js';
import { KeyedHeap } from './heap.js';

export interface QueuedPodInfo {
  podInfo: PodInfo;
  /** When the pod was last added to the queue (orders activeQ, starts its backoff). */
  timestamp: number;
  /** Scheduling attempts so far. */
  attempts: number;
  /** When the pod first entered the queue (scheduling latency). */
  initialAttemptTimestamp: number;
  /** Plugins that rejected the pod in its last attempt; empty after an error. */
  unschedulablePlugins: Set<string>;
  /** Held back by spec.schedulingGates. */
  gated: boolean;
}

export interface SchedulingQueueOptions {
  now?: () => number;
  podInitialBackoffMs?: number;
  podMaxBackoffMs?: number;
  podMaxInUnschedulablePodsDurationMs?: number;
  /** Plugin name → events it registered; a rejected pod moves only on its rejectors' events. */
  registeredEvents?: ReadonlyMap<string, readonly Omit<ClusterEvent, 'label'>[]>;
  /** Counts pods entering a queue (metrics). */
  onIncoming?: (queue: 'active' | 'backoff' | 'unschedulable' | 'gated', event: string) => void;
}

export type QueueName = 'active' | 'backoff' | 'unschedulable' | 'gated';

export const EVENT_UNSCHEDULABLE_TIMEOUT: ClusterEvent = { resource: '*', actionType: ActionType.All, label: 'UnschedulableTimeout' };
export const EVENT_ASSIGNED_POD_DELETE: ClusterEvent = { resource: 'Pod', actionType: ActionType.Delete, label: 'AssignedPodDelete' };

function priorityOf(pod: Pod): number {
  return pod.spec?.priority ?? 0;
}

/** Spec or metadata changed (status, resourceVersion, generation and managedFields changes do not count). */
export function isPodUpdated(oldPod: Pod, newPod: Pod): boolean {
  const strip = (p: Pod): string => {
    const { resourceVersion: _rv, generation: _g, managedFields: _mf, ...meta } = p.metadata ?? {};
    return JSON.stringify({ meta, spec: p.spec });
  };
  return strip(oldPod) !== strip(newPod);
}

export class SchedulingQueue {
  private readonly now: () => number;
  private readonly initialBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly maxInUnschedulableMs: number;
  private readonly registeredEvents: ReadonlyMap<string, readonly Omit<ClusterEvent, 'label'>[]>;
  private readonly onIncoming: NonNullable<SchedulingQueueOptions['onIncoming']>;

  private readonly activeQ = new KeyedHeap<QueuedPodInfo>(
    (q) => q.podInfo.key,
    (a, b) => {
      const pa = priorityOf(a.podInfo.pod);
      const pb = priorityOf(b.podInfo.pod);
      return pa > pb || (pa === pb && a.timestamp < b.timestamp);
    },
  );
  private readonly backoffQ = new KeyedHeap<QueuedPodInfo>(
    (q) => q.podInfo.key,
    (a, b) => this.backoffExpiry(a) < this.backoffExpiry(b),
  );
  private readonly unschedulable = new Map<string, QueuedPodInfo>();
  /** Popped and not yet done: a pod being scheduled or bound. */
  private readonly inFlight = new Map<string, QueuedPodInfo>();
  private waiters: (() => void)[] = [];
  private closed = false;

  /** Incremented by every pop. */
  schedulingCycle = 0;
  /** The cycle during which the last move request arrived; pods failing in or before it go to backoffQ. */
  private moveRequestCycle = -1;

  constructor(opts: SchedulingQueueOptions = {}) {
    this.now = opts.now ?? Date.now;
    this.initialBackoffMs = opts.podInitialBackoffMs ?? 1000;
    this.maxBackoffMs = opts.podMaxBackoffMs ?? 10_000;
    this.maxInUnschedulableMs = opts.podMaxInUnschedulablePodsDurationMs ?? 5 * 60_000;
    this.registeredEvents = opts.registeredEvents ?? new Map();
    this.onIncoming = opts.onIncoming ?? (() => {});
  }

  /** initial * 2^(attempts-1), capped at max. */
  backoffDuration(q: QueuedPodInfo): number {
    let d = this.initialBackoffMs;
    for (let i = 1; i < q.attempts; i++) {
      d *= 2;
      if (d >= this.maxBackoffMs) return this.maxBackoffMs;
    }
    return Math.min(d, this.maxBackoffMs);
  }

  backoffExpiry(q: QueuedPodInfo): number {
    return q.timestamp + this.backoffDuration(q);
  }

  private isBackingOff(q: QueuedPodInfo): boolean {
    return this.backoffExpiry(q) > this.now();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private toActive(q: QueuedPodInfo, event: string): void {
    if (q.podInfo.pod.spec?.schedulingGates?.length) {
      q.gated = true;
      this.unschedulable.set(q.podInfo.key, q);
      this.onIncoming('gated', event);
      return;
    }
    q.gated = false;
    this.activeQ.addOrUpdate(q);
    this.onIncoming('active', event);
    this.wake();
  }

  private toBackoff(q: QueuedPodInfo, event: string): void {
    this.backoffQ.addOrUpdate(q);
    this.onIncoming('backoff', event);
  }

  private newQueuedPodInfo(pod: Pod): QueuedPodInfo {
    const now = this.now();
    return { podInfo: new PodInfo(pod), timestamp: now, attempts: 0, initialAttemptTimestamp: now, unschedulablePlugins: new Set(), gated: false };
  }

  /** A new pending pod (informer add). */
  add(pod: Pod): void {
    const key = podKey(pod);
    if (this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key) || this.inFlight.has(key)) {
      this.update(pod, pod);
      return;
    }
    this.toActive(this.newQueuedPodInfo(pod), 'PodAdd');
  }

  /** A pending pod changed: refresh it; a spec change gives an unschedulable pod another chance. */
  update(oldPod: Pod, newPod: Pod): void {
    const key = podKey(newPod);
    const refresh = (q: QueuedPodInfo): QueuedPodInfo => ({ ...q, podInfo: new PodInfo(newPod) });
    const inActive = this.activeQ.get(key);
    if (inActive) {
      this.activeQ.addOrUpdate(refresh(inActive));
      return;
    }
    const inBackoff = this.backoffQ.get(key);
    if (inBackoff) {
      this.backoffQ.addOrUpdate(refresh(inBackoff));
      return;
    }
    const parked = this.unschedulable.get(key);
    if (parked) {
      const q = refresh(parked);
      if (!isPodUpdated(oldPod, newPod)) {
        this.unschedulable.set(key, q);
        return;
      }
      this.unschedulable.delete(key);
      if (q.gated || !this.isBackingOff(q)) this.toActive(q, 'UnscheduledPodUpdate');
      else this.toBackoff(q, 'UnscheduledPodUpdate');
      return;
    }
    const flying = this.inFlight.get(key);
    if (flying) {
      flying.podInfo = new PodInfo(newPod);
      return;
    }
    this.toActive(this.newQueuedPodInfo(newPod), 'PodUpdate');
  }

  delete(pod: Pod): void {
    const key = podKey(pod);
    this.activeQ.delete(key);
    this.backoffQ.delete(key);
    this.unschedulable.delete(key);
  }

  /** The next pod to schedule; waits while activeQ is empty; undefined once closed. */
  async pop(): Promise<QueuedPodInfo | undefined> {
    for (;;) {
      if (this.closed) return undefined;
      const q = this.activeQ.pop();
      if (q) {
        this.schedulingCycle++;
        q.attempts++;
        this.inFlight.set(q.podInfo.key, q);
        return q;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** The pod's scheduling (and binding) attempt ended. */
  done(key: string): void {
    this.inFlight.delete(key);
  }

  /**
   * After a failed attempt: without rejecting plugins (an error) or when a move request came during the attempt,
   * the pod backs off and retries; otherwise it waits as unschedulable for a relevant event.
   */
  addUnschedulableIfNotPresent(q: QueuedPodInfo, podSchedulingCycle: number): void {
    const key = q.podInfo.key;
    this.inFlight.delete(key);
    if (this.activeQ.has(key) || this.backoffQ.has(key) || this.unschedulable.has(key)) return;
    q.timestamp = this.now();
    if (q.unschedulablePlugins.size === 0 || this.moveRequestCycle >= podSchedulingCycle) {
      this.toBackoff(q, 'ScheduleAttemptFailure');
      return;
    }
    this.unschedulable.set(key, q);
    this.onIncoming('unschedulable', 'ScheduleAttemptFailure');
  }

  private podMatchesEvent(q: QueuedPodInfo, event: ClusterEvent): boolean {
    if (event.resource === '*') return true;
    if (q.unschedulablePlugins.size === 0) return true;
    for (const plugin of q.unschedulablePlugins) {
      const registered = this.registeredEvents.get(plugin);
      if (!registered) return true; // a plugin that registers nothing may be helped by anything
      if (registered.some((r) => (r.resource === event.resource || r.resource === '*') && (r.actionType & event.actionType) !== 0)) return true;
    }
    return false;
  }

  /** A cluster change: unschedulable pods whose rejectors care about it retry (after their backoff). */
  moveAllToActiveOrBackoffQueue(event: ClusterEvent, preCheck?: (pod: Pod) => boolean): void {
    for (const [key, q] of this.unschedulable) {
      if (q.gated || !this.podMatchesEvent(q, event)) continue;
      if (preCheck && !preCheck(q.podInfo.pod)) continue;
      this.unschedulable.delete(key);
      if (this.isBackingOff(q)) this.toBackoff(q, event.label);
      else this.toActive(q, event.label);
    }
    this.moveRequestCycle = this.schedulingCycle;
  }

  /** Moves pods whose backoff ended to activeQ (Kubernetes runs this every second). */
  flushBackoffQCompleted(): void {
    const now = this.now();
    for (;;) {
      const head = this.backoffQ.peek();
      if (!head || this.backoffExpiry(head) > now) return;
      this.backoffQ.pop();
      this.toActive(head, 'BackoffComplete');
    }
  }

  /** Retries pods that waited longer than podMaxInUnschedulablePodsDuration (Kubernetes checks every 30 s). */
  flushUnschedulablePodsLeftover(): void {
    const now = this.now();
    for (const [key, q] of this.unschedulable) {
      if (q.gated || now - q.timestamp <= this.maxInUnschedulableMs) continue;
      this.unschedulable.delete(key);
      if (this.isBackingOff(q)) this.toBackoff(q, EVENT_UNSCHEDULABLE_TIMEOUT.label);
      else this.toActive(q, EVENT_UNSCHEDULABLE_TIMEOUT.label);
    }
  }

  /** When the first backoff ends, for the runner's timer. */
  nextBackoffExpiry(): number | undefined {
    const head = this.backoffQ.peek();
    return head ? this.backoffExpiry(head) : undefined;
  }

  pendingCounts(): Record<QueueName, number> {
    let gated = 0;
    for (const q of this.unschedulable.values()) if (q.gated) gated++;
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size - gated, gated };
  }

  /** Where the pod is (tests, debugging). */
  whereIs(pod: Pod): QueueName | 'inFlight' | undefined {
    const key = podKey(pod);
    if (this.activeQ.has(key)) return 'active';
    if (this.backoffQ.has(key)) return 'backoff';
    const parked = this.unschedulable.get(key);
    if (parked) return parked.gated ? 'gated' : 'unschedulable';
    if (this.inFlight.has(key)) return 'inFlight';
    return undefined;
  }

  close(): void {
    this.closed = true;
    this.wake();
  }
}
