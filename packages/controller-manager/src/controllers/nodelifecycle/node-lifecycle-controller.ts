// The node lifecycle controller (pkg/controller/nodelifecycle): every --node-monitor-period it judges each node's
// health from its Lease in kube-node-lease and its Ready heartbeat; a node silent for --node-monitor-grace-period
// gets its conditions set Unknown. Node conditions become taints (NoExecute not-ready/unreachable for taint-based
// eviction, NoSchedule ones for TaintNodesByCondition), removed again when the node recovers; pods on a node that
// is not Ready are marked Ready=False. Evicting them is the taint eviction controller's job.
import type { Node, Pod } from '@k8ts/api-machinery';
import { Controller, isNotFound, objectOf, refs, type EventRecorder, type Lease, type Lister, type ReconcileResult, type ResourceClient, type Syncable } from '@k8ts/client';
import { type ControllerContext, type ControllerDescriptor, newController } from '../../controller-context.js';
import {
  becameNotReady,
  desiredTaints,
  NodeHealthTracker,
  readyStatus,
  reconcileTaints,
  rfc3339,
  staleNodeConditions,
  type ConditionStatus,
} from './node-lifecycle-logic.js';

const KEY = 'monitor-node-health';
const LEASE_NAMESPACE = 'kube-node-lease';

export class NodeLifecycleController {
  readonly controller: Controller;
  private readonly nodes: Lister<Node>;
  private readonly pods: Lister<Pod>;
  private readonly leases: Lister<Lease>;
  private readonly nodeClient: ResourceClient<Node>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly recorder: EventRecorder;
  private readonly health = new NodeHealthTracker();
  /** Ready as of the previous pass, to see transitions. */
  private readonly lastReady = new Map<string, ConditionStatus>();
  private readonly syncables: Syncable[];

  constructor(private readonly ctx: ControllerContext) {
    const nodeInformer = ctx.informers.informerFor<Node>(refs.nodes);
    const podInformer = ctx.informers.informerFor<Pod>(refs.pods);
    const leaseInformer = ctx.informers.informerFor<Lease>(refs.leases, { namespace: LEASE_NAMESPACE });
    this.nodes = nodeInformer.lister();
    this.pods = podInformer.lister();
    this.leases = leaseInformer.lister();
    this.nodeClient = ctx.client.resource<Node>(refs.nodes);
    this.podClient = ctx.client.resource<Pod>(refs.pods);
    this.recorder = ctx.recorder('node-controller');
    this.syncables = [nodeInformer, podInformer, leaseInformer];
    this.controller = newController(ctx, 'nodelifecycle', () => this.monitor());
    nodeInformer.addEventHandler({
      onAdd: (node) => {
        const name = node.metadata?.name ?? '';
        this.recorder.event(node, 'Normal', 'RegisteredNode', `Node ${name} event: Registered Node ${name} in Controller`);
        this.controller.enqueue(KEY);
      },
      onUpdate: () => this.controller.enqueue(KEY),
      onDelete: (obj) => {
        const node = objectOf(obj);
        const name = node.metadata?.name ?? '';
        this.recorder.event(node, 'Normal', 'RemovingNode', `Node ${name} event: Removing Node ${name} from Controller`);
        this.health.forget(name);
        this.lastReady.delete(name);
      },
    });
  }

  run(signal: AbortSignal): Promise<void> {
    this.controller.enqueue(KEY);
    return this.controller.run(signal, this.syncables);
  }

  /** monitorNodeHealth: one pass over every node; the next one after the period. */
  private async monitor(): Promise<ReconcileResult> {
    const failures: string[] = [];
    for (const node of this.nodes.list()) {
      try {
        await this.monitorNode(node);
      } catch (err) {
        if (isNotFound(err)) continue;
        failures.push(`${node.metadata?.name}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    // A failed node retries on the next pass, which is soon enough and keeps one node from stalling the others.
    if (failures.length > 0) this.ctx.logger.warn({ controller: 'nodelifecycle', failures }, 'failed to update some nodes');
    return { requeueAfterMs: this.ctx.settings.nodeMonitorPeriodMs };
  }

  private async monitorNode(cached: Node): Promise<void> {
    const name = cached.metadata?.name ?? '';
    const now = this.ctx.clock.now();
    const lease = this.leases.namespace(LEASE_NAMESPACE).get(name);
    const probeMs = this.health.observe(cached, lease?.spec?.renewTime, now);
    let node = cached;
    const stale = staleNodeConditions(node, probeMs, this.ctx.settings.nodeMonitorGracePeriodMs, now);
    if (stale) {
      node = await this.nodeClient.updateStatus({ ...node, status: { ...node.status, conditions: stale } });
      this.ctx.logger.info({ controller: 'nodelifecycle', node: name }, 'node stopped posting status; conditions set Unknown');
    }

    const ready = readyStatus(node);
    const previous = this.lastReady.get(name);
    this.lastReady.set(name, ready);
    if (becameNotReady(previous, ready)) {
      this.recorder.event(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
    }
    if (ready !== 'True') await this.markPodsNotReady(name);

    const taints = reconcileTaints(node.spec?.taints ?? [], desiredTaints(node), now);
    if (taints) await this.nodeClient.update({ ...node, spec: { ...node.spec, taints } });
  }

  /** MarkPodsNotReady: a pod on a node that is not Ready cannot be known to be ready. */
  private async markPodsNotReady(nodeName: string): Promise<void> {
    const now = rfc3339(this.ctx.clock.now());
    for (const pod of this.pods.list()) {
      if (pod.spec?.nodeName !== nodeName) continue;
      const conditions = pod.status?.conditions ?? [];
      if (!conditions.some((c) => c.type === 'Ready' && c.status === 'True')) continue;
      const updated = conditions.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: now } : c));
      try {
        await this.podClient.namespace(pod.metadata?.namespace ?? '').updateStatus({ ...pod, status: { ...pod.status, conditions: updated } });
        this.recorder.event(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (err) {
        if (!isNotFound(err)) throw err;
      }
    }
  }
}

export const nodeLifecycleControllerDescriptor: ControllerDescriptor = {
  name: 'nodelifecycle',
  enabledByDefault: true,
  start: (ctx, signal) => new NodeLifecycleController(ctx).run(signal),
};
