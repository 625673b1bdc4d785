// A deterministic in-memory cluster of RawNodes for tests.
//
// - Network: messages sent by a node's Ready go into an in-flight pool. Faults: random drop, duplication and delay
//   (in ticks), random delivery order (reorder), partitions and cut links, plus per-test `dropIf`/`holdIf` filters.
//   A dropped snapshot is reported to its sender as failed, a delivered one as sent (like etcd's transport), and a
//   message that cannot cross a partition is reported as unreachable.
// - Durability: each node's "disk" holds only what it persisted from the Readies it processed (snapshot, entries,
//   hard state), written before the Ready's messages are sent. crash(id) drops the RawNode and the application
//   state; restart(id) rebuilds both from the disk alone.
// - Application: committed entries are applied to a per-node list (the state machine); conf changes are applied
//   to the RawNode; the list is what snapshots serialize.
// - Safety: every observable state is checked by a SafetyChecker (Election Safety, Log Matching, Leader
//   Completeness, State Machine Safety, one vote per term, monotonic persisted state, ReadIndex bounds).
import {
  NONE,
  RawNode,
  type ConfChange,
  type ConfState,
  type Entry,
  type HardState,
  type Message,
  type NodeId,
  type RaftStatus,
  type ReadState,
  type Ready,
  type Snapshot,
} from '../../src/raft/index.js';
import { InvariantViolation, SafetyChecker, type AppliedEntry } from './invariants.js';

/** mulberry32: a small seeded PRNG, so simulations replay exactly. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface ClusterOptions {
  /** Member ids (default '1'..'3'). */
  ids?: NodeId[];
  /** Boot configuration voters (default: all ids). Nodes outside it start with an empty configuration. */
  voters?: NodeId[];
  learners?: NodeId[];
  /**
   * How the initial configuration is given: 'confState' (default) stores it as each member's boot configuration;
   * 'log' writes it, as etcd does, as committed addNode entries 1..n of term 1 that every member applies at start,
   * so that members added later learn the whole configuration from the log.
   */
  bootstrap?: 'confState' | 'log';
  electionTick?: number;
  heartbeatTick?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  maxSizePerMsg?: number;
  maxInflightMsgs?: number;
  seed?: number;
  /** Process a node's Ready right after every input to it (default true). Off: call processReady explicitly. */
  autoReady?: boolean;
}

export interface Faults {
  dropRate: number;
  duplicateRate: number;
  /** Each message is delayed by 0..maxDelayTicks ticks. */
  maxDelayTicks: number;
  /** Deliver in-flight messages in random order instead of send order. */
  reorder: boolean;
}

export interface Disk {
  hardState: HardState;
  snapshot?: Snapshot;
  entries: Entry[];
  /** Boot configuration. */
  confState: ConfState;
}

interface InFlight {
  message: Message;
  deliverAt: number;
  /** The sender's incarnation: transport reports go only to the process that sent the message. */
  senderIncarnation: number;
}

export interface SimNode {
  id: NodeId;
  disk: Disk;
  /** Undefined while crashed. */
  raw: RawNode | undefined;
  incarnation: number;
  /** The state machine: every applied entry, from index 1. */
  applied: AppliedEntry[];
  readStates: ReadState[];
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeAppliedState(applied: readonly AppliedEntry[]): Uint8Array {
  return encoder.encode(JSON.stringify(applied));
}

export function decodeAppliedState(data: Uint8Array): AppliedEntry[] {
  return data.length === 0 ? [] : (JSON.parse(decoder.decode(data)) as AppliedEntry[]);
}

function copyEntry(e: Entry): Entry {
  return { term: e.term, index: e.index, type: e.type, data: e.data };
}

/** What a real transport does: the receiver gets its own copy. */
function copyMessage(m: Message): Message {
  return { ...m, entries: m.entries.map(copyEntry) };
}

function copyDisk(d: Disk): Disk {
  return {
    hardState: { ...d.hardState },
    entries: d.entries.map(copyEntry),
    confState: { voters: [...d.confState.voters], learners: [...d.confState.learners] },
    ...(d.snapshot ? { snapshot: d.snapshot } : {}),
  };
}

export class Cluster {
  readonly ids: NodeId[];
  readonly nodes = new Map<NodeId, SimNode>();
  readonly checker = new SafetyChecker();
  readonly faults: Faults = { dropRate: 0, duplicateRate: 0, maxDelayTicks: 0, reorder: false };
  /** Messages in the network. */
  inFlight: InFlight[] = [];
  /** Logical time in ticks (advanced by tickAll/runTicks). */
  now = 0;
  /** Test hook: drop a message at delivery time. */
  dropIf: ((m: Message) => boolean) | undefined;
  /** Test hook: keep a message in the network, undelivered, for now. */
  holdIf: ((m: Message) => boolean) | undefined;
  /** Test hook: sees every message a node sends (after its Ready was persisted). */
  onSend: ((m: Message) => void) | undefined;
  /** ReadIndex requests issued: ctx -> the highest commit index anywhere when it was issued. */
  private readonly readFloor = new Map<string, number>();
  private readonly random: () => number;
  private readonly options: Required<Omit<ClusterOptions, 'ids' | 'voters' | 'learners' | 'autoReady' | 'bootstrap'>>;
  /** Process a node's Ready right after every input to it; off: the test calls processReady itself. */
  autoReady: boolean;
  private group = new Map<NodeId, number>();
  private readonly cutLinks = new Set<string>();

  constructor(options: ClusterOptions = {}) {
    this.ids = options.ids ?? ['1', '2', '3'];
    this.options = {
      electionTick: options.electionTick ?? 10,
      heartbeatTick: options.heartbeatTick ?? 1,
      preVote: options.preVote ?? false,
      checkQuorum: options.checkQuorum ?? false,
      maxSizePerMsg: options.maxSizePerMsg ?? 1024 * 1024,
      maxInflightMsgs: options.maxInflightMsgs ?? 256,
      seed: options.seed ?? 1,
    };
    this.autoReady = options.autoReady ?? true;
    this.random = seededRandom(this.options.seed);
    const voters = options.voters ?? this.ids;
    const learners = options.learners ?? [];
    const bootEntries: Entry[] = [
      ...voters.map((nodeId): ConfChange => ({ type: 'addNode', nodeId, context: '' })),
      ...learners.map((nodeId): ConfChange => ({ type: 'addLearner', nodeId, context: '' })),
    ].map((cc, i) => ({ term: 1, index: i + 1, type: 'confChange', data: JSON.stringify(cc) }));
    for (const id of this.ids) {
      const inConfig = voters.includes(id) || learners.includes(id);
      if (options.bootstrap === 'log') {
        this.addNodeWithDisk(id, {
          hardState: inConfig ? { term: 1, vote: NONE, commit: bootEntries.length } : { term: 0, vote: NONE, commit: 0 },
          entries: inConfig ? bootEntries.map(copyEntry) : [],
          confState: { voters: [], learners: [] },
        });
      } else {
        this.addNodeWithDisk(id, {
          hardState: { term: 0, vote: NONE, commit: 0 },
          entries: [],
          confState: inConfig ? { voters: [...voters], learners: [...learners] } : { voters: [], learners: [] },
        });
      }
    }
  }

  /** A new, empty member (not in anyone's configuration until a conf change adds it). */
  addNode(id: NodeId): SimNode {
    if (!this.ids.includes(id)) this.ids.push(id);
    return this.addNodeWithDisk(id, { hardState: { term: 0, vote: NONE, commit: 0 }, entries: [], confState: { voters: [], learners: [] } });
  }

  private addNodeWithDisk(id: NodeId, disk: Disk): SimNode {
    const node: SimNode = { id, disk, raw: undefined, incarnation: 0, applied: [], readStates: [] };
    this.nodes.set(id, node);
    this.boot(node);
    return node;
  }

  private boot(node: SimNode): void {
    node.incarnation++;
    // Each incarnation gets its own deterministic stream of election timeouts.
    const rng = seededRandom(this.options.seed * 7919 + Number(node.id) * 104729 + node.incarnation * 31);
    node.raw = new RawNode({
      id: node.id,
      electionTick: this.options.electionTick,
      heartbeatTick: this.options.heartbeatTick,
      storage: copyDisk(node.disk),
      maxSizePerMsg: this.options.maxSizePerMsg,
      maxInflightMsgs: this.options.maxInflightMsgs,
      preVote: this.options.preVote,
      checkQuorum: this.options.checkQuorum,
      random: (n) => Math.floor(rng() * n),
    });
    node.applied = node.disk.snapshot ? decodeAppliedState(node.disk.snapshot.data) : [];
    node.readStates = [];
    this.checker.forgetNode(node.id);
    this.observe(node);
    // A restarted application handles its first Ready (re-applying committed entries) right away.
    if (this.autoReady) this.processReady(node.id);
  }

  // --- Accessors ---------------------------------------------------------------------------------------------------

  node(id: NodeId): SimNode {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`no node ${id}`);
    return node;
  }

  raw(id: NodeId): RawNode {
    const raw = this.node(id).raw;
    if (!raw) throw new Error(`node ${id} is crashed`);
    return raw;
  }

  alive(id: NodeId): boolean {
    return this.node(id).raw !== undefined;
  }

  liveIds(): NodeId[] {
    return this.ids.filter((id) => this.nodes.get(id)?.raw !== undefined);
  }

  status(id: NodeId): RaftStatus {
    return this.raw(id).status();
  }

  /** The live leader of the highest term, if any. */
  leader(): NodeId | undefined {
    let best: RaftStatus | undefined;
    for (const id of this.liveIds()) {
      const s = this.status(id);
      if (s.role === 'leader' && (!best || s.term > best.term)) best = s;
    }
    return best?.id;
  }

  leaders(): NodeId[] {
    return this.liveIds().filter((id) => this.status(id).role === 'leader');
  }

  /** Applied commands (normal, non-empty entries) of a node, in order. */
  appliedData(id: NodeId): string[] {
    return this.node(id).applied.filter((e) => e.type === 'normal' && e.data !== '').map((e) => e.data);
  }

  // --- Inputs ------------------------------------------------------------------------------------------------------

  tick(id: NodeId): void {
    this.raw(id).tick();
    this.afterInput(id);
  }

  /** One tick of logical time for every live node; messages delayed until now become deliverable. */
  tickAll(): void {
    this.now++;
    for (const id of this.liveIds()) this.tick(id);
  }

  campaign(id: NodeId): void {
    this.raw(id).campaign();
    this.afterInput(id);
  }

  propose(id: NodeId, data: string): void {
    this.raw(id).propose(data);
    this.afterInput(id);
  }

  proposeConfChange(id: NodeId, cc: ConfChange): void {
    this.raw(id).proposeConfChange(cc);
    this.afterInput(id);
  }

  readIndex(id: NodeId, ctx: string): void {
    this.raw(id).readIndex(ctx);
    // Anything committed anywhere before the read was issued must be visible to it.
    this.readFloor.set(ctx, this.checker.maxCommitSeen);
    this.afterInput(id);
  }

  transferLeader(id: NodeId, to: NodeId): void {
    this.raw(id).transferLeader(to);
    this.afterInput(id);
  }

  private afterInput(id: NodeId): void {
    this.observe(this.node(id));
    if (this.autoReady) this.processReady(id);
  }

  // --- The application's Ready loop --------------------------------------------------------------------------------

  /** Persist, send, apply, advance: one Ready of one node. Returns whether there was one. */
  processReady(id: NodeId): boolean {
    const node = this.node(id);
    const raw = node.raw;
    if (!raw || !raw.hasReady()) return false;
    const rd = raw.ready();
    this.persist(node, rd);
    for (const m of rd.messages) this.send(node, m);
    this.apply(node, rd);
    raw.advance(rd);
    this.observe(node);
    return true;
  }

  private persist(node: SimNode, rd: Ready): void {
    const disk = node.disk;
    if (rd.snapshot) {
      disk.snapshot = rd.snapshot;
      disk.entries = [];
    }
    if (rd.entries.length > 0) {
      const first = rd.entries[0]!.index;
      const base = disk.snapshot?.metadata.index ?? 0;
      const lastOnDisk = Math.max(base, disk.entries[disk.entries.length - 1]?.index ?? 0);
      if (first <= base || first > lastOnDisk + 1) {
        throw new InvariantViolation(`node ${node.id}: Ready entries start at ${first}; the disk holds (${base}, ${lastOnDisk}]`);
      }
      const kept = disk.entries.filter((e) => e.index < first);
      disk.entries = [...kept, ...rd.entries.map(copyEntry)];
    }
    if (rd.hardState) {
      this.checker.observePersistedHardState(node.id, disk.hardState, rd.hardState);
      disk.hardState = { ...rd.hardState };
    }
    const lastDiskIndex = disk.entries[disk.entries.length - 1]?.index ?? disk.snapshot?.metadata.index ?? 0;
    if (disk.hardState.commit > lastDiskIndex) {
      throw new InvariantViolation(`node ${node.id}: persisted commit ${disk.hardState.commit} beyond its disk log ${lastDiskIndex}`);
    }
  }

  private apply(node: SimNode, rd: Ready): void {
    const raw = node.raw!;
    if (rd.snapshot) {
      node.applied = decodeAppliedState(rd.snapshot.data);
      if (node.applied.length !== rd.snapshot.metadata.index) {
        throw new InvariantViolation(`node ${node.id}: snapshot at ${rd.snapshot.metadata.index} holds ${node.applied.length} entries`);
      }
      for (const e of node.applied) this.checker.observeApplied(node.id, e);
    }
    for (const e of rd.committedEntries) {
      if (e.index !== node.applied.length + 1) {
        throw new InvariantViolation(`node ${node.id}: applying ${e.index} after ${node.applied.length}`);
      }
      const entry: AppliedEntry = { index: e.index, term: e.term, type: e.type, data: e.data };
      this.checker.observeApplied(node.id, entry);
      node.applied.push(entry);
      if (e.type === 'confChange') raw.applyConfChange(JSON.parse(e.data) as ConfChange);
    }
    for (const rs of rd.readStates) {
      const floor = this.readFloor.get(rs.requestCtx);
      if (floor === undefined) throw new InvariantViolation(`node ${node.id}: ReadState for unknown request ${rs.requestCtx}`);
      if (rs.index < floor) {
        throw new InvariantViolation(
          `ReadIndex: request ${rs.requestCtx} got index ${rs.index}, but ${floor} was committed before it was issued`,
        );
      }
      if (rs.index > this.checker.maxCommitSeen) {
        throw new InvariantViolation(`ReadIndex: request ${rs.requestCtx} got index ${rs.index} beyond any commit`);
      }
      node.readStates.push(rs);
    }
  }

  /** Process Readies until none is left, for every live node. */
  processAllReady(): void {
    let progress = true;
    while (progress) {
      progress = false;
      for (const id of this.liveIds()) while (this.processReady(id)) progress = true;
    }
  }

  // --- Network -----------------------------------------------------------------------------------------------------

  private send(from: SimNode, m: Message): void {
    this.onSend?.(m);
    if (m.type === 'voteResp' && !m.reject) this.checker.observeVoteGranted(m.from, m.term, m.to);
    if (this.random() < this.faults.dropRate) {
      this.reportDropped(from, m);
      return;
    }
    const copies = this.random() < this.faults.duplicateRate ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const delay = this.faults.maxDelayTicks > 0 ? Math.floor(this.random() * (this.faults.maxDelayTicks + 1)) : 0;
      this.inFlight.push({ message: copyMessage(m), deliverAt: this.now + delay, senderIncarnation: from.incarnation });
    }
  }

  canTalk(a: NodeId, b: NodeId): boolean {
    return (this.group.get(a) ?? 0) === (this.group.get(b) ?? 0) && !this.cutLinks.has(`${a}>${b}`);
  }

  /** Splits the cluster: nodes in different groups cannot talk (nodes not listed form one more group). */
  partition(...groups: NodeId[][]): void {
    this.group = new Map();
    groups.forEach((g, i) => g.forEach((id) => this.group.set(id, i + 1)));
  }

  isolate(id: NodeId): void {
    this.partition([id]);
  }

  /** Cuts the link between a and b in both directions. */
  cut(a: NodeId, b: NodeId): void {
    this.cutLinks.add(`${a}>${b}`);
    this.cutLinks.add(`${b}>${a}`);
  }

  heal(): void {
    this.group = new Map();
    this.cutLinks.clear();
  }

  private deliverable(f: InFlight): boolean {
    return f.deliverAt <= this.now && !(this.holdIf?.(f.message) ?? false);
  }

  deliverableCount(): number {
    return this.inFlight.filter((f) => this.deliverable(f)).length;
  }

  /** Delivers the pick-th deliverable message (modulo their count). Returns false if none is deliverable. */
  deliverOne(pick = 0): boolean {
    const candidates: number[] = [];
    this.inFlight.forEach((f, i) => {
      if (this.deliverable(f)) candidates.push(i);
    });
    if (candidates.length === 0) return false;
    const at = candidates[pick % candidates.length]!;
    const [f] = this.inFlight.splice(at, 1);
    this.deliver(f!);
    return true;
  }

  /** Removes the pick-th in-flight message without delivering it (a lost packet). */
  dropOne(pick = 0): boolean {
    if (this.inFlight.length === 0) return false;
    const [f] = this.inFlight.splice(pick % this.inFlight.length, 1);
    const sender = this.nodes.get(f!.message.from);
    if (sender) this.reportDropped(sender, f!.message, f!.senderIncarnation);
    return true;
  }

  /** Sends the pick-th in-flight message twice. */
  duplicateOne(pick = 0): boolean {
    if (this.inFlight.length === 0) return false;
    const f = this.inFlight[pick % this.inFlight.length]!;
    this.inFlight.push({ ...f, message: copyMessage(f.message) });
    return true;
  }

  private deliver(f: InFlight): void {
    const m = f.message;
    const target = this.nodes.get(m.to);
    const sender = this.nodes.get(m.from);
    if (!this.canTalk(m.from, m.to)) {
      if (sender && sender.incarnation === f.senderIncarnation && sender.raw) {
        sender.raw.reportUnreachable(m.to);
        this.afterInput(sender.id);
      }
      if (sender) this.reportDropped(sender, m, f.senderIncarnation);
      return;
    }
    if (!target?.raw || (this.dropIf?.(m) ?? false)) {
      if (sender) this.reportDropped(sender, m, f.senderIncarnation);
      return;
    }
    target.raw.step(m);
    this.afterInput(target.id);
    if (m.type === 'snap' && sender?.raw && sender.incarnation === f.senderIncarnation) {
      sender.raw.reportSnapshot(m.to, true);
      this.afterInput(sender.id);
    }
  }

  private reportDropped(sender: SimNode, m: Message, incarnation = sender.incarnation): void {
    if (m.type !== 'snap' || !sender.raw || sender.incarnation !== incarnation) return;
    sender.raw.reportSnapshot(m.to, false);
    this.afterInput(sender.id);
  }

  /**
   * Runs until quiet: Readies processed and deliverable messages delivered (in order, or randomly with reorder).
   * Throws if it does not settle (a livelock).
   */
  stabilize(maxSteps = 100_000): void {
    for (let step = 0; step < maxSteps; step++) {
      this.processAllReady();
      const count = this.deliverableCount();
      if (count === 0) return;
      this.deliverOne(this.faults.reorder ? Math.floor(this.random() * count) : 0);
    }
    throw new Error(`cluster did not stabilize within ${maxSteps} steps`);
  }

  /** n rounds of: every node ticks, then the cluster stabilizes. */
  runTicks(n: number): void {
    for (let i = 0; i < n; i++) {
      this.tickAll();
      this.stabilize();
    }
  }

  /** Ticks until some node leads and has committed an entry of its term (so it can serve reads and commit). */
  waitForLeader(maxTicks = 200): NodeId {
    for (let i = 0; i <= maxTicks; i++) {
      this.stabilize();
      const lead = this.leader();
      if (lead !== undefined) {
        const s = this.status(lead);
        const log = this.raw(lead).logView();
        const committedTerm = s.commit === log.prevIndex ? log.prevTerm : log.entries[s.commit - log.prevIndex - 1]?.term;
        if (committedTerm === s.term) return lead;
      }
      this.tickAll();
    }
    throw new Error(`no leader within ${maxTicks} ticks`);
  }

  /** Campaigns on `id` and lets the election finish. */
  elect(id: NodeId): void {
    this.campaign(id);
    this.stabilize();
    if (this.status(id).role !== 'leader') throw new Error(`node ${id} did not win the election (${this.status(id).role})`);
  }

  // --- Crashes and snapshots ---------------------------------------------------------------------------------------

  /** Loses all volatile state: the RawNode, the applied state machine, unprocessed Readies. The disk remains. */
  crash(id: NodeId): void {
    const node = this.node(id);
    node.raw = undefined;
    node.applied = [];
    node.readStates = [];
  }

  /** Rebuilds the node from its disk only. */
  restart(id: NodeId): void {
    const node = this.node(id);
    if (node.raw) throw new Error(`node ${id} is running`);
    this.boot(node);
  }

  /**
   * The application snapshots its state at its applied index and compacts the log up to `keep` entries before it
   * (both durably). Returns the snapshot, or undefined if there is nothing new to snapshot.
   */
  snapshot(id: NodeId, keep = 0): Snapshot | undefined {
    const node = this.node(id);
    const raw = this.raw(id);
    const index = raw.status().applied;
    if (index <= (node.disk.snapshot?.metadata.index ?? 0)) return undefined;
    const snapshot = raw.createSnapshot(index, encodeAppliedState(node.applied.slice(0, index)));
    node.disk.snapshot = snapshot;
    const compactTo = Math.max(0, index - keep);
    raw.compactLog(compactTo);
    node.disk.entries = node.disk.entries.filter((e) => e.index > compactTo);
    this.observe(node);
    return snapshot;
  }

  // --- Safety ------------------------------------------------------------------------------------------------------

  private observe(node: SimNode): void {
    if (!node.raw) return;
    const status = node.raw.status();
    const log = node.raw.logView();
    const committedBefore = this.checker.committed.size;
    this.checker.observeNode(status, log);
    this.checker.checkLeaderCompleteness(status, log);
    if (this.checker.committed.size !== committedBefore) {
      // Newly seen commits must already be in every other live leader of a later term.
      for (const id of this.liveIds()) {
        if (id === node.id) continue;
        const other = this.raw(id);
        const s = other.status();
        if (s.role === 'leader') this.checker.checkLeaderCompleteness(s, other.logView());
      }
    }
  }

  /** Re-checks every live node (e.g. at the end of a test). */
  checkAll(): void {
    for (const id of this.liveIds()) this.observe(this.node(id));
  }
}
