// Request builders with etcd's defaults, so tests state only what matters.
import type {
  Compare,
  DeleteRangeRequest,
  KeyValue,
  PutRequest,
  RangeRequest,
  RequestOp,
  TxnRequest,
  WatchCreateRequest,
  WatchEvent,
} from '../../src/api/types.js';
import { MvccStore } from '../../src/mvcc/index.js';
import { rangeRequest } from '../../src/api/types.js';

export const b64 = (s: string): string => Buffer.from(s, 'latin1').toString('base64');
export const unb64 = (s: string): string => Buffer.from(s, 'base64').toString('latin1');

export function rangeReq(key: string, more: Partial<RangeRequest> = {}): RangeRequest {
  return rangeRequest(key, more);
}

/** Value given as plain text; stored base64. */
export function putReq(key: string, value: string, more: Partial<PutRequest> = {}): PutRequest {
  return { key, value: b64(value), lease: '0', prevKv: false, ignoreValue: false, ignoreLease: false, ...more };
}

export function delReq(key: string, rangeEnd = '', more: Partial<DeleteRangeRequest> = {}): DeleteRangeRequest {
  return { key, rangeEnd, prevKv: false, ...more };
}

export function cmp(key: string, target: Compare['target'], result: Compare['result'], v: number | string, rangeEnd = ''): Compare {
  const c: Compare = { key, rangeEnd, target, result, version: 0, createRevision: 0, modRevision: 0, value: '', lease: '0' };
  switch (target) {
    case 'VERSION':
      c.version = v as number;
      break;
    case 'CREATE':
      c.createRevision = v as number;
      break;
    case 'MOD':
      c.modRevision = v as number;
      break;
    case 'VALUE':
      c.value = b64(v as string);
      break;
    case 'LEASE':
      c.lease = String(v);
      break;
  }
  return c;
}

export function txnReq(compare: Compare[], success: RequestOp[], failure: RequestOp[] = []): TxnRequest {
  return { compare, success, failure };
}

export const opPut = (key: string, value: string, more: Partial<PutRequest> = {}): RequestOp => ({ requestPut: putReq(key, value, more) });
export const opDel = (key: string, rangeEnd = '', more: Partial<DeleteRangeRequest> = {}): RequestOp => ({
  requestDeleteRange: delReq(key, rangeEnd, more),
});
export const opRange = (key: string, more: Partial<RangeRequest> = {}): RequestOp => ({ requestRange: rangeReq(key, more) });
export const opTxn = (t: TxnRequest): RequestOp => ({ requestTxn: t });

export function watchReq(key: string, more: Partial<WatchCreateRequest> = {}): WatchCreateRequest {
  return { key, rangeEnd: '', startRevision: 0, progressNotify: false, filters: [], prevKv: false, watchId: 0, fragment: false, ...more };
}

export function kv(key: string, value: string, createRevision: number, modRevision: number, version: number, lease = '0'): KeyValue {
  return { key, value: b64(value), createRevision, modRevision, version, lease };
}

/** Keys of a range result, for terse assertions. */
export function keys(store: MvccStore, key: string, more: Partial<RangeRequest> = {}): string[] {
  return store.range(rangeReq(key, more)).kvs.map((x) => x.key);
}

export interface Delivery {
  revision: number;
  events: WatchEvent[];
}

/** A sink that records every call. */
export function recorder(): { calls: Delivery[]; sink: (events: WatchEvent[], revision: number) => void } {
  const calls: Delivery[] = [];
  return { calls, sink: (events, revision) => calls.push({ revision, events }) };
}

/** Compact summary of watch events: "PUT a=1@3" / "DELETE a@4". */
export function summarize(events: WatchEvent[]): string[] {
  return events.map((e) =>
    e.type === 'PUT' ? `PUT ${e.kv.key}=${unb64(e.kv.value)}@${e.kv.modRevision}` : `DELETE ${e.kv.key}@${e.kv.modRevision}`,
  );
}
