// Starts real etcd members on loopback with temp data dirs for the tests, and stops them afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ETCD_BIN = process.env.ETCD_BIN ?? '/usr/bin/etcd';

/** Minimal view of a tap Test, so helpers do not depend on tap's types. */
interface TestLike {
  fail(msg: string): unknown;
  comment(...msg: unknown[]): void;
  teardown(fn: () => unknown): void;
}

/**
 * Whether the etcd binary exists. Missing in CI is a failure (CI must provide it); elsewhere the caller skips.
 */
export function haveEtcd(t: TestLike): boolean {
  if (existsSync(ETCD_BIN)) return true;
  const msg = `etcd binary not found at ${ETCD_BIN} (install etcd-server 3.4, or set ETCD_BIN)`;
  if (process.env.CI) t.fail(`${msg}: required in CI`);
  else t.comment(`SKIP: ${msg}`);
  return false;
}

/** Ports the OS reports free right now (bind to :0, then release). */
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
  const ports = servers.map((s) => {
    const a = s.address();
    if (a === null || typeof a === 'string') throw new Error('no port');
    return a.port;
  });
  await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  return ports;
}

export interface EtcdMember {
  name: string;
  clientUrl: string;
  peerUrl: string;
  proc: ChildProcess | undefined;
  logFile: string;
}

export interface EtcdCluster {
  members: EtcdMember[];
  clientUrls: string[];
  dataDir: string;
  /** SIGKILLs one member (it stays down). */
  kill(i: number): Promise<void>;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const p of live) p.kill('SIGKILL');
});

function waitExit(p: ChildProcess, ms: number): Promise<boolean> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    p.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function stopProc(p: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!p) return;
  p.kill(signal);
  if (!(await waitExit(p, 5000))) {
    p.kill('SIGKILL');
    await waitExit(p, 5000);
  }
  live.delete(p);
}

async function healthy(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) });
    const body = (await res.json()) as { health?: string };
    return res.ok && body.health === 'true';
  } catch {
    return false;
  }
}

/** Starts an n-member etcd cluster on free loopback ports; registers its teardown on `t`. */
export async function startEtcd(t: TestLike, n = 1): Promise<EtcdCluster> {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-etcd-client-test-'));
  const ports = await freePorts(2 * n);
  const members: EtcdMember[] = Array.from({ length: n }, (_, i) => ({
    name: `m${i + 1}`,
    clientUrl: `http://127.0.0.1:${ports[2 * i]}`,
    peerUrl: `http://127.0.0.1:${ports[2 * i + 1]}`,
    proc: undefined,
    logFile: join(dataDir, `m${i + 1}.log`),
  }));
  const initialCluster = members.map((m) => `${m.name}=${m.peerUrl}`).join(',');
  for (const m of members) {
    const fd = openSync(m.logFile, 'a');
    m.proc = spawn(
      ETCD_BIN,
      [
        '--name', m.name,
        '--data-dir', join(dataDir, m.name),
        '--listen-client-urls', m.clientUrl,
        '--advertise-client-urls', m.clientUrl,
        '--listen-peer-urls', m.peerUrl,
        '--initial-advertise-peer-urls', m.peerUrl,
        '--initial-cluster', initialCluster,
        '--initial-cluster-state', 'new',
        '--initial-cluster-token', `test-${ports[0]}`,
      ],
      { stdio: ['ignore', fd, fd] },
    );
    closeSync(fd);
    live.add(m.proc);
  }
  const cluster: EtcdCluster = {
    members,
    clientUrls: members.map((m) => m.clientUrl),
    dataDir,
    kill: async (i) => {
      const m = members[i]!;
      await stopProc(m.proc, 'SIGKILL');
      m.proc = undefined;
    },
    stop: async () => {
      await Promise.all(members.map((m) => stopProc(m.proc, 'SIGTERM')));
      await rm(dataDir, { recursive: true, force: true });
    },
  };
  t.teardown(() => cluster.stop());

  // Healthy = every member answers /health true (which needs a leader); bounded at 20 s.
  const deadline = Date.now() + 20_000;
  for (;;) {
    const ok = await Promise.all(members.map((m) => healthy(m.clientUrl)));
    if (ok.every(Boolean)) break;
    const dead = members.find((m) => m.proc?.exitCode !== null);
    if (dead || Date.now() > deadline) {
      const log = await readFile((dead ?? members[0]!).logFile, 'utf8').catch(() => '');
      throw new Error(`etcd did not become healthy${dead ? ` (${dead.name} exited)` : ''}:\n${log.slice(-2000)}`);
    }
    await sleep(100);
  }
  return cluster;
}

/** Polls `fn` until it returns true; bounded so a broken test cannot hang. */
export async function until(fn: () => Promise<boolean> | boolean, timeoutMs: number, stepMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await fn()) return true;
    await sleep(stepMs);
  }
  return false;
}

/** Resolves with `p`, or with undefined after `ms` (the timer is cleared so it never holds the process open). */
export async function within<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
