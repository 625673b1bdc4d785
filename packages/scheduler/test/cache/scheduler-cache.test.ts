import t from 'tap';
import type { Pod } from '@k8ts/api-machinery';
import { SchedulerCache, Snapshot } from '../../src/cache/scheduler-cache.js';
import { FakeClock, makeNode, makePod } from '../helpers/fixtures.js';

const onNode = (pod: Pod, nodeName: string): Pod => ({ ...pod, spec: { ...pod.spec!, nodeName } });

t.test('assumed pods count at once; confirmed by the informer; forgotten on bind failure', async (t) => {
  const clock = new FakeClock();
  const cache = new SchedulerCache({ now: clock.now, assumedPodTtlMs: 30_000 });
  cache.addNode(makeNode({ name: 'n1', cpu: '2' }));
  const p = onNode(makePod({ name: 'p', cpu: '1500m' }), 'n1');
  cache.assumePod(p);
  t.ok(cache.isAssumedPod(p));
  t.equal(cache.snapshot().get('n1')!.requested.milliCPU, 1500);
  t.throws(() => cache.assumePod(p), /can't be assumed/);
  cache.addPod(p);
  t.notOk(cache.isAssumedPod(p), 'the informer confirmed the binding');
  t.same(cache.counts(), { nodes: 1, pods: 1, assumedPods: 0 });

  const q = onNode(makePod({ name: 'q', cpu: '100m' }), 'n1');
  cache.assumePod(q);
  cache.forgetPod(q);
  t.equal(cache.snapshot().get('n1')!.requested.milliCPU, 1500, 'the forgotten pod gave its room back');
});

t.test('an assumed pod confirmed on another node moves there', async (t) => {
  const cache = new SchedulerCache();
  cache.addNode(makeNode({ name: 'n1' }));
  cache.addNode(makeNode({ name: 'n2' }));
  const p = makePod({ name: 'p', cpu: '1' });
  cache.assumePod(onNode(p, 'n1'));
  cache.addPod(onNode(p, 'n2'));
  const s = cache.snapshot();
  t.same([s.get('n1')!.pods.length, s.get('n2')!.pods.length], [0, 1]);
});

t.test('assumed pods expire only after their binding finished and the TTL passed', async (t) => {
  const clock = new FakeClock();
  const cache = new SchedulerCache({ now: clock.now, assumedPodTtlMs: 30_000 });
  cache.addNode(makeNode({ name: 'n1' }));
  const p = onNode(makePod({ name: 'p' }), 'n1');
  cache.assumePod(p);
  clock.advance(60_000);
  t.same(cache.cleanupExpiredAssumedPods(), [], 'binding still in flight: never expires');
  cache.finishBinding(p);
  clock.advance(30_000);
  t.same(cache.cleanupExpiredAssumedPods(), []);
  clock.advance(1);
  t.same(cache.cleanupExpiredAssumedPods().map((x) => x.metadata?.name), ['p']);
  t.same(cache.counts(), { nodes: 1, pods: 0, assumedPods: 0 });
});

t.test('pods of unknown or deleted nodes are kept but not schedulable onto', async (t) => {
  const cache = new SchedulerCache();
  cache.addPod(onNode(makePod({ name: 'early' }), 'later'));
  t.equal(cache.snapshot().list().length, 0, 'no Node yet');
  cache.addNode(makeNode({ name: 'later' }));
  t.equal(cache.snapshot().get('later')!.pods.length, 1, 'the pod was waiting for its node');
  cache.removeNode(makeNode({ name: 'later' }));
  t.equal(cache.snapshot().list().length, 0);
  cache.removePod(onNode(makePod({ name: 'early' }), 'later'));
  t.same(cache.counts(), { nodes: 0, pods: 0, assumedPods: 0 });
});

t.test('snapshots update incrementally and are isolated from later cache changes', async (t) => {
  const cache = new SchedulerCache();
  for (const name of ['a', 'b', 'c']) cache.addNode(makeNode({ name }));
  const snap = new Snapshot();
  cache.updateSnapshot(snap);
  const before = { a: snap.get('a'), b: snap.get('b') };
  cache.addPod(onNode(makePod({ name: 'p', cpu: '1' }), 'a'));
  t.equal(snap.get('a')!.pods.length, 0, 'the snapshot did not change under the cycle');
  cache.updateSnapshot(snap);
  t.not(snap.get('a'), before.a, 'changed node re-copied');
  t.equal(snap.get('b'), before.b, 'unchanged node kept');
  t.equal(snap.get('a')!.pods.length, 1);
  cache.removeNode(makeNode({ name: 'c' }));
  cache.updateSnapshot(snap);
  t.same(snap.list().map((n) => n.name), ['a', 'b']);
  const aff = makePod({ name: 'aff', affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'x', labelSelector: {} }] } } });
  cache.addPod(onNode(aff, 'b'));
  cache.updateSnapshot(snap);
  t.same(snap.havePodsWithAffinity().map((n) => n.name), ['b']);
  t.same(snap.havePodsWithRequiredAntiAffinity().map((n) => n.name), ['b']);
});
