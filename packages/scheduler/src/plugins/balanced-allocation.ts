// NodeResourcesBalancedAllocation: prefers nodes where cpu and memory would be used in similar shares after placing
// the pod (score = (1 - standard deviation of the shares) * 100), counting actual requests only.
import type { Pod } from '@k8ts/api-machinery';
import { CycleState, MAX_NODE_SCORE, StateKey, Status, type MaybeStatus, type PreScorePlugin, type ScorePlugin } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import { NODE_RESOURCES_BALANCED_ALLOCATION } from './names.js';
import { allocatableAndRequested, DEFAULT_SCORING_RESOURCES, podRequestList, type ResourceSpec } from './node-resources-fit.js';

const preScoreKey = new StateKey<number[]>(`PreScore${NODE_RESOURCES_BALANCED_ALLOCATION}`);

export function balancedResourceScore(requested: readonly number[], allocatable: readonly number[]): number {
  const fractions: number[] = [];
  let sum = 0;
  requested.forEach((req, i) => {
    const alloc = allocatable[i] ?? 0;
    if (alloc === 0) return;
    const f = Math.min(req / alloc, 1);
    fractions.push(f);
    sum += f;
  });
  let std = 0;
  if (fractions.length === 2) {
    std = Math.abs((fractions[0]! - fractions[1]!) / 2);
  } else if (fractions.length > 2) {
    const mean = sum / fractions.length;
    std = Math.sqrt(fractions.reduce((acc, f) => acc + (f - mean) ** 2, 0) / fractions.length);
  }
  return Math.trunc((1 - std) * MAX_NODE_SCORE);
}

export class BalancedAllocation implements PreScorePlugin, ScorePlugin {
  readonly name = NODE_RESOURCES_BALANCED_ALLOCATION;

  constructor(private readonly resources: readonly ResourceSpec[] = DEFAULT_SCORING_RESOURCES) {}

  preScore(state: CycleState, pod: Pod): MaybeStatus {
    const requests = podRequestList(pod, this.resources, false);
    // A pod without requests changes no balance: nothing to score.
    if (requests.every((r) => r === 0)) return Status.skip();
    state.write(preScoreKey, requests);
    return undefined;
  }

  score(state: CycleState, pod: Pod, nodeInfo: NodeInfo): number {
    const podReqs = state.read(preScoreKey) ?? podRequestList(pod, this.resources, false);
    const requested: number[] = [];
    const allocatable: number[] = [];
    this.resources.forEach((r, i) => {
      const [alloc, req] = allocatableAndRequested(nodeInfo, r.name, podReqs[i] ?? 0, true);
      allocatable.push(alloc);
      requested.push(alloc === 0 ? 0 : req);
    });
    return balancedResourceScore(requested, allocatable);
  }
}
