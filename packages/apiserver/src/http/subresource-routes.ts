// Subresources: status (spec and status written separately), scale (autoscaling/v1 Scale over a workload's
// replicas), pods/binding (the scheduler's bind), pods/eviction (drain, honouring PodDisruptionBudgets) and
// namespaces/finalize.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cloneJson, isJsonObject, labelSelectorFromObject, type JsonObject, type JsonValue, type KindDefinition } from '@k8ts/api-machinery';
import { errors, ApiError } from '../api/errors.js';
import type { ApiContext } from '../api/context.js';
import { decodeBody } from '../registry/body.js';
import { buildFilter } from '../registry/filter.js';
import { metadataOf, nowTimestamp } from '../registry/object-meta.js';
import { parseDeleteOptions } from '../registry/delete-options.js';
import { parseObjectBody, parsePatchBody } from './body.js';
import { fieldValidationOf, isDryRun } from './query.js';
import { applyPatch, type ResolvedRequest } from './resource-routes.js';
import { sendObject, sendWarnings } from './respond.js';

const SCALE_KIND: KindDefinition = {
  group: 'autoscaling',
  version: 'v1',
  kind: 'Scale',
  plural: 'scale',
  singular: 'scale',
  namespaced: true,
  schema: 'io.k8s.api.autoscaling.v1.Scale',
};

function getPath(obj: JsonObject, path: string): JsonValue | undefined {
  let cur: JsonValue | undefined = obj;
  for (const p of path.split('.')) cur = isJsonObject(cur) ? cur[p] : undefined;
  return cur;
}

function setPath(obj: JsonObject, path: string, value: JsonValue): void {
  const parts = path.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) {
    if (!isJsonObject(cur[p])) cur[p] = {};
    cur = cur[p] as JsonObject;
  }
  cur[parts[parts.length - 1]!] = value;
}

/** The label selector of a workload as the string form Scale.status.selector carries. */
function selectorString(sel: JsonValue | undefined): string {
  if (!isJsonObject(sel)) return '';
  if (!('matchLabels' in sel) && !('matchExpressions' in sel)) {
    // ReplicationController: a plain label map.
    return Object.entries(sel).map(([k, v]) => `${k}=${String(v)}`).sort().join(',');
  }
  try {
    return labelSelectorFromObject(sel).toString();
  } catch {
    return '';
  }
}

function toScale(kind: KindDefinition, obj: JsonObject): JsonObject {
  const scale = kind.scale!;
  const meta = metadataOf(obj);
  const m: JsonObject = {};
  for (const f of ['name', 'namespace', 'uid', 'resourceVersion', 'creationTimestamp']) if (meta[f] !== undefined) m[f] = meta[f]!;
  const specReplicas = getPath(obj, scale.specReplicasPath);
  const statusReplicas = getPath(obj, scale.statusReplicasPath);
  const status: JsonObject = { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0 };
  const sel = selectorString(getPath(obj, scale.labelSelectorPath));
  if (sel) status.selector = sel;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: m,
    spec: typeof specReplicas === 'number' ? { replicas: specReplicas } : {},
    status,
  };
}

export async function handleSubresource(ctx: ApiContext, r: ResolvedRequest, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const { kind, registry, info, query } = r;
  const sub = info.subresource!;
  const name = info.name;
  if (name === undefined) throw errors.pathNotFound();
  const dryRun = isDryRun(query);

  if (sub === 'status' && kind.statusSubresource) {
    if (req.method === 'GET') return sendObject(reply, 200, await registry.get(info.namespace, name));
    if (req.method === 'PUT') {
      const body = parseObjectBody(req.headers['content-type'], req.body as Buffer | undefined);
      const decoded = decodeBody(ctx.schemas, kind, body.value, fieldValidationOf(query), body.duplicates);
      const result = await registry.update(info.namespace, name, () => cloneJson(decoded.object), { dryRun, subresource: 'status' });
      sendWarnings(reply, decoded.warnings);
      return sendObject(reply, 200, result.object);
    }
    if (req.method === 'PATCH') {
      const { type, body } = parsePatchBody(req.headers['content-type'], req.body as Buffer | undefined);
      const result = await registry.update(
        info.namespace,
        name,
        (current) => decodeBody(ctx.schemas, kind, applyPatch(ctx, kind, type, current, body.value, name, info.namespace), fieldValidationOf(query)).object,
        { dryRun, subresource: 'status' },
      );
      return sendObject(reply, 200, result.object);
    }
    throw errors.methodNotAllowed();
  }

  if (sub === 'scale' && kind.scale) {
    const scalePaths = kind.scale;
    if (req.method === 'GET') return sendObject(reply, 200, toScale(kind, await registry.get(info.namespace, name)));
    if (req.method !== 'PUT' && req.method !== 'PATCH') throw errors.methodNotAllowed();
    let requested: JsonObject | undefined;
    let patch: { type: 'json' | 'merge' | 'strategic' | 'apply'; value: JsonValue } | undefined;
    if (req.method === 'PUT') {
      const body = parseObjectBody(req.headers['content-type'], req.body as Buffer | undefined);
      requested = decodeBody(ctx.schemas, kind, body.value, fieldValidationOf(query), body.duplicates, {
        kind: 'Scale',
        apiVersion: 'autoscaling/v1',
        schema: SCALE_KIND.schema,
      }).object;
    } else {
      const p = parsePatchBody(req.headers['content-type'], req.body as Buffer | undefined);
      patch = { type: p.type, value: p.body.value };
    }
    const result = await registry.update(
      info.namespace,
      name,
      (current) => {
        if (!current) throw errors.notFound(registry.target, name);
        const currentScale = toScale(kind, current);
        const scale = requested ?? applyPatch(ctx, SCALE_KIND, patch!.type, currentScale, patch!.value, name, info.namespace);
        const replicas = isJsonObject(scale.spec) ? scale.spec.replicas : undefined;
        if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)) {
          throw errors.invalid('Scale', 'autoscaling', name, [
            { type: 'FieldValueInvalid', field: 'spec.replicas', badValue: replicas ?? null, detail: 'must be greater than or equal to 0' },
          ]);
        }
        const next = cloneJson(current);
        setPath(next, scalePaths.specReplicasPath, typeof replicas === 'number' ? replicas : 0);
        const rv = isJsonObject(scale.metadata) ? scale.metadata.resourceVersion : undefined;
        if (typeof rv === 'string' && rv !== '') metadataOf(next).resourceVersion = rv;
        return next;
      },
      { dryRun },
    );
    return sendObject(reply, 200, toScale(kind, result.object));
  }

  if (kind.group === '' && kind.plural === 'pods' && sub === 'binding' && req.method === 'POST') {
    const body = parseObjectBody(req.headers['content-type'], req.body as Buffer | undefined);
    const binding = isJsonObject(body.value) ? body.value : {};
    const target = isJsonObject(binding.target) ? binding.target : {};
    const node = typeof target.name === 'string' ? target.name : '';
    if (!node) {
      throw errors.invalid('Binding', '', name, [{ type: 'FieldValueRequired', field: 'target.name' }]);
    }
    await registry.update(
      info.namespace,
      name,
      (current) => {
        if (!current) throw errors.notFound(registry.target, name);
        const spec = isJsonObject(current.spec) ? current.spec : (current.spec = {});
        const meta = metadataOf(current);
        if (meta.deletionTimestamp !== undefined) throw errors.conflict(registry.target, name, 'pod is being deleted, cannot be assigned to a host');
        if (typeof spec.nodeName === 'string' && spec.nodeName !== '') {
          throw errors.conflict(registry.target, name, `pod ${name} is already assigned to node "${spec.nodeName}"`);
        }
        spec.nodeName = node;
        const bindingMeta = isJsonObject(binding.metadata) ? binding.metadata : {};
        if (isJsonObject(bindingMeta.annotations)) meta.annotations = { ...(isJsonObject(meta.annotations) ? meta.annotations : {}), ...bindingMeta.annotations };
        const status = isJsonObject(current.status) ? current.status : (current.status = {});
        const conditions = Array.isArray(status.conditions) ? status.conditions.filter((c) => !(isJsonObject(c) && c.type === 'PodScheduled')) : [];
        conditions.push({ type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: nowTimestamp() });
        status.conditions = conditions;
        return current;
      },
      { dryRun, internal: true },
    );
    return sendObject(reply, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  }

  if (kind.group === '' && kind.plural === 'pods' && sub === 'eviction' && req.method === 'POST') {
    const body = parseObjectBody(req.headers['content-type'], req.body as Buffer | undefined);
    const eviction = isJsonObject(body.value) ? body.value : {};
    const pod = await registry.get(info.namespace, name);
    await checkDisruptionBudgets(ctx, pod, info.namespace!);
    const opts = parseDeleteOptions(ctx, isJsonObject(eviction.deleteOptions) ? eviction.deleteOptions : undefined, query);
    await registry.delete(info.namespace, name, opts);
    return sendObject(reply, 201, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
  }

  if (kind.group === '' && kind.plural === 'namespaces' && sub === 'finalize' && req.method === 'PUT') {
    const body = parseObjectBody(req.headers['content-type'], req.body as Buffer | undefined);
    const wanted = isJsonObject(body.value) && isJsonObject(body.value.spec) ? body.value.spec.finalizers : undefined;
    const result = await registry.update(
      undefined,
      name,
      (current) => {
        if (!current) throw errors.notFound(registry.target, name);
        const spec = isJsonObject(current.spec) ? current.spec : (current.spec = {});
        if (Array.isArray(wanted) && wanted.length) spec.finalizers = wanted;
        else delete spec.finalizers;
        return current;
      },
      { dryRun, internal: true },
    );
    return sendObject(reply, 200, result.object);
  }

  throw errors.pathNotFound();
}

/** An eviction that would take a PodDisruptionBudget below its allowance is refused with 429, as Kubernetes does. */
async function checkDisruptionBudgets(ctx: ApiContext, pod: JsonObject, namespace: string): Promise<void> {
  const pdbs = ctx.registries.get('policy/v1/poddisruptionbudgets');
  if (!pdbs) return;
  const podLabels = isJsonObject(metadataOf(pod).labels) ? (metadataOf(pod).labels as Record<string, string>) : {};
  const status = isJsonObject(pod.status) ? pod.status : {};
  if (status.phase === 'Succeeded' || status.phase === 'Failed' || status.phase === 'Pending') return;
  const list = await pdbs.list(namespace, { filter: buildFilter(pdbs.kind, undefined, undefined), resourceVersion: '0' });
  for (const pdb of list.items) {
    const spec = isJsonObject(pdb.spec) ? pdb.spec : {};
    if (!isJsonObject(spec.selector)) continue;
    let matches = false;
    try {
      matches = labelSelectorFromObject(spec.selector).matches(podLabels);
    } catch {
      matches = false;
    }
    if (!matches) continue;
    const pdbStatus = isJsonObject(pdb.status) ? pdb.status : {};
    const allowed = typeof pdbStatus.disruptionsAllowed === 'number' ? pdbStatus.disruptionsAllowed : 0;
    if (allowed <= 0) {
      const e = errors.tooManyRequests("Cannot evict pod as it would violate the pod's disruption budget.", 10);
      throw new ApiError(e.code, e.reason, e.message, { ...e.details, causes: [{ reason: 'DisruptionBudget', message: `The disruption budget ${String(metadataOf(pdb).name)} needs ${String(pdbStatus.desiredHealthy ?? 0)} healthy pods and has ${String(pdbStatus.currentHealthy ?? 0)} currently`, field: '' }] }, e.headers);
    }
  }
}
