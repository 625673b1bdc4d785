// WAL segment files: their names and the scan of their records, including telling a torn tail from corruption.

import { WalCorruptError } from './errors.js';
import { hex16 } from './fs-util.js';
import { checkFrame, decodePayload, hasIntactRecordFrom, PayloadError, type WalRecord } from './record.js';

export const SEGMENT_SUFFIX = '.wal';
/** A segment being created: it gets its final name only once its header is durable. */
export const SEGMENT_TEMP_SUFFIX = '.wal.tmp';

const SEGMENT_NAME = /^([0-9a-f]{16})-([0-9a-f]{16})\.wal$/;

export interface SegmentName {
  /** Position in the chain of segments: consecutive, so a missing file is detected. */
  seq: number;
  /** The index the next entry had when the segment was started: every live entry of the segment before it is below. */
  firstIndex: number;
  name: string;
}

export function segmentFileName(seq: number, firstIndex: number): string {
  return `${hex16(seq)}-${hex16(firstIndex)}${SEGMENT_SUFFIX}`;
}

export function parseSegmentFileName(name: string): SegmentName | undefined {
  const match = SEGMENT_NAME.exec(name);
  if (!match) return undefined;
  const seq = Number.parseInt(match[1]!, 16);
  const firstIndex = Number.parseInt(match[2]!, 16);
  if (!Number.isSafeInteger(seq) || !Number.isSafeInteger(firstIndex)) return undefined;
  return { seq, firstIndex, name };
}

const ZERO_CHUNK = Buffer.alloc(64 * 1024);

function isZeroFrom(data: Buffer, offset: number): boolean {
  for (let at = offset; at < data.length; at += ZERO_CHUNK.length) {
    const end = Math.min(data.length, at + ZERO_CHUNK.length);
    if (!data.subarray(at, end).equals(ZERO_CHUNK.subarray(0, end - at))) return false;
  }
  return true;
}

export interface ScannedRecord {
  record: WalRecord;
  offset: number;
  end: number;
}

export interface SegmentScan {
  /** Bytes from the start of the file that hold intact records. */
  validBytes: number;
  /** Set when the last segment ends in an incomplete or damaged record with nothing intact after it. */
  tornTail?: { offset: number; reason: string };
}

/**
 * Walks the records of one segment, handing each intact one to `onRecord` in order.
 * Only the last segment may end in a torn tail: a crash can interrupt only the newest write, and writes are
 * fdatasync'ed before a new segment is started. A bad record followed by any intact one was not the newest write,
 * so it is corruption of acknowledged data and is reported, never skipped.
 */
export function scanSegment(data: Buffer, file: string, isLast: boolean, onRecord: (scanned: ScannedRecord) => void): SegmentScan {
  let offset = 0;
  while (offset < data.length) {
    // Zeroes to the end are preallocated space, never written: no record is all zeroes (its crc covers a type byte).
    if (data[offset] === 0 && isZeroFrom(data, offset)) return { validBytes: offset };
    const frame = checkFrame(data, offset);
    if (!frame.ok) {
      if (!isLast) throw new WalCorruptError(file, offset, `${frame.reason}, in a segment that is not the last`);
      if (hasIntactRecordFrom(data, offset + 1)) throw new WalCorruptError(file, offset, `${frame.reason}, with intact records after it`);
      return { validBytes: offset, tornTail: { offset, reason: frame.reason } };
    }
    let record: WalRecord;
    try {
      record = decodePayload(frame.type, data.subarray(frame.payloadStart, frame.end));
    } catch (err) {
      if (err instanceof PayloadError) throw new WalCorruptError(file, offset, err.message);
      throw err;
    }
    onRecord({ record, offset, end: frame.end });
    offset = frame.end;
  }
  return { validBytes: offset };
}
