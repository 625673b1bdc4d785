// exec and attach over a WebSocket: the session's stdout/stderr become channel 1/2 messages, channel 0 feeds stdin,
// channel 4 resizes the terminal, v5's close message ends stdin; when the process ends, the exit status goes on
// channel 3 and the socket closes.
import type { Readable } from 'node:stream';
import type { WebSocket, RawData } from 'ws';
import type { Logger } from '@k8ts/observability';
import {
  closedStream,
  decodeFrame,
  encodeFrame,
  ERROR,
  exitMessage,
  parseResize,
  RESIZE,
  STDERR,
  STDIN,
  STDOUT,
  type ChannelProtocol,
} from './channel-protocol.js';
import { queryBool } from './paths.js';
import type { StreamOptions, StreamSession } from './streaming-runtime.js';

/** How long after the process ended its output may still drain before the status is sent anyway. */
const OUTPUT_DRAIN_MS = 5000;
/** Above this many queued bytes on the socket, the process's output is paused until the client catches up. */
const HIGH_WATER_BYTES = 1 << 20;

export interface StreamRequest {
  options: StreamOptions;
  command: string[];
}

/** The query of /exec or /attach; a message when it is not acceptable (Kubernetes' messages). */
export function parseStreamQuery(q: URLSearchParams, needsCommand: boolean): StreamRequest | string {
  const tty = queryBool(q, 'tty');
  const options: StreamOptions = {
    stdin: queryBool(q, 'stdin') || queryBool(q, 'input'),
    stdout: queryBool(q, 'stdout') || queryBool(q, 'output'),
    // Kubernetes drops stderr with a tty instead of refusing: a terminal has only one output.
    stderr: (queryBool(q, 'stderr') || queryBool(q, 'error')) && !tty,
    tty,
  };
  if (!options.stdin && !options.stdout && !options.stderr) return 'you must specify at least 1 of stdin, stdout, stderr';
  const command = q.getAll('command');
  if (needsCommand && command.length === 0) return 'you must specify at least one command for the container';
  return { options, command };
}

function forward(ws: WebSocket, protocol: ChannelProtocol, channel: number, stream: Readable | undefined): Promise<void> {
  if (!stream) return Promise.resolve();
  return new Promise((resolve) => {
    stream.on('data', (chunk: Buffer | string) => {
      if (ws.readyState !== ws.OPEN) return;
      ws.send(encodeFrame(protocol, channel, typeof chunk === 'string' ? Buffer.from(chunk) : chunk), () => {
        if (ws.bufferedAmount < HIGH_WATER_BYTES && stream.isPaused()) stream.resume();
      });
      if (ws.bufferedAmount >= HIGH_WATER_BYTES) stream.pause();
    });
    stream.once('end', () => resolve());
    stream.once('close', () => resolve());
    stream.once('error', () => resolve());
  });
}

/** Runs one exec/attach session on an open WebSocket until the process ends or the client leaves. */
export function runStreamSession(ws: WebSocket, protocol: ChannelProtocol, session: StreamSession, logger: Logger): void {
  let finished = false;
  ws.on('message', (data: RawData, isBinary: boolean) => {
    const raw = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    const frame = decodeFrame(protocol, isBinary ? raw : raw.toString('utf8'));
    if (!frame) return;
    if (frame.channel === STDIN) {
      if (session.stdin && !session.stdin.writableEnded && frame.payload.length > 0) session.stdin.write(frame.payload);
      return;
    }
    if (frame.channel === RESIZE && protocol.version >= 3) {
      const size = parseResize(frame.payload);
      if (size) session.resize(size).catch((e: unknown) => logger.debug({ err: e }, 'resize failed'));
      return;
    }
    if (protocol.version >= 5 && closedStream(frame) === STDIN) session.stdin?.end();
  });
  ws.on('close', () => {
    if (finished) return;
    // The client went away before the process ended: nobody can read its output any more.
    finished = true;
    session.stdin?.end();
    session.close();
  });
  // A stdin write after the process exited fails with EPIPE; that is not the session's failure.
  session.stdin?.on('error', (e: Error) => logger.debug({ err: e }, 'stdin closed'));

  const outputs = Promise.all([forward(ws, protocol, STDOUT, session.stdout), forward(ws, protocol, STDERR, session.stderr)]);
  session.done
    .then(
      async ({ exitCode }) => {
        // Output written just before the exit may still be in flight: let it drain (bounded) before the status.
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([outputs, new Promise((r) => (timer = setTimeout(r, OUTPUT_DRAIN_MS)))]);
        clearTimeout(timer);
        return exitMessage(protocol, exitCode);
      },
      (e: unknown) => exitMessage(protocol, null, e instanceof Error ? e.message : String(e)),
    )
    .then((message) => {
      if (finished || ws.readyState !== ws.OPEN) return;
      finished = true;
      if (message !== undefined) ws.send(encodeFrame(protocol, ERROR, message));
      ws.close(1000);
    })
    .catch((e: unknown) => logger.warn({ err: e }, 'stream session failed'));
}
