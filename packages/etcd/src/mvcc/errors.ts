// Errors of the store that api/types.ts `Errors` does not list (yet).
import { EtcdError } from '../api/types.js';

export const MvccErrors = {
  /** etcdserver.ErrKeyNotFound via rpctypes.ErrGRPCKeyNotFound: ignore_value/ignore_lease on a missing key. */
  keyNotFound: () => new EtcdError(400, 3, 'etcdserver: key not found'),
  /**
   * mvcc.ErrEmptyWatcherRange: a watch whose range_end is not above its key. etcd does not fail the stream; it
   * answers created+canceled with this text as cancel_reason.
   */
  emptyWatcherRange: () => new EtcdError(400, 3, 'mvcc: watcher range is empty'),
} as const;
