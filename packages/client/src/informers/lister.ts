// Read-only queries over an informer's cache: what controllers use instead of GETs.
import { LabelSelector, parseLabelSelector } from '@k8ts/api-machinery';
import { NAMESPACE_INDEX, type ReadonlyIndexer } from '../cache/store.js';
import { labelSelectorString, type LabelSelectorInput } from '../rest/resource-client.js';
import type { KubeObject } from '../types.js';

export type SelectorArg = LabelSelectorInput | LabelSelector | undefined;

function toSelector(selector: SelectorArg): LabelSelector | undefined {
  if (selector === undefined || selector instanceof LabelSelector) return selector;
  const text = labelSelectorString(selector);
  return text ? parseLabelSelector(text) : undefined;
}

function filter<T extends KubeObject>(objects: T[], selector: SelectorArg): T[] {
  const sel = toSelector(selector);
  return sel && !sel.isEmpty() ? objects.filter((o) => sel.matches(o.metadata?.labels)) : objects;
}

export class NamespaceLister<T extends KubeObject> {
  constructor(
    private readonly indexer: ReadonlyIndexer<T>,
    readonly namespace: string,
  ) {}

  /** Objects in this namespace matching the label selector (all without one). Shared: do not modify. */
  list(selector?: SelectorArg): T[] {
    return filter(this.indexer.byIndex(NAMESPACE_INDEX, this.namespace), selector);
  }

  get(name: string): T | undefined {
    return this.indexer.get(`${this.namespace}/${name}`);
  }
}

export class Lister<T extends KubeObject> {
  constructor(readonly indexer: ReadonlyIndexer<T>) {}

  /** Every cached object (all namespaces) matching the label selector. Shared: do not modify. */
  list(selector?: SelectorArg): T[] {
    return filter(this.indexer.list(), selector);
  }

  /** A cluster-scoped object by name (for namespaced ones use namespace(ns).get(name), or getByKey). */
  get(name: string): T | undefined {
    return this.indexer.get(name);
  }

  getByKey(key: string): T | undefined {
    return this.indexer.get(key);
  }

  namespace(ns: string): NamespaceLister<T> {
    return new NamespaceLister(this.indexer, ns);
  }

  byIndex(indexName: string, value: string): T[] {
    return this.indexer.byIndex(indexName, value);
  }
}
