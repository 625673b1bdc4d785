// Response encoders against golden bytes. Unless marked, each golden is a response body captured from a real
// etcd 3.4.23 (Debian build, single member on loopback, curl); (doc) ones come from shared/docs/etcd-v3-json.md,
// (derived) ones follow from jsonpb's rules that the captures pin down (field order, zero omission, Go escaping).
import t from 'tap';
import * as e from '../../src/api/encode.js';
import { EtcdError, Errors, type KeyValue, type RangeResponse, type TxnResponse, type WatchEvent } from '../../src/api/types.js';
import type { HeaderContext, WatchFrame } from '../../src/api/wire-types.js';

const CLUSTER = '324952591200643719';
const MEMBER = '3319814642761637952';
const ctx = (revision?: number, raftTerm = 2): HeaderContext => ({ clusterId: CLUSTER, memberId: MEMBER, raftTerm, revision });
const H = (rev: number, term = 2): string => `{"cluster_id":"${CLUSTER}","member_id":"${MEMBER}","revision":"${rev}","raft_term":"${term}"}`;
const H_NOREV = `{"cluster_id":"${CLUSTER}","member_id":"${MEMBER}","raft_term":"2"}`;

const kv = (key: string, c: number, m: number, v: number, value = '', lease = '0'): KeyValue => ({
  key,
  createRevision: c,
  modRevision: m,
  version: v,
  value,
  lease,
});

t.test('header', async (t) => {
  t.equal(e.encodeHeader(ctx(2)), H(2));
  t.equal(e.encodeHeader(ctx()), H_NOREV, 'no revision: omitted (member list)');
  t.equal(e.encodeHeader({ clusterId: '0', memberId: '', raftTerm: 0, revision: 0 }), '{}', 'all zero: {} (derived)');
});

t.test('kv', async (t) => {
  t.equal(e.encodePutResponse({ header: { revision: 3 } }, ctx()), `{"header":${H(3)}}`, 'put; revision from the response');
  t.equal(e.encodePutResponse({ header: { revision: 3 } }, ctx(5)), `{"header":${H(5)}}`, "the caller's revision wins");
  t.equal(
    e.encodePutResponse({ header: { revision: 3 }, prevKv: kv('foo', 2, 2, 1, 'YmFy') }, ctx()),
    `{"header":${H(3)},"prev_kv":{"key":"Zm9v","create_revision":"2","mod_revision":"2","version":"1","value":"YmFy"}}`,
    '(doc)',
  );
  const range = (r: Partial<RangeResponse>): string => e.encodeRangeResponse({ header: { revision: 11 }, kvs: [], more: false, count: 0, ...r }, ctx());
  t.equal(range({ kvs: [kv('foo', 2, 11, 10)], count: 1 }), `{"header":${H(11)},"kvs":[{"key":"Zm9v","create_revision":"2","mod_revision":"11","version":"10"}],"count":"1"}`, 'empty value: no value field');
  t.equal(range({}), `{"header":${H(11)}}`, 'missing key: no kvs, no count');
  t.equal(
    e.encodeRangeResponse({ header: { revision: 20 }, kvs: [kv('leased', 20, 20, 1, '', '4242')], more: false, count: 1 }, ctx()),
    `{"header":${H(20)},"kvs":[{"key":"bGVhc2Vk","create_revision":"20","mod_revision":"20","version":"1","lease":"4242"}],"count":"1"}`,
  );
  t.equal(
    e.encodeRangeResponse({ header: { revision: 20 }, kvs: [kv('\0f', 13, 13, 1), kv('a', 16, 16, 1)], more: true, count: 4 }, ctx()),
    `{"header":${H(20)},"kvs":[{"key":"AGY=","create_revision":"13","mod_revision":"13","version":"1"},{"key":"YQ==","create_revision":"16","mod_revision":"16","version":"1"}],"more":true,"count":"4"}`,
    'keys_only with limit: more and total count; binary key',
  );
  t.equal(e.encodeRangeResponse({ header: { revision: 20 }, kvs: [], more: false, count: 4 }, ctx()), `{"header":${H(20)},"count":"4"}`, 'count_only');
  t.equal(
    e.encodeDeleteRangeResponse({ header: { revision: 25 }, deleted: 1, prevKvs: [kv('w/a', 22, 23, 2)] }, ctx()),
    `{"header":${H(25)},"deleted":"1","prev_kvs":[{"key":"dy9h","create_revision":"22","mod_revision":"23","version":"2"}]}`,
  );
  t.equal(e.encodeDeleteRangeResponse({ header: { revision: 9 }, deleted: 0, prevKvs: [] }, ctx()), `{"header":${H(9)}}`, 'nothing deleted');
  t.equal(e.encodeCompactionResponse({ header: { revision: 21 } }, ctx()), `{"header":${H(21)}}`);
  t.equal(e.encodeKeyValue(kv('', 0, 0, 0)), '{}', 'every field zero: {}');
});

t.test('txn', async (t) => {
  const txn = (r: Partial<TxnResponse>, rev: number): string => e.encodeTxnResponse({ header: { revision: rev }, succeeded: false, responses: [], ...r }, ctx());
  t.equal(txn({ succeeded: true, responses: [{ responsePut: { header: { revision: 14 } } }] }, 14), `{"header":${H(14)},"succeeded":true,"responses":[{"response_put":{"header":{"revision":"14"}}}]}`);
  t.equal(
    txn(
      {
        succeeded: true,
        responses: [{ responseDeleteRange: { header: { revision: 15 }, deleted: 2, prevKvs: [] } }, { responsePut: { header: { revision: 15 } } }],
      },
      15,
    ),
    `{"header":${H(15)},"succeeded":true,"responses":[{"response_delete_range":{"header":{"revision":"15"},"deleted":"2"}},{"response_put":{"header":{"revision":"15"}}}]}`,
  );
  t.equal(
    txn({ succeeded: true, responses: [{ responseTxn: { header: { revision: 16 }, succeeded: true, responses: [{ responsePut: { header: { revision: 16 } } }] } }] }, 16),
    `{"header":${H(16)},"succeeded":true,"responses":[{"response_txn":{"header":{},"succeeded":true,"responses":[{"response_put":{"header":{"revision":"16"}}}]}}]}`,
    'a nested txn has an empty header',
  );
  t.equal(txn({ succeeded: true, responses: [{ responseTxn: { header: { revision: 2 }, succeeded: true, responses: [] } }] }, 2), `{"header":${H(2, 2)},"succeeded":true,"responses":[{"response_txn":{"header":{},"succeeded":true}}]}`);
  t.equal(
    txn({ succeeded: true, responses: [{ responseRange: { header: { revision: 2 }, kvs: [kv('a', 2, 2, 1, 'Yg==')], more: false, count: 1 } }] }, 2),
    `{"header":${H(2)},"succeeded":true,"responses":[{"response_range":{"header":{"revision":"2"},"kvs":[{"key":"YQ==","create_revision":"2","mod_revision":"2","version":"1","value":"Yg=="}],"count":"1"}}]}`,
  );
  t.equal(txn({ succeeded: true }, 13), `{"header":${H(13)},"succeeded":true}`, 'empty branch');
  t.equal(txn({}, 7), `{"header":${H(7)}}`, 'failed compare, empty failure branch (doc)');
  t.equal(
    txn({ responses: [{ responseRange: { header: { revision: 7 }, kvs: [kv('foo', 2, 7, 3, 'djI=')], more: false, count: 1 } }] }, 7),
    `{"header":${H(7)},"responses":[{"response_range":{"header":{"revision":"7"},"kvs":[{"key":"Zm9v","create_revision":"2","mod_revision":"7","version":"3","value":"djI="}],"count":"1"}}]}`,
    'conflict: succeeded absent (doc)',
  );
});

t.test('lease', async (t) => {
  t.equal(e.encodeLeaseGrantResponse({ header: { revision: 19 }, id: '4242', ttl: 30 }, ctx()), `{"header":${H(19)},"ID":"4242","TTL":"30"}`);
  t.equal(e.encodeLeaseGrantResponse({ header: { revision: 19 }, id: '-7', ttl: 2 }, ctx()), `{"header":${H(19)},"ID":"-7","TTL":"2"}`);
  t.equal(e.encodeLeaseRevokeResponse({ header: { revision: 21 } }, ctx()), `{"header":${H(21)}}`);
  t.equal(e.encodeLeaseLeasesResponse(['-7', '4242'], ctx(19)), `{"header":${H(19)},"leases":[{"ID":"-7"},{"ID":"4242"}]}`);
  t.equal(e.encodeLeaseLeasesResponse([], ctx(19)), `{"header":${H(19)}}`, 'no leases: field absent');
  t.equal(
    e.encodeLeaseTimeToLiveResponse({ header: { revision: 20 }, id: '4242', ttl: 29, grantedTtl: 30, keys: ['leased'] }, ctx()),
    `{"header":${H(20)},"ID":"4242","TTL":"29","grantedTTL":"30","keys":["bGVhc2Vk"]}`,
  );
  t.equal(e.encodeLeaseTimeToLiveResponse({ header: { revision: 20 }, id: '4242', ttl: 29, grantedTtl: 30, keys: [] }, ctx()), `{"header":${H(20)},"ID":"4242","TTL":"29","grantedTTL":"30"}`);
  t.equal(e.encodeLeaseTimeToLiveResponse({ header: { revision: 20 }, id: '12345', ttl: -1, grantedTtl: 0, keys: [] }, ctx()), `{"header":${H(20)},"ID":"12345","TTL":"-1"}`, 'unknown lease');
  t.equal(e.encodeLeaseKeepAliveResult({ id: '99', ttl: 60 }, ctx(25)), `{"result":{"header":${H(25)},"ID":"99","TTL":"60"}}\n`, 'keepalive stream line');
  t.equal(e.encodeLeaseKeepAliveResult({ id: '12345', ttl: 0 }, ctx(25)), `{"result":{"header":${H(25)},"ID":"12345"}}\n`, 'unknown lease: no TTL');
});

t.test('watch frames', async (t) => {
  const frame = (f: Partial<WatchFrame>): WatchFrame => ({ watchId: 0, created: false, canceled: false, compactRevision: 0, cancelReason: '', fragment: false, events: [], ...f });
  const line = (json: string): string => `{"result":${json}}\n`;
  t.equal(e.encodeWatchResponse(frame({ created: true }), ctx(21)), line(`{"header":${H(21)},"created":true}`), 'first watch: watch_id 0 omitted');
  t.equal(e.encodeWatchResponse(frame({ watchId: 7, created: true }), ctx(21)), line(`{"header":${H(21)},"watch_id":"7","created":true}`));
  t.equal(
    e.encodeWatchResponse(frame({ watchId: 1, canceled: true, compactRevision: 3 }), ctx()),
    line(`{"header":${H_NOREV},"watch_id":"1","canceled":true,"compact_revision":"3"}`),
    'compacted: header without revision',
  );
  t.equal(e.encodeWatchResponse(frame({ watchId: -1 }), ctx(21)), line(`{"header":${H(21)},"watch_id":"-1"}`), 'progress reply');
  t.equal(e.encodeWatchResponse(frame({ canceled: true }), ctx(21)), line(`{"header":${H(21)},"canceled":true}`), 'cancel');
  const put: WatchEvent = { type: 'PUT', kv: kv('w/a', 22, 22, 1, 'MQ==') };
  t.equal(
    e.encodeWatchResponse(frame({ events: [put] }), ctx(22)),
    line(`{"header":${H(22)},"events":[{"kv":{"key":"dy9h","create_revision":"22","mod_revision":"22","version":"1","value":"MQ=="}}]}`),
    'PUT has no type field',
  );
  t.equal(
    e.encodeWatchResponse(frame({ watchId: 7, events: [put] }), ctx(22)),
    line(`{"header":${H(22)},"watch_id":"7","events":[{"kv":{"key":"dy9h","create_revision":"22","mod_revision":"22","version":"1","value":"MQ=="}}]}`),
  );
  t.equal(
    e.encodeWatchResponse(frame({ events: [{ type: 'PUT', kv: kv('w/a', 22, 23, 2), prevKv: kv('w/a', 22, 22, 1, 'MQ==') }] }), ctx(23)),
    line(`{"header":${H(23)},"events":[{"kv":{"key":"dy9h","create_revision":"22","mod_revision":"23","version":"2"},"prev_kv":{"key":"dy9h","create_revision":"22","mod_revision":"22","version":"1","value":"MQ=="}}]}`),
  );
  t.equal(
    e.encodeWatchResponse(frame({ events: [{ type: 'PUT', kv: kv('w/b', 24, 24, 1, 'Mg==') }, { type: 'PUT', kv: kv('w/c', 24, 24, 1, 'Mw==') }] }), ctx(24)),
    line(`{"header":${H(24)},"events":[{"kv":{"key":"dy9i","create_revision":"24","mod_revision":"24","version":"1","value":"Mg=="}},{"kv":{"key":"dy9j","create_revision":"24","mod_revision":"24","version":"1","value":"Mw=="}}]}`),
    'one frame per txn revision',
  );
  t.equal(
    e.encodeWatchResponse(frame({ events: [{ type: 'DELETE', kv: kv('w/a', 0, 25, 0), prevKv: kv('w/a', 22, 23, 2) }] }), ctx(25)),
    line(`{"header":${H(25)},"events":[{"type":"DELETE","kv":{"key":"dy9h","mod_revision":"25"},"prev_kv":{"key":"dy9h","create_revision":"22","mod_revision":"23","version":"2"}}]}`),
  );
  t.equal(
    e.encodeWatchResponse(frame({ watchId: 2, created: true, canceled: true, cancelReason: 'etcdserver: duplicate watch ID <x> & "y"', fragment: true }), ctx(5)),
    line(`{"header":${H(5)},"watch_id":"2","created":true,"canceled":true,"cancel_reason":"etcdserver: duplicate watch ID \\u003cx\\u003e \\u0026 \\"y\\"","fragment":true}`),
    'cancel_reason escaped as Go does; field order (derived)',
  );
  t.equal(e.encodeWatchResponse({ ...frame({}), header: { revision: 9 } }, ctx()), line(`{"header":${H(9)}}`), "frame's own revision when the caller gives none");
});

t.test('cluster and maintenance', async (t) => {
  const m1 = { id: MEMBER, name: 'codec', peerURLs: ['http://127.0.0.1:23800'], clientURLs: ['http://127.0.0.1:23790'], isLearner: false };
  const m2 = { id: '4684151978808411939', name: '', peerURLs: ['http://127.0.0.1:23998?x=1', 'http://127.0.0.1:23999'], clientURLs: [], isLearner: true };
  const M1 = `{"ID":"${MEMBER}","name":"codec","peerURLs":["http://127.0.0.1:23800"],"clientURLs":["http://127.0.0.1:23790"]}`;
  const M2 = '{"ID":"4684151978808411939","peerURLs":["http://127.0.0.1:23998?x=1","http://127.0.0.1:23999"],"isLearner":true}';
  t.equal(e.encodeMemberListResponse([m1], ctx()), `{"header":${H_NOREV},"members":[${M1}]}`);
  t.equal(e.encodeMemberListResponse([m1, m2], ctx()), `{"header":${H_NOREV},"members":[${M1},${M2}]}`);
  t.equal(e.encodeMemberAddResponse({ ...m2, name: 'x', clientURLs: ['http://c:1'] }, [m1, m2], ctx()), `{"header":${H_NOREV},"member":${M2},"members":[${M1},${M2}]}`, 'member add');
  t.equal(e.encodeMember({ id: '1', name: 'a<b', peerURLs: [], clientURLs: [], isLearner: false }), '{"ID":"1","name":"a\\u003cb"}', 'Go escaping (derived)');
  const status = { version: '3.4.23', dbSize: 20480, leader: MEMBER, raftIndex: 37, raftTerm: 2, raftAppliedIndex: 37, errors: [], dbSizeInUse: 16384, isLearner: false };
  t.equal(
    e.encodeStatusResponse(status, ctx(20)),
    `{"header":${H(20)},"version":"3.4.23","dbSize":"20480","leader":"${MEMBER}","raftIndex":"37","raftTerm":"2","raftAppliedIndex":"37","dbSizeInUse":"16384"}`,
  );
  t.equal(
    e.encodeStatusResponse({ ...status, dbSize: 20480, raftIndex: 9, raftAppliedIndex: 9, errors: ['memberID:1 alarm:NOSPACE '] }, ctx(1, 3)),
    `{"header":${H(1, 3)},"version":"3.4.23","dbSize":"20480","leader":"${MEMBER}","raftIndex":"9","raftTerm":"2","raftAppliedIndex":"9","errors":["memberID:1 alarm:NOSPACE "],"dbSizeInUse":"16384"}`,
    'errors sit between raftAppliedIndex and dbSizeInUse',
  );
  t.equal(
    e.encodeStatusResponse({ ...status, leader: '0', errors: ['etcdserver: no leader'], isLearner: true }, ctx(20)),
    `{"header":${H(20)},"version":"3.4.23","dbSize":"20480","raftIndex":"37","raftTerm":"2","raftAppliedIndex":"37","errors":["etcdserver: no leader"],"dbSizeInUse":"16384","isLearner":true}`,
    'no leader: leader absent (doc)',
  );
  t.equal(e.encodeHashResponse({ hash: 2161365081 }, ctx(20)), `{"header":${H(20)},"hash":2161365081}`, 'uint32 hash is a JSON number');
  t.equal(e.encodeHashKVResponse({ hash: 467566725, compactRevision: 3 }, ctx(21)), `{"header":${H(21)},"hash":467566725,"compact_revision":"3"}`, '(derived: no route in 3.4)');
  t.equal(e.encodeAlarmResponse({ alarms: [] }), '{}');
  t.equal(e.encodeAlarmResponse({ alarms: [{ memberId: '1', alarm: 'NOSPACE' }] }), '{"alarms":[{"memberID":"1","alarm":"NOSPACE"}]}');
  t.equal(e.encodeEmptyResponse(ctx(5)), '{}', 'defragment, transfer-leadership: no header');
  t.equal(e.encodeSnapshotChunk(Buffer.from('abc'), 155648, ctx(1)), '{"result":{"remaining_bytes":"155648","blob":"YWJj"}}\n', 'shape observed, no header');
  t.equal(e.encodeSnapshotChunk(Buffer.from('abc'), 0), '{"result":{"blob":"YWJj"}}\n', 'last chunk: remaining_bytes absent');
});

t.test('errors', async (t) => {
  t.equal(e.encodeError(Errors.keyNotProvided()), '{"error":"etcdserver: key is not provided","message":"etcdserver: key is not provided","code":3}');
  t.equal(e.encodeError(Errors.leaseNotFound()), '{"error":"etcdserver: requested lease not found","message":"etcdserver: requested lease not found","code":5}');
  t.equal(
    e.encodeError(new EtcdError(400, 3, "invalid character '<' looking for beginning of value")),
    `{"error":"invalid character '\\u003c' looking for beginning of value","message":"invalid character '\\u003c' looking for beginning of value","code":3}`,
  );
  t.equal(
    e.encodeError(new EtcdError(400, 3, "invalid character '\\x01' in string literal")),
    `{"error":"invalid character '\\\\x01' in string literal","message":"invalid character '\\\\x01' in string literal","code":3}`,
  );
  t.equal(
    e.encodeError(new EtcdError(400, 3, 'unknown value "FOO" for enum etcdserverpb.RangeRequest_SortOrder')),
    '{"error":"unknown value \\"FOO\\" for enum etcdserverpb.RangeRequest_SortOrder","message":"unknown value \\"FOO\\" for enum etcdserverpb.RangeRequest_SortOrder","code":3}',
  );
  t.equal(
    e.encodeError(new EtcdError(400, 3, "invalid character 'Ã' looking for beginning of value")),
    `{"error":"invalid character 'Ã' looking for beginning of value","message":"invalid character 'Ã' looking for beginning of value","code":3}`,
    'non-ASCII as UTF-8',
  );
  t.equal(e.encodeError(new EtcdError(500, 2, 'a\u2028b\u0000\t')), '{"error":"a\\u2028b\\u0000\\t","message":"a\\u2028b\\u0000\\t","code":2}');
  t.equal(e.encodeError(new EtcdError(500, 2, 'lone \ud800')), '{"error":"lone \\ufffd","message":"lone \\ufffd","code":2}');
  t.equal(
    e.encodeStreamError(Errors.leaderChanged()),
    '{"error":{"grpc_code":14,"http_code":503,"message":"etcdserver: leader changed","http_status":"Service Unavailable"}}\n',
  );
  t.equal(e.encodeStreamError(Errors.notLeader()), '{"error":{"grpc_code":9,"http_code":412,"message":"etcdserver: not leader","http_status":"Precondition Failed"}}\n');
  t.equal(e.httpStatusForCode(8), 429, 'ResourceExhausted (observed: "database space exceeded" and "grpc: received message larger than max")');
  t.equal(e.httpStatusForCode(9), 412);
  t.equal(e.httpStatusForCode(11), 400);
  t.equal(e.httpStatusForCode(14), 503);
  t.equal(e.httpStatusForCode(5), 404);
  t.equal(e.httpStatusForCode(2), 500);
});

t.test('the shared Errors table agrees with the gateway status mapping', async (t) => {
  for (const [name, make] of Object.entries(Errors)) {
    const err = (make as (msg: string) => EtcdError)('x');
    t.equal(err.httpStatus, e.httpStatusForCode(err.code), `Errors.${name}`);
  }
});
