// The Node object a kubelet registers and the status it keeps writing: pure functions of the host facts and the
// kubelet's health, so what `kubectl describe node` shows is testable without a cluster.
import type { corev1 } from '@k8ts/api-machinery';
import type { Taint } from '../cli/flags.js';
import { KUBELET_VERSION, type HostFacts } from './host-facts.js';

export interface NodeIdentity {
  nodeName: string;
  nodeIP: string;
  labels: Record<string, string>;
  taints: Taint[];
  podCIDR?: string | undefined;
  kubeletPort: number;
  maxPods: number;
  /** 'hollow' marks a kubemark-style node in nodeInfo and a label: never mistaken for a real one. */
  runtime: 'docker' | 'hollow';
}

export interface NodeHealth {
  runtimeUp: boolean;
  runtimeMessage?: string;
  memoryAvailableBytes: number;
  diskAvailableBytes: number;
  /** The pod network (podCIDR) is known; without it only host-network pods can run. */
  networkReady: boolean;
}

/** Kubernetes' default hard eviction thresholds: memory.available<100Mi, nodefs.available<10%. */
const MEMORY_PRESSURE_BYTES = 100 * 1024 * 1024;
const DISK_PRESSURE_FRACTION = 0.1;

export function nodeLabels(id: NodeIdentity, facts: HostFacts): Record<string, string> {
  return {
    'kubernetes.io/hostname': id.nodeName,
    'kubernetes.io/os': facts.operatingSystem,
    'kubernetes.io/arch': facts.architecture,
    'beta.kubernetes.io/os': facts.operatingSystem,
    'beta.kubernetes.io/arch': facts.architecture,
    ...(id.runtime === 'hollow' ? { 'k8ts.io/hollow-node': 'true' } : {}),
    ...id.labels,
  };
}

export function nodeCapacity(id: NodeIdentity, facts: HostFacts): Record<string, string> {
  return {
    cpu: String(facts.cpuCores),
    memory: `${Math.floor(facts.memoryBytes / 1024)}Ki`,
    pods: String(id.maxPods),
    'ephemeral-storage': `${Math.floor(facts.ephemeralStorageBytes / 1024)}Ki`,
  };
}

/** Allocatable = capacity minus the hard eviction thresholds (no system/kube reserved by default, as in Kubernetes). */
export function nodeAllocatable(id: NodeIdentity, facts: HostFacts): Record<string, string> {
  const memory = Math.max(0, facts.memoryBytes - MEMORY_PRESSURE_BYTES);
  const storage = Math.floor(facts.ephemeralStorageBytes * (1 - DISK_PRESSURE_FRACTION));
  return { ...nodeCapacity(id, facts), memory: `${Math.floor(memory / 1024)}Ki`, 'ephemeral-storage': String(storage) };
}

export function nodeInfo(id: NodeIdentity, facts: HostFacts): corev1.NodeSystemInfo {
  const hollow = id.runtime === 'hollow';
  return {
    machineID: facts.machineID,
    systemUUID: facts.systemUUID,
    bootID: facts.bootID,
    kernelVersion: facts.kernelVersion,
    osImage: facts.osImage,
    containerRuntimeVersion: hollow ? 'hollow://k8ts' : facts.containerRuntimeVersion,
    kubeletVersion: hollow ? `${KUBELET_VERSION}-hollow` : KUBELET_VERSION,
    kubeProxyVersion: '',
    operatingSystem: facts.operatingSystem,
    architecture: facts.architecture,
  };
}

interface ConditionSpec {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
}

export function conditionSpecs(health: NodeHealth, facts: HostFacts): ConditionSpec[] {
  const memoryPressure = health.memoryAvailableBytes < MEMORY_PRESSURE_BYTES;
  const diskPressure = facts.ephemeralStorageBytes > 0 && health.diskAvailableBytes < facts.ephemeralStorageBytes * DISK_PRESSURE_FRACTION;
  const notReady = !health.runtimeUp
    ? `container runtime is down: ${health.runtimeMessage ?? 'no answer'}`
    : !health.networkReady
      ? 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:the node has no podCIDR yet'
      : '';
  return [
    memoryPressure
      ? { type: 'MemoryPressure', status: 'True', reason: 'KubeletHasInsufficientMemory', message: 'kubelet has insufficient memory available' }
      : { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available' },
    diskPressure
      ? { type: 'DiskPressure', status: 'True', reason: 'KubeletHasDiskPressure', message: 'kubelet has disk pressure' }
      : { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure' },
    { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available' },
    notReady
      ? { type: 'Ready', status: 'False', reason: 'KubeletNotReady', message: notReady }
      : { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
  ];
}

/** Conditions with heartbeat now, keeping lastTransitionTime while a condition's status is unchanged. */
export function nodeConditions(specs: ConditionSpec[], previous: corev1.NodeCondition[] | undefined, now: string): corev1.NodeCondition[] {
  return specs.map((c) => {
    const before = previous?.find((p) => p.type === c.type);
    return {
      type: c.type,
      status: c.status,
      lastHeartbeatTime: now,
      lastTransitionTime: before && before.status === c.status && before.lastTransitionTime ? before.lastTransitionTime : now,
      reason: c.reason,
      message: c.message,
    };
  });
}

export function nodeStatus(id: NodeIdentity, facts: HostFacts, health: NodeHealth, previous: corev1.NodeCondition[] | undefined, now: string): corev1.NodeStatus {
  return {
    capacity: nodeCapacity(id, facts),
    allocatable: nodeAllocatable(id, facts),
    conditions: nodeConditions(conditionSpecs(health, facts), previous, now),
    addresses: [
      { type: 'InternalIP', address: id.nodeIP },
      { type: 'Hostname', address: id.nodeName },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: id.kubeletPort } },
    nodeInfo: nodeInfo(id, facts),
  };
}

export function newNode(id: NodeIdentity, facts: HostFacts, health: NodeHealth, now: string): corev1.Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: id.nodeName,
      labels: nodeLabels(id, facts),
      annotations: { 'k8ts.io/runtime': id.runtime, 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' },
    },
    spec: {
      ...(id.podCIDR ? { podCIDR: id.podCIDR, podCIDRs: [id.podCIDR] } : {}),
      ...(id.taints.length ? { taints: id.taints.map((t) => ({ ...t })) } : {}),
    },
    status: nodeStatus(id, facts, health, undefined, now),
  };
}
