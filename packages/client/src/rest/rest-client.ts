// HTTP to one apiserver: one undici Pool (keep-alive connections, TLS from the kubeconfig), bearer tokens, JSON in
// and out, a timeout per request, cancellation by AbortSignal, and errors sorted into ApiError / NetworkError.
import { readFileSync } from 'node:fs';
import type { Logger } from 'pino';
import { Pool } from 'undici';
import type { ClusterConnection } from '../config/kubeconfig.js';
import { ApiError, NetworkError } from '../errors.js';
import { AbortedError, sleep } from '../util/clock.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type QueryValue = string | number | boolean | undefined;

export interface RestClientOptions {
  logger?: Logger | undefined;
  /** Default timeout of a request (headers and body), default 60 s. Watches are bounded by timeoutSeconds instead. */
  timeoutMs?: number | undefined;
  /** How often a 429 Too Many Requests is retried after its Retry-After (default 3). */
  maxRetriesOn429?: number | undefined;
  userAgent?: string | undefined;
  /** How long an idle keep-alive connection is kept (default 30 s). */
  keepAliveTimeoutMs?: number | undefined;
}

export interface RequestOptions {
  method: HttpMethod;
  /** Path below the server URL, e.g. /api/v1/namespaces/default/pods. */
  path: string;
  query?: Record<string, QueryValue> | undefined;
  /** Serialized as JSON unless it is already a string. */
  body?: unknown;
  contentType?: string | undefined;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

export interface StreamOptions {
  path: string;
  query?: Record<string, QueryValue> | undefined;
  signal?: AbortSignal | undefined;
  /** Give up when the headers take longer than this (default: the client's timeout). */
  headersTimeoutMs?: number | undefined;
  /** Fail the stream when no byte arrives for this long (0: never). */
  idleTimeoutMs?: number | undefined;
}

export interface ResponseStream {
  /** Raw body chunks. Iteration ends when the server ends the response; it throws NetworkError when the connection breaks. */
  chunks: AsyncIterable<Buffer>;
  /** Closes the response; iteration then ends without an error. */
  close(): void;
  readonly closed: boolean;
}

const TOKEN_FILE_REFRESH_MS = 60_000;
const MAX_RETRY_AFTER_S = 10;

export class RestClient {
  readonly server: URL;
  private readonly basePath: string;
  private readonly pool: Pool;
  private readonly log: Logger | undefined;
  private readonly timeoutMs: number;
  private readonly maxRetriesOn429: number;
  private readonly userAgent: string;
  private tokenCache: { value: string | undefined; readAt: number } | undefined;

  constructor(
    readonly connection: ClusterConnection,
    opts: RestClientOptions = {},
  ) {
    this.server = new URL(connection.server);
    if (this.server.protocol !== 'https:' && this.server.protocol !== 'http:') {
      throw new TypeError(`unsupported server URL ${connection.server}: expected http or https`);
    }
    this.basePath = this.server.pathname.replace(/\/+$/, '');
    this.log = opts.logger;
    this.timeoutMs = opts.timeoutMs ?? 60_000;
    this.maxRetriesOn429 = opts.maxRetriesOn429 ?? 3;
    this.userAgent = opts.userAgent ?? 'k8ts-client/0.1.0';
    this.pool = new Pool(this.server.origin, {
      connect: {
        ca: connection.ca,
        cert: connection.clientCertificate,
        key: connection.clientKey,
        rejectUnauthorized: !connection.insecureSkipTLSVerify,
        ...(connection.tlsServerName ? { servername: connection.tlsServerName } : {}),
      },
      keepAliveTimeout: opts.keepAliveTimeoutMs ?? 30_000,
      // Timeouts are enforced per request below; the pool's own defaults would cut long watches.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  }

  /** One request; resolves with the parsed JSON body (undefined when empty), rejects with ApiError/NetworkError/AbortError. */
  async request<R>(opts: RequestOptions): Promise<R> {
    const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.requestOnce<R>(opts, body);
      } catch (err) {
        // A 429 means the server did not process the request, so any verb may be sent again.
        if (err instanceof ApiError && err.code === 429 && attempt < this.maxRetriesOn429) {
          const waitS = Math.min(err.retryAfterSeconds ?? 1, MAX_RETRY_AFTER_S);
          this.log?.debug({ path: opts.path, waitS }, 'apiserver asked to retry later');
          await sleep(waitS * 1000, opts.signal);
          continue;
        }
        throw err;
      }
    }
  }

  private async requestOnce<R>(opts: RequestOptions, body: string | undefined): Promise<R> {
    const path = this.fullPath(opts.path, opts.query);
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const call = linkedAbort(opts.signal, timeoutMs);
    try {
      const res = await this.pool.request({
        method: opts.method,
        path,
        headers: this.headers(body === undefined ? undefined : (opts.contentType ?? 'application/json')),
        body,
        signal: call.signal,
      });
      const text = await res.body.text();
      if (res.statusCode >= 200 && res.statusCode < 300) return (text === '' ? undefined : JSON.parse(text)) as R;
      throw ApiError.fromResponse(res.statusCode, text, { method: opts.method, path: opts.path, retryAfterSeconds: retryAfter(res.headers['retry-after']) });
    } catch (err) {
      throw call.translate(err, `${opts.method} ${opts.path}`);
    } finally {
      call.dispose();
    }
  }

  /** A streaming GET (watch): resolves once a 2xx status arrived; other statuses reject with ApiError. */
  async stream(opts: StreamOptions): Promise<ResponseStream> {
    const path = this.fullPath(opts.path, opts.query);
    const call = linkedAbort(opts.signal, opts.headersTimeoutMs ?? this.timeoutMs);
    let res: Awaited<ReturnType<Pool['request']>>;
    try {
      res = await this.pool.request({
        method: 'GET',
        path,
        headers: this.headers(undefined),
        signal: call.signal,
        bodyTimeout: opts.idleTimeoutMs ?? 0,
      });
      if (res.statusCode < 200 || res.statusCode >= 300) {
        const text = await res.body.text();
        throw ApiError.fromResponse(res.statusCode, text, { method: 'GET', path: opts.path, retryAfterSeconds: retryAfter(res.headers['retry-after']) });
      }
    } catch (err) {
      call.dispose();
      throw call.translate(err, `GET ${opts.path}`);
    }
    call.clearTimer();
    const body = res.body;
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      call.abortQuietly();
      body.destroy();
      call.dispose();
    };
    async function* chunks(): AsyncGenerator<Buffer> {
      try {
        for await (const chunk of body) {
          if (closed) return;
          yield typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
        }
      } catch (err) {
        if (closed) return;
        throw call.translate(err, `GET ${opts.path} (stream)`);
      } finally {
        close();
      }
    }
    return {
      chunks: chunks(),
      close,
      get closed() {
        return closed;
      },
    };
  }

  /** Closes every connection at once (in-flight requests fail). */
  async close(): Promise<void> {
    await this.pool.destroy();
  }

  private fullPath(path: string, query: Record<string, QueryValue> | undefined): string {
    let full = `${this.basePath}${path}`;
    if (query) {
      const params = new URLSearchParams();
      for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
      const qs = params.toString();
      if (qs) full += `?${qs}`;
    }
    return full;
  }

  private headers(contentType: string | undefined): Record<string, string> {
    const h: Record<string, string> = { accept: 'application/json', 'user-agent': this.userAgent };
    if (contentType) h['content-type'] = contentType;
    const token = this.bearerToken();
    if (token) h['authorization'] = `Bearer ${token}`;
    return h;
  }

  private bearerToken(): string | undefined {
    if (this.connection.token) return this.connection.token;
    const file = this.connection.tokenFile;
    if (!file) return undefined;
    const now = Date.now();
    if (!this.tokenCache || now - this.tokenCache.readAt > TOKEN_FILE_REFRESH_MS) {
      try {
        this.tokenCache = { value: readFileSync(file, 'utf8').trim(), readAt: now };
      } catch (err) {
        // Keep the last token we had: a rotation writes the file anew and the next read will see it.
        this.log?.warn({ err, file }, 'cannot read the token file');
        this.tokenCache = { value: this.tokenCache?.value, readAt: now };
      }
    }
    return this.tokenCache.value;
  }
}

function retryAfter(header: string | string[] | undefined): number | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (v === undefined) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

interface LinkedAbort {
  signal: AbortSignal;
  /** Turns whatever undici threw into AbortedError (caller aborted), NetworkError (timeout, transport) or itself. */
  translate(err: unknown, what: string): unknown;
  clearTimer(): void;
  abortQuietly(): void;
  dispose(): void;
}

/** One AbortController fed by the caller's signal and a timeout, remembering which of the two fired. */
function linkedAbort(outer: AbortSignal | undefined, timeoutMs: number): LinkedAbort {
  const controller = new AbortController();
  let timedOut = false;
  let quiet = false;
  const onOuterAbort = (): void => controller.abort();
  if (outer?.aborted) controller.abort();
  else outer?.addEventListener('abort', onOuterAbort, { once: true });
  let timer: NodeJS.Timeout | undefined =
    timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true;
          controller.abort();
        }, timeoutMs)
      : undefined;
  const clearTimer = (): void => {
    if (timer) clearTimeout(timer);
    timer = undefined;
  };
  return {
    signal: controller.signal,
    translate(err, what) {
      if (err instanceof ApiError || err instanceof NetworkError || err instanceof SyntaxError) return err;
      if (timedOut) return new NetworkError(`${what}: no answer within ${timeoutMs} ms`, 'Timeout', err);
      if (outer?.aborted || quiet) return new AbortedError(`${what}: aborted`);
      const code = errorCode(err);
      const message = err instanceof Error ? err.message : String(err);
      return new NetworkError(`${what}: ${message}${code && !message.includes(code) ? ` (${code})` : ''}`, code ?? 'UNKNOWN', err);
    },
    clearTimer,
    abortQuietly() {
      quiet = true;
      controller.abort();
    },
    dispose() {
      clearTimer();
      outer?.removeEventListener('abort', onOuterAbort);
    },
  };
}

function errorCode(err: unknown): string | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 4; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}
