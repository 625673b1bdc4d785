// The REST layer against a local HTTP server we control: request shapes (paths, queries, headers, bodies, patch
// content types), error mapping, timeouts, cancellation, 429 retries and watch streams that fail in every way.
import t from 'tap';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  ApiError,
  KubeClient,
  NetworkError,
  bindPod,
  connectionFromUrl,
  evictPod,
  isAbortError,
  isAlreadyExists,
  isConflict,
  isExpired,
  isInvalid,
  isNotFound,
  isRetryable,
  isStatus,
  refs,
  type KubeObject,
} from '../src/index.js';

interface Recorded {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (req: Recorded, res: ServerResponse) => void;

let handler: Handler = (_req, res) => res.end('{}');
const requests: Recorded[] = [];
const sockets = new Set<import('node:net').Socket>();
const server: Server = createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => (body += c.toString()));
  req.on('end', () => {
    const rec = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
    requests.push(rec);
    handler(rec, res);
  });
});
server.on('connection', (s) => {
  sockets.add(s);
  s.on('close', () => sockets.delete(s));
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
const client = new KubeClient(connectionFromUrl(`${base}/prefix/`, { token: 'tok' }), { timeoutMs: 2000 });
t.teardown(async () => {
  await client.close();
  for (const s of sockets) s.destroy();
  await new Promise((r) => server.close(r));
});

const json = (res: ServerResponse, code: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(code, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const status = (code: number, reason: string, message: string, details?: unknown): unknown => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  code,
  reason,
  message,
  details,
});
const last = (): Recorded => requests[requests.length - 1]!;

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}
const cms = client.resource<ConfigMap>(refs.configMaps);

t.test('request shapes: paths below the server prefix, queries, headers, JSON bodies', async (t) => {
  handler = (req, res) => json(res, req.method === 'POST' ? 201 : 200, { kind: 'ConfigMap', metadata: { name: 'a' } });
  const got = await cms.namespace('ns').get('a');
  t.equal(got.metadata?.name, 'a');
  t.equal(last().url, '/prefix/api/v1/namespaces/ns/configmaps/a');
  t.equal(last().headers['authorization'], 'Bearer tok');
  t.equal(last().headers['accept'], 'application/json');

  handler = (_req, res) => json(res, 200, { kind: 'ConfigMapList', apiVersion: 'v1', metadata: { resourceVersion: '9' }, items: [] });
  await cms.list({ labelSelector: { app: 'web', tier: 'db' }, fieldSelector: 'metadata.name=a', limit: 5, continue: 'tok', resourceVersion: '0', resourceVersionMatch: 'NotOlderThan' });
  t.equal(
    last().url,
    '/prefix/api/v1/configmaps?labelSelector=app%3Dweb%2Ctier%3Ddb&fieldSelector=metadata.name%3Da&limit=5&continue=tok&resourceVersion=0&resourceVersionMatch=NotOlderThan',
  );

  handler = (req, res) => json(res, 201, req.body ? (JSON.parse(req.body) as unknown) : {});
  await cms.create({ metadata: { name: 'b', namespace: 'other' }, data: { k: 'v' } }, { dryRun: true, fieldManager: 'me' });
  t.equal(last().method, 'POST');
  t.equal(last().url, '/prefix/api/v1/namespaces/other/configmaps?dryRun=All&fieldManager=me', 'the object namespace when none is bound');
  t.equal(last().headers['content-type'], 'application/json');
  t.same(JSON.parse(last().body), { metadata: { name: 'b', namespace: 'other' }, data: { k: 'v' } });

  await cms.namespace('ns').update({ metadata: { name: 'b', resourceVersion: '3' } });
  t.equal(last().method, 'PUT');
  t.equal(last().url, '/prefix/api/v1/namespaces/ns/configmaps/b');
  await client.resource<KubeObject>(refs.deployments).namespace('ns').updateStatus({ metadata: { name: 'd' } });
  t.equal(last().url, '/prefix/apis/apps/v1/namespaces/ns/deployments/d/status');
  t.throws(() => cms.get('x'), /is namespaced/);
  await client.resource<KubeObject>(refs.nodes).get('n1');
  t.equal(last().url, '/prefix/api/v1/nodes/n1');
});

t.test('patch content types, apply, deletes and subresources', async (t) => {
  handler = (_req, res) => json(res, 200, { metadata: { name: 'a' } });
  const ns = cms.namespace('ns');
  const types = { json: 'application/json-patch+json', merge: 'application/merge-patch+json', strategic: 'application/strategic-merge-patch+json' } as const;
  for (const [type, contentType] of Object.entries(types)) {
    await ns.patch('a', type as keyof typeof types, type === 'json' ? [{ op: 'add', path: '/data/x', value: '1' }] : { data: { x: '1' } });
    t.equal(last().headers['content-type'], contentType, type);
    t.equal(last().method, 'PATCH');
  }
  await ns.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { x: '1' } }, { fieldManager: 'ctl', force: true });
  t.equal(last().headers['content-type'], 'application/apply-patch+yaml');
  t.equal(last().url, '/prefix/api/v1/namespaces/ns/configmaps/a?fieldManager=ctl&force=true');
  t.throws(() => ns.patch('a', 'apply', {}), /fieldManager/);
  await ns.patchStatus('a', 'merge', { status: {} });
  t.equal(last().url, '/prefix/api/v1/namespaces/ns/configmaps/a/status');

  await ns.delete('a', { gracePeriodSeconds: 0, propagationPolicy: 'Foreground', preconditions: { uid: 'u1', resourceVersion: '5' } });
  t.equal(last().method, 'DELETE');
  t.same(JSON.parse(last().body), {
    kind: 'DeleteOptions',
    apiVersion: 'v1',
    gracePeriodSeconds: 0,
    propagationPolicy: 'Foreground',
    preconditions: { uid: 'u1', resourceVersion: '5' },
  });
  await ns.deleteCollection({ labelSelector: 'app=web', propagationPolicy: 'Background' });
  t.equal(last().url, '/prefix/api/v1/namespaces/ns/configmaps?labelSelector=app%3Dweb');
  t.equal(JSON.parse(last().body).propagationPolicy, 'Background');

  const pods = client.resource<KubeObject>(refs.pods).namespace('ns');
  handler = (_req, res) => json(res, 201, { kind: 'Status', status: 'Success', code: 201 });
  await bindPod(pods, 'p1', 'node-1');
  t.equal(last().url, '/prefix/api/v1/namespaces/ns/pods/p1/binding');
  t.same(JSON.parse(last().body), { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'p1' }, target: { apiVersion: 'v1', kind: 'Node', name: 'node-1' } });
  await evictPod(pods, 'p1', { deleteOptions: { gracePeriodSeconds: 5 } });
  t.equal(last().url, '/prefix/api/v1/namespaces/ns/pods/p1/eviction');
  t.same(JSON.parse(last().body), { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p1' }, deleteOptions: { gracePeriodSeconds: 5 } });

  handler = (_req, res) => json(res, 200, { kind: 'Scale', apiVersion: 'autoscaling/v1', metadata: { name: 'd' }, spec: { replicas: 3 }, status: { replicas: 2 } });
  const deployments = client.resource<KubeObject>(refs.deployments).namespace('ns');
  t.equal((await deployments.getScale('d')).spec?.replicas, 3);
  await deployments.updateScale('d', { spec: { replicas: 5 } });
  t.equal(last().method, 'PUT');
  t.equal(last().url, '/prefix/apis/apps/v1/namespaces/ns/deployments/d/scale');
  t.same(JSON.parse(last().body), { apiVersion: 'autoscaling/v1', kind: 'Scale', spec: { replicas: 5 }, metadata: { name: 'd', namespace: 'ns' } });
});

t.test('errors: Status bodies become ApiErrors with reason helpers; other bodies get a reason from the code', async (t) => {
  const cases: Array<[number, string, (e: unknown) => boolean]> = [
    [404, 'NotFound', isNotFound],
    [409, 'AlreadyExists', isAlreadyExists],
    [409, 'Conflict', isConflict],
    [422, 'Invalid', isInvalid],
  ];
  for (const [code, reason, is] of cases) {
    handler = (_req, res) => json(res, code, status(code, reason, `${reason} happened`, { name: 'a', kind: 'configmaps', causes: [{ field: 'data' }] }));
    const err = await cms.namespace('ns').get('a').catch((e: unknown) => e);
    t.ok(err instanceof ApiError, `${code} ${reason} is an ApiError`);
    t.ok(is(err), `${reason} helper`);
    const e = err as ApiError;
    t.equal(e.code, code);
    t.equal(e.reason, reason);
    t.equal(e.status.details?.causes?.[0]?.field, 'data');
    t.match(e.message, new RegExp(`${reason} happened \\(GET /api/v1/namespaces/ns/configmaps/a\\)`));
    t.notOk(isRetryable(err));
  }
  handler = (_req, res) => {
    res.writeHead(503, { 'content-type': 'text/html' });
    res.end('<html>upstream down</html>');
  };
  const html = (await cms.list().catch((e: unknown) => e)) as ApiError;
  t.equal(html.reason, 'ServiceUnavailable');
  t.equal(html.message, '<html>upstream down</html> (GET /api/v1/configmaps)');
  t.ok(isRetryable(html));
  handler = (_req, res) => json(res, 200, status(200, '', 'ok'));
  t.ok(isStatus(await cms.namespace('ns').delete('a')), 'a delete may answer with a Status');
});

t.test('429 Too Many Requests is retried after Retry-After', async (t) => {
  let calls = 0;
  handler = (_req, res) => {
    calls++;
    if (calls < 3) json(res, 429, status(429, 'TooManyRequests', 'slow down'), { 'retry-after': '0' });
    else json(res, 201, { metadata: { name: 'ok' } });
  };
  const got = await cms.namespace('ns').create({ metadata: { name: 'ok' } });
  t.equal(got.metadata?.name, 'ok');
  t.equal(calls, 3);
  calls = -10;
  const err = await cms.namespace('ns').get('x').catch((e: unknown) => e);
  t.ok(err instanceof ApiError && err.code === 429, 'gives up after maxRetriesOn429');
});

t.test('timeouts, cancellation and refused connections are told apart', async (t) => {
  handler = () => undefined; // never answers
  const started = Date.now();
  const timeout = await cms.list({ timeoutMs: 200 }).catch((e: unknown) => e);
  t.ok(timeout instanceof NetworkError, 'a timeout is a NetworkError');
  t.equal((timeout as NetworkError).code, 'Timeout');
  t.ok(isRetryable(timeout));
  t.ok(Date.now() - started < 1500);

  const abort = new AbortController();
  setTimeout(() => abort.abort(), 50);
  const aborted = await cms.list({ signal: abort.signal }).catch((e: unknown) => e);
  t.ok(isAbortError(aborted), 'caller cancellation is an AbortError');
  t.notOk(aborted instanceof NetworkError);
  const pre = await cms.list({ signal: AbortSignal.abort() }).catch((e: unknown) => e);
  t.ok(isAbortError(pre), 'an already aborted signal');

  const dead = new KubeClient(connectionFromUrl('http://127.0.0.1:1'));
  const refused = await dead.resource(refs.nodes).list().catch((e: unknown) => e);
  t.ok(refused instanceof NetworkError);
  t.equal((refused as NetworkError).code, 'ECONNREFUSED');
  await dead.close();
});

t.test('watch: query, streamed events, ERROR 410, broken connections, non-200 answers', async (t) => {
  handler = (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'a', resourceVersion: '11' } } })}\n`);
    setTimeout(() => {
      res.write(`${JSON.stringify({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '12' } } })}\n`);
      if (req.url.includes('resourceVersion=1&')) {
        res.end(`${JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', 'too old resource version: 1 (11)') })}\n`);
      } else if (req.url.includes('resourceVersion=2&')) {
        res.socket?.destroy(); // the apiserver died mid-stream
      } else res.end();
    }, 20);
  };
  const w = await cms.namespace('ns').watch({ resourceVersion: '10', allowWatchBookmarks: true, timeoutSeconds: 30, labelSelector: 'a=b' });
  t.equal(last().url, '/prefix/api/v1/namespaces/ns/configmaps?watch=true&labelSelector=a%3Db&resourceVersion=10&allowWatchBookmarks=true&timeoutSeconds=30');
  const seen: string[] = [];
  for await (const ev of w) seen.push(`${ev.type}:${ev.object.metadata?.resourceVersion}`);
  t.same(seen, ['ADDED:11', 'BOOKMARK:12'], 'ends cleanly when the server ends the response');

  const expired = await cms.watch({ resourceVersion: '1', timeoutSeconds: 5 });
  const err410 = await (async () => {
    try {
      for await (const _ev of expired) continue;
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  t.ok(isExpired(err410), 'ERROR 410 → expired');

  const broken = await cms.watch({ resourceVersion: '2', timeoutSeconds: 5 });
  const errNet = await (async () => {
    try {
      for await (const _ev of broken) continue;
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  t.ok(errNet instanceof NetworkError, `a dropped connection is a NetworkError (${String(errNet)})`);

  handler = (_req, res) => json(res, 403, status(403, 'Forbidden', 'no watching'));
  const denied = await cms.watch().catch((e: unknown) => e);
  t.ok(denied instanceof ApiError && denied.code === 403, 'non-200 rejects before any event');

  handler = (_req, res) => {
    res.writeHead(200);
    res.write(`${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'x' } } })}\n`);
  };
  const open = await cms.watch();
  let count = 0;
  for await (const _ev of open) {
    count++;
    open.close();
  }
  t.equal(count, 1, 'close() ends a watch the server keeps open');

  // Headers and one event, then silence: a half-open connection looks like this.
  const quiet = await cms.watch({ idleTimeoutMs: 200 });
  const idleErr = await (async () => {
    try {
      for await (const _ev of quiet) continue;
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  t.ok(idleErr instanceof NetworkError, 'a silent stream fails after idleTimeoutMs');
  t.equal((idleErr as NetworkError).code, 'UND_ERR_BODY_TIMEOUT');
});
