// Real etcd-compatible stores for tests: k8ts-etcd (our implementation) or Debian's etcd 3.4, started as child
// processes on free 127.0.0.1 ports with a throwaway data dir, using etcd's own flags for both.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type EtcdKind = 'k8ts' | 'etcd';

export const REAL_ETCD_BIN = '/usr/bin/etcd';

export interface StartEtcdOptions {
  members?: 1 | 3;
  /** Extra flags for every member, e.g. ['--experimental-watch-progress-notify-interval', '200ms']. */
  extraArgs?: string[];
  /** How long to wait for every member's /health. Default 30 s. */
  readyTimeoutMs?: number;
}

export interface EtcdProcesses {
  readonly kind: EtcdKind;
  /** Client URLs, one per member, in member order. */
  readonly endpoints: string[];
  /** SIGKILLs every member and removes the data dirs. Safe to call twice. */
  stop(): Promise<void>;
  /** SIGKILLs member i (its data dir stays, so restart(i) brings it back). */
  kill(i: number): Promise<void>;
  /** Starts member i again on the same ports and data dir and waits for its /health. */
  restart(i: number): Promise<void>;
  /** The member's recent output, for failure messages. */
  logs(i: number): string;
}

/**
 * The kinds a test should cover: both, or only k8ts-etcd when /usr/bin/etcd is missing on a developer machine.
 * Under CI a missing real etcd is a failure, not a skip.
 */
export function etcdKinds(): EtcdKind[] {
  if (existsSync(REAL_ETCD_BIN)) return ['k8ts', 'etcd'];
  if (process.env['CI'] === 'true' || process.env['CI'] === '1') {
    throw new Error(`${REAL_ETCD_BIN} is missing: CI must install Debian's etcd-server`);
  }
  return ['k8ts'];
}

/** packages/<pkg>/dist/src/cli/main.js, found from this file whether it runs from source (tsx) or from dist/. */
export function componentBin(pkg: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const candidate = join(here, up, pkg, 'dist/src/cli/main.js');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`packages/${pkg} is not built (packages/${pkg}/dist/src/cli/main.js missing): run \`pnpm build\` first`);
}

export const k8tsEtcdBin = (): string => componentBin('etcd');

export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Server>((resolve, reject) => {
          const s = createServer();
          s.once('error', reject);
          s.listen(0, '127.0.0.1', () => resolve(s));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

interface Member {
  name: string;
  clientUrl: string;
  peerUrl: string;
  dataDir: string;
  proc: ChildProcess | undefined;
  exited: Promise<void>;
  output: string[];
}

/** Every child still running, killed if the test process exits without stop() (a failed assertion, a crash). */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(proc: ChildProcess): void {
  live.add(proc);
  proc.once('exit', () => live.delete(proc));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const p of live) p.kill('SIGKILL');
    });
  }
}

const OUTPUT_CHUNKS_KEPT = 200;

export async function startEtcd(kind: EtcdKind, opts: StartEtcdOptions = {}): Promise<EtcdProcesses> {
  const size = opts.members ?? 1;
  const readyTimeoutMs = opts.readyTimeoutMs ?? 30_000;
  if (kind === 'etcd' && !existsSync(REAL_ETCD_BIN)) throw new Error(`${REAL_ETCD_BIN} is not installed`);
  const [cmd, preArgs] = kind === 'k8ts' ? [process.execPath, [k8tsEtcdBin()]] : [REAL_ETCD_BIN, []];
  const root = mkdtempSync(join(tmpdir(), `k8ts-${kind}-`));
  const ports = await freePorts(size * 2);
  const members: Member[] = Array.from({ length: size }, (_, i) => ({
    name: `m${i + 1}`,
    clientUrl: `http://127.0.0.1:${ports[2 * i]}`,
    peerUrl: `http://127.0.0.1:${ports[2 * i + 1]}`,
    dataDir: join(root, `m${i + 1}`),
    proc: undefined,
    exited: Promise.resolve(),
    output: [],
  }));
  const initialCluster = members.map((m) => `${m.name}=${m.peerUrl}`).join(',');

  const spawnMember = (m: Member): void => {
    const args = [
      ...preArgs,
      '--name', m.name,
      '--data-dir', m.dataDir,
      '--listen-client-urls', m.clientUrl,
      '--advertise-client-urls', m.clientUrl,
      '--listen-peer-urls', m.peerUrl,
      '--initial-advertise-peer-urls', m.peerUrl,
      '--initial-cluster', initialCluster,
      '--initial-cluster-state', 'new',
      '--initial-cluster-token', 'k8ts-test',
      '--heartbeat-interval', '100',
      '--election-timeout', '1000',
      ...(opts.extraArgs ?? []),
    ];
    const proc = spawn(cmd, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, K8TS_LOG_LEVEL: process.env['K8TS_TEST_LOG_LEVEL'] ?? 'warn' },
    });
    track(proc);
    m.proc = proc;
    m.output = [];
    const keep = (chunk: Buffer): void => {
      m.output.push(chunk.toString());
      if (m.output.length > OUTPUT_CHUNKS_KEPT) m.output.splice(0, m.output.length - OUTPUT_CHUNKS_KEPT);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    m.exited = new Promise((resolve) => proc.once('exit', () => resolve()));
  };

  const logs = (i: number): string => members[i]?.output.join('').split('\n').slice(-40).join('\n') ?? '';

  const killMember = async (m: Member): Promise<void> => {
    const proc = m.proc;
    if (!proc) return;
    m.proc = undefined;
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGCONT'); // a paused member would never die otherwise
      proc.kill('SIGKILL');
    }
    await m.exited;
  };

  const waitHealthy = async (targets: Member[]): Promise<void> => {
    const deadline = Date.now() + readyTimeoutMs;
    const pending = new Set(targets);
    while (pending.size > 0) {
      for (const m of [...pending]) {
        if (m.proc && m.proc.exitCode !== null) {
          throw new Error(`${kind} member ${m.name} exited with ${m.proc.exitCode}:\n${logs(members.indexOf(m))}`);
        }
        if (await isHealthy(m.clientUrl)) pending.delete(m);
      }
      if (pending.size === 0) break;
      if (Date.now() > deadline) {
        const names = [...pending].map((m) => m.name).join(', ');
        throw new Error(`${kind}: ${names} not healthy within ${readyTimeoutMs} ms:\n${[...pending].map((m) => logs(members.indexOf(m))).join('\n')}`);
      }
      await sleep(50);
    }
  };

  const memberAt = (i: number): Member => {
    const m = members[i];
    if (!m) throw new RangeError(`no member ${i} (cluster of ${size})`);
    return m;
  };

  let stopped = false;
  const handle: EtcdProcesses = {
    kind,
    endpoints: members.map((m) => m.clientUrl),
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await Promise.all(members.map(killMember));
      rmSync(root, { recursive: true, force: true });
    },
    kill: async (i) => killMember(memberAt(i)),
    restart: async (i) => {
      const m = memberAt(i);
      await killMember(m);
      spawnMember(m);
      await waitHealthy([m]);
    },
    logs,
  };

  try {
    for (const m of members) spawnMember(m);
    await waitHealthy(members);
  } catch (err) {
    await handle.stop();
    throw err;
  }
  return handle;
}

/** GET /health answers {"health":"true"} once the member has a leader and serves requests. */
async function isHealthy(clientUrl: string): Promise<boolean> {
  try {
    const res = await fetch(`${clientUrl}/health`, { signal: AbortSignal.timeout(1000) });
    const body: unknown = await res.json();
    return res.status === 200 && typeof body === 'object' && body !== null && (body as { health?: unknown }).health === 'true';
  } catch {
    return false;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
