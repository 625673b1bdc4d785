// ReplicaSets and ReplicationControllers reconciled by a real k8ts-controller-manager process against a real
// apiserver and store, driven with the real kubectl: scale up and down, adoption and release, events, and leader
// election between two controller-managers.
import t from 'tap';
import { type ComponentProcess, type ControlPlane, eventually, sleep, startComponent, startControlPlane } from '@k8ts/testing';


interface PodJson {
  metadata: { name: string; labels?: Record<string, string>; ownerReferences?: Array<{ kind: string; name: string; uid: string; controller?: boolean }> };
}


const RS = (replicas: number): string => `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: web}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      containers: [{name: c, image: busybox, command: [sleep, "3600"]}]
`;

t.test('replicaset and replicationcontroller controllers', async (t) => {
  const cp: ControlPlane = await startControlPlane('k8ts');
  const managers: ComponentProcess[] = [];
  t.teardown(async () => {
    for (const m of managers) await m.kill();
    await cp.stop();
  });
  const ok = (args: string[], input?: string): string => {
    const r = cp.kubectl(args, input === undefined ? {} : { input });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  const pods = (selector = 'app=web'): PodJson[] => (JSON.parse(ok(['get', 'pods', '-l', selector, '-o', 'json'])) as { items: PodJson[] }).items;
  const leaseArgs = ['--leader-elect-lease-duration', '4s', '--leader-elect-renew-deadline', '3s', '--leader-elect-retry-period', '500ms', '--controllers', 'replicaset,replicationcontroller'];
  managers.push(await startComponent('controller-manager', { kubeconfig: cp.kubeconfig, args: leaseArgs }));

  t.test('scale up, status, events', async (t) => {
    ok(['apply', '-f', '-'], RS(3));
    const created = await eventually('3 pods', () => pods(), (p) => p.length === 3);
    for (const p of created) {
      t.match(p.metadata.name, /^web-[a-z0-9]{5}$/, 'generateName web-');
      t.equal(p.metadata.ownerReferences?.[0]?.kind, 'ReplicaSet');
      t.equal(p.metadata.ownerReferences?.[0]?.controller, true);
      t.same(p.metadata.labels, { app: 'web', tier: 'front' });
    }
    const status = await eventually(
      'status replicas 3',
      () => JSON.parse(ok(['get', 'rs', 'web', '-o', 'jsonpath={.status}'])) as { replicas?: number; fullyLabeledReplicas?: number; observedGeneration?: number },
      (s) => s.replicas === 3,
    );
    t.equal(status.fullyLabeledReplicas, 3);
    t.equal(status.observedGeneration, 1);
    const described = await eventually('events', () => ok(['describe', 'rs', 'web']), (d) => /SuccessfulCreate/.test(d));
    t.match(described, /Normal\s+SuccessfulCreate\s+\S+\s+replicaset-controller\s+Created pod: web-/);
  });

  t.test('scale down deletes, scale up replaces', async (t) => {
    ok(['scale', 'rs', 'web', '--replicas=1']);
    await eventually('1 pod', () => pods(), (p) => p.length === 1);
    const victim = pods()[0]!.metadata.name;
    ok(['delete', 'pod', victim, '--wait=false']);
    const replaced = await eventually('a replacement', () => pods(), (p) => p.length === 1 && p[0]!.metadata.name !== victim);
    t.not(replaced[0]!.metadata.name, victim, 'a deleted pod is replaced by a new one');
  });

  t.test('an orphan with matching labels is adopted; a pod that stops matching is released', async (t) => {
    ok(['run', 'orphan', '--image=busybox', '--restart=Never', '--labels=app=web']);
    // Adopted, and since the ReplicaSet now has 2 pods for 1 replica, one of them goes.
    await eventually('back to 1 pod', () => pods(), (p) => p.length === 1, 20_000);
    ok(['scale', 'rs', 'web', '--replicas=2']);
    const two = await eventually('2 pods', () => pods(), (p) => p.length === 2);
    t.ok(two.every((p) => p.metadata.ownerReferences?.[0]?.name === 'web'), 'every matching pod is owned');
    const leaving = two[0]!.metadata.name;
    ok(['label', 'pod', leaving, 'app=other', '--overwrite']);
    const released = await eventually(
      'release',
      () => JSON.parse(ok(['get', 'pod', leaving, '-o', 'json'])) as PodJson,
      (p) => (p.metadata.ownerReferences ?? []).length === 0,
    );
    t.same(released.metadata.ownerReferences ?? [], [], 'the controller reference is gone');
    await eventually('a replacement for the released pod', () => pods(), (p) => p.length === 2);
  });

  t.test('a ReplicationController keeps its pods too', async (t) => {
    ok(['apply', '-f', '-'], 'apiVersion: v1\nkind: ReplicationController\nmetadata: {name: legacy}\nspec:\n  replicas: 2\n  selector: {app: legacy}\n  template:\n    metadata: {labels: {app: legacy}}\n    spec:\n      containers: [{name: c, image: busybox}]\n');
    const rcPods = await eventually('2 rc pods', () => pods('app=legacy'), (p) => p.length === 2);
    t.ok(rcPods.every((p) => p.metadata.ownerReferences?.[0]?.kind === 'ReplicationController'));
    await eventually('rc status', () => ok(['get', 'rc', 'legacy', '-o', 'jsonpath={.status.replicas}']), (s) => s === '2');
  });

  t.test('two controller-managers: one leads, the other takes over', async (t) => {
    const second = await startComponent('controller-manager', { kubeconfig: cp.kubeconfig, args: leaseArgs });
    managers.push(second);
    const holder = (): string => ok(['get', 'lease', '-n', 'kube-system', 'kube-controller-manager', '-o', 'jsonpath={.spec.holderIdentity}']);
    const first = holder();
    t.ok(first.length > 0, `a leader holds the lease: ${first}`);
    await sleep(1500);
    t.equal(holder(), first, 'the standby does not take over while the leader renews');
    // SIGTERM: the leader releases the lease, so the standby takes over without waiting for it to expire.
    await managers[0]!.stop();
    const next = await eventually('a new holder', () => holder(), (h) => h !== '' && h !== first, 15_000);
    t.not(next, first);
    ok(['scale', 'rs', 'web', '--replicas=3']);
    await eventually('the new leader reconciles', () => pods(), (p) => p.length === 3, 20_000);
  });
});
