// Request size limits. The boundaries below were found on a real etcd 3.4.23 (member id 3319814642761637952,
// default --max-request-bytes): one byte more flips the answer.
import t from 'tap';
import { decodePutRequest, decodeTxnRequest } from '../../src/api/decode.js';
import { parseJsonBody } from '../../src/api/json-body.js';
import {
  checkGrpcMessageSize,
  checkRaftRequestSize,
  deleteRangeRequestSize,
  putRequestSize,
  raftRequestSize,
  rangeRequestSize,
  txnRequestSize,
} from '../../src/api/proto-size.js';
import { rangeRequest, type PutRequest } from '../../src/api/types.js';

const MEMBER = '3319814642761637952';
const put = (valueBytes: number): PutRequest => ({
  key: 'big',
  value: Buffer.alloc(valueBytes, 120).toString('base64'),
  lease: '0',
  prevKv: false,
  ignoreValue: false,
  ignoreLease: false,
});

t.test('put: request is too large exactly when etcd says so', async (t) => {
  t.equal(raftRequestSize(putRequestSize(put(1572837)), MEMBER), 1572864);
  t.doesNotThrow(() => checkRaftRequestSize(putRequestSize(put(1572837)), MEMBER), 'observed: 200');
  t.throws(() => checkRaftRequestSize(putRequestSize(put(1572838)), MEMBER), { message: 'etcdserver: request is too large', code: 3 }, 'observed: 400');
});

t.test('gRPC receive limit: 429 code 8 with the sizes in the message', async (t) => {
  t.equal(putRequestSize(put(2097143)), 2097152);
  t.doesNotThrow(() => checkGrpcMessageSize(putRequestSize(put(2097143))), 'observed: passes on to "request is too large"');
  t.throws(
    () => checkGrpcMessageSize(putRequestSize(put(2097144))),
    { message: 'grpc: received message larger than max (2097153 vs. 2097152)', code: 8, httpStatus: 429 },
    'observed',
  );
  t.equal(putRequestSize(put(2 * 1024 * 1024 + 10)), 2097172, 'observed in "larger than max (2097172 vs. 2097152)"');
});

t.test('txn sizes (compare with an explicit zero mod_revision, a put and a range)', async (t) => {
  const body = (m: number): string =>
    JSON.stringify({
      compare: [{ key: 'Ymln', target: 'MOD', result: 'GREATER', mod_revision: '0' }],
      success: [{ request_put: { key: 'Ymln', value: Buffer.alloc(m, 120).toString('base64') } }, { request_range: { key: 'eA==', limit: 3 } }],
    });
  const size = (m: number): number => raftRequestSize(txnRequestSize(decodeTxnRequest(parseJsonBody(Buffer.from(body(m))))), MEMBER);
  t.equal(size(1572807), 1572864, 'observed: 200');
  t.equal(size(1572808), 1572865, 'observed: request is too large');
});

t.test('small messages', async (t) => {
  t.equal(putRequestSize(decodePutRequest({ key: 'Zm9v', value: 'YmFy' })), 10);
  t.equal(putRequestSize(decodePutRequest({ key: 'Zm9v', lease: '-1', prev_kv: true })), 5 + 11 + 2, 'negative int64: 10-byte varint');
  t.equal(deleteRangeRequestSize({ key: 'a', rangeEnd: '\0', prevKv: false }), 6);
  t.equal(
    rangeRequestSize(rangeRequest('a', { limit: 300, sortOrder: 'DESCEND', serializable: true })),
    3 + 3 + 2 + 2,
  );
  t.equal(raftRequestSize(0, '0'), 2 + 1 + 1 + 7 + 2, 'member id with zero low bits: 7-byte request id');
});
