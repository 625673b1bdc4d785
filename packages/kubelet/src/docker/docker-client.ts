// A typed Docker Engine API client over the unix socket, version-negotiated (API 1.40–1.41), for the kubelet.

import { finished } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { DockerError, isRecord } from './docker-error.js';
import { openHijackedStream, type HijackedStream } from './hijack.js';
import { DockerHttp, decodeJson, socketPathOf, type DockerRequest, type OpenedStream } from './http.js';
import { jsonLines } from './json-lines.js';
import { demuxStream } from './stream-demux.js';
import type {
  ContainerCreateConfig,
  ContainerInspect,
  ContainerLogsOptions,
  ContainerStatsSample,
  ContainerSummary,
  DockerEvent,
  DockerInfo,
  DockerVersion,
  EventsOptions,
  ExecCreateOptions,
  ExecInspect,
  ExecResult,
  ImageInspect,
  ImageSummary,
  LabelFilter,
  LogChunk,
  NetworkCreateConfig,
  NetworkInspect,
  VolumeCreateConfig,
  VolumeSummary,
} from './types.js';

export const DEFAULT_DOCKER_ENDPOINT = 'unix:///var/run/docker.sock';
/** Newest API we speak; older engines are talked to at their own version. */
export const MAX_API_VERSION = '1.41';
/** Oldest API we accept (Docker 19.03): below it fields we rely on (e.g. one-shot stats, Init) are missing. */
export const MIN_API_VERSION = '1.40';

export interface DockerClientOptions {
  /** Bound on every short call (headers and body). Default 60 s. Stop uses its own (stop timeout + 10 s). */
  requestTimeoutMs?: number;
  /** Connections in the pool for short calls. Default 16. */
  connections?: number;
}

export interface RunExecOptions {
  /** Abandon the exec after this long and report timedOut. Default 10 s. */
  timeoutMs?: number;
  /** Output kept per stream; the rest is read and dropped. Default 64 KiB. */
  maxOutputBytes?: number;
  User?: string;
  Env?: string[];
  WorkingDir?: string;
}

const STOP_TIMEOUT_MARGIN_MS = 10_000;
const PULL_IDLE_TIMEOUT_MS = 5 * 60_000;

/** Compares dotted API versions numerically ("1.9" < "1.41"). */
export function compareApiVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}

/** Docker's `{"label": ["k=v", "k"]}` filter from a label selector. */
export function labelFilters(labels: LabelFilter | undefined, others: Record<string, string[]> = {}): string | undefined {
  const filters: Record<string, string[]> = { ...others };
  const label = Object.entries(labels ?? {}).map(([key, value]) => (value === true ? key : `${key}=${value}`));
  if (label.length > 0) filters.label = [...(filters.label ?? []), ...label];
  return Object.keys(filters).length > 0 ? JSON.stringify(filters) : undefined;
}

/** `busybox:1.36` → fromImage busybox, tag 1.36; `repo@sha256:…` → tag is the digest (Docker accepts either). */
export function splitImageRef(ref: string): { fromImage: string; tag: string } {
  const at = ref.indexOf('@');
  if (at >= 0) return { fromImage: ref.slice(0, at), tag: ref.slice(at + 1) };
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) return { fromImage: ref.slice(0, colon), tag: ref.slice(colon + 1) };
  return { fromImage: ref, tag: 'latest' };
}

/** Unix seconds (fractional) → Docker's `seconds.nanoseconds` timestamp text. */
export function dockerTimestamp(unixSeconds: number): string {
  return unixSeconds.toFixed(9);
}

const id = (value: string): string => encodeURIComponent(value);

export class DockerClient {
  private readonly hijacked = new Set<HijackedStream>();

  private constructor(
    private readonly http: DockerHttp,
    readonly apiVersion: string,
    /** The engine's `/version` as seen while connecting. */
    readonly serverVersion: DockerVersion,
  ) {}

  /** Connects and negotiates the API version: min(engine's ApiVersion, 1.41); engines below 1.40 are refused. */
  static async connect(endpoint: string = DEFAULT_DOCKER_ENDPOINT, options: DockerClientOptions = {}): Promise<DockerClient> {
    const http = new DockerHttp(socketPathOf(endpoint), options.requestTimeoutMs ?? 60_000, options.connections ?? 16);
    try {
      const response = await http.call({ method: 'GET', path: '/version', versioned: false });
      const version = decodeJson<DockerVersion>(response.text, 'object', 'GET /version');
      if (typeof version.ApiVersion !== 'string') throw new Error(`Docker at ${endpoint} did not report an ApiVersion`);
      if (compareApiVersions(version.ApiVersion, MIN_API_VERSION) < 0) {
        throw new Error(`Docker at ${endpoint} speaks API ${version.ApiVersion} (engine ${version.Version}); k8ts needs API ${MIN_API_VERSION} or newer (Docker 19.03+)`);
      }
      const apiVersion = compareApiVersions(version.ApiVersion, MAX_API_VERSION) < 0 ? version.ApiVersion : MAX_API_VERSION;
      http.prefix = `/v${apiVersion}`;
      return new DockerClient(http, apiVersion, version);
    } catch (error) {
      await http.close().catch(() => undefined);
      throw error;
    }
  }

  get socketPath(): string {
    return this.http.socketPath;
  }

  /** Closes the pool and every stream or hijacked connection still open. */
  async close(): Promise<void> {
    for (const stream of this.hijacked) stream.close();
    this.hijacked.clear();
    await this.http.close();
  }

  async ping(): Promise<void> {
    await this.http.call({ method: 'GET', path: '/_ping' });
  }

  async version(): Promise<DockerVersion> {
    return this.json<DockerVersion>({ method: 'GET', path: '/version' }, 'object');
  }

  async info(): Promise<DockerInfo> {
    return this.json<DockerInfo>({ method: 'GET', path: '/info' }, 'object');
  }

  // ---- images ----

  async imageInspect(ref: string): Promise<ImageInspect | null> {
    return this.jsonOrNull<ImageInspect>({ method: 'GET', path: `/images/${id(ref)}/json` });
  }

  /** Pulls an image; the progress stream's trailing `{"error": ...}` (e.g. no registry reachable) becomes DockerError. */
  async imagePull(ref: string, signal?: AbortSignal): Promise<void> {
    const operation = 'POST /images/create';
    const stream = await this.http.stream({ method: 'POST', path: '/images/create', query: splitImageRef(ref), signal }, PULL_IDLE_TIMEOUT_MS);
    try {
      for await (const line of jsonLines(stream.body)) {
        if (!isRecord(line)) continue;
        const detail = isRecord(line.errorDetail) ? line.errorDetail : undefined;
        const message = typeof line.error === 'string' ? line.error : typeof detail?.message === 'string' ? detail.message : undefined;
        if (message !== undefined) throw new DockerError(typeof detail?.code === 'number' ? detail.code : 500, message, operation);
      }
      signal?.throwIfAborted();
    } finally {
      stream.close();
    }
  }

  async imageList(): Promise<ImageSummary[]> {
    return this.json<ImageSummary[]>({ method: 'GET', path: '/images/json' }, 'array');
  }

  async imageRemove(ref: string, options: { force?: boolean } = {}): Promise<void> {
    await this.http.call({ method: 'DELETE', path: `/images/${id(ref)}`, query: { force: options.force } });
  }

  // ---- containers ----

  /** Creates a container and returns its Id; a taken name is DockerError with `conflict`, a missing image `notFound`. */
  async containerCreate(name: string, config: ContainerCreateConfig): Promise<string> {
    const created = await this.json<{ Id: string; Warnings: string[] | null }>(
      { method: 'POST', path: '/containers/create', query: { name: name || undefined }, body: config },
      'object',
    );
    return created.Id;
  }

  /** 304 (already started) counts as success. */
  async containerStart(containerId: string): Promise<void> {
    await this.http.call({ method: 'POST', path: `/containers/${id(containerId)}/start`, accept: [304] });
  }

  /**
   * Stop signal, then SIGKILL after timeoutSeconds; 304 (already stopped) is success. The HTTP timeout is
   * timeoutSeconds + 10 s, and the call has its own connection (it may last the whole grace period).
   */
  async containerStop(containerId: string, timeoutSeconds: number): Promise<void> {
    const seconds = Math.max(0, Math.ceil(timeoutSeconds));
    await this.http.callDedicated({
      method: 'POST',
      path: `/containers/${id(containerId)}/stop`,
      query: { t: seconds },
      accept: [304],
      timeoutMs: seconds * 1000 + STOP_TIMEOUT_MARGIN_MS,
    });
  }

  /** 409 "is not running" is success: the goal (not running) holds. */
  async containerKill(containerId: string, signal?: string): Promise<void> {
    try {
      await this.http.call({ method: 'POST', path: `/containers/${id(containerId)}/kill`, query: { signal } });
    } catch (error) {
      if (error instanceof DockerError && error.conflict && /is not running/i.test(error.message)) return;
      throw error;
    }
  }

  /** 404 is success (already gone), and so is a removal already in progress. */
  async containerRemove(containerId: string, options: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    try {
      await this.http.call({
        method: 'DELETE',
        path: `/containers/${id(containerId)}`,
        query: { force: options.force, v: options.volumes },
        accept: [404],
      });
    } catch (error) {
      if (error instanceof DockerError && error.conflict && /already in progress/i.test(error.message)) return;
      throw error;
    }
  }

  async containerInspect(containerId: string): Promise<ContainerInspect | null> {
    return this.jsonOrNull<ContainerInspect>({ method: 'GET', path: `/containers/${id(containerId)}/json` });
  }

  /** `labels` become Docker's label filter; `filters` adds any other (`{ status: ['running'], name: ['k8s_'] }`). */
  async containerList(options: { all?: boolean; labels?: LabelFilter; filters?: Record<string, string[]> } = {}): Promise<ContainerSummary[]> {
    return this.json<ContainerSummary[]>(
      { method: 'GET', path: '/containers/json', query: { all: options.all, filters: labelFilters(options.labels, options.filters) } },
      'array',
    );
  }

  /**
   * The container's log as chunks, demuxed into stdout/stderr (a TTY container's log is all stdout). With `follow`
   * the iteration goes on until the container stops or the signal aborts (then it just ends).
   */
  async containerLogs(containerId: string, options: ContainerLogsOptions, signal?: AbortSignal): Promise<AsyncIterable<LogChunk>> {
    const inspect = await this.containerInspect(containerId);
    if (!inspect) throw new DockerError(404, `No such container: ${containerId}`, `GET /containers/${containerId}/logs`);
    const wantStdout = options.stdout ?? true;
    const wantStderr = options.stderr ?? true;
    const stream = await this.http.stream({
      method: 'GET',
      path: `/containers/${id(containerId)}/logs`,
      query: {
        follow: options.follow,
        stdout: wantStdout,
        stderr: wantStderr,
        since: options.since === undefined ? undefined : dockerTimestamp(options.since),
        until: options.until === undefined ? undefined : dockerTimestamp(options.until),
        timestamps: options.timestamps,
        tail: options.tail === undefined ? undefined : String(options.tail),
      },
      signal,
    });
    return inspect.Config.Tty ? ttyChunks(stream.body) : demuxedChunks(stream.body);
  }

  /** One sample (`stream=false`). Docker waits ~1 s to fill precpu_stats unless `oneShot` (then precpu is empty). */
  async containerStats(containerId: string, options: { oneShot?: boolean } = {}): Promise<ContainerStatsSample> {
    return this.json<ContainerStatsSample>(
      { method: 'GET', path: `/containers/${id(containerId)}/stats`, query: { stream: false, 'one-shot': options.oneShot || undefined } },
      'object',
    );
  }

  /**
   * Waits for the container's exit, on its own connection. The default condition `not-running` answers at once for a
   * container that is not running — including one merely created: to wait across a start, use `next-exit`.
   */
  async containerWait(
    containerId: string,
    signal?: AbortSignal,
    options: { condition?: 'not-running' | 'next-exit' | 'removed' } = {},
  ): Promise<{ StatusCode: number }> {
    const stream = await this.http.stream({
      method: 'POST',
      path: `/containers/${id(containerId)}/wait`,
      query: { condition: options.condition ?? 'not-running' },
      signal,
    });
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of stream.body) chunks.push(chunk);
      signal?.throwIfAborted();
      const answer = decodeJson<{ StatusCode: number; Error?: { Message?: string } | null }>(Buffer.concat(chunks).toString('utf8'), 'object', 'POST /containers/wait');
      if (answer.Error?.Message) throw new DockerError(500, answer.Error.Message, `POST /containers/${containerId}/wait`);
      return { StatusCode: answer.StatusCode };
    } finally {
      stream.close();
    }
  }

  /** Attaches to a running container's stdio (demuxed unless it has a TTY). */
  async containerAttach(containerId: string, options: { stdin: boolean; stdout: boolean; stderr: boolean }, signal?: AbortSignal): Promise<HijackedStream> {
    const inspect = await this.containerInspect(containerId);
    if (!inspect) throw new DockerError(404, `No such container: ${containerId}`, `POST /containers/${containerId}/attach`);
    const query = new URLSearchParams({ stream: '1', stdin: flag(options.stdin), stdout: flag(options.stdout), stderr: flag(options.stderr) });
    return this.hijack(`/containers/${id(containerId)}/attach?${query}`, undefined, inspect.Config.Tty, signal);
  }

  async containerResize(containerId: string, size: { width: number; height: number }): Promise<void> {
    await this.http.call({ method: 'POST', path: `/containers/${id(containerId)}/resize`, query: { h: size.height, w: size.width } });
  }

  // ---- exec ----

  async execCreate(containerId: string, options: ExecCreateOptions): Promise<string> {
    const created = await this.json<{ Id: string }>({ method: 'POST', path: `/containers/${id(containerId)}/exec`, body: options }, 'object');
    return created.Id;
  }

  /** Starts an exec on a hijacked connection; `Tty` must match what execCreate was given. */
  async execStart(execId: string, options: { Tty: boolean; stdin: boolean }, signal?: AbortSignal): Promise<HijackedStream> {
    const stream = await this.hijack(`/exec/${id(execId)}/start`, { Detach: false, Tty: options.Tty }, options.Tty, signal);
    // Without stdin attached there is nothing to send: close our half so Docker does not wait on it.
    if (!options.stdin) stream.stdin.end();
    return stream;
  }

  async execInspect(execId: string): Promise<ExecInspect> {
    return this.json<ExecInspect>({ method: 'GET', path: `/exec/${id(execId)}/json` }, 'object');
  }

  async execResize(execId: string, size: { width: number; height: number }): Promise<void> {
    await this.http.call({ method: 'POST', path: `/exec/${id(execId)}/resize`, query: { h: size.height, w: size.width } });
  }

  /**
   * Runs a command to completion (exec probes, lifecycle hooks). Output beyond maxOutputBytes is dropped. After
   * timeoutMs the exec is abandoned (connection closed; Docker has no exec kill) and reported as timedOut.
   */
  async runExec(containerId: string, cmd: string[], options: RunExecOptions = {}): Promise<ExecResult> {
    const timeoutMs = options.timeoutMs ?? 10_000;
    const maxOutputBytes = options.maxOutputBytes ?? 64 * 1024;
    const deadline = Date.now() + timeoutMs;
    const execId = await this.execCreate(containerId, {
      Cmd: cmd,
      AttachStdout: true,
      AttachStderr: true,
      User: options.User,
      Env: options.Env,
      WorkingDir: options.WorkingDir,
    });
    const stream = await this.execStart(execId, { Tty: false, stdin: false });
    const stdout = collectCapped(stream.stdout, maxOutputBytes);
    const stderr = collectCapped(stream.stderr, maxOutputBytes);
    const outputDone = Promise.all([stdout.done, stderr.done]).then(() => 'done' as const);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), Math.max(0, deadline - Date.now()));
    });
    const outcome = await Promise.race([outputDone, timedOut]).finally(() => clearTimeout(timer));
    if (outcome === 'timeout') {
      stream.close();
      return { exitCode: null, stdout: stdout.text(), stderr: stderr.text(), timedOut: true };
    }
    stream.close();
    // The output can end a moment before Docker records the exit code: poll briefly (bounded) for Running=false.
    let inspect = await this.execInspect(execId);
    for (let attempt = 0; inspect.Running && attempt < 50 && Date.now() < deadline + 1000; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      inspect = await this.execInspect(execId);
    }
    return { exitCode: inspect.Running ? null : inspect.ExitCode, stdout: stdout.text(), stderr: stderr.text(), timedOut: false };
  }

  // ---- networks ----

  async networkInspect(name: string): Promise<NetworkInspect | null> {
    return this.jsonOrNull<NetworkInspect>({ method: 'GET', path: `/networks/${id(name)}` });
  }

  /** Creates a network (a duplicate name is a 409 conflict) and returns its Id. */
  async networkCreate(config: NetworkCreateConfig): Promise<string> {
    const created = await this.json<{ Id: string }>({ method: 'POST', path: '/networks/create', body: { CheckDuplicate: true, ...config } }, 'object');
    return created.Id;
  }

  /** 404 is success (already gone). */
  async networkRemove(name: string): Promise<void> {
    await this.http.call({ method: 'DELETE', path: `/networks/${id(name)}`, accept: [404] });
  }

  async networkList(options: { labels?: LabelFilter } = {}): Promise<NetworkInspect[]> {
    return this.json<NetworkInspect[]>({ method: 'GET', path: '/networks', query: { filters: labelFilters(options.labels) } }, 'array');
  }

  // ---- volumes ----

  async volumeCreate(config: VolumeCreateConfig): Promise<void> {
    await this.http.call({ method: 'POST', path: '/volumes/create', body: config });
  }

  /** 404 is success (already gone); a volume in use is a 409 conflict. */
  async volumeRemove(name: string, options: { force?: boolean } = {}): Promise<void> {
    await this.http.call({ method: 'DELETE', path: `/volumes/${id(name)}`, query: { force: options.force }, accept: [404] });
  }

  async volumeList(options: { labels?: LabelFilter } = {}): Promise<VolumeSummary[]> {
    const answer = await this.json<{ Volumes: VolumeSummary[] | null }>(
      { method: 'GET', path: '/volumes', query: { filters: labelFilters(options.labels) } },
      'object',
    );
    return answer.Volumes ?? [];
  }

  // ---- events ----

  /**
   * The engine's event stream (container start/die/oom/destroy, ...), on its own connection, until the signal aborts
   * (then it ends quietly). The subscription starts at once, not at the first iteration, so a relist done right after
   * this call misses nothing. If the engine drops the connection the iteration throws: re-subscribe with `since`.
   */
  events(options: EventsOptions, signal: AbortSignal): AsyncIterable<DockerEvent> {
    const filters = options.filters && Object.keys(options.filters).length > 0 ? JSON.stringify(options.filters) : undefined;
    const opened = this.http.stream({
      method: 'GET',
      path: '/events',
      query: { filters, since: options.since === undefined ? undefined : dockerTimestamp(options.since) },
      signal,
    });
    // A failure to subscribe surfaces on iteration; never as an unhandled rejection.
    opened.catch(() => undefined);
    return eventsFrom(opened, signal);
  }

  // ---- plumbing ----

  private async json<T>(request: DockerRequest, shape: 'object' | 'array'): Promise<T> {
    const response = await this.http.call(request);
    return decodeJson<T>(response.text, shape, `${request.method} ${request.path}`);
  }

  /** GET that answers null on 404 (inspect of something absent). */
  private async jsonOrNull<T>(request: DockerRequest): Promise<T | null> {
    const response = await this.http.call({ ...request, accept: [404] });
    if (response.statusCode === 404) return null;
    return decodeJson<T>(response.text, 'object', `${request.method} ${request.path}`);
  }

  private async hijack(path: string, body: unknown, tty: boolean, signal: AbortSignal | undefined): Promise<HijackedStream> {
    const stream = await openHijackedStream({
      socketPath: this.http.socketPath,
      path: `${this.http.prefix}${path}`,
      body,
      tty,
      timeoutMs: this.http.requestTimeoutMs,
      signal,
    });
    this.hijacked.add(stream);
    void stream.closed.then(() => this.hijacked.delete(stream));
    return stream;
  }
}

async function* eventsFrom(opened: Promise<OpenedStream>, signal: AbortSignal): AsyncGenerator<DockerEvent> {
  let stream: OpenedStream;
  try {
    stream = await opened;
  } catch (error) {
    if (signal.aborted) return;
    throw error;
  }
  try {
    for await (const line of jsonLines(stream.body)) {
      if (isRecord(line) && typeof line.Type === 'string' && typeof line.Action === 'string') yield line as unknown as DockerEvent;
    }
  } finally {
    stream.close();
  }
}

function flag(value: boolean): string {
  return value ? '1' : '0';
}

async function* demuxedChunks(body: AsyncIterable<Buffer>): AsyncGenerator<LogChunk> {
  for await (const frame of demuxStream(body)) {
    if (frame.stream !== 'stdin') yield { stream: frame.stream, data: frame.data };
  }
}

async function* ttyChunks(body: AsyncIterable<Buffer>): AsyncGenerator<LogChunk> {
  for await (const data of body) yield { stream: 'stdout', data };
}

/** Reads a stream to its end, keeping at most `limit` bytes (the rest is drained so the connection never stalls). */
function collectCapped(stream: Readable, limit: number): { done: Promise<void>; text: () => string } {
  const kept: Buffer[] = [];
  let keptBytes = 0;
  stream.on('data', (chunk: Buffer) => {
    if (keptBytes >= limit) return;
    const part = chunk.subarray(0, limit - keptBytes);
    kept.push(part);
    keptBytes += part.length;
  });
  return {
    done: finished(stream).catch(() => undefined),
    text: () => Buffer.concat(kept).toString('utf8'),
  };
}
