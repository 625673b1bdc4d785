// Shared helpers of the storage tests, including an independent reader of the WAL format (the tests check the
// bytes on disk against the documented layout rather than against the implementation's own decoder).

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { Entry, HardState } from '../../src/raft/types.js';

export interface Teardown {
  teardown(fn: () => unknown): void;
}

export async function tempDir(t: Teardown, prefix = 'k8ts-storage-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Deterministic payload of entry `index`, with lengths that vary so records straddle different offsets. */
export function entryData(index: number, term: number): string {
  return `e${index}t${term}:${'abcdefghij'.repeat(index % 5)}${index % 7 === 0 ? 'ünïcødé' : ''}`;
}

export function makeEntry(index: number, term = 1): Entry {
  return { term, index, type: index % 11 === 0 ? 'confChange' : 'normal', data: entryData(index, term) };
}

export function makeEntries(from: number, to: number, term = 1): Entry[] {
  const out: Entry[] = [];
  for (let i = from; i <= to; i++) out.push(makeEntry(i, term));
  return out;
}

export function hardStateAt(commit: number, term = 1): HardState {
  return { term, vote: String(1000 + term), commit };
}

/** Segment file names in sequence order. */
export async function segmentNames(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => /^[0-9a-f]{16}-[0-9a-f]{16}\.wal$/.test(n)).sort();
}

export const RAW_TYPE = { metadata: 1, entry: 2, hardState: 3, snapshot: 4 } as const;

export interface RawRecord {
  offset: number;
  end: number;
  type: number;
  payload: Buffer;
}

/** Reads `[u32 len][u32 crc32(type+payload)][u8 type][payload]` frames until the first one that is not intact. */
export function parseRawRecords(bytes: Buffer): RawRecord[] {
  const out: RawRecord[] = [];
  let offset = 0;
  while (offset + 9 <= bytes.length) {
    const length = bytes.readUInt32LE(offset);
    const end = offset + 9 + length;
    if (end > bytes.length) break;
    if (crc32(bytes.subarray(offset + 8, end)) !== bytes.readUInt32LE(offset + 4)) break;
    out.push({ offset, end, type: bytes[offset + 8]!, payload: bytes.subarray(offset + 9, end) });
    offset = end;
  }
  return out;
}

function u64(payload: Buffer, at: number): number {
  return payload.readUInt32LE(at + 4) * 0x1_0000_0000 + payload.readUInt32LE(at);
}

/** Entry payload: [u64 term][u64 index][u8 type: 0 normal, 1 confChange][UTF-8 data]. */
export function rawEntry(record: RawRecord): Entry {
  return {
    term: u64(record.payload, 0),
    index: u64(record.payload, 8),
    type: record.payload[16] === 1 ? 'confChange' : 'normal',
    data: record.payload.toString('utf8', 17),
  };
}

/** Hard state payload: [u64 term][u64 commit][UTF-8 vote]. */
export function rawHardState(record: RawRecord): HardState {
  return { term: u64(record.payload, 0), commit: u64(record.payload, 8), vote: record.payload.toString('utf8', 16) };
}

/** The log a replay of these records must produce (suffix rewrites applied), plus the last hard state. */
export function expectedFromRecords(records: readonly RawRecord[], snapshotIndex = 0): { entries: Entry[]; hardState: HardState } {
  let log: Entry[] = [];
  let hardState: HardState = { term: 0, vote: '0', commit: 0 };
  for (const r of records) {
    if (r.type === RAW_TYPE.entry) {
      const e = rawEntry(r);
      log = log.filter((x) => x.index < e.index);
      log.push(e);
    } else if (r.type === RAW_TYPE.hardState) {
      hardState = rawHardState(r);
    }
  }
  return { entries: log.filter((e) => e.index > snapshotIndex), hardState };
}

/** A logger that remembers warnings, for asserting that repairs are reported. */
export class RecordingLogger {
  readonly warnings: Array<{ obj: object; msg: string }> = [];
  warn(obj: object, msg: string): void {
    this.warnings.push({ obj, msg });
  }
}
