// rbac.authorization.k8s.io/v1 resources as discovery, REST and kubectl see them. RBAC names only need to be
// usable as URL path segments.
import type { KindDefinition } from '../../schema/module.js';
import { CLUSTER_ROLE, CLUSTER_ROLE_BINDING, GROUP, ROLE, ROLE_BINDING, VERSION } from './schemas.js';

const common = { group: GROUP, version: VERSION, nameRule: 'path-segment-name' } as const;

export const rbacKinds: KindDefinition[] = [
  { ...common, kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', singular: 'clusterrolebinding', namespaced: false, schema: CLUSTER_ROLE_BINDING },
  { ...common, kind: 'ClusterRole', plural: 'clusterroles', singular: 'clusterrole', namespaced: false, schema: CLUSTER_ROLE },
  { ...common, kind: 'RoleBinding', plural: 'rolebindings', singular: 'rolebinding', namespaced: true, schema: ROLE_BINDING },
  { ...common, kind: 'Role', plural: 'roles', singular: 'role', namespaced: true, schema: ROLE },
];
