import t from 'tap';
import {
  findActiveOrLatest,
  isSaturated,
  isScalingEvent,
  newReplicaSetSize,
  oldPodsRunning,
  oldReplicaSetSizes,
  proportionalPlan,
  proportionalSizes,
  type RolloutParams,
  type RsSummary,
} from '../../src/controllers/deployment/rollout-math.js';
import {
  annotationsForRollback,
  findNewReplicaSet,
  lastRevision,
  maxRevision,
  replicaSetAnnotations,
  replicaSetsToCleanUp,
  replicasAnnotationsUpdate,
  rollbackToRevision,
  templatesEqualIgnoringHash,
  templateWithoutHash,
  type RsRevisionSummary,
} from '../../src/controllers/deployment/revisions.js';
import {
  calculateStatus,
  isComplete,
  metaTime,
  pausedConditions,
  progressCheckAfterMs,
  replicaFailureOf,
  rolloutStatus,
  setCondition,
  type DeploymentFacts,
} from '../../src/controllers/deployment/status.js';

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
  const ann = replicaSetAnnotations({ 'deployment.kubernetes.io/revision': '2' }, { note: 'x', 'kubectl.kubernetes.io/last-applied-configuration': '{}' }, 4, { desired: 3, max: 4 });
  t.same(ann, {
    'deployment.kubernetes.io/revision': '4',
    'deployment.kubernetes.io/revision-history': '2',
    note: 'x',
    'deployment.kubernetes.io/desired-replicas': '3',
    'deployment.kubernetes.io/max-replicas': '4',
  }, 'a re-used ReplicaSet records its old revision');
});

t.test('revisions: re-used ReplicaSets, history, cleanup, rollback', async (t) => {
  const rev = 'deployment.kubernetes.io/revision';
  const hist = 'deployment.kubernetes.io/revision-history';
  // An existing ReplicaSet keeps the replica annotations it was last scaled with (proportional scaling reads them).
  const existing = { [rev]: '3', 'deployment.kubernetes.io/desired-replicas': '10', 'deployment.kubernetes.io/max-replicas': '13' };
  t.same(replicaSetAnnotations(existing, {}, 3), existing, 'already at the revision: unchanged, replica annotations kept');
  t.same(replicaSetAnnotations(existing, {}, 2), existing, 'a newer revision is never lowered');
  t.same(replicaSetAnnotations({ [rev]: '3', [hist]: '1' }, {}, 5), { [rev]: '5', [hist]: '1,3' }, 'history appended');
  t.same(replicaSetAnnotations({ [rev]: 'x' }, { note: 'n' }, 5), { [rev]: 'x' }, 'an unreadable revision: left alone');
  const long = Array.from({ length: 600 }, (_, i) => String(i + 1)).join(',');
  const trimmed = replicaSetAnnotations({ [rev]: '601', [hist]: long }, {}, 602)[hist]!;
  t.ok(trimmed.length <= 2000 && trimmed.endsWith(',601') && !trimmed.startsWith('1,'), 'history is capped at 2000 characters, oldest dropped');
  t.same(replicaSetAnnotations(undefined, { a: 'b' }, 1, { desired: 3, max: 4 }), {
    a: 'b',
    [rev]: '1',
    'deployment.kubernetes.io/desired-replicas': '3',
    'deployment.kubernetes.io/max-replicas': '4',
  }, 'a new ReplicaSet: no history, replica annotations');
  t.equal(replicasAnnotationsUpdate({ 'deployment.kubernetes.io/desired-replicas': '3', 'deployment.kubernetes.io/max-replicas': '4' }, 3, 4), undefined);
  t.same(replicasAnnotationsUpdate({ x: 'y' }, 5, 7), { x: 'y', 'deployment.kubernetes.io/desired-replicas': '5', 'deployment.kubernetes.io/max-replicas': '7' });

  const sum = (name: string, revision: number, over: Partial<RsRevisionSummary> = {}): RsRevisionSummary => ({
    name,
    revision,
    createdMs: revision,
    replicas: 0,
    statusReplicas: 0,
    generation: 1,
    observedGeneration: 1,
    deleting: false,
    ...over,
  });
  const olds = [sum('r3', 3), sum('r1', 1), sum('r2', 2, { replicas: 1 }), sum('r4', 4), sum('gone', 0, { deleting: true })];
  t.same(replicaSetsToCleanUp(olds, 1), ['r1', 'r3'], 'lowest revisions first; one still scaled is kept; deleting ones are not counted');
  t.same(replicaSetsToCleanUp(olds, 4), [], 'within the limit');
  t.same(replicaSetsToCleanUp([sum('a', 1, { generation: 2 }), sum('b', 2)], 0), ['b'], 'a spec change not yet observed: kept');

  t.equal(lastRevision([3, 1, 5, 4]), 4, 'the previous revision');
  t.equal(lastRevision([2]), 0);
  t.equal(rollbackToRevision({ 'deprecated.deployment.rollback.to': '0' }), 0);
  t.equal(rollbackToRevision({ 'deprecated.deployment.rollback.to': 'x' }), undefined, 'unreadable: ignored');
  t.equal(rollbackToRevision({}), undefined);
  t.same(
    annotationsForRollback({ [rev]: '4', 'kubernetes.io/change-cause': 'v4' }, { [rev]: '2', 'kubernetes.io/change-cause': 'v2', 'deployment.kubernetes.io/desired-replicas': '3' }),
    { [rev]: '4', 'kubernetes.io/change-cause': 'v2' },
    "the ReplicaSet's change-cause comes back; the Deployment's own bookkeeping stays",
  );
  const withHash = { metadata: { labels: { app: 'web', 'pod-template-hash': 'h' } }, spec: { containers: [] } };
  t.same(templateWithoutHash(withHash), { metadata: { labels: { app: 'web' } }, spec: { containers: [] } });
  t.same(withHash.metadata.labels, { app: 'web', 'pod-template-hash': 'h' }, 'the ReplicaSet is not modified');

  const tpl = (image: string, hash?: string) => ({ metadata: { labels: { app: 'w', ...(hash ? { 'pod-template-hash': hash } : {}) } }, spec: { containers: [{ name: 'c', image }] } });
  const rsOf = (name: string, created: string, image: string) => ({ metadata: { name, creationTimestamp: created }, spec: { selector: {}, template: tpl(image, name) } });
  const found = findNewReplicaSet(tpl('v1'), [rsOf('b', '2026-01-02T00:00:00Z', 'v1'), rsOf('c', '2026-01-01T00:00:00Z', 'v2'), rsOf('a', '2026-01-03T00:00:00Z', 'v1')]);
  t.equal(found?.metadata?.name, 'b', 'the oldest ReplicaSet with the template');
  t.equal(findNewReplicaSet(tpl('v3'), [rsOf('b', '2026-01-02T00:00:00Z', 'v1')]), undefined);
});

t.test('scale helpers', async (t) => {
  const p = rolling(5);
  t.equal(findActiveOrLatest(rs('new', 0, 0, 3), [rs('a', 0, 0, 1), rs('b', 0, 0, 2)])?.name, 'new', 'nothing active: the new one');
  t.equal(findActiveOrLatest(undefined, [rs('a', 0, 0, 1), rs('b', 0, 0, 2)])?.name, 'b', 'nothing active, no new one: the newest old one');
  t.equal(findActiveOrLatest(rs('new', 0, 0, 3), [rs('a', 2, 2, 1)])?.name, 'a', 'the only active one');
  t.equal(findActiveOrLatest(rs('new', 1, 0, 3), [rs('a', 2, 2, 1)]), undefined, 'several active: proportional');
  t.ok(isSaturated(p, rs('new', 5, 5, 2, 7)));
  t.notOk(isSaturated(p, rs('new', 5, 4, 2, 7)), 'not all available');
  t.notOk(isSaturated(p, undefined));

  // Scaling 10 -> 20 mid-rollout (maxSurge 25%): 13 allowed before, 25 after.
  const plan = proportionalPlan({ ...rolling(20), statusReplicas: 11 }, rs('new', 5, 0, 2, 13), [rs('old', 8, 8, 1, 13)]);
  t.equal(plan.operation, 'up');
  t.same(plan.sizes.map((s) => [s.rs.name, s.size]), [['old', 15], ['new', 10]], 'largest first; 8*25/13 = 15.4 -> 15, 5*25/13 = 9.6 -> 10');
  const down = proportionalPlan({ ...rolling(0), statusReplicas: 11 }, rs('new', 5, 0, 2, 13), [rs('old', 8, 8, 1, 13)]);
  t.same(down.sizes.map((s) => s.size), [0, 0], 'to zero: everything goes');
  const noAnnotation = proportionalPlan({ ...rolling(20), statusReplicas: 0 }, rs('new', 5, 0, 2), [rs('old', 8, 8, 1)]);
  t.same(noAnnotation.sizes.map((s) => s.size), [20, 5], 'no annotation and no status to be proportional to: the leftover goes to the largest');
  const equal = proportionalPlan(rolling(10), rs('new', 4, 0, 2, 13), [rs('old', 9, 9, 1, 13)]);
  t.equal(equal.operation, '', 'already replicas + surge: nothing to add');
  t.same(equal.sizes.map((s) => s.size), [9, 4]);

  t.ok(oldPodsRunning(1, []), 'an old ReplicaSet still counts a pod');
  t.ok(oldPodsRunning(0, ['Running']), 'a pod (perhaps terminating) still running');
  t.ok(oldPodsRunning(0, [undefined]), 'a pod without a phase yet');
  t.notOk(oldPodsRunning(0, ['Succeeded', 'Failed']), 'finished pods do not hold the new ones back');
});

t.test('status and conditions', async (t) => {
  const facts = (over: Partial<DeploymentFacts> = {}): DeploymentFacts => ({
    ...rolling(3),
    name: 'web',
    generation: 2,
    paused: false,
    progressDeadlineSeconds: 600,
    collisionCount: undefined,
    conditions: [],
    previous: {},
    ...over,
  });
  const nowMs = Date.parse('2026-11-23T12:00:00Z');
  const now = metaTime(nowMs);
  t.equal(now, '2026-11-23T12:00:00Z', 'metav1.Time: whole seconds');
  const newRS = { name: 'web-abc', replicas: 3, statusReplicas: 3, readyReplicas: 3, availableReplicas: 3 };
  const s = calculateStatus(facts(), newRS, [newRS], now);
  t.same([s.replicas, s.updatedReplicas, s.readyReplicas, s.availableReplicas, s.unavailableReplicas, s.observedGeneration], [3, 3, 3, 3, 0, 2]);
  t.match(s.conditions, [{ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }]);
  t.ok(isComplete(3, 2, s));
  const done = rolloutStatus(facts(), s, 'web-abc', undefined, nowMs);
  t.match(done.conditions, [{ type: 'Available' }, { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: 'ReplicaSet "web-abc" has successfully progressed.' }]);
  t.match(rolloutStatus(facts(), s, undefined, undefined, nowMs).conditions, [{}, { message: 'Deployment "web" has successfully progressed.' }], 'no new ReplicaSet: the Deployment is named');
  t.same(
    rolloutStatus(facts({ progressDeadlineSeconds: undefined, conditions: done.conditions! }), calculateStatus(facts({ conditions: done.conditions! }), newRS, [newRS], now), 'web-abc', undefined, nowMs).conditions?.map((c) => c.type),
    ['Available'],
    'no deadline: no Progressing condition',
  );

  const half = { ...newRS, statusReplicas: 1, readyReplicas: 0, availableReplicas: 0, replicas: 1 };
  const old = { name: 'web-old', replicas: 2, statusReplicas: 2, readyReplicas: 2, availableReplicas: 2 };
  const moving = calculateStatus(facts(), half, [half, old], now);
  t.match(moving.conditions, [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }], '25% of 3 rounds down to 0 unavailable: 2 of 3 is not enough');
  const created = { type: 'Progressing', status: 'True' as const, reason: 'NewReplicaSetCreated', message: 'Created new replica set "web-abc"', lastUpdateTime: '2026-11-23T11:59:00Z', lastTransitionTime: '2026-11-23T11:00:00Z' };
  const progressed = rolloutStatus(facts({ conditions: [created], previous: { updatedReplicas: 0, replicas: 2 } }), moving, 'web-abc', undefined, nowMs);
  t.match(progressed.conditions?.find((c) => c.type === 'Progressing'), {
    status: 'True',
    reason: 'ReplicaSetUpdated',
    message: 'ReplicaSet "web-abc" is progressing.',
    lastUpdateTime: now,
    lastTransitionTime: '2026-11-23T11:00:00Z',
  }, 'progress refreshes lastUpdateTime; the transition time stays');

  const stale = { ...created, reason: 'ReplicaSetUpdated', lastUpdateTime: metaTime(nowMs - 601_000) };
  const stuck = rolloutStatus(facts({ conditions: [stale], previous: moving }), { ...moving, conditions: [...moving.conditions!, stale] }, 'web-abc', undefined, nowMs);
  t.match(stuck.conditions?.find((c) => c.type === 'Progressing'), {
    status: 'False',
    reason: 'ProgressDeadlineExceeded',
    message: 'ReplicaSet "web-abc" has timed out progressing.',
    lastTransitionTime: now,
  });
  const fresh = { ...stale, lastUpdateTime: metaTime(nowMs - 100_000) };
  const waiting = rolloutStatus(facts({ conditions: [fresh], previous: moving }), { ...moving, conditions: [...moving.conditions!, fresh] }, 'web-abc', undefined, nowMs);
  t.same(waiting.conditions?.find((c) => c.type === 'Progressing'), fresh, 'within the deadline: unchanged');
  t.equal(progressCheckAfterMs(facts({ conditions: [fresh] }), waiting, nowMs), 501_000, 'look again when the deadline passes, plus a second');
  t.equal(progressCheckAfterMs(facts({ conditions: [stuck.conditions!.find((c) => c.type === 'Progressing')!] }), stuck, nowMs), undefined, 'timed out: no need');
  t.equal(progressCheckAfterMs(facts({ conditions: [fresh] }), s, nowMs), undefined, 'complete: no need');

  // A finished rollout is not estimated again when only the replica count moves (a plain scale-up).
  const available = done.conditions!.find((c) => c.type === 'Progressing')!;
  const scaling = calculateStatus(facts({ replicas: 5, conditions: [available] }), newRS, [{ ...newRS, replicas: 5 }], now);
  t.same(rolloutStatus(facts({ replicas: 5, conditions: [available], previous: s }), scaling, 'web-abc', undefined, nowMs).conditions?.find((c) => c.type === 'Progressing'), available);

  const failure = replicaFailureOf(undefined, [{}, { conditions: [{ type: 'ReplicaFailure', status: 'True', reason: 'FailedCreate', message: 'quota', lastTransitionTime: 'T' }] }]);
  t.same(failure, { type: 'ReplicaFailure', status: 'True', lastUpdateTime: 'T', lastTransitionTime: 'T', reason: 'FailedCreate', message: 'quota' });
  const withFailure = rolloutStatus(facts(), moving, 'web-abc', failure, nowMs);
  t.ok(withFailure.conditions?.some((c) => c.type === 'ReplicaFailure'), 'ReplicaFailure copied');
  t.notOk(rolloutStatus(facts({ conditions: withFailure.conditions! }), { ...moving, conditions: withFailure.conditions! }, 'web-abc', undefined, nowMs).conditions?.some((c) => c.type === 'ReplicaFailure'), 'and removed once gone');

  const paused = pausedConditions({ paused: true, progressDeadlineSeconds: 600, conditions: [fresh] }, nowMs);
  t.match(paused, [{ type: 'Progressing', status: 'Unknown', reason: 'DeploymentPaused', message: 'Deployment is paused', lastUpdateTime: now }]);
  t.equal(pausedConditions({ paused: true, progressDeadlineSeconds: 600, conditions: paused! }, nowMs), undefined, 'already paused');
  t.match(pausedConditions({ paused: false, progressDeadlineSeconds: 600, conditions: paused! }, nowMs), [{ status: 'Unknown', reason: 'DeploymentResumed', message: 'Deployment is resumed' }]);
  t.equal(pausedConditions({ paused: true, progressDeadlineSeconds: 600, conditions: stuck.conditions! }, nowMs), undefined, 'a reported timeout stays');
  t.equal(pausedConditions({ paused: true, progressDeadlineSeconds: undefined, conditions: [] }, nowMs), undefined);

  const c1 = setCondition([], { type: 'Available', status: 'False', reason: 'R', message: 'm', lastUpdateTime: 'T1', lastTransitionTime: 'T1' });
  const c2 = setCondition(c1, { type: 'Available', status: 'False', reason: 'R2', message: 'm', lastUpdateTime: 'T2', lastTransitionTime: 'T2' });
  t.match(c2, [{ lastTransitionTime: 'T1', lastUpdateTime: 'T2', reason: 'R2' }], 'same status: transition time kept');
  t.equal(setCondition(c2, { type: 'Available', status: 'False', reason: 'R2', message: 'other', lastUpdateTime: 'T3', lastTransitionTime: 'T3' }), c2, 'same status and reason: unchanged (message too)');
});
