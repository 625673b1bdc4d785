// The PersistentVolume binder (pkg/controller/volume/persistentvolume, Immediate binding): gives unclassed claims
// the default StorageClass (retroactive default class), binds each pending claim to the smallest matching volume
// (PV.spec.claimRef <-> PVC.spec.volumeName, the volume first, as its claimRef is the lock), asks the class's
// provisioner for a volume when none matches, keeps phases (Available/Bound/Released, Lost for claims) and applies
// Retain. Delete of provisioned volumes is their provisioner's job; this controller fails Delete for others.
import type { PersistentVolume, PersistentVolumeClaim, storagev1 } from '@k8ts/api-machinery';
import { Controller, isNotFound, refs, type EventRecorder, type Lister, type ReconcileResult, type ResourceClient, type Syncable } from '@k8ts/client';
import { type ControllerContext, type ControllerDescriptor, newController } from '../../controller-context.js';
import {
  ANN_BETA_STORAGE_PROVISIONER,
  ANN_BIND_COMPLETED,
  ANN_BOUND_BY_CONTROLLER,
  ANN_PROVISIONED_BY,
  ANN_STORAGE_PROVISIONER,
  claimClass,
  defaultStorageClass,
  findVolumeForClaim,
  volumePhase,
} from './pv-binder-logic.js';

const KEY = 'pv-sync';
/** Kubernetes' --pvclaimbinder-sync-period: a full pass at least this often. */
const RESYNC_MS = 15_000;

export class PersistentVolumeBinder {
  readonly controller: Controller;
  private readonly volumes: Lister<PersistentVolume>;
  private readonly claims: Lister<PersistentVolumeClaim>;
  private readonly classes: Lister<storagev1.StorageClass>;
  private readonly pvClient: ResourceClient<PersistentVolume>;
  private readonly pvcClient: ResourceClient<PersistentVolumeClaim>;
  private readonly recorder: EventRecorder;
  /** Claims already told they wait for a provisioner (one event, not one per pass). */
  private readonly announced = new Set<string>();
  private readonly syncables: Syncable[];

  constructor(private readonly ctx: ControllerContext) {
    const pvInformer = ctx.informers.informerFor<PersistentVolume>(refs.persistentVolumes);
    const pvcInformer = ctx.informers.informerFor<PersistentVolumeClaim>(refs.persistentVolumeClaims);
    const classInformer = ctx.informers.informerFor<storagev1.StorageClass>(refs.storageClasses);
    this.volumes = pvInformer.lister();
    this.claims = pvcInformer.lister();
    this.classes = classInformer.lister();
    this.pvClient = ctx.client.resource<PersistentVolume>(refs.persistentVolumes);
    this.pvcClient = ctx.client.resource<PersistentVolumeClaim>(refs.persistentVolumeClaims);
    this.recorder = ctx.recorder('persistentvolume-controller');
    this.syncables = [pvInformer, pvcInformer, classInformer];
    this.controller = newController(ctx, 'persistentvolume-binder', () => this.pass());
    const enqueue = { onAdd: () => this.controller.enqueue(KEY), onUpdate: () => this.controller.enqueue(KEY), onDelete: () => this.controller.enqueue(KEY) };
    pvInformer.addEventHandler(enqueue);
    pvcInformer.addEventHandler(enqueue);
    classInformer.addEventHandler(enqueue);
  }

  run(signal: AbortSignal): Promise<void> {
    this.controller.enqueue(KEY);
    return this.controller.run(signal, this.syncables);
  }

  private async pass(): Promise<ReconcileResult> {
    const failures: string[] = [];
    const attempt = async (what: string, fn: () => Promise<void>): Promise<void> => {
      try {
        await fn();
      } catch (err) {
        if (!isNotFound(err)) failures.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
    for (const claim of this.claims.list()) {
      if (claim.metadata?.deletionTimestamp) continue;
      await attempt(`claim ${claim.metadata?.namespace}/${claim.metadata?.name}`, () => this.syncClaim(claim));
    }
    for (const volume of this.volumes.list()) await attempt(`volume ${volume.metadata?.name}`, () => this.syncVolume(volume));
    // Failures (mostly 409s from a stale cache) retry the whole pass with the queue's backoff.
    if (failures.length > 0) throw new Error(`persistentvolume-binder: ${failures.join('; ')}`);
    return { requeueAfterMs: RESYNC_MS };
  }

  private async syncClaim(claim: PersistentVolumeClaim): Promise<void> {
    const ns = claim.metadata?.namespace ?? '';
    const pvcs = this.pvcClient.namespace(ns);
    const volumeName = claim.spec?.volumeName;
    const bound = volumeName ? this.volumes.get(volumeName) : undefined;
    if (volumeName && bound && bound.spec?.claimRef?.uid === claim.metadata?.uid) {
      if (claim.status?.phase !== 'Bound') await pvcs.updateStatus(this.boundClaimStatus(claim, bound));
      return;
    }
    if (volumeName && !bound && claim.metadata?.annotations?.[ANN_BIND_COMPLETED]) {
      // Its volume vanished: Lost, which only an admin can fix.
      if (claim.status?.phase !== 'Lost') {
        await pvcs.updateStatus({ ...claim, status: { ...claim.status, phase: 'Lost' } });
        this.recorder.event(claim, 'Warning', 'ClaimLost', 'Bound claim has lost its PersistentVolume. Data on the volume is lost!');
      }
      return;
    }
    if (claim.spec?.storageClassName === undefined && !volumeName) {
      // Retroactive default StorageClass (GA in 1.28): an unclassed pending claim gets the default class.
      const def = defaultStorageClass(this.classes.list());
      if (def) {
        await pvcs.update({ ...claim, spec: { ...claim.spec, storageClassName: def.metadata?.name ?? '' } });
        return;
      }
    }
    const volume = findVolumeForClaim(claim, this.volumes.list());
    if (volume) {
      await this.bind(volume, claim);
      return;
    }
    if (claim.status?.phase !== 'Pending') await pvcs.updateStatus({ ...claim, status: { phase: 'Pending' } });
    const cls = this.classes.get(claimClass(claim));
    const key = claim.metadata?.uid ?? '';
    if (cls?.provisioner && !volumeName) {
      if (claim.metadata?.annotations?.[ANN_STORAGE_PROVISIONER] !== cls.provisioner) {
        await pvcs.update({
          ...claim,
          metadata: { ...claim.metadata, annotations: { ...claim.metadata?.annotations, [ANN_STORAGE_PROVISIONER]: cls.provisioner, [ANN_BETA_STORAGE_PROVISIONER]: cls.provisioner } },
        });
      }
      if (!this.announced.has(key)) {
        this.announced.add(key);
        this.recorder.event(
          claim,
          'Normal',
          'ExternalProvisioning',
          `Waiting for a volume to be created either by the external provisioner '${cls.provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.`,
        );
      }
    } else if (!this.announced.has(key)) {
      this.announced.add(key);
      const why = claimClass(claim) === '' ? 'no persistent volumes available for this claim and no storage class is set' : `storageclass.storage.k8s.io "${claimClass(claim)}" not found`;
      this.recorder.event(claim, 'Warning', claimClass(claim) === '' || cls ? 'FailedBinding' : 'ProvisioningFailed', why);
    }
  }

  private boundClaimStatus(claim: PersistentVolumeClaim, volume: PersistentVolume): PersistentVolumeClaim {
    return {
      ...claim,
      status: { ...claim.status, phase: 'Bound', accessModes: volume.spec?.accessModes ?? [], capacity: { ...volume.spec?.capacity } },
    };
  }

  /** bindVolumeToClaim, then bindClaimToVolume: the volume's claimRef is taken first, so two claims never share it. */
  private async bind(volume: PersistentVolume, claim: PersistentVolumeClaim): Promise<void> {
    const name = volume.metadata?.name ?? '';
    let pv = volume;
    if (pv.spec?.claimRef?.uid !== claim.metadata?.uid) {
      const annotations = pv.spec?.claimRef ? pv.metadata?.annotations : { ...pv.metadata?.annotations, [ANN_BOUND_BY_CONTROLLER]: 'yes' };
      pv = await this.pvClient.update({
        ...pv,
        metadata: { ...pv.metadata, ...(annotations ? { annotations } : {}) },
        spec: {
          ...pv.spec,
          claimRef: {
            kind: 'PersistentVolumeClaim',
            apiVersion: 'v1',
            namespace: claim.metadata?.namespace ?? '',
            name: claim.metadata?.name ?? '',
            uid: claim.metadata?.uid ?? '',
            resourceVersion: claim.metadata?.resourceVersion ?? '',
          },
        },
      });
    }
    if (pv.status?.phase !== 'Bound') pv = await this.pvClient.updateStatus({ ...pv, status: { ...pv.status, phase: 'Bound' } });
    const pvcs = this.pvcClient.namespace(claim.metadata?.namespace ?? '');
    let pvc = claim;
    if (pvc.spec?.volumeName !== name || !pvc.metadata?.annotations?.[ANN_BIND_COMPLETED]) {
      const annotations = { ...pvc.metadata?.annotations, [ANN_BIND_COMPLETED]: 'yes', ...(pvc.spec?.volumeName ? {} : { [ANN_BOUND_BY_CONTROLLER]: 'yes' }) };
      pvc = await pvcs.update({ ...pvc, metadata: { ...pvc.metadata, annotations }, spec: { ...pvc.spec, volumeName: name } });
    }
    await pvcs.updateStatus(this.boundClaimStatus(pvc, pv));
    this.ctx.logger.info({ controller: 'persistentvolume-binder', claim: `${claim.metadata?.namespace}/${claim.metadata?.name}`, volume: name }, 'bound claim to volume');
  }

  private async syncVolume(volume: PersistentVolume): Promise<void> {
    const phase = volumePhase(volume, (ns, n) => this.claims.namespace(ns).get(n));
    if (phase === 'Released' && volume.status?.phase !== 'Released') {
      // The cache may lag a claim just created: confirm it is gone before releasing.
      const ref = volume.spec?.claimRef;
      try {
        const live = await this.pvcClient.namespace(ref?.namespace ?? '').get(ref?.name ?? '');
        if (live.metadata?.uid === ref?.uid) return;
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
    let pv = volume;
    if (phase !== volume.status?.phase) pv = await this.pvClient.updateStatus({ ...volume, status: { ...volume.status, phase } });
    if (phase !== 'Released') return;
    const policy = pv.spec?.persistentVolumeReclaimPolicy ?? 'Retain';
    if (policy === 'Delete' && !pv.metadata?.annotations?.[ANN_PROVISIONED_BY]) {
      // No in-tree deleter in k8ts: only a provisioner deletes what it created.
      await this.pvClient.updateStatus({ ...pv, status: { ...pv.status, phase: 'Failed', message: 'error getting deleter volume plugin for volume: no deletable volume plugin matched' } });
      this.recorder.event(pv, 'Warning', 'VolumeFailedDelete', 'error getting deleter volume plugin for volume: no deletable volume plugin matched');
    }
    // Retain: the volume stays Released (its data kept) until an admin clears its claimRef or deletes it.
  }
}

export const persistentVolumeBinderDescriptor: ControllerDescriptor = {
  name: 'persistentvolume-binder',
  enabledByDefault: true,
  start: (ctx, signal) => new PersistentVolumeBinder(ctx).run(signal),
};
