// The watch cache's recent events, oldest first, in a bounded ring: what lets a watcher start at an older revision.
import type { StoreWatchEvent } from './contract.js';

export class EventHistory {
  private buf: StoreWatchEvent[] = [];
  /** Index of the oldest event once the ring is full (0 while it grows). */
  private head = 0;
  private size = 0;
  /**
   * Every event with a revision above this one is in the buffer or still to come, so a watch may start at any
   * revision >= it. Starts at the initial list's revision and rises as old events are dropped.
   */
  private start = 0;

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new TypeError(`history capacity must be a positive integer, got ${capacity}`);
  }

  get startRevision(): number {
    return this.start;
  }

  get length(): number {
    return this.size;
  }

  /** Forgets every event: the history now begins after `revision` (a fresh list). */
  reset(revision: number): void {
    this.buf = [];
    this.head = 0;
    this.size = 0;
    this.start = revision;
  }

  /** Appends an event (revisions never decrease); the oldest is dropped when full. */
  push(event: StoreWatchEvent): void {
    if (this.size < this.capacity) {
      this.buf.push(event);
      this.size++;
      return;
    }
    const dropped = this.buf[this.head];
    if (dropped) this.start = Math.max(this.start, dropped.revision);
    this.buf[this.head] = event;
    this.head = (this.head + 1) % this.capacity;
  }

  /** The buffered events with revision > `revision`, oldest first. */
  *since(revision: number): Generator<StoreWatchEvent> {
    // Binary search for the first event past `revision`.
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).revision <= revision) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < this.size; i++) yield this.at(i);
  }

  private at(i: number): StoreWatchEvent {
    const ev = this.buf[(this.head + i) % this.capacity];
    if (!ev) throw new Error(`event history index ${i} out of range`);
    return ev;
  }
}
