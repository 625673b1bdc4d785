// The WAL's binary record framing and the payload codecs of its record types.
//
// Frame, little-endian:  [u32 payload length][u32 crc32(type byte + payload)][u8 type][payload]
// The CRC covers the type byte so a flipped type cannot pass as a different record kind.

import { crc32 } from 'node:zlib';
import type { ConfState, Entry, EntryType, HardState, SnapshotMetadata } from '../raft/types.js';

export interface WalMetadata {
  memberId: string;
  clusterId: string;
}

export const RECORD_HEADER_BYTES = 9;

export const RecordType = {
  metadata: 1,
  entry: 2,
  hardState: 3,
  snapshot: 4,
} as const;
export type RecordTypeCode = (typeof RecordType)[keyof typeof RecordType];

export function isKnownRecordType(code: number): code is RecordTypeCode {
  return code >= RecordType.metadata && code <= RecordType.snapshot;
}

export type WalRecord =
  | { type: 'metadata'; metadata: WalMetadata }
  | { type: 'entry'; entry: Entry }
  | { type: 'hardState'; hardState: HardState }
  | { type: 'snapshot'; snapshot: SnapshotMetadata };

/** A record ready to be framed: its size is known up front so a whole save can be built into one Buffer. */
export interface PendingRecord {
  type: RecordTypeCode;
  payloadBytes: number;
  writePayload(target: Buffer, offset: number): void;
}

/** A record whose frame is intact but whose payload does not decode: never a torn write, always corruption. */
export class PayloadError extends Error {}

const TWO_POW_32 = 0x1_0000_0000;
const U64_BYTES = 8;
/** term + index + entry type byte. */
const ENTRY_FIXED_BYTES = U64_BYTES * 2 + 1;
/** term + commit. */
const HARD_STATE_FIXED_BYTES = U64_BYTES * 2;
/** term + index. */
const SNAPSHOT_FIXED_BYTES = U64_BYTES * 2;

const ENTRY_TYPE_CODES: Record<EntryType, number> = { normal: 0, confChange: 1 };
const ENTRY_TYPES_BY_CODE: readonly EntryType[] = ['normal', 'confChange'];

export function isWalIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function writeU64(target: Buffer, value: number, offset: number): void {
  target.writeUInt32LE(value % TWO_POW_32, offset);
  target.writeUInt32LE(Math.floor(value / TWO_POW_32), offset + 4);
}

function readU64(source: Buffer, offset: number): number {
  const low = source.readUInt32LE(offset);
  const high = source.readUInt32LE(offset + 4);
  // Values are JS numbers: anything above 2^53 was never written by us.
  if (high > 0x1f_ffff) throw new PayloadError(`u64 at payload offset ${offset} exceeds the safe integer range`);
  return high * TWO_POW_32 + low;
}

export function entryRecord(entry: Entry): PendingRecord {
  const dataBytes = Buffer.byteLength(entry.data, 'utf8');
  return {
    type: RecordType.entry,
    payloadBytes: ENTRY_FIXED_BYTES + dataBytes,
    writePayload(target, offset) {
      writeU64(target, entry.term, offset);
      writeU64(target, entry.index, offset + U64_BYTES);
      target[offset + U64_BYTES * 2] = ENTRY_TYPE_CODES[entry.type];
      target.write(entry.data, offset + ENTRY_FIXED_BYTES, dataBytes, 'utf8');
    },
  };
}

export function hardStateRecord(hardState: HardState): PendingRecord {
  const voteBytes = Buffer.byteLength(hardState.vote, 'utf8');
  return {
    type: RecordType.hardState,
    payloadBytes: HARD_STATE_FIXED_BYTES + voteBytes,
    writePayload(target, offset) {
      writeU64(target, hardState.term, offset);
      writeU64(target, hardState.commit, offset + U64_BYTES);
      target.write(hardState.vote, offset + HARD_STATE_FIXED_BYTES, voteBytes, 'utf8');
    },
  };
}

export function metadataRecord(metadata: WalMetadata): PendingRecord {
  const json = Buffer.from(JSON.stringify({ memberId: metadata.memberId, clusterId: metadata.clusterId }), 'utf8');
  return {
    type: RecordType.metadata,
    payloadBytes: json.length,
    writePayload(target, offset) {
      json.copy(target, offset);
    },
  };
}

export function snapshotRecord(snapshot: SnapshotMetadata): PendingRecord {
  const { voters, learners } = snapshot.confState;
  const json = Buffer.from(JSON.stringify({ voters, learners }), 'utf8');
  return {
    type: RecordType.snapshot,
    payloadBytes: SNAPSHOT_FIXED_BYTES + json.length,
    writePayload(target, offset) {
      writeU64(target, snapshot.term, offset);
      writeU64(target, snapshot.index, offset + U64_BYTES);
      json.copy(target, offset + SNAPSHOT_FIXED_BYTES);
    },
  };
}

export function framedBytes(records: readonly PendingRecord[]): number {
  let total = 0;
  for (const record of records) total += RECORD_HEADER_BYTES + record.payloadBytes;
  return total;
}

/** Frames every record into a single Buffer, so a save is one write syscall. */
export function encodeRecords(records: readonly PendingRecord[]): Buffer {
  const out = Buffer.allocUnsafe(framedBytes(records));
  let offset = 0;
  for (const record of records) {
    const typeOffset = offset + 8;
    const end = typeOffset + 1 + record.payloadBytes;
    out[typeOffset] = record.type;
    record.writePayload(out, typeOffset + 1);
    out.writeUInt32LE(record.payloadBytes, offset);
    out.writeUInt32LE(crc32(out.subarray(typeOffset, end)), offset + 4);
    offset = end;
  }
  return out;
}

export type FrameCheck =
  | { ok: true; type: number; payloadStart: number; end: number }
  | { ok: false; reason: string };

/** Checks the frame at `offset`: header present, length within the buffer, CRC matching. */
export function checkFrame(source: Buffer, offset: number): FrameCheck {
  const remaining = source.length - offset;
  if (remaining < RECORD_HEADER_BYTES) {
    return { ok: false, reason: `incomplete record header (${remaining} of ${RECORD_HEADER_BYTES} bytes)` };
  }
  const payloadBytes = source.readUInt32LE(offset);
  const end = offset + RECORD_HEADER_BYTES + payloadBytes;
  if (end > source.length) {
    return { ok: false, reason: `record length ${payloadBytes} runs past the end of the file (${remaining - RECORD_HEADER_BYTES} bytes left)` };
  }
  const expected = source.readUInt32LE(offset + 4);
  const actual = crc32(source.subarray(offset + 8, end));
  if (expected !== actual) {
    return { ok: false, reason: `crc mismatch (stored ${hex32(expected)}, computed ${hex32(actual)})` };
  }
  return { ok: true, type: source[offset + 8]!, payloadStart: offset + RECORD_HEADER_BYTES, end };
}

/**
 * Whether any intact record of a known type starts anywhere in [from, end of buffer). Used to tell a torn tail
 * (garbage with nothing valid after it) from corruption in the middle of acknowledged data.
 */
export function hasIntactRecordFrom(source: Buffer, from: number): boolean {
  for (let offset = from; offset + RECORD_HEADER_BYTES <= source.length; offset++) {
    // Cheap rejections first: most garbage offsets fail on the type byte or the length.
    if (!isKnownRecordType(source[offset + 8]!)) continue;
    if (offset + RECORD_HEADER_BYTES + source.readUInt32LE(offset) > source.length) continue;
    if (checkFrame(source, offset).ok) return true;
  }
  return false;
}

function hex32(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

function parseJson(payload: Buffer, start: number, what: string): unknown {
  try {
    return JSON.parse(payload.toString('utf8', start));
  } catch {
    throw new PayloadError(`${what} is not valid JSON`);
  }
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function requireLength(payload: Buffer, min: number, what: string): void {
  if (payload.length < min) throw new PayloadError(`${what} payload is ${payload.length} bytes, expected at least ${min}`);
}

/** Decodes the payload of an intact frame. Throws PayloadError for an unknown type or a malformed payload. */
export function decodePayload(type: number, payload: Buffer): WalRecord {
  switch (type) {
    case RecordType.entry: {
      requireLength(payload, ENTRY_FIXED_BYTES, 'entry');
      const entryType = ENTRY_TYPES_BY_CODE[payload[U64_BYTES * 2]!];
      if (entryType === undefined) throw new PayloadError(`unknown entry type ${payload[U64_BYTES * 2]}`);
      return {
        type: 'entry',
        entry: {
          term: readU64(payload, 0),
          index: readU64(payload, U64_BYTES),
          type: entryType,
          data: payload.toString('utf8', ENTRY_FIXED_BYTES),
        },
      };
    }
    case RecordType.hardState:
      requireLength(payload, HARD_STATE_FIXED_BYTES, 'hardState');
      return {
        type: 'hardState',
        hardState: {
          term: readU64(payload, 0),
          commit: readU64(payload, U64_BYTES),
          vote: payload.toString('utf8', HARD_STATE_FIXED_BYTES),
        },
      };
    case RecordType.snapshot: {
      requireLength(payload, SNAPSHOT_FIXED_BYTES, 'snapshot');
      const conf = parseJson(payload, SNAPSHOT_FIXED_BYTES, 'snapshot confState') as Partial<ConfState> | null;
      if (!conf || !isStringArray(conf.voters) || !isStringArray(conf.learners)) {
        throw new PayloadError('snapshot confState lacks voters/learners');
      }
      return {
        type: 'snapshot',
        snapshot: {
          term: readU64(payload, 0),
          index: readU64(payload, U64_BYTES),
          confState: { voters: conf.voters, learners: conf.learners },
        },
      };
    }
    case RecordType.metadata: {
      const meta = parseJson(payload, 0, 'metadata') as Partial<WalMetadata> | null;
      if (!meta || typeof meta.memberId !== 'string' || typeof meta.clusterId !== 'string') {
        throw new PayloadError('metadata lacks memberId/clusterId');
      }
      return { type: 'metadata', metadata: { memberId: meta.memberId, clusterId: meta.clusterId } };
    }
    default:
      throw new PayloadError(`unknown record type ${type}`);
  }
}
