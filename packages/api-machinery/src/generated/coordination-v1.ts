// Generated from the k8ts schemas by src/codegen/typescript.ts — do not edit; run `pnpm gen:types`.
// coordination.k8s.io/v1 (io.k8s.api.coordination.v1): types of the objects as the API serves them.
import type { ListMeta, ObjectMeta } from './meta-v1.js';

/** A lease on a named resource, held by one identity at a time. */
export interface Lease {
  /** Versioned schema of this representation (group/version, or v1 for the core group). */
  apiVersion?: string;
  /** Kind of object this representation holds, in CamelCase. */
  kind?: string;
  /** Standard object metadata. */
  metadata?: ObjectMeta;
  /** Who holds the lease and until when. */
  spec?: LeaseSpec;
}

/** A list of Lease objects. */
export interface LeaseList {
  /** Versioned schema of this list. */
  apiVersion?: string;
  /** Kind of this list, in CamelCase. */
  kind?: string;
  /** Standard list metadata. */
  metadata?: ListMeta;
  /** The Lease objects. */
  items: Lease[];
}

/** Desired and current state of a lease. */
export interface LeaseSpec {
  /** Identity of the current holder. */
  holderIdentity?: string;
  /** Seconds candidates must wait after the last renewal before taking the lease over. */
  leaseDurationSeconds?: number;
  /** When the current holder acquired the lease (MicroTime). */
  acquireTime?: string;
  /** When the current holder last renewed the lease (MicroTime). */
  renewTime?: string;
  /** How many times the lease changed holders. */
  leaseTransitions?: number;
  /** Coordinated leader election strategy for picking the holder, e.g. OldestEmulationVersion. */
  strategy?: string;
  /** Holder the coordinator wants to take over; the current holder should release the lease. */
  preferredHolder?: string;
}
