// autoscaling/v1 component schemas: HorizontalPodAutoscaler (CPU-based) and Scale, the body of every scale
// subresource.
import { s, type Schema } from '../../schema/schema.js';
import { kindSchema, listSchema } from '../apps-v1/helpers.js';

export const AUTOSCALING = 'io.k8s.api.autoscaling.v1';
export const GROUP = 'autoscaling';
export const VERSION = 'v1';

export const HPA = `${AUTOSCALING}.HorizontalPodAutoscaler`;
export const HPA_SPEC = `${AUTOSCALING}.HorizontalPodAutoscalerSpec`;
export const SCALE = `${AUTOSCALING}.Scale`;

const nonNegative = { minimum: 0 };

export const autoscalingSchemas: Record<string, Schema> = {
  [HPA]: kindSchema(GROUP, VERSION, 'HorizontalPodAutoscaler', 'Scales a workload between bounds to keep its average CPU use near a target.', {
    spec: s.ref(HPA_SPEC, 'Desired behavior of the autoscaler.'),
    status: s.ref(`${AUTOSCALING}.HorizontalPodAutoscalerStatus`, 'Most recently observed state of the autoscaler.'),
  }),
  [`${AUTOSCALING}.HorizontalPodAutoscalerList`]: listSchema(GROUP, VERSION, 'HorizontalPodAutoscaler', HPA),
  [HPA_SPEC]: s.object(
    {
      scaleTargetRef: s.ref(`${AUTOSCALING}.CrossVersionObjectReference`, 'The workload to scale, through its scale subresource.'),
      minReplicas: s.int32('Lowest replica count the autoscaler sets.', { default: 1, minimum: 1 }),
      maxReplicas: s.int32('Highest replica count the autoscaler sets; at least minReplicas.'),
      targetCPUUtilizationPercentage: s.int32('Target average CPU use of the pods, in percent of their request.'),
    },
    'Desired behavior of a HorizontalPodAutoscaler.',
  ),
  [`${AUTOSCALING}.CrossVersionObjectReference`]: s.object(
    {
      kind: s.string('Kind of the referent, e.g. Deployment.'),
      name: s.string('Name of the referent.'),
      apiVersion: s.string('API version of the referent, e.g. apps/v1.'),
    },
    'Refers to an object of any API group and version by kind and name.',
    { mapType: 'atomic' },
  ),
  [`${AUTOSCALING}.HorizontalPodAutoscalerStatus`]: s.object(
    {
      observedGeneration: s.int64('Generation the autoscaler last acted on.'),
      lastScaleTime: s.time('When the autoscaler last changed the replica count.'),
      currentReplicas: s.int32('Replicas the workload has now.', nonNegative),
      desiredReplicas: s.int32('Replicas the autoscaler wants.', nonNegative),
      currentCPUUtilizationPercentage: s.int32('Current average CPU use of the pods, in percent of their request.'),
    },
    'Observed state of a HorizontalPodAutoscaler.',
  ),
  [SCALE]: kindSchema(GROUP, VERSION, 'Scale', 'The replica count of a scalable resource, read and written through its scale subresource.', {
    spec: s.ref(`${AUTOSCALING}.ScaleSpec`, 'Desired replica count.'),
    status: s.ref(`${AUTOSCALING}.ScaleStatus`, 'Current replica count and pod selector.'),
  }),
  [`${AUTOSCALING}.ScaleSpec`]: s.object({ replicas: s.int32('Desired number of replicas.', nonNegative) }, 'Desired replica count of a scale subresource.'),
  [`${AUTOSCALING}.ScaleStatus`]: s.object(
    {
      replicas: s.int32('Observed number of replicas.'),
      selector: s.string('Label selector of the pods, in query-string form (e.g. app=web,tier in (a,b)).'),
    },
    'Observed replica count of a scale subresource.',
  ),
};
