// k8ts-scheduler as a process against a real control plane (k8ts-etcd + k8ts-apiserver) and hollow nodes that play
// kubelet: bursts never overcommit, unschedulable pods land when a node appears, affinity/anti-affinity/taints/
// spread place pods where Kubernetes would, FailedScheduling is reported in Kubernetes' words, and a standby
// scheduler takes over within the lease duration when the leader is killed.
import t from 'tap';
import {
  startControlPlane,
  startHollowNode,
  startScheduler,
  type ComponentProcess,
  type ControlPlane,
  type HollowNode,
} from '@k8ts/testing';
import type { Affinity, Lease, Pod, PodCondition, Toleration, TopologySpreadConstraint } from '@k8ts/api-machinery';

const LEASE_ARGS = ['--leader-elect-lease-duration', '3s', '--leader-elect-renew-deadline', '2s', '--leader-elect-retry-period', '500ms'];
const QUEUE_ARGS = ['--pod-initial-backoff-seconds', '0.2', '--pod-max-backoff-seconds', '1'];
const TOLERATE_INFRA: Toleration[] = [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' }];

let cp: ControlPlane;
const nodes: HollowNode[] = [];
const schedulers: ComponentProcess[] = [];

async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${cp.httpUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface PodInput {
  name: string;
  cpu?: string;
  labels?: Record<string, string>;
  nodeSelector?: Record<string, string>;
  affinity?: Affinity;
  tolerations?: Toleration[];
  spread?: TopologySpreadConstraint[];
}

function podManifest(p: PodInput): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: p.name, namespace: 'default', labels: p.labels ?? {} },
    spec: {
      containers: [{ name: 'app', image: 'busybox', ...(p.cpu ? { resources: { requests: { cpu: p.cpu, memory: '64Mi' } } } : {}) }],
      terminationGracePeriodSeconds: 0,
      ...(p.nodeSelector ? { nodeSelector: p.nodeSelector } : {}),
      ...(p.affinity ? { affinity: p.affinity } : {}),
      ...(p.tolerations ? { tolerations: p.tolerations } : {}),
      ...(p.spread ? { topologySpreadConstraints: p.spread } : {}),
    },
  };
}

const createPod = (p: PodInput): Promise<Pod> => api<Pod>('POST', '/api/v1/namespaces/default/pods', podManifest(p));
const getPod = (name: string): Promise<Pod> => api<Pod>('GET', `/api/v1/namespaces/default/pods/${name}`);
const listPods = async (): Promise<Pod[]> => (await api<{ items: Pod[] }>('GET', '/api/v1/namespaces/default/pods')).items;
const scheduledCondition = (pod: Pod): PodCondition | undefined => pod.status?.conditions?.find((c) => c.type === 'PodScheduled');

async function waitBound(name: string, timeoutMs = 20_000): Promise<string> {
  return waitFor(`pod ${name} bound`, async () => (await getPod(name)).spec?.nodeName || undefined, timeoutMs);
}

async function waitUnschedulable(name: string): Promise<string> {
  return waitFor(`pod ${name} PodScheduled=False`, async () => {
    const c = scheduledCondition(await getPod(name));
    return c?.status === 'False' ? (c.message ?? '') : undefined;
  });
}

async function deleteAllPods(): Promise<void> {
  for (const p of await listPods()) {
    await api('DELETE', `/api/v1/namespaces/default/pods/${p.metadata!.name}`, { gracePeriodSeconds: 0 }).catch(() => undefined);
  }
  await waitFor('all pods deleted', async () => ((await listPods()).length === 0 ? true : undefined));
}

async function leaderOf(procs: ComponentProcess[]): Promise<ComponentProcess | undefined> {
  for (const p of procs) {
    if (!p.alive()) continue;
    const m = await p.get('/metrics').catch(() => undefined);
    if (m && /^leader_election_master_status\{name="kube-scheduler"\} 1$/m.test(m.body)) return p;
  }
  return undefined;
}

t.before(async () => {
  cp = await startControlPlane('k8ts');
  nodes.push(
    await startHollowNode({ apiUrl: cp.httpUrl, name: 'n1', zone: 'z1', taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] }),
    await startHollowNode({ apiUrl: cp.httpUrl, name: 'n2', zone: 'z1' }),
    await startHollowNode({ apiUrl: cp.httpUrl, name: 'n3', zone: 'z2' }),
  );
  const args = [...LEASE_ARGS, ...QUEUE_ARGS];
  schedulers.push(await startScheduler(cp.kubeconfig, args), await startScheduler(cp.kubeconfig, args));
});

t.teardown(async () => {
  for (const s of schedulers) await s.kill();
  for (const n of nodes) await n.stop();
  await cp?.stop();
});

t.test('one leader schedules; /healthz and /readyz answer on both', async (t) => {
  const leader = await waitFor('a leader', () => leaderOf(schedulers));
  t.ok(leader);
  for (const s of schedulers) {
    t.same(await s.get('/healthz'), { status: 200, body: 'ok' });
    // Ready once its informers have synced, which a standby started just before may not have yet.
    const ready = await waitFor('/readyz to answer 200', async () => {
      const r = await s.get('/readyz');
      return r.status === 200 ? r : undefined;
    });
    t.equal(ready.body, 'ok');
  }
  await createPod({ name: 'hello', cpu: '100m' });
  const node = await waitBound('hello');
  t.not(node, 'n1', 'the tainted node is not used by pods without a toleration');
  await nodes.find((n) => n.name === node)!.waitForPods((ps) => ps.some((p) => p.name === 'hello' && p.phase === 'Running'));
  t.pass('the hollow node ran the pod');
  await deleteAllPods();
});

t.test('a burst of pods never overcommits a node; the rest report why in Kubernetes words', async (t) => {
  const names = Array.from({ length: 10 }, (_, i) => `burst-${i}`);
  await Promise.all(names.map((name) => createPod({ name, cpu: '1' })));
  // n2 and n3 have 4 cpu each (n1 is tainted): 8 fit.
  const placed = await waitFor('8 pods bound', async () => {
    const pods = (await listPods()).filter((p) => p.spec?.nodeName);
    return pods.length === 8 ? pods : undefined;
  });
  const perNode: Record<string, number> = {};
  for (const p of placed) perNode[p.spec!.nodeName!] = (perNode[p.spec!.nodeName!] ?? 0) + 1;
  t.same(perNode, { n2: 4, n3: 4 });
  const pending = (await listPods()).filter((p) => !p.spec?.nodeName).map((p) => p.metadata!.name!);
  t.equal(pending.length, 2);
  const message = await waitUnschedulable(pending[0]!);
  t.equal(message, '0/3 nodes are available: 1 node(s) had untolerated taint {dedicated: infra}, 2 Insufficient cpu.');
  const pod = await getPod(pending[0]!);
  t.match(scheduledCondition(pod), { status: 'False', reason: 'Unschedulable' });
  const events = await waitFor('a FailedScheduling event', async () => {
    const list = await api<{ items: { reason?: string; type?: string; message?: string; source?: { component?: string } }[] }>(
      'GET',
      `/api/v1/namespaces/default/events?fieldSelector=${encodeURIComponent(`involvedObject.name=${pending[0]}`)}`,
    );
    const failed = list.items.filter((e) => e.reason === 'FailedScheduling');
    return failed.length > 0 ? failed : undefined;
  });
  t.match(events[0], { type: 'Warning', message, source: { component: 'default-scheduler' } });
  const described = cp.kubectl(['describe', 'pod', pending[0]!]);
  t.match(described.stdout, /FailedScheduling\s+.*default-scheduler\s+0\/3 nodes are available/, 'kubectl describe shows it');

  // A node appears: the two waiting pods move and land on it.
  nodes.push(await startHollowNode({ apiUrl: cp.httpUrl, name: 'n4', zone: 'z2' }));
  for (const name of pending) t.equal(await waitBound(name, 10_000), 'n4', `${name} scheduled on the new node`);
  await waitFor('PodScheduled=True', async () => (scheduledCondition(await getPod(pending[0]!))?.status === 'True' ? true : undefined));
  await deleteAllPods();
});

t.test('required anti-affinity spreads one per node; the next pod is unschedulable', async (t) => {
  const anti: Affinity = {
    podAntiAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'solo' } }, topologyKey: 'kubernetes.io/hostname' }],
    },
  };
  const placed = new Set<string>();
  for (let i = 0; i < 4; i++) {
    await createPod({ name: `solo-${i}`, labels: { app: 'solo' }, affinity: anti, tolerations: TOLERATE_INFRA });
    placed.add(await waitBound(`solo-${i}`));
  }
  t.same([...placed].sort(), ['n1', 'n2', 'n3', 'n4']);
  await createPod({ name: 'solo-4', labels: { app: 'solo' }, affinity: anti, tolerations: TOLERATE_INFRA });
  t.equal(await waitUnschedulable('solo-4'), "0/4 nodes are available: 4 node(s) didn't match pod anti-affinity rules.");
  await deleteAllPods();
});

t.test('pod affinity, node affinity and taints place pods where Kubernetes would', async (t) => {
  await createPod({ name: 'leader', labels: { app: 'leader' }, nodeSelector: { 'kubernetes.io/hostname': 'n3' } });
  t.equal(await waitBound('leader'), 'n3');
  await createPod({
    name: 'follower',
    affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'leader' } }, topologyKey: 'topology.kubernetes.io/zone' }] } },
  });
  t.match(await waitBound('follower'), /^n[34]$/, 'in the leader\'s zone z2');
  const zoneOne: Affinity = {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'topology.kubernetes.io/zone', operator: 'In', values: ['z1'] }] }] },
    },
  };
  await createPod({ name: 'z1-plain', affinity: zoneOne });
  t.equal(await waitBound('z1-plain'), 'n2', 'z1 without a toleration: only n2');
  await createPod({
    name: 'infra',
    tolerations: TOLERATE_INFRA,
    affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, preference: { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['n1'] }] } }] } },
  });
  t.equal(await waitBound('infra'), 'n1', 'tolerating the taint and preferring n1');
  await createPod({ name: 'nowhere', nodeSelector: { disk: 'nvme' } });
  t.equal(await waitUnschedulable('nowhere'), "0/4 nodes are available: 1 node(s) had untolerated taint {dedicated: infra}, 3 node(s) didn't match Pod's node affinity/selector.");
  await deleteAllPods();
});

t.test('topology spread constraints keep zones within maxSkew', async (t) => {
  const spread: TopologySpreadConstraint[] = [
    { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'spread' } } },
  ];
  const zones: Record<string, number> = {};
  for (let i = 0; i < 6; i++) {
    await createPod({ name: `spread-${i}`, cpu: '100m', labels: { app: 'spread' }, spread });
    const node = await waitBound(`spread-${i}`);
    const zone = node === 'n1' || node === 'n2' ? 'z1' : 'z2';
    zones[zone] = (zones[zone] ?? 0) + 1;
    t.ok(Math.abs((zones['z1'] ?? 0) - (zones['z2'] ?? 0)) <= 1, `after ${i + 1} pods: ${JSON.stringify(zones)}`);
  }
  t.same(zones, { z1: 3, z2: 3 });
  await deleteAllPods();
});

t.test('a pod failed by its (hollow) kubelet frees the node for a waiting pod', async (t) => {
  const lease = await api<Lease>('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/n1');
  t.match(lease.spec, { holderIdentity: 'n1', leaseDurationSeconds: 40 }, 'the hollow node keeps its node lease');
  const onN1 = { nodeSelector: { 'kubernetes.io/hostname': 'n1' }, tolerations: TOLERATE_INFRA };
  await createPod({ name: 'hog', cpu: '4', ...onN1 });
  t.equal(await waitBound('hog'), 'n1');
  await createPod({ name: 'waiter', cpu: '1', ...onN1 });
  t.equal(await waitUnschedulable('waiter'), "0/4 nodes are available: 1 Insufficient cpu, 3 node(s) didn't match Pod's node affinity/selector.");
  await nodes[0]!.fail('hog');
  t.equal((await getPod('hog')).status?.phase, 'Failed');
  t.equal(await waitBound('waiter', 10_000), 'n1');
  await deleteAllPods();
});

t.test('metrics count attempts by result and show the queues', async (t) => {
  const leader = (await leaderOf(schedulers))!;
  const metrics = (await leader.get('/metrics')).body;
  t.match(metrics, /^scheduler_schedule_attempts_total\{result="scheduled",profile="default-scheduler"\} \d+$/m);
  t.match(metrics, /^scheduler_schedule_attempts_total\{result="unschedulable",profile="default-scheduler"\} \d+$/m);
  t.match(metrics, /^scheduler_scheduling_attempt_duration_seconds_bucket\{result="scheduled",profile="default-scheduler",le="0.1"\} \d+$/m);
  t.match(metrics, /^scheduler_pending_pods\{queue="active"\} 0$/m);
  t.match(metrics, /^scheduler_cache_size\{type="nodes"\} 4$/m);
});

t.test('HA: kill the leader and the standby takes over within the lease duration; SIGTERM releases the lease', async (t) => {
  const leader = (await leaderOf(schedulers))!;
  const standby = schedulers.find((s) => s !== leader)!;
  await leader.kill();
  const killedAt = Date.now();
  await createPod({ name: 'after-failover', cpu: '100m' });
  await waitFor('the standby leads', async () => ((await leaderOf([standby])) ? true : undefined), 10_000);
  const tookOver = Date.now() - killedAt;
  // The standby takes the lease once it saw no renewal for the lease duration; it looks every retry period (+ jitter).
  t.ok(tookOver < 3000 + 2 * 1100, `took over after ${tookOver} ms (lease 3 s, retry 0.5 s)`);
  await waitBound('after-failover', 5000);
  t.pass('the new leader scheduled the pod');

  await standby.stop();
  t.equal(await standby.exited, 0, 'clean exit on SIGTERM');
  const lease = await api<Lease>('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler');
  t.equal(lease.spec?.holderIdentity ?? '', '', 'the leader released its lease');
});
