// The gateway's routes, as etcd 3.4.23 registers them (and as observed with curl where noted).
import t from 'tap';
import { resolveRpc, rpcKind, RPC_ROUTES } from '../../src/api/routes.js';

t.test('every RPC path, under /v3/ and /v3beta/', async (t) => {
  const table: Array<[string, string]> = [
    ['/v3/kv/range', 'range'],
    ['/v3/kv/put', 'put'],
    ['/v3/kv/deleterange', 'deleteRange'],
    ['/v3/kv/txn', 'txn'],
    ['/v3/kv/compaction', 'compaction'],
    ['/v3/watch', 'watch'],
    ['/v3/lease/grant', 'leaseGrant'],
    ['/v3/lease/revoke', 'leaseRevoke'],
    ['/v3/kv/lease/revoke', 'leaseRevoke'],
    ['/v3/lease/keepalive', 'leaseKeepAlive'],
    ['/v3/lease/timetolive', 'leaseTimeToLive'],
    ['/v3/kv/lease/timetolive', 'leaseTimeToLive'],
    ['/v3/lease/leases', 'leaseLeases'],
    ['/v3/kv/lease/leases', 'leaseLeases'],
    ['/v3/cluster/member/add', 'memberAdd'],
    ['/v3/cluster/member/remove', 'memberRemove'],
    ['/v3/cluster/member/update', 'memberUpdate'],
    ['/v3/cluster/member/list', 'memberList'],
    ['/v3/cluster/member/promote', 'memberPromote'],
    ['/v3/maintenance/alarm', 'alarm'],
    ['/v3/maintenance/status', 'status'],
    ['/v3/maintenance/defragment', 'defragment'],
    ['/v3/maintenance/hash', 'hash'],
    ['/v3/maintenance/snapshot', 'snapshot'],
    ['/v3/maintenance/transfer-leadership', 'moveLeader'],
    ['/v3/auth/authenticate', 'authenticate'],
    ['/v3/auth/user/changepw', 'userChangePassword'],
    ['/v3/auth/role/revoke', 'roleRevokePermission'],
    ['/v3/lock', 'lock'],
    ['/v3/lock/unlock', 'unlock'],
    ['/v3/election/observe', 'observe'],
  ];
  for (const [path, name] of table) {
    t.equal(resolveRpc(path), name, path);
    t.equal(resolveRpc(path.replace('/v3/', '/v3beta/')), name, `${path} under /v3beta/ (observed)`);
  }
  t.equal(RPC_ROUTES.size, 48, 'all 48 gateway patterns of etcd 3.4 (HashKV shares Hash\'s and loses)');
});

t.test('what does not route', async (t) => {
  for (const path of [
    '/v3/maintenance/hashkv', // observed: 404 (HashKV is registered at /v3/maintenance/hash, shadowed by Hash)
    '/v3alpha/kv/range', // observed: 404
    '/v3/kv/range/', // observed: 404
    '/v3/kv/Range', // observed: 404
    '/v3/kv/range:x', // observed: 404 (a verb no route has)
    '/v3/kv/:range',
    '/v3/kv',
    '/v3/',
    '/v3beta',
    '/v3/lock/lock',
    '/kv/range',
    '/v3/v3beta/kv/range',
    '',
  ]) {
    t.equal(resolveRpc(path), undefined, JSON.stringify(path));
  }
  t.equal(resolveRpc('/v3/kv/range:'), 'range', 'an empty verb still routes (observed)');
  t.equal(resolveRpc('/v3beta/lease/keepalive:'), 'leaseKeepAlive');
});

t.test('streaming kinds', async (t) => {
  t.equal(rpcKind('watch'), 'bidiStream');
  t.equal(rpcKind('leaseKeepAlive'), 'bidiStream');
  t.equal(rpcKind('snapshot'), 'serverStream');
  t.equal(rpcKind('range'), 'unary');
});
