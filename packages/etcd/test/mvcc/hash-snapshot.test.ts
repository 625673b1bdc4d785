import t from 'tap';
import { Errors } from '../../src/api/types.js';
import { ByteWriter, MvccStore } from '../../src/mvcc/index.js';
import { delReq, opDel, opPut, putReq, rangeReq, recorder, summarize, txnReq, watchReq } from './helpers.js';

/** A workload touching every kind of state: history, tombstones, txns, leases, compaction. */
function workload(s: MvccStore, variant = ''): void {
  s.leaseGrant({ id: '11', ttl: 30 });
  s.leaseGrant({ id: '12', ttl: 60 });
  for (let i = 0; i < 20; i++) s.put(putReq(`/r/k${i % 7}`, `v${i}${variant}`, { lease: i % 3 === 0 ? '11' : '0' }));
  s.deleteRange(delReq('/r/k1'));
  s.txn(txnReq([], [opPut('/r/t', 'x', { lease: '12' }), opDel('/r/k2'), opPut('\xff\0bin', '\0')]));
  s.compact(10);
  s.put(putReq('/r/k1', 'back'));
  s.leaseRevoke('11');
}

t.test('identical stores hash identically; different ones do not', async (t) => {
  const a = new MvccStore();
  const b = new MvccStore();
  workload(a);
  workload(b);
  t.strictSame(a.hashKV(0), b.hashKV(0));
  t.equal(a.hashKV(0).revision, a.revision);
  t.equal(a.hashKV(0).compactRevision, 10);
  t.equal(a.hashKV(15).hash, b.hashKV(15).hash, 'historical revision');
  t.not(a.hashKV(15).hash, a.hashKV(0).hash);

  const c = new MvccStore();
  workload(c, '!');
  t.not(c.hashKV(0).hash, a.hashKV(0).hash, 'one different value changes the hash');
  b.put(putReq('extra', ''));
  t.not(b.hashKV(0).hash, a.hashKV(0).hash);
  t.equal(b.hashKV(a.revision).hash, a.hashKV(0).hash, 'but hashing b at a’s revision matches a');
});

t.test('hashKV at an old revision equals the hash of the store back then', async (t) => {
  const a = new MvccStore();
  const b = new MvccStore();
  for (let i = 0; i < 10; i++) a.put(putReq(`k${i % 3}`, String(i)));
  for (let i = 0; i < 6; i++) b.put(putReq(`k${i % 3}`, String(i)));
  t.equal(a.hashKV(b.revision).hash, b.hashKV(0).hash);
});

t.test('hashKV errors and the never-compacted compact revision', async (t) => {
  const s = new MvccStore();
  t.equal(s.hashKV(0).compactRevision, -1, 'etcd reports -1 before the first compaction');
  t.equal(s.compactRevision, 0);
  s.put(putReq('a', '1'));
  s.put(putReq('a', '2'));
  t.throws(() => s.hashKV(4), Errors.futureRev());
  s.compact(2);
  t.throws(() => s.hashKV(2), Errors.compacted(), 'etcd: rev <= compactRev');
  t.doesNotThrow(() => s.hashKV(3));
});

t.test('serialize/restore is an identity', async (t) => {
  const a = new MvccStore();
  workload(a);
  const bytes = a.serialize();
  const b = MvccStore.restore(bytes);
  t.equal(b.revision, a.revision);
  t.equal(b.compactRevision, a.compactRevision);
  t.strictSame(b.hashKV(0), a.hashKV(0));
  t.strictSame(b.hashKV(12), a.hashKV(12));
  t.same(b.leases(), a.leases());
  t.strictSame(b.leaseInfo('12'), a.leaseInfo('12'));
  t.equal(b.sizeBytes(), a.sizeBytes());
  const all = rangeReq('\0', { rangeEnd: '\0' });
  t.strictSame(b.range(all), a.range(all));
  for (let rev = a.compactRevision; rev <= a.revision; rev++) {
    t.strictSame(b.range({ ...all, revision: rev }), a.range({ ...all, revision: rev }), `range at ${rev}`);
  }
  t.throws(() => b.range({ ...all, revision: a.compactRevision - 1 }), Errors.compacted());
  t.same(Buffer.from(b.serialize()), Buffer.from(bytes), 'serializing again gives the same bytes');

  // watch from history after restore
  const ra = recorder();
  const rb = recorder();
  a.watch(watchReq('\0', { rangeEnd: '\0', startRevision: a.compactRevision, prevKv: true }), ra.sink);
  b.watch(watchReq('\0', { rangeEnd: '\0', startRevision: b.compactRevision, prevKv: true }), rb.sink);
  t.ok(ra.calls.length > 3);
  t.strictSame(rb.calls, ra.calls);
  t.same(summarize(rb.calls.at(-1)!.events), [`DELETE /r/k4@${a.revision}`], "the revoke (only k4 still holds lease 11)");

  // both continue identically, leases included
  for (const s of [a, b]) {
    s.put(putReq('/r/t', 'y', { prevKv: true }));
    s.leaseRevoke('12');
  }
  t.strictSame(b.hashKV(0), a.hashKV(0));
  t.strictSame(rb.calls, ra.calls);
  t.same(b.leases(), []);
});

t.test('a snapshot encoded in steps is the store as it was when the steps were made', async (t) => {
  const a = new MvccStore();
  workload(a);
  for (let i = 0; i < 50; i++) a.put(putReq(`/r/many${i % 9}`, `m${i}`));
  const expected = Buffer.from(a.serialize());
  const steps = a.serializeSteps(7, new ByteWriter(a.serializedSizeHint()));
  let pauses = 0;
  let step = steps.next();
  while (!step.done) {
    pauses++;
    // Between steps the store moves on: writes, a compaction that drops revisions being encoded, lease changes.
    a.put(putReq(`/r/later${pauses}`, 'x', { lease: pauses < 4 ? '12' : '0' }));
    if (pauses === 2) a.compact(a.revision - 3);
    if (pauses === 3) a.deleteRange(delReq('/r/', '/r0'));
    if (pauses === 4) a.leaseRevoke('12');
    step = steps.next();
  }
  t.ok(pauses >= 8, `encoded in ${pauses + 1} steps`);
  t.same(Buffer.from(step.value), expected, 'byte for byte what serialize() gave before the changes');
  t.strictSame(MvccStore.restore(step.value).hashKV(0).hash, MvccStore.restore(expected).hashKV(0).hash);
  const sized = new ByteWriter(a.serializedSizeHint());
  const direct = a.serializeSteps(Infinity, sized).next();
  t.ok(direct.done, 'an unbounded chunk is one step');
  t.same(Buffer.from(direct.value ?? []), Buffer.from(a.serialize()));
  t.ok(a.serializedSizeHint() >= a.serialize().byteLength, 'the size hint covers an ASCII store');
});

t.test('empty and lease-only stores round-trip', async (t) => {
  const e = MvccStore.restore(new MvccStore().serialize());
  t.equal(e.revision, 1);
  t.equal(e.hashKV(0).compactRevision, -1);
  const l = new MvccStore();
  l.leaseGrant({ id: '-3', ttl: -1 });
  const r = MvccStore.restore(l.serialize());
  t.strictSame(r.leaseInfo('-3'), { id: '-3', grantedTtl: -1, keys: [] });
});

t.test('corrupt snapshots are refused', async (t) => {
  const a = new MvccStore();
  a.put(putReq('k', 'v'));
  const bytes = a.serialize();
  t.throws(() => MvccStore.restore(new Uint8Array([1, 2, 3])));
  t.throws(() => MvccStore.restore(bytes.subarray(0, bytes.length - 1)), /truncated/);
  t.throws(() => MvccStore.restore(new Uint8Array([...bytes, 0])), /trailing/);
});

t.test('sizeBytes tracks held data', async (t) => {
  const s = new MvccStore();
  const empty = s.sizeBytes();
  s.put(putReq('key', 'x'.repeat(1000)));
  t.ok(s.sizeBytes() >= empty + 1000);
  s.put(putReq('key', 'y'));
  const withHistory = s.sizeBytes();
  s.compact(s.revision);
  t.ok(s.sizeBytes() < withHistory, 'compaction frees history');
});
