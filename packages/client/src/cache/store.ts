// The informer's local cache: objects by key ("namespace/name", or "name" when cluster-scoped) plus secondary
// indexes (client-go's thread-safe store + indexer). Objects are shared with every reader: treat them as read-only
// and copy (structuredClone) before changing one.
import type { KubeObject } from '../types.js';

export type KeyFunc<T> = (obj: T) => string;
/** The index values of an object; an object may appear under several values (or none). */
export type IndexFunc<T> = (obj: T) => string[];
export type Indexers<T> = Record<string, IndexFunc<T>>;

export const NAMESPACE_INDEX = 'namespace';

/** "namespace/name", or "name" for cluster-scoped objects: client-go's MetaNamespaceKeyFunc. */
export function metaNamespaceKey(obj: KubeObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new TypeError('object has no metadata.name');
  const ns = obj.metadata?.namespace;
  return ns ? `${ns}/${name}` : name;
}

export function splitMetaNamespaceKey(key: string): { namespace: string | undefined; name: string } {
  const parts = key.split('/');
  if (parts.length === 1) return { namespace: undefined, name: parts[0]! };
  if (parts.length === 2 && parts[0] !== '' && parts[1] !== '') return { namespace: parts[0], name: parts[1]! };
  throw new TypeError(`unexpected key format: ${JSON.stringify(key)}`);
}

export const namespaceIndexFunc: IndexFunc<KubeObject> = (obj) => [obj.metadata?.namespace ?? ''];

/**
 * What onDelete gets when the informer learnt of a deletion only by re-listing: the object's last state as the
 * cache knew it (the final state is unknown).
 */
export class DeletedFinalStateUnknown<T> {
  constructor(
    readonly key: string,
    readonly obj: T,
  ) {}
}

/** The object inside a tombstone, or the object itself. */
export function objectOf<T>(obj: T | DeletedFinalStateUnknown<T>): T {
  return obj instanceof DeletedFinalStateUnknown ? obj.obj : obj;
}

/** The cache key of an object or of a tombstone (client-go's DeletionHandlingMetaNamespaceKeyFunc). */
export function deletionHandlingKey(obj: KubeObject | DeletedFinalStateUnknown<KubeObject>): string {
  return obj instanceof DeletedFinalStateUnknown ? obj.key : metaNamespaceKey(obj);
}

/** Read access to a cache: what listers and controllers get. */
export interface ReadonlyIndexer<T> {
  get(key: string): T | undefined;
  has(key: string): boolean;
  list(): T[];
  listKeys(): string[];
  readonly size: number;
  byIndex(indexName: string, value: string): T[];
  indexKeys(indexName: string, value: string): string[];
  listIndexValues(indexName: string): string[];
}

export class Indexer<T extends KubeObject> implements ReadonlyIndexer<T> {
  private readonly items = new Map<string, T>();
  private readonly indexFuncs = new Map<string, IndexFunc<T>>();
  /** index name → index value → keys */
  private readonly indices = new Map<string, Map<string, Set<string>>>();
  readonly keyOf: KeyFunc<T>;

  constructor(opts: { keyFunc?: KeyFunc<T>; indexers?: Indexers<T> } = {}) {
    this.keyOf = opts.keyFunc ?? metaNamespaceKey;
    this.addIndexers({ [NAMESPACE_INDEX]: namespaceIndexFunc, ...opts.indexers });
  }

  /** Adds indexes (also over the objects already stored). An existing name is an error. */
  addIndexers(indexers: Indexers<T>): void {
    for (const [name, fn] of Object.entries(indexers)) {
      if (this.indexFuncs.has(name)) {
        if (this.indexFuncs.get(name) === fn) continue;
        throw new Error(`indexer "${name}" already exists`);
      }
      this.indexFuncs.set(name, fn);
      const index = new Map<string, Set<string>>();
      this.indices.set(name, index);
      for (const [key, obj] of this.items) for (const v of fn(obj)) addTo(index, v, key);
    }
  }

  hasIndexer(name: string): boolean {
    return this.indexFuncs.has(name);
  }

  /** Adds or replaces the object under its key; returns the previous object. */
  add(obj: T): T | undefined {
    const key = this.keyOf(obj);
    const old = this.items.get(key);
    this.items.set(key, obj);
    this.reindex(key, old, obj);
    return old;
  }

  update(obj: T): T | undefined {
    return this.add(obj);
  }

  /** Removes the object with obj's key; returns what was stored. */
  delete(obj: T): T | undefined {
    return this.deleteKey(this.keyOf(obj));
  }

  deleteKey(key: string): T | undefined {
    const old = this.items.get(key);
    if (old === undefined) return undefined;
    this.items.delete(key);
    this.reindex(key, old, undefined);
    return old;
  }

  /** Makes the store hold exactly `objects`. */
  replace(objects: T[]): void {
    this.items.clear();
    for (const index of this.indices.values()) index.clear();
    for (const obj of objects) this.add(obj);
  }

  get(key: string): T | undefined {
    return this.items.get(key);
  }

  has(key: string): boolean {
    return this.items.has(key);
  }

  list(): T[] {
    return [...this.items.values()];
  }

  listKeys(): string[] {
    return [...this.items.keys()];
  }

  get size(): number {
    return this.items.size;
  }

  /** Objects whose index function returned `value`. */
  byIndex(indexName: string, value: string): T[] {
    return this.indexKeys(indexName, value).map((k) => this.items.get(k)!);
  }

  indexKeys(indexName: string, value: string): string[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`index "${indexName}" does not exist`);
    return [...(index.get(value) ?? [])];
  }

  /** Every value the index currently has objects for. */
  listIndexValues(indexName: string): string[] {
    const index = this.indices.get(indexName);
    if (!index) throw new Error(`index "${indexName}" does not exist`);
    return [...index.keys()];
  }

  private reindex(key: string, old: T | undefined, next: T | undefined): void {
    for (const [name, fn] of this.indexFuncs) {
      const index = this.indices.get(name)!;
      const before = old === undefined ? [] : fn(old);
      const after = next === undefined ? [] : fn(next);
      for (const v of before) if (!after.includes(v)) removeFrom(index, v, key);
      for (const v of after) addTo(index, v, key);
    }
  }
}

function addTo(index: Map<string, Set<string>>, value: string, key: string): void {
  let keys = index.get(value);
  if (!keys) index.set(value, (keys = new Set()));
  keys.add(key);
}

function removeFrom(index: Map<string, Set<string>>, value: string, key: string): void {
  const keys = index.get(value);
  if (!keys) return;
  keys.delete(key);
  if (keys.size === 0) index.delete(value);
}
