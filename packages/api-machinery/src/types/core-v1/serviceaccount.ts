// core/v1 ServiceAccount: an identity for processes running in pods.
import type { KindDefinition } from '../../schema/module.js';
import { s, type Schema } from '../../schema/schema.js';
import { core, kindSchema } from './kind-schema.js';

const SERVICE_ACCOUNT = core('ServiceAccount');

export const serviceAccountSchemas: Record<string, Schema> = {
  [SERVICE_ACCOUNT]: kindSchema({ group: '', version: 'v1', kind: 'ServiceAccount' }, 'An identity for pods, which the API server authenticates with tokens.', {
    secrets: s.array(s.ref(core('ObjectReference')), 'Deprecated: secrets in the same namespace that pods of this account may use.', {
      mergeKey: 'name',
      strategy: 'merge',
      listType: 'map',
      listMapKeys: ['name'],
    }),
    imagePullSecrets: s.array(s.ref(core('LocalObjectReference')), 'Image pull secrets added to every pod that uses this account.', {
      listType: 'atomic',
    }),
    automountServiceAccountToken: s.boolean('Whether pods of this account get an API token mounted by default; a pod may override it.'),
  }),
};

export const serviceAccountKind: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'ServiceAccount',
  plural: 'serviceaccounts',
  singular: 'serviceaccount',
  shortNames: ['sa'],
  namespaced: true,
  schema: SERVICE_ACCOUNT,
};
