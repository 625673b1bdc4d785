import t from 'tap';
import { allKinds, type OwnerReference } from '@k8ts/api-machinery';
import { decideDeletion, deleteOwnerRefsPatch, removeFinalizerPatch, unblockOwnerRefsPatch } from '../../src/controllers/garbagecollector/decisions.js';
import { monitoredKinds } from '../../src/controllers/garbagecollector/garbagecollector-controller.js';
import { DependencyGraph, ReferenceCache, type GraphEvent, type Identity } from '../../src/controllers/garbagecollector/graph.js';

const rs: Identity = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', namespace: 'ns', uid: 'rs-1' };
const pod = (n: number): Identity => ({ apiVersion: 'v1', kind: 'Pod', name: `web-${n}`, namespace: 'ns', uid: `pod-${n}` });
const refTo = (i: Identity, block = true): OwnerReference => ({ apiVersion: i.apiVersion, kind: i.kind, name: i.name, uid: i.uid, controller: true, blockOwnerDeletion: block });

const ev = (type: GraphEvent['type'], identity: Identity, o: Partial<GraphEvent> = {}): GraphEvent => ({ type, identity, owners: [], deleting: false, finalizers: [], ...o });
const uids = (s: Set<string>): string[] => [...s].sort();

t.test('monitored kinds', async (t) => {
  const names = monitoredKinds(allKinds).map((k) => `${k.group}/${k.plural}`);
  t.ok(names.includes('/pods') && names.includes('apps/replicasets') && names.includes('/namespaces'), 'every listable, watchable, deletable kind');
  t.notOk(names.includes('/events'), 'core Events are ignored');
  t.notOk(names.includes('events.k8s.io/events'), 'events.k8s.io Events are ignored');
});

t.test('the graph: owners, virtual nodes, dependents', async (t) => {
  const g = new DependencyGraph();
  // A dependent seen before its owner: the owner is a virtual node, checked with the API.
  let acts = g.process(ev('add', pod(1), { owners: [refTo(rs)] }));
  t.same(uids(acts.attemptToDelete), ['rs-1'], 'the virtual owner is queued for verification');
  t.ok(g.get('rs-1')?.virtual);
  t.equal(g.get('rs-1')?.identity.namespace, 'ns', "a virtual owner takes the dependent's namespace");
  acts = g.process(ev('add', rs));
  t.notOk(g.get('rs-1')?.virtual, 'observed now');
  t.same(uids(acts.attemptToDelete), [], 'matching coordinates: nothing to check');
  g.process(ev('add', pod(2), { owners: [refTo(rs)] }));
  t.same([...g.get('rs-1')!.dependents].map((d) => d.uid).sort(), ['pod-1', 'pod-2']);
  t.same(g.get('rs-1')!.blockingDependents().length, 2);

  // The owner goes: its dependents are queued, and it is remembered as absent.
  acts = g.process(ev('delete', rs));
  t.same(uids(acts.attemptToDelete), ['pod-1', 'pod-2']);
  t.notOk(g.get('rs-1'));
  t.ok(g.absentOwners.has(rs));
  t.same(g.get('pod-1')!.owners.map((o) => o.uid), ['rs-1'], 'dependents keep their references until patched or deleted');
});

t.test('the graph: foreground and orphan transitions, unblocking', async (t) => {
  const g = new DependencyGraph();
  g.process(ev('add', rs));
  g.process(ev('add', pod(1), { owners: [refTo(rs)] }));
  g.process(ev('add', pod(2), { owners: [refTo(rs, false)] }));
  let acts = g.process(ev('update', rs, { deleting: true, finalizers: ['foregroundDeletion'], old: { deleting: false, finalizers: [] } }));
  t.same(uids(acts.attemptToDelete), ['pod-1', 'pod-2', 'rs-1'], 'foreground: every dependent and the owner itself');
  t.ok(g.get('rs-1')!.deletingDependents);
  t.same(g.get('rs-1')!.blockingDependents().map((d) => d.uid), ['pod-1'], 'only blockOwnerDeletion references block');
  acts = g.process(ev('update', rs, { deleting: true, finalizers: ['foregroundDeletion'], old: { deleting: true, finalizers: ['foregroundDeletion'] } }));
  t.same(uids(acts.attemptToDelete), [], 'no new transition: nothing queued');
  acts = g.process(ev('delete', pod(1), { owners: [refTo(rs)] }));
  t.same(uids(acts.attemptToDelete), ['rs-1'], 'a dependent gone: the waiting owner is looked at again');
  acts = g.process(ev('update', pod(2), { owners: [] }));
  t.same(uids(acts.attemptToDelete), [], 'a non-blocking reference removed does not matter');

  const g2 = new DependencyGraph();
  g2.process(ev('add', rs));
  g2.process(ev('add', pod(1), { owners: [refTo(rs)] }));
  acts = g2.process(ev('update', pod(1), { owners: [{ ...refTo(rs), blockOwnerDeletion: false }] }));
  t.same(uids(acts.attemptToDelete), ['rs-1'], 'a reference that stops blocking frees the owner');
  acts = g2.process(ev('update', rs, { deleting: true, finalizers: ['orphan'], old: { deleting: false, finalizers: [] } }));
  t.same(uids(acts.attemptToOrphan), ['rs-1'], 'orphan: the owner goes to the orphan queue');
  t.same(uids(acts.attemptToDelete), []);
  t.ok(g2.get('rs-1')!.beingDeleted);
});

t.test('the graph: virtual deletes and invalid references', async (t) => {
  const g = new DependencyGraph(new ReferenceCache(10));
  g.process(ev('add', pod(1), { owners: [refTo(rs)] }));
  let acts = g.virtualDelete(g.get('rs-1')!.identity);
  t.same(uids(acts.attemptToDelete), ['pod-1'], 'a verified-absent virtual owner: its dependents are queued');
  t.notOk(g.get('rs-1'));

  // A real node is never removed by a virtual delete of other coordinates.
  g.process(ev('add', rs));
  acts = g.virtualDelete({ ...rs, kind: 'Deployment' });
  t.ok(g.get('rs-1'), 'kept');

  // An owner in another namespace: reported, and the dependent verified.
  const other: Identity = { ...pod(3), namespace: 'elsewhere' };
  acts = g.process(ev('add', other, { owners: [refTo(rs)] }));
  t.same(acts.invalidNamespaceRefs.map((r) => r.dependent.uid), ['pod-3'], 'OwnerRefInvalidNamespace');
  t.same(uids(acts.attemptToDelete), ['pod-3']);

  const cache = new ReferenceCache(2);
  cache.add(pod(1));
  cache.add(pod(2));
  cache.has(pod(1));
  cache.add(pod(3));
  t.ok(cache.has(pod(1)) && !cache.has(pod(2)), 'the absent-owner cache evicts the least recently used');
});

t.test('deletion verdicts and patches', async (t) => {
  const a = refTo(rs);
  const b: OwnerReference = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'd', uid: 'd-1' };
  const item = { hasDependents: false, dependentDeletingDependents: false, finalizers: [] as string[] };
  t.same(decideDeletion({ solid: [a], dangling: [], waitingForDependentsDeletion: [] }, item), { action: 'keep' }, 'a live owner keeps it');
  t.same(decideDeletion({ solid: [a], dangling: [b], waitingForDependentsDeletion: [] }, item), { action: 'removeReferences', uids: ['d-1'] }, 'dead references removed');
  t.same(decideDeletion({ solid: [], dangling: [a, b], waitingForDependentsDeletion: [] }, item), { action: 'delete', policy: 'Background', unblockOwnerReferences: false }, 'all owners gone');
  t.same(decideDeletion({ solid: [], dangling: [], waitingForDependentsDeletion: [a] }, item).action, 'delete', 'the owner waits: delete (background, having no dependents)');
  t.same(
    decideDeletion({ solid: [], dangling: [], waitingForDependentsDeletion: [a] }, { ...item, hasDependents: true }),
    { action: 'delete', policy: 'Foreground', unblockOwnerReferences: false },
    'the owner waits and this has dependents: foreground',
  );
  t.same(
    decideDeletion({ solid: [], dangling: [], waitingForDependentsDeletion: [a] }, { ...item, hasDependents: true, dependentDeletingDependents: true }).action === 'delete',
    true,
  );
  t.same(decideDeletion({ solid: [], dangling: [a], waitingForDependentsDeletion: [] }, { ...item, finalizers: ['orphan'] }), { action: 'delete', policy: 'Orphan', unblockOwnerReferences: false }, 'its own orphan finalizer is honoured');
  t.same(deleteOwnerRefsPatch('pod-1', ['rs-1']), { metadata: { ownerReferences: [{ $patch: 'delete', uid: 'rs-1' }], uid: 'pod-1' } });
  t.same(unblockOwnerRefsPatch('pod-1', [a, b]), { metadata: { ownerReferences: [{ ...a, blockOwnerDeletion: false }], uid: 'pod-1' } });
  t.same(removeFinalizerPatch('7', ['foregroundDeletion'], 'foregroundDeletion'), { metadata: { resourceVersion: '7', finalizers: null } });
  t.same(removeFinalizerPatch('7', ['x', 'orphan'], 'orphan'), { metadata: { resourceVersion: '7', finalizers: ['x'] } });
  t.equal(removeFinalizerPatch('7', ['x'], 'orphan'), undefined, 'already gone: no patch');
});
