// Storage: persistent volumes and claims, storage classes, CSI objects, volume attachments.
import type { JsonObject } from '@k8ts/api-machinery';
import { get, isSet, objs, optBool, optStr, str, strMap, strs } from '../access.js';
import { quantityString } from '../quantity.js';
import { AGE_COLUMN, NAME_COLUMN, age, col, name, wide, type Printer } from '../types.js';

/** Pre-GA annotation that takes precedence over spec.storageClassName. */
const BETA_STORAGE_CLASS_ANNOTATION = 'volume.beta.kubernetes.io/storage-class';
const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
const BETA_DEFAULT_CLASS_ANNOTATION = 'storageclass.beta.kubernetes.io/is-default-class';

/** "RWO,ROX,RWX,RWOP" in that fixed order, duplicates dropped. */
export function accessModes(modes: string[]): string {
  const abbrev: [string, string][] = [
    ['ReadWriteOnce', 'RWO'],
    ['ReadOnlyMany', 'ROX'],
    ['ReadWriteMany', 'RWX'],
    ['ReadWriteOncePod', 'RWOP'],
  ];
  return abbrev
    .filter(([m]) => modes.includes(m))
    .map(([, a]) => a)
    .join(',');
}

function storageClassOf(o: JsonObject, specClass: string | undefined): string {
  const annotations = strMap(o, 'metadata', 'annotations');
  if (Object.hasOwn(annotations, BETA_STORAGE_CLASS_ANNOTATION)) return annotations[BETA_STORAGE_CLASS_ANNOTATION] ?? '';
  return specClass ?? '';
}

const terminatingOr = (o: JsonObject, phase: string): string => (isSet(o, 'metadata', 'deletionTimestamp') ? 'Terminating' : phase);

export const persistentVolumePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Capacity', 'string', 'Storage capacity of the volume.'),
    col('Access Modes', 'string', 'Ways the volume can be mounted (RWO, ROX, RWX, RWOP).'),
    col('Reclaim Policy', 'string', 'What happens to the volume once its claim is released.'),
    col('Status', 'string', 'Lifecycle phase of the volume.'),
    col('Claim', 'string', 'The claim bound to the volume, as namespace/name.'),
    col('StorageClass', 'string', 'Storage class of the volume.'),
    col('VolumeAttributesClass', 'string', 'Volume attributes class of the volume.'),
    col('Reason', 'string', 'Why the volume is in its current phase, if stated.'),
    AGE_COLUMN,
    wide('VolumeMode', 'string', 'Filesystem or Block.'),
  ],
  cells(o, now) {
    const claimRef = get(o, 'spec', 'claimRef');
    const claim = claimRef === undefined || claimRef === null ? '' : `${str(claimRef, 'namespace')}/${str(claimRef, 'name')}`;
    return [
      name(o),
      quantityString(get(o, 'spec', 'capacity', 'storage')),
      accessModes(strs(o, 'spec', 'accessModes')),
      optStr(o, 'spec', 'persistentVolumeReclaimPolicy') ?? 'Retain',
      terminatingOr(o, optStr(o, 'status', 'phase') ?? 'Pending'),
      claim,
      storageClassOf(o, str(o, 'spec', 'storageClassName')),
      optStr(o, 'spec', 'volumeAttributesClassName') ?? '<unset>',
      str(o, 'status', 'reason'),
      age(o, now),
      optStr(o, 'spec', 'volumeMode') ?? 'Filesystem',
    ];
  },
};

export const persistentVolumeClaimPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Status', 'string', 'Lifecycle phase of the claim.'),
    col('Volume', 'string', 'The volume bound to the claim.'),
    col('Capacity', 'string', 'Capacity of the bound volume.'),
    col('Access Modes', 'string', 'Access modes of the bound volume.'),
    col('StorageClass', 'string', 'Storage class requested by the claim.'),
    col('VolumeAttributesClass', 'string', 'Volume attributes class requested by the claim.'),
    AGE_COLUMN,
    wide('VolumeMode', 'string', 'Filesystem or Block.'),
  ],
  cells(o, now) {
    const volume = str(o, 'spec', 'volumeName');
    // Capacity and modes describe the bound volume, so they stay blank until binding.
    const bound = volume !== '';
    return [
      name(o),
      terminatingOr(o, optStr(o, 'status', 'phase') ?? 'Pending'),
      volume,
      bound ? quantityString(get(o, 'status', 'capacity', 'storage')) : '',
      bound ? accessModes(strs(o, 'status', 'accessModes')) : '',
      storageClassOf(o, optStr(o, 'spec', 'storageClassName')),
      optStr(o, 'spec', 'volumeAttributesClassName') ?? '<unset>',
      age(o, now),
      optStr(o, 'spec', 'volumeMode') ?? 'Filesystem',
    ];
  },
};

export const storageClassPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Provisioner', 'string', 'The volume plugin or CSI driver that provisions volumes.'),
    col('ReclaimPolicy', 'string', 'Reclaim policy given to provisioned volumes.'),
    col('VolumeBindingMode', 'string', 'When volumes are bound and provisioned.'),
    col('AllowVolumeExpansion', 'string', 'Whether claims of this class may be resized.'),
    AGE_COLUMN,
  ],
  cells(o, now) {
    const annotations = strMap(o, 'metadata', 'annotations');
    const isDefault = annotations[DEFAULT_CLASS_ANNOTATION] === 'true' || annotations[BETA_DEFAULT_CLASS_ANNOTATION] === 'true';
    return [
      isDefault ? `${name(o)} (default)` : name(o),
      str(o, 'provisioner'),
      optStr(o, 'reclaimPolicy') ?? 'Delete',
      optStr(o, 'volumeBindingMode') ?? 'Immediate',
      optBool(o, 'allowVolumeExpansion') ?? false,
      age(o, now),
    ];
  },
};

export const volumeAttributesClassPrinter: Printer = {
  columns: [NAME_COLUMN, col('DriverName', 'string', 'CSI driver that applies these attributes.'), AGE_COLUMN],
  cells(o, now) {
    return [name(o), str(o, 'driverName'), age(o, now)];
  },
};

export const csiDriverPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('AttachRequired', 'boolean', 'Whether volumes need an attach step.'),
    col('PodInfoOnMount', 'boolean', 'Whether pod details are passed on mount.'),
    col('StorageCapacity', 'boolean', 'Whether the driver reports storage capacity.'),
    col('TokenRequests', 'string', 'Audiences of service account tokens passed to the driver.'),
    col('RequiresRepublish', 'boolean', 'Whether volumes are periodically re-published.'),
    col('Modes', 'string', 'Volume lifecycle modes the driver supports.'),
    AGE_COLUMN,
  ],
  cells(o, now) {
    const tokenRequests = get(o, 'spec', 'tokenRequests');
    const modes = get(o, 'spec', 'volumeLifecycleModes') === undefined ? ['Persistent'] : strs(o, 'spec', 'volumeLifecycleModes');
    return [
      name(o),
      optBool(o, 'spec', 'attachRequired') ?? true,
      optBool(o, 'spec', 'podInfoOnMount') ?? false,
      optBool(o, 'spec', 'storageCapacity') ?? false,
      Array.isArray(tokenRequests) ? objs(o, 'spec', 'tokenRequests').map((t) => str(t, 'audience')).join(',') : '<unset>',
      optBool(o, 'spec', 'requiresRepublish') ?? false,
      modes.length ? modes.join(',') : '<none>',
      age(o, now),
    ];
  },
};

export const csiNodePrinter: Printer = {
  columns: [NAME_COLUMN, col('Drivers', 'integer', 'Number of CSI drivers registered on the node.'), AGE_COLUMN],
  cells(o, now) {
    return [name(o), objs(o, 'spec', 'drivers').length, age(o, now)];
  },
};

export const csiStorageCapacityPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('StorageClassName', 'string', 'Storage class the capacity applies to.'),
    col('Capacity', 'string', 'Available capacity reported by the driver.'),
  ],
  cells(o) {
    const cap = get(o, 'capacity');
    return [name(o), str(o, 'storageClassName'), cap === undefined || cap === null ? '<unset>' : quantityString(cap)];
  },
};

export const volumeAttachmentPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Attacher', 'string', 'The driver that attaches the volume.', { format: 'name' }),
    col('PV', 'string', 'The persistent volume being attached.'),
    col('Node', 'string', 'The node the volume is attached to.'),
    col('Attached', 'boolean', 'Whether the attach operation has completed.'),
    AGE_COLUMN,
  ],
  cells(o, now) {
    return [
      name(o),
      str(o, 'spec', 'attacher'),
      str(o, 'spec', 'source', 'persistentVolumeName'),
      str(o, 'spec', 'nodeName'),
      optBool(o, 'status', 'attached') ?? false,
      age(o, now),
    ];
  },
};

