// Keeps a store equal to the server's state of one collection: list (paginated), replace the store, then watch from
// the list's resourceVersion and apply every event. The loop's rules (client-go's Reflector):
//  - the watch ends normally (timeoutSeconds): watch again from the last resourceVersion seen (events, bookmarks);
//  - no answer / 429 / 5xx: wait (capped exponential backoff with jitter) and resume the watch from there;
//  - 410 Expired/Gone (history compacted, apiserver restarted): list again;
//  - anything else (403, a resource that went away, garbage on the stream): wait, then list again.
// A watch that ends at once without delivering anything counts as a failure, so nothing here can spin.
import type { Logger } from 'pino';
import { isExpired, isRetryable } from '../errors.js';
import type { KubeObject } from '../types.js';
import { Backoff, type BackoffOptions } from '../util/backoff.js';
import { isAbortError, realClock, sleepUnlessAborted, type Clock } from '../util/clock.js';
import type { WatchEvent } from '../watch/watch.js';
import type { ListWatch } from './list-watch.js';

/** Where a reflector puts what it learns. */
export interface ReflectorStore<T> {
  /** The result of a full list: the store must now hold exactly `items`. */
  replace(items: T[], resourceVersion: string): void;
  add(obj: T): void;
  update(obj: T): void;
  delete(obj: T): void;
}

export interface ReflectorOptions {
  /** For logs, e.g. "pods". */
  name?: string | undefined;
  logger?: Logger | undefined;
  clock?: Clock | undefined;
  /** Items per list page (default 500). */
  pageSize?: number | undefined;
  /** Retry pacing (default 800 ms doubling to 30 s, as client-go). */
  backoff?: BackoffOptions | undefined;
  /** Each watch asks the server to end it after a random 1-2x this (default 300 s). */
  minWatchTimeoutSeconds?: number | undefined;
  /** A watch shorter than this that delivered nothing counts as a failure (default 1 s). */
  minHealthyWatchMs?: number | undefined;
  /** apiVersion/kind to fill in on objects that come without them. */
  typeMeta?: { apiVersion: string; kind: string } | undefined;
}

type WatchOutcome = 'ended' | 'relist' | 'retry' | 'stopped';

export class Reflector<T extends KubeObject> {
  private lastRV = '';
  private readonly log: Logger | undefined;
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly pageSize: number;
  private readonly minWatchTimeoutSeconds: number;
  private readonly minHealthyWatchMs: number;
  private running = false;

  constructor(
    private readonly listWatch: ListWatch<T>,
    private readonly store: ReflectorStore<T>,
    private readonly opts: ReflectorOptions = {},
  ) {
    this.log = opts.logger?.child({ reflector: opts.name ?? 'unnamed' });
    this.clock = opts.clock ?? realClock;
    this.backoff = new Backoff(opts.backoff);
    this.pageSize = opts.pageSize ?? 500;
    this.minWatchTimeoutSeconds = opts.minWatchTimeoutSeconds ?? 300;
    this.minHealthyWatchMs = opts.minHealthyWatchMs ?? 1000;
  }

  /** The resourceVersion of the last list, event or bookmark applied ('' before the first list). */
  get lastSyncResourceVersion(): string {
    return this.lastRV;
  }

  /** Lists and watches until `signal` aborts. Never rejects. */
  async run(signal: AbortSignal): Promise<void> {
    if (this.running) throw new Error('Reflector.run() called twice');
    this.running = true;
    try {
      let needList = true;
      while (!signal.aborted) {
        if (needList) {
          const listed = await this.listAndReplace(signal);
          if (signal.aborted) break;
          if (!listed) {
            await sleepUnlessAborted(this.backoff.next(), signal, this.clock);
            continue;
          }
          needList = false;
        }
        const outcome = await this.watchOnce(signal);
        if (outcome === 'stopped') break;
        if (outcome === 'relist') needList = true;
      }
    } finally {
      this.running = false;
    }
  }

  /** One full, paginated, consistent list into the store; false (logged) if it failed. */
  private async listAndReplace(signal: AbortSignal): Promise<boolean> {
    try {
      const items: T[] = [];
      let page = await this.listWatch.list({ limit: this.pageSize, signal });
      items.push(...page.items);
      // Pages after the first are read at the first page's revision, so the union is one consistent snapshot.
      while (page.metadata.continue) {
        page = await this.listWatch.list({ limit: this.pageSize, continue: page.metadata.continue, signal });
        items.push(...page.items);
      }
      const rv = page.metadata.resourceVersion;
      for (const item of items) this.fillTypeMeta(item);
      this.store.replace(items, rv);
      this.lastRV = rv;
      this.log?.debug({ items: items.length, resourceVersion: rv }, 'listed');
      return true;
    } catch (err) {
      if (signal.aborted || isAbortError(err)) return false;
      this.log?.warn({ err: describe(err) }, 'list failed; retrying with backoff');
      return false;
    }
  }

  /** One watch from lastRV until it ends; tells the loop what to do next (having waited if it should). */
  private async watchOnce(signal: AbortSignal): Promise<WatchOutcome> {
    const startedAt = this.clock.now();
    let delivered = 0;
    const timeoutSeconds = Math.floor(this.minWatchTimeoutSeconds * (1 + Math.random()));
    try {
      const watch = await this.listWatch.watch({ resourceVersion: this.lastRV, allowWatchBookmarks: true, timeoutSeconds, signal });
      // Stopping must end the iteration even if the ListWatch ignores the signal.
      const closeOnAbort = (): void => watch.close();
      signal.addEventListener('abort', closeOnAbort, { once: true });
      try {
        for await (const event of watch) {
          if (signal.aborted) break;
          this.apply(event);
          if (delivered++ === 0) this.backoff.reset();
        }
      } finally {
        signal.removeEventListener('abort', closeOnAbort);
        watch.close();
      }
      if (signal.aborted) return 'stopped';
      if (delivered === 0 && this.clock.now() - startedAt < this.minHealthyWatchMs) {
        // Ended at once with nothing to say: do not hammer a server that does this.
        return (await sleepUnlessAborted(this.backoff.next(), signal, this.clock)) ? 'ended' : 'stopped';
      }
      if (delivered === 0) this.backoff.reset();
      return 'ended';
    } catch (err) {
      if (signal.aborted || isAbortError(err)) return 'stopped';
      const productive = delivered > 0 || this.clock.now() - startedAt >= this.minHealthyWatchMs;
      if (isExpired(err)) {
        this.log?.info({ resourceVersion: this.lastRV }, 'watch resourceVersion expired (410); relisting');
        if (!productive && !(await sleepUnlessAborted(this.backoff.next(), signal, this.clock))) return 'stopped';
        return 'relist';
      }
      const delay = this.backoff.next();
      if (isRetryable(err)) {
        this.log?.info({ err: describe(err), resourceVersion: this.lastRV, retryInMs: Math.round(delay) }, 'watch interrupted; resuming');
        return (await sleepUnlessAborted(delay, signal, this.clock)) ? 'retry' : 'stopped';
      }
      this.log?.warn({ err: describe(err), retryInMs: Math.round(delay) }, 'watch failed; relisting');
      return (await sleepUnlessAborted(delay, signal, this.clock)) ? 'relist' : 'stopped';
    }
  }

  private apply(event: WatchEvent<T>): void {
    const rv = event.object.metadata?.resourceVersion;
    switch (event.type) {
      case 'ADDED':
        this.fillTypeMeta(event.object);
        this.store.add(event.object);
        break;
      case 'MODIFIED':
        this.fillTypeMeta(event.object);
        this.store.update(event.object);
        break;
      case 'DELETED':
        this.fillTypeMeta(event.object);
        this.store.delete(event.object);
        break;
      case 'BOOKMARK':
        break;
    }
    if (rv) this.lastRV = rv;
  }

  private fillTypeMeta(obj: T): void {
    const tm = this.opts.typeMeta;
    if (!tm) return;
    if (!obj.apiVersion) obj.apiVersion = tm.apiVersion;
    if (!obj.kind) obj.kind = tm.kind;
  }
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
