// The life of a k8ts control-plane process (kube-scheduler, kube-controller-manager): connect with a kubeconfig,
// serve /healthz /readyz /metrics, campaign for a Lease when leader election is on, do the work while leading, and
// on SIGTERM stop the work, release the Lease (so a standby takes over at once) and exit. A leader that loses its
// Lease stops the work and reports it: the process exits, as Kubernetes' components do, and is restarted clean.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { KubeClient, LeaderElector, LeaseLock } from '@k8ts/client';
import { registerProcessMetrics, Registry, startComponentServer, type ComponentServer, type HealthCheck, type Logger } from '@k8ts/observability';
import type { FlagSpec } from './flags.js';

/** The flags every component has (kubeconfig, listener, logging). */
export function commonFlags(defaultPort: number) {
  return {
    kubeconfig: { kind: 'string', help: 'Path to a kubeconfig (empty: $KUBECONFIG, else ~/.kube/config).', default: '' },
    'bind-address': { kind: 'string', help: 'Address of the /healthz, /readyz and /metrics listener.', default: '0.0.0.0' },
    'secure-port': { kind: 'port', help: 'Port of that listener (0 disables it). k8ts serves it over plain HTTP.', default: defaultPort },
    v: { kind: 'int', help: 'Log verbosity as in Kubernetes: 0-2 info, 3+ debug.', default: 0 },
    'log-level': { kind: 'string', help: 'Log level: trace, debug, info, warn, error, fatal (default: $K8TS_LOG_LEVEL, else info).', default: '' },
  } as const satisfies Record<string, FlagSpec>;
}

/** kube-style leader election flags; `leaseName` is the component's Lease in kube-system. */
export function leaderElectionFlags(leaseName: string) {
  return {
    'leader-elect': { kind: 'boolean', help: 'Campaign for a Lease so that only one of several replicas works.', default: true },
    'leader-elect-lease-duration': { kind: 'duration', help: 'How long standbys wait after the last renewal before taking over.', default: 15_000 },
    'leader-elect-renew-deadline': { kind: 'duration', help: 'How long the leader retries renewing before it gives up leading.', default: 10_000 },
    'leader-elect-retry-period': { kind: 'duration', help: 'Pause between acquire and renew attempts.', default: 2_000 },
    'leader-elect-resource-lock': { kind: 'string', help: 'Kind of lock object; only "leases".', default: 'leases' },
    'leader-elect-resource-name': { kind: 'string', help: 'Name of the Lease.', default: leaseName },
    'leader-elect-resource-namespace': { kind: 'string', help: 'Namespace of the Lease.', default: 'kube-system' },
  } as const satisfies Record<string, FlagSpec>;
}

/** The pino level from --v / --log-level (--log-level wins; --v 3+ means debug). */
export function logLevelOf(flags: { v: number; 'log-level': string }): string {
  if (flags['log-level']) return flags['log-level'];
  if (flags.v >= 3) return 'debug';
  return process.env['K8TS_LOG_LEVEL'] ?? 'info';
}

export interface LeaderElectionConfig {
  leaseName: string;
  leaseNamespace: string;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
}

/** LeaderElectionConfig from the parsed leaderElectionFlags (undefined when --leader-elect=false). */
export function leaderElectionFrom(flags: {
  'leader-elect': boolean;
  'leader-elect-lease-duration': number;
  'leader-elect-renew-deadline': number;
  'leader-elect-retry-period': number;
  'leader-elect-resource-lock': string;
  'leader-elect-resource-name': string;
  'leader-elect-resource-namespace': string;
}): LeaderElectionConfig | undefined {
  if (flags['leader-elect-resource-lock'] !== 'leases') throw new Error(`--leader-elect-resource-lock: k8ts supports only "leases"`);
  if (!flags['leader-elect']) return undefined;
  // client-go's NewLeaderElector checks: renewal must fit in the lease, with room for a jittered retry.
  if (flags['leader-elect-renew-deadline'] >= flags['leader-elect-lease-duration']) {
    throw new Error('--leader-elect-lease-duration must be greater than --leader-elect-renew-deadline');
  }
  if (flags['leader-elect-renew-deadline'] <= 1.2 * flags['leader-elect-retry-period']) {
    throw new Error('--leader-elect-renew-deadline must be greater than 1.2 x --leader-elect-retry-period');
  }
  return {
    leaseName: flags['leader-elect-resource-name'],
    leaseNamespace: flags['leader-elect-resource-namespace'],
    leaseDurationMs: flags['leader-elect-lease-duration'],
    renewDeadlineMs: flags['leader-elect-renew-deadline'],
    retryPeriodMs: flags['leader-elect-retry-period'],
  };
}

export interface WorkContext {
  client: KubeClient;
  logger: Logger;
  registry: Registry;
  /** Aborts when the work must stop (SIGTERM, or leadership lost). */
  signal: AbortSignal;
}

export interface ComponentOptions {
  /** For logs and the Lease holder identity. */
  name: string;
  client: KubeClient;
  logger: Logger;
  registry?: Registry | undefined;
  bindAddress: string;
  /** 0: no listener. */
  port: number;
  leaderElection?: LeaderElectionConfig | undefined;
  /** Extra /readyz checks (caches synced, ...). */
  readiness?: Record<string, HealthCheck> | undefined;
  /** The work; runs while leading (or from the start without election) and must end soon after `signal` aborts. */
  work(ctx: WorkContext): Promise<void>;
}

export interface RunningComponent {
  /** The listener's port (0 when disabled). */
  port: number;
  /** The Lease holder identity. */
  identity: string;
  /** Resolves when the component ended: 'stopped' (stop() was called) or 'lost' (leadership lost). */
  done: Promise<'stopped' | 'lost'>;
  /** Stops the work, releases the Lease, closes the listener. */
  stop(): Promise<void>;
}

export async function runComponent(opts: ComponentOptions): Promise<RunningComponent> {
  const registry = opts.registry ?? new Registry();
  if (!opts.registry) registerProcessMetrics(registry);
  const identity = `${hostname()}_${randomUUID()}`;
  const stopping = new AbortController();
  let leading = false;
  const server: ComponentServer | undefined =
    opts.port === 0
      ? undefined
      : await startComponentServer({ host: opts.bindAddress, port: opts.port, registry, liveness: { ping: () => true }, readiness: opts.readiness });
  const isLeader = registry.gauge('leader_election_master_status', 'Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master.', ['name']);
  isLeader.set({ name: opts.leaderElection?.leaseName ?? opts.name }, 0);

  let work: Promise<void> | undefined;
  const startWork = (signal: AbortSignal): void => {
    leading = true;
    isLeader.set({ name: opts.leaderElection?.leaseName ?? opts.name }, 1);
    work = opts.work({ client: opts.client, logger: opts.logger, registry, signal }).catch((err: unknown) => {
      opts.logger.error({ err }, 'the component work failed');
    });
  };

  const done = (async (): Promise<'stopped' | 'lost'> => {
    if (!opts.leaderElection) {
      startWork(stopping.signal);
      await new Promise<void>((resolve) => stopping.signal.addEventListener('abort', () => resolve(), { once: true }));
      await work;
      return 'stopped';
    }
    const le = opts.leaderElection;
    const elector = new LeaderElector({
      lock: new LeaseLock(opts.client, le.leaseNamespace, le.leaseName),
      identity,
      leaseDurationMs: le.leaseDurationMs,
      renewDeadlineMs: le.renewDeadlineMs,
      retryPeriodMs: le.retryPeriodMs,
      releaseOnCancel: true,
      logger: opts.logger,
      callbacks: {
        onStartedLeading: (signal) => startWork(signal),
        onNewLeader: (holder) => {
          if (holder !== identity) opts.logger.info({ leader: holder }, 'new leader elected');
        },
      },
    });
    await elector.run(stopping.signal);
    // The elector aborted the work's signal when leading ended; wait for the work to wind down.
    await work;
    isLeader.set({ name: le.leaseName }, 0);
    return stopping.signal.aborted || !leading ? 'stopped' : 'lost';
  })();

  return {
    port: server?.port ?? 0,
    identity,
    done,
    async stop() {
      stopping.abort();
      await done;
      await server?.close();
    },
  };
}
