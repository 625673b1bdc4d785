// Preallocated segments: the file runs ahead of its records in zeroed blocks. Replay must stop at the zeroes as at
// an end of file, a torn write inside them must still be cut off, and damage before the tail still stops the open.

import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t from 'tap';
import { Wal } from '../../src/storage/index.js';
import { hardStateAt, makeEntries, makeEntry, parseRawRecords, RecordingLogger, segmentNames, tempDir } from './helpers.js';

const META = { memberId: '7', clusterId: '9' };

function isZero(bytes: Buffer): boolean {
  return bytes.every((b) => b === 0);
}

t.test('the segment grows ahead of its records in zeroed blocks and replays to exactly the records', async (t) => {
  const dir = await tempDir(t);
  const wal = await Wal.create(dir, META, { preallocateBytes: 4096 });
  for (let i = 1; i <= 40; i++) await wal.save(hardStateAt(i), [makeEntry(i)]);
  const path = join(dir, (await segmentNames(dir))[0]!);
  const bytes = await readFile(path);
  t.ok(bytes.length > wal.sizeBytes, `the file (${bytes.length} bytes) runs ahead of its records (${wal.sizeBytes} bytes)`);
  t.ok(bytes.length % 4096 !== 0 || bytes.length >= 4096, 'grown in preallocation steps');
  t.ok(isZero(bytes.subarray(wal.sizeBytes)), 'everything after the records is zeroes');
  t.equal(parseRawRecords(bytes).at(-1)!.end, wal.sizeBytes, 'the records end where sizeBytes says');
  await wal.close();

  const logger = new RecordingLogger();
  const { wal: again, contents } = await Wal.open(dir, { snapshotIndex: 0, logger, preallocateBytes: 4096 });
  t.same(contents.entries, makeEntries(1, 40));
  t.same(contents.hardState, hardStateAt(40));
  t.same(logger.warnings, [], 'zeroes are not a torn tail');
  // Appends continue at the end of the records, inside the zeroes, and survive another reopen.
  for (let i = 41; i <= 60; i++) await again.save(hardStateAt(i), [makeEntry(i)]);
  await again.close();
  const { wal: third, contents: more } = await Wal.open(dir, { snapshotIndex: 0 });
  t.same(more.entries, makeEntries(1, 60), 'a WAL written with preallocation opens without it too');
  await third.close();
});

t.test('rotated segments keep their zeroed tails and replay in order', async (t) => {
  const dir = await tempDir(t);
  const segmentBytes = 2048;
  const wal = await Wal.create(dir, META, { segmentBytes, preallocateBytes: 1024 });
  for (let i = 1; i <= 120; i++) await wal.save(hardStateAt(i), [makeEntry(i)]);
  await wal.close();
  const names = await segmentNames(dir);
  t.ok(names.length >= 3, `rotated into ${names.length} segments`);
  for (const name of names.slice(0, -1)) {
    const bytes = await readFile(join(dir, name));
    const end = parseRawRecords(bytes).at(-1)!.end;
    t.ok(bytes.length <= segmentBytes, `${name} stays within segmentBytes`);
    t.ok(isZero(bytes.subarray(end)), `${name}: only zeroes after its records`);
  }
  const { wal: again, contents } = await Wal.open(dir, { snapshotIndex: 0, segmentBytes, preallocateBytes: 1024 });
  t.same(contents.entries, makeEntries(1, 120));
  await again.close();
});

t.test('a record larger than the preallocation step is written whole', async (t) => {
  const dir = await tempDir(t);
  const wal = await Wal.create(dir, META, { preallocateBytes: 512 });
  const big = { term: 1, index: 1, type: 'normal' as const, data: 'x'.repeat(5000) };
  await wal.save(hardStateAt(1), [big]);
  await wal.save(hardStateAt(2), [makeEntry(2)]);
  await wal.close();
  const { wal: again, contents } = await Wal.open(dir, { snapshotIndex: 0 });
  t.same(contents.entries, [big, makeEntry(2)]);
  await again.close();
});

t.test('a torn write inside the preallocated zeroes is cut off; the next save lands after the intact records', async (t) => {
  const dir = await tempDir(t);
  const wal = await Wal.create(dir, META, { preallocateBytes: 8192 });
  await wal.save(hardStateAt(3), makeEntries(1, 3));
  const end = wal.sizeBytes;
  await wal.close();
  const path = join(dir, (await segmentNames(dir))[0]!);
  const bytes = await readFile(path);
  // A crash mid-write: a record header that promises 200 bytes, and only part of them on disk, zeroes after.
  bytes.writeUInt32LE(200, end);
  bytes.writeUInt32LE(0xdeadbeef, end + 4);
  bytes.fill(0x41, end + 8, end + 60);
  await writeFile(path, bytes);

  const logger = new RecordingLogger();
  const { wal: again, contents } = await Wal.open(dir, { snapshotIndex: 0, logger, preallocateBytes: 8192 });
  t.same(contents.entries, makeEntries(1, 3));
  t.match(logger.warnings, [{ obj: { file: path, offset: end } }], 'reported as a torn tail at the first bad byte');
  t.equal((await stat(path)).size, end, 'the torn part was truncated');
  await again.save(hardStateAt(4), [makeEntry(4)]);
  await again.close();
  const { wal: third, contents: after } = await Wal.open(dir, { snapshotIndex: 0 });
  t.same(after.entries, makeEntries(1, 4));
  await third.close();
});

t.test('damage before the tail of a preallocated segment still stops the open', async (t) => {
  const dir = await tempDir(t);
  const wal = await Wal.create(dir, META, { preallocateBytes: 8192 });
  for (let i = 1; i <= 5; i++) await wal.save(hardStateAt(i), [makeEntry(i)]);
  await wal.close();
  const path = join(dir, (await segmentNames(dir))[0]!);
  const bytes = await readFile(path);
  const victim = parseRawRecords(bytes)[2]!;
  bytes[victim.end - 1]! ^= 0x10;
  await writeFile(path, bytes);
  await t.rejects(Wal.open(dir, { snapshotIndex: 0 }), { name: 'WalCorruptError', file: path, offset: victim.offset });
});

t.test('bad options are refused', async (t) => {
  const dir = await tempDir(t);
  await t.rejects(Wal.create(dir, META, { preallocateBytes: -1 }), /preallocateBytes must be a non-negative integer/);
  await t.rejects(Wal.create(dir, META, { preallocateBytes: 1.5 }), /preallocateBytes must be a non-negative integer/);
});
