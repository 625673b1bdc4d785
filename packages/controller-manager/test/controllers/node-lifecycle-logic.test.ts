import t from 'tap';
import type { Node, Pod, Taint } from '@k8ts/api-machinery';
import { FakeClock } from '@k8ts/client';
import {
  becameNotReady,
  desiredTaints,
  NodeHealthTracker,
  readyStatus,
  reconcileTaints,
  staleNodeConditions,
  TAINT_NOT_READY,
  TAINT_UNREACHABLE,
} from '../../src/controllers/nodelifecycle/node-lifecycle-logic.js';
import { effectiveTolerations, evictionDecision, toleratesTaint } from '../../src/controllers/nodelifecycle/taint-eviction-logic.js';

const node = (ready: string | undefined, extra: Partial<Node['spec']> = {}, heartbeat = '2024-01-01T00:00:00Z'): Node => ({
  metadata: { name: 'a', creationTimestamp: '2023-12-31T00:00:00Z' },
  spec: { ...extra },
  status: {
    conditions: [
      { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', lastHeartbeatTime: heartbeat },
      ...(ready ? [{ type: 'Ready', status: ready, reason: 'KubeletReady', lastHeartbeatTime: heartbeat, lastTransitionTime: heartbeat }] : []),
    ],
  },
});

t.test('health tracker: lease renewals and heartbeats, on the controller clock', async (t) => {
  const clock = new FakeClock();
  const tracker = new NodeHealthTracker();
  const start = clock.now();
  t.equal(tracker.observe(node('True'), '2024-01-01T00:00:00.000000Z', start), start, 'first sight counts as alive');
  await clock.advance(10_000);
  t.equal(tracker.observe(node('True'), '2024-01-01T00:00:00.000000Z', clock.now()), start, 'nothing moved');
  t.equal(tracker.observe(node('True'), '2024-01-01T00:00:10.000000Z', clock.now()), clock.now(), 'a renewed lease is a sign of life');
  const renewed = clock.now();
  await clock.advance(5_000);
  t.equal(tracker.observe(node('True'), '2023-01-01T00:00:00.000000Z', clock.now()), renewed, 'an older lease does not count');
  t.equal(tracker.observe(node('True', {}, '2024-01-01T00:05:00Z'), undefined, clock.now()), clock.now(), 'a new Ready heartbeat counts');
  tracker.forget('a');
  t.notOk(tracker.has('a'));
});

t.test('conditions go Unknown after the grace period', async (t) => {
  const n = node('True');
  t.equal(staleNodeConditions(n, 0, 40_000, 40_000), undefined, 'within the grace period');
  const stale = staleNodeConditions(n, 0, 40_000, 40_001);
  t.ok(stale);
  const ready = stale?.find((c) => c.type === 'Ready');
  t.match(ready, { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.', lastHeartbeatTime: '2024-01-01T00:00:00Z' });
  t.equal(ready?.lastTransitionTime, '1970-01-01T00:00:40Z');
  t.match(stale?.find((c) => c.type === 'MemoryPressure'), { status: 'Unknown', reason: 'NodeStatusUnknown' });
  t.match(stale?.find((c) => c.type === 'DiskPressure'), { status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.' });
  t.equal(stale?.length, 4, 'Ready, MemoryPressure, DiskPressure, PIDPressure');
  const already: Node = { ...n, status: { conditions: stale ?? [] } };
  t.equal(staleNodeConditions(already, 0, 40_000, 90_000), undefined, 'already Unknown: no write');
  t.equal(readyStatus(already), 'Unknown');
  t.equal(readyStatus(node(undefined)), 'Unknown', 'no Ready condition counts as Unknown');
});

t.test('taints follow the conditions', async (t) => {
  t.same(desiredTaints(node('True')), []);
  t.same(desiredTaints(node('False')), [
    { key: TAINT_NOT_READY, effect: 'NoExecute' },
    { key: TAINT_NOT_READY, effect: 'NoSchedule' },
  ]);
  t.same(desiredTaints(node('Unknown')), [
    { key: TAINT_UNREACHABLE, effect: 'NoExecute' },
    { key: TAINT_UNREACHABLE, effect: 'NoSchedule' },
  ]);
  const pressured = node('True', { unschedulable: true });
  pressured.status?.conditions?.push({ type: 'DiskPressure', status: 'True' }, { type: 'PIDPressure', status: 'True' }, { type: 'NetworkUnavailable', status: 'True' });
  t.same(
    desiredTaints(pressured).map((x) => x.key),
    ['node.kubernetes.io/disk-pressure', 'node.kubernetes.io/pid-pressure', 'node.kubernetes.io/network-unavailable', 'node.kubernetes.io/unschedulable'],
  );
});

t.test('reconcileTaints keeps foreign taints and timeAdded', async (t) => {
  const foreign: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  const added = reconcileTaints([foreign], desiredTaints(node('Unknown')), Date.UTC(2024, 0, 1));
  t.same(added, [
    foreign,
    { key: TAINT_UNREACHABLE, effect: 'NoExecute', timeAdded: '2024-01-01T00:00:00Z' },
    { key: TAINT_UNREACHABLE, effect: 'NoSchedule' },
  ]);
  t.equal(reconcileTaints(added ?? [], desiredTaints(node('Unknown')), Date.UTC(2025, 0, 1)), undefined, 'unchanged: no write, timeAdded kept');
  const swapped = reconcileTaints(added ?? [], desiredTaints(node('False')), Date.UTC(2024, 0, 2));
  t.same(
    swapped?.map((x) => `${x.key}:${x.effect}`),
    ['dedicated:NoSchedule', `${TAINT_NOT_READY}:NoExecute`, `${TAINT_NOT_READY}:NoSchedule`],
    'unreachable swapped for not-ready',
  );
  t.same(reconcileTaints(swapped ?? [], desiredTaints(node('True')), 0), [foreign], 'a healthy node loses them');
});

t.test('becameNotReady', async (t) => {
  t.ok(becameNotReady('True', 'Unknown'));
  t.ok(becameNotReady('True', 'False'));
  t.notOk(becameNotReady(undefined, 'Unknown'), 'first observation is no transition');
  t.notOk(becameNotReady('Unknown', 'False'));
});

t.test('toleratesTaint', async (t) => {
  const taint: Taint = { key: TAINT_UNREACHABLE, effect: 'NoExecute' };
  t.ok(toleratesTaint({ key: TAINT_UNREACHABLE, operator: 'Exists' }, taint), 'any effect');
  t.ok(toleratesTaint({ operator: 'Exists' }, taint), 'empty key with Exists tolerates everything');
  t.notOk(toleratesTaint({ operator: 'Equal' }, taint), 'empty key with Equal does not');
  t.notOk(toleratesTaint({ key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoSchedule' }, taint), 'other effect');
  t.ok(toleratesTaint({ key: 'k', value: 'v' }, { key: 'k', value: 'v', effect: 'NoExecute' }), 'Equal is the default operator');
  t.notOk(toleratesTaint({ key: 'k', value: 'w' }, { key: 'k', value: 'v', effect: 'NoExecute' }));
});

t.test('default tolerations as DefaultTolerationSeconds admission adds them', async (t) => {
  const pod = (tolerations: NonNullable<Pod['spec']>['tolerations']): Pod => ({ spec: { containers: [], tolerations } });
  t.same(effectiveTolerations(pod(undefined), 300), [
    { key: TAINT_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
  const own = { key: TAINT_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 };
  t.same(effectiveTolerations(pod([own]), 300), [own, { key: TAINT_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }]);
  t.same(effectiveTolerations(pod([{ operator: 'Exists' }]), 300), [{ operator: 'Exists' }], 'tolerate-everything pods get nothing');
});

t.test('eviction decisions', async (t) => {
  const unreachable: Taint[] = [{ key: TAINT_UNREACHABLE, effect: 'NoExecute' }];
  t.same(evictionDecision([{ key: 'x', effect: 'NoSchedule' }], [], 0), { kind: 'keep' }, 'no NoExecute taint');
  t.same(evictionDecision(unreachable, [], 0), { kind: 'evict' }, 'not tolerated: at once');
  t.same(evictionDecision(unreachable, [{ key: TAINT_UNREACHABLE, operator: 'Exists' }], 0), { kind: 'keep' }, 'tolerated forever');
  t.same(evictionDecision(unreachable, [{ key: TAINT_UNREACHABLE, operator: 'Exists', tolerationSeconds: 2 }], 1000), { kind: 'wait', atMs: 3000 });
  t.same(evictionDecision(unreachable, [{ key: TAINT_UNREACHABLE, operator: 'Exists', tolerationSeconds: 0 }], 1000), { kind: 'evict' }, 'zero seconds');
  const both: Taint[] = [...unreachable, { key: 'maint', effect: 'NoExecute' }];
  t.same(
    evictionDecision(both, [{ key: TAINT_UNREACHABLE, operator: 'Exists', tolerationSeconds: 30 }, { key: 'maint', operator: 'Exists' }], 0),
    { kind: 'wait', atMs: 30_000 },
    'an unbounded toleration does not cancel a bounded one',
  );
  t.same(evictionDecision(both, [{ key: TAINT_UNREACHABLE, operator: 'Exists', tolerationSeconds: 30 }], 0), { kind: 'evict' }, 'one taint untolerated');
  const pod: Pod = { spec: { containers: [] } };
  t.same(evictionDecision(unreachable, effectiveTolerations(pod, 300), 0), { kind: 'wait', atMs: 300_000 }, 'defaults: 300 s');
});
