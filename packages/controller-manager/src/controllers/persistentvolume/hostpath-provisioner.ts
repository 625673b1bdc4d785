// k8ts' hostPath dynamic provisioner (like kind's local-path-provisioner): keeps the default StorageClass
// `standard` (provisioner k8ts.io/hostpath, Immediate binding: k8ts' scheduler does not yet set the selected-node
// annotation WaitForFirstConsumer needs), creates a hostPath PV under --host-path-provisioner-dir/<claim uid> for
// each claim the binder hands it, and reclaims Released volumes with policy Delete. The directory is created and
// removed only when it is on this machine and strictly inside the provisioner directory.
import { mkdir, realpath, rm } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { PersistentVolume, PersistentVolumeClaim, storagev1 } from '@k8ts/api-machinery';
import { Controller, isAlreadyExists, isNotFound, refs, type EventRecorder, type Lister, type ReconcileResult, type ResourceClient, type Syncable } from '@k8ts/client';
import { type ControllerContext, type ControllerDescriptor, newController } from '../../controller-context.js';
import { ANN_PROVISIONED_BY, ANN_SELECTED_NODE, ANN_STORAGE_PROVISIONER, claimClass, IS_DEFAULT_CLASS, volumeDir } from './pv-binder-logic.js';

export const HOSTPATH_PROVISIONER = 'k8ts.io/hostpath';
export const STANDARD_CLASS = 'standard';
const KEY = 'hostpath-provisioner';

export function standardStorageClass(): storagev1.StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: STANDARD_CLASS, annotations: { [IS_DEFAULT_CLASS]: 'true' } },
    provisioner: HOSTPATH_PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  };
}

/** The PV provisioned for `claim` of class `cls`, named pvc-<uid> as Kubernetes names them. */
export function provisionedVolume(claim: PersistentVolumeClaim, cls: storagev1.StorageClass, baseDir: string): PersistentVolume | undefined {
  const uid = claim.metadata?.uid ?? '';
  const path = volumeDir(baseDir, uid);
  if (!path) return undefined;
  const node = claim.metadata?.annotations?.[ANN_SELECTED_NODE];
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name: `pvc-${uid}`, annotations: { [ANN_PROVISIONED_BY]: HOSTPATH_PROVISIONER } },
    spec: {
      capacity: { storage: claim.spec?.resources?.requests?.['storage'] ?? '0' },
      accessModes: claim.spec?.accessModes ?? ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: cls.reclaimPolicy ?? 'Delete',
      storageClassName: cls.metadata?.name ?? '',
      volumeMode: claim.spec?.volumeMode ?? 'Filesystem',
      hostPath: { path, type: 'DirectoryOrCreate' },
      // Pre-bound to its claim, as external provisioners do, so no other claim takes it.
      claimRef: { kind: 'PersistentVolumeClaim', apiVersion: 'v1', namespace: claim.metadata?.namespace ?? '', name: claim.metadata?.name ?? '', uid },
      ...(node
        ? { nodeAffinity: { required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] }] } } }
        : {}),
    },
  };
}

/**
 * Removes a provisioned volume's directory if, and only if, it is the directory this provisioner would have made
 * for the volume's claim and it really lies (symlinks resolved) directly inside `baseDir` on this machine.
 * Returns whether something was removed.
 */
export async function removeVolumeDir(volume: PersistentVolume, baseDir: string): Promise<boolean> {
  const expected = volumeDir(baseDir, volume.spec?.claimRef?.uid ?? '');
  const path = volume.spec?.hostPath?.path;
  if (!expected || !path || resolve(path) !== resolve(expected)) return false;
  let realBase: string;
  let realDir: string;
  try {
    realBase = await realpath(baseDir);
    realDir = await realpath(path);
  } catch {
    return false; // not on this machine (or already gone)
  }
  if (dirname(realDir) !== realBase || realDir === realBase) return false;
  await rm(realDir, { recursive: true, force: true });
  return true;
}

export class HostPathProvisioner {
  readonly controller: Controller;
  private readonly volumes: Lister<PersistentVolume>;
  private readonly claims: Lister<PersistentVolumeClaim>;
  private readonly classes: Lister<storagev1.StorageClass>;
  private readonly pvClient: ResourceClient<PersistentVolume>;
  private readonly classClient: ResourceClient<storagev1.StorageClass>;
  private readonly recorder: EventRecorder;
  private readonly baseDir: string;
  private readonly syncables: Syncable[];

  constructor(ctx: ControllerContext) {
    const pvInformer = ctx.informers.informerFor<PersistentVolume>(refs.persistentVolumes);
    const pvcInformer = ctx.informers.informerFor<PersistentVolumeClaim>(refs.persistentVolumeClaims);
    const classInformer = ctx.informers.informerFor<storagev1.StorageClass>(refs.storageClasses);
    this.volumes = pvInformer.lister();
    this.claims = pvcInformer.lister();
    this.classes = classInformer.lister();
    this.pvClient = ctx.client.resource<PersistentVolume>(refs.persistentVolumes);
    this.classClient = ctx.client.resource<storagev1.StorageClass>(refs.storageClasses);
    this.recorder = ctx.recorder(HOSTPATH_PROVISIONER);
    this.baseDir = resolve(ctx.settings.hostPathProvisionerDir);
    this.syncables = [pvInformer, pvcInformer, classInformer];
    this.controller = newController(ctx, 'hostpath-provisioner', () => this.pass());
    const enqueue = { onAdd: () => this.controller.enqueue(KEY), onUpdate: () => this.controller.enqueue(KEY), onDelete: () => this.controller.enqueue(KEY) };
    pvInformer.addEventHandler(enqueue);
    pvcInformer.addEventHandler(enqueue);
    classInformer.addEventHandler(enqueue);
  }

  run(signal: AbortSignal): Promise<void> {
    this.controller.enqueue(KEY);
    return this.controller.run(signal, this.syncables);
  }

  private async pass(): Promise<ReconcileResult | void> {
    if (!this.classes.get(STANDARD_CLASS)) {
      try {
        await this.classClient.create(standardStorageClass());
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    }
    for (const claim of this.claims.list()) {
      if (claim.metadata?.deletionTimestamp || claim.spec?.volumeName) continue;
      if (claim.metadata?.annotations?.[ANN_STORAGE_PROVISIONER] !== HOSTPATH_PROVISIONER) continue;
      const cls = this.classes.get(claimClass(claim));
      if (cls?.provisioner !== HOSTPATH_PROVISIONER) continue;
      if (cls.volumeBindingMode === 'WaitForFirstConsumer' && !claim.metadata?.annotations?.[ANN_SELECTED_NODE]) continue;
      const volume = provisionedVolume(claim, cls, this.baseDir);
      if (!volume || this.volumes.get(volume.metadata?.name ?? '')) continue;
      // Best effort: the node's kubelet creates the directory anyway (DirectoryOrCreate) when it is elsewhere.
      if (volume.spec?.hostPath) await mkdir(volume.spec.hostPath.path, { recursive: true, mode: 0o777 }).catch(() => undefined);
      try {
        await this.pvClient.create(volume);
        this.recorder.event(claim, 'Normal', 'ProvisioningSucceeded', `Successfully provisioned volume ${volume.metadata?.name}`);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    }
    for (const volume of this.volumes.list()) {
      if (volume.metadata?.annotations?.[ANN_PROVISIONED_BY] !== HOSTPATH_PROVISIONER) continue;
      if (volume.status?.phase !== 'Released' || volume.spec?.persistentVolumeReclaimPolicy !== 'Delete' || volume.metadata.deletionTimestamp) continue;
      await removeVolumeDir(volume, this.baseDir);
      try {
        await this.pvClient.delete(volume.metadata.name ?? '', { preconditions: { uid: volume.metadata.uid } });
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
}

export const hostPathProvisionerDescriptor: ControllerDescriptor = {
  name: 'hostpath-provisioner',
  enabledByDefault: true,
  start: (ctx, signal) => new HostPathProvisioner(ctx).run(signal),
};
