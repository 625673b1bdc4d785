// Property: under any sequence of appends, suffix rewrites, hard states, snapshots (local and from a leader),
// releases, concurrent saves and reopens, with tiny segments, the WAL replays exactly what a simple model holds.

import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import t from 'tap';
import { EMPTY_HARD_STATE, type Entry, type HardState, type SnapshotMetadata } from '../../src/raft/types.js';
import { Wal } from '../../src/storage/index.js';
import { makeEntries } from './helpers.js';

type Op =
  | { kind: 'append'; count: number }
  | { kind: 'rewrite'; back: number; count: number }
  | { kind: 'hardState' }
  | { kind: 'localSnapshot'; back: number }
  | { kind: 'leaderSnapshot'; jump: number }
  | { kind: 'concurrent'; saves: number }
  | { kind: 'reopen' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('append' as const), count: fc.integer({ min: 1, max: 6 }) }), weight: 6 },
  { arbitrary: fc.record({ kind: fc.constant('rewrite' as const), back: fc.integer({ min: 1, max: 6 }), count: fc.integer({ min: 1, max: 4 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('hardState' as const) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('localSnapshot' as const), back: fc.integer({ min: 0, max: 5 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('leaderSnapshot' as const), jump: fc.integer({ min: 1, max: 20 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('concurrent' as const), saves: fc.integer({ min: 2, max: 5 }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('reopen' as const) }), weight: 2 },
);

class Model {
  /** The whole log (also below the snapshot index): the reference for replay. */
  log: Entry[] = [];
  lastIndex = 0;
  term = 1;
  snapshotIndex = 0;
  hardState: HardState = EMPTY_HARD_STATE;
  markers: SnapshotMetadata[] = [];

  write(entries: Entry[]): void {
    const first = entries[0]!.index;
    this.log = this.log.filter((e) => e.index < first).concat(entries);
    this.lastIndex = entries.at(-1)!.index;
  }

  nextHardState(): HardState {
    this.hardState = { term: this.term, vote: String(this.term % 3), commit: Math.max(this.snapshotIndex, this.lastIndex - 2, 0) };
    return this.hardState;
  }
}

async function checkReplay(wal: Wal, dir: string, model: Model, segmentBytes: number, preallocateBytes: number): Promise<Wal> {
  await wal.close();
  const { wal: reopened, contents } = await Wal.open(dir, { snapshotIndex: model.snapshotIndex, segmentBytes, preallocateBytes });
  try {
    const want = model.log.filter((e) => e.index > model.snapshotIndex);
    if (!isDeepStrictEqual(contents.entries, want)) {
      const brief = (entries: Entry[]) => JSON.stringify(entries.map((e) => [e.index, e.term]));
      throw new Error(`entries differ: got ${brief(contents.entries)} want ${brief(want)}`);
    }
    if (!isDeepStrictEqual(contents.hardState, model.hardState)) {
      throw new Error(`hard state differs: got ${JSON.stringify(contents.hardState)} want ${JSON.stringify(model.hardState)}`);
    }
    // Releases drop the oldest segments, so the markers left are the newest ones, in order.
    if (!isDeepStrictEqual(contents.snapshots, model.markers.slice(model.markers.length - contents.snapshots.length))) {
      throw new Error(`snapshot markers ${JSON.stringify(contents.snapshots)} are not a suffix of those saved`);
    }
    let onDisk = 0;
    for (const name of await readdir(dir)) onDisk += (await stat(join(dir, name))).size;
    // Preallocated segments run ahead of their records in zeroes; without preallocation the files are the records.
    if (preallocateBytes === 0 ? reopened.sizeBytes !== onDisk : reopened.sizeBytes > onDisk) {
      throw new Error(`sizeBytes ${reopened.sizeBytes} vs ${onDisk} on disk (preallocate ${preallocateBytes})`);
    }
    return reopened;
  } catch (err) {
    await reopened.close();
    throw err;
  }
}

/** Tallies across runs, printed so a reader can see the histories exercise releases and rotations. */
const stats = { runs: 0, reopens: 0, segmentsReleased: 0, maxSegments: 0 };

async function run(ops: Op[], segmentBytes: number, preallocateBytes: number): Promise<void> {
  stats.runs++;
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-wal-model-'));
  let wal = await Wal.create(dir, { memberId: '1', clusterId: '2' }, { segmentBytes, preallocateBytes });
  const model = new Model();
  try {
    for (const op of ops) {
      switch (op.kind) {
        case 'append': {
          const entries = makeEntries(model.lastIndex + 1, model.lastIndex + op.count, model.term);
          model.write(entries);
          await wal.save(model.nextHardState(), entries);
          break;
        }
        case 'rewrite': {
          // A new leader replaces an uncommitted suffix; committed entries (the snapshot) never change.
          const start = Math.max(model.snapshotIndex + 1, model.lastIndex - op.back + 1);
          model.term++;
          const entries = makeEntries(start, start + op.count - 1, model.term);
          model.write(entries);
          await wal.save(model.nextHardState(), entries);
          break;
        }
        case 'hardState':
          model.term++;
          await wal.save(model.nextHardState(), []);
          break;
        case 'localSnapshot': {
          const index = Math.max(model.snapshotIndex, model.lastIndex - op.back);
          if (index === model.snapshotIndex) break;
          const marker = { index, term: model.log.find((e) => e.index === index)?.term ?? model.term, confState: { voters: ['1'], learners: [] } };
          model.markers.push(marker);
          model.snapshotIndex = index;
          await wal.saveSnapshot(marker);
          const before = (await readdir(dir)).length;
          await wal.releaseTo(index + 1);
          stats.segmentsReleased += before - (await readdir(dir)).length;
          break;
        }
        case 'leaderSnapshot': {
          const index = model.lastIndex + op.jump;
          const marker = { index, term: model.term, confState: { voters: ['1', '2'], learners: ['3'] } };
          model.markers.push(marker);
          model.snapshotIndex = index;
          model.log = [];
          model.lastIndex = index;
          await wal.saveSnapshot(marker);
          break;
        }
        case 'concurrent': {
          const pending: Array<Promise<void>> = [];
          for (let i = 0; i < op.saves; i++) {
            const entries = makeEntries(model.lastIndex + 1, model.lastIndex + 1 + (i % 3), model.term);
            model.write(entries);
            pending.push(wal.save(model.nextHardState(), entries));
          }
          await Promise.all(pending);
          break;
        }
        case 'reopen':
          stats.reopens++;
          stats.maxSegments = Math.max(stats.maxSegments, (await readdir(dir)).length);
          wal = await checkReplay(wal, dir, model, segmentBytes, preallocateBytes);
          break;
      }
    }
    wal = await checkReplay(wal, dir, model, segmentBytes, preallocateBytes);
  } finally {
    await wal.close().catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

t.test('replay matches the model', async (t) => {
  await fc.assert(
    // Preallocation 0 (off) half the time, else a step smaller or larger than a segment.
    fc.asyncProperty(
      fc.array(opArb, { minLength: 1, maxLength: 30 }),
      fc.integer({ min: 200, max: 1500 }),
      fc.oneof(fc.constant(0), fc.integer({ min: 64, max: 2048 })),
      run,
    ),
    { numRuns: 100 },
  );
  t.comment(`histories: ${stats.runs}, reopens: ${stats.reopens}, segments released: ${stats.segmentsReleased}, most segments at a reopen: ${stats.maxSegments}`);
  t.pass('random histories replayed exactly');
});
