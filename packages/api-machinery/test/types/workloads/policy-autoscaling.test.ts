// policy/v1 (PodDisruptionBudget) and autoscaling/v1 (HorizontalPodAutoscaler) validation hooks, and both kinds
// through the schema engine.
import t from 'tap';
import type { JsonObject } from '../../../src/json.js';
import { applyDefaults } from '../../../src/schema/defaulting.js';
import { validateObject } from '../../../src/schema/validation.js';
import { autoscalingModule } from '../../../src/types/autoscaling-v1/index.js';
import { policyModule } from '../../../src/types/policy-v1/index.js';
import { CREATE, messages, registryWith } from './helpers/modules.js';

const pdbSpec = policyModule.validators!['io.k8s.api.policy.v1.PodDisruptionBudgetSpec']!;
const hpaSpec = autoscalingModule.validators!['io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec']!;

t.test('PodDisruptionBudget spec', async (t) => {
  t.same(pdbSpec({ minAvailable: 2, selector: { matchLabels: { app: 'db' } } }, 'spec', CREATE), []);
  t.same(pdbSpec({ maxUnavailable: '50%' }, 'spec', CREATE), []);
  t.same(messages(pdbSpec({ minAvailable: 1, maxUnavailable: 1 }, 'spec', CREATE)), [
    'spec: Invalid value: {"minAvailable":1,"maxUnavailable":1}: minAvailable and maxUnavailable cannot be both set',
  ]);
  t.same(messages(pdbSpec({ maxUnavailable: '101%' }, 'spec', CREATE)), ['spec.maxUnavailable: Invalid value: "101%": must not be greater than 100%']);
  t.same(messages(pdbSpec({ minAvailable: -1 }, 'spec', CREATE)), ['spec.minAvailable: Invalid value: -1: must be greater than or equal to 0']);
  t.match(messages(pdbSpec({ minAvailable: 'half' }, 'spec', CREATE))[0], /^spec\.minAvailable: Invalid value: "half": a valid percent string/);
  t.same(messages(pdbSpec({ selector: { matchLabels: { 'bad key!': 'x' } } }, 'spec', CREATE)).length, 1, 'selector labels are validated');
});

t.test('HorizontalPodAutoscaler spec', async (t) => {
  const ref = { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' };
  t.same(hpaSpec({ scaleTargetRef: ref, minReplicas: 1, maxReplicas: 5, targetCPUUtilizationPercentage: 80 }, 'spec', CREATE), []);
  t.same(messages(hpaSpec({ scaleTargetRef: ref, minReplicas: 3, maxReplicas: 2 }, 'spec', CREATE)), [
    'spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`',
  ]);
  t.same(messages(hpaSpec({ minReplicas: 1, targetCPUUtilizationPercentage: 0 }, 'spec', CREATE)), [
    'spec.maxReplicas: Invalid value: 0: must be greater than 0',
    'spec.maxReplicas: Invalid value: 0: must be greater than or equal to `minReplicas`',
    'spec.scaleTargetRef.kind: Required value',
    'spec.scaleTargetRef.name: Required value',
    'spec.targetCPUUtilizationPercentage: Invalid value: 0: must be greater than 0',
  ]);
  t.same(messages(hpaSpec({ scaleTargetRef: { kind: 'Deployment', name: 'a/b' }, maxReplicas: 1 }, 'spec', CREATE)), [
    "spec.scaleTargetRef.name: Invalid value: \"a/b\": may not contain '/'",
  ]);
});

t.test('a PDB and an HPA through the schema engine', async (t) => {
  const reg = registryWith(policyModule, autoscalingModule);
  const hpa: JsonObject = { metadata: { name: 'web' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 4 } };
  applyDefaults(reg, 'io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler', hpa);
  t.equal((hpa.spec as JsonObject).minReplicas, 1);
  t.same(validateObject(reg, 'io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler', hpa), []);
  const zero: JsonObject = { metadata: { name: 'web' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, minReplicas: 0, maxReplicas: 4 } };
  t.same(messages(validateObject(reg, 'io.k8s.api.autoscaling.v1.HorizontalPodAutoscaler', zero)), [
    'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1',
  ]);

  const pdb: JsonObject = { metadata: { name: 'db' }, spec: { minAvailable: '50%', unhealthyPodEvictionPolicy: 'Sometimes' } };
  t.same(messages(validateObject(reg, 'io.k8s.api.policy.v1.PodDisruptionBudget', pdb)), [
    'spec.unhealthyPodEvictionPolicy: Unsupported value: "Sometimes": supported values: "AlwaysAllow", "IfHealthyBudget"',
  ]);
  const eviction: JsonObject = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p' }, deleteOptions: { gracePeriodSeconds: 0 } };
  t.same(validateObject(reg, 'io.k8s.api.policy.v1.Eviction', eviction), []);
});
