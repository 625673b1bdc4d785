// The request-level operations (etcd's applierV3backend Range/Put/DeleteRange) over a view; shared by the
// top-level calls and by txns.
import type {
  DeleteRangeRequest,
  DeleteRangeResponse,
  KeyValue,
  PutRequest,
  PutResponse,
  RangeRequest,
  RangeResponse,
  SortTarget,
} from '../api/types.js';
import { MvccErrors } from './errors.js';
import { toKeyRange } from './key-range.js';
import { toKeyValue } from './key-rev.js';
import { ALL, type ReadView, type WriteTxn } from './txn-view.js';

export function rangeOp(view: ReadView, r: RangeRequest): RangeResponse {
  // Sorting or filtering needs every match before truncating; otherwise fetch one extra to learn `more`.
  let limit = r.limit;
  if (
    r.sortOrder !== 'NONE' ||
    r.minModRevision !== 0 ||
    r.maxModRevision !== 0 ||
    r.minCreateRevision !== 0 ||
    r.maxCreateRevision !== 0
  ) {
    limit = 0;
  }
  if (limit > 0) limit++;
  const rr = view.range(toKeyRange(r.key, r.rangeEnd), { limit, rev: r.revision, count: r.countOnly });

  let kvs = rr.kvs;
  // etcd prunes after counting, so count ignores these filters.
  if (r.maxModRevision !== 0) kvs = kvs.filter((kv) => !(kv.modRevision > r.maxModRevision));
  if (r.minModRevision !== 0) kvs = kvs.filter((kv) => !(kv.modRevision < r.minModRevision));
  if (r.maxCreateRevision !== 0) kvs = kvs.filter((kv) => !(kv.createRevision > r.maxCreateRevision));
  if (r.minCreateRevision !== 0) kvs = kvs.filter((kv) => !(kv.createRevision < r.minCreateRevision));

  // Results come in ascending key order; a non-KEY target with order NONE means ASCEND.
  let order = r.sortOrder;
  if (r.sortTarget !== 'KEY' && order === 'NONE') order = 'ASCEND';
  if (order !== 'NONE') kvs = sortKvs(kvs, r.sortTarget, order === 'DESCEND');

  let more = false;
  if (r.limit > 0 && kvs.length > r.limit) {
    kvs = kvs.slice(0, r.limit);
    more = true;
  }
  if (r.keysOnly) for (const kv of kvs) kv.value = '';
  return { header: { revision: rr.rev }, kvs, more, count: rr.count };
}

/**
 * Stable sort. Go's sort.Sort is not stable, so etcd's order among equal elements is unspecified; keeping the key
 * order for ties is the deterministic choice (and what Go's insertion sort yields for small results).
 */
function sortKvs(kvs: KeyValue[], target: SortTarget, descending: boolean): KeyValue[] {
  const sign = descending ? -1 : 1;
  switch (target) {
    case 'KEY':
      // Already ascending by key, and keys are unique.
      return descending ? kvs.slice().reverse() : kvs;
    case 'VERSION':
      return kvs.sort((a, b) => sign * (a.version - b.version));
    case 'CREATE':
      return kvs.sort((a, b) => sign * (a.createRevision - b.createRevision));
    case 'MOD':
      return kvs.sort((a, b) => sign * (a.modRevision - b.modRevision));
    case 'VALUE': {
      const bytes = new Map<KeyValue, Buffer>(kvs.map((kv) => [kv, Buffer.from(kv.value, 'base64')]));
      return kvs.sort((a, b) => sign * Buffer.compare(bytes.get(a)!, bytes.get(b)!));
    }
  }
}

/** Put inside a write txn. Lease existence is the caller's check (etcd checks it before opening the txn). */
export function putOp(txn: WriteTxn, p: PutRequest): PutResponse {
  let value = p.value;
  let lease = p.lease;
  const needPrev = p.ignoreValue || p.ignoreLease || p.prevKv;
  const prev = needPrev ? txn.get(p.key) : undefined;
  if ((p.ignoreValue || p.ignoreLease) && prev === undefined) throw MvccErrors.keyNotFound();
  if (p.ignoreValue) value = prev!.value;
  if (p.ignoreLease) lease = prev!.lease;
  const resp: PutResponse = { header: { revision: txn.put(p.key, value, lease) } };
  if (p.prevKv && prev !== undefined) resp.prevKv = toKeyValue(prev);
  return resp;
}

export function deleteOp(txn: WriteTxn, dr: DeleteRangeRequest): DeleteRangeResponse {
  const range = toKeyRange(dr.key, dr.rangeEnd);
  const prevKvs = dr.prevKv ? txn.range(range, ALL).kvs : [];
  const { deleted, rev } = txn.deleteRange(range);
  return { header: { revision: rev }, deleted, prevKvs };
}
