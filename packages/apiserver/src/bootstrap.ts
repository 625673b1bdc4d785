// What every cluster has from the start: the system namespaces, the `kubernetes` Service in `default`, and its
// Endpoints listing every live apiserver. Each apiserver keeps a key under /registry/masterleases/ on an etcd lease
// (as Kubernetes' lease endpoint reconciler does), so a stopped apiserver drops out of the endpoints by itself.
import type { EtcdClient, LeaseKeepAlive, Watch } from '@k8ts/etcd-client';
import { jsonEqual, type JsonObject } from '@k8ts/api-machinery';
import type { Logger } from 'pino';
import { ApiError } from './api/errors.js';
import type { ApiContext } from './api/context.js';
import { buildFilter } from './registry/filter.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const MASTER_LEASE_TTL_SECONDS = 15;
const RECONCILE_INTERVAL_MS = 10_000;
const LEASE_WATCH_RETRY_MS = 1000;
const MASTER_LEASE_PREFIX = '/registry/masterleases/';

async function ignoreExists(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError && (e.code === 409 || e.code === 422)) return;
    throw e;
  }
}

export async function ensureSystemObjects(ctx: ApiContext, securePort: number): Promise<void> {
  const namespaces = ctx.registryFor('', 'v1', 'namespaces');
  for (const name of SYSTEM_NAMESPACES) {
    await ignoreExists(namespaces.create(undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, { dryRun: false }));
  }
  const services = ctx.registryFor('', 'v1', 'services');
  await ignoreExists(
    services.create(
      'default',
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
        spec: {
          type: 'ClusterIP',
          clusterIP: ctx.allocators.kubernetesServiceIp(),
          ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: securePort }],
          sessionAffinity: 'None',
        },
      },
      { dryRun: false },
    ),
  );
}

/** What an apiserver writes under its master lease key: where clients reach it. */
interface MasterLease {
  ip: string;
  port: number;
}

/** Endpoints subsets for the live apiservers: one subset per port (apiservers on one machine differ in port). */
export function kubernetesEndpointSubsets(leases: MasterLease[]): JsonObject[] {
  const byPort = new Map<number, Set<string>>();
  for (const { ip, port } of leases) {
    const ips = byPort.get(port) ?? new Set<string>();
    ips.add(ip);
    byPort.set(port, ips);
  }
  return [...byPort.entries()]
    .sort(([a], [b]) => a - b)
    .map(([port, ips]) => ({
      addresses: [...ips].sort().map((ip) => ({ ip })),
      ports: [{ name: 'https', port, protocol: 'TCP' }],
    }));
}

function parseMasterLease(key: string, value: string, fallbackPort: number): MasterLease {
  const ip = key.slice(MASTER_LEASE_PREFIX.length);
  try {
    const parsed = JSON.parse(value) as { port?: unknown };
    if (typeof parsed.port === 'number' && Number.isInteger(parsed.port)) return { ip, port: parsed.port };
  } catch {
    // an older or foreign value: the IP alone still counts
  }
  return { ip, port: fallbackPort };
}

export class EndpointsReconciler {
  private keepAlive?: LeaseKeepAlive;
  private timer?: NodeJS.Timeout;
  private leaseWatch?: Watch;
  private stopped = false;
  private readonly leaseKey: string;
  /** Serializes reconciles: a watch burst must not race two updates of the same Endpoints. */
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly ctx: ApiContext,
    private readonly etcd: EtcdClient,
    private readonly advertiseAddress: string,
    private readonly securePort: number,
    private readonly logger: Logger,
  ) {
    this.leaseKey = `${MASTER_LEASE_PREFIX}${advertiseAddress}`;
  }

  async start(): Promise<void> {
    await this.announce();
    await this.reconcileLogged();
    const tick = (): void => {
      if (this.stopped) return;
      this.reconcileLogged().finally(() => {
        if (!this.stopped) this.timer = setTimeout(tick, RECONCILE_INTERVAL_MS);
      });
    };
    this.timer = setTimeout(tick, RECONCILE_INTERVAL_MS);
    void this.followLeases();
  }

  /**
   * Reconciles as soon as another apiserver's lease key appears or goes (expiry, graceful stop), so the endpoints
   * follow within the lease TTL instead of TTL + the reconcile interval. The timer stays as the safety net.
   */
  private async followLeases(): Promise<void> {
    while (!this.stopped) {
      const watch = this.etcd.watch(MASTER_LEASE_PREFIX, { prefix: true });
      this.leaseWatch = watch;
      try {
        for await (const resp of watch) {
          if (this.stopped) break;
          if (resp.events.length > 0) await this.reconcileLogged();
        }
      } catch (e) {
        if (!this.stopped) this.logger.debug({ err: e }, 'master lease watch broke; following again');
      } finally {
        watch.cancel();
      }
      if (!this.stopped) await new Promise((r) => setTimeout(r, LEASE_WATCH_RETRY_MS));
    }
  }

  private reconcileLogged(): Promise<void> {
    this.running = this.running
      .then(() => this.reconcile())
      .catch((e: unknown) => this.logger.warn({ err: e }, 'kubernetes endpoints reconcile failed'));
    return this.running;
  }

  private async announce(): Promise<void> {
    const lease = await this.etcd.leaseGrant(MASTER_LEASE_TTL_SECONDS);
    await this.etcd.put(this.leaseKey, JSON.stringify({ ip: this.advertiseAddress, port: this.securePort }), { lease: lease.id });
    this.keepAlive = this.etcd.leaseKeepAlive(lease.id, (MASTER_LEASE_TTL_SECONDS * 1000) / 3, {
      onLost: () => {
        if (this.stopped) return;
        this.logger.warn('master lease lost; announcing again');
        this.announce().catch((e: unknown) => this.logger.error({ err: e }, 'could not announce this apiserver'));
      },
    });
  }

  async reconcile(): Promise<void> {
    const live = await this.etcd.range(MASTER_LEASE_PREFIX, { prefix: true });
    const leases = live.kvs.map((kv) => parseMasterLease(kv.key.toString(), kv.value.toString(), this.securePort));
    // This apiserver serves, so it is listed even while its own lease is being re-announced.
    if (!leases.some((l) => l.ip === this.advertiseAddress)) leases.push({ ip: this.advertiseAddress, port: this.securePort });
    const subsets = kubernetesEndpointSubsets(leases);
    await this.reconcileSlices(subsets);
    const endpoints = this.ctx.registryFor('', 'v1', 'endpoints');
    await endpoints.update(
      'default',
      'kubernetes',
      (current) => {
        if (current && jsonEqual(current.subsets, subsets)) return current;
        const next: JsonObject = current ?? { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'kubernetes', namespace: 'default' } };
        next.subsets = subsets;
        return next;
      },
      // A system write: loopback addresses (single-machine clusters) are fine for the apiserver's own endpoints.
      { dryRun: false, createIfMissing: true, internal: true },
    );
  }

  /**
   * The `kubernetes` EndpointSlices (discovery.k8s.io/v1), which Kubernetes' apiservers keep next to the Endpoints:
   * the endpointslice controller skips Services without a selector, so nobody else writes them. One slice per port
   * (only apiservers on one machine differ in port): `kubernetes`, then `kubernetes-<port>`.
   */
  private async reconcileSlices(subsets: JsonObject[]): Promise<void> {
    const slices = this.ctx.registryFor('discovery.k8s.io', 'v1', 'endpointslices');
    const wanted = new Set<string>();
    for (const [i, subset] of subsets.entries()) {
      const ports = subset.ports as JsonObject[];
      const addresses = subset.addresses as JsonObject[];
      const name = i === 0 ? 'kubernetes' : `kubernetes-${String(ports[0]?.port)}`;
      wanted.add(name);
      const desired = {
        addressType: 'IPv4',
        endpoints: addresses.map((a) => ({ addresses: [a.ip], conditions: { ready: true } })),
        ports: ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol })),
      } as JsonObject;
      await slices.update(
        'default',
        name,
        (current) => {
          if (current && jsonEqual(current.endpoints, desired.endpoints) && jsonEqual(current.ports, desired.ports)) return current;
          const next: JsonObject = current ?? {
            apiVersion: 'discovery.k8s.io/v1',
            kind: 'EndpointSlice',
            metadata: { name, namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
          };
          return { ...next, ...desired };
        },
        { dryRun: false, createIfMissing: true, internal: true },
      );
    }
    // Slices for ports no apiserver serves any more.
    const existing = await slices.list('default', { filter: buildFilter(slices.kind, 'kubernetes.io/service-name=kubernetes', undefined), resourceVersion: '' });
    for (const slice of existing.items) {
      const name = String((slice.metadata as JsonObject).name);
      if (!wanted.has(name)) await slices.delete('default', name, { dryRun: false }).catch(() => undefined);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.leaseWatch?.cancel();
    this.keepAlive?.stop();
    await this.etcd.deleteRange(this.leaseKey).catch(() => undefined);
  }
}
