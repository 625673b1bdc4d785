// rbac.authorization.k8s.io/v1: Roles, ClusterRoles, RoleBindings and ClusterRoleBindings.
import type { SchemaModule } from '../../schema/module.js';
import { rbacDefaulters } from './defaults.js';
import { rbacSchemas } from './schemas.js';
import { rbacValidators } from './validation.js';

export { rbacKinds } from './kinds.js';
export { rbacSchemas } from './schemas.js';

export const rbacModule: SchemaModule = { schemas: rbacSchemas, defaulters: rbacDefaulters, validators: rbacValidators };
