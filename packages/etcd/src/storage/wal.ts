// The write-ahead log: Raft's entries, hard state and snapshot markers, made durable before Raft acts on them.

import { fdatasyncSync, fstatSync, readdirSync, writeSync } from 'node:fs';
import { open, readdir, readFile, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { EMPTY_HARD_STATE, type Entry, type HardState, type SnapshotMetadata } from '../raft/types.js';
import { SILENT_LOGGER, WalCorruptError, type StorageLogger } from './errors.js';
import { fsyncDirectory, isErrnoException, mkdirDurable, writeFully } from './fs-util.js';
import {
  encodeRecords,
  entryRecord,
  hardStateRecord,
  isWalIndex,
  metadataRecord,
  snapshotRecord,
  type PendingRecord,
  type WalMetadata,
  type WalRecord,
} from './record.js';
import { parseSegmentFileName, scanSegment, SEGMENT_TEMP_SUFFIX, segmentFileName, type SegmentName } from './segment.js';

export const DEFAULT_SEGMENT_BYTES = 64 * 1024 * 1024;

export interface WalContents {
  metadata: WalMetadata;
  /** Last saved hard state (EMPTY_HARD_STATE if none). */
  hardState: HardState;
  /** Entries after the snapshot index given to open, contiguous, with rewritten suffixes applied. */
  entries: Entry[];
  /** Snapshot markers still in the WAL, oldest first. */
  snapshots: SnapshotMetadata[];
}

export interface WalCreateOptions {
  /** A save that would grow the current segment past this starts a new segment. */
  segmentBytes?: number;
  /**
   * Grow the current segment ahead of its records by this many zeroed bytes at a time (0: off). An fdatasync that
   * does not change the file's size has no metadata to journal, which makes the per-save fsync markedly cheaper when
   * several members share a disk (etcd preallocates its segments for the same reason). Replay stops at the zeroes.
   */
  preallocateBytes?: number;
}

export interface WalOpenOptions extends WalCreateOptions {
  /** Index of the snapshot the caller restores from (0 if none): only entries after it are returned. */
  snapshotIndex: number;
  logger?: StorageLogger;
}

interface Segment {
  seq: number;
  firstIndex: number;
  path: string;
  bytes: number;
}

interface WalState {
  segments: Segment[];
  handle: FileHandle;
  /** Size of the current segment's file: its records, then zeroes up to here. */
  allocated: number;
  headerBytes: number;
  lastIndex: number;
  snapshotIndex: number;
  hardState: HardState;
}

function isEmptyHardState(hs: HardState): boolean {
  return hs.term === EMPTY_HARD_STATE.term && hs.vote === EMPTY_HARD_STATE.vote && hs.commit === EMPTY_HARD_STATE.commit;
}

function checkSegmentBytes(segmentBytes: number | undefined): number {
  const value = segmentBytes ?? DEFAULT_SEGMENT_BYTES;
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`wal: segmentBytes must be a positive integer, got ${value}`);
  return value;
}

function checkPreallocateBytes(preallocateBytes: number | undefined): number {
  const value = preallocateBytes ?? 0;
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`wal: preallocateBytes must be a non-negative integer, got ${value}`);
  return value;
}

const ZEROES = Buffer.alloc(1024 * 1024);

function checkEntries(entries: readonly Entry[]): void {
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    if (!isWalIndex(e.term) || !isWalIndex(e.index)) throw new RangeError(`wal: entry ${i} has an invalid term/index (${e.term}/${e.index})`);
    if (e.type !== 'normal' && e.type !== 'confChange') throw new RangeError(`wal: entry ${e.index} has unknown type ${String(e.type)}`);
    if (typeof e.data !== 'string') throw new TypeError(`wal: entry ${e.index} data is not a string`);
    if (i > 0 && e.index !== entries[i - 1]!.index + 1) {
      throw new RangeError(`wal: entries of one save must be consecutive, got ${entries[i - 1]!.index} then ${e.index}`);
    }
  }
}

function checkHardState(hs: HardState): void {
  if (!isWalIndex(hs.term) || !isWalIndex(hs.commit) || typeof hs.vote !== 'string') {
    throw new RangeError(`wal: invalid hard state ${JSON.stringify(hs)}`);
  }
}

function checkSnapshotMetadata(meta: SnapshotMetadata): void {
  if (!isWalIndex(meta.term) || !isWalIndex(meta.index)) throw new RangeError(`wal: invalid snapshot term/index ${meta.term}/${meta.index}`);
}

/** Writes a segment's header under a temporary name, makes it durable, then gives it its final name. */
async function createSegmentFile(dir: string, path: string, header: Buffer): Promise<FileHandle> {
  const tempPath = path + '.tmp';
  const handle = await open(tempPath, 'w+');
  try {
    await writeFully(handle, header, 0);
    await handle.datasync();
    await rename(tempPath, path);
    await fsyncDirectory(dir);
    return handle;
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(tempPath, { force: true }).catch(() => undefined);
    throw err;
  }
}

/** Segments that never got their final name were never part of the log. */
async function removeTempSegments(dir: string, names: readonly string[], logger: StorageLogger): Promise<void> {
  const temps = names.filter((n) => n.endsWith(SEGMENT_TEMP_SUFFIX));
  for (const name of temps) {
    logger.warn({ file: join(dir, name) }, 'wal: removing a segment whose creation was interrupted');
    await rm(join(dir, name), { force: true });
  }
  if (temps.length > 0) await fsyncDirectory(dir);
}

/** Rebuilds the log from records in WAL order. */
class Replay {
  metadata: WalMetadata | undefined;
  hardState: HardState = EMPTY_HARD_STATE;
  readonly snapshots: SnapshotMetadata[] = [];
  /** Entries after the snapshot index, contiguous. */
  readonly entries: Entry[] = [];
  /** Index of the newest entry seen, including those at or below the snapshot index. */
  lastIndex: number | undefined;

  constructor(readonly snapshotIndex: number) {}

  acceptMetadata(metadata: WalMetadata, file: string): void {
    if (this.metadata === undefined) {
      this.metadata = metadata;
    } else if (metadata.memberId !== this.metadata.memberId || metadata.clusterId !== this.metadata.clusterId) {
      throw new WalCorruptError(file, 0, `segment metadata ${JSON.stringify(metadata)} differs from ${JSON.stringify(this.metadata)}`);
    }
  }

  apply(record: WalRecord, file: string, offset: number): void {
    switch (record.type) {
      case 'hardState':
        this.hardState = record.hardState;
        return;
      case 'snapshot':
        this.snapshots.push(record.snapshot);
        return;
      case 'entry':
        this.applyEntry(record.entry, file, offset);
        return;
      case 'metadata':
        throw new WalCorruptError(file, offset, 'metadata record in the middle of a segment');
    }
  }

  private applyEntry(entry: Entry, file: string, offset: number): void {
    const last = this.lastIndex;
    if (last !== undefined && entry.index <= last) {
      // Raft rewrote a suffix: everything from this index on is superseded.
      const first = this.entries[0]?.index;
      if (first !== undefined) this.entries.length = Math.max(0, Math.min(this.entries.length, entry.index - first));
    } else if (last !== undefined && entry.index > last + 1 && entry.index - 1 > this.snapshotIndex) {
      // A jump is legitimate only after a snapshot (from the leader) that covers the skipped indexes.
      throw new WalCorruptError(file, offset, `entry ${entry.index} follows entry ${last}, and snapshot index ${this.snapshotIndex} does not cover the gap`);
    }
    this.lastIndex = entry.index;
    if (entry.index > this.snapshotIndex) this.entries.push(entry);
  }

  checkStartsAfterSnapshot(dir: string): void {
    const first = this.entries[0];
    if (first !== undefined && first.index !== this.snapshotIndex + 1) {
      throw new Error(
        `wal: ${dir} resumes at entry ${first.index} but the snapshot is at ${this.snapshotIndex}: ` +
          `entries ${this.snapshotIndex + 1}..${first.index - 1} are missing`,
      );
    }
  }
}

export class Wal {
  private readonly segments: Segment[];
  private handle: FileHandle;
  /** Bytes of the current segment's header (metadata, hard state): a segment holding only those is never rotated. */
  private headerBytes: number;
  /** Newest entry written: the next segment is named after lastIndex + 1. */
  private lastIndex: number;
  /** Newest snapshot known to cover the log's start: entries may jump past the log's end up to just after it. */
  private snapshotIndex: number;
  private hardState: HardState;
  private allocated: number;
  /** Every operation runs after the previous one settled, in call order. */
  private queue: Promise<void> = Promise.resolve();
  /** A failed write or fsync leaves the file in an unknown state: the WAL refuses further writes (fail-stop). */
  private failure: Error | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly dir: string,
    private readonly metadata: WalMetadata,
    private readonly segmentBytes: number,
    private readonly preallocateBytes: number,
    state: WalState,
  ) {
    this.segments = state.segments;
    this.handle = state.handle;
    this.allocated = state.allocated;
    this.headerBytes = state.headerBytes;
    this.lastIndex = state.lastIndex;
    this.snapshotIndex = state.snapshotIndex;
    this.hardState = state.hardState;
  }

  /** Whether `dir` holds at least one WAL segment. */
  static exists(dir: string): boolean {
    try {
      return readdirSync(dir).some((name) => parseSegmentFileName(name) !== undefined);
    } catch (err) {
      if (isErrnoException(err, 'ENOENT')) return false;
      throw err;
    }
  }

  /** Starts a new WAL in `dir` (created if missing); fails if one is already there. */
  static async create(dir: string, metadata: WalMetadata, opts: WalCreateOptions = {}): Promise<Wal> {
    const segmentBytes = checkSegmentBytes(opts.segmentBytes);
    const preallocateBytes = checkPreallocateBytes(opts.preallocateBytes);
    if (Wal.exists(dir)) throw new Error(`wal: ${dir} already holds a WAL`);
    await mkdirDurable(dir);
    await removeTempSegments(dir, await readdir(dir), SILENT_LOGGER);
    const path = join(dir, segmentFileName(0, 0));
    const header = encodeRecords([metadataRecord(metadata)]);
    const handle = await createSegmentFile(dir, path, header);
    return new Wal(dir, { memberId: metadata.memberId, clusterId: metadata.clusterId }, segmentBytes, preallocateBytes, {
      segments: [{ seq: 0, firstIndex: 0, path, bytes: header.length }],
      handle,
      allocated: header.length,
      headerBytes: header.length,
      lastIndex: 0,
      snapshotIndex: 0,
      hardState: EMPTY_HARD_STATE,
    });
  }

  /**
   * Replays the WAL in `dir` and opens it for appending. A torn tail (the newest write, interrupted by a crash) is
   * cut off with a warning; damage anywhere else throws WalCorruptError.
   */
  static async open(dir: string, opts: WalOpenOptions): Promise<{ wal: Wal; contents: WalContents }> {
    if (!isWalIndex(opts.snapshotIndex)) throw new RangeError(`wal: invalid snapshotIndex ${opts.snapshotIndex}`);
    const segmentBytes = checkSegmentBytes(opts.segmentBytes);
    const preallocateBytes = checkPreallocateBytes(opts.preallocateBytes);
    const logger = opts.logger ?? SILENT_LOGGER;
    const names = await readdir(dir);
    await removeTempSegments(dir, names, logger);
    const found = names
      .map(parseSegmentFileName)
      .filter((s): s is SegmentName => s !== undefined)
      .sort((a, b) => a.seq - b.seq);
    if (found.length === 0) throw new Error(`wal: no segment files in ${dir}`);
    for (let i = 1; i < found.length; i++) {
      if (found[i]!.seq !== found[i - 1]!.seq + 1) {
        throw new WalCorruptError(join(dir, found[i]!.name), 0, `segment sequence jumps from ${found[i - 1]!.seq} to ${found[i]!.seq}: a segment is missing`);
      }
    }

    const replay = new Replay(opts.snapshotIndex);
    const segments: Segment[] = [];
    let currentHeaderBytes = 0;
    let currentHasHardState = false;
    let tornAt: number | undefined;
    for (let i = 0; i < found.length; i++) {
      const { seq, firstIndex, name } = found[i]!;
      const path = join(dir, name);
      const data = await readFile(path);
      const isLast = i === found.length - 1;
      let records = 0;
      let headerBytes = 0;
      let hasHardState = false;
      const scan = scanSegment(data, path, isLast, ({ record, offset, end }) => {
        if (records === 0) {
          if (record.type !== 'metadata') throw new WalCorruptError(path, offset, `segment starts with a ${record.type} record, not metadata`);
          replay.acceptMetadata(record.metadata, path);
          headerBytes = end;
        } else {
          if (record.type === 'hardState') {
            hasHardState = true;
            if (records === 1) headerBytes = end;
          }
          replay.apply(record, path, offset);
        }
        records++;
      });
      if (records === 0) {
        if (!isLast) throw new WalCorruptError(path, 0, 'empty segment that is not the last');
        // A rotation that crashed before the new header was durable: the previous segment still holds everything.
        if (i === 0) throw new WalCorruptError(path, 0, 'the only segment has no intact metadata record');
        logger.warn({ file: path, bytes: data.length }, 'wal: removing an incomplete segment left by a crash during rotation');
        await rm(path);
        await fsyncDirectory(dir);
        break;
      }
      if (scan.tornTail) {
        logger.warn(
          { file: path, offset: scan.tornTail.offset, reason: scan.tornTail.reason, discardedBytes: data.length - scan.validBytes },
          'wal: truncating a torn tail left by a crash',
        );
        tornAt = scan.validBytes;
      }
      segments.push({ seq, firstIndex, path, bytes: scan.validBytes });
      currentHeaderBytes = headerBytes;
      currentHasHardState = hasHardState;
    }
    replay.checkStartsAfterSnapshot(dir);
    const metadata = replay.metadata!;

    const current = segments[segments.length - 1]!;
    const handle = await open(current.path, 'r+');
    let allocated: number;
    try {
      if (tornAt !== undefined) {
        await handle.truncate(tornAt);
        await handle.datasync();
      }
      // Each segment must carry the hard state by itself so older segments can be released; a torn header may have
      // lost it.
      if (!currentHasHardState && !isEmptyHardState(replay.hardState)) {
        const record = encodeRecords([hardStateRecord(replay.hardState)]);
        await writeFully(handle, record, current.bytes);
        await handle.datasync();
        current.bytes += record.length;
      }
      allocated = (await handle.stat()).size;
    } catch (err) {
      await handle.close().catch(() => undefined);
      throw err;
    }

    const snapshotIndex = replay.snapshots.reduce((max, s) => Math.max(max, s.index), opts.snapshotIndex);
    const wal = new Wal(dir, metadata, segmentBytes, preallocateBytes, {
      segments,
      handle,
      allocated,
      headerBytes: currentHeaderBytes,
      // With no entries left in the WAL (all released), the log ends at the snapshot.
      lastIndex: replay.lastIndex ?? opts.snapshotIndex,
      snapshotIndex,
      hardState: replay.hardState,
    });
    return {
      wal,
      contents: { metadata: { ...metadata }, hardState: replay.hardState, entries: replay.entries, snapshots: replay.snapshots },
    };
  }

  /** Total bytes of the segment files the WAL still holds. */
  get sizeBytes(): number {
    return this.segments.reduce((sum, s) => sum + s.bytes, 0);
  }

  /**
   * Appends `entries` (possibly rewriting a suffix of the log) and then `hardState`, in one write and one fdatasync.
   * Resolves once durable. Entries go first so a torn save never leaves a commit index pointing past the log.
   * `sync: false` skips the fdatasync: for a change of the commit index alone, which Raft does not need durable
   * (etcd's MustSync); the record becomes durable with the next synced save.
   */
  save(hardState: HardState | undefined, entries: Entry[], opts: { sync?: boolean } = {}): Promise<void> {
    const sync = opts.sync ?? true;
    try {
      checkEntries(entries);
      if (hardState) checkHardState(hardState);
    } catch (err) {
      return Promise.reject(err);
    }
    const records: PendingRecord[] = entries.map(entryRecord);
    if (hardState) records.push(hardStateRecord(hardState));
    // Encoded now, so the bytes are what the caller passed even if it reuses the objects, and CPU work overlaps
    // with the fsync of a save still in flight.
    const data = records.length > 0 ? encodeRecords(records) : undefined;
    const first = entries[0];
    const last = entries[entries.length - 1];
    const savedHardState = hardState ? { ...hardState } : undefined;
    return this.enqueue(async () => {
      if (first && first.index > this.lastIndex + 1 && first.index - 1 > this.snapshotIndex) {
        throw new RangeError(`wal: entry ${first.index} would leave a gap after entry ${this.lastIndex} (snapshot index ${this.snapshotIndex})`);
      }
      if (!data) return;
      await this.appendDurably(data, sync);
      if (last) this.lastIndex = last.index;
      if (savedHardState) this.hardState = savedHardState;
    });
  }

  /** Records that a snapshot at `meta.index` exists (saved by the Snapshotter first). Resolves once durable. */
  saveSnapshot(meta: SnapshotMetadata): Promise<void> {
    try {
      checkSnapshotMetadata(meta);
    } catch (err) {
      return Promise.reject(err);
    }
    const data = encodeRecords([snapshotRecord(meta)]);
    return this.enqueue(async () => {
      await this.appendDurably(data);
      this.snapshotIndex = Math.max(this.snapshotIndex, meta.index);
    });
  }

  /**
   * Deletes the oldest segments whose live entries are all below `index`, never the current one. A segment's
   * live entries end before the next segment's first index, so that name decides. Only a prefix of the chain goes,
   * oldest first, each deletion made durable, so a crash never leaves a gap in the sequence.
   */
  releaseTo(index: number): Promise<void> {
    if (!isWalIndex(index)) return Promise.reject(new RangeError(`wal: invalid release index ${index}`));
    return this.enqueue(async () => {
      while (this.segments.length > 1 && this.segments[1]!.firstIndex <= index) {
        await rm(this.segments[0]!.path);
        await fsyncDirectory(this.dir);
        this.segments.shift();
      }
    });
  }

  /** Waits for queued operations, then closes the file. Later calls are rejected. */
  close(): Promise<void> {
    this.closing ??= this.queue.then(() => this.handle.close());
    return this.closing;
  }

  private enqueue(operation: () => Promise<void>): Promise<void> {
    if (this.closing) return Promise.reject(new Error('wal: closed'));
    const run = this.queue.then(() => {
      if (this.failure) throw new Error(`wal: unusable after a failed write: ${this.failure.message}`, { cause: this.failure });
      return operation();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private get current(): Segment {
    return this.segments[this.segments.length - 1]!;
  }

  private async appendDurably(data: Buffer, sync = true): Promise<void> {
    try {
      if (this.current.bytes + data.length > this.segmentBytes && this.current.bytes > this.headerBytes) await this.rotate();
      const segment = this.current;
      if (this.preallocateBytes > 0 && segment.bytes + data.length > this.allocated) this.preallocate(segment.bytes + data.length);
      // Synchronous on purpose: a write + fdatasync costs ~0.2-0.3 ms here, while the two thread-pool round trips of
      // the async calls cost milliseconds on a busy event loop, and this sits on the commit path of every write.
      let written = 0;
      while (written < data.length) written += writeSync(this.handle.fd, data, written, data.length - written, segment.bytes + written);
      if (sync) fdatasyncSync(this.handle.fd);
      segment.bytes += data.length;
    } catch (err) {
      // After a failed write or fsync the kernel may have dropped dirty pages: retrying could claim durability falsely.
      this.failure = err instanceof Error ? err : new Error(String(err));
      throw err;
    }
  }

  /**
   * Zero-fills the current segment from its allocated end to past `end` (by preallocateBytes, within segmentBytes)
   * and makes the new size durable, so the saves that follow only overwrite blocks the file already has. Zeroes are
   * written rather than fallocate'd: unwritten extents would still need a metadata update on first write.
   */
  private preallocate(end: number): void {
    const target = Math.max(end, Math.min(this.allocated + this.preallocateBytes, this.segmentBytes));
    const fd = this.handle.fd;
    for (let at = this.allocated; at < target; ) at += writeSync(fd, ZEROES, 0, Math.min(ZEROES.length, target - at), at);
    fdatasyncSync(fd);
    this.allocated = Math.max(target, fstatSync(fd).size);
  }

  /** Starts the next segment, durable (header fsync'ed, directory fsync'ed) before anything is written to it. */
  private async rotate(): Promise<void> {
    const seq = this.current.seq + 1;
    const firstIndex = this.lastIndex + 1;
    const path = join(this.dir, segmentFileName(seq, firstIndex));
    const headerRecords = [metadataRecord(this.metadata)];
    if (!isEmptyHardState(this.hardState)) headerRecords.push(hardStateRecord(this.hardState));
    const header = encodeRecords(headerRecords);
    const handle = await createSegmentFile(this.dir, path, header);
    const previous = this.handle;
    this.handle = handle;
    this.segments.push({ seq, firstIndex, path, bytes: header.length });
    this.headerBytes = header.length;
    this.allocated = header.length;
    await previous.close();
  }
}
