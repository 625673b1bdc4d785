// The resource endpoints: one fastify plugin that routes /api/v1/... and /apis/{group}/{version}/... to the
// generic registries, subresources and the watch stream, with Kubernetes' verbs, status codes and bodies.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  applyJsonPatch,
  applyMergePatch,
  applyServerSideApply,
  applyStrategicMergePatch,
  cloneJson,
  isJsonObject,
  PatchError,
  type JsonObject,
  type JsonValue,
  type KindDefinition,
  verbsOf,
} from '@k8ts/api-machinery';
import { ApiError, errors } from '../api/errors.js';
import type { ApiContext } from '../api/context.js';
import { apiVersionOf, decodeBody } from '../registry/body.js';
import { buildFilter } from '../registry/filter.js';
import type { GenericRegistry } from '../registry/generic-registry.js';
import { parseDeleteOptions } from '../registry/delete-options.js';
import { parseObjectBody, parseOptionalBody, parsePatchBody } from './body.js';
import { negotiate, type ResponseFormat } from './negotiation.js';
import { fieldValidationOf, isDryRun, resourceQuerySchema, type ResourceQuery } from './query.js';
import { parseResourcePath, type ResourceRequest } from './request-info.js';
import { sendObject, sendTable, sendWarnings } from './respond.js';
import { serveWatch } from './watch-stream.js';
import { handleSubresource } from './subresource-routes.js';

type Req = FastifyRequest<{ Params: { group?: string; version?: string; '*': string }; Querystring: ResourceQuery }>;

export interface ResolvedRequest {
  kind: KindDefinition;
  registry: GenericRegistry;
  info: ResourceRequest;
  query: ResourceQuery;
  format: ResponseFormat;
}

export function resourceRoutes(ctx: ApiContext) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    const handler = async (req: Req, reply: FastifyReply): Promise<void> => {
      const group = req.params.group ?? '';
      const version = req.params.version ?? 'v1';
      const info = parseResourcePath(req.params['*']);
      if (!info) throw errors.pathNotFound();
      const kind = ctx.resources.lookup(group, version, info.resource);
      if (!kind) throw errors.pathNotFound();
      if (!kind.namespaced && info.namespace !== undefined) throw errors.pathNotFound();
      const registry = ctx.registries.get(`${group}/${version}/${info.resource}`)!;
      const r: ResolvedRequest = { kind, registry, info, query: req.query, format: negotiate(req.headers.accept) };
      await ctx.authorize(req, r);
      if (info.subresource) return handleSubresource(ctx, r, req, reply);
      if (info.name === undefined) return collection(r, req, reply);
      return item(r, req, reply);
    };

    const collection = async (r: ResolvedRequest, req: Req, reply: FastifyReply): Promise<void> => {
      const { registry, info, query } = r;
      switch (req.method) {
        case 'GET': {
          const filter = buildFilter(r.kind, query.labelSelector, query.fieldSelector);
          if (query.watch || info.legacyWatch) return serveWatch(ctx, r, filter, req, reply);
          const list = await registry.list(info.namespace, {
            filter,
            limit: query.limit,
            continueToken: query.continue,
            resourceVersion: query.resourceVersion ?? '',
            resourceVersionMatch: query.resourceVersionMatch || undefined,
          });
          if (r.format.table) {
            return sendTable(reply, r, list.items, { resourceVersion: list.resourceVersion, continue: list.continueToken, remainingItemCount: list.remainingItemCount });
          }
          const metadata: JsonObject = { resourceVersion: list.resourceVersion };
          if (list.continueToken) metadata.continue = list.continueToken;
          if (list.remainingItemCount !== undefined) metadata.remainingItemCount = list.remainingItemCount;
          return sendObject(reply, 200, { kind: `${r.kind.kind}List`, apiVersion: apiVersionOf(r.kind), metadata, items: list.items });
        }
        case 'POST': {
          const body = parseObjectBody(req.headers['content-type'], req.body as Buffer | undefined);
          const decoded = decodeBody(ctx.schemas, r.kind, body.value, fieldValidationOf(query), body.duplicates);
          const created = await registry.create(info.namespace, decoded.object, { dryRun: isDryRun(query) });
          sendWarnings(reply, decoded.warnings);
          return sendObject(reply, 201, created);
        }
        case 'DELETE': {
          // Namespaces and Services have no deletecollection in Kubernetes (a mistyped selector must not empty them).
          if (!verbsOf(r.kind).includes('deletecollection')) throw errors.methodNotAllowed();
          const opts = parseDeleteOptions(ctx, parseOptionalBody(req.headers['content-type'], req.body as Buffer | undefined), query);
          const filter = buildFilter(r.kind, query.labelSelector, query.fieldSelector);
          const list = await registry.list(info.namespace, { filter, resourceVersion: '' });
          const deleted: JsonObject[] = [];
          for (const obj of list.items) {
            const name = String((obj.metadata as JsonObject).name);
            try {
              deleted.push((await registry.delete(info.namespace, name, opts)).object);
            } catch (e) {
              if (!(e instanceof ApiError && e.code === 404)) throw e;
            }
          }
          return sendObject(reply, 200, { kind: `${r.kind.kind}List`, apiVersion: apiVersionOf(r.kind), metadata: { resourceVersion: list.resourceVersion }, items: deleted });
        }
        default:
          throw errors.methodNotAllowed();
      }
    };

    const item = async (r: ResolvedRequest, req: Req, reply: FastifyReply): Promise<void> => {
      const { registry, info, query } = r;
      const name = info.name!;
      switch (req.method) {
        case 'GET': {
          const obj = await registry.get(info.namespace, name, query.resourceVersion ?? '');
          if (r.format.table) return sendTable(reply, r, [obj], { resourceVersion: String((obj.metadata as JsonObject).resourceVersion ?? '') });
          return sendObject(reply, 200, obj);
        }
        case 'PUT': {
          const body = parseObjectBody(req.headers['content-type'], req.body as Buffer | undefined);
          const decoded = decodeBody(ctx.schemas, r.kind, body.value, fieldValidationOf(query), body.duplicates);
          const result = await registry.update(info.namespace, name, () => cloneJson(decoded.object), {
            dryRun: isDryRun(query),
            createIfMissing: r.kind.kind === 'Endpoints' || r.kind.kind === 'Lease',
          });
          sendWarnings(reply, decoded.warnings);
          return sendObject(reply, result.created ? 201 : 200, result.object);
        }
        case 'PATCH': {
          const { type, body } = parsePatchBody(req.headers['content-type'], req.body as Buffer | undefined);
          const warnings: string[] = [];
          const result = await registry.update(
            info.namespace,
            name,
            (current) => {
              const patched = applyPatch(ctx, r.kind, type, current, body.value, name, info.namespace);
              const decoded = decodeBody(ctx.schemas, r.kind, patched, fieldValidationOf(query), body.duplicates);
              warnings.splice(0, warnings.length, ...decoded.warnings);
              return decoded.object;
            },
            { dryRun: isDryRun(query), createIfMissing: type === 'apply' },
          );
          sendWarnings(reply, warnings);
          return sendObject(reply, result.created ? 201 : 200, result.object);
        }
        case 'DELETE': {
          const optsBody = parseOptionalBody(req.headers['content-type'], req.body as Buffer | undefined);
          const opts = parseDeleteOptions(ctx, optsBody, query);
          const result = await registry.delete(info.namespace, name, opts);
          if (result.deleted && !registry.returnsObjectOnDelete) {
            const meta = result.object.metadata as JsonObject;
            const details: JsonObject = { name, kind: r.kind.plural, uid: String(meta.uid ?? '') };
            if (r.kind.group) details.group = r.kind.group;
            return sendObject(reply, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details });
          }
          const accepted = !result.deleted && opts.propagationPolicy !== undefined && opts.propagationPolicy !== 'Orphan' && !registry.returnsObjectOnDelete;
          return sendObject(reply, accepted ? 202 : 200, result.object);
        }
        default:
          throw errors.methodNotAllowed();
      }
    };

    const opts = { schema: { querystring: resourceQuerySchema } };
    app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/api/v1/*', ...opts, handler });
    app.route({ method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'], url: '/apis/:group/:version/*', ...opts, handler });
  };
}

/** Applies a patch of the given type to the current object (undefined only for apply-patch creating it). */
export function applyPatch(
  ctx: ApiContext,
  kind: KindDefinition,
  type: 'json' | 'merge' | 'strategic' | 'apply',
  current: JsonObject | undefined,
  patch: JsonValue,
  name: string,
  namespace: string | undefined,
): JsonObject {
  try {
    if (type === 'apply') {
      if (!isJsonObject(patch)) throw errors.badRequest('apply patch must be an object');
      if (!current) {
        const created = cloneJson(patch);
        const meta = isJsonObject(created.metadata) ? created.metadata : (created.metadata = {});
        if (meta.name === undefined) meta.name = name;
        if (kind.namespaced && meta.namespace === undefined && namespace !== undefined) meta.namespace = namespace;
        return created;
      }
      return applyServerSideApply(current, patch, ctx.patchMeta(kind));
    }
    if (!current) throw errors.notFound({ group: kind.group, resource: kind.plural }, name);
    if (type === 'json') {
      const result = applyJsonPatch(current, patch);
      if (!isJsonObject(result)) throw errors.badRequest('the patched document is not an object');
      return result;
    }
    if (!isJsonObject(patch)) throw errors.badRequest(`cannot apply a ${type} patch that is not an object`);
    if (type === 'merge') {
      const result = applyMergePatch(current, patch);
      if (!isJsonObject(result)) throw errors.badRequest('the patched document is not an object');
      return result;
    }
    return applyStrategicMergePatch(current, patch, ctx.patchMeta(kind));
  } catch (e) {
    if (e instanceof PatchError) {
      if (e.status === 400) throw errors.badRequest(e.message);
      throw new ApiError(422, 'Invalid', e.message);
    }
    throw e;
  }
}
