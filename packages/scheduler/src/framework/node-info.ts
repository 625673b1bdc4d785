// What the scheduler knows about one node: the Node object and the pods bound (or assumed) to it, with the running
// sums the filters need (requested resources, host ports, pods with affinity). Kubernetes' framework.NodeInfo.
import type { ContainerPort, Node, Pod } from '@k8ts/api-machinery';
import type { PodInfo } from './pod-info.js';
import { parseResourceList, Resource } from './resources.js';

const ANY_IP = '0.0.0.0';

function sanitize(ip: string | undefined, protocol: string | undefined): [string, string] {
  return [ip || ANY_IP, protocol || 'TCP'];
}

/** Host ports in use: ip → {"TCP/80", ...}; 0.0.0.0 conflicts with every address. */
export class HostPortInfo {
  private readonly byIp = new Map<string, Map<string, number>>();

  add(ip: string | undefined, protocol: string | undefined, port: number): void {
    const [i, p] = sanitize(ip, protocol);
    const key = `${p}/${port}`;
    const ports = this.byIp.get(i) ?? new Map<string, number>();
    ports.set(key, (ports.get(key) ?? 0) + 1);
    this.byIp.set(i, ports);
  }

  remove(ip: string | undefined, protocol: string | undefined, port: number): void {
    const [i, p] = sanitize(ip, protocol);
    const key = `${p}/${port}`;
    const ports = this.byIp.get(i);
    const n = ports?.get(key);
    if (!ports || n === undefined) return;
    if (n <= 1) ports.delete(key);
    else ports.set(key, n - 1);
    if (ports.size === 0) this.byIp.delete(i);
  }

  conflicts(ip: string | undefined, protocol: string | undefined, port: number): boolean {
    const [i, p] = sanitize(ip, protocol);
    const key = `${p}/${port}`;
    if (i === ANY_IP) {
      for (const ports of this.byIp.values()) if (ports.has(key)) return true;
      return false;
    }
    return (this.byIp.get(i)?.has(key) ?? false) || (this.byIp.get(ANY_IP)?.has(key) ?? false);
  }

  get size(): number {
    let n = 0;
    for (const ports of this.byIp.values()) n += ports.size;
    return n;
  }

  clone(): HostPortInfo {
    const c = new HostPortInfo();
    for (const [ip, ports] of this.byIp) c.byIp.set(ip, new Map(ports));
    return c;
  }
}

/** Ports of app containers and sidecars that ask for a host port. */
export function hostPortsOf(pod: Pod): ContainerPort[] {
  const spec = pod.spec;
  const containers = [...(spec?.containers ?? []), ...(spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always')];
  return containers.flatMap((c) => (c.ports ?? []).filter((p) => (p.hostPort ?? 0) > 0));
}

let generationCounter = 0;
/** A global, increasing generation so that snapshots can tell which NodeInfos changed. */
export function nextGeneration(): number {
  return ++generationCounter;
}

export class NodeInfo {
  node: Node | undefined;
  pods: PodInfo[] = [];
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  usedPorts = new HostPortInfo();
  /** Sum of the pods' requests. */
  requested = new Resource();
  /** The same with the scoring defaults for missing cpu/memory requests. */
  nonZeroRequested = new Resource();
  allocatable = new Resource();
  generation = nextGeneration();

  constructor(node?: Node) {
    if (node) this.setNode(node);
  }

  get name(): string {
    return this.node?.metadata?.name ?? '';
  }

  /** Allocatable from status.allocatable, or status.capacity when the node reports no allocatable. */
  setNode(node: Node): void {
    this.node = node;
    const status = node.status;
    const list = status?.allocatable && Object.keys(status.allocatable).length > 0 ? status.allocatable : status?.capacity;
    this.allocatable = Resource.from(parseResourceList(list));
    this.generation = nextGeneration();
  }

  addPod(pi: PodInfo): void {
    this.pods.push(pi);
    if (pi.hasAffinity) this.podsWithAffinity.push(pi);
    if (pi.hasRequiredAntiAffinity) this.podsWithRequiredAntiAffinity.push(pi);
    this.account(pi, 1);
  }

  /** False when the pod was not on this node. */
  removePod(key: string): boolean {
    const i = this.pods.findIndex((p) => p.key === key);
    if (i < 0) return false;
    const pi = this.pods[i]!;
    this.pods.splice(i, 1);
    this.podsWithAffinity = this.podsWithAffinity.filter((p) => p.key !== key);
    this.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.filter((p) => p.key !== key);
    this.account(pi, -1);
    return true;
  }

  private account(pi: PodInfo, sign: 1 | -1): void {
    this.requested.add(pi.requests, sign);
    this.nonZeroRequested.add(pi.nonZeroRequests, sign);
    for (const p of hostPortsOf(pi.pod)) {
      if (sign > 0) this.usedPorts.add(p.hostIP, p.protocol, p.hostPort ?? 0);
      else this.usedPorts.remove(p.hostIP, p.protocol, p.hostPort ?? 0);
    }
    this.generation = nextGeneration();
  }

  /** A copy whose lists and sums can change without touching this one (PodInfos are immutable and shared). */
  clone(): NodeInfo {
    const c = new NodeInfo();
    c.node = this.node;
    c.pods = [...this.pods];
    c.podsWithAffinity = [...this.podsWithAffinity];
    c.podsWithRequiredAntiAffinity = [...this.podsWithRequiredAntiAffinity];
    c.usedPorts = this.usedPorts.clone();
    c.requested = this.requested.clone();
    c.nonZeroRequested = this.nonZeroRequested.clone();
    c.allocatable = this.allocatable.clone();
    c.generation = this.generation;
    return c;
  }
}
