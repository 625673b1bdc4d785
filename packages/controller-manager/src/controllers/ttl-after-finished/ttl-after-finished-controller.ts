// The TTL-after-finished controller (pkg/controller/ttlafterfinished): deletes a finished Job once
// ttlSecondsAfterFinished has passed since it completed or failed, re-reading it from the apiserver first so that a
// TTL changed meanwhile is honoured. Kubernetes deletes in the foreground; k8ts deletes in the background, so the
// Job goes at once and the garbage collector removes its pods after it.
import type { Job } from '@k8ts/api-machinery';
import { Controller, isNotFound, refs, splitMetaNamespaceKey, type Lister, type ResourceClient } from '@k8ts/client';
import { type ControllerContext, type ControllerDescriptor, newController } from '../../controller-context.js';
import { needsCleanup, ttlDecision } from './ttl-logic.js';

export class TtlAfterFinishedController {
  readonly controller: Controller;
  private readonly jobs: Lister<Job>;
  private readonly jobClient: ResourceClient<Job>;
  private readonly syncables;

  constructor(private readonly ctx: ControllerContext) {
    const informer = ctx.informers.informerFor<Job>(refs.jobs);
    this.jobs = informer.lister();
    this.jobClient = ctx.client.resource<Job>(refs.jobs);
    this.syncables = [informer];
    this.controller = newController(ctx, 'ttl_jobs_to_delete', (key) => this.sync(key), ctx.settings.concurrentSyncs);
    const consider = (job: Job): void => {
      if (!job.metadata?.deletionTimestamp && needsCleanup(job)) this.controller.enqueue(job);
    };
    informer.addEventHandler({ onAdd: consider, onUpdate: (_old, job) => consider(job) });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, this.syncables);
  }

  private async sync(key: string): Promise<{ requeueAfterMs?: number } | void> {
    const { namespace = '', name } = splitMetaNamespaceKey(key);
    const cached = this.jobs.namespace(namespace).get(name);
    if (!cached) return;
    const first = ttlDecision(cached, this.ctx.clock.now());
    if (first.action === 'error') throw new Error(first.message);
    if (first.action === 'wait') return { requeueAfterMs: first.afterMs };
    if (first.action === 'none') return;
    // The cache may be stale: decide again on the stored Job before deleting it.
    const client = this.jobClient.namespace(namespace);
    let fresh: Job;
    try {
      fresh = await client.get(name);
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
    const second = ttlDecision(fresh, this.ctx.clock.now());
    if (second.action === 'error') throw new Error(second.message);
    if (second.action === 'wait') return { requeueAfterMs: second.afterMs };
    if (second.action === 'none') return;
    this.ctx.logger.debug({ job: key }, 'cleaning up Job');
    try {
      await client.delete(name, { propagationPolicy: 'Background', preconditions: { uid: fresh.metadata?.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

export const ttlAfterFinishedControllerDescriptor: ControllerDescriptor = {
  name: 'ttl-after-finished',
  enabledByDefault: true,
  start: (ctx: ControllerContext, signal: AbortSignal) => new TtlAfterFinishedController(ctx).run(signal),
};
