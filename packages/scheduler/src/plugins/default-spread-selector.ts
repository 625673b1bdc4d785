// The selector PodTopologySpread's default constraints count with (Kubernetes' helper.DefaultSelector): the
// selectors of the Services that select the pod, narrowed by its controlling ReplicationController, ReplicaSet or
// StatefulSet. So replicas of one controller spread across nodes and zones without declaring anything.
import { LabelSelector, labelSelectorFromObject, type LabelRequirement } from '@k8ts/api-machinery';
import type { appsv1, Pod, ReplicationController, Service } from '@k8ts/api-machinery';
import type { DefaultSpreadSelector } from './pod-topology-spread.js';

export interface WorkloadListers {
  services(namespace: string): readonly Service[];
  replicationController(namespace: string, name: string): ReplicationController | undefined;
  replicaSet(namespace: string, name: string): appsv1.ReplicaSet | undefined;
  statefulSet(namespace: string, name: string): appsv1.StatefulSet | undefined;
}

function setRequirements(set: Readonly<Record<string, string>>): LabelRequirement[] {
  return Object.entries(set).map(([key, value]) => ({ key, operator: '=' as const, values: [value] }));
}

function selectsPod(selector: Readonly<Record<string, string>>, podLabels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => podLabels[k] === v);
}

export function defaultSpreadSelector(listers: WorkloadListers): DefaultSpreadSelector {
  return (pod: Pod): LabelSelector => {
    const namespace = pod.metadata?.namespace ?? '';
    const podLabels = pod.metadata?.labels ?? {};
    const merged: Record<string, string> = {};
    for (const svc of listers.services(namespace)) {
      const selector = svc.spec?.selector;
      if (selector === undefined || !selectsPod(selector, podLabels)) continue;
      Object.assign(merged, selector);
    }
    let requirements = setRequirements(merged);
    const owner = pod.metadata?.ownerReferences?.find((o) => o.controller === true);
    if (owner) {
      if (owner.apiVersion === 'v1' && owner.kind === 'ReplicationController') {
        const rc = listers.replicationController(namespace, owner.name);
        if (rc?.spec?.selector) requirements = setRequirements({ ...merged, ...rc.spec.selector });
      } else if (owner.apiVersion === 'apps/v1' && (owner.kind === 'ReplicaSet' || owner.kind === 'StatefulSet')) {
        const workload = owner.kind === 'ReplicaSet' ? listers.replicaSet(namespace, owner.name) : listers.statefulSet(namespace, owner.name);
        try {
          if (workload?.spec?.selector) requirements = [...requirements, ...labelSelectorFromObject(workload.spec.selector).requirements];
        } catch {
          // an unparsable controller selector adds nothing
        }
      }
    }
    return LabelSelector.fromRequirements(requirements);
  };
}
