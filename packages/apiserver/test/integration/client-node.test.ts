// The real @kubernetes/client-node 1.4.0, unmodified, against k8ts-apiserver on a real store (k8ts-etcd, then
// Debian's etcd 3.4): typed clients (CRUD, selectors, pagination, conflicts, patches, subresources, errors), the generic
// KubernetesObjectApi (legacy per-GV discovery), Watch and the ListWatch informer, over HTTPS with the kubeconfig the
// apiserver wrote.
import t from 'tap';
import {
  ApiException,
  AppsV1Api,
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  Watch,
  makeInformer,
  setHeaderOptions,
  type KubernetesObject,
  type V1ConfigMap,
  type V1Deployment,
  type V1Pod,
} from '@kubernetes/client-node';
import { etcdKinds, startApiserver, startControlPlane, type ControlPlane } from '@k8ts/testing';

/** The apiserver closes watches that did not ask for a timeout after a random 4-8 s (kube-apiserver: 30-60 min). */
const MIN_REQUEST_TIMEOUT_S = 4;

interface StatusBody {
  kind?: string;
  apiVersion?: string;
  status?: string;
  reason?: string;
  code?: number;
  message?: string;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; field?: string; message?: string }[] };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves with `p`, or rejects after `ms` naming what was awaited. */
async function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `cond` until it holds; false after `ms`. */
async function eventually(cond: () => boolean, ms = 10_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (cond()) return true;
    await sleep(25);
  }
  return cond();
}

/** The ApiException a failing call rejects with, its body parsed as a Status. */
async function failure(p: Promise<unknown>): Promise<{ code: number; status: StatusBody }> {
  try {
    await p;
  } catch (e) {
    if (!(e instanceof ApiException)) throw e;
    const err = e as ApiException<unknown>;
    let status: StatusBody = {};
    try {
      status = JSON.parse(String(err.body)) as StatusBody;
    } catch {
      status = { message: `body was not JSON: ${String(err.body)}` };
    }
    return { code: err.code, status };
  }
  throw new Error('the call succeeded but was expected to fail');
}

interface SeenEvent {
  type: string;
  name: string;
  rv: string;
  labels: Record<string, string>;
  object: KubernetesObject;
}

interface Watching {
  events: SeenEvent[];
  /** Resolves with what `done` was called with. */
  done: Promise<unknown>;
  doneCalled(): boolean;
  abort(): void;
}

/** Starts a library Watch; resolves once the server answered (the library returns after the response headers). */
async function watchEvents(kc: KubeConfig, path: string, query: Record<string, string | number | boolean>): Promise<Watching> {
  const events: SeenEvent[] = [];
  let called = false;
  let resolveDone: (err: unknown) => void = () => undefined;
  const done = new Promise<unknown>((r) => (resolveDone = r));
  const controller = await new Watch(kc).watch(
    path,
    query,
    (type: string, obj: KubernetesObject) => {
      events.push({ type, name: obj.metadata?.name ?? '', rv: obj.metadata?.resourceVersion ?? '', labels: obj.metadata?.labels ?? {}, object: obj });
    },
    (err: unknown) => {
      called = true;
      resolveDone(err);
    },
  );
  return { events, done, doneCalled: () => called, abort: () => controller.abort() };
}

const podSpec = (name: string, labels: Record<string, string> = {}): V1Pod => ({
  metadata: { name, labels },
  spec: { containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'] }] },
});

const deployment = (name: string, replicas = 1): V1Deployment => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, labels: { app: name } },
  spec: {
    replicas,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: {
        containers: [
          { name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] },
          { name: 'sidecar', image: 'busybox:1.36' },
        ],
      },
    },
  },
});

// Two control planes one after the other; run directly (not under the tap runner) the default would be 30 s.
t.setTimeout(300_000);

for (const store of etcdKinds()) {
  t.test(`@kubernetes/client-node 1.4.0 on k8ts-apiserver over ${store}`, async (t) => {
    const cp: ControlPlane = await startControlPlane(store, { apiserverArgs: ['--min-request-timeout', String(MIN_REQUEST_TIMEOUT_S)] });
    t.teardown(() => cp.stop());
    const kc = new KubeConfig();
    kc.loadFromFile(cp.kubeconfig);
    t.equal(kc.getCurrentCluster()?.server, cp.url, 'the kubeconfig points at the HTTPS port');
    const core = kc.makeApiClient(CoreV1Api);
    const apps = kc.makeApiClient(AppsV1Api);
    const batch = kc.makeApiClient(BatchV1Api);
    const makeNamespace = async (name: string): Promise<void> => {
      await core.createNamespace({ body: { metadata: { name } } });
    };
    const onFailure = (): void => {
      if (t.passing()) return;
      t.comment(cp.logs().slice(-4000));
    };
    t.teardown(onFailure);

    t.test('plain HTTP: refused by the library unless skipTLSVerify, then served', async (t) => {
      const plain = new KubeConfig();
      plain.loadFromClusterAndUser({ name: 'plain', server: cp.httpUrl, skipTLSVerify: false }, { name: 'u', token: 'k8ts-admin' });
      await t.rejects(plain.makeApiClient(CoreV1Api).readNamespace({ name: 'default' }), /HTTP protocol is not allowed when skipTLSVerify is not set or false/);
      const insecure = new KubeConfig();
      insecure.loadFromClusterAndUser({ name: 'plain', server: cp.httpUrl, skipTLSVerify: true }, { name: 'u', token: 'k8ts-admin' });
      const ns = await insecure.makeApiClient(CoreV1Api).readNamespace({ name: 'kube-system' });
      t.equal(ns.status?.phase, 'Active');
    });

    t.test('namespaces and configmaps: create, read, list with selectors and pages, replace, conflicts', async (t) => {
      const ns = await core.createNamespace({ body: { metadata: { name: 'cn-crud', labels: { suite: 'client-node' } } } });
      t.equal(ns.metadata?.name, 'cn-crud');
      t.ok(ns.metadata?.uid, 'the created namespace has a uid');
      t.ok(ns.metadata?.creationTimestamp instanceof Date, 'creationTimestamp decodes as a Date');
      const read = await core.readNamespace({ name: 'cn-crud' });
      t.equal(read.status?.phase, 'Active');
      const labelled = await core.listNamespace({ labelSelector: 'suite=client-node' });
      t.same(labelled.items.map((n) => n.metadata?.name), ['cn-crud'], 'namespace list honours labelSelector');
      t.equal(labelled.kind, 'NamespaceList');

      for (let i = 0; i < 5; i++) {
        const created = await core.createNamespacedConfigMap({
          namespace: 'cn-crud',
          body: { metadata: { name: `cm-${i}`, labels: { parity: i % 2 === 0 ? 'even' : 'odd', idx: String(i) } }, data: { i: String(i) } },
        });
        t.equal(created.metadata?.namespace, 'cn-crud');
      }
      const dup = await failure(core.createNamespacedConfigMap({ namespace: 'cn-crud', body: { metadata: { name: 'cm-0' } } }));
      t.equal(dup.code, 409, 'creating an existing name is a 409');
      t.equal(dup.status.reason, 'AlreadyExists');
      t.equal(dup.status.message, 'configmaps "cm-0" already exists');

      const all = await core.listNamespacedConfigMap({ namespace: 'cn-crud' });
      t.same(all.items.map((c) => c.metadata?.name), ['cm-0', 'cm-1', 'cm-2', 'cm-3', 'cm-4']);
      t.ok(Number(all.metadata?.resourceVersion) > 0, 'the list carries a resourceVersion');
      const even = await core.listNamespacedConfigMap({ namespace: 'cn-crud', labelSelector: 'parity=even,idx!=4' });
      t.same(even.items.map((c) => c.metadata?.name), ['cm-0', 'cm-2']);
      const set = await core.listNamespacedConfigMap({ namespace: 'cn-crud', labelSelector: 'idx in (1,3),parity' });
      t.same(set.items.map((c) => c.metadata?.name), ['cm-1', 'cm-3']);
      const byName = await core.listNamespacedConfigMap({ namespace: 'cn-crud', fieldSelector: 'metadata.name=cm-3' });
      t.same(byName.items.map((c) => c.metadata?.name), ['cm-3']);
      const notName = await core.listNamespacedConfigMap({ namespace: 'cn-crud', fieldSelector: 'metadata.name!=cm-3,metadata.namespace=cn-crud' });
      t.equal(notName.items.length, 4);
      const badField = await failure(core.listNamespacedConfigMap({ namespace: 'cn-crud', fieldSelector: 'data.i=1' }));
      t.equal(badField.code, 400, 'an unsupported field label is a 400');
      t.equal(badField.status.reason, 'BadRequest');

      // limit + continue: three pages of 2, 2, 1, in name order, with remainingItemCount on the way.
      const pages: string[][] = [];
      let token: string | undefined;
      const remaining: (number | undefined)[] = [];
      do {
        const page = await core.listNamespacedConfigMap({ namespace: 'cn-crud', limit: 2, _continue: token });
        pages.push(page.items.map((c) => c.metadata?.name ?? ''));
        remaining.push(page.metadata?.remainingItemCount);
        token = page.metadata?._continue;
      } while (token && pages.length < 10);
      t.same(pages, [['cm-0', 'cm-1'], ['cm-2', 'cm-3'], ['cm-4']], 'pages follow the continue token');
      t.same(remaining, [3, 1, undefined], 'remainingItemCount counts what the next pages hold');
      const filteredPage = await core.listNamespacedConfigMap({ namespace: 'cn-crud', limit: 1, labelSelector: 'parity=odd' });
      t.same(filteredPage.items.map((c) => c.metadata?.name), ['cm-1']);
      t.ok(filteredPage.metadata?._continue, 'a filtered page that is not the last has a continue token');
      const filteredRest = await core.listNamespacedConfigMap({ namespace: 'cn-crud', limit: 5, labelSelector: 'parity=odd', _continue: filteredPage.metadata?._continue });
      t.same(filteredRest.items.map((c) => c.metadata?.name), ['cm-3']);
      t.notOk(filteredRest.metadata?._continue);

      // replace: the read object (its Date timestamps serialized back by the library) goes back unchanged but for data.
      const cm = await core.readNamespacedConfigMap({ name: 'cm-0', namespace: 'cn-crud' });
      const staleRv = cm.metadata!.resourceVersion!;
      cm.data = { i: 'zero' };
      const replaced = await core.replaceNamespacedConfigMap({ name: 'cm-0', namespace: 'cn-crud', body: cm });
      t.same(replaced.data, { i: 'zero' });
      t.not(replaced.metadata?.resourceVersion, staleRv, 'replace moves the resourceVersion');
      t.equal(replaced.metadata?.uid, cm.metadata?.uid);
      t.equal(replaced.metadata?.creationTimestamp?.getTime(), cm.metadata?.creationTimestamp?.getTime(), 'creationTimestamp survives a replace');
      cm.data = { i: 'stale' };
      cm.metadata!.resourceVersion = staleRv;
      const conflict = await failure(core.replaceNamespacedConfigMap({ name: 'cm-0', namespace: 'cn-crud', body: cm }));
      t.equal(conflict.code, 409, 'a stale resourceVersion is a 409');
      t.equal(conflict.status.kind, 'Status');
      t.equal(conflict.status.reason, 'Conflict');
      t.equal(conflict.status.code, 409);
      t.match(conflict.status.message, /^Operation cannot be fulfilled on configmaps "cm-0": the object has been modified/);
      t.same((await core.readNamespacedConfigMap({ name: 'cm-0', namespace: 'cn-crud' })).data, { i: 'zero' }, 'the stale write left nothing');

      const missing = await failure(core.readNamespacedConfigMap({ name: 'nope', namespace: 'cn-crud' }));
      t.equal(missing.code, 404);
      t.equal(missing.status.reason, 'NotFound');
      t.equal(missing.status.message, 'configmaps "nope" not found');
      const noNs = await failure(core.createNamespacedConfigMap({ namespace: 'cn-nowhere', body: { metadata: { name: 'x' } } }));
      t.equal(noNs.code, 404);
      t.equal(noNs.status.message, 'namespaces "cn-nowhere" not found');
    });

    t.test('patches: JSON patch by default, merge and strategic merge through setHeaderOptions', async (t) => {
      await makeNamespace('cn-patch');
      await core.createNamespacedConfigMap({ namespace: 'cn-patch', body: { metadata: { name: 'p', labels: { a: '1' } }, data: { x: '1', y: '2' } } });
      // The generated client's default patch Content-Type is application/json-patch+json.
      const jp = await core.patchNamespacedConfigMap({
        name: 'p',
        namespace: 'cn-patch',
        body: [
          { op: 'replace', path: '/data/x', value: 'json' },
          { op: 'add', path: '/metadata/labels/b', value: '2' },
        ],
      });
      t.same(jp.data, { x: 'json', y: '2' });
      t.same(jp.metadata?.labels, { a: '1', b: '2' });
      const badJp = await failure(core.patchNamespacedConfigMap({ name: 'p', namespace: 'cn-patch', body: [{ op: 'test', path: '/data/x', value: 'other' }] }));
      t.equal(badJp.code, 422, 'a failing JSON patch test op is a 422');
      const merge = await core.patchNamespacedConfigMap(
        { name: 'p', namespace: 'cn-patch', body: { data: { y: null, z: 'merge' }, metadata: { labels: { a: null } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      t.same(merge.data, { x: 'json', z: 'merge' }, 'merge patch: null deletes a key');
      t.same(merge.metadata?.labels, { b: '2' });
      const stale = await failure(
        core.patchNamespacedConfigMap(
          { name: 'p', namespace: 'cn-patch', body: { metadata: { resourceVersion: '1' }, data: { x: 'no' } } },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        ),
      );
      t.equal(stale.code, 409, 'a resourceVersion in a patch body is a precondition');
      t.equal(stale.status.reason, 'Conflict');

      // Server-side apply: the library JSON-encodes the body even as application/apply-patch+yaml.
      const applied = await core.patchNamespacedConfigMap(
        { name: 'p', namespace: 'cn-patch', fieldManager: 'client-node-test', force: true, body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'p' }, data: { applied: 'yes' } } },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      );
      t.equal(applied.data?.['applied'], 'yes', 'apply-patch with a JSON body is understood');
      const appliedNew = await core.patchNamespacedConfigMap(
        { name: 'fresh', namespace: 'cn-patch', fieldManager: 'client-node-test', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'fresh' }, data: { n: '1' } } },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      );
      t.equal(appliedNew.metadata?.namespace, 'cn-patch', 'apply-patch creates a missing object');
      t.same(appliedNew.data, { n: '1' });
      const unknownType = await failure(
        core.patchNamespacedConfigMap({ name: 'p', namespace: 'cn-patch', body: {} }, setHeaderOptions('Content-Type', 'application/vnd.nope+json')),
      );
      t.equal(unknownType.code, 415, 'an unknown patch Content-Type is 415');

      const created = await apps.createNamespacedDeployment({ namespace: 'cn-patch', body: deployment('web') });
      t.equal(created.metadata?.generation, 1);
      const smp = await apps.patchNamespacedDeployment(
        {
          name: 'web',
          namespace: 'cn-patch',
          body: { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27', env: [{ name: 'B', value: '2' }] }] } } } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
      const containers = smp.spec?.template.spec?.containers ?? [];
      t.same(containers.map((c) => c.name), ['web', 'sidecar'], 'strategic merge keeps the containers it does not name');
      t.equal(containers[0]?.image, 'nginx:1.27');
      t.same(containers[0]?.env, [{ name: 'B', value: '2' }, { name: 'A', value: '1' }], 'env merged by name (patch entries first, as Kubernetes orders them)');
      t.same(containers[0]?.ports, [{ containerPort: 80, protocol: 'TCP' }]);
      t.equal(smp.metadata?.generation, 2, 'a spec change bumps generation');
      const del = await apps.patchNamespacedDeployment(
        { name: 'web', namespace: 'cn-patch', body: { spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
      t.same(del.spec?.template.spec?.containers.map((c) => c.name), ['web'], '$patch: delete removes a list entry by merge key');
      const mergeList = await apps.patchNamespacedDeployment(
        { name: 'web', namespace: 'cn-patch', body: { spec: { template: { spec: { containers: [{ name: 'only', image: 'busybox:1.36' }] } } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      t.same(mergeList.spec?.template.spec?.containers.map((c) => c.name), ['only'], 'a merge patch replaces lists whole');
      const invalid = await failure(
        apps.patchNamespacedDeployment({ name: 'web', namespace: 'cn-patch', body: { spec: { replicas: -1 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)),
      );
      t.equal(invalid.code, 422, 'a patch producing an invalid object is a 422');
      t.equal(invalid.status.reason, 'Invalid');
    });

    t.test('delete with query options and an empty body, read after delete, deletecollection', async (t) => {
      await makeNamespace('cn-del');
      for (const name of ['a', 'b', 'c', 'keep']) {
        await core.createNamespacedConfigMap({ namespace: 'cn-del', body: { metadata: { name, labels: { gone: name === 'keep' ? 'no' : 'yes' } } } });
      }
      const status = await core.deleteNamespacedConfigMap({ name: 'a', namespace: 'cn-del' });
      t.equal(status.kind, 'Status');
      t.equal(status.status, 'Success');
      t.equal(status.details?.name, 'a');
      t.equal(status.details?.kind, 'configmaps');
      const after = await failure(core.readNamespacedConfigMap({ name: 'a', namespace: 'cn-del' }));
      t.equal(after.code, 404, 'read after delete is a 404');
      t.equal(after.status.reason, 'NotFound');
      const again = await failure(core.deleteNamespacedConfigMap({ name: 'a', namespace: 'cn-del' }));
      t.equal(again.code, 404, 'deleting twice is a 404');
      const dry = await core.deleteNamespacedConfigMap({ name: 'b', namespace: 'cn-del', dryRun: 'All' });
      t.equal(dry.status, 'Success');
      t.ok(await core.readNamespacedConfigMap({ name: 'b', namespace: 'cn-del' }), 'dryRun=All in the query deletes nothing');
      const bad = await failure(core.deleteNamespacedConfigMap({ name: 'b', namespace: 'cn-del', propagationPolicy: 'Sideways' }));
      t.equal(bad.code, 422, 'an unknown propagationPolicy in the query is an invalid DeleteOptions (not a 400)');
      t.equal(bad.status.reason, 'Invalid');
      t.match(bad.status.message, /^DeleteOptions\.meta\.k8s\.io "" is invalid: propagationPolicy: Unsupported value: "Sideways"/);
      t.ok((bad.status.details?.causes ?? []).some((c) => c.reason === 'FieldValueNotSupported' && c.field === 'propagationPolicy'), 'the cause names propagationPolicy');
      t.ok(await core.readNamespacedConfigMap({ name: 'b', namespace: 'cn-del' }), 'a rejected delete deletes nothing');

      const coll = await core.deleteCollectionNamespacedConfigMap({ namespace: 'cn-del', labelSelector: 'gone=yes' });
      t.ok(coll, 'deletecollection answers');
      const left = await core.listNamespacedConfigMap({ namespace: 'cn-del' });
      t.same(left.items.map((c) => c.metadata?.name), ['keep'], 'deletecollection removed only the selected objects');

      // Pods: DELETE ?gracePeriodSeconds=0 with no body returns the pod and removes it.
      await core.createNamespacedPod({ namespace: 'cn-del', body: podSpec('p') });
      const pod = await core.deleteNamespacedPod({ name: 'p', namespace: 'cn-del', gracePeriodSeconds: 0 });
      t.equal(pod.kind, 'Pod', 'pod delete returns the pod');
      t.equal(pod.metadata?.name, 'p');
      t.equal((await failure(core.readNamespacedPod({ name: 'p', namespace: 'cn-del' }))).code, 404);

      // Deployments with propagationPolicy=Background in the query.
      await apps.createNamespacedDeployment({ namespace: 'cn-del', body: deployment('d') });
      const depStatus = await apps.deleteNamespacedDeployment({ name: 'd', namespace: 'cn-del', propagationPolicy: 'Background' });
      t.equal(depStatus.status, 'Success');
      t.equal(depStatus.details?.group, 'apps');
      t.equal((await failure(apps.readNamespacedDeployment({ name: 'd', namespace: 'cn-del' }))).code, 404);

      // A namespace delete goes through Terminating.
      await core.deleteNamespace({ name: 'cn-del' });
      const terminating = await core.readNamespace({ name: 'cn-del' });
      t.equal(terminating.status?.phase, 'Terminating');
      t.ok(terminating.metadata?.deletionTimestamp instanceof Date, 'the namespace has a deletionTimestamp');
      const refused = await failure(core.createNamespacedConfigMap({ namespace: 'cn-del', body: { metadata: { name: 'late' } } }));
      t.equal(refused.code, 403, 'no new content in a terminating namespace');
      t.equal(refused.status.reason, 'Forbidden');
    });

    t.test('status and scale subresources; cluster-scoped Nodes', async (t) => {
      await makeNamespace('cn-sub');
      const pod = await core.createNamespacedPod({ namespace: 'cn-sub', body: podSpec('s') });
      t.equal(pod.status?.phase, 'Pending');
      pod.status = {
        phase: 'Running',
        podIP: '10.244.1.5',
        conditions: [{ type: 'Ready', status: 'True' }],
      };
      pod.spec!.containers[0]!.image = 'busybox:ignored';
      const withStatus = await core.replaceNamespacedPodStatus({ name: 's', namespace: 'cn-sub', body: pod });
      t.equal(withStatus.status?.phase, 'Running', 'PUT status writes status');
      t.equal(withStatus.status?.podIP, '10.244.1.5');
      t.equal(withStatus.spec?.containers[0]?.image, 'busybox:1.36', 'PUT status ignores spec');
      t.equal(withStatus.status?.qosClass, 'BestEffort', 'a status without qosClass keeps the one set on create');
      const patched = await core.patchNamespacedPodStatus(
        { name: 's', namespace: 'cn-sub', body: { status: { phase: 'Succeeded' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      t.equal(patched.status?.phase, 'Succeeded');
      t.equal(patched.status?.podIP, '10.244.1.5');
      t.equal((await core.readNamespacedPodStatus({ name: 's', namespace: 'cn-sub' })).status?.phase, 'Succeeded');
      const readBack = await core.readNamespacedPod({ name: 's', namespace: 'cn-sub' });
      readBack.status = { phase: 'Failed' };
      readBack.metadata!.labels = { touched: 'yes' };
      const mainPut = await core.replaceNamespacedPod({ name: 's', namespace: 'cn-sub', body: readBack });
      t.equal(mainPut.status?.phase, 'Succeeded', 'the main resource PUT ignores status');
      t.same(mainPut.metadata?.labels, { touched: 'yes' });

      await apps.createNamespacedDeployment({ namespace: 'cn-sub', body: deployment('web', 2) });
      const scale = await apps.readNamespacedDeploymentScale({ name: 'web', namespace: 'cn-sub' });
      t.equal(scale.kind, 'Scale');
      t.equal(scale.apiVersion, 'autoscaling/v1');
      t.equal(scale.spec?.replicas, 2);
      t.equal(scale.status?.replicas, 0);
      t.equal(scale.status?.selector, 'app=web');
      scale.spec = { replicas: 5 };
      const replacedScale = await apps.replaceNamespacedDeploymentScale({ name: 'web', namespace: 'cn-sub', body: scale });
      t.equal(replacedScale.spec?.replicas, 5);
      t.equal((await apps.readNamespacedDeployment({ name: 'web', namespace: 'cn-sub' })).spec?.replicas, 5, 'the scale PUT changed the deployment');
      const staleScale = await failure(apps.replaceNamespacedDeploymentScale({ name: 'web', namespace: 'cn-sub', body: scale }));
      t.equal(staleScale.code, 409, 'a scale PUT with a stale resourceVersion is a conflict');
      const patchedScale = await apps.patchNamespacedDeploymentScale(
        { name: 'web', namespace: 'cn-sub', body: { spec: { replicas: 1 } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      t.equal(patchedScale.spec?.replicas, 1);
      const negative = await failure(
        apps.patchNamespacedDeploymentScale({ name: 'web', namespace: 'cn-sub', body: { spec: { replicas: -3 } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch)),
      );
      t.equal(negative.code, 422);

      const dep = await apps.readNamespacedDeployment({ name: 'web', namespace: 'cn-sub' });
      dep.status = { replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1, observedGeneration: dep.metadata?.generation };
      const depStatus = await apps.replaceNamespacedDeploymentStatus({ name: 'web', namespace: 'cn-sub', body: dep });
      t.equal(depStatus.status?.readyReplicas, 1);
      t.equal((await apps.readNamespacedDeploymentScale({ name: 'web', namespace: 'cn-sub' })).status?.replicas, 1, 'scale status follows the workload status');

      await apps.createNamespacedStatefulSet({
        namespace: 'cn-sub',
        body: {
          metadata: { name: 'db' },
          spec: {
            serviceName: 'db',
            replicas: 1,
            selector: { matchLabels: { app: 'db' } },
            template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'db', image: 'postgres:16' }] } },
          },
        },
      });
      const ssScale = await apps.patchNamespacedStatefulSetScale(
        { name: 'db', namespace: 'cn-sub', body: { spec: { replicas: 3 } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      t.equal(ssScale.spec?.replicas, 3);
      t.equal((await apps.readNamespacedStatefulSet({ name: 'db', namespace: 'cn-sub' })).spec?.replicas, 3);

      // Cluster-scoped: a Node with its status subresource.
      const node = await core.createNode({ body: { metadata: { name: 'cn-node-1', labels: { zone: 'a' } }, spec: { podCIDR: '10.244.7.0/24' } } });
      t.notOk(node.metadata?.namespace, 'a cluster-scoped object has no namespace');
      node.status = {
        capacity: { cpu: '2', memory: '4Gi', pods: '110' },
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
        addresses: [{ type: 'InternalIP', address: '172.30.0.7' }],
      };
      const nodeStatus = await core.replaceNodeStatus({ name: 'cn-node-1', body: node });
      t.equal(nodeStatus.status?.capacity?.['cpu'], '2');
      t.equal(nodeStatus.status?.conditions?.[0]?.reason, 'KubeletReady');
      const nodePatched = await core.patchNode(
        { name: 'cn-node-1', body: { metadata: { labels: { zone: 'b', extra: 'x' } }, spec: { unschedulable: true } } },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      );
      t.same(nodePatched.metadata?.labels, { zone: 'b', extra: 'x' });
      t.equal(nodePatched.spec?.unschedulable, true);
      t.equal(nodePatched.status?.capacity?.['memory'], '4Gi', 'a main-resource patch keeps status');
      const nodes = await core.listNode({ labelSelector: 'zone=b' });
      t.same(nodes.items.map((n) => n.metadata?.name), ['cn-node-1']);
      const nodeDel = await core.deleteNode({ name: 'cn-node-1' });
      t.equal(nodeDel.status, 'Success');
      t.equal((await failure(core.readNode({ name: 'cn-node-1' }))).code, 404);

      // batch/v1: a Job, deleted with propagationPolicy in the query.
      const job = await batch.createNamespacedJob({
        namespace: 'cn-sub',
        body: { metadata: { name: 'once' }, spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] } } } },
      });
      t.ok(job.spec?.selector, 'the server fills in the Job selector');
      t.same((await batch.listNamespacedJob({ namespace: 'cn-sub' })).items.map((j) => j.metadata?.name), ['once']);
      await batch.deleteNamespacedJob({ name: 'once', namespace: 'cn-sub', propagationPolicy: 'Background' });
      t.equal((await failure(batch.readNamespacedJob({ name: 'once', namespace: 'cn-sub' }))).code, 404);
    });

    t.test('an invalid object is a 422 with its causes', async (t) => {
      const bad = await failure(
        core.createNamespacedPod({ namespace: 'default', body: { metadata: { name: 'Bad_Name' }, spec: { containers: [{ name: 'c' }] } } as V1Pod }),
      );
      t.equal(bad.code, 422);
      t.equal(bad.status.kind, 'Status');
      t.equal(bad.status.reason, 'Invalid');
      t.equal(bad.status.code, 422);
      t.equal(bad.status.details?.kind, 'Pod');
      t.equal(bad.status.details?.name, 'Bad_Name');
      const fields = (bad.status.details?.causes ?? []).map((c) => `${c.reason ?? ''} ${c.field ?? ''}`);
      t.ok(fields.includes('FieldValueInvalid metadata.name'), `causes name metadata.name: ${fields.join('; ')}`);
      t.ok(fields.includes('FieldValueRequired spec.containers[0].image'), `causes name the missing image: ${fields.join('; ')}`);
      t.match(bad.status.message, /^Pod "Bad_Name" is invalid: /);
      const badDep = await failure(apps.createNamespacedDeployment({ namespace: 'default', body: { metadata: { name: 'nosel' }, spec: { template: {} } } as V1Deployment }));
      t.equal(badDep.code, 422);
      t.ok((badDep.status.details?.causes ?? []).some((c) => c.field === 'spec.selector'), 'a missing selector is named');
      t.equal((await core.listNamespacedPod({ namespace: 'default' })).items.length, 0, 'nothing was written');
    });

    t.test('KubernetesObjectApi: plain JSON objects by kind, through per-GV discovery', async (t) => {
      await makeNamespace('cn-obj');
      const client = KubernetesObjectApi.makeApiClient(kc);
      const dep = await client.create<V1Deployment>({ ...deployment('generic'), metadata: { name: 'generic', namespace: 'cn-obj' } });
      t.equal(dep.kind, 'Deployment');
      t.equal(dep.metadata?.namespace, 'cn-obj');
      t.equal(dep.spec?.template.spec?.containers[0]?.ports?.[0]?.protocol, 'TCP', 'server defaults come back');
      const cm = await client.create<V1ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'generic', namespace: 'cn-obj' }, data: { a: '1' } });
      t.equal(cm.data?.['a'], '1');
      const inDefault = await client.create<V1ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'defaulted' }, data: {} });
      t.equal(inDefault.metadata?.namespace, 'default', 'a namespaced object without a namespace goes to the context namespace');
      await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'defaulted', namespace: 'default' } });

      const read = await client.read<V1Deployment>({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'generic', namespace: 'cn-obj' } });
      t.equal(read.spec?.replicas, 1);
      // KubernetesObjectApi.patch defaults to strategic merge.
      const patched = await client.patch<V1Deployment>({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'generic', namespace: 'cn-obj' },
        spec: { replicas: 3, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
      } as V1Deployment);
      t.equal(patched.spec?.replicas, 3);
      t.same(patched.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image ?? ''}`), ['web=nginx:1.27', 'sidecar=busybox:1.36']);
      const merged = await client.patch<V1ConfigMap>(
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'generic', namespace: 'cn-obj', labels: { m: '1' } }, data: { b: '2' } },
        undefined,
        undefined,
        undefined,
        undefined,
        PatchStrategy.MergePatch,
      );
      t.same(merged.data, { a: '1', b: '2' });
      t.same(merged.metadata?.labels, { m: '1' });
      // patch(..., ServerSideApply) sends ?fieldManager=&force= and creates a missing object (201).
      const ssa = await client.patch<V1ConfigMap>(
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa', namespace: 'cn-obj' }, data: { s: '1' } },
        undefined,
        undefined,
        'client-node-test',
        true,
        PatchStrategy.ServerSideApply,
      );
      t.same(ssa.data, { s: '1' });
      const ssa2 = await client.patch<V1ConfigMap>(
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa', namespace: 'cn-obj' }, data: { s: '2' } },
        undefined,
        undefined,
        'client-node-test',
        true,
        PatchStrategy.ServerSideApply,
      );
      t.same(ssa2.data, { s: '2' });
      t.equal(ssa2.metadata?.uid, ssa.metadata?.uid, 'a second apply updates the same object');
      await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'ssa', namespace: 'cn-obj' } });
      const list = await client.list<V1ConfigMap>('v1', 'ConfigMap', 'cn-obj', undefined, undefined, undefined, undefined, 'm=1');
      t.same(list.items.map((c) => c.metadata?.name), ['generic']);
      const page = await client.list<V1ConfigMap>('v1', 'ConfigMap', 'cn-obj', undefined, undefined, undefined, 'metadata.name=generic', undefined, 1);
      t.equal(page.items.length, 1);
      merged.data = { c: '3' };
      const replaced = await client.replace<V1ConfigMap>(merged);
      t.same(replaced.data, { c: '3' });
      const ns = await client.read({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'cn-obj' } });
      t.equal(ns.metadata?.name, 'cn-obj', 'cluster-scoped kinds map to paths without a namespace');

      const delStatus = await client.delete({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'generic', namespace: 'cn-obj' } });
      t.equal(delStatus.status, 'Success');
      const gone = await failure(client.read({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'generic', namespace: 'cn-obj' } }));
      t.equal(gone.code, 404);
      t.equal(gone.status.message, 'deployments.apps "generic" not found');
      // Foreground deletion (query options, no body): the object stays with a foregroundDeletion finalizer until the
      // garbage collector (not part of k8ts yet) removes it; removing the finalizer by hand lets it go.
      await client.delete({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'generic', namespace: 'cn-obj' } }, undefined, undefined, 0, undefined, 'Foreground');
      const pending = await client.read<V1ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'generic', namespace: 'cn-obj' } });
      t.same(pending.metadata?.finalizers, ['foregroundDeletion']);
      t.ok(pending.metadata?.deletionTimestamp instanceof Date, 'a foreground deletion sets deletionTimestamp');
      await client.patch(
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'generic', namespace: 'cn-obj', finalizers: null } } as unknown as V1ConfigMap,
        undefined,
        undefined,
        undefined,
        undefined,
        PatchStrategy.MergePatch,
      );
      t.same((await client.list('v1', 'ConfigMap', 'cn-obj')).items, [], 'the last finalizer gone, the object is removed');
      await t.rejects(client.read({ apiVersion: 'v1', kind: 'Widget', metadata: { name: 'x' } }), /Unrecognized API version and kind: v1 Widget/);
      const noGroup = await failure(client.read({ apiVersion: 'nope.example.com/v1', kind: 'Thing', metadata: { name: 'x' } }));
      t.equal(noGroup.code, 404, 'discovery of an unknown group version is a 404');
    });

    t.test('Watch: ordered events, resume, selectors, initial state, server-side end', async (t) => {
      await makeNamespace('cn-watch');
      const path = '/api/v1/namespaces/cn-watch/configmaps';
      const w = await watchEvents(kc, path, { timeoutSeconds: 60 });
      const created = await core.createNamespacedConfigMap({ namespace: 'cn-watch', body: { metadata: { name: 'a', labels: { app: 'x' } }, data: { v: '1' } } });
      const updated = await core.patchNamespacedConfigMap(
        { name: 'a', namespace: 'cn-watch', body: { data: { v: '2' } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await core.deleteNamespacedConfigMap({ name: 'a', namespace: 'cn-watch' });
      t.ok(await eventually(() => w.events.length >= 3), `three events arrive (saw ${JSON.stringify(w.events)})`);
      t.same(w.events.map((e) => `${e.type} ${e.name}`), ['ADDED a', 'MODIFIED a', 'DELETED a'], 'in order');
      t.equal(w.events[0]!.rv, created.metadata?.resourceVersion);
      t.equal(w.events[1]!.rv, updated.metadata?.resourceVersion);
      t.ok(Number(w.events[2]!.rv) > Number(updated.metadata?.resourceVersion), 'DELETED carries the deletion revision');
      // The library splits the stream with readline: events only arrive before the stream ends if each is a line.
      t.notOk(w.doneCalled(), 'every event arrived while the stream is still open (newline-terminated)');
      w.abort();
      t.equal(await within(5000, 'done after abort', w.done).then((e) => (e instanceof Error ? e.name : String(e))), 'AbortError', 'aborting calls done with an AbortError');

      // Resume from the ADDED event's resourceVersion: only what came after it.
      const resumed = await watchEvents(kc, path, { resourceVersion: created.metadata!.resourceVersion!, timeoutSeconds: 60 });
      t.ok(await eventually(() => resumed.events.length >= 2), 'history replays');
      await sleep(200);
      t.same(resumed.events.map((e) => `${e.type} ${e.name} ${e.rv}`), [`MODIFIED a ${w.events[1]!.rv}`, `DELETED a ${w.events[2]!.rv}`]);
      resumed.abort();

      // Label selector: only matching objects; a change that stops matching is a DELETED.
      const sel = await watchEvents(kc, path, { labelSelector: 'app=x', timeoutSeconds: 60 });
      await core.createNamespacedConfigMap({ namespace: 'cn-watch', body: { metadata: { name: 'other', labels: { app: 'y' } } } });
      await core.createNamespacedConfigMap({ namespace: 'cn-watch', body: { metadata: { name: 'match', labels: { app: 'x' } } } });
      await core.patchNamespacedConfigMap(
        { name: 'match', namespace: 'cn-watch', body: { metadata: { labels: { app: 'z' } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await core.patchNamespacedConfigMap(
        { name: 'other', namespace: 'cn-watch', body: { metadata: { labels: { app: 'x' } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      t.ok(await eventually(() => sel.events.length >= 3), 'selected events arrive');
      await sleep(200);
      t.same(
        sel.events.map((e) => `${e.type} ${e.name} ${e.labels['app'] ?? ''}`),
        ['ADDED match x', 'DELETED match z', 'ADDED other x'],
        'leaving the selection is DELETED (with the new state), entering it is ADDED',
      );
      sel.abort();

      // Without a resourceVersion the watch starts with the current state as ADDED events.
      const initial = await watchEvents(kc, path, { timeoutSeconds: 60 });
      t.ok(await eventually(() => initial.events.length >= 2), 'initial ADDED events');
      t.same(initial.events.map((e) => `${e.type} ${e.name}`).sort(), ['ADDED match', 'ADDED other']);
      initial.abort();

      // A field selector on a cluster-scoped watch.
      const nsWatch = await watchEvents(kc, '/api/v1/namespaces', { fieldSelector: 'metadata.name=cn-watch-2', timeoutSeconds: 60 });
      await makeNamespace('cn-watch-2');
      t.ok(await eventually(() => nsWatch.events.length >= 1));
      t.same(nsWatch.events.map((e) => `${e.type} ${e.name}`), ['ADDED cn-watch-2']);
      nsWatch.abort();

      // timeoutSeconds: the server ends the stream; the library calls done(null) exactly when it does.
      const started = Date.now();
      const timed = await watchEvents(kc, path, { resourceVersion: initial.events[0]!.rv, timeoutSeconds: 1 });
      const doneWith = await within(6000, 'the server to end a timeoutSeconds=1 watch', timed.done);
      const took = Date.now() - started;
      t.equal(doneWith, null, 'a server-side end calls done(null)');
      t.ok(took >= 900 && took < 5000, `the watch ended after about 1 s (${took} ms)`);

      // Errors: an unknown resource is a 404 before streaming; done gets an Error carrying statusCode.
      const missing = await watchEvents(kc, '/api/v1/namespaces/cn-watch/widgets', {});
      const err = (await within(5000, 'done for a 404 watch', missing.done)) as { statusCode?: number; message?: string };
      t.equal(err.statusCode, 404, 'a non-200 watch answer reaches done as an error with statusCode');
      t.equal(err.message, 'Not Found');
      const badSel = await watchEvents(kc, path, { labelSelector: 'a in (' });
      t.equal(((await within(5000, 'done for a bad selector', badSel.done)) as { statusCode?: number }).statusCode, 400);
    });

    t.test('a resourceVersion older than the watch cache: ERROR 410 to Watch, a re-list by the informer', async (t) => {
      await makeNamespace('cn-old');
      const path = '/api/v1/namespaces/cn-old/configmaps';
      const old = await core.createNamespacedConfigMap({ namespace: 'cn-old', body: { metadata: { name: 'old' } } });
      const oldRv = old.metadata!.resourceVersion!;
      await core.deleteNamespacedConfigMap({ name: 'old', namespace: 'cn-old' });
      await core.createNamespacedConfigMap({ namespace: 'cn-old', body: { metadata: { name: 'new' } } });
      // A second apiserver on the same store, started now: its watch cache begins at the current revision, so oldRv is
      // older than anything it can replay (as after a failover to a younger apiserver).
      const second = await startApiserver(cp.etcd.endpoints, cp.dir);
      t.teardown(() => second.stop());
      const kc2 = new KubeConfig();
      kc2.loadFromFile(second.kubeconfig);

      const w = await watchEvents(kc2, path, { resourceVersion: oldRv, timeoutSeconds: 30 });
      const doneWith = await within(5000, 'the expired watch to end', w.done);
      t.equal(doneWith, null, 'the server ends the stream after the ERROR event: done(null)');
      t.same(w.events.map((e) => e.type), ['ERROR']);
      const status = w.events[0]?.object as StatusBody | undefined;
      t.equal(status?.kind, 'Status');
      t.equal(status?.code, 410);
      t.equal(status?.reason, 'Expired');
      t.match(status?.message, new RegExp(`^too old resource version: ${oldRv} \\(\\d+\\)$`));

      // The informer's first list is an exact read at oldRv (the state then: 'old'); its watch from there gets the 410,
      // the library drops its resourceVersion, and when the stream ends it lists again: 'old' is deleted, 'new' added.
      const core2 = kc2.makeApiClient(CoreV1Api);
      let lists = 0;
      const informer = makeInformer<V1ConfigMap>(kc2, path, () =>
        core2.listNamespacedConfigMap(lists++ === 0 ? { namespace: 'cn-old', resourceVersion: oldRv, resourceVersionMatch: 'Exact' } : { namespace: 'cn-old' }),
      );
      const seen: string[] = [];
      const errors: unknown[] = [];
      let stopping = false;
      informer.on('add', (o) => seen.push(`add ${o.metadata?.name ?? ''}`));
      informer.on('update', (o) => seen.push(`update ${o.metadata?.name ?? ''}`));
      informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name ?? ''}`));
      informer.on('error', (e) => {
        if (!stopping) errors.push(e);
      });
      t.teardown(async () => {
        stopping = true;
        await informer.stop();
      });
      await within(10_000, 'informer start', informer.start());
      t.ok(await eventually(() => lists >= 2 && seen.length >= 3), `the informer re-listed (lists: ${lists}, events: ${seen.join(', ')})`);
      t.same(seen, ['add old', 'delete old', 'add new'], 'the re-list reconciles the cache');
      await core.createNamespacedConfigMap({ namespace: 'cn-old', body: { metadata: { name: 'newer' } } });
      t.ok(await eventually(() => seen.length >= 4), 'the informer watches again after the re-list');
      t.same(seen.slice(3), ['add newer']);
      t.same(informer.list('cn-old').map((o) => o.metadata?.name).sort(), ['new', 'newer']);
      t.equal(lists, 2, 'exactly one re-list');
      t.same(errors, [], 'a 410 is not reported as an error');
    });

    t.test('makeInformer: list, watch, cache, callbacks, re-watch after the server ends the watch', async (t) => {
      await makeNamespace('cn-inf');
      for (const name of ['one', 'two']) {
        await core.createNamespacedConfigMap({ namespace: 'cn-inf', body: { metadata: { name, labels: { tier: name === 'one' ? 'a' : 'b' } }, data: { v: '0' } } });
      }
      const path = '/api/v1/namespaces/cn-inf/configmaps';
      let lists = 0;
      const informer = makeInformer<V1ConfigMap>(kc, path, () => {
        lists++;
        return core.listNamespacedConfigMap({ namespace: 'cn-inf' });
      });
      const seen: string[] = [];
      const errors: unknown[] = [];
      let connects = 0;
      let stopping = false;
      informer.on('add', (o) => seen.push(`add ${o.metadata?.name ?? ''} ${o.data?.['v'] ?? ''}`));
      informer.on('update', (o) => seen.push(`update ${o.metadata?.name ?? ''} ${o.data?.['v'] ?? ''}`));
      informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name ?? ''}`));
      informer.on('error', (e) => {
        if (!stopping) errors.push(e);
      });
      informer.on('connect', () => connects++);
      t.teardown(async () => {
        stopping = true;
        await informer.stop();
      });
      await within(10_000, 'informer start', informer.start());
      t.same(seen.sort(), ['add one 0', 'add two 0'], 'the initial list fires add for each object');
      t.same(informer.list('cn-inf').map((o) => o.metadata?.name).sort(), ['one', 'two'], 'list() is the cache');
      t.equal(informer.get('one', 'cn-inf')?.data?.['v'], '0', 'get() by name and namespace');
      t.equal(informer.get('one'), undefined, 'get() without the namespace looks in the cluster scope');
      seen.length = 0;

      await core.createNamespacedConfigMap({ namespace: 'cn-inf', body: { metadata: { name: 'three' }, data: { v: '3' } } });
      await core.patchNamespacedConfigMap({ name: 'one', namespace: 'cn-inf', body: { data: { v: '1' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      await core.deleteNamespacedConfigMap({ name: 'two', namespace: 'cn-inf' });
      t.ok(await eventually(() => seen.length >= 3), `watch events reach the informer (${seen.join(', ')})`);
      t.same(seen, ['add three 3', 'update one 1', 'delete two']);
      t.same(informer.list('cn-inf').map((o) => `${o.metadata?.name ?? ''}=${o.data?.['v'] ?? ''}`).sort(), ['one=1', 'three=3']);
      t.equal(informer.get('two', 'cn-inf'), undefined, 'a deleted object leaves the cache');
      t.equal(lists, 1, 'one list');
      const connectsBefore = connects;
      seen.length = 0;

      // The informer asks for no timeout; the apiserver ends its watch after --min-request-timeout (x 1-2). The library
      // then watches again from the last resourceVersion it saw (no re-list: no add events for the cached objects).
      t.ok(await eventually(() => connects > connectsBefore, MIN_REQUEST_TIMEOUT_S * 2000 + 5000), `the informer re-watched (connects: ${connects})`);
      await core.patchNamespacedConfigMap({ name: 'three', namespace: 'cn-inf', body: { data: { v: '33' } } }, setHeaderOptions('Content-Type', PatchStrategy.MergePatch));
      await core.createNamespacedConfigMap({ namespace: 'cn-inf', body: { metadata: { name: 'four' }, data: { v: '4' } } });
      t.ok(await eventually(() => seen.length >= 2), `events after the re-watch (${seen.join(', ')})`);
      t.same(seen, ['update three 33', 'add four 4'], 'no duplicate or missed events across the re-watch');
      t.same(informer.list('cn-inf').map((o) => o.metadata?.name).sort(), ['four', 'one', 'three']);
      t.equal(lists, 1, 'a re-watch after a normal end does not re-list');
      t.same(errors, [], 'no error callbacks');
    });

    t.test('makeInformer with a labelSelector', async (t) => {
      await makeNamespace('cn-inf-sel');
      await core.createNamespacedConfigMap({ namespace: 'cn-inf-sel', body: { metadata: { name: 'in', labels: { pick: 'yes' } } } });
      await core.createNamespacedConfigMap({ namespace: 'cn-inf-sel', body: { metadata: { name: 'out', labels: { pick: 'no' } } } });
      const informer = makeInformer<V1ConfigMap>(
        kc,
        '/api/v1/namespaces/cn-inf-sel/configmaps',
        () => core.listNamespacedConfigMap({ namespace: 'cn-inf-sel', labelSelector: 'pick=yes' }),
        'pick=yes',
      );
      const seen: string[] = [];
      informer.on('add', (o) => seen.push(`add ${o.metadata?.name ?? ''}`));
      informer.on('update', (o) => seen.push(`update ${o.metadata?.name ?? ''}`));
      informer.on('delete', (o) => seen.push(`delete ${o.metadata?.name ?? ''}`));
      let stopping = false;
      const errors: unknown[] = [];
      informer.on('error', (e) => {
        if (!stopping) errors.push(e);
      });
      t.teardown(async () => {
        stopping = true;
        await informer.stop();
      });
      await within(10_000, 'informer start', informer.start());
      t.same(seen, ['add in']);
      await core.createNamespacedConfigMap({ namespace: 'cn-inf-sel', body: { metadata: { name: 'in2', labels: { pick: 'yes' } } } });
      await core.createNamespacedConfigMap({ namespace: 'cn-inf-sel', body: { metadata: { name: 'out2', labels: { pick: 'no' } } } });
      await core.patchNamespacedConfigMap(
        { name: 'in', namespace: 'cn-inf-sel', body: { metadata: { labels: { pick: 'no' } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      await core.patchNamespacedConfigMap(
        { name: 'out', namespace: 'cn-inf-sel', body: { metadata: { labels: { pick: 'yes' } } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
      t.ok(await eventually(() => seen.length >= 4), `selected events (${seen.join(', ')})`);
      await sleep(200);
      t.same(seen, ['add in', 'add in2', 'delete in', 'add out']);
      t.same(informer.list().map((o) => o.metadata?.name).sort(), ['in2', 'out'], 'the cache holds exactly the selected objects');
      t.same(errors, []);
    });

    t.test('makeInformer errors: a failing list or watch reaches on(error)', async (t) => {
      // The list function fails (unknown namespace is fine for a list, an unknown resource is not).
      const badList = makeInformer<V1ConfigMap>(kc, '/api/v1/namespaces/cn-inf/configmaps', () =>
        core.listNamespacedConfigMap({ namespace: 'cn-inf', labelSelector: 'a in (' }),
      );
      const listErrors: unknown[] = [];
      badList.on('error', (e) => listErrors.push(e));
      await within(10_000, 'informer start with a failing list', badList.start());
      t.equal(listErrors.length, 1, 'one error callback');
      t.equal((listErrors[0] as ApiException<unknown>).code, 400, 'the ApiException of the list (400 for a bad selector)');
      await badList.stop();

      // The watch fails: a path the server does not serve. The library reports it and does not retry.
      const badWatch = makeInformer<V1ConfigMap>(kc, '/api/v1/namespaces/cn-inf/widgets', () => core.listNamespacedConfigMap({ namespace: 'cn-inf' }));
      const watchErrors: { statusCode?: number }[] = [];
      let connects = 0;
      badWatch.on('connect', () => connects++);
      badWatch.on('error', (e) => watchErrors.push(e as { statusCode?: number }));
      await within(10_000, 'informer start with a failing watch', badWatch.start());
      t.ok(await eventually(() => watchErrors.length >= 1), 'the watch error is reported');
      t.equal(watchErrors[0]?.statusCode, 404, 'with the HTTP status of the watch answer');
      await sleep(300);
      t.equal(connects, 1, 'no retry after a non-410 error');
      t.equal(watchErrors.length, 1);
      await badWatch.stop();
    });
  });
}
