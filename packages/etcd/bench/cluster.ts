// Starts and stops a 3-member cluster (real etcd or k8ts-etcd; both take etcd's flags) on loopback for the bench.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { EtcdClient } from '@k8ts/etcd-client';

export type Side = 'k8ts' | 'etcd';

export interface ClusterSpec {
  side: Side;
  /** The executable and leading args: ['/usr/bin/etcd'] or [node, 'packages/etcd/dist/src/cli/main.js']. */
  command: string[];
  members: number;
  /** First port to use (client, peer, client, peer, ...), or 0 for ports the OS reports free. */
  basePort: number;
  token: string;
  /** More flags for every member (both sides take etcd's), e.g. ['--snapshot-count', '20000']. */
  extraArgs?: string[];
}

export interface RunningCluster {
  side: Side;
  clientUrls: string[];
  dataDir: string;
  stop(keepData?: boolean): Promise<void>;
  logTail(bytes?: number): Promise<string>;
  /** How many members have exited (a crash during startup or the run). */
  exitedMembers(): number;
}

const children = new Set<ChildProcess>();
/** Last resort when the bench dies: never leave members behind. */
export function killAllChildren(): void {
  for (const c of children) c.kill('SIGKILL');
  children.clear();
}
process.once('exit', killAllChildren);

async function freePorts(n: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const s = createServer();
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(0, '127.0.0.1', () => resolve());
      });
      servers.push(s);
    }
    return servers.map((s) => {
      const a = s.address();
      if (a === null || typeof a === 'string') throw new Error('no port');
      return a.port;
    });
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}

function exited(p: ChildProcess): boolean {
  return p.exitCode !== null || p.signalCode !== null;
}

async function stopChild(p: ChildProcess): Promise<void> {
  if (!exited(p)) {
    const gone = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    p.kill('SIGTERM');
    const timer = setTimeout(() => p.kill('SIGKILL'), 10_000);
    await gone;
    clearTimeout(timer);
  }
  children.delete(p);
}

export async function startCluster(spec: ClusterSpec): Promise<RunningCluster> {
  const dataDir = await mkdtemp(join(tmpdir(), `k8ts-bench-${spec.side}-`));
  const ports = spec.basePort > 0
    ? Array.from({ length: 2 * spec.members }, (_, i) => spec.basePort + i)
    : await freePorts(2 * spec.members);
  const names = Array.from({ length: spec.members }, (_, i) => `m${i + 1}`);
  const clientUrls = names.map((_, i) => `http://127.0.0.1:${ports[2 * i]}`);
  const peerUrls = names.map((_, i) => `http://127.0.0.1:${ports[2 * i + 1]}`);
  const initialCluster = names.map((n, i) => `${n}=${peerUrls[i]}`).join(',');
  const logs = names.map((n) => join(dataDir, `${n}.log`));
  const procs: ChildProcess[] = [];
  const [cmd, ...lead] = spec.command;
  if (!cmd) throw new Error('empty command');
  names.forEach((name, i) => {
    const fd = openSync(logs[i]!, 'a');
    const p = spawn(
      cmd,
      [
        ...lead,
        '--name', name,
        '--data-dir', join(dataDir, name),
        '--listen-client-urls', clientUrls[i]!,
        '--advertise-client-urls', clientUrls[i]!,
        '--listen-peer-urls', peerUrls[i]!,
        '--initial-advertise-peer-urls', peerUrls[i]!,
        '--initial-cluster', initialCluster,
        '--initial-cluster-state', 'new',
        '--initial-cluster-token', spec.token,
        ...(spec.extraArgs ?? []),
      ],
      { stdio: ['ignore', fd, fd] },
    );
    closeSync(fd);
    children.add(p);
    procs.push(p);
  });
  const logTail = async (bytes = 1500): Promise<string> => {
    const parts = await Promise.all(
      logs.map(async (f, i) => `--- ${names[i]} (${f})\n${(await readFile(f, 'utf8').catch(() => '')).slice(-bytes)}`),
    );
    return parts.join('\n');
  };
  return {
    side: spec.side,
    clientUrls,
    dataDir,
    logTail,
    stop: async (keepData = false) => {
      await Promise.all(procs.map(stopChild));
      if (!keepData) await rm(dataDir, { recursive: true, force: true });
    },
    exitedMembers: () => procs.filter(exited).length,
  };
}

export interface ClusterInfo {
  leaderUrl: string;
  version: string;
}

/**
 * Healthy = every member answers GET /health {"health":"true"} and maintenance/status names the same, non-zero
 * leader on all members. Bounded by `timeoutMs`.
 */
export async function waitHealthy(urls: string[], timeoutMs: number, cluster?: RunningCluster): Promise<ClusterInfo> {
  const c = new EtcdClient({ endpoints: urls, requestTimeoutMs: 2000, connectionsPerEndpoint: 1 });
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  try {
    for (;;) {
      if (cluster && cluster.exitedMembers() > 0) throw new Error(`a member exited during startup\n${await cluster.logTail()}`);
      try {
        const health = await Promise.all(urls.map((u) => c.health(u)));
        if (health.every(Boolean)) {
          const st = await Promise.all(urls.map((u) => c.status(u)));
          const leader = st[0]!.leader;
          if (leader !== '0' && st.every((s) => s.leader === leader)) {
            const l = st.find((s) => s.header.memberId === leader);
            if (l) return { leaderUrl: l.endpoint, version: st[0]!.version };
            // External endpoints may be followers only (to measure the forwarding path): the leader is elsewhere.
            if (!cluster) return { leaderUrl: urls[0]!, version: st[0]!.version };
          }
          last = `leaders: ${st.map((s) => s.leader).join(',')}`;
        } else last = `health: ${health.join(',')}`;
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
      }
      if (Date.now() > deadline) {
        throw new Error(`cluster not healthy after ${timeoutMs} ms (${last})${cluster ? `\n${await cluster.logTail()}` : ''}`);
      }
      await sleep(200);
    }
  } finally {
    await c.close();
  }
}
