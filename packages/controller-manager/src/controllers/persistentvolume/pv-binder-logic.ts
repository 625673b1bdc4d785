// The PersistentVolume controller's decisions (pkg/controller/volume/persistentvolume), pure: the default
// StorageClass, which Available volume a claim gets (smallest that fits: class, access modes, volume mode,
// selector, capacity), and the phase each volume should be in.
import { labelSelectorFromObject, parseQuantity, type PersistentVolume, type PersistentVolumeClaim, type storagev1 } from '@k8ts/api-machinery';

export const IS_DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';
export const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
export const ANN_BOUND_BY_CONTROLLER = 'pv.kubernetes.io/bound-by-controller';
export const ANN_PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';
export const ANN_STORAGE_PROVISIONER = 'volume.kubernetes.io/storage-provisioner';
export const ANN_BETA_STORAGE_PROVISIONER = 'volume.beta.kubernetes.io/storage-provisioner';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';

/** GetDefaultClass: the newest class annotated default (several: Kubernetes picks the newest, then by name). */
export function defaultStorageClass(classes: storagev1.StorageClass[]): storagev1.StorageClass | undefined {
  const defaults = classes.filter((c) => c.metadata?.annotations?.[IS_DEFAULT_CLASS] === 'true');
  defaults.sort((a, b) => {
    const ta = Date.parse(a.metadata?.creationTimestamp ?? '') || 0;
    const tb = Date.parse(b.metadata?.creationTimestamp ?? '') || 0;
    return tb - ta || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '');
  });
  return defaults[0];
}

export const claimClass = (claim: PersistentVolumeClaim): string => claim.spec?.storageClassName ?? '';

function request(claim: PersistentVolumeClaim): bigint {
  const text = claim.spec?.resources?.requests?.['storage'];
  return text ? parseQuantity(text).value() : 0n;
}

function capacity(volume: PersistentVolume): bigint {
  const text = volume.spec?.capacity?.['storage'];
  return text ? parseQuantity(text).value() : 0n;
}

/** The volume is reserved for this claim (claimRef by name, and uid when set). */
export function isPreBoundTo(volume: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  const ref = volume.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata?.name || (ref.namespace ?? '') !== (claim.metadata?.namespace ?? '')) return false;
  return !ref.uid || ref.uid === claim.metadata?.uid;
}

/** Whether `volume` satisfies `claim` (checkVolumeSatisfyClaim plus the selector), ignoring its binding. */
export function volumeSatisfiesClaim(volume: PersistentVolume, claim: PersistentVolumeClaim): boolean {
  if ((volume.spec?.storageClassName ?? '') !== claimClass(claim)) return false;
  const modes = volume.spec?.accessModes ?? [];
  if (!(claim.spec?.accessModes ?? []).every((m) => modes.includes(m))) return false;
  if ((volume.spec?.volumeMode ?? 'Filesystem') !== (claim.spec?.volumeMode ?? 'Filesystem')) return false;
  if (capacity(volume) < request(claim)) return false;
  if (claim.spec?.selector && !labelSelectorFromObject(claim.spec.selector).matches(volume.metadata?.labels)) return false;
  return volume.status?.phase !== 'Released' && volume.status?.phase !== 'Failed' && !volume.metadata?.deletionTimestamp;
}

/**
 * findBestMatchForClaim: a volume pre-bound to the claim first, else the smallest Available unclaimed one that
 * satisfies it. A claim with spec.volumeName takes only that volume.
 */
export function findVolumeForClaim(claim: PersistentVolumeClaim, volumes: PersistentVolume[]): PersistentVolume | undefined {
  const wanted = claim.spec?.volumeName;
  const candidates = volumes.filter((v) => (!wanted || v.metadata?.name === wanted) && volumeSatisfiesClaim(v, claim));
  const preBound = candidates.find((v) => isPreBoundTo(v, claim));
  if (preBound) return preBound;
  // A volume a WaitForFirstConsumer class would bind at scheduling time is not taken here.
  const free = candidates.filter((v) => !v.spec?.claimRef).sort((a, b) => (capacity(a) < capacity(b) ? -1 : capacity(a) > capacity(b) ? 1 : 0));
  return free[0];
}

export type VolumePhase = 'Available' | 'Bound' | 'Released' | 'Failed' | 'Pending';

/**
 * syncVolume's phase: Available without a claimRef; Bound while its claim (same uid) exists; Released once that
 * claim is gone (a claim of the same name but another uid is another claim). `claimOf` reads the claim by
 * namespace/name. Failed is kept: only an admin clears it.
 */
export function volumePhase(volume: PersistentVolume, claimOf: (ns: string, name: string) => PersistentVolumeClaim | undefined): VolumePhase {
  if (volume.status?.phase === 'Failed') return 'Failed';
  const ref = volume.spec?.claimRef;
  if (!ref) return 'Available';
  const claim = claimOf(ref.namespace ?? '', ref.name ?? '');
  if (!claim) return ref.uid ? 'Released' : 'Available';
  if (ref.uid && claim.metadata?.uid !== ref.uid) return 'Released';
  if (volume.status?.phase === 'Released') return 'Released';
  // Pre-bound to a claim that is not bound to it yet: still waiting.
  return claim.spec?.volumeName === volume.metadata?.name ? 'Bound' : 'Available';
}

/** The path under `baseDir` a provisioned volume of claim `uid` lives at; undefined if it would escape baseDir. */
export function volumeDir(baseDir: string, name: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name === '.' || name === '..') return undefined;
  return `${baseDir.replace(/\/+$/, '')}/${name}`;
}
