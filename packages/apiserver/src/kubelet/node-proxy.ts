// /api/v1/nodes/{name}/proxy/{path}: any method relayed to the node's kubelet as plain HTTP (status, headers, body).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiContext } from '../api/context.js';
import { kubeletTargetFor, type KubeletClient } from './kubelet-client.js';

/** Hop-by-hop and credential headers that must not be relayed. */
const DROPPED = new Set(['host', 'connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'authorization', 'proxy-authorization', 'te', 'trailer', 'content-length']);

export async function proxyNode(
  ctx: ApiContext,
  kubelet: KubeletClient,
  req: FastifyRequest<{ Params: { name: string; '*'?: string } }>,
  reply: FastifyReply,
): Promise<void> {
  const endpoint = await kubeletTargetFor(ctx, kubelet.config, req.params.name);
  const search = req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
  const path = `/${req.params['*'] ?? ''}${search}`;
  const headers: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !DROPPED.has(k)) headers[k] = v;
  const body = Buffer.isBuffer(req.body) ? req.body : undefined;
  if (body) headers['content-length'] = String(body.length);
  const abort = new AbortController();
  reply.raw.once('close', () => abort.abort());
  const upstream = await kubelet.request(endpoint, { method: req.method, path, headers, signal: abort.signal, ...(body ? { body } : {}) });
  void reply.hijack();
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(upstream.headers)) if (v !== undefined && !DROPPED.has(k)) out[k] = v;
  reply.raw.writeHead(upstream.statusCode ?? 502, out);
  upstream.pipe(reply.raw);
  upstream.once('error', () => reply.raw.destroy());
}
