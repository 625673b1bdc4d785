// NodeAffinity: spec.nodeSelector and required node affinity filter nodes; preferred node affinity terms add their
// weights to the score.
import type { Pod, PreferredSchedulingTerm } from '@k8ts/api-machinery';
import {
  ActionType,
  CycleState,
  defaultNormalizeScore,
  MAX_NODE_SCORE,
  StateKey,
  Status,
  type EnqueueExtensions,
  type FilterPlugin,
  type MaybeStatus,
  type NodeScore,
  type PreFilterPlugin,
  type PreScorePlugin,
  type ScorePlugin,
} from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import { preferredNodeAffinityScore, RequiredNodeAffinity } from '../helpers/node-selector.js';
import { NODE_AFFINITY } from './names.js';

export const ERR_REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

const preFilterKey = new StateKey<RequiredNodeAffinity>(`PreFilter${NODE_AFFINITY}`);
const preScoreKey = new StateKey<PreferredSchedulingTerm[]>(`PreScore${NODE_AFFINITY}`);

export class NodeAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = NODE_AFFINITY;

  preFilter(state: CycleState, pod: Pod): MaybeStatus {
    const hasSelector = Object.keys(pod.spec?.nodeSelector ?? {}).length > 0;
    const hasRequired = pod.spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution !== undefined;
    if (!hasSelector && !hasRequired) return Status.skip();
    state.write(preFilterKey, new RequiredNodeAffinity(pod));
    return undefined;
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    const required = state.read(preFilterKey) ?? new RequiredNodeAffinity(pod);
    return nodeInfo.node && required.match(nodeInfo.node) ? undefined : Status.unresolvable(ERR_REASON_NODE_AFFINITY);
  }

  preScore(state: CycleState, pod: Pod): MaybeStatus {
    const preferred = pod.spec?.affinity?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? [];
    if (preferred.length === 0) return Status.skip();
    state.write(preScoreKey, preferred);
    return undefined;
  }

  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number {
    return nodeInfo.node ? preferredNodeAffinityScore(state.read(preScoreKey), nodeInfo.node) : 0;
  }

  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): void {
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores);
  }

  eventsToRegister() {
    return [{ resource: 'Node' as const, actionType: ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint }];
  }
}
