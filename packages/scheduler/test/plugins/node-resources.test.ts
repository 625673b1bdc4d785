import t from 'tap';
import { CycleState } from '../../src/framework/interface.js';
import { BalancedAllocation, balancedResourceScore } from '../../src/plugins/balanced-allocation.js';
import { insufficientResources, leastRequestedScore, NodeResourcesFit } from '../../src/plugins/node-resources-fit.js';
import { Resource } from '../../src/framework/resources.js';
import { makeNode, makePod, nodeInfo } from '../helpers/fixtures.js';

const fitReasons = (pod: ReturnType<typeof makePod>, ni: ReturnType<typeof nodeInfo>): string[] | undefined => {
  const plugin = new NodeResourcesFit();
  const state = new CycleState();
  plugin.preFilter(state, pod);
  return plugin.filter(state, pod, ni)?.reasons as string[] | undefined;
};

t.test('fit: requests against allocatable minus what bound and assumed pods request', async (t) => {
  const node = makeNode({ name: 'n', cpu: '2', memory: '4Gi', pods: '3' });
  const busy = nodeInfo(node, [makePod({ name: 'a', cpu: '1500m', memory: '1Gi' })]);
  t.equal(fitReasons(makePod({ name: 'p', cpu: '500m', memory: '3Gi' }), busy), undefined, 'exactly full fits');
  t.same(fitReasons(makePod({ name: 'p', cpu: '501m' }), busy), ['Insufficient cpu']);
  t.same(fitReasons(makePod({ name: 'p', cpu: '1', memory: '4Gi' }), busy), ['Insufficient cpu', 'Insufficient memory'], 'every missing resource is a reason');
  const full = nodeInfo(node, [makePod({ name: 'a' }), makePod({ name: 'b' }), makePod({ name: 'c' })]);
  t.same(fitReasons(makePod({ name: 'p', cpu: '3' }), full), ['Too many pods', 'Insufficient cpu']);
  t.same(fitReasons(makePod({ name: 'p' }), full), ['Too many pods'], 'a pod without requests is only counted');
});

t.test('fit: ephemeral-storage and extended resources; allocatable falls back to capacity', async (t) => {
  const node = makeNode({ name: 'n', ephemeralStorage: '10Gi', extra: { 'example.com/gpu': '1' } });
  const storage = makePod({ name: 's', containers: [{ name: 'c', image: 'x', resources: { requests: { 'ephemeral-storage': '11Gi' } } }] });
  t.same(fitReasons(storage, nodeInfo(node)), ['Insufficient ephemeral-storage']);
  const gpus = makePod({ name: 'g', containers: [{ name: 'c', image: 'x', resources: { requests: { 'example.com/gpu': '2' } } }] });
  t.same(fitReasons(gpus, nodeInfo(node)), ['Insufficient example.com/gpu']);
  const noAllocatable = makeNode({ name: 'c', cpu: '1' });
  noAllocatable.status = { capacity: { cpu: '1', memory: '1Gi', pods: '10' } };
  t.same(fitReasons(makePod({ name: 'p', cpu: '2' }), nodeInfo(noAllocatable)), ['Insufficient cpu']);
  const r = insufficientResources(Resource.from(new Map([['cpu', 2000]])), nodeInfo(noAllocatable));
  t.same(r[0], { resource: 'cpu', reason: 'Insufficient cpu', requested: 2000, used: 0, capacity: 1000 });
});

t.test('LeastAllocated score (Kubernetes least_allocated_test: differently sized nodes)', async (t) => {
  const plugin = new NodeResourcesFit();
  const pod = makePod({
    name: 'p',
    containers: [
      { name: 'a', image: 'x', resources: { requests: { cpu: '1000m', memory: '2000' } } },
      { name: 'b', image: 'x', resources: { requests: { cpu: '2000m', memory: '3000' } } },
    ],
  });
  const state = new CycleState();
  plugin.preScore(state, pod);
  t.equal(plugin.score(state, pod, nodeInfo(makeNode({ name: 'n1', cpu: '4000m', memory: '10000' }))), 37);
  t.equal(plugin.score(state, pod, nodeInfo(makeNode({ name: 'n2', cpu: '6000m', memory: '10000' }))), 50);
  t.equal(leastRequestedScore(5, 4), 0, 'over capacity scores 0');
  t.equal(leastRequestedScore(0, 0), 0);
});

t.test('LeastAllocated counts pods without requests as 100m / 200Mi', async (t) => {
  const plugin = new NodeResourcesFit();
  const pod = makePod({ name: 'p' });
  const state = new CycleState();
  plugin.preScore(state, pod);
  const empty = nodeInfo(makeNode({ name: 'e', cpu: '1', memory: '2000Mi' }));
  const loaded = nodeInfo(makeNode({ name: 'l', cpu: '1', memory: '2000Mi' }), [makePod({ name: 'x' }), makePod({ name: 'y' })]);
  // empty: cpu (1000-100)/1000 = 90, mem (2000-200)/2000 = 90 → 90; loaded: cpu 70, mem 70 → 70
  t.equal(plugin.score(state, pod, empty), 90);
  t.equal(plugin.score(state, pod, loaded), 70);
});

t.test('BalancedAllocation (Kubernetes balanced_allocation_test: differently sized nodes)', async (t) => {
  const plugin = new BalancedAllocation();
  const pod = makePod({ name: 'p', cpu: '3000m', memory: '5000' });
  const state = new CycleState();
  t.equal(plugin.preScore(state, pod), undefined);
  t.equal(plugin.score(state, pod, nodeInfo(makeNode({ name: 'n1', cpu: '4000m', memory: '10000' }))), 87);
  t.equal(plugin.score(state, pod, nodeInfo(makeNode({ name: 'n2', cpu: '6000m', memory: '10000' }))), 100);
  t.equal(balancedResourceScore([2, 1, 0], [2, 2, 2]), 59, 'three resources: 1 - population std dev');
  t.equal(plugin.preScore(new CycleState(), makePod({ name: 'best-effort' }))?.code, 'Skip');
});
