// k8ts-kubelet as a child process for integration tests: a real kubelet on the host's Docker engine, its API on a
// free loopback port, its own root dir and pod CIDR (so test files running in parallel never share pod IPs).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { componentBin, freePorts } from './etcd-process.js';

export interface StartKubeletOptions {
  kubeconfig: string;
  nodeName: string;
  /** A /24 of 10.244.0.0/16 no other running test uses. */
  podCIDR: string;
  args?: string[];
  env?: Record<string, string>;
  /** Keep the root dir (volumes) between a stop and a restart: pass the previous kubelet's. */
  rootDir?: string;
  /** Reuse ports (restart tests). */
  port?: number;
  healthzPort?: number;
}

export interface KubeletProcess {
  readonly nodeName: string;
  readonly pid: number;
  readonly port: number;
  readonly healthzPort: number;
  readonly rootDir: string;
  logs(): string;
  alive(): boolean;
  readonly exited: Promise<number | null>;
  kill(): Promise<void>;
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<ChildProcess>();
let exitHook = false;

export async function startKubeletProcess(opts: StartKubeletOptions): Promise<KubeletProcess> {
  const [port, healthzPort] = opts.port && opts.healthzPort ? [opts.port, opts.healthzPort] : await freePorts(2);
  const rootDir = opts.rootDir ?? mkdtempSync(join(tmpdir(), `k8ts-kubelet-${opts.nodeName}-`));
  let output = '';
  const proc = spawn(
    process.execPath,
    [
      componentBin('kubelet'),
      '--kubeconfig', opts.kubeconfig,
      '--hostname-override', opts.nodeName,
      '--node-ip', '127.0.0.1',
      '--address', '127.0.0.1',
      '--port', String(port),
      '--healthz-port', String(healthzPort),
      '--root-dir', rootDir,
      '--pod-cidr', opts.podCIDR,
      '--node-status-update-frequency', '2s',
      '--sync-frequency', '5s',
      '--housekeeping-interval', '2s',
      ...(opts.args ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, K8TS_LOG_LEVEL: process.env['K8TS_TEST_LOG_LEVEL'] ?? 'warn', ...opts.env } },
  );
  live.add(proc);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const p of live) p.kill('SIGKILL');
    });
  }
  const keep = (d: Buffer): void => {
    output = (output + d.toString()).slice(-300_000);
  };
  proc.stdout?.on('data', keep);
  proc.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => {
    live.delete(proc);
    resolve(code);
  }));
  // Healthy once /healthz answers.
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`k8ts-kubelet exited with ${proc.exitCode}:\n${output}`);
    try {
      const res = await fetch(`http://127.0.0.1:${healthzPort}/healthz`);
      if (res.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`k8ts-kubelet did not become healthy:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const kill = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await exited;
  };
  return {
    nodeName: opts.nodeName,
    pid: proc.pid ?? 0,
    port,
    healthzPort,
    rootDir,
    logs: () => output,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    exited,
    kill,
    async stop(graceMs = 8000) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Removes a kubelet root dir left by a test (volumes are plain files; nothing is mounted there). */
export function removeKubeletRootDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
