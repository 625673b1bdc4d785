// A real control plane for integration tests: a store (k8ts-etcd or Debian's etcd 3.4) and k8ts-apiserver as
// child processes on free loopback ports, a kubeconfig it wrote, and the real kubectl driving it.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePorts, startEtcd, type EtcdKind, type EtcdProcesses } from './etcd-process.js';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ControlPlane {
  etcd: EtcdProcesses;
  /** https://127.0.0.1:<port> */
  url: string;
  /** Plain-HTTP URL of the same apiserver (loopback only). */
  httpUrl: string;
  kubeconfig: string;
  dir: string;
  kubectl(args: string[], opts?: { input?: string; env?: Record<string, string>; timeoutMs?: number }): KubectlResult;
  /** kubectl run in the background (get -w): resolves when it exits or is killed. */
  kubectlAsync(args: string[]): { proc: ChildProcess; output(): string; done: Promise<number | null> };
  logs(): string;
  stop(): Promise<void>;
}

export function apiserverBin(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['../..', '../../..']) {
    const candidate = join(here, up, 'dist/src/cli/main.js');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error('k8ts-apiserver is not built (packages/apiserver/dist/src/cli/main.js missing): run `pnpm build` first');
}

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

export async function startControlPlane(store: EtcdKind = 'k8ts'): Promise<ControlPlane> {
  requireKubectl();
  const etcd = await startEtcd(store);
  const dir = mkdtempSync(join(tmpdir(), 'k8ts-apiserver-'));
  const [securePort, httpPort] = await freePorts(2);
  const kubeconfig = join(dir, 'kubeconfig');
  let output = '';
  const proc = spawn(
    process.execPath,
    [
      apiserverBin(),
      '--etcd-servers',
      etcd.endpoints.join(','),
      '--bind-address',
      '127.0.0.1',
      '--secure-port',
      String(securePort),
      '--insecure-port',
      String(httpPort),
      '--cert-dir',
      join(dir, 'certs'),
      '--advertise-address',
      '127.0.0.1',
      '--write-kubeconfig',
      kubeconfig,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const keep = (b: Buffer): void => {
    output = (output + b.toString()).slice(-200_000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const httpUrl = `http://127.0.0.1:${httpPort}`;
  try {
    await waitReady(httpUrl, proc, () => output);
    for (let i = 0; i < 100 && !existsSync(kubeconfig); i++) await new Promise((r) => setTimeout(r, 50));
  } catch (e) {
    proc.kill('SIGKILL');
    await etcd.stop();
    throw e;
  }
  const cacheDir = join(dir, 'kubectl-cache');
  const env = (extra?: Record<string, string>): NodeJS.ProcessEnv => ({ ...process.env, KUBECONFIG: kubeconfig, ...extra });
  return {
    etcd,
    url: `https://127.0.0.1:${securePort}`,
    httpUrl,
    kubeconfig,
    dir,
    kubectl(args, opts = {}) {
      const r = spawnSync('kubectl', ['--cache-dir', cacheDir, ...args], {
        encoding: 'utf8',
        input: opts.input,
        env: env(opts.env),
        timeout: opts.timeoutMs ?? 60_000,
      });
      return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
    },
    kubectlAsync(args) {
      let out = '';
      const p = spawn('kubectl', ['--cache-dir', cacheDir, ...args], { env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
      p.stdout!.on('data', (b: Buffer) => (out += b.toString()));
      p.stderr!.on('data', (b: Buffer) => (out += b.toString()));
      return { proc: p, output: () => out, done: new Promise((res) => p.on('exit', (code) => res(code))) };
    },
    logs: () => output,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise<void>((res) => {
        const t = setTimeout(() => {
          proc.kill('SIGKILL');
          res();
        }, 5000);
        proc.on('exit', () => {
          clearTimeout(t);
          res();
        });
        if (proc.exitCode !== null) res();
      });
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
