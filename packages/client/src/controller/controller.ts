// The shape of every k8ts controller: informer handlers put object keys on a rate-limited queue; N workers take keys
// and call a level-triggered reconcile(key) that reads the caches and makes the world match. On failure the key comes
// back with per-item exponential backoff; a 409 Conflict (stale cache) is an expected race and only requeues.
import type { Logger } from 'pino';
import { deletionHandlingKey, type DeletedFinalStateUnknown } from '../cache/store.js';
import { isConflict } from '../errors.js';
import type { ResourceEventHandler } from '../informers/shared-informer.js';
import type { KubeObject } from '../types.js';
import type { Clock } from '../util/clock.js';
import type { WorkQueueMetrics } from '../workqueue/metrics.js';
import type { RateLimiter } from '../workqueue/rate-limiters.js';
import { WorkQueue } from '../workqueue/work-queue.js';

export interface ReconcileResult {
  /** Reconcile this key again after this long even if nothing changes (e.g. a deadline to check). */
  requeueAfterMs?: number;
}

export type Reconciler = (key: string, signal: AbortSignal) => Promise<void | ReconcileResult>;

/** Something the controller waits for before its workers start (an informer). */
export interface Syncable {
  waitForSync(signal?: AbortSignal): Promise<boolean>;
}

export interface ControllerOptions {
  /** Queue name (metrics label) and log field. */
  name: string;
  reconcile: Reconciler;
  /** Concurrent workers (default 1); one key is never reconciled by two at once. */
  workers?: number | undefined;
  rateLimiter?: RateLimiter<string> | undefined;
  /** Give up on a key after this many consecutive failures (default: never; the next event or resync brings it back). */
  maxRetries?: number | undefined;
  logger?: Logger | undefined;
  metrics?: WorkQueueMetrics | undefined;
  clock?: Clock | undefined;
}

export class Controller {
  readonly queue: WorkQueue<string>;
  readonly name: string;
  private readonly log: Logger | undefined;
  private running = false;

  constructor(private readonly opts: ControllerOptions) {
    this.name = opts.name;
    this.log = opts.logger?.child({ controller: opts.name });
    this.queue = new WorkQueue<string>({ name: opts.name, rateLimiter: opts.rateLimiter, metrics: opts.metrics, clock: opts.clock });
  }

  /** Queues an object's key ("namespace/name"), or a key as is. */
  enqueue(objOrKey: string | KubeObject | DeletedFinalStateUnknown<KubeObject>): void {
    this.queue.add(typeof objOrKey === 'string' ? objOrKey : deletionHandlingKey(objOrKey));
  }

  enqueueAfter(key: string, delayMs: number): void {
    this.queue.addAfter(key, delayMs);
  }

  /** Handlers that enqueue the key of every added, updated and deleted object (for informer.addEventHandler). */
  handlers<T extends KubeObject>(): ResourceEventHandler<T> {
    return {
      onAdd: (obj) => this.enqueue(obj),
      onUpdate: (_old, obj) => this.enqueue(obj),
      onDelete: (obj) => this.enqueue(obj as KubeObject | DeletedFinalStateUnknown<KubeObject>),
    };
  }

  /**
   * Waits for `syncables` (informers) to sync, then runs the workers until `signal` aborts; resolves once every
   * in-flight reconcile has returned. Reconcilers get `signal` to cut their own calls short.
   */
  async run(signal: AbortSignal, syncables: Syncable[] = []): Promise<void> {
    // The queue is shut down when run() ends, so a Controller runs once (make a new one to run again).
    if (this.running || this.queue.shuttingDown) throw new Error(`controller ${this.name} already ran`);
    this.running = true;
    const onAbort = (): void => this.queue.shutDown();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal.aborted) return;
      const synced = await Promise.all(syncables.map((s) => s.waitForSync(signal)));
      if (!synced.every(Boolean)) return;
      this.log?.info({ workers: this.opts.workers ?? 1 }, 'caches synced; starting workers');
      const workers = Array.from({ length: Math.max(1, this.opts.workers ?? 1) }, () => this.worker(signal));
      await Promise.all(workers);
    } finally {
      signal.removeEventListener('abort', onAbort);
      await this.queue.shutDownWithDrain();
      this.running = false;
    }
  }

  private async worker(signal: AbortSignal): Promise<void> {
    for (;;) {
      const key = await this.queue.get();
      if (key === undefined) return;
      if (signal.aborted) {
        this.queue.done(key);
        continue;
      }
      try {
        const result = await this.opts.reconcile(key, signal);
        this.queue.forget(key);
        if (result && result.requeueAfterMs !== undefined) this.queue.addAfter(key, result.requeueAfterMs);
      } catch (err) {
        this.handleError(key, err, signal);
      } finally {
        this.queue.done(key);
      }
    }
  }

  private handleError(key: string, err: unknown, signal: AbortSignal): void {
    if (signal.aborted) return;
    if (isConflict(err)) {
      this.log?.debug({ key }, 'conflict (stale cache); requeueing');
      this.queue.addRateLimited(key);
      return;
    }
    const failures = this.queue.numRequeues(key);
    if (this.opts.maxRetries !== undefined && failures >= this.opts.maxRetries) {
      this.log?.error({ key, err, failures }, 'giving up on key after repeated failures');
      this.queue.forget(key);
      return;
    }
    this.log?.warn({ key, err: err instanceof Error ? err.message : String(err), failures: failures + 1 }, 'reconcile failed; requeueing with backoff');
    this.queue.addRateLimited(key);
  }
}
