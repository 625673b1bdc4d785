// High availability as users drill it: two apiservers on one store behave as one (shared objects, shared watches,
// race-free allocation, both listed in the kubernetes Endpoints), and one apiserver on a 3-member store rides out
// the loss of the store's leader without losing a write or a watch event.
import t from 'tap';
import { EtcdClient } from '@k8ts/etcd-client';
import { startApiserver, startControlPlane, type ApiserverProcess } from '@k8ts/testing';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Json {
  [k: string]: unknown;
}

/** One request against an apiserver's plain-HTTP loopback listener. */
async function api(base: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
}

const meta = (o: Json): Json => (o['metadata'] ?? {}) as Json;

interface WatchEventLine {
  type: string;
  object: Json;
}

/** A raw watch stream: collects every event line until closed. */
function openWatch(base: string, path: string): { events: WatchEventLine[]; close(): void; ended: Promise<void> } {
  const events: WatchEventLine[] = [];
  const abort = new AbortController();
  const ended = (async () => {
    try {
      const res = await fetch(`${base}${path}`, { signal: abort.signal });
      if (!res.body) return;
      const decoder = new TextDecoder();
      let buf = '';
      for await (const chunk of res.body) {
        buf += decoder.decode(chunk as Uint8Array, { stream: true });
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) events.push(JSON.parse(line) as WatchEventLine);
        }
      }
    } catch {
      // aborted by close()
    }
  })();
  return { events, close: () => abort.abort(), ended };
}

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await cond()) return true;
    await sleep(100);
  }
  return cond();
}

const configMap = (name: string, data: Record<string, string> = {}): Json => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name },
  data,
});

t.test('two apiservers on one store behave as one', async (t) => {
  const cp = await startControlPlane('k8ts');
  let second: ApiserverProcess | undefined;
  t.teardown(async () => {
    await second?.kill();
    await cp.stop();
  });
  // A second apiserver advertising another loopback address, as a second machine would.
  second = await startApiserver(cp.etcd.endpoints, cp.dir, { args: ['--advertise-address', '127.0.0.2'] });
  const a = cp.httpUrl;
  const b = second.httpUrl;

  t.test('an object written through one is read, updated and watched through the other', async (t) => {
    const watch = openWatch(b, '/api/v1/namespaces/default/configmaps?watch=1&labelSelector=ha%3Dyes');
    t.teardown(() => watch.close());
    const created = await api(a, 'POST', '/api/v1/namespaces/default/configmaps', { ...configMap('shared'), metadata: { name: 'shared', labels: { ha: 'yes' } } });
    t.equal(created.status, 201);
    const read = await api(b, 'GET', '/api/v1/namespaces/default/configmaps/shared?resourceVersion=');
    t.equal(read.status, 200);
    t.equal(meta(read.json)['uid'], meta(created.json)['uid'], 'the same object');
    t.equal(meta(read.json)['resourceVersion'], meta(created.json)['resourceVersion']);

    const updated = await api(b, 'PUT', '/api/v1/namespaces/default/configmaps/shared', { ...read.json, data: { v: '2' } });
    t.equal(updated.status, 200);
    const stale = await api(a, 'PUT', '/api/v1/namespaces/default/configmaps/shared', { ...created.json, data: { v: 'stale' } });
    t.equal(stale.status, 409, 'a stale resourceVersion conflicts no matter which apiserver took the newer write');
    t.match(stale.json['message'], /the object has been modified/);

    t.equal((await api(a, 'DELETE', '/api/v1/namespaces/default/configmaps/shared')).status, 200);
    t.ok(await waitFor(() => watch.events.length >= 3, 10_000), 'the watch on the other apiserver saw all three changes');
    t.same(watch.events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
    t.same(watch.events.map((e) => (e.object['data'] as Json | undefined)?.['v'] ?? null), [null, '2', '2']);
  });

  t.test('a list at a resourceVersion from one apiserver is served by the other', async (t) => {
    const made = await api(a, 'POST', '/api/v1/namespaces/default/configmaps', configMap('fresh'));
    const rv = String(meta(made.json)['resourceVersion']);
    // resourceVersion=N with the default match (NotOlderThan) must include the write: the other cache waits for it.
    const list = await api(b, 'GET', `/api/v1/namespaces/default/configmaps?resourceVersion=${rv}&resourceVersionMatch=NotOlderThan`);
    t.equal(list.status, 200);
    const names = ((list.json['items'] ?? []) as Json[]).map((i) => meta(i)['name']);
    t.ok(names.includes('fresh'), 'read-your-writes across apiservers');
  });

  t.test('concurrent patches of one object through both all land; a stale resourceVersion in a patch is a 409', async (t) => {
    const made = await api(a, 'POST', '/api/v1/namespaces/default/configmaps', configMap('contended'));
    const patch = async (base: string, body: unknown): Promise<number> => {
      const r = await fetch(`${base}/api/v1/namespaces/default/configmaps/contended`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify(body),
      });
      await r.text();
      return r.status;
    };
    const codes = await Promise.all(Array.from({ length: 20 }, (_, i) => patch(i % 2 ? a : b, { data: { [`k${i}`]: String(i) } })));
    t.same(codes, codes.map(() => 200), 'a patch without a resourceVersion is applied to whatever is current');
    const final = await api(a, 'GET', '/api/v1/namespaces/default/configmaps/contended');
    t.equal(Object.keys((final.json['data'] ?? {}) as Json).length, 20, 'no patch was lost');
    const stale = { metadata: { resourceVersion: String(meta(made.json)['resourceVersion']) }, data: { late: 'x' } };
    t.equal(await patch(a, stale), 409, 'a patch naming an old resourceVersion is a precondition that fails');
  });

  t.test('concurrent Service creates through both get distinct ClusterIPs and NodePorts', async (t) => {
    const service = (name: string): Json => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name },
      spec: { type: 'NodePort', selector: { app: name }, ports: [{ port: 80 }] },
    });
    const results = await Promise.all(
      Array.from({ length: 24 }, (_, i) => api(i % 2 === 0 ? a : b, 'POST', '/api/v1/namespaces/default/services', service(`svc-${i}`))),
    );
    t.same(results.map((r) => r.status), results.map(() => 201), 'every create succeeded');
    const ips = results.map((r) => (r.json['spec'] as Json)['clusterIP']);
    const ports = results.map((r) => ((r.json['spec'] as Json)['ports'] as Json[])[0]?.['nodePort']);
    t.equal(new Set(ips).size, ips.length, 'no ClusterIP handed out twice');
    t.equal(new Set(ports).size, ports.length, 'no NodePort handed out twice');
    t.notOk(ips.includes('10.96.0.1'), 'the kubernetes Service keeps 10.96.0.1');
  });

  t.test('the kubernetes Endpoints list every live apiserver and drop a dead one', async (t) => {
    const addresses = async (): Promise<string[]> => {
      const ep = await api(a, 'GET', '/api/v1/namespaces/default/endpoints/kubernetes');
      return ((ep.json['subsets'] ?? []) as Json[])
        .flatMap((s) => ((s['addresses'] ?? []) as Json[]).map((x) => `${String(x['ip'])}:${String(((s['ports'] as Json[])[0] ?? {})['port'])}`))
        .sort();
    };
    const portA = new URL(cp.url).port;
    const portB = new URL(second!.url).port;
    const both = [`127.0.0.1:${portA}`, `127.0.0.2:${portB}`].sort();
    t.ok(await waitFor(async () => JSON.stringify(await addresses()) === JSON.stringify(both), 15_000), `both listed: ${both.join(', ')}`);
    t.same(await addresses(), both);
    // The EndpointSlices say the same (one per port, as the two apiservers here listen on different ports).
    const slices = await api(a, 'GET', '/apis/discovery.k8s.io/v1/namespaces/default/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Dkubernetes');
    const sliced = ((slices.json['items'] ?? []) as Json[])
      .flatMap((sl) => ((sl['endpoints'] ?? []) as Json[]).map((e) => `${String((e['addresses'] as string[])[0])}:${String(((sl['ports'] as Json[])[0] ?? {})['port'])}`))
      .sort();
    t.same(sliced, both, 'the kubernetes EndpointSlices list both apiservers');

    // kill -9: no goodbye, so the entry goes when its 15 s etcd lease expires (the survivor watches the leases).
    await second!.kill();
    second = undefined;
    t.ok(await waitFor(async () => JSON.stringify(await addresses()) === JSON.stringify([`127.0.0.1:${portA}`]), 30_000), 'the dead apiserver dropped out');
  });
});

t.test('an apiserver on a 3-member store survives losing the store leader', async (t) => {
  const cp = await startControlPlane('k8ts', { members: 3 });
  const etcd = new EtcdClient({ endpoints: cp.etcd.endpoints, requestTimeoutMs: 3000 });
  t.teardown(async () => {
    await etcd.close();
    await cp.stop();
  });
  const base = cp.httpUrl;
  const before = await api(base, 'POST', '/api/v1/namespaces/default/configmaps', configMap('before-failover'));
  t.equal(before.status, 201);
  const watch = openWatch(base, `/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=${String(meta(before.json)['resourceVersion'])}`);
  t.teardown(() => watch.close());

  // Find and kill -9 the leader.
  const statuses = await Promise.all(cp.etcd.endpoints.map((e) => etcd.status(e)));
  const leaderIndex = statuses.findIndex((s) => s.leader === s.header.memberId);
  t.ok(leaderIndex >= 0, 'a leader exists');
  await cp.etcd.kill(leaderIndex);

  // Writes resume once a new leader is elected; kubectl retries nothing, so poll with plain creates.
  const written: string[] = [];
  const deadline = Date.now() + 30_000;
  for (let i = 0; written.length < 5 && Date.now() < deadline; i++) {
    const r = await api(base, 'POST', '/api/v1/namespaces/default/configmaps', configMap(`after-${i}`)).catch(() => undefined);
    if (r?.status === 201) written.push(`after-${i}`);
    else await sleep(200);
  }
  t.equal(written.length, 5, 'writes go on through the surviving members');
  const viaKubectl = cp.kubectl(['create', 'configmap', 'via-kubectl', '--from-literal=a=b']);
  t.equal(viaKubectl.code, 0, viaKubectl.stderr);
  written.push('via-kubectl');

  t.ok(await waitFor(() => written.every((n) => watch.events.some((e) => meta(e.object)['name'] === n)), 20_000), 'the open watch delivered every write after the failover');
  const addedNames = watch.events.filter((e) => e.type === 'ADDED').map((e) => String(meta(e.object)['name']));
  t.same(addedNames, written, 'in order, each once');
  const ready = await fetch(`${base}/readyz`);
  t.equal(ready.status, 200, 'ready on the surviving quorum');
  const metrics = await (await fetch(`${base}/metrics`)).text();
  const storeCreates = Number(/^etcd_request_duration_seconds_count\{operation="create",type="configmaps"\} (\d+)$/m.exec(metrics)?.[1] ?? 0);
  t.ok(storeCreates >= written.length, `store latency is on /metrics: ${storeCreates} configmap creates timed`);
  t.match(metrics, /^apiserver_request_total\{verb="POST",group="",resource="configmaps",subresource="",code="201"\} \d+$/m, 'requests by verb, resource and code');

  // The killed member comes back and catches up; reads through the apiserver still see everything.
  await cp.etcd.restart(leaderIndex);
  const list = cp.kubectl(['get', 'configmaps', '-o', 'name']);
  t.equal(list.code, 0, list.stderr);
  for (const n of [...written, 'before-failover']) t.match(list.stdout, `configmap/${n}`);
  const after = await (await fetch(`${base}/metrics`)).text();
  t.match(after, /^apiserver_request_total\{verb="LIST",group="",resource="configmaps",subresource="",code="200"\} \d+$/m, 'a GET of a collection counts as LIST');
});
