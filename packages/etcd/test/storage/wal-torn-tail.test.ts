// A crash can leave the newest write incomplete. Every cut inside the last records must open cleanly with exactly
// the records written in full before the cut, and take new appends that survive another reopen.

import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import t, { type Test } from 'tap';
import { Wal } from '../../src/storage/index.js';
import {
  expectedFromRecords,
  hardStateAt,
  makeEntries,
  makeEntry,
  parseRawRecords,
  RAW_TYPE,
  RecordingLogger,
  segmentNames,
  tempDir,
  type RawRecord,
} from './helpers.js';

const META = { memberId: '1', clusterId: '2' };

interface Fixture {
  /** Segment files before the last, byte for byte. */
  earlier: Array<{ name: string; bytes: Buffer }>;
  earlierRecords: RawRecord[];
  lastName: string;
  lastBytes: Buffer;
  lastRecords: RawRecord[];
}

async function buildFixture(dir: string, segmentBytes: number | undefined, write: (wal: Wal) => Promise<void>): Promise<Fixture> {
  const wal = await Wal.create(dir, META, segmentBytes ? { segmentBytes } : {});
  await write(wal);
  await wal.close();
  const names = await segmentNames(dir);
  const earlier = await Promise.all(names.slice(0, -1).map(async (name) => ({ name, bytes: await readFile(join(dir, name)) })));
  const lastName = names.at(-1)!;
  const lastBytes = await readFile(join(dir, lastName));
  const lastRecords = parseRawRecords(lastBytes);
  if (lastRecords.at(-1)?.end !== lastBytes.length) throw new Error('fixture: the last segment does not parse completely');
  return { earlier, earlierRecords: earlier.flatMap((s) => parseRawRecords(s.bytes)), lastName, lastBytes, lastRecords };
}

/** Lays the fixture out in a fresh dir with the last segment cut at `cut` bytes, and checks open/append/reopen. */
async function checkCut(t: Test, fixture: Fixture, cut: number, segmentBytes?: number): Promise<void> {
  const dir = await tempDir(t, 'k8ts-torn-');
  for (const s of fixture.earlier) await writeFile(join(dir, s.name), s.bytes);
  await writeFile(join(dir, fixture.lastName), fixture.lastBytes.subarray(0, cut));

  const survivors = fixture.lastRecords.filter((r) => r.end <= cut);
  const expected = expectedFromRecords([...fixture.earlierRecords, ...(survivors[0]?.type === RAW_TYPE.metadata ? survivors : [])]);
  const atBoundary = cut === 0 || survivors.at(-1)?.end === cut;
  const logger = new RecordingLogger();
  const opts = { snapshotIndex: 0, logger, ...(segmentBytes ? { segmentBytes } : {}) };
  const { wal, contents } = await Wal.open(dir, opts);
  const label = `cut at ${cut}/${fixture.lastBytes.length}`;
  t.same(contents.entries, expected.entries, `${label}: entries written in full before the cut`);
  t.same(contents.hardState, expected.hardState, `${label}: hard state`);
  if (!atBoundary || survivors.length === 0) {
    t.ok(logger.warnings.length >= 1, `${label}: the repair is reported`);
  } else {
    t.equal(logger.warnings.length, 0, `${label}: nothing to repair`);
  }
  const torn = logger.warnings.find((w) => w.msg.includes('torn tail'));
  if (torn) t.match(torn.obj, { file: join(dir, fixture.lastName), offset: survivors.at(-1)?.end ?? 0 }, `${label}: warning names file and offset`);

  const next = (expected.entries.at(-1)?.index ?? 0) + 1;
  await wal.save(hardStateAt(next, 9), [makeEntry(next, 9)]);
  await wal.close();
  const { wal: again, contents: after } = await Wal.open(dir, { snapshotIndex: 0, ...(segmentBytes ? { segmentBytes } : {}) });
  t.same(after.entries, [...expected.entries, makeEntry(next, 9)], `${label}: the append after recovery survives a reopen`);
  t.same(after.hardState, hardStateAt(next, 9));
  await again.close();
  await rm(dir, { recursive: true, force: true });
}

t.test('every byte offset inside the last three records of a single segment', async (t) => {
  const fixture = await buildFixture(await tempDir(t), undefined, async (wal) => {
    await wal.save(hardStateAt(0), makeEntries(1, 4));
    await wal.save(hardStateAt(4), makeEntries(5, 6));
    // Rewritten suffix, then a last save of two entries and a hard state.
    await wal.save(hardStateAt(5, 2), makeEntries(6, 8, 2));
    await wal.save(hardStateAt(8, 2), makeEntries(9, 10, 2));
  });
  const from = fixture.lastRecords.at(-3)!.offset;
  t.comment(`cutting at every offset in [${from}, ${fixture.lastBytes.length}]`);
  for (let cut = from; cut <= fixture.lastBytes.length; cut++) await checkCut(t, fixture, cut);
});

t.test('a cut in the last of several segments, including inside its header', async (t) => {
  const segmentBytes = 600;
  const fixture = await buildFixture(await tempDir(t), segmentBytes, async (wal) => {
    for (let i = 1; i <= 40; i += 2) await wal.save(hardStateAt(i), makeEntries(i, i + 1));
  });
  t.ok(fixture.earlier.length >= 2, `${fixture.earlier.length + 1} segments`);
  // Every offset of the header (metadata + hard state) and of the last two records; a sample of the rest.
  const header = fixture.lastRecords[1]!.end;
  const tailFrom = fixture.lastRecords.at(-2)!.offset;
  const cuts = new Set<number>();
  for (let cut = 0; cut <= header; cut++) cuts.add(cut);
  for (let cut = tailFrom; cut <= fixture.lastBytes.length; cut++) cuts.add(cut);
  for (let cut = header; cut < tailFrom; cut += 7) cuts.add(cut);
  for (const cut of [...cuts].sort((a, b) => a - b)) await checkCut(t, fixture, cut, segmentBytes);
});

t.test('random cuts inside a large final save', async (t) => {
  const fixture = await buildFixture(await tempDir(t), undefined, async (wal) => {
    await wal.save(hardStateAt(1), makeEntries(1, 10));
    await wal.save(hardStateAt(200), makeEntries(11, 200));
  });
  const lastSaveStart = fixture.lastRecords.find((r) => r.type === RAW_TYPE.entry && r.payload.readUInt32LE(8) === 11)!.offset;
  let seed = 0x2545f491;
  const random = (n: number) => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed % n;
  };
  for (let i = 0; i < 40; i++) await checkCut(t, fixture, lastSaveStart + random(fixture.lastBytes.length - lastSaveStart));
});

t.test('a damaged last record with nothing intact after it is a torn tail', async (t) => {
  const dir = await tempDir(t);
  const wal = await Wal.create(dir, META);
  await wal.save(hardStateAt(2), makeEntries(1, 2));
  await wal.save(undefined, [makeEntry(3)]);
  await wal.close();
  const path = join(dir, (await segmentNames(dir))[0]!);
  const bytes = await readFile(path);
  const last = parseRawRecords(bytes).at(-1)!;
  bytes[last.end - 2]! ^= 0x40;
  await writeFile(path, bytes);
  const logger = new RecordingLogger();
  const { wal: w2, contents } = await Wal.open(dir, { snapshotIndex: 0, logger });
  t.same(contents.entries, makeEntries(1, 2));
  t.match(logger.warnings, [{ obj: { file: path, offset: last.offset, reason: /crc mismatch/ } }]);
  await w2.close();
  t.equal((await readFile(path)).length, last.offset, 'the file was truncated to the intact records');
});
