// TaintToleration: NoSchedule/NoExecute taints the pod does not tolerate rule the node out; untolerated
// PreferNoSchedule taints lower its score (fewer is better).
import type { Pod, Toleration } from '@k8ts/api-machinery';
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
  type PreScorePlugin,
  type ScorePlugin,
} from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import { doNotScheduleTaint, findUntoleratedTaint, TAINT_EFFECT_PREFER_NO_SCHEDULE, tolerationsTolerateTaint } from '../helpers/taints.js';
import { TAINT_TOLERATION } from './names.js';

const preScoreKey = new StateKey<Toleration[]>(`PreScore${TAINT_TOLERATION}`);

export function untoleratedTaintReason(key: string | undefined, value: string | undefined): string {
  return `node(s) had untolerated taint {${key ?? ''}: ${value ?? ''}}`;
}

export class TaintToleration implements FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
  readonly name = TAINT_TOLERATION;

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    const taint = findUntoleratedTaint(nodeInfo.node?.spec?.taints, pod.spec?.tolerations, doNotScheduleTaint);
    return taint ? Status.unresolvable(untoleratedTaintReason(taint.key, taint.value)) : undefined;
  }

  preScore(state: CycleState, pod: Pod): MaybeStatus {
    // Tolerations with no effect tolerate PreferNoSchedule too.
    const relevant = (pod.spec?.tolerations ?? []).filter((t) => !t.effect || t.effect === TAINT_EFFECT_PREFER_NO_SCHEDULE);
    state.write(preScoreKey, relevant);
    return undefined;
  }

  /** Raw score: how many PreferNoSchedule taints the pod does not tolerate. */
  score(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): number {
    const tolerations = state.read(preScoreKey) ?? [];
    return (nodeInfo.node?.spec?.taints ?? []).filter((t) => t.effect === TAINT_EFFECT_PREFER_NO_SCHEDULE && !tolerationsTolerateTaint(tolerations, t)).length;
  }

  normalizeScore(_state: CycleState, _pod: Pod, scores: NodeScore[]): void {
    defaultNormalizeScore(MAX_NODE_SCORE, true, scores);
  }

  eventsToRegister() {
    return [{ resource: 'Node' as const, actionType: ActionType.Add | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel }];
  }
}
