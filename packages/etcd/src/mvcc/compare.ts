// Txn compares, after etcd's applyCompare/compareKV.
import type { Compare, KeyValue, LeaseId } from '../api/types.js';
import { toKeyRange } from './key-range.js';
import { ALL, type ReadView } from './txn-view.js';

const MISSING: KeyValue = { key: '', createRevision: 0, modRevision: 0, version: 0, value: '', lease: '0' };

export function applyCompares(view: ReadView, cmps: readonly Compare[]): boolean {
  for (const c of cmps) if (!applyCompare(view, c)) return false;
  return true;
}

/** A compare over a range holds only if it holds for every key in it; an empty range compares the zero KeyValue. */
function applyCompare(view: ReadView, c: Compare): boolean {
  let kvs: KeyValue[];
  try {
    kvs = view.range(toKeyRange(c.key, c.rangeEnd), ALL).kvs;
  } catch {
    return false;
  }
  if (kvs.length === 0) {
    // A missing key has no value, and an empty value is still a value: VALUE compares on nothing always fail.
    if (c.target === 'VALUE') return false;
    return compareKV(c, MISSING);
  }
  for (const kv of kvs) if (!compareKV(c, kv)) return false;
  return true;
}

function compareKV(c: Compare, kv: KeyValue): boolean {
  let result: number;
  switch (c.target) {
    case 'VALUE':
      result = Buffer.compare(Buffer.from(kv.value, 'base64'), Buffer.from(c.value, 'base64'));
      break;
    case 'CREATE':
      result = Math.sign(kv.createRevision - c.createRevision);
      break;
    case 'MOD':
      result = Math.sign(kv.modRevision - c.modRevision);
      break;
    case 'VERSION':
      result = Math.sign(kv.version - c.version);
      break;
    case 'LEASE':
      result = compareLeaseIds(kv.lease, c.lease);
      break;
  }
  switch (c.result) {
    case 'EQUAL':
      return result === 0;
    case 'NOT_EQUAL':
      return result !== 0;
    case 'GREATER':
      return result > 0;
    case 'LESS':
      return result < 0;
  }
}

/** Lease ids are int64: compare numerically, not as strings. */
function compareLeaseIds(a: LeaseId, b: LeaseId): number {
  if (a === b) return 0;
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
