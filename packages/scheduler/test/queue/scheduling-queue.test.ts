import t from 'tap';
import { ActionType } from '../../src/framework/interface.js';
import { KeyedHeap } from '../../src/queue/heap.js';
import { EVENT_ASSIGNED_POD_DELETE, SchedulingQueue, type QueuedPodInfo } from '../../src/queue/scheduling-queue.js';
import { defaultProfile } from '../../src/plugins/default-profile.js';
import { FakeClock, makePod } from '../helpers/fixtures.js';

function newQueue(clock: FakeClock): SchedulingQueue {
  return new SchedulingQueue({ now: clock.now, registeredEvents: defaultProfile().registeredEvents });
}

/** Pops and fails the pod as rejected by `plugins` (empty: an error). */
async function popAndFail(q: SchedulingQueue, plugins: string[]): Promise<QueuedPodInfo> {
  const qpi = (await q.pop())!;
  qpi.unschedulablePlugins = new Set(plugins);
  q.addUnschedulableIfNotPresent(qpi, q.schedulingCycle);
  return qpi;
}

t.test('heap: ordered pops, update and delete by key', async (t) => {
  const h = new KeyedHeap<{ k: string; v: number }>((x) => x.k, (a, b) => a.v < b.v);
  for (const [k, v] of [['a', 5], ['b', 1], ['c', 9], ['d', 3]] as const) h.addOrUpdate({ k, v });
  h.addOrUpdate({ k: 'c', v: 0 });
  h.delete('d');
  t.same([h.pop()?.k, h.pop()?.k, h.pop()?.k, h.pop()], ['c', 'b', 'a', undefined]);
});

t.test('activeQ: higher priority first, then earlier arrival', async (t) => {
  const clock = new FakeClock();
  const q = newQueue(clock);
  q.add(makePod({ name: 'low-early', priority: 0 }));
  clock.advance(1);
  q.add(makePod({ name: 'high-late', priority: 100 }));
  clock.advance(1);
  q.add(makePod({ name: 'low-late', priority: 0 }));
  const order = [];
  for (let i = 0; i < 3; i++) order.push((await q.pop())!.podInfo.pod.metadata!.name);
  t.same(order, ['high-late', 'low-early', 'low-late']);
  t.equal(q.schedulingCycle, 3);
});

t.test('backoff: 1 s doubling per attempt up to 10 s', async (t) => {
  const clock = new FakeClock();
  const q = newQueue(clock);
  q.add(makePod({ name: 'p' }));
  const durations: number[] = [];
  for (let attempt = 1; attempt <= 6; attempt++) {
    const qpi = await popAndFail(q, []); // errors go straight to backoffQ
    t.equal(q.whereIs(qpi.podInfo.pod), 'backoff');
    durations.push(q.backoffDuration(qpi));
    clock.advance(q.backoffDuration(qpi) - 1);
    q.flushBackoffQCompleted();
    t.equal(q.whereIs(qpi.podInfo.pod), 'backoff', 'still backing off 1 ms before the end');
    clock.advance(1);
    q.flushBackoffQCompleted();
    t.equal(q.whereIs(qpi.podInfo.pod), 'active');
  }
  t.same(durations, [1000, 2000, 4000, 8000, 10000, 10000]);
});

t.test('unschedulable pods wait for an event their rejecting plugin registered', async (t) => {
  const clock = new FakeClock();
  const q = newQueue(clock);
  q.add(makePod({ name: 'cpu-hungry' }));
  q.add(makePod({ name: 'tainted-out' }));
  const hungry = await popAndFail(q, ['NodeResourcesFit']);
  const tainted = await popAndFail(q, ['TaintToleration']);
  t.equal(q.whereIs(hungry.podInfo.pod), 'unschedulable');
  t.same(q.pendingCounts(), { active: 0, backoff: 0, unschedulable: 2, gated: 0 });

  clock.advance(60_000);
  q.moveAllToActiveOrBackoffQueue(EVENT_ASSIGNED_POD_DELETE);
  t.equal(q.whereIs(hungry.podInfo.pod), 'active', 'a deleted pod frees resources');
  t.equal(q.whereIs(tainted.podInfo.pod), 'unschedulable', 'but removes no taint');
  q.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.UpdateNodeCondition, label: 'NodeUpdate' });
  t.equal(q.whereIs(tainted.podInfo.pod), 'unschedulable', 'a condition change does not help');
  q.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.Add, label: 'NodeAdd' });
  t.equal(q.whereIs(tainted.podInfo.pod), 'active', 'a new node may be untainted');
});

t.test('a moved pod still in its backoff goes to backoffQ first', async (t) => {
  const clock = new FakeClock();
  const q = newQueue(clock);
  q.add(makePod({ name: 'p' }));
  const qpi = await popAndFail(q, ['NodeResourcesFit']);
  clock.advance(500);
  q.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.Add, label: 'NodeAdd' });
  t.equal(q.whereIs(qpi.podInfo.pod), 'backoff');
  t.equal(q.nextBackoffExpiry(), clock.ms + 500);
});

t.test('an event during the attempt sends the failed pod to backoffQ, not to wait (moveRequestCycle)', async (t) => {
  const clock = new FakeClock();
  const q = newQueue(clock);
  q.add(makePod({ name: 'p' }));
  const qpi = (await q.pop())!;
  q.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.Add, label: 'NodeAdd' });
  qpi.unschedulablePlugins = new Set(['NodeResourcesFit']);
  q.addUnschedulableIfNotPresent(qpi, q.schedulingCycle);
  t.equal(q.whereIs(qpi.podInfo.pod), 'backoff');
});

t.test('unschedulable for longer than podMaxInUnschedulablePodsDuration: retried anyway', async (t) => {
  const clock = new FakeClock();
  const q = newQueue(clock);
  q.add(makePod({ name: 'p' }));
  const qpi = await popAndFail(q, ['NodeAffinity']);
  clock.advance(5 * 60_000);
  q.flushUnschedulablePodsLeftover();
  t.equal(q.whereIs(qpi.podInfo.pod), 'unschedulable', 'exactly 5 min is not longer');
  clock.advance(1);
  q.flushUnschedulablePodsLeftover();
  t.equal(q.whereIs(qpi.podInfo.pod), 'active');
});

t.test('updates: a spec change retries an unschedulable pod, a status change does not; deletes remove', async (t) => {
  const clock = new FakeClock();
  const q = newQueue(clock);
  const pod = makePod({ name: 'p' });
  q.add(pod);
  await popAndFail(q, ['NodeAffinity']);
  clock.advance(20_000);
  const statusOnly = { ...pod, metadata: { ...pod.metadata, resourceVersion: '9' }, status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False' }] } };
  q.update(pod, statusOnly);
  t.equal(q.whereIs(pod), 'unschedulable');
  const relabelled = { ...statusOnly, metadata: { ...statusOnly.metadata, labels: { fixed: 'yes' } } };
  q.update(statusOnly, relabelled);
  t.equal(q.whereIs(pod), 'active');
  t.same((await q.pop())!.podInfo.pod.metadata?.labels, { fixed: 'yes' }, 'the queue holds the latest version');
  q.add(makePod({ name: 'gone' }));
  q.delete(makePod({ name: 'gone' }));
  t.same(q.pendingCounts(), { active: 0, backoff: 0, unschedulable: 0, gated: 0 });
});

t.test('scheduling gates hold a pod until they are removed', async (t) => {
  const clock = new FakeClock();
  const q = newQueue(clock);
  const gated = makePod({ name: 'g', schedulingGates: ['example.com/wait'] });
  q.add(gated);
  t.equal(q.whereIs(gated), 'gated');
  q.moveAllToActiveOrBackoffQueue({ resource: 'Node', actionType: ActionType.Add, label: 'NodeAdd' });
  t.equal(q.whereIs(gated), 'gated', 'cluster events do not release gates');
  q.update(gated, makePod({ name: 'g' }));
  t.equal(q.whereIs(gated), 'active');
});

t.test('pop waits for a pod and returns undefined once closed', async (t) => {
  const q = newQueue(new FakeClock());
  const waiting = q.pop();
  setTimeout(() => q.add(makePod({ name: 'late' })), 5);
  t.equal((await waiting)?.podInfo.pod.metadata?.name, 'late');
  const blocked = q.pop();
  q.close();
  t.equal(await blocked, undefined);
});
