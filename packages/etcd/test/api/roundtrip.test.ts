// Property: for random valid requests x, decode(parse(write-as-etcd-json(x))) = x, whatever spelling the writer
// picks (see request-json.ts). Also: the stream splitter returns what the unary parser returns, message by message.
import t from 'tap';
import fc from 'fast-check';
import * as d from '../../src/api/decode.js';
import { JsonObjectStream, parseJsonBody } from '../../src/api/json-body.js';
import type { Compare, DeleteRangeRequest, PutRequest, RangeRequest, RequestOp, TxnRequest, WatchRequest } from '../../src/api/types.js';
import { RequestWriter } from './request-json.js';

const RUNS = { numRuns: 250 };

const writer = fc.infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })).map((s) => {
  const it = s[Symbol.iterator]();
  return new RequestWriter(() => it.next().value as number);
});

const bin = (min: number, max: number): fc.Arbitrary<string> => fc.uint8Array({ minLength: min, maxLength: max }).map((b) => Buffer.from(b).toString('latin1'));
const key = bin(1, 6);
const maybeKey = fc.oneof(fc.constant(''), fc.constant('\0'), bin(1, 6));
const b64 = fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b).toString('base64'));
const int64 = fc.oneof(fc.constant(0), fc.integer({ min: -1000, max: 1000 }), fc.maxSafeInteger(), fc.maxSafeNat());
const id64 = fc.oneof(fc.constant(0n), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n })).map(String);
const uid64 = fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })).map(String);

const rangeReq: fc.Arbitrary<RangeRequest> = fc.record({
  key,
  rangeEnd: maybeKey,
  limit: int64,
  revision: int64,
  sortOrder: fc.constantFrom('NONE', 'ASCEND', 'DESCEND'),
  sortTarget: fc.constantFrom('KEY', 'VERSION', 'CREATE', 'MOD', 'VALUE'),
  serializable: fc.boolean(),
  keysOnly: fc.boolean(),
  countOnly: fc.boolean(),
  minModRevision: int64,
  maxModRevision: int64,
  minCreateRevision: int64,
  maxCreateRevision: int64,
});

const putReq: fc.Arbitrary<PutRequest> = fc
  .record({ key, value: b64, lease: id64, prevKv: fc.boolean(), ignoreValue: fc.boolean(), ignoreLease: fc.boolean() })
  .map((r) => ({ ...r, value: r.ignoreValue ? '' : r.value, lease: r.ignoreLease ? '0' : r.lease }));

const deleteReq: fc.Arbitrary<DeleteRangeRequest> = fc.record({ key, rangeEnd: maybeKey, prevKv: fc.boolean() });

const compare: fc.Arbitrary<Compare> = fc.record({
  key,
  rangeEnd: maybeKey,
  target: fc.constantFrom('VERSION', 'CREATE', 'MOD', 'VALUE', 'LEASE'),
  result: fc.constantFrom('EQUAL', 'GREATER', 'LESS', 'NOT_EQUAL'),
  version: int64,
  createRevision: int64,
  modRevision: int64,
  value: b64,
  lease: id64,
});

/** Txns etcd accepts: puts get unique 'p…' keys and deletes stay within ['d', 'e'), so nothing collides. */
const txnReq: fc.Arbitrary<TxnRequest> = fc
  .letrec<{ txn: TxnRequest; op: RequestOp }>((tie) => ({
    txn: fc.record({
      compare: fc.array(compare, { maxLength: 3 }),
      success: fc.array(tie('op'), { maxLength: 4 }),
      failure: fc.array(tie('op'), { maxLength: 4 }),
    }),
    op: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      rangeReq.map((r) => ({ requestRange: r })),
      putReq.map((r) => ({ requestPut: r })),
      fc.record({ key: bin(0, 3).map((k) => 'd' + k), rangeEnd: fc.constantFrom('', 'e', 'd\xff'), prevKv: fc.boolean() }).map((r) => ({ requestDeleteRange: r })),
      tie('txn').map((r) => ({ requestTxn: r })),
    ),
  }))
  .txn.map((root) => {
    let n = 0;
    const fix = (tx: TxnRequest): TxnRequest => ({
      compare: tx.compare,
      success: tx.success.map(fixOp),
      failure: tx.failure.map(fixOp),
    });
    const fixOp = (o: RequestOp): RequestOp => {
      if ('requestPut' in o) return { requestPut: { ...o.requestPut, key: `p${n++}` } };
      if ('requestTxn' in o) return { requestTxn: fix(o.requestTxn) };
      return o;
    };
    return fix(root);
  });

const watchReq: fc.Arbitrary<WatchRequest> = fc.oneof(
  fc
    .record({
      key: maybeKey,
      rangeEnd: maybeKey,
      startRevision: int64,
      progressNotify: fc.boolean(),
      filters: fc.array(fc.constantFrom('NOPUT' as const, 'NODELETE' as const), { maxLength: 3 }),
      prevKv: fc.boolean(),
      watchId: int64,
      fragment: fc.boolean(),
    })
    .map((c) => ({ createRequest: c })),
  int64.map((watchId) => ({ cancelRequest: { watchId } })),
  fc.constant({ progressRequest: {} }),
);

const parse = (json: string): unknown => parseJsonBody(Buffer.from(json, 'utf8'));

t.test('range, put, delete range round-trip', async () => {
  fc.assert(fc.property(writer, rangeReq, (w, x) => t.same(d.decodeRangeRequest(parse(w.range(x))), x)), RUNS);
  fc.assert(fc.property(writer, putReq, (w, x) => t.same(d.decodePutRequest(parse(w.put(x))), x)), RUNS);
  fc.assert(fc.property(writer, deleteReq, (w, x) => t.same(d.decodeDeleteRangeRequest(parse(w.deleteRange(x))), x)), RUNS);
});

t.test('txn round-trip (nested, all op kinds)', async () => {
  fc.assert(fc.property(writer, txnReq, (w, x) => t.same(d.decodeTxnRequest(parse(w.txn(x))), x)), RUNS);
});

t.test('watch requests round-trip, also through the stream splitter in random chunks', async () => {
  fc.assert(
    fc.property(writer, fc.array(watchReq, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { maxLength: 6 }), (w, xs, cuts) => {
      const body = Buffer.from(xs.map((x) => w.watch(x)).join(''), 'utf8');
      const s = new JsonObjectStream();
      const msgs: unknown[] = [];
      let prev = 0;
      for (const c of [...new Set(cuts.map((c) => c % (body.length + 1)))].sort((a, b) => a - b)) {
        msgs.push(...s.push(body.subarray(prev, c)));
        prev = c;
      }
      msgs.push(...s.push(body.subarray(prev)), ...s.end());
      return t.same(msgs.map((m) => d.decodeWatchRequest(m)), xs);
    }),
    RUNS,
  );
});

t.test('lease, cluster and maintenance requests round-trip', async () => {
  fc.assert(
    fc.property(writer, id64, int64, fc.boolean(), (w, id, ttl, keys) => {
      t.same(d.decodeLeaseGrantRequest(parse(w.obj([['TTL', undefined, w.int(ttl)], ['ID', undefined, w.int(id)]]))), { id, ttl });
      t.same(d.decodeLeaseRevokeRequest(parse(w.obj([['ID', undefined, w.int(id)]]))), { id });
      t.same(d.decodeLeaseKeepAliveRequest(parse(w.obj([['ID', undefined, w.int(id)]]))), { id });
      t.same(d.decodeLeaseTimeToLiveRequest(parse(w.obj([['ID', undefined, w.int(id)], ['keys', undefined, w.bool(keys)]]))), { id, keys });
      t.same(d.decodeCompactionRequest(parse(w.obj([['revision', undefined, w.int(ttl)], ['physical', undefined, w.bool(keys)]]))), { revision: ttl, physical: keys });
      t.same(d.decodeHashKVRequest(parse(w.obj([['revision', undefined, w.int(ttl)]]))), { revision: ttl });
    }),
    RUNS,
  );
  const url = fc
    .tuple(fc.constantFrom('http', 'https', 'unix', 'unixs'), fc.stringMatching(/^[a-z0-9.-]{1,10}$/), fc.integer({ min: 1, max: 65535 }))
    .map(([s, h, p]) => `${s}://${h}:${p}`);
  fc.assert(
    fc.property(writer, fc.uniqueArray(url, { minLength: 1, maxLength: 3 }), uid64, fc.boolean(), (w, urls, id, learner) => {
      // Clients may send them in any order, with spaces and an upper-case scheme; etcd stores them normalized, sorted.
      const sent = urls.map((u) => w.str(learner ? ` ${u.replace(/^[a-z]+/, (m) => m.toUpperCase())} ` : u));
      const sorted = [...urls].sort();
      t.same(d.decodeMemberAddRequest(parse(w.obj([['peerURLs', undefined, w.list(sent)], ['isLearner', undefined, w.bool(learner)]]))), { peerURLs: sorted, isLearner: learner });
      t.same(d.decodeMemberUpdateRequest(parse(w.obj([['ID', undefined, w.int(id)], ['peerURLs', undefined, w.list(sent)]]))), { id, peerURLs: sorted });
      t.same(d.decodeMemberRemoveRequest(parse(w.obj([['ID', undefined, w.int(id)]]))), { id });
      t.same(d.decodeMemberPromoteRequest(parse(w.obj([['ID', undefined, w.int(id)]]))), { id });
      t.same(d.decodeTransferLeadershipRequest(parse(w.obj([['targetID', undefined, w.int(id)]]))), { targetId: id });
    }),
    RUNS,
  );
  fc.assert(
    fc.property(writer, fc.constantFrom('GET', 'ACTIVATE', 'DEACTIVATE'), uid64, fc.constantFrom('NONE', 'NOSPACE', 'CORRUPT'), (w, action, memberId, alarm) =>
      t.same(
        d.decodeAlarmRequest(
          parse(
            w.obj([
              ['action', undefined, w.enumOf(action, ['GET', 'ACTIVATE', 'DEACTIVATE'])],
              ['memberID', undefined, w.int(memberId)],
              ['alarm', undefined, w.enumOf(alarm, ['NONE', 'NOSPACE', 'CORRUPT'])],
            ]),
          ),
        ),
        { action, memberId, alarm },
      ),
    ),
    RUNS,
  );
});
