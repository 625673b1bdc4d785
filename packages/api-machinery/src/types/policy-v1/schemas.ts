// policy/v1 component schemas: PodDisruptionBudget and Eviction (the body of a pods/eviction request).
import { s, type Schema } from '../../schema/schema.js';
import { conditionsArray, kindSchema, listSchema } from '../apps-v1/helpers.js';
import { CONDITION, DELETE_OPTIONS, LABEL_SELECTOR } from '../meta-v1/schemas.js';

export const POLICY = 'io.k8s.api.policy.v1';
export const GROUP = 'policy';
export const VERSION = 'v1';

export const PDB = `${POLICY}.PodDisruptionBudget`;
export const PDB_SPEC = `${POLICY}.PodDisruptionBudgetSpec`;
export const EVICTION = `${POLICY}.Eviction`;

const nonNegative = { minimum: 0 };

export const policySchemas: Record<string, Schema> = {
  [PDB]: kindSchema(GROUP, VERSION, 'PodDisruptionBudget', 'Limits how many pods of a set voluntary disruptions (such as evictions) may take down at once.', {
    spec: s.ref(PDB_SPEC, 'Desired disruption budget.'),
    status: s.ref(`${POLICY}.PodDisruptionBudgetStatus`, 'Most recently observed state of the budget.'),
  }),
  [`${POLICY}.PodDisruptionBudgetList`]: listSchema(GROUP, VERSION, 'PodDisruptionBudget', PDB),
  [PDB_SPEC]: s.object(
    {
      minAvailable: s.intOrString('Pods (number or percent) that must stay available after an eviction.'),
      selector: s.ref(LABEL_SELECTOR, 'Pods the budget covers; an empty selector covers every pod of the namespace.', { strategy: 'replace' }),
      maxUnavailable: s.intOrString('Pods (number or percent) that may be unavailable after an eviction.'),
      unhealthyPodEvictionPolicy: s.enumOf(
        ['AlwaysAllow', 'IfHealthyBudget'],
        'When running but not ready pods may be evicted: only while the budget is met (IfHealthyBudget) or always.',
      ),
    },
    'Desired state of a PodDisruptionBudget: minAvailable or maxUnavailable over the selected pods.',
  ),
  [`${POLICY}.PodDisruptionBudgetStatus`]: s.object(
    {
      observedGeneration: s.int64('Generation the disruption controller last acted on.'),
      disruptedPods: s.map(s.time(), 'Pods whose eviction was accepted but that have not gone yet, with when it was accepted.'),
      disruptionsAllowed: s.int32('Evictions currently allowed.', nonNegative),
      currentHealthy: s.int32('Healthy pods right now.', nonNegative),
      desiredHealthy: s.int32('Healthy pods the budget requires.', nonNegative),
      expectedPods: s.int32('Pods counted by the budget.', nonNegative),
      conditions: conditionsArray(CONDITION, 'Latest observations, such as DisruptionAllowed.'),
    },
    'Observed state of a PodDisruptionBudget.',
  ),
  [EVICTION]: kindSchema(GROUP, VERSION, 'Eviction', 'Asks for a pod to be evicted, honoring disruption budgets (POST to pods/<name>/eviction).', {
    deleteOptions: s.ref(DELETE_OPTIONS, 'Options for deleting the pod.'),
  }),
};
