// Bad input over raw HTTP: every client mistake is a Kubernetes Status with the right code, never a 500, and
// leaves nothing written.
import t from 'tap';
import { startControlPlane } from '@k8ts/testing';

interface Reply {
  status: number;
  body: { kind?: string; reason?: string; code?: number; message?: string };
}

t.test('malformed requests get Status errors and write nothing', async (t) => {
  // A tiny watch history, so that a watch from an old resourceVersion is 410 Gone as on a busy cluster.
  const cp = await startControlPlane('k8ts', { apiserverArgs: ['--default-watch-cache-size', '5'] });
  t.teardown(() => cp.stop());
  const call = async (method: string, path: string, body?: string | Buffer, contentType = 'application/json'): Promise<Reply> => {
    const r = await fetch(cp.httpUrl + path, { method, body, headers: body === undefined ? {} : { 'content-type': contentType } });
    t.match(r.headers.get('content-type'), /^application\/json\b/, `${method} ${path} answers JSON`);
    return { status: r.status, body: (await r.json()) as Reply['body'] };
  };
  const cms = '/api/v1/namespaces/default/configmaps';
  const expectStatus = (r: Reply, code: number, reason: string): void => {
    t.equal(r.status, code);
    t.equal(r.body.kind, 'Status');
    t.equal(r.body.code, code);
    t.equal(r.body.reason, reason);
  };

  expectStatus(await call('POST', cms, '{"metadata":{"name":"x"'), 400, 'BadRequest');
  expectStatus(await call('POST', cms, 'metadata: [unclosed', 'application/yaml'), 400, 'BadRequest');
  expectStatus(await call('POST', cms, '{"metadata":{"name":"x"},"data":"notamap"}'), 400, 'BadRequest');
  expectStatus(await call('POST', cms, '{}', 'text/csv'), 415, 'UnsupportedMediaType');
  expectStatus(await call('POST', cms, Buffer.alloc(4 * 1024 * 1024, 0x20)), 413, 'RequestEntityTooLarge');
  expectStatus(await call('POST', cms, '{"metadata":{"name":"UPPER"}}'), 422, 'Invalid');
  expectStatus(await call('GET', `${cms}?labelSelector=a%20in%20(`), 400, 'BadRequest');
  expectStatus(await call('GET', `${cms}?fieldSelector=spec.nope%3Dx`), 400, 'BadRequest');
  expectStatus(await call('GET', `${cms}?limit=-1`), 400, 'BadRequest');
  // Booleans as Go's ParseBool reads them: 1/t/T/TRUE/true/True are fine, anything else is a 400.
  expectStatus(await call('GET', `${cms}?watch=maybe`), 400, 'BadRequest');
  const watch = await fetch(`${cp.httpUrl}${cms}?watch=1&timeoutSeconds=1`);
  t.equal(watch.status, 200, '?watch=1 is a watch');
  t.equal(await watch.text(), '', 'an empty namespace: no events until the timeout ends the stream');
  const first = await call('POST', cms, '{"metadata":{"name":"h0"}}');
  for (let i = 1; i < 8; i++) await call('POST', cms, `{"metadata":{"name":"h${i}"}}`);
  const oldRv = String((first.body as { metadata?: { resourceVersion?: string } }).metadata?.resourceVersion);
  const expired = await (await fetch(`${cp.httpUrl}${cms}?watch=1&resourceVersion=${oldRv}`)).text();
  t.match(JSON.parse(expired.trim()), { type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: /^too old resource version: / } }, 'beyond the watch history: 410 Gone as an ERROR event');
  await fetch(`${cp.httpUrl}${cms}`, { method: 'DELETE' }).then((r) => r.text());
  const bookmarked = await fetch(`${cp.httpUrl}${cms}?watch=true&allowWatchBookmarks=true&timeoutSeconds=3`);
  const lines = (await bookmarked.text()).trim().split('\n');
  t.equal(lines.length, 1, 'one line: the bookmark sent 2 s before the deadline');
  t.match(JSON.parse(lines[0] ?? '{}'), { type: 'BOOKMARK', object: { kind: 'ConfigMap', apiVersion: 'v1', metadata: { resourceVersion: /^\d+$/ } } });
  expectStatus(await call('GET', '/api/v1/namespaces/default/widgets'), 404, 'NotFound');
  expectStatus(await call('DELETE', '/api/v1/namespaces/default/services'), 405, 'MethodNotAllowed');
  expectStatus(await call('PATCH', `${cms}/missing`, '{}', 'application/merge-patch+json'), 404, 'NotFound');

  const created = await call('POST', cms, '{"metadata":{"name":"keep"},"data":{"a":"1"}}');
  t.equal(created.status, 201);
  expectStatus(await call('PATCH', `${cms}/keep`, '{"data":{"a":"2"}}', 'application/vnd.unknown+json'), 415, 'UnsupportedMediaType');
  expectStatus(await call('PATCH', `${cms}/keep`, '[{"op":"replace","path":"/nope/deeper","value":1}]', 'application/json-patch+json'), 422, 'Invalid');
  expectStatus(await call('PUT', `${cms}/keep`, '{"metadata":{"name":"keep","resourceVersion":"1"},"data":{"a":"3"}}'), 409, 'Conflict');
  const after = await fetch(`${cp.httpUrl}${cms}/keep`).then((r) => r.json() as Promise<{ data: Record<string, string> }>);
  t.same(after.data, { a: '1' }, 'rejected writes left the object as it was');
  const list = await fetch(`${cp.httpUrl}${cms}`).then((r) => r.json() as Promise<{ items: { metadata: { name: string } }[] }>);
  t.same(
    list.items.map((i) => i.metadata.name),
    ['keep'],
    'no half-written objects',
  );
});
