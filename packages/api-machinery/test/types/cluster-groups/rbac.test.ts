// rbac.authorization.k8s.io/v1 defaulting and validation hooks, and bindings through the schema engine.
import t from 'tap';
import type { JsonObject } from '../../../src/json.js';
import { applyDefaults } from '../../../src/schema/defaulting.js';
import type { Validator } from '../../../src/schema/module.js';
import { validateObject } from '../../../src/schema/validation.js';
import { rbacModule } from '../../../src/types/rbac-v1/index.js';
import { CREATE, messages, registryWith, update } from '../workloads/helpers/modules.js';

const R = 'io.k8s.api.rbac.v1';
const GROUP = 'rbac.authorization.k8s.io';
const validator = (n: string): Validator => rbacModule.validators![`${R}.${n}`]!;

t.test('subjects: users and groups default to the RBAC group', async (t) => {
  const d = rbacModule.defaulters![`${R}.Subject`]!;
  const user: JsonObject = { kind: 'User', name: 'jane' };
  d(user);
  t.equal(user.apiGroup, GROUP);
  const group: JsonObject = { kind: 'Group', name: 'ops', apiGroup: '' };
  d(group);
  t.equal(group.apiGroup, GROUP);
  const sa: JsonObject = { kind: 'ServiceAccount', name: 'default', namespace: 'x' };
  d(sa);
  t.notOk('apiGroup' in sa);
  const custom: JsonObject = { kind: 'User', name: 'jane', apiGroup: 'example.com' };
  d(custom);
  t.equal(custom.apiGroup, 'example.com');
});

t.test('policy rules', async (t) => {
  const role = validator('Role');
  const clusterRole = validator('ClusterRole');
  t.same(role({ rules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }] }, '', CREATE), []);
  t.same(messages(role({ rules: [{ apiGroups: [''] }] }, '', CREATE)), [
    'rules[0].verbs: Required value: verbs must contain at least one value',
    'rules[0].resources: Required value: resource rules must supply at least one resource',
  ]);
  t.same(messages(role({ rules: [{ verbs: ['get'], resources: ['pods'] }] }, '', CREATE)), [
    'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
  ]);
  t.same(messages(role({ rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] }, '', CREATE)), [
    'rules[0].nonResourceURLs: Invalid value: ["/healthz"]: namespaced rules cannot apply to non-resource URLs',
  ]);
  t.same(clusterRole({ rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz', '/api/*'] }] }, '', CREATE), []);
  t.same(messages(clusterRole({ rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'], resources: ['pods'] }] }, '', CREATE)), [
    'rules[0].nonResourceURLs: Invalid value: ["/healthz"]: rules cannot apply to both regular resources and non-resource URLs',
  ]);
});

t.test('cluster role aggregation', async (t) => {
  const v = validator('ClusterRole');
  t.same(v({ aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate': 'true' } }] } }, '', CREATE), []);
  t.same(messages(v({ aggregationRule: {} }, '', CREATE)), [
    'aggregationRule.clusterRoleSelectors: Required value: at least one clusterRoleSelector required if aggregationRule is non-nil',
  ]);
  const bad = messages(v({ aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }] } }, '', CREATE));
  t.same(bad.map((m) => m.split(':')[0]), ['aggregationRule.clusterRoleSelectors[0].matchExpressions[0].values', 'aggregationRule.clusterRoleSelectors[0]']);
  t.match(bad[1], /invalid label selector\.$/);
});

t.test('role bindings: roleRef and subjects', async (t) => {
  const rb = validator('RoleBinding');
  const crb = validator('ClusterRoleBinding');
  const roleRef = { apiGroup: GROUP, kind: 'Role', name: 'reader' };
  const subjects: JsonObject[] = [
    { kind: 'User', apiGroup: GROUP, name: 'jane' },
    { kind: 'ServiceAccount', name: 'default' },
  ];
  t.same(rb({ roleRef, subjects }, '', CREATE), []);
  t.same(messages(rb({ roleRef: { apiGroup: 'example.com', kind: 'Thing', name: '' } }, '', CREATE)), [
    'roleRef.apiGroup: Unsupported value: "example.com": supported values: "rbac.authorization.k8s.io"',
    'roleRef.kind: Unsupported value: "Thing": supported values: "Role", "ClusterRole"',
    'roleRef.name: Required value',
  ]);
  t.same(messages(crb({ roleRef, subjects }, '', CREATE)), [
    'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    'subjects[1].namespace: Required value',
  ]);
  const subjectErrs = messages(rb({ roleRef, subjects: [{ kind: 'Robot', name: 'r2' }, { kind: 'ServiceAccount', apiGroup: GROUP, name: 'Bad_SA' }, { kind: 'Group' }] }, '', CREATE));
  t.equal(subjectErrs.length, 5);
  t.equal(subjectErrs[0], 'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"');
  t.match(subjectErrs[1], /^subjects\[1\]\.name: Invalid value: "Bad_SA": a lowercase RFC 1123 subdomain/);
  t.same(subjectErrs.slice(2), [
    'subjects[1].apiGroup: Unsupported value: "rbac.authorization.k8s.io": supported values: ""',
    'subjects[2].name: Required value',
    'subjects[2].apiGroup: Unsupported value: "": supported values: "rbac.authorization.k8s.io"',
  ]);
  t.same(messages(rb({ roleRef: { ...roleRef, name: '..' } }, '', CREATE)), ['roleRef.name: Invalid value: "..": may not be \'..\'']);
});

t.test('roleRef cannot change', async (t) => {
  const rb = validator('RoleBinding');
  const old = { roleRef: { apiGroup: GROUP, kind: 'Role', name: 'reader' } };
  t.same(rb({ ...old, subjects: [{ kind: 'User', apiGroup: GROUP, name: 'bob' }] }, '', update(old)), []);
  t.same(messages(rb({ roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: 'reader' } }, '', update(old))), [
    'roleRef: Invalid value: {"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole","name":"reader"}: cannot change roleRef',
  ]);
});

t.test('bindings through the schema engine', async (t) => {
  const reg = registryWith(rbacModule);
  const crb: JsonObject = {
    metadata: { name: 'admins' },
    roleRef: { kind: 'ClusterRole', name: 'cluster-admin' },
    subjects: [{ kind: 'Group', name: 'system:masters' }],
  };
  applyDefaults(reg, `${R}.ClusterRoleBinding`, crb);
  t.same(crb.roleRef, { kind: 'ClusterRole', name: 'cluster-admin', apiGroup: GROUP });
  t.same(crb.subjects, [{ kind: 'Group', name: 'system:masters', apiGroup: GROUP }]);
  t.same(validateObject(reg, `${R}.ClusterRoleBinding`, crb), []);

  const noRef: JsonObject = { metadata: { name: 'x' } };
  applyDefaults(reg, `${R}.RoleBinding`, noRef);
  t.same(messages(validateObject(reg, `${R}.RoleBinding`, noRef)), [
    'roleRef.kind: Unsupported value: "": supported values: "Role", "ClusterRole"',
    'roleRef.name: Required value',
  ]);
});
