// OpenAPI v3 documents generated from the same schemas that validate requests: an index and one document per group
// version, with every path and operation carrying x-kubernetes-group-version-kind (kubectl apply/edit validation)
// and the component schemas with descriptions (kubectl explain).
import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { refName, verbsOf, type JsonObject, type KindDefinition, type ResourceRegistry, type Schema, type SchemaRegistry } from '@k8ts/api-machinery';
import { errors } from '../api/errors.js';
import { resourceQuerySchema } from '../http/query.js';
import { SERVER_VERSION } from '../discovery/discovery.js';
import { swaggerDocument } from './openapi-v2.js';
import { openapiV2Endpoint } from './v2-endpoint.js';

const REF = '#/components/schemas/';
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];

function collectComponents(schemas: SchemaRegistry, roots: string[]): Record<string, Schema> {
  const out: Record<string, Schema> = {};
  const visit = (s: Schema | boolean | undefined): void => {
    if (!s || typeof s === 'boolean') return;
    const name = refName(s);
    if (name !== undefined && !out[name] && schemas.has(name)) {
      out[name] = schemas.component(name);
      visit(out[name]);
    }
    for (const p of Object.values(s.properties ?? {})) visit(p);
    visit(s.items);
    visit(s.additionalProperties);
    for (const a of s.allOf ?? []) visit(a);
  };
  for (const r of roots) visit({ $ref: REF + r });
  return out;
}

function withoutDescription(o: JsonObject): JsonObject {
  const { description: _omit, ...rest } = o;
  return rest;
}

function parameters(names: string[]): JsonObject[] {
  const props = resourceQuerySchema.properties as unknown as Record<string, JsonObject>;
  return names.map((n) => ({ name: n, in: 'query', description: String(props[n]?.description ?? ''), schema: withoutDescription(props[n] ?? {}), uniqueItems: true }));
}

function operations(k: KindDefinition, scope: 'collection' | 'item'): JsonObject {
  const gvk = { group: k.group, version: k.version, kind: k.kind };
  const ref = { $ref: REF + k.schema };
  const verbs = new Set(verbsOf(k));
  const op = (action: string, id: string, params: string[], extra: JsonObject = {}): JsonObject => ({
    description: `${action} ${k.kind}`,
    operationId: `${id}${k.kind}`,
    parameters: parameters(params),
    responses: { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvk,
    ...extra,
  });
  const body = (types: string[]): JsonObject => ({ requestBody: { content: Object.fromEntries(types.map((t) => [t, { schema: ref }])) } });
  const out: JsonObject = {};
  if (scope === 'collection') {
    if (verbs.has('list')) out.get = op('list', 'list', ['labelSelector', 'fieldSelector', 'limit', 'continue', 'resourceVersion', 'resourceVersionMatch', 'watch', 'allowWatchBookmarks', 'timeoutSeconds']);
    if (verbs.has('create')) out.post = op('post', 'create', ['dryRun', 'fieldManager', 'fieldValidation'], body(['application/json', 'application/yaml']));
    if (verbs.has('deletecollection')) out.delete = op('deletecollection', 'deleteCollection', ['labelSelector', 'fieldSelector', 'dryRun', 'gracePeriodSeconds', 'propagationPolicy']);
  } else {
    if (verbs.has('get')) out.get = op('get', 'read', []);
    if (verbs.has('update')) out.put = op('put', 'replace', ['dryRun', 'fieldManager', 'fieldValidation'], body(['application/json', 'application/yaml']));
    if (verbs.has('patch')) out.patch = op('patch', 'patch', ['dryRun', 'fieldManager', 'fieldValidation', 'force'], body(PATCH_TYPES));
    if (verbs.has('delete')) out.delete = op('delete', 'delete', ['dryRun', 'gracePeriodSeconds', 'propagationPolicy']);
  }
  return out;
}

export function groupVersionDocument(resources: ResourceRegistry, schemas: SchemaRegistry, group: string, version: string): JsonObject {
  const kinds = resources.inGroupVersion(group, version);
  const base = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  const paths: JsonObject = {};
  for (const k of kinds) {
    const scopePrefix = k.namespaced ? `${base}/namespaces/{namespace}` : base;
    paths[`${scopePrefix}/${k.plural}`] = operations(k, 'collection');
    paths[`${scopePrefix}/${k.plural}/{name}`] = operations(k, 'item');
    if (k.namespaced) paths[`${base}/${k.plural}`] = { get: (operations(k, 'collection') as JsonObject).get ?? {} };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion },
    paths,
    components: { schemas: collectComponents(schemas, kinds.map((k) => k.schema)) as unknown as JsonObject },
  };
}

export function openapiRoutes(resources: ResourceRegistry, schemas: SchemaRegistry) {
  const docs = new Map<string, { body: string; hash: string }>();
  const add = (key: string, group: string, version: string): void => {
    const body = JSON.stringify(groupVersionDocument(resources, schemas, group, version));
    docs.set(key, { body, hash: createHash('sha512').update(body).digest('hex').slice(0, 128).toUpperCase() });
  };
  add('api/v1', '', 'v1');
  for (const g of resources.apiGroups()) for (const v of g.versions) add(`apis/${g.name}/${v}`, g.name, v);
  const index = JSON.stringify({ paths: Object.fromEntries([...docs].map(([k, d]) => [k, { serverRelativeURL: `/openapi/v3/${k}?hash=${d.hash}` }])) });
  // v2: one document for everything, JSON and gnostic protobuf both encoded here, at start-up.
  const v2 = openapiV2Endpoint(swaggerDocument(resources, schemas));

  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get('/openapi/v2', v2);
    app.get('/openapi/v3', async (_req, reply) => reply.header('content-type', 'application/json').send(index));
    app.get<{ Params: { '*': string } }>('/openapi/v3/*', async (req, reply) => {
      const d = docs.get(req.params['*'].replace(/\/$/, ''));
      if (!d) throw errors.pathNotFound();
      return reply.header('content-type', 'application/json').header('etag', `"${d.hash}"`).send(d.body);
    });
  };
}
