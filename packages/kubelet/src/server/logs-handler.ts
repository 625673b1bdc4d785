// GET /containerLogs/{ns}/{pod}/{container}: the runtime's log stream as text/plain, chunk by chunk, ended when the
// runtime's stream ends or the caller goes away (which aborts the runtime's read).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { errorStatus, sendStatus } from './status.js';
import { queryBool } from './paths.js';
import type { LogOptions, PodRef, StreamingRuntime } from './streaming-runtime.js';

class BadQuery extends Error {}

function nonNegativeInt(q: URLSearchParams, name: string, min: number): number | undefined {
  const v = q.get(name);
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new BadQuery(`invalid ${name} "${v}": must be an integer greater than or equal to ${min}`);
  return n;
}

/** The query as LogOptions, validated as the apiserver validates PodLogOptions. */
export function parseLogOptions(q: URLSearchParams): LogOptions {
  const opts: LogOptions = {};
  if (queryBool(q, 'follow')) opts.follow = true;
  if (queryBool(q, 'timestamps')) opts.timestamps = true;
  if (queryBool(q, 'previous')) opts.previous = true;
  const tailLines = nonNegativeInt(q, 'tailLines', 0);
  if (tailLines !== undefined) opts.tailLines = tailLines;
  const limitBytes = nonNegativeInt(q, 'limitBytes', 1);
  if (limitBytes !== undefined) opts.limitBytes = limitBytes;
  const sinceSeconds = nonNegativeInt(q, 'sinceSeconds', 1);
  if (sinceSeconds !== undefined) opts.sinceSeconds = sinceSeconds;
  const sinceTime = q.get('sinceTime');
  if (sinceTime) {
    if (Number.isNaN(Date.parse(sinceTime))) throw new BadQuery(`invalid sinceTime "${sinceTime}": must be an RFC 3339 time`);
    opts.sinceTime = sinceTime;
  }
  if (opts.sinceSeconds !== undefined && opts.sinceTime !== undefined) throw new BadQuery('at most one of sinceTime or sinceSeconds may be specified');
  return opts;
}

export async function serveLogs(
  runtime: StreamingRuntime,
  pod: PodRef,
  container: string,
  query: URLSearchParams,
  res: ServerResponse,
  req: IncomingMessage,
): Promise<void> {
  let options: LogOptions;
  try {
    options = parseLogOptions(query);
  } catch (e) {
    if (e instanceof BadQuery) return sendStatus(res, 400, e.message);
    throw e;
  }
  const abort = new AbortController();
  // 'close' on the response fires when it finished or the connection dropped; either way the runtime may stop.
  res.once('close', () => abort.abort());
  req.once('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  let logs: Readable;
  try {
    logs = await runtime.logs(pod, container, options, abort.signal);
  } catch (e) {
    const { code, message } = errorStatus(e);
    return sendStatus(res, code, message);
  }
  if (abort.signal.aborted) {
    logs.destroy();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/plain', 'cache-control': 'no-cache' });
  // Headers go out now: a follower sees the 200 before the first line arrives.
  res.flushHeaders();
  let remaining = options.limitBytes ?? Infinity;
  const finish = (): void => {
    logs.destroy();
    if (!res.writableEnded) res.end();
  };
  logs.on('data', (chunk: Buffer | string) => {
    let buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (buf.length > remaining) buf = buf.subarray(0, remaining);
    remaining -= buf.length;
    // Each chunk is written as it comes (one HTTP chunk); a slow reader pauses the runtime's stream.
    if (!res.write(buf)) {
      logs.pause();
      res.once('drain', () => logs.resume());
    }
    if (remaining <= 0) finish();
  });
  logs.once('end', finish);
  logs.once('error', () => {
    // Mid-stream there is no way to send a Status any more: cut the chunked body short so the caller sees an error.
    res.destroy();
  });
  abort.signal.addEventListener('abort', () => logs.destroy(), { once: true });
}
