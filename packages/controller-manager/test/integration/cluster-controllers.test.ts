// The namespace, garbage collector, service account, root CA publisher and pod GC controllers in a real
// k8ts-controller-manager against a real apiserver, driven with the real kubectl: namespace deletion (with the
// conditions while content remains), foreground/background/orphan cascading deletes, default ServiceAccounts and
// kube-root-ca.crt, and pods of a deleted Node or over the terminated-pod threshold collected.
import t from 'tap';
import { loadKubeconfig } from '@k8ts/client';
import { type ComponentProcess, type ControlPlane, eventually, type HollowNode, sleep, startComponent, startControlPlane, startHollowNode } from '@k8ts/testing';



interface Meta {
  name: string;
  uid: string;
  finalizers?: string[];
  deletionTimestamp?: string;
  ownerReferences?: Array<{ kind: string; name: string; uid: string }>;
}
interface Obj {
  metadata: Meta;
  status?: { phase?: string; conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> };
  data?: Record<string, string>;
}

const rsYaml = (name: string, replicas: number, ns = 'default'): string => `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: ${name}, namespace: ${ns}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      nodeName: n1
      terminationGracePeriodSeconds: 5
      containers: [{name: c, image: busybox}]
`;

t.test('namespace, garbage collector, service account, root CA and pod GC controllers', async (t) => {
  const cp: ControlPlane = await startControlPlane('k8ts');
  let manager: ComponentProcess | undefined;
  const nodes: HollowNode[] = [];
  t.teardown(async () => {
    for (const n of nodes) await n.stop();
    if (process.env['K8TS_SHOW_LOGS'] && manager) process.stderr.write(manager.logs());
    await manager?.kill();
    await cp.stop();
  });
  // kubectl runs synchronously: anything it waits for must not need this process (the hollow nodes live here).
  const run = (args: string[], input?: string): { code: number; stdout: string; stderr: string } => cp.kubectl(args, input === undefined ? {} : { input });
  const ok = (args: string[], input?: string): string => {
    const r = run(args, input);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  const get = (args: string[]): Obj | undefined => {
    const r = run(['get', ...args, '-o', 'json']);
    return r.code === 0 ? (JSON.parse(r.stdout) as Obj) : undefined;
  };
  const list = (args: string[]): Obj[] => (JSON.parse(ok(['get', ...args, '-o', 'json'])) as { items: Obj[] }).items;
  /** kubectl in the background, so that this process keeps serving the hollow nodes while it waits. */
  const runAsync = async (args: string[], timeoutMs = 60_000): Promise<{ code: number | null; output: string }> => {
    const bg = cp.kubectlAsync(args);
    const timer = setTimeout(() => bg.proc.kill('SIGKILL'), timeoutMs);
    const code = (await bg.done) as number | null;
    clearTimeout(timer);
    return { code, output: bg.output() };
  };

  nodes.push(await startHollowNode({ apiUrl: cp.httpUrl, name: 'n1' }));
  manager = await startComponent('controller-manager', {
    kubeconfig: cp.kubeconfig,
    args: [
      '--controllers',
      'replicaset,garbagecollector,namespace,serviceaccount,root-ca-cert-publisher,podgc',
      '--pod-gc-period',
      '1s',
      '--pod-gc-orphan-quarantine',
      '2s',
      '--terminated-pod-gc-threshold',
      '2',
    ],
  });

  t.test('a default ServiceAccount and kube-root-ca.crt in every namespace', async (t) => {
    await eventually('default/default', () => get(['serviceaccount', 'default']), (sa) => sa !== undefined);
    ok(['create', 'namespace', 'team-a']);
    const sa = await eventually('team-a/default', () => get(['serviceaccount', 'default', '-n', 'team-a']), (x) => x !== undefined);
    ok(['delete', 'serviceaccount', 'default', '-n', 'team-a']);
    const again = await eventually('recreated', () => get(['serviceaccount', 'default', '-n', 'team-a']), (x) => x !== undefined && x.metadata.uid !== sa!.metadata.uid);
    t.not(again!.metadata.uid, sa!.metadata.uid, 'a deleted default ServiceAccount comes back');

    const ca = loadKubeconfig(cp.kubeconfig).ca;
    t.ok(ca, 'the test kubeconfig has a CA');
    const cm = await eventually('kube-root-ca.crt', () => get(['configmap', 'kube-root-ca.crt', '-n', 'team-a']), (x) => x !== undefined);
    t.equal(cm!.data?.['ca.crt'], ca, "the CA of the manager's kubeconfig");
    ok(['patch', 'configmap', 'kube-root-ca.crt', '-n', 'team-a', '--type=merge', '-p', '{"data":{"ca.crt":"tampered"}}']);
    await eventually('restored', () => get(['configmap', 'kube-root-ca.crt', '-n', 'team-a']), (x) => x?.data?.['ca.crt'] === ca);
    t.pass('an edited CA is put back');
  });

  t.test('deleting a namespace deletes everything in it, then the namespace', async (t) => {
    ok(['create', 'namespace', 'doomed']);
    ok(['apply', '-f', '-'], rsYaml('app', 3, 'doomed'));
    ok(['apply', '-f', '-'], 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: dep, namespace: doomed}\nspec:\n  replicas: 0\n  selector: {matchLabels: {app: dep}}\n  template:\n    metadata: {labels: {app: dep}}\n    spec: {containers: [{name: c, image: busybox}]}\n');
    ok(['create', 'configmap', 'settings', '-n', 'doomed', '--from-literal=a=b']);
    ok(['create', 'secret', 'generic', 'token', '-n', 'doomed', '--from-literal=t=x']);
    ok(['create', 'service', 'clusterip', 'svc', '-n', 'doomed', '--tcp=80:8080']);
    await eventually('3 running pods', () => list(['pods', '-n', 'doomed']), (p) => p.length === 3 && p.every((x) => x.status?.phase === 'Running'));
    const started = Date.now();
    const del = await runAsync(['delete', 'namespace', 'doomed', '--timeout=60s']);
    t.equal(del.code, 0, `kubectl delete namespace returns: ${del.output.trim()}`);
    t.ok(Date.now() - started < 60_000, `in ${Date.now() - started} ms`);
    t.equal(get(['namespace', 'doomed']), undefined, 'the namespace is gone');
    t.equal(run(['get', 'all', '-n', 'doomed', '-o', 'name']).stdout.trim(), '', 'and nothing of it is left');
  });

  t.test('a namespace waits for content held by a finalizer, with Kubernetes conditions', async (t) => {
    ok(['create', 'namespace', 'held']);
    ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: pinned, namespace: held, finalizers: [example.com/hold]}\ndata: {a: b}\n');
    ok(['delete', 'namespace', 'held', '--wait=false']);
    const ns = await eventually(
      'finalizers remaining',
      () => get(['namespace', 'held']),
      (n) => (n?.status?.conditions ?? []).some((c) => c.type === 'NamespaceFinalizersRemaining' && c.status === 'True'),
    );
    const cond = (type: string) => ns!.status!.conditions!.find((c) => c.type === type);
    t.equal(ns!.status?.phase, 'Terminating');
    t.same([cond('NamespaceFinalizersRemaining')?.reason, cond('NamespaceFinalizersRemaining')?.message], ['SomeFinalizerRemain', 'Some finalizers are remaining: example.com/hold in 1 resource instances']);
    t.same([cond('NamespaceContentRemaining')?.status, cond('NamespaceContentRemaining')?.reason], ['True', 'SomeResourcesRemain']);
    t.match(cond('NamespaceContentRemaining')?.message ?? '', /configmaps\. has 1 resource instances/);
    t.same([cond('NamespaceDeletionDiscoveryFailure')?.status, cond('NamespaceDeletionDiscoveryFailure')?.reason], ['False', 'ResourcesDiscovered']);
    t.same([cond('NamespaceDeletionContentFailure')?.status, cond('NamespaceDeletionContentFailure')?.reason], ['False', 'ContentDeleted']);
    const create = run(['create', 'configmap', 'late', '-n', 'held']);
    t.not(create.code, 0, 'nothing new can be created meanwhile');
    ok(['patch', 'configmap', 'pinned', '-n', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    await eventually('namespace gone', () => get(['namespace', 'held']), (n) => n === undefined, 30_000);
    t.pass('the namespace goes once its content is gone');
  });

  t.test('foreground cascading: dependents first, then the owner', async (t) => {
    ok(['apply', '-f', '-'], rsYaml('fg', 2));
    const pods = await eventually('2 pods', () => list(['pods', '-l', 'app=fg']), (p) => p.length === 2 && p.every((x) => x.status?.phase === 'Running'));
    // A finalizer on one pod holds it, so the owner must stay while it does.
    ok(['patch', 'pod', pods[0]!.metadata.name, '--type=merge', '-p', '{"metadata":{"finalizers":["example.com/hold"]}}']);
    ok(['delete', 'rs', 'fg', '--cascade=foreground', '--wait=false']);
    const rs = await eventually('rs waiting for its pods', () => get(['rs', 'fg']), (r) => r?.metadata.deletionTimestamp !== undefined);
    t.same(rs!.metadata.finalizers, ['foregroundDeletion'], 'the owner carries foregroundDeletion');
    await eventually('the free pod is gone', () => list(['pods', '-l', 'app=fg']), (p) => p.length === 1);
    await sleep(1500);
    t.ok(get(['rs', 'fg']), 'the owner stays while a blocking dependent remains');
    ok(['patch', 'pod', pods[0]!.metadata.name, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
    await eventually('pods gone', () => list(['pods', '-l', 'app=fg']), (p) => p.length === 0);
    await eventually('rs gone', () => get(['rs', 'fg']), (r) => r === undefined);
    t.pass('then the owner goes');
    ok(['apply', '-f', '-'], rsYaml('fg2', 2));
    await eventually('2 pods', () => list(['pods', '-l', 'app=fg2']), (p) => p.length === 2);
    const del = await runAsync(['delete', 'rs', 'fg2', '--cascade=foreground', '--timeout=30s']);
    t.equal(del.code, 0, 'kubectl delete --cascade=foreground returns');
    t.same(list(['pods', '-l', 'app=fg2']), [], 'with the pods gone');
  });

  t.test('background cascading and orphaning', async (t) => {
    ok(['apply', '-f', '-'], rsYaml('bg', 2));
    await eventually('2 pods', () => list(['pods', '-l', 'app=bg']), (p) => p.length === 2);
    ok(['delete', 'rs', 'bg', '--wait=false']);
    await eventually('dependents collected', () => list(['pods', '-l', 'app=bg']), (p) => p.length === 0);
    t.pass('background: pods deleted after the owner');

    ok(['apply', '-f', '-'], rsYaml('orph', 2));
    const before = await eventually('2 pods', () => list(['pods', '-l', 'app=orph']), (p) => p.length === 2);
    ok(['delete', 'rs', 'orph', '--cascade=orphan', '--wait=false']);
    await eventually('rs gone', () => get(['rs', 'orph']), (r) => r === undefined);
    const after = await eventually('pods orphaned', () => list(['pods', '-l', 'app=orph']), (p) => p.every((x) => (x.metadata.ownerReferences ?? []).length === 0));
    t.same(after.map((p) => p.metadata.uid).sort(), before.map((p) => p.metadata.uid).sort(), 'the same pods stay, without owner references');
    await sleep(1000);
    t.equal(list(['pods', '-l', 'app=orph']).length, 2, 'and are not collected');
  });

  t.test('an object whose owner never existed is collected; one with a live owner keeps it', async (t) => {
    const owner = JSON.parse(ok(['create', 'configmap', 'owner', '-o', 'json'])) as Obj;
    ok(['apply', '-f', '-'], `apiVersion: v1
kind: ConfigMap
metadata:
  name: dangling
  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: ghost, uid: 00000000-0000-0000-0000-000000000001}]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: mixed
  ownerReferences:
  - {apiVersion: v1, kind: ConfigMap, name: ghost, uid: 00000000-0000-0000-0000-000000000001}
  - {apiVersion: v1, kind: ConfigMap, name: owner, uid: ${owner.metadata.uid}}
`);
    await eventually('dangling collected', () => get(['configmap', 'dangling']), (c) => c === undefined);
    const mixed = await eventually('dead reference dropped', () => get(['configmap', 'mixed']), (c) => (c?.metadata.ownerReferences ?? []).length === 1);
    t.equal(mixed!.metadata.ownerReferences![0]!.name, 'owner', 'the live owner stays referenced');
    // An owner in another namespace cannot own: reported, then (absent in the dependent's namespace) collected.
    ok(['apply', '-f', '-'], `apiVersion: v1
kind: ConfigMap
metadata:
  name: foreign
  namespace: team-a
  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: owner, uid: ${owner.metadata.uid}}]
`);
    await eventually('cross-namespace dependent collected', () => get(['configmap', 'foreign', '-n', 'team-a']), (c) => c === undefined);
    const events = await eventually(
      'OwnerRefInvalidNamespace event',
      () => run(['get', 'events', '-n', 'team-a', '--field-selector', 'reason=OwnerRefInvalidNamespace', '-o', 'json']),
      (r) => r.code === 0 && (JSON.parse(r.stdout) as { items: unknown[] }).items.length > 0,
    );
    t.match(events.stdout, /does not exist in namespace \\"team-a\\"/, 'the garbage collector reports it');
    ok(['delete', 'configmap', 'owner', '--wait=false']);
    await eventually('dependent of a deleted owner collected', () => get(['configmap', 'mixed']), (c) => c === undefined);
    t.pass('collected once its last owner is deleted');
  });

  t.test('pod GC: pods of a deleted Node, terminated pods over the threshold', async (t) => {
    const doomed = await startHollowNode({ apiUrl: cp.httpUrl, name: 'n2' });
    nodes.push(doomed);
    ok(['run', 'stranded', '--image=busybox', '--restart=Never', '--overrides={"spec":{"nodeName":"n2"}}']);
    await doomed.waitForPods((p) => p.some((x) => x.name === 'stranded' && x.phase === 'Running'), 20_000);
    await doomed.remove();
    const gone = Date.now();
    await eventually('orphaned pod deleted', () => get(['pod', 'stranded']), (p) => p === undefined, 20_000);
    t.ok(Date.now() - gone >= 1500, `after the quarantine (${Date.now() - gone} ms)`);

    for (const name of ['done-1', 'done-2', 'done-3']) {
      ok(['run', name, '--image=busybox', '--restart=Never', '--overrides={"spec":{"nodeName":"n1"}}']);
      await nodes[0]!.waitForPods((p) => p.some((x) => x.name === name && x.phase === 'Running'), 20_000);
      await nodes[0]!.succeed(name);
      await sleep(1100); // distinct creation timestamps (second precision)
    }
    await eventually('oldest terminated pod collected', () => get(['pod', 'done-1']), (p) => p === undefined, 20_000);
    t.ok(get(['pod', 'done-2']) && get(['pod', 'done-3']), 'the newest two (the threshold) stay');
  });
});
