// The Raft state machine (Ongaro & Ousterhout, "In Search of an Understandable Consensus Algorithm", and the
// thesis), with etcd-io/raft's extensions: pre-vote, check-quorum with leader stickiness, flow control, ReadIndex,
// leadership transfer and single-member configuration changes. Deterministic and free of I/O: inputs are ticks
// and messages, outputs are queued in `msgs`/`readStates` and in the log, collected by RawNode into Readies.
import { ProposalDroppedError } from './errors.js';
import { RaftLog } from './log.js';
import { CAMPAIGN_TRANSFER_CONTEXT, isTermless, makeMessage, type MessageFields } from './messages.js';
import type { Progress } from './progress.js';
import { ReadOnlyQueue } from './read-only.js';
import { ProgressTracker } from './tracker.js';
import {
  NONE,
  type ConfChange,
  type ConfState,
  type Entry,
  type Message,
  type MessageType,
  type NodeId,
  type RaftConfig,
  type RaftLogger,
  type ReadState,
  type Snapshot,
  type StateRole,
} from './types.js';

type CampaignKind = 'preElection' | 'election' | 'transfer';

/** A message to send; `from` defaults to us and `term` to ours (0 for forwarded, termless requests). */
type Outgoing = Omit<MessageFields, 'from' | 'term'> & { from?: NodeId; term?: number };

export class Raft {
  readonly id: NodeId;
  term: number;
  vote: NodeId;
  lead: NodeId = NONE;
  role: StateRole = 'follower';
  readonly log: RaftLog;
  readonly tracker: ProgressTracker;
  /** Messages produced since the last Ready. */
  msgs: Message[] = [];
  /** ReadIndex results produced since the last Ready. */
  readStates: ReadState[] = [];
  /** While not NONE, this leader is handing leadership over and drops proposals. */
  leadTransferee: NodeId = NONE;
  /** Index of the newest conf change this leader appended; no other may be proposed until it is applied. */
  private pendingConfIndex = 0;
  private readOnly = new ReadOnlyQueue();
  /** ReadIndex requests that arrived before this leader committed an entry of its term. */
  private pendingReadIndex: Message[] = [];

  /** Ticks since the last election timeout reset (followers: since hearing from the leader). */
  private electionElapsed = 0;
  private heartbeatElapsed = 0;
  private randomizedElectionTimeout = 0;

  private readonly electionTimeout: number;
  private readonly heartbeatTimeout: number;
  private readonly maxSizePerMsg: number;
  private readonly preVote: boolean;
  private readonly checkQuorum: boolean;
  private readonly random: (n: number) => number;
  private readonly logger: RaftLogger | undefined;

  constructor(config: RaftConfig) {
    if (config.id === NONE) throw new Error('raft: the node id must not be 0');
    if (!(config.heartbeatTick > 0)) throw new Error('raft: heartbeatTick must be positive');
    if (!(config.electionTick > config.heartbeatTick)) throw new Error('raft: electionTick must exceed heartbeatTick');
    if (!(config.maxInflightMsgs > 0)) throw new Error('raft: maxInflightMsgs must be positive');
    this.id = config.id;
    this.electionTimeout = config.electionTick;
    this.heartbeatTimeout = config.heartbeatTick;
    this.maxSizePerMsg = config.maxSizePerMsg;
    this.preVote = config.preVote;
    this.checkQuorum = config.checkQuorum;
    this.random = config.random;
    this.logger = config.logger;

    const storage = config.storage;
    this.log = new RaftLog(storage);
    // The newest configuration on disk: the snapshot's; conf changes after it are re-applied by the application.
    const confState = storage.snapshot?.metadata.confState ?? storage.confState;
    this.tracker = new ProgressTracker(confState, config.maxInflightMsgs, this.log.lastIndex() + 1);
    this.term = storage.hardState.term;
    this.vote = storage.hardState.vote;
    this.becomeFollower(this.term, NONE);
  }

  // --- Inputs ----------------------------------------------------------------------------------------------------

  tick(): void {
    if (this.role === 'leader') this.tickHeartbeat();
    else this.tickElection();
  }

  /**
   * Processes one message. Local proposals (from === this.id) that cannot be accepted throw ProposalDroppedError
   * before any state changes; everything else that is stale or inapplicable is ignored.
   */
  step(m: Message): void {
    if (m.term === 0) {
      // Local input or a forwarded termless request: no term checks.
    } else if (m.term > this.term) {
      if (m.type === 'vote' || m.type === 'preVote') {
        const force = m.context === CAMPAIGN_TRANSFER_CONTEXT;
        // Leader stickiness (thesis §4.2.3): while we hear from a live leader, a disruptive candidate is ignored.
        const inLease = this.checkQuorum && this.lead !== NONE && this.electionElapsed < this.electionTimeout;
        if (!force && inLease) return;
      }
      if (m.type === 'preVote') {
        // A pre-vote never changes our term.
      } else if (m.type === 'preVoteResp' && !m.reject) {
        // Our term moves only when the pre-vote wins and the real election starts.
      } else if (m.type === 'app' || m.type === 'heartbeat' || m.type === 'snap') {
        this.becomeFollower(m.term, m.from);
      } else {
        this.becomeFollower(m.term, NONE);
      }
    } else if (m.term < this.term) {
      if ((this.checkQuorum || this.preVote) && (m.type === 'heartbeat' || m.type === 'app')) {
        // A stale leader (e.g. back from a partition whose members' terms did not move thanks to pre-vote or
        // stickiness) learns our term from this answer and steps down.
        this.send({ type: 'appResp', to: m.from });
      } else if (m.type === 'preVote') {
        // Tell the pre-candidate our term so it can catch up instead of waiting for a timeout.
        this.send({ type: 'preVoteResp', to: m.from, term: this.term, reject: true });
      }
      return;
    }

    switch (m.type) {
      case 'hup':
        this.hup(this.preVote ? 'preElection' : 'election');
        return;
      case 'vote':
      case 'preVote':
        this.handleVoteRequest(m);
        return;
    }
    switch (this.role) {
      case 'leader':
        this.stepLeader(m);
        return;
      case 'candidate':
      case 'preCandidate':
        this.stepCandidate(m);
        return;
      case 'follower':
        this.stepFollower(m);
        return;
    }
  }

  /** The application applied a committed conf change: switch to the new configuration. */
  applyConfChange(cc: ConfChange): ConfState {
    const confState = this.tracker.applyConfChange(cc, this.log.lastIndex() + 1);
    if (this.role !== 'leader') return confState;
    if (!this.tracker.isVoter(this.id)) {
      // Removed (or demoted): the remaining members elect a new leader among themselves.
      this.logger?.info({ id: this.id, term: this.term }, 'raft: leader removed from the configuration, stepping down');
      this.becomeFollower(this.term, NONE);
      return confState;
    }
    if (this.leadTransferee !== NONE && !this.tracker.isVoter(this.leadTransferee)) this.abortLeaderTransfer();
    // The quorum changed: commit may move, and a new member needs its first append.
    if (this.maybeCommit()) {
      this.releasePendingReadIndex();
      this.broadcastAppend();
    } else {
      for (const id of this.tracker.peers(this.id)) this.maybeSendAppend(id, false);
    }
    return confState;
  }

  /**
   * The application persisted everything of a Ready (called from RawNode.advance, after the log's stable cursor
   * moved). The leader's own log now durably holds entries up to durableIndex(): only now does its copy count
   * toward the commit quorum.
   */
  onPersisted(): void {
    if (this.role !== 'leader') return;
    const self = this.tracker.progress.get(this.id);
    if (!self || !self.maybeUpdate(this.log.durableIndex())) return;
    if (this.maybeCommit()) {
      this.releasePendingReadIndex();
      this.broadcastAppend();
    }
  }

  /** Whether a conf change is in the log beyond applied (or, on a leader, appended and not yet applied). */
  hasPendingConfChange(): boolean {
    if (this.role === 'leader' && this.pendingConfIndex > this.log.applied) return true;
    return this.hasConfChangeIn(this.log.applied + 1, this.log.lastIndex());
  }

  private hasConfChangeIn(lo: number, hi: number): boolean {
    if (lo > hi) return false;
    const entries = this.log.slice(Math.max(lo, this.log.firstIndex()), hi + 1) ?? [];
    return entries.some((e) => e.type === 'confChange');
  }

  // --- Role transitions -------------------------------------------------------------------------------------------

  private reset(term: number): void {
    if (term !== this.term) {
      this.term = term;
      this.vote = NONE;
    }
    this.lead = NONE;
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    this.randomizedElectionTimeout = this.electionTimeout + this.random(this.electionTimeout);
    this.abortLeaderTransfer();
    this.tracker.resetVotes();
    this.tracker.resetProgress(this.log.lastIndex() + 1, this.id, this.log.durableIndex());
    this.pendingConfIndex = 0;
    this.readOnly = new ReadOnlyQueue();
    this.pendingReadIndex = [];
  }

  private becomeFollower(term: number, lead: NodeId): void {
    const changed = this.role !== 'follower' || term !== this.term;
    this.reset(term);
    this.lead = lead;
    this.role = 'follower';
    if (changed) this.logger?.info({ id: this.id, term: this.term, lead }, 'raft: became follower');
  }

  private becomePreCandidate(): void {
    if (this.role === 'leader') throw new Error('raft: invalid transition leader -> preCandidate');
    // Neither the term nor the vote change: a pre-vote is harmless to the cluster if it fails.
    this.tracker.resetVotes();
    this.lead = NONE;
    this.role = 'preCandidate';
    this.logger?.info({ id: this.id, term: this.term }, 'raft: became pre-candidate');
  }

  private becomeCandidate(): void {
    if (this.role === 'leader') throw new Error('raft: invalid transition leader -> candidate');
    this.reset(this.term + 1);
    this.vote = this.id;
    this.role = 'candidate';
    this.logger?.info({ id: this.id, term: this.term }, 'raft: became candidate');
  }

  private becomeLeader(): void {
    if (this.role === 'follower') throw new Error('raft: invalid transition follower -> leader');
    this.reset(this.term);
    this.lead = this.id;
    this.role = 'leader';
    const self = this.tracker.progress.get(this.id)!;
    self.becomeReplicate();
    self.recentActive = true;
    // Any conf change still unapplied in our log may be pending: allow no new one until everything is applied.
    this.pendingConfIndex = this.log.lastIndex();
    // §5.4.2 / §8: a no-op of our term lets us commit (and learn) everything before it.
    this.appendEntries([{ term: 0, index: 0, type: 'normal', data: '' }]);
    this.logger?.info({ id: this.id, term: this.term }, 'raft: became leader');
  }

  // --- Elections (§5.2) -------------------------------------------------------------------------------------------

  private tickElection(): void {
    this.electionElapsed++;
    if (this.promotable() && this.electionElapsed >= this.randomizedElectionTimeout) {
      this.electionElapsed = 0;
      this.step(this.localMessage('hup'));
    }
  }

  private tickHeartbeat(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.electionTimeout) {
      this.electionElapsed = 0;
      if (this.checkQuorum) this.step(this.localMessage('checkQuorum'));
      // A transfer that did not finish within an election timeout is abandoned: proposals flow again.
      if (this.role === 'leader' && this.leadTransferee !== NONE) this.abortLeaderTransfer();
    }
    if (this.role !== 'leader') return;
    if (this.heartbeatElapsed >= this.heartbeatTimeout) {
      this.heartbeatElapsed = 0;
      this.step(this.localMessage('beat'));
    }
  }

  /** Voters only, and not while a received snapshot (which may change the configuration) awaits persisting. */
  private promotable(): boolean {
    return this.tracker.isVoter(this.id) && !this.log.hasPendingSnapshot();
  }

  private hup(kind: CampaignKind): void {
    if (this.role === 'leader') return;
    if (!this.promotable()) return;
    // A committed conf change we have not applied yet could change who the voters are.
    if (this.hasConfChangeIn(this.log.applied + 1, this.log.committed)) {
      this.logger?.warn({ id: this.id, term: this.term }, 'raft: not campaigning with unapplied conf changes');
      return;
    }
    this.campaign(kind);
  }

  private campaign(kind: CampaignKind): void {
    let voteType: MessageType;
    let voteTerm: number;
    if (kind === 'preElection') {
      this.becomePreCandidate();
      voteType = 'preVote';
      // Ask for the term we would use, without moving to it (thesis §9.6).
      voteTerm = this.term + 1;
    } else {
      this.becomeCandidate();
      voteType = 'vote';
      voteTerm = this.term;
    }
    // Our own vote: it is in the hard state of the same Ready that carries the requests, so it is durable before
    // anyone can answer them.
    if (this.poll(this.id, true) === 'won') {
      if (kind === 'preElection') this.campaign('election');
      else this.becomeLeader();
      return;
    }
    const lastIndex = this.log.lastIndex();
    const lastTerm = this.log.lastTerm();
    for (const id of this.tracker.voters()) {
      if (id === this.id) continue;
      this.send({
        type: voteType,
        to: id,
        term: voteTerm,
        index: lastIndex,
        logTerm: lastTerm,
        context: kind === 'transfer' ? CAMPAIGN_TRANSFER_CONTEXT : '',
      });
    }
  }

  private poll(from: NodeId, granted: boolean): 'won' | 'lost' | 'pending' {
    return this.tracker.recordVote(from, granted);
  }

  private handleVoteRequest(m: Message): void {
    const respType: MessageType = m.type === 'vote' ? 'voteResp' : 'preVoteResp';
    // One vote per term (§5.2): repeat our vote, or vote if we have neither voted nor follow a leader this term.
    // A pre-vote for a future term is granted on log freshness alone: it binds nothing.
    const canVote =
      this.vote === m.from || (this.vote === NONE && this.lead === NONE) || (m.type === 'preVote' && m.term > this.term);
    if (canVote && this.log.isUpToDate(m.index, m.logTerm)) {
      // The vote is recorded now and travels in the same Ready's hard state, persisted before this reply is sent.
      this.send({ type: respType, to: m.from, term: m.term, reject: false });
      if (m.type === 'vote') {
        this.electionElapsed = 0;
        this.vote = m.from;
      }
    } else {
      this.send({ type: respType, to: m.from, term: this.term, reject: true });
    }
  }

  // --- Per-role message handling ---------------------------------------------------------------------------------

  private stepFollower(m: Message): void {
    switch (m.type) {
      case 'prop':
        if (this.lead === NONE) return this.dropProposal(m, 'no leader');
        this.forward(m);
        return;
      case 'app':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleAppend(m);
        return;
      case 'heartbeat':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleHeartbeat(m);
        return;
      case 'snap':
        this.electionElapsed = 0;
        this.lead = m.from;
        this.handleSnapshot(m);
        return;
      case 'transferLeader':
        if (this.lead !== NONE) this.forward(m);
        return;
      case 'timeoutNow':
        // Our leader asks us to take over now: skip pre-vote and bypass the others' stickiness.
        this.hup('transfer');
        return;
      case 'readIndex':
        if (this.lead === NONE) return this.dropProposal(m, 'no leader');
        this.forward(m);
        return;
      case 'readIndexResp':
        this.readStates.push({ index: m.index, requestCtx: m.context });
        return;
      default:
        return;
    }
  }

  private stepCandidate(m: Message): void {
    const myVoteResp: MessageType = this.role === 'preCandidate' ? 'preVoteResp' : 'voteResp';
    switch (m.type) {
      case 'prop':
      case 'readIndex':
        return this.dropProposal(m, 'no leader (election in progress)');
      case 'app':
        this.becomeFollower(m.term, m.from);
        this.handleAppend(m);
        return;
      case 'heartbeat':
        this.becomeFollower(m.term, m.from);
        this.handleHeartbeat(m);
        return;
      case 'snap':
        this.becomeFollower(m.term, m.from);
        this.handleSnapshot(m);
        return;
      default:
        break;
    }
    if (m.type !== myVoteResp) return;
    const result = this.poll(m.from, !m.reject);
    if (result === 'won') {
      if (this.role === 'preCandidate') {
        this.campaign('election');
      } else {
        this.becomeLeader();
        this.broadcastAppend();
      }
    } else if (result === 'lost') {
      // A rejection carrying a higher term already made us a follower of that term above.
      this.becomeFollower(this.term, NONE);
    }
  }

  private stepLeader(m: Message): void {
    switch (m.type) {
      case 'beat':
        this.broadcastHeartbeat();
        return;
      case 'checkQuorum':
        if (!this.tracker.quorumActive(this.id)) {
          this.logger?.warn({ id: this.id, term: this.term }, 'raft: leader lost contact with a quorum, stepping down');
          this.becomeFollower(this.term, NONE);
          return;
        }
        this.tracker.resetRecentActive(this.id);
        return;
      case 'prop':
        this.leaderPropose(m);
        return;
      case 'readIndex':
        if (!this.committedEntryInCurrentTerm()) {
          // Our commit index may lag the cluster's until our no-op commits (thesis §6.4 step 1).
          this.pendingReadIndex.push(m);
          return;
        }
        this.serveReadIndex(m);
        return;
      case 'transferLeader':
        this.startLeaderTransfer(m.from);
        return;
      default:
        break;
    }
    const pr = this.tracker.progress.get(m.from);
    if (!pr) return;
    switch (m.type) {
      case 'appResp':
        this.handleAppendResponse(m, pr);
        return;
      case 'heartbeatResp':
        this.handleHeartbeatResponse(m, pr);
        return;
      case 'snapStatus':
        if (pr.state !== 'snapshot') return;
        // On failure forget the snapshot and probe from what is known to match.
        if (m.reject) pr.pendingSnapshot = 0;
        pr.becomeProbe();
        // Wait for the follower's answer (or the next heartbeat response) before probing.
        pr.probeSent = true;
        return;
      case 'unreachable':
        // Appends in flight were probably lost: stop streaming and probe.
        if (pr.state === 'replicate') pr.becomeProbe();
        return;
      default:
        return;
    }
  }

  private leaderPropose(m: Message): void {
    if (!this.tracker.isVoter(this.id)) return this.dropProposal(m, 'this node is no longer a voting member');
    if (this.leadTransferee !== NONE) {
      return this.dropProposal(m, `leadership is being transferred to ${this.leadTransferee}`);
    }
    const confChangePending = this.pendingConfIndex > this.log.applied;
    if (confChangePending && m.entries.some((e) => e.type === 'confChange')) {
      if (this.isLocal(m)) return this.dropProposal(m, 'another configuration change is pending');
    }
    const first = this.log.lastIndex() + 1;
    let pending = confChangePending;
    const entries: Entry[] = m.entries.map((e, i) => {
      if (e.type !== 'confChange') return { term: this.term, index: first + i, type: e.type, data: e.data };
      if (pending) {
        // Only one conf change at a time: a forwarded one that races with another becomes a no-op.
        return { term: this.term, index: first + i, type: 'normal', data: '' };
      }
      pending = true;
      this.pendingConfIndex = first + i;
      return { term: this.term, index: first + i, type: 'confChange', data: e.data };
    });
    this.appendEntries(entries);
    this.broadcastAppend();
  }

  private isLocal(m: Message): boolean {
    return m.from === this.id || m.from === NONE;
  }

  private dropProposal(m: Message, reason: string): void {
    if (this.isLocal(m)) throw new ProposalDroppedError(reason);
    this.logger?.debug({ id: this.id, from: m.from, type: m.type, reason }, 'raft: dropped a forwarded request');
  }

  /** Passes a request on to the leader, keeping its originator (who gets the answer, e.g. a ReadIndex response). */
  private forward(m: Message): void {
    this.send({ ...m, to: this.lead, term: isTermless(m.type) ? 0 : this.term });
  }

  // --- Log replication (§5.3) ------------------------------------------------------------------------------------

  /** Appends new entries of our term to the leader's log. They count toward commit once persisted (onPersisted). */
  private appendEntries(entries: Entry[]): void {
    const first = this.log.lastIndex() + 1;
    const stamped = entries.map((e, i) => ({ term: this.term, index: first + i, type: e.type, data: e.data }));
    this.log.append(stamped);
  }

  private maybeCommit(): boolean {
    return this.log.maybeCommit(this.tracker.committed(), this.term);
  }

  private committedEntryInCurrentTerm(): boolean {
    return this.log.term(this.log.committed) === this.term;
  }

  private broadcastAppend(): void {
    for (const id of this.tracker.peers(this.id)) this.maybeSendAppend(id, true);
  }

  private sendAppend(to: NodeId): void {
    this.maybeSendAppend(to, true);
  }

  /**
   * Sends the next batch of entries to `to` if its flow control allows. An empty append (sendIfEmpty) probes the
   * follower's log or carries a new commit index. Falls back to a snapshot when the entries were compacted.
   */
  private maybeSendAppend(to: NodeId, sendIfEmpty: boolean): boolean {
    const pr = this.tracker.progress.get(to);
    if (!pr || pr.isPaused()) return false;
    const prevIndex = pr.next - 1;
    const prevTerm = this.log.term(prevIndex);
    if (prevTerm === undefined) return this.maybeSendSnapshot(to, pr);
    const entries = this.log.entriesFrom(pr.next, this.maxSizePerMsg);
    if (entries === undefined) return this.maybeSendSnapshot(to, pr);
    if (entries.length === 0 && !sendIfEmpty) return false;
    this.send({ type: 'app', to, index: prevIndex, logTerm: prevTerm, entries, commit: this.log.committed });
    pr.sentEntries(entries.length, prevIndex + entries.length);
    return true;
  }

  private maybeSendSnapshot(to: NodeId, pr: Progress): boolean {
    // A follower we have not heard from lately is probably down: do not ship it a whole snapshot.
    if (!pr.recentActive) return false;
    const snapshot = this.log.latestSnapshot();
    if (!snapshot) return false;
    pr.becomeSnapshot(snapshot.metadata.index);
    this.send({ type: 'snap', to, snapshot });
    this.logger?.info({ id: this.id, to, index: snapshot.metadata.index }, 'raft: sending snapshot');
    return true;
  }

  private handleAppendResponse(m: Message, pr: Progress): void {
    pr.recentActive = true;
    if (m.reject) {
      // Jump back to where the logs may match: the follower's hint, refined by our own log when it gave a term.
      const hint = m.logTerm > 0 ? this.log.findConflictByTerm(m.rejectHint, m.logTerm).index : m.rejectHint;
      if (pr.maybeDecrTo(m.index, hint)) {
        if (pr.state === 'replicate') pr.becomeProbe();
        this.sendAppend(m.from);
      }
      return;
    }
    const wasPaused = pr.isPaused();
    if (!(pr.maybeUpdate(m.index) || (pr.match === m.index && pr.state === 'probe'))) return;
    if (pr.state === 'probe') {
      pr.becomeReplicate();
    } else if (pr.state === 'snapshot' && pr.match + 1 >= this.log.firstIndex()) {
      // The snapshot (or a later append) caught the follower up to our log: stream again.
      pr.becomeProbe();
      pr.becomeReplicate();
    } else if (pr.state === 'replicate') {
      pr.inflights.freeLE(m.index);
    }
    if (this.maybeCommit()) {
      this.releasePendingReadIndex();
      this.broadcastAppend();
    } else if (wasPaused) {
      this.sendAppend(m.from);
    }
    // Fill the pipeline with whatever is left.
    while (this.maybeSendAppend(m.from, false)) {
      // each call sends one batch and moves `next` (or pauses the probe)
    }
    if (m.from === this.leadTransferee && pr.match === this.log.lastIndex()) this.sendTimeoutNow(m.from);
  }

  private handleHeartbeatResponse(m: Message, pr: Progress): void {
    pr.recentActive = true;
    pr.probeSent = false;
    // The follower is alive but the window is full: some append was probably lost. Free the oldest slot so the
    // next append goes out; a gap makes the follower reject it and we fall back to probing.
    if (pr.state === 'replicate' && pr.inflights.full()) pr.inflights.freeFirst();
    if (pr.match < this.log.lastIndex() || pr.state === 'probe') this.sendAppend(m.from);
    if (m.context === '') return;
    const acks = this.readOnly.recordAck(m.from, m.context);
    if (!acks || !this.tracker.hasQuorum(acks)) return;
    for (const request of this.readOnly.releaseThrough(m.context)) {
      this.answerReadIndex(request.from, request.requestCtx, request.index);
    }
  }

  private broadcastHeartbeat(context: string = this.readOnly.lastPendingCtx()): void {
    for (const id of this.tracker.peers(this.id)) {
      const pr = this.tracker.progress.get(id)!;
      // Never tell a follower to commit beyond what it is known to hold.
      this.send({ type: 'heartbeat', to: id, commit: Math.min(pr.match, this.log.committed), context });
    }
  }

  private handleAppend(m: Message): void {
    if (m.index < this.log.committed) {
      // Everything up to our commit index matches the leader's log already.
      this.send({ type: 'appResp', to: m.from, index: this.log.committed });
      return;
    }
    const lastNew = this.log.maybeAppend(m.index, m.logTerm, m.commit, m.entries);
    if (lastNew !== undefined) {
      // Sent only after the Ready carrying these entries is persisted: the ack means "durably stored".
      this.send({ type: 'appResp', to: m.from, index: lastNew });
      return;
    }
    const conflict = this.log.findConflictByTerm(Math.min(m.index, this.log.lastIndex()), m.logTerm);
    this.send({
      type: 'appResp',
      to: m.from,
      index: m.index,
      reject: true,
      rejectHint: conflict.index,
      logTerm: conflict.term,
    });
  }

  private handleHeartbeat(m: Message): void {
    this.log.commitTo(Math.min(m.commit, this.log.lastIndex()));
    this.send({ type: 'heartbeatResp', to: m.from, context: m.context });
  }

  private handleSnapshot(m: Message): void {
    const snapshot = m.snapshot;
    if (!snapshot) return;
    const restored = this.restore(snapshot);
    this.send({ type: 'appResp', to: m.from, index: restored ? this.log.lastIndex() : this.log.committed });
  }

  /** Replaces our log with a leader's snapshot if it is ahead of our commit index. */
  private restore(snapshot: Snapshot): boolean {
    const { index, term } = snapshot.metadata;
    if (index <= this.log.committed) return false;
    if (this.log.matchTerm(index, term)) {
      // We already have the snapshot's last entry: just learn that it is committed.
      this.log.commitTo(index);
      return false;
    }
    this.log.restore(snapshot);
    this.tracker.restore(snapshot.metadata.confState, this.log.lastIndex() + 1);
    this.logger?.info({ id: this.id, term: this.term, index, snapshotTerm: term }, 'raft: restored from snapshot');
    return true;
  }

  // --- ReadIndex (thesis §6.4) ------------------------------------------------------------------------------------

  private serveReadIndex(m: Message): void {
    const index = this.log.committed;
    if (this.tracker.isSingleton()) {
      this.answerReadIndex(m.from, m.context, index);
      return;
    }
    if (!this.readOnly.add({ index, from: m.from, requestCtx: m.context })) return;
    this.readOnly.recordAck(this.id, m.context);
    this.broadcastHeartbeat(m.context);
  }

  private releasePendingReadIndex(): void {
    if (this.pendingReadIndex.length === 0 || !this.committedEntryInCurrentTerm()) return;
    const pending = this.pendingReadIndex;
    this.pendingReadIndex = [];
    for (const m of pending) this.serveReadIndex(m);
  }

  private answerReadIndex(from: NodeId, requestCtx: string, index: number): void {
    if (from === this.id || from === NONE) this.readStates.push({ index, requestCtx });
    else this.send({ type: 'readIndexResp', to: from, index, context: requestCtx });
  }

  // --- Leadership transfer (thesis §3.10) -------------------------------------------------------------------------

  private startLeaderTransfer(transferee: NodeId): void {
    if (!this.tracker.isVoter(transferee)) return;
    if (this.leadTransferee !== NONE) {
      if (this.leadTransferee === transferee) return;
      this.abortLeaderTransfer();
    }
    if (transferee === this.id) return;
    // The transfer must complete within one election timeout (tickHeartbeat aborts it otherwise).
    this.electionElapsed = 0;
    this.leadTransferee = transferee;
    const pr = this.tracker.progress.get(transferee)!;
    if (pr.match === this.log.lastIndex()) this.sendTimeoutNow(transferee);
    else this.sendAppend(transferee);
  }

  private sendTimeoutNow(to: NodeId): void {
    this.send({ type: 'timeoutNow', to });
  }

  private abortLeaderTransfer(): void {
    this.leadTransferee = NONE;
  }

  // --- Helpers ---------------------------------------------------------------------------------------------------

  private localMessage(type: MessageType): Message {
    return makeMessage({ type, to: this.id, from: this.id, term: 0 });
  }

  private send(fields: Outgoing): void {
    const term = fields.term ?? (isTermless(fields.type) ? 0 : this.term);
    this.msgs.push(makeMessage({ ...fields, from: fields.from ?? this.id, term }));
  }
}
