// Store compaction as kube-apiserver does it, on both real stores: one interval of history kept, one compaction per
// interval however many apiservers share the store.
import t from 'tap';
import { EtcdClient } from '@k8ts/etcd-client';
import { etcdKinds, eventually, startEtcd } from '@k8ts/testing';
import { COMPACT_REV_KEY, compactOnce, startCompactor, type CompactorState } from '../../src/storage/index.js';
import { isCompacted } from '../../src/storage/storage-errors.js';

/** Whether reading `key` at `revision` is refused as compacted. */
async function compactedAt(client: EtcdClient, key: string, revision: number): Promise<boolean> {
  try {
    await client.range(key, { revision });
    return false;
  } catch (err) {
    if (isCompacted(err)) return true;
    throw err;
  }
}

for (const kind of etcdKinds()) {
  t.test(`compaction on ${kind}`, async (t) => {
    const etcd = await startEtcd(kind);
    const client = new EtcdClient({ endpoints: etcd.endpoints });
    t.teardown(async () => {
      await client.close();
      await etcd.stop();
    });

    t.test('each win compacts to the revision of the attempt before', async (t) => {
      const early = (await client.put('/registry/configmaps/c/a', 'v1')).header.revision;
      const first = await compactOnce(client, { version: 0, revision: 0 });
      t.equal(first.compacted, undefined, 'the first win only records where the store is');
      t.equal(first.version, 1);
      t.ok(first.revision > early);

      const middle = (await client.put('/registry/configmaps/c/a', 'v2')).header.revision;
      const second = await compactOnce(client, first);
      t.equal(second.compacted, first.revision, 'compacted to the revision one attempt ago, not to now');
      t.equal(second.version, 2);
      t.ok(await compactedAt(client, '/registry/configmaps/c/a', early), 'history before it is gone');
      t.equal((await client.range('/registry/configmaps/c/a', { revision: middle })).kvs[0]?.value.toString(), 'v2', 'history since is kept');
      const marker = (await client.range(COMPACT_REV_KEY)).kvs[0];
      t.equal(marker?.value.toString(), String(first.revision), 'the shared key holds the last compacted revision');
      t.equal(marker?.version, 2, 'and its version counts the wins');
    });

    t.test('apiservers sharing the store compact once per round between them', async (t) => {
      const before = (await client.range(COMPACT_REV_KEY)).kvs[0]?.version ?? 0;
      // Three apiservers that start knowing nothing: their first attempts learn the key's version.
      let states: CompactorState[] = [0, 1, 2].map(() => ({ version: 0, revision: 0 }));
      let compactions = 0;
      const rounds = 4;
      for (let round = 0; round < rounds; round++) {
        await client.put('/registry/configmaps/c/b', `round-${round}`);
        const outcomes = [];
        for (const s of states) outcomes.push(await compactOnce(client, s));
        compactions += outcomes.filter((o) => o.compacted !== undefined).length;
        states = outcomes.map((o) => ({ version: o.version, revision: o.revision }));
      }
      const after = (await client.range(COMPACT_REV_KEY)).kvs[0]?.version ?? 0;
      t.equal(after - before, rounds - 1, 'one win per round once they agree on the version (the first round only teaches it)');
      t.equal(compactions, rounds - 1, 'and one compaction per win');
    });

    t.test('the compactor runs every interval', async (t) => {
      const old = (await client.put('/registry/configmaps/c/timed', 'x')).header.revision;
      await client.put('/registry/configmaps/c/timed', 'y');
      const compactor = startCompactor(client, 100);
      t.teardown(() => compactor.stop());
      await eventually('the old revision to be compacted', () => compactedAt(client, '/registry/configmaps/c/timed', old), (gone) => gone, 10_000, 50);
      t.equal((await client.range('/registry/configmaps/c/timed')).kvs[0]?.value.toString(), 'y', 'the current value stays');
    });
  });
}
