// The work queue's contract as client-go defines it, on a fake clock.
import t from 'tap';
import { Registry } from '@k8ts/observability';
import {
  BucketRateLimiter,
  FakeClock,
  ItemExponentialFailureRateLimiter,
  MaxOfRateLimiter,
  WorkQueue,
  WorkQueueMetrics,
  defaultControllerRateLimiter,
} from '../src/index.js';

/** Resolves the value of `p` if it settles within a few event-loop turns, else 'pending'. */
async function peek<T>(p: Promise<T>): Promise<T | 'pending'> {
  const pending = Symbol('pending');
  const timeout = new Promise<typeof pending>((resolve) => setTimeout(() => resolve(pending), 20));
  const r = await Promise.race([p, timeout]);
  return r === pending ? 'pending' : (r as T);
}

t.test('adds of a waiting item are de-duplicated; order is FIFO', async (t) => {
  const q = new WorkQueue<string>();
  q.add('a');
  q.add('b');
  q.add('a');
  q.add('c');
  q.add('b');
  t.equal(q.len(), 3);
  t.equal(await q.get(), 'a');
  t.equal(await q.get(), 'b');
  t.equal(await q.get(), 'c');
  t.equal(q.len(), 0);
});

t.test('an item is never handed out twice at once: adds while processing mark it dirty', async (t) => {
  const q = new WorkQueue<string>();
  q.add('a');
  const first = await q.get();
  t.equal(first, 'a');
  q.add('a');
  q.add('a');
  t.equal(q.len(), 0, 'not queued while being processed');
  const second = q.get();
  t.equal(await peek(second), 'pending', 'a second worker does not get it');
  q.done('a');
  t.equal(await peek(second), 'a', 'queued again once done, exactly once');
  t.equal(q.len(), 0);
  q.done('a');
  t.equal(q.len(), 0, 'done without a new add does not requeue');
});

t.test('get waits for an add; several waiters are served in order', async (t) => {
  const q = new WorkQueue<number>();
  const g1 = q.get();
  const g2 = q.get();
  t.equal(await peek(g1), 'pending');
  q.add(1);
  q.add(2);
  t.equal(await g1, 1);
  t.equal(await g2, 2);
});

t.test('shutDown: adds are ignored, queued items still drain, then undefined', async (t) => {
  const q = new WorkQueue<string>();
  const waiting = new WorkQueue<string>();
  const parked = waiting.get();
  waiting.shutDown();
  t.equal(await parked, undefined, 'a parked getter is released');

  q.add('a');
  q.add('b');
  q.shutDown();
  q.add('c');
  t.ok(q.shuttingDown);
  t.equal(await q.get(), 'a');
  t.equal(await q.get(), 'b');
  t.equal(await q.get(), undefined);
  t.equal(await q.get(), undefined);
});

t.test('shutDownWithDrain waits for items in progress', async (t) => {
  const q = new WorkQueue<string>();
  q.add('a');
  q.add('b');
  const a = await q.get();
  const b = await q.get();
  let drained = false;
  const drain = q.shutDownWithDrain().then(() => (drained = true));
  await peek(drain);
  t.notOk(drained, 'still processing two items');
  q.done(a!);
  await peek(drain);
  t.notOk(drained, 'still processing one');
  q.add('b');
  q.done(b!);
  await drain;
  t.ok(drained);
  t.equal(q.len(), 0, 'the add during shutdown was ignored');
  await q.shutDownWithDrain();
});

t.test('addAfter: ready in time order, the earlier deadline wins, nothing early', async (t) => {
  const clock = new FakeClock();
  const q = new WorkQueue<string>({ clock });
  q.addAfter('late', 300);
  q.addAfter('early', 100);
  q.addAfter('mid', 200);
  q.addAfter('late', 50); // earlier deadline replaces the later one
  q.addAfter('early', 1000); // a later deadline does not postpone
  q.addAfter('now', 0);
  t.equal(q.len(), 1, 'a zero delay adds immediately');
  t.equal(await q.get(), 'now');
  t.equal(q.delayedLen(), 3);
  await clock.advance(49);
  t.equal(q.len(), 0, 'nothing before its time');
  await clock.advance(1);
  t.equal(q.len(), 1);
  t.equal(await q.get(), 'late');
  await clock.advance(100);
  t.equal(await q.get(), 'early');
  await clock.advance(100);
  t.equal(await q.get(), 'mid');
  t.equal(q.delayedLen(), 0);
  t.equal(clock.pendingTimers(), 0, 'no timer left behind');

  q.addAfter('x', 10);
  q.add('x');
  t.equal(await q.get(), 'x');
  await clock.advance(10);
  t.equal(q.len(), 0, 'still processing: the delayed add only marked it dirty');
  q.done('x');
  t.equal(await q.get(), 'x');
  q.addAfter('gone', 10);
  q.shutDown();
  await clock.advance(20);
  t.equal(await q.get(), undefined, 'delayed items are dropped on shutdown');
});

t.test('per-item exponential rate limiter: 5 ms doubling to the cap, per item, reset by forget', async (t) => {
  const r = new ItemExponentialFailureRateLimiter<string>(5, 1_000_000);
  t.same([1, 2, 3, 4, 5].map(() => r.when('a')), [5, 10, 20, 40, 80]);
  t.equal(r.when('b'), 5, 'items are independent');
  t.equal(r.numRequeues('a'), 5);
  r.forget('a');
  t.equal(r.numRequeues('a'), 0);
  t.equal(r.when('a'), 5);
  for (let i = 0; i < 40; i++) r.when('c');
  t.equal(r.when('c'), 1_000_000, 'capped at 1000 s');
  const huge = new ItemExponentialFailureRateLimiter<string>(1, 10);
  for (let i = 0; i < 2000; i++) huge.when('z');
  t.equal(huge.when('z'), 10, 'no overflow past 2^1024');
});

t.test('token bucket: burst immediate, then 1/qps apart, refilled over time', async (t) => {
  const clock = new FakeClock();
  const b = new BucketRateLimiter<string>(10, 100, clock);
  const delays = Array.from({ length: 100 }, (_, i) => b.when(`i${i}`));
  t.ok(delays.every((d) => d === 0), 'the first 100 are immediate');
  t.equal(Math.round(b.when('x')), 100);
  t.equal(Math.round(b.when('y')), 200);
  t.equal(b.numRequeues('x'), 0);
  await clock.advance(10_000);
  t.equal(b.when('z'), 0, 'tokens came back');
});

t.test('max-of and the default controller rate limiter', async (t) => {
  const clock = new FakeClock();
  const m = new MaxOfRateLimiter<string>(new ItemExponentialFailureRateLimiter(5, 1000), new BucketRateLimiter(1, 2, clock));
  t.same([m.when('a'), m.when('a'), m.when('a')].map(Math.round), [5, 10, 1000], 'the bucket dominates once empty');
  t.equal(m.numRequeues('a'), 3);
  m.forget('a');
  t.equal(m.numRequeues('a'), 0);

  const d = defaultControllerRateLimiter<string>(clock);
  t.same([d.when('k'), d.when('k'), d.when('k')], [5, 10, 20]);
});

t.test('addRateLimited / forget / numRequeues on the queue', async (t) => {
  const clock = new FakeClock();
  const q = new WorkQueue<string>({ clock, rateLimiter: new ItemExponentialFailureRateLimiter(5, 1000) });
  q.addRateLimited('a');
  q.addRateLimited('a');
  t.equal(q.numRequeues('a'), 2);
  await clock.advance(5);
  t.equal(await q.get(), 'a', 'the earlier of the two deadlines (5 ms) wins');
  q.done('a');
  q.forget('a');
  t.equal(q.numRequeues('a'), 0);
});

t.test('metrics: depth, adds, latencies and retries labeled by queue name', async (t) => {
  const registry = new Registry();
  const clock = new FakeClock();
  const metrics = WorkQueueMetrics.for(registry);
  t.equal(WorkQueueMetrics.for(registry), metrics, 'one set of metrics per registry');
  const q = new WorkQueue<string>({ name: 'deployments', clock, metrics });
  const other = new WorkQueue<string>({ name: 'pods', clock, metrics });
  q.add('a');
  q.add('b');
  q.add('a');
  other.add('x');
  t.equal(metrics.depth.get({ name: 'deployments' }), 2);
  t.equal(metrics.adds.get({ name: 'deployments' }), 2);
  await clock.advance(1500);
  const a = await q.get();
  t.equal(metrics.depth.get({ name: 'deployments' }), 1);
  t.same(metrics.queueDuration.snapshot({ name: 'deployments' }), { count: 1, sum: 1.5 });
  await clock.advance(250);
  t.match(registry.render(), /workqueue_longest_running_processor_seconds\{name="deployments"\} 0\.25/);
  q.done(a!);
  t.same(metrics.workDuration.snapshot({ name: 'deployments' }), { count: 1, sum: 0.25 });
  q.addRateLimited('c');
  t.equal(metrics.retries.get({ name: 'deployments' }), 1);
  const text = registry.render();
  t.match(text, /workqueue_depth\{name="pods"\} 1/);
  t.match(text, /workqueue_adds_total\{name="deployments"\} 2/);
  q.shutDown();
  other.shutDown();
});
