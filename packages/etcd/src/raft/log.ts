// The Raft log: a stable (persisted) prefix and an unstable (not yet persisted) suffix, plus the commit and apply
// cursors. Indices below firstIndex() are compacted into a snapshot.
import { StableLog } from './log-stable.js';
import { UnstableLog } from './log-unstable.js';
import type { Entry, RaftStorageState, Snapshot } from './types.js';

/** Size of entries for batching: the sum of their data lengths. */
export function entriesSize(entries: readonly Entry[]): number {
  let size = 0;
  for (const e of entries) size += e.data.length;
  return size;
}

export class RaftLog {
  private readonly stable: StableLog;
  private readonly unstable: UnstableLog;
  /** Highest index known to be committed by a quorum. */
  committed: number;
  /** Highest index the application has applied (reported through advance()). */
  applied: number;
  /** Highest index handed out for applying in a Ready (>= applied). */
  applying: number;

  constructor(storage: RaftStorageState) {
    this.stable = new StableLog(storage.snapshot, storage.entries);
    this.unstable = new UnstableLog(this.stable.lastIndex() + 1);
    const snapshotIndex = storage.snapshot?.metadata.index ?? 0;
    // The state machine is rebuilt from the snapshot; committed entries after it are handed out again.
    this.applied = snapshotIndex;
    this.applying = snapshotIndex;
    this.committed = Math.max(storage.hardState.commit, snapshotIndex);
    if (this.committed > this.lastIndex()) {
      throw new Error(`raft: stored commit ${this.committed} is beyond the stored log end ${this.lastIndex()}`);
    }
  }

  firstIndex(): number {
    return this.unstable.firstIndex() ?? this.stable.firstIndex();
  }

  lastIndex(): number {
    return this.unstable.lastIndex() ?? this.stable.lastIndex();
  }

  /** Term of entry `index`; undefined when compacted (below firstIndex - 1) or beyond the end. */
  term(index: number): number | undefined {
    if (index < this.firstIndex() - 1 || index > this.lastIndex()) return undefined;
    return this.unstable.term(index) ?? this.stable.term(index);
  }

  lastTerm(): number {
    return this.term(this.lastIndex())!;
  }

  matchTerm(index: number, term: number): boolean {
    return this.term(index) === term;
  }

  /** §5.4.1: a candidate's log is at least as up to date as ours. */
  isUpToDate(lastIndex: number, lastTerm: number): boolean {
    const ourTerm = this.lastTerm();
    return lastTerm > ourTerm || (lastTerm === ourTerm && lastIndex >= this.lastIndex());
  }

  /** Entries [lo, hi), hi <= lastIndex + 1; undefined if lo was compacted away. */
  slice(lo: number, hi: number): Entry[] | undefined {
    if (lo < this.firstIndex()) return undefined;
    if (lo >= hi) return [];
    const result: Entry[] = [];
    const unstableFrom = this.unstable.offset;
    if (lo < unstableFrom) result.push(...this.stable.slice(lo, Math.min(hi, unstableFrom)));
    if (hi > unstableFrom) {
      const from = Math.max(lo, unstableFrom);
      result.push(...this.unstable.entries.slice(from - unstableFrom, hi - unstableFrom));
    }
    return result;
  }

  /**
   * Entries from `lo` to the end, batched: the first entry always, then more while the summed data length stays
   * within maxSize. Undefined if lo was compacted away.
   */
  entriesFrom(lo: number, maxSize: number): Entry[] | undefined {
    if (lo < this.firstIndex()) return undefined;
    const last = this.lastIndex();
    const batch: Entry[] = [];
    let size = 0;
    // Read in modest chunks so a long log is not copied whole for one small message.
    for (let from = lo; from <= last; from += 64) {
      for (const e of this.slice(from, Math.min(last + 1, from + 64))!) {
        size += e.data.length;
        if (batch.length > 0 && size > maxSize) return batch;
        batch.push(e);
      }
    }
    return batch;
  }

  allEntries(): Entry[] {
    return this.slice(this.firstIndex(), this.lastIndex() + 1)!;
  }

  /** Index of the first entry whose term differs from ours (or that we lack); 0 if all match. */
  findConflict(entries: readonly Entry[]): number {
    for (const e of entries) if (!this.matchTerm(e.index, e.term)) return e.index;
    return 0;
  }

  /**
   * The largest index <= `index` whose term is <= `term`, with that term: where the leader's log could match ours.
   * An unknown (compacted) term is reported as 0, meaning "maybe".
   */
  findConflictByTerm(index: number, term: number): { index: number; term: number } {
    for (let i = index; i > 0; i--) {
      const ours = this.term(i);
      if (ours === undefined) return { index: i, term: 0 };
      if (ours <= term) return { index: i, term: ours };
    }
    return { index: 0, term: 0 };
  }

  /**
   * The follower side of AppendEntries: if our log has (prevIndex, prevTerm), reconcile `entries` into it and
   * advance commit to min(leaderCommit, last new index). Returns the last new index, or undefined on mismatch.
   */
  maybeAppend(prevIndex: number, prevTerm: number, leaderCommit: number, entries: readonly Entry[]): number | undefined {
    if (!this.matchTerm(prevIndex, prevTerm)) return undefined;
    const lastNew = prevIndex + entries.length;
    const conflict = this.findConflict(entries);
    if (conflict !== 0) {
      if (conflict <= this.committed) {
        throw new Error(`raft: entry ${conflict} conflicts with the committed prefix (commit ${this.committed})`);
      }
      this.append(entries.slice(conflict - prevIndex - 1));
    }
    this.commitTo(Math.min(leaderCommit, lastNew));
    return lastNew;
  }

  append(entries: readonly Entry[]): number {
    if (entries.length === 0) return this.lastIndex();
    const first = entries[0]!.index;
    if (first - 1 < this.committed) throw new Error(`raft: appending at ${first} would overwrite committed ${this.committed}`);
    this.unstable.truncateAndAppend(entries);
    return this.lastIndex();
  }

  commitTo(index: number): void {
    if (index <= this.committed) return;
    if (index > this.lastIndex()) throw new Error(`raft: commit ${index} is beyond the log end ${this.lastIndex()}`);
    this.committed = index;
  }

  /** §5.4.2: only an entry of the leader's current term is committed by counting replicas. */
  maybeCommit(index: number, term: number): boolean {
    if (index > this.committed && this.term(index) === term) {
      this.commitTo(index);
      return true;
    }
    return false;
  }

  // --- Ready bookkeeping -------------------------------------------------------------------------------------

  hasPendingSnapshot(): boolean {
    return this.unstable.snapshot !== undefined;
  }

  hasNextUnstableEntries(): boolean {
    return this.unstable.offsetInProgress < this.unstable.offset + this.unstable.entries.length;
  }

  nextUnstableEntries(): Entry[] {
    return this.unstable.nextEntries();
  }

  nextUnstableSnapshot(): Snapshot | undefined {
    return this.unstable.nextSnapshot();
  }

  /**
   * Committed entries not yet handed out for applying. They may include entries handed out for persisting in the
   * same (or an earlier) Ready: the application persists a Ready's entries before applying its committed entries.
   * Nothing is applied while a snapshot is pending: the state machine must first be replaced by it.
   */
  nextCommittedEntries(): Entry[] {
    if (this.hasPendingSnapshot()) return [];
    const hi = Math.min(this.committed, this.lastIndex());
    if (this.applying >= hi) return [];
    return this.slice(this.applying + 1, hi + 1) ?? [];
  }

  hasNextCommittedEntries(): boolean {
    return !this.hasPendingSnapshot() && Math.min(this.committed, this.lastIndex()) > this.applying;
  }

  acceptUnstable(): void {
    this.unstable.acceptInProgress();
  }

  acceptApplying(index: number): void {
    this.applying = Math.max(this.applying, index);
  }

  stableTo(index: number, term: number): void {
    this.stable.append(this.unstable.stableTo(index, term));
  }

  stableSnapTo(index: number): void {
    const snapshot = this.unstable.stableSnapTo(index);
    if (snapshot) this.stable.applySnapshot(snapshot);
  }

  appliedTo(index: number): void {
    if (index <= this.applied) return;
    if (index > this.committed) throw new Error(`raft: applied ${index} is beyond commit ${this.committed}`);
    this.applied = index;
    this.applying = Math.max(this.applying, index);
  }

  /**
   * The last index of the durable prefix of our current log: entries up to it are persisted and not shadowed by an
   * unpersisted overwrite. 0 while a received snapshot awaits persisting (the durable log is the old one).
   */
  durableIndex(): number {
    if (this.unstable.snapshot) return 0;
    return this.unstable.offset - 1;
  }

  /** Restores from a leader's snapshot: the log becomes empty after it, and it is committed. */
  restore(snapshot: Snapshot): void {
    this.committed = snapshot.metadata.index;
    this.unstable.restore(snapshot);
  }

  // --- Compaction ---------------------------------------------------------------------------------------------

  latestSnapshot(): Snapshot | undefined {
    return this.stable.snapshot();
  }

  /**
   * Term of an applied entry for a snapshot of the application's state. While a leader's snapshot is pending,
   * the current log starts after it, but the applied entries are still in the stable log.
   */
  appliedTerm(index: number): number | undefined {
    if (index > this.applied) return undefined;
    return this.term(index) ?? this.stable.term(index);
  }

  createSnapshot(index: number, snapshot: Snapshot): void {
    const current = this.stable.snapshot()?.metadata.index ?? 0;
    if (index <= current) throw new Error(`raft: snapshot at ${index} is not newer than the current one at ${current}`);
    if (index > this.applied) throw new Error(`raft: cannot snapshot ${index} beyond applied ${this.applied}`);
    this.stable.setSnapshot(snapshot);
  }

  compactTo(index: number): void {
    if (index > this.applied) throw new Error(`raft: cannot compact to ${index} beyond applied ${this.applied}`);
    const snapshotIndex = this.stable.snapshot()?.metadata.index ?? 0;
    if (index > snapshotIndex) {
      throw new Error(`raft: cannot compact to ${index} without a snapshot at or after it (snapshot at ${snapshotIndex})`);
    }
    this.stable.compactTo(Math.min(index, this.unstable.offset - 1));
  }
}
