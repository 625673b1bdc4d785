// What the Endpoints and EndpointSlice controllers share (pkg/controller/util/endpoint and
// staging/src/k8s.io/endpointslice/util in Kubernetes): which pods back a Service, on which port, under which
// hostname, which Services a pod change concerns, and the last-change-trigger-time bookkeeping. Pure.
import { labelSelectorFromObject, type LabelSelector, type Pod, type Service, type ServicePort } from '@k8ts/api-machinery';
import { isPodReady } from '../../shared/pod-state.js';

/** The annotation both controllers put on what they write: when the change that caused the write happened. */
export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
/** Label on Endpoints and EndpointSlices of a headless Service. */
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';

/** Succeeded or Failed: never an endpoint again. */
export function isPodTerminal(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}

/**
 * ShouldPodBeInEndpoints: a pod with an IP that has not finished; a terminating one only when `includeTerminating`
 * (the Endpoints controller passes publishNotReadyAddresses, the EndpointSlice controller always true).
 */
export function shouldPodBeInEndpoints(pod: Pod, includeTerminating: boolean): boolean {
  if (isPodTerminal(pod)) return false;
  if (!pod.status?.podIP && (pod.status?.podIPs ?? []).length === 0) return false;
  if (!includeTerminating && pod.metadata?.deletionTimestamp) return false;
  return true;
}

/** The Service's selector, or undefined when it has none (its endpoints are managed by someone else). */
export function serviceSelector(service: Service): LabelSelector | undefined {
  const selector = service.spec?.selector;
  if (!selector || Object.keys(selector).length === 0) return undefined;
  return labelSelectorFromObject({ matchLabels: selector });
}

/** ExternalName Services and Services without a selector get nothing from these controllers. */
export function managesEndpointsOf(service: Service): boolean {
  return service.spec?.type !== 'ExternalName' && serviceSelector(service) !== undefined;
}

export function isHeadless(service: Service): boolean {
  return service.spec?.clusterIP === 'None';
}

/** The Service's primary IP family (k8ts pods are IPv4-only, so an IPv6-only Service gets no addresses). */
export function serviceAddressFamily(service: Service): 'IPv4' | 'IPv6' {
  return service.spec?.ipFamilies?.[0] ?? 'IPv4';
}

const isIPv6 = (ip: string): boolean => ip.includes(':');

/** The pod's IP of the Service's family, if it has one. */
export function podAddressFor(service: Service, pod: Pod): string | undefined {
  const family = serviceAddressFamily(service);
  const ips = (pod.status?.podIPs ?? []).map((p) => p.ip ?? '').filter(Boolean);
  if (ips.length === 0 && pod.status?.podIP) ips.push(pod.status.podIP);
  return ips.find((ip) => (family === 'IPv6') === isIPv6(ip));
}

/**
 * podutil.FindPort: a number targetPort as is (absent: the Service port), a named one from the pod's containers
 * (and restartable init containers, i.e. sidecars) with the same name and protocol.
 */
export function findPort(pod: Pod, servicePort: ServicePort): number | undefined {
  const target = servicePort.targetPort;
  if (typeof target === 'number') return target > 0 ? target : servicePort.port;
  if (target === undefined || target === '') return servicePort.port;
  if (/^\d+$/.test(target)) return Number(target);
  const protocol = servicePort.protocol ?? 'TCP';
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  for (const container of [...(pod.spec?.containers ?? []), ...sidecars]) {
    for (const port of container.ports ?? []) {
      if (port.name === target && (port.protocol ?? 'TCP') === protocol) return port.containerPort;
    }
  }
  return undefined;
}

/** A pod is published under its hostname when it names this Service as its subdomain. */
export function shouldSetHostname(pod: Pod, service: Service): boolean {
  return !!pod.spec?.hostname && pod.spec.subdomain === service.metadata?.name && pod.metadata?.namespace === service.metadata?.namespace;
}

/** Services of `pod`'s namespace whose selector matches it. */
export function servicesSelecting(pod: Pod, services: Service[]): Service[] {
  return services.filter((s) => s.metadata?.namespace === pod.metadata?.namespace && serviceSelector(s)?.matches(pod.metadata?.labels));
}

/** podEndpointsChanged: does the change matter to endpoints (the address or its state), or to membership (labels)? */
export function podEndpointChange(old: Pod, pod: Pod): { podChanged: boolean; labelsChanged: boolean } {
  const labelsChanged =
    JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(pod.metadata?.labels ?? {}) ||
    old.spec?.hostname !== pod.spec?.hostname ||
    old.spec?.subdomain !== pod.spec?.subdomain;
  const ips = (p: Pod): string => JSON.stringify([p.status?.podIP ?? '', ...(p.status?.podIPs ?? []).map((i) => i.ip ?? '')]);
  const podChanged =
    old.metadata?.deletionTimestamp !== pod.metadata?.deletionTimestamp ||
    isPodReady(old) !== isPodReady(pod) ||
    isPodTerminal(old) !== isPodTerminal(pod) ||
    ips(old) !== ips(pod) ||
    old.spec?.nodeName !== pod.spec?.nodeName;
  return { podChanged, labelsChanged };
}

/**
 * GetServicesToUpdateOnPodChange: the Services a pod update concerns: none for a resync or an irrelevant change;
 * with changed labels, the ones it left or joined (and all of them when the address changed too).
 */
export function servicesToUpdateOnPodChange(old: Pod, pod: Pod, services: Service[]): Service[] {
  if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return [];
  const { podChanged, labelsChanged } = podEndpointChange(old, pod);
  if (!podChanged && !labelsChanged) return [];
  const now = servicesSelecting(pod, services);
  if (!labelsChanged) return now;
  const before = servicesSelecting(old, services);
  if (podChanged) return [...new Set([...before, ...now])];
  // Only membership changed: the Services it joined or left (XOR).
  return [...before.filter((s) => !now.includes(s)), ...now.filter((s) => !before.includes(s))];
}

/** When the pod's Ready condition last changed: the pod's trigger time. */
function podTriggerTime(pod: Pod): number | undefined {
  const t = pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
  const ms = t ? Date.parse(t) : NaN;
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * TriggerTimeTracker: per Service, the trigger times seen at the last sync. A sync's trigger time is the earliest
 * change not seen before (a pod's Ready transition, the Service's creation); undefined when nothing new was seen
 * (e.g. only a deletion), in which case the annotation is dropped.
 */
export class TriggerTimeTracker {
  private readonly states = new Map<string, { service: number; pods: Map<string, number> }>();

  compute(serviceKey: string, service: Service, pods: Pod[]): number | undefined {
    const state = this.states.get(serviceKey);
    let min: number | undefined;
    const podTimes = new Map<string, number>();
    for (const pod of pods) {
      const t = podTriggerTime(pod);
      if (t === undefined) continue;
      const name = pod.metadata?.name ?? '';
      podTimes.set(name, t);
      if (t > (state?.pods.get(name) ?? -Infinity)) min = min === undefined ? t : Math.min(min, t);
    }
    const created = Date.parse(service.metadata?.creationTimestamp ?? '');
    const serviceTime = Number.isNaN(created) ? 0 : created;
    if (serviceTime > (state?.service ?? -Infinity)) min = min === undefined ? serviceTime : Math.min(min, serviceTime);
    this.states.set(serviceKey, { service: serviceTime, pods: podTimes });
    return min;
  }

  delete(serviceKey: string): void {
    this.states.delete(serviceKey);
  }
}

/** RFC 3339 with nanoseconds, as Go formats time.RFC3339Nano (trailing zeros dropped). */
export function formatTriggerTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.000Z$/, 'Z').replace(/(\.\d*?)0+Z$/, '$1Z');
}
