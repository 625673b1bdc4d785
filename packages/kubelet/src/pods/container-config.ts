// Docker create bodies for a pod's sandbox and its containers, translated from the pod spec the way the kubelet
// (and dockershim before it) does: resources to cgroup settings, security contexts, QoS-based OOM scores, DNS.
import { totalmem } from 'node:os';
import { parseQuantity, type corev1 } from '@k8ts/api-machinery';
import type { ContainerCreateConfig, HostConfig, Mount } from '../docker/types.js';
import { expandCommand, type EnvPair, toDockerEnv } from './env.js';
import { containerLabels, isInitContainer, sandboxLabels } from './naming.js';

export type QOSClass = 'Guaranteed' | 'Burstable' | 'BestEffort';

/** A container spec that cannot become a Docker config; the kubelet reports it as CreateContainerConfigError. */
export class ContainerConfigError extends Error {
  readonly reason = 'CreateContainerConfigError';
  constructor(message: string) {
    super(message);
    this.name = 'ContainerConfigError';
  }
}

// ---------------------------------------------------------------------------------------------------------------
// QoS and OOM score.

const QOS_RESOURCES = ['cpu', 'memory'];

function positive(text: string | undefined): boolean {
  return text !== undefined && parseQuantity(text).sign() > 0;
}

/** The QoS class computed from the resources alone (ComputePodQOS). */
export function computeQOSClass(pod: corev1.Pod): QOSClass {
  const requests = new Map<string, ReturnType<typeof parseQuantity>>();
  const limits = new Map<string, ReturnType<typeof parseQuantity>>();
  let guaranteed = true;
  for (const container of [...(pod.spec?.containers ?? []), ...(pod.spec?.initContainers ?? [])]) {
    const containerLimits = container.resources?.limits ?? {};
    // The API defaults missing requests to the limits; pods that skipped defaulting get the same treatment.
    const containerRequests = { ...containerLimits, ...(container.resources?.requests ?? {}) };
    for (const name of QOS_RESOURCES) {
      const request = containerRequests[name];
      if (positive(request)) requests.set(name, (requests.get(name) ?? parseQuantity('0')).add(parseQuantity(request as string)));
    }
    const found = new Set<string>();
    for (const name of QOS_RESOURCES) {
      const limit = containerLimits[name];
      if (!positive(limit)) continue;
      found.add(name);
      limits.set(name, (limits.get(name) ?? parseQuantity('0')).add(parseQuantity(limit as string)));
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, request] of requests) {
      const limit = limits.get(name);
      if (!limit || !limit.equals(request)) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** The pod's QoS class: status.qosClass when set (it never changes), else computed (GetPodQOS). */
export function qosClass(pod: corev1.Pod): QOSClass {
  const recorded = pod.status?.qosClass;
  if (recorded === 'Guaranteed' || recorded === 'Burstable' || recorded === 'BestEffort') return recorded;
  return computeQOSClass(pod);
}

const GUARANTEED_OOM_SCORE_ADJ = -997;
const BEST_EFFORT_OOM_SCORE_ADJ = 1000;
export const SANDBOX_OOM_SCORE_ADJ = -998;
const SYSTEM_CRITICAL_PRIORITY = 2_000_000_000;

function isNodeCriticalPod(pod: corev1.Pod): boolean {
  return pod.spec?.priorityClassName === 'system-node-critical' && (pod.spec?.priority ?? 0) >= SYSTEM_CRITICAL_PRIORITY;
}

/** The container's oom_score_adj (GetContainerOOMScoreAdjust): Guaranteed last to die, BestEffort first. */
export function oomScoreAdj(pod: corev1.Pod, container: corev1.Container, memoryCapacity: number): number {
  if (isNodeCriticalPod(pod)) return GUARANTEED_OOM_SCORE_ADJ;
  const qos = qosClass(pod);
  if (qos === 'Guaranteed') return GUARANTEED_OOM_SCORE_ADJ;
  if (qos === 'BestEffort') return BEST_EFFORT_OOM_SCORE_ADJ;
  const requestText = container.resources?.requests?.memory ?? container.resources?.limits?.memory ?? '0';
  const request = parseQuantity(requestText).value();
  const capacity = BigInt(Math.max(1, Math.floor(memoryCapacity)));
  const adj = Number(1000n - (1000n * request) / capacity);
  if (adj < 1000 + GUARANTEED_OOM_SCORE_ADJ) return 1000 + GUARANTEED_OOM_SCORE_ADJ;
  if (adj === BEST_EFFORT_OOM_SCORE_ADJ) return adj - 1;
  return adj;
}

// ---------------------------------------------------------------------------------------------------------------
// Resources.

const CPU_PERIOD = 100_000;
const MIN_QUOTA = 1_000;
const MIN_SHARES = 2;
const MAX_SHARES = 262_144;

/** MilliCPUToShares: requests.cpu as cgroup cpu.shares (1024 per core, at least 2). */
export function milliCpuToShares(milliCpu: bigint): number {
  if (milliCpu === 0n) return MIN_SHARES;
  const shares = (milliCpu * 1024n) / 1000n;
  if (shares < BigInt(MIN_SHARES)) return MIN_SHARES;
  if (shares > BigInt(MAX_SHARES)) return MAX_SHARES;
  return Number(shares);
}

/** MilliCPUToQuota over the 100 ms period; at least 1 ms; 0 means no limit. */
export function milliCpuToQuota(milliCpu: bigint, period = CPU_PERIOD): number {
  if (milliCpu === 0n) return 0;
  const quota = (milliCpu * BigInt(period)) / 1000n;
  return quota < BigInt(MIN_QUOTA) ? MIN_QUOTA : Number(quota);
}

function resourceHostConfig(container: corev1.Container): Partial<HostConfig> {
  const limits = container.resources?.limits ?? {};
  const requests = container.resources?.requests ?? {};
  const config: Partial<HostConfig> = {};
  if (positive(limits.memory)) {
    const bytes = Number(parseQuantity(limits.memory as string).value());
    config.Memory = bytes;
    config.MemorySwap = bytes; // no swap beyond the limit, as the kubelet configures
  }
  const cpuLimit = limits.cpu ? parseQuantity(limits.cpu).milliValue() : 0n;
  const cpuRequest = requests.cpu ? parseQuantity(requests.cpu).milliValue() : 0n;
  config.CpuShares = milliCpuToShares(cpuRequest === 0n && cpuLimit !== 0n ? cpuLimit : cpuRequest);
  if (cpuLimit > 0n) {
    config.CpuQuota = milliCpuToQuota(cpuLimit);
    config.CpuPeriod = CPU_PERIOD;
  }
  return config;
}

// ---------------------------------------------------------------------------------------------------------------
// Security.

interface EffectiveSecurity {
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  seccompType?: string;
}

/** Container securityContext fields over the pod's (DetermineEffectiveSecurityContext). */
export function effectiveSecurity(pod: corev1.Pod, container: corev1.Container): EffectiveSecurity {
  const podSc = pod.spec?.securityContext ?? {};
  const sc = container.securityContext ?? {};
  const result: EffectiveSecurity = {};
  const runAsUser = sc.runAsUser ?? podSc.runAsUser;
  const runAsGroup = sc.runAsGroup ?? podSc.runAsGroup;
  const runAsNonRoot = sc.runAsNonRoot ?? podSc.runAsNonRoot;
  const seccompType = sc.seccompProfile?.type ?? podSc.seccompProfile?.type;
  if (runAsUser !== undefined) result.runAsUser = runAsUser;
  if (runAsGroup !== undefined) result.runAsGroup = runAsGroup;
  if (runAsNonRoot !== undefined) result.runAsNonRoot = runAsNonRoot;
  if (seccompType !== undefined) result.seccompType = seccompType;
  return result;
}

/** Docker's User: `uid[:gid]` from the effective securityContext, undefined to keep the image's user. */
export function dockerUser(pod: corev1.Pod, container: corev1.Container): string | undefined {
  const { runAsUser, runAsGroup } = effectiveSecurity(pod, container);
  if (runAsUser === undefined) {
    if (runAsGroup !== undefined) throw new ContainerConfigError('runAsGroup is specified without a runAsUser');
    return undefined;
  }
  return runAsGroup === undefined ? String(runAsUser) : `${runAsUser}:${runAsGroup}`;
}

function formatPod(pod: corev1.Pod): string {
  return `${pod.metadata?.name ?? ''}_${pod.metadata?.namespace ?? ''}(${pod.metadata?.uid ?? ''})`;
}

/**
 * Kubernetes' runAsNonRoot check against the image's configured user (`docker image inspect` .Config.User, "" for
 * root): the error message the kubelet reports (CreateContainerConfigError), or undefined when the container may run.
 */
export function verifyRunAsNonRoot(pod: corev1.Pod, container: corev1.Container, imageUser: string | undefined): string | undefined {
  const sc = effectiveSecurity(pod, container);
  if (!sc.runAsNonRoot) return undefined;
  const where = `(pod: "${formatPod(pod)}", container: ${container.name})`;
  if (sc.runAsUser !== undefined) return sc.runAsUser === 0 ? `container's runAsUser breaks non-root policy ${where}` : undefined;
  const user = (imageUser ?? '').split(':')[0] ?? '';
  if (user === '' || /^0+$/.test(user)) return `container has runAsNonRoot and image will run as root ${where}`;
  if (!/^\d+$/.test(user)) return `container has runAsNonRoot and image has non-numeric user (${user}), cannot verify user is non-root ${where}`;
  return undefined;
}

/** Docker accepts CAP_-prefixed names; Kubernetes specs usually omit the prefix. ALL stays ALL. */
export function normalizeCapability(name: string): string {
  const upper = name.toUpperCase();
  return upper === 'ALL' || upper.startsWith('CAP_') ? upper : `CAP_${upper}`;
}

function supplementalGroups(pod: corev1.Pod): string[] {
  const podSc = pod.spec?.securityContext ?? {};
  const groups: number[] = [];
  if (podSc.fsGroup !== undefined) groups.push(podSc.fsGroup);
  groups.push(...(podSc.supplementalGroups ?? []));
  return groups.map(String);
}

function securityHostConfig(pod: corev1.Pod, container: corev1.Container): Partial<HostConfig> {
  const sc = container.securityContext ?? {};
  const config: Partial<HostConfig> = {};
  if (sc.privileged) config.Privileged = true;
  if (sc.capabilities?.add?.length) config.CapAdd = sc.capabilities.add.map(normalizeCapability);
  if (sc.capabilities?.drop?.length) config.CapDrop = sc.capabilities.drop.map(normalizeCapability);
  if (sc.readOnlyRootFilesystem) config.ReadonlyRootfs = true;
  const securityOpt: string[] = [];
  if (sc.allowPrivilegeEscalation === false) securityOpt.push('no-new-privileges');
  // Kubernetes runs containers unconfined unless a seccomp profile asks for the runtime's default.
  const seccomp = effectiveSecurity(pod, container).seccompType;
  if (!sc.privileged && (seccomp === undefined || seccomp === 'Unconfined')) securityOpt.push('seccomp=unconfined');
  if (securityOpt.length) config.SecurityOpt = securityOpt;
  const groups = supplementalGroups(pod);
  if (groups.length) config.GroupAdd = groups;
  return config;
}

// ---------------------------------------------------------------------------------------------------------------
// App and init containers.

export interface AppContainerOptions {
  sandboxId: string;
  /** The container's resolved environment (resolveEnv). */
  env: EnvPair[];
  /** The container's mounts (containerMounts). */
  mounts: Mount[];
  nodeName: string;
  /** The restart count: 0 for the first run. */
  attempt: number;
  /** The image to run: the reference or the resolved image ID. */
  imageRef?: string;
  /** Node memory in bytes for Burstable OOM scores; os.totalmem() when absent. */
  memoryCapacity?: number;
}

/** The Docker create body for an app or init container of the pod, joined to the sandbox's namespaces. */
export function appContainerConfig(pod: corev1.Pod, container: corev1.Container, options: AppContainerOptions): ContainerCreateConfig {
  const sandbox = `container:${options.sandboxId}`;
  const spec = pod.spec;
  const hostConfig: HostConfig = {
    NetworkMode: sandbox,
    IpcMode: spec?.hostIPC ? 'host' : sandbox,
    Mounts: options.mounts,
    ...resourceHostConfig(container),
    ...securityHostConfig(pod, container),
    OomScoreAdj: oomScoreAdj(pod, container, options.memoryCapacity ?? totalmem()),
  };
  if (spec?.hostPID) hostConfig.PidMode = 'host';
  else if (spec?.shareProcessNamespace) hostConfig.PidMode = sandbox;
  const config: ContainerCreateConfig = {
    Image: options.imageRef ?? container.image,
    Env: toDockerEnv(options.env),
    Labels: containerLabels(pod, container, { nodeName: options.nodeName, attempt: options.attempt, isInit: isInitContainer(pod, container.name) }),
    Tty: container.tty ?? false,
    OpenStdin: container.stdin ?? false,
    StdinOnce: container.stdinOnce ?? false,
    HostConfig: hostConfig,
  };
  // Kubernetes: command replaces the image ENTRYPOINT and args its CMD. Docker drops the image CMD by itself when
  // Entrypoint is given (its merge only takes the image's Cmd when the request has neither), so command without args
  // runs with no arguments, as Kubernetes specifies.
  if (container.command?.length) config.Entrypoint = expandCommand(container.command, options.env);
  if (container.args?.length) config.Cmd = expandCommand(container.args, options.env);
  if (container.workingDir) config.WorkingDir = container.workingDir;
  const user = dockerUser(pod, container);
  if (user !== undefined) config.User = user;
  return config;
}

// ---------------------------------------------------------------------------------------------------------------
// The sandbox.

export interface SandboxOptions {
  nodeName: string;
  /** The Docker network the pod joins (e.g. k8ts-pods). */
  network: string;
  /** The pod's fixed IPv4 on that network; unused with hostNetwork. */
  podIP: string;
  /** The Service CIDR routed via the node (10.96.0.0/12). */
  serviceCidr: string;
  /** The node's address on the pod network: the gateway of the Service CIDR route. */
  nodeIP: string;
  clusterDNS: string[];
  clusterDomain: string;
  /** busybox:1.36 when absent. */
  pauseImage?: string;
  attempt?: number;
  /** The node's resolv.conf, merged with dnsConfig under dnsPolicy Default; Docker's own when absent. */
  hostDNS?: DnsSettings;
}

export interface DnsSettings {
  servers: string[];
  searches: string[];
  options: string[];
}

const HOSTNAME_MAX = 63;
const MAX_NAMESERVERS = 3;
const MAX_SEARCHES = 32;

/** The pod's hostname and domain (GeneratePodHostNameAndDomain). */
export function podHostnameAndDomain(pod: corev1.Pod, clusterDomain: string): { hostname: string; domain?: string } {
  const wanted = pod.spec?.hostname || pod.metadata?.name || '';
  const hostname = wanted.length <= HOSTNAME_MAX ? wanted : wanted.slice(0, HOSTNAME_MAX).replace(/[-.]+$/, '');
  const subdomain = pod.spec?.subdomain;
  if (!subdomain) return { hostname };
  return { hostname, domain: `${subdomain}.${pod.metadata?.namespace ?? 'default'}.svc.${clusterDomain}` };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function mergeDnsOptions(existing: string[], extra: corev1.PodDNSConfigOption[]): string[] {
  const options = new Map<string, string>();
  for (const option of existing) {
    const colon = option.indexOf(':');
    if (colon === -1) options.set(option, '');
    else options.set(option.slice(0, colon), option.slice(colon + 1));
  }
  for (const option of extra) options.set(option.name ?? '', option.value ?? '');
  return [...options].map(([name, value]) => (value ? `${name}:${value}` : name));
}

/** The pod's DNS per dnsPolicy and dnsConfig (kubelet's GetPodDNS); undefined leaves Docker's defaults. */
export function podDns(pod: corev1.Pod, options: Pick<SandboxOptions, 'clusterDNS' | 'clusterDomain' | 'hostDNS'>): DnsSettings | undefined {
  const hostNetwork = pod.spec?.hostNetwork ?? false;
  let policy = pod.spec?.dnsPolicy ?? 'ClusterFirst';
  if (policy === 'ClusterFirstWithHostNet') policy = 'ClusterFirst';
  else if (policy === 'ClusterFirst' && hostNetwork) policy = 'Default';
  if (policy === 'ClusterFirst' && options.clusterDNS.length === 0) policy = 'Default';
  let dns: DnsSettings | undefined;
  if (policy === 'ClusterFirst') {
    const ns = pod.metadata?.namespace ?? 'default';
    const domain = options.clusterDomain;
    dns = {
      servers: [...options.clusterDNS],
      searches: [`${ns}.svc.${domain}`, `svc.${domain}`, domain, ...(options.hostDNS?.searches ?? [])],
      options: ['ndots:5'],
    };
  } else if (policy === 'None') {
    dns = { servers: [], searches: [], options: [] };
  } else if (options.hostDNS) {
    dns = { servers: [...options.hostDNS.servers], searches: [...options.hostDNS.searches], options: [...options.hostDNS.options] };
  }
  const extra = pod.spec?.dnsConfig;
  if (extra) {
    dns ??= { servers: [], searches: [], options: [] };
    dns = {
      servers: unique([...dns.servers, ...(extra.nameservers ?? [])]),
      searches: unique([...dns.searches, ...(extra.searches ?? [])]),
      options: mergeDnsOptions(dns.options, extra.options ?? []),
    };
  }
  if (!dns) return undefined;
  return { servers: dns.servers.slice(0, MAX_NAMESERVERS), searches: unique(dns.searches).slice(0, MAX_SEARCHES), options: dns.options };
}

/**
 * The sandbox's PID 1 script: the Service CIDR route via the node, the pod's resolv.conf, then idle until SIGTERM
 * (exit at once). Docker points resolv.conf of containers on a user-defined network at its own embedded resolver
 * (127.0.0.11); a Kubernetes pod must see the cluster DNS server itself, so the sandbox rewrites the file, which its
 * app containers share through the `container:` network mode.
 */
export function sandboxScript(serviceCidr: string, nodeIP: string, dns?: DnsSettings): string {
  const route = serviceCidr && nodeIP ? `ip route add ${serviceCidr} via ${nodeIP} 2>/dev/null; ` : '';
  // Only plain names and addresses reach the shell (dnsConfig is user input).
  const safe = (xs: string[]): string[] => xs.filter((x) => /^[A-Za-z0-9._:=-]+$/.test(x));
  dns = dns ? { servers: safe(dns.servers), searches: safe(dns.searches), options: safe(dns.options) } : undefined;
  const lines = dns
    ? [...(dns.searches.length ? [`search ${dns.searches.join(' ')}`] : []), ...dns.servers.map((s) => `nameserver ${s}`), ...(dns.options.length ? [`options ${dns.options.join(' ')}`] : [])]
    : [];
  const resolv = lines.length && dns?.servers.length ? `printf '${lines.join('\\n')}\\n' > /etc/resolv.conf; ` : '';
  return `${route}${resolv}trap "exit 0" TERM; while :; do sleep 3600 & wait $!; done`;
}

export const DEFAULT_PAUSE_IMAGE = 'busybox:1.36';
const SANDBOX_SYSCTLS: Record<string, string> = {
  'net.ipv4.tcp_tw_reuse': '1',
  'net.ipv4.ip_local_port_range': '1024 65000',
};

/** The Docker create body of the pod's sandbox: network identity, DNS, /etc/hosts entries, shared namespaces. */
export function sandboxConfig(pod: corev1.Pod, options: SandboxOptions): ContainerCreateConfig {
  const spec = pod.spec;
  const hostNetwork = spec?.hostNetwork ?? false;
  const hostConfig: HostConfig = {
    NetworkMode: hostNetwork ? 'host' : options.network,
    IpcMode: spec?.hostIPC ? 'host' : 'shareable',
    Init: true,
    OomScoreAdj: SANDBOX_OOM_SCORE_ADJ,
  };
  if (spec?.hostPID) hostConfig.PidMode = 'host';
  if (hostNetwork) hostConfig.UTSMode = 'host';
  else hostConfig.CapAdd = ['CAP_NET_ADMIN'];
  const sysctls: Record<string, string> = hostNetwork ? {} : { ...SANDBOX_SYSCTLS };
  for (const sysctl of spec?.securityContext?.sysctls ?? []) if (sysctl.name) sysctls[sysctl.name] = sysctl.value ?? '';
  if (Object.keys(sysctls).length) hostConfig.Sysctls = sysctls;
  const extraHosts = (spec?.hostAliases ?? []).flatMap((alias) => (alias.hostnames ?? []).map((name) => `${name}:${alias.ip ?? ''}`));
  if (extraHosts.length) hostConfig.ExtraHosts = extraHosts;
  const dns = podDns(pod, options);
  if (dns) {
    hostConfig.Dns = dns.servers;
    hostConfig.DnsSearch = dns.searches;
    hostConfig.DnsOptions = dns.options;
  }
  const groups = supplementalGroups(pod);
  if (groups.length) hostConfig.GroupAdd = groups;

  const config: ContainerCreateConfig = {
    Image: options.pauseImage ?? DEFAULT_PAUSE_IMAGE,
    Entrypoint: ['sh', '-c', sandboxScript(hostNetwork ? '' : options.serviceCidr, options.nodeIP, hostNetwork ? undefined : dns)],
    Labels: sandboxLabels(pod, options.nodeName, options.attempt ?? 0),
    HostConfig: hostConfig,
  };
  if (!hostNetwork) {
    const { hostname, domain } = podHostnameAndDomain(pod, options.clusterDomain);
    if (spec?.setHostnameAsFQDN && domain) {
      config.Hostname = `${hostname}.${domain}`;
    } else {
      config.Hostname = hostname;
      if (domain) config.Domainname = domain;
    }
    config.NetworkingConfig = { EndpointsConfig: { [options.network]: { IPAMConfig: { IPv4Address: options.podIP } } } };
  }
  return config;
}
