// Watchers and event delivery. Single-key watchers sit in a Map so a write finds them without a scan; range and
// prefix watchers (few: the apiserver keeps about one per resource type) are checked one by one.
//
// Delivery is synchronous but never re-entrant: a write made from inside a sink is queued and delivered after the
// current batch, so every watcher still sees revisions in order.
import type { Key, KeyValue, WatchEvent } from '../api/types.js';
import { rangeContains, type KeyRange } from './key-range.js';
import { isTombstone, toEventKeyValue, type KeyRev } from './key-rev.js';

export type WatchSink = (events: WatchEvent[], revision: number) => void;

/** Looks up the previous version of a changed key (etcd: a read at mod_revision - 1), if still retained. */
export type PrevKvLookup = (r: KeyRev) => KeyValue | undefined;

export interface WatcherState {
  readonly id: number;
  readonly range: KeyRange;
  /** The first revision this watcher still has to receive live. */
  minRev: number;
  readonly noPut: boolean;
  readonly noDelete: boolean;
  readonly prevKv: boolean;
  readonly sink: WatchSink;
  active: boolean;
}

export class WatchHub {
  private readonly byKey = new Map<Key, Set<WatcherState>>();
  private readonly ranges = new Set<WatcherState>();
  private readonly queue: (() => void)[] = [];
  private draining = false;

  get size(): number {
    let n = this.ranges.size;
    for (const s of this.byKey.values()) n += s.size;
    return n;
  }

  add(w: WatcherState): void {
    if (w.range.single) {
      let set = this.byKey.get(w.range.key);
      if (set === undefined) {
        set = new Set();
        this.byKey.set(w.range.key, set);
      }
      set.add(w);
    } else {
      this.ranges.add(w);
    }
  }

  remove(w: WatcherState): void {
    w.active = false;
    if (w.range.single) {
      const set = this.byKey.get(w.range.key);
      if (set !== undefined && set.delete(w) && set.size === 0) this.byKey.delete(w.range.key);
    } else {
      this.ranges.delete(w);
    }
  }

  /** Delivers one committed revision's changes to every interested watcher: one sink call per watcher. */
  notify(rev: number, changes: readonly KeyRev[], prevOf: PrevKvLookup): void {
    if (this.byKey.size === 0 && this.ranges.size === 0) return;
    this.run(() => this.deliver(rev, changes, prevOf));
  }

  /**
   * Replays history to a watcher that is already registered (with minRev past the history): one sink call per
   * revision, in order. `history` is read when the replay runs, so it matches the state at that moment.
   */
  replay(w: WatcherState, history: () => readonly KeyRev[], prevOf: PrevKvLookup): void {
    const task = (): void => {
      const recs = history();
      let i = 0;
      while (i < recs.length && w.active) {
        const rev = recs[i]!.main;
        const events: WatchEvent[] = [];
        for (; i < recs.length && recs[i]!.main === rev; i++) {
          const r = recs[i]!;
          if (passes(w, r)) events.push(makeEvent(r, w.prevKv ? prevOf(r) : undefined));
        }
        if (events.length > 0) call(w, events, rev);
      }
    };
    // Called from inside a sink, the replay runs now: it covers up to the current revision, and anything later is
    // queued behind it anyway.
    if (this.draining) task();
    else this.run(task);
  }

  private run(task: () => void): void {
    this.queue.push(task);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let i = 0; i < this.queue.length; i++) this.queue[i]!();
    } finally {
      this.queue.length = 0;
      this.draining = false;
    }
  }

  private deliver(rev: number, changes: readonly KeyRev[], prevOf: PrevKvLookup): void {
    const batches = new Map<WatcherState, WatchEvent[]>();
    // Event objects are shared by every watcher that gets them; one variant with prev_kv, one without.
    const plain: (WatchEvent | undefined)[] = [];
    const withPrev: (WatchEvent | undefined)[] = [];
    for (let i = 0; i < changes.length; i++) {
      const r = changes[i]!;
      const visit = (w: WatcherState): void => {
        if (!w.active || rev < w.minRev || !passes(w, r)) return;
        const ev = w.prevKv ? (withPrev[i] ??= makeEvent(r, prevOf(r))) : (plain[i] ??= makeEvent(r, undefined));
        const list = batches.get(w);
        if (list === undefined) batches.set(w, [ev]);
        else list.push(ev);
      };
      this.byKey.get(r.key)?.forEach(visit);
      for (const w of this.ranges) if (rangeContains(w.range, r.key)) visit(w);
    }
    for (const [w, events] of batches) if (w.active) call(w, events, rev);
  }
}

function passes(w: WatcherState, r: KeyRev): boolean {
  return isTombstone(r) ? !w.noDelete : !w.noPut;
}

function makeEvent(r: KeyRev, prevKv: KeyValue | undefined): WatchEvent {
  const ev: WatchEvent = { type: isTombstone(r) ? 'DELETE' : 'PUT', kv: toEventKeyValue(r) };
  if (prevKv !== undefined) ev.prevKv = prevKv;
  return ev;
}

/** A throwing sink is a bug in its owner; it must not break the write that triggered it or other watchers. */
function call(w: WatcherState, events: WatchEvent[], rev: number): void {
  try {
    w.sink(events, rev);
  } catch (err) {
    queueMicrotask(() => {
      throw err;
    });
  }
}
