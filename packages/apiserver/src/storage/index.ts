// Storage for the apiserver: Kubernetes objects in etcd (ObjectStore) and per-resource in-memory mirrors (WatchCache).
export { StorageError } from './contract.js';
export type { ListResult, StoredObject, StoreWatchEvent, WatchEventType } from './contract.js';
export { ObjectStore } from './object-store.js';
export type { GuaranteedUpdateOptions, KeyedListResult, ListOptions, ObjectStoreOptions, TryUpdate } from './object-store.js';
export { WatchCache } from './watch-cache.js';
export type { CacheWatcher, CacheWatchListener, CacheWatchTerminated, WatchCacheOptions } from './watch-cache.js';
export { EventHistory } from './event-history.js';
export { ContinueExpiredError, toStorageError } from './storage-errors.js';
export { decodeContinue, encodeContinue } from './continue-token.js';
export type { ContinuePosition } from './continue-token.js';
export { decodeStored, encodeForStorage, withResourceVersion } from './object-codec.js';
export type { StoreObserver, StoreOperation } from './object-store.js';
export { COMPACT_REV_KEY, compactOnce, startCompactor } from './compactor.js';
export type { CompactOutcome, Compactor, CompactorState } from './compactor.js';
