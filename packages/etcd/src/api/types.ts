// Internal, decoded forms of etcd's v3 requests and responses.
// The HTTP codec turns etcd's proto3 JSON into these (and back); the MVCC store and the server only see these.
//
// Representation choices (why):
// - Keys are "binary strings": one JS char per byte (Buffer.toString('latin1')), so JS string comparison equals
//   etcd's byte-wise key order and keys can be Map keys.
// - Values are kept base64-encoded exactly as they travel on the wire: the store never needs their bytes except for
//   a VALUE comparison in a txn, and reads do not pay a re-encoding.
// - Revisions, versions and TTLs are JS numbers (they stay below 2^53). Lease ids and member ids are uint64/int64
//   and are kept as decimal strings; '0' means "none".

export type Key = string; // binary string (latin1)
export type Base64 = string;
export type LeaseId = string; // decimal int64, '0' = no lease

export interface KeyValue {
  key: Key;
  createRevision: number;
  modRevision: number;
  version: number;
  /** base64; '' for an empty value (and for keys_only reads). */
  value: Base64;
  lease: LeaseId;
}

export type SortOrder = 'NONE' | 'ASCEND' | 'DESCEND';
export type SortTarget = 'KEY' | 'VERSION' | 'CREATE' | 'MOD' | 'VALUE';

export interface RangeRequest {
  key: Key;
  /** '' = single key; '\0' = all keys >= key; otherwise the exclusive end. */
  rangeEnd: Key;
  limit: number;
  /** 0 = current revision. */
  revision: number;
  sortOrder: SortOrder;
  sortTarget: SortTarget;
  serializable: boolean;
  keysOnly: boolean;
  countOnly: boolean;
  minModRevision: number;
  maxModRevision: number;
  minCreateRevision: number;
  maxCreateRevision: number;
}

/** A range request with proto3's zero values (what etcd assumes for absent fields), plus the given fields. */
export function rangeRequest(key: Key, fields: Partial<RangeRequest> = {}): RangeRequest {
  return {
    key,
    rangeEnd: '',
    limit: 0,
    revision: 0,
    sortOrder: 'NONE',
    sortTarget: 'KEY',
    serializable: false,
    keysOnly: false,
    countOnly: false,
    minModRevision: 0,
    maxModRevision: 0,
    minCreateRevision: 0,
    maxCreateRevision: 0,
    ...fields,
  };
}

export interface PutRequest {
  key: Key;
  value: Base64;
  lease: LeaseId;
  prevKv: boolean;
  ignoreValue: boolean;
  ignoreLease: boolean;
}

export interface DeleteRangeRequest {
  key: Key;
  rangeEnd: Key;
  prevKv: boolean;
}

export type CompareTarget = 'VERSION' | 'CREATE' | 'MOD' | 'VALUE' | 'LEASE';
export type CompareResult = 'EQUAL' | 'GREATER' | 'LESS' | 'NOT_EQUAL';

export interface Compare {
  key: Key;
  rangeEnd: Key;
  target: CompareTarget;
  result: CompareResult;
  version: number;
  createRevision: number;
  modRevision: number;
  value: Base64;
  lease: LeaseId;
}

export type RequestOp =
  | { requestRange: RangeRequest }
  | { requestPut: PutRequest }
  | { requestDeleteRange: DeleteRangeRequest }
  | { requestTxn: TxnRequest };

export interface TxnRequest {
  compare: Compare[];
  success: RequestOp[];
  failure: RequestOp[];
}

export interface CompactionRequest {
  revision: number;
  physical: boolean;
}

export interface LeaseGrantRequest {
  /** Chosen by the proposing member when the client passed 0, so every member applies the same id. */
  id: LeaseId;
  ttl: number;
}

export interface LeaseRevokeRequest {
  id: LeaseId;
}

/** Per-revision response header fields the store knows; the server adds cluster_id, member_id and raft_term. */
export interface RevisionHeader {
  revision: number;
}

export interface RangeResponse {
  header: RevisionHeader;
  kvs: KeyValue[];
  more: boolean;
  count: number;
}

export interface PutResponse {
  header: RevisionHeader;
  prevKv?: KeyValue;
}

export interface DeleteRangeResponse {
  header: RevisionHeader;
  deleted: number;
  prevKvs: KeyValue[];
}

export type ResponseOp =
  | { responseRange: RangeResponse }
  | { responsePut: PutResponse }
  | { responseDeleteRange: DeleteRangeResponse }
  | { responseTxn: TxnResponse };

export interface TxnResponse {
  header: RevisionHeader;
  succeeded: boolean;
  responses: ResponseOp[];
}

export interface CompactionResponse {
  header: RevisionHeader;
}

export interface LeaseGrantResponse {
  header: RevisionHeader;
  id: LeaseId;
  ttl: number;
}

export interface LeaseRevokeResponse {
  header: RevisionHeader;
}

export interface LeaseTimeToLiveResponse {
  header: RevisionHeader;
  id: LeaseId;
  /** Remaining seconds; -1 when the lease does not exist. */
  ttl: number;
  grantedTtl: number;
  keys: Key[];
}

export interface LeaseStatus {
  id: LeaseId;
}

export type EventType = 'PUT' | 'DELETE';

export interface WatchEvent {
  type: EventType;
  kv: KeyValue;
  prevKv?: KeyValue;
}

export type WatchFilter = 'NOPUT' | 'NODELETE';

export interface WatchCreateRequest {
  key: Key;
  rangeEnd: Key;
  /** 0 = from the next revision. */
  startRevision: number;
  progressNotify: boolean;
  filters: WatchFilter[];
  prevKv: boolean;
  /** Client-chosen watch id; 0 = server-assigned (etcd 3.4 ignores a client id of 0). */
  watchId: number;
  fragment: boolean;
}

export type WatchRequest =
  | { createRequest: WatchCreateRequest }
  | { cancelRequest: { watchId: number } }
  | { progressRequest: Record<string, never> };

export interface WatchResponse {
  /** Absent revision: etcd omits it on a compacted-watch cancel frame. */
  header: Partial<RevisionHeader>;
  watchId: number;
  created: boolean;
  canceled: boolean;
  compactRevision: number;
  cancelReason: string;
  fragment: boolean;
  events: WatchEvent[];
}

/**
 * A failure etcd reports as a gRPC status. `code` is the gRPC code, `httpStatus` what the gateway answers with,
 * and `message` the exact error string etcd prints (see shared/docs/etcd-v3-json.md).
 */
export class EtcdError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'EtcdError';
  }
}

/** The error strings and codes of etcd 3.4, in one place. */
export const Errors = {
  keyNotProvided: () => new EtcdError(400, 3, 'etcdserver: key is not provided'),
  duplicateKey: () => new EtcdError(400, 3, 'etcdserver: duplicate key given in txn request'),
  tooManyOps: () => new EtcdError(400, 3, 'etcdserver: too many operations in txn request'),
  requestTooLarge: () => new EtcdError(400, 3, 'etcdserver: request is too large'),
  valueProvided: () => new EtcdError(400, 3, 'etcdserver: value is provided'),
  leaseProvided: () => new EtcdError(400, 3, 'etcdserver: lease is provided'),
  invalidArgument: (msg: string) => new EtcdError(400, 3, msg),
  compacted: () => new EtcdError(400, 11, 'etcdserver: mvcc: required revision has been compacted'),
  futureRev: () => new EtcdError(400, 11, 'etcdserver: mvcc: required revision is a future revision'),
  leaseNotFound: () => new EtcdError(404, 5, 'etcdserver: requested lease not found'),
  leaseExists: () => new EtcdError(412, 9, 'etcdserver: lease already exists'),
  leaseTtlTooLarge: () => new EtcdError(400, 11, 'etcdserver: too large lease TTL'),
  notLeader: () => new EtcdError(412, 9, 'etcdserver: not leader'),
  leaderChanged: () => new EtcdError(503, 14, 'etcdserver: leader changed'),
  timeout: () => new EtcdError(503, 14, 'etcdserver: request timed out'),
  timeoutDueToLeaderFail: () =>
    new EtcdError(503, 14, 'etcdserver: request timed out, possibly due to previous leader failure'),
  proposalDropped: () => new EtcdError(500, 2, 'raft proposal dropped'),
  deadlineExceeded: () => new EtcdError(500, 2, 'context deadline exceeded'),
  noSpace: () => new EtcdError(429, 8, 'etcdserver: mvcc: database space exceeded'),
  memberNotFound: () => new EtcdError(404, 5, 'etcdserver: member not found'),
  memberExists: () => new EtcdError(412, 9, 'etcdserver: member ID already exist'),
  peerUrlExists: () => new EtcdError(412, 9, 'etcdserver: Peer URLs already exists'),
  unhealthyCluster: () => new EtcdError(503, 14, 'etcdserver: unhealthy cluster'),
  stopped: () => new EtcdError(503, 14, 'etcdserver: server stopped'),
} as const;

/** etcd's limit on operations in one txn (--max-txn-ops). */
export const MAX_TXN_OPS = 128;
