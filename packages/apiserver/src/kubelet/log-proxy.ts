// GET .../pods/{name}/log: resolves the container, then streams the kubelet's /containerLogs response back as it
// comes (text/plain), and drops the kubelet request when the client goes away.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors } from '../api/errors.js';
import type { ApiContext } from '../api/context.js';
import { kubeletTargetFor, type KubeletClient } from './kubelet-client.js';
import { resolvePodTarget } from './pod-target.js';

/** PodLogOptions fields the kubelet understands; anything else (pretty, container) stays here. */
const FORWARDED = ['follow', 'previous', 'tailLines', 'sinceSeconds', 'sinceTime', 'timestamps', 'limitBytes'];

function checkInt(q: URLSearchParams, name: string, min: number): void {
  const v = q.get(name);
  if (v === null) return;
  const n = Number(v);
  if (v === '' || !Number.isInteger(n) || n < min) {
    throw errors.invalid('PodLogOptions', '', '', [{ type: 'FieldValueInvalid', field: name, badValue: v, detail: `must be greater than or equal to ${min}` }]);
  }
}

export async function proxyPodLog(
  ctx: ApiContext,
  kubelet: KubeletClient,
  req: FastifyRequest<{ Params: { namespace: string; name: string } }>,
  reply: FastifyReply,
): Promise<void> {
  const query = new URL(req.url, 'http://apiserver.invalid').searchParams;
  checkInt(query, 'tailLines', 0);
  checkInt(query, 'limitBytes', 1);
  checkInt(query, 'sinceSeconds', 1);
  if (query.get('sinceSeconds') !== null && query.get('sinceTime') !== null) throw errors.badRequest('at most one of `sinceTime` or `sinceSeconds` may be specified');
  const { namespace, name } = req.params;
  const previous = query.get('previous') === 'true' || query.get('previous') === '1';
  const target = await resolvePodTarget(ctx, namespace, name, query.get('container'), { needsStarted: true, previous });
  const endpoint = await kubeletTargetFor(ctx, kubelet.config, target.nodeName);
  const forwarded = new URLSearchParams();
  for (const k of FORWARDED) for (const v of query.getAll(k)) forwarded.append(k, v);
  const qs = forwarded.toString();
  const path = `/containerLogs/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}/${encodeURIComponent(target.container)}${qs ? `?${qs}` : ''}`;
  const abort = new AbortController();
  req.raw.once('close', () => abort.abort());
  reply.raw.once('close', () => abort.abort());
  const upstream = await kubelet.request(endpoint, { method: 'GET', path, signal: abort.signal });
  // From here on the response is relayed byte for byte, so fastify's reply is bypassed.
  void reply.hijack();
  const res = reply.raw;
  res.writeHead(upstream.statusCode ?? 502, {
    'content-type': upstream.headers['content-type'] ?? 'text/plain',
    ...(upstream.statusCode === 200 ? { 'cache-control': 'no-cache' } : {}),
  });
  res.flushHeaders();
  upstream.on('data', (chunk: Buffer) => {
    if (!res.write(chunk)) {
      upstream.pause();
      res.once('drain', () => upstream.resume());
    }
  });
  upstream.once('end', () => res.end());
  upstream.once('error', () => res.destroy());
  abort.signal.addEventListener('abort', () => upstream.destroy(), { once: true });
}
