import {
  arr,
  bytes,
  checkId,
  decodeDeleteRange,
  decodeHeader,
  decodeMember,
  decodePut,
  decodeRange,
  decodeTxn,
  encodeDeleteRange,
  encodePut,
  encodeRange,
  encodeTxn,
  encodeWatchCreate,
  id,
  num,
  obj,
  str,
  bool,
  txnIsReadOnly,
  type Json,
} from './codec.js';
import { EtcdRequestError, GrpcCode, toConnectionError } from './errors.js';
import { Transport, type CallKind } from './transport.js';
import { Watch } from './watch.js';
import type {
  Bytes,
  CompactResponse,
  DeleteRangeOptions,
  DeleteRangeResponse,
  HashKVResponse,
  KeyValue,
  LeaseGrantResponse,
  LeaseKeepAliveResponse,
  LeaseLeasesResponse,
  LeaseRevokeResponse,
  LeaseTimeToLiveResponse,
  MemberAddResponse,
  MemberListResponse,
  MemberRemoveResponse,
  PutOptions,
  PutResponse,
  RangeOptions,
  RangeResponse,
  StatusResponse,
  TxnRequest,
  TxnResponse,
  VersionResponse,
  WatchOptions,
} from './types.js';

export interface EtcdClientOptions {
  /** Client URLs (`http://host:port`, or `host:port`). Requests go to one pinned endpoint and fail over in order. */
  endpoints: string[];
  /**
   * Per request: time to the response headers and between body chunks (undici's timers, ~0.5 s granularity; time
   * spent queued for a free connection is not counted). Default 10 s, above etcd's own ~7 s request timeout so that
   * its 503 "request timed out" answer arrives first.
   */
  requestTimeoutMs?: number;
  /** Keep-alive connections per endpoint for unary calls (HTTP/1.1, no pipelining). Default 16. */
  connectionsPerEndpoint?: number;
}

export interface LeaseKeepAliveHandlers {
  onResponse?: (r: LeaseKeepAliveResponse) => void;
  /** A keepalive failed for another reason; the next one is still scheduled. */
  onError?: (err: Error) => void;
  /** The lease no longer exists (expired or revoked); keepalives have stopped. */
  onLost?: (err: EtcdRequestError) => void;
}

export interface LeaseKeepAlive {
  stop(): void;
  readonly stopped: boolean;
}

export interface RawCallOptions {
  /** Send to this endpoint only (no failover). */
  endpoint?: string;
  /** Failover class; default 'write' (the conservative choice). */
  kind?: CallKind;
}

const leaseNotFound = (endpoint: string): EtcdRequestError =>
  new EtcdRequestError(404, GrpcCode.NOT_FOUND, 'etcdserver: requested lease not found', endpoint);

export class EtcdClient {
  private readonly t: Transport;
  private readonly watches = new Set<Watch>();
  private readonly keepAlives = new Set<LeaseKeepAlive>();
  /** Per endpoint: whether /v3/maintenance/hashkv exists (etcd 3.4's gateway lacks it). */
  private readonly hashKvPath = new Map<string, boolean>();

  constructor(opts: EtcdClientOptions) {
    const timeout = opts.requestTimeoutMs ?? 10_000;
    const conns = opts.connectionsPerEndpoint ?? 16;
    if (!(timeout > 0)) throw new TypeError('requestTimeoutMs must be > 0');
    if (!(Number.isInteger(conns) && conns > 0)) throw new TypeError('connectionsPerEndpoint must be a positive integer');
    this.t = new Transport(opts.endpoints, timeout, conns);
  }

  /** The normalized endpoint URLs, in failover order. */
  get endpoints(): string[] {
    return this.t.endpoints.map((e) => e.url);
  }

  /**
   * A raw JSON call for callers that pre-encode bodies (the benchmark): POST `path` with `body`, returning the parsed
   * 200 answer; errors are mapped like every other call.
   */
  async request(path: string, body: string, opts?: RawCallOptions): Promise<Json> {
    return (await this.t.call(path, body, opts?.kind ?? 'write', opts?.endpoint)).json;
  }

  // ---- KV ----

  async put(key: Bytes, value: Bytes, opts?: PutOptions): Promise<PutResponse> {
    return decodePut(await this.call('/v3/kv/put', encodePut(key, value, opts), 'write'));
  }

  async range(key: Bytes, opts?: RangeOptions): Promise<RangeResponse> {
    return decodeRange(await this.call('/v3/kv/range', encodeRange(key, opts), 'read'));
  }

  /** The current value of one key, or undefined. */
  async get(key: Bytes, opts?: { serializable?: boolean; revision?: number }): Promise<KeyValue | undefined> {
    return (await this.range(key, opts)).kvs[0];
  }

  /** get() decoded as UTF-8. */
  async getString(key: Bytes): Promise<string | undefined> {
    return (await this.get(key))?.value.toString('utf8');
  }

  async deleteRange(key: Bytes, opts?: DeleteRangeOptions): Promise<DeleteRangeResponse> {
    return decodeDeleteRange(await this.call('/v3/kv/deleterange', encodeDeleteRange(key, opts), 'write'));
  }

  /** A txn with only range ops is retried like a read; any write makes it a write. */
  async txn(req: TxnRequest): Promise<TxnResponse> {
    return decodeTxn(await this.call('/v3/kv/txn', encodeTxn(req), txnIsReadOnly(req) ? 'read' : 'write'));
  }

  async compact(revision: number, physical = false): Promise<CompactResponse> {
    const body = `{"revision":"${revision}"${physical ? ',"physical":true' : ''}}`;
    return { header: decodeHeader((await this.call('/v3/kv/compaction', body, 'write')).header) };
  }

  // ---- leases ----

  /** `id` lets the caller choose the lease id (etcd answers 412/9 if it exists); default server-assigned. */
  async leaseGrant(ttl: number, leaseId?: string): Promise<LeaseGrantResponse> {
    let body = `{"TTL":"${Math.trunc(ttl)}"`;
    if (leaseId !== undefined && leaseId !== '0') body += `,"ID":"${checkId(leaseId, 'lease id')}"`;
    const o = await this.call('/v3/lease/grant', body + '}', 'write');
    return { header: decodeHeader(o.header), id: id(o.ID), ttl: num(o.TTL) };
  }

  async leaseRevoke(leaseId: string): Promise<LeaseRevokeResponse> {
    const o = await this.call('/v3/lease/revoke', `{"ID":"${checkId(leaseId, 'lease id')}"}`, 'write');
    return { header: decodeHeader(o.header) };
  }

  /** A missing lease is not an error here: etcd answers ttl -1. */
  async leaseTimeToLive(leaseId: string, keys = false): Promise<LeaseTimeToLiveResponse> {
    const body = `{"ID":"${checkId(leaseId, 'lease id')}"${keys ? ',"keys":true' : ''}}`;
    const o = await this.call('/v3/lease/timetolive', body, 'read');
    return {
      header: decodeHeader(o.header),
      id: id(o.ID),
      ttl: num(o.TTL),
      grantedTtl: num(o.grantedTTL),
      keys: arr(o.keys).map(bytes),
    };
  }

  async leases(): Promise<LeaseLeasesResponse> {
    const o = await this.call('/v3/lease/leases', '{}', 'read');
    return { header: decodeHeader(o.header), leases: arr(o.leases).map((l) => id(obj(l).ID)) };
  }

  /**
   * One keepalive over the streaming endpoint (the gateway has no unary one): send the request, read the first answer,
   * close the connection. Throws EtcdRequestError 404/NOT_FOUND when the lease is gone (etcd answers TTL 0).
   */
  async leaseKeepAliveOnce(leaseId: string): Promise<LeaseKeepAliveResponse> {
    const stream = await this.t.openStream('/v3/lease/keepalive', `{"ID":"${checkId(leaseId, 'lease id')}"}`, this.t.timeoutMs);
    let line: string;
    try {
      line = await firstLine(stream.body);
    } catch (err) {
      throw toConnectionError(err, stream.endpoint);
    } finally {
      stream.destroy();
    }
    let msg: Json;
    try {
      msg = obj(JSON.parse(line));
    } catch {
      throw new EtcdRequestError(200, GrpcCode.UNKNOWN, `invalid keepalive answer: ${line.slice(0, 200)}`, stream.endpoint);
    }
    if (msg.error !== undefined) {
      const e = obj(msg.error);
      throw new EtcdRequestError(num(e.http_code) || 500, num(e.grpc_code) || GrpcCode.UNKNOWN, str(e.message), stream.endpoint);
    }
    const r = obj(msg.result);
    const ttl = num(r.TTL);
    if (ttl <= 0) throw leaseNotFound(stream.endpoint);
    return { header: decodeHeader(r.header), id: id(r.ID), ttl };
  }

  /**
   * Refreshes the lease now and then every `everyMs` (pick about a third of the TTL) until stop(), close(), or the
   * lease is found gone. Calls never overlap.
   */
  leaseKeepAlive(leaseId: string, everyMs: number, handlers: LeaseKeepAliveHandlers = {}): LeaseKeepAlive {
    checkId(leaseId, 'lease id');
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    const handle: LeaseKeepAlive = {
      stop: () => {
        stopped = true;
        if (timer) clearTimeout(timer);
        this.keepAlives.delete(handle);
      },
      get stopped() {
        return stopped;
      },
    };
    const tick = async (): Promise<void> => {
      timer = undefined;
      try {
        const r = await this.leaseKeepAliveOnce(leaseId);
        if (!stopped) handlers.onResponse?.(r);
      } catch (err) {
        if (stopped) return;
        if (err instanceof EtcdRequestError && err.code === GrpcCode.NOT_FOUND) {
          handle.stop();
          handlers.onLost?.(err);
          return;
        }
        handlers.onError?.(err instanceof Error ? err : new Error(String(err)));
      }
      if (!stopped) timer = setTimeout(() => void tick(), everyMs);
    };
    this.keepAlives.add(handle);
    void tick();
    return handle;
  }

  // ---- watch ----

  /** Starts a watch on its own connection (see Watch). The initial connect fails over like a read. */
  watch(key: Bytes, opts?: WatchOptions): Watch {
    const body = encodeWatchCreate(key, opts);
    const w = new Watch(
      () => this.t.openStream('/v3/watch', body, 0, opts?.endpoint),
      (done) => this.watches.delete(done),
    );
    if (!w.done) this.watches.add(w);
    return w;
  }

  // ---- maintenance and cluster ----

  async status(endpoint?: string): Promise<StatusResponse> {
    const { json: o, endpoint: ep } = await this.t.call('/v3/maintenance/status', '{}', 'read', endpoint);
    return {
      header: decodeHeader(o.header),
      endpoint: ep,
      version: str(o.version),
      dbSize: num(o.dbSize),
      dbSizeInUse: num(o.dbSizeInUse),
      leader: id(o.leader),
      raftIndex: num(o.raftIndex),
      raftTerm: num(o.raftTerm),
      raftAppliedIndex: num(o.raftAppliedIndex),
      errors: arr(o.errors).map(str),
      isLearner: bool(o.isLearner),
    };
  }

  /** GET /version of one endpoint (default: the first). */
  async version(endpoint?: string): Promise<VersionResponse> {
    const { json } = await this.t.get(endpoint ?? this.t.endpoints[0]!.url, '/version');
    return { etcdserver: str(json.etcdserver), etcdcluster: str(json.etcdcluster) };
  }

  /** GET /health of one endpoint: true when it answers {"health":"true"}. Connection errors throw. */
  async health(endpoint?: string): Promise<boolean> {
    const { status, json } = await this.t.get(endpoint ?? this.t.endpoints[0]!.url, '/health');
    return status === 200 && json.health === 'true';
  }

  async memberList(): Promise<MemberListResponse> {
    const o = await this.call('/v3/cluster/member/list', '{}', 'read');
    return { header: decodeHeader(o.header), members: arr(o.members).map(decodeMember) };
  }

  async memberAdd(peerURLs: string[], isLearner = false): Promise<MemberAddResponse> {
    const body = `{"peerURLs":${JSON.stringify(peerURLs)}${isLearner ? ',"isLearner":true' : ''}}`;
    const o = await this.call('/v3/cluster/member/add', body, 'write');
    return { header: decodeHeader(o.header), member: decodeMember(o.member), members: arr(o.members).map(decodeMember) };
  }

  async memberRemove(memberId: string): Promise<MemberRemoveResponse> {
    const o = await this.call('/v3/cluster/member/remove', `{"ID":"${checkId(memberId, 'member id')}"}`, 'write');
    return { header: decodeHeader(o.header), members: arr(o.members).map(decodeMember) };
  }

  async memberUpdate(memberId: string, peerURLs: string[]): Promise<MemberRemoveResponse> {
    const body = `{"ID":"${checkId(memberId, 'member id')}","peerURLs":${JSON.stringify(peerURLs)}}`;
    const o = await this.call('/v3/cluster/member/update', body, 'write');
    return { header: decodeHeader(o.header), members: arr(o.members).map(decodeMember) };
  }

  async memberPromote(memberId: string): Promise<MemberRemoveResponse> {
    const o = await this.call('/v3/cluster/member/promote', `{"ID":"${checkId(memberId, 'member id')}"}`, 'write');
    return { header: decodeHeader(o.header), members: arr(o.members).map(decodeMember) };
  }

  /**
   * HashKV of one member at `revision` (0 = latest). etcd 3.4's gateway maps HashKV and Hash to the same path and
   * serves Hash (whole backend, revision ignored); when /v3/maintenance/hashkv is missing the answer is that, marked
   * `scope: 'backend'`. Compare hashes only between members of the same implementation and scope.
   */
  async hashKV(revision = 0, endpoint?: string): Promise<HashKVResponse> {
    const url = endpoint ?? this.t.endpoints[0]!.url;
    const body = revision ? `{"revision":"${revision}"}` : '{}';
    const key = this.t.endpoint(url).url;
    if (this.hashKvPath.get(key) !== false) {
      try {
        const { json: o, endpoint: ep } = await this.t.call('/v3/maintenance/hashkv', body, 'read', url);
        this.hashKvPath.set(key, true);
        return { header: decodeHeader(o.header), endpoint: ep, hash: num(o.hash), compactRevision: num(o.compact_revision), scope: 'kv' };
      } catch (err) {
        if (!(err instanceof EtcdRequestError && err.httpStatus === 404 && err.code === GrpcCode.UNIMPLEMENTED)) throw err;
        this.hashKvPath.set(key, false);
      }
    }
    const { json: o, endpoint: ep } = await this.t.call('/v3/maintenance/hash', body, 'read', url);
    return { header: decodeHeader(o.header), endpoint: ep, hash: num(o.hash), compactRevision: num(o.compact_revision), scope: 'backend' };
  }

  /** Finds the leader among the endpoints (transfer must be sent to it) and asks it to hand over to `targetId`. */
  async moveLeader(targetId: string): Promise<{ sentTo: string }> {
    checkId(targetId, 'target member id');
    const statuses = await Promise.allSettled(this.t.endpoints.map((e) => this.status(e.url)));
    const leader = statuses.find(
      (s): s is PromiseFulfilledResult<StatusResponse> =>
        s.status === 'fulfilled' && s.value.leader !== '0' && s.value.leader === s.value.header.memberId,
    );
    if (!leader) throw new Error('moveLeader: no endpoint of this client is the current leader');
    await this.t.call('/v3/maintenance/transfer-leadership', `{"targetID":"${targetId}"}`, 'write', leader.value.endpoint);
    return { sentTo: leader.value.endpoint };
  }

  /** Stops keepalives, closes watches and connections; in-flight calls fail. */
  async close(): Promise<void> {
    for (const k of [...this.keepAlives]) k.stop();
    for (const w of [...this.watches]) w.cancel();
    await this.t.close();
  }

  private async call(path: string, body: string, kind: CallKind): Promise<Json> {
    return (await this.t.call(path, body, kind)).json;
  }
}

/** Reads a stream up to its first newline (the first frame of a gateway stream). */
async function firstLine(body: AsyncIterable<unknown>): Promise<string> {
  let buf = '';
  for await (const chunk of body) {
    buf += String(chunk);
    const nl = buf.indexOf('\n');
    if (nl >= 0) return buf.slice(0, nl);
  }
  if (buf.trim() !== '') return buf;
  throw new Error('stream ended without an answer');
}

