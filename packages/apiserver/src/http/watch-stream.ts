// The watch response: 200 and headers flushed at once (kubectl's informers wait for them), then one compact JSON
// event per line, until timeoutSeconds, a client disconnect, or an ERROR event. Slow clients are cut off rather than
// buffered without bound.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { JsonObject } from '@k8ts/api-machinery';
import type { ApiContext } from '../api/context.js';
import { apiVersionOf } from '../registry/body.js';
import type { ObjectFilter } from '../registry/filter.js';
import type { ResolvedRequest } from './resource-routes.js';
import { tableOf } from './respond.js';

/** A watcher whose socket has this much unsent data is too slow and is closed (clients re-watch from their RV). */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const BOOKMARK_INTERVAL_MS = 60_000;
const PRE_TIMEOUT_BOOKMARK_MS = 2_000;

/**
 * One JSON line per (shared event object, type): the registry hands every watcher the same served object for a
 * change, so 1,000 watchers of a pod cost one JSON.stringify, not 1,000.
 */
const encodedLines = new WeakMap<JsonObject, Map<string, string>>();
function encodedEventLine(type: string, object: JsonObject): string {
  let byType = encodedLines.get(object);
  if (!byType) encodedLines.set(object, (byType = new Map()));
  let line = byType.get(type);
  if (line === undefined) byType.set(type, (line = `${JSON.stringify({ type, object })}\n`));
  return line;
}

export async function serveWatch(ctx: ApiContext, r: ResolvedRequest, filter: ObjectFilter, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const res = reply.raw;
  let ended = false;
  let stop: () => void = () => undefined;
  const timers: NodeJS.Timeout[] = [];
  let headersSent = false;
  let lastRv = r.query.resourceVersion ?? '';
  const pending: string[] = [];

  const end = (): void => {
    if (ended) return;
    ended = true;
    stop();
    for (const t of timers) clearTimeout(t);
    ctx.metrics.watchers.inc({ resource: r.kind.plural }, -1);
    if (!res.writableEnded) res.end();
  };
  const write = (line: string): void => {
    if (ended) return;
    if (!headersSent) {
      pending.push(line);
      return;
    }
    res.write(line);
    if (res.writableLength > MAX_BUFFERED_BYTES) {
      ctx.logger.warn({ resource: r.kind.plural }, 'closing a watch whose client does not keep up');
      end();
    }
  };
  let firstTableEvent = true;
  const encode = (type: string, object: JsonObject): string => {
    if (r.format.table) {
      const payload = tableOf(r, [object], { resourceVersion: String((object.metadata as JsonObject | undefined)?.resourceVersion ?? '') }, !firstTableEvent);
      firstTableEvent = false;
      return `${JSON.stringify({ type, object: payload })}\n`;
    }
    return encodedEventLine(type, object);
  };

  // Subscribe first: a bad resourceVersion must still be answered as a normal error response.
  stop = await r.registry.watch(r.info.namespace, r.query.resourceVersion ?? '', filter, {
      event(type, object) {
        lastRv = String((object.metadata as JsonObject | undefined)?.resourceVersion ?? lastRv);
        write(encode(type, object));
      },
      error(status) {
        write(`${JSON.stringify({ type: 'ERROR', object: status })}\n`);
        setImmediate(end);
      },
  });
  reply.hijack();
  ctx.metrics.watchers.inc({ resource: r.kind.plural }, 1);
  req.raw.on('close', end);
  res.on('close', end);
  res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-cache, private', 'transfer-encoding': 'chunked' });
  res.flushHeaders();
  headersSent = true;
  for (const line of pending.splice(0)) write(line);
  if (ended) return;
  // As kube-apiserver: timeoutSeconds if given, else a random 1-2x --min-request-timeout, so that long-lived clients
  // (the JS informer never asks for a timeout) re-watch now and then instead of holding one stream forever.
  const timeoutSeconds = r.query.timeoutSeconds || ctx.minRequestTimeoutSeconds * (1 + Math.random());
  // (Clamped: Node fires a setTimeout beyond 2^31-1 ms at once, which would end a watch asking for a long timeout.)
  if (timeoutSeconds > 0) timers.push(setTimeout(end, Math.min(timeoutSeconds * 1000, 2 ** 31 - 1)));
  if (r.query.allowWatchBookmarks) {
    // As kube-apiserver's cacher: a bookmark every minute, and one 2 s before the watch's deadline, so that a client
    // re-watches from a recent resourceVersion instead of one that may have been compacted meanwhile.
    const deadline = timeoutSeconds > 0 ? Date.now() + timeoutSeconds * 1000 : Infinity;
    const scheduleBookmark = (): void => {
      const next = Math.min(Date.now() + BOOKMARK_INTERVAL_MS, deadline - PRE_TIMEOUT_BOOKMARK_MS);
      if (next <= Date.now()) return;
      timers.push(setTimeout(bookmark, Math.min(next - Date.now(), 2 ** 31 - 1)));
    };
    const bookmark = (): void => {
      const rv = String(r.registry.cache.revision);
      lastRv = rv;
      write(`${JSON.stringify({ type: 'BOOKMARK', object: { kind: r.kind.kind, apiVersion: apiVersionOf(r.kind), metadata: { resourceVersion: rv } } })}\n`);
      scheduleBookmark();
    };
    scheduleBookmark();
  }
}
