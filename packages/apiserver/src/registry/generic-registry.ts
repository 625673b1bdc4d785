// The generic REST storage of one resource (Kubernetes' genericregistry.Store): create, get, list, update, patch,
// delete and watch over the object store and the watch cache, with per-kind behaviour from a Strategy.
import {
  applyDefaults,
  cloneJson,
  isJsonObject,
  jsonEqual,
  validateObject,
  type FieldError,
  type JsonObject,
  type KindDefinition,
  type PatchMeta,
  type SchemaRegistry,
} from '@k8ts/api-machinery';
import { ApiError, errors, type ErrorTarget } from '../api/errors.js';
import { StorageError, type StoredObject, type StoreWatchEvent } from '../storage/contract.js';
import type { ObjectStore, WatchCache } from '../storage/index.js';
import { apiVersionOf } from './body.js';
import type { ObjectFilter } from './filter.js';
import { validateMetadata } from './metadata-validation.js';
import { metadataOf, nowTimestamp, prepareCreateMeta, prepareUpdateMeta, generateName } from './object-meta.js';
import type { OperationContext, Strategy } from './strategy.js';

export interface ListOptions {
  filter: ObjectFilter;
  limit?: number | undefined;
  continueToken?: string | undefined;
  /** '' (unset: consistent read from the store), '0' (any: from the cache), or a revision. */
  resourceVersion: string;
  resourceVersionMatch?: string | undefined;
}

export interface ListResult {
  items: JsonObject[];
  resourceVersion: string;
  continueToken?: string | undefined;
  remainingItemCount?: number | undefined;
}

export interface WriteOptions {
  dryRun: boolean;
}

export interface DeleteOptions extends WriteOptions {
  gracePeriodSeconds?: number | undefined;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground' | undefined;
  preconditions?: { uid?: string | undefined; resourceVersion?: string | undefined } | undefined;
}

export interface DeleteResult {
  object: JsonObject;
  /** True when the object is gone from storage; false when it was only marked (graceful, finalizers). */
  deleted: boolean;
}

export interface WatchSink {
  event(type: 'ADDED' | 'MODIFIED' | 'DELETED', object: JsonObject): void;
  /** The cache could not serve the requested version (410) or was reset: send an ERROR event and end. */
  error(status: JsonObject): void;
}

export interface RegistryDeps {
  kind: KindDefinition;
  schemas: SchemaRegistry;
  store: ObjectStore;
  cache: WatchCache;
  strategy: Strategy;
  patchMeta: PatchMeta;
  /** Namespace lifecycle admission: throws unless the namespace exists and is not terminating. */
  checkNamespace(namespace: string, operation: 'create' | 'update'): Promise<void>;
}

const GENERATE_NAME_ATTEMPTS = 3;
/**
 * Compare-and-swap attempts of one update or delete. Every lost race means another writer made progress (Kubernetes'
 * GuaranteedUpdate does not give up at all); 20 patches of one object through two apiservers lost 16 in a row.
 */
const MAX_WRITE_ATTEMPTS = 100;

export class GenericRegistry {
  private readonly servedEvents = new WeakMap<StoreWatchEvent, ServedEvent>();
  readonly kind: KindDefinition;
  readonly target: ErrorTarget;
  readonly storageResource: string;

  constructor(private readonly deps: RegistryDeps) {
    this.kind = deps.kind;
    this.target = { group: deps.kind.group, resource: deps.kind.plural };
    this.storageResource = deps.kind.storageResource ?? deps.kind.plural;
  }

  /** Kinds with graceful deletion (pods) answer DELETE with the object rather than a Status. */
  get returnsObjectOnDelete(): boolean {
    return this.deps.strategy.deleteDecision !== undefined;
  }

  get cache(): WatchCache {
    return this.deps.cache;
  }

  key(namespace: string | undefined, name: string): string {
    return this.deps.store.key(this.storageResource, this.kind.namespaced ? namespace : undefined, name);
  }

  prefix(namespace: string | undefined): string {
    return this.deps.store.prefixFor(this.storageResource, this.kind.namespaced ? namespace : undefined);
  }

  private served(obj: JsonObject): JsonObject {
    const o = this.deps.strategy.fromStorage ? this.deps.strategy.fromStorage(obj) : obj;
    o.apiVersion = apiVersionOf(this.kind);
    o.kind = this.kind.kind;
    return o;
  }

  /**
   * The served form of a watch event, made once and shared by every watcher of this resource (the cache hands each
   * of them the same event object): watch fan-out then costs a filter check and a write per watcher, not a copy.
   * Sinks must treat the object as read-only.
   */
  private servedEvent(ev: StoreWatchEvent): ServedEvent {
    let served = this.servedEvents.get(ev);
    if (!served) {
      let prev: JsonObject | null | undefined;
      served = {
        object: this.served(cloneJson(ev.object)),
        prev: () => (prev === undefined ? (prev = ev.prevObject ? this.served(cloneJson(ev.prevObject)) : null) : prev),
      };
      this.servedEvents.set(ev, served);
    }
    return served;
  }

  private stored(obj: JsonObject): JsonObject {
    return this.deps.strategy.toStorage ? this.deps.strategy.toStorage(obj) : obj;
  }

  private ctx(namespace: string | undefined, dryRun: boolean): OperationContext {
    return { kind: this.kind, namespace, dryRun };
  }

  private storageError(e: unknown, name: string): unknown {
    if (!(e instanceof StorageError)) return e;
    switch (e.code) {
      case 'NotFound':
        return errors.notFound(this.target, name);
      case 'AlreadyExists':
        return errors.alreadyExists(this.target, name);
      case 'Conflict':
        return errors.staleUpdate(this.target, name);
      case 'Expired':
        return errors.gone(e.message);
      case 'InvalidContinue':
        return errors.badRequest(e.message);
      case 'TooLarge':
        return errors.tooLarge();
      case 'Unavailable':
        return errors.unavailable(`etcd is unavailable: ${e.message}`);
    }
  }

  // ---- reads ----

  async get(namespace: string | undefined, name: string, resourceVersion = ''): Promise<JsonObject> {
    let found: StoredObject | undefined;
    try {
      found = resourceVersion === '0' ? this.deps.cache.get(this.key(namespace, name)) : await this.deps.store.get(this.key(namespace, name));
    } catch (e) {
      throw this.storageError(e, name);
    }
    if (!found) throw errors.notFound(this.target, name);
    // Objects read from etcd are freshly decoded and ours; cached ones are shared and must be copied.
    return this.served(resourceVersion === '0' ? cloneJson(found.object) : found.object);
  }

  async list(namespace: string | undefined, o: ListOptions): Promise<ListResult> {
    const prefix = this.prefix(namespace);
    const fromCache = o.resourceVersion !== '' && !o.continueToken && (o.resourceVersionMatch === undefined || o.resourceVersionMatch === 'NotOlderThan');
    if (fromCache) {
      const minRev = Number(o.resourceVersion);
      if (!Number.isSafeInteger(minRev) || minRev < 0) throw errors.badRequest(`invalid resourceVersion: ${o.resourceVersion}`);
      if (minRev > this.deps.cache.revision && !(await this.deps.cache.waitForRevision(minRev, 3000))) {
        throw errors.timeout(`Too large resource version: ${minRev}, current: ${this.deps.cache.revision}`);
      }
      const snap = this.deps.cache.list();
      const items: JsonObject[] = [];
      for (const s of snap.items) {
        const k = s.object.metadata;
        if (namespace !== undefined && this.kind.namespaced && (!isJsonObject(k) || k.namespace !== namespace)) continue;
        const obj = this.served(cloneJson(s.object));
        if (o.filter.matches(obj)) items.push(obj);
      }
      return { items, resourceVersion: String(snap.revision) };
    }
    let revision: number | undefined;
    if (o.resourceVersion !== '' && o.resourceVersionMatch === 'Exact') revision = Number(o.resourceVersion);
    const items: JsonObject[] = [];
    let token = o.continueToken;
    let result;
    // With a selector, keep reading pages until `limit` matching items are found, as the real store does.
    for (let round = 0; round < 1000; round++) {
      try {
        const pageLimit = o.limit && o.limit > 0 ? o.limit - items.length : undefined;
        // A continue token carries its own revision; the two are never sent together.
        result = await this.deps.store.list(prefix, { limit: pageLimit, continueToken: token, revision: token ? undefined : revision });
      } catch (e) {
        throw this.storageError(e, '');
      }
      for (const s of result.items) {
        const obj = this.served(s.object); // freshly decoded from etcd: no copy needed
        if (o.filter.matches(obj)) items.push(obj);
      }
      token = result.continueToken;
      if (!token || !o.limit || items.length >= o.limit) break;
    }
    return {
      items,
      resourceVersion: String(result!.revision),
      continueToken: token,
      remainingItemCount: token && o.filter.isEverything ? result!.remainingItemCount : undefined,
    };
  }

  // ---- create ----

  /** Creates a decoded object (kind/apiVersion already checked). Returns the stored object. */
  async create(namespace: string | undefined, obj: JsonObject, o: WriteOptions & { internal?: boolean }): Promise<JsonObject> {
    const meta = metadataOf(obj);
    if (typeof meta.resourceVersion === 'string' && meta.resourceVersion !== '') {
      throw errors.badRequest('resourceVersion should not be set on objects to be created');
    }
    if (this.kind.namespaced) {
      if (namespace === undefined) throw errors.badRequest('the server could not find the requested resource');
      if (typeof meta.namespace === 'string' && meta.namespace !== '' && meta.namespace !== namespace) {
        throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
    }
    const ctx = this.ctx(namespace, o.dryRun);
    prepareCreateMeta(obj, this.kind, namespace);
    this.deps.strategy.prepareForCreate?.(obj, ctx);
    const wantsGeneratedName = (typeof meta.name !== 'string' || meta.name === '') && typeof meta.generateName === 'string' && meta.generateName !== '';
    if (wantsGeneratedName) meta.name = generateName(meta.generateName as string);
    applyDefaults(this.deps.schemas, this.kind.schema, obj);
    if (!o.internal) this.throwIfInvalid(obj, undefined);
    if (this.kind.namespaced) await this.deps.checkNamespace(namespace!, 'create');
    await this.deps.strategy.admit?.(obj, undefined, ctx);
    if (o.dryRun) return this.served(obj);
    for (let attempt = 1; ; attempt++) {
      const name = meta.name as string;
      try {
        const created = await this.deps.store.create(this.key(namespace, name), this.stored(obj));
        return this.served(created.object); // a fresh parse of the bytes written: ours to serve
      } catch (e) {
        if (e instanceof StorageError && e.code === 'AlreadyExists' && wantsGeneratedName && attempt < GENERATE_NAME_ATTEMPTS) {
          meta.name = generateName(meta.generateName as string);
          continue;
        }
        await this.deps.strategy.rollback?.(obj, undefined, ctx);
        throw this.storageError(e, name);
      }
    }
  }

  private throwIfInvalid(obj: JsonObject, old: JsonObject | undefined): void {
    const errs: FieldError[] = [...validateMetadata(this.kind, obj, old)];
    errs.push(...validateObject(this.deps.schemas, this.kind.schema, obj, old));
    if (errs.length) {
      const name = String(metadataOf(obj).name ?? metadataOf(obj).generateName ?? '');
      throw errors.invalid(this.kind.kind, this.kind.group, name, errs);
    }
  }

  // ---- update (PUT, PATCH, subresources) ----

  /**
   * The shared update path. `compute` turns the current object (undefined when missing) into the requested new
   * object; it is re-run on a storage conflict, and must return a fresh object each time. A resourceVersion in the
   * computed object is a precondition (409 when it is not the current one).
   * `createIfMissing` lets apply-patch (and kinds that allow create-on-update) create the object.
   *
   * Like Kubernetes' GuaranteedUpdate it starts from the watch cache's copy, so the usual update is one store round
   * trip: the compare-and-swap proves the copy current, and when it was stale the failed txn returns the current
   * object to compute again from. Any other answer reached from a cached copy (a 409 on the resourceVersion, "no
   * change", a validation error) is decided again on the store's copy before it is given.
   */
  async update(
    namespace: string | undefined,
    name: string,
    compute: (current: JsonObject | undefined) => JsonObject,
    o: WriteOptions & {
      createIfMissing?: boolean;
      subresource?: 'status' | undefined;
      /** A server-side change that bypasses update validation and admission (pods/binding writes nodeName). */
      internal?: boolean;
    },
  ): Promise<{ object: JsonObject; created: boolean }> {
    const key = this.key(namespace, name);
    const cached = o.dryRun ? undefined : this.deps.cache.get(key);
    let start: Origin = cached ? { current: cached, maybeStale: true } : { current: await this.read(key, name), maybeStale: false };
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      let outcome: UpdateOutcome;
      try {
        outcome = await this.tryUpdate(namespace, name, key, start, compute, o);
      } catch (e) {
        // A refusal reached from a cached copy (409, 404, 422, admission) is decided again on the store's copy.
        if (!start.maybeStale || !(e instanceof ApiError)) throw e;
        start = { current: await this.read(key, name), maybeStale: false };
        continue;
      }
      if ('result' in outcome) return outcome.result;
      start = { current: outcome.retryFrom === 'read' ? await this.read(key, name) : outcome.retryFrom, maybeStale: false };
    }
    throw errors.staleUpdate(this.target, name);
  }

  /** The object as the store has it now (a linearizable read). */
  private async read(key: string, name: string): Promise<StoredObject | undefined> {
    try {
      return await this.deps.store.get(key);
    } catch (e) {
      throw this.storageError(e, name);
    }
  }

  /** One attempt of update(): a result, or the state to try again from after a lost race. */
  private async tryUpdate(
    namespace: string | undefined,
    name: string,
    key: string,
    { current, maybeStale }: Origin,
    compute: (current: JsonObject | undefined) => JsonObject,
    o: WriteOptions & { createIfMissing?: boolean; subresource?: 'status' | undefined; internal?: boolean },
  ): Promise<UpdateOutcome> {
    const ctx = this.ctx(namespace, o.dryRun);
    // Cached objects are shared: copy before serving or handing to compute, which may modify what it gets.
    const currentServed = current ? this.served(cloneJson(current.object)) : undefined;
    const next = compute(currentServed ? cloneJson(currentServed) : undefined);
    const nextMeta = metadataOf(next);
    if (nextMeta.name === undefined || nextMeta.name === '') nextMeta.name = name;
    if (nextMeta.name !== name) {
      throw errors.badRequest(`the name of the object (${String(nextMeta.name)}) does not match the name on the URL (${name})`);
    }
    if (this.kind.namespaced && typeof nextMeta.namespace === 'string' && nextMeta.namespace !== '' && nextMeta.namespace !== namespace) {
      throw errors.badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    if (!current || !currentServed) {
      if (!o.createIfMissing) throw errors.notFound(this.target, name);
      delete nextMeta.resourceVersion;
      return { result: { object: await this.create(namespace, next, o), created: true } };
    }
    const requestedRv = typeof nextMeta.resourceVersion === 'string' && nextMeta.resourceVersion !== '' ? nextMeta.resourceVersion : undefined;
    if (requestedRv !== undefined && requestedRv !== String(current.modRevision)) throw errors.staleUpdate(this.target, name);
    prepareUpdateMeta(next, currentServed, this.kind);
    if (o.subresource === 'status') {
      // A status write changes status only (plus nothing else of the object), as status strategies reset the rest.
      const merged = cloneJson(currentServed);
      if (next.status !== undefined) merged.status = next.status;
      else delete merged.status;
      metadataOf(merged).resourceVersion = String(current.modRevision);
      Object.assign(next, merged);
      for (const k of Object.keys(next)) if (!(k in merged)) delete next[k];
      if (!o.internal) this.deps.strategy.prepareForStatusUpdate?.(next, currentServed, ctx);
    } else if (!o.internal) {
      if (this.kind.statusSubresource) {
        if (currentServed.status === undefined) delete next.status;
        else next.status = cloneJson(currentServed.status);
      }
      this.deps.strategy.prepareForUpdate?.(next, currentServed, ctx);
    }
    if (!o.internal) {
      applyDefaults(this.deps.schemas, this.kind.schema, next);
      this.throwIfInvalid(next, currentServed);
      if (this.kind.namespaced) await this.deps.checkNamespace(namespace!, 'update');
      await this.deps.strategy.admit?.(next, currentServed, ctx);
    }
    // An object whose deletion was requested is removed once its last finalizer is gone.
    const nextFinalizers = nextMeta.finalizers;
    if (
      nextMeta.deletionTimestamp !== undefined &&
      (!Array.isArray(nextFinalizers) || nextFinalizers.length === 0) &&
      !this.isGracefullyTerminating(next) &&
      !this.deps.strategy.retainWhileDeleting?.(next)
    ) {
      if (o.dryRun) return { result: { object: next, created: false } };
      try {
        const gone = await this.deps.store.delete(key, current.modRevision);
        await this.deps.strategy.afterDelete?.(gone.object, ctx);
        return { result: { object: this.served(gone.object), created: false } };
      } catch (e) {
        if (e instanceof StorageError && (e.code === 'Conflict' || (e.code === 'NotFound' && maybeStale))) return { retryFrom: 'read' };
        throw this.storageError(e, name);
      }
    }
    if (isUnchanged(next, currentServed)) {
      // "No change" against a cached copy proves nothing: the store may hold a newer object.
      if (maybeStale) return { retryFrom: 'read' };
      return { result: { object: currentServed, created: false } };
    }
    if (o.dryRun) return { result: { object: next, created: false } };
    let swapped;
    try {
      swapped = await this.deps.store.compareAndSwap(key, this.stored(next), current.modRevision);
    } catch (e) {
      await this.deps.strategy.rollback?.(next, currentServed, ctx);
      throw this.storageError(e, name);
    }
    if ('written' in swapped) return { result: { object: this.served(swapped.written.object), created: false } };
    // Someone wrote in between (or the copy was stale): compute again from the object the txn read. A request that
    // named a resourceVersion then fails the check above (409); a patch without one applies to the fresh object.
    await this.deps.strategy.rollback?.(next, currentServed, ctx);
    return { retryFrom: swapped.current };
  }

  /** A pod in its grace period stays until the kubelet confirms (or the period is cut to 0). */
  private isGracefullyTerminating(obj: JsonObject): boolean {
    const g = metadataOf(obj).deletionGracePeriodSeconds;
    return typeof g === 'number' && g > 0;
  }

  // ---- delete ----

  /** Deletes (or marks for deletion); like update() it starts from the watch cache's copy and proves it in the txn. */
  async delete(namespace: string | undefined, name: string, o: DeleteOptions): Promise<DeleteResult> {
    const key = this.key(namespace, name);
    const cached = o.dryRun ? undefined : this.deps.cache.get(key);
    let start: Origin = cached ? { current: cached, maybeStale: true } : { current: await this.read(key, name), maybeStale: false };
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      let outcome: DeleteResult | 'retry';
      try {
        outcome = await this.tryDelete(namespace, name, key, start, o);
      } catch (e) {
        if (!start.maybeStale || !(e instanceof ApiError)) throw e;
        outcome = 'retry';
      }
      if (outcome !== 'retry') return outcome;
      start = { current: await this.read(key, name), maybeStale: false };
    }
    throw errors.staleUpdate(this.target, name);
  }

  /** One attempt of delete(): the result, or 'retry' (from a fresh read) after a lost race or a stale start. */
  private async tryDelete(namespace: string | undefined, name: string, key: string, { current, maybeStale }: Origin, o: DeleteOptions): Promise<DeleteResult | 'retry'> {
    const ctx = this.ctx(namespace, o.dryRun);
    if (!current) throw errors.notFound(this.target, name);
    const obj = this.served(cloneJson(current.object));
    const meta = metadataOf(obj);
    if (o.preconditions?.uid !== undefined && o.preconditions.uid !== meta.uid) {
      throw errors.conflict(this.target, name, `Precondition failed: UID in precondition: ${o.preconditions.uid}, UID in object meta: ${String(meta.uid)}`);
    }
    if (o.preconditions?.resourceVersion !== undefined && o.preconditions.resourceVersion !== String(current.modRevision)) {
      throw errors.conflict(
        this.target,
        name,
        `Precondition failed: ResourceVersion in precondition: ${o.preconditions.resourceVersion}, ResourceVersion in object meta: ${current.modRevision}`,
      );
    }
    // A lost race is retried from a fresh read, unless the caller pinned the resourceVersion (then it is a 409).
    const retryOrThrow = (e: unknown): 'retry' => {
      if (e instanceof StorageError && e.code === 'Conflict' && (o.preconditions?.resourceVersion === undefined || maybeStale)) return 'retry';
      if (e instanceof StorageError && e.code === 'NotFound' && maybeStale) return 'retry';
      throw this.storageError(e, name);
    };
    const finalizers = Array.isArray(meta.finalizers) ? (meta.finalizers as string[]).slice() : [];
    if (o.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
    if (o.propagationPolicy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
    const decision = this.deps.strategy.deleteDecision?.(obj, o.gracePeriodSeconds) ?? { graceful: false };
    const retained = this.deps.strategy.retainWhileDeleting?.(obj) ?? false;
    if (finalizers.length > 0 || decision.graceful || retained) {
      const grace = decision.graceful ? (decision.gracePeriodSeconds ?? 0) : 0;
      const already = meta.deletionTimestamp !== undefined;
      const oldGrace = typeof meta.deletionGracePeriodSeconds === 'number' ? meta.deletionGracePeriodSeconds : undefined;
      if (already && jsonEqual(Array.isArray(meta.finalizers) ? meta.finalizers : [], finalizers) && (oldGrace === undefined || grace >= oldGrace)) {
        return maybeStale ? 'retry' : { object: obj, deleted: false };
      }
      const when = new Date(Date.now() + grace * 1000);
      if (!already || (oldGrace !== undefined && grace < oldGrace)) meta.deletionTimestamp = nowTimestamp(when);
      meta.deletionGracePeriodSeconds = grace;
      if (finalizers.length) meta.finalizers = finalizers;
      this.deps.strategy.markTerminating?.(obj);
      if (o.dryRun) return { object: obj, deleted: false };
      try {
        const written = await this.deps.store.update(key, this.stored(obj), current.modRevision);
        return { object: this.served(written.object), deleted: false };
      } catch (e) {
        return retryOrThrow(e);
      }
    }
    if (o.dryRun) return { object: obj, deleted: true };
    let gone: StoredObject;
    try {
      gone = await this.deps.store.delete(key, current.modRevision);
    } catch (e) {
      return retryOrThrow(e);
    }
    await this.deps.strategy.afterDelete?.(gone.object, ctx);
    return { object: this.served(gone.object), deleted: true };
  }

  // ---- watch ----

  /**
   * Streams events to `sink` until the returned stop function is called. `resourceVersion` '' or '0' starts with a
   * synthetic ADDED per existing object; otherwise only changes after that revision are sent.
   */
  async watch(namespace: string | undefined, resourceVersion: string, filter: ObjectFilter, sink: WatchSink): Promise<() => void> {
    const cache = this.deps.cache;
    const inScope = (obj: JsonObject): boolean => {
      if (!this.kind.namespaced || namespace === undefined) return true;
      const m = obj.metadata;
      return isJsonObject(m) && m.namespace === namespace;
    };
    let from: number;
    if (resourceVersion === '' || resourceVersion === '0') {
      if (resourceVersion === '') {
        // Like a consistent list: make sure the cache has caught up with the store first.
        const rev = await this.deps.store.currentRevision().catch(() => cache.revision);
        await cache.waitForRevision(rev, 3000);
      }
      const snap = cache.list();
      from = snap.revision;
      for (const s of snap.items) {
        if (!inScope(s.object)) continue;
        const obj = this.served(cloneJson(s.object));
        if (filter.matches(obj)) sink.event('ADDED', obj);
      }
    } else {
      from = Number(resourceVersion);
      if (!Number.isSafeInteger(from) || from < 0) throw errors.badRequest(`invalid resourceVersion: ${resourceVersion}`);
    }
    const onEvent = (ev: StoreWatchEvent): void => {
      if (!inScope(ev.object)) return;
      const obj = this.servedEvent(ev).object;
      const now = filter.matches(obj);
      if (ev.type !== 'MODIFIED' || filter.isEverything) {
        if (now) sink.event(ev.type, obj);
        return;
      }
      const prev = this.servedEvent(ev).prev();
      const before = prev ? filter.matches(prev) : false;
      if (now && before) sink.event('MODIFIED', obj);
      else if (now) sink.event('ADDED', obj);
      else if (before) sink.event('DELETED', obj);
    };
    try {
      const watcher = cache.watch(from, onEvent, (reason: string) => sink.error(errors.gone(reason).toStatus()));
      return () => watcher.stop();
    } catch (e) {
      if (e instanceof StorageError && e.code === 'Expired') {
        sink.error(errors.gone(e.message).toStatus());
        return () => undefined;
      }
      throw e;
    }
  }
}

/** Where an update attempt starts: the object (undefined: missing) and whether it came from the cache. */
interface Origin {
  current: StoredObject | undefined;
  maybeStale: boolean;
}

/** An attempt's end: the answer, or what to start the next attempt from ('read': read the store first). */
type UpdateOutcome = { result: { object: JsonObject; created: boolean } } | { retryFrom: StoredObject | undefined | 'read' };

interface ServedEvent {
  object: JsonObject;
  /** The previous state, served (null when the event has none); computed on first use. */
  prev(): JsonObject | null;
}

/** Equal apart from metadata.resourceVersion (shallow copies of the top and of metadata; nothing deep is copied). */
function isUnchanged(next: JsonObject, current: JsonObject): boolean {
  const withoutVersion = (o: JsonObject): JsonObject => {
    const { resourceVersion: _rv, ...metadata } = metadataOf(o);
    return { ...o, metadata };
  };
  return jsonEqual(withoutVersion(next), withoutVersion(current));
}
