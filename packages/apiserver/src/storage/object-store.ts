// Kubernetes objects in etcd (the etcd3 store of k8s.io/apiserver): one JSON value per key, optimistic concurrency on
// the key's mod_revision, paginated lists that read every page at the first page's revision.
import { cloneJson, type JsonObject } from '@k8ts/api-machinery';
import { prefixEnd, type EtcdClient, type KeyValue, type TxnResponse } from '@k8ts/etcd-client';
import { StorageError, type ListResult, type StoredObject } from './contract.js';
import { decodeContinue, encodeContinue } from './continue-token.js';
import { decodeStored, encodeForStorage } from './object-codec.js';
import { ContinueExpiredError, isCompacted, toStorageError } from './storage-errors.js';

export interface ObjectStoreOptions {
  /** Root of every key; default '/registry' as in Kubernetes. */
  prefix?: string;
  /** Told of every etcd call this store makes (its metrics: store latency by operation and resource). */
  observer?: StoreObserver;
}

/** The store operations as kube-apiserver's etcd_request_duration_seconds names them. */
export type StoreOperation = 'get' | 'list' | 'create' | 'update' | 'delete' | 'revision';

export interface StoreObserver {
  /** One etcd call: which operation, the resource (key segment after the prefix), seconds taken, whether it failed. */
  storeCall(operation: StoreOperation, resource: string, seconds: number, failed: boolean): void;
}

export interface ListOptions {
  /** Page size; 0 or absent: everything. */
  limit?: number;
  continueToken?: string;
  /** Read at exactly this revision (with a continueToken only if equal to the token's revision). */
  revision?: number;
}

export interface KeyedListResult extends ListResult {
  keys: string[];
}

export type TryUpdate = (current: StoredObject) => JsonObject | undefined | Promise<JsonObject | undefined>;

export interface GuaranteedUpdateOptions {
  /** Attempts before giving up with Conflict; default 100 (each lost race means another writer made progress). */
  maxAttempts?: number;
  /**
   * The object as the caller last saw it (e.g. from the watch cache), to save the first read. If it is stale the
   * compare-and-swap fails and the loop re-reads; a "no change" answer on it is confirmed against etcd first.
   */
  current?: StoredObject;
}

const DEFAULT_MAX_ATTEMPTS = 100;
const LIST_EXPIRED_MESSAGE = 'The resourceVersion for the provided list is too old.';

export class ObjectStore {
  readonly prefix: string;
  private readonly observer: StoreObserver | undefined;

  constructor(
    private readonly client: EtcdClient,
    opts: ObjectStoreOptions = {},
  ) {
    const prefix = (opts.prefix ?? '/registry').replace(/\/+$/, '');
    if (prefix === '' || !prefix.startsWith('/')) throw new TypeError(`storage prefix must start with "/", got ${JSON.stringify(opts.prefix)}`);
    this.prefix = prefix;
    this.observer = opts.observer;
  }

  /** <prefix>/<resource>/<namespace>/<name>, or <prefix>/<resource>/<name> for cluster-scoped objects. */
  key(resource: string, namespace: string | undefined, name: string): string {
    checkSegment('resource', resource);
    checkSegment('name', name);
    if (namespace === undefined || namespace === '') return `${this.prefix}/${resource}/${name}`;
    checkSegment('namespace', namespace);
    return `${this.prefix}/${resource}/${namespace}/${name}`;
  }

  /** The key prefix (ending in '/') of all objects of a resource, or of one namespace's. */
  prefixFor(resource: string, namespace?: string): string {
    checkSegment('resource', resource);
    if (namespace === undefined || namespace === '') return `${this.prefix}/${resource}/`;
    checkSegment('namespace', namespace);
    return `${this.prefix}/${resource}/${namespace}/`;
  }

  async get(key: string): Promise<StoredObject | undefined> {
    const resp = await this.etcd('get', key, () => this.client.range(key));
    const kv = resp.kvs[0];
    return kv ? storedFrom(kv) : undefined;
  }

  async list(prefix: string, opts: ListOptions = {}): Promise<ListResult> {
    const { keys: _keys, ...result } = await this.listWithKeys(prefix, opts);
    return result;
  }

  /** list() plus each item's key (keys[i] belongs to items[i]), for callers that index by key. */
  async listWithKeys(prefix: string, opts: ListOptions = {}): Promise<KeyedListResult> {
    if (!prefix.endsWith('/')) throw new TypeError(`list prefix must end with "/", got ${JSON.stringify(prefix)}`);
    const limit = opts.limit ?? 0;
    if (!Number.isSafeInteger(limit) || limit < 0) throw new TypeError(`limit must be a non-negative integer, got ${limit}`);
    let startKey = prefix;
    let readAt = opts.revision ?? 0;
    const continuing = opts.continueToken !== undefined && opts.continueToken !== '';
    if (continuing) {
      const position = decodeContinue(opts.continueToken ?? '', prefix);
      // Kubernetes rejects a resourceVersion next to a continue token; the token's own revision is harmless.
      if (readAt > 0 && readAt !== position.revision) {
        throw new StorageError('InvalidContinue', 'specifying resource version is not allowed when using continue');
      }
      startKey = position.startKey;
      readAt = position.revision > 0 ? position.revision : 0;
    }
    let resp;
    const timer = this.timer('list', prefix);
    try {
      resp = await this.client.range(startKey, { rangeEnd: prefixEnd(prefix), limit, revision: readAt });
      timer(false);
    } catch (err) {
      timer(true);
      if (isCompacted(err)) {
        if (continuing) throw new ContinueExpiredError(encodeContinue(startKey, prefix, -1));
        throw new StorageError('Expired', LIST_EXPIRED_MESSAGE);
      }
      throw toStorageError(err, readAt);
    }
    const revision = readAt > 0 ? readAt : resp.header.revision;
    const items = resp.kvs.map(storedFrom);
    const result: KeyedListResult = { items, keys: resp.kvs.map((kv) => kv.key.toString('utf8')), revision };
    const last = resp.kvs[resp.kvs.length - 1];
    if (limit > 0 && resp.more && last) {
      // The next page starts just after the last key returned ("\0" is the smallest suffix).
      result.continueToken = encodeContinue(`${last.key.toString('utf8')}\0`, prefix, revision);
      result.remainingItemCount = resp.count - items.length;
    }
    return result;
  }

  async create(key: string, obj: JsonObject): Promise<StoredObject> {
    const value = encodeForStorage(obj);
    const resp = await this.txn('create', key, {
      compare: [{ key, target: 'CREATE', createRevision: 0 }],
      success: [{ put: { key, value } }],
    });
    if (!resp.succeeded) throw new StorageError('AlreadyExists', `key already exists: ${key}`);
    return written(value, resp.header.revision, key);
  }

  /** Replaces the object if its mod revision is still `expectedModRevision`. */
  async update(key: string, obj: JsonObject, expectedModRevision: number): Promise<StoredObject> {
    const r = await this.compareAndSwap(key, obj, expectedModRevision);
    if ('written' in r) return r.written;
    throw r.current ? conflict(key, expectedModRevision, r.current.modRevision) : new StorageError('NotFound', `key not found: ${key}`);
  }

  /**
   * Replaces the object if its mod revision is still `expectedModRevision`; otherwise answers with what the key holds
   * now (undefined: it is gone), read by the same txn, so a caller that started from a stale copy can retry at once.
   */
  async compareAndSwap(key: string, obj: JsonObject, expectedModRevision: number): Promise<{ written: StoredObject } | { current: StoredObject | undefined }> {
    checkRevision(expectedModRevision);
    const value = encodeForStorage(obj);
    const resp = await this.casPut(key, value, expectedModRevision);
    if (resp.succeeded) return { written: written(value, resp.header.revision, key) };
    const kv = currentOf(resp);
    return { current: kv ? storedFrom(kv) : undefined };
  }

  /** Deletes the object (only at `expectedModRevision` when given) and returns its last state, stamped with the deletion revision. */
  async delete(key: string, expectedModRevision?: number): Promise<StoredObject> {
    if (expectedModRevision !== undefined) checkRevision(expectedModRevision);
    const resp = await this.txn('delete', key, {
      compare: expectedModRevision === undefined ? [] : [{ key, target: 'MOD', modRevision: expectedModRevision }],
      success: [{ deleteRange: { key, prevKv: true } }],
      failure: [{ range: { key } }],
    });
    if (!resp.succeeded) throw conflictOrNotFound(key, expectedModRevision ?? 0, currentOf(resp));
    const op = resp.responses[0];
    const prev = op && 'deleteRange' in op ? op.deleteRange.prevKvs[0] : undefined;
    if (!prev) throw new StorageError('NotFound', `key not found: ${key}`);
    const revision = resp.header.revision;
    return { object: decodeStored(prev.value, revision, key), modRevision: revision };
  }

  /**
   * Read-modify-write with retries (Kubernetes' GuaranteedUpdate): `tryUpdate` gets the current object (a copy it may
   * modify) and returns the new one, or undefined for "no change"; the write only lands if nobody wrote in between,
   * otherwise the loop re-reads and calls tryUpdate again. Errors from tryUpdate propagate. NotFound if the key is
   * missing or disappears.
   */
  async guaranteedUpdate(key: string, tryUpdate: TryUpdate, opts: GuaranteedUpdateOptions = {}): Promise<StoredObject> {
    const maxAttempts = opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) throw new TypeError(`maxAttempts must be a positive integer, got ${maxAttempts}`);
    let current = opts.current ? { object: cloneJson(opts.current.object), modRevision: opts.current.modRevision } : await this.mustGet(key);
    let maybeStale = opts.current !== undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      // Taken before tryUpdate, which may modify `current` in place.
      const currentValue = encodeForStorage(current.object);
      const updated = await tryUpdate(current);
      const value = updated === undefined ? undefined : encodeForStorage(updated);
      if (value === undefined || value === currentValue) {
        if (!maybeStale) return current;
        // "No change" relative to a cached copy proves nothing: check against etcd.
        current = await this.mustGet(key);
        maybeStale = false;
        continue;
      }
      const resp = await this.casPut(key, value, current.modRevision);
      if (resp.succeeded) return written(value, resp.header.revision, key);
      const kv = currentOf(resp);
      if (!kv) throw new StorageError('NotFound', `key not found: ${key}`);
      current = storedFrom(kv);
      maybeStale = false;
    }
    throw new StorageError('Conflict', `${key}: gave up after ${maxAttempts} conflicting update attempts`);
  }

  /** etcd's current revision, from a read of a single (normally absent) key. */
  async currentRevision(): Promise<number> {
    const resp = await this.etcd('revision', this.prefix, () => this.client.range(this.prefix, { countOnly: true }));
    return resp.header.revision;
  }

  private async mustGet(key: string): Promise<StoredObject> {
    const found = await this.get(key);
    if (!found) throw new StorageError('NotFound', `key not found: ${key}`);
    return found;
  }

  /** Put `value` if the key's mod revision is `expected`; the failure branch reads the key to tell why not. */
  private casPut(key: string, value: string, expected: number): Promise<TxnResponse> {
    return this.txn('update', key, {
      compare: [{ key, target: 'MOD', modRevision: expected }],
      success: [{ put: { key, value } }],
      failure: [{ range: { key } }],
    });
  }

  private txn(operation: StoreOperation, key: string, req: Parameters<EtcdClient['txn']>[0]): Promise<TxnResponse> {
    return this.etcd(operation, key, () => this.client.txn(req));
  }

  private async etcd<T>(operation: StoreOperation, key: string, call: () => Promise<T>): Promise<T> {
    const timer = this.timer(operation, key);
    try {
      const result = await call();
      timer(false);
      return result;
    } catch (err) {
      timer(true);
      throw toStorageError(err);
    }
  }

  /** Starts timing one etcd call; the returned function reports it to the observer (if any). */
  private timer(operation: StoreOperation, key: string): (failed: boolean) => void {
    const observer = this.observer;
    if (!observer) return () => undefined;
    const start = performance.now();
    return (failed) => observer.storeCall(operation, this.resourceOf(key), (performance.now() - start) / 1000, failed);
  }

  /** The resource segment of a key or prefix (`<prefix>/<resource>/...`); '' for the prefix itself. */
  private resourceOf(key: string): string {
    const start = this.prefix.length + 1;
    if (key.length <= start) return '';
    const end = key.indexOf('/', start);
    return end === -1 ? key.slice(start) : key.slice(start, end);
  }
}

function storedFrom(kv: KeyValue): StoredObject {
  return { object: decodeStored(kv.value, kv.modRevision, kv.key.toString('utf8')), modRevision: kv.modRevision };
}

/** What a write returns: a fresh parse of the bytes written (never aliasing the caller's object). */
function written(value: string, revision: number, key: string): StoredObject {
  return { object: decodeStored(value, revision, key), modRevision: revision };
}

/** The key as the failure branch of a compare-and-swap txn read it (undefined: the key does not exist). */
function currentOf(resp: TxnResponse): KeyValue | undefined {
  const op = resp.responses[0];
  return op && 'range' in op ? op.range.kvs[0] : undefined;
}

function conflictOrNotFound(key: string, expected: number, current: KeyValue | undefined): StorageError {
  if (!current) return new StorageError('NotFound', `key not found: ${key}`);
  return conflict(key, expected, current.modRevision);
}

function conflict(key: string, expected: number, current: number): StorageError {
  return new StorageError(
    'Conflict',
    `the object has been modified; please apply your changes to the latest version and try again (${key}: expected resource version ${expected}, current ${current})`,
  );
}

/** A compare on mod_revision 0 would match an absent key, turning an update into a create. */
function checkRevision(expected: number): void {
  if (!Number.isSafeInteger(expected) || expected <= 0) throw new TypeError(`expected mod revision must be a positive integer, got ${expected}`);
}

/** Key segments come from user input: refuse anything that would change the key's shape. */
function checkSegment(what: string, value: string): void {
  if (value === '' || value === '.' || value === '..' || value.includes('/')) {
    throw new TypeError(`invalid ${what} for a storage key: ${JSON.stringify(value)}`);
  }
}
