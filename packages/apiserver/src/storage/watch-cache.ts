// One resource prefix mirrored in memory (Kubernetes' cacher/watchCache): an initial list, then a single etcd watch
// that keeps the objects current, fills a bounded event history, and fans events out to any number of API watchers.
//
// Freshness (waitForRevision). The etcd watch only reports events in this prefix, so a write elsewhere raises etcd's
// revision without telling us. Two signals say "nothing in this prefix up to revision R is still missing":
//  1. A progress notification (an empty, non-created frame): etcd sends it on the watch's own stream after every
//     event up to its header revision (both etcd 3.4's interval notifications and k8ts-etcd's are ordered with events).
//     They come every --experimental-watch-progress-notify-interval (10 min by default), so they rarely help a waiter.
//  2. A probe: one read of the prefix (keys only, sorted by mod revision descending, limit 1) at etcd's current
//     revision R. If the newest key's mod revision is <= the cache's revision C and the key count equals the cache's,
//     then every key at R existed unchanged at C (creates and updates would have a newer mod revision) and none was
//     deleted (the count would be lower), so the state at R equals the cached state and the cache may say "R".
//     What the probe cannot see is a key created and deleted again between C and R: those events still arrive on
//     the stream later. The cache then treats events at or below its revision as history only: they go to watchers
//     (in order, so no watcher misses them) but not into the state, which already equals the later revision.
//     The stream resume point (`streamRevision`) only moves on what the stream itself delivered, so a reconnect never
//     skips them either.
import type { EtcdClient, Watch, WatchEvent, WatchResponse } from '@k8ts/etcd-client';
import type { Logger } from 'pino';
import { StorageError, type StoreWatchEvent, type StoredObject } from './contract.js';
import { EventHistory } from './event-history.js';
import { decodeStored, withResourceVersion } from './object-codec.js';
import type { ObjectStore } from './object-store.js';

export interface WatchCacheOptions {
  /** Events kept for watchers that start at an older revision; default 10000. */
  historyCapacity?: number;
  logger?: Logger;
  /** How long waitForRevision lets the watch catch up by itself before probing etcd; default 20 ms. */
  probeDelayMs?: number;
  /** Page size of the initial list and of relists; default 500. */
  listPageSize?: number;
}

/** Called synchronously for each event; it must not block (buffer and return). */
export type CacheWatchListener = (event: StoreWatchEvent) => void;
/** The watch ended on the cache's side (relist after compaction, stop, a listener that threw): the client must re-list. */
export type CacheWatchTerminated = (reason: string) => void;

export interface CacheWatcher {
  stop(): void;
  readonly stopped: boolean;
}

const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;
const PROBE_DELAY_MAX_MS = 1_000;
const RELIST_ATTEMPTS = 5;

type WatchOutcome = 'compacted' | 'broken' | 'stopped';

export class WatchCache {
  private readonly objects = new Map<string, StoredObject>();
  /** objects sorted by key, rebuilt lazily after a change. */
  private sorted: StoredObject[] | undefined;
  private readonly history: EventHistory;
  private readonly subscriptions = new Set<Subscription>();
  private readonly progressWaiters = new Set<() => void>();
  private readonly log: Logger | undefined;
  private readonly probeDelayMs: number;
  private readonly listPageSize: number;

  /** The revision the cached state reflects. */
  private stateRevision = 0;
  /** Everything up to here was delivered by the etcd watch stream; the next watch resumes after it. */
  private streamRevision = 0;
  /** Bumped on every change to `objects`: a probe answer only counts if the state did not move meanwhile. */
  private epoch = 0;
  private started = false;
  private ready = false;
  private stopped = false;
  private needsRelist = false;
  private etcdWatch: Watch | undefined;
  private loop: Promise<void> | undefined;
  private probe: Promise<void> | undefined;
  private wakeFromPause: (() => void) | undefined;

  constructor(
    private readonly client: EtcdClient,
    private readonly store: ObjectStore,
    readonly prefix: string,
    opts: WatchCacheOptions = {},
  ) {
    if (!prefix.endsWith('/')) throw new TypeError(`watch cache prefix must end with "/", got ${JSON.stringify(prefix)}`);
    this.history = new EventHistory(opts.historyCapacity ?? 10_000);
    this.log = opts.logger?.child({ component: 'watch-cache', prefix });
    this.probeDelayMs = opts.probeDelayMs ?? 20;
    this.listPageSize = opts.listPageSize ?? 500;
  }

  /** Loads the prefix, then follows it with an etcd watch; resolves once the initial list is in memory. */
  async start(): Promise<void> {
    if (this.started) throw new Error('WatchCache.start() called twice');
    this.started = true;
    try {
      const { entries, revision } = await this.listAll();
      if (this.stopped) return;
      this.replaceState(entries, revision);
    } catch (err) {
      this.started = false;
      throw err;
    }
    this.ready = true;
    this.loop = this.runWatchLoop().catch((err: unknown) => this.log?.error({ err }, 'watch cache loop failed'));
  }

  /** Ends the etcd watch and terminates every watcher. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.etcdWatch?.cancel();
    this.wakeFromPause?.();
    this.signalProgress();
    this.terminateAll('the watch cache was stopped');
    await this.loop;
  }

  /** The latest revision the cached state reflects. */
  get revision(): number {
    return this.stateRevision;
  }

  /** The oldest revision a watch may start from. */
  get oldestWatchRevision(): number {
    return this.history.startRevision;
  }

  /** All cached objects, sorted by key, and the revision they reflect. The objects are shared: do not modify them. */
  list(): { items: StoredObject[]; revision: number } {
    // Keys are ASCII in practice, where UTF-16 order equals etcd's byte order.
    this.sorted ??= [...this.objects.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
    return { items: this.sorted.slice(), revision: this.stateRevision };
  }

  /** The cached object at `key` (shared: do not modify). */
  get(key: string): StoredObject | undefined {
    return this.objects.get(key);
  }

  /** True once the cache reflects every change up to `rev` (see the freshness notes at the top of this file). */
  async waitForRevision(rev: number, timeoutMs: number): Promise<boolean> {
    if (this.stateRevision >= rev) return true;
    if (!this.started || this.stopped) return false;
    const deadline = Date.now() + timeoutMs;
    let probeDelay = this.probeDelayMs;
    while (this.stateRevision < rev && !this.stopped) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) break;
      const advanced = await this.nextProgress(Math.min(remaining, probeDelay));
      if (this.stateRevision >= rev || this.stopped) break;
      if (!advanced && this.ready) {
        await this.probeFreshness();
        probeDelay = Math.min(probeDelay * 2, PROBE_DELAY_MAX_MS);
      }
    }
    return this.stateRevision >= rev;
  }

  /**
   * Delivers every event with revision > fromRevision: first the buffered history (synchronously, before this
   * returns), then live events. Throws StorageError('Expired') when the history no longer reaches back that far.
   */
  watch(fromRevision: number, listener: CacheWatchListener, onTerminated?: CacheWatchTerminated): CacheWatcher {
    if (!this.ready) throw new Error('WatchCache.watch() before start() finished');
    if (this.stopped) throw new StorageError('Unavailable', `the watch cache for ${this.prefix} is stopped`);
    const oldest = this.history.startRevision;
    if (fromRevision < oldest) {
      throw new StorageError('Expired', `too old resource version: ${fromRevision} (${oldest})`, oldest);
    }
    const sub = new Subscription(fromRevision, listener, onTerminated, (s) => this.subscriptions.delete(s), this.log);
    for (const event of this.history.since(fromRevision)) {
      sub.deliver(event);
      if (sub.stopped) return sub;
    }
    this.subscriptions.add(sub);
    return sub;
  }

  // ---- the etcd side ----

  private async runWatchLoop(): Promise<void> {
    let backoff = RECONNECT_MIN_MS;
    while (!this.stopped) {
      if (this.needsRelist) {
        try {
          const { entries, revision } = await this.listAll();
          if (this.stopped) break;
          this.replaceState(entries, revision);
          this.needsRelist = false;
          this.terminateAll('the watch cache re-listed after its etcd watch fell behind a compaction; list and watch again');
        } catch (err) {
          this.log?.warn({ err }, 'relist failed; retrying');
          await this.pause(backoff);
          backoff = Math.min(backoff * 2, RECONNECT_MAX_MS);
          continue;
        }
      }
      const outcome = await this.followWatch(() => {
        backoff = RECONNECT_MIN_MS;
      });
      if (outcome === 'stopped') break;
      if (outcome === 'compacted') {
        this.needsRelist = true;
        continue;
      }
      await this.pause(backoff);
      backoff = Math.min(backoff * 2, RECONNECT_MAX_MS);
    }
  }

  /** One etcd watch from streamRevision + 1 until it ends; `onCreated` fires once etcd accepted it. */
  private async followWatch(onCreated: () => void): Promise<WatchOutcome> {
    const watch = this.client.watch(this.prefix, {
      prefix: true,
      startRevision: this.streamRevision + 1,
      prevKv: true,
      progressNotify: true,
    });
    this.etcdWatch = watch;
    try {
      for await (const resp of watch) {
        if (this.stopped) return 'stopped';
        if (resp.canceled) {
          if (resp.compactRevision > 0) {
            this.log?.info({ from: this.streamRevision + 1, compactRevision: resp.compactRevision }, 'watch start revision was compacted; relisting');
            return 'compacted';
          }
          this.log?.warn({ reason: resp.cancelReason }, 'etcd canceled the watch; resuming');
          return 'broken';
        }
        if (resp.created) onCreated();
        this.apply(resp);
      }
      return this.stopped ? 'stopped' : 'broken';
    } catch (err) {
      if (this.stopped) return 'stopped';
      this.log?.warn({ err, from: this.streamRevision + 1 }, 'etcd watch broke; resuming');
      return 'broken';
    } finally {
      watch.cancel();
      if (this.etcdWatch === watch) this.etcdWatch = undefined;
    }
  }

  private apply(resp: WatchResponse): void {
    if (resp.events.length === 0) {
      // Kubernetes' IsProgressNotify: no events, not created/canceled, a header revision.
      if (!resp.created && resp.compactRevision === 0 && resp.header.revision > this.streamRevision) {
        this.streamRevision = resp.header.revision;
        this.advanceTo(this.streamRevision);
      }
      return;
    }
    // Fixed for the whole frame: events at or below it are history only (see the file comment).
    const stateRevision = this.stateRevision;
    for (const ev of resp.events) this.applyEvent(ev, stateRevision);
    const last = resp.events[resp.events.length - 1];
    if (last) this.streamRevision = Math.max(this.streamRevision, last.kv.modRevision);
    this.advanceTo(this.streamRevision);
  }

  private applyEvent(ev: WatchEvent, stateRevision: number): void {
    const key = ev.kv.key.toString('utf8');
    const revision = ev.kv.modRevision;
    const intoState = revision > stateRevision;
    let event: StoreWatchEvent;
    try {
      const prev = ev.prevKv ? decodeStored(ev.prevKv.value, ev.prevKv.modRevision, key) : this.objects.get(key)?.object;
      if (ev.type === 'PUT') {
        const object = decodeStored(ev.kv.value, revision, key);
        event =
          ev.kv.createRevision === revision
            ? { type: 'ADDED', object, revision, key }
            : { type: 'MODIFIED', object, prevObject: prev, revision, key };
        if (intoState) this.setObject(key, { object, modRevision: revision });
      } else {
        if (intoState) this.deleteObject(key);
        if (!prev) {
          this.log?.warn({ key, revision }, 'delete event without a previous value; not forwarded');
          return;
        }
        event = { type: 'DELETED', object: withResourceVersion(prev, revision), prevObject: prev, revision, key };
      }
    } catch (err) {
      // An undecodable value must not stop the cache: drop the key and tell nobody (there is no object to send).
      this.log?.error({ err, key, revision }, 'skipping an undecodable watch event');
      if (intoState) this.deleteObject(key);
      return;
    }
    this.history.push(event);
    // A copy: a listener may start a new watch, which already replays this event from the history.
    for (const sub of Array.from(this.subscriptions)) sub.deliver(event);
  }

  /** Checks whether etcd's current revision can be claimed without waiting for events (see the file comment). */
  private probeFreshness(): Promise<void> {
    this.probe ??= this.runProbe().finally(() => {
      this.probe = undefined;
    });
    return this.probe;
  }

  private async runProbe(): Promise<void> {
    const epoch = this.epoch;
    const base = this.stateRevision;
    const count = this.objects.size;
    let resp;
    try {
      resp = await this.client.range(this.prefix, { prefix: true, keysOnly: true, sortTarget: 'MOD', sortOrder: 'DESCEND', limit: 1 });
    } catch (err) {
      this.log?.debug({ err }, 'freshness probe failed');
      return;
    }
    if (this.stopped || this.needsRelist || this.epoch !== epoch) return;
    const newest = resp.kvs[0]?.modRevision ?? 0;
    if (resp.count === count && newest <= base) this.advanceTo(resp.header.revision);
  }

  private async listAll(): Promise<{ entries: Array<[string, StoredObject]>; revision: number }> {
    for (let attempt = 1; ; attempt++) {
      try {
        const entries: Array<[string, StoredObject]> = [];
        let page = await this.store.listWithKeys(this.prefix, { limit: this.listPageSize });
        page.items.forEach((item, i) => entries.push([page.keys[i] ?? '', item]));
        // Every page makes progress through a finite key range, so this ends.
        while (page.continueToken !== undefined) {
          page = await this.store.listWithKeys(this.prefix, { limit: this.listPageSize, continueToken: page.continueToken });
          page.items.forEach((item, i) => entries.push([page.keys[i] ?? '', item]));
        }
        return { entries, revision: page.revision };
      } catch (err) {
        // Compacted between two pages: start over at a newer revision.
        if (err instanceof StorageError && err.code === 'Expired' && attempt < RELIST_ATTEMPTS && !this.stopped) continue;
        throw err;
      }
    }
  }

  // ---- state ----

  private replaceState(entries: Array<[string, StoredObject]>, revision: number): void {
    this.objects.clear();
    for (const [key, item] of entries) this.objects.set(key, item);
    this.sorted = undefined;
    this.epoch++;
    this.history.reset(revision);
    this.streamRevision = revision;
    this.stateRevision = revision;
    this.signalProgress();
  }

  private setObject(key: string, value: StoredObject): void {
    this.objects.set(key, value);
    this.sorted = undefined;
    this.epoch++;
  }

  private deleteObject(key: string): void {
    if (!this.objects.delete(key)) return;
    this.sorted = undefined;
    this.epoch++;
  }

  private advanceTo(revision: number): void {
    if (revision <= this.stateRevision) return;
    this.stateRevision = revision;
    this.signalProgress();
  }

  private terminateAll(reason: string): void {
    for (const sub of Array.from(this.subscriptions)) sub.terminate(reason);
  }

  // ---- waiting ----

  private signalProgress(): void {
    const waiters = Array.from(this.progressWaiters);
    this.progressWaiters.clear();
    for (const wake of waiters) wake();
  }

  /** Resolves true when the revision advances, false after `ms`. */
  private nextProgress(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const onProgress = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.progressWaiters.delete(onProgress);
        resolve(false);
      }, ms);
      this.progressWaiters.add(onProgress);
    });
  }

  /** A reconnect backoff that stop() cuts short. */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeFromPause = done;
    });
  }
}

class Subscription implements CacheWatcher {
  stopped = false;

  constructor(
    private readonly fromRevision: number,
    private readonly listener: CacheWatchListener,
    private readonly onTerminated: CacheWatchTerminated | undefined,
    private readonly detach: (s: Subscription) => void,
    private readonly log: Logger | undefined,
  ) {}

  deliver(event: StoreWatchEvent): void {
    if (this.stopped || event.revision <= this.fromRevision) return;
    try {
      this.listener(event);
    } catch (err) {
      this.log?.warn({ err }, 'watch listener threw; ending that watch');
      this.terminate(`watch listener failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.detach(this);
  }

  terminate(reason: string): void {
    if (this.stopped) return;
    this.stop();
    try {
      this.onTerminated?.(reason);
    } catch (err) {
      this.log?.warn({ err }, 'onTerminated threw');
    }
  }
}
