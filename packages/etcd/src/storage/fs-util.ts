import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

/** Makes creations, renames and deletions in `dir` durable: the directory entry is data too. */
export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Positional write of the whole buffer; loops only if the kernel accepts it in pieces (rare for regular files). */
export async function writeFully(handle: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let written = 0;
  while (written < data.length) {
    const { bytesWritten } = await handle.write(data, written, data.length - written, position + written);
    if (bytesWritten <= 0) throw new Error(`write returned ${bytesWritten} bytes`);
    written += bytesWritten;
  }
}

export function hex16(value: number): string {
  return value.toString(16).padStart(16, '0');
}

export function isErrnoException(err: unknown, code: string): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === code;
}

/** mkdir -p that also makes each newly created directory's entry durable in its parent. */
export async function mkdirDurable(dir: string): Promise<void> {
  const firstCreated = await mkdir(dir, { recursive: true });
  if (firstCreated === undefined) return;
  for (let created = resolve(dir); ; created = dirname(created)) {
    await fsyncDirectory(dirname(created));
    if (created === resolve(firstCreated)) return;
  }
}
