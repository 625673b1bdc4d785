// Resource amounts as the scheduler counts them: CPU in millicores, everything else in whole units (bytes, pods,
// devices), parsed exactly from Kubernetes quantities and then held as plain numbers (2^53 bytes is 8 PiB).
import { parseQuantity } from '@k8ts/api-machinery';
import type { Container, Pod } from '@k8ts/api-machinery';

export const RESOURCE_CPU = 'cpu';
export const RESOURCE_MEMORY = 'memory';
export const RESOURCE_EPHEMERAL_STORAGE = 'ephemeral-storage';
export const RESOURCE_PODS = 'pods';

/** What a container without a CPU request counts as when scoring (Kubernetes' DefaultMilliCPURequest). */
export const DEFAULT_MILLI_CPU_REQUEST = 100;
/** What a container without a memory request counts as when scoring (Kubernetes' DefaultMemoryRequest, 200 MiB). */
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

/** Resource name → amount (CPU in millicores). */
export type ResourceAmounts = Map<string, number>;

function amountOf(name: string, text: string): number | undefined {
  try {
    const q = parseQuantity(text);
    return Number(name === RESOURCE_CPU ? q.milliValue() : q.value());
  } catch {
    return undefined; // the apiserver validates quantities; an unparsable one counts as absent
  }
}

/** A v1.ResourceList (name → quantity string) as amounts; unparsable entries are left out. */
export function parseResourceList(list: Record<string, string> | undefined): ResourceAmounts {
  const out: ResourceAmounts = new Map();
  for (const [name, text] of Object.entries(list ?? {})) {
    const v = amountOf(name, text);
    if (v !== undefined) out.set(name, v);
  }
  return out;
}

function addInto(target: ResourceAmounts, add: ResourceAmounts): void {
  for (const [k, v] of add) target.set(k, (target.get(k) ?? 0) + v);
}

function maxInto(target: ResourceAmounts, other: ResourceAmounts): void {
  for (const [k, v] of other) if (v > (target.get(k) ?? 0)) target.set(k, v);
}

/** A container's requests; only limits given means requests = limits, as API defaulting does. */
function containerRequests(c: Container, nonMissingDefaults: boolean): ResourceAmounts {
  const requests = parseResourceList(c.resources?.requests);
  for (const [name, v] of parseResourceList(c.resources?.limits)) if (!requests.has(name)) requests.set(name, v);
  if (nonMissingDefaults) {
    // Only a missing request gets the default; an explicit 0 stays 0 (Kubernetes' NonMissingContainerRequests).
    if (!requests.has(RESOURCE_CPU)) requests.set(RESOURCE_CPU, DEFAULT_MILLI_CPU_REQUEST);
    if (!requests.has(RESOURCE_MEMORY)) requests.set(RESOURCE_MEMORY, DEFAULT_MEMORY_REQUEST);
  }
  return requests;
}

export interface PodRequestOptions {
  /** Give containers without a cpu/memory request the scoring defaults (100m, 200Mi). */
  nonMissingDefaults?: boolean;
}

/**
 * The pod's effective requests (Kubernetes' resource.PodRequests): the sum over app containers, raised to the
 * largest init-container step (an init container runs next to the sidecars started before it, and sidecars add to
 * the running sum), plus spec.overhead.
 */
export function podRequests(pod: Pod, opts: PodRequestOptions = {}): ResourceAmounts {
  const nonMissing = opts.nonMissingDefaults ?? false;
  const spec = pod.spec;
  const total: ResourceAmounts = new Map();
  for (const c of spec?.containers ?? []) addInto(total, containerRequests(c, nonMissing));
  const sidecars: ResourceAmounts = new Map();
  const initPeak: ResourceAmounts = new Map();
  for (const c of spec?.initContainers ?? []) {
    const own = containerRequests(c, nonMissing);
    let step: ResourceAmounts;
    if (c.restartPolicy === 'Always') {
      addInto(total, own);
      addInto(sidecars, own);
      step = new Map(sidecars);
    } else {
      step = new Map(own);
      addInto(step, sidecars);
    }
    maxInto(initPeak, step);
  }
  maxInto(total, initPeak);
  addInto(total, parseResourceList(spec?.overhead));
  return total;
}

/** Kubernetes' framework.Resource: the four well-known resources plus scalar (extended, hugepages) ones. */
export class Resource {
  milliCPU = 0;
  memory = 0;
  ephemeralStorage = 0;
  allowedPodNumber = 0;
  readonly scalar = new Map<string, number>();

  static from(amounts: ResourceAmounts): Resource {
    const r = new Resource();
    r.add(amounts);
    return r;
  }

  add(amounts: ResourceAmounts, sign: 1 | -1 = 1): void {
    for (const [name, v] of amounts) {
      switch (name) {
        case RESOURCE_CPU:
          this.milliCPU += sign * v;
          break;
        case RESOURCE_MEMORY:
          this.memory += sign * v;
          break;
        case RESOURCE_EPHEMERAL_STORAGE:
          this.ephemeralStorage += sign * v;
          break;
        case RESOURCE_PODS:
          this.allowedPodNumber += sign * v;
          break;
        default:
          this.scalar.set(name, (this.scalar.get(name) ?? 0) + sign * v);
      }
    }
  }

  get(name: string): number {
    switch (name) {
      case RESOURCE_CPU:
        return this.milliCPU;
      case RESOURCE_MEMORY:
        return this.memory;
      case RESOURCE_EPHEMERAL_STORAGE:
        return this.ephemeralStorage;
      case RESOURCE_PODS:
        return this.allowedPodNumber;
      default:
        return this.scalar.get(name) ?? 0;
    }
  }

  clone(): Resource {
    const r = new Resource();
    r.milliCPU = this.milliCPU;
    r.memory = this.memory;
    r.ephemeralStorage = this.ephemeralStorage;
    r.allowedPodNumber = this.allowedPodNumber;
    for (const [k, v] of this.scalar) r.scalar.set(k, v);
    return r;
  }
}

/** Only cpu and memory take part in the non-zero accounting (as in Kubernetes). */
export function nonZeroRequests(pod: Pod): ResourceAmounts {
  const all = podRequests(pod, { nonMissingDefaults: true });
  return new Map([
    [RESOURCE_CPU, all.get(RESOURCE_CPU) ?? 0],
    [RESOURCE_MEMORY, all.get(RESOURCE_MEMORY) ?? 0],
  ]);
}
