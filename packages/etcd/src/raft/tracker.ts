// The cluster configuration (voters and learners) and, on the leader, each member's replication progress.
// Single-member changes only (§6 / thesis §4.1): a change takes effect when the application applies it.
import { compareNodeIds, sortedNodeIds } from './node-id.js';
import { Progress } from './progress.js';
import { committedIndex, isQuorum, voteResult, type VoteResult } from './quorum.js';
import { NONE, type ConfChange, type ConfState, type NodeId } from './types.js';

export class ProgressTracker {
  private voterIds: NodeId[] = [];
  private learnerIds: NodeId[] = [];
  readonly progress = new Map<NodeId, Progress>();
  private readonly votes = new Map<NodeId, boolean>();

  constructor(
    confState: ConfState,
    private readonly maxInflight: number,
    nextIndex: number,
  ) {
    this.restore(confState, nextIndex);
  }

  voters(): readonly NodeId[] {
    return this.voterIds;
  }

  isVoter(id: NodeId): boolean {
    return this.voterIds.includes(id);
  }

  isLearner(id: NodeId): boolean {
    return this.learnerIds.includes(id);
  }

  confState(): ConfState {
    return { voters: [...this.voterIds], learners: [...this.learnerIds] };
  }

  /** Only one voter, so a leader needs nobody else to commit or confirm reads. */
  isSingleton(): boolean {
    return this.voterIds.length === 1;
  }

  /** Replaces the configuration (boot, or a snapshot from the leader); progress starts over. */
  restore(confState: ConfState, nextIndex: number): void {
    this.voterIds = sortedNodeIds(new Set(confState.voters));
    this.learnerIds = sortedNodeIds(new Set(confState.learners.filter((id) => !confState.voters.includes(id))));
    this.progress.clear();
    for (const id of this.voterIds) this.progress.set(id, new Progress(nextIndex, this.maxInflight, false));
    for (const id of this.learnerIds) this.progress.set(id, new Progress(nextIndex, this.maxInflight, true));
  }

  /** Every member's progress starts over (a new term): nothing is known about followers' logs. */
  resetProgress(nextIndex: number, selfId: NodeId, selfMatch: number): void {
    for (const [id, pr] of this.progress) {
      const fresh = new Progress(nextIndex, this.maxInflight, pr.isLearner);
      if (id === selfId) fresh.match = selfMatch;
      this.progress.set(id, fresh);
    }
  }

  applyConfChange(cc: ConfChange, nextIndex: number): ConfState {
    const id = cc.nodeId;
    // etcd's convention: a change for node 0 is a no-op (the application refused it but still applies the entry).
    if (id === NONE) return this.confState();
    switch (cc.type) {
      case 'addNode': {
        if (this.isVoter(id)) break;
        this.learnerIds = this.learnerIds.filter((l) => l !== id);
        this.voterIds = [...this.voterIds, id].sort(compareNodeIds);
        const pr = this.progress.get(id);
        if (pr) pr.isLearner = false;
        else this.addProgress(id, nextIndex, false);
        break;
      }
      case 'addLearner': {
        if (this.isLearner(id)) break;
        this.voterIds = this.voterIds.filter((v) => v !== id);
        this.learnerIds = [...this.learnerIds, id].sort(compareNodeIds);
        const pr = this.progress.get(id);
        if (pr) pr.isLearner = true;
        else this.addProgress(id, nextIndex, true);
        break;
      }
      case 'removeNode':
        this.voterIds = this.voterIds.filter((v) => v !== id);
        this.learnerIds = this.learnerIds.filter((l) => l !== id);
        this.progress.delete(id);
        this.votes.delete(id);
        break;
    }
    return this.confState();
  }

  private addProgress(id: NodeId, nextIndex: number, isLearner: boolean): void {
    const pr = new Progress(nextIndex, this.maxInflight, isLearner);
    // A new member counts as active so check-quorum does not fire before it had a chance to answer.
    pr.recentActive = true;
    this.progress.set(id, pr);
  }

  /** The highest index replicated on a majority of voters. */
  committed(): number {
    return committedIndex(this.voterIds, (id) => this.progress.get(id)?.match ?? 0);
  }

  resetVotes(): void {
    this.votes.clear();
  }

  recordVote(id: NodeId, granted: boolean): VoteResult {
    if (!this.votes.has(id)) this.votes.set(id, granted);
    return voteResult(this.voterIds, this.votes);
  }

  /** Heard from a quorum of voters since the last check (the leader counts itself). */
  quorumActive(selfId: NodeId): boolean {
    return isQuorum(this.voterIds, (id) => id === selfId || this.progress.get(id)?.recentActive === true);
  }

  resetRecentActive(selfId: NodeId): void {
    for (const [id, pr] of this.progress) pr.recentActive = id === selfId;
  }

  /** Quorum check for a set of acknowledging voters (ReadIndex). */
  hasQuorum(acks: ReadonlySet<NodeId>): boolean {
    return isQuorum(this.voterIds, (id) => acks.has(id));
  }

  peers(selfId: NodeId): NodeId[] {
    return [...this.progress.keys()].filter((id) => id !== selfId).sort(compareNodeIds);
  }
}
