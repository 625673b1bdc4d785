// The Endpoints controller's decisions (pkg/controller/endpoint), pure: a Service's pods become addresses (ready or
// not) per resolved port, repacked into subsets of addresses sharing the same ports, with labels, the headless label,
// the last-change-trigger-time annotation and truncation to 1000 addresses.
import type { EndpointAddress, EndpointPort, Endpoints, EndpointSubset, Pod, Service } from '@k8ts/api-machinery';
import { isPodReady } from '../../shared/pod-state.js';
import {
  formatTriggerTime,
  HEADLESS_LABEL,
  findPort,
  isHeadless,
  LAST_CHANGE_TRIGGER_TIME,
  podAddressFor,
  shouldPodBeInEndpoints,
  shouldSetHostname,
} from './pod-endpoints.js';

/** Endpoints keep at most this many addresses (maxCapacity); the rest is cut and the object annotated. */
export const MAX_ENDPOINTS_CAPACITY = 1000;
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

/** An address of one pod, before grouping. */
interface PodAddress {
  address: EndpointAddress;
  ready: boolean;
  /** Undefined: no port (a headless Service without ports). */
  port: EndpointPort | undefined;
}

const addressKey = (a: EndpointAddress): string => `${a.ip ?? ''}/${a.targetRef?.uid ?? ''}`;
const portKey = (p: EndpointPort | undefined): string => (p ? JSON.stringify([p.name ?? '', p.port ?? 0, p.protocol ?? 'TCP', p.appProtocol ?? '']) : '-');

function compareAddresses(a: EndpointAddress, b: EndpointAddress): number {
  const ip = (a.ip ?? '').localeCompare(b.ip ?? '');
  return ip !== 0 ? ip : (a.targetRef?.uid ?? '').localeCompare(b.targetRef?.uid ?? '');
}

function comparePorts(a: EndpointPort, b: EndpointPort): number {
  const name = (a.name ?? '').localeCompare(b.name ?? '');
  return name !== 0 ? name : (a.port ?? 0) - (b.port ?? 0);
}

/** The addresses `pod` contributes to `service`: one per resolvable port, none when it should not be listed. */
export function podAddresses(service: Service, pod: Pod): PodAddress[] {
  const publishNotReady = service.spec?.publishNotReadyAddresses === true;
  if (!shouldPodBeInEndpoints(pod, publishNotReady)) return [];
  const ip = podAddressFor(service, pod);
  if (!ip) return [];
  const address: EndpointAddress = {
    ip,
    ...(pod.spec?.nodeName ? { nodeName: pod.spec.nodeName } : {}),
    targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
  };
  if (shouldSetHostname(pod, service)) address.hostname = pod.spec?.hostname;
  const ready = publishNotReady || isPodReady(pod);
  const servicePorts = service.spec?.ports ?? [];
  // A headless Service may have no ports: its pods are listed without any.
  if (servicePorts.length === 0) return isHeadless(service) ? [{ address, ready, port: undefined }] : [];
  const out: PodAddress[] = [];
  for (const sp of servicePorts) {
    const port = findPort(pod, sp);
    if (port === undefined) continue; // a named port this pod does not have
    out.push({
      address,
      ready,
      port: { ...(sp.name !== undefined ? { name: sp.name } : {}), port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) },
    });
  }
  return out;
}

/**
 * RepackSubsets: every port maps to the addresses serving it (ready wins over not ready); ports whose address sets
 * are equal share one subset. Sorted, so equal inputs give equal output.
 */
export function repackSubsets(entries: PodAddress[]): EndpointSubset[] {
  const addresses = new Map<string, EndpointAddress>();
  const byPort = new Map<string, { port: EndpointPort | undefined; addrs: Map<string, boolean> }>();
  for (const e of entries) {
    const ak = addressKey(e.address);
    if (!addresses.has(ak)) addresses.set(ak, e.address);
    const pk = portKey(e.port);
    let slot = byPort.get(pk);
    if (!slot) byPort.set(pk, (slot = { port: e.port, addrs: new Map() }));
    if (!slot.addrs.get(ak)) slot.addrs.set(ak, e.ready);
  }
  const groups = new Map<string, { addrs: Map<string, boolean>; ports: EndpointPort[] }>();
  for (const { port, addrs } of byPort.values()) {
    const key = JSON.stringify([...addrs].sort(([a], [b]) => a.localeCompare(b)));
    let group = groups.get(key);
    if (!group) groups.set(key, (group = { addrs, ports: [] }));
    if (port) group.ports.push(port);
  }
  const subsets: EndpointSubset[] = [];
  for (const { addrs, ports } of groups.values()) {
    const ready: EndpointAddress[] = [];
    const notReady: EndpointAddress[] = [];
    for (const [ak, isReady] of addrs) (isReady ? ready : notReady).push(addresses.get(ak)!);
    subsets.push({
      ...(ready.length ? { addresses: ready.sort(compareAddresses) } : {}),
      ...(notReady.length ? { notReadyAddresses: notReady.sort(compareAddresses) } : {}),
      ...(ports.length ? { ports: ports.sort(comparePorts) } : {}),
    });
  }
  return subsets.sort((a, b) => subsetSortKey(a).localeCompare(subsetSortKey(b)));
}

function subsetSortKey(s: EndpointSubset): string {
  const first = s.addresses?.[0] ?? s.notReadyAddresses?.[0];
  return `${first ? addressKey(first) : ''}|${portKey(s.ports?.[0])}`;
}

/** The subsets a Service should have for these pods (the pods its selector matches). */
export function desiredSubsets(service: Service, pods: Pod[]): EndpointSubset[] {
  return repackSubsets(pods.flatMap((p) => podAddresses(service, p)));
}

/** Subsets in a canonical form: what a server round trip or another writer's ordering cannot change. */
function canonicalSubsets(subsets: EndpointSubset[] | undefined): string {
  const addr = (a: EndpointAddress): EndpointAddress => ({
    ip: a.ip ?? '',
    hostname: a.hostname ?? '',
    nodeName: a.nodeName ?? '',
    // The pod's resourceVersion in a targetRef would change on every status write: it is ignored (as Kubernetes does).
    targetRef: { kind: a.targetRef?.kind ?? '', namespace: a.targetRef?.namespace ?? '', name: a.targetRef?.name ?? '', uid: a.targetRef?.uid ?? '' },
  });
  const port = (p: EndpointPort): EndpointPort => ({ name: p.name ?? '', port: p.port ?? 0, protocol: p.protocol ?? 'TCP', appProtocol: p.appProtocol ?? '' });
  const list = (subsets ?? []).map((s) =>
    JSON.stringify([
      (s.addresses ?? []).map(addr).sort(compareAddresses),
      (s.notReadyAddresses ?? []).map(addr).sort(compareAddresses),
      (s.ports ?? []).map(port).sort(comparePorts),
    ]),
  );
  return JSON.stringify(list.sort());
}

export function subsetsEqual(a: EndpointSubset[] | undefined, b: EndpointSubset[] | undefined): boolean {
  return canonicalSubsets(a) === canonicalSubsets(b);
}

const addressCount = (subsets: EndpointSubset[] | undefined): number =>
  (subsets ?? []).reduce((n, s) => n + (s.addresses?.length ?? 0) + (s.notReadyAddresses?.length ?? 0), 0);

/**
 * truncateEndpoints: over `max` addresses, not-ready ones are cut first; if the ready ones alone are too many, every
 * not-ready address goes and the ready ones are cut. Each subset keeps its proportional share, rounded up.
 */
export function truncateSubsets(subsets: EndpointSubset[], max = MAX_ENDPOINTS_CAPACITY): { subsets: EndpointSubset[]; truncated: boolean } {
  const totalReady = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
  const totalNotReady = subsets.reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
  if (totalReady + totalNotReady <= max) return { subsets, truncated: false };
  const truncateReady = totalReady > max;
  const budget = truncateReady ? max : max - totalReady;
  const total = truncateReady ? totalReady : totalNotReady;
  let left = budget;
  const out = subsets.map((s) => {
    const pool = (truncateReady ? s.addresses : s.notReadyAddresses) ?? [];
    const share = Math.min(Math.ceil((pool.length / total) * budget), left);
    const kept = pool.slice(0, share);
    left -= kept.length;
    const next: EndpointSubset = { ...s };
    if (truncateReady) {
      next.addresses = kept;
      delete next.notReadyAddresses;
    } else {
      next.notReadyAddresses = kept;
    }
    if (next.addresses?.length === 0) delete next.addresses;
    if (next.notReadyAddresses?.length === 0) delete next.notReadyAddresses;
    return next;
  });
  return { subsets: out.filter((s) => s.addresses || s.notReadyAddresses), truncated: true };
}

/** Labels of a Service's Endpoints: the Service's own, plus the headless label when it has no cluster IP. */
export function endpointsLabels(service: Service): Record<string, string> {
  const labels: Record<string, string> = { ...(service.metadata?.labels ?? {}) };
  delete labels[HEADLESS_LABEL];
  if (isHeadless(service) || !service.spec?.clusterIP) labels[HEADLESS_LABEL] = '';
  return labels;
}

const sameMap = (a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean =>
  JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b ?? {}).sort());

/**
 * The Endpoints object to write for `service`, or undefined when `current` is already right. `triggerTimeMs` is the
 * tracker's answer (undefined: the annotation is removed).
 */
export function desiredEndpoints(
  service: Service,
  pods: Pod[],
  current: Endpoints | undefined,
  triggerTimeMs: number | undefined,
  max = MAX_ENDPOINTS_CAPACITY,
): { endpoints: Endpoints; create: boolean } | undefined {
  const subsets = desiredSubsets(service, pods);
  const labels = endpointsLabels(service);
  const create = !current?.metadata?.resourceVersion;
  if (current && !create) {
    const currentLabels = { ...(current.metadata?.labels ?? {}) };
    const wantedLabels = { ...labels };
    // The headless label is compared apart from the Service's labels, as Kubernetes does.
    delete currentLabels[HEADLESS_LABEL];
    delete wantedLabels[HEADLESS_LABEL];
    const overCapacityRight = addressCount(current.subsets) <= max && current.metadata?.annotations?.[OVER_CAPACITY_ANNOTATION] === undefined;
    if (subsetsEqual(current.subsets, subsets) && sameMap(currentLabels, wantedLabels) && overCapacityRight) return undefined;
  }
  const annotations: Record<string, string> = { ...(current?.metadata?.annotations ?? {}) };
  if (triggerTimeMs !== undefined) annotations[LAST_CHANGE_TRIGGER_TIME] = formatTriggerTime(triggerTimeMs);
  else delete annotations[LAST_CHANGE_TRIGGER_TIME];
  const cut = truncateSubsets(subsets, max);
  if (cut.truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
  else delete annotations[OVER_CAPACITY_ANNOTATION];
  const metadata = {
    ...(current?.metadata ?? {}),
    name: service.metadata?.name ?? '',
    namespace: service.metadata?.namespace ?? '',
    labels,
    ...(Object.keys(annotations).length ? { annotations } : {}),
  };
  if (!Object.keys(annotations).length) delete metadata.annotations;
  return { endpoints: { apiVersion: 'v1', kind: 'Endpoints', metadata, subsets: cut.subsets }, create };
}
