// ClusterIP and NodePort allocation for Services, as the Service REST storage of Kubernetes does it: on create
// (and on update when a Service gains node ports), released on delete or when the write fails.
import { fieldErrors, isJsonObject, type FieldError, type JsonObject } from '@k8ts/api-machinery';
import { errors } from '../api/errors.js';
import type { ObjectStore } from '../storage/index.js';
import { intToIp, offsetOf, parseCidr, type Ipv4Range } from './ip-range.js';
import { RangeAllocationError, RangeAllocator } from './range-allocator.js';

export interface NodePortRange {
  base: number;
  size: number;
}

export function parsePortRange(text: string): NodePortRange {
  const m = /^(\d+)-(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`invalid port range ${text} (expected e.g. 30000-32767)`);
  const lo = Number(m[1]);
  const hi = Number(m[2]);
  if (lo < 1 || hi > 65535 || hi < lo) throw new Error(`invalid port range ${text}`);
  return { base: lo, size: hi - lo + 1 };
}

interface Allocation {
  ip?: number;
  nodePorts: number[];
}

function specOf(svc: JsonObject): JsonObject {
  if (!isJsonObject(svc.spec)) svc.spec = {};
  return svc.spec as JsonObject;
}

function portsOf(spec: JsonObject): JsonObject[] {
  return Array.isArray(spec.ports) ? spec.ports.filter(isJsonObject) : [];
}

function wantsNodePorts(spec: JsonObject): boolean {
  return spec.type === 'NodePort' || spec.type === 'LoadBalancer';
}

export class ServiceAllocators {
  readonly serviceRange: Ipv4Range;
  private readonly ips: RangeAllocator;
  private readonly ports: RangeAllocator;

  constructor(store: ObjectStore, serviceCidr: string, readonly nodePortRange: NodePortRange) {
    this.serviceRange = parseCidr(serviceCidr);
    this.ips = new RangeAllocator(store, 'serviceips', this.serviceRange.cidr, 1, this.serviceRange.size - 2);
    this.ports = new RangeAllocator(store, 'servicenodeports', `${nodePortRange.base}-${nodePortRange.base + nodePortRange.size - 1}`, 0, nodePortRange.size - 1);
  }

  /** The first usable address: `kubernetes.default`. */
  kubernetesServiceIp(): string {
    return intToIp(this.serviceRange.base + 1);
  }

  /** Fills spec.clusterIP(s) and node ports; throws a 422 naming the field when a requested value is taken. */
  async allocate(svc: JsonObject, old: JsonObject | undefined, dryRun: boolean): Promise<void> {
    const spec = specOf(svc);
    const name = String((svc.metadata as JsonObject | undefined)?.name ?? '');
    const done: Allocation = { nodePorts: [] };
    const fail = (errs: FieldError[]): Promise<never> => this.undo(done).then(() => Promise.reject(errors.invalid('Service', '', name, errs)));
    const oldSpec = old && isJsonObject(old.spec) ? old.spec : undefined;

    if (spec.type === 'ExternalName') {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    } else if (!oldSpec || oldSpec.type === 'ExternalName' || !oldSpec.clusterIP) {
      const requested = typeof spec.clusterIP === 'string' ? spec.clusterIP : Array.isArray(spec.clusterIPs) && typeof spec.clusterIPs[0] === 'string' ? spec.clusterIPs[0] : '';
      if (requested === 'None') {
        spec.clusterIP = 'None';
        spec.clusterIPs = ['None'];
      } else if (requested !== '') {
        const off = offsetOf(this.serviceRange, requested);
        if (off === undefined) {
          return fail([fieldErrors.invalid('spec.clusterIPs', [requested], `failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${this.serviceRange.cidr}`)]);
        }
        if (!dryRun) {
          try {
            await this.ips.allocate(off);
            done.ip = off;
          } catch (e) {
            if (e instanceof RangeAllocationError) return fail([fieldErrors.invalid('spec.clusterIPs', [requested], `failed to allocate IP ${requested}: provided IP is already allocated`)]);
            throw e;
          }
        }
        spec.clusterIP = requested;
        spec.clusterIPs = [requested];
      } else {
        let ip = '';
        if (!dryRun) {
          try {
            const off = await this.ips.allocateNext();
            done.ip = off;
            ip = intToIp(this.serviceRange.base + off);
          } catch (e) {
            if (e instanceof RangeAllocationError) return fail([fieldErrors.internal('spec.clusterIPs', 'failed to allocate a serviceIP: range is full')]);
            throw e;
          }
          spec.clusterIP = ip;
          spec.clusterIPs = [ip];
        }
      }
      if (spec.clusterIP !== undefined) {
        spec.ipFamilies ??= ['IPv4'];
        spec.ipFamilyPolicy ??= 'SingleStack';
      }
    }

    if (wantsNodePorts(spec)) {
      const oldPorts = new Set(oldSpec && wantsNodePorts(oldSpec) ? portsOf(oldSpec).map((p) => p.nodePort).filter((p): p is number => typeof p === 'number') : []);
      const ports = portsOf(spec);
      for (let i = 0; i < ports.length; i++) {
        const p = ports[i]!;
        const want = p.nodePort;
        if (typeof want === 'number' && want !== 0) {
          if (oldPorts.has(want)) continue;
          const off = want - this.nodePortRange.base;
          if (off < 0 || off >= this.nodePortRange.size) {
            return fail([fieldErrors.invalid(`spec.ports[${i}].nodePort`, want, `provided port is not in the valid range. The range of valid ports is ${this.nodePortRange.base}-${this.nodePortRange.base + this.nodePortRange.size - 1}`)]);
          }
          if (dryRun) continue;
          try {
            await this.ports.allocate(off);
            done.nodePorts.push(off);
          } catch (e) {
            if (e instanceof RangeAllocationError) return fail([fieldErrors.invalid(`spec.ports[${i}].nodePort`, want, 'provided port is already allocated')]);
            throw e;
          }
        } else if (!dryRun) {
          try {
            const off = await this.ports.allocateNext();
            done.nodePorts.push(off);
            p.nodePort = this.nodePortRange.base + off;
          } catch (e) {
            if (e instanceof RangeAllocationError) return fail([fieldErrors.internal(`spec.ports[${i}].nodePort`, 'range is full')]);
            throw e;
          }
        }
      }
    } else {
      for (const p of portsOf(spec)) delete p.nodePort;
    }
    if (!dryRun && old) await this.releaseDropped(svc, old);
  }

  private async undo(a: Allocation): Promise<void> {
    if (a.ip !== undefined) await this.ips.release(a.ip).catch(() => undefined);
    for (const p of a.nodePorts) await this.ports.release(p).catch(() => undefined);
  }

  /** Frees what `old` held and `svc` no longer does (node ports removed, type changed away from ClusterIP). */
  private async releaseDropped(svc: JsonObject, old: JsonObject): Promise<void> {
    const keep = this.held(svc);
    const had = this.held(old);
    if (had.ip !== undefined && had.ip !== keep.ip) await this.ips.release(had.ip);
    for (const p of had.nodePorts) if (!keep.nodePorts.includes(p)) await this.ports.release(p);
  }

  private held(svc: JsonObject): Allocation {
    const spec = isJsonObject(svc.spec) ? svc.spec : {};
    const ip = typeof spec.clusterIP === 'string' ? offsetOf(this.serviceRange, spec.clusterIP) : undefined;
    const nodePorts = wantsNodePorts(spec)
      ? portsOf(spec)
          .map((p) => p.nodePort)
          .filter((p): p is number => typeof p === 'number')
          .map((p) => p - this.nodePortRange.base)
      : [];
    return { ip, nodePorts };
  }

  /** Releases everything a Service held (after delete, or when its create failed). */
  async release(svc: JsonObject): Promise<void> {
    await this.undo(this.held(svc));
  }

  /** Releases what a failed update newly allocated. */
  async releaseNew(svc: JsonObject, old: JsonObject | undefined): Promise<void> {
    if (!old) return this.release(svc);
    const had = this.held(old);
    const now = this.held(svc);
    const extra: Allocation = { nodePorts: now.nodePorts.filter((p) => !had.nodePorts.includes(p)) };
    if (now.ip !== undefined && now.ip !== had.ip) extra.ip = now.ip;
    await this.undo(extra);
  }
}
