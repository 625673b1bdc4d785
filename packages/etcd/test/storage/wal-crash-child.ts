// Child of wal-crash.test.ts: appends to a WAL in a loop and prints the last index of each save once it resolved,
// until killed (or a bound is reached). Args: <dir> <segmentBytes> <deadlineMs> <maxEntries> <term> [preallocateBytes]

import { Wal } from '../../src/storage/index.js';
import { makeEntries } from './helpers.js';

async function main(): Promise<void> {
  const [dir, segmentBytesArg, deadlineMsArg, maxEntriesArg, termArg, preallocateArg] = process.argv.slice(2);
  if (!dir || !segmentBytesArg || !deadlineMsArg || !maxEntriesArg || !termArg) throw new Error('usage: <dir> <segmentBytes> <deadlineMs> <maxEntries> <term>');
  const segmentBytes = Number(segmentBytesArg);
  const term = Number(termArg);
  const preallocateBytes = Number(preallocateArg ?? 0);
  let wal: Wal;
  let next: number;
  if (Wal.exists(dir)) {
    const opened = await Wal.open(dir, { snapshotIndex: 0, segmentBytes, preallocateBytes });
    wal = opened.wal;
    next = (opened.contents.entries.at(-1)?.index ?? 0) + 1;
  } else {
    wal = await Wal.create(dir, { memberId: '1', clusterId: '2' }, { segmentBytes, preallocateBytes });
    next = 1;
  }
  // Pipes are written synchronously on Linux: a line printed here reaches the parent even if we are killed next.
  process.stdout.write(`ready ${next}\n`);
  const deadline = Date.now() + Number(deadlineMsArg);
  const maxEntries = Number(maxEntriesArg);
  let written = 0;
  while (Date.now() < deadline && written < maxEntries) {
    const last = next + (next % 4);
    await wal.save({ term, vote: '1', commit: last }, makeEntries(next, last, term));
    process.stdout.write(`${last}\n`);
    written += last - next + 1;
    next = last + 1;
  }
  await wal.close();
  process.stdout.write('done\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
