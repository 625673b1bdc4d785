// NodeUnschedulable: cordoned nodes (spec.unschedulable) take no pods, unless the pod tolerates the
// node.kubernetes.io/unschedulable:NoSchedule taint.
import type { Pod } from '@k8ts/api-machinery';
import { ActionType, Status, type EnqueueExtensions, type FilterPlugin, type MaybeStatus } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import { TAINT_EFFECT_NO_SCHEDULE, TAINT_NODE_UNSCHEDULABLE, tolerationsTolerateTaint } from '../helpers/taints.js';
import { NODE_UNSCHEDULABLE } from './names.js';

export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

export class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
  readonly name = NODE_UNSCHEDULABLE;

  filter(_state: unknown, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    if (!nodeInfo.node?.spec?.unschedulable) return undefined;
    const tolerates = tolerationsTolerateTaint(pod.spec?.tolerations, { key: TAINT_NODE_UNSCHEDULABLE, effect: TAINT_EFFECT_NO_SCHEDULE });
    return tolerates ? undefined : Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
  }

  eventsToRegister() {
    return [{ resource: 'Node' as const, actionType: ActionType.Add | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel }];
  }
}
