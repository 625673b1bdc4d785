// A running member process: listeners on the peer and client URLs around one EtcdServer.
import { createServer, type Server } from 'node:http';
import { createLogger, type Logger } from '@k8ts/observability';
import type { EtcdFlags } from '../cli/flags.js';
import { createClientHandler } from './client-api.js';
import { EtcdServer } from './etcd-server.js';
import { parseInitialCluster } from './membership.js';
import { createServerMetrics } from './metrics.js';
import { PeerTransport, createPeerHandler, createPeerStreamAcceptor } from './peer-transport.js';

export interface RunningMember {
  server: EtcdServer;
  logger: Logger;
  stop(): Promise<void>;
}

function listen(server: Server, url: string): Promise<void> {
  const u = new URL(url);
  const host = u.hostname === 'localhost' ? '127.0.0.1' : u.hostname.replace(/^\[|\]$/g, '');
  const port = Number(u.port || 80);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export async function startMember(flags: EtcdFlags, logger?: Logger): Promise<RunningMember> {
  const log = logger ?? createLogger({ component: 'etcd', level: flags.logLevel, base: { member: flags.name } });
  const metrics = createServerMetrics();
  let server: EtcdServer | undefined;
  const transport = new PeerTransport({
    selfId: () => server?.id ?? '0',
    clusterId: () => server?.clusterId ?? '',
    logger: log,
    metrics,
  });

  // Peers must be able to reach us while we replay and catch up, so the peer listener starts first. Message
  // streams (peers) and watch/keepalive streams (clients) are long-lived requests: no whole-request timeout.
  const peerStreams = createPeerStreamAcceptor(() => server, log);
  const peerServers = flags.listenPeerUrls.map(() =>
    createServer({ keepAliveTimeout: 60_000, requestTimeout: 0 }, createPeerHandler(() => server, log)).on('upgrade', peerStreams.handleUpgrade),
  );
  await Promise.all(peerServers.map((s, i) => listen(s, flags.listenPeerUrls[i] as string)));

  server = await EtcdServer.start(
    {
      name: flags.name,
      dataDir: flags.dataDir,
      initialCluster: parseInitialCluster(flags.initialCluster),
      initialClusterState: flags.initialClusterState,
      clusterToken: flags.initialClusterToken,
      advertisePeerURLs: flags.initialAdvertisePeerUrls,
      advertiseClientURLs: flags.advertiseClientUrls,
      heartbeatMs: flags.heartbeatInterval,
      electionMs: flags.electionTimeout,
      snapshotCount: flags.snapshotCount,
      snapshotCatchUpEntries: flags.snapshotCatchUpEntries,
      quotaBackendBytes: flags.quotaBackendBytes,
      logger: log,
      metrics,
    },
    transport,
  );
  const member = server;
  transport.onUnreachable = (id) => member.reportUnreachable(id);
  transport.onSnapshotStatus = (id, ok) => member.reportSnapshot(id, ok);

  const clientHandler = createClientHandler(member, {
    logger: log,
    metrics,
    maxRequestBytes: flags.maxRequestBytes,
    maxTxnOps: flags.maxTxnOps,
    progressNotifyIntervalMs: flags.watchProgressNotifyIntervalMs,
  });
  const clientServers = flags.listenClientUrls.map(() => createServer({ keepAliveTimeout: 60_000, requestTimeout: 0 }, clientHandler.handle));
  await Promise.all(clientServers.map((s, i) => listen(s, flags.listenClientUrls[i] as string)));
  log.info(
    { memberId: member.id, clusterId: member.clusterId, client: flags.listenClientUrls, peer: flags.listenPeerUrls },
    'serving client and peer traffic',
  );

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      log.info('stopping member');
      clientHandler.close();
      await Promise.all(clientServers.map(close));
      await member.stop();
      peerStreams.closeAll();
      await Promise.all(peerServers.map(close));
      log.info('member stopped');
    })();
    return stopping;
  };
  return { server: member, logger: log, stop };
}
