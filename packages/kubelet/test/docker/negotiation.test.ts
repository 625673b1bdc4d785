// Version negotiation and error mapping against engines of other API versions: small HTTP servers on real unix
// sockets that answer like Docker does (the real 1.41 engine is covered in docker-client.test.ts).
import t from 'tap';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerClient, DockerError, compareApiVersions, labelFilters, socketPathOf, splitImageRef } from '../../src/docker/index.js';

const dir = mkdtempSync(join(tmpdir(), 'k8ts-docker-neg-'));
t.teardown(() => rmSync(dir, { recursive: true, force: true }));

async function fakeEngine(name: string, apiVersion: string, paths: string[]): Promise<{ socketPath: string; server: Server }> {
  const socketPath = join(dir, `${name}.sock`);
  const server = createServer((req, res) => {
    paths.push(`${req.method} ${req.url}`);
    if (req.url === '/version') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ Version: 'fake', ApiVersion: apiVersion, MinAPIVersion: '1.12', Os: 'linux', Arch: 'amd64', KernelVersion: 'x' }));
    } else if (req.url?.endsWith('/_ping')) {
      res.end('OK');
    } else {
      res.statusCode = 409;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ message: 'Conflict. The container name "/x" is already in use' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { socketPath, server };
}

t.test('a newer engine is spoken to at 1.41, with the prefix on every call', async (t) => {
  const paths: string[] = [];
  const { socketPath } = await fakeEngine('new', '1.45', paths);
  const docker = await DockerClient.connect(`unix://${socketPath}`);
  t.teardown(() => docker.close());
  t.equal(docker.apiVersion, '1.41');
  await docker.ping();
  t.ok(paths.includes('GET /v1.41/_ping'), `paths: ${paths.join(', ')}`);
  const error = await docker.containerCreate('x', { Image: 'busybox:1.36' }).catch((e: unknown) => e);
  t.ok(error instanceof DockerError, 'a DockerError');
  if (error instanceof DockerError) {
    t.equal(error.statusCode, 409);
    t.ok(error.conflict);
    t.notOk(error.notFound);
    t.match(error.message, /already in use/);
  }
});

t.test('a bare socket path works; an engine at 1.40 is spoken to at 1.40', async (t) => {
  const paths: string[] = [];
  const { socketPath } = await fakeEngine('old', '1.40', paths);
  const docker = await DockerClient.connect(socketPath);
  t.teardown(() => docker.close());
  t.equal(docker.apiVersion, '1.40');
  await docker.ping();
  t.ok(paths.includes('GET /v1.40/_ping'));
});

t.test('an engine below 1.40 is refused with a clear error', async (t) => {
  const { socketPath } = await fakeEngine('older', '1.39', []);
  await t.rejects(DockerClient.connect(socketPath), /speaks API 1\.39.*needs API 1\.40/);
});

t.test('no engine at all: connect fails', async (t) => {
  await t.rejects(DockerClient.connect(join(dir, 'nothing.sock'), { requestTimeoutMs: 2000 }));
  t.throws(() => socketPathOf('tcp://127.0.0.1:2375'), /only unix sockets/);
});

t.test('helpers: versions, label filters, image references', async (t) => {
  t.ok(compareApiVersions('1.9', '1.41') < 0);
  t.equal(compareApiVersions('1.41', '1.41'), 0);
  t.equal(labelFilters({ a: 'b', c: true }), JSON.stringify({ label: ['a=b', 'c'] }));
  t.equal(labelFilters({}), undefined);
  t.equal(labelFilters({ a: 'b' }, { status: ['running'] }), JSON.stringify({ status: ['running'], label: ['a=b'] }));
  t.same(splitImageRef('busybox:1.36'), { fromImage: 'busybox', tag: '1.36' });
  t.same(splitImageRef('localhost:5000/app'), { fromImage: 'localhost:5000/app', tag: 'latest' });
  t.same(splitImageRef('repo/app@sha256:abc'), { fromImage: 'repo/app', tag: 'sha256:abc' });
});
