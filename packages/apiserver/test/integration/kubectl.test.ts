// The real kubectl against k8ts-apiserver on a real store (k8ts-etcd, then Debian's etcd 3.4): the commands users
// type, with their output and errors as kubectl prints them.
import t from 'tap';
import { etcdKinds, startControlPlane, writeFile, type ControlPlane } from '@k8ts/testing';

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
        ports:
        - containerPort: 80
        env:
        - {name: A, value: "1"}
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
    targetPort: 8080
`;

for (const store of etcdKinds()) {
  t.test(`kubectl on k8ts-apiserver over ${store}`, async (t) => {
    const cp: ControlPlane = await startControlPlane(store);
    t.teardown(() => cp.stop());
    const ok = (args: string[], input?: string): string => {
      const r = cp.kubectl(args, input === undefined ? {} : { input });
      if (r.code !== 0) t.fail(`kubectl ${args.join(' ')} exited ${r.code}: ${r.stderr}\n${cp.logs().slice(-4000)}`);
      return r.stdout;
    };

    t.test('version and discovery', async (t) => {
      t.match(ok(['version', '-o', 'json']), /"minor": "32"/);
      const res = ok(['api-resources']);
      for (const line of [/^pods\s+po\s+v1\s+true\s+Pod$/m, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m]) {
        t.match(res, line);
      }
      // Aggregated discovery: with an empty cache kubectl needs only /api and /apis, no per-group-version lists.
      const fresh = cp.kubectl(['api-resources', '-v=6', '--cache-dir', `${cp.dir}/fresh-discovery-cache`]);
      t.equal(fresh.code, 0, fresh.stderr);
      const gets = fresh.stderr.match(/GET https:\/\/\S+/g) ?? [];
      t.ok(gets.some((g) => g.endsWith('/api?timeout=32s')) && gets.some((g) => g.endsWith('/apis?timeout=32s')), gets.join('\n'));
      t.notOk(gets.some((g) => /\/api\/v1\?|\/apis\/[^?]+\?/.test(g)), `no per-group-version requests: ${gets.join(' ')}`);
      t.match(fresh.stdout, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
      t.match(fresh.stdout, /^events\s+ev\s+events\.k8s\.io\/v1\s+true\s+Event$/m);
    });

    t.test('system namespaces and the kubernetes service exist', async (t) => {
      const ns = ok(['get', 'namespaces']);
      for (const n of ['default', 'kube-system', 'kube-public', 'kube-node-lease']) t.match(ns, new RegExp(`^${n}\\s+Active`, 'm'));
      t.match(ok(['get', 'svc', 'kubernetes']), /kubernetes\s+ClusterIP\s+10\.96\.0\.1\s+<none>\s+443\/TCP/);
      t.match(ok(['get', 'endpoints', 'kubernetes', '-o', 'jsonpath={.subsets[0].addresses[0].ip}']), /^127\.0\.0\.1$/);
    });

    t.test('namespace create and delete', async (t) => {
      t.match(ok(['create', 'namespace', 'team-a']), /namespace\/team-a created/);
      t.match(ok(['get', 'ns', 'team-a', '-o', 'jsonpath={.status.phase}']), /^Active$/);
      const r = cp.kubectl(['delete', 'namespace', 'team-a', '--wait=false']);
      t.equal(r.code, 0, r.stderr);
      t.match(ok(['get', 'ns', 'team-a', '-o', 'jsonpath={.status.phase}']), /^Terminating$/);
      const denied = cp.kubectl(['create', 'configmap', 'x', '-n', 'team-a', '--from-literal=a=b']);
      t.not(denied.code, 0);
      t.match(denied.stderr, /unable to create new content in namespace team-a because it is being terminated/);
      const missing = cp.kubectl(['create', 'configmap', 'x', '-n', 'nowhere', '--from-literal=a=b']);
      t.match(missing.stderr, /namespaces "nowhere" not found/);
    });

    t.test('apply a multi-document file, then re-apply a change', async (t) => {
      const file = writeFile(cp.dir, 'app.yaml', DEPLOYMENT);
      const out = ok(['apply', '-f', file]);
      t.match(out, /deployment.apps\/web created/);
      t.match(out, /configmap\/settings created/);
      t.match(out, /service\/web created/);
      t.match(ok(['apply', '-f', file]), /deployment.apps\/web unchanged/);
      const changed = DEPLOYMENT.replace('nginx:1.25', 'nginx:1.26').replace('{name: A, value: "1"}', '{name: A, value: "2"}\n        - {name: B, value: "3"}');
      writeFile(cp.dir, 'app.yaml', changed);
      t.match(ok(['apply', '-f', file]), /deployment.apps\/web configured/);
      const dep = JSON.parse(ok(['get', 'deploy', 'web', '-o', 'json'])) as {
        metadata: { generation: number };
        spec: { strategy: { type: string; rollingUpdate: { maxSurge: string } }; template: { spec: { containers: { image: string; env: unknown[] }[] } } };
      };
      t.equal(dep.spec.template.spec.containers[0]!.image, 'nginx:1.26');
      t.same(dep.spec.template.spec.containers[0]!.env, [
        { name: 'A', value: '2' },
        { name: 'B', value: '3' },
      ]);
      t.equal(dep.metadata.generation, 2);
      t.equal(dep.spec.strategy.type, 'RollingUpdate');
      t.equal(dep.spec.strategy.rollingUpdate.maxSurge, '25%');
      const svc = ok(['get', 'svc', 'web', '-o', 'wide']);
      t.match(svc, /web\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP\s+\S+\s+app=web/);
    });

    t.test('get, describe, label, annotate, scale, patch', async (t) => {
      t.match(ok(['get', 'deploy']), /NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nweb\s+0\/2/);
      t.match(ok(['get', 'deploy', 'web', '-o', 'yaml']), /kind: Deployment/);
      t.match(ok(['describe', 'deployment', 'web']), /Name:\s+web/);
      t.match(ok(['label', 'deploy', 'web', 'tier=front']), /deployment.apps\/web labeled/);
      t.match(ok(['get', 'deploy', '-l', 'tier=front', '-o', 'name']), /deployment.apps\/web/);
      t.match(ok(['annotate', 'deploy', 'web', 'note=hello']), /deployment.apps\/web annotated/);
      t.match(ok(['scale', 'deploy', 'web', '--replicas=4']), /deployment.apps\/web scaled/);
      t.match(ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), /^4$/);
      t.match(ok(['patch', 'deploy', 'web', '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}']), /patched/);
      t.match(ok(['patch', 'configmap', 'settings', '--type=merge', '-p', '{"data":{"mode":"slow"}}']), /patched/);
      t.match(ok(['patch', 'configmap', 'settings', '--type=json', '-p', '[{"op":"add","path":"/data/extra","value":"1"}]']), /patched/);
      const cm = JSON.parse(ok(['get', 'cm', 'settings', '-o', 'json'])) as { data: Record<string, string> };
      t.same(cm.data, { mode: 'slow', extra: '1' });
      const dep = JSON.parse(ok(['get', 'deploy', 'web', '-o', 'json'])) as { spec: { template: { spec: { containers: { image: string; ports: unknown[] }[] } } } };
      t.equal(dep.spec.template.spec.containers[0]!.image, 'nginx:1.27');
      t.same(dep.spec.template.spec.containers[0]!.ports, [{ containerPort: 80, protocol: 'TCP' }]);
    });

    t.test('edit through KUBE_EDITOR', async (t) => {
      const editor = writeFile(cp.dir, 'editor.sh', `#!/bin/sh\nsed -i 's/mode: slow/mode: edited/' "$1"\n`);
      const r = cp.kubectl(['edit', 'configmap', 'settings'], { env: { KUBE_EDITOR: `sh ${editor}` } });
      t.equal(r.code, 0, r.stderr);
      t.match(ok(['get', 'cm', 'settings', '-o', 'jsonpath={.data.mode}']), /^edited$/);
    });

    t.test('create generators (protobuf bodies)', async (t) => {
      t.match(ok(['create', 'deployment', 'api', '--image=nginx:1.25', '--replicas=0', '--port=80']), /deployment.apps\/api created/);
      t.match(ok(['get', 'deploy', 'api', '-o', 'jsonpath={.spec.replicas}']), /^0$/);
      t.match(ok(['create', 'configmap', 'c1', '--from-literal=k=v']), /configmap\/c1 created/);
      t.match(ok(['create', 'secret', 'generic', 's1', '--from-literal=a=b']), /secret\/s1 created/);
      t.match(ok(['get', 'secret', 's1', '-o', 'jsonpath={.data.a}']), /^Yg==$/);
    });

    t.test('validation errors as kubectl prints them', async (t) => {
      const bad = writeFile(cp.dir, 'bad.yaml', 'apiVersion: v1\nkind: Pod\nmetadata: {name: bad}\nspec:\n  containers:\n  - name: c\n    image: busybox\n    bogus: 1\n');
      const strict = cp.kubectl(['apply', '-f', bad]);
      t.not(strict.code, 0);
      t.match(strict.stderr, /unknown field "spec.containers\[0\].bogus"/);
      const invalid = cp.kubectl(['create', '-f', '-'], { input: 'apiVersion: v1\nkind: Pod\nmetadata: {name: Bad_Name}\nspec:\n  containers:\n  - name: c\n' });
      t.not(invalid.code, 0);
      t.match(invalid.stderr, /The Pod "Bad_Name" is invalid/);
      t.match(invalid.stderr, /metadata.name: Invalid value: "Bad_Name"/);
      t.match(invalid.stderr, /spec.containers\[0\].image: Required value/);
      const notFound = cp.kubectl(['get', 'pod', 'nope']);
      t.match(notFound.stderr, /Error from server \(NotFound\): pods "nope" not found/);
    });

    t.test('get -w sees changes, delete waits for removal', async (t) => {
      const w = cp.kubectlAsync(['get', 'configmaps', '-w', '--output-watch-events']);
      await new Promise((r) => setTimeout(r, 1500));
      ok(['create', 'configmap', 'watched', '--from-literal=a=1']);
      ok(['delete', 'configmap', 'watched']);
      const deadline = Date.now() + 10_000;
      while (Date.now() < deadline && !/DELETED\s+watched/.test(w.output())) await new Promise((r) => setTimeout(r, 100));
      w.proc.kill('SIGINT');
      await w.done;
      t.match(w.output(), /ADDED\s+watched/);
      t.match(w.output(), /DELETED\s+watched/);
    });

    t.test('explain from the generated OpenAPI', async (t) => {
      const out = ok(['explain', 'pod.spec.containers']);
      t.match(out, /KIND:\s+Pod/);
      t.match(out, /FIELD:\s+containers/);
      t.match(out, /image\s+<string>/);
    });

    t.test('delete with cascade options and a pod with grace', async (t) => {
      t.match(ok(['delete', 'deployment', 'web', '--cascade=background']), /deployment.apps "web" deleted/);
      t.equal(cp.kubectl(['get', 'deploy', 'web']).code, 1);
      t.match(ok(['run', 'p1', '--image=busybox', '--restart=Never']), /pod\/p1 created/);
      t.match(ok(['get', 'pod', 'p1']), /p1\s+0\/1\s+Pending\s+0/);
      t.match(ok(['delete', 'pod', 'p1']), /pod "p1" deleted/);
      t.equal(cp.kubectl(['get', 'pod', 'p1']).code, 1);
    });

    t.test('foreground and orphan deletes are recorded as finalizers for the garbage collector', async (t) => {
      ok(['create', 'deployment', 'fg', '--image=nginx:1.25', '--replicas=0']);
      t.match(ok(['delete', 'deployment', 'fg', '--cascade=foreground', '--wait=false']), /deployment.apps "fg" deleted/);
      const fg = JSON.parse(ok(['get', 'deploy', 'fg', '-o', 'json'])) as { metadata: { finalizers?: string[]; deletionTimestamp?: string } };
      t.same(fg.metadata.finalizers, ['foregroundDeletion'], 'kept until its dependents are gone');
      t.ok(fg.metadata.deletionTimestamp, 'marked for deletion');
      ok(['create', 'deployment', 'orphaned', '--image=nginx:1.25', '--replicas=0']);
      ok(['delete', 'deployment', 'orphaned', '--cascade=orphan', '--wait=false']);
      t.match(ok(['get', 'deploy', 'orphaned', '-o', 'jsonpath={.metadata.finalizers}']), /"orphan"/);
      // What the garbage collector will do: drop the finalizer, and the object goes.
      for (const name of ['fg', 'orphaned']) ok(['patch', 'deploy', name, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
      const gone = cp.kubectl(['wait', '--for=delete', 'deploy/fg', 'deploy/orphaned', '--timeout=20s']);
      t.equal(gone.code, 0, gone.stderr);
    });

    t.test('apply --server-side creates, then merges a change', async (t) => {
      const doc = (mode: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa\n  labels: {owner: ssa}\ndata:\n  mode: ${mode}\n`;
      const file = writeFile(cp.dir, 'ssa.yaml', doc('one'));
      t.match(ok(['apply', '--server-side', '-f', file]), /configmap\/ssa serverside-applied/);
      writeFile(cp.dir, 'ssa.yaml', doc('two'));
      t.match(ok(['apply', '--server-side', '--field-manager=drill', '-f', file]), /configmap\/ssa serverside-applied/);
      const cm = JSON.parse(ok(['get', 'cm', 'ssa', '-o', 'json'])) as { data: Record<string, string>; metadata: { labels: Record<string, string> } };
      t.same(cm.data, { mode: 'two' });
      t.same(cm.metadata.labels, { owner: 'ssa' });
    });

    t.test('admission defaults: toleration seconds on pods, the default StorageClass on claims', async (t) => {
      ok(['run', 'tolerant', '--image=busybox', '--restart=Never']);
      const tolerations = JSON.parse(ok(['get', 'pod', 'tolerant', '-o', 'jsonpath={.spec.tolerations}'])) as Array<{ key: string; tolerationSeconds: number }>;
      t.same(tolerations.map((x) => [x.key, x.tolerationSeconds]).sort(), [['node.kubernetes.io/not-ready', 300], ['node.kubernetes.io/unreachable', 300]]);
      ok(['apply', '-f', '-'], 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata:\n  name: local\n  annotations: {storageclass.kubernetes.io/is-default-class: "true"}\nprovisioner: k8ts.io/hostpath\n');
      ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n');
      t.equal(ok(['get', 'pvc', 'data', '-o', 'jsonpath={.spec.storageClassName}']), 'local');
      ok(['delete', 'pvc', 'data', '--wait=false']);
      ok(['delete', 'pod', 'tolerant', '--wait=false']);
    });

    t.test('wait for a condition', async (t) => {
      ok(['create', 'namespace', 'waiting']);
      const r = cp.kubectl(['wait', '--for=jsonpath={.status.phase}=Active', 'namespace/waiting', '--timeout=20s']);
      t.equal(r.code, 0, r.stderr);
      t.match(r.stdout, /namespace\/waiting condition met/);

      // --for=condition on a pod whose Ready condition arrives later through the status subresource (as the kubelet
      // will write it): the wait blocks on a watch until then.
      ok(['run', 'ready-later', '--image=busybox', '--restart=Never']);
      const waiting = cp.kubectlAsync(['wait', '--for=condition=Ready', 'pod/ready-later', '--timeout=30s']);
      await new Promise((res) => setTimeout(res, 1000));
      const status = '{"status":{"conditions":[{"type":"Ready","status":"True","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}';
      ok(['patch', 'pod', 'ready-later', '--subresource=status', '--type=merge', '-p', status]);
      t.equal(await waiting.done, 0, waiting.output());
      t.match(waiting.output(), /pod\/ready-later condition met/);
    });
  });
}
