// Discovery: /version, /api, /apis and the per-group-version resource lists kubectl and client libraries read to
// map kinds to resources. /api and /apis also answer in the aggregated form (apidiscovery.k8s.io/v2) when the client
// asks for it, as kubectl does: two requests instead of one per group-version. The legacy per-GV lists stay (the JS
// client only uses those).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { verbsOf, type JsonObject, type KindDefinition, type ResourceRegistry } from '@k8ts/api-machinery';
import { errors } from '../api/errors.js';
import { sendObject } from '../http/respond.js';
import { METRICS_GROUP, METRICS_VERSION, metricsAggregatedGroup, metricsApiGroup, metricsResourceList } from '../metrics-api/discovery.js';

/** kubectl on these machines picks its binary by the server's minor version: report 1.32. */
export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-k8ts',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-11-23T00:00:00Z',
  goVersion: `node${process.versions.node}`,
  compiler: 'k8ts',
  platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
};

function subresourceEntries(k: KindDefinition): JsonObject[] {
  const out: JsonObject[] = [];
  const base = { singularName: '', namespaced: k.namespaced };
  if (k.statusSubresource) out.push({ name: `${k.plural}/status`, ...base, kind: k.kind, verbs: ['get', 'patch', 'update'] });
  if (k.scale) out.push({ name: `${k.plural}/scale`, ...base, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] });
  if (k.group === '' && k.plural === 'pods') {
    out.push({ name: 'pods/attach', ...base, kind: 'PodAttachOptions', verbs: ['create', 'get'] });
    out.push({ name: 'pods/binding', ...base, kind: 'Binding', verbs: ['create'] });
    out.push({ name: 'pods/eviction', ...base, group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] });
    out.push({ name: 'pods/exec', ...base, kind: 'PodExecOptions', verbs: ['create', 'get'] });
    out.push({ name: 'pods/log', ...base, kind: 'Pod', verbs: ['get'] });
    out.push({ name: 'pods/portforward', ...base, kind: 'PodPortForwardOptions', verbs: ['create', 'get'] });
  }
  if (k.group === '' && k.plural === 'nodes') out.push({ name: 'nodes/proxy', ...base, kind: 'NodeProxyOptions', verbs: ['create', 'delete', 'get', 'patch', 'update'] });
  if (k.group === '' && k.plural === 'serviceaccounts') {
    out.push({ name: 'serviceaccounts/token', ...base, group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] });
  }
  if (k.group === '' && k.plural === 'namespaces') out.push({ name: 'namespaces/finalize', ...base, kind: 'Namespace', verbs: ['update'] });
  return out;
}

export function resourceList(resources: ResourceRegistry, group: string, version: string): JsonObject {
  const entries: JsonObject[] = [];
  for (const k of resources.inGroupVersion(group, version)) {
    const e: JsonObject = { name: k.plural, singularName: k.singular, namespaced: k.namespaced, kind: k.kind, verbs: verbsOf(k) };
    if (k.shortNames?.length) e.shortNames = k.shortNames;
    if (k.categories?.length) e.categories = k.categories;
    entries.push(e, ...subresourceEntries(k));
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group === '' ? version : `${group}/${version}`, resources: entries };
}

/** What kubectl's Accept names first: the aggregated form (v2, or v2beta1 from older clients). */
const AGGREGATED = /application\/json;\s*g=apidiscovery\.k8s\.io;\s*v=(v2|v2beta1);\s*as=APIGroupDiscoveryList/;

function aggregatedVersionOf(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  // The Accept list is in preference order; the first aggregated entry wins.
  for (const part of (accept ?? '').split(',')) {
    const m = AGGREGATED.exec(part.replace(/\s+/g, ''));
    if (m) return m[1] as 'v2' | 'v2beta1';
  }
  return undefined;
}

function discoveryResource(k: KindDefinition): JsonObject {
  const subresources: JsonObject[] = [];
  const kindOf = (group: string, version: string, kind: string): JsonObject => ({ group, version, kind });
  if (k.statusSubresource) subresources.push({ subresource: 'status', responseKind: kindOf(k.group, k.version, k.kind), verbs: ['get', 'patch', 'update'] });
  if (k.scale) subresources.push({ subresource: 'scale', responseKind: kindOf('autoscaling', 'v1', 'Scale'), verbs: ['get', 'patch', 'update'] });
  if (k.group === '' && k.plural === 'pods') {
    subresources.push({ subresource: 'attach', responseKind: kindOf('', 'v1', 'PodAttachOptions'), verbs: ['create', 'get'] });
    subresources.push({ subresource: 'binding', responseKind: kindOf('', 'v1', 'Binding'), verbs: ['create'] });
    subresources.push({ subresource: 'eviction', responseKind: kindOf('policy', 'v1', 'Eviction'), verbs: ['create'] });
    subresources.push({ subresource: 'exec', responseKind: kindOf('', 'v1', 'PodExecOptions'), verbs: ['create', 'get'] });
    subresources.push({ subresource: 'log', responseKind: kindOf('', 'v1', 'Pod'), verbs: ['get'] });
    subresources.push({ subresource: 'portforward', responseKind: kindOf('', 'v1', 'PodPortForwardOptions'), verbs: ['create', 'get'] });
  }
  if (k.group === '' && k.plural === 'nodes') {
    subresources.push({ subresource: 'proxy', responseKind: kindOf('', 'v1', 'NodeProxyOptions'), verbs: ['create', 'delete', 'get', 'patch', 'update'] });
  }
  if (k.group === '' && k.plural === 'serviceaccounts') {
    subresources.push({ subresource: 'token', responseKind: kindOf('authentication.k8s.io', 'v1', 'TokenRequest'), verbs: ['create'] });
  }
  if (k.group === '' && k.plural === 'namespaces') subresources.push({ subresource: 'finalize', responseKind: kindOf('', 'v1', 'Namespace'), verbs: ['update'] });
  const r: JsonObject = {
    resource: k.plural,
    responseKind: kindOf(k.group, k.version, k.kind),
    scope: k.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: k.singular,
    verbs: verbsOf(k),
  };
  if (k.shortNames?.length) r.shortNames = k.shortNames;
  if (k.categories?.length) r.categories = k.categories;
  if (subresources.length) r.subresources = subresources;
  return r;
}

/** APIGroupDiscoveryList for the core group (/api) or every named group (/apis). */
export function aggregatedDiscovery(resources: ResourceRegistry, core: boolean, version: 'v2' | 'v2beta1'): JsonObject {
  const groups = core ? [{ name: '', versions: ['v1'] }] : resources.apiGroups();
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: [
      ...groups.map((g) => ({
        metadata: { name: g.name },
        versions: g.versions.map((v) => ({ version: v, freshness: 'Current', resources: resources.inGroupVersion(g.name, v).map(discoveryResource) })),
      })),
      // metrics.k8s.io is served by the apiserver itself (from the kubelets' stats), not by a registered kind.
      ...(core ? [] : [metricsAggregatedGroup()]),
    ],
  };
}

function apiGroup(name: string, versions: string[]): JsonObject {
  const vs = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: vs, preferredVersion: vs[0]! };
}

export function discoveryRoutes(resources: ResourceRegistry, serverAddress: () => string) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const send = (reply: FastifyReply, body: JsonObject): void => sendObject(reply, 200, body);
    app.get('/version', async (_req, reply) => send(reply, SERVER_VERSION));
    const sendAggregated = (reply: FastifyReply, core: boolean, version: 'v2' | 'v2beta1'): void => {
      // kubectl decides by the Content-Type alone, so it must carry the aggregated media type's parameters.
      void reply
        .code(200)
        .header('content-type', `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`)
        .header('vary', 'Accept')
        .send(JSON.stringify(aggregatedDiscovery(resources, core, version)));
    };
    app.get('/api', async (req, reply) => {
      const aggregated = aggregatedVersionOf(req.headers.accept);
      if (aggregated) return sendAggregated(reply, true, aggregated);
      send(reply, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: serverAddress() }] });
    });
    app.get('/apis', async (req, reply) => {
      const aggregated = aggregatedVersionOf(req.headers.accept);
      if (aggregated) return sendAggregated(reply, false, aggregated);
      send(reply, { kind: 'APIGroupList', apiVersion: 'v1', groups: [...resources.apiGroups().map((g) => apiGroup(g.name, g.versions)), metricsApiGroup()] });
    });
    app.get('/api/v1', async (_req, reply) => send(reply, resourceList(resources, '', 'v1')));
    app.get<{ Params: { group: string } }>('/apis/:group', async (req, reply) => {
      if (req.params.group === METRICS_GROUP) return send(reply, { kind: 'APIGroup', apiVersion: 'v1', ...metricsApiGroup() });
      const g = resources.apiGroups().find((x) => x.name === req.params.group);
      if (!g) throw errors.pathNotFound();
      send(reply, { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(g.name, g.versions) });
    });
    app.get<{ Params: { group: string; version: string } }>('/apis/:group/:version', async (req, reply) => {
      if (req.params.group === METRICS_GROUP && req.params.version === METRICS_VERSION) return send(reply, metricsResourceList());
      if (!resources.hasGroupVersion(req.params.group, req.params.version)) throw errors.pathNotFound();
      send(reply, resourceList(resources, req.params.group, req.params.version));
    });
  };
}
