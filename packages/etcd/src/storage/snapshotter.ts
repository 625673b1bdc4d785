// Snapshot files: one per snapshot, named `<term>-<index>.snap` (16 hex digits each, like etcd).
//
// File format, little-endian:  [u32 crc32 of everything after it][u32 metadata length][metadata JSON][data]

import { open, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Snapshot, SnapshotMetadata } from '../raft/types.js';
import { SILENT_LOGGER, type StorageLogger } from './errors.js';
import { fsyncDirectory, hex16, isErrnoException, mkdirDurable, writeFully } from './fs-util.js';
import { isWalIndex } from './record.js';

const SNAP_NAME = /^([0-9a-f]{16})-([0-9a-f]{16})\.snap$/;
const SNAP_TEMP_SUFFIX = '.snap.tmp';
const BROKEN_SUFFIX = '.broken';
const HEADER_BYTES = 8;

interface SnapFileName {
  term: number;
  index: number;
  name: string;
}

/** The file holds bytes, but not a snapshot we wrote intact. */
class SnapshotFormatError extends Error {}

export function snapshotFileName(term: number, index: number): string {
  return `${hex16(term)}-${hex16(index)}.snap`;
}

function parseSnapshotFileName(name: string): SnapFileName | undefined {
  const match = SNAP_NAME.exec(name);
  if (!match) return undefined;
  const term = Number.parseInt(match[1]!, 16);
  const index = Number.parseInt(match[2]!, 16);
  if (!Number.isSafeInteger(term) || !Number.isSafeInteger(index)) return undefined;
  return { term, index, name };
}

/** Newest first: by index, then term. */
function newestFirst(a: SnapFileName, b: SnapFileName): number {
  return b.index - a.index || b.term - a.term;
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** Everything before the data: the crc32 slot (filled once the data is written) and the metadata. */
function encodeHeader(snapshot: Snapshot): Buffer {
  const { index, term, confState } = snapshot.metadata;
  const meta = Buffer.from(JSON.stringify({ index, term, confState: { voters: confState.voters, learners: confState.learners } }), 'utf8');
  const out = Buffer.alloc(HEADER_BYTES + meta.length);
  out.writeUInt32LE(meta.length, 4);
  meta.copy(out, HEADER_BYTES);
  return out;
}

/** The data goes to disk, and into the crc, a slice per turn: a large snapshot is never copied or summed in one go. */
const WRITE_SLICE_BYTES = 4 * 1024 * 1024;

function decodeSnapshot(bytes: Buffer, expected: SnapFileName): Snapshot {
  if (bytes.length < HEADER_BYTES) throw new SnapshotFormatError(`file is ${bytes.length} bytes, shorter than the header`);
  const stored = bytes.readUInt32LE(0);
  const actual = crc32(bytes.subarray(4));
  if (stored !== actual) throw new SnapshotFormatError(`crc mismatch (stored ${stored}, computed ${actual})`);
  const metaBytes = bytes.readUInt32LE(4);
  if (HEADER_BYTES + metaBytes > bytes.length) throw new SnapshotFormatError(`metadata length ${metaBytes} runs past the end`);
  let meta: Partial<SnapshotMetadata> | null;
  try {
    meta = JSON.parse(bytes.toString('utf8', HEADER_BYTES, HEADER_BYTES + metaBytes)) as Partial<SnapshotMetadata> | null;
  } catch {
    throw new SnapshotFormatError('metadata is not valid JSON');
  }
  if (!meta || !isWalIndex(meta.index) || !isWalIndex(meta.term) || !meta.confState) throw new SnapshotFormatError('metadata lacks index/term/confState');
  const { voters, learners } = meta.confState;
  if (!isStringArray(voters) || !isStringArray(learners)) throw new SnapshotFormatError('confState lacks voters/learners');
  if (meta.index !== expected.index || meta.term !== expected.term) {
    throw new SnapshotFormatError(`metadata says term ${meta.term} index ${meta.index}, the file name says ${expected.term}-${expected.index}`);
  }
  const start = HEADER_BYTES + metaBytes;
  // A plain Uint8Array view: callers get what they saved, not a Buffer subclass.
  const data = new Uint8Array(bytes.buffer, bytes.byteOffset + start, bytes.length - start);
  return { metadata: { index: meta.index, term: meta.term, confState: { voters, learners } }, data };
}

export class Snapshotter {
  /** Operations run one at a time, so cleaning up temp files never races a save of this Snapshotter. */
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly dir: string,
    private readonly logger: StorageLogger = SILENT_LOGGER,
  ) {}

  /** Atomically and durably writes `<term>-<index>.snap`: temp file, fsync, rename, fsync of the directory. */
  save(snapshot: Snapshot): Promise<void> {
    const { term, index } = snapshot.metadata;
    if (!isWalIndex(term) || !isWalIndex(index)) return Promise.reject(new RangeError(`snap: invalid term/index ${term}/${index}`));
    const header = encodeHeader(snapshot);
    const data = snapshot.data;
    return this.enqueue(async () => {
      await mkdirDurable(this.dir);
      const path = join(this.dir, snapshotFileName(term, index));
      const tempPath = path + '.tmp';
      const handle = await open(tempPath, 'w');
      try {
        let crc = crc32(header.subarray(4));
        await writeFully(handle, header, 0);
        for (let at = 0; at < data.byteLength; at += WRITE_SLICE_BYTES) {
          const slice = data.subarray(at, at + WRITE_SLICE_BYTES);
          crc = crc32(slice, crc);
          await writeFully(handle, slice, header.length + at);
        }
        const crcBytes = Buffer.alloc(4);
        crcBytes.writeUInt32LE(crc >>> 0, 0);
        await writeFully(handle, crcBytes, 0);
        await handle.sync();
      } catch (err) {
        await handle.close().catch(() => undefined);
        await rm(tempPath, { force: true });
        throw err;
      }
      await handle.close();
      await rename(tempPath, path);
      await fsyncDirectory(this.dir);
    });
  }

  /**
   * The newest intact snapshot, or undefined if there is none. A damaged file is renamed `*.broken` (kept for
   * inspection) with a warning, and the next older one is tried. Temp files of interrupted saves are removed.
   */
  loadNewest(): Promise<Snapshot | undefined> {
    return this.enqueue(async () => {
      const names = await this.list();
      if (names === undefined) return undefined;
      for (const name of names.all.filter((n) => n.endsWith(SNAP_TEMP_SUFFIX))) {
        this.logger.warn({ file: join(this.dir, name) }, 'snap: removing the temp file of an interrupted save');
        await rm(join(this.dir, name), { force: true });
      }
      for (const candidate of names.snapshots) {
        const path = join(this.dir, candidate.name);
        const bytes = await readFile(path);
        try {
          return decodeSnapshot(bytes, candidate);
        } catch (err) {
          if (!(err instanceof SnapshotFormatError)) throw err;
          this.logger.warn({ file: path, reason: err.message }, 'snap: damaged snapshot file renamed to .broken; trying an older one');
          await rename(path, path + BROKEN_SUFFIX);
          await fsyncDirectory(this.dir);
        }
      }
      return undefined;
    });
  }

  /** Deletes all but the newest `keep` snapshot files. */
  purge(keep: number): Promise<void> {
    if (!Number.isSafeInteger(keep) || keep < 0) return Promise.reject(new RangeError(`snap: invalid keep count ${keep}`));
    return this.enqueue(async () => {
      const names = await this.list();
      if (names === undefined) return;
      const doomed = names.snapshots.slice(keep);
      for (const old of doomed) await rm(join(this.dir, old.name), { force: true });
      if (doomed.length > 0) await fsyncDirectory(this.dir);
    });
  }

  private async list(): Promise<{ all: string[]; snapshots: SnapFileName[] } | undefined> {
    let all: string[];
    try {
      all = await readdir(this.dir);
    } catch (err) {
      if (isErrnoException(err, 'ENOENT')) return undefined;
      throw err;
    }
    const snapshots = all.map(parseSnapshotFileName).filter((s): s is SnapFileName => s !== undefined);
    return { all, snapshots: snapshots.sort(newestFirst) };
  }

  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.queue.then(operation);
    this.queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }
}
