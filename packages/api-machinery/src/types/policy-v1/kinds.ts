// policy/v1 resources as discovery, REST and kubectl see them. Eviction has no resource of its own: it is the body
// of the pods/eviction subresource.
import type { KindDefinition } from '../../schema/module.js';
import { GROUP, PDB, VERSION } from './schemas.js';

export const policyKinds: KindDefinition[] = [
  {
    group: GROUP,
    version: VERSION,
    kind: 'PodDisruptionBudget',
    plural: 'poddisruptionbudgets',
    singular: 'poddisruptionbudget',
    shortNames: ['pdb'],
    namespaced: true,
    schema: PDB,
    statusSubresource: true,
    generation: true,
  },
];
