// Encoders producing the exact bytes etcd 3.4's gateway writes: golang/protobuf jsonpb with OrigName (proto field
// names), fields in declaration order, zero values omitted, int64/uint64 as decimal strings, uint32 as a number,
// bytes as base64, strings escaped as Go's encoding/json does. Strings are built directly (put and range are the
// hot path); golden tests compare against captures from a real etcd 3.4.23.
import { goJsonString } from './go-json.js';
import type {
  CompactionResponse,
  DeleteRangeResponse,
  EtcdError,
  KeyValue,
  LeaseId,
  LeaseGrantResponse,
  LeaseRevokeResponse,
  LeaseTimeToLiveResponse,
  PutResponse,
  RangeResponse,
  ResponseOp,
  TxnResponse,
  RevisionHeader,
  WatchEvent,
} from './types.js';
import type {
  AlarmResponse,
  HashKVResponse,
  HashResponse,
  HeaderContext,
  LeaseKeepAliveResponse,
  MemberInfo,
  StatusResponse,
  WatchFrame,
} from './wire-types.js';

export type { HeaderContext, WatchFrame } from './wire-types.js';

/** Binary-string key → base64. */
function b64(key: string): string {
  return Buffer.from(key, 'latin1').toString('base64');
}

/** uint64 id given as a decimal string; '0' and '' are the zero value. */
function isZeroId(id: string): boolean {
  return id === '0' || id === '';
}

/** `{` + fields + `}` where every field was appended as `,"name":value`. */
function obj(fields: string): string {
  return fields === '' ? '{}' : '{' + fields.slice(1) + '}';
}

function strList(name: string, list: readonly string[]): string {
  if (list.length === 0) return '';
  let s = ',"' + name + '":[';
  for (let i = 0; i < list.length; i++) s += (i === 0 ? '' : ',') + goJsonString(list[i]!);
  return s + ']';
}

/** The wrapper of a streamed message: one line `{"result":...}` plus the newline the gateway writes after it. */
export function streamFrame(json: string): string {
  return '{"result":' + json + '}\n';
}

// ------------------------------------------------------------------------------------------------ header and KV

/** ResponseHeader: cluster_id, member_id, revision, raft_term, each omitted when zero. */
export function encodeHeader(h: HeaderContext): string {
  let s = '';
  if (!isZeroId(h.clusterId)) s += ',"cluster_id":"' + h.clusterId + '"';
  if (!isZeroId(h.memberId)) s += ',"member_id":"' + h.memberId + '"';
  if (h.revision) s += ',"revision":"' + h.revision + '"';
  if (h.raftTerm) s += ',"raft_term":"' + h.raftTerm + '"';
  return obj(s);
}

/** The caller's header; its revision, when absent, is the internal response's. */
function fullHeader(h: HeaderContext, own: Partial<RevisionHeader> | undefined): string {
  if (h.revision !== undefined || own?.revision === undefined) return encodeHeader(h);
  return encodeHeader({ clusterId: h.clusterId, memberId: h.memberId, revision: own.revision, raftTerm: h.raftTerm });
}

/** Sub-responses of a txn carry only the revision. */
function revisionHeader(revision: number): string {
  return revision ? '{"revision":"' + revision + '"}' : '{}';
}

export function encodeKeyValue(kv: KeyValue): string {
  let s = '';
  if (kv.key !== '') s += ',"key":"' + b64(kv.key) + '"';
  if (kv.createRevision) s += ',"create_revision":"' + kv.createRevision + '"';
  if (kv.modRevision) s += ',"mod_revision":"' + kv.modRevision + '"';
  if (kv.version) s += ',"version":"' + kv.version + '"';
  if (kv.value !== '') s += ',"value":"' + kv.value + '"';
  if (!isZeroId(kv.lease)) s += ',"lease":"' + kv.lease + '"';
  return obj(s);
}

function kvList(name: string, kvs: readonly KeyValue[]): string {
  if (kvs.length === 0) return '';
  let s = ',"' + name + '":[';
  for (let i = 0; i < kvs.length; i++) s += (i === 0 ? '' : ',') + encodeKeyValue(kvs[i]!);
  return s + ']';
}

function rangeBody(header: string, r: RangeResponse): string {
  let s = '{"header":' + header + kvList('kvs', r.kvs);
  if (r.more) s += ',"more":true';
  if (r.count) s += ',"count":"' + r.count + '"';
  return s + '}';
}

function putBody(header: string, r: PutResponse): string {
  return '{"header":' + header + (r.prevKv ? ',"prev_kv":' + encodeKeyValue(r.prevKv) : '') + '}';
}

function deleteBody(header: string, r: DeleteRangeResponse): string {
  return '{"header":' + header + (r.deleted ? ',"deleted":"' + r.deleted + '"' : '') + kvList('prev_kvs', r.prevKvs) + '}';
}

function txnBody(header: string, r: TxnResponse): string {
  let s = '{"header":' + header;
  if (r.succeeded) s += ',"succeeded":true';
  if (r.responses.length > 0) {
    s += ',"responses":[';
    for (let i = 0; i < r.responses.length; i++) s += (i === 0 ? '' : ',') + responseOp(r.responses[i]!);
    s += ']';
  }
  return s + '}';
}

function responseOp(op: ResponseOp): string {
  if ('responseRange' in op) return '{"response_range":' + rangeBody(revisionHeader(op.responseRange.header.revision), op.responseRange) + '}';
  if ('responsePut' in op) return '{"response_put":' + putBody(revisionHeader(op.responsePut.header.revision), op.responsePut) + '}';
  if ('responseDeleteRange' in op) {
    return '{"response_delete_range":' + deleteBody(revisionHeader(op.responseDeleteRange.header.revision), op.responseDeleteRange) + '}';
  }
  // etcd gives a nested txn an empty header.
  return '{"response_txn":' + txnBody('{}', op.responseTxn) + '}';
}

export function encodeRangeResponse(r: RangeResponse, h: HeaderContext): string {
  return rangeBody(fullHeader(h, r.header), r);
}

export function encodePutResponse(r: PutResponse, h: HeaderContext): string {
  return putBody(fullHeader(h, r.header), r);
}

export function encodeDeleteRangeResponse(r: DeleteRangeResponse, h: HeaderContext): string {
  return deleteBody(fullHeader(h, r.header), r);
}

export function encodeTxnResponse(r: TxnResponse, h: HeaderContext): string {
  return txnBody(fullHeader(h, r.header), r);
}

export function encodeCompactionResponse(r: CompactionResponse, h: HeaderContext): string {
  return '{"header":' + fullHeader(h, r.header) + '}';
}

// ------------------------------------------------------------------------------------------------ lease

function idField(name: string, id: string): string {
  return isZeroId(id) ? '' : ',"' + name + '":"' + id + '"';
}

function intField(name: string, n: number): string {
  return n ? ',"' + name + '":"' + n + '"' : '';
}

export function encodeLeaseGrantResponse(r: LeaseGrantResponse, h: HeaderContext): string {
  return '{"header":' + fullHeader(h, r.header) + idField('ID', r.id) + intField('TTL', r.ttl) + '}';
}

export function encodeLeaseRevokeResponse(r: LeaseRevokeResponse, h: HeaderContext): string {
  return '{"header":' + fullHeader(h, r.header) + '}';
}

/** One keepalive answer as the stream line `{"result":{...}}\n` (ttl 0 = lease not found: TTL is then absent). */
export function encodeLeaseKeepAliveResult(r: LeaseKeepAliveResponse, h: HeaderContext): string {
  return streamFrame('{"header":' + encodeHeader(h) + idField('ID', r.id) + intField('TTL', r.ttl) + '}');
}

/** An unknown lease is `{"header":…,"ID":"…","TTL":"-1"}` (ttl -1, grantedTtl 0, no keys). */
export function encodeLeaseTimeToLiveResponse(r: LeaseTimeToLiveResponse, h: HeaderContext): string {
  let s = '{"header":' + fullHeader(h, r.header) + idField('ID', r.id) + intField('TTL', r.ttl) + intField('grantedTTL', r.grantedTtl);
  if (r.keys.length > 0) {
    s += ',"keys":[';
    for (let i = 0; i < r.keys.length; i++) s += (i === 0 ? '"' : ',"') + b64(r.keys[i]!) + '"';
    s += ']';
  }
  return s + '}';
}

/** `leases` as ids: `{"header":…,"leases":[{"ID":"…"},…]}`. */
export function encodeLeaseLeasesResponse(leaseIds: readonly LeaseId[], h: HeaderContext): string {
  let s = '{"header":' + encodeHeader(h);
  if (leaseIds.length > 0) {
    s += ',"leases":[';
    for (let i = 0; i < leaseIds.length; i++) s += (i === 0 ? '' : ',') + obj(idField('ID', leaseIds[i]!));
    s += ']';
  }
  return s + '}';
}

// ------------------------------------------------------------------------------------------------ watch

function encodeEvent(e: WatchEvent): string {
  let s = e.type === 'DELETE' ? '{"type":"DELETE","kv":' : '{"kv":'; // PUT is the zero value
  s += encodeKeyValue(e.kv);
  if (e.prevKv) s += ',"prev_kv":' + encodeKeyValue(e.prevKv);
  return s + '}';
}

/**
 * One watch stream line `{"result":{...}}\n`. watch_id 0 is omitted (the first watch), a progress reply has
 * watch_id -1, and a header without revision (compacted-watch cancel) has none.
 */
export function encodeWatchResponse(r: WatchFrame, h: HeaderContext): string {
  let s = '{"header":' + fullHeader(h, r.header);
  if (r.watchId) s += ',"watch_id":"' + r.watchId + '"';
  if (r.created) s += ',"created":true';
  if (r.canceled) s += ',"canceled":true';
  if (r.compactRevision) s += ',"compact_revision":"' + r.compactRevision + '"';
  if (r.cancelReason !== '') s += ',"cancel_reason":' + goJsonString(r.cancelReason);
  if (r.fragment) s += ',"fragment":true';
  if (r.events.length > 0) {
    s += ',"events":[';
    for (let i = 0; i < r.events.length; i++) s += (i === 0 ? '' : ',') + encodeEvent(r.events[i]!);
    s += ']';
  }
  return streamFrame(s + '}');
}

// ------------------------------------------------------------------------------------------------ cluster

export function encodeMember(m: MemberInfo): string {
  let s = idField('ID', m.id);
  if (m.name !== '') s += ',"name":' + goJsonString(m.name);
  s += strList('peerURLs', m.peerURLs) + strList('clientURLs', m.clientURLs);
  if (m.isLearner) s += ',"isLearner":true';
  return obj(s);
}

function memberList(members: readonly MemberInfo[]): string {
  if (members.length === 0) return '';
  let s = ',"members":[';
  for (let i = 0; i < members.length; i++) s += (i === 0 ? '' : ',') + encodeMember(members[i]!);
  return s + ']';
}

/** Member list, and the answer of member remove, update and promote. etcd's header here has no revision. */
export function encodeMemberListResponse(members: readonly MemberInfo[], h: HeaderContext): string {
  return '{"header":' + encodeHeader(h) + memberList(members) + '}';
}

/** Member remove, update and promote answer with the member list. */
export const encodeMemberRemoveResponse = encodeMemberListResponse;
export const encodeMemberUpdateResponse = encodeMemberListResponse;
export const encodeMemberPromoteResponse = encodeMemberListResponse;

/** etcd shows the added member with ID, peerURLs and isLearner only (no name or client URLs yet). */
export function encodeMemberAddResponse(member: MemberInfo, members: readonly MemberInfo[], h: HeaderContext): string {
  const added = encodeMember({ id: member.id, name: '', peerURLs: member.peerURLs, clientURLs: [], isLearner: member.isLearner });
  return '{"header":' + encodeHeader(h) + ',"member":' + added + memberList(members) + '}';
}

// ------------------------------------------------------------------------------------------------ maintenance

export function encodeStatusResponse(r: StatusResponse, h: HeaderContext): string {
  let s = '{"header":' + encodeHeader(h);
  if (r.version !== '') s += ',"version":' + goJsonString(r.version);
  s += intField('dbSize', r.dbSize) + idField('leader', r.leader) + intField('raftIndex', r.raftIndex);
  s += intField('raftTerm', r.raftTerm) + intField('raftAppliedIndex', r.raftAppliedIndex);
  s += strList('errors', r.errors) + intField('dbSizeInUse', r.dbSizeInUse);
  if (r.isLearner) s += ',"isLearner":true';
  return s + '}';
}

/** `/v3/maintenance/hash`: hash is a uint32, which proto3 JSON writes as a number. */
export function encodeHashResponse(r: HashResponse, h: HeaderContext): string {
  return '{"header":' + encodeHeader(h) + (r.hash ? ',"hash":' + (r.hash >>> 0) : '') + '}';
}

/** HashKV (no gateway route in etcd 3.4; for internal callers). */
export function encodeHashKVResponse(r: HashKVResponse, h: HeaderContext): string {
  return '{"header":' + encodeHeader(h) + (r.hash ? ',"hash":' + (r.hash >>> 0) : '') + intField('compact_revision', r.compactRevision) + '}';
}

/** etcd's alarm response has no header: `{}` when no alarm, else `{"alarms":[{"memberID":"…","alarm":"NOSPACE"}]}`. */
export function encodeAlarmResponse(r: AlarmResponse): string {
  if (r.alarms.length === 0) return '{}';
  let s = '{"alarms":[';
  for (let i = 0; i < r.alarms.length; i++) {
    const a = r.alarms[i]!;
    s += (i === 0 ? '' : ',') + obj(idField('memberID', a.memberId) + (a.alarm !== 'NONE' ? ',"alarm":"' + a.alarm + '"' : ''));
  }
  return s + ']}';
}

/** Defragment and transfer-leadership answer a bare `{}` in etcd 3.4: no header, whatever the caller passes. */
export function encodeEmptyResponse(_h?: HeaderContext): string {
  return '{}';
}

/** One snapshot stream line. etcd sends no header on these, so none is written whatever the caller passes. */
export function encodeSnapshotChunk(blob: Uint8Array, remainingBytes: number, _h?: HeaderContext): string {
  let s = '';
  if (remainingBytes) s += ',"remaining_bytes":"' + remainingBytes + '"';
  if (blob.length > 0) s += ',"blob":"' + Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength).toString('base64') + '"';
  return streamFrame(obj(s));
}

// ------------------------------------------------------------------------------------------------ errors

/** The gateway's error body: `{"error":msg,"message":msg,"code":N}`. */
export function encodeError(err: EtcdError): string {
  const m = err.message === '' ? '' : ',"error":' + goJsonString(err.message) + ',"message":' + goJsonString(err.message);
  return obj(m + (err.code ? ',"code":' + err.code : ''));
}

const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  412: 'Precondition Failed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * The line the gateway writes when a stream (watch, keepalive) fails after it started:
 * `{"error":{"grpc_code":N,"http_code":H,"message":"…","http_status":"…"}}` plus a newline (grpc-gateway's
 * StreamError; from its source, not observed).
 */
export function encodeStreamError(err: EtcdError): string {
  const http = httpStatusForCode(err.code);
  let s = '';
  if (err.code) s += ',"grpc_code":' + err.code;
  s += ',"http_code":' + http;
  if (err.message !== '') s += ',"message":' + goJsonString(err.message);
  s += ',"http_status":' + goJsonString(STATUS_TEXT[http] ?? '');
  return '{"error":' + obj(s) + '}\n';
}

/**
 * grpc-gateway's HTTPStatusFromCode as in the etcd 3.4.23 we compare with (Debian's build, and the shared doc):
 * FailedPrecondition is 412 there. Upstream release binaries bundle grpc-gateway v1.9.5, which answers 400 instead.
 */
export function httpStatusForCode(code: number): number {
  switch (code) {
    case 0:
      return 200;
    case 1:
      return 408; // Canceled
    case 2:
      return 500; // Unknown
    case 3:
      return 400; // InvalidArgument
    case 4:
      return 504; // DeadlineExceeded
    case 5:
      return 404; // NotFound
    case 6:
      return 409; // AlreadyExists
    case 7:
      return 403; // PermissionDenied
    case 8:
      return 429; // ResourceExhausted
    case 9:
      return 412; // FailedPrecondition
    case 10:
      return 409; // Aborted
    case 11:
      return 400; // OutOfRange
    case 12:
      return 501; // Unimplemented
    case 13:
      return 500; // Internal
    case 14:
      return 503; // Unavailable
    case 15:
      return 500; // DataLoss
    case 16:
      return 401; // Unauthenticated
    default:
      return 500;
  }
}
