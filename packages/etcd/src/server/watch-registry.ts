// The member's live watches. They sit on the MVCC store, but a member that installs a snapshot from the leader gets a
// new store object: the registry moves every watch over, resuming from the next revision it has not delivered.
import type { WatchCreateRequest, WatchEvent } from '../api/types.js';
import type { MvccStore, Watcher } from '../mvcc/index.js';

export type WatchSink = (events: WatchEvent[], revision: number) => void;

export class ServerWatch {
  /** Highest revision delivered (or known to have nothing for this watch). */
  lastRevision: number;
  inner: Watcher | undefined;
  canceled = false;

  constructor(
    readonly request: WatchCreateRequest,
    readonly sink: WatchSink,
    readonly onCompacted: (compactRevision: number) => void,
    startAfter: number,
  ) {
    this.lastRevision = startAfter;
  }
}

export class WatchRegistry {
  private readonly active = new Set<ServerWatch>();

  constructor(private readonly store: () => MvccStore) {}

  get size(): number {
    return this.active.size;
  }

  /** Starts a watch. If its start revision is already compacted, `onCompacted` is called and nothing is delivered. */
  create(request: WatchCreateRequest, sink: WatchSink, onCompacted: (compactRevision: number) => void): ServerWatch {
    const store = this.store();
    const startAfter = request.startRevision > 0 ? request.startRevision - 1 : store.revision;
    const watch = new ServerWatch(request, sink, onCompacted, startAfter);
    this.attach(watch, store, request);
    return watch;
  }

  cancel(watch: ServerWatch): void {
    watch.canceled = true;
    watch.inner?.cancel();
    this.active.delete(watch);
  }

  closeAll(): void {
    for (const w of [...this.active]) this.cancel(w);
  }

  /** Called after a snapshot replaced the store: re-attach each watch where it left off. */
  storeReplaced(): void {
    const store = this.store();
    for (const watch of [...this.active]) {
      watch.inner?.cancel();
      this.attach(watch, store, { ...watch.request, startRevision: watch.lastRevision + 1 });
    }
  }

  private attach(watch: ServerWatch, store: MvccStore, request: WatchCreateRequest): void {
    const inner = store.watch(request, (events, revision) => {
      if (watch.canceled) return;
      watch.lastRevision = revision;
      watch.sink(events, revision);
    });
    if (inner.compactRevision > 0) {
      inner.cancel();
      this.active.delete(watch);
      watch.canceled = true;
      watch.onCompacted(inner.compactRevision);
      return;
    }
    watch.inner = inner;
    this.active.add(watch);
  }
}
