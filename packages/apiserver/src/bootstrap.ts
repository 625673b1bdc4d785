// What every cluster has from the start: the system namespaces, the `kubernetes` Service in `default`, and its
// Endpoints listing every live apiserver. Each apiserver keeps a key under /registry/masterleases/ on an etcd lease
// (as Kubernetes' lease endpoint reconciler does), so a stopped apiserver drops out of the endpoints by itself.
import type { EtcdClient, LeaseKeepAlive } from '@k8ts/etcd-client';
import { jsonEqual, type JsonObject } from '@k8ts/api-machinery';
import type { Logger } from 'pino';
import { ApiError } from './api/errors.js';
import type { ApiContext } from './api/context.js';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const MASTER_LEASE_TTL_SECONDS = 15;
const RECONCILE_INTERVAL_MS = 10_000;

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

export class EndpointsReconciler {
  private keepAlive?: LeaseKeepAlive;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly leaseKey: string;

  constructor(
    private readonly ctx: ApiContext,
    private readonly etcd: EtcdClient,
    private readonly advertiseAddress: string,
    private readonly securePort: number,
    private readonly logger: Logger,
  ) {
    this.leaseKey = `/registry/masterleases/${advertiseAddress}`;
  }

  async start(): Promise<void> {
    await this.announce();
    await this.reconcile().catch((e: unknown) => this.logger.warn({ err: e }, 'kubernetes endpoints reconcile failed'));
    const tick = (): void => {
      if (this.stopped) return;
      this.reconcile()
        .catch((e: unknown) => this.logger.warn({ err: e }, 'kubernetes endpoints reconcile failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, RECONCILE_INTERVAL_MS);
        });
    };
    this.timer = setTimeout(tick, RECONCILE_INTERVAL_MS);
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
    const live = await this.etcd.range('/registry/masterleases/', { prefix: true });
    const ips = live.kvs.map((kv) => kv.key.toString().slice('/registry/masterleases/'.length)).sort();
    if (!ips.includes(this.advertiseAddress)) ips.push(this.advertiseAddress);
    const subsets = [{ addresses: ips.map((ip) => ({ ip })), ports: [{ name: 'https', port: this.securePort, protocol: 'TCP' }] }];
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

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.keepAlive?.stop();
    await this.etcd.deleteRange(this.leaseKey).catch(() => undefined);
  }
}
