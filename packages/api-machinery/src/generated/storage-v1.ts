// Generated from the k8ts schemas by src/codegen/typescript.ts — do not edit; run `pnpm gen:types`.
// storage.k8s.io/v1 (io.k8s.api.storage.v1): types of the objects as the API serves them.
import type { TopologySelectorTerm } from './core-v1.js';
import type { ListMeta, ObjectMeta } from './meta-v1.js';

/** A class of storage: the provisioner and parameters used to create PersistentVolumes on demand. */
export interface StorageClass {
  /** Versioned schema of this object; the server converts recognized values. */
  apiVersion?: string;
  /** Kind of this object, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** Name of the volume plugin or CSI driver that provisions the volumes; cannot change. */
  provisioner: string;
  /** Settings passed to the provisioner; cannot change. */
  parameters?: Record<string, string>;
  /** What happens to provisioned volumes when their claim is released. */
  reclaimPolicy?: 'Delete' | 'Retain';
  /** Mount options of the provisioned volumes, e.g. ro or soft; not validated. */
  mountOptions?: string[];
  /** Whether claims of this class may be resized. */
  allowVolumeExpansion?: boolean;
  /** Immediate binds and provisions at once; WaitForFirstConsumer waits until a pod uses the claim. */
  volumeBindingMode?: 'Immediate' | 'WaitForFirstConsumer';
  /** Topologies (e.g. zones) volumes may be provisioned in; empty means anywhere. */
  allowedTopologies?: TopologySelectorTerm[];
}

/** A list of StorageClass objects. */
export interface StorageClassList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The StorageClass objects. */
  items: StorageClass[];
}
