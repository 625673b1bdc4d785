// ReplicationController, ResourceQuota and LimitRange hooks.
import t from 'tap';
import type { JsonObject } from '../../../src/json.js';
import type { ValidationContext } from '../../../src/schema/module.js';
import { fieldErrorMessage } from '../../../src/validation/field-error.js';
import { coreModule } from '../../../src/types/core-v1/core.js';

const C = 'io.k8s.api.core.v1';
const run = (component: string, obj: JsonObject, ctx: ValidationContext = { operation: 'create' }, path = ''): string[] =>
  coreModule.validators![`${C}.${component}`]!(obj, path, ctx).map(fieldErrorMessage);

const template = (labels: JsonObject, spec: JsonObject = {}): JsonObject => ({
  metadata: { labels },
  spec: { restartPolicy: 'Always', containers: [{ name: 'c', image: 'nginx' }], ...spec },
});

t.test('replication controller defaults', async (t) => {
  const rc: JsonObject = { metadata: { name: 'web' }, spec: { replicas: 1, template: template({ app: 'web' }) } };
  coreModule.defaulters![`${C}.ReplicationController`]!(rc);
  t.same((rc.spec as JsonObject).selector, { app: 'web' });
  t.same((rc.metadata as JsonObject).labels, { app: 'web' });
  const explicit: JsonObject = { metadata: { labels: { team: 'a' } }, spec: { selector: { app: 'x' }, template: template({ app: 'x', v: '1' }) } };
  coreModule.defaulters![`${C}.ReplicationController`]!(explicit);
  t.same((explicit.spec as JsonObject).selector, { app: 'x' });
  t.same((explicit.metadata as JsonObject).labels, { team: 'a' });
  t.equal(coreModule.schemas[`${C}.ReplicationControllerSpec`]?.properties?.replicas?.default, 1);
});

t.test('replication controller spec', async (t) => {
  t.same(run('ReplicationControllerSpec', { replicas: 2, selector: { app: 'a' }, template: template({ app: 'a', x: 'y' }) }, undefined, 'spec'), []);
  t.same(run('ReplicationControllerSpec', { replicas: 1 }, undefined, 'spec'), ['spec.selector: Required value', 'spec.template: Required value']);
  t.same(run('ReplicationControllerSpec', { selector: { app: 'a' }, template: template({ app: 'b' }) }, undefined, 'spec'), [
    'spec.template.metadata.labels: Invalid value: {"app":"b"}: `selector` does not match template `labels`',
  ]);
  t.same(run('ReplicationControllerSpec', { selector: { app: 'a' }, template: template({ app: 'a' }, { restartPolicy: 'Never', activeDeadlineSeconds: 5 }) }, undefined, 'spec'), [
    'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicationController is not Supported',
  ]);
});

t.test('resource quota', async (t) => {
  t.same(run('ResourceQuota', { spec: { hard: { pods: '10', 'requests.cpu': '4', 'count/deployments.apps': '2', 'requests.nvidia.com/gpu': '1' } } }), []);
  t.same(run('ResourceQuota', { spec: { hard: { pods: '1.5', storage: '1Gi' } } }), [
    'spec.hard[pods]: Invalid value: "1500m": must be an integer',
    'spec.hard[storage]: Invalid value: "storage": must be a standard resource for quota',
  ]);
  t.same(run('ResourceQuota', { spec: { hard: { configmaps: '1' }, scopes: ['BestEffort', 'NotBestEffort'] } }), [
    'spec.scopes: Invalid value: ["BestEffort","NotBestEffort"]: unsupported scope applied to resource',
    'spec.scopes: Invalid value: ["BestEffort","NotBestEffort"]: unsupported scope applied to resource',
    'spec.scopes: Invalid value: ["BestEffort","NotBestEffort"]: conflicting scopes',
  ]);
  t.same(run('ResourceQuota', { spec: { scopes: ['Sometimes'] } }), ['spec.scopes: Invalid value: ["Sometimes"]: unsupported scope']);
  t.same(run('ResourceQuota', { spec: { scopeSelector: { matchExpressions: [{ scopeName: 'PriorityClass', operator: 'In' }] } } }), [
    "spec.scopeSelector.matchExpressions.values: Required value: must be at least one value when `operator` is 'In' or 'NotIn' for scope selector",
  ]);
  t.same(run('ResourceQuota', { spec: { scopeSelector: { matchExpressions: [{ scopeName: 'BestEffort', operator: 'In', values: ['x'] }] } } }), [
    "spec.scopeSelector.matchExpressions.operator: Invalid value: \"In\": must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity",
  ]);
  const old: JsonObject = { spec: { scopes: ['Terminating'] } };
  t.same(run('ResourceQuota', { spec: { scopes: ['NotTerminating'] } }, { operation: 'update', old }), ['spec.scopes: Invalid value: ["NotTerminating"]: field is immutable']);
  t.same(run('ResourceQuota', { spec: { scopes: ['Terminating'], hard: { pods: '5' } } }, { operation: 'update', old }), []);
});

t.test('limit range defaults', async (t) => {
  const item: JsonObject = { type: 'Container', max: { cpu: '2', memory: '1Gi' }, min: { cpu: '100m' }, default: { memory: '512Mi' } };
  coreModule.defaulters![`${C}.LimitRangeItem`]!(item);
  t.same(item.default, { memory: '512Mi', cpu: '2' });
  t.same(item.defaultRequest, { memory: '512Mi', cpu: '2' });
  const minOnly: JsonObject = { type: 'Container', min: { cpu: '100m' } };
  coreModule.defaulters![`${C}.LimitRangeItem`]!(minOnly);
  t.same(minOnly.defaultRequest, { cpu: '100m' });
  t.equal(minOnly.default, undefined);
  const pod: JsonObject = { type: 'Pod', max: { cpu: '2' } };
  coreModule.defaulters![`${C}.LimitRangeItem`]!(pod);
  t.same(pod, { type: 'Pod', max: { cpu: '2' } }, 'only containers get defaults');
});

t.test('limit range validation', async (t) => {
  const limits = (...items: JsonObject[]): JsonObject => ({ limits: items });
  t.same(run('LimitRangeSpec', limits({ type: 'Container', max: { cpu: '2' }, min: { cpu: '100m' }, default: { cpu: '1' }, defaultRequest: { cpu: '500m' } }), undefined, 'spec'), []);
  t.same(run('LimitRangeSpec', limits({ type: 'Container', max: { cpu: '1' }, min: { cpu: '2' } }), undefined, 'spec'), [
    'spec.limits[0].min[cpu]: Invalid value: "2": min value 2 is greater than max value 1',
  ]);
  t.same(run('LimitRangeSpec', limits({ type: 'Pod', default: { cpu: '1' } }, { type: 'Pod' }), undefined, 'spec'), [
    "spec.limits[0].default: Forbidden: may not be specified when `type` is 'Pod'",
    'spec.limits[1].type: Duplicate value: "Pod"',
  ]);
  t.same(run('LimitRangeSpec', limits({ type: 'PersistentVolumeClaim' }), undefined, 'spec'), [
    'spec.limits[0].limits: Required value: either minimum or maximum storage value is required, but neither was provided',
  ]);
  t.same(run('LimitRangeSpec', limits({ type: 'Container', min: { cpu: '1' }, max: { cpu: '2' }, maxLimitRequestRatio: { cpu: '3' } }), undefined, 'spec'), [
    'spec.limits[0].maxLimitRequestRatio[cpu]: Invalid value: "3": ratio 3 is greater than max/min = 2.000000',
  ]);
  t.same(run('LimitRangeSpec', limits({ type: 'Container', maxLimitRequestRatio: { memory: '500m' } }), undefined, 'spec'), [
    'spec.limits[0].maxLimitRequestRatio[memory]: Invalid value: "500m": ratio 500m is less than 1',
  ]);
  t.same(run('LimitRangeSpec', limits({ type: 'Container', default: { 'example.com/gpu': '2' }, defaultRequest: { 'example.com/gpu': '1' } }), undefined, 'spec'), [
    'spec.limits[0].defaultRequest[example.com/gpu]: Invalid value: "1": default value 2 must equal to defaultRequest value 1 in example.com/gpu',
  ]);
  t.same(run('LimitRangeSpec', limits({ type: 'Container', max: { pods: '1' } }), undefined, 'spec'), [
    'spec.limits[0].max[pods]: Invalid value: "pods": must be a standard resource for containers',
  ]);
  t.same(run('LimitRangeSpec', limits({ type: 'Widget' }), undefined, 'spec'), ['spec.limits[0].type: Invalid value: "Widget": must be a standard limit type or fully qualified']);
});
