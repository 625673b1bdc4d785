// A typed handle on one resource, optionally bound to a namespace:
//   client.resource<Pod>(refs.pods).namespace('ns').get('web-0')
// Every call takes an optional AbortSignal and timeout; errors are ApiError / NetworkError (see ../errors.ts).
import type {
  Binding,
  DeleteOptions,
  Eviction,
  JsonPatchOperation,
  KubeObject,
  ListOf,
  Scale,
  Status,
} from '../types.js';
import { WatchStream } from '../watch/watch.js';
import { qualifiedResourceName, resourcePath, type ResourceRef } from './resources.js';
import type { QueryValue, RestClient } from './rest-client.js';

export interface CallOptions {
  signal?: AbortSignal | undefined;
  /** Overrides the client's request timeout. */
  timeoutMs?: number | undefined;
}

export interface WriteOptions extends CallOptions {
  /** Validate and default, but do not persist (dryRun=All). */
  dryRun?: boolean | undefined;
  fieldManager?: string | undefined;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore' | undefined;
}

/** A label selector as text ("app=web,tier!=db") or as required label values ({app: 'web'}). */
export type LabelSelectorInput = string | Record<string, string>;

export interface ListOptions extends CallOptions {
  labelSelector?: LabelSelectorInput | undefined;
  fieldSelector?: string | undefined;
  /** Page size; follow `metadata.continue` (or use listAll). */
  limit?: number | undefined;
  continue?: string | undefined;
  resourceVersion?: string | undefined;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan' | undefined;
}

export interface WatchOptions {
  labelSelector?: LabelSelectorInput | undefined;
  fieldSelector?: string | undefined;
  /** Events after this version; '' or absent: the current state as ADDED events first. */
  resourceVersion?: string | undefined;
  allowWatchBookmarks?: boolean | undefined;
  /** The server ends the watch after this long. */
  timeoutSeconds?: number | undefined;
  signal?: AbortSignal | undefined;
  /** Treat the connection as dead after this long without a byte (default: timeoutSeconds + 30 s, else never). */
  idleTimeoutMs?: number | undefined;
}

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface PatchOptions extends WriteOptions {
  /** For apply patches: take over fields other managers own. */
  force?: boolean | undefined;
}

export type PatchBody<T> = JsonPatchOperation[] | Partial<T> | Record<string, unknown>;

export interface DeleteCallOptions extends CallOptions, Omit<DeleteOptions, 'dryRun'> {
  dryRun?: boolean | undefined;
}

export interface ApplyOptions extends CallOptions {
  fieldManager: string;
  force?: boolean | undefined;
  dryRun?: boolean | undefined;
}

export function labelSelectorString(selector: LabelSelectorInput | undefined): string | undefined {
  if (selector === undefined) return undefined;
  if (typeof selector === 'string') return selector || undefined;
  const parts = Object.entries(selector).map(([k, v]) => `${k}=${v}`);
  return parts.length ? parts.join(',') : undefined;
}

/** Calls on one subresource of one object (pods/binding, deployments/scale, .../status). */
export interface SubresourceClient {
  get<R>(opts?: CallOptions): Promise<R>;
  create<R>(body: unknown, opts?: WriteOptions): Promise<R>;
  update<R>(body: unknown, opts?: WriteOptions): Promise<R>;
  patch<R>(type: PatchType, body: unknown, opts?: PatchOptions): Promise<R>;
}

export class ResourceClient<T extends KubeObject> {
  constructor(
    readonly rest: RestClient,
    readonly ref: ResourceRef,
    /** The bound namespace; undefined = all namespaces (lists, watches) or the object's own (writes). */
    readonly boundNamespace?: string,
  ) {
    if (boundNamespace === '') throw new TypeError('an empty namespace: use allNamespaces() for every namespace');
  }

  /** The same resource in one namespace (ignored for cluster-scoped resources). */
  namespace(ns: string): ResourceClient<T> {
    return new ResourceClient<T>(this.rest, this.ref, this.ref.namespaced ? ns : undefined);
  }

  allNamespaces(): ResourceClient<T> {
    return new ResourceClient<T>(this.rest, this.ref);
  }

  /** The collection path for lists and watches (every namespace unless bound). */
  collectionPath(): string {
    return resourcePath(this.ref, this.boundNamespace);
  }

  /** The path of one object (and subresource): needs a namespace for namespaced resources. */
  objectPath(name: string, subresource?: string, objectNamespace?: string): string {
    return resourcePath(this.ref, this.namespaceFor(objectNamespace, name), name, subresource);
  }

  get(name: string, opts: CallOptions & { resourceVersion?: string } = {}): Promise<T> {
    return this.rest.request<T>({ method: 'GET', path: this.objectPath(name), query: { resourceVersion: opts.resourceVersion }, ...call(opts) });
  }

  list(opts: ListOptions = {}): Promise<ListOf<T>> {
    return this.rest.request<ListOf<T>>({ method: 'GET', path: this.collectionPath(), query: listQuery(opts), ...call(opts) });
  }

  /** Every page of a list (pageSize per request); the result carries the first page's resourceVersion. */
  async listAll(opts: Omit<ListOptions, 'continue' | 'limit'> & { pageSize?: number } = {}): Promise<ListOf<T>> {
    const pageSize = opts.pageSize ?? 500;
    const first = await this.list({ ...opts, limit: pageSize });
    const items = [...first.items];
    let token = first.metadata.continue;
    while (token) {
      const page = await this.list({ ...opts, limit: pageSize, continue: token, resourceVersion: undefined, resourceVersionMatch: undefined });
      items.push(...page.items);
      token = page.metadata.continue;
    }
    return { ...first, metadata: { resourceVersion: first.metadata.resourceVersion }, items };
  }

  /** Opens a watch; resolves once the server accepted it (HTTP 200), rejects with ApiError otherwise. */
  async watch(opts: WatchOptions = {}): Promise<WatchStream<T>> {
    const idle = opts.idleTimeoutMs ?? (opts.timeoutSeconds ? (opts.timeoutSeconds + 30) * 1000 : 0);
    const stream = await this.rest.stream({
      path: this.collectionPath(),
      query: {
        watch: 'true',
        labelSelector: labelSelectorString(opts.labelSelector),
        fieldSelector: opts.fieldSelector || undefined,
        resourceVersion: opts.resourceVersion || undefined,
        allowWatchBookmarks: opts.allowWatchBookmarks ? 'true' : undefined,
        timeoutSeconds: opts.timeoutSeconds,
      },
      signal: opts.signal,
      idleTimeoutMs: idle,
    });
    return new WatchStream<T>(stream);
  }

  create(obj: T, opts: WriteOptions = {}): Promise<T> {
    const path = resourcePath(this.ref, this.namespaceFor(obj.metadata?.namespace, obj.metadata?.name ?? obj.metadata?.generateName ?? ''));
    return this.rest.request<T>({ method: 'POST', path, query: writeQuery(opts), body: obj, ...call(opts) });
  }

  /** PUT: fails with 409 Conflict when metadata.resourceVersion is stale. */
  update(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.rest.request<T>({ method: 'PUT', path: this.pathOf(obj), query: writeQuery(opts), body: obj, ...call(opts) });
  }

  /** PUT to the status subresource: only status changes are kept. */
  updateStatus(obj: T, opts: WriteOptions = {}): Promise<T> {
    return this.rest.request<T>({ method: 'PUT', path: this.pathOf(obj, 'status'), query: writeQuery(opts), body: obj, ...call(opts) });
  }

  patch(name: string, type: PatchType, body: PatchBody<T>, opts: PatchOptions = {}): Promise<T> {
    return this.patchAt(this.objectPath(name), type, body, opts);
  }

  patchStatus(name: string, type: PatchType, body: PatchBody<T>, opts: PatchOptions = {}): Promise<T> {
    return this.patchAt(this.objectPath(name, 'status'), type, body, opts);
  }

  /** Server-side apply of `obj` (its apiVersion, kind and metadata.name are required). */
  apply(obj: T, opts: ApplyOptions): Promise<T> {
    const name = obj.metadata?.name;
    if (!name) throw new TypeError('apply needs metadata.name');
    return this.patchAt(this.objectPath(name, undefined, obj.metadata?.namespace), 'apply', obj, opts);
  }

  /** Resolves with the object (still terminating, or its final state) or the server's Status. */
  delete(name: string, opts: DeleteCallOptions = {}): Promise<T | Status> {
    return this.rest.request<T | Status>({ method: 'DELETE', path: this.objectPath(name), body: deleteBody(opts), ...call(opts) });
  }

  /** Deletes every object matching the selectors (in the bound namespace, or everywhere). */
  deleteCollection(opts: ListOptions & DeleteCallOptions = {}): Promise<ListOf<T> | Status> {
    return this.rest.request<ListOf<T> | Status>({
      method: 'DELETE',
      path: this.collectionPath(),
      query: listQuery(opts),
      body: deleteBody(opts),
      ...call(opts),
    });
  }

  subresource(name: string, subresource: string): SubresourceClient {
    const path = this.objectPath(name, subresource);
    return {
      get: <R>(opts: CallOptions = {}) => this.rest.request<R>({ method: 'GET', path, ...call(opts) }),
      create: <R>(body: unknown, opts: WriteOptions = {}) => this.rest.request<R>({ method: 'POST', path, query: writeQuery(opts), body, ...call(opts) }),
      update: <R>(body: unknown, opts: WriteOptions = {}) => this.rest.request<R>({ method: 'PUT', path, query: writeQuery(opts), body, ...call(opts) }),
      patch: <R>(type: PatchType, body: unknown, opts: PatchOptions = {}) => this.patchAt<R>(path, type, body, opts),
    };
  }

  getScale(name: string, opts: CallOptions = {}): Promise<Scale> {
    return this.subresource(name, 'scale').get<Scale>(opts);
  }

  /** PUT a Scale; with metadata.resourceVersion set it is a compare-and-swap. */
  updateScale(name: string, scale: Scale, opts: WriteOptions = {}): Promise<Scale> {
    const body: Scale = { apiVersion: 'autoscaling/v1', kind: 'Scale', ...scale, metadata: { name, namespace: this.boundNamespace, ...scale.metadata } };
    return this.subresource(name, 'scale').update<Scale>(body, opts);
  }

  private patchAt<R = T>(path: string, type: PatchType, body: unknown, opts: PatchOptions): Promise<R> {
    if (type === 'apply' && !opts.fieldManager) throw new TypeError('an apply patch needs a fieldManager');
    return this.rest.request<R>({
      method: 'PATCH',
      path,
      query: { ...writeQuery(opts), force: opts.force === undefined ? undefined : String(opts.force) },
      body,
      contentType: PATCH_CONTENT_TYPES[type],
      ...call(opts),
    });
  }

  private pathOf(obj: T, subresource?: string): string {
    const name = obj.metadata?.name;
    if (!name) throw new TypeError(`${qualifiedResourceName(this.ref)}: the object has no metadata.name`);
    return resourcePath(this.ref, this.namespaceFor(obj.metadata?.namespace, name), name, subresource);
  }

  private namespaceFor(objectNamespace: string | undefined, name: string): string | undefined {
    if (!this.ref.namespaced) return undefined;
    const ns = this.boundNamespace ?? objectNamespace;
    if (!ns) throw new TypeError(`${qualifiedResourceName(this.ref)} "${name}" is namespaced: bind a namespace with .namespace(ns) or set metadata.namespace`);
    return ns;
  }
}

/** POST pods/binding: what the scheduler does to place a pod. 409 if the pod is already bound. */
export async function bindPod<T extends KubeObject>(pods: ResourceClient<T>, name: string, nodeName: string, opts: WriteOptions & { uid?: string } = {}): Promise<void> {
  const binding: Binding = {
    apiVersion: 'v1',
    kind: 'Binding',
    metadata: { name, ...(opts.uid ? { uid: opts.uid } : {}) },
    target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
  };
  await pods.subresource(name, 'binding').create<Status>(binding, opts);
}

/** POST pods/eviction: a delete that honours PodDisruptionBudgets (429 while a budget forbids it). */
export async function evictPod<T extends KubeObject>(pods: ResourceClient<T>, name: string, opts: WriteOptions & { deleteOptions?: DeleteOptions } = {}): Promise<void> {
  const eviction: Eviction = { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name }, ...(opts.deleteOptions ? { deleteOptions: opts.deleteOptions } : {}) };
  await pods.subresource(name, 'eviction').create<Status>(eviction, opts);
}

function call(opts: CallOptions): { signal?: AbortSignal | undefined; timeoutMs?: number | undefined } {
  return { signal: opts.signal, timeoutMs: opts.timeoutMs };
}

function writeQuery(opts: WriteOptions): Record<string, QueryValue> {
  return { dryRun: opts.dryRun ? 'All' : undefined, fieldManager: opts.fieldManager, fieldValidation: opts.fieldValidation };
}

function listQuery(opts: ListOptions): Record<string, QueryValue> {
  return {
    labelSelector: labelSelectorString(opts.labelSelector),
    fieldSelector: opts.fieldSelector || undefined,
    limit: opts.limit,
    continue: opts.continue || undefined,
    resourceVersion: opts.resourceVersion,
    resourceVersionMatch: opts.resourceVersionMatch,
  };
}

function deleteBody(opts: DeleteCallOptions): DeleteOptions & { kind: string; apiVersion: string } {
  const body: DeleteOptions & { kind: string; apiVersion: string } = { kind: 'DeleteOptions', apiVersion: 'v1' };
  if (opts.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = opts.gracePeriodSeconds;
  if (opts.propagationPolicy !== undefined) body.propagationPolicy = opts.propagationPolicy;
  if (opts.preconditions !== undefined) body.preconditions = opts.preconditions;
  if (opts.dryRun) body.dryRun = ['All'];
  return body;
}
