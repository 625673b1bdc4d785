import t from 'tap';
import { EtcdClient, EtcdRequestError, GrpcCode, prefixEnd, type TxnRequest } from '../src/index.js';
import { haveEtcd, startEtcd } from './helpers/etcd-server.js';

t.test('prefixEnd', async (t) => {
  t.same(prefixEnd('a/'), Buffer.from('a0'));
  t.same(prefixEnd(Buffer.from([0x61, 0xff])), Buffer.from([0x62]));
  t.same(prefixEnd(Buffer.from([0xff, 0xff])), Buffer.from([0]));
});

if (haveEtcd(t)) {
  const etcd = await startEtcd(t, 1);
  const c = new EtcdClient({ endpoints: etcd.clientUrls, requestTimeoutMs: 5000 });
  t.teardown(() => c.close());

  t.test('put / get / range basics', async (t) => {
    const p1 = await c.put('kv/a', 'one');
    t.ok(p1.header.revision > 1, 'revision advances');
    t.match(p1.header.clusterId, /^\d+$/);
    t.match(p1.header.memberId, /^\d+$/);
    t.ok(p1.header.raftTerm >= 1);
    t.equal(p1.prevKv, undefined);

    const p2 = await c.put('kv/a', 'two', { prevKv: true });
    t.equal(p2.prevKv?.value.toString(), 'one');
    t.equal(p2.prevKv?.modRevision, p1.header.revision);

    const kv = await c.get('kv/a');
    t.ok(kv);
    t.equal(kv!.key.toString(), 'kv/a');
    t.equal(kv!.value.toString(), 'two');
    t.equal(kv!.version, 2);
    t.equal(kv!.createRevision, p1.header.revision);
    t.equal(kv!.modRevision, p2.header.revision);
    t.equal(kv!.lease, '0');
    t.equal(await c.getString('kv/a'), 'two');
    t.equal(await c.get('kv/missing'), undefined);

    const missing = await c.range('kv/missing');
    t.same(missing.kvs, []);
    t.equal(missing.count, 0);
    t.equal(missing.more, false);

    // binary key and empty value round-trip
    const bin = Buffer.from([0x6b, 0x76, 0x00, 0xff, 0x80]);
    await c.put(bin, '');
    const b = await c.get(bin);
    t.same(b?.key, bin);
    t.equal(b?.value.length, 0);
    await c.deleteRange(bin);

    // ignoreValue keeps the value and updates the lease attachment
    const lease = await c.leaseGrant(60);
    await c.put('kv/a', '', { ignoreValue: true, lease: lease.id });
    const kv2 = await c.get('kv/a');
    t.equal(kv2?.value.toString(), 'two');
    t.equal(kv2?.lease, lease.id);
    await c.put('kv/a', 'three', { ignoreLease: true });
    t.equal((await c.get('kv/a'))?.lease, lease.id, 'ignoreLease keeps the lease');
    await c.leaseRevoke(lease.id);
    t.equal(await c.get('kv/a'), undefined, 'revoking the lease deleted the key');
  });

  t.test('range options', async (t) => {
    for (const k of ['r/a', 'r/b', 'r/c', 'r/d']) await c.put(k, `v-${k}`);
    await c.put('r0', 'outside');
    const all = await c.range('r/', { prefix: true });
    t.same(all.kvs.map((k) => k.key.toString()), ['r/a', 'r/b', 'r/c', 'r/d']);
    t.equal(all.count, 4);

    const limited = await c.range('r/', { prefix: true, limit: 2 });
    t.equal(limited.kvs.length, 2);
    t.equal(limited.more, true);
    t.equal(limited.count, 4, 'count is the total, not the returned number');

    const between = await c.range('r/b', { rangeEnd: 'r/d' });
    t.same(between.kvs.map((k) => k.key.toString()), ['r/b', 'r/c']);

    const from = await c.range('r/c', { fromKey: true });
    t.same(from.kvs.map((k) => k.key.toString()), ['r/c', 'r/d', 'r0']);

    const count = await c.range('r/', { prefix: true, countOnly: true });
    t.equal(count.count, 4);
    t.same(count.kvs, []);

    const keys = await c.range('r/', { prefix: true, keysOnly: true });
    t.equal(keys.kvs.length, 4);
    t.ok(keys.kvs.every((k) => k.value.length === 0), 'keys only');

    const desc = await c.range('r/', { prefix: true, sortOrder: 'DESCEND', sortTarget: 'KEY' });
    t.same(desc.kvs.map((k) => k.key.toString()), ['r/d', 'r/c', 'r/b', 'r/a']);

    const ser = await c.range('r/a', { serializable: true });
    t.equal(ser.kvs[0]?.value.toString(), 'v-r/a');

    const rev = (await c.get('r/b'))!.modRevision;
    const changed = await c.put('r/b', 'changed');
    const old = await c.range('r/b', { revision: rev });
    t.equal(old.kvs[0]?.value.toString(), 'v-r/b', 'historical read');
    const newer = await c.range('r/', { prefix: true, minModRevision: changed.header.revision });
    t.same(newer.kvs.map((k) => k.key.toString()), ['r/b']);

    const everything = await c.range('', { prefix: true, countOnly: true });
    t.ok(everything.count >= 5, 'empty prefix = every key');
  });

  t.test('deleteRange', async (t) => {
    for (const k of ['d/a', 'd/b', 'd/c']) await c.put(k, k);
    const one = await c.deleteRange('d/a');
    t.equal(one.deleted, 1);
    t.same(one.prevKvs, []);
    const rest = await c.deleteRange('d/', { prefix: true, prevKv: true });
    t.equal(rest.deleted, 2);
    t.same(rest.prevKvs.map((k) => k.value.toString()), ['d/b', 'd/c']);
    const none = await c.deleteRange('d/', { prefix: true });
    t.equal(none.deleted, 0);
    t.equal(none.header.revision, rest.header.revision, 'deleting nothing does not bump the revision');
  });

  t.test('txn compare-and-swap', async (t) => {
    const p = await c.put('txn/k', 'v1');
    const cas = (rev: number, value: string): TxnRequest => ({
      compare: [{ key: 'txn/k', target: 'MOD', result: '=', modRevision: rev }],
      success: [{ put: { key: 'txn/k', value } }],
      failure: [{ range: { key: 'txn/k' } }],
    });
    const ok = await c.txn(cas(p.header.revision, 'v2'));
    t.equal(ok.succeeded, true);
    t.equal(ok.responses.length, 1);
    const put = ok.responses[0]!;
    t.ok('put' in put && put.put.header.revision === ok.header.revision, 'sub-response carries the revision');

    const conflict = await c.txn(cas(p.header.revision, 'v3'));
    t.equal(conflict.succeeded, false);
    const r = conflict.responses[0]!;
    t.ok('range' in r);
    if ('range' in r) {
      t.equal(r.range.kvs[0]?.value.toString(), 'v2');
      t.equal(r.range.count, 1);
    }

    // create-if-absent: version == 0
    const create = await c.txn({
      compare: [{ key: 'txn/new', target: 'VERSION', version: 0 }],
      success: [{ put: { key: 'txn/new', value: 'x' } }, { put: { key: 'txn/other', value: 'y' } }],
    });
    t.equal(create.succeeded, true);
    const again = await c.txn({
      compare: [{ key: 'txn/new', target: 'VERSION', version: 0 }],
      success: [{ put: { key: 'txn/new', value: 'x2' } }],
    });
    t.equal(again.succeeded, false);
    t.same(again.responses, [], 'empty failure branch');

    // value / greater compares, delete and nested txn ops
    const nested = await c.txn({
      compare: [
        { key: 'txn/new', target: 'VALUE', value: 'x' },
        { key: 'txn/k', target: 'VERSION', result: 'GREATER', version: 1 },
        { key: 'txn/', prefix: true, target: 'CREATE', result: '>', createRevision: 0 },
        { key: 'txn/k', target: 'LEASE', lease: '0' },
      ],
      success: [
        { deleteRange: { key: 'txn/other', prevKv: true } },
        { txn: { compare: [{ key: 'txn/k', target: 'VALUE', result: '!=', value: 'nope' }], success: [{ range: { key: 'txn/new' } }] } },
      ],
    });
    t.equal(nested.succeeded, true);
    const [del, sub] = nested.responses;
    t.ok(del && 'deleteRange' in del && del.deleteRange.deleted === 1 && del.deleteRange.prevKvs[0]?.value.toString() === 'y');
    t.ok(sub && 'txn' in sub && sub.txn.succeeded);
    if (sub && 'txn' in sub) {
      const inner = sub.txn.responses[0];
      t.ok(inner && 'range' in inner && inner.range.kvs[0]?.value.toString() === 'x');
    }

    const readOnly = await c.txn({ success: [{ range: { key: 'txn/', prefix: true, countOnly: true } }] });
    t.equal(readOnly.succeeded, true, 'no compares = success');
  });

  t.test('compact and revision errors', async (t) => {
    const a = await c.put('cmp/k', '1');
    await c.put('cmp/k', '2');
    const b = await c.put('cmp/k', '3');
    const res = await c.compact(b.header.revision, true);
    t.ok(res.header.revision >= b.header.revision);
    await t.rejects(c.range('cmp/k', { revision: a.header.revision }), {
      name: 'EtcdRequestError',
      httpStatus: 400,
      code: GrpcCode.OUT_OF_RANGE,
      message: 'etcdserver: mvcc: required revision has been compacted',
    });
    await t.rejects(c.compact(a.header.revision), { code: GrpcCode.OUT_OF_RANGE });
    await t.rejects(c.range('cmp/k', { revision: b.header.revision + 1000 }), {
      code: GrpcCode.OUT_OF_RANGE,
      message: 'etcdserver: mvcc: required revision is a future revision',
    });
  });

  t.test('errors map to EtcdRequestError', async (t) => {
    const err = await c.put('', 'x').catch((e: unknown) => e);
    t.ok(err instanceof EtcdRequestError);
    t.match(err, { httpStatus: 400, code: GrpcCode.INVALID_ARGUMENT, message: 'etcdserver: key is not provided', endpoint: etcd.clientUrls[0] });
    await t.rejects(c.put('e/k', 'v', { lease: '12345' }), {
      httpStatus: 404,
      code: GrpcCode.NOT_FOUND,
      message: 'etcdserver: requested lease not found',
    });
    await t.rejects(
      c.txn({ success: [{ put: { key: 'e/dup', value: '1' } }, { put: { key: 'e/dup', value: '2' } }] }),
      { httpStatus: 400, code: 3, message: 'etcdserver: duplicate key given in txn request' },
    );
    const many = Array.from({ length: 129 }, (_, i) => ({ put: { key: `e/${i}`, value: 'v' } }));
    await t.rejects(c.txn({ success: many }), { code: 3, message: 'etcdserver: too many operations in txn request' });
    await t.rejects(c.request('/v3/kv/put', '{"key":'), { httpStatus: 400, code: 3, message: 'unexpected EOF' });
    await t.rejects(c.request('/v3/nope', '{}'), { httpStatus: 404, code: GrpcCode.UNIMPLEMENTED });
    await t.rejects(c.leaseRevoke('1; drop'), TypeError, 'ids are validated before being spliced into JSON');
  });

  t.test('raw request, version, health', async (t) => {
    const raw = await c.request('/v3/kv/range', `{"key":"${Buffer.from('r/a').toString('base64')}"}`, { kind: 'read' });
    t.equal(typeof raw.header, 'object');
    const v = await c.version();
    t.match(v.etcdserver, /^3\.\d+\.\d+/);
    t.match(v.etcdcluster, /^3\.\d+/);
    t.equal(await c.health(), true);
  });
}
