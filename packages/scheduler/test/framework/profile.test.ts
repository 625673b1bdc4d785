// The default profile end to end on fixtures: filters in Kubernetes' order, weighted scores, host selection.
import t from 'tap';
import type { Pod } from '@k8ts/api-machinery';
import { selectHost } from '../../src/framework/profile.js';
import { defaultProfile } from '../../src/plugins/default-profile.js';
import { makeNode, makePod, snapshotOf } from '../helpers/fixtures.js';

const schedule = (pod: Pod, snapshot: ReturnType<typeof snapshotOf>) => defaultProfile().schedulePod(pod, snapshot, () => 0.5);

t.test('no nodes at all is an error, not a fit error', async (t) => {
  t.same(schedule(makePod({ name: 'p' }), snapshotOf([])), { kind: 'error', message: 'no nodes available to schedule pods' });
});

t.test("FailedScheduling message: the first failing filter per node, in the default profile's order", async (t) => {
  const nodes = [
    makeNode({ name: 'small-1', cpu: '1' }),
    makeNode({ name: 'small-2', cpu: '1' }),
    makeNode({ name: 'tainted', cpu: '8', taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }),
    makeNode({ name: 'cordoned', cpu: '8', unschedulable: true, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] }),
  ];
  const r = schedule(makePod({ name: 'big', cpu: '2' }), snapshotOf(nodes));
  t.equal(r.kind, 'unschedulable');
  if (r.kind !== 'unschedulable') return;
  t.equal(r.error.message, '0/4 nodes are available: 1 node(s) had untolerated taint {dedicated: db}, 1 node(s) were unschedulable, 2 Insufficient cpu.');
  t.same([...r.error.diagnosis.unschedulablePlugins].sort(), ['NodeResourcesFit', 'NodeUnschedulable', 'TaintToleration']);
});

t.test('a single feasible node is taken without scoring', async (t) => {
  const r = schedule(makePod({ name: 'p', nodeSelector: { disk: 'ssd' } }), snapshotOf([makeNode({ name: 'a' }), makeNode({ name: 'b', labels: { disk: 'ssd' } })]));
  t.same(r, { kind: 'scheduled', nodeName: 'b', evaluatedNodes: 2, feasibleNodes: 1 });
});

t.test('scores: least allocated and balanced resources prefer the emptier node', async (t) => {
  const nodes = [makeNode({ name: 'busy', cpu: '4', memory: '8Gi' }), makeNode({ name: 'idle', cpu: '4', memory: '8Gi' })];
  const snapshot = snapshotOf(nodes, [makePod({ name: 'x', nodeName: 'busy', cpu: '3', memory: '1Gi' })]);
  const r = schedule(makePod({ name: 'p', cpu: '500m', memory: '512Mi' }), snapshot);
  t.equal(r.kind === 'scheduled' && r.nodeName, 'idle');
});

t.test('scores: an untolerated PreferNoSchedule taint (weight 3) outweighs a little less free room', async (t) => {
  const nodes = [makeNode({ name: 'preferred-not', taints: [{ key: 'spot', effect: 'PreferNoSchedule' }] }), makeNode({ name: 'normal' })];
  const snapshot = snapshotOf(nodes, [makePod({ name: 'x', nodeName: 'normal', cpu: '1' })]);
  const r = schedule(makePod({ name: 'p', cpu: '100m' }), snapshot);
  t.equal(r.kind === 'scheduled' && r.nodeName, 'normal');
  if (r.kind === 'scheduled') {
    const byNode = Object.fromEntries(r.scores!.map((s) => [s.name, Object.fromEntries(s.scores.map((x) => [x.plugin, x.score]))]));
    t.equal(byNode['preferred-not']!['TaintToleration'], 0);
    t.equal(byNode['normal']!['TaintToleration'], 300, 'normalized 100 times weight 3');
  }
});

t.test('selectHost: highest total wins; ties are broken uniformly', async (t) => {
  const scores = [
    { name: 'a', totalScore: 10, scores: [] },
    { name: 'b', totalScore: 30, scores: [] },
    { name: 'c', totalScore: 30, scores: [] },
  ];
  t.equal(selectHost(scores, () => 0.99), 'b', 'keeps the first best when the draw says so');
  t.equal(selectHost(scores, () => 0), 'c', 'replaces it with probability 1/ties');
  const seen = new Set<string>();
  for (let i = 0; i < 200; i++) seen.add(selectHost(scores)!);
  t.same([...seen].sort(), ['b', 'c']);
  t.equal(selectHost([]), undefined);
});
