// autoscaling/v1 resources as discovery, REST and kubectl see them. Scale is only a subresource body.
import type { KindDefinition } from '../../schema/module.js';
import { GROUP, HPA, VERSION } from './schemas.js';

export const autoscalingKinds: KindDefinition[] = [
  {
    group: GROUP,
    version: VERSION,
    kind: 'HorizontalPodAutoscaler',
    plural: 'horizontalpodautoscalers',
    singular: 'horizontalpodautoscaler',
    shortNames: ['hpa'],
    categories: ['all'],
    namespaced: true,
    schema: HPA,
    statusSubresource: true,
  },
];
