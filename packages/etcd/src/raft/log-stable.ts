// The durable part of the log, as the core knows it: a mirror of what the application has persisted (the core has
// no storage interface to read back from, so it keeps the entries in memory until the application compacts them).
import type { Entry, Snapshot } from './types.js';

export class StableLog {
  /** Index and term of the entry just before `entries[0]`: the snapshot or compaction point (0/0 for a fresh log). */
  private prevIndex: number;
  private prevTerm: number;
  private entries: Entry[];
  /** Latest snapshot (created locally or received from a leader); sent to followers that fell behind the log. */
  private latestSnapshot: Snapshot | undefined;

  constructor(snapshot: Snapshot | undefined, entries: readonly Entry[]) {
    this.latestSnapshot = snapshot;
    this.prevIndex = snapshot?.metadata.index ?? 0;
    this.prevTerm = snapshot?.metadata.term ?? 0;
    // Entries at or below the snapshot are covered by it (the application may keep a few for followers).
    const retained = entries.filter((e) => e.index > this.prevIndex);
    if (retained.length > 0 && retained[0]!.index !== this.prevIndex + 1) {
      throw new Error(
        `raft: stored entries start at ${retained[0]!.index} but the log needs ${this.prevIndex + 1} (snapshot ${this.prevIndex})`,
      );
    }
    retained.forEach((e, i) => {
      if (e.index !== this.prevIndex + 1 + i) throw new Error(`raft: stored entries are not contiguous at ${e.index}`);
    });
    this.entries = retained;
  }

  firstIndex(): number {
    return this.prevIndex + 1;
  }

  lastIndex(): number {
    return this.prevIndex + this.entries.length;
  }

  /** Term of entry `index`, or undefined when compacted away or beyond the end. */
  term(index: number): number | undefined {
    if (index === this.prevIndex) return this.prevTerm;
    if (index < this.prevIndex || index > this.lastIndex()) return undefined;
    return this.entries[index - this.prevIndex - 1]!.term;
  }

  /** Entries [lo, hi); the caller keeps the bounds within [firstIndex, lastIndex + 1]. */
  slice(lo: number, hi: number): Entry[] {
    return this.entries.slice(lo - this.prevIndex - 1, hi - this.prevIndex - 1);
  }

  snapshot(): Snapshot | undefined {
    return this.latestSnapshot;
  }

  /** Persisted entries overwrite any stored suffix from their first index on. */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    const first = entries[0]!.index;
    if (first <= this.prevIndex) throw new Error(`raft: appending ${first} below the compaction point ${this.prevIndex}`);
    if (first > this.lastIndex() + 1) throw new Error(`raft: appending ${first} leaves a gap after ${this.lastIndex()}`);
    this.entries.length = first - this.prevIndex - 1;
    this.entries.push(...entries);
  }

  /** A snapshot received from the leader replaces the whole log. */
  applySnapshot(snapshot: Snapshot): void {
    this.latestSnapshot = snapshot;
    this.prevIndex = snapshot.metadata.index;
    this.prevTerm = snapshot.metadata.term;
    this.entries = [];
  }

  /** A snapshot the application took of its own state; the log is unchanged until compactTo. */
  setSnapshot(snapshot: Snapshot): void {
    this.latestSnapshot = snapshot;
  }

  /** Drops entries <= index, remembering the term at index so appends after it can still be matched. */
  compactTo(index: number): void {
    if (index <= this.prevIndex) return;
    if (index > this.lastIndex()) throw new Error(`raft: cannot compact to ${index} beyond the stable log end ${this.lastIndex()}`);
    const term = this.term(index)!;
    this.entries = this.entries.slice(index - this.prevIndex);
    this.prevIndex = index;
    this.prevTerm = term;
  }
}
