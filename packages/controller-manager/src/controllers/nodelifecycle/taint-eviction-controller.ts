// The taint eviction controller (pkg/controller/tainteviction): deletes pods bound to nodes with NoExecute taints
// they do not tolerate, at once, or after the shortest tolerationSeconds of the tolerations they use. The clock of
// a pod's eviction starts when this controller first sees it tainted, as in Kubernetes; it stops (with a
// cancellation event) when the taint goes or becomes tolerated forever.
import type { Node, Pod } from '@k8ts/api-machinery';
import { Controller, isNotFound, refs, type EventRecorder, type Lister, type ReconcileResult, type ResourceClient, type Syncable } from '@k8ts/client';
import { type ControllerContext, type ControllerDescriptor, newController } from '../../controller-context.js';
import { rfc3339 } from './node-lifecycle-logic.js';
import { effectiveTolerations, evictionDecision } from './taint-eviction-logic.js';

const KEY = 'taint-eviction';
/** Pass at least this often while evictions are pending, so a missed event never strands one. */
const MAX_PASS_INTERVAL_MS = 10_000;

export class TaintEvictionController {
  readonly controller: Controller;
  private readonly nodes: Lister<Node>;
  private readonly pods: Lister<Pod>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly recorder: EventRecorder;
  /** Pod uid -> when its eviction was scheduled (taintEvictionQueue's CreatedAt). */
  private readonly scheduled = new Map<string, number>();
  private readonly syncables: Syncable[];

  constructor(private readonly ctx: ControllerContext) {
    const nodeInformer = ctx.informers.informerFor<Node>(refs.nodes);
    const podInformer = ctx.informers.informerFor<Pod>(refs.pods);
    this.nodes = nodeInformer.lister();
    this.pods = podInformer.lister();
    this.podClient = ctx.client.resource<Pod>(refs.pods);
    this.recorder = ctx.recorder('taint-eviction-controller');
    this.syncables = [nodeInformer, podInformer];
    this.controller = newController(ctx, 'taint-eviction-controller', () => this.pass());
    // One key for every change: a pass only looks at pods on nodes with NoExecute taints, which is cheap.
    nodeInformer.addEventHandler({ onAdd: () => this.controller.enqueue(KEY), onUpdate: () => this.controller.enqueue(KEY) });
    podInformer.addEventHandler({ onAdd: () => this.controller.enqueue(KEY), onUpdate: () => this.controller.enqueue(KEY) });
  }

  run(signal: AbortSignal): Promise<void> {
    this.controller.enqueue(KEY);
    return this.controller.run(signal, this.syncables);
  }

  private async pass(): Promise<ReconcileResult> {
    const now = this.ctx.clock.now();
    const seen = new Set<string>();
    let nextDue: number | undefined;
    const failures: string[] = [];
    for (const pod of this.pods.list()) {
      const nodeName = pod.spec?.nodeName;
      if (!nodeName || pod.metadata?.deletionTimestamp) continue;
      const uid = pod.metadata?.uid ?? '';
      const taints = this.nodes.get(nodeName)?.spec?.taints ?? [];
      const started = this.scheduled.get(uid) ?? now;
      const decision = evictionDecision(taints, effectiveTolerations(pod, this.ctx.settings.defaultNotReadyTolerationSeconds), started);
      if (decision.kind === 'keep') {
        if (this.scheduled.has(uid)) this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${pod.metadata?.namespace}/${pod.metadata?.name}`);
        continue;
      }
      seen.add(uid);
      if (!this.scheduled.has(uid)) this.scheduled.set(uid, started);
      if (decision.kind === 'wait' && decision.atMs > now) {
        nextDue = Math.min(nextDue ?? Infinity, decision.atMs);
        continue;
      }
      try {
        await this.evict(pod);
      } catch (err) {
        failures.push(`${pod.metadata?.namespace}/${pod.metadata?.name}: ${err instanceof Error ? err.message : String(err)}`);
        nextDue = Math.min(nextDue ?? Infinity, now + 1000);
      }
    }
    // Forget pods that are gone or no longer tainted.
    for (const uid of this.scheduled.keys()) if (!seen.has(uid)) this.scheduled.delete(uid);
    if (failures.length > 0) this.ctx.logger.warn({ controller: 'taint-eviction-controller', failures }, 'failed to evict some pods');
    return nextDue === undefined ? {} : { requeueAfterMs: Math.max(10, Math.min(MAX_PASS_INTERVAL_MS, nextDue - now)) };
  }

  /** addConditionAndDeletePod: mark why (DisruptionTarget), then delete with the pod's own grace period. */
  private async evict(pod: Pod): Promise<void> {
    const ns = pod.metadata?.namespace ?? '';
    const name = pod.metadata?.name ?? '';
    this.recorder.event(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${ns}/${name}`);
    const pods = this.podClient.namespace(ns);
    try {
      await pods.patchStatus(name, 'strategic', {
        metadata: { uid: pod.metadata?.uid },
        status: {
          conditions: [
            {
              type: 'DisruptionTarget',
              status: 'True',
              reason: 'DeletionByTaintManager',
              message: 'Taint manager: deleting due to NoExecute taint',
              lastTransitionTime: rfc3339(this.ctx.clock.now()),
            },
          ],
        },
      });
      await pods.delete(name, { preconditions: { uid: pod.metadata?.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}

export const taintEvictionControllerDescriptor: ControllerDescriptor = {
  name: 'taint-eviction-controller',
  enabledByDefault: true,
  start: (ctx, signal) => new TaintEvictionController(ctx).run(signal),
};
