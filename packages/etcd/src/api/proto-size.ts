// Protobuf sizes of decoded requests, for etcd's two size limits (defaults for --max-request-bytes 1.5 MiB):
// - gRPC refuses a request message larger than max-request-bytes + 512 KiB: HTTP 429, code 8,
//   `grpc: received message larger than max (<size> vs. <limit>)` (the gateway forwards the decoded proto);
// - a proposal whose InternalRaftRequest is larger than max-request-bytes: `etcdserver: request is too large`.
// Sizes follow the proto3 wire format of etcd 3.4's rpc.proto / raft_internal.proto field numbers.
import { EtcdError, Errors, type Compare, type CompactionRequest, type DeleteRangeRequest, type LeaseGrantRequest, type LeaseRevokeRequest, type PutRequest, type RangeRequest, type RequestOp, type TxnRequest } from './types.js';

/** etcd's default --max-request-bytes. */
export const DEFAULT_MAX_REQUEST_BYTES = 1.5 * 1024 * 1024;
/** What etcd adds to max-request-bytes for gRPC's receive limit (grpcOverheadBytes). */
export const GRPC_OVERHEAD_BYTES = 512 * 1024;

function varintSize(v: bigint): number {
  if (v < 0n) return 10; // negative int64/int32 are sign-extended to 64 bits
  let n = 1;
  while (v >= 0x80n) {
    v >>= 7n;
    n++;
  }
  return n;
}

function numSize(n: number): number {
  if (n >= 0 && n < 0x80) return 1;
  return varintSize(BigInt(n));
}

/** A length-delimited field (bytes, string, message) with a one-byte tag. */
function lenField(len: number, tagBytes = 1): number {
  return tagBytes + numSize(len) + len;
}

function bytesField(binaryLen: number, tagBytes = 1): number {
  return binaryLen === 0 ? 0 : lenField(binaryLen, tagBytes);
}

function intField(n: number): number {
  return n === 0 ? 0 : 1 + numSize(n);
}

function idField(id: string): number {
  return id === '0' ? 0 : 1 + varintSize(BigInt(id));
}

function boolField(b: boolean): number {
  return b ? 2 : 0;
}

function base64Len(b64: string): number {
  if (b64 === '') return 0;
  let pad = 0;
  if (b64.endsWith('==')) pad = 2;
  else if (b64.endsWith('=')) pad = 1;
  return (b64.length / 4) * 3 - pad;
}

const SORT_ORDER = { NONE: 0, ASCEND: 1, DESCEND: 2 } as const;
const SORT_TARGET = { KEY: 0, VERSION: 1, CREATE: 2, MOD: 3, VALUE: 4 } as const;
const RESULT = { EQUAL: 0, GREATER: 1, LESS: 2, NOT_EQUAL: 3 } as const;
const TARGET = { VERSION: 0, CREATE: 1, MOD: 2, VALUE: 3, LEASE: 4 } as const;

export function rangeRequestSize(r: RangeRequest): number {
  return (
    bytesField(r.key.length) +
    bytesField(r.rangeEnd.length) +
    intField(r.limit) +
    intField(r.revision) +
    intField(SORT_ORDER[r.sortOrder]) +
    intField(SORT_TARGET[r.sortTarget]) +
    boolField(r.serializable) +
    boolField(r.keysOnly) +
    boolField(r.countOnly) +
    intField(r.minModRevision) +
    intField(r.maxModRevision) +
    intField(r.minCreateRevision) +
    intField(r.maxCreateRevision)
  );
}

export function putRequestSize(r: PutRequest): number {
  return (
    bytesField(r.key.length) +
    bytesField(base64Len(r.value)) +
    idField(r.lease) +
    boolField(r.prevKv) +
    boolField(r.ignoreValue) +
    boolField(r.ignoreLease)
  );
}

export function deleteRangeRequestSize(r: DeleteRangeRequest): number {
  return bytesField(r.key.length) + bytesField(r.rangeEnd.length) + boolField(r.prevKv);
}

/** The target_union member is assumed sent for the compare's target (a oneof member is encoded even when zero). */
function compareSize(c: Compare): number {
  let union: number;
  switch (c.target) {
    case 'VERSION':
      union = 1 + numSize(c.version);
      break;
    case 'CREATE':
      union = 1 + numSize(c.createRevision);
      break;
    case 'MOD':
      union = 1 + numSize(c.modRevision);
      break;
    case 'VALUE':
      union = lenField(base64Len(c.value));
      break;
    case 'LEASE':
      union = 1 + varintSize(BigInt(c.lease));
      break;
  }
  return intField(RESULT[c.result]) + intField(TARGET[c.target]) + bytesField(c.key.length) + union + bytesField(c.rangeEnd.length, 2);
}

function opSize(op: RequestOp): number {
  if ('requestRange' in op) return lenField(rangeRequestSize(op.requestRange));
  if ('requestPut' in op) return lenField(putRequestSize(op.requestPut));
  if ('requestDeleteRange' in op) return lenField(deleteRangeRequestSize(op.requestDeleteRange));
  return lenField(txnRequestSize(op.requestTxn));
}

export function txnRequestSize(r: TxnRequest): number {
  let n = 0;
  for (const c of r.compare) n += lenField(compareSize(c));
  for (const o of r.success) n += lenField(opSize(o));
  for (const o of r.failure) n += lenField(opSize(o));
  return n;
}

export function compactionRequestSize(r: CompactionRequest): number {
  return intField(r.revision) + boolField(r.physical);
}

export function leaseGrantRequestSize(r: LeaseGrantRequest): number {
  return intField(r.ttl) + idField(r.id);
}

export function leaseRevokeRequestSize(r: LeaseRevokeRequest): number {
  return idField(r.id);
}

/** gRPC's receive limit: 429 / code 8 when the decoded request message is larger. */
export function checkGrpcMessageSize(size: number, maxRequestBytes: number = DEFAULT_MAX_REQUEST_BYTES): void {
  const limit = maxRequestBytes + GRPC_OVERHEAD_BYTES;
  if (size > limit) throw new EtcdError(429, 8, `grpc: received message larger than max (${size} vs. ${limit})`);
}

/**
 * The size of the InternalRaftRequest etcd marshals for a proposal: `{header: {ID}, <field>: request}` (every
 * proposal's field number is below 16, so its tag is one byte). The ID comes
 * from etcd's idutil generator: the member id's low 16 bits, then 48 bits of time and counter, so its varint length
 * depends only on the member id.
 */
export function raftRequestSize(requestSize: number, memberId: string): number {
  const prefix = BigInt(memberId) & 0xffffn;
  const idLen = varintSize((prefix << 48n) | 0xffffffffffffn);
  const header = 1 + idLen; // RequestHeader{ID}
  return lenField(header, 2) + lenField(requestSize);
}

/** etcd's `request is too large` check, made before proposing. */
export function checkRaftRequestSize(requestSize: number, memberId: string, maxRequestBytes: number = DEFAULT_MAX_REQUEST_BYTES): void {
  if (raftRequestSize(requestSize, memberId) > maxRequestBytes) throw Errors.requestTooLarge();
}
