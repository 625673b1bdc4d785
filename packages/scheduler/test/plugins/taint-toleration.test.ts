import t from 'tap';
import { CycleState } from '../../src/framework/interface.js';
import { toleratesTaint } from '../../src/helpers/taints.js';
import { TaintToleration } from '../../src/plugins/taint-toleration.js';
import { makeNode, makePod, nodeInfo } from '../helpers/fixtures.js';

t.test('toleration matching (v1.Toleration.ToleratesTaint)', async (t) => {
  const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  t.ok(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, taint));
  t.ok(toleratesTaint({ key: 'dedicated', value: 'gpu' }, taint), 'no operator means Equal; no effect means all');
  t.notOk(toleratesTaint({ key: 'dedicated', value: 'cpu' }, taint), 'value differs');
  t.ok(toleratesTaint({ key: 'dedicated', operator: 'Exists' }, taint));
  t.ok(toleratesTaint({ operator: 'Exists' }, taint), 'empty key with Exists tolerates everything');
  t.notOk(toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, taint), 'effect differs');
  t.notOk(toleratesTaint({ key: 'dedicated', operator: 'Bogus' }, taint));
});

t.test('filter: the first untolerated NoSchedule/NoExecute taint names the reason', async (t) => {
  const plugin = new TaintToleration();
  const node = makeNode({
    name: 'n1',
    taints: [
      { key: 'soft', value: 'x', effect: 'PreferNoSchedule' },
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
      { key: 'dedicated', value: 'gpu', effect: 'NoExecute' },
    ],
  });
  const s = plugin.filter(new CycleState(), makePod({ name: 'p' }), nodeInfo(node));
  t.equal(s?.code, 'UnschedulableAndUnresolvable');
  t.same(s?.reasons, ['node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }']);
  const tolerating = makePod({ name: 'q', tolerations: [{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists' }] });
  t.same(plugin.filter(new CycleState(), tolerating, nodeInfo(node))?.reasons, ['node(s) had untolerated taint {dedicated: gpu}']);
  const all = makePod({ name: 'r', tolerations: [{ operator: 'Exists' }] });
  t.equal(plugin.filter(new CycleState(), all, nodeInfo(node)), undefined);
});

t.test('score: fewer untolerated PreferNoSchedule taints is better (reverse normalized)', async (t) => {
  const plugin = new TaintToleration();
  const pod = makePod({ name: 'p', tolerations: [{ key: 'b', operator: 'Exists', effect: 'PreferNoSchedule' }] });
  const nodes = [
    makeNode({ name: 'clean' }),
    makeNode({ name: 'one', taints: [{ key: 'a', effect: 'PreferNoSchedule' }] }),
    makeNode({ name: 'two', taints: [{ key: 'a', effect: 'PreferNoSchedule' }, { key: 'c', effect: 'PreferNoSchedule' }] }),
    makeNode({ name: 'tolerated', taints: [{ key: 'b', effect: 'PreferNoSchedule' }] }),
  ];
  const state = new CycleState();
  plugin.preScore(state, pod);
  const scores = nodes.map((n) => ({ name: n.metadata!.name!, score: plugin.score(state, pod, nodeInfo(n)) }));
  t.same(scores.map((s) => s.score), [0, 1, 2, 0]);
  plugin.normalizeScore(state, pod, scores);
  t.same(scores.map((s) => s.score), [100, 50, 0, 100]);
});
