// The apiserver's kubelet-facing endpoints that need no kubelet: TokenRequest, discovery entries, the 400s of
// pods/log, and a quick Status (no hang) when a pod's node has no kubelet answering. The proxies against a real
// kubelet server are tested end to end in packages/kubelet/test/server.
import { createPublicKey, createVerify, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import t from 'tap';
import { startControlPlane } from '@k8ts/testing';

const cp = await startControlPlane('k8ts');
t.teardown(() => cp.stop());
const securePort = new URL(cp.url).port;
const certDir = join(cp.dir, `certs-${securePort}`);

interface Json {
  [k: string]: unknown;
}
async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json; text: string }> {
  const r = await fetch(cp.httpUrl + path, {
    method,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
  });
  const text = await r.text();
  let parsed: Json = {};
  try {
    parsed = JSON.parse(text) as Json;
  } catch {
    parsed = {};
  }
  return { status: r.status, body: parsed, text };
}

/** A port nothing listens on. */
async function deadPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

t.test('the kubelet client certificate is generated, signed by the serving CA', async (t) => {
  const ca = new X509Certificate(readFileSync(join(certDir, 'apiserver.crt')));
  const client = new X509Certificate(readFileSync(join(certDir, 'apiserver-kubelet-client.crt')));
  t.ok(client.checkIssued(ca), 'issued by apiserver.crt');
  t.ok(client.verify(ca.publicKey), 'signature verifies');
  t.match(client.subject, /CN=kube-apiserver-kubelet-client/);
  t.match(client.subject, /O=system:masters/);
  t.match(client.toLegacyObject().ext_key_usage ?? [], ['1.3.6.1.5.5.7.3.2'], 'clientAuth');
});

t.test('TokenRequest: a JWT signed by the serving key', async (t) => {
  t.equal((await call('POST', '/api/v1/namespaces/default/serviceaccounts/nobody/token', { spec: {} })).status, 404, 'service account must exist');
  const sa = await call('POST', '/api/v1/namespaces/default/serviceaccounts', { metadata: { name: 'robot' } });
  t.equal(sa.status, 201);
  const pod = await call('POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'tokpod' }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } });
  t.equal(pod.status, 201);
  const podUid = String((pod.body.metadata as Json).uid);
  const r = await call('POST', '/api/v1/namespaces/default/serviceaccounts/robot/token', {
    apiVersion: 'authentication.k8s.io/v1',
    kind: 'TokenRequest',
    spec: { audiences: ['api', 'vault'], expirationSeconds: 1200, boundObjectRef: { kind: 'Pod', apiVersion: 'v1', name: 'tokpod', uid: podUid } },
  });
  t.equal(r.status, 201, r.text);
  t.match(r.body, { kind: 'TokenRequest', apiVersion: 'authentication.k8s.io/v1', spec: { audiences: ['api', 'vault'], expirationSeconds: 1200 } });
  const status = r.body.status as { token: string; expirationTimestamp: string };
  const [h, p, s] = status.token.split('.') as [string, string, string];
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as Json;
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Json;
  t.equal(header.alg, 'RS256');
  t.type(header.kid, 'string');
  const publicKey = createPublicKey(readFileSync(join(certDir, 'apiserver.crt')));
  t.ok(createVerify('RSA-SHA256').update(`${h}.${p}`).verify(publicKey, Buffer.from(s, 'base64url')), 'signature verifies with the serving certificate\'s key');
  t.equal(claims.iss, 'https://kubernetes.default.svc.cluster.local');
  t.equal(claims.sub, 'system:serviceaccount:default:robot');
  t.same(claims.aud, ['api', 'vault']);
  t.equal((claims.exp as number) - (claims.iat as number), 1200);
  t.equal(claims.nbf, claims.iat);
  t.same(claims['kubernetes.io'], {
    namespace: 'default',
    serviceaccount: { name: 'robot', uid: (sa.body.metadata as Json).uid },
    pod: { name: 'tokpod', uid: podUid },
  });
  t.equal(Date.parse(status.expirationTimestamp) / 1000, claims.exp);

  const plain = await call('POST', '/api/v1/namespaces/default/serviceaccounts/robot/token', { spec: {} });
  const plainClaims = JSON.parse(Buffer.from((plain.body.status as { token: string }).token.split('.')[1]!, 'base64url').toString()) as Json;
  t.same(plainClaims.aud, ['https://kubernetes.default.svc.cluster.local'], 'default audience: the issuer');
  t.equal((plainClaims.exp as number) - (plainClaims.iat as number), 3600, 'default lifetime: an hour');
  t.equal((await call('POST', '/api/v1/namespaces/default/serviceaccounts/robot/token', { spec: { expirationSeconds: 60 } })).status, 422, 'under 10 minutes');
  t.equal(
    (await call('POST', '/api/v1/namespaces/default/serviceaccounts/robot/token', { spec: { boundObjectRef: { kind: 'Pod', name: 'tokpod', uid: 'wrong' } } })).status,
    409,
    'bound to a pod whose uid changed',
  );

  const kubectl = cp.kubectl(['create', 'token', 'robot', '--duration', '15m']);
  t.equal(kubectl.code, 0, kubectl.stderr);
  t.match(kubectl.stdout.trim(), /^[\w-]+\.[\w-]+\.[\w-]+$/, 'kubectl create token prints a JWT');
});

t.test('discovery lists the kubelet subresources and metrics.k8s.io', async (t) => {
  const core = await call('GET', '/api/v1');
  const names = (core.body.resources as Array<{ name: string; kind: string; verbs: string[] }>).map((r) => r.name);
  for (const n of ['pods/log', 'pods/exec', 'pods/attach', 'pods/portforward', 'nodes/proxy', 'serviceaccounts/token']) t.ok(names.includes(n), n);
  const byName = new Map((core.body.resources as Array<{ name: string; kind: string; verbs: string[] }>).map((r) => [r.name, r]));
  t.match(byName.get('pods/exec'), { kind: 'PodExecOptions', verbs: ['create', 'get'] });
  t.match(byName.get('pods/log'), { kind: 'Pod', verbs: ['get'] });
  t.match(byName.get('serviceaccounts/token'), { kind: 'TokenRequest', group: 'authentication.k8s.io', version: 'v1', verbs: ['create'] });

  const aggregatedHeaders = { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList' };
  const agg = await call('GET', '/api', undefined, aggregatedHeaders);
  const v1 = (agg.body.items as Array<{ versions: Array<{ resources: Array<{ resource: string; subresources?: Array<{ subresource: string }> }> }> }>)[0]!.versions[0]!;
  const podSubs = v1.resources.find((r) => r.resource === 'pods')!.subresources!.map((s) => s.subresource);
  t.same(podSubs.sort(), ['attach', 'binding', 'eviction', 'exec', 'log', 'portforward', 'status'].sort());
  t.same(v1.resources.find((r) => r.resource === 'nodes')!.subresources!.map((s) => s.subresource).sort(), ['proxy', 'status']);

  const groups = await call('GET', '/apis');
  t.ok((groups.body.groups as Array<{ name: string }>).some((g) => g.name === 'metrics.k8s.io'), 'metrics.k8s.io in /apis');
  const aggApis = await call('GET', '/apis', undefined, aggregatedHeaders);
  t.ok((aggApis.body.items as Array<{ metadata: { name: string } }>).some((g) => g.metadata.name === 'metrics.k8s.io'), 'and in the aggregated list');
  const metrics = await call('GET', '/apis/metrics.k8s.io/v1beta1');
  t.match(metrics.body, { groupVersion: 'metrics.k8s.io/v1beta1', resources: [{ name: 'nodes', kind: 'NodeMetrics' }, { name: 'pods', kind: 'PodMetrics' }] });
  t.match((await call('GET', '/apis/metrics.k8s.io')).body, { kind: 'APIGroup', name: 'metrics.k8s.io' });
  t.match((await call('GET', '/apis/metrics.k8s.io/v1beta1/nodes')).body, { kind: 'NodeMetricsList', items: [] }, 'no Ready nodes, no metrics');
});

t.test('pods/log refusals, and an unreachable kubelet answers fast', async (t) => {
  const port = await deadPort();
  const node = await call('POST', '/api/v1/nodes', {
    metadata: { name: 'ghost' },
    status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } },
  });
  t.equal(node.status, 201, node.text);
  // Status is not written on create: set it through the status subresource as a kubelet does.
  await call('PUT', '/api/v1/nodes/ghost/status', { ...node.body, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }], daemonEndpoints: { kubeletEndpoint: { Port: port } } } });
  const two = await call('POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'two' }, spec: { containers: [{ name: 'a', image: 'x' }, { name: 'b', image: 'x' }] } });
  t.equal(two.status, 201);
  const noContainer = await call('GET', '/api/v1/namespaces/default/pods/two/log');
  t.equal(noContainer.status, 400);
  t.equal(noContainer.body.message, 'a container name must be specified for pod two, choose one of: [a b]');
  t.equal((await call('GET', '/api/v1/namespaces/default/pods/two/log?container=zzz')).status, 400, 'unknown container');
  const unscheduled = await call('GET', '/api/v1/namespaces/default/pods/two/log?container=a');
  t.equal(unscheduled.status, 400);
  t.equal(unscheduled.body.message, 'container "a" in pod "two" is waiting to start: ContainerCreating');
  t.equal((await call('GET', '/api/v1/namespaces/default/pods/missing/log')).status, 404);
  t.equal((await call('GET', '/api/v1/namespaces/default/pods/two/log?container=a&tailLines=-3')).status, 422);

  const one = await call('POST', '/api/v1/namespaces/default/pods', { metadata: { name: 'one' }, spec: { containers: [{ name: 'only', image: 'x' }] } });
  t.equal(one.status, 201);
  t.equal((await call('POST', '/api/v1/namespaces/default/pods/one/binding', { target: { kind: 'Node', name: 'ghost' } })).status, 201);
  const started = Date.now();
  const dead = await call('GET', '/api/v1/namespaces/default/pods/one/log');
  t.ok(Date.now() - started < 3000, 'answered quickly');
  t.equal(dead.status, 500);
  t.match(dead.body, { kind: 'Status', reason: 'InternalError', message: /connection refused/ });

  // The upgrade path refuses the same way, on the raw socket.
  const upgrade = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${cp.httpUrl}/api/v1/namespaces/default/pods/one/exec?command=true&stdout=true`, {
      headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==', 'sec-websocket-protocol': 'v5.channel.k8s.io' },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('upgrade', () => reject(new Error('unexpected upgrade')));
    req.on('error', reject);
    req.end();
  });
  t.equal(upgrade.status, 500);
  t.match(JSON.parse(upgrade.body), { kind: 'Status', message: /connection refused/ });
  t.equal((await call('GET', '/api/v1/namespaces/default/pods/one/exec?command=true')).status, 400, 'exec without an upgrade');
  const version = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${cp.httpUrl}/version`, { headers: { connection: 'Upgrade', upgrade: 'websocket' } });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
  t.equal(version.status, 200, 'other upgrade requests are served as plain requests');
  t.match(JSON.parse(version.body), { major: '1', minor: '32' });
});
