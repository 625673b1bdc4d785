// Lease state as every member applies it: ids, granted TTLs and attached keys. Expiry is time, and time belongs to
// the leader (see lease-time.ts), so it is not here.
import type { Key, LeaseId } from '../api/types.js';

export interface LeaseEntry {
  readonly id: LeaseId;
  readonly ttl: number;
  readonly keys: Set<Key>;
}

export class LeaseTable {
  // Insertion order is grant order; snapshots keep it, so leases() stays identical on every member.
  private readonly byId = new Map<LeaseId, LeaseEntry>();

  get size(): number {
    return this.byId.size;
  }

  has(id: LeaseId): boolean {
    return this.byId.has(id);
  }

  get(id: LeaseId): LeaseEntry | undefined {
    return this.byId.get(id);
  }

  ids(): LeaseId[] {
    return [...this.byId.keys()];
  }

  entries(): IterableIterator<LeaseEntry> {
    return this.byId.values();
  }

  add(id: LeaseId, ttl: number): LeaseEntry {
    const e: LeaseEntry = { id, ttl, keys: new Set() };
    this.byId.set(id, e);
    return e;
  }

  remove(id: LeaseId): void {
    this.byId.delete(id);
  }

  attach(id: LeaseId, key: Key): void {
    const e = this.byId.get(id);
    // etcd panics here; callers check lease existence before any write.
    if (e === undefined) throw new Error(`mvcc: attach to missing lease ${id}`);
    e.keys.add(key);
  }

  detach(id: LeaseId, key: Key): void {
    this.byId.get(id)?.keys.delete(key);
  }
}
