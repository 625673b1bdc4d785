// The contract of the Raft core: plain data in and out, no I/O.
// Modelled on etcd-io/raft's RawNode: ticks and messages in; a Ready out with what to persist, send and apply.

/** A member id: an unsigned 64-bit integer written in decimal (etcd member ids do not fit a JS number). */
export type NodeId = string;
/** "No node": no leader known, no vote cast. */
export const NONE: NodeId = '0';

export type EntryType = 'normal' | 'confChange';

export interface Entry {
  term: number;
  index: number;
  type: EntryType;
  /** Opaque payload. For 'normal' an application command ('' for the leader's no-op). For 'confChange' a JSON ConfChange. */
  data: string;
}

export interface ConfChange {
  type: 'addNode' | 'removeNode' | 'addLearner';
  nodeId: NodeId;
  /** Opaque application context (the new member's peer URLs, for instance). */
  context: string;
}

export interface ConfState {
  voters: NodeId[];
  learners: NodeId[];
}

export interface HardState {
  term: number;
  vote: NodeId;
  commit: number;
}

export const EMPTY_HARD_STATE: HardState = { term: 0, vote: NONE, commit: 0 };

export interface SnapshotMetadata {
  index: number;
  term: number;
  confState: ConfState;
}

export interface Snapshot {
  metadata: SnapshotMetadata;
  /** The application's state machine at metadata.index, serialized by the application. */
  data: Uint8Array;
}

export type StateRole = 'follower' | 'candidate' | 'preCandidate' | 'leader';

export interface SoftState {
  lead: NodeId;
  role: StateRole;
}

export type MessageType =
  | 'hup' // local: start an election
  | 'beat' // local: leader sends heartbeats
  | 'prop' // proposal (local, or forwarded by a follower to the leader)
  | 'app'
  | 'appResp'
  | 'vote'
  | 'voteResp'
  | 'preVote'
  | 'preVoteResp'
  | 'snap'
  | 'heartbeat'
  | 'heartbeatResp'
  | 'unreachable' // local: transport could not reach `from`
  | 'snapStatus' // local: outcome of sending a snapshot to `from` (reject = failed)
  | 'checkQuorum' // local
  | 'transferLeader' // local or forwarded to the leader
  | 'timeoutNow'
  | 'readIndex' // local, or forwarded by a follower to the leader
  | 'readIndexResp';

export interface Message {
  type: MessageType;
  to: NodeId;
  from: NodeId;
  term: number;
  /** For app: term of the entry preceding `entries`; for vote: term of the candidate's last entry. */
  logTerm: number;
  /** For app: index preceding `entries`; for appResp: the (rejected or matched) index; for vote: candidate's last index. */
  index: number;
  entries: Entry[];
  commit: number;
  snapshot?: Snapshot;
  reject: boolean;
  /** For a rejected appResp: the follower's hint of where its log could match. */
  rejectHint: number;
  /** Opaque context: read-index request ids, campaign-transfer marker, heartbeat read-index context. */
  context: string;
}

/** A linearizable read that is now safe to serve once the local applied index reaches `index`. */
export interface ReadState {
  index: number;
  requestCtx: string;
}

export interface Ready {
  /** Changed leader/role, if any. Volatile: not persisted. */
  softState?: SoftState;
  /** Must be persisted (fsync) before any of `messages` are sent, if present. */
  hardState?: HardState;
  /** Entries to append to stable storage before sending `messages`. May overwrite a suffix of the stored log. */
  entries: Entry[];
  /** Snapshot to persist and apply, if any. */
  snapshot?: Snapshot;
  /** Entries committed by a quorum: apply them to the state machine, in order. */
  committedEntries: Entry[];
  /** Messages to send, after the entries and hard state above are durable. */
  messages: Message[];
  readStates: ReadState[];
}

export interface RaftConfig {
  id: NodeId;
  /** Ticks without hearing from a leader before a follower campaigns (randomized in [electionTick, 2*electionTick)). */
  electionTick: number;
  heartbeatTick: number;
  /** Restored durable state. */
  storage: RaftStorageState;
  /** Upper bound on the byte size of entries in one append message (batching). */
  maxSizePerMsg: number;
  /** Maximum number of in-flight append messages per follower while replicating (pipelining). */
  maxInflightMsgs: number;
  preVote: boolean;
  checkQuorum: boolean;
  /** Randomness source for election timeouts: returns an integer in [0, n). Injected so simulations are deterministic. */
  random: (n: number) => number;
  /** Optional logger for state changes (role, term). */
  logger?: RaftLogger;
}

export interface RaftLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** What was made durable, handed back to the core on restart (and at first boot: the initial configuration). */
export interface RaftStorageState {
  hardState: HardState;
  /** Newest snapshot, if any; entries start after it. */
  snapshot?: Snapshot;
  /** Durable entries after the snapshot, contiguous. */
  entries: Entry[];
  /** Configuration at boot when there is no snapshot and no conf-change entry yet (a new cluster's initial members). */
  confState: ConfState;
}
