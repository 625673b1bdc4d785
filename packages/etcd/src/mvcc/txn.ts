// Applying a txn, after etcd 3.4's applierV3backend.Txn: every compare (nested ones included) is evaluated against
// the state before the txn, the chosen path is checked, then its ops run in one write view (one revision).
import { Errors, type Key, type PutRequest, type RequestOp, type ResponseOp, type TxnRequest, type TxnResponse } from '../api/types.js';
import { applyCompares } from './compare.js';
import { MvccErrors } from './errors.js';
import { rangeContains, toKeyRange, type KeyRange } from './key-range.js';
import type { LeaseTable } from './lease-table.js';
import { deleteOp, putOp, rangeOp } from './ops.js';
import type { ReadView, WriteTxn } from './txn-view.js';

/** The branch each (nested) txn takes; nested[i] belongs to the i-th requestTxn op of `ops`. */
interface TxnPath {
  succeeded: boolean;
  ops: readonly RequestOp[];
  nested: TxnPath[];
}

/** Evaluates every compare on the chosen path against `view` (the pre-txn state). */
export function comparePath(view: ReadView, rt: TxnRequest): TxnPath {
  const succeeded = applyCompares(view, rt.compare);
  const ops = succeeded ? rt.success : rt.failure;
  const nested: TxnPath[] = [];
  for (const op of ops) if ('requestTxn' in op) nested.push(comparePath(view, op.requestTxn));
  return { succeeded, ops, nested };
}

/** True when no branch at any depth writes: such a txn needs no write view. */
export function isTxnReadonly(rt: TxnRequest): boolean {
  const ro = (ops: readonly RequestOp[]): boolean =>
    ops.every((op) => ('requestTxn' in op ? isTxnReadonly(op.requestTxn) : 'requestRange' in op));
  return ro(rt.success) && ro(rt.failure);
}

function forEachOnPath(path: TxnPath, f: (op: RequestOp) => void): void {
  let j = 0;
  for (const op of path.ops) {
    if ('requestTxn' in op) forEachOnPath(path.nested[j++]!, f);
    else f(op);
  }
}

/**
 * etcd's checkRequests: first every put on the path (ignore_* needs the key, a lease must exist), then every range
 * (revision not future, not compacted), all against the pre-txn state. The first failure fails the whole txn.
 */
export function checkPath(view: ReadView, leases: LeaseTable, path: TxnPath, isWrite: boolean): void {
  if (isWrite) {
    forEachOnPath(path, (op) => {
      if (!('requestPut' in op)) return;
      const p = op.requestPut;
      if ((p.ignoreValue || p.ignoreLease) && view.get(p.key) === undefined) throw MvccErrors.keyNotFound();
      if (p.lease !== '0' && !leases.has(p.lease)) throw Errors.leaseNotFound();
    });
    checkIgnoredPutsStillFindKeys(path);
  }
  forEachOnPath(path, (op) => {
    if (!('requestRange' in op)) return;
    const rev = op.requestRange.revision;
    if (rev === 0) return;
    if (rev > view.rev) throw Errors.futureRev();
    if (rev < view.firstRev) throw Errors.compacted();
  });
}

/**
 * An ignore_value/ignore_lease put whose key an earlier delete of the same txn removed passes etcd's pre-txn check
 * and then fails mid-apply, where etcd panics. validateTxn rejects every such txn except through a from-key
 * ('\0') delete, which etcd's interval check lets through. Fail it up front instead, before any write.
 */
function checkIgnoredPutsStillFindKeys(path: TxnPath): void {
  const writes: (PutRequest | KeyRange)[] = [];
  forEachOnPath(path, (op) => {
    if ('requestPut' in op) {
      const p = op.requestPut;
      if ((p.ignoreValue || p.ignoreLease) && !existsAfter(writes, p.key)) throw MvccErrors.keyNotFound();
      writes.push(p);
    } else if ('requestDeleteRange' in op) {
      writes.push(toKeyRange(op.requestDeleteRange.key, op.requestDeleteRange.rangeEnd));
    }
  });
}

/** Whether a key that existed before the txn still exists after `writes`. */
function existsAfter(writes: readonly (PutRequest | KeyRange)[], key: Key): boolean {
  for (let i = writes.length - 1; i >= 0; i--) {
    const w = writes[i]!;
    if ('single' in w) {
      if (rangeContains(w, key)) return false;
    } else if (w.key === key) {
      return true;
    }
  }
  return true;
}

/** Runs the path's ops in `txn`. Nested txn responses carry an empty header (revision 0), as in etcd. */
export function applyPath(txn: WriteTxn, path: TxnPath): TxnResponse {
  const responses: ResponseOp[] = [];
  let j = 0;
  for (const op of path.ops) {
    if ('requestRange' in op) responses.push({ responseRange: rangeOp(txn, op.requestRange) });
    else if ('requestPut' in op) responses.push({ responsePut: putOp(txn, op.requestPut) });
    else if ('requestDeleteRange' in op) responses.push({ responseDeleteRange: deleteOp(txn, op.requestDeleteRange) });
    else responses.push({ responseTxn: applyPath(txn, path.nested[j++]!) });
  }
  return { header: { revision: 0 }, succeeded: path.succeeded, responses };
}
