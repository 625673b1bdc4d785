// core/v1 PersistentVolume and PersistentVolumeClaim: cluster storage and the namespaced requests that bind to it.
import { posix } from 'node:path';
import { isJsonObject, jsonEqual, type JsonObject, type JsonValue } from '../../json.js';
import type { KindDefinition, Validator } from '../../schema/module.js';
import { s, type Schema } from '../../schema/schema.js';
import { child, fieldErrors, key, type FieldError } from '../../validation/field-error.js';
import {
  compareQuantities,
  invalidEach,
  isDNS1123Label,
  isDNS1123Subdomain,
  parseQ,
  validatePositiveQuantity,
  validateResourceQuantityValue,
} from './checks.js';
import { numAt, objAt, strAt, strItems, strMapAt } from './json-access.js';
import { core, kindSchema, resourceList } from './kind-schema.js';
import { OBJECT_META, LABEL_SELECTOR } from '../meta-v1/schemas.js';

const PV = core('PersistentVolume');
const PV_SPEC = core('PersistentVolumeSpec');
const PVC = core('PersistentVolumeClaim');
const PVC_SPEC = core('PersistentVolumeClaimSpec');
const PVC_TEMPLATE = core('PersistentVolumeClaimTemplate');
const SECRET_REF = core('SecretReference');
const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];

const accessModes = (description: string): Schema =>
  s.array(s.string(), `${description} Values: ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod.`, { listType: 'atomic' });
const secretRef = (description: string): Schema => s.ref(SECRET_REF, description);
const fsType = s.string('Filesystem type to mount, e.g. ext4 or xfs.');
const readOnly = s.boolean('Mount the volume read-only.');

/** The volume sources a PersistentVolume may use (PersistentVolumeSource, inlined into the spec). */
const pvSources: Record<string, Schema> = {
  gcePersistentDisk: s.ref(core('GCEPersistentDiskVolumeSource'), 'Deprecated: a GCE persistent disk.'),
  awsElasticBlockStore: s.ref(core('AWSElasticBlockStoreVolumeSource'), 'Deprecated: an AWS EBS volume.'),
  hostPath: s.ref(core('HostPathVolumeSource'), 'A directory on the host; for single-node development and testing only.'),
  glusterfs: s.ref(core('GlusterfsPersistentVolumeSource'), 'Deprecated: a Glusterfs volume.'),
  nfs: s.ref(core('NFSVolumeSource'), 'An NFS export.'),
  rbd: s.ref(core('RBDPersistentVolumeSource'), 'Deprecated: a Rados block device.'),
  iscsi: s.ref(core('ISCSIPersistentVolumeSource'), 'An iSCSI disk.'),
  cinder: s.ref(core('CinderPersistentVolumeSource'), 'Deprecated: an OpenStack Cinder volume.'),
  cephfs: s.ref(core('CephFSPersistentVolumeSource'), 'Deprecated: a CephFS mount.'),
  fc: s.ref(core('FCVolumeSource'), 'A Fibre Channel disk.'),
  flocker: s.ref(core('FlockerVolumeSource'), 'Deprecated: a Flocker dataset.'),
  flexVolume: s.ref(core('FlexPersistentVolumeSource'), 'Deprecated: a volume handled by an exec-based plugin.'),
  azureFile: s.ref(core('AzureFilePersistentVolumeSource'), 'Deprecated: an Azure File share.'),
  vsphereVolume: s.ref(core('VsphereVirtualDiskVolumeSource'), 'Deprecated: a vSphere virtual disk.'),
  quobyte: s.ref(core('QuobyteVolumeSource'), 'Deprecated: a Quobyte volume.'),
  azureDisk: s.ref(core('AzureDiskVolumeSource'), 'Deprecated: an Azure data disk.'),
  photonPersistentDisk: s.ref(core('PhotonPersistentDiskVolumeSource'), 'Deprecated: a Photon Controller disk.'),
  portworxVolume: s.ref(core('PortworxVolumeSource'), 'Deprecated: a Portworx volume.'),
  scaleIO: s.ref(core('ScaleIOPersistentVolumeSource'), 'Deprecated: a ScaleIO volume.'),
  local: s.ref(core('LocalVolumeSource'), 'A disk, partition or directory attached to one node; requires nodeAffinity.'),
  storageos: s.ref(core('StorageOSPersistentVolumeSource'), 'Deprecated: a StorageOS volume.'),
  csi: s.ref(core('CSIPersistentVolumeSource'), 'A volume handled by an external CSI driver.'),
};
/** Source keys in the order Kubernetes checks them, with the path segment it reports for "more than 1 volume type". */
const PV_SOURCE_ORDER: [string, string][] = [
  ['hostPath', 'hostPath'], ['gcePersistentDisk', 'gcePersistentDisk'], ['awsElasticBlockStore', 'awsElasticBlockStore'],
  ['glusterfs', 'glusterfs'], ['flocker', 'flocker'], ['nfs', 'nfs'], ['rbd', 'rbd'], ['quobyte', 'quobyte'], ['cephfs', 'cephFS'],
  ['iscsi', 'iscsi'], ['cinder', 'cinder'], ['fc', 'fc'], ['flexVolume', ''], ['azureFile', 'azureFile'], ['vsphereVolume', 'vsphereVolume'],
  ['photonPersistentDisk', 'photonPersistentDisk'], ['portworxVolume', 'portworxVolume'], ['azureDisk', 'azureDisk'], ['scaleIO', 'scaleIO'],
  ['local', 'local'], ['storageos', 'storageos'], ['csi', 'csi'],
];

export const storageSchemas: Record<string, Schema> = {
  [PV]: kindSchema({ group: '', version: 'v1', kind: 'PersistentVolume' }, 'A piece of storage in the cluster, provisioned by an administrator or a storage class.', {
    spec: s.ref(PV_SPEC, 'The storage offered and how it may be used.', { default: {} }),
    status: s.ref(core('PersistentVolumeStatus'), 'Current phase of the volume.'),
  }),
  [PV_SPEC]: s.object(
    {
      capacity: resourceList('Size of the volume; only the storage resource is allowed.'),
      ...pvSources,
      accessModes: accessModes('Ways the volume can be mounted.'),
      claimRef: s.ref(core('ObjectReference'), 'The claim bound to this volume (set when bound, or to pre-bind it).'),
      persistentVolumeReclaimPolicy: s.enumOf(['Delete', 'Recycle', 'Retain'], 'What happens to the volume once its claim is released.', {
        default: 'Retain',
      }),
      storageClassName: s.string('StorageClass the volume belongs to; empty for none.'),
      mountOptions: s.array(s.string(), 'Mount options, passed through unchecked.', { listType: 'atomic' }),
      volumeMode: s.enumOf(VOLUME_MODES, 'Whether the volume is formatted with a filesystem or used as a raw block device.', {
        default: 'Filesystem',
      }),
      nodeAffinity: s.ref(core('VolumeNodeAffinity'), 'Nodes the volume can be reached from; influences scheduling of pods using it.'),
      volumeAttributesClassName: s.string('VolumeAttributesClass the volume belongs to; the CSI driver may change it after a modification.'),
    },
    'Specification of a persistent volume.',
  ),
  [core('VolumeNodeAffinity')]: s.object(
    { required: s.ref(core('NodeSelector'), 'Hard node constraints that must be met.') },
    'Nodes a volume can be accessed from.',
  ),
  [core('PersistentVolumeStatus')]: s.object(
    {
      phase: s.enumOf(['Available', 'Bound', 'Failed', 'Pending', 'Released'], 'Lifecycle phase of the volume.'),
      message: s.string('Human-readable explanation of the phase.'),
      reason: s.string('Machine-readable CamelCase reason for a failure.'),
      lastPhaseTransitionTime: s.time('When the volume last changed phase.'),
    },
    'Observed state of a persistent volume.',
  ),
  [PVC]: kindSchema({ group: '', version: 'v1', kind: 'PersistentVolumeClaim' }, "A user's request for storage, bound to one persistent volume.", {
    spec: s.ref(PVC_SPEC, 'The storage requested.', { default: {} }),
    status: s.ref(core('PersistentVolumeClaimStatus'), 'Current state of the claim.'),
  }),
  [PVC_SPEC]: s.object(
    {
      accessModes: accessModes('Access modes the volume must support.'),
      selector: s.ref(LABEL_SELECTOR, 'Labels a pre-provisioned volume must match to be bound.'),
      resources: s.ref(core('VolumeResourceRequirements'), 'Minimum resources the volume must have; requests.storage may grow for bound claims.'),
      volumeName: s.string('Name of the bound volume (set by the binder, or to pre-bind).'),
      storageClassName: s.string('StorageClass to provision from; empty string means no class.'),
      volumeMode: s.enumOf(VOLUME_MODES, 'Whether the volume is formatted with a filesystem or used as a raw block device.', {
        default: 'Filesystem',
      }),
      dataSource: s.ref(core('TypedLocalObjectReference'), 'Existing snapshot or claim to populate the new volume from.'),
      dataSourceRef: s.ref(core('TypedObjectReference'), 'Any object (possibly in another namespace) to populate the new volume from.'),
      volumeAttributesClassName: s.string('VolumeAttributesClass to apply to the volume; once set it can change but not be removed.'),
    },
    'What a claim asks for.',
  ),
  [core('TypedObjectReference')]: s.object(
    {
      apiGroup: s.string('API group of the referenced object; empty for the core group.'),
      kind: s.string('Kind of the referenced object.'),
      name: s.string('Name of the referenced object.'),
      namespace: s.string('Namespace of the referenced object, when it differs from the claim (needs a ReferenceGrant).'),
    },
    'A reference to an object of any kind, possibly in another namespace.',
  ),
  [core('VolumeResourceRequirements')]: s.object(
    {
      limits: resourceList('Maximum resources allowed.'),
      requests: resourceList('Minimum resources required; storage is mandatory for claims.'),
    },
    'Storage resources requested by a claim.',
  ),
  [core('PersistentVolumeClaimStatus')]: s.object(
    {
      phase: s.enumOf(['Bound', 'Lost', 'Pending'], 'Lifecycle phase of the claim.'),
      accessModes: accessModes('Access modes of the bound volume.'),
      capacity: resourceList('Actual resources of the bound volume.'),
      conditions: s.array(s.ref(core('PersistentVolumeClaimCondition')), 'Current conditions, e.g. Resizing.', {
        mergeKey: 'type',
        strategy: 'merge',
        listType: 'map',
        listMapKeys: ['type'],
      }),
      allocatedResources: resourceList('Resources allocated to the claim, possibly above its capacity during expansion.'),
      allocatedResourceStatuses: s.map(
        s.enumOf(['ControllerResizeInProgress', 'ControllerResizeInfeasible', 'NodeResizeInProgress', 'NodeResizeInfeasible', 'NodeResizePending']),
        'Progress of a resize, per resource.',
      ),
      currentVolumeAttributesClassName: s.string('VolumeAttributesClass currently applied to the volume.'),
      modifyVolumeStatus: s.ref(core('ModifyVolumeStatus'), 'State of an ongoing volume modification, if any.'),
    },
    'Observed state of a claim.',
  ),
  [core('PersistentVolumeClaimCondition')]: s.object(
    {
      type: s.string('Condition type, e.g. Resizing or FileSystemResizePending.'),
      status: s.string('Whether the condition holds: True, False or Unknown.'),
      lastProbeTime: s.time('When the condition was last probed.'),
      lastTransitionTime: s.time('When the condition last changed status.'),
      reason: s.string('Machine-readable CamelCase reason for the last transition.'),
      message: s.string('Human-readable details about the last transition.'),
    },
    'One observation about a claim.',
  ),
  [core('ModifyVolumeStatus')]: s.object(
    {
      targetVolumeAttributesClassName: s.string('VolumeAttributesClass being applied.'),
      status: s.enumOf(['InProgress', 'Infeasible', 'Pending'], 'State of the modification.'),
    },
    'State of a volume modification.',
  ),
  [PVC_TEMPLATE]: s.object(
    {
      metadata: s.ref(OBJECT_META, 'Labels and annotations copied to the created claim; other fields may not be set.'),
      spec: s.ref(PVC_SPEC, 'Specification of the created claim.', { default: {} }),
    },
    'Template of a claim created for an ephemeral volume (and owned by its pod).',
  ),
  [SECRET_REF]: s.object(
    {
      name: s.string('Name of the secret.'),
      namespace: s.string('Namespace of the secret.'),
    },
    'A reference to a secret in any namespace.',
    { mapType: 'atomic' },
  ),
  [core('LocalVolumeSource')]: s.object(
    {
      path: s.string('Full path of the volume on the node: a directory, or a block device.'),
      fsType: s.string('Filesystem type, for block devices that must be formatted; detected when empty.'),
    },
    'A local disk, partition or directory on one node.',
    { required: ['path'] },
  ),
  [core('CSIPersistentVolumeSource')]: s.object(
    {
      driver: s.string('Name of the CSI driver.', { maxLength: 63 }),
      volumeHandle: s.string('Driver-chosen unique identifier of the volume.'),
      readOnly,
      fsType,
      volumeAttributes: s.map(s.string(), 'Driver-specific attributes of the volume.'),
      controllerPublishSecretRef: secretRef('Secret passed to ControllerPublishVolume/ControllerUnpublishVolume.'),
      nodeStageSecretRef: secretRef('Secret passed to NodeStageVolume/NodeUnstageVolume.'),
      nodePublishSecretRef: secretRef('Secret passed to NodePublishVolume/NodeUnpublishVolume.'),
      controllerExpandSecretRef: secretRef('Secret passed to ControllerExpandVolume.'),
      nodeExpandSecretRef: secretRef('Secret passed to NodeExpandVolume.'),
    },
    'A persistent volume handled by an external CSI driver.',
    { required: ['driver', 'volumeHandle'] },
  ),
  [core('GlusterfsPersistentVolumeSource')]: s.object(
    {
      endpoints: s.string('Endpoints object describing the Glusterfs cluster.'),
      path: s.string('Glusterfs volume path.'),
      readOnly,
      endpointsNamespace: s.string('Namespace of the endpoints object; defaults to the claim namespace.'),
    },
    'Deprecated: a Glusterfs persistent volume.',
    { required: ['endpoints', 'path'] },
  ),
  [core('RBDPersistentVolumeSource')]: s.object(
    {
      monitors: s.array(s.string(), 'Ceph monitors.', { listType: 'atomic' }),
      image: s.string('Rados image name.'),
      fsType,
      pool: s.string('Rados pool.', { default: 'rbd' }),
      user: s.string('Rados user.', { default: 'admin' }),
      keyring: s.string('Keyring path for the user.', { default: '/etc/ceph/keyring' }),
      secretRef: secretRef('Secret with the authentication key, overriding keyring.'),
      readOnly,
    },
    'Deprecated: a Rados block device persistent volume.',
    { required: ['monitors', 'image'] },
  ),
  [core('ISCSIPersistentVolumeSource')]: s.object(
    {
      targetPortal: s.string('iSCSI target portal, IP or host with optional port.'),
      iqn: s.string('iSCSI qualified name of the target.'),
      lun: s.int32('Target LUN number, 0..255.'),
      iscsiInterface: s.string('iSCSI interface name.', { default: 'default' }),
      fsType,
      readOnly,
      portals: s.array(s.string(), 'Additional target portals.', { listType: 'atomic' }),
      chapAuthDiscovery: s.boolean('Use CHAP authentication for discovery.'),
      chapAuthSession: s.boolean('Use CHAP authentication for the session.'),
      secretRef: secretRef('Secret with the CHAP credentials.'),
      initiatorName: s.string('Custom iSCSI initiator name.'),
    },
    'An iSCSI persistent volume.',
    { required: ['targetPortal', 'iqn'] },
  ),
  [core('CinderPersistentVolumeSource')]: s.object(
    {
      volumeID: s.string('Cinder volume id.'),
      fsType,
      readOnly,
      secretRef: secretRef('Secret with parameters to connect to OpenStack.'),
    },
    'Deprecated: an OpenStack Cinder persistent volume.',
    { required: ['volumeID'] },
  ),
  [core('CephFSPersistentVolumeSource')]: s.object(
    {
      monitors: s.array(s.string(), 'Ceph monitors.', { listType: 'atomic' }),
      path: s.string('Path within the Ceph filesystem to mount; defaults to /.'),
      user: s.string('Rados user; defaults to admin.'),
      secretFile: s.string('Path of the keyring for the user; defaults to /etc/ceph/user.secret.'),
      secretRef: secretRef('Secret with the authentication key, overriding secretFile.'),
      readOnly,
    },
    'Deprecated: a CephFS persistent volume.',
    { required: ['monitors'] },
  ),
  [core('FlexPersistentVolumeSource')]: s.object(
    {
      driver: s.string('Name of the driver.'),
      fsType,
      secretRef: secretRef('Secret passed to the plugin scripts.'),
      readOnly,
      options: s.map(s.string(), 'Extra options for the driver.'),
    },
    'Deprecated: a persistent volume handled by an exec-based plugin.',
    { required: ['driver'] },
  ),
  [core('AzureFilePersistentVolumeSource')]: s.object(
    {
      secretName: s.string('Secret with the storage account name and key.'),
      shareName: s.string('Azure share name.'),
      readOnly,
      secretNamespace: s.string('Namespace of the secret; defaults to the pod namespace.'),
    },
    'Deprecated: an Azure File persistent volume.',
    { required: ['secretName', 'shareName'] },
  ),
  [core('ScaleIOPersistentVolumeSource')]: s.object(
    {
      gateway: s.string('Address of the ScaleIO API gateway.'),
      system: s.string('Name of the ScaleIO storage system.'),
      secretRef: secretRef('Secret with the ScaleIO user credentials.'),
      sslEnabled: s.boolean('Use SSL to talk to the gateway.'),
      protectionDomain: s.string('ScaleIO protection domain of the storage.'),
      storagePool: s.string('ScaleIO storage pool of the protection domain.'),
      storageMode: s.string('ThickProvisioned or ThinProvisioned.', { default: 'ThinProvisioned' }),
      volumeName: s.string('Name of an existing ScaleIO volume.'),
      fsType: s.string('Filesystem type to mount.', { default: 'xfs' }),
      readOnly,
    },
    'Deprecated: a ScaleIO persistent volume.',
    { required: ['gateway', 'system', 'volumeName'] },
  ),
  [core('StorageOSPersistentVolumeSource')]: s.object(
    {
      volumeName: s.string('StorageOS volume name, unique within a namespace.'),
      volumeNamespace: s.string('StorageOS namespace of the volume; defaults to the pod namespace.'),
      fsType,
      readOnly,
      secretRef: s.ref(core('ObjectReference'), 'Secret with the StorageOS API credentials.'),
    },
    'Deprecated: a StorageOS persistent volume.',
    { required: ['volumeName'] },
  ),
};

// ---- PersistentVolume validation ----

const volumeSourceKeys = (spec: JsonObject | undefined): string[] => PV_SOURCE_ORDER.filter(([k]) => isJsonObject(spec?.[k])).map(([k]) => k);

function validateAccessModes(spec: JsonObject | undefined, field: string, requiredDetail: string | undefined): FieldError[] {
  const modes = strItems(spec, 'accessModes').map(([, m]) => m);
  const errs: FieldError[] = [];
  if (!modes.length) errs.push(fieldErrors.required(field, requiredDetail));
  let rwop = false;
  let other = false;
  for (const m of modes) {
    if (!ACCESS_MODES.includes(m)) errs.push(fieldErrors.notSupported(field, m, ACCESS_MODES));
    if (m === 'ReadWriteOncePod') rwop = true;
    else if (ACCESS_MODES.includes(m)) other = true;
  }
  if (rwop && other) errs.push(fieldErrors.forbidden(field, 'may not use ReadWriteOncePod with other access modes'));
  return errs;
}

function validateClassName(value: string, field: string): FieldError[] {
  return invalidEach(field, value, isDNS1123Subdomain(value));
}

function validatePVSpec(spec: JsonObject | undefined, specPath: string): FieldError[] {
  const errs = validateAccessModes(spec, child(specPath, 'accessModes'), undefined);
  const capacity = strMapAt(spec, 'capacity') ?? {};
  const capPath = child(specPath, 'capacity');
  if (!Object.keys(capacity).length) errs.push(fieldErrors.required(capPath));
  if (!('storage' in capacity) || Object.keys(capacity).length > 1) errs.push(fieldErrors.notSupported(capPath, capacity, ['storage']));
  for (const [r, q] of Object.entries(capacity)) {
    const value = parseQ(q)?.value();
    if (value !== undefined && value < 0n) errs.push(fieldErrors.invalid(key(capPath, r), Number(value), 'must be a valid resource quantity'));
    errs.push(...validatePositiveQuantity(q, key(capPath, r)));
  }
  const affinity = objAt(spec, 'nodeAffinity');
  if (affinity && !isJsonObject(affinity.required))
    errs.push(fieldErrors.required(child(specPath, 'nodeAffinity.required'), 'must specify required node constraints'));

  const sources = volumeSourceKeys(spec);
  let count = 0;
  for (const [k, reported] of PV_SOURCE_ORDER) {
    if (!sources.includes(k)) continue;
    // flexVolume is counted without the "only one" check, exactly as Kubernetes does.
    if (count > 0 && reported) {
      errs.push(fieldErrors.forbidden(child(specPath, reported), 'may not specify more than 1 volume type'));
      continue;
    }
    count++;
    if (k === 'local' && !affinity) errs.push(fieldErrors.required(child(specPath, 'nodeAffinity'), 'Local volume requires node affinity'));
  }
  if (count === 0) errs.push(fieldErrors.required(specPath, 'must specify a volume type'));

  const hostPath = strAt(objAt(spec, 'hostPath'), 'path');
  if (hostPath !== undefined && posix.normalize(hostPath) === '/' && strAt(spec, 'persistentVolumeReclaimPolicy') === 'Recycle')
    errs.push(fieldErrors.forbidden(child(specPath, 'persistentVolumeReclaimPolicy'), "may not be 'recycle' for a hostPath mount of '/'"));
  const className = strAt(spec, 'storageClassName');
  if (className) errs.push(...validateClassName(className, child(specPath, 'storageClassName')));
  const vac = strAt(spec, 'volumeAttributesClassName');
  if (vac !== undefined) {
    const p = child(specPath, 'volumeAttributesClassName');
    if (!vac) errs.push(fieldErrors.required(p, 'an empty string is disallowed'));
    else errs.push(...validateClassName(vac, p));
    if (!isJsonObject(spec?.csi)) errs.push(fieldErrors.required(child(specPath, 'csi'), 'has to be specified when using volumeAttributesClassName'));
  }
  return errs;
}

/** Node selector keys that may move from their beta name to the GA one on an existing volume. */
const BETA_TO_GA: Record<string, string> = {
  'failure-domain.beta.kubernetes.io/zone': 'topology.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region': 'topology.kubernetes.io/region',
  'beta.kubernetes.io/os': 'kubernetes.io/os',
  'beta.kubernetes.io/arch': 'kubernetes.io/arch',
  'beta.kubernetes.io/instance-type': 'node.kubernetes.io/instance-type',
};

/** The old affinity with beta keys renamed to GA wherever the new one did so, for an equality check. */
function migrateAffinityKeys(oldV: JsonValue | undefined, newV: JsonValue | undefined): JsonValue | undefined {
  if (Array.isArray(oldV)) return oldV.map((o, i) => migrateAffinityKeys(o, Array.isArray(newV) ? newV[i] : undefined) ?? null);
  if (!isJsonObject(oldV)) return oldV;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(oldV)) out[k] = migrateAffinityKeys(v, isJsonObject(newV) ? newV[k] : undefined) ?? null;
  const oldKey = strAt(oldV, 'key');
  if (oldKey !== undefined && 'operator' in oldV && isJsonObject(newV) && BETA_TO_GA[oldKey] === newV.key) out.key = newV.key;
  return out;
}

function validatePVUpdate(pv: JsonObject, old: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const spec = objAt(pv, 'spec') ?? {};
  const oldSpec = objAt(old, 'spec') ?? {};
  const pick = (sp: JsonObject, allowExpandSecret: boolean): JsonObject => {
    const out: JsonObject = {};
    for (const [k] of PV_SOURCE_ORDER) if (sp[k] !== undefined) out[k] = sp[k];
    const csi = objAt(out, 'csi');
    // A controller expand secret may be added to a CSI volume that had none.
    if (allowExpandSecret && csi) out.csi = Object.fromEntries(Object.entries(csi).filter(([k]) => k !== 'controllerExpandSecretRef'));
    return out;
  };
  const addsExpandSecret = !isJsonObject(objAt(oldSpec, 'csi')?.controllerExpandSecretRef) && isJsonObject(objAt(spec, 'csi')?.controllerExpandSecretRef);
  if (!jsonEqual(pick(spec, addsExpandSecret), pick(oldSpec, false)))
    errs.push(fieldErrors.forbidden(child(child(path, 'spec'), 'persistentvolumesource'), 'spec.persistentvolumesource is immutable after creation'));
  // Kubernetes reports these two without the spec prefix.
  if (strAt(spec, 'volumeMode') !== strAt(oldSpec, 'volumeMode'))
    errs.push(fieldErrors.invalid('volumeMode', strAt(spec, 'volumeMode') ?? null, 'field is immutable'));
  const oldAffinity = oldSpec.nodeAffinity;
  if (oldAffinity !== undefined && !jsonEqual(spec.nodeAffinity, migrateAffinityKeys(oldAffinity, spec.nodeAffinity)))
    errs.push(fieldErrors.invalid('nodeAffinity', spec.nodeAffinity ?? null, 'field is immutable, except for updating from beta label to GA'));
  if (strAt(oldSpec, 'volumeAttributesClassName') !== undefined && strAt(spec, 'volumeAttributesClassName') === undefined)
    errs.push(fieldErrors.forbidden(child(child(path, 'spec'), 'volumeAttributesClassName'), 'update from non-nil value to nil is forbidden'));
  return errs;
}

// ---- PersistentVolumeClaim validation ----

function validateDataSource(ref: JsonObject, field: string, withNamespace: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const name = strAt(ref, 'name') ?? '';
  const kind = strAt(ref, 'kind') ?? '';
  const group = strAt(ref, 'apiGroup') ?? '';
  if (!name) errs.push(fieldErrors.required(child(field, 'name')));
  if (!kind) errs.push(fieldErrors.required(child(field, 'kind')));
  if (!group && kind !== 'PersistentVolumeClaim') errs.push(fieldErrors.invalid(field, kind, "must be 'PersistentVolumeClaim' when referencing the default apiGroup"));
  if (group) errs.push(...invalidEach(child(field, 'apiGroup'), group, isDNS1123Subdomain(group)));
  const ns = withNamespace ? strAt(ref, 'namespace') : undefined;
  if (ns) errs.push(...invalidEach(child(field, 'namespace'), ns, isDNS1123Label(ns)));
  return errs;
}

/** ValidatePersistentVolumeClaimSpec, for claims, claim templates and StatefulSet claim templates alike. */
export function validatePVCSpec(spec: JsonObject, specPath: string): FieldError[] {
  const errs = validateAccessModes(spec, child(specPath, 'accessModes'), 'at least 1 access mode is required');
  // Kubernetes keys the storage errors on spec.resources itself (resources[storage]).
  const storagePath = key(child(specPath, 'resources'), 'storage');
  const storage = strAt(objAt(objAt(spec, 'resources'), 'requests'), 'storage');
  if (storage === undefined) errs.push(fieldErrors.required(storagePath));
  else {
    const positive = validatePositiveQuantity(storage, storagePath);
    errs.push(...(positive.length ? positive : validateResourceQuantityValue('storage', storage, storagePath)));
  }
  const className = strAt(spec, 'storageClassName');
  if (className) errs.push(...validateClassName(className, child(specPath, 'storageClassName')));
  const ds = objAt(spec, 'dataSource');
  const dsRef = objAt(spec, 'dataSourceRef');
  if (ds) errs.push(...validateDataSource(ds, child(specPath, 'dataSource'), false));
  if (dsRef) errs.push(...validateDataSource(dsRef, child(specPath, 'dataSourceRef'), true));
  if (dsRef && strAt(dsRef, 'namespace')) {
    if (ds) errs.push(fieldErrors.invalid(specPath, child(specPath, 'dataSource'), 'may not be specified when dataSourceRef.namespace is specified'));
  } else if (ds && dsRef) {
    const same = strAt(ds, 'apiGroup') === strAt(dsRef, 'apiGroup') && strAt(ds, 'kind') === strAt(dsRef, 'kind') && strAt(ds, 'name') === strAt(dsRef, 'name');
    if (!same) errs.push(fieldErrors.invalid(specPath, child(specPath, 'dataSource'), 'must match dataSourceRef'));
  }
  const vac = strAt(spec, 'volumeAttributesClassName');
  if (vac) errs.push(...validateClassName(vac, child(specPath, 'volumeAttributesClassName')));
  return errs;
}

const BETA_STORAGE_CLASS = 'volume.beta.kubernetes.io/storage-class';

function validatePVCUpdate(pvc: JsonObject, old: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const spec = objAt(pvc, 'spec') ?? {};
  const oldSpec = objAt(old, 'spec') ?? {};
  const newClone: JsonObject = structuredClone(spec);
  const oldClone: JsonObject = structuredClone(oldSpec);
  const annotations = strMapAt(objAt(pvc, 'metadata'), 'annotations') ?? {};
  const oldAnnotations = strMapAt(objAt(old, 'metadata'), 'annotations') ?? {};
  // The binder may set volumeName once.
  if (!strAt(oldSpec, 'volumeName') && spec.volumeName !== undefined) oldClone.volumeName = spec.volumeName;
  else if (!strAt(oldSpec, 'volumeName')) delete oldClone.volumeName;
  // storageClassName may move from the beta annotation to the field, or be set when it was nil.
  const newClass = strAt(spec, 'storageClassName');
  const oldClass = strAt(oldSpec, 'storageClassName');
  const oldBeta = oldAnnotations[BETA_STORAGE_CLASS];
  const newBeta = annotations[BETA_STORAGE_CLASS];
  const fromAnnotation = oldBeta !== undefined && oldClass === undefined && newClass === oldBeta && (newBeta === undefined || newBeta === oldBeta);
  if (fromAnnotation) delete newClone.storageClassName;
  else {
    // Reported as a child path (annotations.<key>), as ValidateImmutableAnnotation does.
    if (newBeta !== oldBeta) errs.push(fieldErrors.invalid(`${child(path, 'metadata.annotations')}.${BETA_STORAGE_CLASS}`, newBeta ?? '', 'field is immutable'));
    if (newClass !== undefined && oldClass === undefined && (oldBeta === undefined || newClass === oldBeta)) delete newClone.storageClassName;
  }
  // Bound claims may grow requests.storage and change their attributes class.
  const bound = strAt(objAt(pvc, 'status'), 'phase') === 'Bound';
  const oldStorage = strAt(objAt(objAt(oldSpec, 'resources'), 'requests'), 'storage');
  const newRequests = objAt(objAt(newClone, 'resources'), 'requests');
  if (bound && newRequests) {
    if (oldStorage === undefined) delete newRequests.storage;
    else newRequests.storage = oldStorage;
  }
  if (bound && newClone.volumeAttributesClassName !== undefined) {
    if (oldClone.volumeAttributesClassName === undefined) delete newClone.volumeAttributesClassName;
    else newClone.volumeAttributesClassName = oldClone.volumeAttributesClassName;
  }
  if (!jsonEqual(newClone, oldClone))
    errs.push(fieldErrors.forbidden(child(path, 'spec'), 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  // Shrinking is allowed only down to (above) the recorded capacity, to recover from a failed expansion.
  const newStorage = strAt(objAt(objAt(spec, 'resources'), 'requests'), 'storage') ?? '0';
  const statusStorage = strAt(objAt(objAt(old, 'status'), 'capacity'), 'storage') ?? '0';
  if ((compareQuantities(newStorage, oldStorage ?? '0') ?? 0) < 0 && (compareQuantities(newStorage, statusStorage) ?? 1) <= 0)
    errs.push(fieldErrors.forbidden(child(path, 'spec.resources.requests.storage'), 'field can not be less than status.capacity'));
  if (strAt(spec, 'volumeMode') !== strAt(oldSpec, 'volumeMode'))
    errs.push(fieldErrors.invalid('volumeMode', strAt(spec, 'volumeMode') ?? null, 'field is immutable'));
  const oldVac = strAt(oldSpec, 'volumeAttributesClassName');
  const newVac = strAt(spec, 'volumeAttributesClassName');
  if (oldVac !== undefined && newVac === undefined)
    errs.push(fieldErrors.forbidden(child(path, 'spec.volumeAttributesClassName'), 'update from non-nil value to nil is forbidden'));
  else if (oldVac !== undefined && oldVac !== newVac && newVac === '')
    errs.push(fieldErrors.forbidden(child(path, 'spec.volumeAttributesClassName'), 'update from non-nil value to an empty string is forbidden'));
  return errs;
}

/** Go field names (first letter lowered) of ObjectMeta fields a claim template may not set. */
const TEMPLATE_META_FORBIDDEN: Record<string, string> = {
  name: 'name', generateName: 'generateName', namespace: 'namespace', selfLink: 'selfLink', uid: 'uID',
  resourceVersion: 'resourceVersion', generation: 'generation', creationTimestamp: 'creationTimestamp',
  deletionTimestamp: 'deletionTimestamp', deletionGracePeriodSeconds: 'deletionGracePeriodSeconds',
  ownerReferences: 'ownerReferences', finalizers: 'finalizers', managedFields: 'managedFields',
};

export const storageValidators: Record<string, Validator> = {
  [PV]: (pv, path, ctx) => {
    const errs = validatePVSpec(objAt(pv, 'spec'), child(path, 'spec'));
    return ctx.operation === 'update' && isJsonObject(ctx.old) ? [...errs, ...validatePVUpdate(pv, ctx.old, path)] : errs;
  },
  [PVC_SPEC]: (spec, path) => validatePVCSpec(spec, path),
  [PVC]: (pvc, path, ctx) => (ctx.operation === 'update' && isJsonObject(ctx.old) ? validatePVCUpdate(pvc, ctx.old, path) : []),
  [PVC_TEMPLATE]: (tpl, path) => {
    const meta = objAt(tpl, 'metadata') ?? {};
    const zero = (v: JsonValue | undefined): boolean =>
      v === undefined || v === '' || v === 0 || (Array.isArray(v) && !v.length) || (isJsonObject(v) && !Object.keys(v).length);
    return Object.entries(TEMPLATE_META_FORBIDDEN)
      .filter(([jsonName]) => !zero(meta[jsonName]))
      .map(([, goName]) => fieldErrors.forbidden(child(child(path, 'metadata'), goName), 'cannot be set'));
  },
  [core('ISCSIPersistentVolumeSource')]: (iscsi, path) => {
    const lun = numAt(iscsi, 'lun') ?? 0;
    return lun < 0 || lun > 255 ? [fieldErrors.invalid(child(path, 'lun'), lun, 'must be between 0 and 255, inclusive')] : [];
  },
  [core('CSIPersistentVolumeSource')]: (csi, path) => {
    const driver = strAt(csi, 'driver') ?? '';
    // Driver names are compared case-insensitively; the length limit is the schema's maxLength.
    const errs = driver ? invalidEach(child(path, 'driver'), driver, isDNS1123Subdomain(driver.toLowerCase())) : [];
    for (const ref of ['controllerPublishSecretRef', 'nodeStageSecretRef', 'nodePublishSecretRef', 'controllerExpandSecretRef', 'nodeExpandSecretRef']) {
      const secret = objAt(csi, ref);
      if (!secret) continue;
      const p = child(path, ref);
      const name = strAt(secret, 'name') ?? '';
      const ns = strAt(secret, 'namespace') ?? '';
      if (!name) errs.push(fieldErrors.required(child(p, 'name')));
      else errs.push(...invalidEach(child(p, 'name'), name, isDNS1123Subdomain(name)));
      if (!ns) errs.push(fieldErrors.required(child(p, 'namespace')));
      else errs.push(...invalidEach(child(p, 'namespace'), ns, isDNS1123Label(ns)));
    }
    return errs;
  },
  [core('LocalVolumeSource')]: (local, path) => {
    const p = strAt(local, 'path') ?? '';
    return p.split(/[\\/]/).includes('..') ? [fieldErrors.invalid(child(path, 'path'), p, "must not contain '..'")] : [];
  },
};

export const persistentVolumeKind: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolume',
  plural: 'persistentvolumes',
  singular: 'persistentvolume',
  shortNames: ['pv'],
  namespaced: false,
  schema: PV,
  statusSubresource: true,
};

export const persistentVolumeClaimKind: KindDefinition = {
  group: '',
  version: 'v1',
  kind: 'PersistentVolumeClaim',
  plural: 'persistentvolumeclaims',
  singular: 'persistentvolumeclaim',
  shortNames: ['pvc'],
  namespaced: true,
  schema: PVC,
  statusSubresource: true,
};
