import t from 'tap';
import type { Pod, PodAffinityTerm } from '@k8ts/api-machinery';
import { CycleState } from '../../src/framework/interface.js';
import {
  ERR_REASON_AFFINITY,
  ERR_REASON_ANTI_AFFINITY,
  ERR_REASON_EXISTING_ANTI_AFFINITY,
  InterPodAffinity,
} from '../../src/plugins/inter-pod-affinity.js';
import { makeNode, makePod, snapshotOf } from '../helpers/fixtures.js';

const term = (labels: Record<string, string>, topologyKey: string, extra: Partial<PodAffinityTerm> = {}): PodAffinityTerm => ({
  labelSelector: { matchLabels: labels },
  topologyKey,
  ...extra,
});
const nodes = [
  makeNode({ name: 'n1', zone: 'z1' }),
  makeNode({ name: 'n2', zone: 'z1' }),
  makeNode({ name: 'n3', zone: 'z2' }),
  makeNode({ name: 'n4' }), // no zone label
];
const zone = 'topology.kubernetes.io/zone';
const host = 'kubernetes.io/hostname';

function filterAll(pod: Pod, existing: Pod[], plugin = new InterPodAffinity()): Record<string, string> {
  const snapshot = snapshotOf(nodes, existing);
  const state = new CycleState();
  const pre = plugin.preFilter(state, pod, snapshot);
  const out: Record<string, string> = {};
  for (const ni of snapshot.list()) out[ni.name] = pre?.code === 'Skip' ? 'skip' : (plugin.filter(state, pod, ni)?.reasons[0] ?? 'fits');
  return out;
}

t.test('required affinity: only domains holding a matching pod; every node needs the topology key', async (t) => {
  const db = makePod({ name: 'db', nodeName: 'n2', labels: { app: 'db' } });
  const pod = makePod({ name: 'web', labels: { app: 'web' }, affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, zone)] } } });
  t.same(filterAll(pod, [db]), { n1: 'fits', n2: 'fits', n3: ERR_REASON_AFFINITY, n4: ERR_REASON_AFFINITY });
  const elsewhere = makePod({ name: 'db', nodeName: 'n2', namespace: 'other', labels: { app: 'db' } });
  t.same(filterAll(pod, [elsewhere]).n1, ERR_REASON_AFFINITY, 'a term without namespaces looks in the pod\'s own namespace');
  const anyNs = makePod({
    name: 'web',
    labels: { app: 'web' },
    affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, zone, { namespaceSelector: {} })] } },
  });
  t.same(filterAll(anyNs, [elsewhere]).n1, 'fits', 'an empty namespaceSelector selects every namespace');
  const byLabel = makePod({
    name: 'web',
    labels: { app: 'web' },
    affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, zone, { namespaceSelector: { matchLabels: { team: 'a' } } })] } },
  });
  const plugin = new InterPodAffinity({ namespaceLabels: (ns): Record<string, string> => (ns === 'other' ? { team: 'a' } : {}) });
  t.same(filterAll(byLabel, [elsewhere], plugin).n1, 'fits', 'namespaceSelector against namespace labels');
});

t.test('required affinity to itself: the first pod of the group may go anywhere with the key', async (t) => {
  const pod = makePod({ name: 'a1', labels: { app: 'a' }, affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'a' }, zone)] } } });
  t.same(filterAll(pod, []), { n1: 'fits', n2: 'fits', n3: 'fits', n4: ERR_REASON_AFFINITY });
  t.same(filterAll(pod, [makePod({ name: 'a0', nodeName: 'n3', labels: { app: 'a' } })]), { n1: ERR_REASON_AFFINITY, n2: ERR_REASON_AFFINITY, n3: 'fits', n4: ERR_REASON_AFFINITY });
});

t.test('required anti-affinity: none of the matching pods in the domain; nodes without the key are fine', async (t) => {
  const pod = makePod({ name: 'w2', labels: { app: 'web' }, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, zone)] } } });
  const existing = [makePod({ name: 'w1', nodeName: 'n1', labels: { app: 'web' } })];
  t.same(filterAll(pod, existing), { n1: ERR_REASON_ANTI_AFFINITY, n2: ERR_REASON_ANTI_AFFINITY, n3: 'fits', n4: 'fits' });
});

t.test("existing pods' anti-affinity keeps matching pods out of their domain", async (t) => {
  const loner = makePod({ name: 'loner', nodeName: 'n1', labels: { app: 'loner' }, affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'web' }, host)] } } });
  t.same(filterAll(makePod({ name: 'w', labels: { app: 'web' } }), [loner]), { n1: ERR_REASON_EXISTING_ANTI_AFFINITY, n2: 'fits', n3: 'fits', n4: 'fits' });
  t.same(filterAll(makePod({ name: 'x', labels: { app: 'other' } }), [loner]), { n1: 'fits', n2: 'fits', n3: 'fits', n4: 'fits' });
  t.same(filterAll(makePod({ name: 'plain' }), []), { n1: 'skip', n2: 'skip', n3: 'skip', n4: 'skip' }, 'nothing to check: skipped');
});

function scoreAll(pod: Pod, existing: Pod[]): Record<string, number> {
  const plugin = new InterPodAffinity();
  const snapshot = snapshotOf(nodes, existing);
  const state = new CycleState();
  if (plugin.preScore(state, pod, snapshot.list(), snapshot)?.code === 'Skip') return {};
  const scores = snapshot.list().map((n) => ({ name: n.name, score: plugin.score(state, pod, n) }));
  plugin.normalizeScore(state, pod, scores);
  return Object.fromEntries(scores.map((s) => [s.name, s.score]));
}

t.test('preferred (anti-)affinity scores, min-max normalized', async (t) => {
  const cache = makePod({ name: 'cache', nodeName: 'n3', labels: { app: 'cache' } });
  const web = makePod({ name: 'web', nodeName: 'n1', labels: { app: 'web' } });
  const pod = makePod({
    name: 'p',
    labels: { app: 'web' },
    affinity: {
      podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 50, podAffinityTerm: term({ app: 'cache' }, zone) }] },
      podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term({ app: 'web' }, host) }] },
    },
  });
  // n1: -100 (a web pod on it), n2: 0, n3: +50 (cache zone), n4: 0 → min -100, max 50
  t.same(scoreAll(pod, [cache, web]), { n1: 0, n2: 66, n3: 100, n4: 66 });
  t.same(scoreAll(makePod({ name: 'plain' }), [cache]), {}, 'no affinity anywhere: skipped');
});

t.test("existing pods' required affinity attracts the pods they want (hardPodAffinityWeight 1)", async (t) => {
  const wantsDb = makePod({ name: 'client', nodeName: 'n3', labels: { app: 'client' }, affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [term({ app: 'db' }, zone)] } } });
  t.same(scoreAll(makePod({ name: 'db', labels: { app: 'db' } }), [wantsDb]), { n1: 0, n2: 0, n3: 100, n4: 0 });
});
