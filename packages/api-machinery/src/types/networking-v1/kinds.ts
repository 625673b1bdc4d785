// networking.k8s.io/v1 resources as discovery, REST and kubectl see them.
import type { KindDefinition } from '../../schema/module.js';
import { GROUP, INGRESS, INGRESS_CLASS, NETWORK_POLICY, VERSION } from './schemas.js';

export const networkingKinds: KindDefinition[] = [
  {
    group: GROUP,
    version: VERSION,
    kind: 'Ingress',
    plural: 'ingresses',
    singular: 'ingress',
    shortNames: ['ing'],
    namespaced: true,
    schema: INGRESS,
    statusSubresource: true,
    generation: true,
  },
  {
    group: GROUP,
    version: VERSION,
    kind: 'IngressClass',
    plural: 'ingressclasses',
    singular: 'ingressclass',
    namespaced: false,
    schema: INGRESS_CLASS,
    generation: true,
  },
  {
    group: GROUP,
    version: VERSION,
    kind: 'NetworkPolicy',
    plural: 'networkpolicies',
    singular: 'networkpolicy',
    shortNames: ['netpol'],
    namespaced: true,
    schema: NETWORK_POLICY,
    generation: true,
  },
];
