// Pending ReadIndex requests on the leader (thesis §6.4): each is answered with the commit index it was received
// at, once a quorum has acknowledged a heartbeat sent after it. An ack for a later request confirms every earlier
// one too, so one heartbeat round can release a whole batch.
import type { NodeId } from './types.js';

export interface ReadIndexRequest {
  /** Commit index when the request arrived: the read must observe at least this. */
  index: number;
  /** Who asked: the leader itself or a follower that forwarded the request. */
  from: NodeId;
  requestCtx: string;
}

export class ReadOnlyQueue {
  private readonly pending = new Map<string, { request: ReadIndexRequest; acks: Set<NodeId> }>();
  private readonly order: string[] = [];

  /** Returns false for a context already pending (a duplicate request). */
  add(request: ReadIndexRequest): boolean {
    if (this.pending.has(request.requestCtx)) return false;
    this.pending.set(request.requestCtx, { request, acks: new Set() });
    this.order.push(request.requestCtx);
    return true;
  }

  /** Records an ack for ctx; returns the set of acks so far, or undefined if ctx is not pending. */
  recordAck(id: NodeId, ctx: string): ReadonlySet<NodeId> | undefined {
    const entry = this.pending.get(ctx);
    if (!entry) return undefined;
    entry.acks.add(id);
    return entry.acks;
  }

  /** Removes and returns every request up to and including ctx, oldest first. */
  releaseThrough(ctx: string): ReadIndexRequest[] {
    const at = this.order.indexOf(ctx);
    if (at < 0) return [];
    const released = this.order.splice(0, at + 1);
    return released.map((c) => {
      const request = this.pending.get(c)!.request;
      this.pending.delete(c);
      return request;
    });
  }

  /** The newest pending context: a heartbeat carrying it confirms every pending request. */
  lastPendingCtx(): string {
    return this.order.length > 0 ? this.order[this.order.length - 1]! : '';
  }

  size(): number {
    return this.order.length;
  }
}
