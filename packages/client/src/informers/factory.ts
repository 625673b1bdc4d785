// One informer per (resource, namespace, selectors) for a whole process, however many controllers ask for it, so
// that each collection is listed and watched once (client-go's SharedInformerFactory).
import type { Logger } from 'pino';
import type { Indexers } from '../cache/store.js';
import type { KubeClient } from '../client.js';
import { labelSelectorString, type LabelSelectorInput } from '../rest/resource-client.js';
import { apiVersionOf, type ResourceRef } from '../rest/resources.js';
import { listWatchFor } from '../tools/list-watch.js';
import type { ReflectorOptions } from '../tools/reflector.js';
import type { KubeObject } from '../types.js';
import type { Clock } from '../util/clock.js';
import type { Lister } from './lister.js';
import { SharedIndexInformer } from './shared-informer.js';

export interface InformerFactoryOptions {
  /** Only this namespace (default: all). */
  namespace?: string | undefined;
  /** Default resync period of every handler (default 0: none). */
  resyncPeriodMs?: number | undefined;
  logger?: Logger | undefined;
  clock?: Clock | undefined;
  reflector?: Omit<ReflectorOptions, 'name' | 'logger' | 'clock' | 'typeMeta'> | undefined;
}

export interface InformerOptions<T extends KubeObject> {
  /** Overrides the factory's namespace ('' = all namespaces). */
  namespace?: string | undefined;
  labelSelector?: LabelSelectorInput | undefined;
  fieldSelector?: string | undefined;
  /** Added to the (possibly shared) informer's cache. */
  indexers?: Indexers<T> | undefined;
}

export class SharedInformerFactory {
  private readonly informers = new Map<string, SharedIndexInformer<KubeObject>>();
  private readonly started = new Set<string>();
  private stopped = false;

  constructor(
    private readonly client: KubeClient,
    private readonly opts: InformerFactoryOptions = {},
  ) {}

  /** The shared informer for `ref` with these options (created on first request, started by start()). */
  informerFor<T extends KubeObject>(ref: ResourceRef, opts: InformerOptions<T> = {}): SharedIndexInformer<T> {
    const namespace = ref.namespaced ? (opts.namespace ?? this.opts.namespace ?? '') : '';
    const labelSelector = labelSelectorString(opts.labelSelector) ?? '';
    const fieldSelector = opts.fieldSelector ?? '';
    const key = [ref.group, ref.version, ref.resource, namespace, labelSelector, fieldSelector].join('|');
    let informer = this.informers.get(key) as SharedIndexInformer<T> | undefined;
    if (!informer) {
      const resource = this.client.resource<T>(ref);
      const scoped = namespace ? resource.namespace(namespace) : resource;
      informer = new SharedIndexInformer<T>(listWatchFor(scoped, { labelSelector, fieldSelector }), {
        name: [ref.group ? `${ref.resource}.${ref.group}` : ref.resource, namespace, labelSelector, fieldSelector].filter(Boolean).join(' '),
        resyncPeriodMs: this.opts.resyncPeriodMs,
        logger: this.opts.logger,
        clock: this.opts.clock,
        reflector: { ...this.opts.reflector, typeMeta: { apiVersion: apiVersionOf(ref), kind: ref.kind } },
      });
      this.informers.set(key, informer as unknown as SharedIndexInformer<KubeObject>);
    }
    if (opts.indexers) informer.addIndexers(opts.indexers);
    return informer;
  }

  /** Shorthand for informerFor(ref, opts).lister(). */
  lister<T extends KubeObject>(ref: ResourceRef, opts: InformerOptions<T> = {}): Lister<T> {
    return this.informerFor<T>(ref, opts).lister();
  }

  /** Starts every informer requested so far that is not running yet (call again after requesting more). */
  start(): void {
    if (this.stopped) throw new Error('the informer factory was stopped');
    for (const [key, informer] of this.informers) {
      if (this.started.has(key)) continue;
      this.started.add(key);
      informer.start();
    }
  }

  /** Resolves true once every started informer has synced, false if `signal` aborts first. */
  async waitForCacheSync(signal?: AbortSignal): Promise<boolean> {
    const started = [...this.informers].filter(([key]) => this.started.has(key)).map(([, i]) => i);
    const results = await Promise.all(started.map((i) => i.waitForSync(signal)));
    return results.every(Boolean);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.informers.values()].map((i) => i.stop()));
  }
}
