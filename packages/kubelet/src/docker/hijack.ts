// Hijacked connections for attach and exec start. Docker answers `Connection: Upgrade` / `Upgrade: tcp` with
// `101 UPGRADED` and from then on the socket carries raw process I/O in both directions. We speak this one request
// over a plain unix socket by hand rather than through undici: we need the socket itself, with half-close
// (`allowHalfOpen`) so ending stdin sends FIN while output keeps flowing, and nothing else in between.

import { connect, type Socket } from 'node:net';
import { PassThrough, Writable, type Readable } from 'node:stream';
import { DockerError, dockerErrorMessage } from './docker-error.js';
import { StreamDemuxer } from './stream-demux.js';

export interface HijackedStream {
  readonly tty: boolean;
  /**
   * Demuxed output (with a TTY everything arrives on stdout). Both end when the process/connection ends.
   * Output is flow-controlled: consume both (or `resume()` the one you ignore), or the connection stalls.
   */
  readonly stdout: Readable;
  readonly stderr: Readable;
  /** Writes to the process's stdin; end() half-closes the connection so the process sees EOF. */
  readonly stdin: Writable;
  /** Resolves once the connection is closed (process ended, close() called, or the engine went away). */
  readonly closed: Promise<void>;
  close(): void;
}

export interface HijackRequest {
  socketPath: string;
  /** Full request path including the version prefix and query, e.g. `/v1.41/exec/<id>/start`. */
  path: string;
  body?: unknown;
  tty: boolean;
  /** Bound on connecting and receiving the response head. */
  timeoutMs: number;
  signal?: AbortSignal;
}

const HEAD_END = Buffer.from('\r\n\r\n');
const MAX_HEAD_BYTES = 64 * 1024;

interface ResponseHead {
  statusCode: number;
  headers: Map<string, string>;
  /** Bytes after the head that arrived in the same reads (the start of the raw stream or of an error body). */
  rest: Buffer;
}

export async function openHijackedStream(request: HijackRequest): Promise<HijackedStream> {
  request.signal?.throwIfAborted();
  const socket = connect({ path: request.socketPath, allowHalfOpen: true });
  const operation = `POST ${request.path}`;
  const onAbort = (): void => {
    socket.destroy(new Error('aborted'));
  };
  request.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const head = await withTimeout(sendAndReadHead(socket, request), request.timeoutMs, socket, operation);
    if (head.statusCode !== 101 && head.statusCode !== 200) {
      const body = await withTimeout(readErrorBody(socket, head), request.timeoutMs, socket, operation);
      socket.destroy();
      throw new DockerError(head.statusCode, dockerErrorMessage(body), operation);
    }
    request.signal?.removeEventListener('abort', onAbort);
    return wrapUpgradedSocket(socket, head.rest, request.tty, request.signal);
  } catch (error) {
    request.signal?.removeEventListener('abort', onAbort);
    socket.destroy();
    if (request.signal?.aborted) throw request.signal.reason;
    throw error;
  }
}

function sendAndReadHead(socket: Socket, request: HijackRequest): Promise<ResponseHead> {
  const body = request.body === undefined ? '' : JSON.stringify(request.body);
  const lines = [
    `POST ${request.path} HTTP/1.1`,
    'Host: docker',
    'User-Agent: k8ts-kubelet',
    'Connection: Upgrade',
    'Upgrade: tcp',
    'Content-Type: application/json',
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  return new Promise<ResponseHead>((resolve, reject) => {
    let received: Buffer = Buffer.alloc(0);
    const cleanup = (): void => {
      socket.off('data', onData);
      socket.off('error', onError);
      socket.off('end', onEnd);
      socket.off('close', onEnd);
    };
    const onData = (chunk: Buffer): void => {
      received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
      const end = received.indexOf(HEAD_END);
      if (end < 0) {
        if (received.length > MAX_HEAD_BYTES) {
          cleanup();
          reject(new Error('Docker response head too large'));
        }
        return;
      }
      // Stop the flow before anyone reads the raw stream, so no byte is lost between here and the consumer.
      socket.pause();
      cleanup();
      try {
        resolve({ ...parseHead(received.subarray(0, end).toString('latin1')), rest: received.subarray(end + HEAD_END.length) });
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const onEnd = (): void => {
      cleanup();
      reject(new Error('Docker closed the connection before answering'));
    };
    socket.on('data', onData);
    socket.on('error', onError);
    socket.on('end', onEnd);
    socket.on('close', onEnd);
  });
}

function parseHead(text: string): Omit<ResponseHead, 'rest'> {
  const [statusLine = '', ...headerLines] = text.split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(statusLine);
  if (!match?.[1]) throw new Error(`not an HTTP response from Docker: ${JSON.stringify(statusLine.slice(0, 100))}`);
  const headers = new Map<string, string>();
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { statusCode: Number(match[1]), headers };
}

/** Reads an error answer's body: by Content-Length, chunked, or until the engine closes. */
function readErrorBody(socket: Socket, head: ResponseHead): Promise<string> {
  const length = Number(head.headers.get('content-length') ?? NaN);
  const chunked = /chunked/i.test(head.headers.get('transfer-encoding') ?? '');
  return new Promise<string>((resolve) => {
    let received = head.rest;
    const complete = (): boolean => {
      if (Number.isFinite(length)) return received.length >= length;
      if (chunked) return received.includes(Buffer.from('\r\n0\r\n\r\n')) || received.subarray(0, 5).equals(Buffer.from('0\r\n\r\n'));
      return false;
    };
    const finish = (): void => {
      socket.off('data', onData);
      socket.off('close', finish);
      socket.off('error', finish);
      const raw = Number.isFinite(length) ? received.subarray(0, length) : received;
      resolve((chunked ? decodeChunked(raw) : raw).toString('utf8'));
    };
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      if (complete()) finish();
    };
    if (complete()) return finish();
    socket.on('data', onData);
    socket.on('close', finish);
    socket.on('error', finish);
    socket.resume();
  });
}

function decodeChunked(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset < raw.length) {
    const lineEnd = raw.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(raw.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(raw.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function withTimeout<T>(promise: Promise<T>, timeoutMs: number, socket: Socket, operation: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`${operation}: no answer from Docker within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function wrapUpgradedSocket(socket: Socket, initial: Buffer, tty: boolean, signal: AbortSignal | undefined): HijackedStream {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const demuxer = tty ? undefined : new StreamDemuxer();
  // Flow control: the socket pauses while any output is over its high-water mark.
  const blocked = new Set<PassThrough>();
  const deliver = (target: PassThrough, data: Buffer): void => {
    if (target.writableEnded || target.destroyed) return;
    if (!target.write(data) && !blocked.has(target)) {
      blocked.add(target);
      socket.pause();
      target.once('drain', () => {
        blocked.delete(target);
        if (blocked.size === 0 && !socket.destroyed) socket.resume();
      });
    }
  };
  const onData = (chunk: Buffer): void => {
    if (!demuxer) return deliver(stdout, chunk);
    let frames;
    try {
      frames = demuxer.push(chunk);
    } catch {
      // Not Docker's framing: the connection is unusable; end it rather than deliver garbage.
      socket.destroy();
      return;
    }
    for (const frame of frames) {
      if (frame.stream === 'stderr') deliver(stderr, frame.data);
      else if (frame.stream === 'stdout') deliver(stdout, frame.data);
    }
  };

  let resolveClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  const endOutputs = (): void => {
    if (!stdout.writableEnded) stdout.end();
    if (!stderr.writableEnded) stderr.end();
  };
  const onAbort = (): void => {
    socket.destroy();
  };
  // The process ended output: nothing more will come, even while our stdin half stays open.
  socket.on('end', () => {
    endOutputs();
    // Our write half may still be open; with nothing left to read, the connection is done.
    if (!socket.writableEnded) socket.end();
  });
  socket.on('error', () => {
    // Reported as the end of the streams (the socket closes right after); callers learn the exit status from inspect.
  });
  socket.on('close', () => {
    endOutputs();
    signal?.removeEventListener('abort', onAbort);
    resolveClosed();
  });
  signal?.addEventListener('abort', onAbort, { once: true });

  const stdin = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      // Input for a process that is gone is dropped, not an error: the exit shows up on the output side.
      if (socket.destroyed || socket.writableEnded) return callback();
      socket.write(chunk, () => callback());
    },
    final(callback) {
      if (!socket.destroyed && !socket.writableEnded) socket.end();
      callback();
    },
  });
  stdin.on('error', () => undefined);

  if (initial.length > 0) onData(initial);
  socket.on('data', onData);
  if (blocked.size === 0) socket.resume();
  if (signal?.aborted) socket.destroy();

  return {
    tty,
    stdout,
    stderr,
    stdin,
    closed,
    close(): void {
      socket.destroy();
      endOutputs();
    },
  };
}
