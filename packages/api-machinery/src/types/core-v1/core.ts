// core/v1 (everything but pods and pod templates): the schema module and the kinds served from it.
import type { Defaulter, KindDefinition, SchemaModule, Validator } from '../../schema/module.js';
import type { Schema } from '../../schema/schema.js';
import { configMapKind, configMapSchemas, configMapValidators } from './configmap.js';
import { endpointsKind, endpointsSchemas, endpointsValidators } from './endpoints.js';
import { eventKind, eventSchemas, eventValidators } from './event.js';
import { namespaceDefaulters, namespaceKind, namespaceSchemas, namespaceValidators } from './namespace.js';
import { nodeKind, nodeSchemas, nodeValidators } from './node.js';
import { limitRangeKind, quotaDefaulters, quotaSchemas, quotaValidators, resourceQuotaKind } from './quota.js';
import {
  replicationControllerDefaulters,
  replicationControllerKind,
  replicationControllerSchemas,
  replicationControllerValidators,
} from './replicationcontroller.js';
import { secretDefaulters, secretKind, secretSchemas, secretValidators } from './secret.js';
import { serviceDefaulters, serviceKind, serviceSchemas, serviceValidators } from './service.js';
import { serviceAccountKind, serviceAccountSchemas } from './serviceaccount.js';
// The pod module leaves the volume sources pods share with PersistentVolumes to this module (see pod-volume-schemas.ts).
import { podSharedVolumeSourceSchemas } from './pod-volume-schemas.js';
import { persistentVolumeClaimKind, persistentVolumeKind, storageSchemas, storageValidators } from './storage.js';

/** Merges per-file maps, refusing a component defined twice (a copy-paste slip would silently drop one). */
function merge<T>(parts: Record<string, T>[]): Record<string, T> {
  const out: Record<string, T> = {};
  for (const part of parts)
    for (const [name, value] of Object.entries(part)) {
      if (name in out) throw new Error(`core/v1: ${name} defined twice`);
      out[name] = value;
    }
  return out;
}

export const coreModule: SchemaModule = {
  schemas: merge<Schema>([
    namespaceSchemas,
    nodeSchemas,
    serviceSchemas,
    endpointsSchemas,
    configMapSchemas,
    secretSchemas,
    serviceAccountSchemas,
    eventSchemas,
    storageSchemas,
    podSharedVolumeSourceSchemas,
    replicationControllerSchemas,
    quotaSchemas,
  ]),
  defaulters: merge<Defaulter>([namespaceDefaulters, serviceDefaulters, secretDefaulters, replicationControllerDefaulters, quotaDefaulters]),
  validators: merge<Validator>([
    namespaceValidators,
    nodeValidators,
    serviceValidators,
    endpointsValidators,
    configMapValidators,
    secretValidators,
    eventValidators,
    storageValidators,
    replicationControllerValidators,
    quotaValidators,
  ]),
};

export const coreKinds: KindDefinition[] = [
  namespaceKind,
  nodeKind,
  serviceKind,
  endpointsKind,
  configMapKind,
  secretKind,
  serviceAccountKind,
  eventKind,
  persistentVolumeKind,
  persistentVolumeClaimKind,
  replicationControllerKind,
  resourceQuotaKind,
  limitRangeKind,
];
