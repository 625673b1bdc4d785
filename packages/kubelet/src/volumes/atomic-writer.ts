// Kubernetes' AtomicWriter: a volume's files live in a timestamped `..<ts>` directory; `..data` is a symlink to it,
// swapped by rename(2); user-visible names are symlinks `name -> ..data/name`. A container with the directory
// bind-mounted therefore sees either the old or the new set of files, never a mix, and sees updates without a remount.
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rename, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, posix } from 'node:path';
import { VolumeSetUpError } from './types.js';

export interface FileProjection {
  data: Buffer;
  /** Permission bits, e.g. 0o644. */
  mode: number;
}

/** Relative path -> content; what a configMap/secret/downwardAPI/projected volume should contain. */
export type Payload = Map<string, FileProjection>;

const DATA_DIR = '..data';
const DATA_DIR_TMP = '..data_tmp';

export interface WriteOptions {
  /** The pod's fsGroup: files get that group and group read, as Kubernetes' SetVolumeOwnership does. */
  fsGroup?: number;
}

/** Rejects absolute paths and any `..` element, as validatePath does. */
export function validatePayloadPath(path: string): string {
  if (path === '') throw new VolumeSetUpError('invalid path: must not be empty');
  if (posix.isAbsolute(path)) throw new VolumeSetUpError(`invalid path: must be relative path: ${path}`);
  if (path.length > 4096) throw new VolumeSetUpError(`invalid path: must be less than or equal to 4096 characters`);
  const elements = path.split('/');
  if (elements.includes('..')) throw new VolumeSetUpError(`invalid path: must not contain '..': ${path}`);
  if (path.startsWith('..')) throw new VolumeSetUpError(`invalid path: must not start with '..': ${path}`);
  return posix.normalize(path).replace(/\/+$/, '');
}

function timestampPrefix(now: Date): string {
  const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
  return `..${now.getUTCFullYear()}_${pad(now.getUTCMonth() + 1)}_${pad(now.getUTCDate())}_${pad(now.getUTCHours())}_${pad(now.getUTCMinutes())}_${pad(now.getUTCSeconds())}.`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Every regular file under `dir` as relative paths (symlinks are not followed). */
async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...(await listFiles(join(dir, entry.name), rel)));
    else if (entry.isFile()) files.push(rel);
  }
  return files;
}

/** Whether the timestamped directory already holds exactly this payload (content and mode). */
async function payloadMatches(tsDir: string, payload: Payload, options: WriteOptions): Promise<boolean> {
  let files: string[];
  try {
    files = await listFiles(tsDir);
  } catch {
    return false;
  }
  if (files.length !== payload.size) return false;
  for (const file of files) {
    const wanted = payload.get(file);
    if (!wanted) return false;
    const path = join(tsDir, file);
    const info = await stat(path);
    if ((info.mode & 0o7777) !== effectiveMode(wanted.mode, options)) return false;
    if (options.fsGroup !== undefined && info.gid !== options.fsGroup) return false;
    if (!(await readFile(path)).equals(wanted.data)) return false;
  }
  return true;
}

function effectiveMode(mode: number, options: WriteOptions): number {
  return options.fsGroup === undefined ? mode & 0o777 : (mode | 0o440) & 0o777;
}

async function writePayloadToDir(dir: string, payload: Payload, options: WriteOptions): Promise<void> {
  for (const [path, file] of payload) {
    const target = join(dir, path);
    await mkdir(dirname(target), { recursive: true, mode: 0o755 });
    await writeFile(target, file.data, { mode: 0o600 });
    if (options.fsGroup !== undefined) await chown(target, process.getuid?.() ?? 0, options.fsGroup);
    // chmod after writing: the mode given to writeFile is masked by the umask.
    await chmod(target, effectiveMode(file.mode, options));
  }
}

/** The first path element of every payload path: the names that get a `name -> ..data/name` symlink. */
function userVisibleNames(payload: Payload): Set<string> {
  return new Set([...payload.keys()].map((path) => path.split('/')[0] as string));
}

export interface WriteResult {
  /** False when the payload was already there and nothing was written. */
  written: boolean;
}

/**
 * Makes `targetDir` contain exactly `payload`, atomically. Writes a new timestamped directory only when the content
 * or modes changed; then makes sure every user-visible symlink exists and removes those no longer in the payload.
 */
export async function writeAtomically(targetDir: string, input: Payload, options: WriteOptions = {}): Promise<WriteResult> {
  const payload: Payload = new Map();
  for (const [path, file] of input) payload.set(validatePayloadPath(path), file);
  await mkdir(targetDir, { recursive: true, mode: 0o755 });

  const dataLink = join(targetDir, DATA_DIR);
  let oldTsName: string | undefined;
  try {
    oldTsName = await readlink(dataLink);
  } catch {
    oldTsName = undefined;
  }
  const oldTsDir = oldTsName === undefined ? undefined : join(targetDir, normalize(oldTsName));
  const oldNames = new Set<string>();
  if (oldTsDir) {
    try {
      for (const name of await readdir(oldTsDir)) oldNames.add(name);
    } catch {
      // the old directory vanished: everything is rewritten below
    }
  }

  const unchanged = oldTsDir !== undefined && (await payloadMatches(oldTsDir, payload, options));
  if (!unchanged) {
    const tsDir = await mkdtemp(join(targetDir, timestampPrefix(new Date())));
    await chmod(tsDir, 0o755);
    await writePayloadToDir(tsDir, payload, options);
    const tmpLink = join(targetDir, DATA_DIR_TMP);
    await rm(tmpLink, { force: true });
    await symlink(posix.basename(tsDir), tmpLink);
    await rename(tmpLink, dataLink);
  }

  const visible = userVisibleNames(payload);
  for (const name of visible) {
    const link = join(targetDir, name);
    if (!(await exists(link))) await symlink(posix.join(DATA_DIR, name), link);
  }
  for (const name of oldNames) {
    if (!visible.has(name)) await unlink(join(targetDir, name)).catch(() => undefined);
  }
  if (!unchanged && oldTsDir) await rm(oldTsDir, { recursive: true, force: true });
  return { written: !unchanged };
}
