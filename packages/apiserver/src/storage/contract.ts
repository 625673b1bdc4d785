// The storage contract between the REST layer and the store (etcd v3 JSON API through @k8ts/etcd-client).
// Objects are stored as JSON at /registry/<resource>/<namespace>/<name> (cluster-scoped: /registry/<resource>/<name>)
// WITHOUT metadata.resourceVersion; on every read the store sets metadata.resourceVersion to the key's mod_revision
// (decimal string), as the real apiserver does. Lists carry the store revision they were read at.
import type { JsonObject } from '@k8ts/api-machinery';

export interface StoredObject {
  object: JsonObject; // metadata.resourceVersion already set
  modRevision: number;
}

export interface ListResult {
  items: StoredObject[];
  /** Store revision the list reflects (list metadata.resourceVersion). */
  revision: number;
  /** Opaque continue token when more items exist (limit pagination), else undefined. */
  continueToken?: string | undefined;
  /** Items after this page, when known. */
  remainingItemCount?: number | undefined;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreWatchEvent {
  type: WatchEventType;
  /** For DELETED: the last state of the object with resourceVersion = the deletion revision. */
  object: JsonObject;
  /** For MODIFIED/DELETED: the state before (needed to send DELETED to watchers whose selector stops matching). */
  prevObject?: JsonObject | undefined;
  revision: number;
  key: string;
}

/** Thrown by the store; the REST layer maps them to Kubernetes Status errors. */
export class StorageError extends Error {
  constructor(
    readonly code: 'NotFound' | 'AlreadyExists' | 'Conflict' | 'Expired' | 'Unavailable' | 'InvalidContinue' | 'TooLarge',
    message: string,
    /** For Expired: the oldest revision still available. */
    readonly currentRevision?: number,
  ) {
    super(message);
  }
}
