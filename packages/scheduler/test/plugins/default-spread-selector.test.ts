import t from 'tap';
import type { appsv1, ReplicationController, Service } from '@k8ts/api-machinery';
import { defaultSpreadSelector, type WorkloadListers } from '../../src/plugins/default-spread-selector.js';
import { makePod } from '../helpers/fixtures.js';

const listers = (services: Service[], rs?: appsv1.ReplicaSet, rc?: ReplicationController): WorkloadListers => ({
  services: (ns) => services.filter((s) => s.metadata?.namespace === ns),
  replicaSet: (_ns, name) => (rs?.metadata?.name === name ? rs : undefined),
  statefulSet: () => undefined,
  replicationController: (_ns, name) => (rc?.metadata?.name === name ? rc : undefined),
});

t.test('Services selecting the pod and its controlling ReplicaSet make up the selector', async (t) => {
  const svc: Service = { metadata: { name: 'web', namespace: 'default' }, spec: { selector: { app: 'web' } } };
  const otherSvc: Service = { metadata: { name: 'db', namespace: 'default' }, spec: { selector: { app: 'db' } } };
  const rs: appsv1.ReplicaSet = {
    metadata: { name: 'web-1', namespace: 'default' },
    spec: { selector: { matchLabels: { app: 'web', 'pod-template-hash': 'abc' } } },
  } as appsv1.ReplicaSet;
  const pod = makePod({ name: 'w', labels: { app: 'web', 'pod-template-hash': 'abc' }, ownerReplicaSet: 'web-1' });
  t.equal(defaultSpreadSelector(listers([svc, otherSvc], rs))(pod).toString(), 'app=web,app=web,pod-template-hash=abc');
  t.equal(defaultSpreadSelector(listers([svc, otherSvc]))(makePod({ name: 'bare', labels: { app: 'web' } })).toString(), 'app=web', 'a Service alone');
  t.ok(defaultSpreadSelector(listers([otherSvc]))(makePod({ name: 'lonely', labels: { app: 'x' } })).isEmpty(), 'nothing owns it: empty');
  const rc: ReplicationController = { metadata: { name: 'rc', namespace: 'default' }, spec: { selector: { tier: 'front' } } };
  const rcPod = makePod({ name: 'r', labels: { tier: 'front' } });
  rcPod.metadata!.ownerReferences = [{ apiVersion: 'v1', kind: 'ReplicationController', name: 'rc', uid: 'u', controller: true }];
  t.equal(defaultSpreadSelector(listers([], undefined, rc))(rcPod).toString(), 'tier=front');
});
