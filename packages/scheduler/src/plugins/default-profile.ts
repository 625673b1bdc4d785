// The default-scheduler profile: Kubernetes' default plugins in their order (filters run in this order, so the
// first rejecting one names a node's reason), with the default score weights. Volume plugins, ImageLocality and
// preemption are not part of k8ts.
import { Profile } from '../framework/profile.js';
import { BalancedAllocation } from './balanced-allocation.js';
import { InterPodAffinity, type NamespaceLabels } from './inter-pod-affinity.js';
import { NodeAffinity } from './node-affinity.js';
import { NodeName } from './node-name.js';
import { NodePorts } from './node-ports.js';
import { NodeResourcesFit } from './node-resources-fit.js';
import { NodeUnschedulable } from './node-unschedulable.js';
import { PodTopologySpread, type DefaultSpreadSelector } from './pod-topology-spread.js';
import { TaintToleration } from './taint-toleration.js';

export const DEFAULT_SCHEDULER_NAME = 'default-scheduler';

export interface DefaultProfileOptions {
  schedulerName?: string;
  /** Labels of a namespace (InterPodAffinity namespaceSelector terms). */
  namespaceLabels?: NamespaceLabels;
  /** Selector of the Services and controller of a pod (PodTopologySpread's default constraints). */
  defaultSpreadSelector?: DefaultSpreadSelector;
}

export function defaultProfile(opts: DefaultProfileOptions = {}): Profile {
  return new Profile(opts.schedulerName ?? DEFAULT_SCHEDULER_NAME, [
    { plugin: new NodeUnschedulable() },
    { plugin: new NodeName() },
    { plugin: new TaintToleration(), weight: 3 },
    { plugin: new NodeAffinity(), weight: 2 },
    { plugin: new NodePorts() },
    { plugin: new NodeResourcesFit(), weight: 1 },
    { plugin: new PodTopologySpread(opts.defaultSpreadSelector ? { defaultSelector: opts.defaultSpreadSelector } : {}), weight: 2 },
    { plugin: new InterPodAffinity(opts.namespaceLabels ? { namespaceLabels: opts.namespaceLabels } : {}), weight: 2 },
    { plugin: new BalancedAllocation(), weight: 1 },
  ]);
}
