// Updates and deletes start from the watch cache's copy (one store round trip when it is current). These tests make
// the cache stale for certain, by stopping it, and check that every answer is still the one the store's copy gives.
import t from 'tap';
import { allKinds, allSchemaModules, patchMetaFromSchema, SchemaRegistry, type JsonObject } from '@k8ts/api-machinery';
import { EtcdClient } from '@k8ts/etcd-client';
import { eventually, rejectionOf, startEtcd } from '@k8ts/testing';
import { ServiceAllocators, parsePortRange } from '../../src/allocators/service-allocators.js';
import { ApiError } from '../../src/api/errors.js';
import { GenericRegistry } from '../../src/registry/generic-registry.js';
import { namespaceLifecycle } from '../../src/registry/namespace-lifecycle.js';
import { strategyFor } from '../../src/registry/strategies.js';
import { ObjectStore, WatchCache } from '../../src/storage/index.js';

const NS = 'origin';

function meta(o: JsonObject): JsonObject {
  return o.metadata as JsonObject;
}

t.test('a stale cache never decides an update or a delete', async (t) => {
  const etcd = await startEtcd('k8ts');
  const client = new EtcdClient({ endpoints: etcd.endpoints });
  const store = new ObjectStore(client);
  await store.create(store.key('namespaces', undefined, NS), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } });
  const schemas = new SchemaRegistry(allSchemaModules);
  const kind = allKinds.find((k) => k.group === '' && k.plural === 'configmaps')!;
  const namespaces = new WatchCache(client, store, store.prefixFor('namespaces'));
  const cache = new WatchCache(client, store, store.prefixFor('configmaps'));
  await Promise.all([namespaces.start(), cache.start()]);
  t.teardown(async () => {
    await Promise.all([namespaces.stop(), cache.stop()]);
    await client.close();
    await etcd.stop();
  });
  const registry = new GenericRegistry({
    kind,
    schemas,
    store,
    cache,
    strategy: strategyFor(kind, new ServiceAllocators(store, '10.96.0.0/12', parsePortRange('30000-32767')), {
      tolerationSeconds: { notReady: 300, unreachable: 300 },
      defaultStorageClass: async () => undefined,
    }),
    patchMeta: patchMetaFromSchema(schemas.component(kind.schema), Object.fromEntries(schemas.all())),
    checkNamespace: namespaceLifecycle(store, namespaces),
  });
  const key = registry.key(NS, 'cm');
  const created = await registry.create(NS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1' } }, { dryRun: false });
  await eventually('the cache to hold the configmap', () => cache.get(key), (v) => v !== undefined, 10_000, 10);
  await cache.stop(); // from here on the cache keeps what it had and sees nothing more

  // Another apiserver's write, which this cache never sees.
  const current = (await store.get(key))!;
  const theirs = await store.update(key, { ...current.object, data: { a: '1', b: 'theirs' } }, current.modRevision);
  t.equal(String(cache.get(key)!.modRevision), meta(created).resourceVersion, 'the cache is stale');

  t.test('a PUT naming the newer resourceVersion is applied, not refused', async (t) => {
    const put = { ...theirs.object, data: { a: '1', b: 'theirs', c: 'mine' } };
    const r = await registry.update(NS, 'cm', () => structuredClone(put), { dryRun: false });
    t.same(r.object.data, { a: '1', b: 'theirs', c: 'mine' });
    t.ok(Number(meta(r.object).resourceVersion) > theirs.modRevision);
  });

  t.test('a PUT naming a resourceVersion older than the store is still a 409', async (t) => {
    const stale = { ...created, data: { a: 'late' } };
    const e = await rejectionOf(registry.update(NS, 'cm', () => structuredClone(stale), { dryRun: false }), ApiError);
    t.equal(e.code, 409);
    t.same((await store.get(key))!.object.data, { a: '1', b: 'theirs', c: 'mine' }, 'nothing was written');
  });

  t.test('a patch computed on the stale copy is computed again on the current one', async (t) => {
    const r = await registry.update(NS, 'cm', (cur) => ({ ...cur!, data: { ...(cur!.data as JsonObject), d: 'patched' } }), { dryRun: false });
    t.same(r.object.data, { a: '1', b: 'theirs', c: 'mine', d: 'patched' }, 'no write was lost');
  });

  t.test('"no change" is answered with the store\'s object, not the cached one', async (t) => {
    const inStore = (await store.get(key))!;
    const r = await registry.update(NS, 'cm', (cur) => cur!, { dryRun: false });
    t.equal(meta(r.object).resourceVersion, String(inStore.modRevision));
    t.same(r.object.data, inStore.object.data);
    t.equal((await store.get(key))!.modRevision, inStore.modRevision, 'and nothing was written');
  });

  t.test('a delete from the stale copy deletes the current object', async (t) => {
    const r = await registry.delete(NS, 'cm', { dryRun: false });
    t.ok(r.deleted);
    t.same(r.object.data, { a: '1', b: 'theirs', c: 'mine', d: 'patched' }, 'the object returned is the last stored state');
    t.equal(await store.get(key), undefined);
  });

  t.test('an update of an object the stale cache still holds is a 404 once it is gone', async (t) => {
    t.ok(cache.get(key), 'the cache still has it');
    // compute sees undefined once the store's answer is in: the object is missing.
    const e = await rejectionOf(registry.update(NS, 'cm', (cur) => cur ?? { metadata: {} }, { dryRun: false }), ApiError);
    t.equal(e.code, 404);
    const d = await rejectionOf(registry.delete(NS, 'cm', { dryRun: false }), ApiError);
    t.equal(d.code, 404);
  });
});
