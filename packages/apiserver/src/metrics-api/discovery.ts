// metrics.k8s.io/v1beta1 as discovery lists it (what metrics-server registers): nodes and pods, get and list.
import type { JsonObject } from '@k8ts/api-machinery';

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_VERSION = 'v1beta1';
export const METRICS_GROUP_VERSION = `${METRICS_GROUP}/${METRICS_VERSION}`;

const RESOURCES = [
  { name: 'nodes', kind: 'NodeMetrics', namespaced: false },
  { name: 'pods', kind: 'PodMetrics', namespaced: true },
];

export function metricsApiGroup(): JsonObject {
  const v = { groupVersion: METRICS_GROUP_VERSION, version: METRICS_VERSION };
  return { name: METRICS_GROUP, versions: [v], preferredVersion: v };
}

export function metricsResourceList(): JsonObject {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: METRICS_GROUP_VERSION,
    resources: RESOURCES.map((r) => ({ name: r.name, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'list'] })),
  };
}

/** The group's entry in the aggregated (apidiscovery.k8s.io) /apis list. */
export function metricsAggregatedGroup(): JsonObject {
  return {
    metadata: { name: METRICS_GROUP },
    versions: [
      {
        version: METRICS_VERSION,
        freshness: 'Current',
        resources: RESOURCES.map((r) => ({
          resource: r.name,
          responseKind: { group: METRICS_GROUP, version: METRICS_VERSION, kind: r.kind },
          scope: r.namespaced ? 'Namespaced' : 'Cluster',
          singularResource: '',
          verbs: ['get', 'list'],
        })),
      },
    ],
  };
}
