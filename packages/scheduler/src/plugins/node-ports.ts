// NodePorts: a pod asking for host ports fits only where none of them (protocol, address, port) is taken.
import type { ContainerPort, Pod } from '@k8ts/api-machinery';
import {
  ActionType,
  CycleState,
  StateKey,
  Status,
  type EnqueueExtensions,
  type FilterPlugin,
  type MaybeStatus,
  type PreFilterPlugin,
} from '../framework/interface.js';
import { hostPortsOf, type NodeInfo } from '../framework/node-info.js';
import { NODE_PORTS } from './names.js';

export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

const preFilterKey = new StateKey<ContainerPort[]>(`PreFilter${NODE_PORTS}`);

export class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = NODE_PORTS;

  preFilter(state: CycleState, pod: Pod): MaybeStatus {
    const ports = hostPortsOf(pod);
    if (ports.length === 0) return Status.skip();
    state.write(preFilterKey, ports);
    return undefined;
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): MaybeStatus {
    const wanted = state.read(preFilterKey) ?? hostPortsOf(pod);
    const conflict = wanted.some((p) => nodeInfo.usedPorts.conflicts(p.hostIP, p.protocol, p.hostPort ?? 0));
    return conflict ? Status.unschedulable(ERR_REASON_NODE_PORTS) : undefined;
  }

  eventsToRegister() {
    return [
      { resource: 'Pod' as const, actionType: ActionType.Delete },
      { resource: 'Node' as const, actionType: ActionType.Add | ActionType.UpdateNodeLabel | ActionType.UpdateNodeTaint },
    ];
  }
}
