// apiserver benchmark: k8ts-apiserver on a 3-member k8ts-etcd, per verb at several concurrencies, a watch fan-out
// and a LIST of a large namespace. Run: pnpm bench:apiserver [--quick] [--write docs/benchmarks.md]   (see --help)
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { arch, availableParallelism, cpus, platform, release, tmpdir, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startApiserver, startEtcd, type ApiserverProcess, type EtcdKind, type EtcdProcesses } from '@k8ts/testing';
import { HttpClient } from './http-client.js';
import { formatConsole, GOALS, renderSection, writeSection, type BenchReport } from './report.js';
import { createPods, crudSuite, ensureNamespace, largeList, VERBS, watchFanout, type BenchContext, type Verb, type VerbResult } from './workloads.js';

const SECTIONS = ['crud', 'paced', 'https', 'fanout', 'list'] as const;
/** Offered rates of the paced part: from light load up past where the p99 goal stops holding on 2 cores. */
const DEFAULT_PACED_RATES = '200,500,800,1100';
type Section = (typeof SECTIONS)[number];

const HELP = `Usage: pnpm bench:apiserver [options]

Starts a 3-member k8ts-etcd (or etcd 3.4, --store etcd) and one k8ts-apiserver as child processes on loopback and
measures:
  crud    ${VERBS.join(', ')} at each --clients concurrency, closed loop (plain HTTP)
  paced   create, get, update, patch, delete with ${GOALS.mutatingClients} clients at each --paced-rate (requests/s in total)
  https   create and get at 16 clients over the TLS port, for comparison
  fanout  --watchers watches on one namespace while a writer PATCHes pods at --watch-rate/s
  list    LIST of a namespace of --list-pods pods (from etcd, from the watch cache, paginated)

  --quick               small counts and short loops (smoke test)
  --store k8ts|etcd     the 3-member store under the apiserver: k8ts-etcd (default) or Debian's etcd 3.4
  --only a,b            run only these parts (${SECTIONS.join(', ')})
  --clients 1,16,100    concurrencies for the per-verb part (default 1,16,100)
  --verbs a,b           verbs of the per-verb part (default all: ${VERBS.join(',')}; create always runs)
  --paced-rate 200,500  total rates of the paced part, each run in turn (default ${DEFAULT_PACED_RATES})
  --watchers N          watchers for the fan-out (default ${GOALS.watchers}; quick 100)
  --watch-rate N        updates per second during the fan-out (default 20)
  --watch-seconds N     how long the writer writes (default 10; quick 3)
  --list-pods N         pods in the large namespace (default ${GOALS.listPods}; quick 1000)
  --list-runs N         timed rounds of the three list modes (default 7; quick 3)
  --write FILE          rewrite FILE's apiserver section (${'<!-- bench:apiserver:start -->'} ... end marker), keeping the rest
  --note TEXT           a remark printed in the written section (e.g. about machine load)
  --cpu-prof DIR        profile the apiserver; its .cpuprofile (and its certs) stay in DIR
  -h, --help`;

function fail(msg: string): never {
  process.stderr.write(`bench-apiserver: ${msg}\n`);
  process.exit(2);
}

const { values: args } = (() => {
  try {
    return parseArgs({
      options: {
        quick: { type: 'boolean', default: false },
        store: { type: 'string', default: 'k8ts' },
        only: { type: 'string' },
        clients: { type: 'string', default: '1,16,100' },
        verbs: { type: 'string' },
        watchers: { type: 'string' },
        'watch-rate': { type: 'string', default: '20' },
        'paced-rate': { type: 'string', default: DEFAULT_PACED_RATES },
        'watch-seconds': { type: 'string' },
        'list-pods': { type: 'string' },
        'list-runs': { type: 'string' },
        write: { type: 'string' },
        note: { type: 'string' },
        'cpu-prof': { type: 'string' },
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
const quick = args.quick;
const storeKind: EtcdKind = args.store === 'k8ts' || args.store === 'etcd' ? args.store : fail('--store must be k8ts or etcd');
const clientLevels = args.clients.split(',').map((s) => int('clients', s.trim(), 1));
const watchers = int('watchers', args.watchers ?? (quick ? '100' : String(GOALS.watchers)), 1);
const watchRate = int('watch-rate', args['watch-rate'], 1);
const pacedRates = args['paced-rate'].split(',').map((s) => int('paced-rate', s.trim(), 1));
const watchSeconds = int('watch-seconds', args['watch-seconds'] ?? (quick ? '3' : '10'), 1);
const listPods = int('list-pods', args['list-pods'] ?? (quick ? '1000' : String(GOALS.listPods)), 1);
const listRuns = int('list-runs', args['list-runs'] ?? (quick ? '3' : '7'), 1);
const crudVerbs: readonly Verb[] = (() => {
  if (args.verbs === undefined) return VERBS;
  const names = args.verbs.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(VERBS as readonly string[]).includes(n));
  if (unknown.length) fail(`unknown verb(s): ${unknown.join(', ')}`);
  return VERBS.filter((v) => v === 'create' || names.includes(v));
})();
const sections: Section[] = (() => {
  if (args.only === undefined) return [...SECTIONS];
  const names = args.only.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !(SECTIONS as readonly string[]).includes(n));
  if (unknown.length) fail(`unknown part(s): ${unknown.join(', ')}`);
  return SECTIONS.filter((s) => names.includes(s));
})();

/** What to type to reproduce this run (the root script runs from the repo root); --note is about this run only. */
const reproduce = `pnpm bench:apiserver ${process.argv
  .slice(2)
  .filter((a, i, all) => !a.startsWith('--note') && all[i - 1] !== '--note')
  .map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))
  .join(' ')}`.trim();

let etcd: EtcdProcesses | undefined;
let apiserver: ApiserverProcess | undefined;
let dir: string | undefined;
let interrupted = false;

async function cleanup(): Promise<void> {
  const a = apiserver;
  const e = etcd;
  apiserver = undefined;
  etcd = undefined;
  // SIGTERM first: the apiserver writes its CPU profile on a clean exit.
  await a?.stop().catch(() => undefined);
  await e?.stop().catch(() => undefined);
  if (dir && !args['cpu-prof']) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
}

const onSignal = (sig: NodeJS.Signals): void => {
  interrupted = true;
  process.stderr.write(`\nbench-apiserver: ${sig}, stopping\n`);
  void cleanup().finally(() => process.exit(130));
};
process.once('SIGINT', onSignal);
process.once('SIGTERM', onSignal);

const ctx: BenchContext = { quick, log: (line) => process.stdout.write(`${line}\n`) };

async function main(): Promise<void> {
  const started = Date.now();
  process.stdout.write(`bench-apiserver: ${sections.join(', ')}${quick ? ' (quick)' : ''}\n`);
  etcd = await startEtcd(storeKind, { members: 3 });
  // With --cpu-prof the profile goes to that directory, which is therefore kept.
  const profDir = args['cpu-prof'] === undefined ? undefined : resolve(args['cpu-prof']);
  if (profDir) mkdirSync(profDir, { recursive: true });
  dir = profDir ?? mkdtempSync(join(tmpdir(), 'k8ts-bench-apiserver-'));
  // From dist/bench/ the preload is a sibling; from the source bench/ (tsx) it is the built one in dist/bench/.
  const here = dirname(fileURLToPath(import.meta.url));
  const preload = import.meta.url.endsWith('.ts') ? resolve(here, '../dist/bench/cpu-profile-preload.js') : resolve(here, 'cpu-profile-preload.js');
  const env: Record<string, string> = profDir ? { NODE_OPTIONS: `--import ${pathToFileURL(preload).href}`, K8TS_BENCH_PROF_DIR: profDir } : {};
  apiserver = await startApiserver(etcd.endpoints, dir, { env });
  const admin = new HttpClient(apiserver.httpUrl, 4);
  const version = (JSON.parse((await admin.expect('GET', '/version', [200])).body) as { gitVersion?: string }).gitVersion ?? '?';
  process.stdout.write(`etcd ${etcd.endpoints.join(' ')} · apiserver ${apiserver.httpUrl} (${apiserver.url}) ${version}, ready after ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  const listNamespace = 'bench-list100';
  await ensureNamespace(admin, listNamespace);
  await createPods(admin, listNamespace, Array.from({ length: 100 }, (_, i) => `pod-${i}`), 8);
  admin.close();
  // Untimed: one short pass over every verb, so the first measured rows do not pay for JIT compilation.
  if (sections.includes('crud') || sections.includes('paced') || sections.includes('https')) {
    const t0 = Date.now();
    await crudSuite({ quick: true, log: () => undefined }, apiserver.httpUrl, 'http', 4, VERBS, listNamespace);
    process.stdout.write(`warm-up pass: ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }

  const verbs: VerbResult[] = [];
  if (sections.includes('crud')) {
    for (const clients of clientLevels) {
      if (interrupted) return;
      process.stdout.write(`\n== per verb, ${clients} client(s)\n`);
      verbs.push(...(await crudSuite(ctx, apiserver.httpUrl, 'http', clients, crudVerbs, listNamespace)));
    }
  }
  if (sections.includes('paced')) {
    if (interrupted) return;
    const pacedVerbs: Verb[] = ['create', 'get', 'update', 'patch', 'delete'];
    for (const rate of pacedRates) {
      if (interrupted) return;
      process.stdout.write(`\n== paced: ${GOALS.mutatingClients} clients, ${rate} requests/s in total\n`);
      verbs.push(...(await crudSuite(ctx, apiserver.httpUrl, 'http', GOALS.mutatingClients, pacedVerbs, listNamespace, rate)));
    }
  }
  if (sections.includes('https')) {
    if (interrupted) return;
    process.stdout.write('\n== https, 16 clients\n');
    const httpsVerbs: Verb[] = ['create', 'get'];
    verbs.push(...(await crudSuite(ctx, apiserver.url, 'https', 16, httpsVerbs, listNamespace)));
  }
  let fanout: BenchReport['fanout'];
  if (sections.includes('fanout')) {
    if (interrupted) return;
    process.stdout.write(`\n== watch fan-out: ${watchers} watchers, ${watchRate} updates/s for ${watchSeconds} s\n`);
    fanout = await watchFanout(ctx, apiserver.httpUrl, watchers, watchRate, watchSeconds);
  }
  let list: BenchReport['list'];
  if (sections.includes('list')) {
    if (interrupted) return;
    process.stdout.write(`\n== LIST of ${listPods} pods\n`);
    list = await largeList(ctx, apiserver.httpUrl, listPods, listRuns, quick ? 60_000 : 240_000);
  }
  if (interrupted) return;

  const cpuList = cpus();
  const report: BenchReport = {
    machine: {
      date: new Date().toISOString().slice(0, 10),
      os: `${platform()} ${release()} ${arch()}`,
      cpus: availableParallelism(),
      cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
      memGiB: totalmem() / 2 ** 30,
      node: process.version,
    },
    apiserverVersion: version,
    store: storeKind,
    quick,
    note: args.note,
    verbs,
    fanout,
    list,
    command: reproduce,
    totalSeconds: (Date.now() - started) / 1000,
  };
  process.stdout.write(`\n== results (${report.totalSeconds.toFixed(0)} s)\n${formatConsole(report)}\n`);
  if (args.write) {
    await writeSection(args.write, renderSection(report));
    process.stdout.write(`wrote the apiserver section of ${args.write}\n`);
  }
}

main().then(
  async () => {
    if (interrupted) return; // the signal handler exits
    await cleanup();
    if (args['cpu-prof']) process.stdout.write(`apiserver CPU profile in ${args['cpu-prof']}\n`);
    process.exit(0);
  },
  async (err: unknown) => {
    if (interrupted) return; // the workload failed because its processes are being stopped
    process.stderr.write(`bench-apiserver: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    if (apiserver) process.stderr.write(`--- apiserver output (tail)\n${apiserver.logs().slice(-3000)}\n`);
    await cleanup();
    process.exit(1);
  },
);
