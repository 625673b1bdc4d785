// The two calls a reflector needs, bound to one resource, namespace and selectors.
import type { LabelSelectorInput, ResourceClient } from '../rest/resource-client.js';
import type { KubeObject, ListOf } from '../types.js';
import type { WatchEvent } from '../watch/watch.js';

/** A running watch as the reflector consumes it (WatchStream is one). */
export interface WatchHandle<T> extends AsyncIterable<WatchEvent<T>> {
  close(): void;
}

export interface ListCallOptions {
  limit?: number | undefined;
  continue?: string | undefined;
  resourceVersion?: string | undefined;
  signal: AbortSignal;
}

export interface WatchCallOptions {
  resourceVersion: string;
  allowWatchBookmarks: boolean;
  timeoutSeconds: number;
  signal: AbortSignal;
}

export interface ListWatch<T> {
  list(opts: ListCallOptions): Promise<ListOf<T>>;
  watch(opts: WatchCallOptions): Promise<WatchHandle<T>>;
}

export interface ListWatchSelectors {
  labelSelector?: LabelSelectorInput | undefined;
  fieldSelector?: string | undefined;
}

export function listWatchFor<T extends KubeObject>(resource: ResourceClient<T>, selectors: ListWatchSelectors = {}): ListWatch<T> {
  return {
    list: (opts) =>
      resource.list({
        labelSelector: selectors.labelSelector,
        fieldSelector: selectors.fieldSelector,
        limit: opts.limit,
        continue: opts.continue,
        resourceVersion: opts.resourceVersion,
        signal: opts.signal,
      }),
    watch: (opts) =>
      resource.watch({
        labelSelector: selectors.labelSelector,
        fieldSelector: selectors.fieldSelector,
        resourceVersion: opts.resourceVersion,
        allowWatchBookmarks: opts.allowWatchBookmarks,
        timeoutSeconds: opts.timeoutSeconds,
        signal: opts.signal,
      }),
  };
}
