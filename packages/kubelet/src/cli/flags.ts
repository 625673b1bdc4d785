// The kubelet's flag names where Kubernetes has them; k8ts-only flags say so in their help. Every timing a test or a
// drill may want to shorten is a flag (DESIGN.md: "Every timing is a flag").
import { hostname } from 'node:os';
import { FlagError, logLevelOf, parseFlags as parseDeclared, type FlagSpec } from '@k8ts/component-base';

export const KUBELET_FLAGS = {
  kubeconfig: { kind: 'string', help: 'Path to a kubeconfig (empty: $KUBECONFIG, else ~/.kube/config).', default: '' },
  'hostname-override': { kind: 'string', help: 'The node name (default: the host name, lower-cased).', default: '' },
  'node-ip': { kind: 'string', help: "The node's InternalIP (default: the first non-internal IPv4 address).", default: '' },
  'node-labels': { kind: 'list', help: 'Labels to add when registering the node (key=value,...).', default: [] },
  'register-with-taints': { kind: 'list', help: 'Taints to register the node with (key=value:Effect,...).', default: [] },
  'register-node': { kind: 'boolean', help: 'Register the node with the apiserver.', default: true },
  'container-runtime-endpoint': { kind: 'string', help: 'The Docker Engine socket.', default: 'unix:///var/run/docker.sock' },
  runtime: { kind: 'string', help: 'k8ts: "docker" (pods as containers) or "hollow" (kubemark-style: reports pods Running, runs nothing; scale tests only).', default: 'docker' },
  'max-pods': { kind: 'int', help: 'Most pods this kubelet runs (the node\'s pods capacity).', default: 110 },
  'pod-cidr': { kind: 'string', help: "CIDR for this node's pod IPs (default: the Node's spec.podCIDR, set by node IPAM).", default: '' },
  'cluster-dns': { kind: 'list', help: 'DNS server IPs for pods with dnsPolicy ClusterFirst.', default: ['10.96.0.10'] },
  'cluster-domain': { kind: 'string', help: 'The cluster domain, for pod DNS search paths.', default: 'cluster.local' },
  'root-dir': { kind: 'string', help: 'Where pod volumes live (must be the same path for this process and the Docker engine).', default: '/var/lib/kubelet' },
  address: { kind: 'string', help: 'Address of the kubelet API (logs, exec, port-forward, stats).', default: '0.0.0.0' },
  port: { kind: 'port', help: 'Port of the kubelet API (0: a free port).', default: 10250 },
  'tls-cert-file': { kind: 'string', help: 'Serving certificate of the kubelet API (default: a self-signed one in --root-dir/pki).', default: '' },
  'tls-private-key-file': { kind: 'string', help: 'Key of --tls-cert-file.', default: '' },
  'client-ca-file': { kind: 'string', help: "CA bundle for client certificates the kubelet API accepts (default: the kubeconfig's CA).", default: '' },
  'pod-infra-container-image': { kind: 'string', help: 'Image of the pod sandbox (owns the network namespace).', default: 'busybox:1.36' },
  'pod-network': { kind: 'string', help: 'k8ts: the Docker bridge network pods join (created when missing).', default: 'k8ts-pods' },
  'pod-network-cidr': { kind: 'string', help: 'k8ts: subnet of --pod-network when the kubelet creates it.', default: '10.244.0.0/16' },
  'pod-network-gateway': { kind: 'string', help: 'k8ts: gateway of --pod-network when the kubelet creates it.', default: '10.244.0.1' },
  'service-cluster-ip-range': { kind: 'string', help: "k8ts: the Service CIDR routed from each pod to its node (DESIGN.md).", default: '10.96.0.0/12' },
  'service-route-via': { kind: 'string', help: "k8ts: next hop for the Service CIDR inside pods (default: the node's address on the pod network).", default: '' },
  'node-status-update-frequency': { kind: 'duration', help: 'How often the node status is written.', default: 10_000 },
  'node-lease-duration-seconds': { kind: 'int', help: "The node Lease's duration; it is renewed every quarter of it.", default: 40 },
  'sync-frequency': { kind: 'duration', help: 'Longest time between two syncs of a pod (config maps and secrets in volumes refresh at this pace).', default: 60_000 },
  'crashloop-backoff-initial': { kind: 'duration', help: 'k8ts: first restart backoff of a failing container.', default: 10_000 },
  'crashloop-backoff-max': { kind: 'duration', help: 'k8ts: longest restart backoff.', default: 300_000 },
  'crashloop-backoff-reset': { kind: 'duration', help: 'k8ts: a container running this long resets its backoff.', default: 600_000 },
  'image-pull-backoff-initial': { kind: 'duration', help: 'k8ts: first backoff after a failed image pull.', default: 10_000 },
  'image-pull-backoff-max': { kind: 'duration', help: 'k8ts: longest image pull backoff.', default: 300_000 },
  'maximum-dead-containers-per-container': { kind: 'int', help: 'Dead instances kept per container (for logs --previous).', default: 1 },
  'maximum-dead-containers': { kind: 'int', help: 'Dead containers kept on the node in all (-1: no limit).', default: 240 },
  'housekeeping-interval': { kind: 'duration', help: 'How often dead containers, orphans and volumes are collected.', default: 10_000 },
  'healthz-port': { kind: 'port', help: 'Plain HTTP /healthz and /metrics (0 disables it).', default: 10248 },
  'healthz-bind-address': { kind: 'string', help: 'Address of the healthz listener.', default: '127.0.0.1' },
  v: { kind: 'int', help: 'Log verbosity as in Kubernetes: 0-2 info, 3+ debug.', default: 0 },
  'log-level': { kind: 'string', help: 'Log level: trace, debug, info, warn, error, fatal (default: $K8TS_LOG_LEVEL, else info).', default: '' },
} as const satisfies Record<string, FlagSpec>;

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface KubeletFlags {
  kubeconfig?: string | undefined;
  nodeName: string;
  nodeIP: string;
  nodeLabels: Record<string, string>;
  taints: Taint[];
  registerNode: boolean;
  runtimeEndpoint: string;
  runtime: 'docker' | 'hollow';
  maxPods: number;
  podCIDR: string;
  clusterDNS: string[];
  clusterDomain: string;
  rootDir: string;
  address: string;
  port: number;
  tlsCertFile: string;
  tlsKeyFile: string;
  clientCAFile: string;
  sandboxImage: string;
  podNetwork: string;
  podNetworkCIDR: string;
  podNetworkGateway: string;
  serviceCIDR: string;
  serviceRouteVia: string;
  nodeStatusUpdateFrequencyMs: number;
  nodeLeaseDurationSeconds: number;
  syncFrequencyMs: number;
  backoff: { initialMs: number; maxMs: number; resetMs: number };
  imagePullBackoff: { initialMs: number; maxMs: number };
  maxDeadPerContainer: number;
  maxDeadContainers: number;
  housekeepingIntervalMs: number;
  healthzPort: number;
  healthzBindAddress: string;
  logLevel: string;
}

const EFFECTS = new Set(['NoSchedule', 'PreferNoSchedule', 'NoExecute']);

export function parseTaint(text: string): Taint {
  const m = /^([^=:]+)(?:=([^:]*))?:(.+)$/.exec(text);
  if (!m || !EFFECTS.has(m[3]!)) {
    throw new FlagError(`invalid value "${text}" for flag --register-with-taints: expected key[=value]:NoSchedule|PreferNoSchedule|NoExecute`);
  }
  return { key: m[1]!, ...(m[2] !== undefined && m[2] !== '' ? { value: m[2] } : {}), effect: m[3] as Taint['effect'] };
}

export function parseFlags(argv: string[]): KubeletFlags {
  const f = parseDeclared('k8ts-kubelet', KUBELET_FLAGS, argv);
  const labels: Record<string, string> = {};
  for (const l of f['node-labels']) {
    const eq = l.indexOf('=');
    if (eq <= 0) throw new FlagError(`invalid value "${l}" for flag --node-labels: expected key=value`);
    labels[l.slice(0, eq)] = l.slice(eq + 1);
  }
  if (f.runtime !== 'docker' && f.runtime !== 'hollow') throw new FlagError(`invalid value "${f.runtime}" for flag --runtime: expected docker or hollow`);
  const positive = (name: 'node-status-update-frequency' | 'sync-frequency' | 'housekeeping-interval'): number => {
    if (!(f[name] > 0)) throw new FlagError(`invalid value for flag --${name}: expected a duration greater than 0`);
    return f[name];
  };
  if (f['max-pods'] < 1) throw new FlagError('invalid value for flag --max-pods: expected at least 1');
  if (f['node-lease-duration-seconds'] < 1) throw new FlagError('invalid value for flag --node-lease-duration-seconds: expected at least 1');
  const flags: KubeletFlags = {
    kubeconfig: f.kubeconfig || undefined,
    nodeName: (f['hostname-override'] || hostname()).toLowerCase(),
    nodeIP: f['node-ip'],
    nodeLabels: labels,
    taints: f['register-with-taints'].map(parseTaint),
    registerNode: f['register-node'],
    runtimeEndpoint: f['container-runtime-endpoint'],
    runtime: f.runtime,
    maxPods: f['max-pods'],
    podCIDR: f['pod-cidr'],
    clusterDNS: f['cluster-dns'],
    clusterDomain: f['cluster-domain'],
    rootDir: f['root-dir'],
    address: f.address,
    port: f.port,
    tlsCertFile: f['tls-cert-file'],
    tlsKeyFile: f['tls-private-key-file'],
    clientCAFile: f['client-ca-file'],
    sandboxImage: f['pod-infra-container-image'],
    podNetwork: f['pod-network'],
    podNetworkCIDR: f['pod-network-cidr'],
    podNetworkGateway: f['pod-network-gateway'],
    serviceCIDR: f['service-cluster-ip-range'],
    serviceRouteVia: f['service-route-via'],
    nodeStatusUpdateFrequencyMs: positive('node-status-update-frequency'),
    nodeLeaseDurationSeconds: f['node-lease-duration-seconds'],
    syncFrequencyMs: positive('sync-frequency'),
    backoff: { initialMs: f['crashloop-backoff-initial'], maxMs: f['crashloop-backoff-max'], resetMs: f['crashloop-backoff-reset'] },
    imagePullBackoff: { initialMs: f['image-pull-backoff-initial'], maxMs: f['image-pull-backoff-max'] },
    maxDeadPerContainer: f['maximum-dead-containers-per-container'],
    maxDeadContainers: f['maximum-dead-containers'],
    housekeepingIntervalMs: positive('housekeeping-interval'),
    healthzPort: f['healthz-port'],
    healthzBindAddress: f['healthz-bind-address'],
    logLevel: logLevelOf(f),
  };
  if (flags.backoff.maxMs < flags.backoff.initialMs) throw new FlagError('--crashloop-backoff-max must not be less than --crashloop-backoff-initial');
  if ((flags.tlsCertFile === '') !== (flags.tlsKeyFile === '')) throw new FlagError('--tls-cert-file and --tls-private-key-file go together');
  return flags;
}
