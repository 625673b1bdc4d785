import t from 'tap';
import { setTimeout as sleep } from 'node:timers/promises';
import { EtcdClient, GrpcCode, type LeaseKeepAliveResponse } from '../src/index.js';
import { haveEtcd, startEtcd, until, within } from './helpers/etcd-server.js';

if (haveEtcd(t)) {
  const etcd = await startEtcd(t, 1);
  const c = new EtcdClient({ endpoints: etcd.clientUrls, requestTimeoutMs: 5000 });
  t.teardown(() => c.close());

  t.test('grant, timeToLive, leases, keepAliveOnce, revoke', async (t) => {
    const g = await c.leaseGrant(30);
    t.match(g.id, /^\d+$/);
    t.equal(g.ttl, 30);
    t.ok(g.header.revision >= 1);

    const chosen = await c.leaseGrant(20, '4242');
    t.equal(chosen.id, '4242');
    await t.rejects(c.leaseGrant(20, '4242'), {
      httpStatus: 412,
      code: GrpcCode.FAILED_PRECONDITION,
      message: 'etcdserver: lease already exists',
    });

    await c.put('lease/a', '1', { lease: g.id });
    await c.put('lease/b', '2', { lease: g.id });
    const ttl = await c.leaseTimeToLive(g.id, true);
    t.equal(ttl.id, g.id);
    t.equal(ttl.grantedTtl, 30);
    t.ok(ttl.ttl > 0 && ttl.ttl <= 30);
    t.same(ttl.keys.map((k) => k.toString()).sort(), ['lease/a', 'lease/b']);
    const noKeys = await c.leaseTimeToLive(g.id);
    t.same(noKeys.keys, []);
    t.equal((await c.leaseTimeToLive('12345')).ttl, -1, 'unknown lease: ttl -1');

    const list = await c.leases();
    t.ok(list.leases.includes(g.id) && list.leases.includes('4242'));

    const ka = await c.leaseKeepAliveOnce(g.id);
    t.equal(ka.id, g.id);
    t.equal(ka.ttl, 30);
    t.ok(ka.header.revision > 0);
    await t.rejects(c.leaseKeepAliveOnce('12345'), { httpStatus: 404, code: GrpcCode.NOT_FOUND });

    const rev = await c.leaseRevoke(g.id);
    t.ok(rev.header.revision > ttl.header.revision, 'revoke deletes the keys, bumping the revision');
    t.equal((await c.range('lease/', { prefix: true })).count, 0);
    await t.rejects(c.leaseRevoke(g.id), { httpStatus: 404, code: GrpcCode.NOT_FOUND, message: 'etcdserver: requested lease not found' });
    await c.leaseRevoke('4242');
  });

  t.test('a lease expires with its keys', async (t) => {
    const g = await c.leaseGrant(2);
    await c.put('exp/k', 'v', { lease: g.id });
    t.ok(await c.get('exp/k'));
    const gone = await until(async () => (await c.get('exp/k')) === undefined, 8000, 200);
    t.ok(gone, 'key deleted when the lease expired');
    t.equal((await c.leaseTimeToLive(g.id)).ttl, -1);
  });

  t.test('leaseKeepAlive keeps a lease alive until stopped; onLost after revoke', async (t) => {
    const g = await c.leaseGrant(2);
    await c.put('ka/k', 'v', { lease: g.id });
    const seen: LeaseKeepAliveResponse[] = [];
    const errors: Error[] = [];
    const ka = c.leaseKeepAlive(g.id, 500, { onResponse: (r) => seen.push(r), onError: (e) => errors.push(e) });
    await sleep(3500);
    t.ok(await c.get('ka/k'), 'still alive after longer than its TTL');
    t.ok(seen.length >= 4, `keepalives sent (${seen.length})`);
    t.same(errors, []);
    ka.stop();
    t.equal(ka.stopped, true);
    t.ok(await until(async () => (await c.get('ka/k')) === undefined, 8000, 200), 'expires once stopped');

    const g2 = await c.leaseGrant(30);
    let lostCode = -1;
    const lost = new Promise<void>((resolve) => {
      const h = c.leaseKeepAlive(g2.id, 200, {
        onLost: (e) => {
          lostCode = e.code;
          resolve();
        },
      });
      t.teardown(() => h.stop());
    });
    await sleep(300);
    await c.leaseRevoke(g2.id);
    await within(lost, 5000);
    t.equal(lostCode, GrpcCode.NOT_FOUND, 'onLost reported the lease gone');
  });
}
