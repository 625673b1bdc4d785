// @k8ts/etcd: a Raft-replicated MVCC store speaking etcd's v3 JSON API.
export { EtcdServer, type EtcdServerConfig, type RaftTransport, type MemberStatus } from './server/etcd-server.js';
export { startMember, type RunningMember } from './server/member.js';
export { parseFlags, defaultFlags, type EtcdFlags } from './cli/flags.js';
export * from './api/types.js';
