// Read and write views over the key space, after etcd's storeTxnRead / storeTxnWrite. All writes of a write view
// share revision beginRev + 1 with increasing sub-revisions, and its reads see its own earlier writes.
import { Errors, type Key, type KeyValue, type LeaseId, type Base64 } from '../api/types.js';
import type { KeyRange } from './key-range.js';
import { toKeyValue, type KeyRev } from './key-rev.js';
import type { KvStore } from './kv-store.js';
import type { LeaseTable } from './lease-table.js';

export interface RangeOptions {
  /** <= 0: no limit. count still counts every match. */
  limit: number;
  /** <= 0: the view's revision. */
  rev: number;
  /** Count only; return no kvs. */
  count: boolean;
}

export interface RangeResult {
  kvs: KeyValue[];
  /** Every key in range, regardless of limit. */
  count: number;
  /** The view's revision (the header revision), even for a historical read. */
  rev: number;
}

export const ALL: RangeOptions = { limit: 0, rev: 0, count: false };

export interface ReadView {
  /** The revision reads see by default. */
  readonly rev: number;
  /** The compaction revision reads are checked against. */
  readonly firstRev: number;
  range(range: KeyRange, ro: RangeOptions): RangeResult;
  /** The live revision of one key at this view's revision. */
  get(key: Key): KeyRev | undefined;
}

/** etcd's rangeKeys: the revision checks, then count and (up to limit) kvs. */
export function rangeKeys(kv: KvStore, range: KeyRange, curRev: number, ro: RangeOptions): RangeResult {
  let rev = ro.rev;
  if (rev > curRev) throw Errors.futureRev();
  if (rev <= 0) rev = curRev;
  if (rev < kv.compactMainRev) throw Errors.compacted();
  const kvs: KeyValue[] = [];
  let count = 0;
  if (ro.count) {
    kv.scan(range, rev, () => {
      count++;
    });
  } else {
    const limit = ro.limit > 0 ? ro.limit : Infinity;
    kv.scan(range, rev, (r) => {
      count++;
      if (kvs.length < limit) kvs.push(toKeyValue(r));
    });
  }
  return { kvs, count, rev: curRev };
}

export class StoreRead implements ReadView {
  readonly rev: number;
  readonly firstRev: number;
  constructor(private readonly kv: KvStore) {
    this.rev = kv.currentRev;
    this.firstRev = kv.compactMainRev;
  }
  range(range: KeyRange, ro: RangeOptions): RangeResult {
    return rangeKeys(this.kv, range, this.rev, ro);
  }
  get(key: Key): KeyRev | undefined {
    return this.kv.get(key, this.rev);
  }
}

export class WriteTxn implements ReadView {
  readonly beginRev: number;
  readonly changes: KeyRev[] = [];

  constructor(
    private readonly kv: KvStore,
    private readonly leases: LeaseTable,
  ) {
    this.beginRev = kv.currentRev;
  }

  /** Reads see this txn's writes once there are any. */
  get rev(): number {
    return this.changes.length > 0 ? this.beginRev + 1 : this.beginRev;
  }

  get firstRev(): number {
    return this.kv.compactMainRev;
  }

  range(range: KeyRange, ro: RangeOptions): RangeResult {
    return rangeKeys(this.kv, range, this.rev, ro);
  }

  get(key: Key): KeyRev | undefined {
    return this.kv.get(key, this.rev);
  }

  /** Writes key; returns the header revision of the put. The lease must exist (callers check first). */
  put(key: Key, value: Base64, lease: LeaseId): number {
    const main = this.beginRev + 1;
    const prev = this.kv.get(key, main);
    const r: KeyRev = {
      key,
      main,
      sub: this.changes.length,
      createRevision: prev === undefined ? main : prev.createRevision,
      version: prev === undefined ? 1 : prev.version + 1,
      value,
      lease,
      dropped: false,
    };
    this.kv.append(r);
    this.changes.push(r);
    if (prev !== undefined && prev.lease !== '0') this.leases.detach(prev.lease, key);
    if (lease !== '0') this.leases.attach(lease, key);
    return main;
  }

  /** Tombstones every live key in range; the revision is beginRev + 1 once this txn wrote anything. */
  deleteRange(range: KeyRange): { deleted: number; rev: number } {
    const keys: Key[] = [];
    this.kv.scan(range, this.rev, (r) => {
      keys.push(r.key);
    });
    for (const key of keys) this.delete(key);
    if (keys.length !== 0 || this.changes.length > 0) return { deleted: keys.length, rev: this.beginRev + 1 };
    return { deleted: 0, rev: this.beginRev };
  }

  /** Makes the writes visible as the new current revision; returns them (empty: no revision was used). */
  commit(): KeyRev[] {
    if (this.changes.length > 0) this.kv.currentRev = this.beginRev + 1;
    return this.changes;
  }

  private delete(key: Key): void {
    const main = this.beginRev + 1;
    const prev = this.kv.get(key, main);
    const r: KeyRev = {
      key,
      main,
      sub: this.changes.length,
      createRevision: 0,
      version: 0,
      value: '',
      lease: '0',
      dropped: false,
    };
    this.kv.append(r);
    this.changes.push(r);
    if (prev !== undefined && prev.lease !== '0') this.leases.detach(prev.lease, key);
  }
}
