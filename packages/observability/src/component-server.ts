// The small HTTP endpoint every non-apiserver component serves (kube-scheduler and kube-controller-manager serve the
// same paths): /healthz, /livez and /readyz answer "ok" or 500 with the failing checks, /metrics the Prometheus text.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PROMETHEUS_CONTENT_TYPE, type Registry } from './metrics.js';

/** A named check: true (or a resolved true) when healthy. A throw counts as unhealthy with its message. */
export type HealthCheck = () => boolean | Promise<boolean>;

export interface ComponentServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  registry: Registry;
  /** Checks for /healthz and /livez (the process works). */
  liveness?: Record<string, HealthCheck>;
  /** Extra checks for /readyz (the component does its job: caches synced, leader known, ...). */
  readiness?: Record<string, HealthCheck>;
}

export interface ComponentServer {
  readonly port: number;
  close(): Promise<void>;
}

async function runChecks(checks: Record<string, HealthCheck>): Promise<string[]> {
  const failed: string[] = [];
  for (const [name, check] of Object.entries(checks)) {
    try {
      if (!(await check())) failed.push(`[-]${name} failed`);
    } catch (err) {
      failed.push(`[-]${name} failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return failed;
}

export async function startComponentServer(opts: ComponentServerOptions): Promise<ComponentServer> {
  const liveness = opts.liveness ?? {};
  const readiness = { ...liveness, ...opts.readiness };
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const answer = (status: number, body: string, type = 'text/plain; charset=utf-8'): void => {
      res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return answer(405, 'method not allowed\n');
    if (path === '/metrics') return answer(200, opts.registry.render(), PROMETHEUS_CONTENT_TYPE);
    const checks = path === '/healthz' || path === '/livez' ? liveness : path === '/readyz' ? readiness : undefined;
    if (!checks) return answer(404, 'not found\n');
    runChecks(checks).then(
      (failed) => (failed.length === 0 ? answer(200, 'ok') : answer(500, `${failed.join('\n')}\n${path.slice(1)} check failed\n`)),
      (err: unknown) => answer(500, `${String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
