// Decoded forms of the RPCs that types.ts (the shared KV/lease/watch contract) does not cover: lease keepalive,
// time-to-live and listing, cluster membership, maintenance. Same conventions as types.ts: uint64/int64 ids are
// decimal strings ('0' = none), counters and revisions are JS numbers, keys are binary (latin1) strings.
import type { LeaseId, RevisionHeader, WatchResponse } from './types.js';

/**
 * The response header fields the server supplies: the member's ids and term, and the revision when the response
 * has one. An absent (or 0) revision is omitted, as etcd does for member responses and compacted-watch cancels;
 * encoders then fall back to the revision in the internal response, if it has one.
 */
export interface HeaderContext {
  /** uint64, decimal. */
  clusterId: string;
  /** uint64, decimal. */
  memberId: string;
  raftTerm: number;
  revision?: number | undefined;
}

/** Alias kept for readability where a complete header is meant. */
export type HeaderFields = HeaderContext;

export interface LeaseKeepAliveRequest {
  id: LeaseId;
}

export interface LeaseTimeToLiveRequest {
  id: LeaseId;
  keys: boolean;
}

export interface LeaseKeepAliveResponse {
  id: LeaseId;
  /** Seconds; 0 when the lease does not exist (etcd then omits TTL). */
  ttl: number;
}

/** A cluster member as the cluster API shows it (structurally the same as server/membership's Member). */
export interface MemberInfo {
  /** uint64, decimal. */
  id: string;
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
}

export interface MemberAddRequest {
  /** Validated and normalized as etcd's types.NewURLs does: trimmed, scheme lower-cased, sorted. */
  peerURLs: string[];
  isLearner: boolean;
}

export interface MemberRemoveRequest {
  id: string;
}

export interface MemberUpdateRequest {
  id: string;
  peerURLs: string[];
}

export interface MemberPromoteRequest {
  id: string;
}

export interface TransferLeadershipRequest {
  /** uint64, decimal. */
  targetId: string;
}

export interface HashKVRequest {
  revision: number;
}

export interface HashResponse {
  /** uint32. */
  hash: number;
}

export interface HashKVResponse {
  /** uint32. */
  hash: number;
  compactRevision: number;
}

export type AlarmAction = 'GET' | 'ACTIVATE' | 'DEACTIVATE';
export type AlarmType = 'NONE' | 'NOSPACE' | 'CORRUPT';

export interface AlarmRequest {
  action: AlarmAction;
  /** uint64, decimal; '0' = all members (GET) */
  memberId: string;
  alarm: AlarmType;
}

export interface AlarmMember {
  memberId: string;
  alarm: AlarmType;
}

export interface AlarmResponse {
  alarms: AlarmMember[];
}

export interface StatusResponse {
  version: string;
  dbSize: number;
  /** uint64, decimal; '0' = no leader (then omitted). */
  leader: string;
  raftIndex: number;
  raftTerm: number;
  raftAppliedIndex: number;
  errors: string[];
  dbSizeInUse: number;
  isLearner: boolean;
}

/** A watch stream message: WatchResponse whose header the caller supplies (see encodeWatchResponse). */
export type WatchFrame = Omit<WatchResponse, 'header'> & { header?: Partial<RevisionHeader> };
