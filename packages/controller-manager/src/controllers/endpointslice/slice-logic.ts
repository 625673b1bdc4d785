// The EndpointSlice reconciler's decisions (staging/src/k8s.io/endpointslice/reconciler.go), pure: a Service's pods
// become endpoints (ready/serving/terminating), grouped by the ports they resolve to; existing slices keep the
// endpoints still wanted, emptied slices go, leftovers fill the slices being updated anyway, then an unchanged slice
// with room, then new slices of at most maxEndpointsPerSlice. A Service without endpoints keeps one empty placeholder.
import type { discoveryv1, Node, OwnerReference, Pod, Service } from '@k8ts/api-machinery';
import { isPodReady } from '../../shared/pod-state.js';
import {
  findPort,
  formatTriggerTime,
  HEADLESS_LABEL,
  isHeadless,
  LAST_CHANGE_TRIGGER_TIME,
  podAddressFor,
  serviceAddressFamily,
  shouldPodBeInEndpoints,
  shouldSetHostname,
} from '../endpoints/pod-endpoints.js';

type EndpointSlice = discoveryv1.EndpointSlice;
type Endpoint = discoveryv1.Endpoint;
type EndpointPort = discoveryv1.EndpointPort;

export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
export const ZONE_LABEL = 'topology.kubernetes.io/zone';
/** --max-endpoints-per-slice's default. */
export const DEFAULT_MAX_ENDPOINTS_PER_SLICE = 100;

/** getEndpointPorts: the Service's ports resolved on this pod (a named port the pod lacks is left out). */
export function endpointPortsFor(service: Service, pod: Pod): EndpointPort[] {
  const out: EndpointPort[] = [];
  for (const sp of service.spec?.ports ?? []) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    out.push({ name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP', ...(sp.appProtocol ? { appProtocol: sp.appProtocol } : {}) });
  }
  return out;
}

/** Slices are grouped by their port set: the same ports in any order are one group. */
export function portMapKey(ports: EndpointPort[] | undefined): string {
  return JSON.stringify((ports ?? []).map((p) => [p.name ?? '', p.port ?? 0, p.protocol ?? 'TCP', p.appProtocol ?? '']).sort());
}

/** podToEndpoint: ready only when serving and not terminating, unless the Service publishes not-ready addresses. */
export function podToEndpoint(pod: Pod, node: Node | undefined, service: Service): Endpoint {
  const serving = isPodReady(pod);
  const terminating = pod.metadata?.deletionTimestamp !== undefined;
  const ready = service.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const ip = podAddressFor(service, pod);
  const ep: Endpoint = {
    addresses: ip ? [ip] : [],
    conditions: { ready, serving, terminating },
    targetRef: { kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '', uid: pod.metadata?.uid ?? '' },
  };
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata?.labels?.[ZONE_LABEL];
  if (zone) ep.zone = zone;
  if (shouldSetHostname(pod, service)) ep.hostname = pod.spec?.hostname;
  return ep;
}

/** The identity of an endpoint across syncs (hashEndpoint): its addresses, hostname and pod. */
export function endpointKey(ep: Endpoint): string {
  return JSON.stringify([[...(ep.addresses ?? [])].sort(), ep.hostname ?? '', ep.targetRef?.namespace ?? '', ep.targetRef?.name ?? '']);
}

/** Everything else about an endpoint (EndpointsEqualBeyondHash). */
function endpointDetails(ep: Endpoint): string {
  const c = ep.conditions ?? {};
  return JSON.stringify([
    ep.nodeName ?? '',
    ep.zone ?? '',
    c.ready ?? null,
    c.serving ?? null,
    c.terminating ?? null,
    ep.hints ?? null,
    [ep.targetRef?.kind ?? '', ep.targetRef?.uid ?? ''],
  ]);
}

/** setEndpointSliceLabels: the Service's labels (minus reserved keys) plus service-name, managed-by and headless. */
export function sliceLabels(service: Service): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(service.metadata?.labels ?? {})) {
    if (k === SERVICE_NAME_LABEL || k === MANAGED_BY_LABEL || k === HEADLESS_LABEL) continue;
    labels[k] = v;
  }
  if (isHeadless(service) || !service.spec?.clusterIP) labels[HEADLESS_LABEL] = '';
  labels[SERVICE_NAME_LABEL] = service.metadata?.name ?? '';
  labels[MANAGED_BY_LABEL] = CONTROLLER_NAME;
  return labels;
}

const sameLabels = (a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean =>
  JSON.stringify(Object.entries(a ?? {}).sort()) === JSON.stringify(Object.entries(b ?? {}).sort());

export function serviceOwnerRef(service: Service): OwnerReference {
  return { apiVersion: 'v1', kind: 'Service', name: service.metadata?.name ?? '', uid: service.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
}

export function ownedBy(slice: EndpointSlice, service: Service): boolean {
  return (slice.metadata?.ownerReferences ?? []).some((r) => r.uid === service.metadata?.uid);
}

function newSlice(service: Service, ports: EndpointPort[], addressType: EndpointSlice['addressType']): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: {
      generateName: `${service.metadata?.name ?? 'endpointslice'}-`,
      namespace: service.metadata?.namespace ?? '',
      labels: sliceLabels(service),
      ownerReferences: [serviceOwnerRef(service)],
    },
    addressType,
    endpoints: [],
    ports,
  };
}

export interface SliceReconcileInput {
  service: Service;
  /** The pods the Service's selector matches. */
  pods: Pod[];
  /** The Node a pod runs on; undefined when no such Node exists. */
  nodeOf(name: string): Node | undefined;
  /** The Service's slices managed by this controller, not being deleted. */
  existing: EndpointSlice[];
  maxEndpointsPerSlice: number;
  triggerTimeMs: number | undefined;
}

export interface SlicePlan {
  create: EndpointSlice[];
  update: EndpointSlice[];
  delete: EndpointSlice[];
  /** Pods skipped because their Node does not exist (the sync is retried). */
  podsOnMissingNodes: string[];
}

interface Desired {
  ports: EndpointPort[];
  endpoints: Map<string, Endpoint>;
}

/** Reconcile: what to create, update and delete so that the Service's slices list exactly its endpoints. */
export function reconcileSlices(input: SliceReconcileInput): SlicePlan {
  const { service, maxEndpointsPerSlice: max } = input;
  const addressType: EndpointSlice['addressType'] = serviceAddressFamily(service);
  const plan: SlicePlan = { create: [], update: [], delete: [], podsOnMissingNodes: [] };

  // Slices of an address type the Service no longer has go.
  const existingByPorts = new Map<string, EndpointSlice[]>();
  for (const slice of input.existing) {
    if (slice.addressType !== addressType) {
      plan.delete.push(slice);
      continue;
    }
    const key = portMapKey(slice.ports);
    existingByPorts.set(key, [...(existingByPorts.get(key) ?? []), slice]);
  }

  const desiredByPorts = new Map<string, Desired>();
  for (const pod of input.pods) {
    // Terminating pods stay listed (terminating: true) so that consumers can drain them.
    if (!shouldPodBeInEndpoints(pod, true)) continue;
    const nodeName = pod.spec?.nodeName;
    const node = nodeName ? input.nodeOf(nodeName) : undefined;
    if (nodeName && !node && service.spec?.publishNotReadyAddresses !== true) {
      plan.podsOnMissingNodes.push(pod.metadata?.name ?? '');
      continue;
    }
    const ep = podToEndpoint(pod, node, service);
    if ((ep.addresses ?? []).length === 0) continue;
    const ports = endpointPortsFor(service, pod);
    const key = portMapKey(ports);
    let desired = desiredByPorts.get(key);
    if (!desired) desiredByPorts.set(key, (desired = { ports, endpoints: new Map() }));
    desired.endpoints.set(endpointKey(ep), ep);
  }

  for (const [key, desired] of desiredByPorts) {
    const part = reconcilePortMapping(service, existingByPorts.get(key) ?? [], desired.endpoints, desired.ports, addressType, max);
    plan.create.push(...part.create);
    plan.update.push(...part.update);
    plan.delete.push(...part.delete);
  }
  // Port sets no longer wanted: all their slices go (placeholders included).
  for (const [key, slices] of existingByPorts) if (!desiredByPorts.has(key)) plan.delete.push(...slices);

  // A Service with no endpoints at all keeps one empty slice, so that "no endpoints" is distinguishable from "not synced".
  if (input.existing.length === plan.delete.length && plan.create.length === 0) {
    const placeholder = newSlice(service, [], addressType);
    const only = plan.delete.length === 1 ? plan.delete[0]! : undefined;
    if (only && isPlaceholderLike(only, placeholder)) plan.delete = [];
    else plan.create.push(placeholder);
  }

  // Rather than delete one slice and create another, reuse the name (only a slice of this Service and address type).
  for (let i = 0; i < plan.delete.length && plan.create.length > 0; ) {
    const victim = plan.delete[i]!;
    const created = plan.create[plan.create.length - 1]!;
    if (victim.addressType === created.addressType && ownedBy(victim, service)) {
      plan.create.pop();
      plan.update.push({ ...created, metadata: { ...victim.metadata, labels: created.metadata?.labels, ownerReferences: victim.metadata?.ownerReferences } });
      plan.delete.splice(i, 1);
    } else {
      i++;
    }
  }

  if (input.triggerTimeMs !== undefined) {
    const when = formatTriggerTime(input.triggerTimeMs);
    for (const slice of [...plan.create, ...plan.update]) {
      slice.metadata = { ...slice.metadata, annotations: { ...(slice.metadata?.annotations ?? {}), [LAST_CHANGE_TRIGGER_TIME]: when } };
    }
  }
  return plan;
}

function isPlaceholderLike(slice: EndpointSlice, placeholder: EndpointSlice): boolean {
  return (
    slice.metadata?.namespace === placeholder.metadata?.namespace &&
    sameLabels(slice.metadata?.labels, placeholder.metadata?.labels) &&
    slice.addressType === placeholder.addressType &&
    (slice.endpoints ?? []).length === 0 &&
    (slice.ports ?? []).length === 0
  );
}

/** reconcileByPortMapping: the slices of one port set. */
function reconcilePortMapping(
  service: Service,
  existing: EndpointSlice[],
  wanted: Map<string, Endpoint>,
  ports: EndpointPort[],
  addressType: EndpointSlice['addressType'],
  max: number,
): { create: EndpointSlice[]; update: EndpointSlice[]; delete: EndpointSlice[] } {
  const desired = new Map(wanted);
  const labels = sliceLabels(service);
  const toUpdate = new Map<string, EndpointSlice>();
  const unchanged: EndpointSlice[] = [];
  const toDelete: EndpointSlice[] = [];

  // 1. Existing slices keep the endpoints still wanted (in their new state); an emptied slice goes.
  for (const slice of existing) {
    const kept: Endpoint[] = [];
    let changed = false;
    for (const ep of slice.endpoints ?? []) {
      const key = endpointKey(ep);
      const want = desired.get(key);
      if (!want) continue;
      kept.push(want);
      if (endpointDetails(want) !== endpointDetails(ep)) changed = true;
      desired.delete(key);
    }
    const labelsChanged = !sameLabels(slice.metadata?.labels, labels);
    if (changed || kept.length !== (slice.endpoints ?? []).length) {
      if (kept.length === 0) toDelete.push(slice);
      else toUpdate.set(slice.metadata?.name ?? '', { ...structuredClone(slice), endpoints: kept, metadata: { ...structuredClone(slice.metadata), labels } });
    } else if (labelsChanged) {
      toUpdate.set(slice.metadata?.name ?? '', { ...structuredClone(slice), metadata: { ...structuredClone(slice.metadata), labels } });
    } else {
      unchanged.push(slice);
    }
  }

  const leftovers = [...desired.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([, ep]) => ep);
  const take = (): Endpoint => leftovers.shift()!;

  // 2. Slices written anyway take leftovers first, the fullest first.
  if (leftovers.length > 0 && toUpdate.size > 0) {
    const slices = [...toUpdate.values()].sort((a, b) => (b.endpoints?.length ?? 0) - (a.endpoints?.length ?? 0));
    for (const slice of slices) {
      while (leftovers.length > 0 && (slice.endpoints?.length ?? 0) < max) slice.endpoints = [...(slice.endpoints ?? []), take()];
    }
  }

  // 3. Then an unchanged slice that fits the rest exactly or best, else new slices.
  const create: EndpointSlice[] = [];
  while (leftovers.length > 0) {
    let fill: EndpointSlice | undefined;
    if (leftovers.length < max && unchanged.length > 0) {
      const best = sliceToFill(unchanged, leftovers.length, max);
      if (best) {
        unchanged.splice(unchanged.indexOf(best), 1);
        fill = structuredClone(best);
        fill.metadata = { ...fill.metadata, labels };
      }
    }
    const target = fill ?? newSlice(service, ports, addressType);
    target.endpoints = target.endpoints ?? [];
    while (leftovers.length > 0 && target.endpoints.length < max) target.endpoints.push(take());
    if (target.metadata?.name) toUpdate.set(target.metadata.name, target);
    else create.push(target);
  }
  return { create, update: [...toUpdate.values()], delete: toDelete };
}

/** getSliceToFill: the slice that would be fullest after taking `count` endpoints without going over `max`. */
function sliceToFill(slices: EndpointSlice[], count: number, max: number): EndpointSlice | undefined {
  let closest = max;
  let best: EndpointSlice | undefined;
  for (const slice of slices) {
    const diff = max - (count + (slice.endpoints?.length ?? 0));
    if (diff >= 0 && diff < closest) {
      closest = diff;
      best = slice;
      if (diff === 0) break;
    }
  }
  return best;
}
