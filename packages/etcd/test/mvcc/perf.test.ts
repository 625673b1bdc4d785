// Performance at apiserver scale: 100k keys, 10k under one prefix. Bounds are loose (2 shared cores); the comments
// report the actual numbers.
import t from 'tap';
import { MvccStore } from '../../src/mvcc/index.js';
import { opPut, putReq, rangeReq, txnReq, cmp, watchReq } from './helpers.js';

const us = (ms: number, n: number): string => `${((ms / n) * 1000).toFixed(2)} µs/op`;

t.test('100k keys: put, point reads, prefix lists, txns, compaction, snapshot', async (t) => {
  const s = new MvccStore();
  // a handful of prefix watchers, as an apiserver keeps
  let events = 0;
  for (const r of ['pods', 'configmaps', 'secrets', 'events', 'nodes']) {
    s.watch(watchReq(`/registry/${r}/`, { rangeEnd: `/registry/${r}0` }), (evs) => {
      events += evs.length;
    });
  }
  const value = 'x'.repeat(300);
  const n = 100_000;
  const name = (i: number): string => `/registry/${['pods', 'configmaps', 'secrets', 'events', 'leases'][i % 5]}/ns${i % 10}/obj-${i}`;

  let t0 = performance.now();
  for (let i = 0; i < n; i++) s.put(putReq(name((i * 7919) % n), value));
  const putMs = performance.now() - t0;
  t.comment(`put (new keys, 5 watchers): ${us(putMs, n)}`);
  t.equal(events, (n / 5) * 4, 'watchers saw their prefixes');

  t0 = performance.now();
  for (let i = 0; i < n; i++) s.put(putReq(name(i), value));
  const updMs = performance.now() - t0;
  t.comment(`put (update): ${us(updMs, n)}`);

  t0 = performance.now();
  let found = 0;
  for (let i = 0; i < n; i++) found += s.range(rangeReq(name(i))).count;
  const getMs = performance.now() - t0;
  t.equal(found, n);
  t.comment(`range single key: ${us(getMs, n)}`);

  // ns2 holds 10k secrets (i % 5 === 2 means i % 10 is 2 or 7): the brief's 10k-keys-under-a-prefix case.
  const prefix = '/registry/secrets/ns2/';
  const end = '/registry/secrets/ns20';
  const list = (more = {}) => s.range(rangeReq(prefix, { rangeEnd: end, ...more }));
  list(); // warm up
  const timed = (f: () => unknown, runs = 20): number => {
    const t1 = performance.now();
    for (let i = 0; i < runs; i++) f();
    return (performance.now() - t1) / runs;
  };
  t.equal(list().kvs.length, 10_000);
  const listMs = timed(() => list());
  t.comment(`range 10k keys under a prefix: ${listMs.toFixed(2)} ms`);
  const page = list({ limit: 500 });
  t.equal(page.kvs.length, 500);
  t.equal(page.more, true);
  t.equal(page.count, 10_000);
  const pageMs = timed(() => list({ limit: 500 }));
  t.comment(`same prefix, limit 500 (still counts all): ${pageMs.toFixed(2)} ms`);
  t.comment(`same prefix, count only: ${timed(() => list({ countOnly: true })).toFixed(2)} ms`);
  t.comment(`same prefix at a historical revision: ${timed(() => list({ revision: n })).toFixed(2)} ms`);

  t0 = performance.now();
  for (let i = 0; i < 10_000; i++) {
    const k = name(i);
    s.txn(txnReq([cmp(k, 'MOD', 'GREATER', 0)], [opPut(k, value)]));
  }
  const txnMs = performance.now() - t0;
  t.comment(`txn (compare + put): ${us(txnMs, 10_000)}`);

  t0 = performance.now();
  s.compact(s.revision - 1000);
  t.comment(`first compact (~210k revisions of history): ${(performance.now() - t0).toFixed(1)} ms`);
  for (let i = 0; i < 5000; i++) s.put(putReq(name(i), value));
  t0 = performance.now();
  s.compact(s.revision - 1000);
  t.comment(`next compact (5k new revisions): ${(performance.now() - t0).toFixed(1)} ms`);

  t0 = performance.now();
  const bytes = s.serialize();
  const serMs = performance.now() - t0;
  t0 = performance.now();
  const r = MvccStore.restore(bytes);
  const resMs = performance.now() - t0;
  t0 = performance.now();
  const h = s.hashKV(0).hash;
  const hashMs = performance.now() - t0;
  t.equal(r.hashKV(0).hash, h);
  t.comment(`snapshot ${(bytes.length / 1e6).toFixed(1)} MB: serialize ${serMs.toFixed(0)} ms, restore ${resMs.toFixed(0)} ms, hash ${hashMs.toFixed(0)} ms`);

  // Catch order-of-magnitude regressions only: the box is shared, so timings swing 2-5x.
  t.ok(putMs / n < 0.2, 'put under 200 µs');
  t.ok(getMs / n < 0.05, 'point read under 50 µs');
  t.ok(listMs < 200, '10k-key list under 200 ms');
  t.ok(pageMs < 100, 'paged list under 100 ms');
  t.ok(txnMs / 10_000 < 0.4, 'txn under 400 µs');
});
