// @k8ts/client: the client-go of k8ts.
export type {
  Binding,
  CoreEvent,
  DeleteOptions,
  Eviction,
  JsonPatchOperation,
  KubeObject,
  Lease,
  ListMeta,
  ListOf,
  ObjectMetaLike,
  ObjectReference,
  OwnerReference,
  Preconditions,
  PropagationPolicy,
  Scale,
  Status,
  StatusCause,
  StatusDetails,
} from './types.js';
export { isStatus } from './types.js';
export {
  ApiError,
  NetworkError,
  isAlreadyExists,
  isApiError,
  isBadRequest,
  isConflict,
  isExpired,
  isForbidden,
  isGone,
  isInternalError,
  isInvalid,
  isNetworkError,
  isNotFound,
  isRetryable,
  isServerTimeout,
  isServiceUnavailable,
  isTooManyRequests,
  type StatusReason,
} from './errors.js';
export { AbortedError, FakeClock, isAbortError, realClock, sleep, type Clock, type TimerHandle } from './util/clock.js';
export { Backoff, type BackoffOptions } from './util/backoff.js';

export {
  KubeconfigError,
  connectionFromUrl,
  defaultKubeconfigPaths,
  inClusterConnection,
  loadKubeconfig,
  parseKubeconfig,
  type ClusterConnection,
  type LoadKubeconfigOptions,
} from './config/kubeconfig.js';
export { KubeClient } from './client.js';
export { RestClient, type HttpMethod, type RequestOptions, type ResponseStream, type RestClientOptions, type StreamOptions } from './rest/rest-client.js';
export { apiVersionOf, qualifiedResourceName, refForKind, refs, resourcePath, type ResourceRef } from './rest/resources.js';
export {
  PATCH_CONTENT_TYPES,
  ResourceClient,
  bindPod,
  evictPod,
  labelSelectorString,
  type ApplyOptions,
  type CallOptions,
  type DeleteCallOptions,
  type LabelSelectorInput,
  type ListOptions,
  type PatchBody,
  type PatchOptions,
  type PatchType,
  type SubresourceClient,
  type WatchOptions,
  type WriteOptions,
} from './rest/resource-client.js';

export {
  WatchDecodeError,
  WatchLineDecoder,
  WatchStream,
  parseWatchLine,
  type RawWatchEvent,
  type WatchEvent,
  type WatchEventType,
} from './watch/watch.js';
export { listWatchFor, type ListCallOptions, type ListWatch, type ListWatchSelectors, type WatchCallOptions, type WatchHandle } from './tools/list-watch.js';
export { Reflector, type ReflectorOptions, type ReflectorStore } from './tools/reflector.js';

export {
  DeletedFinalStateUnknown,
  Indexer,
  NAMESPACE_INDEX,
  deletionHandlingKey,
  metaNamespaceKey,
  namespaceIndexFunc,
  objectOf,
  splitMetaNamespaceKey,
  type IndexFunc,
  type Indexers,
  type KeyFunc,
  type ReadonlyIndexer,
} from './cache/store.js';
export { Lister, NamespaceLister, type SelectorArg } from './informers/lister.js';
export {
  SharedIndexInformer,
  type HandlerRegistration,
  type ResourceEventHandler,
  type SharedIndexInformerOptions,
} from './informers/shared-informer.js';
export { SharedInformerFactory, type InformerFactoryOptions, type InformerOptions } from './informers/factory.js';

export { WorkQueue, type WorkQueueOptions } from './workqueue/work-queue.js';
export {
  BucketRateLimiter,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  defaultControllerRateLimiter,
  type RateLimiter,
} from './workqueue/rate-limiters.js';
export { WorkQueueMetrics } from './workqueue/metrics.js';
export { Controller, type ControllerOptions, type ReconcileResult, type Reconciler, type Syncable } from './controller/controller.js';

export { LeaseLock, microTime, type LeaderElectionRecord, type LockCallOptions, type ResourceLock } from './leaderelection/lease-lock.js';
export { LeaderElector, type LeaderCallbacks, type LeaderElectorOptions } from './leaderelection/leader-elector.js';

export { EventCorrelator, COMBINED_PREFIX, aggregateKey, eventKey, metaTime, spamKey, type CorrelationResult, type CorrelatorOptions, type EventPatch } from './events/correlator.js';
export { EventBroadcaster, referenceOf, type EventBroadcasterOptions, type EventRecorder, type EventSource, type EventType } from './events/recorder.js';
