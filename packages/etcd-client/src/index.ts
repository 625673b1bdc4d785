// @k8ts/etcd-client: etcd's v3 JSON API (real etcd 3.4+ and k8ts-etcd alike).
export { EtcdClient } from './client.js';
export type { EtcdClientOptions, LeaseKeepAlive, LeaseKeepAliveHandlers, RawCallOptions } from './client.js';
export { Watch } from './watch.js';
export { EtcdRequestError, EtcdConnectionError, GrpcCode } from './errors.js';
export { prefixEnd, toBuffer, b64 } from './codec.js';
export type { CallKind } from './transport.js';
export type * from './types.js';
