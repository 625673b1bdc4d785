// Raft's safety properties (Figure 3 of the paper), checked against what the simulated nodes actually hold.
// The checks are incremental (registries of everything ever seen) so they can run after every simulation step.
import { NONE, type Entry, type HardState, type LogView, type NodeId, type RaftStatus } from '../../src/raft/index.js';

export class InvariantViolation extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvariantViolation';
  }
}

/** One applied state-machine command (the simulated application's state is the list of these). */
export interface AppliedEntry {
  index: number;
  term: number;
  type: Entry['type'];
  data: string;
}

interface EntryFacts {
  type: Entry['type'];
  data: string;
  /** Term of the entry just before it in any log holding it. */
  prevTerm: number;
}

interface CommittedFacts {
  term: number;
  type: Entry['type'];
  data: string;
  /** An upper bound on the term in which it was committed: the observer's term when first seen committed. */
  commitTerm: number;
}

/** Numeric key for (index, term): terms stay far below 2^20 in simulations. */
function key(index: number, term: number): number {
  return index * 1_048_576 + term;
}

export class SafetyChecker {
  /** Election Safety: who led each term, over the whole run. */
  readonly leaderOfTerm = new Map<number, NodeId>();
  /** Every (index, term) ever seen in any log, with its content: Log Matching by induction on the prefix. */
  private readonly entries = new Map<number, EntryFacts>();
  /** Every index ever seen committed. */
  readonly committed = new Map<number, CommittedFacts>();
  /** State Machine Safety: the command applied at each index, by anyone. */
  private readonly applied = new Map<number, AppliedEntry>();
  /** Granted (real) votes: voter@term -> candidate. */
  private readonly votes = new Map<string, NodeId>();
  /** Highest commit index observed anywhere, ever (for ReadIndex checks). */
  maxCommitSeen = 0;
  /** Per node: its commit index already registered (restarts begin again from the snapshot). */
  private readonly registeredCommit = new Map<NodeId, number>();

  /** The node restarted: its log and commit index are re-read from disk. */
  forgetNode(id: NodeId): void {
    this.registeredCommit.delete(id);
  }

  /** Called with the status and log of a live node whose state may have changed. */
  observeNode(status: RaftStatus, log: LogView): void {
    this.checkLog(status.id, log);
    if (status.role === 'leader') {
      const previous = this.leaderOfTerm.get(status.term);
      if (previous !== undefined && previous !== status.id) {
        throw new InvariantViolation(`Election Safety: term ${status.term} has two leaders, ${previous} and ${status.id}`);
      }
      this.leaderOfTerm.set(status.term, status.id);
    }
    this.registerCommitted(status, log);
  }

  /** Leader Completeness: a leader's log holds every entry committed in an earlier term. */
  checkLeaderCompleteness(status: RaftStatus, log: LogView): void {
    if (status.role !== 'leader') return;
    for (const [index, facts] of this.committed) {
      if (facts.commitTerm >= status.term) continue;
      if (index < log.prevIndex) continue; // compacted into the leader's snapshot
      const term = index === log.prevIndex ? log.prevTerm : log.entries[index - log.prevIndex - 1]?.term;
      if (term !== facts.term) {
        throw new InvariantViolation(
          `Leader Completeness: leader ${status.id} of term ${status.term} lacks entry ${index} (term ${facts.term}) ` +
            `committed by term ${facts.commitTerm}; it has ${term === undefined ? 'nothing' : `term ${term}`} there`,
        );
      }
    }
  }

  private checkLog(id: NodeId, log: LogView): void {
    let prevTerm = log.prevTerm;
    let expectedIndex = log.prevIndex + 1;
    for (const e of log.entries) {
      if (e.index !== expectedIndex) throw new InvariantViolation(`node ${id}: log not contiguous at ${e.index}`);
      if (e.term < prevTerm) throw new InvariantViolation(`node ${id}: term decreases at ${e.index}`);
      const k = key(e.index, e.term);
      const known = this.entries.get(k);
      if (known === undefined) {
        this.entries.set(k, { type: e.type, data: e.data, prevTerm });
      } else if (known.data !== e.data || known.type !== e.type || known.prevTerm !== prevTerm) {
        throw new InvariantViolation(
          `Log Matching: node ${id} has entry ${e.index}/term ${e.term} = ${JSON.stringify(e.data)} after term ${prevTerm}, ` +
            `another log has ${JSON.stringify(known.data)} after term ${known.prevTerm}`,
        );
      }
      prevTerm = e.term;
      expectedIndex++;
    }
  }

  private registerCommitted(status: RaftStatus, log: LogView): void {
    this.maxCommitSeen = Math.max(this.maxCommitSeen, status.commit);
    const from = Math.max(log.prevIndex + 1, (this.registeredCommit.get(status.id) ?? 0) + 1);
    this.registeredCommit.set(status.id, Math.max(status.commit, this.registeredCommit.get(status.id) ?? 0));
    for (let index = from; index <= status.commit; index++) {
      const e = log.entries[index - log.prevIndex - 1];
      if (!e) throw new InvariantViolation(`node ${status.id}: commit ${status.commit} beyond its log end`);
      const known = this.committed.get(index);
      if (known === undefined) {
        this.committed.set(index, { term: e.term, type: e.type, data: e.data, commitTerm: status.term });
      } else if (known.term !== e.term || known.data !== e.data) {
        throw new InvariantViolation(
          `committed entry ${index} changed: was term ${known.term} ${JSON.stringify(known.data)}, node ${status.id} ` +
            `has term ${e.term} ${JSON.stringify(e.data)}`,
        );
      }
    }
  }

  /** State Machine Safety: no two nodes apply different commands at the same index. */
  observeApplied(id: NodeId, entry: AppliedEntry): void {
    const known = this.applied.get(entry.index);
    if (known === undefined) {
      this.applied.set(entry.index, entry);
    } else if (known.term !== entry.term || known.data !== entry.data || known.type !== entry.type) {
      throw new InvariantViolation(
        `State Machine Safety: node ${id} applied ${JSON.stringify(entry)} at ${entry.index}, another node applied ${JSON.stringify(known)}`,
      );
    }
  }

  /** One vote per term: a node never grants two candidates in the same term, even across crashes. */
  observeVoteGranted(voter: NodeId, term: number, candidate: NodeId): void {
    const k = `${voter}@${term}`;
    const previous = this.votes.get(k);
    if (previous !== undefined && previous !== candidate) {
      throw new InvariantViolation(`node ${voter} granted votes in term ${term} to both ${previous} and ${candidate}`);
    }
    this.votes.set(k, candidate);
  }

  /** What a node persists never moves backwards: term, the vote within a term, commit. */
  observePersistedHardState(id: NodeId, before: HardState, after: HardState): void {
    if (after.term < before.term) throw new InvariantViolation(`node ${id}: persisted term went back ${before.term} -> ${after.term}`);
    if (after.term === before.term && before.vote !== NONE && after.vote !== before.vote) {
      throw new InvariantViolation(`node ${id}: persisted vote in term ${after.term} changed ${before.vote} -> ${after.vote}`);
    }
    if (after.commit < before.commit) {
      throw new InvariantViolation(`node ${id}: persisted commit went back ${before.commit} -> ${after.commit}`);
    }
  }
}
