// The Raft consensus core: a deterministic state machine with no I/O, driven through RawNode.
export * from './types.js';
export { ProposalDroppedError } from './errors.js';
export { CAMPAIGN_TRANSFER_CONTEXT } from './messages.js';
export type { ProgressState } from './progress.js';
export { RawNode, type LogView, type ProgressStatus, type RaftStatus } from './raw-node.js';
