// Reflector and SharedIndexInformer against a scripted in-memory API: initial (paginated) sync, live events,
// resume from the last resourceVersion (events and bookmarks), relist with tombstones after 410, backoff instead of
// busy loops, late handlers, resync, handler isolation.
import t from 'tap';
import {
  ApiError,
  DeletedFinalStateUnknown,
  NetworkError,
  SharedIndexInformer,
  type KubeObject,
  type ListCallOptions,
  type ListOf,
  type ListWatch,
  type WatchCallOptions,
  type WatchEvent,
  type WatchHandle,
} from '../src/index.js';
import type { ResourceEventHandler } from '../src/informers/shared-informer.js';

type Obj = KubeObject & { data?: string };

class FakeWatch implements WatchHandle<Obj> {
  private readonly items: Array<WatchEvent<Obj> | Error | 'end'> = [];
  private wake: (() => void) | undefined;
  closed = false;
  push(item: WatchEvent<Obj> | Error | 'end'): void {
    this.items.push(item);
    this.wake?.();
  }
  close(): void {
    this.closed = true;
    this.wake?.();
  }
  async *[Symbol.asyncIterator](): AsyncGenerator<WatchEvent<Obj>> {
    while (!this.closed) {
      const next = this.items.shift();
      if (next === undefined) {
        await new Promise<void>((r) => (this.wake = r));
        this.wake = undefined;
        continue;
      }
      if (next === 'end') return;
      if (next instanceof Error) throw next;
      yield next;
    }
  }
}

type WatchScript = 'refuse' | 'expire' | 'end-at-once';

/** An API with one collection: a revision counter, paginated lists, and one live watch at a time. */
class FakeApi implements ListWatch<Obj> {
  rv = 100;
  readonly objects = new Map<string, Obj>();
  listCalls: ListCallOptions[] = [];
  watchCalls: WatchCallOptions[] = [];
  failLists = 0;
  script: WatchScript[] = [];
  /** Applied to every watch call without a script entry. */
  always: WatchScript | undefined;
  current: FakeWatch | undefined;

  put(name: string, data: string): void {
    const existed = this.objects.has(name);
    const obj: Obj = { metadata: { name, namespace: 'ns', resourceVersion: String(++this.rv) }, data };
    this.objects.set(name, obj);
    this.current?.push({ type: existed ? 'MODIFIED' : 'ADDED', object: structuredClone(obj) });
  }
  remove(name: string): void {
    const obj = this.objects.get(name)!;
    this.objects.delete(name);
    this.current?.push({ type: 'DELETED', object: { ...structuredClone(obj), metadata: { ...obj.metadata, resourceVersion: String(++this.rv) } } });
  }
  bookmark(): void {
    this.current?.push({ type: 'BOOKMARK', object: { metadata: { resourceVersion: String(++this.rv) } } });
  }
  /** The connection breaks: the live watch fails and misses whatever happens next. */
  breakWatch(err: Error = new NetworkError('socket hang up', 'ECONNRESET')): void {
    const w = this.current;
    this.current = undefined;
    w?.push(err);
  }

  async list(opts: ListCallOptions): Promise<ListOf<Obj>> {
    this.listCalls.push(opts);
    if (this.failLists > 0) {
      this.failLists--;
      throw new NetworkError('connect ECONNREFUSED', 'ECONNREFUSED');
    }
    const all = [...this.objects.values()].sort((a, b) => a.metadata!.name!.localeCompare(b.metadata!.name!));
    const start = opts.continue ? Number(opts.continue) : 0;
    const end = opts.limit ? start + opts.limit : all.length;
    return {
      apiVersion: 'v1',
      kind: 'List',
      metadata: { resourceVersion: String(this.rv), ...(end < all.length ? { continue: String(end) } : {}) },
      items: all.slice(start, end).map((o) => structuredClone(o)),
    };
  }

  async watch(opts: WatchCallOptions): Promise<WatchHandle<Obj>> {
    this.watchCalls.push(opts);
    const step = this.script.shift() ?? this.always;
    if (step === 'refuse') throw new NetworkError('connect ECONNREFUSED', 'ECONNREFUSED');
    const w = new FakeWatch();
    if (step === 'expire') w.push(new ApiError(410, { reason: 'Expired', message: `too old resource version: ${opts.resourceVersion}` }));
    else if (step === 'end-at-once') w.push('end');
    else this.current = w;
    return w;
  }
}

interface Log {
  events: string[];
  tombstones: Array<DeletedFinalStateUnknown<Obj>>;
}

function recorder(): ResourceEventHandler<Obj> & Log {
  const log: Log = { events: [], tombstones: [] };
  return {
    ...log,
    onAdd: (o, initial) => log.events.push(`add ${o.metadata?.name}${initial ? ' (initial)' : ''}`),
    onUpdate: (a, b) => log.events.push(`update ${b.metadata?.name} ${a.data}->${b.data}`),
    onDelete: (o) => {
      if (o instanceof DeletedFinalStateUnknown) {
        log.tombstones.push(o);
        log.events.push(`delete ${o.key} (tombstone)`);
      } else log.events.push(`delete ${o.metadata?.name}`);
    },
  };
}

async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const fastReflector = { backoff: { initialMs: 20, maxMs: 80 }, pageSize: 2, minHealthyWatchMs: 200 };

t.test('initial sync (paginated), live events, resume from the last resourceVersion after a clean end', async (t) => {
  const api = new FakeApi();
  api.put('a', '1');
  api.put('b', '1');
  api.put('c', '1');
  const informer = new SharedIndexInformer<Obj>(api, { reflector: fastReflector });
  const h = recorder();
  informer.addEventHandler(h);
  t.notOk(informer.hasSynced());
  informer.start();
  t.equal(await informer.waitForSync(AbortSignal.timeout(2000)), true);
  t.same(h.events, ['add a (initial)', 'add b (initial)', 'add c (initial)']);
  t.equal(api.listCalls.length, 2, 'three items in pages of two');
  t.equal(api.listCalls[1]!.continue, '2');
  await until(() => api.current !== undefined, 'the watch');
  t.equal(api.watchCalls[0]!.resourceVersion, '103', 'watch from the list revision');
  t.ok(api.watchCalls[0]!.allowWatchBookmarks);

  api.put('a', '2');
  api.remove('c');
  api.put('d', '1');
  await until(() => h.events.length === 6, 'three events');
  t.same(h.events.slice(3), ['update a 1->2', 'delete c', 'add d']);
  t.same(informer.indexer.listKeys().sort(), ['ns/a', 'ns/b', 'ns/d']);
  t.equal(informer.indexer.get('ns/a')?.data, '2');

  api.bookmark();
  await until(() => informer.lastSyncResourceVersion === String(api.rv), 'the bookmark RV');
  const current = api.current!;
  api.current = undefined;
  current.push('end'); // the server's timeoutSeconds
  await until(() => api.watchCalls.length === 2 && api.current !== undefined, 'the next watch');
  t.equal(api.watchCalls[1]!.resourceVersion, String(api.rv), 'resumed from the bookmark');
  t.equal(api.listCalls.length, 2, 'no relist after a clean end');
  await informer.stop();
  t.ok(current.closed);
});

t.test('network errors resume the watch with backoff; 410 relists and reports deletions as tombstones', async (t) => {
  const api = new FakeApi();
  api.put('a', '1');
  api.put('b', '1');
  const informer = new SharedIndexInformer<Obj>(api, { reflector: fastReflector });
  const h = recorder();
  informer.addEventHandler(h);
  informer.start();
  await informer.waitForSync();
  await until(() => api.current !== undefined, 'the watch');
  api.put('b', '2');
  await until(() => h.events.length === 3, 'the update');
  const rvAfterUpdate = api.rv;

  api.script = ['refuse', 'refuse'];
  api.breakWatch();
  await until(() => api.watchCalls.length === 4 && api.current !== undefined, 'the watch to come back');
  t.same(
    api.watchCalls.slice(1).map((w) => w.resourceVersion),
    [String(rvAfterUpdate), String(rvAfterUpdate), String(rvAfterUpdate)],
    'every attempt resumes from the last seen resourceVersion',
  );
  t.equal(api.listCalls.length, 1, 'no relist for a network error');

  // Disconnected again; meanwhile the world changes and the server forgets our revision.
  api.script = ['expire'];
  api.breakWatch();
  api.remove('a');
  api.put('b', '3');
  api.put('c', '1');
  await until(() => h.events.length === 6, 'the relist to be reconciled');
  t.equal(api.listCalls.length, 2, 'one relist after 410');
  t.same(h.events.slice(3).sort(), ['add c', 'delete ns/a (tombstone)', 'update b 2->3']);
  t.equal(h.tombstones[0]!.obj.data, '1', 'the tombstone carries the last known state');
  t.same(informer.indexer.listKeys().sort(), ['ns/b', 'ns/c']);
  await informer.stop();
});

t.test('never a busy loop: refused watches, watches that end at once, failing lists all back off', async (t) => {
  const api = new FakeApi();
  api.put('a', '1');
  api.failLists = 3;
  const informer = new SharedIndexInformer<Obj>(api, { reflector: { ...fastReflector, backoff: { initialMs: 20, maxMs: 60 } } });
  informer.start();
  t.equal(await informer.waitForSync(AbortSignal.timeout(2000)), true, 'syncs once lists succeed');
  t.equal(api.listCalls.length, 4);

  api.always = 'refuse';
  api.breakWatch();
  await new Promise((r) => setTimeout(r, 400));
  const refused = api.watchCalls.length;
  t.ok(refused >= 3 && refused <= 25, `refused watches are retried with backoff (${refused} attempts in 400 ms)`);

  api.always = 'end-at-once';
  const before = api.watchCalls.length;
  await new Promise((r) => setTimeout(r, 400));
  const instant = api.watchCalls.length - before;
  t.ok(instant >= 2 && instant <= 25, `watches that end at once are paced (${instant} in 400 ms)`);

  api.always = 'expire';
  const lists = api.listCalls.length;
  await new Promise((r) => setTimeout(r, 400));
  const relists = api.listCalls.length - lists;
  t.ok(relists >= 2 && relists <= 25, `a server that expires every watch is paced too (${relists} relists in 400 ms)`);
  await informer.stop();
});

t.test('late handlers catch up; removed handlers stop; a throwing handler does not hurt the others; resync', async (t) => {
  const api = new FakeApi();
  api.put('a', '1');
  api.put('b', '1');
  const informer = new SharedIndexInformer<Obj>(api, { reflector: fastReflector });
  const thrower = informer.addEventHandler({
    onAdd: () => {
      throw new Error('boom');
    },
  });
  const early = recorder();
  const earlyReg = informer.addEventHandler(early);
  t.notOk(earlyReg.hasSynced());
  informer.start();
  await informer.waitForSync();
  t.ok(earlyReg.hasSynced());
  t.same(early.events, ['add a (initial)', 'add b (initial)'], 'the thrower did not stop delivery');
  const late = recorder();
  const lateReg = informer.addEventHandler(late);
  t.same(late.events.sort(), ['add a (initial)', 'add b (initial)'], 'synthetic adds for a late handler');
  t.ok(lateReg.hasSynced());
  await until(() => api.current !== undefined, 'the watch');
  lateReg.remove();
  thrower.remove();
  api.put('c', '1');
  await until(() => early.events.length === 3, 'the add');
  t.equal(late.events.length, 2, 'a removed handler gets nothing');

  const resynced: string[] = [];
  informer.addEventHandler({ onUpdate: (o, n) => o === n && resynced.push(n.metadata!.name!) }, { resyncPeriodMs: 40 });
  await until(() => resynced.length >= 6, 'two resyncs');
  t.same(resynced.slice(0, 3).sort(), ['a', 'b', 'c'], 'resync replays every cached object as an update');
  t.notOk(early.events.some((e) => e.startsWith('update')), 'handlers without a resync period are not resynced');
  await informer.stop();
  t.equal(await informer.waitForSync(), true);
});

t.test('waitForSync gives up when aborted or stopped', async (t) => {
  const api = new FakeApi();
  api.failLists = 1000;
  const informer = new SharedIndexInformer<Obj>(api, { reflector: fastReflector });
  informer.start();
  t.equal(await informer.waitForSync(AbortSignal.timeout(50)), false);
  const pending = informer.waitForSync();
  await informer.stop();
  t.equal(await pending, false);
});
