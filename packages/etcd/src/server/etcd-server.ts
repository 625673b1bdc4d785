// One member of a k8ts-etcd cluster: the Raft core, its durable storage and the MVCC state machine, tied together.
//
// The member is an event loop around RawNode: ticks, peer messages and client proposals go in; after each burst of
// input the Ready loop persists what Raft asks (one WAL write + fdatasync per batch, so concurrent requests share a
// sync), sends the messages, applies committed entries to the MVCC store and wakes the requests waiting on them.
// Only one Ready is processed at a time; input that arrives meanwhile is batched into the next one.
import { EventEmitter } from 'node:events';
import { randomInt } from 'node:crypto';
import type { Logger } from '@k8ts/observability';
import {
  Errors,
  EtcdError,
  type CompactionRequest,
  type CompactionResponse,
  type DeleteRangeRequest,
  type DeleteRangeResponse,
  type LeaseGrantResponse,
  type LeaseRevokeResponse,
  type LeaseTimeToLiveResponse,
  type PutRequest,
  type PutResponse,
  type RangeRequest,
  type RangeResponse,
  type RequestOp,
  type TxnRequest,
  type TxnResponse,
} from '../api/types.js';
import { MvccStore } from '../mvcc/index.js';
import { ProposalDroppedError, RawNode } from '../raft/index.js';
import {
  NONE,
  type ConfChange,
  type Entry,
  type HardState,
  type Message,
  type NodeId,
  type Ready,
  type Snapshot,
  type SoftState,
} from '../raft/types.js';
import { Snapshotter, Wal } from '../storage/index.js';
import { decodeCommand, encodeCommand, type Command, type CommandEnvelope } from './commands.js';
import { MemberTable, clusterIdFor, memberIdFor, type Member } from './membership.js';
import type { ServerMetrics } from './metrics.js';
import { decodeStateSnapshot, encodeStateSnapshot, encodeStateSnapshotSteps } from './state-snapshot.js';
import { WatchRegistry } from './watch-registry.js';

export interface EtcdServerConfig {
  name: string;
  dataDir: string;
  /** Initial members by name (from --initial-cluster); used only when the data dir is new. */
  initialCluster: Map<string, string[]>;
  initialClusterState: 'new' | 'existing';
  clusterToken: string;
  advertisePeerURLs: string[];
  advertiseClientURLs: string[];
  heartbeatMs: number;
  electionMs: number;
  snapshotCount: number;
  /** Entries kept in the log after a snapshot so slightly lagging followers catch up without one (etcd: 5000). */
  snapshotCatchUpEntries: number;
  quotaBackendBytes: number;
  logger: Logger;
  metrics: ServerMetrics;
}

/** How the member reaches its peers; implemented over HTTP by PeerTransport, in memory by tests. */
export interface RaftTransport {
  send(messages: Message[]): void;
  setPeer(id: NodeId, urls: string[]): void;
  removePeer(id: NodeId): void;
  /** Calls the leader's peer API (lease keepalive and time-to-live live on the leader). */
  callPeer<T>(id: NodeId, path: string, body: unknown): Promise<T>;
  /** Asks peers listed in --initial-cluster for the current member list (a member joining an existing cluster). */
  fetchMembers(peerURLs: string[]): Promise<{ clusterId: string; members: Member[] }>;
  close(): Promise<void>;
}

export type ApplyResult = { ok: true; value: unknown } | { ok: false; error: EtcdError };

interface Waiter {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

interface ReadBatch {
  ctx: string;
  waiters: Array<{ resolve: () => void; reject: (err: Error) => void }>;
  retry: NodeJS.Timeout;
  deadline: number;
}

export interface MemberStatus {
  id: NodeId;
  leader: NodeId;
  raftTerm: number;
  raftIndex: number;
  raftAppliedIndex: number;
  dbSize: number;
  dbSizeInUse: number;
  isLearner: boolean;
  errors: string[];
}

const LEASE_CHECK_INTERVAL_MS = 500;
/** WAL segments grow 1 MiB of zeroes at a time (~1.5 ms per step here) so per-save fsyncs never change the file size. */
const WAL_PREALLOCATE_BYTES = 1024 * 1024;
const MIN_LEASE_TTL_FLOOR_S = 1;
/** Store revisions a background snapshot encodes per event-loop turn (~3 MB of pods, a few ms). */
const SNAPSHOT_CHUNK_REVISIONS = 2000;

export class EtcdServer extends EventEmitter {
  readonly id: NodeId;
  readonly clusterId: string;
  private node: RawNode;
  private store: MvccStore;
  private members: MemberTable;
  private readonly watches: WatchRegistry;
  private readonly waiters = new Map<string, Waiter>();
  private readonly appliedWaiters: Array<{ index: number; resolve: () => void }> = [];
  private pendingReads: ReadBatch['waiters'] = [];
  private readInFlight: ReadBatch | undefined;
  private proposalSeq = 0;
  private readCtxSeq = 0;
  private appliedIndex = 0;
  private committedIndex = 0;
  private snapshotIndex = 0;
  /** A snapshot is being encoded or saved in the background (see maybeSnapshot). */
  private snapshotting = false;
  private persistedHard: HardState;
  private soft: SoftState = { lead: NONE, role: 'follower' };
  private readyScheduled = false;
  private processing = false;
  private stopped = false;
  private tickTimer: NodeJS.Timeout | undefined;
  private leaseTimer: NodeJS.Timeout | undefined;
  /** Leader-only: when each lease expires (ms since epoch). Rebuilt, extended, whenever this member becomes leader. */
  private readonly leaseExpiry = new Map<string, number>();
  private readonly leaseRevoking = new Set<string>();
  private leaderWaiters: Array<() => void> = [];
  private published = false;
  readonly requestTimeoutMs: number;
  readonly minLeaseTtl: number;

  private constructor(
    private readonly cfg: EtcdServerConfig,
    private readonly transport: RaftTransport,
    private readonly wal: Wal,
    private readonly snapshotter: Snapshotter,
    init: { id: NodeId; clusterId: string; node: RawNode; store: MvccStore; members: MemberTable; applied: number; hard: HardState },
  ) {
    super();
    this.id = init.id;
    this.clusterId = init.clusterId;
    this.node = init.node;
    this.store = init.store;
    this.members = init.members;
    this.appliedIndex = init.applied;
    this.snapshotIndex = init.applied;
    this.committedIndex = init.hard.commit;
    this.persistedHard = init.hard;
    this.watches = new WatchRegistry(() => this.store);
    // etcd: 5 s plus two election timeouts before a request gives up.
    this.requestTimeoutMs = 5000 + 2 * cfg.electionMs;
    // etcd: the minimum TTL is 1.5 election timeouts, rounded up to seconds.
    this.minLeaseTtl = Math.max(MIN_LEASE_TTL_FLOOR_S, Math.ceil((3 * cfg.electionMs) / 2 / 1000));
  }

  // ---------------------------------------------------------------- start-up

  /** Opens (or creates) the member's data dir, replays its state and starts ticking. */
  static async start(cfg: EtcdServerConfig, transport: RaftTransport): Promise<EtcdServer> {
    const log = cfg.logger;
    const walDir = `${cfg.dataDir}/member/wal`;
    const snapDir = `${cfg.dataDir}/member/snap`;
    const snapshotter = new Snapshotter(snapDir, log);
    const electionTick = Math.max(2, Math.round(cfg.electionMs / cfg.heartbeatMs));
    const raftBase = {
      electionTick,
      heartbeatTick: 1,
      maxSizePerMsg: 1024 * 1024,
      maxInflightMsgs: 256,
      preVote: true,
      checkQuorum: true,
      // Raft draws the election timeout from [T, 2T); we draw from [T, 1.5T). Half a timeout of spread (500 ms at
      // default timings) is plenty to avoid split votes in a 3-5 member cluster, and a crashed leader is replaced
      // within ~1.5 s instead of up to 2 s.
      random: (n: number) => randomInt(Math.max(1, Math.ceil(n / 2))),
      logger: {
        info: (o: object, m: string) => log.info(o, m),
        warn: (o: object, m: string) => log.warn(o, m),
        debug: (o: object, m: string) => log.debug(o, m),
      },
    };

    if (Wal.exists(walDir)) {
      const snapshot = await snapshotter.loadNewest();
      const { wal, contents } = await Wal.open(walDir, { snapshotIndex: snapshot?.metadata.index ?? 0, logger: log, preallocateBytes: WAL_PREALLOCATE_BYTES });
      const id = contents.metadata.memberId;
      let store = new MvccStore();
      let members = new MemberTable();
      if (snapshot) {
        const state = decodeStateSnapshot(snapshot.data);
        store = state.store;
        members = state.members;
      }
      log.info(
        { memberId: id, snapshotIndex: snapshot?.metadata.index ?? 0, entries: contents.entries.length, commit: contents.hardState.commit },
        'restarting member from its data dir',
      );
      const node = new RawNode({
        ...raftBase,
        id,
        storage: {
          hardState: contents.hardState,
          entries: contents.entries,
          confState: snapshot?.metadata.confState ?? { voters: [], learners: [] },
          ...(snapshot ? { snapshot } : {}),
        },
      });
      const server = new EtcdServer(cfg, transport, wal, snapshotter, {
        id,
        clusterId: contents.metadata.clusterId,
        node,
        store,
        members,
        applied: snapshot?.metadata.index ?? 0,
        hard: contents.hardState,
      });
      server.syncTransportPeers(members.list());
      server.run();
      return server;
    }

    if (cfg.initialClusterState === 'existing') {
      return EtcdServer.join(cfg, transport, snapshotter, raftBase);
    }
    return EtcdServer.bootstrap(cfg, transport, snapshotter, raftBase);
  }

  /**
   * A new cluster: like etcd, every initial member writes the same conf-change entries 1..n (term 1) as already
   * committed, so all members apply an identical configuration and member table from their logs.
   */
  private static async bootstrap(
    cfg: EtcdServerConfig,
    transport: RaftTransport,
    snapshotter: Snapshotter,
    raftBase: Omit<ConstructorParameters<typeof RawNode>[0], 'id' | 'storage'>,
  ): Promise<EtcdServer> {
    const initial: Member[] = [...cfg.initialCluster.entries()].map(([name, urls]) => ({
      id: memberIdFor(urls, cfg.clusterToken),
      name,
      peerURLs: urls,
      clientURLs: [],
      isLearner: false,
    }));
    const self = initial.find((m) => m.name === cfg.name);
    if (!self) throw new Error(`--initial-cluster has no member named "${cfg.name}"`);
    for (const url of cfg.advertisePeerURLs) {
      if (!self.peerURLs.includes(url)) {
        throw new Error(`--initial-advertise-peer-urls ${url} is not in --initial-cluster for "${cfg.name}" (${self.peerURLs.join(',')})`);
      }
    }
    const clusterId = clusterIdFor(initial.map((m) => m.id));
    const sorted = [...initial].sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    const entries: Entry[] = sorted.map((m, i) => ({
      term: 1,
      index: i + 1,
      type: 'confChange',
      data: JSON.stringify({ type: 'addNode', nodeId: m.id, context: encodeConfContext({ member: m }) } satisfies ConfChange),
    }));
    const hard: HardState = { term: 1, vote: NONE, commit: entries.length };
    const wal = await Wal.create(`${cfg.dataDir}/member/wal`, { memberId: self.id, clusterId }, { preallocateBytes: WAL_PREALLOCATE_BYTES });
    await wal.save(hard, entries);
    cfg.logger.info({ memberId: self.id, clusterId, members: initial.map((m) => `${m.name}=${m.id}`) }, 'bootstrapping a new cluster');
    const node = new RawNode({ ...raftBase, id: self.id, storage: { hardState: hard, entries, confState: { voters: [], learners: [] } } });
    const server = new EtcdServer(cfg, transport, wal, snapshotter, {
      id: self.id,
      clusterId,
      node,
      store: new MvccStore(),
      members: new MemberTable(),
      applied: 0,
      hard,
    });
    server.syncTransportPeers(initial);
    server.run();
    return server;
  }

  /** A member added with `member add`: learns its id and the cluster from the peers, then catches up from the leader. */
  private static async join(
    cfg: EtcdServerConfig,
    transport: RaftTransport,
    snapshotter: Snapshotter,
    raftBase: Omit<ConstructorParameters<typeof RawNode>[0], 'id' | 'storage'>,
  ): Promise<EtcdServer> {
    const others = [...cfg.initialCluster.entries()]
      .filter(([name]) => name !== cfg.name)
      .flatMap(([, urls]) => urls);
    const { clusterId, members } = await transport.fetchMembers(others);
    const self = members.find((m) => m.peerURLs.some((u) => cfg.advertisePeerURLs.includes(u)));
    if (!self) {
      throw new Error(
        `joining an existing cluster: no member has peer URL ${cfg.advertisePeerURLs.join(',')}; add it first with member add`,
      );
    }
    const wal = await Wal.create(`${cfg.dataDir}/member/wal`, { memberId: self.id, clusterId }, { preallocateBytes: WAL_PREALLOCATE_BYTES });
    cfg.logger.info({ memberId: self.id, clusterId }, 'joining an existing cluster');
    const hard: HardState = { term: 0, vote: NONE, commit: 0 };
    const node = new RawNode({ ...raftBase, id: self.id, storage: { hardState: hard, entries: [], confState: { voters: [], learners: [] } } });
    const server = new EtcdServer(cfg, transport, wal, snapshotter, {
      id: self.id,
      clusterId,
      node,
      store: new MvccStore(),
      members: new MemberTable(),
      applied: 0,
      hard,
    });
    server.syncTransportPeers(members);
    server.run();
    return server;
  }

  private run(): void {
    // Ticks follow the wall clock: a busy event loop fires the interval late, and late ticks would stretch every
    // election timeout. Each callback runs the ticks that are due (at most an election's worth after a long stall).
    const electionTicks = Math.max(2, Math.round(this.cfg.electionMs / this.cfg.heartbeatMs));
    let nextTickAt = Date.now() + this.cfg.heartbeatMs;
    this.tickTimer = setInterval(() => {
      const now = Date.now();
      let ticks = 0;
      while (nextTickAt <= now && ticks < electionTicks) {
        this.node.tick();
        nextTickAt += this.cfg.heartbeatMs;
        ticks++;
      }
      if (nextTickAt <= now) nextTickAt = now + this.cfg.heartbeatMs;
      if (ticks > 0) this.scheduleReady();
    }, Math.max(1, Math.floor(this.cfg.heartbeatMs / 4)));
    this.leaseTimer = setInterval(() => this.revokeExpiredLeases(), LEASE_CHECK_INTERVAL_MS);
    this.scheduleReady();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.tickTimer);
    clearInterval(this.leaseTimer);
    if (this.soft.role === 'leader') this.transferLeadershipOnStop();
    for (const [, w] of this.waiters) {
      clearTimeout(w.timer);
      w.reject(Errors.stopped());
    }
    this.waiters.clear();
    this.failReads(Errors.stopped());
    this.watches.closeAll();
    // Let an in-flight Ready finish its WAL write so nothing acknowledged is half-written.
    while (this.processing) await new Promise((r) => setTimeout(r, 5));
    await this.transport.close();
    await this.wal.close();
  }

  /** On SIGTERM a leader hands over first, as etcd does, so the cluster does not wait out an election timeout. */
  private transferLeadershipOnStop(): void {
    const candidates = this.members.list().filter((m) => m.id !== this.id && !m.isLearner);
    const status = this.node.status();
    const best = candidates
      .map((m) => ({ id: m.id, match: status.progress?.[m.id]?.match ?? 0 }))
      .sort((a, b) => b.match - a.match)[0];
    if (!best) return;
    try {
      this.node.transferLeader(best.id);
      void this.processReady();
    } catch {
      // Best effort only.
    }
  }

  // ---------------------------------------------------------------- the Ready loop

  /** Input from the peer transport. */
  receive(messages: Message[]): void {
    if (this.stopped) return;
    for (const m of messages) {
      try {
        this.node.step(m);
      } catch (err) {
        this.cfg.logger.warn({ err, type: m.type, from: m.from }, 'dropping a peer message the raft core refused');
      }
    }
    this.scheduleReady();
  }

  reportUnreachable(id: NodeId): void {
    this.node.reportUnreachable(id);
    this.scheduleReady();
  }

  reportSnapshot(id: NodeId, ok: boolean): void {
    this.node.reportSnapshot(id, ok);
    this.scheduleReady();
  }

  private scheduleReady(): void {
    if (this.readyScheduled || this.stopped) return;
    this.readyScheduled = true;
    setImmediate(() => {
      this.readyScheduled = false;
      void this.processReady();
    });
  }

  private async processReady(): Promise<void> {
    if (this.processing) return; // the running loop picks the new state up when it comes round
    this.processing = true;
    try {
      while (this.node.hasReady()) {
        const rd = this.node.ready();
        await this.handleReady(rd);
        this.node.advance(rd);
        this.maybeSnapshot();
      }
    } catch (err) {
      // A storage failure leaves the member unable to keep its promises: stop rather than serve wrong answers.
      this.cfg.logger.fatal({ err }, 'fatal error in the raft ready loop; stopping the member');
      this.emit('fatal', err);
    } finally {
      this.processing = false;
    }
  }

  private async handleReady(rd: Ready): Promise<void> {
    const m = this.cfg.metrics;
    if (rd.softState) this.onSoftState(rd.softState);

    // A leader may replicate while it writes its own disk (Raft thesis 10.2.1): its appends count toward a commit only
    // through follower acks, and the commit becomes visible only in a later Ready, after this one is durable. Term and
    // vote changes, and everything a follower or candidate sends, must be durable first.
    const termOrVoteChanged =
      rd.hardState !== undefined && (rd.hardState.term !== this.persistedHard.term || rd.hardState.vote !== this.persistedHard.vote);
    const sendEarly = this.soft.role === 'leader' && !termOrVoteChanged && rd.snapshot === undefined;
    // The transport writes its sockets synchronously, so these are on the wire before the WAL write holds the loop.
    if (sendEarly) this.transport.send(rd.messages);

    if (rd.snapshot) {
      await this.snapshotter.save(rd.snapshot);
      await this.wal.saveSnapshot(rd.snapshot.metadata);
    }
    // Raft needs term, vote and entries durable before anything is sent or acknowledged, but not the commit index
    // (it is re-learned from the leader): a commit-only change is written without an fsync, as etcd's MustSync says.
    const mustSync = termOrVoteChanged || rd.entries.length > 0;
    if (rd.entries.length === 0 && !termOrVoteChanged) {
      // Nothing new to make durable: committed entries are already on a quorum's disks, ours included.
      this.applyCommitted(rd);
    }
    if (rd.hardState || rd.entries.length > 0) {
      const stop = mustSync ? m.walFsyncSeconds.startTimer() : undefined;
      await this.wal.save(rd.hardState, rd.entries, { sync: mustSync });
      stop?.();
      if (rd.hardState) this.persistedHard = rd.hardState;
    }
    if (!sendEarly) this.transport.send(rd.messages);
    m.proposalsPending.set(this.waiters.size);
    if (rd.entries.length > 0 || termOrVoteChanged) this.applyCommitted(rd);
    for (const rs of rd.readStates) this.onReadState(rs.requestCtx, rs.index);
    this.wakeAppliedWaiters();
  }

  private applyCommitted(rd: Ready): void {
    if (rd.snapshot) this.applySnapshot(rd.snapshot);
    for (const entry of rd.committedEntries) this.applyEntry(entry);
    if (rd.hardState) this.committedIndex = Math.max(this.committedIndex, rd.hardState.commit);
    this.wakeAppliedWaiters();
  }

  private onSoftState(s: SoftState): void {
    const prev = this.soft;
    this.soft = s;
    if (s.lead !== prev.lead) {
      this.cfg.metrics.leaderChanges.inc();
      this.cfg.logger.info({ lead: s.lead, role: s.role }, s.lead === NONE ? 'lost the leader' : 'leader elected');
      // Reads waiting on a ReadIndex from the old leader cannot be confirmed any more (etcd: "leader changed").
      if (this.readInFlight) {
        const batch = this.readInFlight;
        this.readInFlight = undefined;
        clearTimeout(batch.retry);
        for (const w of batch.waiters) w.reject(Errors.leaderChanged());
      }
      if (s.lead !== NONE) {
        this.leaderLostAt = 0;
        const waiting = this.leaderWaiters;
        this.leaderWaiters = [];
        for (const w of waiting) w();
      }
    }
    this.cfg.metrics.isLeader.set(s.role === 'leader' ? 1 : 0);
    if (s.role === 'leader' && prev.role !== 'leader') this.promoteLeases();
    if (s.role !== 'leader' && prev.role === 'leader') this.leaseExpiry.clear();
    if (s.lead !== NONE && !this.published) this.publishSelf();
    this.kickRead();
  }

  // ---------------------------------------------------------------- applying

  private applySnapshot(snapshot: Snapshot): void {
    const state = decodeStateSnapshot(snapshot.data);
    this.store = state.store;
    this.members = state.members;
    this.appliedIndex = snapshot.metadata.index;
    this.snapshotIndex = snapshot.metadata.index;
    this.syncTransportPeers(this.members.list());
    this.watches.storeReplaced();
    if (this.soft.role === 'leader') this.promoteLeases();
    this.cfg.logger.info({ index: snapshot.metadata.index }, 'applied a snapshot from the leader');
  }

  private applyEntry(entry: Entry): void {
    if (entry.index <= this.appliedIndex) return;
    if (entry.type === 'confChange') {
      this.applyConfChange(entry);
    } else if (entry.data !== '') {
      let env: CommandEnvelope;
      try {
        env = decodeCommand(entry.data);
      } catch (err) {
        // Every member sees the same bytes, so every member skips it alike.
        this.cfg.logger.error({ err, index: entry.index }, 'skipping an undecodable entry');
        this.appliedIndex = entry.index;
        return;
      }
      const result = this.applyCommand(env.cmd);
      const waiter = this.waiters.get(env.id);
      if (waiter) {
        this.waiters.delete(env.id);
        clearTimeout(waiter.timer);
        if (result.ok) waiter.resolve(result.value);
        else waiter.reject(result.error);
      }
    }
    this.appliedIndex = entry.index;
    this.cfg.metrics.appliedIndex.set(entry.index);
  }

  private applyCommand(cmd: Command): ApplyResult {
    try {
      switch (cmd.op) {
        case 'put':
          return { ok: true, value: this.store.put(cmd.req) };
        case 'deleteRange':
          return { ok: true, value: this.store.deleteRange(cmd.req) };
        case 'txn':
          return { ok: true, value: this.store.txn(cmd.req) };
        case 'compaction':
          return { ok: true, value: this.store.compact(cmd.req.revision) };
        case 'leaseGrant': {
          const res = this.store.leaseGrant(cmd.req);
          if (this.soft.role === 'leader') this.leaseExpiry.set(res.id, Date.now() + res.ttl * 1000);
          return { ok: true, value: res };
        }
        case 'leaseRevoke': {
          this.leaseExpiry.delete(cmd.req.id);
          this.leaseRevoking.delete(cmd.req.id);
          return { ok: true, value: this.store.leaseRevoke(cmd.req.id) };
        }
        case 'publishMember':
          this.members.update(cmd.req.memberId, { name: cmd.req.name, clientURLs: cmd.req.clientURLs });
          return { ok: true, value: undefined };
      }
    } catch (err) {
      if (err instanceof EtcdError) return { ok: false, error: err };
      throw err;
    }
  }

  private applyConfChange(entry: Entry): void {
    const cc = JSON.parse(entry.data) as ConfChange;
    const ctx = decodeConfContext(cc.context);
    let error: EtcdError | undefined;
    if (cc.type === 'removeNode' && !this.members.has(cc.nodeId)) error = Errors.memberNotFound();
    if ((cc.type === 'addNode' || cc.type === 'addLearner') && this.members.has(cc.nodeId) && !this.members.get(cc.nodeId)?.isLearner) {
      error = Errors.memberExists();
    }
    if (error === undefined) {
      this.node.applyConfChange(cc);
      if (cc.type === 'removeNode') {
        this.members.remove(cc.nodeId);
        this.transport.removePeer(cc.nodeId);
      } else {
        const member = ctx.member;
        if (!member) throw new Error(`conf change at index ${entry.index} carries no member`);
        this.members.add({ ...member, isLearner: cc.type === 'addLearner' });
        if (member.id !== this.id) this.transport.setPeer(member.id, member.peerURLs);
      }
      this.cfg.logger.info({ type: cc.type, nodeId: cc.nodeId, index: entry.index }, 'applied a membership change');
    } else {
      // Keep Raft's view in step even when the change is refused (it counted the entry as the pending change).
      this.node.applyConfChange({ ...cc, nodeId: NONE });
    }
    if (ctx.requestId) {
      const waiter = this.waiters.get(ctx.requestId);
      if (waiter) {
        this.waiters.delete(ctx.requestId);
        clearTimeout(waiter.timer);
        if (error) waiter.reject(error);
        else waiter.resolve(this.members.list());
      }
    }
    if (cc.type === 'removeNode' && cc.nodeId === this.id && error === undefined) {
      this.cfg.logger.warn('this member was removed from the cluster; stopping');
      setImmediate(() => this.emit('removed'));
    }
  }

  private wakeAppliedWaiters(): void {
    if (this.appliedWaiters.length === 0) return;
    let keep = 0;
    for (const w of this.appliedWaiters) {
      if (w.index <= this.appliedIndex) w.resolve();
      else this.appliedWaiters[keep++] = w;
    }
    this.appliedWaiters.length = keep;
  }

  private waitApplied(index: number): Promise<void> {
    if (index <= this.appliedIndex) return Promise.resolve();
    return new Promise((resolve) => this.appliedWaiters.push({ index, resolve }));
  }

  // ---------------------------------------------------------------- snapshots

  /**
   * Every --snapshot-count applied entries: the state at the applied index is captured now, then encoded a chunk per
   * event-loop turn and saved in the background, so neither the Ready loop nor client requests wait for it (a store
   * of 100,000 revisions takes ~0.6 s to encode; etcd, too, snapshots off its apply path).
   */
  private maybeSnapshot(): void {
    if (this.snapshotting || this.appliedIndex - this.snapshotIndex < this.cfg.snapshotCount) return;
    this.snapshotting = true;
    const index = this.appliedIndex;
    const steps = encodeStateSnapshotSteps(this.store, this.members, SNAPSHOT_CHUNK_REVISIONS);
    this.saveSnapshot(index, steps)
      .catch((err: unknown) => {
        if (this.stopped) return; // the WAL closed under it: the next start snapshots again
        this.cfg.logger.fatal({ err }, 'saving a snapshot failed; stopping the member');
        this.emit('fatal', err);
      })
      .finally(() => {
        this.snapshotting = false;
      });
  }

  private async saveSnapshot(index: number, steps: Generator<void, Uint8Array, void>): Promise<void> {
    let step = steps.next();
    while (!step.done) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.stopped) return;
      step = steps.next();
    }
    const data = step.value;
    // A snapshot from the leader replaced the state meanwhile: this one is older than what the member has.
    if (this.snapshotIndex >= index) return;
    const snapshot = this.node.createSnapshot(index, data);
    await this.snapshotter.save(snapshot);
    await this.wal.saveSnapshot(snapshot.metadata);
    this.snapshotIndex = index;
    const compactTo = index - this.cfg.snapshotCatchUpEntries;
    if (compactTo > 0) {
      this.node.compactLog(compactTo);
      await this.wal.releaseTo(compactTo);
    }
    await this.snapshotter.purge(5);
    this.cfg.metrics.snapshots.inc();
    this.cfg.logger.info({ index, bytes: data.byteLength, compactTo }, 'saved a snapshot and compacted the raft log');
  }

  /** A consistent copy of the state machine at the applied index, for `snapshot save`. */
  snapshotBytes(): { index: number; data: Uint8Array } {
    return { index: this.appliedIndex, data: encodeStateSnapshot(this.store, this.members) };
  }

  // ---------------------------------------------------------------- proposing

  private nextRequestId(): string {
    this.proposalSeq += 1;
    return `${this.id}-${this.proposalSeq}`;
  }

  private async waitForLeader(deadline: number): Promise<void> {
    while (this.soft.lead === NONE) {
      if (this.stopped) throw Errors.stopped();
      const left = deadline - Date.now();
      if (left <= 0) throw Errors.deadlineExceeded();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.leaderWaiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Proposes a command and resolves with its apply result on this member. */
  async propose<T>(cmd: Command): Promise<T> {
    if (this.stopped) throw Errors.stopped();
    const deadline = Date.now() + this.requestTimeoutMs;
    await this.waitForLeader(deadline);
    const id = this.nextRequestId();
    const termAtStart = this.persistedHard.term;
    const data = encodeCommand({ id, cmd });
    const done = new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(id);
        if (this.soft.lead === NONE) reject(Errors.deadlineExceeded());
        else if (this.persistedHard.term !== termAtStart) reject(Errors.timeoutDueToLeaderFail());
        else reject(Errors.timeout());
      }, Math.max(1, deadline - Date.now()));
      this.waiters.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
    });
    try {
      this.node.propose(data);
    } catch (err) {
      const w = this.waiters.get(id);
      if (w) clearTimeout(w.timer);
      this.waiters.delete(id);
      if (err instanceof ProposalDroppedError) throw Errors.proposalDropped();
      throw err;
    }
    this.cfg.metrics.proposals.inc();
    this.scheduleReady();
    return done;
  }

  private async proposeConfChange(type: ConfChange['type'], nodeId: NodeId, member?: Member): Promise<Member[]> {
    if (this.stopped) throw Errors.stopped();
    const deadline = Date.now() + this.requestTimeoutMs;
    await this.waitForLeader(deadline);
    const requestId = this.nextRequestId();
    const done = new Promise<Member[]>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(requestId);
        reject(Errors.timeout());
      }, this.requestTimeoutMs);
      this.waiters.set(requestId, { resolve: resolve as (v: unknown) => void, reject, timer });
    });
    try {
      // The request id rides in the conf change's context so the proposer can be woken when it is applied.
      this.node.proposeConfChange({ type, nodeId, context: encodeConfContext({ requestId, ...(member ? { member } : {}) }) });
    } catch (err) {
      const w = this.waiters.get(requestId);
      if (w) clearTimeout(w.timer);
      this.waiters.delete(requestId);
      if (err instanceof ProposalDroppedError) throw Errors.proposalDropped();
      throw err;
    }
    this.scheduleReady();
    return done;
  }

  // ---------------------------------------------------------------- linearizable reads (ReadIndex)

  /** Resolves once this member has applied everything committed before the call: reads after it are linearizable. */
  linearizableBarrier(): Promise<void> {
    if (this.stopped) return Promise.reject(Errors.stopped());
    return new Promise((resolve, reject) => {
      this.pendingReads.push({ resolve, reject });
      this.kickRead();
    });
  }

  /** One ReadIndex round at a time confirms every read that queued before it (etcd's linearizableReadLoop). */
  private kickRead(): void {
    if (this.readInFlight || this.pendingReads.length === 0 || this.stopped) return;
    if (this.soft.lead === NONE) {
      this.scheduleReadRetry();
      return;
    }
    this.readCtxSeq += 1;
    const ctx = `${this.id}-r${this.readCtxSeq}`;
    const batch: ReadBatch = {
      ctx,
      waiters: this.pendingReads,
      deadline: Date.now() + this.requestTimeoutMs,
      retry: setTimeout(() => this.retryRead(batch), Math.max(100, this.cfg.electionMs / 2)),
    };
    this.pendingReads = [];
    this.readInFlight = batch;
    this.node.readIndex(ctx);
    this.scheduleReady();
  }

  private readRetryTimer: NodeJS.Timeout | undefined;
  /** When this member last saw the cluster lose its leader (0 while there is one). */
  private leaderLostAt = 0;

  /** Reads queued while there is no leader wait for one, and fail after a request timeout without one (etcd). */
  private scheduleReadRetry(): void {
    if (this.readRetryTimer) return;
    if (this.leaderLostAt === 0) this.leaderLostAt = Date.now();
    this.readRetryTimer = setTimeout(() => {
      this.readRetryTimer = undefined;
      if (this.soft.lead === NONE) {
        if (Date.now() - this.leaderLostAt > this.requestTimeoutMs) this.failPendingReads(Errors.timeout());
        if (this.pendingReads.length > 0) this.scheduleReadRetry();
        return;
      }
      this.kickRead();
    }, this.cfg.heartbeatMs);
  }

  private retryRead(batch: ReadBatch): void {
    if (this.readInFlight !== batch) return;
    if (Date.now() > batch.deadline) {
      this.readInFlight = undefined;
      for (const w of batch.waiters) w.reject(Errors.timeout());
      this.kickRead();
      return;
    }
    // The ReadIndex request or its heartbeats were lost: ask again with the same context.
    batch.retry = setTimeout(() => this.retryRead(batch), Math.max(100, this.cfg.electionMs / 2));
    this.node.readIndex(batch.ctx);
    this.scheduleReady();
  }

  private onReadState(ctx: string, index: number): void {
    const batch = this.readInFlight;
    if (!batch || batch.ctx !== ctx) return;
    this.readInFlight = undefined;
    clearTimeout(batch.retry);
    void this.waitApplied(index).then(() => {
      for (const w of batch.waiters) w.resolve();
    });
    this.kickRead();
  }

  private failPendingReads(err: Error): void {
    const waiting = this.pendingReads;
    this.pendingReads = [];
    for (const w of waiting) w.reject(err);
  }

  private failReads(err: Error): void {
    this.failPendingReads(err);
    if (this.readInFlight) {
      clearTimeout(this.readInFlight.retry);
      for (const w of this.readInFlight.waiters) w.reject(err);
      this.readInFlight = undefined;
    }
  }

  // ---------------------------------------------------------------- the KV API

  async range(req: RangeRequest): Promise<RangeResponse> {
    if (!req.serializable) await this.linearizableBarrier();
    return this.store.range(req);
  }

  async put(req: PutRequest): Promise<PutResponse> {
    this.checkQuota();
    return this.propose<PutResponse>({ op: 'put', req });
  }

  async deleteRange(req: DeleteRangeRequest): Promise<DeleteRangeResponse> {
    return this.propose<DeleteRangeResponse>({ op: 'deleteRange', req });
  }

  async txn(req: TxnRequest): Promise<TxnResponse> {
    if (isReadOnlyTxn(req)) {
      if (!isSerializableTxn(req)) await this.linearizableBarrier();
      return this.store.txn(req);
    }
    this.checkQuota();
    return this.propose<TxnResponse>({ op: 'txn', req });
  }

  async compact(req: CompactionRequest): Promise<CompactionResponse> {
    // Refuse obviously bad revisions before they take a slot in the log (the apply repeats the check).
    if (req.revision > this.store.revision) throw Errors.futureRev();
    if (req.revision <= this.store.compactRevision) throw Errors.compacted();
    return this.propose<CompactionResponse>({ op: 'compaction', req });
  }

  private checkQuota(): void {
    if (this.cfg.quotaBackendBytes > 0 && this.store.sizeBytes() > this.cfg.quotaBackendBytes) throw Errors.noSpace();
  }

  get revision(): number {
    return this.store.revision;
  }

  get compactRevision(): number {
    return this.store.compactRevision;
  }

  get raftTerm(): number {
    return this.persistedHard.term;
  }

  get leader(): NodeId {
    return this.soft.lead;
  }

  get isLeader(): boolean {
    return this.soft.role === 'leader';
  }

  hashKV(revision: number): { hash: number; revision: number; compactRevision: number } {
    return this.store.hashKV(revision);
  }

  get watchRegistry(): WatchRegistry {
    return this.watches;
  }

  // ---------------------------------------------------------------- leases

  async leaseGrant(ttl: number, id: string): Promise<LeaseGrantResponse> {
    const leaseId = id === '0' ? randomLeaseId() : id;
    if (ttl > 9_000_000_000) throw Errors.leaseTtlTooLarge();
    if (this.store.leaseInfo(leaseId)) throw Errors.leaseExists();
    return this.propose<LeaseGrantResponse>({ op: 'leaseGrant', req: { id: leaseId, ttl: Math.max(ttl, this.minLeaseTtl) } });
  }

  async leaseRevoke(id: string): Promise<LeaseRevokeResponse> {
    if (!this.store.leaseInfo(id)) throw Errors.leaseNotFound();
    return this.propose<LeaseRevokeResponse>({ op: 'leaseRevoke', req: { id } });
  }

  /** Renews a lease on the leader; a follower forwards to it. Returns the new TTL, 0 if the lease does not exist. */
  async leaseKeepAlive(id: string): Promise<number> {
    if (this.soft.role === 'leader') return this.renewLease(id);
    await this.waitForLeader(Date.now() + this.requestTimeoutMs);
    const res = await this.transport.callPeer<{ ttl: number }>(this.soft.lead, '/lease/keepalive', { id });
    return res.ttl;
  }

  /** Leader side of keepalive. */
  renewLease(id: string): number {
    if (this.soft.role !== 'leader') throw Errors.notLeader();
    const info = this.store.leaseInfo(id);
    if (!info) return 0;
    this.leaseExpiry.set(id, Date.now() + info.grantedTtl * 1000);
    return info.grantedTtl;
  }

  async leaseTimeToLive(id: string, keys: boolean): Promise<LeaseTimeToLiveResponse> {
    if (this.soft.role !== 'leader') {
      await this.waitForLeader(Date.now() + this.requestTimeoutMs);
      return this.transport.callPeer<LeaseTimeToLiveResponse>(this.soft.lead, '/lease/timetolive', { id, keys });
    }
    return this.localLeaseTimeToLive(id, keys);
  }

  /** Leader side of time-to-live. */
  localLeaseTimeToLive(id: string, keys: boolean): LeaseTimeToLiveResponse {
    const info = this.store.leaseInfo(id);
    const header = { revision: this.store.revision };
    if (!info) return { header, id, ttl: -1, grantedTtl: 0, keys: [] };
    const expiresAt = this.leaseExpiry.get(id) ?? Date.now() + info.grantedTtl * 1000;
    const ttl = Math.max(0, Math.ceil((expiresAt - Date.now()) / 1000));
    return { header, id, ttl, grantedTtl: info.grantedTtl, keys: keys ? info.keys : [] };
  }

  leases(): string[] {
    return this.store.leases();
  }

  /** A new leader gives every lease a full TTL from now (etcd's "promote"): the old leader's clock is not trusted. */
  private promoteLeases(): void {
    const now = Date.now();
    this.leaseExpiry.clear();
    for (const id of this.store.leases()) {
      const info = this.store.leaseInfo(id);
      if (info) this.leaseExpiry.set(id, now + info.grantedTtl * 1000);
    }
  }

  /** Leader only: expired leases are revoked through Raft, so every member deletes their keys at the same revision. */
  private revokeExpiredLeases(): void {
    if (this.soft.role !== 'leader' || this.stopped) return;
    const now = Date.now();
    for (const [id, expiresAt] of this.leaseExpiry) {
      if (expiresAt > now || this.leaseRevoking.has(id)) continue;
      this.leaseRevoking.add(id);
      this.propose<LeaseRevokeResponse>({ op: 'leaseRevoke', req: { id } }).then(
        () => this.cfg.metrics.leasesExpired.inc(),
        (err: unknown) => {
          this.leaseRevoking.delete(id);
          if (!(err instanceof EtcdError && err.code === 5)) this.cfg.logger.warn({ err, lease: id }, 'revoking an expired lease failed; will retry');
        },
      );
    }
  }

  // ---------------------------------------------------------------- membership and maintenance

  memberList(): Member[] {
    return this.members.list();
  }

  async memberAdd(peerURLs: string[], isLearner: boolean): Promise<{ member: Member; members: Member[] }> {
    for (const url of peerURLs) if (this.members.findByPeerURL(url)) throw Errors.peerUrlExists();
    const member: Member = { id: memberIdFor(peerURLs, this.cfg.clusterToken, Date.now()), name: '', peerURLs, clientURLs: [], isLearner };
    const members = await this.proposeConfChange(isLearner ? 'addLearner' : 'addNode', member.id, member);
    return { member, members };
  }

  async memberRemove(id: NodeId): Promise<Member[]> {
    if (!this.members.has(id)) throw Errors.memberNotFound();
    return this.proposeConfChange('removeNode', id);
  }

  async moveLeader(target: NodeId): Promise<void> {
    if (this.soft.role !== 'leader') throw Errors.notLeader();
    if (!this.members.has(target)) throw Errors.memberNotFound();
    this.node.transferLeader(target);
    this.scheduleReady();
    const deadline = Date.now() + this.requestTimeoutMs;
    while (this.soft.lead !== target) {
      if (Date.now() > deadline) throw Errors.timeout();
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  status(): MemberStatus {
    const size = this.store.sizeBytes();
    const errors: string[] = [];
    if (this.soft.lead === NONE) errors.push('etcdserver: no leader');
    return {
      id: this.id,
      leader: this.soft.lead,
      raftTerm: this.node.status().term,
      raftIndex: this.committedIndex,
      raftAppliedIndex: this.appliedIndex,
      dbSize: size,
      dbSizeInUse: size,
      isLearner: this.members.get(this.id)?.isLearner ?? false,
      errors,
    };
  }

  /** Publishes this member's name and client URLs once a leader exists (as etcd does at start). */
  private publishSelf(): void {
    this.published = true;
    const me = this.members.get(this.id);
    const clientURLs = this.cfg.advertiseClientURLs;
    if (me && me.name === this.cfg.name && sameURLs(me.clientURLs, clientURLs)) return;
    this.propose({ op: 'publishMember', req: { memberId: this.id, name: this.cfg.name, clientURLs } }).catch((err: unknown) => {
      this.cfg.logger.warn({ err }, 'publishing member attributes failed; retrying');
      this.published = false;
      setTimeout(() => {
        if (this.soft.lead !== NONE && !this.published) this.publishSelf();
      }, this.cfg.electionMs);
    });
  }

  private syncTransportPeers(members: Member[]): void {
    for (const m of members) if (m.id !== this.id) this.transport.setPeer(m.id, m.peerURLs);
  }
}

/** What a conf change carries for the application: the member's attributes and the proposer's request id. */
interface ConfContext {
  requestId?: string;
  member?: Member;
}

function encodeConfContext(ctx: ConfContext): string {
  return JSON.stringify(ctx);
}

function decodeConfContext(text: string): ConfContext {
  return text === '' ? {} : (JSON.parse(text) as ConfContext);
}

function sameURLs(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((u, i) => u === b[i]);
}

function randomLeaseId(): string {
  // A positive int64, as etcd's ids are.
  const hi = BigInt(randomInt(1, 2 ** 31 - 1));
  const lo = BigInt(randomInt(0, 2 ** 32 - 1));
  return ((hi << 32n) | lo).toString();
}

function opIsReadOnly(op: RequestOp): boolean {
  if ('requestRange' in op) return true;
  if ('requestTxn' in op) return isReadOnlyTxn(op.requestTxn);
  return false;
}

export function isReadOnlyTxn(req: TxnRequest): boolean {
  return req.success.every(opIsReadOnly) && req.failure.every(opIsReadOnly);
}

function opIsSerializable(op: RequestOp): boolean {
  if ('requestRange' in op) return op.requestRange.serializable;
  if ('requestTxn' in op) return isSerializableTxn(op.requestTxn);
  return false;
}

function isSerializableTxn(req: TxnRequest): boolean {
  const ops = [...req.success, ...req.failure];
  return ops.length > 0 && ops.every(opIsSerializable);
}
