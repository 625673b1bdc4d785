// Control-plane components other than the apiserver (k8ts-scheduler, k8ts-controller-manager) as child processes
// for integration tests: started with a kubeconfig and Kubernetes-style flags, their health endpoint on a free
// loopback port, and SIGTERM/SIGKILL handles for failover tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { componentBin, freePorts } from './etcd-process.js';

export type ComponentName = 'scheduler' | 'controller-manager';

export interface StartComponentOptions {
  kubeconfig: string;
  /** Extra flags, e.g. ['--leader-elect-lease-duration', '3s']. */
  args?: string[];
  /** Added to the environment (K8TS_LOG_LEVEL is 'warn' unless K8TS_TEST_LOG_LEVEL says otherwise). */
  env?: Record<string, string>;
  /** Wait until /healthz answers 200 (default true). */
  waitHealthy?: boolean;
  healthTimeoutMs?: number;
}

export interface ComponentProcess {
  readonly component: ComponentName;
  readonly pid: number;
  /** Port of /healthz, /readyz and /metrics on 127.0.0.1. */
  readonly port: number;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  logs(): string;
  alive(): boolean;
  /** Resolves with the exit code (or null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** GET <path> on the component's port; the body as text. */
  get(path: string): Promise<{ status: number; body: string }>;
  /** SIGKILL: no goodbye, a leader's lease stays until it expires. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs` (default 5 s). */
  stop(graceMs?: number): Promise<void>;
}

const OUTPUT_KEPT = 200_000;
const live = new Set<ChildProcess>();
let exitHook = false;

/** Starts packages/<component>/dist/src/cli/main.js with --kubeconfig, --bind-address 127.0.0.1 and a free --secure-port. */
export async function startComponent(component: ComponentName, opts: StartComponentOptions): Promise<ComponentProcess> {
  const [port] = await freePorts(1);
  let output = '';
  const proc = spawn(
    process.execPath,
    [componentBin(component), '--kubeconfig', opts.kubeconfig, '--bind-address', '127.0.0.1', '--secure-port', String(port), ...(opts.args ?? [])],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, K8TS_LOG_LEVEL: process.env['K8TS_TEST_LOG_LEVEL'] ?? 'warn', ...opts.env },
    },
  );
  live.add(proc);
  if (!exitHook) {
    exitHook = true;
    process.once('exit', () => {
      for (const p of live) p.kill('SIGKILL');
    });
  }
  const exited = new Promise<number | null>((resolve) =>
    proc.once('exit', (code) => {
      live.delete(proc);
      resolve(code);
    }),
  );
  const keep = (b: Buffer): void => {
    output = (output + b.toString()).slice(-OUTPUT_KEPT);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const alive = (): boolean => proc.exitCode === null && proc.signalCode === null;
  const url = `http://127.0.0.1:${port}`;
  const get = async (path: string): Promise<{ status: number; body: string }> => {
    const r = await fetch(`${url}${path}`, { signal: AbortSignal.timeout(5000) });
    return { status: r.status, body: await r.text() };
  };

  if (opts.waitHealthy ?? true) {
    const timeoutMs = opts.healthTimeoutMs ?? 30_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!alive()) throw new Error(`k8ts-${component} exited with ${proc.exitCode ?? proc.signalCode}:\n${output}`);
      try {
        if ((await get('/healthz')).status === 200) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        proc.kill('SIGKILL');
        throw new Error(`k8ts-${component} not healthy within ${timeoutMs} ms:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  return {
    component,
    pid: proc.pid ?? -1,
    port: port!,
    url,
    logs: () => output,
    alive,
    exited,
    get,
    async kill() {
      if (alive()) proc.kill('SIGKILL');
      await exited;
    },
    async stop(graceMs = 5000) {
      if (!alive()) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

export const startScheduler = (kubeconfig: string, args: string[] = [], opts: Omit<StartComponentOptions, 'kubeconfig' | 'args'> = {}): Promise<ComponentProcess> =>
  startComponent('scheduler', { ...opts, kubeconfig, args });

export const startControllerManager = (kubeconfig: string, args: string[] = [], opts: Omit<StartComponentOptions, 'kubeconfig' | 'args'> = {}): Promise<ComponentProcess> =>
  startComponent('controller-manager', { ...opts, kubeconfig, args });
