// The older in-tree volume sources of a pod Volume. Most are deprecated in Kubernetes but still served, so pods that
// use them decode, default and validate as on a real cluster.
import { s, type Schema } from '../../schema/schema.js';
import { coreV1 } from './pod-schemas.js';

const localRef = (description: string): Schema => s.ref(coreV1('LocalObjectReference'), description);
const fsType = (): Schema => s.string('Filesystem type to mount, e.g. ext4 or xfs.');
const readOnly = (): Schema => s.boolean('Mount read-only.');

/** Sources only a pod Volume uses (PersistentVolumes have their own *PersistentVolumeSource variants). */
export const podLegacyVolumeSchemas: Record<string, Schema> = {
  [coreV1('GitRepoVolumeSource')]: s.object(
    {
      repository: s.string('URL of the repository.'),
      revision: s.string('Commit hash to check out.'),
      directory: s.string('Target directory name; "." clones into the volume root.'),
    },
    'Deprecated: an emptyDir with a git repository cloned into it.',
    { required: ['repository'] },
  ),
  [coreV1('ISCSIVolumeSource')]: s.object(
    {
      targetPortal: s.string('Target portal as IP or IP:port (port 3260 by default).'),
      iqn: s.string('iSCSI qualified name of the target.'),
      lun: s.int32('Logical unit number (0-255).'),
      iscsiInterface: s.string('iSCSI interface name using the transport.', { default: 'default' }),
      fsType: fsType(),
      readOnly: readOnly(),
      portals: s.array(s.string(), 'Additional target portals.', { listType: 'atomic' }),
      chapAuthDiscovery: s.boolean('Use CHAP authentication for discovery.'),
      chapAuthSession: s.boolean('Use CHAP authentication for the session.'),
      secretRef: localRef('Secret with the CHAP credentials.'),
      initiatorName: s.string('Custom initiator name; a new interface <portal>:<volume name> is created.'),
    },
    'An iSCSI disk.',
    { required: ['targetPortal', 'iqn'] },
  ),
  [coreV1('GlusterfsVolumeSource')]: s.object(
    {
      endpoints: s.string('Endpoints object listing the Glusterfs servers.'),
      path: s.string('Glusterfs volume path.'),
      readOnly: readOnly(),
    },
    'Deprecated: a Glusterfs volume.',
    { required: ['endpoints', 'path'] },
  ),
  [coreV1('RBDVolumeSource')]: s.object(
    {
      monitors: s.array(s.string(), 'Ceph monitor addresses.', { listType: 'atomic' }),
      image: s.string('RBD image name.'),
      fsType: fsType(),
      pool: s.string('RADOS pool name.', { default: 'rbd' }),
      user: s.string('RADOS user name.', { default: 'admin' }),
      keyring: s.string('Path of the keyring file.', { default: '/etc/ceph/keyring' }),
      secretRef: localRef('Secret with the RADOS user key, instead of the keyring.'),
      readOnly: readOnly(),
    },
    'Deprecated: a Ceph RBD image.',
    { required: ['monitors', 'image'] },
  ),
  [coreV1('FlexVolumeSource')]: s.object(
    {
      driver: s.string('Name of the FlexVolume driver.'),
      fsType: fsType(),
      secretRef: localRef('Secret passed to the driver.'),
      readOnly: readOnly(),
      options: s.map(s.string(), 'Extra options passed to the driver.'),
    },
    'Deprecated: a volume attached by a FlexVolume driver.',
    { required: ['driver'] },
  ),
  [coreV1('CinderVolumeSource')]: s.object(
    {
      volumeID: s.string('Cinder volume ID.'),
      fsType: fsType(),
      readOnly: readOnly(),
      secretRef: localRef('Secret with the OpenStack connection parameters.'),
    },
    'Deprecated: an OpenStack Cinder volume.',
    { required: ['volumeID'] },
  ),
  [coreV1('CephFSVolumeSource')]: s.object(
    {
      monitors: s.array(s.string(), 'Ceph monitor addresses.', { listType: 'atomic' }),
      path: s.string('Path inside the filesystem to mount; / by default.'),
      user: s.string('RADOS user name; admin by default.'),
      secretFile: s.string('Path of the keyring file; /etc/ceph/user.secret by default.'),
      secretRef: localRef('Secret with the user key, instead of secretFile.'),
      readOnly: readOnly(),
    },
    'Deprecated: a CephFS mount.',
    { required: ['monitors'] },
  ),
  [coreV1('AzureFileVolumeSource')]: s.object(
    {
      secretName: s.string('Secret with the storage account name and key.'),
      shareName: s.string('Name of the share.'),
      readOnly: readOnly(),
    },
    'Deprecated: an Azure File share.',
    { required: ['secretName', 'shareName'] },
  ),
  [coreV1('ScaleIOVolumeSource')]: s.object(
    {
      gateway: s.string('Host address of the ScaleIO API gateway.'),
      system: s.string('Name of the storage system.'),
      secretRef: localRef('Secret with the ScaleIO user credentials.'),
      sslEnabled: s.boolean('Use SSL to talk to the gateway.'),
      protectionDomain: s.string('Protection domain of the storage.'),
      storagePool: s.string('Storage pool of the protection domain.'),
      storageMode: s.string('ThickProvisioned or ThinProvisioned.', { default: 'ThinProvisioned' }),
      volumeName: s.string('Name of a volume already created in the system.'),
      fsType: s.string('Filesystem type to mount.', { default: 'xfs' }),
      readOnly: readOnly(),
    },
    'Deprecated: a ScaleIO volume.',
    { required: ['gateway', 'system', 'volumeName'] },
  ),
  [coreV1('StorageOSVolumeSource')]: s.object(
    {
      volumeName: s.string('Name of the StorageOS volume, unique within its namespace.'),
      volumeNamespace: s.string("StorageOS namespace of the volume; the pod's namespace when empty."),
      fsType: fsType(),
      readOnly: readOnly(),
      secretRef: localRef('Secret with the StorageOS API credentials.'),
    },
    'Deprecated: a StorageOS volume.',
    { required: ['volumeName'] },
  ),
  [coreV1('CSIVolumeSource')]: s.object(
    {
      driver: s.string('Name of the CSI driver.'),
      readOnly: s.boolean('Mount read-only.'),
      fsType: s.string('Filesystem type passed to the driver.'),
      volumeAttributes: s.map(s.string(), 'Driver-specific properties of the volume.'),
      nodePublishSecretRef: localRef('Secret passed to the driver on NodePublishVolume.'),
    },
    'An inline ephemeral volume provided by a CSI driver.',
  ),
};

/**
 * Sources a pod Volume shares with PersistentVolumeSource. The PersistentVolume module owns them; this object is NOT
 * part of podModule and only exists for a registry that serves pods without PersistentVolumes.
 */
export const podSharedVolumeSourceSchemas: Record<string, Schema> = {
  [coreV1('GCEPersistentDiskVolumeSource')]: s.object(
    {
      pdName: s.string('Name of the persistent disk in GCE.'),
      fsType: fsType(),
      partition: s.int32('Partition to mount; 0 mounts the whole disk.'),
      readOnly: readOnly(),
    },
    'Deprecated: a GCE persistent disk.',
    { required: ['pdName'] },
  ),
  [coreV1('AWSElasticBlockStoreVolumeSource')]: s.object(
    {
      volumeID: s.string('ID of the EBS volume.'),
      fsType: fsType(),
      partition: s.int32('Partition to mount; 0 mounts the whole disk.'),
      readOnly: readOnly(),
    },
    'Deprecated: an AWS EBS volume.',
    { required: ['volumeID'] },
  ),
  [coreV1('FCVolumeSource')]: s.object(
    {
      targetWWNs: s.array(s.string(), 'World wide names of the targets.', { listType: 'atomic' }),
      lun: s.int32('Logical unit number of the target.'),
      fsType: fsType(),
      readOnly: readOnly(),
      wwids: s.array(s.string(), 'World wide identifiers of the volume; not with targetWWNs.', { listType: 'atomic' }),
    },
    'A Fibre Channel volume.',
  ),
  [coreV1('FlockerVolumeSource')]: s.object(
    {
      datasetName: s.string('Name of the Flocker dataset.'),
      datasetUUID: s.string('UUID of the dataset.'),
    },
    'Deprecated: a Flocker dataset.',
  ),
  [coreV1('VsphereVirtualDiskVolumeSource')]: s.object(
    {
      volumePath: s.string('Path of the vSphere volume vmdk.'),
      fsType: fsType(),
      storagePolicyName: s.string('Storage policy based management profile name.'),
      storagePolicyID: s.string('Storage policy based management profile ID.'),
    },
    'Deprecated: a vSphere virtual disk.',
    { required: ['volumePath'] },
  ),
  [coreV1('QuobyteVolumeSource')]: s.object(
    {
      registry: s.string('Quobyte registries as host:port pairs separated by commas.'),
      volume: s.string('Name of the Quobyte volume.'),
      readOnly: readOnly(),
      user: s.string('User the volume is accessed as.'),
      group: s.string('Group the volume is accessed as.'),
      tenant: s.string('Tenant owning the volume.'),
    },
    'Deprecated: a Quobyte volume.',
    { required: ['registry', 'volume'] },
  ),
  [coreV1('AzureDiskVolumeSource')]: s.object(
    {
      diskName: s.string('Name of the data disk.'),
      diskURI: s.string('URI of the data disk.'),
      cachingMode: s.enumOf(['None', 'ReadOnly', 'ReadWrite'], 'Host caching mode.', { default: 'ReadWrite' }),
      fsType: s.string('Filesystem type to mount.', { default: 'ext4' }),
      readOnly: s.boolean('Mount read-only.', { default: false }),
      kind: s.enumOf(['Dedicated', 'Managed', 'Shared'], 'Kind of the disk.', { default: 'Shared' }),
    },
    'Deprecated: an Azure data disk.',
    { required: ['diskName', 'diskURI'] },
  ),
  [coreV1('PhotonPersistentDiskVolumeSource')]: s.object(
    {
      pdID: s.string('ID of the Photon Controller disk.'),
      fsType: fsType(),
    },
    'Deprecated: a Photon Controller persistent disk.',
    { required: ['pdID'] },
  ),
  [coreV1('PortworxVolumeSource')]: s.object(
    {
      volumeID: s.string('ID of the Portworx volume.'),
      fsType: fsType(),
      readOnly: readOnly(),
    },
    'Deprecated: a Portworx volume.',
    { required: ['volumeID'] },
  ),
};

/** Names podModule references but leaves to the PersistentVolume module. */
export const podSharedVolumeSourceNames: string[] = Object.keys(podSharedVolumeSourceSchemas);
