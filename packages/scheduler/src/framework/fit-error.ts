// Why a pod fits no node, in the words `kubectl describe pod` shows under FailedScheduling:
// "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {k: v}."
import type { Status } from './interface.js';

export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export interface Diagnosis {
  /** The rejecting status of each node that failed a filter. */
  readonly nodeToStatus: ReadonlyMap<string, Status>;
  /** Plugins whose rejection made the pod unschedulable; the queue requeues on their events. */
  readonly unschedulablePlugins: ReadonlySet<string>;
  /** A PreFilter rejection's message; then the per-node reasons are not repeated. */
  readonly preFilterMsg?: string;
}

export class FitError extends Error {
  constructor(
    readonly numAllNodes: number,
    readonly diagnosis: Diagnosis,
  ) {
    super(fitErrorMessage(numAllNodes, diagnosis));
    this.name = 'FitError';
  }
}

/** Kubernetes' FitError.Error(): "<count> <reason>" entries sorted as strings, joined by ", ", ended by ".". */
export function fitErrorMessage(numAllNodes: number, diagnosis: Diagnosis): string {
  let msg = `0/${numAllNodes} nodes are available:`;
  if (diagnosis.preFilterMsg) return `${msg} ${diagnosis.preFilterMsg}.`;
  const histogram = new Map<string, number>();
  for (const status of diagnosis.nodeToStatus.values()) {
    for (const reason of status.reasons) histogram.set(reason, (histogram.get(reason) ?? 0) + 1);
  }
  const entries = [...histogram].map(([reason, count]) => `${count} ${reason}`);
  // Go's sort.Strings: byte order, not locale order.
  entries.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (entries.length > 0) msg += ` ${entries.join(', ')}.`;
  return msg;
}
