// One stored revision of one key: what etcd keeps under a (main, sub) revision in its key bucket.
import type { Base64, Key, KeyValue, LeaseId } from '../api/types.js';

export interface KeyRev {
  readonly key: Key;
  /** The store revision of the write. */
  readonly main: number;
  /** Position of the write inside its (txn) revision. */
  readonly sub: number;
  /** 0 for a tombstone (etcd stores a tombstone as a bare KeyValue{key}). */
  readonly createRevision: number;
  /** 0 for a tombstone. */
  readonly version: number;
  readonly value: Base64;
  readonly lease: LeaseId;
  /** Set when compaction drops this revision, so the revision log can drop it without a lookup. */
  dropped: boolean;
}

export function isTombstone(r: KeyRev): boolean {
  return r.version === 0;
}

/** The KeyValue a read returns for a live revision. */
export function toKeyValue(r: KeyRev): KeyValue {
  return {
    key: r.key,
    createRevision: r.createRevision,
    modRevision: r.main,
    version: r.version,
    value: r.value,
    lease: r.lease,
  };
}

/** The KeyValue of a watch event: etcd patches the tombstone's mod revision in and leaves the rest zero. */
export function toEventKeyValue(r: KeyRev): KeyValue {
  return isTombstone(r)
    ? { key: r.key, createRevision: 0, modRevision: r.main, version: 0, value: '', lease: '0' }
    : toKeyValue(r);
}
