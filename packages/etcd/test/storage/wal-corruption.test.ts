// Damage that a torn write cannot explain must stop open with the file and offset, never be skipped.

import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import t, { type Test } from 'tap';
import { Wal, WalCorruptError } from '../../src/storage/index.js';
import { hardStateAt, makeEntries, parseRawRecords, RAW_TYPE, segmentNames, tempDir, type RawRecord } from './helpers.js';

const META = { memberId: '1', clusterId: '2' };

async function singleSegmentWal(dir: string): Promise<{ path: string; bytes: Buffer; records: RawRecord[] }> {
  const wal = await Wal.create(dir, META);
  for (let i = 1; i <= 30; i += 3) await wal.save(hardStateAt(i), makeEntries(i, i + 2));
  await wal.close();
  const path = join(dir, (await segmentNames(dir))[0]!);
  const bytes = await readFile(path);
  return { path, bytes, records: parseRawRecords(bytes) };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

async function expectCorrupt(t: Test, dir: string, file: string, offset: number, label: string): Promise<void> {
  const message = new RegExp(`^${escapeRegExp(`wal: corrupt record in ${file} at offset ${offset}: `)}`);
  await t.rejects(Wal.open(dir, { snapshotIndex: 0 }), { name: 'WalCorruptError', file, offset, message }, label);
}

t.test('a flipped byte in an early record names the file and the record offset', async (t) => {
  const dir = await tempDir(t);
  const { path, bytes, records } = await singleSegmentWal(dir);
  const victim = records[2]!; // an entry record near the start
  t.equal(victim.type, RAW_TYPE.entry);
  const fields: Array<[string, number, number]> = [
    ['length, low byte', 0, 0x01],
    ['length, high byte', 3, 0x80],
    ['crc', 5, 0x10],
    ['type byte', 8, 0x07],
    ['payload: term', 9, 0x01],
    ['payload: data', victim.end - victim.offset - 1, 0x20],
  ];
  for (const [field, at, mask] of fields) {
    const damaged = Buffer.from(bytes);
    damaged[victim.offset + at]! ^= mask;
    await writeFile(path, damaged);
    const err = await Wal.open(dir, { snapshotIndex: 0 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    t.ok(err instanceof WalCorruptError, `${field}: WalCorruptError`);
    if (err instanceof WalCorruptError) {
      t.equal(err.file, path, `${field}: file`);
      t.equal(err.offset, victim.offset, `${field}: offset`);
      t.equal(err.message, `wal: corrupt record in ${path} at offset ${victim.offset}: ${err.reason}`, `${field}: message`);
    }
  }
  await writeFile(path, bytes);
  const { wal } = await Wal.open(dir, { snapshotIndex: 0 });
  await wal.close();
  t.pass('the undamaged file still opens');
});

t.test('damage in a segment that is not the last', async (t) => {
  const dir = await tempDir(t);
  const wal = await Wal.create(dir, META, { segmentBytes: 700 });
  for (let i = 1; i <= 60; i += 2) await wal.save(hardStateAt(i), makeEntries(i, i + 1));
  await wal.close();
  const names = await segmentNames(dir);
  t.ok(names.length >= 3, `${names.length} segments`);
  const firstPath = join(dir, names[0]!);
  const original = await readFile(firstPath);
  const records = parseRawRecords(original);

  const middle = Math.floor(original.length / 2);
  const hit = records.find((r) => r.offset <= middle && middle < r.end)!;
  const flipped = Buffer.from(original);
  flipped[middle]! ^= 0xff;
  await writeFile(firstPath, flipped);
  await expectCorrupt(t, dir, firstPath, hit.offset, 'a flipped byte in the middle of the first segment');

  const lastByte = Buffer.from(original);
  lastByte[lastByte.length - 1]! ^= 0x01;
  await writeFile(firstPath, lastByte);
  await expectCorrupt(t, dir, firstPath, records.at(-1)!.offset, 'its last record is not a torn tail: a later segment exists');

  const cut = records.at(-1)!.offset + 4;
  await writeFile(firstPath, original.subarray(0, cut));
  await expectCorrupt(t, dir, firstPath, records.at(-1)!.offset, 'a truncated segment that is not the last');

  await writeFile(firstPath, '');
  await expectCorrupt(t, dir, firstPath, 0, 'an empty segment that is not the last');

  await writeFile(firstPath, original);
  const secondPath = join(dir, names[1]!);
  const second = await readFile(secondPath);
  const secondRecords = parseRawRecords(second);
  const flippedSecond = Buffer.from(second);
  flippedSecond[secondRecords[1]!.offset + 10]! ^= 0x04;
  await writeFile(secondPath, flippedSecond);
  await expectCorrupt(t, dir, secondPath, secondRecords[1]!.offset, 'the hard state in the header of a middle segment');
  await writeFile(secondPath, second);

  const { wal: ok } = await Wal.open(dir, { snapshotIndex: 0 });
  await ok.close();

  await rm(secondPath);
  await t.rejects(Wal.open(dir, { snapshotIndex: 0 }), { name: 'WalCorruptError', reason: /a segment is missing/ }, 'a missing middle segment');
});

t.test('a damaged record in the middle of the last segment is not a torn tail', async (t) => {
  const dir = await tempDir(t);
  const { path, bytes, records } = await singleSegmentWal(dir);
  const victim = records.at(-4)!;
  const damaged = Buffer.from(bytes);
  damaged[victim.offset + 12]! ^= 0x02;
  await writeFile(path, damaged);
  await expectCorrupt(t, dir, path, victim.offset, 'intact records follow the damaged one');
  // Zeroed bytes in the middle (a lost page) are corruption too.
  const zeroed = Buffer.from(bytes);
  zeroed.fill(0, victim.offset, victim.end);
  await writeFile(path, zeroed);
  await expectCorrupt(t, dir, path, victim.offset, 'a zeroed record with intact records after it');
});

t.test('an intact frame with a bad payload is corruption even at the tail', async (t) => {
  const dir = await tempDir(t);
  const { path, bytes } = await singleSegmentWal(dir);
  const frame = (type: number, payload: Buffer): Buffer => {
    const header = Buffer.alloc(9);
    header.writeUInt32LE(payload.length, 0);
    header[8] = type;
    header.writeUInt32LE(crc32(Buffer.concat([header.subarray(8), payload])), 4);
    return Buffer.concat([header, payload]);
  };
  const cases: Array<[string, Buffer, RegExp]> = [
    ['an unknown record type', frame(42, Buffer.from('future')), /unknown record type 42/],
    ['a short entry payload', frame(RAW_TYPE.entry, Buffer.alloc(5)), /entry payload is 5 bytes/],
    ['a second metadata record', frame(RAW_TYPE.metadata, Buffer.from(JSON.stringify(META))), /metadata record in the middle/],
  ];
  for (const [label, extra, reason] of cases) {
    await writeFile(path, Buffer.concat([bytes, extra]));
    await t.rejects(Wal.open(dir, { snapshotIndex: 0 }), { name: 'WalCorruptError', file: path, offset: bytes.length, reason }, label);
  }
});
