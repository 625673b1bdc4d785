// Which REST collection an object lives in. The constants below are the kinds k8ts serves (a unit test checks them
// against @k8ts/api-machinery's registry); refForKind finds any of them from an apiVersion and kind at runtime.
import { allKinds } from '@k8ts/api-machinery';

export interface ResourceRef {
  /** API group, '' for core. */
  group: string;
  version: string;
  /** Lowercase plural, the URL segment: 'pods', 'deployments'. */
  resource: string;
  kind: string;
  namespaced: boolean;
}

const core = (resource: string, kind: string, namespaced = true): ResourceRef => ({ group: '', version: 'v1', resource, kind, namespaced });
const grouped =
  (group: string, version: string) =>
  (resource: string, kind: string, namespaced = true): ResourceRef => ({ group, version, resource, kind, namespaced });
const apps = grouped('apps', 'v1');
const batch = grouped('batch', 'v1');
const networking = grouped('networking.k8s.io', 'v1');
const rbac = grouped('rbac.authorization.k8s.io', 'v1');

export const refs = {
  pods: core('pods', 'Pod'),
  podTemplates: core('podtemplates', 'PodTemplate'),
  namespaces: core('namespaces', 'Namespace', false),
  nodes: core('nodes', 'Node', false),
  services: core('services', 'Service'),
  endpoints: core('endpoints', 'Endpoints'),
  configMaps: core('configmaps', 'ConfigMap'),
  secrets: core('secrets', 'Secret'),
  serviceAccounts: core('serviceaccounts', 'ServiceAccount'),
  events: core('events', 'Event'),
  persistentVolumes: core('persistentvolumes', 'PersistentVolume', false),
  persistentVolumeClaims: core('persistentvolumeclaims', 'PersistentVolumeClaim'),
  replicationControllers: core('replicationcontrollers', 'ReplicationController'),
  resourceQuotas: core('resourcequotas', 'ResourceQuota'),
  limitRanges: core('limitranges', 'LimitRange'),
  deployments: apps('deployments', 'Deployment'),
  replicaSets: apps('replicasets', 'ReplicaSet'),
  daemonSets: apps('daemonsets', 'DaemonSet'),
  statefulSets: apps('statefulsets', 'StatefulSet'),
  controllerRevisions: apps('controllerrevisions', 'ControllerRevision'),
  jobs: batch('jobs', 'Job'),
  cronJobs: batch('cronjobs', 'CronJob'),
  horizontalPodAutoscalers: grouped('autoscaling', 'v1')('horizontalpodautoscalers', 'HorizontalPodAutoscaler'),
  podDisruptionBudgets: grouped('policy', 'v1')('poddisruptionbudgets', 'PodDisruptionBudget'),
  leases: grouped('coordination.k8s.io', 'v1')('leases', 'Lease'),
  endpointSlices: grouped('discovery.k8s.io', 'v1')('endpointslices', 'EndpointSlice'),
  eventsV1: grouped('events.k8s.io', 'v1')('events', 'Event'),
  ingresses: networking('ingresses', 'Ingress'),
  ingressClasses: networking('ingressclasses', 'IngressClass', false),
  networkPolicies: networking('networkpolicies', 'NetworkPolicy'),
  clusterRoles: rbac('clusterroles', 'ClusterRole', false),
  clusterRoleBindings: rbac('clusterrolebindings', 'ClusterRoleBinding', false),
  roles: rbac('roles', 'Role'),
  roleBindings: rbac('rolebindings', 'RoleBinding'),
  storageClasses: grouped('storage.k8s.io', 'v1')('storageclasses', 'StorageClass', false),
} as const satisfies Record<string, ResourceRef>;

/** 'v1' or 'apps/v1'. */
export function apiVersionOf(ref: Pick<ResourceRef, 'group' | 'version'>): string {
  return ref.group === '' ? ref.version : `${ref.group}/${ref.version}`;
}

/** The resource serving `kind` in `apiVersion` (e.g. from an ownerReference), if k8ts knows it. */
export function refForKind(apiVersion: string, kind: string): ResourceRef | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const def = allKinds.find((k) => k.group === group && k.version === version && k.kind === kind);
  return def && { group: def.group, version: def.version, resource: def.plural, kind: def.kind, namespaced: def.namespaced };
}

/** 'pods' or 'deployments.apps': how Kubernetes names a resource in messages. */
export function qualifiedResourceName(ref: ResourceRef): string {
  return ref.group === '' ? ref.resource : `${ref.resource}.${ref.group}`;
}

/**
 * The URL path of a collection or an object: /api/v1/namespaces/ns/pods/name/status. `namespace` is ignored for
 * cluster-scoped resources and means "all namespaces" when absent for namespaced ones.
 */
export function resourcePath(ref: ResourceRef, namespace?: string, name?: string, subresource?: string): string {
  const root = ref.group === '' ? `/api/${ref.version}` : `/apis/${ref.group}/${ref.version}`;
  const ns = ref.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  let path = `${root}${ns}/${ref.resource}`;
  if (name !== undefined) {
    if (name === '') throw new TypeError(`an empty name for ${qualifiedResourceName(ref)}`);
    path += `/${encodeURIComponent(name)}`;
    if (subresource) path += `/${subresource}`;
  }
  return path;
}
