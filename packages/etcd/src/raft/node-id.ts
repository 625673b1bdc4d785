// Node ids are uint64 values written in decimal; order them numerically (as etcd does) without BigInt.
import type { NodeId } from './types.js';

/** Numeric order of two canonical decimal ids: a shorter string is a smaller number. */
export function compareNodeIds(a: NodeId, b: NodeId): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortedNodeIds(ids: Iterable<NodeId>): NodeId[] {
  return [...ids].sort(compareNodeIds);
}
