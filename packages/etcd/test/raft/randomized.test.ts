// Randomized schedules (fast-check) over 3-5 simulated nodes: ticks, deliveries in any order, drops, duplicates,
// delays, partitions, crashes and restarts, proposals, reads, snapshots and leadership transfers. The cluster's
// SafetyChecker asserts after every step: Election Safety (over the whole run), Log Matching, Leader Completeness,
// State Machine Safety, one vote per term, monotonic persisted state and ReadIndex bounds. Each run ends with the
// network healed and every node up: a leader must emerge and a new proposal must be applied everywhere.
//
// Replay a failure with RAFT_FC_SEED=<seed> RAFT_FC_PATH=<path> (printed by fast-check), or feed the printed
// counterexample to replay-schedule.ts; RAFT_FC_RUNS=<n> runs more schedules.
import fc from 'fast-check';
import t from 'tap';
import { runSchedule, scenario, type RunStats } from './random-schedule.js';

t.test('random schedules keep Raft safe and live', async (t) => {
  const numRuns = Number(process.env['RAFT_FC_RUNS'] ?? 600);
  const seedEnv = process.env['RAFT_FC_SEED'];
  const pathEnv = process.env['RAFT_FC_PATH'];
  const stats: RunStats = { steps: 0, commits: 0, leaderTerms: 0, snapshotsSent: 0, rejections: 0 };
  const started = Date.now();
  const result = fc.check(
    fc.property(scenario, (s) => runSchedule(s, stats)),
    {
      numRuns,
      ...(seedEnv !== undefined ? { seed: Number(seedEnv) } : {}),
      ...(pathEnv !== undefined ? { path: pathEnv } : {}),
      // Stay well inside the CI time budget on a busy machine: stop generating (or shrinking a failure, which is
      // still reported) after 20 s.
      interruptAfterTimeLimit: Number(process.env['RAFT_FC_TIME_LIMIT_MS'] ?? 20_000),
    },
  );
  if (result.failed) {
    const error = result.errorInstance instanceof Error ? `${result.errorInstance.stack ?? result.errorInstance.message}` : String(result.errorInstance);
    t.fail(`${fc.defaultReportMessage(result) ?? 'property failed'}\nError: ${error}`);
  } else {
    t.pass(
      `${result.numRuns} runs, ${stats.steps} steps, ${stats.commits} committed entries, ${stats.leaderTerms} leader terms, ` +
        `${stats.snapshotsSent} snapshots sent, ${stats.rejections} rejected appends, ${Date.now() - started} ms`,
    );
  }
  t.ok(result.numRuns >= Math.min(numRuns, 300), `ran at least ${Math.min(numRuns, 300)} schedules (${result.numRuns})`);
  // The schedules must actually exercise the protocol, not just idle.
  t.ok(stats.leaderTerms > result.numRuns, 'leaders changed within runs');
  t.ok(stats.commits > 10 * result.numRuns, 'entries were committed');
  t.ok(stats.rejections > 0, 'followers rejected appends (divergent or lagging logs)');
  t.ok(stats.snapshotsSent > 0, 'some schedules exercised snapshot transfer');
});
