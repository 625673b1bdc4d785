// The lock leader election writes: a coordination.k8s.io/v1 Lease, updated by compare-and-swap on resourceVersion.
import type { KubeClient } from '../client.js';
import { isNotFound } from '../errors.js';
import type { ResourceClient } from '../rest/resource-client.js';
import { refs } from '../rest/resources.js';
import type { Lease } from '../types.js';

/** client-go's LeaderElectionRecord. Times are MicroTime strings, informative only (never compared across hosts). */
export interface LeaderElectionRecord {
  holderIdentity: string;
  leaseDurationSeconds: number;
  acquireTime: string;
  renewTime: string;
  leaseTransitions: number;
}

export interface LockCallOptions {
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

export interface ResourceLock {
  /** The current record; undefined when the lock object does not exist yet. */
  get(opts: LockCallOptions): Promise<LeaderElectionRecord | undefined>;
  /** Creates the lock object; fails (AlreadyExists) if someone else was first. */
  create(record: LeaderElectionRecord, opts: LockCallOptions): Promise<void>;
  /** Replaces the record if nobody wrote since our last get/create/update; fails (Conflict) otherwise. */
  update(record: LeaderElectionRecord, opts: LockCallOptions): Promise<void>;
  /** "namespace/name", for logs. */
  describe(): string;
}

export class LeaseLock implements ResourceLock {
  private readonly leases: ResourceClient<Lease>;
  /** The lease as we last read or wrote it: its resourceVersion is the compare-and-swap token. */
  private lease: Lease | undefined;

  constructor(
    client: KubeClient,
    readonly namespace: string,
    readonly name: string,
  ) {
    this.leases = client.resource<Lease>(refs.leases).namespace(namespace);
  }

  async get(opts: LockCallOptions): Promise<LeaderElectionRecord | undefined> {
    try {
      this.lease = await this.leases.get(this.name, opts);
    } catch (err) {
      if (isNotFound(err)) {
        this.lease = undefined;
        return undefined;
      }
      throw err;
    }
    return recordOf(this.lease);
  }

  async create(record: LeaderElectionRecord, opts: LockCallOptions): Promise<void> {
    this.lease = await this.leases.create(
      { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.name, namespace: this.namespace }, spec: specOf(record) },
      opts,
    );
  }

  async update(record: LeaderElectionRecord, opts: LockCallOptions): Promise<void> {
    if (!this.lease) throw new Error(`lease ${this.describe()} must be read or created before it is updated`);
    this.lease = await this.leases.update({ ...this.lease, spec: { ...this.lease.spec, ...specOf(record) } }, opts);
  }

  describe(): string {
    return `${this.namespace}/${this.name}`;
  }
}

function specOf(r: LeaderElectionRecord): NonNullable<Lease['spec']> {
  return {
    holderIdentity: r.holderIdentity,
    leaseDurationSeconds: r.leaseDurationSeconds,
    acquireTime: r.acquireTime,
    renewTime: r.renewTime,
    leaseTransitions: r.leaseTransitions,
  };
}

function recordOf(lease: Lease): LeaderElectionRecord {
  const s = lease.spec ?? {};
  return {
    holderIdentity: s.holderIdentity ?? '',
    leaseDurationSeconds: s.leaseDurationSeconds ?? 0,
    acquireTime: s.acquireTime ?? '',
    renewTime: s.renewTime ?? '',
    leaseTransitions: s.leaseTransitions ?? 0,
  };
}

/** metav1.MicroTime: RFC 3339 with six fraction digits. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
