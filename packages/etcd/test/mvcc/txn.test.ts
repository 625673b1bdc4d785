import t from 'tap';
import { Errors, type Compare, type TxnResponse } from '../../src/api/types.js';
import { MvccErrors, MvccStore } from '../../src/mvcc/index.js';
import { cmp, delReq, keys, kv, opDel, opPut, opRange, opTxn, putReq, rangeReq, recorder, summarize, txnReq, watchReq } from './helpers.js';

/** Revision 4: k = 'v' (create 2, mod 3, version 2, lease 100), k2 = 'w' (rev 4). */
function seeded(): MvccStore {
  const s = new MvccStore();
  s.leaseGrant({ id: '100', ttl: 10 });
  s.put(putReq('k', 'm')); // 2
  s.put(putReq('k', 'v', { lease: '100' })); // 3: version 2, create 2, mod 3, lease 100
  s.put(putReq('k2', 'w')); // 4
  return s;
}

const succeeded = (s: MvccStore, c: Compare): boolean => s.txn(txnReq([c], [], [])).succeeded;

t.test('compare matrix on an existing key', async (t) => {
  const s = seeded();
  const cases: [Compare['target'], number | string, Record<Compare['result'], boolean>][] = [
    ['VERSION', 2, { EQUAL: true, NOT_EQUAL: false, GREATER: false, LESS: false }],
    ['VERSION', 1, { EQUAL: false, NOT_EQUAL: true, GREATER: true, LESS: false }],
    ['VERSION', 3, { EQUAL: false, NOT_EQUAL: true, GREATER: false, LESS: true }],
    ['CREATE', 2, { EQUAL: true, NOT_EQUAL: false, GREATER: false, LESS: false }],
    ['CREATE', 1, { EQUAL: false, NOT_EQUAL: true, GREATER: true, LESS: false }],
    ['MOD', 3, { EQUAL: true, NOT_EQUAL: false, GREATER: false, LESS: false }],
    ['MOD', 4, { EQUAL: false, NOT_EQUAL: true, GREATER: false, LESS: true }],
    ['VALUE', 'v', { EQUAL: true, NOT_EQUAL: false, GREATER: false, LESS: false }],
    ['VALUE', 'u', { EQUAL: false, NOT_EQUAL: true, GREATER: true, LESS: false }],
    ['VALUE', 'vv', { EQUAL: false, NOT_EQUAL: true, GREATER: false, LESS: true }],
    ['LEASE', 100, { EQUAL: true, NOT_EQUAL: false, GREATER: false, LESS: false }],
    ['LEASE', 99, { EQUAL: false, NOT_EQUAL: true, GREATER: true, LESS: false }],
    ['LEASE', 1000, { EQUAL: false, NOT_EQUAL: true, GREATER: false, LESS: true }],
  ];
  for (const [target, v, want] of cases) {
    for (const result of ['EQUAL', 'NOT_EQUAL', 'GREATER', 'LESS'] as const) {
      t.equal(succeeded(s, cmp('k', target, result, v)), want[result], `${target} ${result} ${v}`);
    }
  }
  t.equal(s.revision, 4, 'compare-only txns do not bump');
});

t.test('compares on a missing key use zeros; VALUE always fails', async (t) => {
  const s = seeded();
  t.equal(succeeded(s, cmp('nope', 'VERSION', 'EQUAL', 0)), true);
  t.equal(succeeded(s, cmp('nope', 'CREATE', 'EQUAL', 0)), true);
  t.equal(succeeded(s, cmp('nope', 'MOD', 'LESS', 1)), true);
  t.equal(succeeded(s, cmp('nope', 'LEASE', 'EQUAL', 0)), true);
  t.equal(succeeded(s, cmp('nope', 'VALUE', 'EQUAL', '')), false);
  t.equal(succeeded(s, cmp('nope', 'VALUE', 'NOT_EQUAL', 'x')), false);
  s.put(putReq('empty', ''));
  t.equal(succeeded(s, cmp('empty', 'VALUE', 'EQUAL', '')), true, 'an empty value is a value');
});

t.test('range compares hold only if they hold for every key', async (t) => {
  const s = new MvccStore();
  s.put(putReq('r/a', '1')); // 2
  s.put(putReq('r/b', '1')); // 3
  s.put(putReq('r/b', '2')); // 4
  t.equal(succeeded(s, cmp('r/', 'VERSION', 'GREATER', 0, 'r0')), true);
  t.equal(succeeded(s, cmp('r/', 'VERSION', 'EQUAL', 1, 'r0')), false, 'r/b has version 2');
  t.equal(succeeded(s, cmp('r/', 'MOD', 'LESS', 5, 'r0')), true);
  t.equal(succeeded(s, cmp('r/', 'VALUE', 'EQUAL', '1', 'r0')), false);
  t.equal(succeeded(s, cmp('r/a', 'VALUE', 'EQUAL', '1', 'r/b')), true, '[r/a, r/b) is only r/a');
  t.equal(succeeded(s, cmp('x/', 'CREATE', 'EQUAL', 0, 'x0')), true, 'empty range compares zeros');
  t.equal(succeeded(s, cmp('x/', 'VALUE', 'EQUAL', '', 'x0')), false, 'empty range VALUE fails');
  t.equal(succeeded(s, cmp('r/a', 'MOD', 'GREATER', 1, '\0')), true, 'from-key compare');
  t.equal(succeeded(s, cmp('r/a', 'CREATE', 'GREATER', 2, '\0')), false, 'from-key compare sees r/a (create 2)');
});

t.test('all compares must hold (AND)', async (t) => {
  const s = seeded();
  t.equal(s.txn(txnReq([cmp('k', 'VERSION', 'EQUAL', 2), cmp('k2', 'VERSION', 'EQUAL', 1)], [])).succeeded, true);
  t.equal(s.txn(txnReq([cmp('k', 'VERSION', 'EQUAL', 2), cmp('k2', 'VERSION', 'EQUAL', 2)], [])).succeeded, false);
  t.equal(s.txn(txnReq([], [])).succeeded, true, 'no compares: success');
});

t.test('one revision per txn, sub-responses, headers', async (t) => {
  const s = seeded(); // rev 4
  const resp = s.txn(
    txnReq(
      [cmp('k', 'MOD', 'EQUAL', 3)],
      [opRange('k'), opPut('a', '1'), opRange('a'), opPut('b', '2', { prevKv: true }), opDel('k2', '', { prevKv: true }), opDel('zz')],
      [opRange('k')],
    ),
  );
  t.strictSame(resp, {
    header: { revision: 5 },
    succeeded: true,
    responses: [
      {
        responseRange: { header: { revision: 4 }, kvs: [kv('k', 'v', 2, 3, 2, '100')], more: false, count: 1 },
      },
      { responsePut: { header: { revision: 5 } } },
      { responseRange: { header: { revision: 5 }, kvs: [kv('a', '1', 5, 5, 1)], more: false, count: 1 } },
      { responsePut: { header: { revision: 5 } } },
      { responseDeleteRange: { header: { revision: 5 }, deleted: 1, prevKvs: [kv('k2', 'w', 4, 4, 1)] } },
      { responseDeleteRange: { header: { revision: 5 }, deleted: 0, prevKvs: [] } },
    ],
  } satisfies TxnResponse);
  t.equal(s.revision, 5);
  t.same(keys(s, '\0', { rangeEnd: '\0' }), ['a', 'b', 'k']);
  // sub-revisions are in op order: a before b
  t.strictSame(s.range(rangeReq('b')).kvs, [kv('b', '2', 5, 5, 1)]);
});

t.test('failure branch and empty branches', async (t) => {
  const s = seeded();
  const r = s.txn(txnReq([cmp('k', 'VERSION', 'EQUAL', 9)], [opPut('x', '1')], [opRange('k', { keysOnly: true })]));
  t.equal(r.succeeded, false);
  t.equal(r.header.revision, 4);
  t.equal(r.responses.length, 1);
  t.same(keys(s, 'x'), [], 'success branch not applied');
  t.strictSame(s.txn(txnReq([cmp('k', 'VERSION', 'EQUAL', 9)], [opPut('x', '1')])), {
    header: { revision: 4 },
    succeeded: false,
    responses: [],
  });
});

t.test('deletes that delete nothing: txn does not bump', async (t) => {
  const s = seeded();
  const r = s.txn(txnReq([], [opDel('none'), opRange('k', { countOnly: true })]));
  t.equal(r.header.revision, 4);
  t.equal(s.revision, 4);
  t.strictSame(r.responses[0], { responseDeleteRange: { header: { revision: 4 }, deleted: 0, prevKvs: [] } });
});

t.test('a delete after a write reports the txn revision even when it deletes nothing', async (t) => {
  const s = seeded();
  const r = s.txn(txnReq([], [opPut('n', '1'), opDel('none')]));
  t.strictSame(r.responses[1], { responseDeleteRange: { header: { revision: 5 }, deleted: 0, prevKvs: [] } });
});

t.test('reads and deletes inside a txn see earlier writes of the same txn', async (t) => {
  const s = new MvccStore();
  const r = s.txn(txnReq([], [opPut('p/1', 'a'), opPut('p/2', 'b'), opRange('p/', { rangeEnd: 'p0' }), opDel('p/', 'p0', { prevKv: true })]));
  const range = (r.responses[2] as { responseRange: { kvs: unknown[]; count: number } }).responseRange;
  t.equal(range.count, 2);
  t.strictSame(r.responses[3], {
    responseDeleteRange: { header: { revision: 2 }, deleted: 2, prevKvs: [kv('p/1', 'a', 2, 2, 1), kv('p/2', 'b', 2, 2, 1)] },
  });
  t.same(keys(s, 'p/', { rangeEnd: 'p0' }), []);
  t.equal(s.revision, 2);
  // history at revision 2 has the tombstones (higher sub-revisions) as the latest state
  t.same(keys(s, 'p/', { rangeEnd: 'p0', revision: 2 }), []);
  t.same(keys(s, 'p/', { rangeEnd: 'p0', revision: 1 }), []);
});

t.test('nested txns: compares use the pre-txn state; one revision; nested header is empty', async (t) => {
  const s = new MvccStore();
  s.put(putReq('a', '1')); // 2
  const inner = txnReq([cmp('a', 'VERSION', 'EQUAL', 1)], [opPut('b', 'then')], [opPut('b', 'else')]);
  const r = s.txn(txnReq([], [opPut('a', '2'), opTxn(inner), opRange('a')]));
  // a is at version 2 when the nested txn runs, but its compare saw version 1 (before the txn).
  t.strictSame(r.responses[1], {
    responseTxn: { header: { revision: 0 }, succeeded: true, responses: [{ responsePut: { header: { revision: 3 } } }] },
  });
  t.equal(r.header.revision, 3);
  t.strictSame(s.range(rangeReq('b')).kvs, [kv('b', 'then', 3, 3, 1)]);
  t.strictSame(s.range(rangeReq('a')).kvs, [kv('a', '2', 2, 3, 2)]);

  const deep = s.txn(
    txnReq([cmp('a', 'VERSION', 'EQUAL', 5)], [], [opTxn(txnReq([], [opTxn(txnReq([cmp('b', 'VALUE', 'EQUAL', 'then')], [opDel('a')]))]))]),
  );
  t.equal(deep.succeeded, false);
  t.equal(deep.header.revision, 4);
  t.same(keys(s, 'a'), []);
});

t.test('txn checks: lease, ignore flags, range revisions; failures bump nothing', async (t) => {
  const s = seeded(); // rev 4
  t.throws(() => s.txn(txnReq([], [opPut('x', '1'), opPut('y', '1', { lease: '404' })])), Errors.leaseNotFound());
  t.same(keys(s, 'x'), [], 'no partial write');
  t.throws(() => s.txn(txnReq([], [opPut('nokey', '', { ignoreValue: true })])), MvccErrors.keyNotFound());
  t.throws(() => s.txn(txnReq([], [opRange('k', { revision: 5 })])), Errors.futureRev());
  t.throws(() => s.txn(txnReq([], [opPut('x', '1'), opRange('k', { revision: 5 })])), Errors.futureRev(), 'checked against the pre-txn revision');
  // the unchosen branch is not checked
  t.equal(s.txn(txnReq([cmp('k', 'VERSION', 'EQUAL', 0)], [opPut('x', '1', { lease: '404' })], [opRange('k')])).succeeded, false);
  // put errors come before range errors, whatever the op order
  t.throws(() => s.txn(txnReq([], [opRange('k', { revision: 99 }), opPut('y', '1', { lease: '404' })])), Errors.leaseNotFound());
  // nested path is checked too
  t.throws(() => s.txn(txnReq([], [opTxn(txnReq([], [opPut('y', '1', { lease: '404' })]))])), Errors.leaseNotFound());
  t.equal(s.revision, 4);
  s.compact(3);
  t.throws(() => s.txn(txnReq([], [opRange('k', { revision: 2 })])), Errors.compacted());
  t.ok(s.txn(txnReq([], [opRange('k', { revision: 3 })])), 'the compaction revision itself is readable');
});

t.test('ignore_value put after a from-key delete of its key fails before writing', async (t) => {
  // etcd 3.4 panics mid-apply here; the store refuses it up front.
  const s = new MvccStore();
  s.put(putReq('k', 'v'));
  t.throws(() => s.txn(txnReq([], [opDel('a', '\0'), opPut('k', '', { ignoreValue: true })])), MvccErrors.keyNotFound());
  t.equal(s.revision, 2);
  t.same(keys(s, 'k'), ['k']);
  // re-put in between makes it fine
  const r = s.txn(txnReq([], [opDel('a', '\0'), opPut('k', 'new'), opPut('k', '', { ignoreValue: true })]));
  t.equal(r.header.revision, 3);
  t.strictSame(s.range(rangeReq('k')).kvs, [kv('k', 'new', 3, 3, 2)]);
});

t.test('txn lease attach/detach and prevKv', async (t) => {
  const s = seeded();
  s.leaseGrant({ id: '200', ttl: 5 });
  const r = s.txn(txnReq([], [opPut('k', 'z', { lease: '200', prevKv: true })]));
  t.strictSame(r.responses[0], { responsePut: { header: { revision: 5 }, prevKv: kv('k', 'v', 2, 3, 2, '100') } });
  t.same(s.leaseInfo('100')?.keys, []);
  t.same(s.leaseInfo('200')?.keys, ['k']);
});

t.test('a txn with two puts gives one watch call with two events', async (t) => {
  const s = new MvccStore();
  const rec = recorder();
  s.watch(watchReq('a', { rangeEnd: 'z' }), rec.sink);
  s.txn(txnReq([], [opPut('b', '1'), opPut('a', '1'), opDel('nothing')]));
  t.equal(rec.calls.length, 1);
  t.equal(rec.calls[0]!.revision, 2);
  t.same(summarize(rec.calls[0]!.events), ['PUT b=1@2', 'PUT a=1@2'], 'events in sub-revision order');
});

t.test('read-only txn at a historical revision', async (t) => {
  const s = new MvccStore();
  s.put(putReq('h', '1'));
  s.put(putReq('h', '2'));
  s.deleteRange(delReq('h'));
  const r = s.txn(txnReq([], [opRange('h', { revision: 2 }), opRange('h', { revision: 3 }), opRange('h')]));
  t.same(
    r.responses.map((x) => ('responseRange' in x ? x.responseRange.kvs.map((y) => y.version) : null)),
    [[1], [2], []],
  );
  t.equal(r.header.revision, 4);
});
