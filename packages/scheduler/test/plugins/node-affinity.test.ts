import t from 'tap';
import type { NodeSelectorRequirement } from '@k8ts/api-machinery';
import { CycleState } from '../../src/framework/interface.js';
import { labelRequirementMatches, RequiredNodeAffinity } from '../../src/helpers/node-selector.js';
import { ERR_REASON_NODE_AFFINITY, NodeAffinity } from '../../src/plugins/node-affinity.js';
import { makeNode, makePod, nodeInfo } from '../helpers/fixtures.js';

const labels = { zone: 'a', cores: '16', gpu: '' };
const req = (key: string, operator: string, values?: string[]): NodeSelectorRequirement => ({ key, operator, ...(values ? { values } : {}) });

t.test('requirement operators', async (t) => {
  t.equal(labelRequirementMatches(req('zone', 'In', ['a', 'b']), labels), true);
  t.equal(labelRequirementMatches(req('zone', 'In', ['b']), labels), false);
  t.equal(labelRequirementMatches(req('zone', 'NotIn', ['b']), labels), true);
  t.equal(labelRequirementMatches(req('absent', 'NotIn', ['b']), labels), true, 'NotIn matches a missing label');
  t.equal(labelRequirementMatches(req('gpu', 'Exists'), labels), true);
  t.equal(labelRequirementMatches(req('gpu', 'DoesNotExist'), labels), false);
  t.equal(labelRequirementMatches(req('cores', 'Gt', ['8']), labels), true);
  t.equal(labelRequirementMatches(req('cores', 'Lt', ['8']), labels), false);
  t.equal(labelRequirementMatches(req('zone', 'Gt', ['8']), labels), false, 'non-integer label never compares');
  t.equal(labelRequirementMatches(req('cores', 'Gt', ['x']), labels), undefined, 'a non-integer bound is malformed');
  t.equal(labelRequirementMatches(req('zone', 'In', []), labels), undefined, 'In without values is malformed');
  t.equal(labelRequirementMatches(req('zone', 'Exists', ['a']), labels), undefined);
  t.equal(labelRequirementMatches(req('zone', 'Near', ['a']), labels), undefined);
});

t.test('nodeSelector and required terms: all selector labels AND one of the terms', async (t) => {
  const node = makeNode({ name: 'n1', labels: { disk: 'ssd', zone: 'a' } });
  const pod = (affinityTerms: NodeSelectorRequirement[][] | undefined, nodeSelector?: Record<string, string>) =>
    makePod({
      name: 'p',
      ...(nodeSelector ? { nodeSelector } : {}),
      ...(affinityTerms
        ? { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: affinityTerms.map((m) => ({ matchExpressions: m })) } } } }
        : {}),
    });
  t.ok(new RequiredNodeAffinity(pod(undefined, { disk: 'ssd' })).match(node));
  t.notOk(new RequiredNodeAffinity(pod(undefined, { disk: 'hdd' })).match(node));
  t.ok(new RequiredNodeAffinity(pod([[req('zone', 'In', ['b'])], [req('disk', 'Exists')]])).match(node), 'terms are ORed');
  t.notOk(new RequiredNodeAffinity(pod([[req('zone', 'In', ['a']), req('disk', 'In', ['hdd'])]])).match(node), 'expressions are ANDed');
  t.notOk(new RequiredNodeAffinity(pod([[]])).match(node), 'an empty term matches nothing');
  t.notOk(new RequiredNodeAffinity(pod([[req('zone', 'In', ['a'])]], { disk: 'hdd' })).match(node), 'selector and affinity both apply');
  const byName = makePod({
    name: 'f',
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [req('metadata.name', 'In', ['n1'])] }] } } },
  });
  t.ok(new RequiredNodeAffinity(byName).match(node), 'matchFields on metadata.name');
  t.notOk(new RequiredNodeAffinity(byName).match(makeNode({ name: 'n2' })));
});

t.test('plugin: filter reason, skip without constraints, preferred weights normalized to 100', async (t) => {
  const plugin = new NodeAffinity();
  const state = new CycleState();
  const plain = makePod({ name: 'plain' });
  t.equal(plugin.preFilter(state, plain)?.code, 'Skip');
  const picky = makePod({ name: 'picky', nodeSelector: { disk: 'ssd' } });
  plugin.preFilter(state, picky);
  t.same(plugin.filter(state, picky, nodeInfo(makeNode({ name: 'hdd', labels: { disk: 'hdd' } })))?.reasons, [ERR_REASON_NODE_AFFINITY]);
  t.equal(plugin.filter(state, picky, nodeInfo(makeNode({ name: 'ssd', labels: { disk: 'ssd' } }))), undefined);

  const preferring = makePod({
    name: 'pref',
    affinity: {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 80, preference: { matchExpressions: [req('zone', 'In', ['a'])] } },
          { weight: 20, preference: { matchExpressions: [req('disk', 'In', ['ssd'])] } },
        ],
      },
    },
  });
  const s2 = new CycleState();
  t.equal(plugin.preScore(s2, preferring), undefined);
  const nodes = [makeNode({ name: 'a-ssd', labels: { zone: 'a', disk: 'ssd' } }), makeNode({ name: 'a', labels: { zone: 'a' } }), makeNode({ name: 'b-ssd', labels: { zone: 'b', disk: 'ssd' } }), makeNode({ name: 'none' })];
  const scores = nodes.map((n) => ({ name: n.metadata!.name!, score: plugin.score(s2, preferring, nodeInfo(n)) }));
  t.same(scores.map((s) => s.score), [100, 80, 20, 0]);
  plugin.normalizeScore(s2, preferring, scores);
  t.same(scores.map((s) => s.score), [100, 80, 20, 0]);
});
