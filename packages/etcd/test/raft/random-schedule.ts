// Random schedules for the randomized Raft test: the command language, its fast-check arbitraries, and the
// interpreter that plays a schedule against a simulated cluster (kept apart from the test so a failing
// counterexample can be replayed with replay-schedule.ts).
import fc from 'fast-check';
import { ProposalDroppedError } from '../../src/raft/index.js';
import { Cluster } from './sim-network.js';

export type Command =
  | { kind: 'tick'; node: number }
  | { kind: 'tickAll' }
  | { kind: 'deliver'; pick: number }
  | { kind: 'deliverMany'; count: number; pick: number }
  | { kind: 'drop'; pick: number }
  | { kind: 'duplicate'; pick: number }
  | { kind: 'ready'; node: number }
  | { kind: 'readyAll' }
  | { kind: 'propose'; node: number }
  | { kind: 'proposeBurst'; count: number }
  | { kind: 'readIndex'; node: number }
  | { kind: 'readEverywhere' }
  | { kind: 'partition'; mask: number }
  | { kind: 'heal' }
  | { kind: 'crash'; node: number }
  | { kind: 'crashLeader' }
  | { kind: 'isolateLeader' }
  | { kind: 'restart'; node: number }
  | { kind: 'snapshot'; node: number; keep: number }
  | { kind: 'transfer'; node: number; to: number };

export interface Scenario {
  size: number;
  seed: number;
  electionTick: number;
  preVote: boolean;
  checkQuorum: boolean;
  maxInflightMsgs: number;
  maxSizePerMsg: number;
  dropRate: number;
  duplicateRate: number;
  maxDelayTicks: number;
  /** Weight of faults (drops, duplicates, partitions, crashes, transfers) among the commands: 0 = none. */
  chaos: number;
  /** How the initial configuration is given (see ClusterOptions.bootstrap). */
  bootstrap: 'confState' | 'log';
  /** Process each node's Ready right after every input, or only on explicit ready commands (crash-before-persist). */
  autoReady: boolean;
  commands: Command[];
}

const node = fc.nat({ max: 4 });
const pick = fc.nat({ max: 1000 });

/**
 * Commands, weighted by the run's chaos level: 0 is a healthy network (ticks, deliveries in any order, proposals,
 * reads, snapshots), higher levels add more drops, duplicates, partitions, crashes and transfers. Calm runs make
 * long stretches of progress (many commits per leader); stormy runs churn through many terms.
 */
function commands(chaos: number): fc.Arbitrary<Command[]> {
  const command: fc.Arbitrary<Command> = fc.oneof(
    { weight: 40, arbitrary: fc.record({ kind: fc.constant('deliver' as const), pick }) },
    { weight: 20, arbitrary: fc.record({ kind: fc.constant('deliverMany' as const), count: fc.integer({ min: 2, max: 30 }), pick }) },
    { weight: 20, arbitrary: fc.record({ kind: fc.constant('ready' as const), node }) },
    { weight: 8, arbitrary: fc.constant({ kind: 'readyAll' as const }) },
    { weight: 20, arbitrary: fc.record({ kind: fc.constant('tick' as const), node }) },
    { weight: 30, arbitrary: fc.constant({ kind: 'tickAll' as const }) },
    { weight: 24, arbitrary: fc.record({ kind: fc.constant('propose' as const), node }) },
    { weight: 10, arbitrary: fc.record({ kind: fc.constant('proposeBurst' as const), count: fc.integer({ min: 2, max: 6 }) }) },
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('readIndex' as const), node }) },
    { weight: 4, arbitrary: fc.constant({ kind: 'readEverywhere' as const }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('snapshot' as const), node, keep: fc.nat({ max: 3 }) }) },
    { weight: 4 * chaos, arbitrary: fc.record({ kind: fc.constant('drop' as const), pick }) },
    { weight: 3 * chaos, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), pick }) },
    { weight: chaos, arbitrary: fc.record({ kind: fc.constant('partition' as const), mask: fc.nat({ max: 31 }) }) },
    { weight: 2 * chaos, arbitrary: fc.constant({ kind: 'heal' as const }) },
    { weight: chaos, arbitrary: fc.record({ kind: fc.constant('crash' as const), node }) },
    { weight: chaos, arbitrary: fc.constant({ kind: 'crashLeader' as const }) },
    { weight: chaos, arbitrary: fc.constant({ kind: 'isolateLeader' as const }) },
    { weight: 4 * chaos, arbitrary: fc.record({ kind: fc.constant('restart' as const), node }) },
    { weight: chaos, arbitrary: fc.record({ kind: fc.constant('transfer' as const), node, to: node }) },
  );
  return fc.array(command, { minLength: 20, maxLength: 600, size: 'max' });
}

export const scenario: fc.Arbitrary<Scenario> = fc
  .record({
    size: fc.integer({ min: 3, max: 5 }),
    seed: fc.integer({ min: 1, max: 0x7fffffff }),
    electionTick: fc.constantFrom(3, 5, 10),
    preVote: fc.boolean(),
    checkQuorum: fc.boolean(),
    maxInflightMsgs: fc.integer({ min: 1, max: 4 }),
    maxSizePerMsg: fc.integer({ min: 1, max: 24 }),
    chaos: fc.constantFrom(0, 1, 1, 2, 3),
    autoReady: fc.constantFrom(true, true, false),
    bootstrap: fc.constantFrom('confState' as const, 'log' as const),
  })
  .chain((base) =>
    fc.record({
      dropRate: base.chaos === 0 ? fc.constant(0) : fc.constantFrom(0, 0.05, 0.15),
      duplicateRate: base.chaos === 0 ? fc.constant(0) : fc.constantFrom(0, 0.05),
      maxDelayTicks: fc.constantFrom(0, 0, 1, 3),
      commands: commands(base.chaos),
    }).map((rest): Scenario => ({ ...base, ...rest })),
  );

export interface RunStats {
  steps: number;
  commits: number;
  leaderTerms: number;
  snapshotsSent: number;
  /** Appends rejected by a follower whose log diverged or lagged. */
  rejections: number;
}

export function runSchedule(s: Scenario, stats: RunStats): void {
  const ids = Array.from({ length: s.size }, (_, i) => String(i + 1));
  const cluster = new Cluster({
    ids,
    seed: s.seed,
    preVote: s.preVote,
    checkQuorum: s.checkQuorum,
    maxInflightMsgs: s.maxInflightMsgs,
    maxSizePerMsg: s.maxSizePerMsg,
    electionTick: s.electionTick,
    heartbeatTick: 1,
    autoReady: s.autoReady,
    bootstrap: s.bootstrap,
  });
  cluster.faults.dropRate = s.dropRate;
  cluster.faults.duplicateRate = s.duplicateRate;
  cluster.faults.maxDelayTicks = s.maxDelayTicks;
  cluster.faults.reorder = true;
  cluster.onSend = (m) => {
    if (m.type === 'snap') stats.snapshotsSent++;
    if (m.type === 'appResp' && m.reject) stats.rejections++;
  };
  let counter = 0;
  const idOf = (n: number): string => ids[n % ids.length]!;
  const tolerate = (f: () => void): void => {
    try {
      f();
    } catch (err) {
      if (!(err instanceof ProposalDroppedError)) throw err;
    }
  };

  for (const c of s.commands) {
    stats.steps++;
    switch (c.kind) {
      case 'tick':
        if (cluster.alive(idOf(c.node))) cluster.tick(idOf(c.node));
        break;
      case 'tickAll':
        cluster.tickAll();
        break;
      case 'deliver':
        cluster.deliverOne(c.pick);
        break;
      case 'deliverMany':
        for (let i = 0; i < c.count && cluster.deliverOne(c.pick + i); i++) {
          // one message per iteration, in a pseudo-random order
        }
        break;
      case 'drop':
        cluster.dropOne(c.pick);
        break;
      case 'duplicate':
        cluster.duplicateOne(c.pick);
        break;
      case 'ready':
        cluster.processReady(idOf(c.node));
        break;
      case 'readyAll':
        cluster.processAllReady();
        break;
      case 'propose': {
        const id = idOf(c.node);
        if (cluster.alive(id)) tolerate(() => cluster.propose(id, `v${++counter}`));
        break;
      }
      case 'proposeBurst': {
        // Several commands to the current leader at once: uncommitted suffixes for the next leader to reconcile.
        const lead = cluster.leader();
        for (let i = 0; lead !== undefined && i < c.count; i++) tolerate(() => cluster.propose(lead, `v${++counter}`));
        break;
      }
      case 'readIndex': {
        const id = idOf(c.node);
        if (cluster.alive(id)) tolerate(() => cluster.readIndex(id, `read-${id}-${++counter}`));
        break;
      }
      case 'readEverywhere':
        // Stale leaders included: a read they answer must still see everything committed before it was issued.
        for (const id of cluster.liveIds()) tolerate(() => cluster.readIndex(id, `read-${id}-${++counter}`));
        break;
      case 'partition': {
        const side = ids.filter((_, i) => (c.mask >> i) & 1);
        cluster.partition(side, ids.filter((id) => !side.includes(id)));
        break;
      }
      case 'heal':
        cluster.heal();
        break;
      case 'crash':
        // Any number of nodes may be down at once: safety must hold regardless; the end of the run restarts them.
        if (cluster.alive(idOf(c.node))) cluster.crash(idOf(c.node));
        break;
      case 'crashLeader': {
        const lead = cluster.leader();
        if (lead !== undefined) cluster.crash(lead);
        break;
      }
      case 'isolateLeader': {
        const lead = cluster.leader();
        if (lead !== undefined) cluster.isolate(lead);
        break;
      }
      case 'restart':
        if (!cluster.alive(idOf(c.node))) cluster.restart(idOf(c.node));
        break;
      case 'snapshot':
        if (cluster.alive(idOf(c.node))) cluster.snapshot(idOf(c.node), c.keep);
        break;
      case 'transfer':
        if (cluster.alive(idOf(c.node))) cluster.transferLeader(idOf(c.node), idOf(c.to));
        break;
    }
    // Every node changed by the step was already checked as it changed; re-check them all regardless.
    cluster.checkAll();
  }

  // Liveness: heal everything; a leader must emerge and a new command must reach every state machine.
  cluster.heal();
  cluster.faults.dropRate = 0;
  cluster.faults.duplicateRate = 0;
  cluster.faults.maxDelayTicks = 0;
  for (const id of ids) if (!cluster.alive(id)) cluster.restart(id);
  cluster.autoReady = true;
  cluster.processAllReady();
  // A proposal accepted by a leader that is then deposed may be lost (legitimately): retry every few ticks.
  const finals: string[] = [];
  let lastProposalTick = -Infinity;
  for (let tick = 0; tick < 400; tick++) {
    cluster.stabilize();
    const lead = cluster.leader();
    if (lead !== undefined && tick - lastProposalTick >= 3 * s.electionTick) {
      try {
        cluster.propose(lead, `final-${finals.length}`);
        finals.push(`final-${finals.length}`);
        lastProposalTick = tick;
      } catch (err) {
        if (!(err instanceof ProposalDroppedError)) throw err;
      }
      cluster.stabilize();
    }
    if (finals.some((v) => ids.every((id) => cluster.appliedData(id).includes(v)))) {
      stats.commits += cluster.checker.committed.size;
      stats.leaderTerms += cluster.checker.leaderOfTerm.size;
      return;
    }
    cluster.tickAll();
  }
  const proposed = finals.length > 0;
  throw new Error(
    `liveness: after healing, ${proposed ? 'the proposal was not applied everywhere' : 'no leader accepted a proposal'} ` +
      `(leaders: ${cluster.leaders().join(',') || 'none'}; applied: ${ids.map((id) => `${id}=${cluster.appliedData(id).length}`).join(' ')})\n` +
      ids.map((id) => JSON.stringify({ ...cluster.status(id), log: cluster.raw(id).logView() })).join('\n'),
  );
}

