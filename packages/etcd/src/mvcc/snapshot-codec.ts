// Binary snapshot of the store: revision counters, leases (in grant order), then every retained key revision in
// (main, sub) order. Restoring appends the revisions in that same order, which rebuilds histories, index and
// revision log exactly, so a restored store answers, hashes and replays watches like the original.
//
// Layout (varints unsigned unless noted):
//   magic "k8ts-mvcc\x01" | currentRev | compactMainRev (zigzag)
//   leaseCount, then per lease: id (utf8) | ttl (zigzag)
//   revCount, then per revision: key (latin1) | main | sub | createRevision | version | value (utf8) | lease (utf8)
import type { LeaseId } from '../api/types.js';
import { ByteReader, ByteWriter } from './byte-codec.js';
import type { KeyRev } from './key-rev.js';

const MAGIC = Buffer.from('k8ts-mvcc\x01', 'latin1');

export interface SnapshotData {
  currentRev: number;
  compactMainRev: number;
  leases: { id: LeaseId; ttl: number }[];
  revs: Iterable<KeyRev>;
}

/** The encoding of one key revision; also what hashKV feeds to crc32. */
export function writeKeyRev(w: ByteWriter, r: KeyRev): void {
  w.str(r.key, 'latin1');
  w.uvarint(r.main);
  w.uvarint(r.sub);
  w.uvarint(r.createRevision);
  w.uvarint(r.version);
  w.str(r.value, 'utf8');
  w.str(r.lease, 'utf8');
}

function readKeyRev(rd: ByteReader): KeyRev {
  return {
    key: rd.str('latin1'),
    main: rd.uvarint(),
    sub: rd.uvarint(),
    createRevision: rd.uvarint(),
    version: rd.uvarint(),
    value: rd.str('utf8'),
    lease: rd.str('utf8'),
    dropped: false,
  };
}

export function encodeSnapshot(s: SnapshotData, revCount: number): Uint8Array {
  const steps = encodeSnapshotSteps(s, revCount, Infinity, new ByteWriter());
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same encoding in steps of `chunk` revisions, pausing (yield) between them, so a member can spread a large store
 * over many event-loop turns instead of stalling for the whole of it. It goes on from whatever `w` already holds
 * (size `w` for the whole result to spare copies) and returns everything `w` holds. `s` must not change meanwhile.
 */
export function* encodeSnapshotSteps(s: SnapshotData, revCount: number, chunk: number, w: ByteWriter): Generator<void, Uint8Array, void> {
  w.raw(MAGIC);
  w.uvarint(s.currentRev);
  w.svarint(s.compactMainRev);
  w.uvarint(s.leases.length);
  for (const l of s.leases) {
    w.str(l.id, 'utf8');
    w.svarint(l.ttl);
  }
  w.uvarint(revCount);
  let inChunk = 0;
  for (const r of s.revs) {
    writeKeyRev(w, r);
    if (++inChunk >= chunk) {
      inChunk = 0;
      yield;
    }
  }
  return w.finish();
}

/** About the bytes writeKeyRev writes for `r` (exact for ASCII values): to size a writer up front. */
export function keyRevSizeHint(r: KeyRev): number {
  // Lengths and the four numbers are varints: at most 8 bytes each, 2-4 for most.
  return r.key.length + r.value.length + r.lease.length + 40;
}

export interface DecodedSnapshot {
  currentRev: number;
  compactMainRev: number;
  leases: { id: LeaseId; ttl: number }[];
  revs: KeyRev[];
}

export function decodeSnapshot(data: Uint8Array): DecodedSnapshot {
  const rd = new ByteReader(data);
  if (!rd.raw(MAGIC.length).equals(MAGIC)) throw new Error('not an mvcc snapshot');
  const currentRev = rd.uvarint();
  const compactMainRev = rd.svarint();
  const leases: { id: LeaseId; ttl: number }[] = [];
  for (let n = rd.uvarint(); n > 0; n--) leases.push({ id: rd.str('utf8'), ttl: rd.svarint() });
  const revs: KeyRev[] = [];
  for (let n = rd.uvarint(); n > 0; n--) revs.push(readKeyRev(rd));
  if (!rd.done) throw new Error('trailing bytes after mvcc snapshot');
  return { currentRev, compactMainRev, leases, revs };
}
