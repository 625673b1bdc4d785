import t from 'tap';
import { labelSelectorFromObject, type Pod } from '@k8ts/api-machinery';
import { claimObjects } from '../../src/shared/claim.js';
import {
  BURST_REPLICAS,
  countReplicas,
  decideScale,
  recheckAfterMs,
  replicaFailureConditions,
  slowStartBatches,
  type ReplicaSetView,
} from '../../src/controllers/replicaset/replica-set-logic.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');

function pod(name: string, labels: Record<string, string>, opts: { owner?: string; ready?: number; node?: string; deleting?: boolean } = {}): Pod {
  return {
    metadata: {
      name,
      uid: `uid-${name}`,
      labels,
      creationTimestamp: new Date(NOW - 60_000).toISOString(),
      ...(opts.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: opts.owner, controller: true }] } : {}),
      ...(opts.deleting ? { deletionTimestamp: new Date(NOW).toISOString() } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'i' }], ...(opts.node ? { nodeName: opts.node } : {}) },
    status: {
      phase: 'Running',
      conditions: [
        opts.ready === undefined
          ? { type: 'Ready', status: 'False' }
          : { type: 'Ready', status: 'True', lastTransitionTime: new Date(NOW - opts.ready * 1000).toISOString() },
      ],
    },
  };
}

const view = (replicas: number, minReadySeconds = 0): ReplicaSetView => ({
  uid: 'rs-uid',
  generation: 3,
  replicas,
  minReadySeconds,
  selector: labelSelectorFromObject({ matchLabels: { app: 'web' } }),
  template: { metadata: { labels: { app: 'web', tier: 'front' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
  conditions: [],
});

t.test('claims: own, adopt, release, ignore', async (t) => {
  const selector = labelSelectorFromObject({ matchLabels: { app: 'web' } });
  const owner = { metadata: { name: 'rs', uid: 'rs-uid' } };
  const pods = [
    pod('mine', { app: 'web' }, { owner: 'rs-uid' }),
    pod('orphan', { app: 'web' }),
    pod('strayed', { app: 'db' }, { owner: 'rs-uid' }),
    pod('theirs', { app: 'web' }, { owner: 'other' }),
    pod('unrelated', { app: 'db' }),
    pod('dying-orphan', { app: 'web' }, { deleting: true }),
  ];
  const c = claimObjects(owner, selector, pods);
  t.same(c.owned.map((p) => p.metadata?.name), ['mine']);
  t.same(c.adopt.map((p) => p.metadata?.name), ['orphan']);
  t.same(c.release.map((p) => p.metadata?.name), ['strayed']);
  const deleting = claimObjects({ metadata: { ...owner.metadata, deletionTimestamp: 'x' } }, selector, pods);
  t.same([deleting.adopt.length, deleting.release.length], [0, 0], 'an owner being deleted neither adopts nor releases');
});

t.test('scale decisions', async (t) => {
  const active = [pod('a', { app: 'web' }, { node: 'n1', ready: 100 }), pod('b', { app: 'web' }, { node: 'n1' }), pod('c', { app: 'web' }, { node: 'n2', ready: 100 })];
  t.same(decideScale(view(5), active, active, NOW), { action: 'create', count: 2 });
  t.same(decideScale(view(3), active, active, NOW), { action: 'none' });
  const down = decideScale(view(1), active, active, NOW);
  t.equal(down.action, 'delete');
  t.same(down.action === 'delete' ? down.pods.map((p) => p.metadata?.name) : [], ['b', 'a'], 'not ready first, then the doubled-up one');
  t.same(decideScale(view(BURST_REPLICAS + 100), [], [], NOW), { action: 'create', count: BURST_REPLICAS }, 'capped at the burst');
  t.same(slowStartBatches(10), [1, 2, 4, 3]);
  t.same(slowStartBatches(0), []);
  t.same(slowStartBatches(1), [1]);
});

t.test('status counts and conditions', async (t) => {
  const active = [
    pod('full', { app: 'web', tier: 'front' }, { ready: 100 }),
    pod('partial', { app: 'web' }, { ready: 5 }),
    pod('unready', { app: 'web', tier: 'front' }),
  ];
  t.same(countReplicas(view(3, 10), active, NOW), { replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1 });
  t.equal(recheckAfterMs(view(2, 10), countReplicas(view(2, 10), active.slice(0, 2), NOW)), 10_000, 'ready but not yet available: look again');
  t.equal(recheckAfterMs(view(3, 0), countReplicas(view(3, 0), active, NOW)), undefined);
  const failed = replicaFailureConditions([], { reason: 'FailedCreate', message: 'quota' }, 'T1');
  t.same(failed, [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota', lastTransitionTime: 'T1' }]);
  t.equal(replicaFailureConditions(failed, { reason: 'FailedCreate', message: 'quota' }, 'T2'), failed, 'unchanged: the same array');
  t.same(replicaFailureConditions(failed, undefined, 'T3'), [], 'cleared after a clean sync');
});
