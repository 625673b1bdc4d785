import t from 'tap';
import type { Namespace, Node, Pod } from '@k8ts/api-machinery';
import {
  DESCRIPTION_ANNOTATION,
  ROOT_CA_CONFIGMAP,
  ROOT_CA_DESCRIPTION,
  rootCaDecision,
  serviceAccountsToCreate,
} from '../../src/controllers/serviceaccount/serviceaccount-logic.js';
import {
  NodeQuarantine,
  nodeGoneCondition,
  terminatedPodsToDelete,
  terminatingPodsOnOutOfServiceNodes,
  unknownNodeNames,
  unscheduledTerminatingPods,
} from '../../src/controllers/podgc/podgc-logic.js';

const ns = (phase: 'Active' | 'Terminating'): Namespace => ({ metadata: { name: 'x' }, status: { phase } });

t.test('service accounts', async (t) => {
  t.same(serviceAccountsToCreate(ns('Active'), new Set()), ['default']);
  t.same(serviceAccountsToCreate(ns('Active'), new Set(['default', 'other'])), []);
  t.same(serviceAccountsToCreate(ns('Terminating'), new Set()), [], 'nothing in a terminating namespace');
});

t.test('the root CA ConfigMap', async (t) => {
  const created = rootCaDecision('x', undefined, 'PEM');
  t.equal(created.action, 'create');
  t.same(created.action === 'create' ? created.configMap : undefined, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: ROOT_CA_CONFIGMAP, namespace: 'x', annotations: { [DESCRIPTION_ANNOTATION]: ROOT_CA_DESCRIPTION } },
    data: { 'ca.crt': 'PEM' },
  });
  const current = { metadata: { name: ROOT_CA_CONFIGMAP, namespace: 'x', resourceVersion: '4', annotations: { [DESCRIPTION_ANNOTATION]: 'mine' } }, data: { 'ca.crt': 'PEM' } };
  t.same(rootCaDecision('x', current, 'PEM'), { action: 'none' }, 'right already (any description kept)');
  const edited = rootCaDecision('x', { ...current, data: { 'ca.crt': 'EVIL', extra: '1' } }, 'PEM');
  t.same(edited.action === 'update' ? [edited.configMap.data, edited.configMap.metadata?.resourceVersion] : undefined, [{ 'ca.crt': 'PEM' }, '4'], 'data put back');
  const bare = rootCaDecision('x', { metadata: { name: ROOT_CA_CONFIGMAP }, data: { 'ca.crt': 'PEM' } }, 'PEM');
  t.equal(bare.action === 'update' ? bare.configMap.metadata?.annotations?.[DESCRIPTION_ANNOTATION] : undefined, ROOT_CA_DESCRIPTION, 'the description annotation added');
});

function pod(name: string, o: { phase?: string; created?: string; node?: string; deleting?: boolean; evicted?: boolean } = {}): Pod {
  return {
    metadata: { name, namespace: 'default', creationTimestamp: o.created ?? '2026-11-23T12:00:00Z', ...(o.deleting ? { deletionTimestamp: '2026-11-23T12:10:00Z' } : {}) },
    spec: { containers: [], ...(o.node === '' ? {} : { nodeName: o.node ?? 'n1' }) },
    status: { phase: (o.phase ?? 'Running') as 'Running', ...(o.evicted ? { reason: 'Evicted' } : {}) },
  };
}

t.test('pod GC: terminated pods over the threshold', async (t) => {
  const pods = [
    pod('new', { phase: 'Succeeded', created: '2026-11-23T12:03:00Z' }),
    pod('old', { phase: 'Failed', created: '2026-11-23T12:01:00Z' }),
    pod('evicted', { phase: 'Failed', created: '2026-11-23T12:05:00Z', evicted: true }),
    pod('running'),
  ];
  t.same(terminatedPodsToDelete(pods, 1).map((p) => p.metadata?.name), ['evicted', 'old'], 'evicted first, then the oldest');
  t.same(terminatedPodsToDelete(pods, 3), [], 'under the threshold');
  t.same(terminatedPodsToDelete(pods, 0), [], '0 keeps everything');
});

t.test('pod GC: orphans, unscheduled and out-of-service', async (t) => {
  t.same(unknownNodeNames([pod('a', { node: 'gone' }), pod('b'), pod('c', { node: '' }), pod('d', { node: 'gone' })], new Set(['n1'])), ['gone']);
  const q = new NodeQuarantine(40_000);
  q.notice('gone', 1000);
  q.notice('gone', 20_000);
  t.same(q.takeDue(40_999), [], 'still quarantined');
  t.equal(q.nextDue(), 41_000, 'counted from when it was first noticed');
  t.same(q.takeDue(41_000), ['gone']);
  t.same(q.takeDue(100_000), [], 'taken once');
  t.same(unscheduledTerminatingPods([pod('a', { node: '', deleting: true }), pod('b', { deleting: true }), pod('c', { node: '' })]).map((p) => p.metadata?.name), ['a']);
  const dead: Node = { metadata: { name: 'n1' }, spec: { taints: [{ key: 'node.kubernetes.io/out-of-service', effect: 'NoExecute' }] }, status: { conditions: [{ type: 'Ready', status: 'Unknown' }] } };
  const live: Node = { ...dead, status: { conditions: [{ type: 'Ready', status: 'True' }] } };
  const pods = [pod('a', { deleting: true }), pod('b')];
  t.same(terminatingPodsOnOutOfServiceNodes(pods, () => dead).map((p) => p.metadata?.name), ['a']);
  t.same(terminatingPodsOnOutOfServiceNodes(pods, () => live), [], 'a Ready node keeps its pods');
  t.same(nodeGoneCondition('T'), { type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message: 'PodGC: node no longer exists', lastTransitionTime: 'T' });
});
