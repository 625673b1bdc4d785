// Request checks etcd 3.4 makes at the gRPC layer (v3rpc/key.go), before a request is proposed. The server calls
// these on the member that receives the request; the store's apply path does not repeat them.
import {
  Errors,
  MAX_TXN_OPS,
  type DeleteRangeRequest,
  type Key,
  type PutRequest,
  type RangeRequest,
  type RequestOp,
  type TxnRequest,
} from '../api/types.js';

export function validateRange(r: RangeRequest): void {
  if (r.key === '') throw Errors.keyNotProvided();
}

export function validatePut(r: PutRequest): void {
  if (r.key === '') throw Errors.keyNotProvided();
  if (r.ignoreValue && r.value !== '') throw Errors.valueProvided();
  if (r.ignoreLease && r.lease !== '0') throw Errors.leaseProvided();
}

export function validateDeleteRange(r: DeleteRangeRequest): void {
  if (r.key === '') throw Errors.keyNotProvided();
}

/**
 * etcd's checkTxnRequest then checkIntervals on each branch: too many ops (a nested txn gets the budget its parent
 * left), empty keys, the per-op checks, and no key written twice or written and deleted in one branch.
 */
export function validateTxn(r: TxnRequest, maxTxnOps: number = MAX_TXN_OPS): void {
  checkTxnRequest(r, maxTxnOps);
  checkIntervals(r.success);
  checkIntervals(r.failure);
}

function checkTxnRequest(r: TxnRequest, maxTxnOps: number): void {
  const opc = Math.max(r.compare.length, r.success.length, r.failure.length);
  if (opc > maxTxnOps) throw Errors.tooManyOps();
  for (const c of r.compare) if (c.key === '') throw Errors.keyNotProvided();
  for (const op of r.success) checkRequestOp(op, maxTxnOps - opc);
  for (const op of r.failure) checkRequestOp(op, maxTxnOps - opc);
}

function checkRequestOp(op: RequestOp, maxTxnOps: number): void {
  if ('requestRange' in op) validateRange(op.requestRange);
  else if ('requestPut' in op) validatePut(op.requestPut);
  else if ('requestDeleteRange' in op) validateDeleteRange(op.requestDeleteRange);
  else checkTxnRequest(op.requestTxn, maxTxnOps);
}

/** A delete as etcd's adt interval [begin, end); a single key k is [k, k + '\0'). */
interface Interval {
  begin: Key;
  end: Key;
}

/**
 * A put point lies in [begin, end). An inverted interval never matches, which is how etcd treats a from-key delete:
 * ['a', '\0') is inverted, so 3.4 lets `delete >= a` and `put b` share a branch. Kept for fidelity.
 */
function intersects(dels: readonly Interval[], k: Key): boolean {
  for (const d of dels) if (d.begin <= k && k < d.end) return true;
  return false;
}

/** etcd's checkIntervals: returns the puts and deletes of a branch for the enclosing level's checks. */
function checkIntervals(ops: readonly RequestOp[]): { puts: Set<Key>; dels: Interval[] } {
  // This level's deletes first, so puts of nested txns are checked against them.
  const dels: Interval[] = [];
  for (const op of ops) {
    if (!('requestDeleteRange' in op)) continue;
    const d = op.requestDeleteRange;
    dels.push(d.rangeEnd !== '' ? { begin: d.key, end: d.rangeEnd } : { begin: d.key, end: d.key + '\0' });
  }
  const puts = new Set<Key>();
  for (const op of ops) {
    if (!('requestTxn' in op)) continue;
    const then = checkIntervals(op.requestTxn.success);
    const otherwise = checkIntervals(op.requestTxn.failure);
    for (const k of then.puts) {
      if (puts.has(k) || intersects(dels, k)) throw Errors.duplicateKey();
      puts.add(k);
    }
    for (const k of otherwise.puts) {
      // then/else are exclusive, so the same key in both is fine; a key from an earlier sibling is not.
      if (puts.has(k) && !then.puts.has(k)) throw Errors.duplicateKey();
      if (intersects(dels, k)) throw Errors.duplicateKey();
      puts.add(k);
    }
    // Only now do the nested deletes join: an earlier sibling's puts were checked without them (as in etcd).
    dels.push(...then.dels, ...otherwise.dels);
  }
  for (const op of ops) {
    if (!('requestPut' in op)) continue;
    const k = op.requestPut.key;
    if (puts.has(k) || intersects(dels, k)) throw Errors.duplicateKey();
    puts.add(k);
  }
  return { puts, dels };
}
