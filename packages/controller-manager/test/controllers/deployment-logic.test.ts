import t from 'tap';
import type { DeploymentCondition } from '@k8ts/api-machinery';
import { isScalingEvent, newReplicaSetSize, oldReplicaSetSizes, proportionalSizes, type RolloutParams, type RsSummary } from '../../src/controllers/deployment/rollout-math.js';
import { maxRevision, replicaSetAnnotations, templatesEqualIgnoringHash } from '../../src/controllers/deployment/revisions.js';
import { calculateStatus, isComplete, progressingCondition, setCondition, type DeploymentFacts } from '../../src/controllers/deployment/status.js';

const rolling = (replicas: number, maxSurge: number | string = '25%', maxUnavailable: number | string = '25%'): RolloutParams => ({
  replicas,
  strategy: 'RollingUpdate',
  maxSurge,
  maxUnavailable,
  statusReplicas: replicas,
});
const rs = (name: string, replicas: number, available: number, createdMs: number, maxReplicas?: number): RsSummary => ({
  name,
  replicas,
  available,
  createdMs,
  maxReplicasAnnotation: maxReplicas,
  desiredReplicasAnnotation: maxReplicas === undefined ? undefined : replicas,
});
const entries = (m: Map<string, number>): Array<[string, number]> => [...m.entries()].sort();

t.test('rolling update arithmetic', async (t) => {
  const p = rolling(10);
  const old = rs('old', 10, 10, 1);
  const fresh = rs('new', 0, 0, 2);
  t.equal(newReplicaSetSize(p, fresh, [old, fresh]), 3, 'surge: 25% of 10 rounds up to 3');
  const grown = rs('new', 3, 0, 2);
  t.same(entries(oldReplicaSetSizes(p, grown, [old])), [['old', 8]], 'down by maxUnavailable while the new pods are not available');
  t.equal(newReplicaSetSize(p, grown, [rs('old', 8, 8, 1), grown]), 5, 'up to replicas + surge in total');
  t.same(entries(oldReplicaSetSizes(p, rs('new', 5, 5, 2), [rs('old', 8, 8, 1)])), [['old', 3]], 'available new pods let more old ones go');
  t.same(entries(oldReplicaSetSizes(p, rs('new', 10, 10, 2), [rs('old', 0, 0, 1)])), [], 'nothing left to scale down');

  const strict = rolling(3, 0, 1);
  t.equal(newReplicaSetSize(strict, rs('new', 0, 0, 2), [rs('old', 3, 3, 1), rs('new', 0, 0, 2)]), 0, 'no surge: the new ReplicaSet waits');
  t.same(entries(oldReplicaSetSizes(strict, rs('new', 0, 0, 2), [rs('old', 3, 3, 1)])), [['old', 2]], 'one old pod goes first');

  // Unhealthy old pods go before healthy ones, oldest ReplicaSet first.
  const sizes = oldReplicaSetSizes(rolling(4, 1, 1), rs('new', 1, 0, 3), [rs('older', 2, 0, 1), rs('old', 2, 2, 2)]);
  t.same(entries(sizes), [['older', 1]], 'an unavailable pod of the older ReplicaSet is shed first, within the budget of one');

  t.equal(newReplicaSetSize({ ...p, strategy: 'Recreate' }, fresh, [old, fresh]), 10, 'Recreate: the new ReplicaSet takes all at once');
});

t.test('proportional scaling during a rollout', async (t) => {
  const p = { ...rolling(20), statusReplicas: 11 };
  const sizes = proportionalSizes(p, rs('new', 3, 0, 2, 13), [rs('old', 8, 8, 1, 13)], false);
  t.same(entries(sizes), [['new', 6], ['old', 19]], 'the 14 added pods spread by size, leftovers to the largest');
  t.equal([...sizes.values()].reduce((a, b) => a + b, 0), 25, 'replicas + maxSurge in total');
  const down = proportionalSizes({ ...rolling(4), statusReplicas: 11 }, rs('new', 3, 0, 2, 13), [rs('old', 8, 8, 1, 13)], false);
  t.equal([...down.values()].reduce((a, b) => a + b, 0), 5, 'scaling down keeps replicas + surge');
  t.same(entries(proportionalSizes(rolling(5), rs('new', 2, 2, 2), [rs('old', 0, 0, 1)], false)), [['new', 5]], 'one active ReplicaSet takes the whole count');
  t.same(entries(proportionalSizes(rolling(5), rs('new', 5, 5, 2), [rs('old', 2, 2, 1)], true)), [['old', 0]], 'a saturated new ReplicaSet: the old go to zero');
  t.ok(isScalingEvent(rolling(5), [rs('new', 3, 3, 2, 3)]), 'sized for 3, asked for 5');
  t.notOk(isScalingEvent(rolling(3), [rs('new', 3, 3, 2, 3)]));
});

t.test('revisions and templates', async (t) => {
  const withRev = (n: number) => ({ metadata: { annotations: { 'deployment.kubernetes.io/revision': String(n) } } });
  t.equal(maxRevision([withRev(2), withRev(5), {}]), 5);
  const a = { metadata: { labels: { app: 'web', 'pod-template-hash': 'abc' } }, spec: { containers: [{ name: 'c', image: 'v1' }] } };
  const b = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'v1' }] } };
  t.ok(templatesEqualIgnoringHash(a, b));
  t.notOk(templatesEqualIgnoringHash(a, { ...b, spec: { containers: [{ name: 'c', image: 'v2' }] } }));
  const ann = replicaSetAnnotations({ 'deployment.kubernetes.io/revision': '2' }, { note: 'x', 'kubectl.kubernetes.io/last-applied-configuration': '{}' }, 4, 3, 4);
  t.same(ann, {
    'deployment.kubernetes.io/revision': '4',
    'deployment.kubernetes.io/revision-history': '2',
    note: 'x',
    'deployment.kubernetes.io/desired-replicas': '3',
    'deployment.kubernetes.io/max-replicas': '4',
  }, 'a re-used ReplicaSet records its old revision');
});

t.test('status and conditions', async (t) => {
  const facts = (over: Partial<DeploymentFacts> = {}): DeploymentFacts => ({
    ...rolling(3),
    generation: 2,
    paused: false,
    progressDeadlineSeconds: 600,
    collisionCount: undefined,
    conditions: [],
    previous: {},
    ...over,
  });
  const now = '2026-11-23T12:00:00.000Z';
  const nowMs = Date.parse(now);
  const newRS = { name: 'web-abc', replicas: 3, statusReplicas: 3, readyReplicas: 3, availableReplicas: 3 };
  const s = calculateStatus(facts(), newRS, [newRS], now);
  t.same([s.replicas, s.updatedReplicas, s.readyReplicas, s.availableReplicas, s.unavailableReplicas, s.observedGeneration], [3, 3, 3, 3, 0, 2]);
  t.match(s.conditions, [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }]);
  t.ok(isComplete(3, 2, s));
  t.match(progressingCondition(facts(), s, 'web-abc', nowMs), { status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-abc" has successfully progressed.' });

  const half = { ...newRS, statusReplicas: 1, readyReplicas: 0, availableReplicas: 0, replicas: 1 };
  const old = { name: 'web-old', replicas: 2, statusReplicas: 2, readyReplicas: 2, availableReplicas: 2 };
  const moving = calculateStatus(facts(), half, [half, old], now);
  t.match(moving.conditions, [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }], '25% of 3 rounds down to 0 unavailable: 2 of 3 is not enough');
  const progressed = progressingCondition(facts({ previous: { updatedReplicas: 0, replicas: 2 } }), moving, 'web-abc', nowMs);
  t.match(progressed, { status: 'True', reason: 'ReplicaSetUpdated', lastUpdateTime: now });

  const stale: DeploymentCondition = { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: 'm', lastUpdateTime: new Date(nowMs - 601_000).toISOString() };
  const stuck = progressingCondition(facts({ conditions: [stale], previous: moving }), moving, 'web-abc', nowMs);
  t.match(stuck, { status: 'False', reason: 'ProgressDeadlineExceeded', message: 'ReplicaSet "web-abc" has timed out progressing.' });
  t.equal(progressingCondition(facts({ conditions: [{ ...stale, lastUpdateTime: now }], previous: moving }), moving, 'web-abc', nowMs), undefined, 'within the deadline: unchanged');
  t.equal(progressingCondition(facts({ paused: true }), moving, 'web-abc', nowMs), undefined, 'paused: no verdict');

  const c1 = setCondition([], { type: 'Available', status: 'False', reason: 'R', message: 'm' }, 'T1');
  const c2 = setCondition(c1, { type: 'Available', status: 'False', reason: 'R2', message: 'm' }, 'T2');
  t.match(c2, [{ lastTransitionTime: 'T1', lastUpdateTime: 'T2', reason: 'R2' }], 'same status: transition time kept');
  t.equal(setCondition(c2, { type: 'Available', status: 'False', reason: 'R2', message: 'm' }, 'T3'), c2, 'no change: same array');
});
