import t from 'tap';
import type { ControllerRevision, Pod, StatefulSet } from '@k8ts/api-machinery';
import {
  CONTROLLER_REVISION_HASH_LABEL,
  controllerRevisionName,
  equalRevision,
  findEqualRevisions,
  newControllerRevision,
  nextRevision,
  revisionsToTruncate,
  sortRevisions,
  templateOfRevision,
  templatePatch,
} from '../../src/controllers/history/controller-history.js';
import {
  claimsFor,
  completeRollingUpdate,
  identityLabelsMissing,
  isMemberOf,
  newStatefulSetPod,
  parseOrdinal,
  planStatefulSet,
  replicaStatus,
  statefulViewOf,
  type StatefulView,
} from '../../src/controllers/statefulset/statefulset-logic.js';

const NOW = Date.parse('2026-11-23T12:00:00Z');
const REF = { apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: 'set-uid', controller: true, blockOwnerDeletion: true };

const set = (over: Partial<NonNullable<StatefulSet['spec']>> = {}): StatefulSet => ({
  metadata: { name: 'web', namespace: 'ns', uid: 'set-uid', generation: 1 },
  spec: {
    replicas: 3,
    serviceName: 'web-svc',
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'c', image: 'nginx' }], volumes: [{ name: 'data', emptyDir: {} }, { name: 'scratch', emptyDir: {} }] },
    },
    volumeClaimTemplates: [{ metadata: { name: 'data', labels: { tier: 'db' } }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }],
    ...over,
  },
});

function pod(ordinal: number, opts: { state?: 'ready' | 'pending' | 'running' | 'failed'; rev?: string; deleting?: boolean } = {}): Pod {
  const state = opts.state ?? 'ready';
  return {
    metadata: {
      name: `web-${ordinal}`,
      uid: `uid-${ordinal}-${opts.rev ?? 'r1'}`,
      labels: { app: 'web', 'statefulset.kubernetes.io/pod-name': `web-${ordinal}`, 'apps.kubernetes.io/pod-index': String(ordinal), [CONTROLLER_REVISION_HASH_LABEL]: opts.rev ?? 'r1' },
      ...(opts.deleting ? { deletionTimestamp: new Date(NOW).toISOString() } : {}),
    },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
    status: {
      phase: state === 'pending' ? 'Pending' : state === 'failed' ? 'Failed' : 'Running',
      conditions: [{ type: 'Ready', status: state === 'ready' ? 'True' : 'False', lastTransitionTime: new Date(NOW - 60_000).toISOString() }],
    },
  };
}

const view = (over: Partial<StatefulView> = {}): StatefulView => ({
  name: 'web',
  replicas: 3,
  start: 0,
  monotonic: true,
  deleting: false,
  strategy: 'RollingUpdate',
  partition: 0,
  minReadySeconds: 0,
  currentRevision: 'r1',
  updateRevision: 'r1',
  ...over,
});

const summary = (v: StatefulView, pods: Pod[]): string[] =>
  planStatefulSet(v, pods, NOW).actions.map((a) => (a.kind === 'create' ? `create ${a.ordinal} ${a.revision}` : a.kind === 'delete' ? `delete ${a.pod.metadata?.name} ${a.reason}` : `${a.kind} ${a.pod.metadata?.name}`));

t.test('identity', async (t) => {
  t.same(parseOrdinal('web-12'), { parent: 'web', ordinal: 12 });
  t.same(parseOrdinal('my-web-0'), { parent: 'my-web', ordinal: 0 });
  t.equal(parseOrdinal('web').ordinal, -1);
  t.ok(isMemberOf('web', pod(1)));
  t.notOk(isMemberOf('we', pod(1)));
  const p = newStatefulSetPod(set(), set().spec?.template, 2, 'web-abc', REF);
  t.equal(p.metadata?.name, 'web-2');
  t.notOk(p.metadata?.generateName);
  t.same(p.metadata?.labels, { app: 'web', 'statefulset.kubernetes.io/pod-name': 'web-2', 'apps.kubernetes.io/pod-index': '2', 'controller-revision-hash': 'web-abc' });
  t.same([p.spec?.hostname, p.spec?.subdomain], ['web-2', 'web-svc']);
  t.same(p.spec?.volumes, [{ name: 'scratch', emptyDir: {} }, { name: 'data', persistentVolumeClaim: { claimName: 'data-web-2' } }], 'the claim replaces the template volume of its name');
  t.equal(p.metadata?.ownerReferences?.[0]?.uid, 'set-uid');
  const claim = claimsFor(set(), 2).get('data')!;
  t.equal(claim.metadata?.name, 'data-web-2');
  t.same(claim.metadata?.labels, { tier: 'db', app: 'web' });
  t.equal(claim.spec?.resources?.requests?.['storage'], '1Gi');
  t.equal(identityLabelsMissing(pod(1)), undefined);
  t.same(identityLabelsMissing({ metadata: { name: 'web-4', labels: {} } }), { 'statefulset.kubernetes.io/pod-name': 'web-4', 'apps.kubernetes.io/pod-index': '4' });
  const v = statefulViewOf(set({ podManagementPolicy: 'Parallel', updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 2 } } }), 'a', 'b');
  t.same([v.monotonic, v.partition, v.strategy], [false, 2, 'RollingUpdate']);
});

t.test('OrderedReady scale up: one at a time, each after its predecessor is Running and Ready', async (t) => {
  t.same(summary(view(), []), ['create 0 update']);
  t.same(summary(view(), [pod(0, { state: 'pending' })]), ['ensure-claims web-0'], 'waits for web-0 (re-creating a missing claim)');
  t.same(summary(view(), [pod(0, { state: 'running' })]), [], 'running but not ready: waits');
  t.same(summary(view(), [pod(0)]), ['create 1 update']);
  t.same(summary(view(), [pod(0), pod(1)]), ['create 2 update']);
  t.same(summary(view(), [pod(0), pod(1, { deleting: true })]), [], 'waits for a terminating pod');
  t.same(summary(view(), [pod(0, { state: 'failed' }), pod(1)]), ['delete web-0 finished'], 'a failed pod is replaced');
  t.same(summary(view({ minReadySeconds: 3600 }), [pod(0)]), [], 'minReadySeconds: ready is not yet available');
});

t.test('Parallel: everything at once', async (t) => {
  t.same(summary(view({ monotonic: false }), []), ['create 0 update', 'create 1 update', 'create 2 update']);
  t.same(summary(view({ monotonic: false, replicas: 1 }), [pod(0), pod(1, { state: 'pending' }), pod(2)]), ['delete web-2 scale-down', 'delete web-1 scale-down']);
});

t.test('scale down: highest ordinal first, after the rest is healthy', async (t) => {
  const three = [pod(0), pod(1), pod(2)];
  t.same(summary(view({ replicas: 1 }), three), ['delete web-2 scale-down']);
  t.same(summary(view({ replicas: 1 }), [pod(0), pod(1), pod(2, { deleting: true })]), [], 'one at a time');
  t.same(summary(view({ replicas: 1 }), [pod(0), pod(1)]), ['delete web-1 scale-down']);
  t.same(summary(view({ replicas: 2 }), [pod(0, { state: 'running' }), pod(1), pod(2)]), [], 'an unhealthy replica blocks the scale-down');
  t.same(summary(view({ replicas: 1 }), [pod(0), pod(1), pod(2, { state: 'running' })]), ['delete web-2 scale-down'], 'the first unhealthy condemned pod may go');
  t.same(summary(view({ replicas: 1 }), [pod(0), pod(1, { state: 'running' }), pod(2)]), ['delete web-2 scale-down'], 'a healthy condemned pod goes above an unhealthy one');
  t.same(summary(view({ replicas: 1 }), [pod(0), pod(1, { state: 'running' }), pod(2, { state: 'running' })]), [], 'an unhealthy condemned pod that is not the first unhealthy one waits');
  t.same(summary(view({ replicas: 0, deleting: true }), three), [], 'a set being deleted only reports');
});

t.test('rolling update: highest first, down to the partition', async (t) => {
  const v = view({ currentRevision: 'r1', updateRevision: 'r2' });
  const old = [pod(0), pod(1), pod(2)];
  t.same(summary(v, old), ['delete web-2 update']);
  t.same(summary(v, [pod(0), pod(1), pod(2, { rev: 'r2', state: 'pending' })]), ['ensure-claims web-2'], 'waits for the updated pod');
  t.same(summary(v, [pod(0), pod(1), pod(2, { rev: 'r2' })]), ['delete web-1 update']);
  t.same(summary({ ...v, partition: 2 }, [pod(0), pod(1), pod(2, { rev: 'r2' })]), [], 'the partition holds');
  t.same(summary({ ...v, partition: 2 }, [pod(0), pod(2, { rev: 'r2' })]), ['create 1 current'], 'below the partition a pod is re-made at the current revision');
  t.same(summary({ ...v, strategy: 'OnDelete' }, old), [], 'OnDelete waits for the user');
  t.same(summary({ ...v, strategy: 'OnDelete' }, [pod(0), pod(1)]), ['create 2 update'], 'OnDelete re-creates at the update revision');
});

t.test('status', async (t) => {
  const v = view({ currentRevision: 'r1', updateRevision: 'r2' });
  const pods = [pod(0), pod(1, { state: 'pending' }), pod(2, { rev: 'r2' }), pod(3, { rev: 'r2', deleting: true })];
  const s = replicaStatus(pods, v, NOW);
  t.same(s, { replicas: 4, readyReplicas: 3, currentReplicas: 2, updatedReplicas: 1, availableReplicas: 3 });
  t.same(completeRollingUpdate(v, s), { currentRevision: 'r1', currentReplicas: 2 });
  const done = replicaStatus([pod(0, { rev: 'r2' }), pod(1, { rev: 'r2' })], v, NOW);
  t.same(completeRollingUpdate(v, done), { currentRevision: 'r2', currentReplicas: 2 }, 'all updated and ready: the update revision is current');
  t.same(completeRollingUpdate({ ...v, strategy: 'OnDelete' }, done).currentRevision, 'r1', 'OnDelete never completes by itself');
});

t.test('controller history', async (t) => {
  const tpl = set().spec!.template!;
  const data = templatePatch(tpl);
  const rev = newControllerRevision('ns', 'web', REF, { app: 'web' }, data, 1, 0);
  const hash = rev.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? '';
  t.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
  t.equal(rev.metadata?.name, `web-${hash}`);
  t.equal(rev.metadata?.labels?.['app'], 'web');
  t.same(templateOfRevision(rev), tpl, 'the template round-trips');
  const collided = newControllerRevision('ns', 'web', REF, {}, data, 1, 1);
  t.not(collided.metadata?.name, rev.metadata?.name, 'a collision count changes the name');
  t.ok(equalRevision(rev, collided), 'but not the equality');
  t.equal(controllerRevisionName('x'.repeat(300), 'abc').length, 227, 'long prefixes are cut');
  const mk = (name: string, revision: number, image: string): ControllerRevision => ({
    metadata: { name, labels: { [CONTROLLER_REVISION_HASH_LABEL]: `${name}-h` }, creationTimestamp: '2026-01-01T00:00:00Z' },
    revision,
    data: templatePatch({ spec: { containers: [{ name: 'c', image }] } }),
  });
  const revs = [mk('c', 3, 'v3'), mk('a', 1, 'v1'), mk('b', 2, 'v2'), mk('d', 4, 'v1')];
  t.same(sortRevisions(revs).map((r) => r.metadata?.name), ['a', 'b', 'c', 'd']);
  t.equal(nextRevision(revs), 5);
  t.equal(nextRevision([]), 1);
  t.same(findEqualRevisions(revs, mk('x', 0, 'v1')).map((r) => r.metadata?.name), ['a', 'd']);
  t.same(revisionsToTruncate(revs, new Set(['a']), 1).map((r) => r.metadata?.name), ['b', 'c'], 'live ones stay; oldest go first');
  t.same(revisionsToTruncate(revs, new Set(['b-h']), 3).map((r) => r.metadata?.name), [], 'within the limit (hash labels count as live)');
});
