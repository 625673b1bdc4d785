// Node lifecycle, taint eviction and node IPAM run by a real k8ts-controller-manager (with the scheduler and the
// ReplicaSet controller) against a real control plane and hollow nodes: a node going silent goes Ready=Unknown and
// is tainted, its pods are marked not ready and evicted, and their replacements land on another node; a node that
// reports NotReady and recovers gets and loses the not-ready taints; nodes get distinct podCIDRs.
// Reads go through fetch, never the blocking kubectl, so this process keeps serving its hollow nodes.
import t from 'tap';
import { type ComponentProcess, type ControlPlane, eventually, type HollowNode, startComponent, startControlPlane, startHollowNode } from '@k8ts/testing';


interface Cond {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
interface NodeJson {
  metadata: { name: string };
  spec: { podCIDR?: string; podCIDRs?: string[]; taints?: Array<{ key: string; effect: string; timeAdded?: string }> };
  status: { conditions?: Cond[] };
}
interface PodJson {
  metadata: { name: string; uid: string; deletionTimestamp?: string };
  spec: { nodeName?: string };
  status: { phase?: string; conditions?: Cond[] };
}
interface EventJson {
  reason: string;
  message: string;
  type: string;
  involvedObject: { kind: string; name: string };
  source?: { component?: string };
}


t.test('node lifecycle, taint eviction and node IPAM', async (t) => {
  // DefaultTolerationSeconds admission in the apiserver gives these pods 2 s of tolerance for an unreachable node.
  const cp: ControlPlane = await startControlPlane('k8ts', {
    apiserverArgs: ['--default-not-ready-toleration-seconds', '2', '--default-unreachable-toleration-seconds', '2'],
  });
  const procs: ComponentProcess[] = [];
  const nodes: HollowNode[] = [];
  t.teardown(async () => {
    for (const n of nodes) await n.stop();
    for (const p of procs) await p.kill();
    await cp.stop();
  });
  const api = async <T>(path: string, init?: { method: string; body: unknown }): Promise<T> => {
    const res = await fetch(`${cp.httpUrl}${path}`, {
      method: init?.method ?? 'GET',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      ...(init ? { body: JSON.stringify(init.body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${init?.method ?? 'GET'} ${path}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  };
  const node = (name: string): Promise<NodeJson> => api<NodeJson>(`/api/v1/nodes/${name}`);
  const pods = async (): Promise<PodJson[]> => (await api<{ items: PodJson[] }>('/api/v1/namespaces/default/pods?labelSelector=app%3Dweb')).items;
  const events = async (): Promise<EventJson[]> => (await api<{ items: EventJson[] }>('/api/v1/events')).items;
  const ready = (c: Cond[] | undefined): Cond | undefined => c?.find((x) => x.type === 'Ready');
  const hollow = async (name: string): Promise<HollowNode> => {
    const n = await startHollowNode({ apiUrl: cp.httpUrl, name, renewIntervalMs: 500, leaseDurationSeconds: 2, setPodCIDR: false });
    nodes.push(n);
    return n;
  };

  const nodeA = await hollow('node-a');
  procs.push(await startComponent('scheduler', { kubeconfig: cp.kubeconfig }));
  procs.push(
    await startComponent('controller-manager', {
      kubeconfig: cp.kubeconfig,
      args: [
        '--controllers',
        'replicaset,nodelifecycle,taint-eviction-controller,nodeipam',
        '--node-monitor-grace-period',
        '3s',
        '--node-monitor-period',
        '500ms',
        // Pods here set no tolerations: the default ones (as DefaultTolerationSeconds admission adds) apply.
        '--default-not-ready-toleration-seconds',
        '2',
      ],
    }),
  );

  t.test('nodes get distinct /24 podCIDRs from the cluster CIDR', async (t) => {
    const a = await eventually('node-a podCIDR', () => node('node-a'), (n) => n.spec.podCIDR !== undefined);
    t.match(a.spec.podCIDR, /^10\.244\.\d+\.0\/24$/);
    t.same(a.spec.podCIDRs, [a.spec.podCIDR]);
    const b = await hollow('node-b-ipam');
    void b;
    const bj = await eventually('node-b-ipam podCIDR', () => node('node-b-ipam'), (n) => n.spec.podCIDR !== undefined);
    t.not(bj.spec.podCIDR, a.spec.podCIDR, 'never one in use');
    const registered = await eventually('RegisteredNode events', () => events(), (e) => e.filter((x) => x.reason === 'RegisteredNode').length >= 2);
    t.ok(registered.some((e) => e.involvedObject.name === 'node-a' && e.message === 'Node node-a event: Registered Node node-a in Controller'));
    // Deleting a node releases its subnet (and a new node gets a subnet no live node holds).
    await b.remove();
    await eventually('RemovingNode event', () => events(), (e) => e.some((x) => x.reason === 'RemovingNode' && x.involvedObject.name === 'node-b-ipam'));
  });

  t.test('a node going silent: Unknown, tainted, pods evicted and rescheduled elsewhere', async (t) => {
    await api('/apis/apps/v1/namespaces/default/replicasets', {
      method: 'POST',
      body: {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'web' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'web' } },
          template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] } },
        },
      },
    });
    const onA = await eventually(
      '2 running pods on node-a',
      () => pods(),
      (p) => p.length === 2 && p.every((x) => x.spec.nodeName === 'node-a' && x.status.phase === 'Running'),
    );
    const nodeB = await hollow('node-b');
    const b = await eventually('node-b podCIDR', () => node('node-b'), (n) => n.spec.podCIDR !== undefined);
    const a0 = await node('node-a');
    t.not(b.spec.podCIDR, a0.spec.podCIDR, 'node-b gets its own podCIDR');
    t.equal(ready(a0.status.conditions)?.status, 'True', 'node-a healthy while it renews its lease');
    t.notOk(a0.spec.taints?.some((x) => x.key.startsWith('node.kubernetes.io/')), 'no taints on a healthy node');

    await nodeA.stop();
    // The grace period counts from the last renewal the node made (under load that may be well before stop()).
    const lease = cp.kubectl(['get', 'lease', '-n', 'kube-node-lease', 'node-a', '-o', 'jsonpath={.spec.renewTime}']);
    const lastRenewal = Date.parse(lease.stdout);
    t.ok(Number.isFinite(lastRenewal), `the node's last lease renewal: ${lease.stdout}`);
    const a = await eventually('node-a Unknown', () => node('node-a'), (n) => ready(n.status.conditions)?.status === 'Unknown', 15_000);
    t.ok(Date.now() - lastRenewal >= 3_000, 'not before the 3 s grace period after the last renewal');
    t.match(ready(a.status.conditions), { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    t.ok(
      ['MemoryPressure', 'DiskPressure', 'PIDPressure'].every((type) => a.status.conditions?.find((c) => c.type === type)?.status === 'Unknown'),
      'every condition Unknown',
    );
    const tainted = await eventually('unreachable taints', () => node('node-a'), (n) => (n.spec.taints ?? []).length >= 2);
    const unreachable = tainted.spec.taints?.filter((x) => x.key === 'node.kubernetes.io/unreachable').map((x) => x.effect).sort();
    t.same(unreachable, ['NoExecute', 'NoSchedule'], 'unreachable NoExecute and NoSchedule');
    t.ok(tainted.spec.taints?.find((x) => x.effect === 'NoExecute')?.timeAdded, 'NoExecute taint has timeAdded');

    // Their pods are marked not ready, then (after the 2 s default toleration) deleted; the silent node never
    // confirms, so they stay Terminating, while the ReplicaSet replaces them on node-b.
    const evicted = await eventually(
      'pods on node-a evicted',
      async () => (await pods()).filter((p) => onA.some((o) => o.metadata.uid === p.metadata.uid)),
      (p) => p.length === 2 && p.every((x) => x.metadata.deletionTimestamp !== undefined),
      15_000,
    );
    for (const p of evicted) {
      t.equal(ready(p.status.conditions)?.status, 'False', `${p.metadata.name} marked Ready=False`);
      t.match(p.status.conditions?.find((c) => c.type === 'DisruptionTarget'), { status: 'True', reason: 'DeletionByTaintManager' });
    }
    await nodeB.waitForPods((p) => p.filter((x) => x.phase === 'Running').length === 2, 20_000);
    const live = (await pods()).filter((p) => !p.metadata.deletionTimestamp);
    t.equal(live.length, 2, 'two live replicas');
    t.ok(live.every((p) => p.spec.nodeName === 'node-b'), 'replacements placed on node-b');

    const ev = await eventually(
      'events',
      () => events(),
      (e) => e.filter((x) => x.reason === 'TaintManagerEviction').length >= 2 && e.some((x) => x.reason === 'NodeNotReady' && x.involvedObject.kind === 'Node'),
    );
    t.ok(ev.some((e) => e.reason === 'NodeNotReady' && e.involvedObject.name === 'node-a' && e.message === 'Node node-a status is now: NodeNotReady'));
    t.ok(ev.some((e) => e.reason === 'NodeNotReady' && e.involvedObject.kind === 'Pod' && e.message === 'Node is not ready'), 'pods get NodeNotReady');
    const eviction = ev.find((e) => e.reason === 'TaintManagerEviction');
    t.match(eviction?.message, /^Marking for deletion Pod default\/web-/);
    t.equal(eviction?.source?.component, 'taint-eviction-controller');
  });

  t.test('a node reporting NotReady gets not-ready taints, and loses them when Ready again', async (t) => {
    const nodeC = await hollow('node-c');
    await eventually('node-c podCIDR', () => node('node-c'), (n) => n.spec.podCIDR !== undefined);
    await nodeC.setReady('False');
    const c = await eventually('not-ready taints', () => node('node-c'), (n) => (n.spec.taints ?? []).filter((x) => x.key === 'node.kubernetes.io/not-ready').length === 2);
    t.notOk(c.spec.taints?.some((x) => x.key === 'node.kubernetes.io/unreachable'), 'not unreachable: its lease is fresh');
    await nodeC.setReady('True');
    await eventually('taints removed', () => node('node-c'), (n) => (n.spec.taints ?? []).length === 0);
    t.pass('taints removed on recovery');
  });
});
