// The bench reads the apiserver's histograms back from /metrics: check it against what our registry really renders.
import t from 'tap';
import { Registry } from '@k8ts/observability';
import { meanMsBetween, podsSeries, sampleOf, serverTimesBetween } from '../../bench/server-time.js';

t.test('means between two scrapes of the rendered histograms', async (t) => {
  const registry = new Registry();
  const requests = registry.histogram('apiserver_request_duration_seconds', 'h', ['verb', 'group', 'resource']);
  const store = registry.histogram('etcd_request_duration_seconds', 'h', ['operation', 'type']);
  requests.observe({ verb: 'PATCH', group: '', resource: 'pods' }, 0.5);
  const before = registry.render();
  requests.observe({ verb: 'PATCH', group: '', resource: 'pods' }, 0.01);
  requests.observe({ verb: 'PATCH', group: '', resource: 'pods' }, 0.03);
  requests.observe({ verb: 'PUT', group: '', resource: 'pods' }, 9);
  store.observe({ operation: 'update', type: 'pods' }, 0.008);
  store.observe({ operation: 'update', type: 'configmaps' }, 7);
  const after = registry.render();

  const patch = podsSeries('PATCH', 'update');
  t.equal(sampleOf(after, patch.request, 'count'), 3);
  t.equal(sampleOf(before, patch.store, 'count'), 0, 'a series not yet rendered reads as 0');
  const times = serverTimesBetween(before, after, patch);
  t.ok(Math.abs(times.requestMs - 20) < 1e-9, `only the loop's two PATCHes count: ${times.requestMs} ms`);
  t.ok(Math.abs(times.storeMs - 8) < 1e-9, `only the pods' update calls count: ${times.storeMs} ms`);
  t.ok(Number.isNaN(meanMsBetween(before, after, podsSeries('DELETE', 'delete').request)), 'no requests: no mean');
});
