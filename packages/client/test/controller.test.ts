// The reconcile-loop runner: waits for caches, never reconciles one key twice at once, retries failures with
// backoff, treats 409 as a plain requeue, honours requeueAfterMs and maxRetries, and drains on stop.
import t from 'tap';
import { ApiError, Controller, DeletedFinalStateUnknown, ItemExponentialFailureRateLimiter, type Syncable } from '../src/index.js';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

const fastLimiter = (): ItemExponentialFailureRateLimiter<string> => new ItemExponentialFailureRateLimiter<string>(1, 20);

t.test('waits for sync, then reconciles each key once per change and never concurrently', async (t) => {
  const calls: string[] = [];
  const inFlight = new Set<string>();
  let overlap = false;
  const controller = new Controller({
    name: 'test',
    workers: 4,
    rateLimiter: fastLimiter(),
    reconcile: async (key) => {
      if (inFlight.has(key)) overlap = true;
      inFlight.add(key);
      calls.push(key);
      await sleep(10);
      inFlight.delete(key);
    },
  });
  let release: (v: boolean) => void = () => undefined;
  const cache: Syncable = { waitForSync: () => new Promise<boolean>((r) => (release = r)) };
  const stop = new AbortController();
  const running = controller.run(stop.signal, [cache]);
  const h = controller.handlers();
  h.onAdd?.({ metadata: { namespace: 'ns', name: 'a' } }, true);
  h.onUpdate?.({ metadata: { namespace: 'ns', name: 'a' } }, { metadata: { namespace: 'ns', name: 'a' } });
  h.onAdd?.({ metadata: { name: 'node-1' } }, true);
  h.onDelete?.(new DeletedFinalStateUnknown('ns/gone', { metadata: { namespace: 'ns', name: 'gone' } }));
  await sleep(30);
  t.same(calls, [], 'no reconcile before the caches synced');
  release(true);
  await until(() => calls.length === 3 && inFlight.size === 0, 'three reconciles');
  t.same(calls.sort(), ['node-1', 'ns/a', 'ns/gone'], 'duplicates collapsed; keys from objects and tombstones');
  calls.length = 0;
  // Hammer one key while it is being processed.
  controller.enqueue('ns/a');
  await sleep(2);
  for (let i = 0; i < 20; i++) controller.enqueue('ns/a');
  await until(() => calls.length === 2 && inFlight.size === 0, 'the key to settle');
  await sleep(30);
  t.equal(calls.length, 2, 'processed once, then once more for the adds that came in meanwhile');
  t.notOk(overlap, 'never two workers on one key');
  stop.abort();
  await running;
});

t.test('errors retry with per-item backoff until success; conflicts requeue; maxRetries gives up', async (t) => {
  const attempts = new Map<string, number>();
  const times: number[] = [];
  const controller = new Controller({
    name: 'retries',
    rateLimiter: fastLimiter(),
    maxRetries: 3,
    reconcile: async (key) => {
      const n = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, n);
      if (key === 'flaky' && n < 4) {
        times.push(Date.now());
        throw new Error('apiserver hiccup');
      }
      if (key === 'conflict' && n < 3) throw new ApiError(409, { reason: 'Conflict', message: 'the object has been modified' });
      if (key === 'hopeless') throw new Error('always fails');
    },
  });
  const stop = new AbortController();
  const running = controller.run(stop.signal);
  controller.enqueue('flaky');
  controller.enqueue('conflict');
  controller.enqueue('hopeless');
  await until(() => attempts.get('flaky') === 4 && attempts.get('conflict') === 3 && (attempts.get('hopeless') ?? 0) >= 4, 'retries');
  t.equal(controller.queue.numRequeues('flaky'), 0, 'success forgets the failures');
  t.equal(controller.queue.numRequeues('conflict'), 0);
  await sleep(100);
  t.equal(attempts.get('hopeless'), 4, 'gave up after maxRetries (1 try + 3 retries)');
  t.equal(controller.queue.numRequeues('hopeless'), 0);
  stop.abort();
  await running;
});

t.test('requeueAfterMs brings a key back; stopping waits for in-flight reconciles', async (t) => {
  let count = 0;
  let finishedSlow = false;
  let slowSawStop = false;
  const controller = new Controller({
    name: 'periodic',
    workers: 2,
    reconcile: async (key, signal) => {
      if (key === 'slow') {
        await sleep(80);
        slowSawStop = signal.aborted;
        finishedSlow = true;
        return;
      }
      count++;
      return { requeueAfterMs: 15 };
    },
  });
  const stop = new AbortController();
  const running = controller.run(stop.signal);
  controller.enqueue('tick');
  await until(() => count >= 3, 'periodic requeues');
  controller.enqueue('slow');
  await sleep(10);
  stop.abort();
  await running;
  t.ok(finishedSlow, 'run() resolved only after the in-flight reconcile returned');
  t.ok(slowSawStop, 'the reconciler was told to stop through its signal');
  const after = count;
  await sleep(50);
  t.equal(count, after, 'nothing runs after stop');
  t.ok(controller.queue.shuttingDown);
  await t.rejects(controller.run(new AbortController().signal), /already ran/, 'a controller runs once');
});
