// The leader's view of one follower's log (§5.3), with etcd's flow control:
// - probe: we do not know where the follower's log matches; send one append at a time and wait for an answer.
// - replicate: the follower is in sync; stream appends optimistically, bounded by an in-flight window.
// - snapshot: the follower needs entries we compacted; a snapshot is on its way, appends are paused.

export type ProgressState = 'probe' | 'replicate' | 'snapshot';

/** Last indexes of the append messages sent but not yet acknowledged, oldest first (a bounded window). */
export class Inflights {
  private readonly lastIndexes: number[] = [];

  constructor(readonly capacity: number) {}

  add(lastIndex: number): void {
    if (this.full()) throw new Error('raft: in-flight window overflow');
    this.lastIndexes.push(lastIndex);
  }

  /** An ack up to `index` frees every message whose entries it covers. */
  freeLE(index: number): void {
    let freed = 0;
    while (freed < this.lastIndexes.length && this.lastIndexes[freed]! <= index) freed++;
    this.lastIndexes.splice(0, freed);
  }

  /** Forgets the oldest in-flight message (presumed lost). */
  freeFirst(): void {
    this.lastIndexes.shift();
  }

  full(): boolean {
    return this.lastIndexes.length >= this.capacity;
  }

  count(): number {
    return this.lastIndexes.length;
  }

  reset(): void {
    this.lastIndexes.length = 0;
  }
}

export class Progress {
  /** Highest index known to be replicated (and persisted) on the follower. */
  match = 0;
  /** Next index to send. */
  next: number;
  state: ProgressState = 'probe';
  /** Index of the snapshot in flight while in the snapshot state. */
  pendingSnapshot = 0;
  /** Heard from within the current election timeout (check-quorum), or freshly added. */
  recentActive = false;
  /** In probe state: an append was sent and we wait for its answer (or the next heartbeat response). */
  probeSent = false;
  readonly inflights: Inflights;

  constructor(
    next: number,
    maxInflight: number,
    public isLearner: boolean,
  ) {
    this.next = next;
    this.inflights = new Inflights(maxInflight);
  }

  private resetState(state: ProgressState): void {
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.state = state;
    this.inflights.reset();
  }

  becomeProbe(): void {
    if (this.state === 'snapshot') {
      // Resume after the snapshot if it was delivered (an ack will confirm; a rejection will back off).
      const pendingSnapshot = this.pendingSnapshot;
      this.resetState('probe');
      this.next = Math.max(this.match + 1, pendingSnapshot + 1);
    } else {
      this.resetState('probe');
      this.next = this.match + 1;
    }
  }

  becomeReplicate(): void {
    this.resetState('replicate');
    this.next = this.match + 1;
  }

  becomeSnapshot(snapshotIndex: number): void {
    this.resetState('snapshot');
    this.pendingSnapshot = snapshotIndex;
  }

  /** An ack for `index`: returns whether match advanced. */
  maybeUpdate(index: number): boolean {
    let updated = false;
    if (this.match < index) {
      this.match = index;
      updated = true;
      this.probeSent = false;
    }
    this.next = Math.max(this.next, index + 1);
    return updated;
  }

  /**
   * A rejection of the append whose previous index was `rejected`; `matchHint` is where the logs may match.
   * Returns false for a stale rejection (one answering an older append).
   */
  maybeDecrTo(rejected: number, matchHint: number): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false;
      // The optimistic stream diverged: restart from what is known to match.
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, matchHint + 1), this.match + 1);
    this.probeSent = false;
    return true;
  }

  /** Whether sending appends to this follower is currently held back. */
  isPaused(): boolean {
    switch (this.state) {
      case 'probe':
        return this.probeSent;
      case 'replicate':
        return this.inflights.full();
      case 'snapshot':
        return true;
    }
  }

  /** Records an append carrying entries up to lastIndex (count > 0), or an empty one (count 0). */
  sentEntries(count: number, lastIndex: number): void {
    if (count === 0) return;
    if (this.state === 'replicate') {
      this.next = lastIndex + 1;
      this.inflights.add(lastIndex);
    } else if (this.state === 'probe') {
      this.probeSent = true;
    }
  }
}
