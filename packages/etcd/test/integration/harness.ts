// Real processes on loopback for integration tests: a k8ts-etcd cluster or a real etcd 3.4 cluster, same flags.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';

export type ClusterKind = 'k8ts' | 'etcd';

export const REAL_ETCD = '/usr/bin/etcd';

/** The k8ts-etcd entry point, whether this file runs from dist/ (CI) or from source (tsx). */
export function k8tsEtcdBin(): string {
  for (const rel of ['../../src/cli/main.js', '../../dist/src/cli/main.js']) {
    const p = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(p)) return p;
  }
  throw new Error('k8ts-etcd is not built: run `pnpm build` first');
}

/** Real etcd is required under CI (a missing binary is a failure there), optional on a developer machine. */
export function realEtcdAvailable(): boolean {
  if (existsSync(REAL_ETCD)) return true;
  if (process.env['CI']) throw new Error(`${REAL_ETCD} is missing: .ci/run must install Debian's etcd-server`);
  return false;
}

export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<import('node:net').Server>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

export interface HttpResult {
  status: number;
  text: string;
  json: unknown;
}

export async function post(baseUrl: string, path: string, body: unknown, timeoutMs = 10_000): Promise<HttpResult> {
  const res = await request(new URL(path, baseUrl), {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, text, json };
}

export async function get(baseUrl: string, path: string): Promise<HttpResult> {
  const res = await request(new URL(path, baseUrl), { method: 'GET', headersTimeout: 5000, bodyTimeout: 5000 });
  const text = await res.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, text, json };
}

export const b64 = (s: string): string => Buffer.from(s).toString('base64');
export const unb64 = (s: string | undefined): string => Buffer.from(s ?? '', 'base64').toString();
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface MemberProcess {
  name: string;
  clientURL: string;
  peerURL: string;
  dataDir: string;
  proc: ChildProcess | undefined;
  output: string[];
  exited: Promise<void> | undefined;
}

export interface ClusterOptions {
  kind: ClusterKind;
  size?: number;
  heartbeatMs?: number;
  electionMs?: number;
  extraArgs?: string[];
  token?: string;
}

interface StatusJson {
  header?: { member_id?: string };
  leader?: string;
  raftTerm?: string;
  raftIndex?: string;
}

export class ProcessCluster {
  readonly members: MemberProcess[] = [];
  private readonly root: string;
  private readonly initialCluster: string;

  private constructor(
    readonly opts: Required<Omit<ClusterOptions, 'extraArgs'>> & { extraArgs: string[] },
    ports: number[],
  ) {
    this.root = mkdtempSync(join(tmpdir(), `k8ts-${opts.kind}-`));
    for (let i = 0; i < opts.size; i++) {
      this.members.push({
        name: `m${i + 1}`,
        clientURL: `http://127.0.0.1:${ports[2 * i]}`,
        peerURL: `http://127.0.0.1:${ports[2 * i + 1]}`,
        dataDir: join(this.root, `m${i + 1}`),
        proc: undefined,
        output: [],
        exited: undefined,
      });
    }
    this.initialCluster = this.members.map((m) => `${m.name}=${m.peerURL}`).join(',');
  }

  static async start(options: ClusterOptions): Promise<ProcessCluster> {
    const opts = {
      size: 3,
      heartbeatMs: 100,
      electionMs: 1000,
      token: 'k8ts-test',
      extraArgs: [],
      ...options,
    };
    const cluster = new ProcessCluster(opts, await freePorts(opts.size * 2));
    for (const m of cluster.members) cluster.spawnMember(m, 'new');
    await cluster.waitForLeader(20_000);
    return cluster;
  }

  endpoints(): string[] {
    return this.members.map((m) => m.clientURL);
  }

  member(name: string): MemberProcess {
    const m = this.members.find((x) => x.name === name);
    if (!m) throw new Error(`no member ${name}`);
    return m;
  }

  private args(m: MemberProcess, state: 'new' | 'existing', initialCluster: string): string[] {
    return [
      '--name', m.name,
      '--data-dir', m.dataDir,
      '--listen-client-urls', m.clientURL,
      '--advertise-client-urls', m.clientURL,
      '--listen-peer-urls', m.peerURL,
      '--initial-advertise-peer-urls', m.peerURL,
      '--initial-cluster', initialCluster,
      '--initial-cluster-state', state,
      '--initial-cluster-token', this.opts.token,
      '--heartbeat-interval', String(this.opts.heartbeatMs),
      '--election-timeout', String(this.opts.electionMs),
      ...this.opts.extraArgs,
    ];
  }

  spawnMember(m: MemberProcess, state: 'new' | 'existing', initialCluster = this.initialCluster): void {
    const [cmd, pre] = this.opts.kind === 'k8ts' ? [process.execPath, [k8tsEtcdBin()]] : [REAL_ETCD, []];
    const proc = spawn(cmd, [...pre, ...this.args(m, state, initialCluster)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, K8TS_LOG_LEVEL: process.env['K8TS_TEST_LOG_LEVEL'] ?? 'info', ETCD_UNSUPPORTED_ARCH: '' },
    });
    m.proc = proc;
    m.output = [];
    const keep = (chunk: Buffer): void => {
      m.output.push(chunk.toString());
      if (m.output.length > 400) m.output.splice(0, m.output.length - 400);
    };
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    m.exited = new Promise((resolve) => proc.once('exit', () => resolve()));
  }

  /** Adds a member through `member add` on an existing member, then starts it with state "existing". */
  async addMember(via: MemberProcess): Promise<MemberProcess> {
    const [client, peer] = await freePorts(2);
    const m: MemberProcess = {
      name: `m${this.members.length + 1}`,
      clientURL: `http://127.0.0.1:${client}`,
      peerURL: `http://127.0.0.1:${peer}`,
      dataDir: join(this.root, `m${this.members.length + 1}`),
      proc: undefined,
      output: [],
      exited: undefined,
    };
    const res = await post(via.clientURL, '/v3/cluster/member/add', { peerURLs: [m.peerURL] });
    if (res.status !== 200) throw new Error(`member add failed: ${res.status} ${res.text}`);
    this.members.push(m);
    const cluster = [...this.members].map((x) => `${x.name}=${x.peerURL}`).join(',');
    this.spawnMember(m, 'existing', cluster);
    return m;
  }

  async kill(m: MemberProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (!m.proc || m.proc.exitCode !== null || m.proc.signalCode !== null) return;
    m.proc.kill(signal);
    await m.exited;
    m.proc = undefined;
  }

  pause(m: MemberProcess): void {
    m.proc?.kill('SIGSTOP');
  }

  resume(m: MemberProcess): void {
    m.proc?.kill('SIGCONT');
  }

  restart(m: MemberProcess): void {
    this.spawnMember(m, 'new');
  }

  isRunning(m: MemberProcess): boolean {
    return m.proc !== undefined && m.proc.exitCode === null && m.proc.signalCode === null;
  }

  async status(m: MemberProcess): Promise<{ memberId: string; leader: string; raftTerm: number; raftIndex: number } | undefined> {
    try {
      const res = await post(m.clientURL, '/v3/maintenance/status', {}, 1000);
      if (res.status !== 200) return undefined;
      const s = res.json as StatusJson;
      return { memberId: s.header?.member_id ?? '', leader: s.leader ?? '0', raftTerm: Number(s.raftTerm ?? 0), raftIndex: Number(s.raftIndex ?? 0) };
    } catch {
      return undefined;
    }
  }

  /** The member every running member agrees is the leader (every running member must answer). */
  async leader(): Promise<MemberProcess | undefined> {
    const running = this.members.filter((m) => this.isRunning(m));
    const statuses = await Promise.all(running.map((m) => this.status(m)));
    if (statuses.some((s) => s === undefined)) return undefined;
    const leaders = new Set(statuses.filter((s) => s && s.leader !== '0').map((s) => s?.leader));
    if (leaders.size !== 1) return undefined;
    const leaderId = [...leaders][0];
    const idx = statuses.findIndex((s) => s?.memberId === leaderId);
    return idx >= 0 ? running[idx] : undefined;
  }

  async waitForLeader(timeoutMs: number, notIn: MemberProcess[] = []): Promise<MemberProcess> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const l = await this.leader();
      if (l && !notIn.includes(l)) return l;
      if (Date.now() > deadline) throw new Error(`no leader within ${timeoutMs} ms\n${this.dumpLogs()}`);
      await sleep(50);
    }
  }

  dumpLogs(lines = 30): string {
    return this.members.map((m) => `--- ${m.name}\n${m.output.join('').split('\n').slice(-lines).join('\n')}`).join('\n');
  }

  async stop(): Promise<void> {
    for (const m of this.members) {
      if (m.proc) m.proc.kill('SIGCONT');
    }
    await Promise.all(this.members.map((m) => this.kill(m, 'SIGKILL')));
    rmSync(this.root, { recursive: true, force: true });
  }
}
