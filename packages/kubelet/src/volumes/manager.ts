// Sets up (idempotently: call it again to refresh configMap/secret/token content) and tears down one pod's volumes.
import { chmod, chown, mkdir, readdir, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseQuantity, type corev1 } from '@k8ts/api-machinery';
import { LABEL_POD_UID } from '../pods/naming.js';
import { writeAtomically } from './atomic-writer.js';
import { checkHostPathType } from './host-path.js';
import {
  configMapPayload,
  DEFAULT_CONFIG_MAP_MODE,
  DEFAULT_DOWNWARD_API_MODE,
  DEFAULT_SECRET_MODE,
  downwardApiPayload,
  forgetPodTokens,
  projectedPayload,
  secretPayload,
} from './payloads.js';
import {
  isWithin,
  PLUGIN_CONFIG_MAP,
  PLUGIN_DOWNWARD_API,
  PLUGIN_EMPTY_DIR,
  PLUGIN_HOST_PATH,
  PLUGIN_LOCAL_VOLUME,
  PLUGIN_PROJECTED,
  PLUGIN_SECRET,
  podDir,
  volumeDir,
} from './paths.js';
import { VolumeSetUpError, type PreparedPodVolumes, type PreparedVolume, type SetUpOptions, type TearDownOptions } from './types.js';

/** Docker volume name of a memory emptyDir: `k8s_<uid>_<volume>`. */
export function memoryVolumeName(podUid: string, volumeName: string): string {
  return `k8s_${podUid}_${volumeName}`;
}

/** tmpfs size when the emptyDir has no sizeLimit. */
export const DEFAULT_MEMORY_EMPTY_DIR_SIZE = '64m';
/** Next to a memory emptyDir's directory: the Docker volume backing it, read back at teardown. */
const DOCKER_VOLUME_MARKER = '.docker-volume';

interface VolumeContext {
  pod: corev1.Pod;
  uid: string;
  namespace: string;
  options: SetUpOptions;
}

async function setUpEmptyDir(volume: corev1.Volume, source: corev1.EmptyDirVolumeSource, ctx: VolumeContext): Promise<PreparedVolume> {
  const dir = volumeDir(ctx.options.rootDir, ctx.uid, PLUGIN_EMPTY_DIR, volume.name);
  const medium = source.medium ?? '';
  if (medium === '') {
    await mkdir(dir, { recursive: true });
    // World-writable like Kubernetes' emptyDir, so containers running as any user can use it.
    await chmod(dir, 0o777);
    const fsGroup = ctx.pod.spec?.securityContext?.fsGroup;
    if (fsGroup !== undefined) {
      await chown(dir, process.getuid?.() ?? 0, fsGroup);
      await chmod(dir, 0o2777);
    }
    return { kind: 'bind', hostPath: dir, readOnly: false, plugin: PLUGIN_EMPTY_DIR };
  }
  if (medium !== 'Memory') throw new VolumeSetUpError(`emptyDir medium ${JSON.stringify(medium)} is not supported by this kubelet`);
  const docker = ctx.options.docker;
  if (!docker) throw new VolumeSetUpError('emptyDir medium Memory needs the Docker engine');
  const name = memoryVolumeName(ctx.uid, volume.name);
  const size = source.sizeLimit ? parseQuantity(source.sizeLimit).value().toString() : DEFAULT_MEMORY_EMPTY_DIR_SIZE;
  // Docker answers an existing volume of that name with success, so repeated set-ups are harmless.
  await docker.volumeCreate({
    Name: name,
    Driver: 'local',
    DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: `size=${size}` },
    Labels: { ...(ctx.options.volumeLabels ?? {}), [LABEL_POD_UID]: ctx.uid, 'io.kubernetes.volume.name': volume.name },
  });
  await mkdir(join(dir, '..'), { recursive: true });
  await writeFile(`${dir}${DOCKER_VOLUME_MARKER}`, name);
  return { kind: 'volume', volumeName: name, readOnly: false, plugin: PLUGIN_EMPTY_DIR };
}

async function setUpHostPath(source: corev1.HostPathVolumeSource): Promise<PreparedVolume> {
  await checkHostPathType(source.path, source.type);
  return { kind: 'bind', hostPath: source.path, readOnly: false, plugin: PLUGIN_HOST_PATH };
}

async function setUpClaim(claimName: string, readOnly: boolean, ctx: VolumeContext): Promise<PreparedVolume> {
  const { sources } = ctx.options;
  const claim = await sources.getPersistentVolumeClaim(ctx.namespace, claimName);
  if (!claim) throw new VolumeSetUpError(`failed to fetch PVC from API server: persistentvolumeclaims "${claimName}" not found`);
  if (claim.metadata?.deletionTimestamp) throw new VolumeSetUpError('PVC is being deleted');
  const pvName = claim.spec?.volumeName ?? '';
  if (claim.status?.phase !== 'Bound' || !pvName) throw new VolumeSetUpError('PVC is not bound');
  const pv = await sources.getPersistentVolume(pvName);
  if (!pv) throw new VolumeSetUpError(`failed to fetch PV ${pvName} from API server: persistentvolumes "${pvName}" not found`);
  const refUid = pv.spec?.claimRef?.uid;
  if (!refUid) throw new VolumeSetUpError(`found PV object ${pvName} but it has a nil or empty ClaimRef.UID`);
  if (claim.metadata?.uid && refUid !== claim.metadata.uid) {
    throw new VolumeSetUpError(`found PV object ${pvName} but its ClaimRef.UID ${refUid} does not point to claim.UID ${claim.metadata.uid}`);
  }
  if (pv.spec?.hostPath) {
    await checkHostPathType(pv.spec.hostPath.path, pv.spec.hostPath.type);
    return { kind: 'bind', hostPath: pv.spec.hostPath.path, readOnly, plugin: PLUGIN_HOST_PATH };
  }
  if (pv.spec?.local) {
    try {
      await realpath(pv.spec.local.path);
    } catch {
      throw new VolumeSetUpError(`path "${pv.spec.local.path}" does not exist`);
    }
    return { kind: 'bind', hostPath: pv.spec.local.path, readOnly, plugin: PLUGIN_LOCAL_VOLUME };
  }
  throw new VolumeSetUpError(`PersistentVolume ${pvName} has a volume source this kubelet cannot mount (only hostPath and local are supported)`);
}

async function setUpProjectedKind(volume: corev1.Volume, ctx: VolumeContext, nodeAllocatable: Record<string, string>): Promise<PreparedVolume | undefined> {
  const { sources } = ctx.options;
  const fsGroup = ctx.pod.spec?.securityContext?.fsGroup;
  const writeOptions = fsGroup === undefined ? {} : { fsGroup };
  const write = async (plugin: string, payload: Awaited<ReturnType<typeof projectedPayload>>): Promise<PreparedVolume> => {
    const dir = volumeDir(ctx.options.rootDir, ctx.uid, plugin, volume.name);
    await writeAtomically(dir, payload, writeOptions);
    // Kubernetes mounts API-data volumes read-only whatever the volumeMount says.
    return { kind: 'bind', hostPath: dir, readOnly: true, plugin };
  };
  if (volume.configMap) {
    const { name, items, defaultMode = DEFAULT_CONFIG_MAP_MODE, optional = false } = volume.configMap;
    return write(PLUGIN_CONFIG_MAP, configMapPayload(name, await sources.getConfigMap(ctx.namespace, name), items, defaultMode, optional));
  }
  if (volume.secret) {
    const { secretName, items, defaultMode = DEFAULT_SECRET_MODE, optional = false } = volume.secret;
    return write(PLUGIN_SECRET, secretPayload(secretName, await sources.getSecret(ctx.namespace, secretName), items, defaultMode, optional));
  }
  if (volume.downwardAPI) {
    const { items, defaultMode = DEFAULT_DOWNWARD_API_MODE } = volume.downwardAPI;
    return write(PLUGIN_DOWNWARD_API, downwardApiPayload(ctx.pod, items, defaultMode, nodeAllocatable));
  }
  if (volume.projected) {
    const payload = await projectedPayload(volume.projected, { pod: ctx.pod, volumeName: volume.name, sources, nodeAllocatable, now: ctx.options.now ?? Date.now });
    return write(PLUGIN_PROJECTED, payload);
  }
  return undefined;
}

const UNSUPPORTED_SOURCES = [
  'gcePersistentDisk', 'awsElasticBlockStore', 'gitRepo', 'nfs', 'iscsi', 'glusterfs', 'rbd', 'flexVolume', 'cinder',
  'cephfs', 'flocker', 'fc', 'azureFile', 'vsphereVolume', 'quobyte', 'azureDisk', 'photonPersistentDisk',
  'portworxVolume', 'scaleIO', 'storageos', 'csi', 'image',
] as const;

async function setUpVolume(volume: corev1.Volume, ctx: VolumeContext): Promise<PreparedVolume> {
  const projected = await setUpProjectedKind(volume, ctx, ctx.options.nodeAllocatable ?? {});
  if (projected) return projected;
  if (volume.hostPath) return setUpHostPath(volume.hostPath);
  if (volume.persistentVolumeClaim) return setUpClaim(volume.persistentVolumeClaim.claimName, volume.persistentVolumeClaim.readOnly ?? false, ctx);
  // A generic ephemeral volume is the PVC `<pod>-<volume>` the ephemeral volume controller creates.
  if (volume.ephemeral) return setUpClaim(`${ctx.pod.metadata?.name ?? ''}-${volume.name}`, false, ctx);
  const unsupported = UNSUPPORTED_SOURCES.find((key) => volume[key] !== undefined);
  if (unsupported) throw new VolumeSetUpError(`volume type ${unsupported} is not supported by this kubelet`);
  // No source at all is an emptyDir (the API defaults it so).
  return setUpEmptyDir(volume, volume.emptyDir ?? {}, ctx);
}

/**
 * Prepares every volume of the pod. Volumes that fail are reported in `errors` (the others are still prepared), so
 * the kubelet can report FailedMount and retry. Calling it again refreshes configMap/secret/downwardAPI/projected
 * content in place; unchanged content is not rewritten.
 */
export async function setUpPodVolumes(pod: corev1.Pod, options: SetUpOptions): Promise<PreparedPodVolumes> {
  const uid = pod.metadata?.uid ?? '';
  const dir = podDir(options.rootDir, uid);
  await mkdir(join(dir, 'volumes'), { recursive: true, mode: 0o750 });
  const ctx: VolumeContext = { pod, uid, namespace: pod.metadata?.namespace ?? 'default', options };
  const volumes = new Map<string, PreparedVolume>();
  const errors: PreparedPodVolumes['errors'] = [];
  await Promise.all(
    (pod.spec?.volumes ?? []).map(async (volume) => {
      try {
        volumes.set(volume.name, await setUpVolume(volume, ctx));
      } catch (error) {
        errors.push({ volumeName: volume.name, message: error instanceof Error ? error.message : String(error) });
      }
    }),
  );
  errors.sort((a, b) => (a.volumeName < b.volumeName ? -1 : 1));
  return { podDir: dir, volumes, errors };
}

async function memoryVolumesOf(dir: string): Promise<string[]> {
  const pluginDir = join(dir, 'volumes', PLUGIN_EMPTY_DIR);
  let entries: string[];
  try {
    entries = await readdir(pluginDir);
  } catch {
    return [];
  }
  const names: string[] = [];
  for (const entry of entries) {
    if (entry.endsWith(DOCKER_VOLUME_MARKER)) names.push((await readFile(join(pluginDir, entry), 'utf8')).trim());
  }
  return names;
}

/**
 * Removes the pod's directory tree and its memory-backed Docker volumes (remove the pod's containers first: Docker
 * refuses to remove a volume in use). Symlinks inside the tree are removed, never followed; nothing outside
 * `<rootDir>/pods/<uid>` is touched.
 */
export async function tearDownPodVolumes(podUid: string, options: TearDownOptions): Promise<void> {
  const dir = podDir(options.rootDir, podUid);
  let real: string;
  try {
    real = await realpath(dir);
  } catch {
    forgetPodTokens(podUid);
    return;
  }
  const podsRoot = await realpath(join(resolve(options.rootDir), 'pods'));
  if (!isWithin(podsRoot, real) || real === podsRoot) throw new VolumeSetUpError(`refusing to remove ${dir}: it resolves outside ${podsRoot}`);
  const memoryVolumes = await memoryVolumesOf(real);
  if (memoryVolumes.length > 0) {
    if (!options.docker?.volumeRemove) throw new VolumeSetUpError(`pod ${podUid} has memory volumes (${memoryVolumes.join(', ')}) and no Docker client to remove them`);
    for (const name of memoryVolumes) await options.docker.volumeRemove(name, { force: true });
  }
  // fs.rm unlinks symlinks rather than following them.
  await rm(real, { recursive: true, force: true });
  forgetPodTokens(podUid);
}
