// The apps, batch, policy and autoscaling modules as a whole: references resolve, hooks sit on their own
// components, and the kinds carry Kubernetes' discovery facts.
import t from 'tap';
import { appsKinds, appsModule } from '../../../src/types/apps-v1/index.js';
import { autoscalingKinds, autoscalingModule } from '../../../src/types/autoscaling-v1/index.js';
import { batchKinds, batchModule } from '../../../src/types/batch-v1/index.js';
import { policyKinds, policyModule } from '../../../src/types/policy-v1/index.js';
import { danglingRefs, malformedKinds, registryWith, strayHooks } from './helpers/modules.js';

const modules = [appsModule, batchModule, policyModule, autoscalingModule];
const kinds = [...appsKinds, ...batchKinds, ...policyKinds, ...autoscalingKinds];

t.test('every $ref names a component of these modules, meta/v1 or the agreed core/v1 list', async (t) => {
  t.same(danglingRefs(modules), []);
});

t.test('the modules load together into one registry', async (t) => {
  const reg = registryWith(...modules);
  t.same(reg.danglingReferences(), []);
});

t.test('hooks are attached to components of their own module', async (t) => {
  for (const m of modules) t.same(strayHooks(m), []);
});

t.test('each kind schema has apiVersion, kind, metadata and its GVK', async (t) => {
  t.same(malformedKinds(appsModule, appsKinds), []);
  t.same(malformedKinds(batchModule, batchKinds), []);
  t.same(malformedKinds(policyModule, policyKinds), []);
  t.same(malformedKinds(autoscalingModule, autoscalingKinds), []);
  // Subresource bodies carry a GVK too.
  t.same(policyModule.schemas['io.k8s.api.policy.v1.Eviction']?.['x-kubernetes-group-version-kind'], [{ group: 'policy', version: 'v1', kind: 'Eviction' }]);
  t.same(autoscalingModule.schemas['io.k8s.api.autoscaling.v1.Scale']?.['x-kubernetes-group-version-kind'], [
    { group: 'autoscaling', version: 'v1', kind: 'Scale' },
  ]);
});

t.test('discovery facts', async (t) => {
  const by = Object.fromEntries(kinds.map((k) => [k.plural, k]));
  t.same(
    kinds.map((k) => [k.plural, k.shortNames ?? [], k.categories ?? []]),
    [
      ['deployments', ['deploy'], ['all']],
      ['replicasets', ['rs'], ['all']],
      ['daemonsets', ['ds'], ['all']],
      ['statefulsets', ['sts'], ['all']],
      ['controllerrevisions', [], []],
      ['jobs', [], ['all']],
      ['cronjobs', ['cj'], ['all']],
      ['poddisruptionbudgets', ['pdb'], []],
      ['horizontalpodautoscalers', ['hpa'], ['all']],
    ],
  );
  t.ok(kinds.every((k) => k.namespaced));
  for (const p of ['deployments', 'replicasets', 'statefulsets']) {
    t.same(by[p]?.scale, { specReplicasPath: 'spec.replicas', statusReplicasPath: 'status.replicas', labelSelectorPath: 'spec.selector' }, p);
  }
  t.notOk(by['daemonsets']?.scale);
  t.equal(by['statefulsets']?.nameRule, 'dns1123-label');
  t.notOk(by['controllerrevisions']?.statusSubresource);
  t.notOk(by['controllerrevisions']?.generation);
  for (const p of ['deployments', 'replicasets', 'daemonsets', 'statefulsets', 'jobs', 'cronjobs', 'poddisruptionbudgets']) {
    t.ok(by[p]?.statusSubresource && by[p]?.generation, p);
  }
  t.equal(by['replicasets']?.fieldSelectors?.['status.replicas']?.({ status: { replicas: 3 } }), '3');
  t.equal(by['replicasets']?.fieldSelectors?.['status.replicas']?.({}), '0');
  t.equal(by['jobs']?.fieldSelectors?.['status.successful']?.({ status: { succeeded: 2 } }), '2');
});

t.test('patch metadata from the Go struct tags', async (t) => {
  const s = appsModule.schemas;
  t.equal(s['io.k8s.api.apps.v1.DeploymentSpec']?.properties?.strategy?.['x-kubernetes-patch-strategy'], 'retainKeys');
  const conditions = s['io.k8s.api.apps.v1.DeploymentStatus']?.properties?.conditions;
  t.equal(conditions?.['x-kubernetes-patch-merge-key'], 'type');
  t.equal(conditions?.['x-kubernetes-patch-strategy'], 'merge');
  t.same(conditions?.['x-kubernetes-list-map-keys'], ['type']);
  t.equal(batchModule.schemas['io.k8s.api.batch.v1.JobStatus']?.properties?.conditions?.['x-kubernetes-list-type'], 'atomic');
  t.equal(policyModule.schemas['io.k8s.api.policy.v1.PodDisruptionBudgetSpec']?.properties?.selector?.['x-kubernetes-patch-strategy'], 'replace');
  t.equal(s['io.k8s.api.apps.v1.DeploymentSpec']?.properties?.selector?.['x-k8ts-immutable'], true);
});
