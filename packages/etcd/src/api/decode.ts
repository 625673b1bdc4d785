// Decoders from a parsed request body (parseJsonBody / JsonObjectStream, or any JSON.parse-like value) to the
// internal request types, failing exactly as etcd 3.4 does.
//
// The rules are golang/protobuf 1.3 jsonpb's (the library inside etcd 3.4's gateway), observed on a real etcd:
// - a field is found under its proto name or its lowerCamel name; if both are present the camel one wins;
//   unknown fields are ignored; `null` means "not set";
// - fields are decoded in the message's declaration order and the first bad one is reported;
// - int64/uint64 accept a number or a string; a string's raw text (escapes not processed) is parsed as JSON;
// - enums accept the name (raw text, case-sensitive) or any int32;
// - `bytes` accept standard base64 (see base64.ts) or, through encoding/json, an array of byte numbers;
// - type mismatches give encoding/json's `json: cannot unmarshal <kind> into Go value of type <T>`.
// Then the server's own checks run before anything is proposed (empty key, txn limits, duplicate keys, ...).
//
// Where etcd 3.4 crashes or misbehaves on nonsense input, we answer an error instead (each case is marked).
import { decodeBase64Key, normalizeBase64 } from './base64.js';
import { goCheckValid, goQuote, JsonNumber, JsonString } from './go-json.js';
import {
  Errors,
  MAX_TXN_OPS,
  type CompactionRequest,
  type Compare,
  type CompareResult,
  type CompareTarget,
  type DeleteRangeRequest,
  type EtcdError,
  type LeaseGrantRequest,
  type LeaseRevokeRequest,
  type PutRequest,
  type RangeRequest,
  type RequestOp,
  type SortOrder,
  type SortTarget,
  type TxnRequest,
  type WatchCreateRequest,
  type WatchFilter,
  type WatchRequest,
} from './types.js';
import type {
  AlarmAction,
  AlarmRequest,
  AlarmType,
  HashKVRequest,
  LeaseKeepAliveRequest,
  LeaseTimeToLiveRequest,
  MemberAddRequest,
  MemberPromoteRequest,
  MemberRemoveRequest,
  MemberUpdateRequest,
  TransferLeadershipRequest,
} from './wire-types.js';

type Obj = { readonly [key: string]: unknown };

// ------------------------------------------------------------------------------------------------ field access

const hasOwn = Object.prototype.hasOwnProperty;

function isWrapped(v: object): boolean {
  return v instanceof JsonNumber || v instanceof JsonString;
}

/** encoding/json's name for the JSON kind of a value, as used in its type errors. */
function kindOf(v: unknown): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'string':
      return 'string';
    case 'number':
    case 'bigint':
      return 'number';
    case 'object':
      if (Array.isArray(v)) return 'array';
      if (v instanceof JsonNumber) return 'number';
      if (v instanceof JsonString) return 'string';
      return 'object';
    default:
      return 'object';
  }
}

function typeError(kind: string, goType: string): EtcdError {
  return Errors.invalidArgument(`json: cannot unmarshal ${kind} into Go value of type ${goType}`);
}

/** A message-typed value: an object, or absent/null (unset). jsonpb reads a message into map[string]json.RawMessage. */
function message(v: unknown): Obj | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object' && !Array.isArray(v) && !isWrapped(v)) return v as Obj;
  throw typeError(kindOf(v), 'map[string]json.RawMessage');
}

/** A top-level body; an empty body (undefined) is `{}`, like the gateway's handling of io.EOF. */
function top(v: unknown): Obj | undefined {
  return message(v);
}

function field(o: Obj | undefined, orig: string, camel?: string): unknown {
  if (o === undefined) return undefined;
  if (camel !== undefined && hasOwn.call(o, camel)) return o[camel];
  return hasOwn.call(o, orig) ? o[orig] : undefined;
}

function repeated(v: unknown): readonly unknown[] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v as unknown[];
  throw typeError(kindOf(v), '[]json.RawMessage');
}

/**
 * jsonpb also treats a oneof's own name as a field of interface type: anything but null under it fails to decode.
 * (Only the proto name: Go derives no camel name for it.)
 */
function oneofGroup(o: Obj | undefined, name: string, goType: string): void {
  const v = field(o, name);
  if (v !== undefined && v !== null) throw typeError(kindOf(v), goType);
}

// ------------------------------------------------------------------------------------------------ scalars

interface IntType {
  name: string;
  min: bigint;
  max: bigint;
  unsigned: boolean;
}
const INT64: IntType = { name: 'int64', min: -(2n ** 63n), max: 2n ** 63n - 1n, unsigned: false };
const UINT64: IntType = { name: 'uint64', min: 0n, max: 2n ** 64n - 1n, unsigned: true };
const UINT8: IntType = { name: 'uint8', min: 0n, max: 255n, unsigned: true };
function int32Type(name: string): IntType {
  return { name, min: -(2n ** 31n), max: 2n ** 31n - 1n, unsigned: false };
}

const INT_TEXT = /^-?\d+$/;

/** strconv.ParseInt/ParseUint + overflow check on a JSON number's literal text. */
function parseIntText(text: string, t: IntType): bigint {
  if (INT_TEXT.test(text) && !(t.unsigned && text.charCodeAt(0) === 0x2d)) {
    const n = BigInt(text);
    if (n >= t.min && n <= t.max) return n;
  }
  throw typeError(`number ${text}`, t.name);
}

function numberText(v: number | JsonNumber): string {
  if (v instanceof JsonNumber) return v.raw;
  return Object.is(v, -0) ? '-0' : String(v);
}

/** The bytes between a string's quotes as a binary string (jsonpb reads numbers and enums from these). */
function rawStringBytes(v: string | JsonString): string {
  if (v instanceof JsonString) return v.raw;
  return /^[\x00-\x7f]*$/.test(v) ? v : Buffer.from(v, 'utf8').toString('latin1');
}

function trimSpaces(s: string): string {
  let a = 0;
  let b = s.length;
  const sp = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
  while (a < b && sp(s.charCodeAt(a))) a++;
  while (b > a && sp(s.charCodeAt(b - 1))) b--;
  return s.slice(a, b);
}

/** A quoted integer: jsonpb strips the quotes and json.Unmarshal's the rest, so `"abc"` is a syntax error. */
function intFromQuoted(inner: string, t: IntType): bigint {
  const err = goCheckValid(Buffer.from(inner, 'latin1'));
  if (err !== undefined) throw Errors.invalidArgument(err);
  const text = trimSpaces(inner);
  switch (text.charCodeAt(0)) {
    case 0x6e: // null: ignored for a number
      return 0n;
    case 0x74:
    case 0x66:
      throw typeError('bool', t.name);
    case 0x5b:
      throw typeError('array', t.name);
    case 0x7b:
      throw typeError('object', t.name);
    case 0x22:
      throw typeError('string', t.name);
    default:
      return parseIntText(text, t);
  }
}

function intOf(v: unknown, t: IntType): bigint {
  if (v === undefined || v === null) return 0n;
  if (typeof v === 'number' || v instanceof JsonNumber) return parseIntText(numberText(v), t);
  if (typeof v === 'string' || v instanceof JsonString) {
    // The common spelling, a plain decimal, needs no JSON re-validation.
    if (typeof v === 'string' && DECIMAL.test(v)) return parseIntText(v, t);
    return intFromQuoted(rawStringBytes(v), t);
  }
  throw typeError(kindOf(v), t.name);
}

/** A decimal integer as JSON writes it (no leading zeros). */
const DECIMAL = /^-?(?:0|[1-9]\d*)$/;
/** ... and short enough to be exact as a double. */
const PLAIN_INT = /^-?(?:0|[1-9]\d{0,14})$/;

/** int64 as a JS number (revisions, counts, TTLs stay far below 2^53; beyond that precision is not needed). */
function int64(v: unknown): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v === 0 ? 0 : v; // parsed from a plain literal
  if (typeof v === 'string' && PLAIN_INT.test(v)) return v === '-0' ? 0 : Number(v);
  return Number(intOf(v, INT64));
}

function idOf(v: unknown, t: IntType): string {
  return intOf(v, t).toString();
}

function boolOf(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  throw typeError(kindOf(v), 'bool');
}

function stringOf(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (v instanceof JsonString) return v.value;
  throw typeError(kindOf(v), 'string');
}

/** An enum by name (raw text) or number; returns the number, which may be outside the known names. */
function enumOf(v: unknown, names: readonly string[], goType: string): number {
  if (v === undefined || v === null) return 0;
  if (typeof v === 'string' || v instanceof JsonString) {
    const raw = rawStringBytes(v);
    const i = names.indexOf(raw);
    if (i >= 0) return i;
    throw Errors.invalidArgument(`unknown value ${goQuote(raw, true)} for enum ${goType}`);
  }
  if (typeof v === 'number' || v instanceof JsonNumber) return Number(parseIntText(numberText(v), int32Type(goType)));
  throw typeError(kindOf(v), goType);
}

/** encoding/json decodes a JSON array into []byte element by element, keeping the first error. */
function byteArray(a: readonly unknown[]): Buffer {
  const out = Buffer.alloc(a.length);
  let first: EtcdError | undefined;
  for (let i = 0; i < a.length; i++) {
    const e = a[i];
    if (e === null) continue;
    if (typeof e === 'number' || e instanceof JsonNumber) {
      try {
        out[i] = Number(parseIntText(numberText(e), UINT8));
      } catch (err) {
        first ??= err as EtcdError;
      }
    } else {
      first ??= typeError(kindOf(e), 'uint8');
    }
  }
  if (first) throw first;
  return out;
}

/** A `bytes` field as a binary string (keys). */
function keyOf(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return decodeBase64Key(v);
  if (v instanceof JsonString) return decodeBase64Key(v.value);
  if (Array.isArray(v)) return byteArray(v as unknown[]).toString('latin1');
  throw typeError(kindOf(v), '[]uint8');
}

/** A `bytes` field kept as canonical base64 (values). */
function valueOf(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return normalizeBase64(v);
  if (v instanceof JsonString) return normalizeBase64(v.value);
  if (Array.isArray(v)) return byteArray(v as unknown[]).toString('base64');
  throw typeError(kindOf(v), '[]uint8');
}

// ------------------------------------------------------------------------------------------------ KV

const SORT_ORDERS: readonly SortOrder[] = ['NONE', 'ASCEND', 'DESCEND'];
const SORT_TARGETS: readonly SortTarget[] = ['KEY', 'VERSION', 'CREATE', 'MOD', 'VALUE'];
const COMPARE_RESULTS: readonly CompareResult[] = ['EQUAL', 'GREATER', 'LESS', 'NOT_EQUAL'];
const COMPARE_TARGETS: readonly CompareTarget[] = ['VERSION', 'CREATE', 'MOD', 'VALUE', 'LEASE'];
const FILTERS: readonly WatchFilter[] = ['NOPUT', 'NODELETE'];
const FILTER_TYPE = 'etcdserverpb.WatchCreateRequest_FilterType';

/** Problems found while decoding that etcd would only hit later (so they are reported after its own checks). */
interface DecodeCtx {
  badSort: boolean;
}

function rangeFields(o: Obj | undefined, ctx: DecodeCtx): RangeRequest {
  const key = keyOf(field(o, 'key'));
  const rangeEnd = keyOf(field(o, 'range_end', 'rangeEnd'));
  const limit = int64(field(o, 'limit'));
  const revision = int64(field(o, 'revision'));
  const order = enumOf(field(o, 'sort_order', 'sortOrder'), SORT_ORDERS, 'etcdserverpb.RangeRequest_SortOrder');
  const target = enumOf(field(o, 'sort_target', 'sortTarget'), SORT_TARGETS, 'etcdserverpb.RangeRequest_SortTarget');
  const serializable = boolOf(field(o, 'serializable'));
  const keysOnly = boolOf(field(o, 'keys_only', 'keysOnly'));
  const countOnly = boolOf(field(o, 'count_only', 'countOnly'));
  const minModRevision = int64(field(o, 'min_mod_revision', 'minModRevision'));
  const maxModRevision = int64(field(o, 'max_mod_revision', 'maxModRevision'));
  const minCreateRevision = int64(field(o, 'min_create_revision', 'minCreateRevision'));
  const maxCreateRevision = int64(field(o, 'max_create_revision', 'maxCreateRevision'));
  let sortOrder = SORT_ORDERS[order];
  let sortTarget = SORT_TARGETS[target];
  if (sortTarget === undefined) {
    // etcd 3.4 panics sorting by an unknown target; we refuse it with 3.5's error instead.
    ctx.badSort = true;
    sortTarget = 'KEY';
  }
  if (sortOrder === undefined) {
    // An unknown order sorts nothing in etcd (neither ASCEND nor DESCEND), which is NONE by KEY here.
    sortOrder = 'NONE';
    sortTarget = 'KEY';
  }
  return {
    key,
    rangeEnd,
    limit,
    revision,
    sortOrder,
    sortTarget,
    serializable,
    keysOnly,
    countOnly,
    minModRevision,
    maxModRevision,
    minCreateRevision,
    maxCreateRevision,
  };
}

function putFields(o: Obj | undefined): PutRequest {
  return {
    key: keyOf(field(o, 'key')),
    value: valueOf(field(o, 'value')),
    lease: idOf(field(o, 'lease'), INT64),
    prevKv: boolOf(field(o, 'prev_kv', 'prevKv')),
    ignoreValue: boolOf(field(o, 'ignore_value', 'ignoreValue')),
    ignoreLease: boolOf(field(o, 'ignore_lease', 'ignoreLease')),
  };
}

function deleteRangeFields(o: Obj | undefined): DeleteRangeRequest {
  return {
    key: keyOf(field(o, 'key')),
    rangeEnd: keyOf(field(o, 'range_end', 'rangeEnd')),
    prevKv: boolOf(field(o, 'prev_kv', 'prevKv')),
  };
}

function compareFields(o: Obj | undefined): Compare {
  const result = enumOf(field(o, 'result'), COMPARE_RESULTS, 'etcdserverpb.Compare_CompareResult');
  const target = enumOf(field(o, 'target'), COMPARE_TARGETS, 'etcdserverpb.Compare_CompareTarget');
  const key = keyOf(field(o, 'key'));
  oneofGroup(o, 'target_union', 'etcdserverpb.isCompare_TargetUnion');
  const rangeEnd = keyOf(field(o, 'range_end', 'rangeEnd'));
  // target_union members. etcd keeps one of them at random when several are sent; we keep them all and the
  // store reads the one matching `target` (what etcd does when its random pick is that one).
  const version = int64(field(o, 'version'));
  const createRevision = int64(field(o, 'create_revision', 'createRevision'));
  const modRevision = int64(field(o, 'mod_revision', 'modRevision'));
  const value = valueOf(field(o, 'value'));
  const lease = idOf(field(o, 'lease'), INT64);
  const r = COMPARE_RESULTS[result];
  const t = COMPARE_TARGETS[target];
  if (r !== undefined && t !== undefined) return { key, rangeEnd, target: t, result: r, version, createRevision, modRevision, value, lease };
  return constantCompare(key, rangeEnd, t, r);
}

/**
 * Unknown enum numbers (accepted by jsonpb): etcd's compareKV then compares nothing (an unknown target leaves the
 * comparison at "equal") or answers true (an unknown result), and a VALUE compare fails on a missing key.
 * The outcome no longer depends on the stored data, except for existence, so it is rewritten as a version compare
 * with the same outcome on every key.
 */
function constantCompare(key: string, rangeEnd: string, t: CompareTarget | undefined, r: CompareResult | undefined): Compare {
  const base = { key, rangeEnd, target: 'VERSION' as const, createRevision: 0, modRevision: 0, value: '', lease: '0' };
  let outcome: 'true' | 'false' | 'exists';
  if (t === undefined) outcome = r === undefined || r === 'EQUAL' ? 'true' : 'false';
  else outcome = t === 'VALUE' ? 'exists' : 'true';
  if (outcome === 'true') return { ...base, result: 'GREATER', version: -1 }; // every version is >= 0
  if (outcome === 'false') return { ...base, result: 'LESS', version: 0 };
  return { ...base, result: 'GREATER', version: 0 }; // version > 0 iff the key exists
}

/** A txn as decoded, before the checks: an op may be empty (no request set), which etcd rejects. */
interface DTxn {
  compare: Compare[];
  success: DOp[];
  failure: DOp[];
}
type DOp =
  | { requestRange: RangeRequest }
  | { requestPut: PutRequest }
  | { requestDeleteRange: DeleteRangeRequest }
  | { requestTxn: DTxn }
  | { empty: true };

/** A null array element: etcd 3.4 keeps a nil message and crashes on it; we read it as an empty message. */
function element(v: unknown): Obj | undefined {
  return message(v);
}

function opFields(o: Obj | undefined, ctx: DecodeCtx): DOp {
  oneofGroup(o, 'request', 'etcdserverpb.isRequestOp_Request');
  // Several members set: etcd keeps one at random; we keep the last in field order. null = not set.
  let op: DOp = { empty: true };
  const range = field(o, 'request_range', 'requestRange');
  if (range !== undefined && range !== null) op = { requestRange: rangeFields(message(range), ctx) };
  const put = field(o, 'request_put', 'requestPut');
  if (put !== undefined && put !== null) op = { requestPut: putFields(message(put)) };
  const del = field(o, 'request_delete_range', 'requestDeleteRange');
  if (del !== undefined && del !== null) op = { requestDeleteRange: deleteRangeFields(message(del)) };
  const txn = field(o, 'request_txn', 'requestTxn');
  if (txn !== undefined && txn !== null) op = { requestTxn: txnFields(message(txn), ctx) };
  return op;
}

function txnFields(o: Obj | undefined, ctx: DecodeCtx): DTxn {
  return {
    compare: repeated(field(o, 'compare')).map((e) => compareFields(element(e))),
    success: repeated(field(o, 'success')).map((e) => opFields(element(e), ctx)),
    failure: repeated(field(o, 'failure')).map((e) => opFields(element(e), ctx)),
  };
}

// The server-side checks of etcdserver/api/v3rpc/key.go, in its order.

function checkRange(r: RangeRequest): void {
  if (r.key === '') throw Errors.keyNotProvided();
}

function checkPut(r: PutRequest): void {
  if (r.key === '') throw Errors.keyNotProvided();
  if (r.ignoreValue && r.value !== '') throw Errors.valueProvided();
  if (r.ignoreLease && r.lease !== '0') throw Errors.leaseProvided();
}

function checkDelete(r: DeleteRangeRequest): void {
  if (r.key === '') throw Errors.keyNotProvided();
}

function checkTxn(r: DTxn, maxTxnOps: number): void {
  const opc = Math.max(r.compare.length, r.success.length, r.failure.length);
  if (opc > maxTxnOps) throw Errors.tooManyOps();
  for (const c of r.compare) if (c.key === '') throw Errors.keyNotProvided();
  for (const u of r.success) checkOp(u, maxTxnOps - opc);
  for (const u of r.failure) checkOp(u, maxTxnOps - opc);
}

function checkOp(u: DOp, maxTxnOps: number): void {
  if ('requestRange' in u) checkRange(u.requestRange);
  else if ('requestPut' in u) checkPut(u.requestPut);
  else if ('requestDeleteRange' in u) checkDelete(u.requestDeleteRange);
  else if ('requestTxn' in u) checkTxn(u.requestTxn, maxTxnOps);
  else throw Errors.invalidArgument('etcdserver: key not found');
}

/** etcd's adt.StringAffineComparable: '' sorts after every other string. */
function affineCmp(a: string, b: string): number {
  if (a === '') return b === '' ? 0 : 1;
  if (b === '') return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Ivl {
  begin: string;
  end: string;
}

/** adt.Interval.Compare(point, x) === 0: how etcd's interval tree decides a put key hits a delete range. */
function hits(dels: readonly Ivl[], k: string): boolean {
  const kEnd = k + '\0';
  for (const x of dels) {
    if (affineCmp(k, x.begin) < 0 && affineCmp(kEnd, x.begin) <= 0) continue;
    if (affineCmp(k, x.end) >= 0) continue;
    return true;
  }
  return false;
}

/**
 * etcd's checkIntervals: a key may not be put twice, nor put and deleted, in one branch (nested txns included;
 * the two branches of a nested txn may put the same key). A delete with range_end "\0" is compared as the
 * inverted interval [key, "\0") and so never conflicts, as in etcd.
 */
function checkIntervals(reqs: readonly DOp[]): { puts: Set<string>; dels: Ivl[] } {
  const dels: Ivl[] = [];
  for (const r of reqs) {
    if (!('requestDeleteRange' in r)) continue;
    const d = r.requestDeleteRange;
    dels.push(d.rangeEnd !== '' ? { begin: d.key, end: d.rangeEnd } : { begin: d.key, end: d.key + '\0' });
  }
  const puts = new Set<string>();
  for (const r of reqs) {
    if (!('requestTxn' in r)) continue;
    const then = checkIntervals(r.requestTxn.success);
    const otherwise = checkIntervals(r.requestTxn.failure);
    for (const k of then.puts) {
      if (puts.has(k) || hits(dels, k)) throw Errors.duplicateKey();
      puts.add(k);
    }
    for (const k of otherwise.puts) {
      if ((puts.has(k) && !then.puts.has(k)) || hits(dels, k)) throw Errors.duplicateKey();
      puts.add(k);
    }
    dels.push(...then.dels, ...otherwise.dels);
  }
  for (const r of reqs) {
    if (!('requestPut' in r)) continue;
    const k = r.requestPut.key;
    if (puts.has(k) || hits(dels, k)) throw Errors.duplicateKey();
    puts.add(k);
  }
  return { puts, dels };
}

function finishOp(u: DOp): RequestOp {
  if ('requestTxn' in u) return { requestTxn: finishTxn(u.requestTxn) };
  if ('empty' in u) throw Errors.invalidArgument('etcdserver: key not found'); // unreachable after checkTxn
  return u;
}

function finishTxn(d: DTxn): TxnRequest {
  return { compare: d.compare, success: d.success.map(finishOp), failure: d.failure.map(finishOp) };
}

function invalidSortOption(): EtcdError {
  return Errors.invalidArgument('etcdserver: invalid sort option');
}

export function decodeRangeRequest(v: unknown): RangeRequest {
  const ctx: DecodeCtx = { badSort: false };
  const r = rangeFields(top(v), ctx);
  checkRange(r);
  if (ctx.badSort) throw invalidSortOption();
  return r;
}

export function decodePutRequest(v: unknown): PutRequest {
  const r = putFields(top(v));
  checkPut(r);
  return r;
}

export function decodeDeleteRangeRequest(v: unknown): DeleteRangeRequest {
  const r = deleteRangeFields(top(v));
  checkDelete(r);
  return r;
}

export function decodeTxnRequest(v: unknown, maxTxnOps: number = MAX_TXN_OPS): TxnRequest {
  const ctx: DecodeCtx = { badSort: false };
  const d = txnFields(top(v), ctx);
  checkTxn(d, maxTxnOps);
  checkIntervals(d.success);
  checkIntervals(d.failure);
  if (ctx.badSort) throw invalidSortOption();
  return finishTxn(d);
}

export function decodeCompactionRequest(v: unknown): CompactionRequest {
  const o = top(v);
  return { revision: int64(field(o, 'revision')), physical: boolOf(field(o, 'physical')) };
}

// ------------------------------------------------------------------------------------------------ lease

/** `ID` '0' means "server assigns", as in etcd. TTL is taken as sent (the server applies its minimum and maximum). */
export function decodeLeaseGrantRequest(v: unknown): LeaseGrantRequest {
  const o = top(v);
  const ttl = int64(field(o, 'TTL'));
  return { id: idOf(field(o, 'ID'), INT64), ttl };
}

export function decodeLeaseRevokeRequest(v: unknown): LeaseRevokeRequest {
  return { id: idOf(field(top(v), 'ID'), INT64) };
}

/** One message of the keepalive stream. */
export function decodeLeaseKeepAliveRequest(v: unknown): LeaseKeepAliveRequest {
  return { id: idOf(field(top(v), 'ID'), INT64) };
}

export function decodeLeaseTimeToLiveRequest(v: unknown): LeaseTimeToLiveRequest {
  const o = top(v);
  return { id: idOf(field(o, 'ID'), INT64), keys: boolOf(field(o, 'keys')) };
}

/**
 * Requests without fields (lease leases, member list, status, hash, defragment, snapshot, alarm-less ones):
 * the body must still be an object (or empty / null).
 */
export function decodeEmptyRequest(v: unknown): Record<string, never> {
  top(v);
  return {};
}

// ------------------------------------------------------------------------------------------------ watch

function watchCreateFields(o: Obj | undefined): WatchCreateRequest {
  const key = keyOf(field(o, 'key'));
  const rangeEnd = keyOf(field(o, 'range_end', 'rangeEnd'));
  const startRevision = int64(field(o, 'start_revision', 'startRevision'));
  const progressNotify = boolOf(field(o, 'progress_notify', 'progressNotify'));
  const filters: WatchFilter[] = [];
  const rawFilters = field(o, 'filters');
  if (typeof rawFilters === 'string' || rawFilters instanceof JsonString) {
    // jsonpb tries a string as an enum name before it looks at the field being repeated.
    enumOf(rawFilters, FILTERS, FILTER_TYPE);
    throw Errors.invalidArgument(`invalid target "slice" for enum ${FILTER_TYPE}`);
  }
  for (const e of repeated(rawFilters)) {
    // An unknown filter number is ignored by etcd's FiltersFromRequest.
    const f = FILTERS[enumOf(e, FILTERS, FILTER_TYPE)];
    if (f !== undefined) filters.push(f);
  }
  const prevKv = boolOf(field(o, 'prev_kv', 'prevKv'));
  const watchId = int64(field(o, 'watch_id', 'watchId'));
  const fragment = boolOf(field(o, 'fragment'));
  return { key, rangeEnd, startRevision, progressNotify, filters, prevKv, watchId, fragment };
}

/**
 * One message of the watch stream. `undefined` when no request is set (`{}`): etcd ignores such a message.
 * Decode errors are 400/3 like every decoder's; on a stream etcd answers them as 500/2 (see streamDecodeError).
 */
export function decodeWatchRequest(v: unknown): WatchRequest | undefined {
  const o = top(v);
  oneofGroup(o, 'request_union', 'etcdserverpb.isWatchRequest_RequestUnion');
  let r: WatchRequest | undefined;
  const create = field(o, 'create_request', 'createRequest');
  if (create !== undefined && create !== null) r = { createRequest: watchCreateFields(message(create)) };
  const cancel = field(o, 'cancel_request', 'cancelRequest');
  if (cancel !== undefined && cancel !== null) r = { cancelRequest: { watchId: int64(field(message(cancel), 'watch_id', 'watchId')) } };
  const progress = field(o, 'progress_request', 'progressRequest');
  if (progress !== undefined && progress !== null) {
    message(progress);
    r = { progressRequest: {} };
  }
  return r;
}

// ------------------------------------------------------------------------------------------------ cluster

function badURLs(): EtcdError {
  return Errors.invalidArgument('etcdserver: given member URLs are invalid');
}

const HOST_CHAR = /^[A-Za-z0-9\-._~!$&'()*+,;=:[\]<>"%\x80-\uffff]*$/;

/** net.SplitHostPort's acceptance (the port may be empty, as in Go). */
function splitsHostPort(hostport: string): boolean {
  if (hostport.startsWith('[')) {
    const close = hostport.indexOf(']');
    if (close < 0) return false;
    if (close + 1 === hostport.length || hostport[close + 1] !== ':') return false;
    const port = hostport.slice(close + 2);
    return !port.includes(':') && !port.includes('[') && !port.includes(']') && !hostport.slice(1, close).includes('[');
  }
  const i = hostport.lastIndexOf(':');
  if (i < 0) return false;
  const host = hostport.slice(0, i);
  return !host.includes(':') && !hostport.includes('[') && !hostport.includes(']');
}

/**
 * etcd's types.NewURLs, used by member add: each URL trimmed, parsed, scheme http/https/unix/unixs,
 * "host:port" authority, no path; the list must be non-empty and is returned sorted.
 * Returns the URLs as etcd stores them (url.URL.String(): the scheme lower-cased).
 */
export function normalizeMemberURLs(urls: readonly string[]): string[] {
  if (urls.length === 0) throw badURLs();
  const out: string[] = [];
  for (const raw of urls) {
    const s = raw.trim();
    if (/[\x00-\x1f\x7f]/.test(s)) throw badURLs();
    const m = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(s);
    if (!m) throw badURLs();
    const scheme = m[1]!.toLowerCase();
    if (scheme !== 'http' && scheme !== 'https' && scheme !== 'unix' && scheme !== 'unixs') throw badURLs();
    let rest = m[2]!;
    const hash = rest.indexOf('#');
    const beforeFragment = hash >= 0 ? rest.slice(0, hash) : rest;
    const q = beforeFragment.indexOf('?');
    rest = q >= 0 ? beforeFragment.slice(0, q) : beforeFragment;
    if (!rest.startsWith('//')) throw badURLs();
    const authority = rest.slice(2);
    if (authority.includes('/')) throw badURLs(); // a path, even "/", is refused
    const at = authority.lastIndexOf('@');
    const host = at >= 0 ? authority.slice(at + 1) : authority;
    if (!HOST_CHAR.test(host)) throw badURLs();
    // In a host, %-escapes may only encode non-ASCII bytes, or be %25 (IPv6 zones): Go's url.unescape.
    for (let i = host.indexOf('%'); i >= 0; i = host.indexOf('%', i + 1)) {
      const hex = host.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex) || (parseInt(hex[0]!, 16) < 8 && hex !== '25')) throw badURLs();
    }
    const colon = host.startsWith('[') ? host.indexOf(':', host.indexOf(']')) : host.lastIndexOf(':');
    if (colon >= 0 && !/^\d*$/.test(host.slice(colon + 1))) throw badURLs();
    if (!splitsHostPort(host)) throw badURLs();
    out.push(scheme + s.slice(m[1]!.length));
  }
  return out.sort();
}

function stringList(v: unknown): string[] {
  return repeated(v).map((e) => stringOf(e));
}

export function decodeMemberAddRequest(v: unknown): MemberAddRequest {
  const o = top(v);
  const peerURLs = stringList(field(o, 'peerURLs'));
  const isLearner = boolOf(field(o, 'isLearner'));
  return { peerURLs: normalizeMemberURLs(peerURLs), isLearner };
}

export function decodeMemberRemoveRequest(v: unknown): MemberRemoveRequest {
  return { id: idOf(field(top(v), 'ID'), UINT64) };
}

/** etcd 3.4 does not validate these URLs and then panics applying bad ones; we check them as member add does. */
export function decodeMemberUpdateRequest(v: unknown): MemberUpdateRequest {
  const o = top(v);
  const id = idOf(field(o, 'ID'), UINT64);
  const peerURLs = stringList(field(o, 'peerURLs'));
  return { id, peerURLs: normalizeMemberURLs(peerURLs) };
}

export function decodeMemberPromoteRequest(v: unknown): MemberPromoteRequest {
  return { id: idOf(field(top(v), 'ID'), UINT64) };
}

// ------------------------------------------------------------------------------------------------ maintenance

export function decodeTransferLeadershipRequest(v: unknown): TransferLeadershipRequest {
  return { targetId: idOf(field(top(v), 'targetID'), UINT64) };
}

/** HashKV has no gateway route in etcd 3.4 (its path is shadowed by Hash); kept for internal callers. */
export function decodeHashKVRequest(v: unknown): HashKVRequest {
  return { revision: int64(field(top(v), 'revision')) };
}

const ALARM_ACTIONS: readonly AlarmAction[] = ['GET', 'ACTIVATE', 'DEACTIVATE'];
const ALARM_TYPES: readonly AlarmType[] = ['NONE', 'NOSPACE', 'CORRUPT'];

/** Unknown enum numbers are refused: etcd 3.4 crashes on an unknown action. */
export function decodeAlarmRequest(v: unknown): AlarmRequest {
  const o = top(v);
  const action = enumOf(field(o, 'action'), ALARM_ACTIONS, 'etcdserverpb.AlarmRequest_AlarmAction');
  const memberId = idOf(field(o, 'memberID'), UINT64);
  const alarm = enumOf(field(o, 'alarm'), ALARM_TYPES, 'etcdserverpb.AlarmType');
  const a = ALARM_ACTIONS[action];
  const t = ALARM_TYPES[alarm];
  if (a === undefined) throw Errors.invalidArgument(`etcdserver: unknown alarm action ${action}`);
  if (t === undefined) throw Errors.invalidArgument(`etcdserver: unknown alarm type ${alarm}`);
  return { action: a, memberId, alarm: t };
}
