// RawNode: the application's handle on the Raft state machine (etcd-io/raft's RawNode model).
//
// The application drives it single-threaded:
//   - tick() every heartbeat interval; step(m) for each message from a peer; propose()/readIndex()/... on demand;
//   - whenever hasReady(): rd = ready(), then, IN THIS ORDER:
//       1. persist rd.snapshot (if any), rd.entries (overwriting any stored suffix from their first index) and then
//          rd.hardState (if any) — durably (fsync) — entries before the hard state, or all atomically;
//       2. send rd.messages (only now: they may acknowledge entries or grant votes that must survive a crash);
//       3. restore the state machine from rd.snapshot (if any), then apply rd.committedEntries in order, calling
//          applyConfChange() for each 'confChange' entry; hand rd.readStates to waiting reads;
//       4. advance(rd).
//
// Durability (why the order above is enough):
// - Votes: a vote, for a candidate or for oneself, is recorded in the hard state of the same Ready whose messages
//   carry it (the voteResp, or the vote requests), so it is on disk before anyone can learn of it; a crash before
//   step 1 loses the vote and the messages together.
// - Follower acks: an appResp travels in the Ready that persists the entries it acknowledges, so an ack always
//   means "on disk"; a snapshot is acknowledged the same way.
// - The leader's own copy: the leader counts its own entries toward the commit quorum only once the Ready
//   carrying them was advanced (the self-acknowledgement happens in advance(), from the durable prefix of its log),
//   never on append. So a commit index in any Ready, message or hard state always counts a majority of disks.
//   (etcd's synchronous mode counts on append instead, arguing that commits advance only through follower acks
//   sent after the leader's own Ready was persisted; counting at advance() does not need that argument, and so
//   also lets a leader send its appends in parallel with its own disk write, thesis §10.2.1, when its term and
//   vote did not change.)
// - Ready.committedEntries may include entries of the same Ready's `entries` (a follower learning the commit with
//   the entries): the application persists before it applies. Readies are advanced in the order handed out.
import { ProposalDroppedError } from './errors.js';
import { isLocalOnly, makeMessage } from './messages.js';
import type { ProgressState } from './progress.js';
import { Raft } from './raft.js';
import {
  NONE,
  type ConfChange,
  type ConfState,
  type Entry,
  type HardState,
  type Message,
  type MessageType,
  type NodeId,
  type RaftConfig,
  type Ready,
  type Snapshot,
  type SoftState,
  type StateRole,
} from './types.js';

export interface ProgressStatus {
  match: number;
  next: number;
  state: ProgressState;
  /** Append messages sent and not yet acknowledged (replicate state). */
  inflight: number;
  recentActive: boolean;
  isLearner: boolean;
}

export interface RaftStatus {
  id: NodeId;
  term: number;
  vote: NodeId;
  commit: number;
  applied: number;
  lead: NodeId;
  role: StateRole;
  leadTransferee: NodeId;
  /** Each member's replication progress; only on the leader. */
  progress?: Record<NodeId, ProgressStatus>;
  confState: ConfState;
}

/** A retained view of the log, for diagnostics and tests. */
export interface LogView {
  /** Index and term of the entry before entries[0] (the snapshot or compaction point). */
  prevIndex: number;
  prevTerm: number;
  /** Every retained entry, persisted or not. */
  entries: Entry[];
}

export class RawNode {
  private readonly raft: Raft;
  private prevSoftState: SoftState;
  private prevHardState: HardState;
  /** Indexes of conf-change entries handed out for applying, oldest first, awaiting applyConfChange(). */
  private confChangesToApply: number[] = [];
  /** Configuration after each applied conf change (by its index), so a snapshot at an index gets that index's. */
  private confHistory: Array<{ index: number; confState: ConfState }>;

  /**
   * Restores from config.storage: the hard state, the snapshot (whose configuration wins over
   * storage.confState), and the entries after it. The state machine is assumed to be at the snapshot: committed
   * entries after it are handed out again for applying.
   */
  constructor(config: RaftConfig) {
    this.raft = new Raft(config);
    this.prevSoftState = { lead: NONE, role: 'follower' };
    this.prevHardState = { ...config.storage.hardState };
    this.confHistory = [
      { index: config.storage.snapshot?.metadata.index ?? 0, confState: this.raft.tracker.confState() },
    ];
  }

  /** One logical clock tick: elections time out, leaders send heartbeats. */
  tick(): void {
    this.raft.tick();
  }

  /**
   * A message from a peer. Local-only message types, and messages claiming to come from this node or from nobody,
   * are ignored; stale or inapplicable messages are ignored by the state machine.
   */
  step(m: Message): void {
    if (isLocalOnly(m.type) || m.from === NONE || m.from === this.raft.id) return;
    this.raft.step(m);
  }

  /** Starts an election now (pre-vote first if configured). No-op for a leader or a node that may not vote. */
  campaign(): void {
    this.raft.step(this.local('hup'));
  }

  /**
   * Proposes an application command. A follower forwards it to its leader (the proposal may still be lost: the
   * application learns the outcome by seeing it applied). Throws ProposalDroppedError when there is no leader,
   * a leadership transfer is in progress, or this leader was removed.
   */
  propose(data: string): void {
    this.raft.step(this.local('prop', { entries: [{ term: 0, index: 0, type: 'normal', data }] }));
  }

  /** Proposes a single-member configuration change; also refused while another one is pending or unapplied. */
  proposeConfChange(cc: ConfChange): void {
    if (this.raft.lead === NONE) throw new ProposalDroppedError('no leader');
    if (this.raft.hasPendingConfChange()) throw new ProposalDroppedError('another configuration change is pending');
    const data = JSON.stringify({ type: cc.type, nodeId: cc.nodeId, context: cc.context });
    this.raft.step(this.local('prop', { entries: [{ term: 0, index: 0, type: 'confChange', data }] }));
  }

  /**
   * Called by the application while applying a committed 'confChange' entry: the configuration changes now
   * (quorum sizes follow it). Returns the new configuration, to store with the application's state.
   */
  applyConfChange(cc: ConfChange): ConfState {
    const confState = this.raft.applyConfChange(cc);
    const index = this.confChangesToApply.shift() ?? this.raft.log.applying;
    this.confHistory.push({ index, confState });
    return confState;
  }

  /**
   * Requests a linearizable read. A ReadState{index, requestCtx} comes out in a later Ready once it is safe: the
   * read may be served when the local applied index reaches `index`. The context must be non-empty and unique
   * among pending reads. Throws ProposalDroppedError when no leader is known. A read may be silently lost (e.g.
   * leadership changes): callers time out and retry.
   */
  readIndex(requestCtx: string): void {
    if (requestCtx === '') throw new Error('raft: readIndex needs a non-empty request context');
    this.raft.step(this.local('readIndex', { context: requestCtx }));
  }

  /**
   * Asks the leader (directly, or via this follower) to hand leadership to `to`. Proposals are dropped while the
   * transfer is in progress; it is abandoned after an election timeout. No-op when no leader is known.
   */
  transferLeader(to: NodeId): void {
    // As in etcd, the transferee travels in `from`.
    this.raft.step(makeMessage({ type: 'transferLeader', to: this.raft.id, from: to, term: 0 }));
  }

  /** The transport could not reach `id`: stop streaming appends to it and probe instead. */
  reportUnreachable(id: NodeId): void {
    this.raft.step(makeMessage({ type: 'unreachable', to: this.raft.id, from: id, term: 0 }));
  }

  /** Outcome of sending a snapshot to `id`; either way the leader goes back to probing it. */
  reportSnapshot(id: NodeId, ok: boolean): void {
    this.raft.step(makeMessage({ type: 'snapStatus', to: this.raft.id, from: id, term: 0, reject: !ok }));
  }

  hasReady(): boolean {
    const r = this.raft;
    return (
      !sameSoftState(this.softState(), this.prevSoftState) ||
      !sameHardState(this.hardState(), this.prevHardState) ||
      r.log.nextUnstableSnapshot() !== undefined ||
      r.log.hasNextUnstableEntries() ||
      r.msgs.length > 0 ||
      r.log.hasNextCommittedEntries() ||
      r.readStates.length > 0
    );
  }

  /**
   * What to persist, send and apply now (see the order at the top of this file). Everything handed out is marked
   * in progress: a second ready() before advance() hands out only what is new since.
   */
  ready(): Ready {
    const r = this.raft;
    const rd: Ready = {
      entries: r.log.nextUnstableEntries(),
      committedEntries: r.log.nextCommittedEntries(),
      messages: r.msgs,
      readStates: r.readStates,
    };
    const softState = this.softState();
    if (!sameSoftState(softState, this.prevSoftState)) rd.softState = softState;
    const hardState = this.hardState();
    if (!sameHardState(hardState, this.prevHardState)) rd.hardState = hardState;
    const snapshot = r.log.nextUnstableSnapshot();
    if (snapshot) rd.snapshot = snapshot;

    // Accept: everything above is now the application's.
    if (rd.softState) this.prevSoftState = rd.softState;
    if (rd.hardState) this.prevHardState = rd.hardState;
    r.log.acceptUnstable();
    if (snapshot) {
      // The configuration switched to the snapshot's when it was received.
      this.confHistory = [{ index: snapshot.metadata.index, confState: snapshot.metadata.confState }];
      this.confChangesToApply = [];
    }
    const lastCommitted = rd.committedEntries[rd.committedEntries.length - 1];
    if (lastCommitted) {
      r.log.acceptApplying(lastCommitted.index);
      for (const e of rd.committedEntries) if (e.type === 'confChange') this.confChangesToApply.push(e.index);
    }
    r.msgs = [];
    r.readStates = [];
    return rd;
  }

  /**
   * The application persisted rd's snapshot, entries and hard state, sent its messages and applied its snapshot
   * and committed entries. The leader's self-acknowledgement of its own entries happens here.
   */
  advance(rd: Ready): void {
    const log = this.raft.log;
    if (rd.snapshot) log.stableSnapTo(rd.snapshot.metadata.index);
    const lastEntry = rd.entries[rd.entries.length - 1];
    if (lastEntry) log.stableTo(lastEntry.index, lastEntry.term);
    const lastApplied = rd.committedEntries[rd.committedEntries.length - 1]?.index ?? rd.snapshot?.metadata.index;
    if (lastApplied !== undefined) log.appliedTo(lastApplied);
    this.raft.onPersisted();
  }

  /**
   * Records the application's snapshot of its state at applied index `index` (<= applied, newer than the
   * previous snapshot). The application persists it; it is sent to followers that need compacted entries.
   */
  createSnapshot(index: number, data: Uint8Array): Snapshot {
    const log = this.raft.log;
    if (index > log.applied) throw new Error(`raft: cannot snapshot ${index} beyond applied ${log.applied}`);
    const term = log.appliedTerm(index);
    if (term === undefined) throw new Error(`raft: cannot snapshot ${index}: the entry was compacted`);
    const snapshot: Snapshot = { metadata: { index, term, confState: this.confStateAt(index) }, data };
    log.createSnapshot(index, snapshot);
    // Keep the configuration in force at the snapshot and every later one.
    const firstKept = this.confHistory.findLastIndex((h) => h.index <= index);
    if (firstKept > 0) this.confHistory = this.confHistory.slice(firstKept);
    return snapshot;
  }

  /** Drops log entries <= index; index must be <= applied and covered by the latest snapshot. */
  compactLog(index: number): void {
    this.raft.log.compactTo(index);
  }

  status(): RaftStatus {
    const r = this.raft;
    const status: RaftStatus = {
      id: r.id,
      term: r.term,
      vote: r.vote,
      commit: r.log.committed,
      applied: r.log.applied,
      lead: r.lead,
      role: r.role,
      leadTransferee: r.leadTransferee,
      confState: r.tracker.confState(),
    };
    if (r.role === 'leader') {
      const progress: Record<NodeId, ProgressStatus> = {};
      for (const [id, pr] of r.tracker.progress) {
        progress[id] = {
          match: pr.match,
          next: pr.next,
          state: pr.state,
          inflight: pr.inflights.count(),
          recentActive: pr.recentActive,
          isLearner: pr.isLearner,
        };
      }
      status.progress = progress;
    }
    return status;
  }

  /** The retained log (persisted and not), for diagnostics and tests. */
  logView(): LogView {
    const log = this.raft.log;
    const prevIndex = log.firstIndex() - 1;
    return { prevIndex, prevTerm: log.term(prevIndex) ?? 0, entries: log.allEntries() };
  }

  private confStateAt(index: number): ConfState {
    const entry = this.confHistory.findLast((h) => h.index <= index) ?? this.confHistory[0]!;
    return { voters: [...entry.confState.voters], learners: [...entry.confState.learners] };
  }

  private softState(): SoftState {
    return { lead: this.raft.lead, role: this.raft.role };
  }

  private hardState(): HardState {
    return { term: this.raft.term, vote: this.raft.vote, commit: this.raft.log.committed };
  }

  private local(type: MessageType, fields: Partial<Message> = {}): Message {
    return makeMessage({ ...fields, type, to: this.raft.id, from: this.raft.id, term: 0 });
  }
}

function sameSoftState(a: SoftState, b: SoftState): boolean {
  return a.lead === b.lead && a.role === b.role;
}

function sameHardState(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}
