// ObjectStore against real single-member stores: k8ts-etcd and etcd 3.4, same assertions.
import t from 'tap';
import type { JsonObject } from '@k8ts/api-machinery';
import { EtcdClient } from '@k8ts/etcd-client';
import { ContinueExpiredError, ObjectStore, StorageError, decodeContinue } from '../../src/storage/index.js';
import { etcdKinds, freePorts, rejectionOf, startEtcd } from '@k8ts/testing';

const storageError = (p: Promise<unknown>): Promise<StorageError> => rejectionOf(p, StorageError);

function pod(namespace: string, name: string, extra: JsonObject = {}): JsonObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace }, spec: { containers: [] }, ...extra };
}

function rv(obj: JsonObject): string | undefined {
  const meta = obj.metadata as JsonObject;
  return typeof meta.resourceVersion === 'string' ? meta.resourceVersion : undefined;
}

function tokenJson(token: string): unknown {
  return JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
}

t.test('keys', async (t) => {
  const store = new ObjectStore(new EtcdClient({ endpoints: ['http://127.0.0.1:1'] }));
  t.equal(store.key('pods', 'ns1', 'a'), '/registry/pods/ns1/a');
  t.equal(store.key('nodes', undefined, 'n1'), '/registry/nodes/n1');
  t.equal(store.prefixFor('pods', 'ns1'), '/registry/pods/ns1/');
  t.equal(store.prefixFor('pods'), '/registry/pods/');
  t.equal(new ObjectStore(new EtcdClient({ endpoints: ['http://127.0.0.1:1'] }), { prefix: '/k8ts/' }).key('pods', 'x', 'y'), '/k8ts/pods/x/y');
  t.throws(() => store.key('pods', 'ns1', 'a/b'), TypeError);
  t.throws(() => store.key('pods', '..', 'a'), TypeError);
  t.throws(() => store.prefixFor(''), TypeError);
});

for (const kind of etcdKinds()) {
  t.test(`ObjectStore on ${kind}`, async (t) => {
    const etcd = await startEtcd(kind);
    const client = new EtcdClient({ endpoints: etcd.endpoints });
    t.teardown(async () => {
      await client.close();
      await etcd.stop();
    });
    const store = new ObjectStore(client);

    t.test('create, get, update, delete', async (t) => {
      const key = store.key('pods', 'crud', 'a');
      const input = pod('crud', 'a', { metadata: { name: 'a', namespace: 'crud', resourceVersion: '12345' } });
      const created = await store.create(key, input);
      t.equal(rv(created.object), String(created.modRevision), 'resourceVersion is the new revision');
      t.equal(rv(input), '12345', 'the caller object is left alone');
      const raw = await client.getString(key);
      t.notOk(raw?.includes('resourceVersion'), 'stored JSON has no resourceVersion');
      t.same((await store.get(key))?.object, created.object);
      t.equal(await store.get(store.key('pods', 'crud', 'missing')), undefined);

      const exists = await storageError(store.create(key, pod('crud', 'a')));
      t.equal(exists.code, 'AlreadyExists');

      const updated = await store.update(key, { ...created.object, spec: { nodeName: 'n1' } }, created.modRevision);
      t.ok(updated.modRevision > created.modRevision);
      t.same((updated.object.spec as JsonObject).nodeName, 'n1');
      t.equal(rv(updated.object), String(updated.modRevision));

      const stale = await storageError(store.update(key, created.object, created.modRevision));
      t.equal(stale.code, 'Conflict', 'update at an old revision');
      const gone = await storageError(store.update(store.key('pods', 'crud', 'missing'), created.object, created.modRevision));
      t.equal(gone.code, 'NotFound', 'update of a missing key');

      const lost = await store.compareAndSwap(key, { ...created.object, spec: { nodeName: 'n2' } }, created.modRevision);
      t.ok('current' in lost && lost.current, 'a lost compare-and-swap says what is there now');
      if ('current' in lost) {
        t.equal(lost.current?.modRevision, updated.modRevision);
        t.same(lost.current?.object, updated.object, 'read by the same txn, resourceVersion stamped');
      }
      const absent = await store.compareAndSwap(store.key('pods', 'crud', 'missing'), created.object, created.modRevision);
      t.same(absent, { current: undefined }, 'a missing key has no current object');

      const staleDelete = await storageError(store.delete(key, created.modRevision));
      t.equal(staleDelete.code, 'Conflict', 'delete at an old revision');
      const deleted = await store.delete(key, updated.modRevision);
      t.ok(deleted.modRevision > updated.modRevision);
      t.equal(deleted.modRevision, await store.currentRevision(), 'resourceVersion of a deleted object is the deletion revision');
      t.equal(rv(deleted.object), String(deleted.modRevision));
      t.same((deleted.object.spec as JsonObject).nodeName, 'n1', 'the deleted object is its last state');
      t.equal(await store.get(key), undefined);
      t.equal((await storageError(store.delete(key))).code, 'NotFound');
      t.equal((await storageError(store.delete(key, updated.modRevision))).code, 'NotFound');

      await store.create(key, pod('crud', 'a'));
      t.equal(rv((await store.delete(key)).object), String(await store.currentRevision()), 'unconditional delete');
    });

    t.test('currentRevision follows writes', async (t) => {
      const put = await client.put('/elsewhere/x', 'y');
      t.equal(await store.currentRevision(), put.header.revision);
    });

    t.test('paginated lists read every page at the first page revision', async (t) => {
      const prefix = store.prefixFor('pods', 'paged');
      for (let i = 0; i < 7; i++) await store.create(store.key('pods', 'paged', `p${i}`), pod('paged', `p${i}`));
      const all = await store.list(prefix, {});
      t.same(all.items.map((i) => (i.object.metadata as JsonObject).name), ['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
      t.equal(all.continueToken, undefined);
      t.equal(all.remainingItemCount, undefined);

      const page1 = await store.list(prefix, { limit: 3 });
      t.equal(page1.items.length, 3);
      t.equal(page1.remainingItemCount, 4);
      t.equal(page1.revision, all.revision);
      t.ok(page1.continueToken);
      t.same(tokenJson(page1.continueToken ?? ''), { v: 'meta.k8s.io/v1', rv: page1.revision, start: 'p2\u0000' });

      // Writes after the first page must not show up in later pages.
      const p3 = await store.get(store.key('pods', 'paged', 'p3'));
      await store.update(store.key('pods', 'paged', 'p3'), { ...(p3?.object ?? {}), spec: { changed: true } }, p3?.modRevision ?? 0);
      await store.create(store.key('pods', 'paged', 'p35'), pod('paged', 'p35'));

      const page2 = await store.list(prefix, { limit: 3, continueToken: page1.continueToken });
      t.same(page2.items.map((i) => (i.object.metadata as JsonObject).name), ['p3', 'p4', 'p5']);
      t.same(page2.items[0]?.object.spec, { containers: [] }, 'p3 as of the first page revision');
      t.equal(page2.revision, page1.revision);
      t.equal(page2.remainingItemCount, 1);
      const page3 = await store.list(prefix, { limit: 3, continueToken: page2.continueToken, revision: page1.revision });
      t.same(page3.items.map((i) => (i.object.metadata as JsonObject).name), ['p6']);
      t.equal(page3.continueToken, undefined);

      const now = await store.list(prefix, {});
      t.equal(now.items.length, 8);
      const old = await store.list(prefix, { revision: page1.revision });
      t.equal(old.items.length, 7, 'a list at an exact revision');
      t.equal(old.revision, page1.revision);

      const mismatch = await storageError(store.list(prefix, { continueToken: page1.continueToken, revision: page1.revision - 1 }));
      t.equal(mismatch.code, 'InvalidContinue');
    });

    t.test('malformed continue tokens', async (t) => {
      const prefix = store.prefixFor('pods', 'paged');
      const enc = (o: unknown): string => Buffer.from(JSON.stringify(o)).toString('base64url');
      const bad = [
        'not base64 !',
        enc('just a string'),
        Buffer.from('{not json').toString('base64url'),
        enc({ v: 'meta.k8s.io/v2', rv: 5, start: 'a' }),
        enc({ v: 'meta.k8s.io/v1', rv: 0, start: 'a' }),
        enc({ v: 'meta.k8s.io/v1', rv: 5, start: '' }),
        enc({ v: 'meta.k8s.io/v1', rv: 5, start: '../../secrets/x' }),
      ];
      for (const token of bad) {
        const err = await storageError(store.list(prefix, { limit: 1, continueToken: token }));
        t.equal(err.code, 'InvalidContinue', token);
        t.match(err.message, /^continue key is not valid/);
      }
    });

    t.test('guaranteedUpdate under concurrent writers', async (t) => {
      const key = store.key('configmaps', 'gu', 'counter');
      await store.create(key, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'counter', namespace: 'gu' }, data: { n: '0' } });
      let calls = 0;
      const increment = (): Promise<unknown> =>
        store.guaranteedUpdate(key, (current) => {
          calls++;
          const data = current.object.data as JsonObject;
          data.n = String(Number(data.n) + 1); // in place: allowed, current is the caller's copy
          return current.object;
        });
      await Promise.all(Array.from({ length: 20 }, increment));
      const final = await store.get(key);
      t.equal((final?.object.data as JsonObject).n, '20', 'all 20 increments landed');
      t.ok(calls >= 20, `tryUpdate ran ${calls} times`);

      const before = await store.currentRevision();
      const same = await store.guaranteedUpdate(key, () => undefined);
      t.equal(same.modRevision, final?.modRevision, 'undefined means no change');
      const identical = await store.guaranteedUpdate(key, (c) => c.object);
      t.equal(identical.modRevision, final?.modRevision, 'an identical object is not written');
      t.equal(await store.currentRevision(), before, 'nothing was written');

      // A stale hint (e.g. from the watch cache) costs a retry, not a lost update.
      const stale = { object: { ...(final?.object ?? {}), data: { n: '-1' } }, modRevision: 1 };
      const fromHint = await store.guaranteedUpdate(
        key,
        (c) => ({ ...c.object, data: { n: String(Number((c.object.data as JsonObject).n) + 1) } }),
        { current: stale },
      );
      t.equal((fromHint.object.data as JsonObject).n, '21');
      // The hint says the change is already there, etcd says otherwise: the no-op must be re-checked.
      const moved = await store.guaranteedUpdate(key, (c) => ({ ...c.object, data: { n: '22' } }));
      const optimistic = { object: { ...fromHint.object, data: { n: '21' } }, modRevision: fromHint.modRevision };
      const rechecked = await store.guaranteedUpdate(
        key,
        (c) => ((c.object.data as JsonObject).n === '21' ? undefined : { ...c.object, data: { n: '21' } }),
        { current: optimistic },
      );
      t.equal((rechecked.object.data as JsonObject).n, '21', 'a no-op on a stale hint is re-checked against etcd');
      t.ok(rechecked.modRevision > moved.modRevision);

      await t.rejects(
        store.guaranteedUpdate(key, () => {
          throw new Error('precondition failed');
        }),
        { message: 'precondition failed' },
      );
      const missing = await storageError(store.guaranteedUpdate(store.key('configmaps', 'gu', 'nope'), (c) => c.object));
      t.equal(missing.code, 'NotFound');

      const conflicts = await storageError(
        store.guaranteedUpdate(
          key,
          async (c) => {
            await client.put(key, JSON.stringify(c.object)); // someone else always wins
            return { ...c.object, data: { n: 'x' } };
          },
          { maxAttempts: 3 },
        ),
      );
      t.equal(conflicts.code, 'Conflict', 'gives up after maxAttempts');
    });

    t.test('a value etcd refuses is TooLarge', async (t) => {
      const err = await storageError(store.create(store.key('configmaps', 'big', 'x'), { metadata: { name: 'x' }, data: { blob: 'x'.repeat(1600 * 1024) } }));
      t.equal(err.code, 'TooLarge');
    });

    t.test('compaction: expired continue tokens and lists', async (t) => {
      const prefix = store.prefixFor('pods', 'paged');
      const page1 = await store.list(prefix, { limit: 2 });
      await store.create(store.key('pods', 'paged', 'p00'), pod('paged', 'p00')); // lands before the continue key
      await client.compact(await store.currentRevision());

      const err = await storageError(store.list(prefix, { limit: 2, continueToken: page1.continueToken }));
      t.equal(err.code, 'Expired');
      t.equal(
        err.message,
        'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
      );
      t.ok(err instanceof ContinueExpiredError);
      const fresh = err instanceof ContinueExpiredError ? err.continueToken : '';
      t.same(decodeContinue(fresh, prefix), { startKey: `${prefix}p1\u0000`, revision: -1 }, 'a token to go on at the latest revision');
      const rest = await store.list(prefix, { limit: 100, continueToken: fresh });
      t.same(rest.items.map((i) => (i.object.metadata as JsonObject).name), ['p2', 'p3', 'p35', 'p4', 'p5', 'p6']);
      t.equal(rest.revision, await store.currentRevision());

      const expired = await storageError(store.list(prefix, { revision: page1.revision }));
      t.equal(expired.code, 'Expired', 'a list at a compacted revision');
    });

    t.test('the observer hears every etcd call with its operation and resource', async (t) => {
      const calls: string[] = [];
      const observed = new ObjectStore(client, {
        observer: {
          storeCall(operation, resource, seconds, failed) {
            t.ok(seconds >= 0 && seconds < 30, `${operation} took ${seconds} s`);
            calls.push(`${operation} ${resource}${failed ? ' failed' : ''}`);
          },
        },
      });
      const key = observed.key('configmaps', 'observed', 'a');
      const created = await observed.create(key, { metadata: { name: 'a', namespace: 'observed' }, data: { v: '1' } });
      await observed.get(key);
      await observed.update(key, { ...created.object, data: { v: '2' } }, created.modRevision);
      await storageError(observed.update(key, created.object, created.modRevision));
      await observed.list(observed.prefixFor('configmaps', 'observed'));
      await observed.currentRevision();
      await observed.delete(key);
      await storageError(observed.list(observed.prefixFor('configmaps'), { revision: 1 }));
      t.same(calls, [
        'create configmaps',
        'get configmaps',
        'update configmaps',
        'update configmaps', // a compare that fails is an answer from etcd, not a failed call
        'list configmaps',
        'revision ',
        'delete configmaps',
        'list configmaps failed', // revision 1 was compacted above
      ]);
    });
  });
}

t.test('an unreachable store is Unavailable', async (t) => {
  const [port] = await freePorts(1);
  const client = new EtcdClient({ endpoints: [`http://127.0.0.1:${port}`], requestTimeoutMs: 2000 });
  t.teardown(() => client.close());
  const store = new ObjectStore(client);
  t.equal((await storageError(store.get('/registry/pods/a/b'))).code, 'Unavailable');
  t.equal((await storageError(store.create('/registry/pods/a/b', pod('a', 'b')))).code, 'Unavailable');
  const failed: string[] = [];
  const observed = new ObjectStore(client, { observer: { storeCall: (op, resource, _s, f) => void failed.push(`${op} ${resource} ${f}`) } });
  await storageError(observed.get('/registry/pods/a/b'));
  t.same(failed, ['get pods true'], 'an unreachable store counts as a failed call');
});
