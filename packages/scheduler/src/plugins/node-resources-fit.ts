// NodeResourcesFit: the pod's requests must fit in the node's allocatable minus what its pods (bound and assumed)
// already request, and the node must have room for one more pod. Scores with LeastAllocated: the more of cpu and
// memory stays free after placing the pod, the better (requests without a value count as 100m / 200Mi here).
import type { Pod } from '@k8ts/api-machinery';
import {
  ActionType,
  CycleState,
  MAX_NODE_SCORE,
  StateKey,
  Status,
  type EnqueueExtensions,
  type FilterPlugin,
  type MaybeStatus,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import {
  podRequests,
  RESOURCE_CPU,
  RESOURCE_EPHEMERAL_STORAGE,
  RESOURCE_MEMORY,
  Resource,
} from '../framework/resources.js';
import { NODE_RESOURCES_FIT } from './names.js';

export const ERR_REASON_TOO_MANY_PODS = 'Too many pods';
export const insufficientReason = (resource: string): string => `Insufficient ${resource}`;

/** A resource the scoring strategy looks at, with its weight (the default profile: cpu 1, memory 1). */
export interface ResourceSpec {
  name: string;
  weight: number;
}
export const DEFAULT_SCORING_RESOURCES: readonly ResourceSpec[] = [
  { name: RESOURCE_CPU, weight: 1 },
  { name: RESOURCE_MEMORY, weight: 1 },
];

export interface InsufficientResource {
  resource: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

/** Every resource the pod lacks on the node, pod count first (Kubernetes' fitsRequest). */
export function insufficientResources(request: Resource, nodeInfo: NodeInfo): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const allowedPods = nodeInfo.allocatable.allowedPodNumber;
  if (nodeInfo.pods.length + 1 > allowedPods) {
    out.push({ resource: 'pods', reason: ERR_REASON_TOO_MANY_PODS, requested: 1, used: nodeInfo.pods.length, capacity: allowedPods });
  }
  if (request.milliCPU === 0 && request.memory === 0 && request.ephemeralStorage === 0 && [...request.scalar.values()].every((v) => v === 0)) {
    return out;
  }
  const check = (resource: string, want: number): void => {
    const used = nodeInfo.requested.get(resource);
    const capacity = nodeInfo.allocatable.get(resource);
    if (capacity < want + used) out.push({ resource, reason: insufficientReason(resource), requested: want, used, capacity });
  };
  check(RESOURCE_CPU, request.milliCPU);
  check(RESOURCE_MEMORY, request.memory);
  check(RESOURCE_EPHEMERAL_STORAGE, request.ephemeralStorage);
  for (const [name, want] of request.scalar) if (want > 0) check(name, want);
  return out;
}

const preFilterKey = new StateKey<Resource>(`PreFilter${NODE_RESOURCES_FIT}`);
const preScoreKey = new StateKey<number[]>(`PreScore${NODE_RESOURCES_FIT}`);

/** (allocatable - requested) * 100 / allocatable, 0 when it does not fit at all. */
export function leastRequestedScore(requested: number, capacity: number): number {
  if (capacity === 0 || requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}

/** Requests of the pod for each scored resource, with the non-zero defaults when `nonZero`. */
export function podRequestList(pod: Pod, resources: readonly ResourceSpec[], nonZero: boolean): number[] {
  const reqs = podRequests(pod, { nonMissingDefaults: nonZero });
  return resources.map((r) => reqs.get(r.name) ?? 0);
}

/** Allocatable and requested-after-placement of one resource; (0, 0) for an extended resource the pod does not use. */
export function allocatableAndRequested(nodeInfo: NodeInfo, resource: string, podRequest: number, useRequested: boolean): [number, number] {
  const requested = useRequested ? nodeInfo.requested : nodeInfo.nonZeroRequested;
  switch (resource) {
    case RESOURCE_CPU:
    case RESOURCE_MEMORY:
      return [nodeInfo.allocatable.get(resource), requested.get(resource) + podRequest];
    case RESOURCE_EPHEMERAL_STORAGE:
      return [nodeInfo.allocatable.ephemeralStorage, nodeInfo.requested.ephemeralStorage + podRequest];
    default:
      if (podRequest === 0) return [0, 0];
      return [nodeInfo.allocatable.get(resource), nodeInfo.requested.get(resource) + podRequest];
  }
}

export class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NODE_RESOURCES_FIT;

  constructor(private readonly resources: readonly ResourceSpec[] = DEFAULT_SCORING_RESOURCES) {}

  preFilter(state: CycleState, pod: Pod): MaybeStatus {
    state.write(preFilterKey, Resource.from(podRequests(pod)));
    return undefined;
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    const request = state.read(preFilterKey) ?? Resource.from(podRequests(pod));
    const missing = insufficientResources(request, nodeInfo);
    return missing.length === 0 ? undefined : Status.unschedulable(...missing.map((m) => m.reason));
  }

  preScore(state: CycleState, pod: Pod): MaybeStatus {
    state.write(preScoreKey, podRequestList(pod, this.resources, true));
    return undefined;
  }

  /** LeastAllocated: weighted mean over the resources of the free share after placing the pod. */
  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const podReqs = state.read(preScoreKey) ?? podRequestList(pod, this.resources, true);
    let total = 0;
    let weights = 0;
    this.resources.forEach((r, i) => {
      const [allocatable, requested] = allocatableAndRequested(nodeInfo, r.name, podReqs[i] ?? 0, false);
      if (allocatable === 0) return;
      total += leastRequestedScore(requested, allocatable) * r.weight;
      weights += r.weight;
    });
    return weights === 0 ? 0 : Math.trunc(total / weights);
  }

  eventsToRegister() {
    return [
      { resource: 'Pod' as const, actionType: ActionType.Delete | ActionType.UpdatePodScaleDown },
      {
        resource: 'Node' as const,
        actionType: ActionType.Add | ActionType.UpdateNodeAllocatable | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel,
      },
    ];
  }
}
