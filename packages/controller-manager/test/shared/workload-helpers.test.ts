import t from 'tap';
import type { Pod } from '@k8ts/api-machinery';
import { controllerRefOf, isControlledBy, newControllerRef } from '../../src/shared/controller-ref.js';
import { Expectations } from '../../src/shared/expectations.js';
import { resolveFenceposts, scaledValue } from '../../src/shared/int-or-percent.js';
import { compareForDeletion, podsToDelete, rankByCoLocation } from '../../src/shared/pod-ranking.js';
import { isPodActive, isPodAvailable, maxContainerRestarts } from '../../src/shared/pod-state.js';
import { podFromTemplate, podNamePrefix } from '../../src/shared/pod-template.js';
import { canonicalJson, computeTemplateHash, fnv1a32, safeEncodeString } from '../../src/shared/template-hash.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const ago = (s: number): string => new Date(NOW - s * 1000).toISOString();

function pod(name: string, opts: { node?: string; phase?: string; readySecondsAgo?: number; createdSecondsAgo?: number; restarts?: number; cost?: string } = {}): Pod {
  return {
    metadata: {
      name,
      uid: `uid-${name}`,
      creationTimestamp: ago(opts.createdSecondsAgo ?? 1000),
      ...(opts.cost ? { annotations: { 'controller.kubernetes.io/pod-deletion-cost': opts.cost } } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'i' }], ...(opts.node ? { nodeName: opts.node } : {}) },
    status: {
      phase: opts.phase ?? 'Running',
      conditions: opts.readySecondsAgo === undefined ? [{ type: 'Ready', status: 'False' }] : [{ type: 'Ready', status: 'True', lastTransitionTime: ago(opts.readySecondsAgo) }],
      containerStatuses: [{ name: 'c', restartCount: opts.restarts ?? 0, ready: opts.readySecondsAgo !== undefined, image: 'i', imageID: '' }],
    },
  } as Pod;
}

t.test('int-or-percent and rolling-update fenceposts', async (t) => {
  t.equal(scaledValue('25%', 10, true), 3);
  t.equal(scaledValue('25%', 10, false), 2);
  t.equal(scaledValue(4, 10, false), 4);
  t.equal(scaledValue('7', 10, false), 7);
  t.throws(() => scaledValue('x%', 10, true), /not a percentage/);
  t.same(resolveFenceposts(undefined, undefined, 10), { surge: 3, unavailable: 2 }, 'defaults 25%/25%');
  t.same(resolveFenceposts(0, 0, 10), { surge: 0, unavailable: 1 }, 'never stuck at 0/0');
  t.same(resolveFenceposts('0%', '10%', 5), { surge: 0, unavailable: 1 }, '10% of 5 rounds down to 0, then becomes 1');
  t.same(resolveFenceposts('1%', 0, 1), { surge: 1, unavailable: 0 }, 'surge rounds up');
});

t.test('pod state', async (t) => {
  t.ok(isPodActive(pod('a')));
  t.notOk(isPodActive(pod('b', { phase: 'Succeeded' })));
  const deleting = pod('c');
  deleting.metadata!.deletionTimestamp = ago(1);
  t.notOk(isPodActive(deleting));
  t.ok(isPodAvailable(pod('d', { readySecondsAgo: 30 }), 10, NOW));
  t.notOk(isPodAvailable(pod('e', { readySecondsAgo: 5 }), 10, NOW), 'ready, but not for minReadySeconds');
  t.notOk(isPodAvailable(pod('f'), 0, NOW), 'not ready');
  t.equal(maxContainerRestarts(pod('g', { restarts: 3 })), 3);
});

t.test('deletion order follows ActivePodsWithRanks', async (t) => {
  const cmp = (a: Pod, b: Pod, ranks: [number, number] = [0, 0]): number => compareForDeletion({ pod: a, rank: ranks[0] }, { pod: b, rank: ranks[1] }, NOW);
  t.ok(cmp(pod('u'), pod('a', { node: 'n1' })) < 0, 'unscheduled first');
  t.ok(cmp(pod('p', { node: 'n', phase: 'Pending' }), pod('r', { node: 'n' })) < 0, 'pending before running');
  t.ok(cmp(pod('nr', { node: 'n' }), pod('r', { node: 'n', readySecondsAgo: 10 })) < 0, 'not ready before ready');
  t.ok(cmp(pod('cheap', { node: 'n', cost: '-5' }), pod('dear', { node: 'n', cost: '10' })) < 0, 'lower deletion cost first');
  t.ok(cmp(pod('x', { node: 'n' }), pod('y', { node: 'm' }), [2, 1]) < 0, 'doubled up first');
  t.ok(cmp(pod('young', { node: 'n', readySecondsAgo: 10 }), pod('old', { node: 'n', readySecondsAgo: 5000 })) < 0, 'ready for less time first');
  t.ok(cmp(pod('crashy', { node: 'n', restarts: 5 }), pod('calm', { node: 'n' })) < 0, 'more restarts first');
  t.ok(cmp(pod('new', { node: 'n', createdSecondsAgo: 10 }), pod('old', { node: 'n', createdSecondsAgo: 100_000 })) < 0, 'newer first');
  // Within one log2 bucket the ages count as equal; the uid breaks the tie deterministically.
  const a = pod('a', { node: 'n', createdSecondsAgo: 1000 });
  const b = pod('b', { node: 'n', createdSecondsAgo: 1001 });
  t.ok(cmp(a, b) < 0 && cmp(b, a) > 0, 'same bucket: by uid');

  const related = [pod('a1', { node: 'n1' }), pod('a2', { node: 'n1' }), pod('b1', { node: 'n2' })];
  t.same(rankByCoLocation(related, related).map((r) => r.rank), [2, 2, 1]);
  t.same(podsToDelete(related, related, 1, NOW).map((p) => p.metadata?.name), ['a1'], 'a pod on the crowded node goes first');
  t.same(podsToDelete(related, related, 0, NOW), []);
});

t.test('pods from templates', async (t) => {
  t.equal(podNamePrefix('web-5d8f'), 'web-5d8f-');
  t.equal(podNamePrefix('Bad_Name'), 'Bad_Name', 'an invalid prefix falls back to the name');
  const ref = newControllerRef({ metadata: { name: 'web', uid: 'u1' } }, 'apps/v1', 'ReplicaSet');
  t.same(ref, { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: 'u1', controller: true, blockOwnerDeletion: true });
  t.throws(() => newControllerRef({ metadata: { name: 'x' } }, 'v1', 'ReplicationController'), /uid/);
  const template = { metadata: { labels: { app: 'web' }, annotations: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } };
  const p = podFromTemplate(template, 'ns', 'web', ref);
  t.same(p.metadata, { generateName: 'web-', namespace: 'ns', labels: { app: 'web' }, annotations: { a: 'b' }, ownerReferences: [ref] });
  p.spec!.containers[0]!.image = 'changed';
  t.equal(template.spec.containers[0]!.image, 'nginx', 'the spec is a copy');
  t.ok(isControlledBy(p, { metadata: { uid: 'u1' } }));
  t.notOk(isControlledBy(p, { metadata: { uid: 'u2' } }));
  t.equal(controllerRefOf({ metadata: { ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'n', uid: 'u' }] } }), undefined, 'an owner that is not the controller');
});

t.test('template hashes', async (t) => {
  t.equal(fnv1a32(''), 0x811c9dc5);
  t.equal(fnv1a32('a'), 0xe40c292c, 'the FNV-1a test vector');
  t.equal(canonicalJson({ b: 1, a: [true, null, { d: 'x', c: 2 }] }), '{"a":[true,null,{"c":2,"d":"x"}],"b":1}');
  t.equal(safeEncodeString('019'), '45f', 'each byte picks alphabet[byte % 27]');
  const h1 = computeTemplateHash({ spec: { a: 1, b: 2 } });
  t.equal(h1, computeTemplateHash({ spec: { b: 2, a: 1 } }), 'key order does not matter');
  t.not(h1, computeTemplateHash({ spec: { a: 1, b: 3 } }), 'a change changes the hash');
  t.not(h1, computeTemplateHash({ spec: { a: 1, b: 2 } }, 1), 'the collision count changes the hash');
  t.match(h1, /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
});

t.test('expectations', async (t) => {
  let now = 0;
  const e = new Expectations(() => now, 1000);
  t.ok(e.satisfied('ns/rs'), 'nothing expected');
  e.expectCreations('ns/rs', 2);
  t.notOk(e.satisfied('ns/rs'));
  e.creationObserved('ns/rs');
  t.notOk(e.satisfied('ns/rs'));
  e.lowerCreations('ns/rs');
  t.ok(e.satisfied('ns/rs'), 'one observed, one failed');
  e.expectDeletions('ns/rs', ['ns/p1', 'ns/p2']);
  e.deletionObserved('ns/rs', 'ns/p1');
  e.deletionObserved('ns/rs', 'ns/other');
  t.same(e.pending('ns/rs'), { adds: 0, deletions: 1 }, 'only expected pods count');
  now = 1001;
  t.ok(e.satisfied('ns/rs'), 'expired: a missed event must not block the controller forever');
  e.forget('ns/rs');
  t.equal(e.pending('ns/rs'), undefined);
});
