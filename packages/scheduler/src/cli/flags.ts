// kube-scheduler's flag names (where k8ts has the feature), declared with @k8ts/component-base: every timing a test
// may need to shorten is a flag.
import {
  commonFlags,
  FlagError,
  leaderElectionFlags,
  leaderElectionFrom,
  logLevelOf,
  parseFlags as parseDeclared,
  type FlagSpec,
} from '@k8ts/component-base';

export const SCHEDULER_FLAGS = {
  ...commonFlags(10259),
  ...leaderElectionFlags('kube-scheduler'),
  'pod-initial-backoff-seconds': { kind: 'number', help: 'Backoff of a pod after its first failed attempt; doubles per attempt.', default: 1 },
  'pod-max-backoff-seconds': { kind: 'number', help: 'Longest backoff of a pod.', default: 10 },
  'pod-max-in-unschedulable-pods-duration': {
    kind: 'duration',
    help: 'Longest a pod waits for a cluster event before it is retried anyway.',
    default: 5 * 60_000,
  },
  'assumed-pod-ttl': {
    kind: 'duration',
    help: 'k8ts: how long an assumed pod whose binding returned may wait for the informer to confirm it (0: forever).',
    default: 30_000,
  },
  'scheduler-name': { kind: 'string', help: 'The spec.schedulerName this scheduler serves.', default: 'default-scheduler' },
} as const satisfies Record<string, FlagSpec>;

export interface SchedulerFlags {
  kubeconfig?: string | undefined;
  bindAddress: string;
  /** 0 disables the health/metrics listener. */
  securePort: number;
  leaderElect: boolean;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  leaseName: string;
  leaseNamespace: string;
  podInitialBackoffMs: number;
  podMaxBackoffMs: number;
  podMaxInUnschedulablePodsDurationMs: number;
  assumedPodTtlMs: number;
  schedulerName: string;
  logLevel: string;
}

export function parseFlags(argv: string[]): SchedulerFlags {
  const f = parseDeclared('k8ts-scheduler', SCHEDULER_FLAGS, argv);
  const election = leaderElectionFrom(f);
  const seconds = (name: 'pod-initial-backoff-seconds' | 'pod-max-backoff-seconds'): number => {
    if (!(f[name] > 0)) throw new FlagError(`invalid value "${f[name]}" for flag --${name}: expected seconds greater than 0`);
    return f[name] * 1000;
  };
  const flags: SchedulerFlags = {
    kubeconfig: f.kubeconfig || undefined,
    bindAddress: f['bind-address'],
    securePort: f['secure-port'],
    leaderElect: election !== undefined,
    leaseDurationMs: f['leader-elect-lease-duration'],
    renewDeadlineMs: f['leader-elect-renew-deadline'],
    retryPeriodMs: f['leader-elect-retry-period'],
    leaseName: f['leader-elect-resource-name'],
    leaseNamespace: f['leader-elect-resource-namespace'],
    podInitialBackoffMs: seconds('pod-initial-backoff-seconds'),
    podMaxBackoffMs: seconds('pod-max-backoff-seconds'),
    podMaxInUnschedulablePodsDurationMs: f['pod-max-in-unschedulable-pods-duration'],
    assumedPodTtlMs: f['assumed-pod-ttl'],
    schedulerName: f['scheduler-name'],
    logLevel: logLevelOf(f),
  };
  if (flags.podMaxBackoffMs < flags.podInitialBackoffMs) {
    throw new FlagError('--pod-max-backoff-seconds must not be less than --pod-initial-backoff-seconds');
  }
  return flags;
}
