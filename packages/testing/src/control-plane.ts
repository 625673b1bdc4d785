// A real control plane for integration tests: a store (k8ts-etcd or Debian's etcd 3.4) and one or more
// k8ts-apiservers as child processes on free loopback ports, a kubeconfig the first one wrote, and the real kubectl.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { componentBin, freePorts, startEtcd, type EtcdKind, type EtcdProcesses } from './etcd-process.js';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface KubectlOptions {
  input?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
}

export interface BackgroundKubectl {
  proc: ChildProcess;
  output(): string;
  done: Promise<number | null>;
}

/** One k8ts-apiserver process. */
export interface ApiserverProcess {
  /** https://127.0.0.1:<port> */
  url: string;
  /** Plain-HTTP URL of the same apiserver (loopback only). */
  httpUrl: string;
  /** A kubeconfig for this apiserver (bearer token, its CA). */
  kubeconfig: string;
  logs(): string;
  /** SIGKILL, no goodbye (its lease stays until it expires). */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after 5 s. */
  stop(): Promise<void>;
}

export interface StartApiserverOptions {
  /** Extra flags, e.g. ['--service-node-port-range', '30000-30010']. */
  args?: string[];
  /** Added to the environment (K8TS_LOG_LEVEL is 'warn' unless K8TS_TEST_LOG_LEVEL says otherwise). */
  env?: Record<string, string>;
  /**
   * Listen on these ports instead of free ones: restarting an apiserver on the ports (and so the certificate dir and
   * CA) of a killed one lets clients reconnect unchanged.
   */
  securePort?: number;
  httpPort?: number;
}

export interface ControlPlane {
  etcd: EtcdProcesses;
  /** The first apiserver. */
  apiserver: ApiserverProcess;
  /** Every apiserver started (`apiservers` option), the first one included. */
  apiservers: ApiserverProcess[];
  /** https://127.0.0.1:<port> of the first apiserver. */
  url: string;
  /** Plain-HTTP URL of the first apiserver. */
  httpUrl: string;
  /** Kubeconfig of the first apiserver. */
  kubeconfig: string;
  dir: string;
  kubectl(args: string[], opts?: KubectlOptions): KubectlResult;
  /** kubectl run in the background (get -w): resolves when it exits or is killed. */
  kubectlAsync(args: string[]): BackgroundKubectl;
  /** The first apiserver's output. */
  logs(): string;
  stop(): Promise<void>;
}

export interface StartControlPlaneOptions {
  /** Store members (default 1). */
  members?: 1 | 3;
  /** How many apiservers share the store (default 1). */
  apiservers?: number;
  apiserverArgs?: string[];
}

export const apiserverBin = (): string => componentBin('apiserver');

/** Under CI a missing kubectl fails the suite: these tests are the point of the apiserver. */
export function requireKubectl(): void {
  const r = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`kubectl is not usable on PATH: ${r.error?.message ?? r.stderr}`);
}

async function waitReady(url: string, proc: ChildProcess, logs: () => string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`apiserver exited with ${proc.exitCode}:\n${logs()}`);
    try {
      const r = await fetch(`${url}/readyz`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`apiserver not ready within ${timeoutMs} ms:\n${logs()}`);
}

const OUTPUT_KEPT = 200_000;

/** Starts k8ts-apiserver on `etcdEndpoints` (all of them, for failover) and waits for /readyz. */
export async function startApiserver(etcdEndpoints: string[], dir: string, opts: StartApiserverOptions = {}): Promise<ApiserverProcess> {
  const [freeSecure, freeHttp] = await freePorts(2);
  const securePort = opts.securePort ?? freeSecure!;
  const httpPort = opts.httpPort ?? freeHttp!;
  const kubeconfig = join(dir, `kubeconfig-${securePort}`);
  let output = '';
  const proc = spawn(
    process.execPath,
    [
      apiserverBin(),
      '--etcd-servers', etcdEndpoints.join(','),
      '--bind-address', '127.0.0.1',
      '--secure-port', String(securePort),
      '--insecure-port', String(httpPort),
      '--cert-dir', join(dir, `certs-${securePort}`),
      '--advertise-address', '127.0.0.1',
      '--write-kubeconfig', kubeconfig,
      ...(opts.args ?? []),
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, K8TS_LOG_LEVEL: process.env['K8TS_TEST_LOG_LEVEL'] ?? 'warn', ...opts.env },
    },
  );
  const exited = new Promise<void>((res) => proc.once('exit', () => res()));
  process.once('exit', () => proc.kill('SIGKILL'));
  const keep = (b: Buffer): void => {
    output = (output + b.toString()).slice(-OUTPUT_KEPT);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  const alive = (): boolean => proc.exitCode === null && proc.signalCode === null;
  try {
    await waitReady(httpUrl, proc, () => output);
    for (let i = 0; i < 100 && !existsSync(kubeconfig); i++) await new Promise((r) => setTimeout(r, 50));
  } catch (e) {
    proc.kill('SIGKILL');
    throw e;
  }
  return {
    url: `https://127.0.0.1:${securePort}`,
    httpUrl,
    kubeconfig,
    logs: () => output,
    async kill() {
      if (alive()) proc.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (!alive()) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** kubectl with its own discovery cache dir, against `kubeconfig`. */
export function kubectlFor(kubeconfig: string, cacheDir: string): {
  run(args: string[], opts?: KubectlOptions): KubectlResult;
  background(args: string[]): BackgroundKubectl;
} {
  const env = (extra?: Record<string, string>): NodeJS.ProcessEnv => ({ ...process.env, KUBECONFIG: kubeconfig, ...extra });
  return {
    run(args, opts = {}) {
      const r = spawnSync('kubectl', ['--cache-dir', cacheDir, ...args], {
        encoding: 'utf8',
        input: opts.input,
        env: env(opts.env),
        timeout: opts.timeoutMs ?? 60_000,
      });
      return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
    },
    background(args) {
      let out = '';
      const p = spawn('kubectl', ['--cache-dir', cacheDir, ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
      p.stdout!.on('data', (b: Buffer) => (out += b.toString()));
      p.stderr!.on('data', (b: Buffer) => (out += b.toString()));
      return { proc: p, output: () => out, done: new Promise((res) => p.on('exit', (code) => res(code))) };
    },
  };
}

export async function startControlPlane(store: EtcdKind = 'k8ts', opts: StartControlPlaneOptions = {}): Promise<ControlPlane> {
  requireKubectl();
  const etcd = await startEtcd(store, { members: opts.members ?? 1 });
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-control-plane-'));
  const apiservers: ApiserverProcess[] = [];
  try {
    for (let i = 0; i < (opts.apiservers ?? 1); i++) {
      apiservers.push(await startApiserver(etcd.endpoints, dir, { args: opts.apiserverArgs ?? [] }));
    }
  } catch (e) {
    await Promise.all(apiservers.map((a) => a.kill()));
    await etcd.stop();
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const first = apiservers[0]!;
  const kubectl = kubectlFor(first.kubeconfig, join(dir, 'kubectl-cache'));
  return {
    etcd,
    apiserver: first,
    apiservers,
    url: first.url,
    httpUrl: first.httpUrl,
    kubeconfig: first.kubeconfig,
    dir,
    kubectl: kubectl.run,
    kubectlAsync: kubectl.background,
    logs: first.logs,
    async stop() {
      await Promise.all(apiservers.map((a) => a.stop()));
      await etcd.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function writeFile(dir: string, name: string, content: string): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}
