// Generated from the k8ts schemas by src/codegen/typescript.ts — do not edit; run `pnpm gen:types`.
// rbac.authorization.k8s.io/v1 (io.k8s.api.rbac.v1): types of the objects as the API serves them.
import type { LabelSelector, ListMeta, ObjectMeta } from './meta-v1.js';

/** A namespaced set of permissions. */
export interface Role {
  /** Versioned schema of this object; the server converts recognized values. */
  apiVersion?: string;
  /** Kind of this object, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** The permissions the role grants. */
  rules?: PolicyRule[];
}

/** A list of Role objects. */
export interface RoleList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The Role objects. */
  items: Role[];
}

/** A cluster-wide set of permissions, usable in any namespace or for the whole cluster. */
export interface ClusterRole {
  /** Versioned schema of this object; the server converts recognized values. */
  apiVersion?: string;
  /** Kind of this object, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** The permissions the role grants. */
  rules?: PolicyRule[];
  /** When set, the controller fills rules from the selected ClusterRoles. */
  aggregationRule?: AggregationRule;
}

/** A list of ClusterRole objects. */
export interface ClusterRoleList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The ClusterRole objects. */
  items: ClusterRole[];
}

/** Grants a Role or ClusterRole to subjects within one namespace. */
export interface RoleBinding {
  /** Versioned schema of this object; the server converts recognized values. */
  apiVersion?: string;
  /** Kind of this object, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** Users, groups and service accounts the role is granted to. */
  subjects?: Subject[];
  /** The role granted; cannot change after creation. */
  roleRef?: RoleRef;
}

/** A list of RoleBinding objects. */
export interface RoleBindingList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The RoleBinding objects. */
  items: RoleBinding[];
}

/** Grants a ClusterRole to subjects across the whole cluster. */
export interface ClusterRoleBinding {
  /** Versioned schema of this object; the server converts recognized values. */
  apiVersion?: string;
  /** Kind of this object, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** Users, groups and service accounts the role is granted to. */
  subjects?: Subject[];
  /** The role granted; cannot change after creation. */
  roleRef?: RoleRef;
}

/** A list of ClusterRoleBinding objects. */
export interface ClusterRoleBindingList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The ClusterRoleBinding objects. */
  items: ClusterRoleBinding[];
}

/** One permission: verbs on resources (or on non-resource URLs). */
export interface PolicyRule {
  /** Verbs allowed, e.g. get, list, watch; "*" allows all. */
  verbs?: string[];
  /** API groups of the resources; "" is the core group, "*" all groups. */
  apiGroups?: string[];
  /** Resources (or resource/subresource) allowed; "*" allows all. */
  resources?: string[];
  /** When set, only objects with these names. */
  resourceNames?: string[];
  /** URL paths (such as /healthz, or /api/*) allowed; only in ClusterRoles. */
  nonResourceURLs?: string[];
}

/** Selects the ClusterRoles an aggregated ClusterRole combines. */
export interface AggregationRule {
  /** ClusterRoles whose rules are combined into this one. */
  clusterRoleSelectors?: LabelSelector[];
}

/** Someone a role is granted to. */
export interface Subject {
  /** User, Group or ServiceAccount. */
  kind?: string;
  /** rbac.authorization.k8s.io for users and groups, empty for service accounts. */
  apiGroup?: string;
  /** Name of the user, group or service account. */
  name?: string;
  /** Namespace of a service account. */
  namespace?: string;
}

/** The role a binding grants. */
export interface RoleRef {
  /** API group of the role. */
  apiGroup?: string;
  /** Role or ClusterRole. */
  kind?: string;
  /** Name of the role. */
  name?: string;
}
