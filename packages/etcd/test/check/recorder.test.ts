import t from 'tap';
import {
  HistoryRecorder,
  checkLinearizable,
  classifyError,
  historyFromJSON,
  historyToJSON,
  type GetResult,
} from '../../src/check/index.js';

/** A clock that advances 10 ns per reading. */
function fakeClock(): () => bigint {
  let now = 0n;
  return () => (now += 10n);
}

t.test('records calls, responses and outcomes with the injected clock', async (t) => {
  const rec = new HistoryRecorder({ clock: fakeClock() });
  const put = rec.begin('c1', 'k', { type: 'put', value: 'a' });
  const get = rec.begin('c2', 'k', { type: 'get' });
  const del = rec.begin('c3', 'k', { type: 'delete' });
  const cas = rec.begin('c4', 'k', { type: 'cas', expect: { modRevision: 0 }, value: 'z' });
  const pending = rec.begin('c5', 'k', { type: 'put', value: 'p' });
  t.equal(rec.pending, 5);
  put.ok({ revision: 2 });
  // A client KeyValue carries more than the checker needs; only value / modRevision / version are kept.
  const kv = { key: Buffer.from('k'), value: Buffer.from('a'), modRevision: 2, version: 1, createRevision: 2, lease: '0' };
  get.ok({ kv, revision: 2 });
  del.fail();
  cas.unknown();
  t.equal(rec.pending, 1);

  const h = rec.history();
  t.same(
    h.map((e) => [e.id, e.clientId, e.outcome, e.call, e.ret]),
    [
      [0, 'c1', 'ok', 10n, 60n],
      [1, 'c2', 'ok', 20n, 70n],
      [2, 'c3', 'fail', 30n, 80n],
      [3, 'c4', 'unknown', 40n, null],
      [4, 'c5', 'unknown', 50n, null],
    ],
  );
  t.same(h[0]!.result, { revision: 2 });
  const seen = (h[1]!.result as GetResult).kv!;
  t.same(Object.keys(seen).sort(), ['modRevision', 'value', 'version']);
  t.equal(h[2]!.result, undefined, 'no result for a failed op');
  t.equal(checkLinearizable(h).ok, true);

  pending.ok({ revision: 3 });
  t.equal(rec.history()[4]!.outcome, 'ok', 'a later snapshot sees the resolution');
  t.equal(h[4]!.outcome, 'unknown', 'an earlier snapshot is not affected');
});

t.test('an op resolves once; ops are copied at begin', async (t) => {
  const rec = new HistoryRecorder({ clock: fakeClock() });
  const op = { type: 'put' as const, value: 'a' };
  const h = rec.begin(1, 'k', op);
  op.value = 'changed';
  h.ok({});
  t.throws(() => h.ok({}), /already resolved as ok/);
  t.throws(() => h.unknown(), /already resolved/);
  const recorded = rec.history()[0]!.op;
  t.equal(recorded.type === 'put' ? recorded.value : undefined, 'a');
});

t.test('the default clock is process.hrtime', async (t) => {
  const rec = new HistoryRecorder();
  const h = rec.begin(1, 'k', { type: 'get' });
  await new Promise((r) => setTimeout(r, 2));
  h.ok({ kv: null });
  const [e] = rec.history();
  t.type(e!.call, 'bigint');
  t.ok(e!.ret! - e!.call >= 1_000_000n, 'ns resolution, monotonic');
});

t.test('run() records the result, or classifies the error and rethrows it', async (t) => {
  const rec = new HistoryRecorder({ clock: fakeClock() });
  const res = await rec.run(1, 'k', { type: 'put', value: 'a' }, async () => ({ revision: 7 }));
  t.same(res, { revision: 7 });
  const refused = Object.assign(new Error('connect ECONNREFUSED'), { requestSent: false });
  await t.rejects(rec.run(1, 'k', { type: 'put', value: 'b' }, () => Promise.reject(refused)), /ECONNREFUSED/);
  await t.rejects(
    rec.run(1, 'k', { type: 'put', value: 'c' }, () => Promise.reject(new Error('request timed out'))),
    /timed out/,
  );
  await t.rejects(
    rec.run(1, 'k', { type: 'get' }, () => Promise.reject(new Error('x')), () => 'fail'),
    /x/,
  );
  t.same(
    rec.history().map((e) => e.outcome),
    ['ok', 'fail', 'unknown', 'fail'],
  );
  t.equal(classifyError({ requestSent: true }), 'unknown');
  t.equal(classifyError('boom'), 'unknown');
});

/** A tiny async key-value store: each op takes effect at one instant between its call and its answer. */
class FakeStore {
  value: string | null = null;
  rev = 1;
  /** When set, reads are served from the value before the latest write (a lagging replica). */
  lagging = false;
  private previous: string | null = null;
  async put(value: string): Promise<number> {
    await tick();
    this.previous = this.value;
    this.value = value;
    const rev = ++this.rev;
    await tick();
    return rev;
  }
  async get(): Promise<GetResult> {
    await tick();
    const v = this.lagging ? this.previous : this.value;
    const r = this.rev;
    await tick();
    return { kv: v === null ? null : { value: v }, revision: r };
  }
}
const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

async function runClients(store: FakeStore, rec: HistoryRecorder, clients: number, opsEach: number): Promise<void> {
  await Promise.all(
    Array.from({ length: clients }, async (_, c) => {
      for (let i = 0; i < opsEach; i++) {
        if ((c + i) % 3 === 0) {
          const value = `c${c}-${i}`;
          await rec.run(c, 'k', { type: 'put', value }, async () => ({ revision: await store.put(value) }));
        } else {
          await rec.run(c, 'k', { type: 'get' }, () => store.get());
        }
      }
    }),
  );
}

t.test('end to end: concurrent clients against a correct store, then a lagging replica', async (t) => {
  const rec = new HistoryRecorder();
  await runClients(new FakeStore(), rec, 8, 30);
  t.same(checkLinearizable(rec.history()), { ok: true }, 'correct store');

  const lagging = new FakeStore();
  const bad = new HistoryRecorder();
  await runClients(lagging, bad, 4, 10);
  lagging.lagging = true;
  await bad.run('late', 'k', { type: 'put', value: 'last' }, async () => ({ revision: await lagging.put('last') }));
  await bad.run('late', 'k', { type: 'get' }, () => lagging.get());
  const r = checkLinearizable(bad.history());
  t.equal(r.ok, false, 'a read served by a lagging replica is caught');
  if (r.ok === false) t.match(r.explanation, /client late/);
});

t.test('histories survive a JSON round trip', async (t) => {
  const rec = new HistoryRecorder({ clock: fakeClock() });
  rec.begin(1, Buffer.from([0xff, 0x00]), { type: 'put', value: Buffer.from([1, 2, 3]) }).ok({ revision: 2 });
  rec.begin(2, Buffer.from([0xff, 0x00]), { type: 'get' }).ok({ kv: { value: Buffer.from([1, 2, 3]), modRevision: 2 } });
  rec.begin(3, 'other', { type: 'cas', expect: { value: 'x' }, value: 'y' }).unknown();
  const h = rec.history();
  const back = historyFromJSON(historyToJSON(h));
  t.same(back, h);
  t.type(back[0]!.call, 'bigint');
  t.ok(Buffer.isBuffer(back[1]!.key));
  t.same(checkLinearizable(back), { ok: true });
});
