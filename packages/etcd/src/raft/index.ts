// The Raft consensus core: a deterministic state machine with no I/O, driven through RawNode (etcd-io/raft's
// model). Modules, one concern each:
//   types.ts         the data contract (entries, messages, Ready, config, storage state)
//   raw-node.ts      the application's handle: inputs, Ready/advance, snapshots, status; the durability contract
//   raft.ts          the protocol: elections (pre-vote, check-quorum), replication, commit, ReadIndex, transfer
//   log.ts           the log: stable + unstable parts, commit/apply cursors (log-stable.ts, log-unstable.ts)
//   tracker.ts       configuration and per-member progress; progress.ts the flow control (probe/replicate/snapshot)
//   quorum.ts        majority arithmetic; read-only.ts pending ReadIndex requests; messages.ts message helpers
export * from './types.js';
export { ProposalDroppedError } from './errors.js';
export { CAMPAIGN_TRANSFER_CONTEXT } from './messages.js';
export type { ProgressState } from './progress.js';
export { RawNode, type LogView, type ProgressStatus, type RaftStatus } from './raw-node.js';
