// The kubelet's pod workers: watch only the pods bound to this node, and sync each pod by uid through a work queue
// (one sync per pod at a time, many pods in parallel). Triggers: pod changes, runtime events (a container died),
// probe results, backoff expiry and a periodic resync. Housekeeping finds pods the runtime has but the API no
// longer does (deleted while we were down, or force-deleted) and cleans them up.
import { isDeepStrictEqual } from 'node:util';
import type { corev1 } from '@k8ts/api-machinery';
import { Controller, DeletedFinalStateUnknown, refs, SharedInformerFactory, WorkQueueMetrics, type KubeClient, type SharedIndexInformer } from '@k8ts/client';
import type { Logger, Registry } from '@k8ts/observability';
import type { PodRuntime } from '../runtime/pod-runtime.js';
import type { PodRuntimeStatus } from '../runtime/types.js';
import type { PodSyncer } from './pod-syncer.js';

export interface PodManagerOptions {
  client: KubeClient;
  nodeName: string;
  runtime: PodRuntime;
  syncer: PodSyncer;
  workers: number;
  syncFrequencyMs: number;
  housekeepingIntervalMs: number;
  logger: Logger;
  registry: Registry;
  /** Runs at every housekeeping pass (dead container GC). */
  housekeeping?: (pods: ReadonlyMap<string, corev1.Pod>, runtimePods: PodRuntimeStatus[]) => Promise<void>;
}

const UID_INDEX = 'uid';

/**
 * The kubelet's own status writes come back as updates; syncing again on them would overwrite short-lived states at
 * once (ErrImagePull became ImagePullBackOff within milliseconds). Like the kubelet's pod config, react to changes
 * of spec and metadata only; runtime events, probes, backoff expiry and the periodic resync cover the rest.
 */
function onlyStatusChanged(old: corev1.Pod, current: corev1.Pod): boolean {
  const strip = (p: corev1.Pod): unknown => ({ ...p, status: undefined, metadata: { ...p.metadata, resourceVersion: undefined, managedFields: undefined } });
  return isDeepStrictEqual(strip(old), strip(current));
}

export class PodManager {
  readonly informer: SharedIndexInformer<corev1.Pod>;
  private readonly controller: Controller;
  private readonly factory: SharedInformerFactory;
  /** Pods we have synced at least once (their uid), so a deletion we did not see is still cleaned up. */
  private readonly known = new Set<string>();
  private readonly starts = new Map<string, number>();

  constructor(private readonly opts: PodManagerOptions) {
    this.factory = new SharedInformerFactory(opts.client);
    this.informer = this.factory.informerFor<corev1.Pod>(refs.pods, {
      fieldSelector: `spec.nodeName=${opts.nodeName}`,
      indexers: { [UID_INDEX]: (p) => (p.metadata?.uid ? [p.metadata.uid] : []) },
    });
    this.controller = new Controller({
      name: 'kubelet-pods',
      workers: opts.workers,
      logger: opts.logger,
      metrics: WorkQueueMetrics.for(opts.registry),
      reconcile: (uid, signal) => this.reconcile(uid, signal),
    });
    this.informer.addEventHandler({
      onAdd: (p) => this.enqueuePod(p),
      onUpdate: (old, p) => {
        if (!onlyStatusChanged(old, p)) this.enqueuePod(p);
      },
      onDelete: (p) => this.enqueuePod(p instanceof DeletedFinalStateUnknown ? p.obj : p),
    });
  }

  private enqueuePod(p: corev1.Pod): void {
    const uid = p.metadata?.uid;
    if (uid) this.controller.enqueue(uid);
  }

  /** Re-sync a pod now (probe result changed, container died). */
  enqueue(uid: string): void {
    this.controller.enqueue(uid);
  }

  podByUid(uid: string): corev1.Pod | undefined {
    return this.informer.indexer.byIndex(UID_INDEX, uid)[0];
  }

  pods(): corev1.Pod[] {
    return this.informer.indexer.list();
  }

  /** First sync of each pod: for the pod startup latency metric. */
  firstSeen(uid: string): number | undefined {
    return this.starts.get(uid);
  }

  private async reconcile(uid: string, signal: AbortSignal): Promise<{ requeueAfterMs: number } | void> {
    const pod = this.podByUid(uid);
    if (!pod) {
      // Gone from the API: kill and remove whatever the runtime still has of it.
      if (this.known.has(uid) || (await this.runtimeHas(uid))) {
        this.opts.logger.info({ uid }, 'pod no longer exists; removing its containers');
        await this.opts.syncer.cleanup(uid);
      }
      this.known.delete(uid);
      this.starts.delete(uid);
      return;
    }
    if (!this.known.has(uid)) {
      this.known.add(uid);
      this.starts.set(uid, Date.now());
    }
    const result = await this.opts.syncer.sync(pod, signal);
    if (result.done) return;
    // Level-triggered: come back at the next periodic resync at the latest.
    return { requeueAfterMs: Math.min(result.requeueAfterMs ?? this.opts.syncFrequencyMs, this.opts.syncFrequencyMs) };
  }

  private async runtimeHas(uid: string): Promise<boolean> {
    const s = await this.opts.runtime.podStatus({ uid, name: '', namespace: '' });
    return s.containers.length > 0 || s.sandboxes.length > 0;
  }

  /** Starts the informer, the workers, runtime-event reactions and housekeeping; resolves when `signal` aborts. */
  async run(signal: AbortSignal): Promise<void> {
    this.factory.start();
    void this.watchRuntime(signal);
    const timer = setInterval(() => {
      void this.housekeep().catch((e: unknown) => this.opts.logger.warn({ err: e }, 'housekeeping failed'));
    }, this.opts.housekeepingIntervalMs);
    signal.addEventListener('abort', () => clearInterval(timer), { once: true });
    const first = this.informer.waitForSync(signal).then(() => this.housekeep());
    void first.catch(() => undefined);
    await this.controller.run(signal, [this.informer]);
    await this.factory.stop();
  }

  private async watchRuntime(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        for await (const ev of this.opts.runtime.events(signal)) {
          if (ev.action === 'die' || ev.action === 'oom' || ev.action === 'start' || ev.action === 'destroy') this.controller.enqueue(ev.podUid);
        }
      } catch (e) {
        if (signal.aborted) return;
        this.opts.logger.warn({ err: e }, 'runtime event stream failed; reconnecting');
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
  }

  /** Orphans (runtime pods with no API pod) are enqueued for cleanup; then container GC. */
  async housekeep(): Promise<void> {
    if (!this.informer.hasSynced()) return;
    const runtimePods = await this.opts.runtime.listPods();
    for (const p of runtimePods) if (!this.podByUid(p.uid)) this.controller.enqueue(p.uid);
    const byUid = new Map(this.pods().map((p) => [p.metadata?.uid ?? '', p]));
    await this.opts.housekeeping?.(byUid, runtimePods);
  }
}
