// The node lifecycle controller's decisions (pkg/controller/nodelifecycle), pure: when a node last showed life (its
// Ready heartbeat or its Lease renewal, as observed locally so clock skew with the kubelet does not matter), which
// conditions go Unknown after the grace period, and which taints the node's conditions call for.
import type { Node, NodeCondition, Taint } from '@k8ts/api-machinery';

export const TAINT_NOT_READY = 'node.kubernetes.io/not-ready';
export const TAINT_UNREACHABLE = 'node.kubernetes.io/unreachable';
export const TAINT_UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';
export const TAINT_MEMORY_PRESSURE = 'node.kubernetes.io/memory-pressure';
export const TAINT_DISK_PRESSURE = 'node.kubernetes.io/disk-pressure';
export const TAINT_PID_PRESSURE = 'node.kubernetes.io/pid-pressure';
export const TAINT_NETWORK_UNAVAILABLE = 'node.kubernetes.io/network-unavailable';

/** The conditions the controller turns Unknown when the kubelet goes silent (Kubernetes' list). */
export const MONITORED_CONDITIONS = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'] as const;

/** Every taint key this controller owns: it adds and removes only these. */
const MANAGED_KEYS = new Set([
  TAINT_NOT_READY,
  TAINT_UNREACHABLE,
  TAINT_UNSCHEDULABLE,
  TAINT_MEMORY_PRESSURE,
  TAINT_DISK_PRESSURE,
  TAINT_PID_PRESSURE,
  TAINT_NETWORK_UNAVAILABLE,
]);

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function readyCondition(node: Node): NodeCondition | undefined {
  return node.status?.conditions?.find((c) => c.type === 'Ready');
}

/** Ready's status; a node that never posted one counts as Unknown. */
export function readyStatus(node: Node): ConditionStatus {
  const s = readyCondition(node)?.status;
  return s === 'True' || s === 'False' ? s : 'Unknown';
}

interface HealthRecord {
  /** Controller-local time of the last sign of life. */
  probeMs: number;
  heartbeat: string | undefined;
  leaseRenew: string | undefined;
}

/**
 * nodeHealthMap: per node, when the controller last saw its Ready heartbeat or Lease renewTime change. The times
 * are the controller's own clock, so a kubelet with a skewed clock is judged fairly.
 */
export class NodeHealthTracker {
  private readonly records = new Map<string, HealthRecord>();

  /** Records what `node` and its lease show now; returns the local time of the last sign of life. */
  observe(node: Node, leaseRenewTime: string | undefined, nowMs: number): number {
    const name = node.metadata?.name ?? '';
    const heartbeat = readyCondition(node)?.lastHeartbeatTime;
    const saved = this.records.get(name);
    if (!saved) {
      this.records.set(name, { probeMs: nowMs, heartbeat, leaseRenew: leaseRenewTime });
      return nowMs;
    }
    if (heartbeat !== undefined && heartbeat !== saved.heartbeat) {
      saved.heartbeat = heartbeat;
      saved.probeMs = nowMs;
    }
    // A lease counts only when it moved forward (RFC 3339 micro times of one format compare as dates).
    if (leaseRenewTime !== undefined && (saved.leaseRenew === undefined || Date.parse(leaseRenewTime) > Date.parse(saved.leaseRenew))) {
      saved.leaseRenew = leaseRenewTime;
      saved.probeMs = nowMs;
    }
    return saved.probeMs;
  }

  forget(name: string): void {
    this.records.delete(name);
  }

  has(name: string): boolean {
    return this.records.has(name);
  }

  names(): string[] {
    return [...this.records.keys()];
  }
}

/**
 * tryUpdateNodeHealth's silent-kubelet branch: once `probeMs + graceMs` has passed, every monitored condition goes
 * Unknown (NodeStatusUnknown; NodeStatusNeverUpdated for one the kubelet never posted). Returns the new conditions,
 * or undefined when nothing changes (still within the grace period, or already Unknown).
 */
export function staleNodeConditions(node: Node, probeMs: number, graceMs: number, nowMs: number): NodeCondition[] | undefined {
  if (nowMs <= probeMs + graceMs) return undefined;
  const now = rfc3339(nowMs);
  const conditions = (node.status?.conditions ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const type of MONITORED_CONDITIONS) {
    const existing = conditions.find((c) => c.type === type);
    if (!existing) {
      conditions.push({
        type,
        status: 'Unknown',
        reason: 'NodeStatusNeverUpdated',
        message: 'Kubelet never posted node status.',
        lastHeartbeatTime: node.metadata?.creationTimestamp ?? now,
        lastTransitionTime: now,
      });
      changed = true;
    } else if (existing.status !== 'Unknown') {
      existing.status = 'Unknown';
      existing.reason = 'NodeStatusUnknown';
      existing.message = 'Kubelet stopped posting node status.';
      existing.lastTransitionTime = now;
      changed = true;
    }
  }
  return changed ? conditions : undefined;
}

function conditionIs(node: Node, type: string, status: string): boolean {
  return node.status?.conditions?.some((c) => c.type === type && c.status === status) ?? false;
}

/**
 * The taints the node's state calls for: NoExecute not-ready (Ready False) or unreachable (Ready Unknown) for
 * taint-based eviction, and the NoSchedule taints of TaintNodesByCondition.
 */
export function desiredTaints(node: Node): Taint[] {
  const ready = readyStatus(node);
  const taints: Taint[] = [];
  if (ready === 'False') taints.push({ key: TAINT_NOT_READY, effect: 'NoExecute' }, { key: TAINT_NOT_READY, effect: 'NoSchedule' });
  if (ready === 'Unknown') taints.push({ key: TAINT_UNREACHABLE, effect: 'NoExecute' }, { key: TAINT_UNREACHABLE, effect: 'NoSchedule' });
  if (conditionIs(node, 'MemoryPressure', 'True')) taints.push({ key: TAINT_MEMORY_PRESSURE, effect: 'NoSchedule' });
  if (conditionIs(node, 'DiskPressure', 'True')) taints.push({ key: TAINT_DISK_PRESSURE, effect: 'NoSchedule' });
  if (conditionIs(node, 'PIDPressure', 'True')) taints.push({ key: TAINT_PID_PRESSURE, effect: 'NoSchedule' });
  if (conditionIs(node, 'NetworkUnavailable', 'True')) taints.push({ key: TAINT_NETWORK_UNAVAILABLE, effect: 'NoSchedule' });
  if (node.spec?.unschedulable) taints.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  return taints;
}

const sameTaint = (a: Taint, b: Taint): boolean => a.key === b.key && (a.effect ?? '') === (b.effect ?? '');

/**
 * The node's taints with the managed ones made to match `desired`: others' taints are kept as they are, managed
 * ones already present keep their timeAdded, new NoExecute ones get `nowMs`. Undefined when nothing changes.
 */
export function reconcileTaints(current: Taint[], desired: Taint[], nowMs: number): Taint[] | undefined {
  const kept = current.filter((t) => !MANAGED_KEYS.has(t.key ?? '') || desired.some((d) => sameTaint(d, t)));
  const added = desired
    .filter((d) => !current.some((t) => sameTaint(d, t)))
    .map((d) => (d.effect === 'NoExecute' ? { ...d, timeAdded: rfc3339(nowMs) } : d));
  if (added.length === 0 && kept.length === current.length) return undefined;
  return [...kept, ...added];
}

/** The node went from Ready to not Ready in this observation (RecordNodeStatusChange + MarkPodsNotReady). */
export function becameNotReady(previous: ConditionStatus | undefined, current: ConditionStatus): boolean {
  return previous === 'True' && current !== 'True';
}
