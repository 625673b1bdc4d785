// The apiserver's Prometheus metrics, named as kube-apiserver names them where an equivalent exists.
import { Registry, registerProcessMetrics, type Counter, type Gauge, type Histogram } from '@k8ts/observability';
import type { StoreObserver } from './storage/object-store.js';

export interface ApiMetrics {
  registry: Registry;
  requests: Counter;
  requestDuration: Histogram;
  watchers: Gauge;
  /** Every etcd call of the object store, by operation and resource (kube-apiserver's etcd_request_* metrics). */
  store: StoreObserver;
}

export function createMetrics(): ApiMetrics {
  const registry = new Registry();
  registerProcessMetrics(registry);
  const storeDuration = registry.histogram('etcd_request_duration_seconds', 'etcd call latency by operation and resource.', ['operation', 'type']);
  const storeErrors = registry.counter('etcd_request_errors_total', 'Failed etcd calls by operation and resource.', ['operation', 'type']);
  return {
    registry,
    requests: registry.counter('apiserver_request_total', 'Requests by verb, group, resource, subresource and HTTP code.', ['verb', 'group', 'resource', 'subresource', 'code']),
    requestDuration: registry.histogram('apiserver_request_duration_seconds', 'Request latency by verb, group and resource (watches excluded).', ['verb', 'group', 'resource']),
    watchers: registry.gauge('apiserver_registered_watchers', 'Open watch streams by resource.', ['resource']),
    store: {
      storeCall(operation, type, seconds, failed) {
        storeDuration.observe({ operation, type }, seconds);
        if (failed) storeErrors.inc({ operation, type });
      },
    },
  };
}
