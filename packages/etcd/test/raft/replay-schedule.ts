// Replays one schedule printed by randomized.test.ts as a counterexample:
//   node --import tsx packages/etcd/test/raft/replay-schedule.ts '<the JSON scenario>'
// (or pass a file path). Throws the original failure with its stack.
import { readFileSync, existsSync } from 'node:fs';
import { runSchedule, type Scenario } from './random-schedule.js';

const arg = process.argv[2];
if (arg === undefined) throw new Error('usage: replay-schedule.ts <scenario JSON | file>');
const text = existsSync(arg) ? readFileSync(arg, 'utf8') : arg;
const parsed = JSON.parse(text) as Scenario | Scenario[];
const s = Array.isArray(parsed) ? parsed[0]! : parsed;
const stats = { steps: 0, commits: 0, leaderTerms: 0, snapshotsSent: 0, rejections: 0 };
runSchedule(s, stats);
process.stdout.write(`schedule passed: ${JSON.stringify(stats)}\n`);
