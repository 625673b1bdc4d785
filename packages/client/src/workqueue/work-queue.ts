// client-go's work queue (Type + delaying + rate limiting in one class). The rules controllers rely on:
//  - an item waiting in the queue is there once, however often it is added (de-duplication);
//  - an item is never handed to two workers at once: added while being processed, it is marked dirty and queued
//    again only when the worker calls done();
//  - after shutDown() adds are ignored, get() drains what is queued and then resolves undefined.
// Items are compared with Map semantics (===), so use strings ("namespace/name") for keys.
import { realClock, type Clock, type TimerHandle } from '../util/clock.js';
import type { InFlightReporter, WorkQueueMetrics } from './metrics.js';
import { defaultControllerRateLimiter, type RateLimiter } from './rate-limiters.js';

export interface WorkQueueOptions<T> {
  /** Used as the metrics label and in logs. */
  name?: string | undefined;
  clock?: Clock | undefined;
  /** For addRateLimited; default: defaultControllerRateLimiter(). */
  rateLimiter?: RateLimiter<T> | undefined;
  /** Report into these metrics (WorkQueueMetrics.for(registry)). */
  metrics?: WorkQueueMetrics | undefined;
}

interface DelayedEntry<T> {
  item: T;
  readyAt: number;
  seq: number;
}

export class WorkQueue<T> implements InFlightReporter {
  readonly name: string;
  private readonly clock: Clock;
  private readonly rateLimiter: RateLimiter<T>;
  private readonly metrics: WorkQueueMetrics | undefined;

  /** FIFO of items ready to be processed (never contains an item twice). */
  private queue: T[] = [];
  private head = 0;
  /** Items that need processing: queued, or added again while being processed. */
  private readonly dirty = new Set<T>();
  private readonly processing = new Set<T>();
  private readonly getters: Array<(item: T | undefined) => void> = [];
  private shuttingDownFlag = false;
  private drainWaiters: Array<() => void> = [];

  /** Delayed items: the earliest ready time per item, and a min-heap with stale entries skipped lazily. */
  private readonly waiting = new Map<T, number>();
  private readonly heap: DelayedEntry<T>[] = [];
  private seq = 0;
  private timer: { handle: TimerHandle; at: number } | undefined;

  /** For the latency metrics: when each queued item was added, when each processed item was handed out. */
  private readonly addedAt = new Map<T, number>();
  private readonly startedAt = new Map<T, number>();

  constructor(opts: WorkQueueOptions<T> = {}) {
    this.name = opts.name ?? '';
    this.clock = opts.clock ?? realClock;
    this.rateLimiter = opts.rateLimiter ?? defaultControllerRateLimiter<T>(this.clock);
    this.metrics = opts.metrics;
    this.metrics?.attach(this);
  }

  /** Marks `item` as needing processing. */
  add(item: T): void {
    if (this.shuttingDownFlag || this.dirty.has(item)) return;
    this.metrics?.adds.inc({ name: this.name });
    this.dirty.add(item);
    if (this.processing.has(item)) return;
    this.enqueue(item);
    this.handOut();
  }

  /** Items waiting to be processed (not counting those in progress or delayed). */
  len(): number {
    return this.queue.length - this.head;
  }

  /**
   * The next item, once there is one. The caller owns it until done(item). Resolves undefined once the queue is
   * shut down and empty.
   */
  get(): Promise<T | undefined> {
    if (this.len() > 0) return Promise.resolve(this.take());
    if (this.shuttingDownFlag) return Promise.resolve(undefined);
    return new Promise((resolve) => this.getters.push(resolve));
  }

  /** The worker finished `item`; if it was added meanwhile, it is queued again now. */
  done(item: T): void {
    if (!this.processing.delete(item)) return;
    const started = this.startedAt.get(item);
    this.startedAt.delete(item);
    if (started !== undefined) this.metrics?.workDuration.observe({ name: this.name }, (this.clock.now() - started) / 1000);
    if (this.dirty.has(item)) {
      this.enqueue(item);
      this.handOut();
    } else if (this.processing.size === 0) {
      for (const wake of this.drainWaiters.splice(0)) wake();
    }
  }

  /** Stops accepting items; workers still get what is queued, then undefined. */
  shutDown(): void {
    if (this.shuttingDownFlag) return;
    this.shuttingDownFlag = true;
    this.timer?.handle.cancel();
    this.timer = undefined;
    this.waiting.clear();
    this.heap.length = 0;
    // Getters wait only while the queue is empty, so each of them is told to stop.
    for (const resolve of this.getters.splice(0)) resolve(undefined);
    this.metrics?.detach(this);
    if (this.processing.size === 0) for (const wake of this.drainWaiters.splice(0)) wake();
  }

  /** shutDown, then resolve once every item handed out was marked done. */
  shutDownWithDrain(): Promise<void> {
    const drained = this.processing.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    this.shutDown();
    return drained;
  }

  get shuttingDown(): boolean {
    return this.shuttingDownFlag;
  }

  // ---- delaying ----

  /** Adds `item` after `delayMs`; an item already waiting keeps the earlier of its two ready times. */
  addAfter(item: T, delayMs: number): void {
    if (this.shuttingDownFlag) return;
    if (!(delayMs > 0)) {
      this.add(item);
      return;
    }
    const readyAt = this.clock.now() + delayMs;
    const existing = this.waiting.get(item);
    if (existing !== undefined && existing <= readyAt) return;
    this.waiting.set(item, readyAt);
    heapPush(this.heap, { item, readyAt, seq: this.seq++ });
    this.armTimer();
  }

  /** Items waiting for their delay to pass. */
  delayedLen(): number {
    return this.waiting.size;
  }

  // ---- rate limiting ----

  /** Adds `item` after the rate limiter's delay (one more failure of it). */
  addRateLimited(item: T): void {
    if (this.shuttingDownFlag) return;
    this.metrics?.retries.inc({ name: this.name });
    this.addAfter(item, this.rateLimiter.when(item));
  }

  /** The item succeeded: its next failure starts from the shortest backoff again. */
  forget(item: T): void {
    this.rateLimiter.forget(item);
  }

  numRequeues(item: T): number {
    return this.rateLimiter.numRequeues(item);
  }

  inFlightSeconds(): number[] {
    const now = this.clock.now();
    return [...this.startedAt.values()].map((t) => (now - t) / 1000);
  }

  // ---- internals ----

  private enqueue(item: T): void {
    this.queue.push(item);
    this.addedAt.set(item, this.clock.now());
    this.metrics?.depth.inc({ name: this.name });
  }

  private take(): T {
    const item = this.queue[this.head] as T;
    this.queue[this.head] = undefined as T;
    this.head++;
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    this.dirty.delete(item);
    this.processing.add(item);
    const now = this.clock.now();
    const added = this.addedAt.get(item);
    this.addedAt.delete(item);
    this.startedAt.set(item, now);
    if (this.metrics) {
      this.metrics.depth.dec({ name: this.name });
      if (added !== undefined) this.metrics.queueDuration.observe({ name: this.name }, (now - added) / 1000);
    }
    return item;
  }

  private handOut(): void {
    while (this.getters.length > 0 && this.len() > 0) this.getters.shift()!(this.take());
  }

  private armTimer(): void {
    const next = this.peekValid();
    if (!next) return;
    if (this.timer && this.timer.at <= next.readyAt) return;
    this.timer?.handle.cancel();
    const at = next.readyAt;
    this.timer = { at, handle: this.clock.setTimer(() => this.onTimer(), at - this.clock.now()) };
  }

  private onTimer(): void {
    this.timer = undefined;
    if (this.shuttingDownFlag) return;
    const now = this.clock.now();
    for (let next = this.peekValid(); next && next.readyAt <= now; next = this.peekValid()) {
      heapPop(this.heap);
      this.waiting.delete(next.item);
      this.add(next.item);
    }
    this.armTimer();
  }

  /** The earliest heap entry that is still current (later addAfter calls may have superseded entries). */
  private peekValid(): DelayedEntry<T> | undefined {
    while (this.heap.length > 0) {
      const top = this.heap[0]!;
      if (this.waiting.get(top.item) === top.readyAt) return top;
      heapPop(this.heap);
    }
    return undefined;
  }
}

const before = <T>(a: DelayedEntry<T>, b: DelayedEntry<T>): boolean => a.readyAt < b.readyAt || (a.readyAt === b.readyAt && a.seq < b.seq);

function heapPush<T>(heap: DelayedEntry<T>[], entry: DelayedEntry<T>): void {
  heap.push(entry);
  for (let i = heap.length - 1; i > 0; ) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i]!, heap[parent]!)) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

function heapPop<T>(heap: DelayedEntry<T>[]): DelayedEntry<T> | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length === 0 || !last) return top;
  heap[0] = last;
  for (let i = 0; ; ) {
    const l = 2 * i + 1;
    const r = l + 1;
    let smallest = i;
    if (l < heap.length && before(heap[l]!, heap[smallest]!)) smallest = l;
    if (r < heap.length && before(heap[r]!, heap[smallest]!)) smallest = r;
    if (smallest === i) break;
    [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
    i = smallest;
  }
  return top;
}
