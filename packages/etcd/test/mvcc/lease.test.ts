import t from 'tap';
import { Errors } from '../../src/api/types.js';
import { MAX_LEASE_TTL, MvccStore, grantedTtl, leaseExpiry, minLeaseTtl, remainingTtl } from '../../src/mvcc/index.js';
import { delReq, keys, kv, opPut, putReq, rangeReq, recorder, summarize, txnReq, watchReq } from './helpers.js';

t.test('grant', async (t) => {
  const s = new MvccStore();
  t.strictSame(s.leaseGrant({ id: '42', ttl: 30 }), { header: { revision: 1 }, id: '42', ttl: 30 });
  t.throws(() => s.leaseGrant({ id: '42', ttl: 5 }), Errors.leaseExists());
  t.throws(() => s.leaseGrant({ id: '0', ttl: 5 }), Errors.leaseNotFound(), 'id 0 is invalid (the server assigns ids)');
  t.throws(() => s.leaseGrant({ id: '7', ttl: MAX_LEASE_TTL + 1 }), Errors.leaseTtlTooLarge());
  t.equal(s.revision, 1, 'grants do not bump the revision');
  t.strictSame(s.leaseInfo('42'), { id: '42', grantedTtl: 30, keys: [] });
  t.equal(s.leaseInfo('43'), undefined);
  s.leaseGrant({ id: '9223372036854775807', ttl: 1 });
  t.same(s.leases(), ['42', '9223372036854775807'], 'grant order');
});

t.test('put with an unknown lease fails without a revision', async (t) => {
  const s = new MvccStore();
  t.throws(() => s.put(putReq('k', 'v', { lease: '1' })), Errors.leaseNotFound());
  t.equal(s.revision, 1);
  t.throws(() => s.txn(txnReq([], [opPut('k', 'v', { lease: '1' })])), Errors.leaseNotFound());
  t.equal(s.revision, 1);
});

t.test('attach, move between leases, detach on delete and on lease 0', async (t) => {
  const s = new MvccStore();
  s.leaseGrant({ id: '1', ttl: 10 });
  s.leaseGrant({ id: '2', ttl: 10 });
  s.put(putReq('a', 'v', { lease: '1' }));
  s.put(putReq('b', 'v', { lease: '1' }));
  t.same(s.leaseInfo('1')?.keys, ['a', 'b']);
  s.put(putReq('a', 'v2', { lease: '2' }));
  t.same(s.leaseInfo('1')?.keys, ['b'], 're-put moved a');
  t.same(s.leaseInfo('2')?.keys, ['a']);
  t.strictSame(s.range(rangeReq('a')).kvs, [kv('a', 'v2', 2, 4, 2, '2')]);
  s.put(putReq('b', 'v2'));
  t.same(s.leaseInfo('1')?.keys, [], 'lease 0 detaches');
  s.deleteRange(delReq('a'));
  t.same(s.leaseInfo('2')?.keys, [], 'delete detaches');
  // revoking now deletes nothing and does not bump
  const rev = s.revision;
  t.strictSame(s.leaseRevoke('2'), { header: { revision: rev } });
  t.equal(s.revision, rev);
  t.same(s.leases(), ['1']);
});

t.test('revoke deletes attached keys in one revision, in key order, with DELETE events', async (t) => {
  const s = new MvccStore();
  s.leaseGrant({ id: '5', ttl: 10 });
  s.put(putReq('z', '1', { lease: '5' })); // 2
  s.put(putReq('m', '1', { lease: '5' })); // 3
  s.put(putReq('keep', '1')); // 4
  const rec = recorder();
  s.watch(watchReq('\0', { rangeEnd: '\0', prevKv: true }), rec.sink);
  t.strictSame(s.leaseRevoke('5'), { header: { revision: 5 } });
  t.same(keys(s, '\0', { rangeEnd: '\0' }), ['keep']);
  t.equal(rec.calls.length, 1);
  t.same(summarize(rec.calls[0]!.events), ['DELETE m@5', 'DELETE z@5']);
  t.strictSame(rec.calls[0]!.events[0]!.prevKv, kv('m', '1', 3, 3, 1, '5'));
  t.equal(s.leaseInfo('5'), undefined);
  t.throws(() => s.leaseRevoke('5'), Errors.leaseNotFound());
  t.throws(() => s.put(putReq('x', '1', { lease: '5' })), Errors.leaseNotFound(), 'revoked lease is gone');
});

t.test('lease compare uses int64 order', async (t) => {
  const s = new MvccStore();
  s.leaseGrant({ id: '10', ttl: 10 });
  s.put(putReq('k', 'v', { lease: '10' }));
  const r = s.txn({
    compare: [{ key: 'k', rangeEnd: '', target: 'LEASE', result: 'GREATER', version: 0, createRevision: 0, modRevision: 0, value: '', lease: '9' }],
    success: [],
    failure: [],
  });
  t.equal(r.succeeded, true, '10 > 9 numerically (not as strings)');
});

t.test('lease time helpers', async (t) => {
  t.equal(minLeaseTtl(10, 100), 2, 'etcd defaults give 2 s');
  t.equal(minLeaseTtl(5, 100), 1, 'integer ticks: 3*5/2 = 7 ticks = 0.7 s → 1');
  t.equal(minLeaseTtl(10, 1000), 15);
  t.equal(grantedTtl(0, 2), 2);
  t.equal(grantedTtl(-5, 2), 2);
  t.equal(grantedTtl(30, 2), 30);
  t.equal(leaseExpiry(1_000, 30), 31_000);
  t.equal(remainingTtl(31_000, 1_500), 29, 'truncated');
  t.equal(remainingTtl(1_000, 1_500), 0, 'expired under a second: 0, not -0');
  t.ok(Object.is(remainingTtl(1_000, 1_500), 0));
  t.equal(remainingTtl(1_000, 3_500), -2);
});
