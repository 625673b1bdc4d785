import t from 'tap';
import { LabelSelector, type Pod, type TopologySpreadConstraint } from '@k8ts/api-machinery';
import { CycleState } from '../../src/framework/interface.js';
import {
  ERR_REASON_CONSTRAINTS_NOT_MATCH,
  ERR_REASON_NODE_LABEL_NOT_MATCH,
  PodTopologySpread,
} from '../../src/plugins/pod-topology-spread.js';
import { makeNode, makePod, snapshotOf } from '../helpers/fixtures.js';

const zoneSpread = (maxSkew: number, whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway' = 'DoNotSchedule'): TopologySpreadConstraint => ({
  maxSkew,
  topologyKey: 'zone',
  whenUnsatisfiable,
  labelSelector: { matchExpressions: [{ key: 'foo', operator: 'Exists' }] },
});
const hostSpread = (maxSkew: number, whenUnsatisfiable: 'DoNotSchedule' | 'ScheduleAnyway' = 'DoNotSchedule'): TopologySpreadConstraint => ({
  ...zoneSpread(maxSkew, whenUnsatisfiable),
  topologyKey: 'kubernetes.io/hostname',
});
const foo = (name: string, nodeName: string): Pod => makePod({ name, nodeName, labels: { foo: '' } });

function filterAll(plugin: PodTopologySpread, pod: Pod, snapshot: ReturnType<typeof snapshotOf>): Record<string, string> {
  const state = new CycleState();
  const pre = plugin.preFilter(state, pod, snapshot);
  const out: Record<string, string> = {};
  for (const ni of snapshot.list()) out[ni.name] = pre?.code === 'Skip' ? 'skip' : (plugin.filter(state, pod, ni)?.reasons[0] ?? 'fits');
  return out;
}

t.test('filter: maxSkew over zones (Kubernetes filtering_test cases)', async (t) => {
  const plugin = new PodTopologySpread();
  const nodes = [
    makeNode({ name: 'node-a', labels: { zone: 'zone1' } }),
    makeNode({ name: 'node-b', labels: { zone: 'zone1' } }),
    makeNode({ name: 'node-x', labels: { zone: 'zone2' } }),
    makeNode({ name: 'node-y', labels: { zone: 'zone2' } }),
  ];
  const incoming = makePod({ name: 'p', labels: { foo: '' }, spread: [zoneSpread(1)] });
  const balanced = snapshotOf(nodes, [foo('a1', 'node-a'), foo('a2', 'node-a'), foo('b1', 'node-b'), foo('y1', 'node-y'), foo('y2', 'node-y'), foo('y3', 'node-y')]);
  t.same(filterAll(plugin, incoming, balanced), { 'node-a': 'fits', 'node-b': 'fits', 'node-x': 'fits', 'node-y': 'fits' }, '3/3');
  const skewed = snapshotOf(nodes, [foo('a1', 'node-a'), foo('x1', 'node-x'), foo('y1', 'node-y')]);
  t.same(filterAll(plugin, incoming, skewed), {
    'node-a': 'fits',
    'node-b': 'fits',
    'node-x': ERR_REASON_CONSTRAINTS_NOT_MATCH,
    'node-y': ERR_REASON_CONSTRAINTS_NOT_MATCH,
  }, '1/2: only zone1 keeps the skew at 1');
  const otherNs = snapshotOf(nodes, [makePod({ name: 'x1', nodeName: 'node-x', namespace: 'other', labels: { foo: '' } }), foo('a1', 'node-a')]);
  t.same(filterAll(plugin, incoming, otherNs)['node-a'], ERR_REASON_CONSTRAINTS_NOT_MATCH, 'pods of other namespaces do not count');
  const nonMatching = makePod({ name: 'q', labels: { bar: '' }, spread: [zoneSpread(1)] });
  t.same(filterAll(plugin, nonMatching, skewed)['node-x'], 'fits', 'a pod not matching its own selector does not add itself');
});

t.test('filter: a node without the topology label is unresolvable; minDomains', async (t) => {
  const plugin = new PodTopologySpread();
  const nodes = [makeNode({ name: 'node-a', labels: { zone: 'zone1' } }), makeNode({ name: 'node-b' }), makeNode({ name: 'node-x', labels: { zone: 'zone2' } })];
  const snapshot = snapshotOf(nodes, [foo('a1', 'node-a'), foo('b1', 'node-b'), foo('x1', 'node-x'), foo('x2', 'node-x')]);
  const incoming = makePod({ name: 'p', labels: { foo: '' }, spread: [zoneSpread(1)] });
  t.same(filterAll(plugin, incoming, snapshot), { 'node-a': 'fits', 'node-b': ERR_REASON_NODE_LABEL_NOT_MATCH, 'node-x': ERR_REASON_CONSTRAINTS_NOT_MATCH });
  const wantsThree = makePod({ name: 'p', labels: { foo: '' }, spread: [{ ...zoneSpread(2), minDomains: 3 }] });
  // only 2 zones exist, so the global minimum is 0: zone1 1+1-0 = 2 fits, zone2 2+1-0 = 3 does not
  t.same(filterAll(plugin, wantsThree, snapshot)['node-x'], ERR_REASON_CONSTRAINTS_NOT_MATCH);
  t.same(filterAll(plugin, wantsThree, snapshot)['node-a'], 'fits');
});

t.test('filter: nodes excluded by node affinity do not form domains (nodeAffinityPolicy Honor)', async (t) => {
  const plugin = new PodTopologySpread();
  const nodes = [makeNode({ name: 'node-a', labels: { zone: 'zone1', pool: 'x' } }), makeNode({ name: 'node-b', labels: { zone: 'zone2' } })];
  const snapshot = snapshotOf(nodes, [foo('a1', 'node-a')]);
  const incoming = makePod({ name: 'p', labels: { foo: '' }, nodeSelector: { pool: 'x' }, spread: [zoneSpread(1)] });
  t.same(filterAll(plugin, incoming, snapshot)['node-a'], 'fits', 'zone2 is not a domain for this pod, so zone1 is the minimum');
  const ignoring = makePod({ name: 'p', labels: { foo: '' }, nodeSelector: { pool: 'x' }, spread: [{ ...zoneSpread(1), nodeAffinityPolicy: 'Ignore' }] });
  t.same(filterAll(plugin, ignoring, snapshot)['node-a'], ERR_REASON_CONSTRAINTS_NOT_MATCH);
});

function scoreAll(plugin: PodTopologySpread, pod: Pod, snapshot: ReturnType<typeof snapshotOf>): Record<string, number> {
  const state = new CycleState();
  const feasible = snapshot.list();
  const pre = plugin.preScore(state, pod, feasible, snapshot);
  if (pre?.code === 'Skip') return {};
  const scores = feasible.map((n) => ({ name: n.name, score: plugin.score(state, pod, n) }));
  plugin.normalizeScore(state, pod, scores);
  return Object.fromEntries(scores.map((s) => [s.name, s.score]));
}

t.test('score: fewer matching pods is better (Kubernetes scoring_test: one constraint on node, 4 candidates)', async (t) => {
  const plugin = new PodTopologySpread();
  const nodes = ['node-a', 'node-b', 'node-c', 'node-d'].map((name) => makeNode({ name }));
  const snapshot = snapshotOf(nodes, [foo('a1', 'node-a'), foo('a2', 'node-a'), foo('b1', 'node-b'), foo('d1', 'node-d'), foo('d2', 'node-d'), foo('d3', 'node-d')]);
  const incoming = makePod({ name: 'p', labels: { foo: '' }, spread: [hostSpread(1, 'ScheduleAnyway')] });
  t.same(scoreAll(plugin, incoming, snapshot), { 'node-a': 20, 'node-b': 60, 'node-c': 100, 'node-d': 0 });
  t.same(scoreAll(plugin, makePod({ name: 'p', labels: { foo: '' }, spread: [hostSpread(1)] }), snapshot), {}, 'no ScheduleAnyway constraint: skipped');
});

t.test('system default constraints spread a controller\'s pods by hostname and zone', async (t) => {
  const rsSelector = LabelSelector.fromRequirements([{ key: 'app', operator: '=', values: ['web'] }]);
  const plugin = new PodTopologySpread({ defaultSelector: (pod) => (pod.metadata?.ownerReferences ? rsSelector : LabelSelector.everything()) });
  const nodes = [makeNode({ name: 'n1', zone: 'z1' }), makeNode({ name: 'n2', zone: 'z1' }), makeNode({ name: 'n3', zone: 'z2' })];
  const web = (name: string, nodeName: string): Pod => makePod({ name, nodeName, labels: { app: 'web' }, ownerReplicaSet: 'web-1' });
  const snapshot = snapshotOf(nodes, [web('w1', 'n1'), web('w2', 'n1'), web('w3', 'n2')]);
  const incoming = makePod({ name: 'w4', labels: { app: 'web' }, ownerReplicaSet: 'web-1' });
  const scores = scoreAll(plugin, incoming, snapshot);
  t.ok(scores['n3']! > scores['n2']! && scores['n2']! > scores['n1']!, `emptier node and zone first: ${JSON.stringify(scores)}`);
  t.same(scoreAll(plugin, makePod({ name: 'bare', labels: { app: 'web' } }), snapshot), {}, 'no controller, no Service: no default spreading');
  const state = new CycleState();
  t.equal(plugin.preFilter(state, incoming, snapshot)?.code, 'Skip', 'defaults are ScheduleAnyway: nothing to filter');
  const noZone = snapshotOf([makeNode({ name: 'n1' }), makeNode({ name: 'n2' })], [web('w1', 'n1')]);
  const s2 = scoreAll(plugin, incoming, noZone);
  t.ok(s2['n2']! > s2['n1']!, 'nodes without a zone label still spread by hostname');
});
