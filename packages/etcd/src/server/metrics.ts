// The member's Prometheus metrics, named like etcd's where etcd has the same thing.
import { Registry, registerProcessMetrics, type Counter, type Gauge, type Histogram } from '@k8ts/observability';

export interface ServerMetrics {
  registry: Registry;
  isLeader: Gauge;
  leaderChanges: Counter;
  proposals: Counter;
  proposalsPending: Gauge;
  appliedIndex: Gauge;
  walFsyncSeconds: Histogram;
  snapshots: Counter;
  leasesExpired: Counter;
  requests: Counter;
  requestSeconds: Histogram;
  watchStreams: Gauge;
  watchers: Gauge;
  peerSentBytes: Counter;
  peerSendFailures: Counter;
}

export function createServerMetrics(): ServerMetrics {
  const registry = new Registry();
  registerProcessMetrics(registry);
  return {
    registry,
    isLeader: registry.gauge('etcd_server_is_leader', 'Whether this member is the leader (1) or not (0).'),
    leaderChanges: registry.counter('etcd_server_leader_changes_seen_total', 'Leader changes seen.'),
    proposals: registry.counter('etcd_server_proposals_committed_total', 'Proposals made by this member.'),
    proposalsPending: registry.gauge('etcd_server_proposals_pending', 'Proposals waiting to be applied.'),
    appliedIndex: registry.gauge('etcd_server_applied_index', 'Last applied raft index.'),
    walFsyncSeconds: registry.histogram('etcd_disk_wal_fsync_duration_seconds', 'WAL write+fdatasync latency.', [], [
      0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1.024,
    ]),
    snapshots: registry.counter('etcd_server_snapshots_total', 'Snapshots saved.'),
    leasesExpired: registry.counter('etcd_server_lease_expired_total', 'Leases revoked because they expired.'),
    requests: registry.counter('etcd_http_requests_total', 'Client API requests by RPC and gRPC code.', ['rpc', 'code']),
    requestSeconds: registry.histogram('etcd_http_request_duration_seconds', 'Client API request latency by RPC.', ['rpc']),
    watchStreams: registry.gauge('etcd_debugging_mvcc_watch_stream_total', 'Open watch streams.'),
    watchers: registry.gauge('etcd_debugging_mvcc_watcher_total', 'Open watchers.'),
    peerSentBytes: registry.counter('etcd_network_peer_sent_bytes_total', 'Bytes sent to peers.', ['to']),
    peerSendFailures: registry.counter('etcd_network_peer_sent_failures_total', 'Failed sends to peers.', ['to']),
  };
}
