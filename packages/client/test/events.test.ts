// The event correlator's decisions (dedupe → patch, similar → combined, spam filter) on a fake clock, and the
// broadcaster's promise never to block its caller.
import t from 'tap';
import { createServer, type AddressInfo } from 'node:net';
import {
  COMBINED_PREFIX,
  EventBroadcaster,
  EventCorrelator,
  FakeClock,
  KubeClient,
  connectionFromUrl,
  referenceOf,
  type CoreEvent,
  type CorrelationResult,
} from '../src/index.js';

const clock = (): FakeClock => new FakeClock(Date.UTC(2024, 5, 1, 12, 0, 0));

function event(over: Partial<CoreEvent> = {}, objName = 'web-1', uid = 'uid-1'): CoreEvent {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${objName}.abc`, namespace: 'default' },
    involvedObject: { kind: 'Pod', apiVersion: 'v1', namespace: 'default', name: objName, uid },
    reason: 'BackOff',
    message: 'Back-off restarting failed container',
    source: { component: 'kubelet', host: 'node-1' },
    type: 'Warning',
    count: 1,
    firstTimestamp: '2024-06-01T12:00:00Z',
    lastTimestamp: '2024-06-01T12:00:00Z',
    ...over,
  };
}

function sent(r: CorrelationResult): Extract<CorrelationResult, { skip: false }> {
  if (r.skip) throw new Error('unexpectedly skipped');
  return r;
}

/** The server's answer to a write: what updateState learns from. */
const written = (e: CoreEvent, rv: string): CoreEvent => ({ ...e, metadata: { ...e.metadata, resourceVersion: rv } });

t.test('identical events become patches of the first one, counting up', async (t) => {
  const c = new EventCorrelator({ clock: clock() });
  const first = sent(c.correlate(event()));
  t.equal(first.patch, undefined, 'the first occurrence is created');
  t.equal(first.event.count, 1);
  c.updateState(written(first.event, '100'));

  const second = sent(c.correlate(event({ lastTimestamp: '2024-06-01T12:00:05Z' })));
  t.same(second.patch, { count: 2, lastTimestamp: '2024-06-01T12:00:05Z', message: 'Back-off restarting failed container' });
  t.equal(second.event.metadata?.name, 'web-1.abc', 'patches the first event by name');
  t.equal(second.event.firstTimestamp, '2024-06-01T12:00:00Z', 'firstTimestamp is kept');
  c.updateState(written(second.event, '101'));
  const third = sent(c.correlate(event()));
  t.equal(third.patch?.count, 3);
  t.equal(third.event.metadata?.resourceVersion, '101');

  const otherObject = sent(c.correlate(event({}, 'web-1', 'uid-2')));
  t.equal(otherObject.patch, undefined, 'a different uid (a new pod of the same name) is a different event');
  const otherReason = sent(c.correlate(event({ reason: 'Failed' })));
  t.equal(otherReason.patch, undefined);
  const otherSource = sent(c.correlate(event({ source: { component: 'kubelet', host: 'node-2' } })));
  t.equal(otherSource.patch, undefined);
});

t.test('similar events (differing only in message) combine from the 10th distinct message within 10 minutes', async (t) => {
  const fake = clock();
  const c = new EventCorrelator({ clock: fake, spamBurst: 1000 });
  const results = Array.from({ length: 12 }, (_, i) => sent(c.correlate(event({ reason: 'FailedScheduling', message: `0/${i} nodes are available` }))));
  for (let i = 0; i < 9; i++) {
    t.equal(results[i]!.event.message, `0/${i} nodes are available`, `message ${i} is sent as is`);
    t.equal(results[i]!.patch, undefined);
  }
  const combined = results[9]!;
  t.equal(combined.event.message, `${COMBINED_PREFIX}0/9 nodes are available`);
  t.equal(combined.patch, undefined, 'the combined event is created once');
  t.equal(combined.event.count, 1);
  t.match(combined.event.metadata?.name, /^web-1\.[0-9a-f]+$/, 'named <object>.<hex timestamp>');
  t.equal(results[10]!.event.metadata?.name, combined.event.metadata?.name, 'further similar events patch the combined one');
  t.same(results[10]!.patch, { count: 2, lastTimestamp: combined.event.lastTimestamp, message: `${COMBINED_PREFIX}0/10 nodes are available` });
  t.equal(results[11]!.patch?.count, 3);

  await fake.advance(600_001);
  const fresh = sent(c.correlate(event({ reason: 'FailedScheduling', message: 'a new message' })));
  t.equal(fresh.event.message, 'a new message', 'after 10 quiet minutes the similar-event count starts over');
  t.equal(fresh.patch, undefined);
  const other = sent(c.correlate(event({ reason: 'Pulled', message: 'x' })));
  t.equal(other.event.message, 'x', 'a different reason is its own group');
});

t.test('spam filter: 25 per source and object, then one per 5 minutes', async (t) => {
  const fake = clock();
  const c = new EventCorrelator({ clock: fake });
  const outcomes = Array.from({ length: 30 }, (_, i) => c.correlate(event({ message: `m${i % 3}` })).skip);
  t.equal(outcomes.filter((s) => !s).length, 25, 'the burst');
  t.ok(outcomes.slice(25).every(Boolean), 'then dropped');
  t.notOk(c.correlate(event({}, 'web-2')).skip, 'another object has its own bucket');
  t.notOk(c.correlate(event({ source: { component: 'scheduler' } })).skip, 'another source has its own bucket');
  await fake.advance(299_000);
  t.ok(c.correlate(event()).skip, 'not yet refilled');
  await fake.advance(1_000);
  t.notOk(c.correlate(event()).skip, 'one token after 5 minutes');
  t.ok(c.correlate(event()).skip);
});

t.test('event names are unique and increasing even within one millisecond', async (t) => {
  const fake = clock();
  const c = new EventCorrelator({ clock: fake });
  const names = Array.from({ length: 5 }, () => c.eventName('pod-a'));
  t.equal(new Set(names).size, 5);
  const nanos = names.map((n) => BigInt(`0x${n.split('.')[1]}`));
  t.equal(nanos[0], BigInt(fake.now()) * 1_000_000n, 'hex of the Unix time in nanoseconds');
  t.ok(nanos.every((v, i) => i === 0 || v > nanos[i - 1]!));
});

t.test('referenceOf', async (t) => {
  t.same(referenceOf({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'ns', uid: 'u', resourceVersion: '7' } }), {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    name: 'd',
    namespace: 'ns',
    uid: 'u',
    resourceVersion: '7',
  });
  t.throws(() => referenceOf({ metadata: { name: 'x' } }), /no kind\/apiVersion/);
  t.same(referenceOf({ kind: 'Node', name: 'n1' }), { kind: 'Node', name: 'n1' });
});

t.test('recording never blocks or throws, even with the apiserver unreachable; the queue is bounded', async (t) => {
  // A port that refuses connections.
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  await new Promise((r) => srv.close(r));
  const client = new KubeClient(connectionFromUrl(`http://127.0.0.1:${port}`), { timeoutMs: 1000 });
  const broadcaster = new EventBroadcaster({ client, queueSize: 3, retryDelayMs: 50, maxAttempts: 1000 });
  const recorder = broadcaster.newRecorder({ component: 'test-controller' });
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default', uid: 'u' } };
  const started = performance.now();
  for (let i = 0; i < 6; i++) recorder.event(pod, 'Normal', 'Tick', `tick ${i}`);
  recorder.event({ metadata: { name: 'no-kind' } }, 'Normal', 'Bad', 'dropped with a log line, not thrown');
  t.ok(performance.now() - started < 50, 'returns at once');
  t.equal(broadcaster.dropped, 2, 'one in flight, three queued, two dropped');
  const before = performance.now();
  await broadcaster.shutdown(200);
  t.ok(performance.now() - before < 2000, 'shutdown is bounded');
  t.equal(broadcaster.dropped, 5, 'what could not be written is dropped at shutdown');
  recorder.event(pod, 'Normal', 'Late', 'after shutdown');
  t.equal(broadcaster.dropped, 6);
  await client.close();
});
