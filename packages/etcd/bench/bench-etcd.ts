// etcd benchmark: k8ts-etcd vs real etcd 3.4 (or any etcd-v3-JSON endpoints), over @k8ts/etcd-client.
// Run: pnpm bench:etcd [--only etcd] [--quick] [--rounds 3] [--write docs/benchmarks.md]   (see --help)
import { existsSync } from 'node:fs';
import { cpus, availableParallelism, platform, arch, release, totalmem } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { killAllChildren, startCluster, waitHealthy, type RunningCluster, type Side } from './cluster.js';
import { formatRound, formatSummary, renderSection, writeSection, type RoundResult, type SideName } from './report.js';
import { EXTRA_WORKLOADS, warmCluster, WORKLOADS, type WorkloadResult } from './workloads.js';

const HELP = `Usage: pnpm bench:etcd [options]

Starts, one at a time, fresh 3-member clusters of k8ts-etcd and of real etcd on loopback, alternating, and runs the
workloads against each (requests round-robin over the members). Prints a table per round and the medians.
Each fresh cluster first gets the same untimed warm-up (puts, ranges, txns and a watch; see warmCluster).

  --rounds N            rounds per side (default 3)
  --only k8ts|etcd      run one side only
  --quick               shortened workloads (smoke test)
  --workloads a,b       run only these workloads (${WORKLOADS.map((w) => w.name).join(', ')}; also, only when named:
                        ${EXTRA_WORKLOADS.map((w) => w.name).join(', ')})
  --snapshot-count N    start every member of both sides with --snapshot-count N (default: each side's own, 100000)
  --endpoints a,b,c     drive these existing etcd-v3-JSON endpoints instead of starting clusters
  --write FILE          rewrite FILE's etcd section (${'<!-- bench:etcd:start -->'} ... end marker), keeping the rest
  --etcd-bin PATH       real etcd binary (default $ETCD_BIN or /usr/bin/etcd)
  --k8ts-bin PATH       k8ts-etcd entry point, run with node (default packages/etcd/dist/src/cli/main.js)
  --base-port N         fixed ports from N (client/peer pairs); default: ports the OS reports free
  --startup-timeout MS  wait this long for a cluster to become healthy (default 60000)
  --keep-data           keep the clusters' temp data dirs and logs
  --no-warmup           skip the warm-up: measure cold clusters (k8ts-etcd then runs its first workload mostly before
                        V8 has optimized it)
  -h, --help`;

function fail(msg: string): never {
  process.stderr.write(`bench-etcd: ${msg}\n`);
  process.exit(2);
}

const { values: args } = (() => {
  try {
    return parseArgs({
      options: {
        rounds: { type: 'string', default: '3' },
        only: { type: 'string' },
        quick: { type: 'boolean', default: false },
        workloads: { type: 'string' },
        'no-warmup': { type: 'boolean', default: false },
        endpoints: { type: 'string' },
        write: { type: 'string' },
        'etcd-bin': { type: 'string', default: process.env.ETCD_BIN ?? '/usr/bin/etcd' },
        'k8ts-bin': { type: 'string' },
        'base-port': { type: 'string', default: '0' },
        'startup-timeout': { type: 'string', default: '60000' },
        'keep-data': { type: 'boolean', default: false },
        'snapshot-count': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: false,
    });
  } catch (err) {
    return fail(`${err instanceof Error ? err.message : String(err)}\n\n${HELP}`);
  }
})();

if (args.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}

const int = (name: string, v: string, min: number): number => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer >= ${min}`);
  return n;
};
const rounds = int('rounds', args.rounds, 1);
const basePort = int('base-port', args['base-port'], 0);
const startupTimeout = int('startup-timeout', args['startup-timeout'], 1000);
const memberArgs = args['snapshot-count'] === undefined ? [] : ['--snapshot-count', String(int('snapshot-count', args['snapshot-count'], 1))];
if (args.only !== undefined && args.only !== 'k8ts' && args.only !== 'etcd') fail('--only must be k8ts or etcd');
if (args.only !== undefined && args.endpoints !== undefined) fail('--only and --endpoints exclude each other');

const workloads = (() => {
  if (args.workloads === undefined) return WORKLOADS;
  const names = args.workloads.split(',').map((s) => s.trim()).filter(Boolean);
  const all = [...WORKLOADS, ...EXTRA_WORKLOADS];
  const unknown = names.filter((n) => !all.some((w) => w.name === n));
  if (unknown.length) fail(`unknown workload(s): ${unknown.join(', ')}`);
  return all.filter((w) => names.includes(w.name));
})();

// From dist/bench/ the server is ../src/cli/main.js; from the source bench/ (tsx) it is ../dist/src/cli/main.js.
const here = dirname(fileURLToPath(import.meta.url));
const k8tsBin = resolve(args['k8ts-bin'] ?? (import.meta.url.endsWith('.ts') ? resolve(here, '../dist/src/cli/main.js') : resolve(here, '../src/cli/main.js')));
const etcdBin = args['etcd-bin'];

const external = args.endpoints?.split(',').map((s) => s.trim()).filter(Boolean);
const sides: Side[] = external ? [] : args.only ? [args.only as Side] : ['k8ts', 'etcd'];
if (sides.includes('etcd') && !existsSync(etcdBin)) fail(`etcd binary not found at ${etcdBin} (apt-get install etcd-server, or --etcd-bin)`);
if (sides.includes('k8ts') && !existsSync(k8tsBin)) {
  fail(`k8ts-etcd entry point not found at ${k8tsBin} (build packages/etcd first, pass --k8ts-bin, or use --only etcd)`);
}

const commandFor = (side: Side): string[] => (side === 'etcd' ? [etcdBin] : [process.execPath, k8tsBin]);
/** What to type to reproduce this run (the root script runs from the repo root). */
const reproduce = `pnpm bench:etcd ${process.argv
  .slice(2)
  .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
  .join(' ')}`.trim();

let current: RunningCluster | undefined;
/** Set on SIGINT/SIGTERM: the signal handler owns cleanup and exit from then on. */
let interrupted = false;
const onSignal = (sig: NodeJS.Signals): void => {
  interrupted = true;
  process.stderr.write(`\nbench-etcd: ${sig}, stopping\n`);
  const c = current;
  current = undefined;
  void (c ? c.stop(args['keep-data']) : Promise.resolve()).finally(() => {
    killAllChildren();
    process.exit(130);
  });
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

async function runWorkloads(endpoints: string[], keyPrefix: string): Promise<WorkloadResult[]> {
  const out: WorkloadResult[] = [];
  if (!args['no-warmup']) {
    const warm = await warmCluster({ endpoints, quick: args.quick, keyPrefix });
    process.stdout.write(`  warm-up (untimed): ${warm.ops} ops in ${(warm.elapsedMs / 1000).toFixed(1)} s\n`);
  }
  for (const w of workloads) {
    if (interrupted) break;
    const r = await w.run({ endpoints, quick: args.quick, keyPrefix });
    out.push(r);
    process.stdout.write(`  ${w.name}: ${r.opsPerSec.toFixed(0)} ops/s, p99 ${r.p99.toFixed(2)} ms${r.errors ? `, ${r.errors} errors` : ''}\n`);
  }
  return out;
}

async function main(): Promise<void> {
  const results: RoundResult[] = [];
  const versions: Partial<Record<SideName, string>> = {};
  const plan: SideName[] = external ? ['external'] : sides;
  const started = Date.now();
  process.stdout.write(
    `bench-etcd: ${plan.join(' vs ')}, ${rounds} round(s) each${args.quick ? ', quick' : ''}; workloads: ${workloads.map((w) => w.name).join(', ')}` +
      `${memberArgs.length ? `; members run with ${memberArgs.join(' ')}` : ''}\n`,
  );
  for (let round = 1; round <= rounds; round++) {
    for (const side of plan) {
      if (interrupted) return;
      let endpoints: string[];
      if (side === 'external') {
        endpoints = external!;
      } else {
        current = await startCluster({
          side,
          command: commandFor(side),
          members: 3,
          basePort,
          token: `bench-${side}-${round}`,
          extraArgs: memberArgs,
        });
        endpoints = current.clientUrls;
        if (interrupted) {
          await current.stop();
          return;
        }
      }
      try {
        const t0 = Date.now();
        const info = await waitHealthy(endpoints, startupTimeout, current);
        versions[side] = info.version;
        process.stdout.write(
          `\n== round ${round}/${rounds}: ${side} ${info.version} · members ${endpoints.join(' ')} · leader ${info.leaderUrl}` +
            `${current ? ` · healthy after ${Date.now() - t0} ms` : ''}\n`,
        );
        const keyPrefix = side === 'external' ? `/bench/${Date.now().toString(36)}/` : '/bench/';
        const res = await runWorkloads(endpoints, keyPrefix);
        if (interrupted) return;
        if (current && current.exitedMembers() > 0) {
          process.stdout.write(`WARNING: ${current.exitedMembers()} member(s) exited during the round\n${await current.logTail()}\n`);
        }
        const rr: RoundResult = { side, round, version: info.version, endpoints, leader: info.leaderUrl, results: res };
        results.push(rr);
        process.stdout.write(`\nround ${round}/${rounds} · ${side} ${info.version}\n${formatRound(rr)}\n`);
      } finally {
        const c = current;
        current = undefined;
        await c?.stop(args['keep-data']);
        if (c && args['keep-data']) process.stdout.write(`(data and logs kept in ${c.dataDir})\n`);
      }
    }
  }

  process.stdout.write(`\n== medians over ${rounds} round(s) (${((Date.now() - started) / 1000).toFixed(0)} s total)\n`);
  process.stdout.write(`${formatSummary(results, false)}\n`);

  if (args.write) {
    const cpuList = cpus();
    const section = renderSection({
      machine: {
        date: new Date().toISOString().slice(0, 10),
        os: `${platform()} ${release()} ${arch()}`,
        cpus: availableParallelism(),
        cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
        memGiB: totalmem() / 2 ** 30,
        node: process.version,
      },
      versions,
      rounds: results,
      workloads,
      roundsPerSide: rounds,
      quick: args.quick,
      warmup: !args['no-warmup'],
      command: reproduce,
    });
    await writeSection(args.write, section);
    process.stdout.write(`wrote the etcd section of ${args.write}\n`);
  }
}

main().then(
  () => {
    if (!interrupted) process.exit(0);
  },
  async (err: unknown) => {
    if (interrupted) return; // the workload failed because its cluster is being stopped
    process.stderr.write(`bench-etcd: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    const c = current;
    current = undefined;
    await c?.stop(true).catch(() => {});
    if (c) process.stderr.write(`(data and logs kept in ${c.dataDir})\n`);
    killAllChildren();
    process.exit(1);
  },
);
