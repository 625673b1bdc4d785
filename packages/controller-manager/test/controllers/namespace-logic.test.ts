import t from 'tap';
import { allKinds, type NamespaceCondition, type Pod } from '@k8ts/api-machinery';
import {
  CONDITION_TYPES,
  finalizersWithout,
  namespacedDeletableResources,
  namespaceDeletionConditions,
  podTerminationEstimateSeconds,
  recheckAfterMs,
  remainingVerdict,
  resourceLabel,
} from '../../src/controllers/namespace/namespace-logic.js';

const NOW = '2026-11-23T12:00:00Z';

t.test('the resources a namespace deletion empties', async (t) => {
  const resources = namespacedDeletableResources(allKinds);
  const names = resources.map(resourceLabel);
  for (const r of ['pods.', 'configmaps.', 'secrets.', 'services.', 'deployments.apps', 'replicasets.apps', 'endpointslices.discovery.k8s.io', 'leases.coordination.k8s.io']) {
    t.ok(names.includes(r), r);
  }
  t.notOk(names.includes('namespaces.'), 'cluster-scoped kinds are not');
  t.notOk(names.includes('nodes.'));
  const services = resources.find((r) => r.resource === 'services' && r.group === '')!;
  t.equal(services.deleteCollection, false, 'Services have no deletecollection: listed and deleted one by one');
  t.equal(resources.find((r) => r.resource === 'pods')!.deleteCollection, true);
});

t.test('waiting for what remains', async (t) => {
  const pod = (grace: number, phase = 'Running'): Pod => ({ metadata: { name: 'p' }, spec: { containers: [], terminationGracePeriodSeconds: grace }, status: { phase: phase as 'Running' } });
  const deletedAt = Date.parse(NOW);
  t.equal(podTerminationEstimateSeconds([pod(30), pod(10)], deletedAt, deletedAt + 4000), 26, 'the longest grace period, less the time since deletion');
  t.equal(podTerminationEstimateSeconds([pod(30)], deletedAt, deletedAt + 60_000), 0, 'never negative');
  t.equal(podTerminationEstimateSeconds([pod(30, 'Succeeded')], deletedAt, deletedAt), 0, 'finished pods do not count');
  t.equal(recheckAfterMs(26), 14_000, 'half the estimate plus a second');

  t.same(remainingVerdict('pods.', [], 0, 'x'), { resource: 'pods.', remaining: 0, finalizers: {}, estimateSeconds: 0 });
  t.same(remainingVerdict('pods.', [{}], 12, 'x'), { resource: 'pods.', remaining: 1, finalizers: {}, estimateSeconds: 12 }, 'terminating pods: wait');
  t.same(
    remainingVerdict('configmaps.', [{ metadata: { finalizers: ['example.com/hold'] } }, { metadata: { finalizers: ['example.com/hold'] } }], 0, 'x'),
    { resource: 'configmaps.', remaining: 2, finalizers: { 'example.com/hold': 2 }, estimateSeconds: 15 },
    'finalizers: wait the default estimate',
  );
  t.equal(remainingVerdict('secrets.', [{}], 0, 'x').error, 'unexpected items still remain in namespace: x for gvr: secrets.', 'anything else is unexpected');
});

t.test('deletion conditions', async (t) => {
  const first = namespaceDeletionConditions([], { outcomes: [] }, NOW);
  t.ok(first.changed);
  t.same(first.conditions.map((c) => c.type), [...CONDITION_TYPES], 'every type, in order');
  t.ok(first.conditions.every((c) => c.status === 'False'));
  t.same(first.conditions.find((c) => c.type === 'NamespaceContentRemaining'), {
    type: 'NamespaceContentRemaining',
    status: 'False',
    lastTransitionTime: NOW,
    reason: 'ContentRemoved',
    message: 'All content successfully removed',
  });
  t.notOk(namespaceDeletionConditions(first.conditions, { outcomes: [] }, '2026-11-23T12:01:00Z').changed, 'same state: no write');

  const later = '2026-11-23T12:05:00Z';
  const waiting = namespaceDeletionConditions(
    first.conditions,
    {
      outcomes: [
        { resource: 'pods.', remaining: 2, finalizers: {}, estimateSeconds: 20 },
        { resource: 'configmaps.', remaining: 1, finalizers: { 'example.com/hold': 1 }, estimateSeconds: 15 },
        { resource: 'secrets.', remaining: 0, finalizers: {}, estimateSeconds: 0, error: 'boom' },
      ],
    },
    later,
  );
  const get = (type: string): NamespaceCondition => waiting.conditions.find((c) => c.type === type)!;
  t.same(get('NamespaceContentRemaining'), {
    type: 'NamespaceContentRemaining',
    status: 'True',
    lastTransitionTime: later,
    reason: 'SomeResourcesRemain',
    message: 'Some resources are remaining: configmaps. has 1 resource instances, pods. has 2 resource instances',
  });
  t.equal(get('NamespaceFinalizersRemaining').message, 'Some finalizers are remaining: example.com/hold in 1 resource instances');
  t.equal(get('NamespaceFinalizersRemaining').reason, 'SomeFinalizerRemain');
  t.equal(get('NamespaceDeletionContentFailure').message, 'Failed to delete all resource types, 1 remaining: boom');
  t.equal(get('NamespaceDeletionContentFailure').reason, 'ContentDeletionFailed');
  t.equal(get('NamespaceDeletionDiscoveryFailure').lastTransitionTime, NOW, 'unchanged conditions keep their transition time');
  const discovery = namespaceDeletionConditions([], { discoveryError: 'no discovery', outcomes: [] }, NOW);
  t.equal(discovery.conditions.find((c) => c.type === 'NamespaceDeletionDiscoveryFailure')?.reason, 'DiscoveryFailed');
});

t.test('finalizers left after ours', async (t) => {
  t.same(finalizersWithout(['kubernetes']), []);
  t.same(finalizersWithout(['z.example/x', 'kubernetes', 'a.example/y', 'a.example/y']), ['a.example/y', 'z.example/x']);
});
