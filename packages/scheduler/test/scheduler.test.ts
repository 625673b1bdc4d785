// scheduleOne against an in-memory API: assume before bind, binding in the background, failures reported.
import t from 'tap';
import type { Pod, PodCondition } from '@k8ts/api-machinery';
import { createLogger } from '@k8ts/observability';
import { SchedulerCache } from '../src/cache/scheduler-cache.js';
import { EventHandlers } from '../src/event-handlers.js';
import { defaultProfile } from '../src/plugins/default-profile.js';
import { SchedulingQueue } from '../src/queue/scheduling-queue.js';
import { Scheduler, type SchedulerApi } from '../src/scheduler.js';
import { FakeClock, makeNode, makePod } from './helpers/fixtures.js';

interface RecordedEvent {
  pod: string;
  type: string;
  reason: string;
  note: string;
}

class FakeApi implements SchedulerApi {
  pods = new Map<string, Pod>();
  bound = new Map<string, string>();
  conditions = new Map<string, PodCondition>();
  events: RecordedEvent[] = [];
  failBindOf = new Set<string>();
  bindDelayMs = 5;

  async bind(pod: Pod, nodeName: string): Promise<void> {
    await new Promise((r) => setTimeout(r, this.bindDelayMs));
    const name = pod.metadata!.name!;
    if (this.failBindOf.has(name)) throw new Error('Operation cannot be fulfilled: conflict');
    this.bound.set(name, nodeName);
  }
  async setPodCondition(pod: Pod, condition: PodCondition): Promise<void> {
    this.conditions.set(pod.metadata!.name!, condition);
  }
  recordEvent(pod: Pod, type: string, reason: string, _action: string, note: string): void {
    this.events.push({ pod: pod.metadata!.name!, type, reason, note });
  }
  currentPod(namespace: string, name: string): Pod | undefined {
    const p = this.pods.get(`${namespace}/${name}`);
    return p;
  }
}

function setup(nodes = [makeNode({ name: 'n1', cpu: '2' }), makeNode({ name: 'n2', cpu: '2' }), makeNode({ name: 'n3', cpu: '2' })]) {
  const clock = new FakeClock();
  const profile = defaultProfile();
  const cache = new SchedulerCache({ now: clock.now });
  const queue = new SchedulingQueue({ now: clock.now, registeredEvents: profile.registeredEvents });
  const api = new FakeApi();
  const scheduler = new Scheduler({ cache, queue, profiles: [profile], api, logger: createLogger({ component: 'scheduler-test', level: 'silent' }), now: () => new Date(clock.ms) });
  const handlers = new EventHandlers(cache, queue, (p) => scheduler.responsibleFor(p));
  for (const n of nodes) handlers.onNodeAdd(n);
  const addPod = (pod: Pod): void => {
    api.pods.set(`${pod.metadata!.namespace}/${pod.metadata!.name}`, pod);
    handlers.onPodAdd(pod);
  };
  return { clock, cache, queue, api, scheduler, handlers, addPod };
}

t.test('a burst never overcommits a node: each pod is assumed before the next cycle', async (t) => {
  const { api, queue, scheduler, addPod } = setup();
  for (let i = 0; i < 10; i++) addPod(makePod({ name: `p${i}`, cpu: '1' }));
  for (let i = 0; i < 10; i++) await scheduler.scheduleOne();
  await scheduler.waitForBindings();
  const perNode = new Map<string, number>();
  for (const node of api.bound.values()) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  t.same([...perNode.values()].sort(), [2, 2, 2], 'six pods bound, two per 2-cpu node');
  t.equal(queue.pendingCounts().unschedulable, 4);
  const failures = api.events.filter((e) => e.reason === 'FailedScheduling');
  t.equal(failures.length, 4);
  t.equal(failures[0]!.note, '0/3 nodes are available: 3 Insufficient cpu.');
  t.equal(failures[0]!.type, 'Warning');
  const cond = api.conditions.get(failures[0]!.pod)!;
  t.match(cond, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/3 nodes are available: 3 Insufficient cpu.' });
  t.equal(api.events.filter((e) => e.reason === 'Scheduled').length, 6);
  t.match(api.events.find((e) => e.reason === 'Scheduled')!.note, /^Successfully assigned default\/p\d to n\d$/);
});

t.test('unschedulable pods are scheduled when a node appears', async (t) => {
  const { api, queue, scheduler, handlers, addPod, clock } = setup([makeNode({ name: 'small', cpu: '1' })]);
  addPod(makePod({ name: 'big', cpu: '3' }));
  await scheduler.scheduleOne();
  t.equal(queue.whereIs(makePod({ name: 'big' })), 'unschedulable');
  const small = makeNode({ name: 'small', cpu: '1' });
  const notReady = { ...small, status: { ...small.status, conditions: [{ type: 'Ready', status: 'False' }] } };
  handlers.onNodeUpdate(small, notReady);
  t.equal(queue.whereIs(makePod({ name: 'big' })), 'unschedulable', 'a condition change cannot make room');
  handlers.onNodeAdd(makeNode({ name: 'large', cpu: '4' }));
  t.equal(queue.whereIs(makePod({ name: 'big' })), 'backoff', 'moved, still within its 1 s backoff');
  clock.advance(1000);
  queue.flushBackoffQCompleted();
  await scheduler.scheduleOne();
  await scheduler.waitForBindings();
  t.equal(api.bound.get('big'), 'large');
});

t.test('the same failure again does not rewrite the condition', async (t) => {
  const { api, scheduler, addPod, clock, queue } = setup([makeNode({ name: 'small', cpu: '1' })]);
  const pod = makePod({ name: 'big', cpu: '3' });
  addPod(pod);
  await scheduler.scheduleOne();
  const first = api.conditions.get('big')!;
  const withCondition: Pod = { ...pod, status: { phase: 'Pending', conditions: [{ ...first }] } };
  api.pods.set('default/big', withCondition);
  api.conditions.clear();
  clock.advance(6 * 60_000);
  queue.flushUnschedulablePodsLeftover();
  await scheduler.scheduleOne();
  t.equal(api.conditions.size, 0, 'no status write');
  t.equal(api.events.filter((e) => e.reason === 'FailedScheduling').length, 2, 'but an event each time');
});

t.test('a failed binding forgets the assumed pod and retries after backoff', async (t) => {
  const { api, cache, queue, scheduler, addPod } = setup([makeNode({ name: 'only', cpu: '1' })]);
  api.failBindOf.add('p');
  const pod = makePod({ name: 'p', cpu: '1' });
  addPod(pod);
  await scheduler.scheduleOne();
  t.ok(cache.isAssumedPod(pod), 'assumed while the bind is in flight');
  await scheduler.waitForBindings();
  t.notOk(cache.isAssumedPod(pod));
  t.equal(cache.snapshot().get('only')!.requested.milliCPU, 0);
  t.equal(queue.whereIs(pod), 'backoff');
  const ev = api.events.find((e) => e.reason === 'FailedScheduling')!;
  t.equal(ev.note, 'binding rejected: Operation cannot be fulfilled: conflict');
  t.match(api.conditions.get('p'), { reason: 'SchedulerError' });
});

t.test('no nodes: an error status, and the pod retries from backoffQ', async (t) => {
  const { api, queue, scheduler, addPod } = setup([]);
  addPod(makePod({ name: 'p' }));
  await scheduler.scheduleOne();
  t.equal(queue.whereIs(makePod({ name: 'p' })), 'backoff');
  t.match(api.conditions.get('p'), { reason: 'SchedulerError', message: 'no nodes available to schedule pods' });
});

t.test('a pod deleted or bound elsewhere meanwhile is not requeued', async (t) => {
  const { api, queue, scheduler, addPod } = setup([makeNode({ name: 'small', cpu: '1' })]);
  addPod(makePod({ name: 'gone', cpu: '3' }));
  api.pods.delete('default/gone');
  await scheduler.scheduleOne();
  t.equal(queue.whereIs(makePod({ name: 'gone' })), undefined);
  t.equal(api.events.length, 0);
});

t.test('pods of other schedulers and pods with a node are not queued', async (t) => {
  const { queue, addPod } = setup();
  const other = makePod({ name: 'other' });
  other.spec!.schedulerName = 'my-scheduler';
  addPod(other);
  addPod(makePod({ name: 'bound', nodeName: 'n1' }));
  t.same(queue.pendingCounts(), { active: 0, backoff: 0, unschedulable: 0, gated: 0 });
});

t.test('a finished pod frees its node and wakes unschedulable pods', async (t) => {
  const { cache, queue, scheduler, handlers, addPod } = setup([makeNode({ name: 'only', cpu: '1' })]);
  const running = makePod({ name: 'running', cpu: '1', nodeName: 'only' });
  running.status = { phase: 'Running' };
  addPod(running);
  addPod(makePod({ name: 'waiting', cpu: '1' }));
  await scheduler.scheduleOne();
  t.equal(queue.whereIs(makePod({ name: 'waiting' })), 'unschedulable');
  handlers.onPodUpdate(running, { ...running, status: { phase: 'Succeeded' } });
  t.equal(cache.snapshot().get('only')!.pods.length, 0);
  t.equal(queue.whereIs(makePod({ name: 'waiting' })), 'backoff');
});
