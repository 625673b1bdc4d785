// @k8ts/client against a real k8ts-etcd + k8ts-apiserver (child processes, HTTPS with the CA from the kubeconfig the
// apiserver wrote): CRUD and errors, every patch type, subresources, watches, informers, the event recorder (also as
// `kubectl describe` shows it), leader election with two and three candidates, and an apiserver restart under a
// running informer (reconnect with backoff, 410, relist with tombstones). One control plane, subtests in order.
import t from 'tap';
import { startApiserver, startControlPlane, type ApiserverProcess } from '@k8ts/testing';
import {
  ApiError,
  DeletedFinalStateUnknown,
  EventBroadcaster,
  KubeClient,
  LeaderElector,
  LeaseLock,
  SharedIndexInformer,
  SharedInformerFactory,
  bindPod,
  evictPod,
  isAlreadyExists,
  isConflict,
  isExpired,
  isInvalid,
  isNotFound,
  isStatus,
  listWatchFor,
  refs,
  type CoreEvent,
  type KubeObject,
  type Lease,
  type ListWatch,
} from '../../src/index.js';

interface ConfigMap extends KubeObject {
  data?: Record<string, string>;
}
interface Pod extends KubeObject {
  spec?: { nodeName?: string; containers: { name: string; image: string }[] };
  status?: { phase?: string };
}
interface Deployment extends KubeObject {
  spec?: { replicas?: number; selector: { matchLabels: Record<string, string> }; template: { metadata: { labels: Record<string, string> }; spec: Pod['spec'] } };
  status?: { replicas?: number; observedGeneration?: number };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `cond` until it holds; false after `ms`. */
async function eventually(cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await cond()) return true;
    await sleep(25);
  }
  return cond();
}

async function caught(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

const cp = await startControlPlane('k8ts');
let restarted: ApiserverProcess | undefined;
const client = KubeClient.fromKubeconfig(cp.kubeconfig, { timeoutMs: 10_000 });
t.teardown(async () => {
  await client.close();
  await restarted?.kill();
  await cp.stop();
});

const namespaces = client.resource<KubeObject>(refs.namespaces);
async function namespace(name: string): Promise<void> {
  await namespaces.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}
const podSpec = { containers: [{ name: 'c', image: 'busybox' }] };

t.test('kubeconfig over HTTPS: the context namespace and a verified server certificate', async (t) => {
  t.match(client.connection.server, /^https:\/\/127\.0\.0\.1:\d+$/);
  t.match(client.connection.ca, /BEGIN CERTIFICATE/);
  t.equal(client.defaultNamespace, 'default');
  const list = await namespaces.list();
  t.ok(list.items.some((n) => n.metadata?.name === 'kube-system'));
  const noCa = new KubeClient({ ...client.connection, ca: undefined });
  const err = await caught(noCa.resource(refs.namespaces).list());
  t.equal((err as Error).name, 'NetworkError', `an untrusted certificate is refused: ${(err as Error).message}`);
  await noCa.close();
});

t.test('CRUD and errors as ApiError (404, 409, 422), preconditions, dry run, pagination, cluster scope', async (t) => {
  await namespace('crud');
  const cms = client.resource<ConfigMap>(refs.configMaps).namespace('crud');
  const created = await cms.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { app: 'x' } }, data: { k: 'v1' } });
  t.ok(created.metadata?.uid);
  t.match(created.metadata?.resourceVersion, /^\d+$/);
  t.same((await cms.get('a')).data, { k: 'v1' });

  const dup = await caught(cms.create({ metadata: { name: 'a' } }));
  t.ok(dup instanceof ApiError && isAlreadyExists(dup) && dup.code === 409, 'create twice: 409 AlreadyExists');
  const missing = (await caught(cms.get('nope'))) as ApiError;
  t.ok(isNotFound(missing));
  t.equal(missing.code, 404);
  t.equal(missing.status.details?.name, 'nope');
  t.equal(missing.status.details?.kind, 'configmaps');

  const updated = await cms.update({ ...created, data: { k: 'v2' } });
  t.not(updated.metadata?.resourceVersion, created.metadata?.resourceVersion);
  const stale = (await caught(cms.update({ ...created, data: { k: 'v3' } }))) as ApiError;
  t.ok(isConflict(stale), 'an update with a stale resourceVersion: 409 Conflict');
  t.match(stale.message, /the object has been modified/);

  const invalid = (await caught(cms.create({ metadata: { name: 'Not_Valid' } }))) as ApiError;
  t.ok(isInvalid(invalid));
  t.equal(invalid.code, 422);
  t.equal(invalid.status.details?.causes?.[0]?.field, 'metadata.name');

  await cms.create({ metadata: { name: 'dry' } }, { dryRun: true });
  t.ok(isNotFound(await caught(cms.get('dry'))), 'a dry-run create persists nothing');

  for (let i = 0; i < 5; i++) await cms.create({ metadata: { name: `page-${i}`, labels: { page: 'yes' } } });
  const first = await cms.list({ labelSelector: { page: 'yes' }, limit: 2 });
  t.equal(first.items.length, 2);
  t.ok(first.metadata.continue, 'a continue token');
  const all = await cms.listAll({ labelSelector: 'page=yes', pageSize: 2 });
  t.same(all.items.map((c) => c.metadata?.name), ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);

  const wrongUid = (await caught(cms.delete('a', { preconditions: { uid: 'not-the-uid' } }))) as ApiError;
  t.ok(isConflict(wrongUid), 'a failed precondition is a Conflict');
  await cms.delete('a', { preconditions: { uid: created.metadata!.uid!, resourceVersion: updated.metadata!.resourceVersion! } });
  t.ok(isNotFound(await caught(cms.get('a'))));
  const collection = await cms.deleteCollection({ labelSelector: 'page=yes' });
  t.ok(isStatus(collection) || Array.isArray((collection as { items?: unknown }).items));
  t.same((await cms.list({ labelSelector: 'page=yes' })).items, []);

  const nodes = client.resource<KubeObject>(refs.nodes);
  await nodes.create({ apiVersion: 'v1', kind: 'Node', metadata: { name: 'client-test-node' } });
  t.equal((await nodes.namespace('ignored').get('client-test-node')).metadata?.name, 'client-test-node', 'cluster-scoped');
  t.ok(isNotFound(await caught(client.resource(refs.namespaces).get('no-such-namespace'))));
});

t.test('patches: json, merge, strategic, server-side apply', async (t) => {
  await namespace('patch');
  const cms = client.resource<ConfigMap>(refs.configMaps).namespace('patch');
  await cms.create({ metadata: { name: 'p' }, data: { a: '1' } });
  t.same((await cms.patch('p', 'json', [{ op: 'add', path: '/data/b', value: '2' }])).data, { a: '1', b: '2' });
  t.same((await cms.patch('p', 'merge', { data: { a: null, c: '3' } })).data, { b: '2', c: '3' });
  t.same((await cms.patch('p', 'strategic', { metadata: { labels: { s: 'y' } }, data: { d: '4' } })).metadata?.labels, { s: 'y' });
  const bad = (await caught(cms.patch('p', 'json', [{ op: 'test', path: '/data/b', value: 'nope' }]))) as ApiError;
  t.ok(bad instanceof ApiError && bad.code >= 400 && bad.code < 500, `a failed json-patch test is a 4xx (${bad.code} ${bad.reason})`);

  const applied = await cms.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { x: '1' } }, { fieldManager: 'client-test' });
  t.same(applied.data, { x: '1' }, 'apply creates');
  const reapplied = await cms.apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied' }, data: { x: '2' } }, { fieldManager: 'client-test', force: true });
  t.same(reapplied.data, { x: '2' }, 'apply updates');

  const deployments = client.resource<Deployment>(refs.deployments).namespace('patch');
  await deployments.create({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec } },
  });
  const scale = await deployments.getScale('web');
  t.equal(scale.spec?.replicas, 1);
  await deployments.updateScale('web', { spec: { replicas: 4 } });
  t.equal((await deployments.get('web')).spec?.replicas, 4, 'the scale subresource changes spec.replicas');
  const withStatus = await deployments.patchStatus('web', 'merge', { status: { observedGeneration: 1, replicas: 0 } });
  t.equal(withStatus.status?.observedGeneration, 1, 'status subresource patch');
  const current = await deployments.get('web');
  const statusOnly = await deployments.updateStatus({ ...current, spec: { ...current.spec!, replicas: 9 }, status: { ...current.status, replicas: 2 } });
  t.equal(statusOnly.status?.replicas, 2);
  t.equal(statusOnly.spec?.replicas, 4, 'updateStatus ignores spec changes');
});

t.test('pods/binding and pods/eviction', async (t) => {
  await namespace('sched');
  const pods = client.resource<Pod>(refs.pods).namespace('sched');
  await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p1' }, spec: podSpec });
  await bindPod(pods, 'p1', 'client-test-node');
  t.equal((await pods.get('p1')).spec?.nodeName, 'client-test-node');
  t.ok(isConflict(await caught(bindPod(pods, 'p1', 'other'))), 'binding a bound pod: 409');
  await evictPod(pods, 'p1');
  const evicted = await pods.get('p1').catch((e: unknown) => e);
  t.ok(isNotFound(evicted) || (evicted as Pod).metadata?.deletionTimestamp, 'the eviction deleted the pod (gracefully)');
});

t.test('watch: MODIFIED and DELETED after a resourceVersion', async (t) => {
  await namespace('watch');
  const cms = client.resource<ConfigMap>(refs.configMaps).namespace('watch');
  const c = await cms.create({ metadata: { name: 'w' }, data: { v: '1' } });
  const w = await cms.watch({ resourceVersion: c.metadata!.resourceVersion!, timeoutSeconds: 30, allowWatchBookmarks: true });
  const seen: string[] = [];
  const done = (async () => {
    for await (const ev of w) {
      seen.push(`${ev.type} ${ev.object.metadata?.name} ${ev.object.data?.['v'] ?? ''}`);
      if (ev.type === 'DELETED') break;
    }
  })();
  await cms.patch('w', 'merge', { data: { v: '2' } });
  await cms.delete('w');
  await Promise.race([done, sleep(10_000)]);
  w.close();
  t.same(seen, ['MODIFIED w 2', 'DELETED w 2']);
});

t.test('informers: cache, handlers, indexers, listers, dedupe; the cache equals a fresh list', async (t) => {
  await namespace('inf');
  const cms = client.resource<ConfigMap>(refs.configMaps).namespace('inf');
  await cms.create({ metadata: { name: 'before', labels: { tier: 'a' } } });
  const factory = new SharedInformerFactory(client, { namespace: 'inf', reflector: { backoff: { initialMs: 100, maxMs: 1000 } } });
  const informer = factory.informerFor<ConfigMap>(refs.configMaps, { indexers: { tier: (o) => [o.metadata?.labels?.['tier'] ?? ''] } });
  t.equal(factory.informerFor<ConfigMap>(refs.configMaps), informer, 'one informer per resource and namespace');
  t.not(factory.informerFor<ConfigMap>(refs.configMaps, { labelSelector: 'tier=a' }), informer, 'another selector is another informer');
  const events: string[] = [];
  informer.addEventHandler({
    onAdd: (o, initial) => events.push(`add ${o.metadata?.name}${initial ? ' initial' : ''}`),
    onUpdate: (a, b) => events.push(`update ${b.metadata?.name} ${a.data?.['v'] ?? '-'}->${b.data?.['v'] ?? '-'}`),
    onDelete: (o) => events.push(`delete ${o instanceof DeletedFinalStateUnknown ? o.key : o.metadata?.name}`),
  });
  factory.start();
  t.equal(await factory.waitForCacheSync(AbortSignal.timeout(10_000)), true);
  t.same(events, ['add before initial']);
  t.equal(informer.indexer.get('inf/before')?.kind, 'ConfigMap', 'objects carry kind/apiVersion');

  await cms.create({ metadata: { name: 'x', labels: { tier: 'b' } }, data: { v: '1' } });
  await cms.patch('x', 'merge', { data: { v: '2' } });
  await cms.create({ metadata: { name: 'y', labels: { tier: 'b' } } });
  await cms.delete('before');
  t.ok(await eventually(() => events.length === 5), `all events arrive (${events.join('; ')})`);
  t.same(events.slice(1), ['add x', 'update x 1->2', 'add y', 'delete before']);

  const lister = informer.lister();
  t.same(lister.namespace('inf').list('tier=b').map((o) => o.metadata?.name).sort(), ['x', 'y']);
  t.same(informer.indexer.byIndex('tier', 'b').length, 2);
  t.equal(lister.namespace('inf').get('x')?.data?.['v'], '2');

  const fresh = await cms.list();
  const view = (objs: ConfigMap[]): string[] => objs.map((o) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`).sort();
  t.same(view(informer.indexer.list()), view(fresh.items), 'the cache equals a fresh list, resourceVersions included');
  await factory.stop();
});

t.test('event recorder: repeated events count up, similar ones combine, kubectl describe shows them', async (t) => {
  await namespace('ev');
  const pods = client.resource<Pod>(refs.pods).namespace('ev');
  const pod = await pods.create({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'evpod' }, spec: podSpec });
  const broadcaster = new EventBroadcaster({ client });
  const recorder = broadcaster.newRecorder({ component: 'test-controller' });
  for (let i = 0; i < 3; i++) recorder.event(pod, 'Warning', 'BackOff', 'Back-off restarting failed container');
  for (let i = 0; i < 12; i++) recorder.event(pod, 'Normal', 'Probing', `probe ${i} says hello`);
  await broadcaster.flush();

  const events = (await client.resource<CoreEvent>(refs.events).namespace('ev').list({ fieldSelector: 'involvedObject.name=evpod' })).items;
  const backoff = events.filter((e) => e.reason === 'BackOff');
  t.equal(backoff.length, 1, 'one Event object for three identical events');
  t.equal(backoff[0]?.count, 3);
  t.equal(backoff[0]?.source?.component, 'test-controller');
  t.equal(backoff[0]?.involvedObject.uid, pod.metadata?.uid);
  t.match(backoff[0]?.metadata?.name, /^evpod\.[0-9a-f]+$/);
  const probing = events.filter((e) => e.reason === 'Probing');
  const combined = probing.filter((e) => e.message?.startsWith('(combined from similar events): '));
  t.equal(probing.length - combined.length, 9, 'the first nine distinct messages are their own events');
  t.equal(combined.length, 1);
  t.equal(combined[0]?.count, 3, 'the 10th, 11th and 12th went to one combined event');
  t.equal(combined[0]?.message, '(combined from similar events): probe 11 says hello');

  const describe = cp.kubectl(['describe', 'pod', 'evpod', '-n', 'ev']);
  t.equal(describe.code, 0, describe.stderr);
  t.match(describe.stdout, /Warning\s+BackOff\s+.*\(x3 over .*\)\s+test-controller\s+Back-off restarting failed container/);
  t.match(describe.stdout, /\(combined from similar events\): probe 11 says hello/);
  await broadcaster.shutdown();
});

t.test('leader election: one leader, release hands over at once, a killed leader is replaced after leaseDuration', async (t) => {
  await namespace('le');
  // A lease long enough that "took over without waiting for expiry" is unambiguous even on a loaded machine.
  const timing = { leaseDurationMs: 4000, renewDeadlineMs: 3000, retryPeriodMs: 250 };
  const log: string[] = [];
  const start = (identity: string, releaseOnCancel: boolean): { elector: LeaderElector; stop: AbortController; done: Promise<void> } => {
    const stop = new AbortController();
    const elector = new LeaderElector({
      ...timing,
      lock: new LeaseLock(client, 'le', 'controller'),
      identity,
      releaseOnCancel,
      callbacks: {
        onStartedLeading: () => {
          log.push(`${identity} started`);
        },
        onStoppedLeading: () => log.push(`${identity} stopped`),
        onNewLeader: (id) => log.push(`${identity} sees ${id}`),
      },
    });
    return { elector, stop, done: elector.run(stop.signal) };
  };
  const leases = client.resource<Lease>(refs.leases).namespace('le');
  // a (releases on stop) leads first; b (no release) waits.
  const a = start('a', true);
  t.ok(await eventually(() => a.elector.isLeader(), 5000), 'a leads');
  const b = start('b', false);
  await sleep(1000);
  t.ok(a.elector.isLeader());
  t.notOk(b.elector.isLeader(), 'exactly one leader: b waits while a renews');
  const lease = await leases.get('controller');
  t.equal(lease.spec?.holderIdentity, 'a');
  t.equal(lease.spec?.leaseDurationSeconds, 4);
  t.equal(b.elector.getLeader(), 'a');
  t.ok(log.includes('b sees a'));

  // a stops with release: b takes over without waiting for the lease to expire.
  const stoppedAt = Date.now();
  a.stop.abort();
  await a.done;
  t.equal((await leases.get('controller')).spec?.holderIdentity, '', 'a released the lease');
  t.ok(await eventually(() => b.elector.isLeader(), 5000), 'b leads');
  const handover = Date.now() - stoppedAt;
  t.ok(handover < timing.leaseDurationMs, `b took over a released lease in ${handover} ms, less than leaseDuration`);

  // b is "killed" (stops without release): c must wait for the lease to expire.
  const c = start('c', true);
  await sleep(600);
  t.notOk(c.elector.isLeader(), 'c waits while b renews');
  const killedAt = Date.now();
  b.stop.abort();
  await b.done;
  t.equal((await leases.get('controller')).spec?.holderIdentity, 'b', 'no release: the lease is left to expire');
  t.ok(await eventually(() => c.elector.isLeader(), 10_000), 'c takes over');
  const waited = Date.now() - killedAt;
  t.ok(waited >= timing.leaseDurationMs - 2 * timing.retryPeriodMs, `c respected the unexpired lease (${waited} ms after b stopped)`);
  t.ok(waited <= timing.leaseDurationMs + 3000, `and took over soon after it expired (${waited} ms)`);
  const final = await leases.get('controller');
  t.equal(final.spec?.holderIdentity, 'c');
  t.equal(final.spec?.leaseTransitions, 2, 'a → b → c');
  t.same(log, ['a sees a', 'a started', 'b sees a', 'a stopped', 'b sees b', 'b started', 'c sees b', 'b stopped', 'c sees c', 'c started']);
  c.stop.abort();
  await c.done;
  t.equal((await leases.get('controller')).spec?.holderIdentity, '', 'c released on stop');
});

t.test('apiserver restart under a running informer: backoff while down, 410, relist with tombstones', async (t) => {
  await namespace('restart');
  const cms = client.resource<ConfigMap>(refs.configMaps).namespace('restart');
  for (const name of ['keep', 'vanish', 'change']) await cms.create({ metadata: { name }, data: { v: '1' } });

  const calls = { list: 0, watch: 0, watchRVs: [] as string[] };
  const inner = listWatchFor(cms);
  const counting: ListWatch<ConfigMap> = {
    list: (o) => {
      calls.list++;
      return inner.list(o);
    },
    watch: (o) => {
      calls.watch++;
      calls.watchRVs.push(o.resourceVersion);
      return inner.watch(o);
    },
  };
  const informer = new SharedIndexInformer<ConfigMap>(counting, { reflector: { backoff: { initialMs: 100, maxMs: 1000 } } });
  const tombstones: string[] = [];
  const updates: string[] = [];
  informer.addEventHandler({
    onDelete: (o) => o instanceof DeletedFinalStateUnknown && tombstones.push(o.key),
    onUpdate: (a, b) => a.metadata?.resourceVersion !== b.metadata?.resourceVersion && updates.push(b.metadata?.name ?? ''),
  });
  informer.start();
  t.ok(await informer.waitForSync(AbortSignal.timeout(10_000)));
  t.ok(await eventually(() => calls.watch >= 1));
  const listsBefore = calls.list;
  const rvBefore = informer.lastSyncResourceVersion;

  const securePort = Number(new URL(cp.url).port);
  const httpPort = Number(new URL(cp.httpUrl).port);
  await cp.apiserver.kill();
  const downAt = Date.now();
  const watchesBefore = calls.watch;
  // While no apiserver runs, change the store underneath (etcd's JSON gateway, the apiserver's key layout).
  const etcd = cp.etcd.endpoints[0]!;
  const b64 = (s: string): string => Buffer.from(s).toString('base64');
  const del = await fetch(`${etcd}/v3/kv/deleterange`, { method: 'POST', body: JSON.stringify({ key: b64('/registry/configmaps/restart/vanish') }) });
  t.equal(((await del.json()) as { deleted?: string }).deleted, '1', 'deleted behind the apiserver');
  await sleep(1500);
  const attemptsWhileDown = calls.watch - watchesBefore + (calls.list - listsBefore);
  t.ok(attemptsWhileDown >= 1 && attemptsWhileDown <= 8, `reconnects with backoff, no busy loop (${attemptsWhileDown} attempts in ${Date.now() - downAt} ms)`);

  restarted = await startApiserver(cp.etcd.endpoints, cp.dir, { securePort, httpPort });
  t.ok(await eventually(() => tombstones.includes('restart/vanish'), 15_000), 'the deletion that happened while down arrives as a tombstone');
  t.ok(calls.list > listsBefore, 'a relist happened');
  t.ok(calls.watchRVs.every((rv) => rv !== ''), 'every watch started from a resourceVersion');
  t.equal(calls.watchRVs[watchesBefore], rvBefore, 'the first reconnect resumed from the last resourceVersion seen');

  // The new apiserver's watch cache starts now: older versions are gone for good.
  const expired = await cms.watch({ resourceVersion: '2', timeoutSeconds: 5 });
  const err = await caught(
    (async () => {
      for await (const _ev of expired) continue;
    })(),
  );
  t.ok(isExpired(err), 'a watch from an old resourceVersion gets 410 after the restart');

  await cms.patch('change', 'merge', { data: { v: '2' } });
  await cms.create({ metadata: { name: 'new' } });
  t.ok(await eventually(() => informer.indexer.has('restart/new') && updates.includes('change')), 'live events flow again');
  const fresh = await cms.list();
  const view = (objs: ConfigMap[]): string[] => objs.map((o) => `${o.metadata?.name}@${o.metadata?.resourceVersion}`).sort();
  t.same(view(informer.indexer.list()), view(fresh.items), 'the cache equals a fresh list after the restart');
  await informer.stop();
});
