import t from 'tap';
import { Errors, MAX_TXN_OPS, type RequestOp } from '../../src/api/types.js';
import { validateDeleteRange, validatePut, validateRange, validateTxn } from '../../src/mvcc/index.js';
import { cmp, delReq, opDel, opPut, opRange, opTxn, putReq, rangeReq, txnReq } from './helpers.js';

const ops = (n: number, f: (i: number) => RequestOp): RequestOp[] => Array.from({ length: n }, (_, i) => f(i));

t.test('single-request checks', async (t) => {
  t.throws(() => validateRange(rangeReq('')), Errors.keyNotProvided());
  t.throws(() => validateDeleteRange(delReq('')), Errors.keyNotProvided());
  t.throws(() => validatePut(putReq('', 'v')), Errors.keyNotProvided());
  t.throws(() => validatePut(putReq('k', 'v', { ignoreValue: true })), Errors.valueProvided());
  t.throws(() => validatePut(putReq('k', '', { ignoreLease: true, lease: '5' })), Errors.leaseProvided());
  t.doesNotThrow(() => validatePut(putReq('k', '', { ignoreValue: true, ignoreLease: true })));
});

t.test('too many ops', async (t) => {
  t.doesNotThrow(() => validateTxn(txnReq([], ops(MAX_TXN_OPS, (i) => opPut(`k${i}`, 'v')))));
  t.throws(() => validateTxn(txnReq([], ops(MAX_TXN_OPS + 1, (i) => opPut(`k${i}`, 'v')))), Errors.tooManyOps());
  t.throws(() => validateTxn(txnReq([], [], ops(MAX_TXN_OPS + 1, () => opRange('k')))), Errors.tooManyOps());
  t.throws(
    () => validateTxn(txnReq(Array.from({ length: MAX_TXN_OPS + 1 }, () => cmp('k', 'VERSION', 'EQUAL', 0)), [])),
    Errors.tooManyOps(),
  );
  // a nested txn gets what its parent left: 100 at the top leaves 28
  const nested = (n: number) => txnReq([], [...ops(99, () => opRange('k')), opTxn(txnReq([], ops(n, () => opRange('k'))))]);
  t.doesNotThrow(() => validateTxn(nested(28)));
  t.throws(() => validateTxn(nested(29)), Errors.tooManyOps());
  t.throws(() => validateTxn(txnReq([], ops(3, () => opRange('k'))), 2), Errors.tooManyOps(), 'custom limit');
});

t.test('empty keys anywhere', async (t) => {
  t.throws(() => validateTxn(txnReq([cmp('', 'VERSION', 'EQUAL', 0)], [])), Errors.keyNotProvided());
  t.throws(() => validateTxn(txnReq([], [opRange('')])), Errors.keyNotProvided());
  t.throws(() => validateTxn(txnReq([], [], [opDel('')])), Errors.keyNotProvided());
  t.throws(() => validateTxn(txnReq([], [opTxn(txnReq([], [opPut('', 'v')]))])), Errors.keyNotProvided());
  t.throws(() => validateTxn(txnReq([], [opPut('k', 'v', { ignoreValue: true })])), Errors.valueProvided());
});

t.test('duplicate keys', async (t) => {
  const dup = Errors.duplicateKey();
  t.throws(() => validateTxn(txnReq([], [opPut('a', '1'), opPut('a', '2')])), dup, 'two puts');
  t.throws(() => validateTxn(txnReq([], [], [opPut('a', '1'), opPut('a', '2')])), dup, 'in failure');
  t.doesNotThrow(() => validateTxn(txnReq([], [opPut('a', '1')], [opPut('a', '2')])), 'success vs failure is fine');
  t.throws(() => validateTxn(txnReq([], [opPut('a', '1'), opDel('a')])), dup, 'put + delete of the key');
  t.throws(() => validateTxn(txnReq([], [opDel('a'), opPut('a', '1')])), dup, 'order does not matter at one level');
  t.throws(() => validateTxn(txnReq([], [opDel('a', 'c'), opPut('b', '1')])), dup, 'put inside a deleted range');
  t.doesNotThrow(() => validateTxn(txnReq([], [opDel('a', 'c'), opPut('c', '1')])), 'range end is exclusive');
  t.doesNotThrow(() => validateTxn(txnReq([], [opDel('a'), opDel('a')])), 'two deletes are fine');
  t.doesNotThrow(() => validateTxn(txnReq([], [opRange('a'), opPut('a', '1')])), 'ranges do not count');
  // etcd 3.4 quirk: a from-key delete is the inverted interval [key, "\0") and overlaps nothing
  t.doesNotThrow(() => validateTxn(txnReq([], [opDel('a', '\0'), opPut('b', '1')])));
});

t.test('duplicate keys across nested txns', async (t) => {
  const dup = Errors.duplicateKey();
  const nest = (success: RequestOp[], failure: RequestOp[] = []): RequestOp => opTxn(txnReq([], success, failure));
  t.throws(() => validateTxn(txnReq([], [opPut('a', '1'), nest([opPut('a', '2')])])), dup, 'parent and child put');
  t.throws(() => validateTxn(txnReq([], [nest([opPut('a', '1')]), nest([opPut('a', '2')])])), dup, 'two children');
  t.doesNotThrow(() => validateTxn(txnReq([], [nest([opPut('a', '1')], [opPut('a', '2')])])), 'then/else of one child');
  t.throws(() => validateTxn(txnReq([], [nest([opPut('b', '1')], [opPut('a', '2')]), nest([opPut('a', '1')])])), dup, 'else vs sibling');
  t.throws(() => validateTxn(txnReq([], [nest([], [opPut('a', '1')]), nest([opPut('a', '2')])])), dup, 'else vs later then');
  t.throws(() => validateTxn(txnReq([], [opDel('a', 'c'), nest([opPut('b', '1')])])), dup, 'parent delete vs child put');
  t.throws(() => validateTxn(txnReq([], [nest([opDel('a')]), opPut('a', '1')])), dup, 'child delete vs parent put');
  t.throws(() => validateTxn(txnReq([], [nest([opDel('a')]), nest([opPut('a', '1')])])), dup, 'earlier child delete vs later child put');
  // etcd quirk: a later sibling's delete is not checked against an earlier sibling's put
  t.doesNotThrow(() => validateTxn(txnReq([], [nest([opPut('a', '1')]), nest([opDel('a')])])));
  t.throws(() => validateTxn(txnReq([], [nest([nest([opPut('a', '1')]), opPut('a', '2')])])), dup, 'grandchild vs child');
});
