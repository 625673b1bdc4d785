// A container's Docker mounts from its volumeMounts (kubelet's makeMounts): subPath/subPathExpr below the volume,
// read-only flags, propagation, and the termination-message file.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, realpathSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { corev1 } from '@k8ts/api-machinery';
import type { Mount } from '../docker/types.js';
import { type EnvPair, expandSubPathExpr } from '../pods/env.js';
import { containerDir, isWithin } from './paths.js';
import { VolumeSetUpError, type PreparedPodVolumes } from './types.js';

export interface ContainerMountOptions {
  /** The container's resolved environment, for subPathExpr. */
  env: EnvPair[];
  /** The restart count: each attempt gets its own termination-message file; a unique name when absent. */
  attempt?: number;
}

export interface ContainerMounts {
  mounts: Mount[];
  /** Host path of the termination-message file, when the container has a terminationMessagePath. */
  terminationLogPath?: string;
}

/** Host path of a container attempt's termination-message file. */
export function terminationLogPath(podDirectory: string, containerName: string, attempt?: number): string {
  const suffix = attempt === undefined ? `${Date.now()}-${randomBytes(4).toString('hex')}` : String(attempt);
  return join(containerDir(podDirectory, containerName), `termination-log-${suffix}`);
}

/** Kubernetes' subPath rules: relative, no `..` element. */
function validateSubPath(subPath: string): void {
  if (posix.isAbsolute(subPath)) throw new VolumeSetUpError(`error SubPath \`${subPath}\` must not be an absolute path`);
  if (subPath.split('/').includes('..')) throw new VolumeSetUpError(`unable to provision SubPath \`${subPath}\`: must not contain '..'`);
}

/** The host path of a subPath below a bind volume, created when missing, refused when a symlink leads outside. */
function resolveSubPath(volumePath: string, subPath: string, mount: corev1.VolumeMount, container: corev1.Container): string {
  validateSubPath(subPath);
  const volumeReal = realpathSync(volumePath);
  const wanted = join(volumeReal, subPath);
  let exists = true;
  try {
    lstatSync(wanted);
  } catch {
    exists = false;
  }
  if (!exists) {
    // Create each missing element, checking after each step that no symlink has led out of the volume.
    let current = volumeReal;
    for (const element of subPath.split('/').filter((e) => e !== '' && e !== '.')) {
      current = join(current, element);
      try {
        mkdirSync(current, { mode: 0o755 });
        chmodSync(current, 0o777 & lstatSync(volumeReal).mode);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
          throw new VolumeSetUpError(`failed to create subPath directory for volumeMount "${mount.name}" of container "${container.name}"`);
        }
      }
      current = realpathSync(current);
      if (!isWithin(volumeReal, current)) throw new VolumeSetUpError(`subPath "${subPath}" of volumeMount "${mount.name}" resolves outside the volume`);
    }
  }
  const real = realpathSync(wanted);
  if (!isWithin(volumeReal, real)) throw new VolumeSetUpError(`subPath "${subPath}" of volumeMount "${mount.name}" resolves outside the volume`);
  return real;
}

function propagation(mode: string | undefined): Mount['BindOptions'] | undefined {
  if (mode === 'HostToContainer') return { Propagation: 'rslave' };
  if (mode === 'Bidirectional') return { Propagation: 'rshared' };
  return undefined;
}

function ensureTerminationLog(path: string): void {
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o750 });
  closeSync(openSync(path, 'a', 0o666));
  // Writable by whatever user the container runs as.
  chmodSync(path, 0o666);
}

/**
 * The Docker mounts of one container. Throws VolumeSetUpError (the kubelet reports CreateContainerConfigError) when
 * a volumeMount names an unknown or unprepared volume or a subPath is invalid.
 */
export function containerMounts(pod: corev1.Pod, container: corev1.Container, prepared: PreparedPodVolumes, options: ContainerMountOptions): ContainerMounts {
  const mounts: Mount[] = [];
  for (const volumeMount of container.volumeMounts ?? []) {
    const volume = prepared.volumes.get(volumeMount.name);
    if (!volume) {
      const declared = (pod.spec?.volumes ?? []).some((v) => v.name === volumeMount.name);
      throw new VolumeSetUpError(declared ? `volume "${volumeMount.name}" is not set up` : `cannot find volume "${volumeMount.name}" to mount into container "${container.name}"`);
    }
    const subPath = volumeMount.subPathExpr ? expandSubPathExpr(volumeMount.subPathExpr, options.env) : (volumeMount.subPath ?? '');
    const readOnly = volume.readOnly || (volumeMount.readOnly ?? false);
    let mount: Mount;
    if (volume.kind === 'volume') {
      if (subPath) throw new VolumeSetUpError(`subPath is not supported for volume "${volumeMount.name}" (a Docker volume)`);
      mount = { Type: 'volume', Source: volume.volumeName, Target: volumeMount.mountPath, ReadOnly: readOnly };
    } else {
      const source = subPath ? resolveSubPath(volume.hostPath, subPath, volumeMount, container) : volume.hostPath;
      mount = { Type: 'bind', Source: source, Target: volumeMount.mountPath, ReadOnly: readOnly };
      const bindOptions = propagation(volumeMount.mountPropagation);
      if (bindOptions) mount.BindOptions = bindOptions;
    }
    mounts.push(mount);
  }
  const result: ContainerMounts = { mounts };
  const messagePath = container.terminationMessagePath ?? '/dev/termination-log';
  if (messagePath) {
    const hostPath = terminationLogPath(prepared.podDir, container.name, options.attempt);
    ensureTerminationLog(hostPath);
    mounts.push({ Type: 'bind', Source: hostPath, Target: messagePath, ReadOnly: false });
    result.terminationLogPath = hostPath;
  }
  return result;
}
