// Errors the Raft core reports to its caller.

/**
 * A proposal (or read/conf change) could not be accepted: there is no known leader, a leadership transfer is in
 * progress, another configuration change is still pending, or this node was removed. The caller may retry later.
 */
export class ProposalDroppedError extends Error {
  constructor(readonly reason: string) {
    super(`raft: proposal dropped: ${reason}`);
    this.name = 'ProposalDroppedError';
  }
}
