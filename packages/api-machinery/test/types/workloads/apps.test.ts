// apps/v1 defaulting and validation hooks, called directly, and a Deployment through the schema engine.
import t from 'tap';
import type { JsonObject } from '../../../src/json.js';
import { applyDefaults } from '../../../src/schema/defaulting.js';
import type { Defaulter, Validator } from '../../../src/schema/module.js';
import { validateObject } from '../../../src/schema/validation.js';
import { appsModule } from '../../../src/types/apps-v1/index.js';
import { CREATE, messages, registryWith, update } from './helpers/modules.js';

const A = 'io.k8s.api.apps.v1';
const defaulter = (n: string): Defaulter => appsModule.defaulters![`${A}.${n}`]!;
const validator = (n: string): Validator => appsModule.validators![`${A}.${n}`]!;

const template = (labels: JsonObject | undefined, podSpec: JsonObject = { containers: [{ name: 'c', image: 'i' }] }): JsonObject => ({
  metadata: labels ? { labels } : {},
  spec: podSpec,
});

t.test('Deployment strategy defaults to 25%/25% only for RollingUpdate', async (t) => {
  const rolling: JsonObject = { type: 'RollingUpdate' };
  defaulter('DeploymentStrategy')(rolling);
  t.same(rolling, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  const partial: JsonObject = { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0 } };
  defaulter('DeploymentStrategy')(partial);
  t.same(partial.rollingUpdate, { maxSurge: 0, maxUnavailable: '25%' });
  const recreate: JsonObject = { type: 'Recreate' };
  defaulter('DeploymentStrategy')(recreate);
  t.same(recreate, { type: 'Recreate' });
});

t.test('DaemonSet strategy defaults to maxUnavailable 1, maxSurge 0', async (t) => {
  const s: JsonObject = { type: 'RollingUpdate' };
  defaulter('DaemonSetUpdateStrategy')(s);
  t.same(s, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
});

t.test('StatefulSet update strategy: rollingUpdate only when the type was empty, partition 0', async (t) => {
  const empty: JsonObject = {};
  defaulter('StatefulSetSpec')(empty);
  t.same(empty.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  const explicit: JsonObject = { updateStrategy: { type: 'RollingUpdate' } };
  defaulter('StatefulSetSpec')(explicit);
  t.same(explicit.updateStrategy, { type: 'RollingUpdate' });
  const withRU: JsonObject = { updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2 } } };
  defaulter('StatefulSetSpec')(withRU);
  t.same(withRU.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 2, partition: 0 } });
  const onDelete: JsonObject = { updateStrategy: { type: 'OnDelete' } };
  defaulter('StatefulSetSpec')(onDelete);
  t.same(onDelete.updateStrategy, { type: 'OnDelete' });
});

t.test('Deployment spec: selector and template labels', async (t) => {
  const v = validator('DeploymentSpec');
  const ok = { selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web', tier: 'x' }), progressDeadlineSeconds: 600 };
  t.same(v(ok, 'spec', CREATE), []);
  t.same(messages(v({ ...ok, template: template({ app: 'db' }) }, 'spec', CREATE)), [
    'spec.template.metadata.labels: Invalid value: {"app":"db"}: `selector` does not match template `labels`',
  ]);
  // A missing selector (reported Required by the schema) matches nothing, so the template is flagged too.
  t.same(messages(v({ template: template({ app: 'web' }) }, 'spec', CREATE)), [
    'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
  ]);
  t.same(messages(v({ selector: {}, template: template({ app: 'web' }) }, 'spec', CREATE)), ['spec.selector: Invalid value: {}: empty selector is invalid for deployment']);
  const bad = v({ selector: { matchExpressions: [{ key: 'app', operator: 'In', values: [] }] }, template: template({ app: 'web' }) }, 'spec', CREATE);
  t.same(messages(bad), [
    "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    'spec.selector: Invalid value: {"matchExpressions":[{"key":"app","operator":"In","values":[]}]}: invalid label selector',
  ]);
  const expr = { selector: { matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['db'] }] }, template: template({ app: 'web' }) };
  t.same(v(expr, 'spec', CREATE), []);
});

t.test('Deployment spec: template restart policy, active deadline, missing template, progress deadline', async (t) => {
  const v = validator('DeploymentSpec');
  const sel = { matchLabels: { app: 'web' } };
  const never = v({ selector: sel, template: template({ app: 'web' }, { containers: [], restartPolicy: 'Never', activeDeadlineSeconds: 5 }) }, 'spec', CREATE);
  t.same(messages(never), [
    'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported',
  ]);
  t.same(messages(v({ selector: sel }, 'spec', CREATE)), [
    'spec.template.metadata.labels: Invalid value: null: `selector` does not match template `labels`',
    'spec.template.spec.containers: Required value',
  ]);
  t.same(messages(v({ selector: sel, template: template({ app: 'web' }), minReadySeconds: 10, progressDeadlineSeconds: 10 }, 'spec', CREATE)), [
    'spec.progressDeadlineSeconds: Invalid value: 10: must be greater than minReadySeconds',
  ]);
});

t.test('Deployment strategy validation', async (t) => {
  const v = validator('DeploymentStrategy');
  const p = 'spec.strategy';
  t.same(v({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: 1 } }, p, CREATE), []);
  t.same(messages(v({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '0%' } }, p, CREATE)), [
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0',
  ]);
  const pct = messages(v({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '150%', maxSurge: 'x' } }, p, CREATE));
  t.equal(pct.length, 2);
  t.match(pct[0], /^spec\.strategy\.rollingUpdate\.maxSurge: Invalid value: "x": a valid percent string must be a numeric string followed by an ending '%' \(e\.g\. '1%',/);
  t.equal(pct[1], 'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%');
  t.same(messages(v({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: -1, maxSurge: 1 } }, p, CREATE)), [
    'spec.strategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0',
  ]);
  t.same(messages(v({ type: 'Recreate', rollingUpdate: {} }, p, CREATE)), [
    "spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'",
  ]);
  t.same(messages(v({ type: 'RollingUpdate' }, p, CREATE)), ['spec.strategy.rollingUpdate: Required value: this should be defaulted and never be nil']);
});

t.test('ReplicaSet spec uses the ReplicaSet template rules', async (t) => {
  const v = validator('ReplicaSetSpec');
  t.same(v({ selector: { matchLabels: { a: 'b' } }, template: template({ a: 'b' }) }, 'spec', CREATE), []);
  t.same(messages(v({ selector: {}, template: template({ a: 'b' }) }, 'spec', CREATE)), ['spec.selector: Invalid value: {}: empty selector is invalid for deployment']);
});

t.test('DaemonSet spec and update strategy', async (t) => {
  const v = validator('DaemonSetSpec');
  t.same(v({ selector: { matchLabels: { a: 'b' } }, template: template({ a: 'b' }) }, 'spec', CREATE), []);
  t.same(messages(v({ selector: {}, template: template({ a: 'b' }, { containers: [], activeDeadlineSeconds: 1 }) }, 'spec', CREATE)), [
    'spec.selector: Invalid value: {}: empty selector is invalid for daemonset',
    'spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported',
  ]);
  const s = validator('DaemonSetUpdateStrategy');
  const p = 'spec.updateStrategy';
  t.same(s({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }, p, CREATE), []);
  t.same(s({ type: 'OnDelete' }, p, CREATE), []);
  t.same(messages(s({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: '10%' } }, p, CREATE)), [
    'spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: "10%": may not be set when maxUnavailable is non-zero',
  ]);
  t.same(messages(s({ type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: 0 } }, p, CREATE)), [
    'spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0',
  ]);
  t.same(messages(s({ type: 'RollingUpdate' }, p, CREATE)), ['spec.updateStrategy.rollingUpdate: Required value']);
});

t.test('StatefulSet spec: strategy, selector, and the fields an update may change', async (t) => {
  const v = validator('StatefulSetSpec');
  const base: JsonObject = {
    replicas: 1,
    selector: { matchLabels: { a: 'b' } },
    template: template({ a: 'b' }),
    serviceName: 'svc',
    podManagementPolicy: 'OrderedReady',
    updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
    revisionHistoryLimit: 10,
  };
  t.same(v(base, 'spec', CREATE), []);
  t.same(messages(v({ ...base, updateStrategy: { type: 'OnDelete', rollingUpdate: { partition: 1 } } }, 'spec', CREATE)), [
    'spec.updateStrategy.rollingUpdate: Invalid value: {"partition":1}: only allowed for updateStrategy \'RollingUpdate\'',
  ]);
  t.same(messages(v({ ...base, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0 } } }, 'spec', CREATE)), [
    'spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0',
  ]);
  t.same(messages(v({ ...base, selector: {} }, 'spec', CREATE)), ['spec.selector: Invalid value: {}: empty selector is invalid for statefulset']);
  // Allowed changes: replicas, template, strategy, retention policy, ordinals, minReadySeconds.
  const changed = { ...base, replicas: 5, minReadySeconds: 3, ordinals: { start: 2 }, template: template({ a: 'b', v: '2' }) };
  t.same(v(changed, 'spec', update(base)), []);
  // Empty and absent are the same to Go.
  t.same(v({ ...base, volumeClaimTemplates: [] }, 'spec', update(base)), []);
  t.same(messages(v({ ...base, serviceName: 'other' }, 'spec', update(base))), [
    "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
  ]);
});

t.test('status counters and collisionCount', async (t) => {
  t.same(messages(validator('DeploymentStatus')({ replicas: 1, updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1 }, 'status', CREATE)), [
    'status.updatedReplicas: Invalid value: 2: cannot be greater than status.replicas',
  ]);
  t.same(messages(validator('ReplicaSetStatus')({ replicas: 2, readyReplicas: 1, availableReplicas: 2 }, 'status', CREATE)), [
    'status.availableReplicas: Invalid value: 2: cannot be greater than readyReplicas',
  ]);
  t.same(messages(validator('StatefulSetStatus')({ replicas: 2, readyReplicas: 1, availableReplicas: 2 }, 'status', CREATE)), [
    'status.availableReplicas: Invalid value: 2: cannot be greater than status.readyReplicas',
  ]);
  t.same(messages(validator('DaemonSetStatus')({ collisionCount: 1 }, 'status', update({ collisionCount: 2 }))), [
    'status.collisionCount: Invalid value: 1: cannot be decremented',
  ]);
  t.same(validator('DaemonSetStatus')({ collisionCount: 3 }, 'status', update({ collisionCount: 2 })), []);
});

t.test('ControllerRevision needs data', async (t) => {
  t.same(messages(validator('ControllerRevision')({ revision: 1 }, '', CREATE)), ['data: Required value: data is mandatory']);
  t.same(validator('ControllerRevision')({ revision: 1, data: {} }, '', CREATE), []);
});

t.test('a Deployment through the schema engine', async (t) => {
  const reg = registryWith(appsModule);
  const dep: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: template({ app: 'web' }) },
  };
  applyDefaults(reg, `${A}.Deployment`, dep);
  const spec = dep.spec as JsonObject;
  t.equal(spec.replicas, 1);
  t.equal(spec.revisionHistoryLimit, 10);
  t.equal(spec.progressDeadlineSeconds, 600);
  t.same(spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  t.same(validateObject(reg, `${A}.Deployment`, dep), []);

  const noSelector: JsonObject = { metadata: { name: 'x' }, spec: { template: template({ app: 'web' }) } };
  applyDefaults(reg, `${A}.Deployment`, noSelector);
  t.same(messages(validateObject(reg, `${A}.Deployment`, noSelector)), [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`',
  ]);

  const moved = structuredClone(dep);
  (moved.spec as JsonObject).selector = { matchLabels: { app: 'web2' } };
  (((moved.spec as JsonObject).template as JsonObject).metadata as JsonObject).labels = { app: 'web2' };
  t.same(messages(validateObject(reg, `${A}.Deployment`, moved, dep)), ['spec.selector: Invalid value: {"matchLabels":{"app":"web2"}}: field is immutable']);

  const sts: JsonObject = { metadata: { name: 's' }, spec: { selector: { matchLabels: { a: 'b' } }, template: template({ a: 'b' }) } };
  applyDefaults(reg, `${A}.StatefulSet`, sts);
  const stsSpec = sts.spec as JsonObject;
  t.equal(stsSpec.podManagementPolicy, 'OrderedReady');
  t.same(stsSpec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
  t.same(stsSpec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
  t.same(validateObject(reg, `${A}.StatefulSet`, sts), []);

  const ds: JsonObject = { metadata: { name: 'd' }, spec: { selector: { matchLabels: { a: 'b' } }, template: template({ a: 'b' }) } };
  applyDefaults(reg, `${A}.DaemonSet`, ds);
  t.same((ds.spec as JsonObject).updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  t.equal((ds.spec as JsonObject).revisionHistoryLimit, 10);
  t.same(validateObject(reg, `${A}.DaemonSet`, ds), []);
});
