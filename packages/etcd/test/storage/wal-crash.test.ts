// kill -9 in the middle of saves: every index acknowledged (printed after save resolved) must survive, intact and
// contiguous, and the next writer must be able to carry on.

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import type { Entry } from '../../src/raft/types.js';
import { Wal } from '../../src/storage/index.js';
import { entryData, RecordingLogger, tempDir } from './helpers.js';

const ROUNDS = 6;
/** Even rounds write the way a member does: segments grown ahead of the records by zeroed blocks. */
const PREALLOCATE_BYTES = 8 * 1024;
const SEGMENT_BYTES = 32 * 1024;
const CHILD_DEADLINE_MS = 5_000;
const CHILD_MAX_ENTRIES = 20_000;

/** The compiled .js next to this file in CI (dist/), the .ts source under tsx. */
function childScript(): string {
  for (const ext of ['.js', '.ts']) {
    const url = new URL(`./wal-crash-child${ext}`, import.meta.url);
    if (existsSync(url)) return fileURLToPath(url);
  }
  throw new Error('wal-crash-child script not found next to the test');
}

interface RoundResult {
  firstIndex: number;
  acked: number[];
  killed: boolean;
  exit: { code: number | null; signal: NodeJS.Signals | null };
  stderr: string;
}

function runChild(dir: string, term: number, killAfterMs: number, preallocateBytes: number): Promise<RoundResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, childScript(), dir, String(SEGMENT_BYTES), String(CHILD_DEADLINE_MS), String(CHILD_MAX_ENTRIES), String(term), String(preallocateBytes)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    let killTimer: NodeJS.Timeout | undefined;
    let killed = false;
    // Backstop: never leave a child behind, whatever happens to the protocol.
    const watchdog = setTimeout(() => child.kill('SIGKILL'), CHILD_DEADLINE_MS + 15_000);
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      // Arm the kill once the child is saving, so it lands mid-loop rather than during start-up.
      if (killTimer === undefined && /^\d+$/m.test(stdout)) {
        killTimer = setTimeout(() => {
          killed = child.kill('SIGKILL');
        }, killAfterMs);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(watchdog);
      if (killTimer) clearTimeout(killTimer);
      // Only complete lines count: a partial line was not fully acknowledged.
      const lines = stdout.split('\n').slice(0, -1);
      const ready = /^ready (\d+)$/.exec(lines[0] ?? '');
      if (!ready) {
        reject(new Error(`child did not start (code ${code}, signal ${signal}): ${stderr}`));
        return;
      }
      const acked = lines.slice(1).filter((l) => /^\d+$/.test(l)).map(Number);
      resolve({ firstIndex: Number(ready[1]), acked, killed: killed && signal === 'SIGKILL', exit: { code, signal }, stderr });
    });
  });
}

t.test('acknowledged saves survive SIGKILL', async (t) => {
  const dir = join(await tempDir(t, 'k8ts-kill-'), 'wal');
  /** Term (= round) each index was acknowledged with, plus everything seen durable in earlier checks. */
  const mustHave = new Map<number, Entry>();
  let seed = Date.now() >>> 0;
  t.comment(`seed ${seed}`);
  const random = (n: number) => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };

  for (let round = 1; round <= ROUNDS; round++) {
    const killAfterMs = 20 + random(900);
    const preallocateBytes = round % 2 === 0 ? PREALLOCATE_BYTES : 0;
    const result = await runChild(dir, round, killAfterMs, preallocateBytes);
    t.equal(result.exit.code === 0 || result.killed, true, `round ${round}: exited by SIGKILL or finished (${JSON.stringify(result.exit)}) ${result.stderr}`);
    const maxAcked = result.acked.at(-1) ?? result.firstIndex - 1;
    for (let i = result.firstIndex; i <= maxAcked; i++) mustHave.set(i, { term: round, index: i, type: i % 11 === 0 ? 'confChange' : 'normal', data: entryData(i, round) });

    const logger = new RecordingLogger();
    const { wal, contents } = await Wal.open(dir, { snapshotIndex: 0, logger, segmentBytes: SEGMENT_BYTES });
    await wal.close();
    const entries = contents.entries;
    t.comment(
      `round ${round}${preallocateBytes ? ' (preallocating)' : ''}: killed after ${killAfterMs} ms: ${result.acked.length} saves acknowledged up to ${maxAcked}; ` +
        `${entries.length} entries on disk; repairs: ${logger.warnings.map((w) => w.msg).join('; ') || 'none'}`,
    );
    t.ok(
      entries.every((e, i) => e.index === i + 1),
      `round ${round}: the log is contiguous from 1`,
    );
    t.ok(entries.length >= maxAcked, `round ${round}: every acknowledged index is present (${entries.length} >= ${maxAcked})`);
    const missing = [...mustHave.values()].filter((want) => {
      const got = entries[want.index - 1];
      return !got || got.term !== want.term || got.data !== want.data || got.type !== want.type;
    });
    t.same(missing.map((e) => e.index), [], `round ${round}: acknowledged entries have the data that was saved`);
    t.ok(
      entries.every((e) => e.term <= round && e.data === entryData(e.index, e.term)),
      `round ${round}: unacknowledged but durable entries are whole`,
    );
    t.ok(contents.hardState.commit >= maxAcked && contents.hardState.term <= round, `round ${round}: the hard state is at least the acknowledged one`);
    // What is on disk now was made durable by this open: later rounds must keep it.
    for (const e of entries) if (!mustHave.has(e.index)) mustHave.set(e.index, e);
  }
});
