import t from 'tap';
import { EtcdClient, EtcdConnectionError, type Watch, type WatchResponse } from '../src/index.js';
import { freePorts, haveEtcd, startEtcd, within } from './helpers/etcd-server.js';

/** Reads frames until `n` events were seen (or the stream ends / 5 s pass). */
async function collect(w: Watch, n: number): Promise<WatchResponse[]> {
  const frames: WatchResponse[] = [];
  let events = 0;
  const it = w[Symbol.asyncIterator]();
  const deadline = Date.now() + 5000;
  while (events < n && Date.now() < deadline) {
    const r = await within(it.next(), deadline - Date.now());
    if (!r || r.done) break;
    frames.push(r.value);
    events += r.value.events.length;
  }
  return frames;
}

if (haveEtcd(t)) {
  const etcd = await startEtcd(t, 1);
  const c = new EtcdClient({ endpoints: etcd.clientUrls, requestTimeoutMs: 5000 });
  t.teardown(() => c.close());

  t.test('put and delete events, prevKv, multi-key txn', async (t) => {
    const w = c.watch('w1/', { prefix: true, prevKv: true });
    const created = await w.created;
    t.equal(created.created, true);
    t.equal(created.watchId, 0);
    t.ok(created.header.revision > 0);
    t.equal(w.endpoint, etcd.clientUrls[0]);

    const p1 = await c.put('w1/a', '1');
    await c.put('w1/a', '2');
    await c.put('other', 'ignored');
    await c.deleteRange('w1/a');
    await c.txn({ success: [{ put: { key: 'w1/x', value: 'x' } }, { put: { key: 'w1/y', value: 'y' } }] });

    const frames = await collect(w, 5);
    const events = frames.flatMap((f) => f.events);
    t.same(
      events.map((e) => `${e.type} ${e.kv.key.toString()} ${e.kv.value.toString()}`),
      ['PUT w1/a 1', 'PUT w1/a 2', 'DELETE w1/a ', 'PUT w1/x x', 'PUT w1/y y'],
    );
    t.equal(frames[0]?.created, true, 'the created frame comes first');
    t.equal(events[0]!.kv.createRevision, p1.header.revision);
    t.equal(events[0]!.prevKv, undefined, 'no prevKv for a create');
    t.equal(events[1]!.prevKv?.value.toString(), '1');
    t.equal(events[2]!.prevKv?.value.toString(), '2', 'delete carries the deleted value as prevKv');
    const txnFrame = frames.find((f) => f.events.some((e) => e.kv.key.toString() === 'w1/x'));
    t.equal(txnFrame?.events.length, 2, 'one frame for a 2-key txn');
    w.cancel();
    t.equal((await w[Symbol.asyncIterator]().next()).done, true, 'iteration ends after cancel()');
  });

  t.test('watch from a historical revision, filters, break ends the watch', async (t) => {
    const a = await c.put('w2/k', 'a');
    await c.put('w2/k', 'b');
    await c.deleteRange('w2/k');
    const w = c.watch('w2/k', { startRevision: a.header.revision });
    const frames = await collect(w, 3);
    t.same(
      frames.flatMap((f) => f.events).map((e) => `${e.type}:${e.kv.value.toString()}`),
      ['PUT:a', 'PUT:b', 'DELETE:'],
    );
    w.cancel();

    const noPut = c.watch('w2/', { prefix: true, filters: ['NOPUT'] });
    await noPut.created;
    await c.put('w2/f', '1');
    await c.deleteRange('w2/f');
    let seen: string[] = [];
    for await (const f of noPut) {
      seen = seen.concat(f.events.map((e) => e.type));
      if (seen.length > 0) break; // break → return() → the connection is closed
    }
    t.same(seen, ['DELETE']);
    t.equal(noPut.done, true);
  });

  t.test('a compacted start revision cancels the watch with compactRevision', async (t) => {
    const a = await c.put('w3/k', '1');
    const b = await c.put('w3/k', '2');
    await c.compact(b.header.revision);
    const w = c.watch('w3/k', { startRevision: a.header.revision });
    const frames: WatchResponse[] = [];
    const read = (async () => {
      for await (const f of w) frames.push(f);
    })();
    t.ok((await within(read.then(() => true), 5000)) === true, 'iteration ended by itself');
    t.equal(frames.length, 2);
    t.equal(frames[0]?.created, true);
    t.equal(frames[1]?.canceled, true);
    t.equal(frames[1]?.compactRevision, b.header.revision);
    t.equal(frames[1]?.header.revision, 0, 'etcd omits the revision in this frame');
  });

  t.test('watch connects through a dead endpoint to a live one; errors surface', async (t) => {
    const [deadPort] = await freePorts(1);
    const c2 = new EtcdClient({ endpoints: [`http://127.0.0.1:${deadPort}`, etcd.clientUrls[0]!], requestTimeoutMs: 3000 });
    t.teardown(() => c2.close());
    const w = c2.watch('w4/', { prefix: true });
    await w.created;
    t.equal(w.endpoint, etcd.clientUrls[0]);
    await c.put('w4/a', 'x');
    const frames = await collect(w, 1);
    t.equal(frames.flatMap((f) => f.events).length, 1);
    w.cancel();

    const onlyDead = new EtcdClient({ endpoints: [`http://127.0.0.1:${deadPort}`] });
    t.teardown(() => onlyDead.close());
    const dw = onlyDead.watch('x');
    await t.rejects(dw.created, EtcdConnectionError);
    await t.rejects(dw[Symbol.asyncIterator]().next(), { name: 'EtcdConnectionError', reason: 'ECONNREFUSED' });
  });

  // Last: it kills the server.
  t.test('the iterator throws when the server goes away', async (t) => {
    const w = c.watch('w5/', { prefix: true });
    await w.created;
    const it = w[Symbol.asyncIterator]();
    await it.next(); // created
    // Handle the rejection before it can happen (during the kill), or it would count as unhandled.
    const pending = within(it.next(), 5000).then((r) => r ?? Promise.reject(new Error('timeout')));
    const check = t.rejects(pending, EtcdConnectionError);
    await etcd.kill(0);
    await check;
  });
}
