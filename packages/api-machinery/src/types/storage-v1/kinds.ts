// storage.k8s.io/v1 resources as discovery, REST and kubectl see them.
import type { KindDefinition } from '../../schema/module.js';
import { GROUP, STORAGE_CLASS, VERSION } from './schemas.js';

export const storageKinds: KindDefinition[] = [
  {
    group: GROUP,
    version: VERSION,
    kind: 'StorageClass',
    plural: 'storageclasses',
    singular: 'storageclass',
    shortNames: ['sc'],
    namespaced: false,
    schema: STORAGE_CLASS,
  },
];
