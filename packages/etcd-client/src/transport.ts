// HTTP/1.1 transport to etcd members: one keep-alive undici Pool per endpoint for unary calls, a dedicated connection
// per stream (watch, keepalive) so long-lived streams never starve the pool, and the failover policy.

import { Client, Pool } from 'undici';
import type { Readable } from 'node:stream';
import { EtcdConnectionError, EtcdRequestError, GrpcCode, isUnavailable, toConnectionError } from './errors.js';
import type { Json } from './codec.js';

/**
 * 'read': safe to repeat, so retried once elsewhere on a connection error or 503/14.
 * 'write': retried only when the connection was never established (the request surely was not applied).
 */
export type CallKind = 'read' | 'write';

const JSON_HEADERS = { 'content-type': 'application/json' };
/** How long a failed endpoint is avoided when choosing where to send a request. */
const DOWN_MS = 5000;

export interface Endpoint {
  /** Normalized client URL, e.g. http://127.0.0.1:2379 (what errors and statuses report). */
  readonly url: string;
  readonly pool: Pool;
  downUntil: number;
}

export interface OpenStream {
  endpoint: string;
  body: Readable;
  /** Closes the connection: the only way to end an etcd gateway stream. */
  destroy(): void;
}

export function normalizeEndpoint(e: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(e) ? e : `http://${e}`;
  const u = new URL(withScheme);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new TypeError(`unsupported endpoint scheme: ${e}`);
  return u.origin;
}

export class Transport {
  readonly endpoints: Endpoint[];
  private readonly byUrl = new Map<string, Endpoint>();
  private readonly streams = new Set<Client>();
  private current = 0;
  private closed = false;

  constructor(
    urls: string[],
    readonly timeoutMs: number,
    connections: number,
  ) {
    if (urls.length === 0) throw new TypeError('EtcdClient needs at least one endpoint');
    this.endpoints = [];
    for (const raw of urls) {
      const url = normalizeEndpoint(raw);
      if (this.byUrl.has(url)) continue;
      const ep: Endpoint = {
        url,
        pool: new Pool(url, { connections, pipelining: 1, keepAliveTimeout: 30_000, keepAliveMaxTimeout: 600_000 }),
        downUntil: 0,
      };
      this.endpoints.push(ep);
      this.byUrl.set(url, ep);
    }
  }

  endpoint(url: string): Endpoint {
    const ep = this.byUrl.get(normalizeEndpoint(url));
    if (!ep) throw new TypeError(`${url} is not one of this client's endpoints`);
    return ep;
  }

  /** The pinned endpoint, unless it recently failed and a healthy one exists. */
  private pick(): Endpoint {
    const now = Date.now();
    const n = this.endpoints.length;
    for (let i = 0; i < n; i++) {
      const ep = this.endpoints[(this.current + i) % n]!;
      if (ep.downUntil <= now) {
        this.current = (this.current + i) % n;
        return ep;
      }
    }
    return this.endpoints[this.current]!;
  }

  /** The endpoint to retry on: the next healthy one after `failed`, else simply the next one. */
  private next(failed: Endpoint): Endpoint | undefined {
    const n = this.endpoints.length;
    if (n < 2) return undefined;
    const at = this.endpoints.indexOf(failed);
    const now = Date.now();
    for (let i = 1; i < n; i++) {
      const ep = this.endpoints[(at + i) % n]!;
      if (ep.downUntil <= now) return ep;
    }
    return this.endpoints[(at + 1) % n];
  }

  private markDown(ep: Endpoint): void {
    ep.downUntil = Date.now() + DOWN_MS;
    const at = this.endpoints.indexOf(ep);
    if (at === this.current) this.current = (at + 1) % this.endpoints.length;
  }

  /** Whether `err` says the endpoint is unusable right now (connection failure or etcd's 503 code 14). */
  private static endpointFailure(err: unknown): boolean {
    return err instanceof EtcdConnectionError || isUnavailable(err);
  }

  private static retryable(err: unknown, kind: CallKind): boolean {
    if (kind === 'read') return Transport.endpointFailure(err);
    return err instanceof EtcdConnectionError && !err.requestSent;
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('EtcdClient is closed');
  }

  /** A unary RPC with the failover policy; `pinned` sends to that endpoint only. */
  async call(path: string, body: string, kind: CallKind, pinned?: string): Promise<{ json: Json; endpoint: string }> {
    this.checkOpen();
    if (pinned !== undefined) {
      const ep = this.endpoint(pinned);
      return { json: await this.once(ep, path, body), endpoint: ep.url };
    }
    const first = this.pick();
    try {
      return { json: await this.once(first, path, body), endpoint: first.url };
    } catch (err) {
      if (!Transport.endpointFailure(err)) throw err;
      this.markDown(first);
      const second = Transport.retryable(err, kind) ? this.next(first) : undefined;
      if (!second) throw err;
      try {
        return { json: await this.once(second, path, body), endpoint: second.url };
      } catch (err2) {
        if (Transport.endpointFailure(err2)) this.markDown(second);
        throw err2;
      }
    }
  }

  /** One POST to one endpoint; resolves with the decoded 200 body. */
  async once(ep: Endpoint, path: string, body: string): Promise<Json> {
    let status: number;
    let text: string;
    try {
      const res = await ep.pool.request({
        path,
        method: 'POST',
        body,
        headers: JSON_HEADERS,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      status = res.statusCode;
      text = await res.body.text();
    } catch (err) {
      throw toConnectionError(err, ep.url);
    }
    if (status !== 200) throw httpError(status, text, ep.url);
    return parseObject(text, ep.url);
  }

  /** A plain GET (/health, /version) on one endpoint. */
  async get(url: string, path: string): Promise<{ status: number; json: Json }> {
    this.checkOpen();
    const ep = this.endpoint(url);
    try {
      const res = await ep.pool.request({
        path,
        method: 'GET',
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
      const text = await res.body.text();
      let json: Json = {};
      try {
        json = asObject(JSON.parse(text));
      } catch {
        /* a non-JSON answer: callers look at the status */
      }
      return { status: res.statusCode, json };
    } catch (err) {
      throw toConnectionError(err, ep.url);
    }
  }

  /**
   * Starts a streaming POST on its own connection. The body is sent complete: etcd's gateway only answers once the
   * request body has ended. `bodyTimeoutMs` 0 = the stream may stay idle forever (watch).
   */
  async openStream(path: string, body: string, bodyTimeoutMs: number, pinned?: string): Promise<OpenStream> {
    this.checkOpen();
    if (pinned !== undefined) return this.openOn(this.endpoint(pinned), path, body, bodyTimeoutMs);
    const first = this.pick();
    try {
      return await this.openOn(first, path, body, bodyTimeoutMs);
    } catch (err) {
      if (!Transport.endpointFailure(err)) throw err;
      this.markDown(first);
      const second = this.next(first); // opening a stream only reads
      if (!second) throw err;
      return await this.openOn(second, path, body, bodyTimeoutMs);
    }
  }

  private async openOn(ep: Endpoint, path: string, body: string, bodyTimeoutMs: number): Promise<OpenStream> {
    const client = new Client(ep.url, { pipelining: 1, headersTimeout: this.timeoutMs, bodyTimeout: bodyTimeoutMs });
    this.streams.add(client);
    const destroy = (): void => {
      this.streams.delete(client);
      client.destroy().catch(() => {});
    };
    try {
      const res = await client.request({ path, method: 'POST', body, headers: JSON_HEADERS });
      if (res.statusCode !== 200) {
        const text = await res.body.text();
        throw httpError(res.statusCode, text, ep.url);
      }
      res.body.setEncoding('utf8');
      // A destroyed connection errors the body; consumers decide whether that was expected.
      return { endpoint: ep.url, body: res.body, destroy };
    } catch (err) {
      destroy();
      throw toConnectionError(err, ep.url);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.streams) c.destroy().catch(() => {});
    this.streams.clear();
    // destroy, not close: a call stuck on a hung member must not keep close() waiting.
    await Promise.all(this.endpoints.map((ep) => ep.pool.destroy().catch(() => {})));
  }
}

function asObject(v: unknown): Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {};
}

function parseObject(text: string, endpoint: string): Json {
  try {
    return asObject(JSON.parse(text));
  } catch {
    throw new EtcdRequestError(200, GrpcCode.UNKNOWN, `invalid JSON from etcd: ${text.slice(0, 200)}`, endpoint);
  }
}

/** gRPC code for a non-JSON error answer, following the gateway's own HTTP↔gRPC mapping. */
function codeForStatus(status: number): number {
  switch (status) {
    case 400:
      return GrpcCode.INVALID_ARGUMENT;
    case 404:
    case 405:
      return GrpcCode.UNIMPLEMENTED;
    case 429:
      return GrpcCode.RESOURCE_EXHAUSTED;
    case 503:
      return GrpcCode.UNAVAILABLE;
    case 504:
      return GrpcCode.DEADLINE_EXCEEDED;
    default:
      return GrpcCode.UNKNOWN;
  }
}

/** Maps an error answer (`{"error","message","code"}`, or plain text) to EtcdRequestError. */
export function httpError(status: number, text: string, endpoint: string): EtcdRequestError {
  let parsed: Json | undefined;
  try {
    parsed = asObject(JSON.parse(text));
  } catch {
    parsed = undefined;
  }
  if (parsed && typeof parsed.code === 'number') {
    const msg = typeof parsed.message === 'string' ? parsed.message : typeof parsed.error === 'string' ? parsed.error : text;
    return new EtcdRequestError(status, parsed.code, msg, endpoint);
  }
  return new EtcdRequestError(status, codeForStatus(status), text.trim() || `HTTP ${status}`, endpoint);
}
