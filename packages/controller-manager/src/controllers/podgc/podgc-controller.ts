// The pod garbage collector (pkg/controller/podgc): every --pod-gc-period it deletes terminated pods beyond
// --terminated-pod-gc-threshold, pods bound to Nodes that no longer exist (after a quarantine and a live check),
// terminating pods on out-of-service Nodes and terminating pods never scheduled. Pods not yet finished are first
// marked Failed, since no kubelet will ever report them; then they are deleted at once (grace period 0).
import type { Node, Pod, PodCondition } from '@k8ts/api-machinery';
import { Controller, isNotFound, refs, type Lister, type ReconcileResult, type ResourceClient, type Syncable } from '@k8ts/client';
import { type ControllerContext, type ControllerDescriptor, newController } from '../../controller-context.js';
import {
  isPodTerminated,
  NodeQuarantine,
  nodeGoneCondition,
  terminatedPodsToDelete,
  terminatingPodsOnOutOfServiceNodes,
  unknownNodeNames,
  unscheduledTerminatingPods,
} from './podgc-logic.js';

const KEY = 'podgc';

export class PodGCController {
  readonly controller: Controller;
  private readonly pods: Lister<Pod>;
  private readonly nodes: Lister<Node>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly nodeClient: ResourceClient<Node>;
  private readonly quarantine: NodeQuarantine;
  private readonly syncables: Syncable[];

  constructor(private readonly ctx: ControllerContext) {
    const podInformer = ctx.informers.informerFor<Pod>(refs.pods);
    const nodeInformer = ctx.informers.informerFor<Node>(refs.nodes);
    this.pods = podInformer.lister();
    this.nodes = nodeInformer.lister();
    this.podClient = ctx.client.resource<Pod>(refs.pods);
    this.nodeClient = ctx.client.resource<Node>(refs.nodes);
    this.quarantine = new NodeQuarantine(ctx.settings.podGcOrphanQuarantineMs);
    this.syncables = [podInformer, nodeInformer];
    this.controller = newController(ctx, 'podgc', () => this.gc());
  }

  run(signal: AbortSignal): Promise<void> {
    // One key, reconciled every period: the queue gives backoff on failure and never runs two passes at once.
    this.controller.enqueue(KEY);
    return this.controller.run(signal, this.syncables);
  }

  private async gc(): Promise<ReconcileResult> {
    const pods = this.pods.list();
    const now = this.ctx.clock.now();
    const doomed = new Map<string, { pod: Pod; condition?: PodCondition | undefined }>();
    const add = (pod: Pod, condition?: PodCondition): void => {
      const key = `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
      if (!doomed.has(key)) doomed.set(key, { pod, condition });
    };
    for (const pod of terminatedPodsToDelete(pods, this.ctx.settings.terminatedPodGcThreshold)) add(pod);
    for (const pod of terminatingPodsOnOutOfServiceNodes(pods, (n) => this.nodes.get(n))) add(pod);
    for (const pod of await this.orphanedPods(pods, now)) add(pod, nodeGoneCondition(new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z')));
    for (const pod of unscheduledTerminatingPods(pods)) add(pod);

    const failures: string[] = [];
    await Promise.all(
      [...doomed.values()].map(({ pod, condition }) =>
        this.markFailedAndDelete(pod, condition).catch((err: unknown) => {
          failures.push(`${pod.metadata?.namespace}/${pod.metadata?.name}: ${err instanceof Error ? err.message : String(err)}`);
        }),
      ),
    );
    if (failures.length > 0) this.ctx.logger.warn({ controller: 'podgc', failures }, 'failed to delete some pods');
    // Next pass after the period, or when a quarantine ends if sooner.
    const due = this.quarantine.nextDue();
    const period = this.ctx.settings.podGcPeriodMs;
    return { requeueAfterMs: due === undefined ? period : Math.max(10, Math.min(period, due - now)) };
  }

  /** gcOrphaned: pods on Nodes missing from the cache since the quarantine began and confirmed absent by a GET. */
  private async orphanedPods(pods: Pod[], now: number): Promise<Pod[]> {
    const known = new Set(this.nodes.list().map((n) => n.metadata?.name ?? ''));
    for (const name of unknownNodeNames(pods, known)) this.quarantine.notice(name, now);
    const deleted = new Set<string>();
    for (const name of this.quarantine.takeDue(now)) {
      if (known.has(name)) continue;
      try {
        await this.nodeClient.get(name);
      } catch (err) {
        if (isNotFound(err)) deleted.add(name);
        else throw err;
      }
    }
    return pods.filter((p) => deleted.has(p.spec?.nodeName ?? ''));
  }

  private async markFailedAndDelete(pod: Pod, condition: PodCondition | undefined): Promise<void> {
    const name = pod.metadata?.name ?? '';
    const pods = this.podClient.namespace(pod.metadata?.namespace ?? '');
    this.ctx.logger.info({ controller: 'podgc', pod: `${pod.metadata?.namespace}/${name}`, node: pod.spec?.nodeName }, 'PodGC is force deleting Pod');
    try {
      if (!isPodTerminated(pod)) {
        await pods.patchStatus(name, 'strategic', {
          metadata: { uid: pod.metadata?.uid },
          status: { phase: 'Failed', ...(condition ? { conditions: [condition] } : {}) },
        });
      }
      await pods.delete(name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata?.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

export const podGCControllerDescriptor: ControllerDescriptor = {
  name: 'podgc',
  enabledByDefault: true,
  start: (ctx, signal) => new PodGCController(ctx).run(signal),
};
