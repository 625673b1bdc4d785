// rbac.authorization.k8s.io/v1 conditional defaulting (pkg/apis/rbac/v1/defaults.go). RoleRef.apiGroup is a
// schema default.
import type { Defaulter } from '../../schema/module.js';
import { GROUP, SUBJECT } from './schemas.js';

export const rbacDefaulters: Record<string, Defaulter> = {
  // Users and groups belong to the RBAC group; service accounts to the core group (left empty).
  [SUBJECT]: (subject) => {
    if (subject.apiGroup !== undefined && subject.apiGroup !== '') return;
    if (subject.kind === 'User' || subject.kind === 'Group') subject.apiGroup = GROUP;
  },
};
