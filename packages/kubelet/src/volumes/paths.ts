// The kubelet's on-disk layout: <rootDir>/pods/<uid>/volumes/kubernetes.io~<plugin>/<volume>, and
// <rootDir>/pods/<uid>/containers/<container>/ for per-container files such as the termination log.
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { VolumeSetUpError } from './types.js';

export const PLUGIN_EMPTY_DIR = 'kubernetes.io~empty-dir';
export const PLUGIN_HOST_PATH = 'kubernetes.io~host-path';
export const PLUGIN_CONFIG_MAP = 'kubernetes.io~configmap';
export const PLUGIN_SECRET = 'kubernetes.io~secret';
export const PLUGIN_DOWNWARD_API = 'kubernetes.io~downward-api';
export const PLUGIN_PROJECTED = 'kubernetes.io~projected';
export const PLUGIN_LOCAL_VOLUME = 'kubernetes.io~local-volume';

/** A pod UID becomes a directory name: it must be one plain path element. */
export function assertPathElement(name: string, what: string): void {
  if (!name || name === '.' || name === '..' || name.includes('/') || name.includes('\\') || name.includes('\0')) {
    throw new VolumeSetUpError(`invalid ${what} ${JSON.stringify(name)}`);
  }
}

export function podDir(rootDir: string, podUid: string): string {
  assertPathElement(podUid, 'pod UID');
  return join(resolve(rootDir), 'pods', podUid);
}

export function volumeDir(rootDir: string, podUid: string, plugin: string, volumeName: string): string {
  assertPathElement(volumeName, 'volume name');
  return join(podDir(rootDir, podUid), 'volumes', plugin, volumeName);
}

export function containerDir(podDirectory: string, containerName: string): string {
  assertPathElement(containerName, 'container name');
  return join(podDirectory, 'containers', containerName);
}

/** Whether `child` is `parent` or below it (both absolute, already resolved). */
export function isWithin(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}
