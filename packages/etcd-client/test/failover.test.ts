import t from 'tap';
import { createServer, type Server } from 'node:http';
import { EtcdClient, EtcdConnectionError, EtcdRequestError, GrpcCode } from '../src/index.js';
import { freePorts, haveEtcd, startEtcd } from './helpers/etcd-server.js';

/** What the helpers below need from a tap test. */
interface Teardown {
  teardown(fn: () => unknown): void;
}

interface Fake {
  url: string;
  /** Requests received, by path. */
  hits: string[];
}

/** A loopback HTTP server that answers every request with `reply`, or never when `reply` is undefined. */
async function fake(t: Teardown, reply?: { status: number; body: string }): Promise<Fake> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? '');
    req.resume();
    req.on('end', () => {
      if (!reply) return; // hang: the client's timeout has to fire
      res.writeHead(reply.status, { 'content-type': 'application/json' });
      res.end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.teardown(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('no address');
  return { url: `http://127.0.0.1:${addr.port}`, hits };
}


const leaderChanged = {
  status: 503,
  body: '{"error":"etcdserver: leader changed","message":"etcdserver: leader changed","code":14}',
};

if (haveEtcd(t)) {
  const etcd = await startEtcd(t, 1);
  const live = etcd.clientUrls[0]!;
  const [deadPort] = await freePorts(1);
  const dead = `http://127.0.0.1:${deadPort}`;

  const client = (t: Teardown, endpoints: string[], timeout = 3000): EtcdClient => {
    const c = new EtcdClient({ endpoints, requestTimeoutMs: timeout });
    t.teardown(() => c.close());
    return c;
  };

  t.test('connection refused: reads and writes move to the next endpoint', async (t) => {
    const c = client(t, [dead, live]);
    const put = await c.put('fo/refused', 'v');
    t.equal(put.header.memberId !== '0', true, 'the write was retried on the live member');
    t.equal((await c.get('fo/refused'))?.value.toString(), 'v');
    t.equal((await c.status()).endpoint, live, 'now pinned to the live endpoint');

    const only = client(t, [dead]);
    const err = await only.get('x').catch((e: unknown) => e);
    t.ok(err instanceof EtcdConnectionError);
    t.match(err, { reason: 'ECONNREFUSED', requestSent: false, endpoint: dead });
  });

  t.test('timeout: a read is retried once, a write is surfaced and not repeated', async (t) => {
    const hang = await fake(t);
    const r = client(t, [hang.url, live], 400);
    const started = Date.now();
    t.equal((await r.range('fo/', { prefix: true })).header.memberId !== '0', true);
    t.ok(Date.now() - started >= 350, 'the first attempt timed out');

    const w = client(t, [hang.url, live], 400);
    const err = await w.put('fo/timeout', 'v').catch((e: unknown) => e);
    t.ok(err instanceof EtcdConnectionError);
    t.match(err, { requestSent: true, endpoint: hang.url });
    t.equal(await w.get('fo/timeout'), undefined, 'the write was not repeated elsewhere');
    t.equal(hang.hits.filter((p) => p === '/v3/kv/put').length, 1);
  });

  t.test('503 code 14: reads fail over, writes surface the error', async (t) => {
    const busy = await fake(t, leaderChanged);
    const r = client(t, [busy.url, live]);
    await r.range('fo/k');
    await r.range('fo/k');
    t.equal(busy.hits.length, 1, 'the failed endpoint is avoided afterwards');

    const w = client(t, [busy.url, live]);
    const err = await w.put('fo/503', 'v').catch((e: unknown) => e);
    t.ok(err instanceof EtcdRequestError);
    t.match(err, { httpStatus: 503, code: GrpcCode.UNAVAILABLE, message: 'etcdserver: leader changed', endpoint: busy.url });
    t.equal(await w.get('fo/503'), undefined);

    // A read-only txn is a read; a txn with a put is a write.
    const tx = client(t, [busy.url, live]);
    const ro = await tx.txn({ success: [{ range: { key: 'fo/k' } }] });
    t.equal(ro.succeeded, true);
    const tx2 = client(t, [busy.url, live]);
    await t.rejects(tx2.txn({ success: [{ put: { key: 'fo/k', value: 'v' } }] }), { code: 14 });
  });

  t.test('only one retry; other errors are not retried', async (t) => {
    const a = await fake(t, leaderChanged);
    const b = await fake(t, leaderChanged);
    const c = client(t, [a.url, b.url, live]);
    await t.rejects(c.range('fo/k'), { code: 14 });
    t.equal(a.hits.length + b.hits.length, 2);

    const bad = await fake(t, { status: 400, body: '{"error":"boom","message":"boom","code":3}' });
    const c2 = client(t, [bad.url, live]);
    await t.rejects(c2.range('fo/k'), { httpStatus: 400, code: 3, message: 'boom', endpoint: bad.url });

    const plain = await fake(t, { status: 502, body: 'bad gateway' });
    await t.rejects(client(t, [plain.url]).range('x'), { httpStatus: 502, code: GrpcCode.UNKNOWN, message: 'bad gateway' });
  });

  t.test('pinned calls do not fail over', async (t) => {
    const c = client(t, [dead, live]);
    await t.rejects(c.status(dead), { name: 'EtcdConnectionError', reason: 'ECONNREFUSED' });
    t.equal((await c.status(live)).endpoint, live);
    await t.rejects(c.request('/v3/kv/range', '{}', { endpoint: 'http://127.0.0.1:1' }), TypeError);
  });
}
