// The gateway's RPC paths, as etcd 3.4.23 registers them (etcdserverpb/gw, v3lockpb/gw, v3electionpb/gw).
// Every RPC is POST; `/v3beta/` is rewritten to `/v3/` before routing.
//
// Not routed, as in etcd 3.4: `/v3/maintenance/hashkv` (HashKV's pattern is `/v3/maintenance/hash`, which the
// earlier-registered Hash answers) and anything under `/v3alpha/`.

export type RpcName =
  | 'range'
  | 'put'
  | 'deleteRange'
  | 'txn'
  | 'compaction'
  | 'watch'
  | 'leaseGrant'
  | 'leaseRevoke'
  | 'leaseKeepAlive'
  | 'leaseTimeToLive'
  | 'leaseLeases'
  | 'memberAdd'
  | 'memberRemove'
  | 'memberUpdate'
  | 'memberList'
  | 'memberPromote'
  | 'alarm'
  | 'status'
  | 'defragment'
  | 'hash'
  /** Named for internal callers only: no gateway path reaches HashKV in etcd 3.4 (see above). */
  | 'hashKV'
  | 'snapshot'
  | 'moveLeader'
  | 'authEnable'
  | 'authDisable'
  | 'authenticate'
  | 'userAdd'
  | 'userGet'
  | 'userList'
  | 'userDelete'
  | 'userChangePassword'
  | 'userGrantRole'
  | 'userRevokeRole'
  | 'roleAdd'
  | 'roleGet'
  | 'roleList'
  | 'roleDelete'
  | 'roleGrantPermission'
  | 'roleRevokePermission'
  | 'lock'
  | 'unlock'
  | 'campaign'
  | 'proclaim'
  | 'leader'
  | 'observe'
  | 'resign';

/** How the RPC streams over the gateway: request body and response are read/written as message sequences. */
export type RpcKind = 'unary' | 'bidiStream' | 'serverStream';

export const RPC_ROUTES: ReadonlyMap<string, RpcName> = new Map<string, RpcName>([
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
  ['/v3/auth/enable', 'authEnable'],
  ['/v3/auth/disable', 'authDisable'],
  ['/v3/auth/authenticate', 'authenticate'],
  ['/v3/auth/user/add', 'userAdd'],
  ['/v3/auth/user/get', 'userGet'],
  ['/v3/auth/user/list', 'userList'],
  ['/v3/auth/user/delete', 'userDelete'],
  ['/v3/auth/user/changepw', 'userChangePassword'],
  ['/v3/auth/user/grant', 'userGrantRole'],
  ['/v3/auth/user/revoke', 'userRevokeRole'],
  ['/v3/auth/role/add', 'roleAdd'],
  ['/v3/auth/role/get', 'roleGet'],
  ['/v3/auth/role/list', 'roleList'],
  ['/v3/auth/role/delete', 'roleDelete'],
  ['/v3/auth/role/grant', 'roleGrantPermission'],
  ['/v3/auth/role/revoke', 'roleRevokePermission'],
  ['/v3/lock', 'lock'],
  ['/v3/lock/unlock', 'unlock'],
  ['/v3/election/campaign', 'campaign'],
  ['/v3/election/proclaim', 'proclaim'],
  ['/v3/election/leader', 'leader'],
  ['/v3/election/observe', 'observe'],
  ['/v3/election/resign', 'resign'],
]);

const KINDS: Partial<Record<RpcName, RpcKind>> = {
  watch: 'bidiStream',
  leaseKeepAlive: 'bidiStream',
  snapshot: 'serverStream',
  observe: 'serverStream',
};

export function rpcKind(name: RpcName): RpcKind {
  return KINDS[name] ?? 'unary';
}

/**
 * The RPC a (percent-decoded) request path names, or undefined (etcd: 404). Mirrors the gateway: `/v3beta/` is an
 * alias, and a `:verb` suffix on the last segment is split off and must be empty (`/v3/kv/range:` still routes).
 * Paths Go's ServeMux would first clean and redirect (`//`, `/./`, `/../`) are not resolved here.
 */
export function resolveRpc(path: string): RpcName | undefined {
  const direct = RPC_ROUTES.get(path);
  if (direct !== undefined) return direct;
  let p = path.startsWith('/v3beta/') ? '/v3/' + path.slice('/v3beta/'.length) : path;
  const slash = p.lastIndexOf('/');
  const colon = p.lastIndexOf(':');
  if (colon > slash + 1) {
    if (colon !== p.length - 1) return undefined; // a non-empty verb matches no etcd route
    p = p.slice(0, colon);
  } else if (colon === slash + 1 && colon >= 0) {
    return undefined; // a last segment starting with ':' is a 404 in the gateway
  }
  return RPC_ROUTES.get(p);
}
