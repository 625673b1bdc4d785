// The MVCC key-value state machine each Raft member applies committed requests to, with etcd 3.4's semantics.
// Deterministic: no clocks, no randomness; the same requests in the same order give the same state, responses
// and hash on every member.
import {
  Errors,
  type CompactionResponse,
  type DeleteRangeRequest,
  type DeleteRangeResponse,
  type Key,
  type KeyValue,
  type LeaseGrantRequest,
  type LeaseGrantResponse,
  type LeaseId,
  type LeaseRevokeResponse,
  type PutRequest,
  type PutResponse,
  type RangeRequest,
  type RangeResponse,
  type TxnRequest,
  type TxnResponse,
  type WatchCreateRequest,
} from '../api/types.js';
import { MvccErrors } from './errors.js';
import { hashKv, type HashKvResult } from './hash.js';
import { toKeyRange } from './key-range.js';
import { isTombstone, toKeyValue, type KeyRev } from './key-rev.js';
import { KvStore } from './kv-store.js';
import { LeaseTable } from './lease-table.js';
import { MAX_LEASE_TTL } from './lease-time.js';
import { deleteOp, putOp, rangeOp } from './ops.js';
import type { ByteWriter } from './byte-codec.js';
import { decodeSnapshot, encodeSnapshot, encodeSnapshotSteps, keyRevSizeHint, type SnapshotData } from './snapshot-codec.js';
import { applyPath, checkPath, comparePath, isTxnReadonly } from './txn.js';
import { StoreRead, WriteTxn } from './txn-view.js';
import { WatchHub, type WatcherState, type WatchSink } from './watch-hub.js';

export { ByteWriter } from './byte-codec.js';
export { MvccErrors } from './errors.js';
export type { HashKvResult } from './hash.js';
export { MAX_LEASE_TTL, grantedTtl, leaseExpiry, minLeaseTtl, remainingTtl } from './lease-time.js';
export { validateDeleteRange, validatePut, validateRange, validateTxn } from './validate.js';
export type { WatchSink } from './watch-hub.js';

export interface Watcher {
  readonly id: number;
  /** > 0 when the start revision was already compacted: the watcher delivers nothing (etcd cancels it). */
  readonly compactRevision: number;
  cancel(): void;
}

export interface LeaseInfo {
  id: LeaseId;
  grantedTtl: number;
  /** Attached keys, in key order. */
  keys: Key[];
}

/** Approximate bytes per lease for sizeBytes. */
const LEASE_OVERHEAD_BYTES = 64;

export class MvccStore {
  private readonly kv = new KvStore();
  private readonly leaseTable = new LeaseTable();
  private readonly hub = new WatchHub();
  private lastWatchId = 0;

  /** The current revision: 1 for an empty store; each write request that changes something adds one. */
  get revision(): number {
    return this.kv.currentRev;
  }

  /** The last compaction revision, 0 if never compacted. */
  get compactRevision(): number {
    return Math.max(0, this.kv.compactMainRev);
  }

  range(req: RangeRequest): RangeResponse {
    return rangeOp(new StoreRead(this.kv), req);
  }

  put(req: PutRequest): PutResponse {
    // Checked before the write opens, so an unknown lease costs no revision.
    if (req.lease !== '0' && !this.leaseTable.has(req.lease)) throw Errors.leaseNotFound();
    return this.write((txn) => putOp(txn, req));
  }

  deleteRange(req: DeleteRangeRequest): DeleteRangeResponse {
    return this.write((txn) => deleteOp(txn, req));
  }

  txn(req: TxnRequest): TxnResponse {
    const view = new StoreRead(this.kv);
    const path = comparePath(view, req);
    checkPath(view, this.leaseTable, path, !isTxnReadonly(req));
    return this.write((txn) => {
      const resp = applyPath(txn, path);
      resp.header = { revision: txn.rev };
      return resp;
    });
  }

  compact(rev: number): CompactionResponse {
    if (rev <= this.kv.compactMainRev) throw Errors.compacted();
    if (rev > this.kv.currentRev) throw Errors.futureRev();
    this.kv.compact(rev);
    return { header: { revision: this.kv.currentRev } };
  }

  leaseGrant(req: LeaseGrantRequest): LeaseGrantResponse {
    // etcd's lessor.Grant: id 0 is "not found"; the server picks ids before proposing.
    if (req.id === '0') throw Errors.leaseNotFound();
    if (req.ttl > MAX_LEASE_TTL) throw Errors.leaseTtlTooLarge();
    if (this.leaseTable.has(req.id)) throw Errors.leaseExists();
    this.leaseTable.add(req.id, req.ttl);
    return { header: { revision: this.kv.currentRev }, id: req.id, ttl: req.ttl };
  }

  leaseRevoke(id: LeaseId): LeaseRevokeResponse {
    const lease = this.leaseTable.get(id);
    if (lease === undefined) throw Errors.leaseNotFound();
    // Sorted, so every member deletes in the same order and gets the same sub-revisions.
    const keys = [...lease.keys].sort();
    this.write((txn) => {
      for (const key of keys) txn.deleteRange({ single: true, key });
      this.leaseTable.remove(id);
    });
    return { header: { revision: this.kv.currentRev } };
  }

  leaseInfo(id: LeaseId): LeaseInfo | undefined {
    const lease = this.leaseTable.get(id);
    if (lease === undefined) return undefined;
    return { id, grantedTtl: lease.ttl, keys: [...lease.keys].sort() };
  }

  leases(): LeaseId[] {
    return this.leaseTable.ids();
  }

  /**
   * Watches key/range_end from req.startRevision (0: the next revision). A start at or below the current revision
   * first replays the retained history, one sink call per revision, then continues live; a start below the
   * compaction revision delivers nothing and reports compactRevision. Sinks must treat events as read-only.
   * Throws MvccErrors.emptyWatcherRange() when range_end is not above key.
   */
  watch(req: WatchCreateRequest, sink: WatchSink): Watcher {
    // etcd's watch server turns an empty key into "\x00", the smallest key.
    const key = req.key === '' ? '\0' : req.key;
    const range = toKeyRange(key, req.rangeEnd);
    if (!range.single && range.end !== null && key >= range.end) throw MvccErrors.emptyWatcherRange();

    const id = ++this.lastWatchId;
    const start = req.startRevision;
    const current = this.kv.currentRev;
    const live = start === 0 || start > current;
    if (!live && start < this.kv.compactMainRev && this.kv.compactMainRev > 0) {
      return { id, compactRevision: this.kv.compactMainRev, cancel: () => undefined };
    }
    const w: WatcherState = {
      id,
      range,
      minRev: live ? Math.max(current + 1, start) : current + 1,
      noPut: req.filters.includes('NOPUT'),
      noDelete: req.filters.includes('NODELETE'),
      prevKv: req.prevKv,
      sink,
      active: true,
    };
    this.hub.add(w);
    if (!live) this.hub.replay(w, () => this.kv.since(range, start), this.prevKvOf);
    return { id, compactRevision: 0, cancel: () => this.hub.remove(w) };
  }

  /** Live watchers. */
  get watcherCount(): number {
    return this.hub.size;
  }

  hashKV(rev: number): HashKvResult {
    return hashKv(this.kv, rev);
  }

  sizeBytes(): number {
    return this.kv.sizeBytes + this.leaseTable.size * LEASE_OVERHEAD_BYTES;
  }

  serialize(): Uint8Array {
    const { data, count } = this.snapshotNow();
    return encodeSnapshot(data, count);
  }

  /**
   * serialize() of the store as it is at this call, encoded in steps of `chunk` revisions (see encodeSnapshotSteps)
   * after what `w` already holds: writes and compactions made while the steps run do not show in the result.
   */
  serializeSteps(chunk: number, w: ByteWriter): Generator<void, Uint8Array, void> {
    const { data, count } = this.snapshotNow();
    return encodeSnapshotSteps(data, count, chunk, w);
  }

  /** About the size of serialize() now, to size a writer for serializeSteps (a pass over the revisions, no copying). */
  serializedSizeHint(): number {
    const { log, count } = this.kv.revisionsNow();
    let bytes = 1024 + this.leaseTable.size * 32;
    for (let i = 0; i < count; i++) bytes += keyRevSizeHint(log[i]!);
    return bytes;
  }

  /** Counters and leases copied, revisions by reference (see KvStore.revisionsNow). */
  private snapshotNow(): { data: SnapshotData; count: number } {
    const { log, count } = this.kv.revisionsNow();
    const leases = [...this.leaseTable.entries()].map((l) => ({ id: l.id, ttl: l.ttl }));
    const revs = function* (): IterableIterator<KeyRev> {
      for (let i = 0; i < count; i++) yield log[i]!;
    };
    return { data: { currentRev: this.kv.currentRev, compactMainRev: this.kv.compactMainRev, leases, revs: revs() }, count };
  }

  static restore(data: Uint8Array): MvccStore {
    const snap = decodeSnapshot(data);
    const s = new MvccStore();
    let prev: KeyRev | undefined;
    for (const r of snap.revs) {
      if (prev !== undefined && (r.main < prev.main || (r.main === prev.main && r.sub <= prev.sub))) {
        throw new Error('corrupt mvcc snapshot: revisions out of order');
      }
      if (r.main > snap.currentRev) throw new Error('corrupt mvcc snapshot: revision above current');
      s.kv.append(r);
      prev = r;
    }
    s.kv.currentRev = snap.currentRev;
    s.kv.compactMainRev = snap.compactMainRev;
    for (const l of snap.leases) s.leaseTable.add(l.id, l.ttl);
    s.kv.scan({ single: false, start: '', end: null }, snap.currentRev, (r) => {
      if (r.lease !== '0') s.leaseTable.attach(r.lease, r.key);
    });
    return s;
  }

  /** Runs writes in one write view, commits them as one revision (if any) and notifies watchers. */
  private write<T>(fn: (txn: WriteTxn) => T): T {
    const txn = new WriteTxn(this.kv, this.leaseTable);
    try {
      return fn(txn);
    } finally {
      // Writes already in the key space are committed even if fn failed after them, so state stays consistent;
      // the ops check everything that can fail before writing.
      const changes = txn.commit();
      if (changes.length > 0) this.hub.notify(this.kv.currentRev, changes, this.prevKvOf);
    }
  }

  /** etcd's watch prev_kv: the key read at mod_revision - 1; none for a creation or when that is compacted. */
  private readonly prevKvOf = (r: KeyRev): KeyValue | undefined => {
    if (!isTombstone(r) && r.createRevision === r.main) return undefined;
    const at = r.main - 1;
    if (at < this.kv.compactMainRev) return undefined;
    const prev = this.kv.get(r.key, at);
    return prev === undefined ? undefined : toKeyValue(prev);
  };
}
