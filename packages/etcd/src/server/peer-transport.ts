// Member-to-member traffic over HTTP/1.1 with undici.
//
// Raft messages to a peer travel on one long-lived streaming POST (/raft/stream): each Ready's messages for that peer
// are one JSON line written to the request body the moment they exist. No per-batch request or response to pay for,
// and TCP keeps them in order (Raft tolerates reordering, but in-order delivery keeps the leader's pipelined appends
// from being rejected). When the stream is down, batches go as one POST each (/raft/messages), one in flight per
// peer, while a new stream is opened. Snapshots always go by POST: they are large and their outcome is reported.
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { Pool } from 'undici';
import type { Logger } from '@k8ts/observability';
import { EtcdError } from '../api/types.js';
import type { Message, NodeId } from '../raft/types.js';
import type { RaftTransport } from './etcd-server.js';
import type { Member } from './membership.js';
import type { ServerMetrics } from './metrics.js';

const CLUSTER_HEADER = 'x-etcd-cluster-id';
const FROM_HEADER = 'x-server-from';
/** Peer bodies carry snapshots, which can be far larger than a client request. */
const MAX_PEER_BODY_BYTES = 1024 * 1024 * 1024;
const PEER_TIMEOUT_MS = 5000;
/** A stream whose peer stopped reading (paused, wedged) is cut off past this much unsent data. */
const MAX_STREAM_BACKLOG_BYTES = 16 * 1024 * 1024;
const STREAM_RETRY_MS = 100;
const STREAM_PATH = '/raft/stream';
/** The Upgrade token of a peer message stream. */
const STREAM_PROTOCOL = 'k8ts-raft-stream';

/** A message as JSON: snapshot data travels base64-encoded. */
type WireMessage = Omit<Message, 'snapshot'> & { snapshot?: { metadata: NonNullable<Message['snapshot']>['metadata']; data: string } };

function toWire(m: Message): WireMessage {
  if (!m.snapshot) return m as WireMessage;
  return { ...m, snapshot: { metadata: m.snapshot.metadata, data: Buffer.from(m.snapshot.data).toString('base64') } };
}

function fromWire(m: WireMessage): Message {
  if (!m.snapshot) return m as Message;
  return { ...m, snapshot: { metadata: m.snapshot.metadata, data: Buffer.from(m.snapshot.data, 'base64') } };
}

interface Peer {
  id: NodeId;
  urls: string[];
  urlIndex: number;
  pool: Pool | undefined;
  queue: Message[];
  inFlight: boolean;
  /** Log a failing peer once per outage, not once per batch. */
  failing: boolean;
  /** The open message stream (an upgraded connection), if any. */
  stream: Socket | undefined;
  /** A stream is being opened: messages wait in the queue for it. */
  connecting: boolean;
  /** When the next stream may be opened (after a failure). */
  streamRetryAt: number;
}

export interface PeerTransportOptions {
  selfId: () => NodeId;
  clusterId: () => string;
  logger: Logger;
  metrics: ServerMetrics;
}

/** What the peer listener needs from the member behind it. */
export interface PeerHandlerTarget {
  readonly clusterId: string;
  receive(messages: Message[]): void;
  memberList(): Member[];
  renewLease(id: string): number;
  localLeaseTimeToLive(id: string, keys: boolean): unknown;
}

export class PeerTransport implements RaftTransport {
  private readonly peers = new Map<NodeId, Peer>();
  private closed = false;
  /** Set once the member exists: failures are reported to its Raft core. */
  onUnreachable: (id: NodeId) => void = () => {};
  onSnapshotStatus: (id: NodeId, ok: boolean) => void = () => {};

  constructor(private readonly opts: PeerTransportOptions) {}

  setPeer(id: NodeId, urls: string[]): void {
    const existing = this.peers.get(id);
    if (existing && existing.urls.join(',') === urls.join(',')) return;
    void existing?.pool?.close();
    existing?.stream?.destroy();
    this.peers.set(id, {
      id,
      urls,
      urlIndex: 0,
      pool: undefined,
      queue: existing?.queue ?? [],
      inFlight: false,
      failing: false,
      stream: undefined,
      connecting: false,
      streamRetryAt: 0,
    });
  }

  removePeer(id: NodeId): void {
    const p = this.peers.get(id);
    if (!p) return;
    this.peers.delete(id);
    p.stream?.destroy();
    void p.pool?.close();
  }

  /**
   * Queues the messages per peer and writes them at once on each peer's stream: a socket write reaches the kernel
   * synchronously, so a leader's appends are on the wire before it blocks on its own WAL fsync.
   */
  send(messages: Message[]): void {
    if (this.closed) return;
    const touched = new Set<Peer>();
    for (const m of messages) {
      const peer = this.peers.get(m.to);
      if (!peer) continue; // not (or no longer) a member: Raft copes with the loss
      peer.queue.push(m);
      touched.add(peer);
    }
    for (const peer of touched) {
      // Snapshots are large and need a delivery report: they go as one POST each. Without a stream (being opened, or
      // failing) messages go the same way, so a broken stream never holds heartbeats back.
      if (peer.queue.some((m) => m.type === 'snap')) void this.flush(peer);
      else if (this.streamFor(peer)) this.writeStream(peer);
      else if (!peer.connecting) void this.flush(peer);
    }
  }

  /** The peer's open stream; starts opening one (if none is open and the retry delay has passed) and returns undefined. */
  private streamFor(peer: Peer): Socket | undefined {
    if (peer.stream && !peer.stream.destroyed) return peer.stream;
    peer.stream = undefined;
    if (peer.connecting || Date.now() < peer.streamRetryAt || peer.inFlight) return undefined;
    this.openStream(peer);
    return undefined;
  }

  /** An HTTP upgrade on the peer URL turns one connection into a raw stream of newline-delimited message batches. */
  private openStream(peer: Peer): void {
    const url = new URL(peer.urls[peer.urlIndex % peer.urls.length] as string);
    peer.connecting = true;
    let socket: Socket | undefined;
    let failed = false;
    // Runs once per attempt, whether the upgrade is refused, the connection fails, or an open stream breaks.
    const fail = (err: Error): void => {
      peer.connecting = false;
      if (failed) return;
      failed = true;
      if (socket !== undefined && peer.stream === socket) peer.stream = undefined;
      socket?.destroy();
      peer.streamRetryAt = Date.now() + STREAM_RETRY_MS;
      if (this.closed || this.peers.get(peer.id) !== peer) return;
      this.opts.metrics.peerSendFailures.inc({ to: peer.id });
      if (!peer.failing) this.opts.logger.warn({ peer: peer.id, err: err.message }, 'peer stream broke');
      peer.failing = true;
      peer.urlIndex += 1;
      this.onUnreachable(peer.id);
      if (peer.queue.length > 0) void this.flush(peer);
    };
    const req = httpRequest({
      host: url.hostname.replace(/^\[|\]$/g, ''),
      port: Number(url.port || 80),
      path: STREAM_PATH,
      method: 'GET',
      headers: { connection: 'Upgrade', upgrade: STREAM_PROTOCOL, [CLUSTER_HEADER]: this.opts.clusterId(), [FROM_HEADER]: this.opts.selfId() },
      timeout: PEER_TIMEOUT_MS,
    });
    req.on('upgrade', (_res, upgraded: Socket) => {
      peer.connecting = false;
      socket = upgraded;
      if (this.closed || this.peers.get(peer.id) !== peer) {
        upgraded.destroy();
        return;
      }
      upgraded.setNoDelay(true);
      upgraded.setTimeout(0);
      upgraded.on('error', (err) => fail(err));
      upgraded.on('close', () => fail(new Error('peer closed the stream')));
      upgraded.resume(); // the peer never writes on it; drain anything unexpected
      peer.stream = upgraded;
      this.writeStream(peer);
    });
    req.on('response', (res) => {
      res.resume();
      fail(new Error(`peer refused the stream with HTTP ${res.statusCode}`));
    });
    req.on('timeout', () => req.destroy(new Error('timed out opening the peer stream')));
    req.on('error', (err) => fail(err));
    req.end();
  }

  private writeStream(peer: Peer): void {
    const stream = peer.stream;
    if (!stream || peer.queue.length === 0) return;
    const batch = peer.queue;
    peer.queue = [];
    const line = `${JSON.stringify(batch.map(toWire))}\n`;
    stream.write(line);
    this.opts.metrics.peerSentBytes.inc({ to: peer.id }, line.length);
    if (peer.failing) this.opts.logger.info({ peer: peer.id }, 'peer reachable again');
    peer.failing = false;
    if (stream.writableLength > MAX_STREAM_BACKLOG_BYTES) {
      this.opts.logger.warn({ peer: peer.id }, 'peer does not read its stream; reconnecting');
      stream.destroy(new Error('stream backlog too large'));
    }
  }

  private pool(peer: Peer): Pool {
    if (!peer.pool) {
      const url = new URL(peer.urls[peer.urlIndex % peer.urls.length] as string);
      // One connection carries the message stream; the others serve snapshots, fallback batches and leader calls.
      peer.pool = new Pool(url.origin, { connections: 4, pipelining: 1, keepAliveTimeout: 30_000, headersTimeout: PEER_TIMEOUT_MS, bodyTimeout: PEER_TIMEOUT_MS });
    }
    return peer.pool;
  }

  private async flush(peer: Peer): Promise<void> {
    if (peer.inFlight || peer.queue.length === 0 || this.closed) return;
    peer.inFlight = true;
    const batch = peer.queue;
    peer.queue = [];
    const body = JSON.stringify(batch.map(toWire));
    try {
      const res = await this.pool(peer).request({
        path: '/raft/messages',
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', [CLUSTER_HEADER]: this.opts.clusterId(), [FROM_HEADER]: this.opts.selfId() },
      });
      await res.body.dump();
      if (res.statusCode !== 204) throw new Error(`peer answered HTTP ${res.statusCode}`);
      this.opts.metrics.peerSentBytes.inc({ to: peer.id }, body.length);
      if (peer.failing) this.opts.logger.info({ peer: peer.id }, 'peer reachable again');
      peer.failing = false;
      for (const m of batch) if (m.type === 'snap') this.onSnapshotStatus(peer.id, true);
    } catch (err) {
      this.opts.metrics.peerSendFailures.inc({ to: peer.id });
      if (!peer.failing) this.opts.logger.warn({ peer: peer.id, err: (err as Error).message }, 'cannot reach peer');
      peer.failing = true;
      // Try the peer's next URL next time, on a fresh connection.
      void peer.pool?.close();
      peer.pool = undefined;
      peer.urlIndex += 1;
      this.onUnreachable(peer.id);
      for (const m of batch) if (m.type === 'snap') this.onSnapshotStatus(peer.id, false);
    } finally {
      peer.inFlight = false;
    }
    if (peer.queue.length > 0) {
      // Back off briefly after a failure so a dead peer does not cost a busy loop.
      if (peer.failing) setTimeout(() => void this.flush(peer), 50);
      else void this.flush(peer);
    }
  }

  async callPeer<T>(id: NodeId, path: string, body: unknown): Promise<T> {
    const peer = this.peers.get(id);
    if (!peer) throw new EtcdError(503, 14, 'etcdserver: leader is unknown');
    const res = await this.pool(peer).request({
      path,
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', [CLUSTER_HEADER]: this.opts.clusterId() },
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) {
      const err = JSON.parse(text) as { httpStatus?: number; code?: number; error?: string };
      throw new EtcdError(err.httpStatus ?? 500, err.code ?? 2, err.error ?? text);
    }
    return JSON.parse(text) as T;
  }

  async fetchMembers(peerURLs: string[]): Promise<{ clusterId: string; members: Member[] }> {
    const errors: string[] = [];
    for (const url of peerURLs) {
      const pool = new Pool(new URL(url).origin, { connections: 1, headersTimeout: PEER_TIMEOUT_MS });
      try {
        const res = await pool.request({ path: '/members', method: 'GET' });
        const text = await res.body.text();
        if (res.statusCode === 200) return JSON.parse(text) as { clusterId: string; members: Member[] };
        errors.push(`${url}: HTTP ${res.statusCode}`);
      } catch (err) {
        errors.push(`${url}: ${(err as Error).message}`);
      } finally {
        await pool.close();
      }
    }
    throw new Error(`could not fetch the member list from any peer (${errors.join('; ')})`);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.peers.values()) p.stream?.end();
    await Promise.all([...this.peers.values()].map((p) => p.pool?.destroy()));
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('peer request too large'));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Splits a peer stream into lines, each one JSON array of messages, and hands every complete batch to Raft. */
function streamReader(deliver: (messages: Message[]) => void, bad: (err: Error) => void): (chunk: string) => void {
  let pending = '';
  return (chunk) => {
    pending += chunk;
    let nl = pending.indexOf('\n');
    if (nl < 0) return;
    let start = 0;
    const messages: Message[] = [];
    while (nl >= 0) {
      try {
        for (const m of JSON.parse(pending.slice(start, nl)) as WireMessage[]) messages.push(fromWire(m));
      } catch (err) {
        bad(err as Error);
        return;
      }
      start = nl + 1;
      nl = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
    deliver(messages);
  };
}

/**
 * The peer listener's upgrade handler: accepts message streams (`GET /raft/stream`, `Upgrade: k8ts-raft-stream`) and
 * remembers them, because an upgraded socket is no longer the HTTP server's to close.
 */
export function createPeerStreamAcceptor(target: () => PeerHandlerTarget | undefined, logger: Logger) {
  const open = new Set<Duplex>();
  const refuse = (socket: Duplex, status: string): void => {
    socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
  };
  return {
    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      socket.on('error', () => socket.destroy());
      const member = target();
      if (req.url !== STREAM_PATH || String(req.headers.upgrade).toLowerCase() !== STREAM_PROTOCOL) return refuse(socket, '404 Not Found');
      if (!member) return refuse(socket, '503 Service Unavailable');
      const cluster = req.headers[CLUSTER_HEADER];
      if (cluster !== undefined && cluster !== member.clusterId) return refuse(socket, '409 Conflict');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nconnection: Upgrade\r\nupgrade: ${STREAM_PROTOCOL}\r\n\r\n`);
      (socket as Socket).setNoDelay?.(true);
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      const read = streamReader(
        (messages) => member.receive(messages),
        (err) => {
          logger.warn({ err: err.message, from: req.headers[FROM_HEADER] }, 'bad line on a peer stream; closing it');
          socket.destroy();
        },
      );
      // A StringDecoder, not setEncoding: Node forbids changing an HTTP server socket's encoding, upgraded or not.
      const utf8 = new StringDecoder('utf8');
      if (head.length > 0) read(utf8.write(head));
      socket.on('data', (chunk: Buffer) => read(utf8.write(chunk)));
    },
    /** Ends every accepted stream (member shutdown). */
    closeAll(): void {
      for (const s of open) s.destroy();
      open.clear();
    },
  };
}

/** The peer listener's request handler (--listen-peer-urls). */
export function createPeerHandler(target: () => PeerHandlerTarget | undefined, logger: Logger) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const member = target();
    const url = req.url ?? '/';
    if (!member) {
      sendJson(res, 503, { error: 'member is starting' });
      req.resume();
      return;
    }
    if (req.method === 'GET' && url === '/members') {
      sendJson(res, 200, { clusterId: member.clusterId, members: member.memberList() });
      return;
    }
    if (req.method === 'GET' && url === '/version') {
      sendJson(res, 200, { etcdserver: '3.4.23', etcdcluster: '3.4.0' });
      return;
    }
    if (req.method !== 'POST') {
      sendJson(res, 404, { error: 'not found' });
      req.resume();
      return;
    }
    const cluster = req.headers[CLUSTER_HEADER];
    if (cluster !== undefined && cluster !== member.clusterId) {
      sendJson(res, 409, { error: `cluster id mismatch: ${String(cluster)} != ${member.clusterId}` });
      req.resume();
      return;
    }
    readBody(req, MAX_PEER_BODY_BYTES).then(
      (body) => {
        try {
          switch (url) {
            case '/raft/messages': {
              const wire = JSON.parse(body.toString()) as WireMessage[];
              member.receive(wire.map(fromWire));
              res.writeHead(204).end();
              return;
            }
            case '/lease/keepalive': {
              const { id } = JSON.parse(body.toString()) as { id: string };
              sendJson(res, 200, { ttl: member.renewLease(id) });
              return;
            }
            case '/lease/timetolive': {
              const { id, keys } = JSON.parse(body.toString()) as { id: string; keys: boolean };
              sendJson(res, 200, member.localLeaseTimeToLive(id, keys));
              return;
            }
            default:
              sendJson(res, 404, { error: 'not found' });
          }
        } catch (err) {
          if (err instanceof EtcdError) {
            sendJson(res, 400, { httpStatus: err.httpStatus, code: err.code, error: err.message });
            return;
          }
          logger.warn({ err, url }, 'bad peer request');
          sendJson(res, 400, { error: (err as Error).message });
        }
      },
      (err: unknown) => {
        logger.warn({ err: (err as Error).message, url }, 'reading a peer request failed');
        if (!res.headersSent) sendJson(res, 413, { error: (err as Error).message });
      },
    );
  };
}
