import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import t from 'tap';
import type { Snapshot } from '../../src/raft/types.js';
import { Snapshotter, snapshotFileName } from '../../src/storage/index.js';
import { RecordingLogger, tempDir } from './helpers.js';

function snapshot(index: number, term: number, text = `state at ${index}`): Snapshot {
  return { metadata: { index, term, confState: { voters: ['1', '2'], learners: ['3'] } }, data: new TextEncoder().encode(text) };
}

t.test('save, loadNewest and purge', async (t) => {
  const dir = join(await tempDir(t), 'member', 'snap');
  const snap = new Snapshotter(dir);
  t.equal(await snap.loadNewest(), undefined, 'no directory yet: no snapshot');
  await snap.save(snapshot(10, 1));
  await snap.save(snapshot(300, 2));
  await snap.save(snapshot(25, 1, ''));
  t.same(await readdir(dir), [snapshotFileName(1, 10), snapshotFileName(1, 25), snapshotFileName(2, 300)].sort());
  t.equal(snapshotFileName(2, 300), '0000000000000002-000000000000012c.snap', 'zero-padded hex term-index');
  const newest = await snap.loadNewest();
  t.same(newest, snapshot(300, 2));
  t.ok(newest && newest.data instanceof Uint8Array && !Buffer.isBuffer(newest.data), 'data comes back as a plain Uint8Array');

  await snap.purge(2);
  t.same((await readdir(dir)).sort(), [snapshotFileName(1, 25), snapshotFileName(2, 300)], 'the oldest is purged');
  await snap.purge(5);
  t.equal((await readdir(dir)).length, 2, 'nothing to purge');
  t.same(await new Snapshotter(dir).loadNewest(), snapshot(300, 2), 'a new Snapshotter reads the same');

  // Larger than the 4 MiB slices the data is written and summed in, and not a multiple of them.
  const big = new Uint8Array(9 * 1024 * 1024 + 123).map((_, i) => (i * 31) % 251);
  await snap.save({ metadata: snapshot(400, 3).metadata, data: big });
  const loaded = await snap.loadNewest();
  t.equal(loaded?.metadata.index, 400);
  t.ok(loaded && Buffer.compare(loaded.data, big) === 0, 'a large snapshot round-trips');
  const file = await readFile(join(dir, snapshotFileName(3, 400)));
  t.equal(file.readUInt32LE(0), crc32(file.subarray(4)), 'the file starts with the crc32 of all that follows it');
  t.equal(file.length, 8 + file.readUInt32LE(4) + big.length, 'then the metadata length, the metadata and the data');
  await t.rejects(snap.purge(-1), RangeError);
  await t.rejects(snap.save(snapshot(-1, 1)), RangeError);
});

t.test('a damaged newest snapshot is set aside and the older one is used', async (t) => {
  const dir = await tempDir(t);
  const logger = new RecordingLogger();
  const snap = new Snapshotter(dir, logger);
  await snap.save(snapshot(10, 1));
  await snap.save(snapshot(20, 1));
  await snap.save(snapshot(30, 2));
  const newestPath = join(dir, snapshotFileName(2, 30));
  const bytes = await readFile(newestPath);
  bytes[bytes.length - 3]! ^= 0x01;
  await writeFile(newestPath, bytes);
  // The next one is cut short, as if written without the rename protocol.
  const middlePath = join(dir, snapshotFileName(1, 20));
  await writeFile(middlePath, (await readFile(middlePath)).subarray(0, 9));

  t.same(await snap.loadNewest(), snapshot(10, 1));
  t.same(
    (await readdir(dir)).sort(),
    [snapshotFileName(1, 10), snapshotFileName(1, 20) + '.broken', snapshotFileName(2, 30) + '.broken'],
    'damaged files are renamed *.broken',
  );
  t.equal(logger.warnings.length, 2, 'one warning per damaged file');
  t.match(logger.warnings[0]!.obj, { file: newestPath, reason: /crc mismatch/ });

  // A file whose name does not match its contents is not trusted either.
  await writeFile(join(dir, snapshotFileName(9, 99)), await readFile(join(dir, snapshotFileName(1, 10))));
  t.same(await snap.loadNewest(), snapshot(10, 1));
  t.match(logger.warnings.at(-1)!.obj, { reason: /file name says/ });

  await snap.purge(0);
  t.equal(await snap.loadNewest(), undefined, 'everything purged');
});

t.test('a partial temp file is never loaded, and is cleaned up', async (t) => {
  const dir = await tempDir(t);
  const logger = new RecordingLogger();
  const snap = new Snapshotter(dir, logger);
  await snap.save(snapshot(10, 1));
  // A crash mid-save leaves the temp file: complete or not, it never got its final name.
  const complete = await readFile(join(dir, snapshotFileName(1, 10)));
  await writeFile(join(dir, snapshotFileName(1, 50) + '.tmp'), complete.subarray(0, complete.length - 4));
  await writeFile(join(dir, snapshotFileName(1, 60) + '.tmp'), complete);
  t.same(await snap.loadNewest(), snapshot(10, 1));
  t.same(await readdir(dir), [snapshotFileName(1, 10)], 'temp files removed');
  t.equal(logger.warnings.length, 2);
});

t.test('concurrent saves and loads are serialized', async (t) => {
  const dir = await tempDir(t);
  const snap = new Snapshotter(dir);
  const pending: Array<Promise<unknown>> = [];
  for (let i = 1; i <= 8; i++) {
    pending.push(snap.save(snapshot(i * 10, 1)));
    if (i % 3 === 0) pending.push(snap.loadNewest().then((s) => t.equal(s?.metadata.index, i * 10, `load after save ${i}`)));
  }
  pending.push(snap.purge(3));
  await Promise.all(pending);
  t.same((await readdir(dir)).sort(), [60, 70, 80].map((i) => snapshotFileName(1, i)));
});
