import t from 'tap';
import { MvccErrors, MvccStore } from '../../src/mvcc/index.js';
import { delReq, kv, opDel, opPut, putReq, recorder, summarize, txnReq, watchReq } from './helpers.js';

const flat = (calls: { revision: number; events: Parameters<typeof summarize>[0] }[]): string[] =>
  calls.map((c) => `${c.revision}: ${summarize(c.events).join(', ')}`);

t.test('live single-key watch', async (t) => {
  const s = new MvccStore();
  const rec = recorder();
  const w = s.watch(watchReq('a'), rec.sink);
  t.equal(w.compactRevision, 0);
  s.put(putReq('a', '1')); // 2
  s.put(putReq('b', '1')); // 3
  s.put(putReq('a', '2')); // 4
  s.deleteRange(delReq('a')); // 5
  s.deleteRange(delReq('a')); // nothing
  t.same(flat(rec.calls), ['2: PUT a=1@2', '4: PUT a=2@4', '5: DELETE a@5']);
  t.strictSame(rec.calls[2]!.events[0], {
    type: 'DELETE',
    kv: { key: 'a', createRevision: 0, modRevision: 5, version: 0, value: '', lease: '0' },
  });
  t.strictSame(rec.calls[1]!.events[0], { type: 'PUT', kv: kv('a', '2', 2, 4, 2) });
});

t.test('range, prefix, from-key and all-keys watches', async (t) => {
  const s = new MvccStore();
  const prefix = recorder();
  const fromKey = recorder();
  const all = recorder();
  const emptyKeyAll = recorder();
  s.watch(watchReq('/p/', { rangeEnd: '/p0' }), prefix.sink);
  s.watch(watchReq('m', { rangeEnd: '\0' }), fromKey.sink);
  s.watch(watchReq('\0', { rangeEnd: '\0' }), all.sink);
  s.watch(watchReq('', { rangeEnd: '\0' }), emptyKeyAll.sink);
  for (const k of ['/p/1', '/p0', 'a', 'z', '/p/2']) s.put(putReq(k, 'v'));
  t.same(prefix.calls.map((c) => c.events[0]!.kv.key), ['/p/1', '/p/2']);
  t.same(fromKey.calls.map((c) => c.events[0]!.kv.key), ['z']);
  t.same(all.calls.map((c) => c.events[0]!.kv.key), ['/p/1', '/p0', 'a', 'z', '/p/2']);
  t.same(emptyKeyAll.calls.length, 5, "key '' means \\0, the smallest key");
});

t.test("key '' with no range end watches only the key \\0", async (t) => {
  const s = new MvccStore();
  const rec = recorder();
  s.watch(watchReq(''), rec.sink);
  s.put(putReq('a', '1'));
  s.put(putReq('\0', '1'));
  t.same(flat(rec.calls), ['3: PUT \0=1@3']);
});

t.test('empty watcher range is refused', async (t) => {
  const s = new MvccStore();
  t.throws(() => s.watch(watchReq('b', { rangeEnd: 'a' }), () => undefined), MvccErrors.emptyWatcherRange());
  t.throws(() => s.watch(watchReq('b', { rangeEnd: 'b' }), () => undefined), { message: 'mvcc: watcher range is empty' });
});

t.test('filters', async (t) => {
  const s = new MvccStore();
  const noPut = recorder();
  const noDel = recorder();
  const both = recorder();
  s.watch(watchReq('a', { rangeEnd: 'z', filters: ['NOPUT'] }), noPut.sink);
  s.watch(watchReq('a', { rangeEnd: 'z', filters: ['NODELETE'] }), noDel.sink);
  s.watch(watchReq('a', { rangeEnd: 'z', filters: ['NOPUT', 'NODELETE'] }), both.sink);
  s.put(putReq('b', '1')); // 2
  s.txn(txnReq([], [opDel('b'), opPut('c', '1')])); // 3
  t.same(flat(noPut.calls), ['3: DELETE b@3']);
  t.same(flat(noDel.calls), ['2: PUT b=1@2', '3: PUT c=1@3']);
  t.same(both.calls, [], 'everything filtered: no call at all');
});

t.test('prevKv for PUT and DELETE, none for creations', async (t) => {
  const s = new MvccStore();
  const rec = recorder();
  s.watch(watchReq('k', { prevKv: true }), rec.sink);
  s.put(putReq('k', '1')); // 2 create
  s.put(putReq('k', '2')); // 3
  s.deleteRange(delReq('k')); // 4
  s.put(putReq('k', '3')); // 5 re-create
  t.equal(rec.calls[0]!.events[0]!.prevKv, undefined);
  t.strictSame(rec.calls[1]!.events[0]!.prevKv, kv('k', '1', 2, 2, 1));
  t.strictSame(rec.calls[2]!.events[0]!.prevKv, kv('k', '2', 2, 3, 2));
  t.equal(rec.calls[3]!.events[0]!.prevKv, undefined);
  t.notOk('prevKv' in rec.calls[0]!.events[0]!, 'absent, not undefined');
});

t.test('watchers with and without prevKv on the same key', async (t) => {
  const s = new MvccStore();
  s.put(putReq('k', '1'));
  const a = recorder();
  const b = recorder();
  s.watch(watchReq('k', { prevKv: true }), a.sink);
  s.watch(watchReq('k'), b.sink);
  s.put(putReq('k', '2'));
  t.ok(a.calls[0]!.events[0]!.prevKv);
  t.notOk('prevKv' in b.calls[0]!.events[0]!);
});

t.test('watch from history: one call per revision, then live', async (t) => {
  const s = new MvccStore();
  s.put(putReq('a', '1')); // 2
  s.put(putReq('x', '1')); // 3
  s.txn(txnReq([], [opPut('a', '2'), opPut('b', '1')])); // 4
  s.deleteRange(delReq('a')); // 5
  const rec = recorder();
  const w = s.watch(watchReq('a', { rangeEnd: 'c', startRevision: 2, prevKv: true }), rec.sink);
  t.equal(w.compactRevision, 0);
  t.same(flat(rec.calls), ['2: PUT a=1@2', '4: PUT a=2@4, PUT b=1@4', '5: DELETE a@5']);
  t.strictSame(rec.calls[2]!.events[0]!.prevKv, kv('a', '2', 2, 4, 2), 'prevKv in replay too');
  s.put(putReq('b', '2')); // 6
  t.same(flat(rec.calls).slice(3), ['6: PUT b=2@6']);

  const single = recorder();
  s.watch(watchReq('a', { startRevision: 3 }), single.sink);
  t.same(flat(single.calls), ['4: PUT a=2@4', '5: DELETE a@5'], 'single-key replay');

  const upToNow = recorder();
  s.watch(watchReq('b', { startRevision: s.revision }), upToNow.sink);
  t.same(flat(upToNow.calls), ['6: PUT b=2@6'], 'start = current revision replays it');
});

t.test('future start revision waits', async (t) => {
  const s = new MvccStore();
  const rec = recorder();
  s.watch(watchReq('k', { startRevision: 4 }), rec.sink);
  s.put(putReq('k', '1')); // 2
  s.put(putReq('k', '2')); // 3
  s.put(putReq('k', '3')); // 4
  t.same(flat(rec.calls), ['4: PUT k=3@4']);
});

t.test('compacted start revision', async (t) => {
  const s = new MvccStore();
  s.put(putReq('k', '1')); // 2
  s.put(putReq('k', '2')); // 3
  s.put(putReq('k', '3')); // 4
  s.compact(3);
  const rec = recorder();
  const w = s.watch(watchReq('k', { startRevision: 2 }), rec.sink);
  t.equal(w.compactRevision, 3);
  s.put(putReq('k', '4'));
  t.same(rec.calls, [], 'a compacted watcher delivers nothing');
  t.equal(s.watcherCount, 0);
  w.cancel();

  const atCompact = recorder();
  const w2 = s.watch(watchReq('k', { startRevision: 3 }), atCompact.sink);
  t.equal(w2.compactRevision, 0, 'start = compact revision is allowed (etcd: minRev < compactRev)');
  t.same(flat(atCompact.calls), ['3: PUT k=2@3', '4: PUT k=3@4', '5: PUT k=4@5']);
});

t.test('replay after compaction skips dropped tombstones; prevKv below the compaction is absent', async (t) => {
  const s = new MvccStore();
  s.put(putReq('a', '1')); // 2
  s.put(putReq('b', '1')); // 3
  s.deleteRange(delReq('a')); // 4
  s.put(putReq('b', '2')); // 5
  s.compact(4);
  const rec = recorder();
  s.watch(watchReq('a', { rangeEnd: 'c', startRevision: 4, prevKv: true }), rec.sink);
  t.same(flat(rec.calls), ['5: PUT b=2@5'], 'the tombstone at the compaction revision is gone');
  t.strictSame(rec.calls[0]!.events[0]!.prevKv, kv('b', '1', 3, 3, 1), 'prevKv read at 4 = compaction revision is fine');

  s.compact(5);
  s.put(putReq('b', '3')); // 6
  const late = recorder();
  s.watch(watchReq('b', { startRevision: 5, prevKv: true }), late.sink);
  t.same(flat(late.calls), ['5: PUT b=2@5', '6: PUT b=3@6']);
  t.notOk('prevKv' in late.calls[0]!.events[0]!, 'read at 4 < compaction 5: no prevKv');
});

t.test('cancel', async (t) => {
  const s = new MvccStore();
  const rec = recorder();
  const w = s.watch(watchReq('k'), rec.sink);
  const other = s.watch(watchReq('k', { rangeEnd: 'l' }), () => undefined);
  t.not(w.id, other.id);
  t.equal(s.watcherCount, 2);
  s.put(putReq('k', '1'));
  w.cancel();
  w.cancel();
  other.cancel();
  s.put(putReq('k', '2'));
  t.equal(rec.calls.length, 1);
  t.equal(s.watcherCount, 0);
});

t.test('cancel from inside a sink stops further delivery', async (t) => {
  const s = new MvccStore();
  const calls: number[] = [];
  const w = s.watch(watchReq('k'), (_e, rev) => {
    calls.push(rev);
    w.cancel();
  });
  s.put(putReq('k', 'a'));
  s.put(putReq('k', 'b'));
  t.same(calls, [2]);
});

t.test('a sink writing to the store sees ordered, complete delivery', async (t) => {
  const s = new MvccStore();
  const seen: number[] = [];
  const other: number[] = [];
  s.watch(watchReq('\0', { rangeEnd: '\0' }), (_events, rev) => {
    seen.push(rev);
    if (rev === 2) s.put(putReq('echo', 'x')); // rev 3, written from inside delivery of 2
  });
  s.watch(watchReq('\0', { rangeEnd: '\0' }), (_events, rev) => {
    other.push(rev);
  });
  s.put(putReq('a', '1'));
  t.same(seen, [2, 3]);
  t.same(other, [2, 3], 'the second watcher still gets 2 before 3');
  t.equal(s.revision, 3);
});
