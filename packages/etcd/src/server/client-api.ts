// The client listener: etcd 3.4's v3 JSON gateway over plain node:http.
//
// node:http rather than a framework because the wire details are etcd's, not a framework's: text/plain 404/405
// bodies, chunked error bodies with a gRPC trailer, streaming watch and keepalive responses that start before the
// request body ends, and exact JSON bytes from the codec.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@k8ts/observability';
import { PROMETHEUS_CONTENT_TYPE } from '@k8ts/observability';
import * as decode from '../api/decode.js';
import * as encode from '../api/encode.js';
import { JsonObjectStream, JsonStreamError, parseJsonBody, streamDecodeError } from '../api/json-body.js';
import { checkGrpcMessageSize, checkRaftRequestSize, putRequestSize, txnRequestSize } from '../api/proto-size.js';
import { resolveRpc, type RpcName } from '../api/routes.js';
import { Errors, EtcdError, type WatchCreateRequest, type WatchEvent } from '../api/types.js';
import { isReadOnlyTxn, type EtcdServer } from './etcd-server.js';
import type { ServerMetrics } from './metrics.js';
import type { ServerWatch } from './watch-registry.js';

export interface ClientApiOptions {
  logger: Logger;
  metrics: ServerMetrics;
  maxRequestBytes: number;
  maxTxnOps: number;
  progressNotifyIntervalMs: number;
}

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, GET, OPTIONS, PUT, DELETE',
  'access-control-allow-headers': 'accept, content-type, authorization',
};

const SNAPSHOT_CHUNK_BYTES = 32 * 1024;
/** etcd's watchBatchMaxRevs. */
const REPLAY_BATCH_REVISIONS = 1000;

export interface ClientHandler {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Ends every open stream (watch, keepalive) so the listener can close. */
  close(): void;
}

export function createClientHandler(server: EtcdServer, opts: ClientApiOptions): ClientHandler {
  const streams = new Set<() => void>();
  // A JSON body is base64 plus field names: allow for the encoding overhead, then check the decoded size.
  // etcd accepts a gRPC message of up to max-request-bytes + 512 KiB, then checks sizes itself. A JSON body is the
  // message in base64 plus field names: read generously and let the exact protobuf-size checks decide; only a body
  // far beyond any acceptable request is cut off unread.
  const grpcLimit = opts.maxRequestBytes + 512 * 1024;
  const maxBodyBytes = 4 * grpcLimit;

  const header = (revision?: number): encode.HeaderContext => ({
    clusterId: server.clusterId,
    memberId: server.id,
    raftTerm: server.raftTerm,
    ...(revision === undefined ? {} : { revision }),
  });

  function sendJson(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, {
      ...CORS_HEADERS,
      'content-type': 'application/json',
      'grpc-metadata-content-type': 'application/grpc',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  function sendError(res: ServerResponse, err: unknown, rpc: string): void {
    const e = err instanceof EtcdError ? err : undefined;
    if (!e) opts.logger.error({ err, rpc }, 'unexpected error serving a client request');
    const etcdErr = e ?? new EtcdError(500, 2, (err as Error).message ?? 'internal error');
    opts.metrics.requests.inc({ rpc, code: String(etcdErr.code) });
    if (res.headersSent) {
      res.end();
      return;
    }
    // etcd's gateway sends unary errors chunked, with a gRPC trailer.
    res.writeHead(etcdErr.httpStatus, { ...CORS_HEADERS, 'content-type': 'application/json', trailer: 'Grpc-Trailer-Content-Type' });
    res.write(encode.encodeError(etcdErr));
    res.addTrailers({ 'Grpc-Trailer-Content-Type': 'application/grpc' });
    res.end();
  }

  function sendText(res: ServerResponse, status: number, text: string): void {
    res.writeHead(status, { ...CORS_HEADERS, 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  function readBody(req: IncomingMessage): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let tooLarge = false;
      req.on('data', (c: Buffer) => {
        if (tooLarge) return;
        size += c.length;
        if (size > maxBodyBytes) {
          tooLarge = true;
          chunks.length = 0;
          return; // keep draining so the error can be answered on this connection
        }
        chunks.push(c);
      });
      req.on('end', () =>
        tooLarge
          ? reject(new EtcdError(429, 8, `grpc: received message larger than max (${Math.floor((size * 3) / 4)} vs. ${grpcLimit})`))
          : resolve(Buffer.concat(chunks)),
      );
      req.on('error', reject);
    });
  }

  /** Unary RPCs: body → decoded request → server → exact etcd JSON. */
  async function unary(rpc: RpcName, body: Buffer): Promise<string> {
    const json = parseJsonBody(body);
    switch (rpc) {
      case 'range': {
        const r = decode.decodeRangeRequest(json);
        const resp = await server.range(r);
        return encode.encodeRangeResponse(resp, header(resp.header.revision));
      }
      case 'put': {
        const r = decode.decodePutRequest(json);
        const size = putRequestSize(r);
        checkGrpcMessageSize(size, opts.maxRequestBytes);
        checkRaftRequestSize(size, server.id, opts.maxRequestBytes);
        const resp = await server.put(r);
        return encode.encodePutResponse(resp, header(resp.header.revision));
      }
      case 'deleteRange': {
        const resp = await server.deleteRange(decode.decodeDeleteRangeRequest(json));
        return encode.encodeDeleteRangeResponse(resp, header(resp.header.revision));
      }
      case 'txn': {
        const r = decode.decodeTxnRequest(json, opts.maxTxnOps);
        const size = txnRequestSize(r);
        checkGrpcMessageSize(size, opts.maxRequestBytes);
        if (!isReadOnlyTxn(r)) checkRaftRequestSize(size, server.id, opts.maxRequestBytes);
        const resp = await server.txn(r);
        return encode.encodeTxnResponse(resp, header(resp.header.revision));
      }
      case 'compaction': {
        const resp = await server.compact(decode.decodeCompactionRequest(json));
        return encode.encodeCompactionResponse(resp, header(resp.header.revision));
      }
      case 'leaseGrant': {
        const r = decode.decodeLeaseGrantRequest(json);
        const resp = await server.leaseGrant(r.ttl, r.id);
        return encode.encodeLeaseGrantResponse(resp, header(resp.header.revision));
      }
      case 'leaseRevoke': {
        const r = decode.decodeLeaseRevokeRequest(json);
        const resp = await server.leaseRevoke(r.id);
        return encode.encodeLeaseRevokeResponse(resp, header(resp.header.revision));
      }
      case 'leaseTimeToLive': {
        const r = decode.decodeLeaseTimeToLiveRequest(json);
        const resp = await server.leaseTimeToLive(r.id, r.keys);
        return encode.encodeLeaseTimeToLiveResponse(resp, header(server.revision));
      }
      case 'leaseLeases':
        return encode.encodeLeaseLeasesResponse(server.leases(), header(server.revision));
      case 'status': {
        const s = server.status();
        return encode.encodeStatusResponse({ ...s, version: '3.4.23' }, header(server.revision));
      }
      case 'hashKV': {
        const r = decode.decodeHashKVRequest(json);
        if (r.revision > server.revision) throw Errors.futureRev();
        if (r.revision > 0 && r.revision < server.compactRevision) throw Errors.compacted();
        const h = server.hashKV(r.revision);
        return encode.encodeHashKVResponse(h, header(server.revision));
      }
      case 'hash':
        return encode.encodeHashResponse({ hash: server.hashKV(0).hash }, header(server.revision));
      case 'alarm':
        return '{}';
      case 'defragment':
        return encode.encodeEmptyResponse(header(server.revision));
      case 'moveLeader': {
        const r = decode.decodeTransferLeadershipRequest(json);
        await server.moveLeader(r.targetId);
        return '{}';
      }
      case 'memberList':
        return encode.encodeMemberListResponse(server.memberList(), header());
      case 'memberAdd': {
        const r = decode.decodeMemberAddRequest(json);
        const { member, members } = await server.memberAdd(r.peerURLs, r.isLearner);
        return encode.encodeMemberAddResponse(member, members, header());
      }
      case 'memberRemove': {
        const r = decode.decodeMemberRemoveRequest(json);
        const members = await server.memberRemove(r.id);
        return encode.encodeMemberListResponse(members, header());
      }
      default:
        throw new EtcdError(501, 12, `unknown method ${rpc}`);
    }
  }

  // ------------------------------------------------------------ streams

  function startStream(res: ServerResponse): void {
    if (res.headersSent) return;
    res.writeHead(200, { ...CORS_HEADERS, 'content-type': 'application/json' });
    res.flushHeaders();
  }

  /** POST /v3/watch: the body is concatenated WatchRequests; each answer is one `{"result":...}` line. */
  function watchStream(req: IncomingMessage, res: ServerResponse): void {
    const parser = new JsonObjectStream();
    const watches = new Map<number, ServerWatch>();
    let nextWatchId = 0;
    let first = true;
    let closed = false;
    opts.metrics.watchStreams.inc();

    const write = (frame: string): void => {
      if (closed) return;
      res.write(frame);
      // A client that stops reading must not grow our memory without bound: cut it off, as etcd drops slow watchers.
      if (res.writableLength > 64 * 1024 * 1024) {
        opts.logger.warn('closing a watch stream whose client does not keep up');
        res.destroy();
      }
    };

    const progressTimer = setInterval(() => {
      for (const [id, w] of watches) {
        if (!w.request.progressNotify) continue;
        write(encode.encodeWatchResponse(emptyFrame(id), header(server.revision)));
      }
    }, opts.progressNotifyIntervalMs);
    progressTimer.unref();

    const cleanup = (): void => {
      if (closed) return;
      closed = true;
      clearInterval(progressTimer);
      for (const w of watches.values()) server.watchRegistry.cancel(w);
      opts.metrics.watchers.dec({}, watches.size);
      watches.clear();
      opts.metrics.watchStreams.dec();
      streams.delete(endAll);
    };
    const endAll = (): void => {
      cleanup();
      res.end();
    };
    streams.add(endAll);
    res.on('close', cleanup);

    const handle = (msg: unknown): void => {
      const wr = decode.decodeWatchRequest(msg);
      // etcd: a request that asks for nothing ({}) creates nothing and sends nothing, not even headers.
      if (wr === undefined) return;
      if (first) {
        first = false;
        startStream(res);
      }
      if ('createRequest' in wr) {
        const create = wr.createRequest;
        const id = create.watchId > 0 ? create.watchId : nextWatchId;
        if (watches.has(id)) {
          write(encode.encodeWatchResponse({ ...emptyFrame(id), created: true, canceled: true, cancelReason: 'etcdserver: duplicate watch ID provided on the WatchStream' }, header(server.revision)));
          return;
        }
        nextWatchId = Math.max(nextWatchId, id + 1);
        createWatch(id, create);
      } else if ('cancelRequest' in wr) {
        const w = watches.get(wr.cancelRequest.watchId);
        if (w) {
          server.watchRegistry.cancel(w);
          watches.delete(wr.cancelRequest.watchId);
          opts.metrics.watchers.dec();
          write(encode.encodeWatchResponse({ ...emptyFrame(wr.cancelRequest.watchId), canceled: true }, header(server.revision)));
        }
      } else {
        write(encode.encodeWatchResponse(emptyFrame(-1), header(server.revision)));
      }
    };

    const createWatch = (id: number, create: WatchCreateRequest): void => {
      const created = encode.encodeWatchResponse({ ...emptyFrame(id), created: true }, header(server.revision));
      let compactedAt = 0;
      // Events may be delivered synchronously while the watch is being created (history replay): hold them until
      // the created frame is out.
      const early: Array<[WatchEvent[], number]> = [];
      let ready = false;
      const watch = server.watchRegistry.create(
        create,
        (events, revision) => {
          if (!ready) early.push([events, revision]);
          else write(encode.encodeWatchResponse({ ...emptyFrame(id), events }, header(revision)));
        },
        (compactRevision) => {
          compactedAt = compactRevision;
        },
      );
      write(created);
      if (compactedAt > 0) {
        // etcd: created first, then a cancel carrying compact_revision and a header without a revision.
        write(encode.encodeWatchResponse({ ...emptyFrame(id), canceled: true, compactRevision: compactedAt }, header()));
        return;
      }
      watches.set(id, watch);
      opts.metrics.watchers.inc();
      ready = true;
      // etcd sends history to a new watcher in batches of up to 1000 revisions per frame, stamped with the store's
      // current revision rather than the events' own.
      for (let i = 0; i < early.length; i += REPLAY_BATCH_REVISIONS) {
        const events = early.slice(i, i + REPLAY_BATCH_REVISIONS).flatMap(([evs]) => evs);
        write(encode.encodeWatchResponse({ ...emptyFrame(id), events }, header(server.revision)));
      }
    };

    const handleAll = (msgs: unknown[]): boolean => {
      for (const m of msgs) {
        try {
          handle(m);
        } catch (err) {
          failStream(err instanceof EtcdError ? streamDecodeError(err) : err);
          return false;
        }
      }
      return true;
    };
    const pushOrFail = (next: () => unknown[]): void => {
      try {
        handleAll(next());
      } catch (err) {
        // Messages completed before the bad bytes still count, as in etcd.
        if (err instanceof JsonStreamError && !handleAll(err.values)) return;
        failStream(err);
      }
    };
    req.on('data', (chunk: Buffer) => pushOrFail(() => parser.push(chunk)));
    req.on('end', () => pushOrFail(() => parser.end()));

    const failStream = (err: unknown): void => {
      const e = err instanceof EtcdError ? err : Errors.invalidArgument((err as Error).message);
      if (!res.headersSent) {
        // etcd: a bad first message is answered 500 with code 2, not streamed.
        sendJson(res, 500, encode.encodeError(new EtcdError(500, 2, e.message)));
        cleanup();
        return;
      }
      write(`${JSON.stringify({ error: { grpc_code: 2, http_code: 500, message: e.message, http_status: 'Internal Server Error' } })}\n`);
      endAll();
    };
  }

  /** POST /v3/lease/keepalive: one result line per LeaseKeepAliveRequest in the body; the stream stays open. */
  function keepAliveStream(req: IncomingMessage, res: ServerResponse): void {
    const parser = new JsonObjectStream();
    let chain = Promise.resolve();
    let closed = false;
    const endAll = (): void => {
      closed = true;
      res.end();
    };
    streams.add(endAll);
    res.on('close', () => {
      closed = true;
      streams.delete(endAll);
    });
    const fail = (err: unknown): void => {
      // etcd answers a bad stream message with 500 / code 2 (the gateway's stream decode error).
      const e = err instanceof EtcdError ? streamDecodeError(err) : new EtcdError(500, 2, (err as Error).message);
      if (!res.headersSent) sendJson(res, e.httpStatus, encode.encodeError(e));
      else res.end();
      closed = true;
    };
    req.on('data', (chunk: Buffer) => {
      let msgs: unknown[];
      try {
        msgs = parser.push(chunk);
      } catch (err) {
        fail(err);
        return;
      }
      for (const m of msgs) {
        let id: string;
        try {
          id = decode.decodeLeaseKeepAliveRequest(m).id;
        } catch (err) {
          fail(err);
          return;
        }
        startStream(res);
        chain = chain.then(async () => {
          if (closed) return;
          try {
            const ttl = await server.leaseKeepAlive(id);
            if (!closed) res.write(encode.encodeLeaseKeepAliveResult({ id, ttl }, header(server.revision)));
          } catch (err) {
            const e = err instanceof EtcdError ? err : Errors.timeout();
            if (!closed) res.write(`${JSON.stringify({ error: { grpc_code: e.code, http_code: e.httpStatus, message: e.message } })}\n`);
          }
        });
      }
    });
  }

  /** POST /v3/maintenance/snapshot: the state machine in chunks, as etcd streams its database file. */
  function snapshotStream(res: ServerResponse): void {
    const { data } = server.snapshotBytes();
    startStream(res);
    let offset = 0;
    const buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    do {
      const chunk = buf.subarray(offset, offset + SNAPSHOT_CHUNK_BYTES);
      offset += chunk.length;
      res.write(encode.encodeSnapshotChunk(chunk, buf.length - offset, header(server.revision)));
    } while (offset < buf.length);
    res.end();
  }

  // ------------------------------------------------------------ routing

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0] as string;
    if (req.method === 'OPTIONS') {
      res.writeHead(200, CORS_HEADERS).end();
      req.resume();
      return;
    }
    if (req.method === 'GET') {
      if (path === '/health') {
        const healthy = server.leader !== '0';
        const text = healthy ? '{"health":"true"}' : '{"health":"false"}';
        // etcd writes /health without setting a type, so Go sniffs it as text/plain.
        res.writeHead(healthy ? 200 : 503, { ...CORS_HEADERS, 'content-type': 'text/plain; charset=utf-8' }).end(text);
        return;
      }
      if (path === '/version') {
        res.writeHead(200, { ...CORS_HEADERS, 'content-type': 'application/json' }).end('{"etcdserver":"3.4.23","etcdcluster":"3.4.0"}');
        return;
      }
      if (path === '/metrics') {
        res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE }).end(opts.metrics.registry.render());
        return;
      }
    }
    // HashKV has no gateway route in etcd 3.4; k8ts-etcd adds one (the hash of the key space at a revision).
    const rpc = path === '/v3/maintenance/hashkv' || path === '/v3beta/maintenance/hashkv' ? 'hashKV' : resolveRpc(path);
    if (rpc === undefined) {
      if (path.startsWith('/v3/') || path.startsWith('/v3beta/')) sendText(res, 404, 'Not Found\n');
      else sendText(res, 404, '404 page not found\n');
      req.resume();
      return;
    }
    if (req.method !== 'POST') {
      sendText(res, 405, 'Method Not Allowed\n');
      req.resume();
      return;
    }
    if (rpc === 'watch') {
      watchStream(req, res);
      return;
    }
    if (rpc === 'leaseKeepAlive') {
      keepAliveStream(req, res);
      return;
    }
    const stop = opts.metrics.requestSeconds.startTimer({ rpc });
    readBody(req)
      .then((body) => {
        if (rpc === 'snapshot') {
          snapshotStream(res);
          return;
        }
        return unary(rpc, body).then((text) => {
          opts.metrics.requests.inc({ rpc, code: '0' });
          sendJson(res, 200, text);
        });
      })
      .catch((err: unknown) => sendError(res, err, rpc))
      .finally(() => stop());
  }

  return {
    handle,
    close() {
      for (const end of [...streams]) end();
    },
  };
}

function emptyFrame(watchId: number): encode.WatchFrame {
  return { watchId, created: false, canceled: false, compactRevision: 0, cancelReason: '', fragment: false, events: [] };
}
