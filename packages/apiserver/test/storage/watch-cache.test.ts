// WatchCache against real single-member stores (k8ts-etcd and etcd 3.4, same assertions). A TCP proxy between the
// cache and etcd breaks the connection or holds the watch stream back where a test needs the watch to lag.
import t from 'tap';
import type { JsonObject } from '@k8ts/api-machinery';
import { EtcdClient } from '@k8ts/etcd-client';
import { ObjectStore, StorageError, WatchCache, type StoreWatchEvent, type WatchCacheOptions } from '../../src/storage/index.js';
import { etcdKinds, startEtcd } from '@k8ts/testing';
import { TcpProxy } from './tcp-proxy.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `cond` every 10 ms for up to `timeoutMs`. */
async function waitFor(cond: () => boolean, timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}

function obj(name: string, data: JsonObject = {}): JsonObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'ns' }, data };
}

function rvOf(o: JsonObject | undefined): string | undefined {
  const meta = o?.metadata as JsonObject | undefined;
  return typeof meta?.resourceVersion === 'string' ? meta.resourceVersion : undefined;
}

const summary = (e: StoreWatchEvent): string => `${e.type} ${e.key} @${e.revision}`;

for (const kind of etcdKinds()) {
  t.test(`WatchCache on ${kind}`, async (t) => {
    const etcd = await startEtcd(kind);
    const client = new EtcdClient({ endpoints: etcd.endpoints });
    const store = new ObjectStore(client);
    const cleanups: Array<() => Promise<void>> = [];
    t.teardown(async () => {
      for (const c of cleanups.reverse()) await c();
      await client.close();
      await etcd.stop();
    });

    /** A started cache on the resource's prefix, optionally reaching etcd through a proxy. */
    const startCache = async (resource: string, opts: WatchCacheOptions & { proxy?: boolean } = {}) => {
      let cacheClient = client;
      let proxy: TcpProxy | undefined;
      if (opts.proxy) {
        proxy = await TcpProxy.start(etcd.endpoints[0] ?? '');
        cacheClient = new EtcdClient({ endpoints: [proxy.url], requestTimeoutMs: 3000 });
      }
      const cache = new WatchCache(cacheClient, new ObjectStore(cacheClient), store.prefixFor(resource), opts);
      cleanups.push(async () => {
        await cache.stop();
        if (proxy) {
          await cacheClient.close();
          await proxy.close();
        }
      });
      await cache.start();
      return { cache, proxy, key: (name: string) => store.key(resource, 'ns', name) };
    };

    t.test('initial list, then lists follow writes', async (t) => {
      await store.create(store.key('listed', 'ns', 'b'), obj('b'));
      await store.create(store.key('listed', 'ns', 'a'), obj('a'));
      const { cache, key } = await startCache('listed');
      t.same(cache.list().items.map((i) => rvOf(i.object) !== undefined && (i.object.metadata as JsonObject).name), ['a', 'b']);

      const c = await store.create(key('c'), obj('c'));
      const a = await store.get(key('a'));
      await store.update(key('a'), obj('a', { v: '2' }), a?.modRevision ?? 0);
      const gone = await store.delete(key('b'));
      t.ok(await cache.waitForRevision(gone.modRevision, 5000));
      const snap = cache.list();
      t.ok(snap.revision >= gone.modRevision);
      const direct = await store.list(store.prefixFor('listed'), { revision: snap.revision });
      t.same(snap.items, direct.items, 'the cache equals etcd at the cache revision');
      t.same(cache.get(key('c'))?.object, c.object);
      t.equal(cache.get(key('b')), undefined);
    });

    t.test('watch replays history from an old revision, then goes live', async (t) => {
      const { cache, key } = await startCache('replayed');
      const from = cache.revision;
      // waitForRevision may answer from a freshness probe before the stream has delivered these events (they then
      // arrive as history only), so a watcher that is already running tells when the history holds all three.
      const streamed: StoreWatchEvent[] = [];
      const sentinel = cache.watch(from, (e) => streamed.push(e));
      const added = await store.create(key('x'), obj('x', { v: '1' }));
      const modified = await store.update(key('x'), obj('x', { v: '2' }), added.modRevision);
      const deleted = await store.delete(key('x'));
      t.ok(await cache.waitForRevision(deleted.modRevision, 5000));
      t.ok(await waitFor(() => streamed.length === 3), 'the stream delivered all three events');
      sentinel.stop();

      const events: StoreWatchEvent[] = [];
      const watcher = cache.watch(from, (e) => events.push(e));
      t.same(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED'], 'history first');
      const [ev1, ev2, ev3] = events;
      t.same(ev1?.object, added.object);
      t.equal(ev1?.revision, added.modRevision);
      t.same(ev2?.object, modified.object);
      t.same(ev2?.prevObject, added.object, 'MODIFIED carries the previous state');
      t.equal(ev3?.revision, deleted.modRevision);
      t.same(ev3?.object, deleted.object, 'DELETED carries the last state at the deletion revision');
      t.equal(rvOf(ev3?.object), String(deleted.modRevision));
      t.same(ev3?.prevObject, modified.object);

      const later: StoreWatchEvent[] = [];
      const fromMiddle = cache.watch(modified.modRevision, (e) => later.push(e));
      t.same(later.map(summary), [summary(ev3 as StoreWatchEvent)], 'only events after the given revision');

      const live = await store.create(key('y'), obj('y'));
      t.ok(await waitFor(() => events.length === 4 && later.length === 2));
      t.same(events[3]?.object, live.object);
      t.equal(events[3]?.type, 'ADDED');
      watcher.stop();
      fromMiddle.stop();
      await store.delete(key('y'));
      t.ok(await cache.waitForRevision(await store.currentRevision(), 5000));
      t.equal(events.length, 4, 'a stopped watcher gets nothing more');
    });

    t.test('a watch older than the history is Expired', async (t) => {
      const { cache, key } = await startCache('expiring', { historyCapacity: 3 });
      const initial = cache.revision;
      const revs: number[] = [];
      for (let i = 0; i < 5; i++) revs.push((await store.create(key(`e${i}`), obj(`e${i}`))).modRevision);
      t.ok(await cache.waitForRevision(revs[4] ?? 0, 5000));
      const oldest = cache.oldestWatchRevision;
      t.equal(oldest, revs[1], 'two events dropped from a history of 3');
      try {
        cache.watch(initial, () => undefined);
        t.fail('expected Expired');
      } catch (err) {
        t.ok(err instanceof StorageError && err.code === 'Expired');
        t.equal((err as Error).message, `too old resource version: ${initial} (${oldest})`);
        t.equal((err as StorageError).currentRevision, oldest);
      }
      const events: StoreWatchEvent[] = [];
      cache.watch(oldest, (e) => events.push(e)).stop();
      t.same(events.map((e) => e.revision), revs.slice(2), 'the oldest allowed revision replays the rest');
    });

    t.test('waitForRevision after a write in another prefix returns promptly', async (t) => {
      const { cache } = await startCache('quiet');
      const put = await client.put('/registry/other/ns/z', JSON.stringify(obj('z')));
      const started = Date.now();
      t.ok(await cache.waitForRevision(put.header.revision, 5000));
      const took = Date.now() - started;
      t.ok(took < 1000, `took ${took} ms`);
      t.ok(cache.revision >= put.header.revision);
      t.equal(await cache.waitForRevision(put.header.revision + 1000, 200), false, 'a revision etcd has not reached');
    });

    t.test('the freshness probe never claims what the watch has not delivered', async (t) => {
      const { cache, proxy, key } = await startCache('lagging', { proxy: true });
      const events: StoreWatchEvent[] = [];
      cache.watch(cache.revision, (e) => events.push(e));
      proxy?.holdWatchStreams();
      const created = await store.create(key('y'), obj('y'));
      t.equal(await cache.waitForRevision(created.modRevision, 300), false, 'a create in the prefix is still on its way');
      t.equal(cache.get(key('y')), undefined);
      proxy?.releaseWatchStreams();
      t.ok(await cache.waitForRevision(created.modRevision, 5000));
      t.same(events.map((e) => e.type), ['ADDED']);
    });

    t.test('a key created and deleted while the watch lags', async (t) => {
      const { cache, proxy, key } = await startCache('transient', { proxy: true });
      await store.create(key('stays'), obj('stays'));
      t.ok(await cache.waitForRevision(await store.currentRevision(), 5000));
      const early: StoreWatchEvent[] = [];
      cache.watch(cache.revision, (e) => early.push(e));

      proxy?.holdWatchStreams();
      const x = await store.create(key('x'), obj('x'));
      const x2 = await store.update(key('x'), obj('x', { v: '2' }), x.modRevision);
      const gone = await store.delete(key('x'));
      const elsewhere = await client.put('/registry/other/ns/t', '{}');
      t.ok(await cache.waitForRevision(elsewhere.header.revision, 5000), 'the state equals etcd at that revision, so the probe may claim it');
      t.same(cache.list().items.map((i) => (i.object.metadata as JsonObject).name), ['stays']);
      const late: StoreWatchEvent[] = [];
      cache.watch(cache.revision, (e) => late.push(e));
      t.equal(early.length, 0);

      proxy?.releaseWatchStreams();
      t.ok(await waitFor(() => early.length === 3));
      t.same(
        early.map((e) => [e.type, e.revision]),
        [['ADDED', x.modRevision], ['MODIFIED', x2.modRevision], ['DELETED', gone.modRevision]],
        'older watchers still see every event',
      );
      t.same(early[1]?.prevObject, x.object, 'a replayed MODIFIED carries the state before it');
      t.same(early[2]?.prevObject, x2.object, 'a replayed DELETED carries the last state');
      t.same(early[2]?.object, gone.object, 'stamped with the deletion revision');
      t.equal(late.length, 0, 'a watcher from the claimed revision does not');
      t.same(cache.list().items.map((i) => (i.object.metadata as JsonObject).name), ['stays'], 'the late events did not touch the state');
      const after = await store.create(key('after'), obj('after'));
      t.ok(await waitFor(() => late.length === 1 && early.length === 4));
      t.equal(late[0]?.revision, after.modRevision);
    });

    t.test('a broken connection is resumed without losing events', async (t) => {
      const { cache, proxy, key } = await startCache('resumed', { proxy: true });
      const events: StoreWatchEvent[] = [];
      let terminated: string | undefined;
      cache.watch(cache.revision, (e) => events.push(e), (reason) => (terminated = reason));
      proxy?.cut();
      const a = await store.create(key('a'), obj('a'));
      await store.delete(key('a'));
      proxy?.restore();
      t.ok(await waitFor(() => events.length === 2));
      t.same(events.map((e) => e.type), ['ADDED', 'DELETED']);
      t.equal(events[0]?.revision, a.modRevision);
      t.equal(terminated, undefined, 'watchers survive a reconnect');
    });

    t.test('a watch that fell behind a compaction relists and terminates watchers', async (t) => {
      const { cache, proxy, key } = await startCache('compacted', { proxy: true });
      const kept = await store.create(key('kept'), obj('kept'));
      await store.create(key('dropped'), obj('dropped'));
      t.ok(await cache.waitForRevision(await store.currentRevision(), 5000));
      const before = cache.revision;
      let terminated: string | undefined;
      cache.watch(before, () => undefined, (reason) => (terminated = reason));

      proxy?.cut();
      await store.delete(key('dropped'));
      await store.update(key('kept'), obj('kept', { v: '2' }), kept.modRevision);
      await store.create(key('new'), obj('new'));
      const compactAt = await store.currentRevision();
      await client.compact(compactAt);
      proxy?.restore();

      t.ok(await waitFor(() => terminated !== undefined, 10_000), 'watchers were told to re-list');
      t.match(terminated, /re-listed/);
      t.ok(cache.revision >= compactAt);
      t.same(cache.list().items, (await store.list(store.prefixFor('compacted'), { revision: cache.revision })).items, 'state rebuilt from a list');
      t.throws(() => cache.watch(before, () => undefined), { code: 'Expired' }, 'history was cleared');

      const events: StoreWatchEvent[] = [];
      cache.watch(cache.revision, (e) => events.push(e));
      const live = await store.create(key('live'), obj('live'));
      t.ok(await waitFor(() => events.length === 1));
      t.equal(events[0]?.revision, live.modRevision, 'the new etcd watch delivers');
    });

    t.test('the cache matches etcd through interleaved writes', async (t) => {
      const { cache, key } = await startCache('mixed', { probeDelayMs: 0 });
      const start = cache.revision;
      const seen: StoreWatchEvent[] = [];
      cache.watch(start, (e) => seen.push(e));
      let seed = 7;
      const random = (n: number): number => {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        return seed % n;
      };
      const names = ['a', 'b', 'c', 'd'];
      let last = start;
      let lastInPrefix = start;
      for (let i = 0; i < 60; i++) {
        const name = names[random(names.length)] ?? 'a';
        const current = await store.get(key(name));
        const op = random(4);
        if (op === 0) last = (await client.put(`/registry/unrelated/${i}`, '{}')).header.revision;
        else if (!current) last = lastInPrefix = (await store.create(key(name), obj(name, { i: String(i) }))).modRevision;
        else if (op === 1) last = lastInPrefix = (await store.delete(key(name))).modRevision;
        else last = lastInPrefix = (await store.update(key(name), obj(name, { i: String(i) }), current.modRevision)).modRevision;
        if (i % 5 === 4) {
          t.ok(await cache.waitForRevision(last, 5000), `fresh at ${last}`);
          const direct = await store.list(store.prefixFor('mixed'), { revision: cache.revision });
          t.same(cache.list().items, direct.items, `state at ${cache.revision}`);
        }
      }
      // etcd's own watch from the same start is the reference for the event stream.
      const expected: string[] = [];
      const reference = client.watch(store.prefixFor('mixed'), { prefix: true, startRevision: start + 1 });
      for await (const resp of reference) {
        for (const ev of resp.events) {
          const type = ev.type === 'DELETE' ? 'DELETED' : ev.kv.createRevision === ev.kv.modRevision ? 'ADDED' : 'MODIFIED';
          expected.push(`${type} ${ev.kv.key.toString()} @${ev.kv.modRevision}`);
        }
        if ((resp.events[resp.events.length - 1]?.kv.modRevision ?? 0) >= lastInPrefix) break;
      }
      reference.cancel();
      t.ok(await waitFor(() => seen.length >= expected.length));
      t.same(seen.map(summary), expected, 'the same events in the same order');
      // Every MODIFIED and DELETED carries the state the key had just before: the previous event's object.
      const lastState = new Map<string, JsonObject>();
      const wrongPrev = seen.filter((e) => {
        const ok = e.type === 'ADDED' ? e.prevObject === undefined : JSON.stringify(e.prevObject) === JSON.stringify(lastState.get(e.key));
        if (e.type === 'DELETED') lastState.delete(e.key);
        else lastState.set(e.key, e.object);
        return !ok;
      });
      t.same(wrongPrev.map(summary), [], 'previous states match the stream');
    });

    t.test('stop terminates watchers', async (t) => {
      const etcdWatchers = new WatchCache(client, store, store.prefixFor('stopping'));
      await etcdWatchers.start();
      let reason: string | undefined;
      etcdWatchers.watch(etcdWatchers.revision, () => undefined, (r) => (reason = r));
      await etcdWatchers.stop();
      t.match(reason, /stopped/);
      t.equal(await etcdWatchers.waitForRevision(etcdWatchers.revision + 1, 100), false);
    });

    t.test('a listener that throws only ends its own watch', async (t) => {
      const { cache, key } = await startCache('throwing');
      let reason: string | undefined;
      const good: StoreWatchEvent[] = [];
      cache.watch(cache.revision, () => {
        throw new Error('boom');
      }, (r) => (reason = r));
      cache.watch(cache.revision, (e) => good.push(e));
      await store.create(key('a'), obj('a'));
      await store.create(key('b'), obj('b'));
      t.ok(await waitFor(() => good.length === 2));
      t.match(reason, /boom/);
    });
  });
}

for (const kind of etcdKinds()) {
  t.test(`progress notifications advance an idle cache on ${kind}`, async (t) => {
    const etcd = await startEtcd(kind, { extraArgs: ['--experimental-watch-progress-notify-interval', '100ms'] });
    const client = new EtcdClient({ endpoints: etcd.endpoints });
    const store = new ObjectStore(client);
    const cache = new WatchCache(client, store, store.prefixFor('idle'));
    t.teardown(async () => {
      await cache.stop();
      await client.close();
      await etcd.stop();
    });
    await cache.start();
    const put = await client.put('/registry/busy/ns/x', '{}');
    // No waitForRevision (and so no probe): only the watch stream's own progress frames can move the revision.
    t.ok(await waitFor(() => cache.revision >= put.header.revision, 5000), `revision ${cache.revision} reached ${put.header.revision}`);
  });
}
