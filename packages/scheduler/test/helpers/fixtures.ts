// Nodes, pods and snapshots for unit tests, built the way the apiserver would hand them to the scheduler.
import type { Affinity, Container, Node, Pod, Taint, Toleration, TopologySpreadConstraint } from '@k8ts/api-machinery';
import { Snapshot } from '../../src/cache/scheduler-cache.js';
import { NodeInfo } from '../../src/framework/node-info.js';
import { PodInfo } from '../../src/framework/pod-info.js';

export interface NodeSpecInput {
  name: string;
  cpu?: string;
  memory?: string;
  pods?: string;
  ephemeralStorage?: string;
  extra?: Record<string, string>;
  zone?: string;
  labels?: Record<string, string>;
  taints?: Taint[];
  unschedulable?: boolean;
}

export function makeNode(n: NodeSpecInput): Node {
  const allocatable: Record<string, string> = { cpu: n.cpu ?? '4', memory: n.memory ?? '8Gi', pods: n.pods ?? '110', ...n.extra };
  if (n.ephemeralStorage) allocatable['ephemeral-storage'] = n.ephemeralStorage;
  const labels: Record<string, string> = { 'kubernetes.io/hostname': n.name, ...(n.zone ? { 'topology.kubernetes.io/zone': n.zone } : {}), ...n.labels };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: n.name, uid: `uid-node-${n.name}`, labels },
    spec: { ...(n.taints ? { taints: n.taints } : {}), ...(n.unschedulable ? { unschedulable: true } : {}) },
    status: { capacity: allocatable, allocatable, conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

export interface PodSpecInput {
  name: string;
  namespace?: string;
  cpu?: string;
  memory?: string;
  labels?: Record<string, string>;
  nodeName?: string;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  tolerations?: Toleration[];
  hostPorts?: { port: number; protocol?: 'TCP' | 'UDP'; hostIP?: string }[];
  spread?: TopologySpreadConstraint[];
  priority?: number;
  containers?: Container[];
  initContainers?: Container[];
  overhead?: Record<string, string>;
  ownerReplicaSet?: string;
  schedulingGates?: string[];
  uid?: string;
}

export function makePod(p: PodSpecInput): Pod {
  const requests: Record<string, string> = {};
  if (p.cpu) requests['cpu'] = p.cpu;
  if (p.memory) requests['memory'] = p.memory;
  const containers: Container[] = p.containers ?? [
    {
      name: 'app',
      image: 'busybox',
      ...(p.cpu || p.memory ? { resources: { requests } } : {}),
      ...(p.hostPorts ? { ports: p.hostPorts.map((h) => ({ containerPort: h.port, hostPort: h.port, protocol: h.protocol ?? 'TCP', ...(h.hostIP ? { hostIP: h.hostIP } : {}) })) } : {}),
    },
  ];
  const namespace = p.namespace ?? 'default';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: p.name,
      namespace,
      uid: p.uid ?? `uid-${namespace}-${p.name}`,
      labels: p.labels ?? {},
      ...(p.ownerReplicaSet
        ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: p.ownerReplicaSet, uid: `uid-rs-${p.ownerReplicaSet}`, controller: true }] }
        : {}),
    },
    spec: {
      containers,
      ...(p.initContainers ? { initContainers: p.initContainers } : {}),
      schedulerName: 'default-scheduler',
      ...(p.nodeName ? { nodeName: p.nodeName } : {}),
      ...(p.nodeSelector ? { nodeSelector: p.nodeSelector } : {}),
      ...(p.affinity ? { affinity: p.affinity } : {}),
      ...(p.tolerations ? { tolerations: p.tolerations } : {}),
      ...(p.spread ? { topologySpreadConstraints: p.spread } : {}),
      ...(p.priority !== undefined ? { priority: p.priority } : {}),
      ...(p.overhead ? { overhead: p.overhead } : {}),
      ...(p.schedulingGates ? { schedulingGates: p.schedulingGates.map((name) => ({ name })) } : {}),
    },
    status: { phase: 'Pending' },
  };
}

/** A NodeInfo holding `pods` (their spec.nodeName is set to the node). */
export function nodeInfo(node: Node, pods: Pod[] = []): NodeInfo {
  const ni = new NodeInfo(node);
  for (const p of pods) ni.addPod(new PodInfo({ ...p, spec: { ...p.spec!, nodeName: node.metadata!.name! } }));
  return ni;
}

/** A snapshot of nodes with the pods placed by their spec.nodeName. */
export function snapshotOf(nodes: Node[], pods: Pod[] = []): Snapshot {
  return Snapshot.of(nodes.map((n) => nodeInfo(n, pods.filter((p) => p.spec?.nodeName === n.metadata?.name))));
}

/** A fake clock for the queue and the cache. */
export class FakeClock {
  constructor(public ms = 1_000_000) {}
  now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}
