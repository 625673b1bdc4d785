// metrics.k8s.io/v1beta1 (what `kubectl top` reads), served by the apiserver itself instead of an aggregated
// metrics-server: each Ready node's kubelet /stats/summary is fetched in parallel, briefly, and nodes that do not
// answer are left out, as metrics-server leaves out nodes it could not scrape.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isJsonObject, type JsonObject } from '@k8ts/api-machinery';
import { ApiError } from '../api/errors.js';
import type { ApiContext } from '../api/context.js';
import { sendObject } from '../http/respond.js';
import { nodeEndpoint, type KubeletClient } from '../kubelet/kubelet-client.js';
import { buildFilter } from '../registry/filter.js';
import { METRICS_GROUP_VERSION } from './discovery.js';
import { cpuQuantity, memoryQuantity } from './quantities.js';

const SUMMARY_TIMEOUT_MS = 3000;
const WINDOW = '10s';

interface Usage {
  cpu?: { usageNanoCores?: number; time?: string };
  memory?: { workingSetBytes?: number; time?: string };
}
interface Summary {
  node?: Usage & { nodeName?: string };
  pods?: Array<Usage & { podRef?: { name?: string; namespace?: string }; containers?: Array<Usage & { name?: string }> }>;
}

function usageOf(u: Usage): JsonObject {
  return { cpu: cpuQuantity(u.cpu?.usageNanoCores ?? 0), memory: memoryQuantity(u.memory?.workingSetBytes ?? 0) };
}

function nodeReady(node: JsonObject): boolean {
  const conditions = isJsonObject(node.status) && Array.isArray(node.status.conditions) ? node.status.conditions : [];
  return conditions.some((c) => isJsonObject(c) && c.type === 'Ready' && c.status === 'True');
}

function metaOf(obj: JsonObject): JsonObject {
  const m = (obj.metadata ?? {}) as JsonObject;
  const out: JsonObject = { name: m.name ?? '', creationTimestamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z') };
  if (m.namespace !== undefined) out.namespace = m.namespace;
  if (isJsonObject(m.labels)) out.labels = m.labels;
  return out;
}

async function fetchSummary(kubelet: KubeletClient, ctx: ApiContext, node: JsonObject): Promise<Summary | undefined> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), SUMMARY_TIMEOUT_MS);
  try {
    const target = nodeEndpoint(node, kubelet.config.preferredAddressTypes);
    const res = await kubelet.request(target, { method: 'GET', path: '/stats/summary', signal: abort.signal, timeoutMs: SUMMARY_TIMEOUT_MS });
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Summary;
  } catch (e) {
    ctx.logger.debug({ err: e, node: (node.metadata as JsonObject | undefined)?.name }, 'stats summary unavailable');
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

async function readyNodes(ctx: ApiContext, labelSelector?: string): Promise<JsonObject[]> {
  const nodes = ctx.registryFor('', 'v1', 'nodes');
  const list = await nodes.list(undefined, { filter: buildFilter(nodes.kind, labelSelector, undefined), resourceVersion: '0' });
  return list.items.filter(nodeReady);
}

function notFound(resource: string, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${resource}.metrics.k8s.io "${name}" not found`, { name, group: 'metrics.k8s.io', kind: resource });
}

function nodeMetrics(node: JsonObject, summary: Summary): JsonObject {
  const usage = summary.node ?? {};
  return {
    kind: 'NodeMetrics',
    apiVersion: METRICS_GROUP_VERSION,
    metadata: metaOf(node),
    timestamp: usage.cpu?.time ?? new Date().toISOString(),
    window: WINDOW,
    usage: usageOf(usage),
  };
}

type Query = { labelSelector?: string };

export function metricsApiRoutes(ctx: ApiContext, kubelet: KubeletClient) {
  const nodeList = async (req: FastifyRequest<{ Querystring: Query }>, reply: FastifyReply): Promise<void> => {
    const nodes = await readyNodes(ctx, req.query.labelSelector);
    const summaries = await Promise.all(nodes.map((n) => fetchSummary(kubelet, ctx, n)));
    const items = nodes.flatMap((n, i) => (summaries[i] ? [nodeMetrics(n, summaries[i])] : []));
    sendObject(reply, 200, { kind: 'NodeMetricsList', apiVersion: METRICS_GROUP_VERSION, metadata: {}, items });
  };
  const nodeItem = async (req: FastifyRequest<{ Params: { name: string } }>, reply: FastifyReply): Promise<void> => {
    const node = await ctx.registryFor('', 'v1', 'nodes').get(undefined, req.params.name).catch(() => undefined);
    if (!node) throw notFound('nodemetrics', req.params.name);
    const summary = await fetchSummary(kubelet, ctx, node);
    if (!summary) throw notFound('nodemetrics', req.params.name);
    sendObject(reply, 200, nodeMetrics(node, summary));
  };

  /** PodMetrics of the pods (in `namespace`, or everywhere) that the apiserver knows and a kubelet reported. */
  const podMetrics = async (namespace: string | undefined, labelSelector: string | undefined, name?: string): Promise<JsonObject[]> => {
    const pods = ctx.registryFor('', 'v1', 'pods');
    const list = await pods.list(namespace, { filter: buildFilter(pods.kind, labelSelector, undefined), resourceVersion: '0' });
    const wanted = new Map<string, JsonObject>();
    for (const p of list.items) {
      const m = p.metadata as JsonObject;
      if (name !== undefined && m.name !== name) continue;
      wanted.set(`${String(m.namespace)}/${String(m.name)}`, p);
    }
    if (wanted.size === 0) return [];
    const nodeNames = new Set([...wanted.values()].map((p) => (isJsonObject(p.spec) ? p.spec.nodeName : undefined)).filter((n): n is string => typeof n === 'string' && n !== ''));
    const nodes = (await readyNodes(ctx)).filter((n) => nodeNames.has(String((n.metadata as JsonObject).name)));
    const summaries = await Promise.all(nodes.map((n) => fetchSummary(kubelet, ctx, n)));
    const items: JsonObject[] = [];
    for (const s of summaries) {
      for (const ps of s?.pods ?? []) {
        const pod = wanted.get(`${ps.podRef?.namespace ?? ''}/${ps.podRef?.name ?? ''}`);
        if (!pod) continue;
        items.push({
          kind: 'PodMetrics',
          apiVersion: METRICS_GROUP_VERSION,
          metadata: metaOf(pod),
          timestamp: ps.cpu?.time ?? new Date().toISOString(),
          window: WINDOW,
          containers: (ps.containers ?? []).map((c) => ({ name: c.name ?? '', usage: usageOf(c) })),
        });
      }
    }
    return items;
  };

  return async function plugin(app: FastifyInstance): Promise<void> {
    const base = `/apis/${METRICS_GROUP_VERSION}`;
    app.get(`${base}/nodes`, nodeList);
    app.get(`${base}/nodes/:name`, nodeItem);
    app.get<{ Querystring: Query }>(`${base}/pods`, async (req, reply) => {
      sendObject(reply, 200, { kind: 'PodMetricsList', apiVersion: METRICS_GROUP_VERSION, metadata: {}, items: await podMetrics(undefined, req.query.labelSelector) });
    });
    app.get<{ Params: { namespace: string }; Querystring: Query }>(`${base}/namespaces/:namespace/pods`, async (req, reply) => {
      const items = await podMetrics(req.params.namespace, req.query.labelSelector);
      sendObject(reply, 200, { kind: 'PodMetricsList', apiVersion: METRICS_GROUP_VERSION, metadata: {}, items });
    });
    app.get<{ Params: { namespace: string; name: string } }>(`${base}/namespaces/:namespace/pods/:name`, async (req, reply) => {
      const [item] = await podMetrics(req.params.namespace, undefined, req.params.name);
      if (!item) throw notFound('podmetrics', `${req.params.namespace}/${req.params.name}`);
      sendObject(reply, 200, item);
    });
  };
}
