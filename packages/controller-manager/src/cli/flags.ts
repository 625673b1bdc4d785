// kube-controller-manager's flag names where k8ts has the feature.
import { commonFlags, leaderElectionFlags, parseFlags, type FlagSpec, type FlagValues } from '@k8ts/component-base';
import { DEFAULT_SETTINGS } from '../controller-context.js';

export const CONTROLLER_MANAGER_FLAGS = {
  ...commonFlags(10257),
  ...leaderElectionFlags('kube-controller-manager'),
  controllers: {
    kind: 'list',
    help: 'Controllers to run: "*" for every default one, "foo" to enable, "-foo" to disable.',
    default: ['*'],
  },
  'concurrent-syncs': { kind: 'int', help: 'k8ts: workers per workload controller (--concurrent-*-syncs in Kubernetes).', default: DEFAULT_SETTINGS.concurrentSyncs },
  'node-monitor-grace-period': {
    kind: 'duration',
    help: 'How long a node may go without renewing its Lease before it is marked Ready=Unknown.',
    default: DEFAULT_SETTINGS.nodeMonitorGracePeriodMs,
  },
  'node-monitor-period': { kind: 'duration', help: 'How often node health is checked.', default: DEFAULT_SETTINGS.nodeMonitorPeriodMs },
  'default-not-ready-toleration-seconds': {
    kind: 'int',
    help: 'Toleration seconds of pods for the not-ready/unreachable taints when they set none.',
    default: DEFAULT_SETTINGS.defaultNotReadyTolerationSeconds,
  },
  'cluster-cidr': { kind: 'string', help: 'CIDR pod networks of nodes come from.', default: DEFAULT_SETTINGS.clusterCidr },
  'allocate-node-cidrs': { kind: 'boolean', help: 'Give each node a podCIDR from --cluster-cidr.', default: DEFAULT_SETTINGS.allocateNodeCidrs },
  'node-cidr-mask-size': { kind: 'int', help: 'Prefix length of each node podCIDR.', default: DEFAULT_SETTINGS.nodeCidrMaskSize },
  'terminated-pod-gc-threshold': {
    kind: 'int',
    help: 'Terminated pods kept before the pod GC deletes the oldest (0: keep all).',
    default: DEFAULT_SETTINGS.terminatedPodGcThreshold,
  },
  'pod-gc-period': { kind: 'duration', help: 'k8ts: how often the pod garbage collector runs.', default: DEFAULT_SETTINGS.podGcPeriodMs },
  'pod-gc-orphan-quarantine': {
    kind: 'duration',
    help: 'k8ts: how long the Node of a pod must stay missing before the pod garbage collector deletes the pod.',
    default: DEFAULT_SETTINGS.podGcOrphanQuarantineMs,
  },
  'max-endpoints-per-slice': { kind: 'int', help: 'The most endpoints one EndpointSlice holds.', default: DEFAULT_SETTINGS.maxEndpointsPerSlice },
  'host-path-provisioner-dir': {
    kind: 'string',
    help: 'k8ts: host directory under which the standard StorageClass creates hostPath volumes.',
    default: DEFAULT_SETTINGS.hostPathProvisionerDir,
  },
  'job-backoff-base': {
    kind: 'duration',
    help: 'k8ts: first delay before a Job replaces a failed pod; it doubles with each further failure.',
    default: DEFAULT_SETTINGS.jobBackoffBaseMs,
  },
  'job-backoff-max': { kind: 'duration', help: 'k8ts: longest delay before a Job replaces a failed pod.', default: DEFAULT_SETTINGS.jobBackoffMaxMs },
} as const satisfies Record<string, FlagSpec>;

export type ControllerManagerFlags = FlagValues<typeof CONTROLLER_MANAGER_FLAGS>;

export function parseControllerManagerFlags(argv: string[]): ControllerManagerFlags {
  return parseFlags('k8ts-controller-manager', CONTROLLER_MANAGER_FLAGS, argv);
}
