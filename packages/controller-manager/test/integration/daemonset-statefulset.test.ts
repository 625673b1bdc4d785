// DaemonSets and StatefulSets reconciled by a real k8ts-controller-manager against a real apiserver and store, with
// the real scheduler binding the pods and hollow nodes standing in for kubelets, driven with the real kubectl:
// a DaemonSet following nodes as they come and go (nodeSelector, a taint keeping it away until tolerated) and rolling
// to a new template; a StatefulSet creating its pods in order, each only after its predecessor is Running and Ready,
// keeping their claims across pod deletion, rolling with a partition, and scaling down highest ordinal first.
import t from 'tap';
import { type ComponentProcess, type ControlPlane, eventually, type HollowNode, sleep, startComponent, startControlPlane, startHollowNode } from '@k8ts/testing';

interface Meta {
  name: string;
  uid: string;
  generation?: number;
  labels?: Record<string, string>;
  deletionTimestamp?: string;
  ownerReferences?: Array<{ kind: string; name: string; uid: string; controller?: boolean }>;
}
interface PodJson {
  metadata: Meta;
  spec: {
    nodeName?: string;
    hostname?: string;
    subdomain?: string;
    containers: Array<{ image: string }>;
    tolerations?: Array<{ key?: string; operator?: string; effect?: string }>;
    volumes?: Array<{ name: string; persistentVolumeClaim?: { claimName: string } }>;
    affinity?: { nodeAffinity?: { requiredDuringSchedulingIgnoredDuringExecution?: { nodeSelectorTerms: Array<{ matchFields?: Array<{ key: string; values: string[] }> }> } } };
  };
  status?: { phase?: string; conditions?: Array<{ type: string; status: string }> };
}
interface List<T> {
  items: T[];
}

const isReady = (p: PodJson): boolean => p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
const live = (p: PodJson): boolean => !p.metadata.deletionTimestamp;

const daemonSet = (image: string, tolerations = ''): string => `apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  updateStrategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 1}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      nodeSelector: {pool: a}
${tolerations}
      containers: [{name: c, image: ${image}}]
`;

const statefulSet = (replicas: number, image: string, partition = 0): string => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  replicas: ${replicas}
  serviceName: web
  selector: {matchLabels: {app: web}}
  updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: ${partition}}}
  template:
    metadata: {labels: {app: web}}
    spec:
      nodeSelector: {pool: b}
      containers: [{name: c, image: ${image}}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 1Gi}}
`;

t.test('daemonset and statefulset controllers', async (t) => {
  const cp: ControlPlane = await startControlPlane('k8ts');
  const nodes = new Map<string, HollowNode>();
  const components: ComponentProcess[] = [];
  t.teardown(async () => {
    for (const c of components) await c.kill();
    for (const n of nodes.values()) await n.stop();
    await cp.stop();
  });
  const addNode = async (name: string, opts: { pool: string; taint?: boolean; startDelayMs?: number }): Promise<void> => {
    nodes.set(
      name,
      await startHollowNode({
        apiUrl: cp.httpUrl,
        name,
        labels: { pool: opts.pool },
        renewIntervalMs: 2000,
        ...(opts.taint ? { taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] } : {}),
        ...(opts.startDelayMs ? { startDelayMs: opts.startDelayMs } : {}),
      }),
    );
  };
  await addNode('a1', { pool: 'a' });
  await addNode('a2', { pool: 'a' });
  await addNode('b1', { pool: 'b', startDelayMs: 700 });
  components.push(await startComponent('scheduler', { kubeconfig: cp.kubeconfig, args: ['--leader-elect=false'] }));
  components.push(
    await startComponent('controller-manager', {
      kubeconfig: cp.kubeconfig,
      args: ['--controllers', 'daemonset,statefulset,podgc', '--leader-elect=false', '--pod-gc-period', '1s', '--pod-gc-orphan-quarantine', '1s'],
    }),
  );

  const ok = (args: string[], input?: string): string => {
    const r = cp.kubectl(args, input === undefined ? { timeoutMs: 30_000 } : { input, timeoutMs: 30_000 });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  };
  // Reads over plain HTTP with fetch: unlike kubectl (spawnSync) they never stall the hollow nodes in this process.
  const api = async <T>(path: string): Promise<T> => {
    const res = await fetch(`${cp.httpUrl}${path}`, { signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
    return (await res.json()) as T;
  };
  const pods = async (app: string): Promise<PodJson[]> => (await api<List<PodJson>>(`/api/v1/namespaces/default/pods?labelSelector=app%3D${app}`)).items;
  const rolloutStatus = async (what: string): Promise<{ code: number | null; output: string }> => {
    const bg = cp.kubectlAsync(['rollout', 'status', what, '--timeout=40s']);
    const code = await bg.done;
    return { code, output: bg.output() };
  };
  const events = async (name: string): Promise<Array<{ reason: string; message: string }>> =>
    (await api<List<{ reason: string; message: string }>>(`/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3D${name}`)).items;
  const nodesOf = (ps: PodJson[]): string[] => ps.filter(live).map((p) => p.spec.nodeName ?? '?').sort();

  await t.test('a DaemonSet following node add/remove', async (t) => {
    ok(['apply', '-f', '-'], daemonSet('busybox:1'));
    let ps = await eventually('a ready daemon pod on a1 and a2', () => pods('agent'), (p) => nodesOf(p.filter(isReady)).join() === 'a1,a2');
    const first = ps[0]!;
    t.same(first.spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms[0]?.matchFields?.[0]?.key, 'metadata.name', 'pinned by node affinity');
    t.ok(first.spec.tolerations?.some((x) => x.key === 'node.kubernetes.io/unreachable' && x.effect === 'NoExecute'), 'tolerates unreachable');
    t.ok(first.spec.tolerations?.some((x) => x.key === 'node.kubernetes.io/unschedulable' && x.effect === 'NoSchedule'), 'tolerates unschedulable');
    t.match(first.metadata.labels?.['controller-revision-hash'], /^[a-z0-9]+$/);
    t.equal(first.metadata.ownerReferences?.[0]?.kind, 'DaemonSet');
    t.equal((await rolloutStatus('ds/agent')).code, 0, 'rollout status ds/agent completes');
    const status = await eventually(
      'status',
      async () => (await api<{ status?: Record<string, number> }>('/apis/apps/v1/namespaces/default/daemonsets/agent')).status ?? {},
      (s) => s['numberAvailable'] === 2,
    );
    t.same(
      [status['desiredNumberScheduled'], status['currentNumberScheduled'], status['numberReady'], status['updatedNumberScheduled'], status['numberMisscheduled'] ?? 0, status['observedGeneration']],
      [2, 2, 2, 2, 0, 1],
    );

    // A tainted node of the pool gets no daemon unless tolerated; an untainted one (and a node outside the pool) comes and goes.
    await addNode('a3', { pool: 'a', taint: true });
    await addNode('a4', { pool: 'a' });
    ps = await eventually('a daemon pod on a4', () => pods('agent'), (p) => nodesOf(p.filter(isReady)).join() === 'a1,a2,a4');
    await sleep(500);
    t.same(nodesOf(await pods('agent')), ['a1', 'a2', 'a4'], 'none on the tainted a3 nor on b1');
    ok(['apply', '-f', '-'], daemonSet('busybox:1', '      tolerations: [{key: dedicated, operator: Equal, value: infra, effect: NoSchedule}]'));
    await eventually('a daemon pod on the tolerated a3', () => pods('agent'), (p) => nodesOf(p.filter(isReady)).join() === 'a1,a2,a3,a4', 30_000);
    await nodes.get('a4')!.remove();
    nodes.delete('a4');
    await eventually(
      'desiredNumberScheduled 3 after a4 left',
      async () => (await api<{ status?: Record<string, number> }>('/apis/apps/v1/namespaces/default/daemonsets/agent')).status ?? {},
      (s) => s['desiredNumberScheduled'] === 3 && s['numberAvailable'] === 3,
    );
    await eventually("a4's pod collected", () => pods('agent'), (p) => nodesOf(p).join() === 'a1,a2,a3', 20_000);
    t.pass('the DaemonSet followed nodes coming and going');

    // A failed daemon pod is deleted and replaced.
    const onA2 = (await pods('agent')).find((p) => p.spec.nodeName === 'a2' && live(p))!;
    await nodes.get('a2')!.fail(onA2.metadata.name, 'default');
    await eventually('the failed daemon pod replaced', () => pods('agent'), (p) => p.some((x) => x.spec.nodeName === 'a2' && live(x) && isReady(x) && x.metadata.uid !== onA2.metadata.uid));
    t.ok((await events('agent')).some((e) => e.reason === 'FailedDaemonPod' && e.message.includes(onA2.metadata.name)), 'FailedDaemonPod event');

    // RollingUpdate: every pod replaced by one of the new template, at most one node without a ready daemon at a time.
    const oldHash = first.metadata.labels?.['controller-revision-hash'];
    ok(['set', 'image', 'ds/agent', 'c=busybox:2']);
    let worst = 3;
    const done = await eventually(
      'every daemon pod on busybox:2',
      async () => {
        const now = await pods('agent');
        const readyNodes = new Set(now.filter((p) => isReady(p) && live(p)).map((p) => p.spec.nodeName));
        worst = Math.min(worst, readyNodes.size);
        return now;
      },
      (p) => p.length === 3 && p.every((x) => live(x) && isReady(x) && x.spec.containers[0]?.image === 'busybox:2'),
      30_000,
      100,
    );
    t.ok(worst >= 2, `maxUnavailable 1 held (fewest ready nodes seen: ${worst})`);
    const newHash = done[0]!.metadata.labels?.['controller-revision-hash'];
    t.not(newHash, oldHash, 'a new controller-revision-hash');
    t.equal((await rolloutStatus('ds/agent')).code, 0, 'rollout status after the update');
    const revs = (await api<List<{ metadata: Meta; revision: number }>>('/apis/apps/v1/namespaces/default/controllerrevisions')).items.filter(
      (r) => r.metadata.ownerReferences?.[0]?.kind === 'DaemonSet',
    );
    t.same(revs.map((r) => r.revision).sort(), [1, 2, 3], 'a revision per template: first, tolerating, busybox:2');
    t.ok(revs.some((r) => r.metadata.name === `agent-${newHash}`), 'named <ds>-<hash>');
    const reasons = new Set((await events('agent')).map((e) => e.reason));
    t.ok(reasons.has('SuccessfulCreate') && reasons.has('SuccessfulDelete'), 'create and delete events');

    // OnDelete: a new template touches no pod until one is deleted by hand.
    ok(['patch', 'ds/agent', '--type=merge', '-p', '{"spec":{"updateStrategy":{"type":"OnDelete","rollingUpdate":null},"template":{"spec":{"containers":[{"name":"c","image":"busybox:3"}]}}}}']);
    await eventually(
      'the new generation observed',
      async () => (await api<{ metadata: Meta; status?: Record<string, number> }>('/apis/apps/v1/namespaces/default/daemonsets/agent')),
      (d) => d.status?.['observedGeneration'] === d.metadata.generation && d.status?.['updatedNumberScheduled'] === 0,
    );
    await sleep(500);
    t.same((await pods('agent')).filter(live).map((p) => p.spec.containers[0]?.image), ['busybox:2', 'busybox:2', 'busybox:2'], 'OnDelete leaves pods alone');
    const victim = (await pods('agent')).find((p) => p.spec.nodeName === 'a1')!;
    ok(['delete', 'pod', victim.metadata.name, '--wait=false']);
    const replaced = await eventually('a1 replaced', () => pods('agent'), (p) => p.some((x) => x.spec.nodeName === 'a1' && live(x) && isReady(x) && x.metadata.uid !== victim.metadata.uid));
    t.same(replaced.filter((p) => p.spec.nodeName === 'a1' && live(p)).map((p) => p.spec.containers[0]?.image), ['busybox:3'], 'the replacement runs the new template');

    // kubectl rollout history/undo read and replay the ControllerRevisions; undoing renumbers the old revision.
    t.match(ok(['rollout', 'history', 'ds/agent']), /1\s+<none>\s+2\s+<none>\s+3\s+<none>\s+4\s+<none>/);
    ok(['rollout', 'undo', 'ds/agent', '--to-revision=3']);
    t.equal(ok(['get', 'ds/agent', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']), 'busybox:2', 'undo restored the template');
    const renumbered = await eventually(
      'revision 3 renumbered to 5',
      async () => (await api<List<{ metadata: Meta; revision: number }>>('/apis/apps/v1/namespaces/default/controllerrevisions')).items.filter((r) => r.metadata.ownerReferences?.[0]?.kind === 'DaemonSet'),
      (rs) => rs.some((r) => r.revision === 5 && r.metadata.name === `agent-${newHash}`),
    );
    t.same(renumbered.map((r) => r.revision).sort(), [1, 2, 4, 5], 'no new revision for a template seen before');
  });

  await t.test('a StatefulSet scaling in order', async (t) => {
    ok(['apply', '-f', '-'], statefulSet(3, 'nginx:1'));
    // Every snapshot: web-k exists only if web-(k-1) is Running and Ready.
    let violations = 0;
    let sawWaiting = false;
    const snapshot = async (): Promise<Map<string, PodJson>> => {
      const byName = new Map((await pods('web')).map((p) => [p.metadata.name, p] as const));
      for (let k = 1; k < 3; k++) {
        const prev = byName.get(`web-${k - 1}`);
        if (byName.has(`web-${k}`) && !(prev && isReady(prev))) violations++;
        if (prev && !isReady(prev) && !byName.has(`web-${k}`)) sawWaiting = true;
      }
      return byName;
    };
    await eventually('3 ready pods', snapshot, (m) => [...m.values()].filter(isReady).length === 3, 30_000, 50);
    t.equal(violations, 0, 'web-1 and web-2 each created only after its predecessor was Running and Ready');
    t.ok(sawWaiting, 'the controller was seen waiting for a predecessor');
    const web0 = (await pods('web')).find((p) => p.metadata.name === 'web-0')!;
    t.equal(web0.metadata.labels?.['statefulset.kubernetes.io/pod-name'], 'web-0');
    t.equal(web0.metadata.labels?.['apps.kubernetes.io/pod-index'], '0');
    t.same([web0.spec.hostname, web0.spec.subdomain], ['web-0', 'web']);
    t.same(web0.spec.volumes?.find((v) => v.name === 'data')?.persistentVolumeClaim?.claimName, 'data-web-0');
    t.equal((await rolloutStatus('sts/web')).code, 0, 'rollout status sts/web completes');
    const sts = await api<{ status?: Record<string, string | number> }>('/apis/apps/v1/namespaces/default/statefulsets/web');
    t.same([sts.status?.['replicas'], sts.status?.['readyReplicas'], sts.status?.['currentReplicas'], sts.status?.['updatedReplicas']], [3, 3, 3, 3]);
    t.equal(sts.status?.['currentRevision'], sts.status?.['updateRevision']);
    t.equal(web0.metadata.labels?.['controller-revision-hash'], sts.status?.['updateRevision'], 'pods carry the revision name');

    const claims = async (): Promise<Array<{ metadata: Meta }>> => (await api<List<{ metadata: Meta }>>('/api/v1/namespaces/default/persistentvolumeclaims')).items;
    const before = await claims();
    t.same(before.map((c) => c.metadata.name).sort(), ['data-web-0', 'data-web-1', 'data-web-2'], 'a claim per ordinal');
    t.equal(before[0]!.metadata.labels?.['app'], 'web', 'claims carry the selector labels');

    // A deleted pod comes back under its name, with the same claim.
    const oldUid = (await pods('web')).find((p) => p.metadata.name === 'web-1')!.metadata.uid;
    ok(['delete', 'pod', 'web-1', '--wait=false']);
    await eventually('web-1 back', () => pods('web'), (p) => p.some((x) => x.metadata.name === 'web-1' && x.metadata.uid !== oldUid && isReady(x)), 20_000);
    const after = await claims();
    t.same(
      after.map((c) => `${c.metadata.name}/${c.metadata.uid}`).sort(),
      before.map((c) => `${c.metadata.name}/${c.metadata.uid}`).sort(),
      'claims survive pod deletion',
    );

    // RollingUpdate with a partition: only ordinals >= 2 move, then all, highest first.
    ok(['apply', '-f', '-'], statefulSet(3, 'nginx:2', 2));
    await eventually('web-2 updated', () => pods('web'), (p) => p.some((x) => x.metadata.name === 'web-2' && isReady(x) && x.spec.containers[0]?.image === 'nginx:2'), 20_000);
    const partitioned = await rolloutStatus('sts/web');
    t.equal(partitioned.code, 0, 'partitioned rollout complete');
    t.same((await pods('web')).filter((p) => p.spec.containers[0]?.image === 'nginx:1').map((p) => p.metadata.name).sort(), ['web-0', 'web-1'], 'below the partition untouched');
    ok(['apply', '-f', '-'], statefulSet(3, 'nginx:2', 0));
    await eventually('all updated', () => pods('web'), (p) => p.length === 3 && p.every((x) => isReady(x) && live(x) && x.spec.containers[0]?.image === 'nginx:2'), 30_000);
    const updated = await eventually(
      'revision complete',
      async () => (await api<{ status?: Record<string, string | number> }>('/apis/apps/v1/namespaces/default/statefulsets/web')).status ?? {},
      (s) => s['currentRevision'] === s['updateRevision'] && s['updatedReplicas'] === 3,
    );
    t.not(updated['updateRevision'], sts.status?.['updateRevision'], 'a new update revision became current');

    // Scale down: web-2 goes before web-1 starts going; claims stay.
    ok(['scale', 'sts/web', '--replicas=1']);
    let orderBroken = false;
    await eventually(
      'one pod left',
      async () => {
        const byName = new Map((await pods('web')).map((p) => [p.metadata.name, p] as const));
        const web1Going = !byName.has('web-1') || byName.get('web-1')!.metadata.deletionTimestamp !== undefined;
        if (web1Going && byName.has('web-2')) orderBroken = true;
        return byName;
      },
      (m) => m.size === 1 && m.has('web-0'),
      30_000,
      50,
    );
    t.notOk(orderBroken, 'the highest ordinal was deleted first');
    t.equal((await claims()).length, 3, 'claims survive scale-down (Retain)');
    const ev = await events('web');
    t.ok(ev.some((e) => e.reason === 'SuccessfulCreate' && e.message === 'create Pod web-0 in StatefulSet web successful'), 'create event');
    t.ok(ev.some((e) => e.reason === 'SuccessfulCreate' && e.message === 'create Claim data-web-0 Pod web-0 in StatefulSet web success'), 'claim event');
    t.ok(ev.some((e) => e.reason === 'SuccessfulDelete' && e.message === 'delete Pod web-2 in StatefulSet web successful'), 'delete event');
  });
});
