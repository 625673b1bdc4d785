// hostPath volumes: the node path is bind-mounted as it is, after the `type` check Kubernetes' hostPath plugin makes.
import { mkdir, open, stat } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import type { corev1 } from '@k8ts/api-machinery';
import { VolumeSetUpError } from './types.js';

export type HostPathType = NonNullable<corev1.HostPathVolumeSource['type']>;

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function fail(path: string, what: string): never {
  throw new VolumeSetUpError(`hostPath type check failed: ${path} is not ${what}`);
}

/**
 * Checks (and for the *OrCreate types creates) the host path: DirectoryOrCreate makes it 0755 with its parents,
 * FileOrCreate an empty 0644 file (its directory must exist), the other types must already be that kind of file.
 */
export async function checkHostPathType(path: string, type: HostPathType | undefined): Promise<void> {
  if (type === undefined || type === '') return;
  let info = await statOrUndefined(path);
  switch (type) {
    case 'DirectoryOrCreate':
      if (!info) {
        await mkdir(path, { recursive: true, mode: 0o755 });
        return;
      }
      if (!info.isDirectory()) fail(path, 'a directory');
      return;
    case 'Directory':
      if (!info?.isDirectory()) fail(path, 'a directory');
      return;
    case 'FileOrCreate':
      if (!info) {
        try {
          const handle = await open(path, 'a', 0o644);
          await handle.close();
        } catch (error) {
          throw new VolumeSetUpError(`open ${path}: ${(error as Error).message}`);
        }
        info = await stat(path);
      }
      if (!info.isFile()) fail(path, 'a file');
      return;
    case 'File':
      if (!info?.isFile()) fail(path, 'a file');
      return;
    case 'Socket':
      if (!info?.isSocket()) fail(path, 'a socket file');
      return;
    case 'CharDevice':
      if (!info?.isCharacterDevice()) fail(path, 'a character device');
      return;
    case 'BlockDevice':
      if (!info?.isBlockDevice()) fail(path, 'a block device');
      return;
    default:
      throw new VolumeSetUpError(`${String(type)} is an invalid volume type`);
  }
}
