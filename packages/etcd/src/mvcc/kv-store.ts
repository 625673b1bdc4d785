// The revisioned key space: every retained revision of every key, reachable by key (for reads) and by revision
// (for watch replay, hashing and snapshots). It knows nothing of leases, txns or watchers.
import type { Key } from '../api/types.js';
import { KeyIndex } from './key-index.js';
import { rangeContains, type KeyRange } from './key-range.js';
import { isTombstone, type KeyRev } from './key-rev.js';

/** Approximate per-revision overhead (object, index and log slots) counted by sizeBytes. */
const REV_OVERHEAD_BYTES = 64;

/** The live revision at `rev` of a key's history: the newest one with main <= rev, unless that is a tombstone. */
export function liveAt(revs: readonly KeyRev[], rev: number): KeyRev | undefined {
  const n = revs.length;
  if (n === 0) return undefined;
  const last = revs[n - 1]!;
  // Fast path: reads at the current revision.
  if (last.main <= rev) return isTombstone(last) ? undefined : last;
  let lo = 0;
  let hi = n - 1; // revs[hi].main > rev
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (revs[mid]!.main <= rev) lo = mid + 1;
    else hi = mid;
  }
  if (lo === 0) return undefined;
  const r = revs[lo - 1]!;
  return isTombstone(r) ? undefined : r;
}

function revBytes(r: KeyRev): number {
  return r.key.length + r.value.length + REV_OVERHEAD_BYTES;
}

export class KvStore {
  /** etcd starts at 1: an empty store answers with header revision 1. */
  currentRev = 1;
  /** etcd's compactMainRev: -1 until the first compaction. */
  compactMainRev = -1;

  private readonly histories = new Map<Key, KeyRev[]>();
  /** The same history arrays as `histories`, in key order. */
  private readonly index = new KeyIndex<KeyRev[]>();
  /** Every retained revision in (main, sub) order. */
  private log: KeyRev[] = [];
  private bytes = 0;

  get sizeBytes(): number {
    return this.bytes;
  }

  get(key: Key, rev: number): KeyRev | undefined {
    const revs = this.histories.get(key);
    return revs === undefined ? undefined : liveAt(revs, rev);
  }

  /** Retained revisions of one key, oldest first. */
  history(key: Key): readonly KeyRev[] | undefined {
    return this.histories.get(key);
  }

  /** Calls fn with the live revision at `rev` of each key in range, in key order, until fn returns false. */
  scan(range: KeyRange, rev: number, fn: (r: KeyRev) => boolean | void): void {
    if (range.single) {
      const r = this.get(range.key, rev);
      if (r !== undefined) fn(r);
      return;
    }
    this.index.scan(range.start, range.end, (_k, revs) => {
      const r = liveAt(revs, rev);
      return r === undefined ? undefined : fn(r);
    });
  }

  /** Retained revisions with main >= fromRev of the keys in range, in (main, sub) order: a watch's history. */
  since(range: KeyRange, fromRev: number): KeyRev[] {
    if (range.single) {
      const revs = this.histories.get(range.key);
      if (revs === undefined) return [];
      let i = revs.length;
      while (i > 0 && revs[i - 1]!.main >= fromRev) i--;
      return revs.slice(i);
    }
    const out: KeyRev[] = [];
    const log = this.log;
    for (let i = this.logIndexFrom(fromRev); i < log.length; i++) {
      const r = log[i]!;
      if (rangeContains(range, r.key)) out.push(r);
    }
    return out;
  }

  /** Appends a revision; callers write in increasing (main, sub) order. */
  append(r: KeyRev): void {
    let revs = this.histories.get(r.key);
    if (revs === undefined) {
      revs = [];
      this.histories.set(r.key, revs);
      this.index.set(r.key, revs);
    }
    revs.push(r);
    this.log.push(r);
    this.bytes += revBytes(r);
  }

  /** Index in the log of the first revision with main >= rev. */
  logIndexFrom(rev: number): number {
    const log = this.log;
    let lo = 0;
    let hi = log.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (log[mid]!.main < rev) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  logAt(i: number): KeyRev | undefined {
    return this.log[i];
  }

  /**
   * The retained revisions as of now, without copying them: the log array is only ever appended to, or replaced by
   * compaction, never edited in place, so its first `count` entries stay exactly this moment's revisions.
   */
  revisionsNow(): { log: readonly KeyRev[]; count: number } {
    return { log: this.log, count: this.log.length };
  }

  /**
   * Compacts at rev (already validated): of the revisions <= rev, each key keeps only its newest, and not even that
   * when it is a tombstone. Keys left without revisions leave the index.
   */
  compact(rev: number): void {
    // A key with no revision since the last compaction already has just its newest live revision below it, so
    // only keys written since then need work.
    const from = this.logIndexFrom(this.compactMainRev + 1);
    this.compactMainRev = rev;
    const cut = this.logIndexFrom(rev + 1);
    for (let i = from; i < cut; i++) {
      const r = this.log[i]!;
      if (!r.dropped) this.compactKey(r.key, rev);
    }
    const kept: KeyRev[] = [];
    for (let i = 0; i < cut; i++) {
      const r = this.log[i]!;
      if (!r.dropped) kept.push(r);
    }
    this.log = kept.concat(this.log.slice(cut));
  }

  private compactKey(key: Key, rev: number): void {
    const revs = this.histories.get(key)!;
    // Newest revision <= rev.
    let lo = 0;
    let hi = revs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (revs[mid]!.main <= rev) lo = mid + 1;
      else hi = mid;
    }
    const j = lo - 1;
    if (j < 0) return;
    const drop = isTombstone(revs[j]!) ? j + 1 : j;
    if (drop === 0) return;
    for (let i = 0; i < drop; i++) {
      revs[i]!.dropped = true;
      this.bytes -= revBytes(revs[i]!);
    }
    revs.splice(0, drop);
    if (revs.length === 0) {
      this.histories.delete(key);
      this.index.delete(key);
    }
  }
}
