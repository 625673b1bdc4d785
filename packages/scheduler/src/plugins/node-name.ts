// NodeName: a pod that names its node (spec.nodeName) fits only there.
import type { Pod } from '@k8ts/api-machinery';
import { ActionType, Status, type EnqueueExtensions, type FilterPlugin, type MaybeStatus } from '../framework/interface.js';
import type { NodeInfo } from '../framework/node-info.js';
import { NODE_NAME } from './names.js';

export const ERR_REASON_NODE_NAME = "node(s) didn't match the requested node name";

export class NodeName implements FilterPlugin, EnqueueExtensions {
  readonly name = NODE_NAME;

  filter(_state: unknown, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    const wanted = pod.spec?.nodeName;
    return !wanted || wanted === nodeInfo.name ? undefined : Status.unresolvable(ERR_REASON_NODE_NAME);
  }

  eventsToRegister() {
    return [{ resource: 'Node' as const, actionType: ActionType.Add | ActionType.UpdateNodeTaint | ActionType.UpdateNodeLabel }];
  }
}
