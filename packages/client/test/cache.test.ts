// The indexer (keys, built-in namespace index, custom indexes kept current on update/delete/replace) and listers.
import t from 'tap';
import {
  DeletedFinalStateUnknown,
  Indexer,
  Lister,
  NAMESPACE_INDEX,
  deletionHandlingKey,
  metaNamespaceKey,
  objectOf,
  splitMetaNamespaceKey,
  type KubeObject,
} from '../src/index.js';

interface Pod extends KubeObject {
  spec?: { nodeName?: string };
}

const pod = (ns: string, name: string, node?: string, labels?: Record<string, string>): Pod => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { namespace: ns, name, labels },
  spec: node ? { nodeName: node } : {},
});
const node = (name: string): KubeObject => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
const byNode = (p: Pod): string[] => (p.spec?.nodeName ? [p.spec.nodeName] : []);
const names = (objs: KubeObject[]): string[] => objs.map((o) => o.metadata?.name ?? '').sort();

t.test('keys', async (t) => {
  t.equal(metaNamespaceKey(pod('ns', 'a')), 'ns/a');
  t.equal(metaNamespaceKey(node('n1')), 'n1');
  t.same(splitMetaNamespaceKey('ns/a'), { namespace: 'ns', name: 'a' });
  t.same(splitMetaNamespaceKey('n1'), { namespace: undefined, name: 'n1' });
  t.throws(() => splitMetaNamespaceKey('a/b/c'));
  t.throws(() => splitMetaNamespaceKey('/b'));
  t.throws(() => metaNamespaceKey({ metadata: {} }), /no metadata.name/);
  const tomb = new DeletedFinalStateUnknown('ns/gone', pod('ns', 'gone'));
  t.equal(deletionHandlingKey(tomb), 'ns/gone');
  t.equal(deletionHandlingKey(pod('ns', 'b')), 'ns/b');
  t.equal(objectOf(tomb).metadata?.name, 'gone');
});

t.test('indexes follow adds, updates, deletes and replace', async (t) => {
  const idx = new Indexer<Pod>({ indexers: { nodeName: byNode } });
  idx.add(pod('a', 'p1', 'n1'));
  idx.add(pod('a', 'p2', 'n2'));
  idx.add(pod('b', 'p3', 'n1'));
  idx.add(pod('b', 'p4'));
  t.equal(idx.size, 4);
  t.same(names(idx.byIndex('nodeName', 'n1')), ['p1', 'p3']);
  t.same(names(idx.byIndex(NAMESPACE_INDEX, 'b')), ['p3', 'p4']);
  t.same(idx.listIndexValues('nodeName').sort(), ['n1', 'n2']);

  const old = idx.update(pod('a', 'p1', 'n2'));
  t.equal(old?.spec?.nodeName, 'n1', 'update returns the previous object');
  t.same(names(idx.byIndex('nodeName', 'n1')), ['p3'], 'moved out of the old value');
  t.same(names(idx.byIndex('nodeName', 'n2')), ['p1', 'p2']);

  t.equal(idx.delete(pod('b', 'p3'))?.metadata?.name, 'p3');
  t.same(idx.byIndex('nodeName', 'n1'), []);
  t.same(idx.listIndexValues('nodeName').sort(), ['n2'], 'empty values disappear');
  t.equal(idx.delete(pod('b', 'nope')), undefined);

  idx.replace([pod('c', 'q1', 'n9'), pod('a', 'p1', 'n9')]);
  t.same(idx.listKeys().sort(), ['a/p1', 'c/q1']);
  t.same(names(idx.byIndex('nodeName', 'n9')), ['p1', 'q1']);
  t.same(idx.byIndex('nodeName', 'n2'), []);
  t.same(idx.listIndexValues(NAMESPACE_INDEX).sort(), ['a', 'c']);
  t.throws(() => idx.byIndex('nope', 'x'), /does not exist/);
});

t.test('indexers added later index what is already stored; duplicates are refused', async (t) => {
  const idx = new Indexer<Pod>();
  idx.add(pod('a', 'p1', 'n1'));
  idx.addIndexers({ nodeName: byNode });
  t.same(names(idx.byIndex('nodeName', 'n1')), ['p1']);
  idx.addIndexers({ nodeName: byNode }); // the same function again is fine (shared informers)
  t.throws(() => idx.addIndexers({ nodeName: (p: Pod) => [p.metadata?.name ?? ''] }), /already exists/);
  const multi = new Indexer<Pod>({ indexers: { labels: (p) => Object.keys(p.metadata?.labels ?? {}) } });
  multi.add(pod('a', 'p1', undefined, { x: '1', y: '2' }));
  multi.add(pod('a', 'p2', undefined, { y: '3' }));
  t.same(names(multi.byIndex('labels', 'y')), ['p1', 'p2'], 'an object may have several index values');
});

t.test('listers: namespace scoping and label selectors', async (t) => {
  const idx = new Indexer<Pod>();
  idx.add(pod('a', 'web-1', 'n1', { app: 'web', tier: 'front' }));
  idx.add(pod('a', 'web-2', 'n1', { app: 'web' }));
  idx.add(pod('a', 'db', 'n1', { app: 'db' }));
  idx.add(pod('b', 'web-3', 'n1', { app: 'web' }));
  const lister = new Lister(idx);
  t.equal(lister.list().length, 4);
  t.same(names(lister.list('app=web')), ['web-1', 'web-2', 'web-3']);
  t.same(names(lister.list({ app: 'web', tier: 'front' })), ['web-1']);
  t.same(names(lister.list('app in (db),!tier')), ['db']);
  t.same(names(lister.namespace('a').list('app=web')), ['web-1', 'web-2']);
  t.same(names(lister.namespace('b').list()), ['web-3']);
  t.equal(lister.namespace('a').get('db')?.metadata?.name, 'db');
  t.equal(lister.namespace('b').get('db'), undefined);
  t.equal(lister.getByKey('b/web-3')?.metadata?.name, 'web-3');
  t.throws(() => lister.list('app=('), 'an invalid selector throws');

  const nodes = new Lister(new Indexer<KubeObject>());
  (nodes.indexer as Indexer<KubeObject>).add(node('n1'));
  t.equal(nodes.get('n1')?.metadata?.name, 'n1', 'cluster-scoped get by name');
});
