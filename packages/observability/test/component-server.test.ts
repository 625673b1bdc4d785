import t from 'tap';
import { Registry, startComponentServer } from '../src/index.js';

t.test('health, readiness and metrics over real HTTP', async (t) => {
  const registry = new Registry();
  registry.counter('k8ts_test_total', 'A test counter.').inc();
  let synced = false;
  const server = await startComponentServer({
    host: '127.0.0.1',
    port: 0,
    registry,
    liveness: { ping: () => true },
    readiness: { 'informers-synced': () => synced, broken: async () => Promise.resolve(true) },
  });
  t.teardown(() => server.close());
  const get = async (path: string): Promise<{ status: number; body: string; type: string | null }> => {
    const r = await fetch(`http://127.0.0.1:${server.port}${path}`);
    return { status: r.status, body: await r.text(), type: r.headers.get('content-type') };
  };
  t.same(await get('/healthz').then((r) => [r.status, r.body]), [200, 'ok']);
  t.same(await get('/livez').then((r) => [r.status, r.body]), [200, 'ok']);
  const notReady = await get('/readyz');
  t.equal(notReady.status, 500);
  t.match(notReady.body, /\[-\]informers-synced failed/);
  synced = true;
  t.same(await get('/readyz').then((r) => [r.status, r.body]), [200, 'ok']);
  const metrics = await get('/metrics');
  t.equal(metrics.status, 200);
  t.match(metrics.type, /^text\/plain; version=0\.0\.4/);
  t.match(metrics.body, /^k8ts_test_total 1$/m);
  t.equal((await get('/nope')).status, 404);
  t.equal((await fetch(`http://127.0.0.1:${server.port}/healthz`, { method: 'POST' })).status, 405);
});
