// The volatile tail of the log: entries (and possibly a snapshot) that the application has not yet persisted.
// "In progress" marks the part already handed out in a Ready, so a second ready() before advance() does not hand
// the same entries out twice.
import type { Entry, Snapshot } from './types.js';

export class UnstableLog {
  snapshot: Snapshot | undefined;
  snapshotInProgress = false;
  entries: Entry[] = [];
  /** Index of entries[0]; when entries is empty, the index the next unstable entry will have. */
  offset: number;
  /** Entries below this index were handed out in a Ready and await advance(). */
  offsetInProgress: number;

  constructor(offset: number) {
    this.offset = offset;
    this.offsetInProgress = offset;
  }

  lastIndex(): number | undefined {
    if (this.entries.length > 0) return this.offset + this.entries.length - 1;
    return this.snapshot?.metadata.index;
  }

  firstIndex(): number | undefined {
    return this.snapshot ? this.snapshot.metadata.index + 1 : undefined;
  }

  /** The term of index if this part of the log knows it. */
  term(index: number): number | undefined {
    if (index < this.offset) {
      return this.snapshot !== undefined && this.snapshot.metadata.index === index ? this.snapshot.metadata.term : undefined;
    }
    const last = this.lastIndex();
    if (last === undefined || index > last) return undefined;
    return this.entries[index - this.offset]!.term;
  }

  /** Entries not yet handed out in a Ready. */
  nextEntries(): Entry[] {
    return this.entries.slice(this.offsetInProgress - this.offset);
  }

  nextSnapshot(): Snapshot | undefined {
    return this.snapshot !== undefined && !this.snapshotInProgress ? this.snapshot : undefined;
  }

  acceptInProgress(): void {
    this.offsetInProgress = this.offset + this.entries.length;
    if (this.snapshot) this.snapshotInProgress = true;
  }

  /**
   * The application persisted entries up to (index, term): they leave the unstable part. If that index was
   * overwritten by a newer leader since the Ready (different term), nothing is stable yet.
   */
  stableTo(index: number, term: number): Entry[] {
    if (index < this.offset || this.term(index) !== term) return [];
    const count = index + 1 - this.offset;
    const stabilized = this.entries.slice(0, count);
    this.entries = this.entries.slice(count);
    this.offset = index + 1;
    this.offsetInProgress = Math.max(this.offsetInProgress, this.offset);
    return stabilized;
  }

  stableSnapTo(index: number): Snapshot | undefined {
    if (this.snapshot === undefined || this.snapshot.metadata.index !== index) return undefined;
    const snapshot = this.snapshot;
    this.snapshot = undefined;
    this.snapshotInProgress = false;
    return snapshot;
  }

  restore(snapshot: Snapshot): void {
    this.offset = snapshot.metadata.index + 1;
    this.offsetInProgress = this.offset;
    this.entries = [];
    this.snapshot = snapshot;
    this.snapshotInProgress = false;
  }

  /** Appends entries whose first index may overwrite a suffix of the unstable (or stable) log. */
  truncateAndAppend(entries: readonly Entry[]): void {
    const from = entries[0]!.index;
    if (from === this.offset + this.entries.length) {
      this.entries.push(...entries);
    } else if (from <= this.offset) {
      // Replaces everything unstable, and shadows the stable entries from `from` on until they are persisted.
      this.offset = from;
      this.offsetInProgress = from;
      this.entries = [...entries];
    } else {
      this.entries = [...this.entries.slice(0, from - this.offset), ...entries];
      this.offsetInProgress = Math.min(this.offsetInProgress, from);
    }
  }
}
