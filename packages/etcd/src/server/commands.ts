// What travels in a Raft 'normal' entry: one client write (or an internal change), tagged with the id of the request
// the proposing member waits on. Encoded as JSON so a WAL and a snapshot stay inspectable.
import type {
  CompactionRequest,
  DeleteRangeRequest,
  LeaseGrantRequest,
  LeaseRevokeRequest,
  PutRequest,
  TxnRequest,
} from '../api/types.js';

export type Command =
  | { op: 'put'; req: PutRequest }
  | { op: 'deleteRange'; req: DeleteRangeRequest }
  | { op: 'txn'; req: TxnRequest }
  | { op: 'compaction'; req: CompactionRequest }
  | { op: 'leaseGrant'; req: LeaseGrantRequest }
  | { op: 'leaseRevoke'; req: LeaseRevokeRequest }
  /** A started member publishes its name and client URLs through Raft, as etcd does, so every member lists them. */
  | { op: 'publishMember'; req: { memberId: string; name: string; clientURLs: string[] } };

export interface CommandEnvelope {
  /** Unique per proposing member: `<member id>-<sequence>`. */
  id: string;
  cmd: Command;
}

export function encodeCommand(env: CommandEnvelope): string {
  return JSON.stringify(env);
}

export function decodeCommand(data: string): CommandEnvelope {
  return JSON.parse(data) as CommandEnvelope;
}
