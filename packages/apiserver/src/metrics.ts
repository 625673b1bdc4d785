// The apiserver's Prometheus metrics, named as kube-apiserver names them where an equivalent exists.
import { Registry, registerProcessMetrics, type Counter, type Gauge, type Histogram } from '@k8ts/observability';

export interface ApiMetrics {
  registry: Registry;
  requests: Counter;
  requestDuration: Histogram;
  watchers: Gauge;
}

export function createMetrics(): ApiMetrics {
  const registry = new Registry();
  registerProcessMetrics(registry);
  return {
    registry,
    requests: registry.counter('apiserver_request_total', 'Requests by verb, group, resource, subresource and HTTP code.', ['verb', 'group', 'resource', 'subresource', 'code']),
    requestDuration: registry.histogram('apiserver_request_duration_seconds', 'Request latency by verb, group and resource (watches excluded).', ['verb', 'group', 'resource']),
    watchers: registry.gauge('apiserver_registered_watchers', 'Open watch streams by resource.', ['resource']),
  };
}
