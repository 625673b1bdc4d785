import t from 'tap';
import { Errors } from '../../src/api/types.js';
import { MvccStore } from '../../src/mvcc/index.js';
import { delReq, keys, kv, putReq, rangeReq } from './helpers.js';

/** a: 2,3,5 | b: 4, deleted 6 | c: 7 */
function history(): MvccStore {
  const s = new MvccStore();
  s.put(putReq('a', 'a1')); // 2
  s.put(putReq('a', 'a2')); // 3
  s.put(putReq('b', 'b1')); // 4
  s.put(putReq('a', 'a3')); // 5
  s.deleteRange(delReq('b')); // 6
  s.put(putReq('c', 'c1')); // 7
  return s;
}

t.test('compact: errors and header', async (t) => {
  const s = history();
  t.throws(() => s.compact(8), Errors.futureRev());
  t.strictSame(s.compact(4), { header: { revision: 7 } });
  t.equal(s.compactRevision, 4);
  t.throws(() => s.compact(4), Errors.compacted(), 'same revision again');
  t.throws(() => s.compact(3), Errors.compacted(), 'older revision');
  t.strictSame(s.compact(7), { header: { revision: 7 } }, 'up to the current revision');
  t.equal(s.revision, 7, 'compaction does not bump');
});

t.test('compact(0) on a fresh store is accepted once (etcd starts at compactMainRev -1)', async (t) => {
  const s = new MvccStore();
  t.strictSame(s.compact(0), { header: { revision: 1 } });
  t.throws(() => s.compact(0), Errors.compacted());
  t.strictSame(s.compact(1), { header: { revision: 1 } });
});

t.test('reads below the compaction revision fail; at and above work', async (t) => {
  const s = history();
  s.compact(4);
  t.throws(() => s.range(rangeReq('a', { revision: 3 })), Errors.compacted());
  t.strictSame(s.range(rangeReq('a', { revision: 4 })).kvs, [kv('a', 'a2', 2, 3, 2)], 'newest version <= 4 kept');
  t.strictSame(s.range(rangeReq('b', { revision: 4 })).kvs, [kv('b', 'b1', 4, 4, 1)]);
  t.strictSame(s.range(rangeReq('b', { revision: 5 })).kvs, [kv('b', 'b1', 4, 4, 1)]);
  t.strictSame(s.range(rangeReq('b', { revision: 6 })).kvs, []);
  t.strictSame(s.range(rangeReq('a')).kvs, [kv('a', 'a3', 2, 5, 3)], 'current unaffected, version and create kept');
  t.same(keys(s, '\0', { rangeEnd: '\0', revision: 4 }), ['a', 'b']);
});

t.test('compaction drops tombstoned history', async (t) => {
  const s = history();
  const before = s.sizeBytes();
  s.compact(6);
  t.ok(s.sizeBytes() < before, 'size shrinks');
  t.same(keys(s, '\0', { rangeEnd: '\0', revision: 6 }), ['a']);
  t.strictSame(s.range(rangeReq('b', { revision: 6 })).kvs, []);
  // b is gone entirely: re-creating it starts a fresh history
  s.put(putReq('b', 'b2')); // 8
  t.strictSame(s.range(rangeReq('b')).kvs, [kv('b', 'b2', 8, 8, 1)]);
});

t.test('compacting everything keeps the latest version of live keys', async (t) => {
  const s = history();
  s.compact(7);
  t.strictSame(s.range(rangeReq('\0', { rangeEnd: '\0' })).kvs, [kv('a', 'a3', 2, 5, 3), kv('c', 'c1', 7, 7, 1)]);
  t.strictSame(s.range(rangeReq('\0', { rangeEnd: '\0', revision: 7 })).kvs, [kv('a', 'a3', 2, 5, 3), kv('c', 'c1', 7, 7, 1)]);
  s.put(putReq('a', 'a4')); // 8
  t.strictSame(s.range(rangeReq('a')).kvs, [kv('a', 'a4', 2, 8, 4)], 'version keeps counting after compaction');
});

t.test('repeated compactions and txns with two writes to one key', async (t) => {
  const s = new MvccStore();
  for (let i = 0; i < 50; i++) s.put(putReq(`k${i % 5}`, String(i)));
  s.compact(20);
  s.compact(30);
  for (let i = 0; i < 5; i++) s.deleteRange(delReq(`k${i}`));
  s.compact(s.revision);
  t.same(keys(s, '\0', { rangeEnd: '\0' }), []);
  t.ok(s.sizeBytes() < 100, 'nothing retained');
});
