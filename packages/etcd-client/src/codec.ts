// Hand-written proto3-JSON codec for etcd's gateway (see shared/docs/etcd-v3-json.md).
// Encoding: proto field names, bytes as base64, int64 as decimal strings, only non-default fields sent.
// Decoding: absent fields are zero values; int64 -> number for counters, kept as strings for ids.

import type {
  Bytes,
  Compare,
  DeleteRangeOptions,
  DeleteRangeResponse,
  Header,
  KeyRangeOptions,
  KeyValue,
  Member,
  PutOptions,
  RangeOptions,
  RangeResponse,
  PutResponse,
  RequestOp,
  ResponseOp,
  TxnRequest,
  TxnResponse,
  WatchEvent,
  WatchOptions,
  WatchResponse,
} from './types.js';

/** A decoded JSON object whose fields have not been checked yet. */
export type Json = Record<string, unknown>;

const EMPTY = Buffer.alloc(0);
const ZERO_BYTE = Buffer.from([0]);

export function toBuffer(b: Bytes): Buffer {
  if (typeof b === 'string') return Buffer.from(b, 'utf8');
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

export function b64(b: Bytes): string {
  return toBuffer(b).toString('base64');
}

/** The smallest key greater than every key starting with `prefix` (etcd's GetPrefixRangeEnd); '\0' = no end. */
export function prefixEnd(prefix: Bytes): Buffer {
  const p = toBuffer(prefix);
  for (let i = p.length - 1; i >= 0; i--) {
    if (p[i]! < 0xff) {
      const end = Buffer.from(p.subarray(0, i + 1));
      end[i]! += 1;
      return end;
    }
  }
  return ZERO_BYTE;
}

const ID_RE = /^-?\d{1,20}$/;

/** Ids are spliced into JSON by hand, so only accept decimal integers. */
export function checkId(id: string, what: string): string {
  if (!ID_RE.test(id)) throw new TypeError(`${what} must be a decimal integer string, got ${JSON.stringify(id)}`);
  return id;
}

function checkInt(n: number, what: string): number {
  if (!Number.isSafeInteger(n)) throw new TypeError(`${what} must be a safe integer, got ${n}`);
  return n;
}

/** `"key":"..","range_end":".."` for a key plus range options (etcd's empty-key prefix rule included). */
function keyFields(key: Bytes, o: KeyRangeOptions | undefined): string {
  let k = toBuffer(key);
  let end: Buffer | undefined;
  if (o?.prefix) {
    if (k.length === 0) {
      // clientv3: prefix "" means every key, spelled key="\0" range_end="\0".
      k = ZERO_BYTE;
      end = ZERO_BYTE;
    } else end = prefixEnd(k);
  } else if (o?.fromKey) {
    if (k.length === 0) k = ZERO_BYTE;
    end = ZERO_BYTE;
  } else if (o?.rangeEnd !== undefined) end = toBuffer(o.rangeEnd);
  let s = `"key":"${k.toString('base64')}"`;
  if (end !== undefined && end.length > 0) s += `,"range_end":"${end.toString('base64')}"`;
  return s;
}

function intField(name: string, v: number | undefined, s: string[]): void {
  if (v !== undefined && v !== 0) s.push(`"${name}":"${checkInt(v, name)}"`);
}

export function encodeRange(key: Bytes, o?: RangeOptions): string {
  const s = [keyFields(key, o)];
  if (o) {
    intField('limit', o.limit, s);
    intField('revision', o.revision, s);
    if (o.sortOrder && o.sortOrder !== 'NONE') s.push(`"sort_order":"${o.sortOrder}"`);
    if (o.sortTarget && o.sortTarget !== 'KEY') s.push(`"sort_target":"${o.sortTarget}"`);
    if (o.serializable) s.push('"serializable":true');
    if (o.keysOnly) s.push('"keys_only":true');
    if (o.countOnly) s.push('"count_only":true');
    intField('min_mod_revision', o.minModRevision, s);
    intField('max_mod_revision', o.maxModRevision, s);
    intField('min_create_revision', o.minCreateRevision, s);
    intField('max_create_revision', o.maxCreateRevision, s);
  }
  return `{${s.join(',')}}`;
}

export function encodePut(key: Bytes, value: Bytes, o?: PutOptions): string {
  let s = `{"key":"${b64(key)}"`;
  const v = toBuffer(value);
  if (v.length > 0) s += `,"value":"${v.toString('base64')}"`;
  if (o) {
    if (o.lease !== undefined && o.lease !== '0') s += `,"lease":"${checkId(o.lease, 'lease')}"`;
    if (o.prevKv) s += ',"prev_kv":true';
    if (o.ignoreValue) s += ',"ignore_value":true';
    if (o.ignoreLease) s += ',"ignore_lease":true';
  }
  return s + '}';
}

export function encodeDeleteRange(key: Bytes, o?: DeleteRangeOptions): string {
  let s = `{${keyFields(key, o)}`;
  if (o?.prevKv) s += ',"prev_kv":true';
  return s + '}';
}

const RESULTS: Record<string, string> = {
  EQUAL: 'EQUAL',
  '=': 'EQUAL',
  GREATER: 'GREATER',
  '>': 'GREATER',
  LESS: 'LESS',
  '<': 'LESS',
  NOT_EQUAL: 'NOT_EQUAL',
  '!=': 'NOT_EQUAL',
};

function encodeCompare(c: Compare): string {
  const result = RESULTS[c.result ?? 'EQUAL'];
  if (!result) throw new TypeError(`unknown compare result ${String(c.result)}`);
  let s = `{${keyFields(c.key, c)},"target":"${c.target}","result":"${result}"`;
  // The operand is always sent, even when zero: "version == 0" is how "key absent" is spelled.
  switch (c.target) {
    case 'VERSION':
      s += `,"version":"${checkInt(c.version, 'version')}"`;
      break;
    case 'CREATE':
      s += `,"create_revision":"${checkInt(c.createRevision, 'createRevision')}"`;
      break;
    case 'MOD':
      s += `,"mod_revision":"${checkInt(c.modRevision, 'modRevision')}"`;
      break;
    case 'VALUE':
      s += `,"value":"${b64(c.value)}"`;
      break;
    case 'LEASE':
      s += `,"lease":"${checkId(c.lease, 'lease')}"`;
      break;
    default:
      throw new TypeError(`unknown compare target ${String((c as { target: unknown }).target)}`);
  }
  return s + '}';
}

function encodeOp(op: RequestOp): string {
  if ('range' in op) return `{"request_range":${encodeRange(op.range.key, op.range)}}`;
  if ('put' in op) return `{"request_put":${encodePut(op.put.key, op.put.value, op.put)}}`;
  if ('deleteRange' in op) return `{"request_delete_range":${encodeDeleteRange(op.deleteRange.key, op.deleteRange)}}`;
  if ('txn' in op) return `{"request_txn":${encodeTxn(op.txn)}}`;
  throw new TypeError('unknown txn op');
}

export function encodeTxn(t: TxnRequest): string {
  const parts: string[] = [];
  if (t.compare?.length) parts.push(`"compare":[${t.compare.map(encodeCompare).join(',')}]`);
  if (t.success?.length) parts.push(`"success":[${t.success.map(encodeOp).join(',')}]`);
  if (t.failure?.length) parts.push(`"failure":[${t.failure.map(encodeOp).join(',')}]`);
  return `{${parts.join(',')}}`;
}

/** A txn whose ops only read can be retried like a range. */
export function txnIsReadOnly(t: TxnRequest): boolean {
  const ro = (ops: RequestOp[] | undefined): boolean =>
    (ops ?? []).every((op) => 'range' in op || ('txn' in op && txnIsReadOnly(op.txn)));
  return ro(t.success) && ro(t.failure);
}

export function encodeWatchCreate(key: Bytes, o?: WatchOptions): string {
  let s = `{"create_request":{${keyFields(key, o)}`;
  if (o) {
    if (o.startRevision) s += `,"start_revision":"${checkInt(o.startRevision, 'startRevision')}"`;
    if (o.prevKv) s += ',"prev_kv":true';
    if (o.progressNotify) s += ',"progress_notify":true';
    if (o.filters?.length) {
      for (const f of o.filters) if (f !== 'NOPUT' && f !== 'NODELETE') throw new TypeError(`unknown filter ${f}`);
      s += `,"filters":[${o.filters.map((f) => `"${f}"`).join(',')}]`;
    }
  }
  return s + '}}';
}

// ---- decoding ----

export function obj(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** int64 counter (revision, version, count, TTL): string or number, absent = 0. */
export function num(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v !== '') return Number(v);
  return 0;
}

/** uint64/int64 id kept exact as a decimal string, absent = '0'. */
export function id(v: unknown): string {
  if (typeof v === 'string' && v !== '') return v;
  if (typeof v === 'number') return String(v);
  return '0';
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function bytes(v: unknown): Buffer {
  return typeof v === 'string' && v !== '' ? Buffer.from(v, 'base64') : EMPTY;
}

export function bool(v: unknown): boolean {
  return v === true;
}

export function decodeHeader(v: unknown): Header {
  const h = obj(v);
  return { clusterId: id(h.cluster_id), memberId: id(h.member_id), revision: num(h.revision), raftTerm: num(h.raft_term) };
}

export function decodeKv(v: unknown): KeyValue {
  const o = obj(v);
  return {
    key: bytes(o.key),
    value: bytes(o.value),
    createRevision: num(o.create_revision),
    modRevision: num(o.mod_revision),
    version: num(o.version),
    lease: id(o.lease),
  };
}

export function decodeRange(o: Json): RangeResponse {
  return { header: decodeHeader(o.header), kvs: arr(o.kvs).map(decodeKv), more: bool(o.more), count: num(o.count) };
}

export function decodePut(o: Json): PutResponse {
  const r: PutResponse = { header: decodeHeader(o.header) };
  if (o.prev_kv !== undefined) r.prevKv = decodeKv(o.prev_kv);
  return r;
}

export function decodeDeleteRange(o: Json): DeleteRangeResponse {
  return { header: decodeHeader(o.header), deleted: num(o.deleted), prevKvs: arr(o.prev_kvs).map(decodeKv) };
}

function decodeResponseOp(v: unknown): ResponseOp {
  const o = obj(v);
  if (o.response_range !== undefined) return { range: decodeRange(obj(o.response_range)) };
  if (o.response_put !== undefined) return { put: decodePut(obj(o.response_put)) };
  if (o.response_delete_range !== undefined) return { deleteRange: decodeDeleteRange(obj(o.response_delete_range)) };
  if (o.response_txn !== undefined) return { txn: decodeTxn(obj(o.response_txn)) };
  throw new Error(`unknown txn response op ${JSON.stringify(o).slice(0, 200)}`);
}

export function decodeTxn(o: Json): TxnResponse {
  return { header: decodeHeader(o.header), succeeded: bool(o.succeeded), responses: arr(o.responses).map(decodeResponseOp) };
}

function decodeEvent(v: unknown): WatchEvent {
  const o = obj(v);
  const e: WatchEvent = { type: o.type === 'DELETE' || o.type === 1 ? 'DELETE' : 'PUT', kv: decodeKv(o.kv) };
  if (o.prev_kv !== undefined) e.prevKv = decodeKv(o.prev_kv);
  return e;
}

export function decodeWatchResponse(o: Json): WatchResponse {
  return {
    header: decodeHeader(o.header),
    watchId: num(o.watch_id),
    created: bool(o.created),
    canceled: bool(o.canceled),
    compactRevision: num(o.compact_revision),
    cancelReason: str(o.cancel_reason),
    fragment: bool(o.fragment),
    events: arr(o.events).map(decodeEvent),
  };
}

export function decodeMember(v: unknown): Member {
  const o = obj(v);
  return {
    id: id(o.ID),
    name: str(o.name),
    peerURLs: arr(o.peerURLs).map(str),
    clientURLs: arr(o.clientURLs).map(str),
    isLearner: bool(o.isLearner),
  };
}
