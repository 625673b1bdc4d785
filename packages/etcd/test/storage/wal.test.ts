import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import t from 'tap';
import { EMPTY_HARD_STATE, type Entry, type SnapshotMetadata } from '../../src/raft/types.js';
import { Wal, WalCorruptError, segmentFileName } from '../../src/storage/index.js';
import {
  hardStateAt,
  makeEntries,
  makeEntry,
  parseRawRecords,
  RAW_TYPE,
  rawEntry,
  rawHardState,
  RecordingLogger,
  segmentNames,
  tempDir,
} from './helpers.js';

const META = { memberId: '12345678901234567890', clusterId: '9876543210' };

function snapMeta(index: number, term = 1): SnapshotMetadata {
  return { index, term, confState: { voters: ['1', '2'], learners: ['3'] } };
}

async function reopen(dir: string, snapshotIndex = 0, segmentBytes?: number) {
  return Wal.open(dir, { snapshotIndex, ...(segmentBytes ? { segmentBytes } : {}) });
}

t.test('exists and create', async (t) => {
  const dir = join(await tempDir(t), 'nested', 'wal');
  t.equal(Wal.exists(dir), false, 'missing directory');
  const wal = await Wal.create(dir, META);
  t.equal(Wal.exists(dir), true);
  t.same(await segmentNames(dir), [segmentFileName(0, 0)]);
  await t.rejects(Wal.create(dir, META), /already holds a WAL/);
  await wal.close();
  const { wal: again, contents } = await reopen(dir);
  t.same(contents, { metadata: META, hardState: EMPTY_HARD_STATE, entries: [], snapshots: [] }, 'an empty WAL');
  await again.close();
});

t.test('round trip of entries, hard state and snapshot markers', async (t) => {
  const dir = await tempDir(t);
  const wal = await Wal.create(dir, META);
  await wal.save(hardStateAt(0), makeEntries(1, 3));
  await wal.save(undefined, makeEntries(4, 12, 2));
  await wal.saveSnapshot(snapMeta(5));
  await wal.save(hardStateAt(9, 2), []);
  await wal.save(undefined, []);
  await wal.close();
  await t.rejects(wal.save(undefined, [makeEntry(13)]), /closed/, 'no writes after close');

  const { wal: reopened, contents } = await reopen(dir);
  t.same(contents.metadata, META);
  t.same(contents.hardState, hardStateAt(9, 2));
  t.same(contents.entries, [...makeEntries(1, 3), ...makeEntries(4, 12, 2)]);
  t.same(contents.snapshots, [snapMeta(5)]);

  await reopened.save(hardStateAt(13, 2), [makeEntry(13, 2)]);
  await reopened.close();
  const { wal: third, contents: after } = await reopen(dir, 5);
  t.same(
    after.entries.map((e) => e.index),
    [6, 7, 8, 9, 10, 11, 12, 13],
    'only entries after the snapshot index',
  );
  t.same(after.hardState, hardStateAt(13, 2));
  await third.close();
});

t.test('the bytes on disk follow the documented format', async (t) => {
  const dir = await tempDir(t);
  const wal = await Wal.create(dir, META);
  const entries = makeEntries(1, 2);
  await wal.save(hardStateAt(2), entries);
  await wal.saveSnapshot(snapMeta(2));
  await wal.close();
  const bytes = await readFile(join(dir, segmentFileName(0, 0)));
  const records = parseRawRecords(bytes);
  t.equal(records.at(-1)!.end, bytes.length, 'every byte belongs to an intact record');
  t.same(
    records.map((r) => r.type),
    [RAW_TYPE.metadata, RAW_TYPE.entry, RAW_TYPE.entry, RAW_TYPE.hardState, RAW_TYPE.snapshot],
    'metadata first; a save writes its entries before its hard state',
  );
  t.same(JSON.parse(records[0]!.payload.toString('utf8')), META);
  t.same(records.slice(1, 3).map(rawEntry), entries);
  t.same(rawHardState(records[3]!), hardStateAt(2));
});

t.test('a rewritten suffix supersedes what followed it', async (t) => {
  const dir = await tempDir(t);
  const wal = await Wal.create(dir, META);
  await wal.save(hardStateAt(0), makeEntries(1, 10));
  await wal.save(hardStateAt(4, 2), makeEntries(6, 8, 2));
  await wal.close();
  const { wal: w2, contents } = await reopen(dir);
  t.same(contents.entries, [...makeEntries(1, 5), ...makeEntries(6, 8, 2)]);
  // Rewrite again after a reopen, further back, then extend.
  await w2.save(undefined, makeEntries(3, 4, 3));
  await w2.save(undefined, makeEntries(5, 6, 3));
  await w2.close();
  const { wal: w3, contents: c3 } = await reopen(dir);
  t.same(c3.entries, [...makeEntries(1, 2), ...makeEntries(3, 6, 3)]);
  await w3.close();
});

t.test('entries that leave a gap are refused unless a snapshot covers it', async (t) => {
  const dir = await tempDir(t);
  const wal = await Wal.create(dir, META);
  await wal.save(hardStateAt(5), makeEntries(1, 5));
  await t.rejects(wal.save(undefined, [makeEntry(8)]), RangeError, 'a gap is refused');
  await t.rejects(wal.save(undefined, [makeEntry(6), makeEntry(8)]), RangeError, 'non-consecutive entries are refused');
  await wal.save(undefined, [makeEntry(6)]);
  // A snapshot from the leader moves the log past its end.
  await wal.saveSnapshot(snapMeta(100, 3));
  await wal.save(hardStateAt(101, 3), makeEntries(101, 103, 3));
  await wal.close();

  const { wal: w2, contents } = await reopen(dir, 100);
  t.same(contents.entries, makeEntries(101, 103, 3));
  t.same(contents.snapshots, [snapMeta(100, 3)]);
  await w2.close();
  await t.rejects(reopen(dir, 50), WalCorruptError, 'opening with an older snapshot cannot explain the gap');
});

t.test('segment rotation, reopen and releaseTo', async (t) => {
  const dir = await tempDir(t);
  const segmentBytes = 1024;
  const wal = await Wal.create(dir, META, { segmentBytes });
  for (let i = 1; i <= 120; i++) await wal.save(hardStateAt(i - 1), [makeEntry(i)]);
  const names = await segmentNames(dir);
  t.ok(names.length >= 5, `rotated into ${names.length} segments`);
  let total = 0;
  for (const [seq, name] of names.entries()) {
    t.equal(name.slice(0, 16), seq.toString(16).padStart(16, '0'), 'sequence numbers are consecutive');
    const bytes = await readFile(join(dir, name));
    total += bytes.length;
    const records = parseRawRecords(bytes);
    t.equal(records.at(-1)!.end, bytes.length);
    t.equal(records[0]!.type, RAW_TYPE.metadata, `${name} starts with metadata`);
    if (seq > 0) {
      t.equal(records[1]!.type, RAW_TYPE.hardState, `${name} carries the latest hard state`);
      const firstIndex = Number.parseInt(name.slice(17, 33), 16);
      const firstEntry = records.find((r) => r.type === RAW_TYPE.entry);
      t.equal(firstEntry && rawEntry(firstEntry).index, firstIndex, 'named after its first entry index');
    }
    if (seq < names.length - 1) t.ok(bytes.length <= segmentBytes, 'a full segment stays within segmentBytes');
  }
  t.equal(wal.sizeBytes, total, 'sizeBytes is the bytes on disk');
  await wal.close();

  const { wal: w2, contents } = await reopen(dir, 0, segmentBytes);
  t.same(contents.entries, makeEntries(1, 120));
  t.same(contents.hardState, hardStateAt(119));

  const thirdFirst = Number.parseInt(names[2]!.slice(17, 33), 16);
  await w2.releaseTo(thirdFirst);
  t.same(await segmentNames(dir), names.slice(2), 'the two oldest segments, all below the index, are gone');
  await w2.releaseTo(thirdFirst); // idempotent
  t.same(await segmentNames(dir), names.slice(2));
  await w2.save(hardStateAt(121), [makeEntry(121)]);
  await w2.close();

  const { wal: w3, contents: c3 } = await reopen(dir, thirdFirst - 1, segmentBytes);
  t.same(c3.entries, makeEntries(thirdFirst, 121), 'replay starts at the released index');
  t.same(c3.hardState, hardStateAt(121));
  await t.rejects(reopen(dir, 0, segmentBytes), /entries 1\.\.\d+ are missing/, 'a snapshot older than the released log is refused');

  await w3.releaseTo(10_000);
  const left = await segmentNames(dir);
  t.equal(left.length, 1, 'the current segment is never released');
  await w3.close();
  const { wal: w4, contents: c4 } = await reopen(dir, 121);
  t.same(c4.hardState, hardStateAt(121), 'the hard state survives in the current segment');
  t.same(c4.entries, []);
  await w4.close();
});

t.test('a single save larger than a segment still goes through', async (t) => {
  const dir = await tempDir(t);
  const wal = await Wal.create(dir, META, { segmentBytes: 256 });
  await wal.save(hardStateAt(1), makeEntries(1, 30));
  await wal.save(hardStateAt(2), makeEntries(31, 60));
  await wal.save(hardStateAt(3), [makeEntry(61)]);
  t.equal((await segmentNames(dir)).length, 3, 'one rotation per oversized save, none for a fresh segment');
  await wal.close();
  const { wal: w2, contents } = await reopen(dir, 0, 256);
  t.same(contents.entries, makeEntries(1, 61));
  await w2.close();
});

t.test('concurrent saves are serialized in call order', async (t) => {
  const dir = await tempDir(t);
  const wal = await Wal.create(dir, META, { segmentBytes: 2048 });
  const resolved: number[] = [];
  const pending: Array<Promise<void>> = [];
  for (let i = 1; i <= 60; i++) {
    pending.push(wal.save(hardStateAt(i), [makeEntry(i)]).then(() => void resolved.push(i)));
  }
  // Issued without waiting: a rewrite of 50.. must land after everything before it.
  pending.push(wal.save(undefined, makeEntries(50, 52, 2)).then(() => void resolved.push(-1)));
  await Promise.all(pending);
  t.same(resolved, [...makeEntries(1, 60).map((e) => e.index), -1], 'resolved in call order');
  await wal.close();
  const { wal: w2, contents } = await reopen(dir);
  t.same(contents.entries, [...makeEntries(1, 49), ...makeEntries(50, 52, 2)]);
  await w2.close();
});

t.test('a leftover segment from a crash during rotation is dropped', async (t) => {
  for (const leftover of ['empty', 'partial header', 'temp file'] as const) {
    const dir = await tempDir(t);
    const wal = await Wal.create(dir, META, { segmentBytes: 512 });
    for (let i = 1; i <= 20; i++) await wal.save(hardStateAt(i), [makeEntry(i)]);
    await wal.close();
    const names = await segmentNames(dir);
    const next = segmentFileName(names.length, 21);
    if (leftover === 'empty') await writeFile(join(dir, next), '');
    if (leftover === 'partial header') {
      const header = await readFile(join(dir, names[0]!));
      await writeFile(join(dir, next), header.subarray(0, 13));
    }
    if (leftover === 'temp file') await writeFile(join(dir, next + '.tmp'), 'garbage');
    const logger = new RecordingLogger();
    const { wal: w2, contents } = await Wal.open(dir, { snapshotIndex: 0, logger, segmentBytes: 512 });
    t.same(contents.entries, makeEntries(1, 20), `${leftover}: the log is intact`);
    t.same(contents.hardState, hardStateAt(20));
    t.equal(logger.warnings.length, 1, `${leftover}: one warning`);
    t.same(await segmentNames(dir), names, `${leftover}: the leftover is gone`);
    await w2.save(hardStateAt(21), [makeEntry(21)]);
    await w2.close();
    const { wal: w3, contents: c3 } = await reopen(dir, 0, 512);
    t.same(c3.entries, makeEntries(1, 21), `${leftover}: appends after recovery survive`);
    await w3.close();
  }
});

t.test('a segment whose header lost its hard state gets it back before older segments can go', async (t) => {
  const dir = await tempDir(t);
  const wal = await Wal.create(dir, META, { segmentBytes: 400 });
  for (let i = 1; i <= 12; i++) await wal.save(hardStateAt(i, 7), [makeEntry(i, 7)]);
  await wal.close();
  const names = await segmentNames(dir);
  const last = names.at(-1)!;
  // Leave the last segment with only its metadata record: its hard state was torn.
  const lastBytes = await readFile(join(dir, last));
  const records = parseRawRecords(lastBytes);
  const cut = records[1]!.offset + 5;
  const expectedEntries = makeEntries(1, 12, 7).filter((e) => records.every((r) => r.type !== RAW_TYPE.entry || rawEntry(r).index !== e.index));
  await writeFile(join(dir, last), lastBytes.subarray(0, cut));
  const { wal: w2, contents } = await reopen(dir, 0, 400);
  t.same(contents.entries, expectedEntries);
  const hardState = contents.hardState;
  t.equal(hardState.term, 7);
  await w2.releaseTo(1_000);
  await w2.close();
  t.same(await segmentNames(dir), [last]);
  const { wal: w3, contents: c3 } = await reopen(dir, 1_000, 400);
  t.same(c3.hardState, hardState, 'the hard state was rewritten into the current segment');
  await w3.close();
});

t.test('perf sanity: 200 sequential single-entry saves (diagnostic only)', async (t) => {
  const dir = await tempDir(t);
  const wal = await Wal.create(dir, META);
  const started = performance.now();
  for (let i = 1; i <= 200; i++) await wal.save(hardStateAt(i), [makeEntry(i)]);
  const elapsed = performance.now() - started;
  t.comment(`200 saves (each one write + one fdatasync) took ${elapsed.toFixed(1)} ms, ${(elapsed / 200).toFixed(3)} ms per save`);
  t.equal((await stat(join(dir, segmentFileName(0, 0)))).size, wal.sizeBytes);
  await wal.close();
  const { wal: w2, contents } = await reopen(dir);
  t.equal(contents.entries.length, 200);
  await w2.close();
});

t.test('invalid arguments are rejected without damaging the WAL', async (t) => {
  const dir = await tempDir(t);
  const wal = await Wal.create(dir, META);
  const bad = { term: 1, index: -1, type: 'normal', data: '' } as Entry;
  await t.rejects(wal.save(undefined, [bad]), RangeError);
  await t.rejects(wal.save({ term: 1.5, vote: '0', commit: 0 }, []), RangeError);
  await t.rejects(wal.saveSnapshot(snapMeta(Number.NaN)), RangeError);
  await t.rejects(wal.releaseTo(-3), RangeError);
  await t.rejects(Wal.open(dir, { snapshotIndex: -1 }), RangeError);
  await wal.save(hardStateAt(1), [makeEntry(1)]);
  await wal.close();
  const { wal: w2, contents } = await reopen(dir);
  t.same(contents.entries, [makeEntry(1)]);
  await w2.close();
});
