import t from 'tap';
import { Errors } from '../../src/api/types.js';
import { MvccErrors, MvccStore } from '../../src/mvcc/index.js';
import { b64, delReq, keys, kv, putReq, rangeReq } from './helpers.js';

t.test('an empty store is at revision 1', async (t) => {
  const s = new MvccStore();
  t.equal(s.revision, 1);
  t.equal(s.compactRevision, 0);
  t.strictSame(s.range(rangeReq('a')), { header: { revision: 1 }, kvs: [], more: false, count: 0 });
});

t.test('put: revisions, versions, create revision', async (t) => {
  const s = new MvccStore();
  t.strictSame(s.put(putReq('foo', 'bar')), { header: { revision: 2 } });
  t.strictSame(s.range(rangeReq('foo')), { header: { revision: 2 }, kvs: [kv('foo', 'bar', 2, 2, 1)], more: false, count: 1 });
  t.strictSame(s.put(putReq('foo', 'baz')), { header: { revision: 3 } });
  t.strictSame(s.range(rangeReq('foo')).kvs, [kv('foo', 'baz', 2, 3, 2)]);
  s.put(putReq('other', 'x'));
  t.strictSame(s.range(rangeReq('foo')).kvs, [kv('foo', 'baz', 2, 3, 2)], 'other writes do not touch foo');
  t.equal(s.revision, 4);
});

t.test('put with prevKv', async (t) => {
  const s = new MvccStore();
  t.strictSame(s.put(putReq('k', 'v1', { prevKv: true })), { header: { revision: 2 } }, 'no prevKv for a new key');
  t.strictSame(s.put(putReq('k', 'v2', { prevKv: true })), { header: { revision: 3 }, prevKv: kv('k', 'v1', 2, 2, 1) });
});

t.test('empty value is stored and read back as empty', async (t) => {
  const s = new MvccStore();
  s.put(putReq('e', ''));
  t.strictSame(s.range(rangeReq('e')).kvs, [{ key: 'e', value: '', createRevision: 2, modRevision: 2, version: 1, lease: '0' }]);
});

t.test('delete: bump only when something is deleted', async (t) => {
  const s = new MvccStore();
  t.strictSame(s.deleteRange(delReq('nope')), { header: { revision: 1 }, deleted: 0, prevKvs: [] }, 'nothing deleted, no bump');
  s.put(putReq('a', '1'));
  s.put(putReq('b', '2'));
  s.put(putReq('c', '3'));
  t.strictSame(s.deleteRange(delReq('a', 'c', { prevKv: true })), {
    header: { revision: 5 },
    deleted: 2,
    prevKvs: [kv('a', '1', 2, 2, 1), kv('b', '2', 3, 3, 1)],
  });
  t.same(keys(s, '\0', { rangeEnd: '\0' }), ['c']);
  t.strictSame(s.deleteRange(delReq('a', 'c')), { header: { revision: 5 }, deleted: 0, prevKvs: [] }, 'again: nothing, no bump');
  t.equal(s.revision, 5);
});

t.test('delete then re-create: version restarts, create revision moves', async (t) => {
  const s = new MvccStore();
  s.put(putReq('k', 'a')); // 2
  s.put(putReq('k', 'b')); // 3
  s.deleteRange(delReq('k')); // 4
  t.strictSame(s.range(rangeReq('k')).kvs, []);
  s.put(putReq('k', 'c')); // 5
  t.strictSame(s.range(rangeReq('k')).kvs, [kv('k', 'c', 5, 5, 1)]);
  // history stays readable
  t.strictSame(s.range(rangeReq('k', { revision: 3 })).kvs, [kv('k', 'b', 2, 3, 2)]);
  t.strictSame(s.range(rangeReq('k', { revision: 4 })).kvs, [], 'deleted at 4');
  t.strictSame(s.range(rangeReq('k', { revision: 1 })).kvs, [], 'did not exist at 1');
  t.equal(s.range(rangeReq('k', { revision: 3 })).header.revision, 5, 'header is the current revision for historical reads');
});

t.test('historical reads: future and range over time', async (t) => {
  const s = new MvccStore();
  s.put(putReq('a', '1')); // 2
  s.put(putReq('b', '1')); // 3
  s.put(putReq('a', '2')); // 4
  t.throws(() => s.range(rangeReq('a', { revision: 5 })), Errors.futureRev());
  t.same(keys(s, 'a', { rangeEnd: 'c', revision: 2 }), ['a']);
  t.strictSame(s.range(rangeReq('a', { rangeEnd: 'c', revision: 3 })).kvs, [kv('a', '1', 2, 2, 1), kv('b', '1', 3, 3, 1)]);
  t.strictSame(s.range(rangeReq('a', { revision: -3 })).kvs, [kv('a', '2', 2, 4, 2)], 'negative revision = current');
});

t.test('prefix, from-key and all-keys ranges', async (t) => {
  const s = new MvccStore();
  for (const k of ['/a', '/a/1', '/a/2', '/b', '/a0', 'z', '\xff\x01']) s.put(putReq(k, k));
  t.same(keys(s, '/a/', { rangeEnd: '/a0' }), ['/a/1', '/a/2'], 'prefix /a/');
  t.same(keys(s, '/a0', { rangeEnd: '\0' }), ['/a0', '/b', 'z', '\xff\x01'], 'from key');
  t.same(keys(s, '\0', { rangeEnd: '\0' }), ['/a', '/a/1', '/a/2', '/a0', '/b', 'z', '\xff\x01'], 'everything');
  t.same(keys(s, '/b', { rangeEnd: '/a' }), [], 'end below key: nothing');
  t.same(keys(s, '/b', { rangeEnd: '/b' }), [], 'end equal to key: nothing');
});

t.test('limit, more and count', async (t) => {
  const s = new MvccStore();
  for (const k of ['a', 'b', 'c', 'd']) s.put(putReq(k, k));
  const r = s.range(rangeReq('a', { rangeEnd: 'z', limit: 2 }));
  t.same(
    r.kvs.map((x) => x.key),
    ['a', 'b'],
  );
  t.equal(r.more, true);
  t.equal(r.count, 4, 'count is every match, not the page');
  const exact = s.range(rangeReq('a', { rangeEnd: 'z', limit: 4 }));
  t.equal(exact.more, false, 'limit equal to matches: no more');
  t.equal(exact.kvs.length, 4);
  const negative = s.range(rangeReq('a', { rangeEnd: 'z', limit: -1 }));
  t.equal(negative.kvs.length, 4, 'negative limit: no limit');
});

t.test('keysOnly and countOnly', async (t) => {
  const s = new MvccStore();
  s.put(putReq('a', 'x'));
  s.put(putReq('b', 'y'));
  t.strictSame(s.range(rangeReq('a', { rangeEnd: 'c', keysOnly: true })).kvs, [
    { key: 'a', value: '', createRevision: 2, modRevision: 2, version: 1, lease: '0' },
    { key: 'b', value: '', createRevision: 3, modRevision: 3, version: 1, lease: '0' },
  ]);
  t.strictSame(s.range(rangeReq('a', { rangeEnd: 'c', countOnly: true, limit: 1 })), {
    header: { revision: 3 },
    kvs: [],
    more: false,
    count: 2,
  });
  // keys_only does not clear the stored value
  t.strictSame(s.range(rangeReq('a')).kvs[0]!.value, b64('x'));
});

t.test('sort: targets, orders, defaults', async (t) => {
  const s = new MvccStore();
  s.put(putReq('c', 'v1')); // 2
  s.put(putReq('a', 'v3')); // 3
  s.put(putReq('b', 'v2')); // 4
  s.put(putReq('c', 'v0')); // 5 (c: version 2)
  const all = { rangeEnd: 'z' };
  t.same(keys(s, 'a', { ...all, sortOrder: 'DESCEND', sortTarget: 'KEY' }), ['c', 'b', 'a']);
  t.same(keys(s, 'a', { ...all, sortOrder: 'ASCEND', sortTarget: 'CREATE' }), ['c', 'a', 'b']);
  t.same(keys(s, 'a', { ...all, sortOrder: 'DESCEND', sortTarget: 'MOD' }), ['c', 'b', 'a']);
  t.same(keys(s, 'a', { ...all, sortOrder: 'ASCEND', sortTarget: 'VALUE' }), ['c', 'b', 'a']);
  t.same(keys(s, 'a', { ...all, sortOrder: 'DESCEND', sortTarget: 'VERSION' }), ['c', 'a', 'b'], 'ties keep key order');
  t.same(keys(s, 'a', { ...all, sortOrder: 'NONE', sortTarget: 'MOD' }), ['a', 'b', 'c'], 'NONE with non-KEY target sorts ASCEND');
  const page = s.range(rangeReq('a', { ...all, sortOrder: 'DESCEND', sortTarget: 'MOD', limit: 2 }));
  t.same(
    page.kvs.map((x) => x.key),
    ['c', 'b'],
    'sort happens before the limit',
  );
  t.equal(page.more, true);
  t.equal(page.count, 3);
});

t.test('sort by VALUE compares bytes, not base64 text', async (t) => {
  const s = new MvccStore();
  // base64('\xff') = '/w==' sorts before base64('a') = 'YQ==' as text, but 0xff > 0x61 as bytes.
  s.put(putReq('x', '\xff'));
  s.put(putReq('y', 'a'));
  t.same(keys(s, 'a', { rangeEnd: 'z', sortOrder: 'ASCEND', sortTarget: 'VALUE' }), ['y', 'x']);
});

t.test('min/max mod/create revision filters prune after counting', async (t) => {
  const s = new MvccStore();
  s.put(putReq('a', '1')); // 2
  s.put(putReq('b', '1')); // 3
  s.put(putReq('c', '1')); // 4
  s.put(putReq('a', '2')); // 5
  const r = s.range(rangeReq('a', { rangeEnd: 'z', minModRevision: 4 }));
  t.same(
    r.kvs.map((x) => x.key),
    ['a', 'c'],
  );
  t.equal(r.count, 3, 'etcd counts before filtering');
  t.same(keys(s, 'a', { rangeEnd: 'z', maxModRevision: 3 }), ['b']);
  t.same(keys(s, 'a', { rangeEnd: 'z', minCreateRevision: 3 }), ['b', 'c']);
  t.same(keys(s, 'a', { rangeEnd: 'z', maxCreateRevision: 3 }), ['a', 'b']);
  const lim = s.range(rangeReq('a', { rangeEnd: 'z', minCreateRevision: 2, limit: 1 }));
  t.same(
    lim.kvs.map((x) => x.key),
    ['a'],
  );
  t.equal(lim.more, true, 'limit applies after filters');
});

t.test('ignoreValue / ignoreLease', async (t) => {
  const s = new MvccStore();
  t.throws(() => s.put(putReq('k', '', { ignoreValue: true })), MvccErrors.keyNotFound());
  t.throws(() => s.put(putReq('k', 'v', { ignoreLease: true })), { message: 'etcdserver: key not found' });
  t.equal(s.revision, 1, 'failed puts do not bump');
  s.leaseGrant({ id: '5', ttl: 10 });
  s.put(putReq('k', 'v1', { lease: '5' })); // 2
  t.strictSame(s.put(putReq('k', '', { ignoreValue: true, prevKv: true })), {
    header: { revision: 3 },
    prevKv: kv('k', 'v1', 2, 2, 1, '5'),
  });
  t.strictSame(s.range(rangeReq('k')).kvs, [kv('k', 'v1', 2, 3, 2, '0')], 'ignoreValue keeps the value; lease 0 detaches');
  s.put(putReq('k', 'v1', { lease: '5' })); // 4
  s.put(putReq('k', 'v2', { ignoreLease: true })); // 5
  t.strictSame(s.range(rangeReq('k')).kvs, [kv('k', 'v2', 2, 5, 4, '5')], 'ignoreLease keeps the lease');
  t.same(s.leaseInfo('5')?.keys, ['k']);
  s.deleteRange(delReq('k'));
  t.throws(() => s.put(putReq('k', '', { ignoreValue: true })), MvccErrors.keyNotFound(), 'deleted key is not found');
});

t.test('binary keys with NUL and high bytes', async (t) => {
  const s = new MvccStore();
  const k = 'a\0\xff';
  s.put(putReq(k, 'v'));
  s.put(putReq('a\0', 'w'));
  t.same(keys(s, 'a\0', { rangeEnd: 'a\x01' }), ['a\0', k]);
  t.equal(s.range(rangeReq(k)).kvs[0]!.key, k);
});

t.test('returned KeyValues are copies', async (t) => {
  const s = new MvccStore();
  s.put(putReq('k', 'v'));
  const a = s.range(rangeReq('k')).kvs[0]!;
  a.value = 'mutated';
  a.version = 99;
  t.strictSame(s.range(rangeReq('k')).kvs[0], kv('k', 'v', 2, 2, 1));
});
