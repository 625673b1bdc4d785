// The peer transport on real sockets: message batches on an upgraded stream, in order; a restarted peer is
// reconnected; a peer of another cluster is refused; a garbled stream is cut off, not half-read.

import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import t from 'tap';
import { createLogger } from '@k8ts/observability';
import type { Message, NodeId } from '../../src/raft/types.js';
import { createServerMetrics } from '../../src/server/metrics.js';
import { createPeerHandler, createPeerStreamAcceptor, PeerTransport, type PeerHandlerTarget } from '../../src/server/peer-transport.js';

const logger = createLogger({ component: 'etcd-test', level: 'silent' });

class Inbox implements PeerHandlerTarget {
  readonly received: Message[] = [];
  private waiting: Array<{ n: number; resolve: () => void }> = [];
  constructor(readonly clusterId: string) {}
  receive(messages: Message[]): void {
    this.received.push(...messages);
    this.waiting = this.waiting.filter((w) => (this.received.length >= w.n ? (w.resolve(), false) : true));
  }
  /** Resolves once `n` messages arrived in total; fails after 5 s. */
  until(n: number): Promise<void> {
    if (this.received.length >= n) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.received.length} of ${n} messages arrived`)), 5000);
      this.waiting.push({ n, resolve: () => (clearTimeout(timer), resolve()) });
    });
  }
  memberList() {
    return [];
  }
  renewLease(): number {
    return 0;
  }
  localLeaseTimeToLive(): unknown {
    return {};
  }
}

async function peerListener(inbox: Inbox, port = 0): Promise<{ server: Server; url: string; closeStreams(): void }> {
  const streams = createPeerStreamAcceptor(() => inbox, logger);
  const server = createServer(createPeerHandler(() => inbox, logger)).on('upgrade', streams.handleUpgrade);
  server.listen(port, '127.0.0.1');
  await once(server, 'listening');
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, closeStreams: () => streams.closeAll() };
}

function transport(clusterId: string): PeerTransport {
  return new PeerTransport({ selfId: () => '1', clusterId: () => clusterId, logger, metrics: createServerMetrics() });
}

interface Pair {
  inbox: Inbox;
  peer: Awaited<ReturnType<typeof peerListener>>;
  tr: PeerTransport;
  unreachable: NodeId[];
}

/** A listener for member '2' of cluster c1, and a transport (of `clusterId`) that knows it; both torn down after. */
async function connectedPair(t: { teardown(fn: () => unknown): void }, clusterId = 'c1'): Promise<Pair> {
  const inbox = new Inbox('c1');
  const pair: Pair = { inbox, peer: await peerListener(inbox), tr: transport(clusterId), unreachable: [] };
  pair.tr.onUnreachable = (id) => pair.unreachable.push(id);
  t.teardown(async () => {
    await pair.tr.close();
    pair.peer.closeStreams();
    pair.peer.server.close();
  });
  pair.tr.setPeer('2', [pair.peer.url]);
  return pair;
}

async function reportedUnreachable(pair: Pair, deadline: number): Promise<boolean> {
  while (!pair.unreachable.includes('2') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  return pair.unreachable.includes('2');
}

const msg = (i: number): Message => ({ type: 'app', from: '1', to: '2', term: 1, index: i, logTerm: 1, commit: i, entries: [{ term: 1, index: i + 1, type: 'normal', data: `payload ${i} ✓` }] }) as Message;

t.test('batches arrive in order on one upgraded stream', async (t) => {
  const { inbox, tr } = await connectedPair(t);
  for (let i = 0; i < 200; i++) tr.send([msg(i)]);
  tr.send(Array.from({ length: 50 }, (_, i) => msg(200 + i)));
  await inbox.until(250);
  t.same(inbox.received.map((m) => m.index), Array.from({ length: 250 }, (_, i) => i), 'every message, in send order');
  t.same(inbox.received[7], msg(7), 'messages survive the wire unchanged (entries, unicode)');
});

t.test('a restarted peer is reconnected and gets what was sent after', async (t) => {
  const pair = await connectedPair(t);
  const { inbox, tr, peer } = pair;
  const port = Number(new URL(peer.url).port);
  tr.send([msg(1)]);
  await inbox.until(1);
  peer.closeStreams();
  peer.server.close();
  await once(peer.server, 'close');
  // Sent while the peer is down: lost (Raft retransmits), and the peer is reported unreachable.
  tr.send([msg(2)]);
  const deadline = Date.now() + 5000;
  t.ok(await reportedUnreachable(pair, deadline), 'the broken stream was reported');
  pair.peer = await peerListener(inbox, port);
  // Keep sending (as heartbeats would) until the new listener receives.
  for (let i = 3; inbox.received.every((m) => m.index < 3) && Date.now() < deadline + 5000; i++) {
    tr.send([msg(i)]);
    await new Promise((r) => setTimeout(r, 50));
  }
  t.ok(inbox.received.some((m) => m.index >= 3), 'messages flow again after the peer came back');
});

t.test('a peer of another cluster refuses the stream', async (t) => {
  const pair = await connectedPair(t, 'other');
  const { inbox, tr } = pair;
  tr.send([msg(1)]);
  t.ok(await reportedUnreachable(pair, Date.now() + 5000), 'reported unreachable');
  t.same(inbox.received, [], 'nothing delivered across clusters');
});

t.test('a garbled line closes the stream; nothing of it is delivered', async (t) => {
  const inbox = new Inbox('c1');
  const peer = await peerListener(inbox);
  t.teardown(() => {
    peer.closeStreams();
    peer.server.close();
  });
  const url = new URL(peer.url);
  const req = request({ host: url.hostname, port: url.port, path: '/raft/stream', headers: { connection: 'Upgrade', upgrade: 'k8ts-raft-stream', 'x-etcd-cluster-id': 'c1' } });
  req.end();
  const [res, socket] = (await once(req, 'upgrade')) as [{ statusCode: number }, import('node:net').Socket];
  t.equal(res.statusCode, 101);
  socket.write(`${JSON.stringify([msg(1)])}\n{"not json\n${JSON.stringify([msg(2)])}\n`);
  await once(socket, 'close');
  t.same(inbox.received, [], 'a batch sharing a read with a bad line is dropped whole');

  const wrong = request({ host: url.hostname, port: url.port, path: '/raft/elsewhere', headers: { connection: 'Upgrade', upgrade: 'k8ts-raft-stream' } });
  wrong.end();
  const [refused] = (await once(wrong, 'response')) as [{ statusCode: number; resume(): void }];
  refused.resume();
  t.equal(refused.statusCode, 404, 'an upgrade to another path is refused');
});
