import t from 'tap';
import { RestartBackoff, backOffMessage, backoffKey, goDuration } from '../../src/pods/backoff.js';

const S = 1000;
const pod = { metadata: { name: 'web', namespace: 'default', uid: 'u1' } };

t.test('10 s doubling to 5 min, measured from the exit', async (t) => {
  const b = new RestartBackoff();
  const key = backoffKey('u1', 'app');
  let now = 0;
  t.notOk(b.isInBackOff(key, now, now), 'the first restart is immediate');
  t.equal(b.next(key, now, now), 10 * S);
  const seen: number[] = [];
  for (let i = 0; i < 8; i++) {
    const finishedAt = now + 1 * S; // crashes a second after each restart
    now = finishedAt;
    t.ok(b.isInBackOff(key, now, finishedAt));
    const wait = b.remaining(key, now, finishedAt);
    t.equal(wait, b.get(key));
    t.ok(b.isInBackOff(key, now + wait - 1, finishedAt), 'still waiting just before');
    now += wait;
    t.notOk(b.isInBackOff(key, now, finishedAt), 'free to restart when it ran out');
    seen.push(b.next(key, now, finishedAt));
  }
  t.same(seen.map((ms) => ms / S), [20, 40, 80, 160, 300, 300, 300, 300]);
  t.equal(backOffMessage(b.get(key), 'app', pod), 'back-off 5m0s restarting failed container=app pod=web_default(u1)');
});

t.test('a container that ran longer than resetAfter starts over', async (t) => {
  const b = new RestartBackoff({ initialMs: 100, maxMs: 1000, resetAfterMs: 2000 });
  b.next('k', 0);
  b.next('k', 500);
  t.equal(b.get('k'), 200);
  t.equal(b.next('k', 2400, 2400), 400, 'ran 1.9 s: keeps doubling');
  t.notOk(b.isInBackOff('k', 4500, 4500), 'ran 2.1 s since the restart at 2400: stable');
  t.equal(b.next('k', 4500, 4500), 100, 'back to the initial back-off');
});

t.test('without finishedAt the wait counts from the last restart', async (t) => {
  const b = new RestartBackoff({ initialMs: 100, maxMs: 1000, resetAfterMs: 5000 });
  b.next('k', 1000);
  t.ok(b.isInBackOff('k', 1050));
  t.equal(b.remaining('k', 1050), 50);
  t.notOk(b.isInBackOff('k', 1100));
  t.equal(b.delay('k'), 100);
});

t.test('gc forgets idle keys', async (t) => {
  const b = new RestartBackoff({ resetAfterMs: 1000 });
  b.next('a', 0);
  b.next('b', 900);
  b.gc(1500);
  t.equal(b.size(), 1);
  t.equal(b.get('a'), 0);
  t.equal(b.get('b'), 10_000);
});

t.test('Go durations', async (t) => {
  t.same([10, 20, 40, 80, 160, 300, 3600].map((s) => goDuration(s * S)), ['10s', '20s', '40s', '1m20s', '2m40s', '5m0s', '1h0m0s']);
  t.equal(goDuration(1500), '1.5s');
  t.equal(goDuration(250), '250ms');
});
