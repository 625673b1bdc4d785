// Public, decoded shapes of etcd's v3 API as this client returns them.
//
// Conventions (why): keys and values come back as Buffers because etcd keys are arbitrary bytes; revisions, versions,
// counts and TTLs are JS numbers (they stay far below 2^53); lease and member ids are uint64/int64 and can exceed
// 2^53, so they stay decimal strings ('0' = none). Fields etcd omits as zero values are filled with their zero value.

/** A key, value or range bound: strings are taken as UTF-8. */
export type Bytes = string | Uint8Array;

export interface Header {
  clusterId: string;
  memberId: string;
  /** 0 where etcd omits it (txn sub-responses carry only this field; member list and compacted-watch frames lack it). */
  revision: number;
  raftTerm: number;
}

export interface KeyValue {
  key: Buffer;
  /** Empty for keys-only reads and for empty values. */
  value: Buffer;
  createRevision: number;
  modRevision: number;
  version: number;
  /** '0' when the key has no lease. */
  lease: string;
}

export type SortOrder = 'NONE' | 'ASCEND' | 'DESCEND';
export type SortTarget = 'KEY' | 'VERSION' | 'CREATE' | 'MOD' | 'VALUE';

/** How a request names a set of keys. At most one of rangeEnd / prefix / fromKey. */
export interface KeyRangeOptions {
  /** Exclusive end of the range. */
  rangeEnd?: Bytes;
  /** All keys starting with `key`. */
  prefix?: boolean;
  /** All keys >= `key`. */
  fromKey?: boolean;
}

export interface RangeOptions extends KeyRangeOptions {
  limit?: number;
  /** Read at this revision (0 = current). */
  revision?: number;
  /** Served by the contacted member without going through the leader (may be stale). */
  serializable?: boolean;
  keysOnly?: boolean;
  countOnly?: boolean;
  sortOrder?: SortOrder;
  sortTarget?: SortTarget;
  minModRevision?: number;
  maxModRevision?: number;
  minCreateRevision?: number;
  maxCreateRevision?: number;
}

export interface PutOptions {
  lease?: string;
  prevKv?: boolean;
  ignoreValue?: boolean;
  ignoreLease?: boolean;
}

export interface DeleteRangeOptions extends KeyRangeOptions {
  prevKv?: boolean;
}

export interface RangeResponse {
  header: Header;
  kvs: KeyValue[];
  more: boolean;
  /** Total number of matching keys, even when `limit` truncated `kvs`. */
  count: number;
}

export interface PutResponse {
  header: Header;
  prevKv?: KeyValue;
}

export interface DeleteRangeResponse {
  header: Header;
  deleted: number;
  prevKvs: KeyValue[];
}

export type CompareResult = 'EQUAL' | 'GREATER' | 'LESS' | 'NOT_EQUAL' | '=' | '>' | '<' | '!=';

interface CompareBase extends KeyRangeOptions {
  key: Bytes;
  /** Defaults to EQUAL. */
  result?: CompareResult;
}

/** One txn condition; the target decides which field holds the operand. */
export type Compare =
  | (CompareBase & { target: 'VERSION'; version: number })
  | (CompareBase & { target: 'CREATE'; createRevision: number })
  | (CompareBase & { target: 'MOD'; modRevision: number })
  | (CompareBase & { target: 'VALUE'; value: Bytes })
  | (CompareBase & { target: 'LEASE'; lease: string });

export type RequestOp =
  | { range: { key: Bytes } & RangeOptions }
  | { put: { key: Bytes; value: Bytes } & PutOptions }
  | { deleteRange: { key: Bytes } & DeleteRangeOptions }
  | { txn: TxnRequest };

export interface TxnRequest {
  compare?: Compare[];
  success?: RequestOp[];
  failure?: RequestOp[];
}

export type ResponseOp =
  | { range: RangeResponse }
  | { put: PutResponse }
  | { deleteRange: DeleteRangeResponse }
  | { txn: TxnResponse };

export interface TxnResponse {
  header: Header;
  succeeded: boolean;
  responses: ResponseOp[];
}

export interface CompactResponse {
  header: Header;
}

export interface LeaseGrantResponse {
  header: Header;
  id: string;
  ttl: number;
}

export interface LeaseRevokeResponse {
  header: Header;
}

export interface LeaseTimeToLiveResponse {
  header: Header;
  id: string;
  /** Remaining seconds; -1 when the lease does not exist. */
  ttl: number;
  grantedTtl: number;
  /** Attached keys (only when asked for). */
  keys: Buffer[];
}

export interface LeaseLeasesResponse {
  header: Header;
  leases: string[];
}

export interface LeaseKeepAliveResponse {
  header: Header;
  id: string;
  /** The refreshed TTL in seconds. */
  ttl: number;
}

export type WatchFilter = 'NOPUT' | 'NODELETE';

export interface WatchOptions extends KeyRangeOptions {
  /** First revision to report (0/absent = changes after now); may lie in the past. */
  startRevision?: number;
  prevKv?: boolean;
  progressNotify?: boolean;
  filters?: WatchFilter[];
  /** Use this endpoint instead of the client's current one (no failover then). */
  endpoint?: string;
}

export interface WatchEvent {
  type: 'PUT' | 'DELETE';
  kv: KeyValue;
  prevKv?: KeyValue;
}

export interface WatchResponse {
  header: Header;
  /** -1 on a progress reply. */
  watchId: number;
  created: boolean;
  canceled: boolean;
  /** Set on a cancel because the start revision was compacted: the oldest revision still available is this + 1. */
  compactRevision: number;
  cancelReason: string;
  fragment: boolean;
  events: WatchEvent[];
}

export interface StatusResponse {
  header: Header;
  /** The client URL this status came from. */
  endpoint: string;
  version: string;
  dbSize: number;
  dbSizeInUse: number;
  /** Member id of the leader as this member sees it; '0' when it knows none. */
  leader: string;
  raftIndex: number;
  raftTerm: number;
  raftAppliedIndex: number;
  errors: string[];
  isLearner: boolean;
}

export interface Member {
  id: string;
  /** Empty until a newly added member has started. */
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
}

export interface MemberListResponse {
  header: Header;
  members: Member[];
}

export interface MemberAddResponse {
  header: Header;
  member: Member;
  members: Member[];
}

export interface MemberRemoveResponse {
  header: Header;
  members: Member[];
}

export interface HashKVResponse {
  header: Header;
  endpoint: string;
  hash: number;
  compactRevision: number;
  /**
   * 'kv': the HashKV RPC (hash of the MVCC keys up to a revision). 'backend': etcd 3.4's gateway routes both Hash and
   * HashKV to /v3/maintenance/hash and answers with Hash (whole backend, revision ignored); see hashKV().
   */
  scope: 'kv' | 'backend';
}

export interface VersionResponse {
  etcdserver: string;
  etcdcluster: string;
}
