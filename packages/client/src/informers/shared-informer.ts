// One reflector feeding one indexed cache and any number of event handlers (client-go's SharedIndexInformer).
// Handlers run synchronously, in order, as the cache changes: keep them short (enqueue a key and return).
// Handlers added after the informer started first get an onAdd for everything already cached.
import type { Logger } from 'pino';
import { DeletedFinalStateUnknown, Indexer, type Indexers, type ReadonlyIndexer } from '../cache/store.js';
import type { ListWatch } from '../tools/list-watch.js';
import { Reflector, type ReflectorOptions } from '../tools/reflector.js';
import type { KubeObject } from '../types.js';
import { realClock, type Clock, type TimerHandle } from '../util/clock.js';
import { Lister } from './lister.js';

export interface ResourceEventHandler<T> {
  /** `isInInitialList`: the object came with the first list (or a late handler's catch-up), not a live event. */
  onAdd?(obj: T, isInInitialList: boolean): void;
  /** Also called with old === new state on resync and for objects seen again on a relist. */
  onUpdate?(oldObj: T, newObj: T): void;
  /** A tombstone when the deletion was only inferred from a relist. */
  onDelete?(obj: T | DeletedFinalStateUnknown<T>): void;
}

export interface HandlerRegistration {
  remove(): void;
  /** True once this handler has seen the informer's initial state. */
  hasSynced(): boolean;
}

export interface SharedIndexInformerOptions<T extends KubeObject> {
  /** For logs, e.g. "pods". */
  name?: string | undefined;
  indexers?: Indexers<T> | undefined;
  /** Default resync period of handlers (0: never). */
  resyncPeriodMs?: number | undefined;
  logger?: Logger | undefined;
  clock?: Clock | undefined;
  reflector?: Omit<ReflectorOptions, 'name' | 'logger' | 'clock'> | undefined;
}

interface Listener<T> {
  handler: ResourceEventHandler<T>;
  resyncPeriodMs: number;
  resyncTimer: TimerHandle | undefined;
  synced: boolean;
  removed: boolean;
}

export class SharedIndexInformer<T extends KubeObject> {
  private readonly cache: Indexer<T>;
  private readonly listeners = new Set<Listener<T>>();
  private readonly reflector: Reflector<T>;
  private readonly log: Logger | undefined;
  private readonly clock: Clock;
  private readonly defaultResyncMs: number;
  private synced = false;
  private syncWaiters: Array<(synced: boolean) => void> = [];
  private controller: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private stopped = false;

  constructor(listWatch: ListWatch<T>, opts: SharedIndexInformerOptions<T> = {}) {
    this.cache = new Indexer<T>({ indexers: opts.indexers });
    this.log = opts.logger?.child({ informer: opts.name ?? 'unnamed' });
    this.clock = opts.clock ?? realClock;
    this.defaultResyncMs = opts.resyncPeriodMs ?? 0;
    this.reflector = new Reflector<T>(
      listWatch,
      {
        replace: (items) => this.onReplace(items),
        add: (obj) => this.onUpsert(obj),
        update: (obj) => this.onUpsert(obj),
        delete: (obj) => this.onDelete(obj),
      },
      { ...opts.reflector, name: opts.name, logger: opts.logger, clock: this.clock },
    );
  }

  /** The cache (read-only: objects are shared, copy before modifying). */
  get indexer(): ReadonlyIndexer<T> {
    return this.cache;
  }

  lister(): Lister<T> {
    return new Lister(this.cache);
  }

  /** More indexes, also over what is cached already. */
  addIndexers(indexers: Indexers<T>): void {
    this.cache.addIndexers(indexers);
  }

  addEventHandler(handler: ResourceEventHandler<T>, opts: { resyncPeriodMs?: number } = {}): HandlerRegistration {
    const listener: Listener<T> = {
      handler,
      resyncPeriodMs: opts.resyncPeriodMs ?? this.defaultResyncMs,
      resyncTimer: undefined,
      synced: false,
      removed: false,
    };
    this.listeners.add(listener);
    if (this.synced) {
      for (const obj of this.cache.list()) this.call('onAdd', () => handler.onAdd?.(obj, true));
      listener.synced = true;
      this.armResync(listener);
    }
    return {
      remove: () => {
        listener.removed = true;
        listener.resyncTimer?.cancel();
        this.listeners.delete(listener);
      },
      hasSynced: () => listener.synced,
    };
  }

  /** True once the first list is in the cache. */
  hasSynced(): boolean {
    return this.synced;
  }

  /** Resolves true once synced, false if `signal` aborts or the informer stops first. */
  waitForSync(signal?: AbortSignal): Promise<boolean> {
    if (this.synced) return Promise.resolve(true);
    if (this.stopped || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = (): void => {
        this.syncWaiters = this.syncWaiters.filter((w) => w !== done);
        resolve(false);
      };
      const done = (synced: boolean): void => {
        signal?.removeEventListener('abort', onAbort);
        resolve(synced);
      };
      this.syncWaiters.push(done);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  get lastSyncResourceVersion(): string {
    return this.reflector.lastSyncResourceVersion;
  }

  /** Starts listing and watching in the background (once). */
  start(): void {
    if (this.controller || this.stopped) return;
    this.controller = new AbortController();
    this.loop = this.reflector.run(this.controller.signal);
  }

  /** Runs until `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    this.start();
    if (signal.aborted) await this.stop();
    else await new Promise<void>((resolve) => signal.addEventListener('abort', () => void this.stop().then(resolve), { once: true }));
  }

  /** Stops the reflector and resync timers; the cache keeps its last state. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.controller?.abort();
    for (const l of this.listeners) l.resyncTimer?.cancel();
    for (const wake of this.syncWaiters.splice(0)) wake(false);
    await this.loop;
  }

  get isStopped(): boolean {
    return this.stopped;
  }

  // ---- the reflector's store ----

  private onReplace(items: T[]): void {
    const seen = new Set<string>();
    const initial = !this.synced;
    for (const obj of items) {
      const key = this.cache.keyOf(obj);
      seen.add(key);
      const old = this.cache.add(obj);
      if (old) this.dispatch('onUpdate', (h) => h.onUpdate?.(old, obj));
      else this.dispatch('onAdd', (h) => h.onAdd?.(obj, initial));
    }
    for (const key of this.cache.listKeys()) {
      if (seen.has(key)) continue;
      const old = this.cache.deleteKey(key)!;
      // Deleted while we were not watching: the last state we know is all there is.
      const tombstone = new DeletedFinalStateUnknown(key, old);
      this.dispatch('onDelete', (h) => h.onDelete?.(tombstone));
    }
    if (initial) {
      this.synced = true;
      for (const l of this.listeners) {
        l.synced = true;
        this.armResync(l);
      }
      for (const wake of this.syncWaiters.splice(0)) wake(true);
    }
  }

  private onUpsert(obj: T): void {
    const old = this.cache.add(obj);
    if (old) this.dispatch('onUpdate', (h) => h.onUpdate?.(old, obj));
    else this.dispatch('onAdd', (h) => h.onAdd?.(obj, false));
  }

  private onDelete(obj: T): void {
    this.cache.delete(obj);
    this.dispatch('onDelete', (h) => h.onDelete?.(obj));
  }

  private dispatch(what: string, fn: (h: ResourceEventHandler<T>) => void): void {
    for (const l of [...this.listeners]) if (!l.removed) this.call(what, () => fn(l.handler));
  }

  /** A throwing handler must not break the cache or the other handlers. */
  private call(what: string, fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.log?.error({ err, handler: what }, 'event handler threw');
    }
  }

  private armResync(listener: Listener<T>): void {
    if (listener.resyncPeriodMs <= 0 || listener.removed || this.stopped) return;
    listener.resyncTimer?.cancel();
    listener.resyncTimer = this.clock.setTimer(() => {
      if (listener.removed || this.stopped) return;
      for (const obj of this.cache.list()) this.call('onUpdate', () => listener.handler.onUpdate?.(obj, obj));
      this.armResync(listener);
    }, listener.resyncPeriodMs);
  }
}
