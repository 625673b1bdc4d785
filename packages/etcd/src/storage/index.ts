// Durable storage of a member: the Raft write-ahead log and snapshot files.
//
// WAL: a chain of segment files `<seq>-<first index>.wal` (16 hex digits each). Every segment starts with a
// metadata record (and, after the first, the latest hard state). Records are framed, little-endian, as
//   [u32 payload length][u32 crc32(type byte + payload)][u8 type][payload]
// with types 1 metadata (JSON), 2 entry ([u64 term][u64 index][u8 0 normal | 1 confChange][UTF-8 data]),
// 3 hard state ([u64 term][u64 commit][UTF-8 vote]), 4 snapshot marker ([u64 term][u64 index][confState JSON]).
// Snapshots: `<term>-<index>.snap`, [u32 crc32 of the rest][u32 metadata length][metadata JSON][data].
export { WalCorruptError, type StorageLogger } from './errors.js';
export type { WalMetadata } from './record.js';
export { Wal, DEFAULT_SEGMENT_BYTES, type WalContents, type WalCreateOptions, type WalOpenOptions } from './wal.js';
export { Snapshotter, snapshotFileName } from './snapshotter.js';
export { segmentFileName } from './segment.js';
