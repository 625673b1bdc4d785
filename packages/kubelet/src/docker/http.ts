// The HTTP plumbing under DockerClient: endpoint parsing, query strings, one pool for short calls, a dedicated
// connection per long-lived stream, and Docker's error bodies turned into DockerError.

import { Client, Pool } from 'undici';
import type { Dispatcher } from 'undici';
import { DockerError, dockerErrorMessage, isRecord } from './docker-error.js';

export type HttpMethod = 'GET' | 'POST' | 'DELETE' | 'PUT';
export type QueryValue = string | number | boolean | undefined;

export interface DockerRequest {
  method: HttpMethod;
  /** Path below the version prefix, e.g. `/containers/json`. */
  path: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /** Statuses besides 2xx that are an answer rather than an error (e.g. 304, 404 for "gone already"). */
  accept?: readonly number[];
  timeoutMs?: number;
  signal?: AbortSignal;
  /** false for the few calls made before the version is known (`/version`). */
  versioned?: boolean;
}

export interface DockerResponse {
  statusCode: number;
  text: string;
}

export interface OpenedStream {
  statusCode: number;
  body: AsyncIterable<Buffer>;
  /** Ends the stream's connection; safe to call more than once. */
  close(): void;
}

/** `unix:///var/run/docker.sock` or a bare path → the socket path. */
export function socketPathOf(endpoint: string): string {
  if (endpoint.startsWith('unix://')) {
    const path = endpoint.slice('unix://'.length);
    if (!path.startsWith('/')) throw new Error(`Docker endpoint ${endpoint}: expected unix:///absolute/path`);
    return path;
  }
  if (endpoint.startsWith('/')) return endpoint;
  throw new Error(`Docker endpoint ${endpoint}: only unix sockets are supported (unix:///path or /path)`);
}

export function buildQuery(query: Record<string, QueryValue> | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params.set(key, typeof value === 'boolean' ? (value ? '1' : '0') : String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Parses a JSON answer and checks its top-level shape; the field types are Docker's contract, per types.ts. */
export function decodeJson<T>(text: string, shape: 'object' | 'array', operation: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${operation}: Docker answered with non-JSON: ${text.slice(0, 200)}`);
  }
  const ok = shape === 'array' ? Array.isArray(value) : isRecord(value);
  if (!ok) throw new Error(`${operation}: expected a JSON ${shape} from Docker, got: ${text.slice(0, 200)}`);
  return value as T;
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || (error as { code?: unknown }).code === 'UND_ERR_ABORTED');
}

export class DockerHttp {
  private readonly pool: Pool;
  private readonly streams = new Set<Client>();
  prefix = '';

  constructor(
    readonly socketPath: string,
    readonly requestTimeoutMs: number,
    connections: number,
  ) {
    // Short calls share one keep-alive pool; pipelining off so a slow call never holds up the ones queued behind it.
    this.pool = new Pool('http://docker', { socketPath, connections, pipelining: 1, headersTimeout: requestTimeoutMs, bodyTimeout: requestTimeoutMs });
  }

  private url(request: DockerRequest): string {
    const prefix = request.versioned === false ? '' : this.prefix;
    return `${prefix}${request.path}${buildQuery(request.query)}`;
  }

  private options(request: DockerRequest, timeoutMs: number | null): Dispatcher.RequestOptions {
    const hasBody = request.body !== undefined;
    return {
      method: request.method,
      path: this.url(request),
      headers: hasBody ? { 'content-type': 'application/json' } : {},
      body: hasBody ? JSON.stringify(request.body) : null,
      headersTimeout: request.timeoutMs ?? this.requestTimeoutMs,
      bodyTimeout: timeoutMs,
      signal: request.signal,
    };
  }

  /** A short call, body read whole. Non-2xx statuses not in `accept` become DockerError. */
  async call(request: DockerRequest): Promise<DockerResponse> {
    return this.callOn(this.pool, request);
  }

  private async callOn(dispatcher: Dispatcher, request: DockerRequest): Promise<DockerResponse> {
    const operation = `${request.method} ${request.path}`;
    const response = await dispatcher.request(this.options(request, request.timeoutMs ?? this.requestTimeoutMs));
    const text = await response.body.text();
    if (isSuccess(response.statusCode) || request.accept?.includes(response.statusCode)) return { statusCode: response.statusCode, text };
    throw new DockerError(response.statusCode, dockerErrorMessage(text), operation);
  }

  /**
   * A call that may legitimately take long (stop waits out the grace period) on a connection of its own, so a burst
   * of such calls cannot hold every pooled connection. Same semantics as call().
   */
  async callDedicated(request: DockerRequest): Promise<DockerResponse> {
    const client = new Client('http://docker', { socketPath: this.socketPath, pipelining: 1 });
    this.streams.add(client);
    try {
      return await this.callOn(client, request);
    } finally {
      this.streams.delete(client);
      await client.destroy().catch(() => undefined);
    }
  }

  /**
   * A long-lived response (logs follow, events, wait, pull) on a connection of its own, so it cannot starve the pool.
   * No body timeout: these streams are quiet for as long as nothing happens. Aborting the signal closes the connection.
   */
  async stream(request: DockerRequest, bodyTimeoutMs: number | null = null): Promise<OpenedStream> {
    const operation = `${request.method} ${request.path}`;
    const client = new Client('http://docker', { socketPath: this.socketPath, pipelining: 1 });
    this.streams.add(client);
    let closed = false;
    const close = (): void => {
      if (closed) return;
      closed = true;
      this.streams.delete(client);
      client.destroy().catch(() => undefined);
    };
    const onAbort = (): void => close();
    request.signal?.addEventListener('abort', onAbort, { once: true });
    const closeAll = (): void => {
      request.signal?.removeEventListener('abort', onAbort);
      close();
    };
    try {
      const response = await client.request(this.options(request, bodyTimeoutMs ?? 0));
      if (!isSuccess(response.statusCode) && !request.accept?.includes(response.statusCode)) {
        const text = await response.body.text();
        throw new DockerError(response.statusCode, dockerErrorMessage(text), operation);
      }
      return { statusCode: response.statusCode, body: chunksUntilClosed(response.body, closeAll, () => closed), close: closeAll };
    } catch (error) {
      closeAll();
      throw error;
    }
  }

  /** Ends every stream; lets short calls in flight finish for up to `graceMs`, then cuts them. */
  async close(graceMs = 2000): Promise<void> {
    for (const client of this.streams) await client.destroy().catch(() => undefined);
    this.streams.clear();
    let timer: NodeJS.Timeout | undefined;
    const cut = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.pool.destroy().then(resolve, resolve);
      }, graceMs);
    });
    await Promise.race([this.pool.close(), cut]).finally(() => clearTimeout(timer));
  }
}

function isSuccess(statusCode: number): boolean {
  return statusCode >= 200 && statusCode < 300;
}

/**
 * Yields the body's chunks and releases the connection however iteration ends. A stream we ended ourselves (abort,
 * close) just ends; a connection the engine dropped throws, so a consumer knows to re-subscribe.
 */
async function* chunksUntilClosed(body: AsyncIterable<unknown>, close: () => void, closedByUs: () => boolean): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of body) {
      yield Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    }
  } catch (error) {
    if (!isAbortError(error) && !closedByUs()) throw error;
  } finally {
    close();
  }
}
