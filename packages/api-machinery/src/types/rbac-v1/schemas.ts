// rbac.authorization.k8s.io/v1 component schemas: Roles, ClusterRoles and their bindings (field types and list
// types as in k8s.io/api/rbac/v1).
import { s, type Schema } from '../../schema/schema.js';
import { kindSchema, listSchema } from '../apps-v1/helpers.js';
import { LABEL_SELECTOR } from '../meta-v1/schemas.js';

export const RBAC = 'io.k8s.api.rbac.v1';
export const GROUP = 'rbac.authorization.k8s.io';
export const VERSION = 'v1';

export const ROLE = `${RBAC}.Role`;
export const CLUSTER_ROLE = `${RBAC}.ClusterRole`;
export const ROLE_BINDING = `${RBAC}.RoleBinding`;
export const CLUSTER_ROLE_BINDING = `${RBAC}.ClusterRoleBinding`;
export const POLICY_RULE = `${RBAC}.PolicyRule`;
export const SUBJECT = `${RBAC}.Subject`;
export const ROLE_REF = `${RBAC}.RoleRef`;

const rules = s.array(s.ref(POLICY_RULE), 'The permissions the role grants.', { listType: 'atomic' });
const subjects = s.array(s.ref(SUBJECT), 'Users, groups and service accounts the role is granted to.', { listType: 'atomic' });
// An omitted roleRef is the zero value, which still gets its apiGroup default and is then validated.
const roleRef = s.ref(ROLE_REF, 'The role granted; cannot change after creation.', { default: {} });

export const rbacSchemas: Record<string, Schema> = {
  [ROLE]: kindSchema(GROUP, VERSION, 'Role', 'A namespaced set of permissions.', { rules }),
  [`${RBAC}.RoleList`]: listSchema(GROUP, VERSION, 'Role', ROLE),
  [CLUSTER_ROLE]: kindSchema(GROUP, VERSION, 'ClusterRole', 'A cluster-wide set of permissions, usable in any namespace or for the whole cluster.', {
    rules,
    aggregationRule: s.ref(`${RBAC}.AggregationRule`, 'When set, the controller fills rules from the selected ClusterRoles.'),
  }),
  [`${RBAC}.ClusterRoleList`]: listSchema(GROUP, VERSION, 'ClusterRole', CLUSTER_ROLE),
  [ROLE_BINDING]: kindSchema(GROUP, VERSION, 'RoleBinding', 'Grants a Role or ClusterRole to subjects within one namespace.', { subjects, roleRef }),
  [`${RBAC}.RoleBindingList`]: listSchema(GROUP, VERSION, 'RoleBinding', ROLE_BINDING),
  [CLUSTER_ROLE_BINDING]: kindSchema(GROUP, VERSION, 'ClusterRoleBinding', 'Grants a ClusterRole to subjects across the whole cluster.', {
    subjects,
    roleRef,
  }),
  [`${RBAC}.ClusterRoleBindingList`]: listSchema(GROUP, VERSION, 'ClusterRoleBinding', CLUSTER_ROLE_BINDING),
  [POLICY_RULE]: s.object(
    {
      verbs: s.array(s.string(), 'Verbs allowed, e.g. get, list, watch; "*" allows all.', { listType: 'atomic' }),
      apiGroups: s.array(s.string(), 'API groups of the resources; "" is the core group, "*" all groups.', { listType: 'atomic' }),
      resources: s.array(s.string(), 'Resources (or resource/subresource) allowed; "*" allows all.', { listType: 'atomic' }),
      resourceNames: s.array(s.string(), 'When set, only objects with these names.', { listType: 'atomic' }),
      nonResourceURLs: s.array(s.string(), 'URL paths (such as /healthz, or /api/*) allowed; only in ClusterRoles.', { listType: 'atomic' }),
    },
    'One permission: verbs on resources (or on non-resource URLs).',
  ),
  [`${RBAC}.AggregationRule`]: s.object(
    { clusterRoleSelectors: s.array(s.ref(LABEL_SELECTOR), 'ClusterRoles whose rules are combined into this one.', { listType: 'atomic' }) },
    'Selects the ClusterRoles an aggregated ClusterRole combines.',
  ),
  [SUBJECT]: s.object(
    {
      kind: s.string('User, Group or ServiceAccount.'),
      apiGroup: s.string('rbac.authorization.k8s.io for users and groups, empty for service accounts.'),
      name: s.string('Name of the user, group or service account.'),
      namespace: s.string('Namespace of a service account.'),
    },
    'Someone a role is granted to.',
    { mapType: 'atomic' },
  ),
  [ROLE_REF]: s.object(
    {
      apiGroup: s.string('API group of the role.', { default: GROUP }),
      kind: s.string('Role or ClusterRole.'),
      name: s.string('Name of the role.'),
    },
    'The role a binding grants.',
    { mapType: 'atomic' },
  ),
};
