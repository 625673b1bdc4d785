import t from 'tap';
import type { Node, Pod, Taint } from '@k8ts/api-machinery';
import {
  affinityForNode,
  countDaemonStatus,
  daemonPodTemplate,
  daemonPodTolerations,
  nodeShouldRunDaemonPod,
  planManage,
  planRollingUpdate,
  podsByNode,
  targetNodeName,
  withDaemonTolerations,
  type DaemonView,
} from '../../src/controllers/daemonset/daemonset-logic.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');

function node(name: string, opts: { labels?: Record<string, string>; taints?: Taint[] } = {}): Node {
  return { metadata: { name, labels: { pool: 'a', ...(opts.labels ?? {}) } }, spec: { ...(opts.taints ? { taints: opts.taints } : {}) } };
}

let seq = 0;
function pod(nodeName: string, hash: string, opts: { ready?: boolean; phase?: string; deleting?: boolean; bound?: boolean; age?: number } = {}): Pod {
  seq++;
  const bound = opts.bound ?? true;
  return {
    metadata: {
      name: `p${seq}`,
      uid: `u${seq}`,
      labels: { app: 'd', 'controller-revision-hash': hash },
      creationTimestamp: new Date(NOW - (opts.age ?? 100) * 1000).toISOString(),
      ...(opts.deleting ? { deletionTimestamp: new Date(NOW).toISOString() } : {}),
    },
    spec: {
      containers: [{ name: 'c', image: 'i' }],
      ...(bound ? { nodeName } : { affinity: affinityForNode(undefined, nodeName) }),
    },
    status: {
      phase: opts.phase ?? 'Running',
      conditions: [{ type: 'Ready', status: opts.ready === false ? 'False' : 'True', lastTransitionTime: new Date(NOW - 60_000).toISOString() }],
    },
  };
}

const view = (over: Partial<DaemonView> = {}): DaemonView => ({
  template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'i' }], nodeSelector: { pool: 'a' } } },
  hash: 'new',
  minReadySeconds: 0,
  strategy: 'RollingUpdate',
  maxUnavailable: 1,
  maxSurge: 0,
  ...over,
});

t.test('default tolerations', async (t) => {
  const keys = daemonPodTolerations(false).map((x) => `${x.key}:${x.effect}`);
  t.same(keys, [
    'node.kubernetes.io/not-ready:NoExecute',
    'node.kubernetes.io/unreachable:NoExecute',
    'node.kubernetes.io/disk-pressure:NoSchedule',
    'node.kubernetes.io/memory-pressure:NoSchedule',
    'node.kubernetes.io/pid-pressure:NoSchedule',
    'node.kubernetes.io/unschedulable:NoSchedule',
  ]);
  t.ok(daemonPodTolerations(true).some((x) => x.key === 'node.kubernetes.io/network-unavailable'), 'hostNetwork adds network-unavailable');
  const merged = withDaemonTolerations({
    containers: [],
    tolerations: [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 },
      { key: 'x', operator: 'Exists' },
    ],
  });
  t.equal(merged.filter((x) => x.key === 'node.kubernetes.io/not-ready').length, 1, 'no duplicate');
  t.notOk(merged.find((x) => x.key === 'node.kubernetes.io/not-ready')?.tolerationSeconds, 'the default (forever) wins, as Kubernetes does');
  const tpl = daemonPodTemplate(view().template, 'h1', 4);
  t.same(tpl.metadata?.labels, { app: 'd', 'pod-template-generation': '4', 'controller-revision-hash': 'h1' });
});

t.test('which nodes run a daemon', async (t) => {
  const tpl = view().template;
  t.same(nodeShouldRunDaemonPod(node('n'), tpl), { shouldRun: true, shouldContinueRunning: true });
  t.same(nodeShouldRunDaemonPod(node('n', { labels: { pool: 'b' } }), tpl), { shouldRun: false, shouldContinueRunning: false }, 'nodeSelector');
  t.same(
    nodeShouldRunDaemonPod(node('n', { taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] }), tpl),
    { shouldRun: false, shouldContinueRunning: true },
    'NoSchedule keeps new pods away but lets running ones stay',
  );
  t.same(nodeShouldRunDaemonPod(node('n', { taints: [{ key: 'dedicated', effect: 'NoExecute' }] }), tpl), { shouldRun: false, shouldContinueRunning: false }, 'NoExecute evicts');
  t.same(nodeShouldRunDaemonPod(node('n', { taints: [{ key: 'dedicated', effect: 'PreferNoSchedule' }] }), tpl).shouldRun, true, 'PreferNoSchedule is ignored');
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    t.same(nodeShouldRunDaemonPod(node('n', { taints: [{ key, effect: 'NoExecute' }] }), tpl).shouldRun, true, `${key} tolerated`);
  }
  t.equal(nodeShouldRunDaemonPod(node('n', { taints: [{ key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }] }), tpl).shouldRun, true, 'cordoned nodes keep daemons');
  const tolerating = { ...tpl, spec: { ...tpl!.spec!, tolerations: [{ key: 'dedicated', operator: 'Exists' }] } };
  t.equal(nodeShouldRunDaemonPod(node('n', { taints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] }), tolerating).shouldRun, true, 'tolerated');
  const affinity = {
    ...tpl,
    spec: {
      containers: [],
      affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['z1'] }] }] } } },
    },
  };
  t.equal(nodeShouldRunDaemonPod(node('n', { labels: { zone: 'z1' } }), affinity).shouldRun, true, 'affinity matches');
  t.equal(nodeShouldRunDaemonPod(node('n', { labels: { zone: 'z2' } }), affinity).shouldRun, false, 'affinity does not');
  t.equal(nodeShouldRunDaemonPod(node('n'), { spec: { containers: [], nodeName: 'other' } }).shouldRun, false, 'spec.nodeName pins');
});

t.test('node affinity pinning', async (t) => {
  const a = affinityForNode(
    {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'x', operator: 'Exists' }] }] },
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'y', operator: 'Exists' }] } }],
      },
    },
    'n7',
  );
  t.same(a.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n7'] }] }] });
  t.equal(a.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution?.length, 1, 'preferences kept');
  t.equal(targetNodeName(pod('n3', 'h', { bound: false })), 'n3', 'an unscheduled pod targets its affinity node');
  t.equal(targetNodeName(pod('n4', 'h')), 'n4');
});

t.test('manage: one pod per eligible node', async (t) => {
  const nodes = [node('n1'), node('n2'), node('n3', { labels: { pool: 'b' } }), node('n4')];
  const older = pod('n2', 'new', { age: 200 });
  const newer = pod('n2', 'new', { age: 10 });
  const failed = pod('n4', 'new', { phase: 'Failed' });
  const stray = pod('n3', 'new');
  const orphanUnscheduled = pod('gone', 'new', { bound: false });
  const orphanBound = pod('gone2', 'new');
  const plan = planManage(nodes, podsByNode([older, newer, failed, stray, orphanUnscheduled, orphanBound]), view(), NOW);
  t.same(plan.nodesNeedingPods, ['n1']);
  t.same(plan.podsToDelete.map((p) => p.metadata?.name).sort(), [newer, failed, stray, orphanUnscheduled].map((p) => p.metadata?.name).sort(), 'the newest extra, the failed, the misplaced, the unscheduled orphan');
  t.same(plan.failedPods.map((f) => f.node), ['n4']);
  const deleting = pod('n1', 'new', { deleting: true });
  t.same(planManage([node('n1')], podsByNode([deleting]), view(), NOW), { nodesNeedingPods: [], podsToDelete: [], failedPods: [] }, 'waits for a terminating pod');
});

t.test('manage with surge keeps old and new until the new one is available', async (t) => {
  const surge = view({ maxSurge: 1, maxUnavailable: 0 });
  const oldPod = pod('n1', 'old', { age: 200 });
  const newUnready = pod('n1', 'new', { ready: false, age: 10 });
  t.same(planManage([node('n1')], podsByNode([oldPod, newUnready]), surge, NOW).podsToDelete, [], 'both stay');
  const newReady = pod('n1', 'new', { age: 10 });
  t.same(planManage([node('n1')], podsByNode([oldPod, newReady]), surge, NOW).podsToDelete.map((p) => p.metadata?.name), [oldPod.metadata?.name], 'old goes');
});

t.test('rolling update within maxUnavailable', async (t) => {
  const nodes = [node('n1'), node('n2'), node('n3')];
  const olds = nodes.map((n) => pod(n.metadata!.name!, 'old'));
  let plan = planRollingUpdate(nodes, podsByNode(olds), view(), NOW);
  t.equal(plan.podsToDelete.length, 1, 'one old pod at a time');
  t.same(plan.nodesToCreate, []);
  plan = planRollingUpdate(nodes, podsByNode(olds), view({ maxUnavailable: '50%' }), NOW);
  t.equal(plan.podsToDelete.length, 2, '50% of 3 rounds up to 2');
  const mid = [pod('n1', 'new', { ready: false }), olds[1]!, olds[2]!];
  t.same(planRollingUpdate(nodes, podsByNode(mid), view(), NOW).podsToDelete, [], 'an unavailable new pod uses up the budget');
  const sick = [pod('n1', 'new', { ready: false }), pod('n2', 'old', { ready: false }), olds[2]!];
  t.same(planRollingUpdate(nodes, podsByNode(sick), view(), NOW).podsToDelete.map((p) => p.spec?.nodeName), ['n2'], 'an unavailable old pod is replaced anyway');
  t.same(planRollingUpdate(nodes, podsByNode([olds[0]!]), view(), NOW).podsToDelete, [], 'nodes still missing a pod count as unavailable');
});

t.test('rolling update with maxSurge', async (t) => {
  const nodes = [node('n1'), node('n2'), node('n3')];
  const olds = nodes.map((n) => pod(n.metadata!.name!, 'old'));
  const surge = view({ maxSurge: 1, maxUnavailable: 0 });
  let plan = planRollingUpdate(nodes, podsByNode(olds), surge, NOW);
  t.equal(plan.nodesToCreate.length, 1, 'one surge pod');
  t.same(plan.podsToDelete, []);
  plan = planRollingUpdate(nodes, podsByNode([...olds, pod('n1', 'new')]), surge, NOW);
  t.same(plan.podsToDelete.map((p) => p.metadata?.name), [olds[0]!.metadata?.name], 'available new pod: its old pod goes');
  t.equal(plan.nodesToCreate.length, 1, 'and the next node surges');
  plan = planRollingUpdate(nodes, podsByNode([...olds, pod('n1', 'new', { ready: false })]), surge, NOW);
  t.same([plan.podsToDelete.length, plan.nodesToCreate.length], [0, 0], 'waits while a surge pod is unavailable');
});

t.test('status counts', async (t) => {
  const nodes = [node('n1'), node('n2'), node('n3'), node('x', { labels: { pool: 'b' } })];
  const pods = [pod('n1', 'new'), pod('n2', 'old', { ready: false }), pod('x', 'new')];
  t.same(countDaemonStatus(nodes, podsByNode(pods), view(), NOW), {
    desiredNumberScheduled: 3,
    currentNumberScheduled: 2,
    numberMisscheduled: 1,
    numberReady: 1,
    updatedNumberScheduled: 1,
    numberAvailable: 1,
    numberUnavailable: 2,
  });
  const slow = countDaemonStatus(nodes.slice(0, 1), podsByNode(pods.slice(0, 1)), view({ minReadySeconds: 3600 }), NOW);
  t.same([slow.numberReady, slow.numberAvailable], [1, 0], 'minReadySeconds');
});
