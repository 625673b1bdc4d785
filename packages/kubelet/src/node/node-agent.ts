// The kubelet's side of the Node: register it, renew its Lease in kube-node-lease (every quarter of the lease, 10 s
// by default, as the node lifecycle controller expects) and write its status every --node-status-update-frequency.
// The Lease is the heartbeat; the status carries capacity and conditions. Failures are logged and retried on the
// next tick: a kubelet that cannot reach the apiserver keeps running its pods.
import type { corev1 } from '@k8ts/api-machinery';
import { isAlreadyExists, isNotFound, refs, type KubeClient, type Lease } from '@k8ts/client';
import type { Logger } from '@k8ts/observability';
import type { HostFacts } from './host-facts.js';
import { newNode, nodeLabels, nodeStatus, type NodeHealth, type NodeIdentity } from './node-status.js';

export interface NodeAgentOptions {
  client: KubeClient;
  identity: NodeIdentity;
  facts: HostFacts;
  /** Sampled at every status write. */
  health: () => Promise<NodeHealth>;
  statusUpdateFrequencyMs: number;
  leaseDurationSeconds: number;
  logger: Logger;
}

const microTime = (d = new Date()): string => d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');

export class NodeAgent {
  private node: corev1.Node | undefined;
  private timers: NodeJS.Timeout[] = [];
  private stopped = false;
  private readonly listeners: Array<(node: corev1.Node) => void> = [];

  constructor(private readonly opts: NodeAgentOptions) {}

  get current(): corev1.Node | undefined {
    return this.node;
  }

  /** Called with the Node after every successful read or write (the kubelet learns its podCIDR this way). */
  onNode(listener: (node: corev1.Node) => void): void {
    this.listeners.push(listener);
  }

  /** Registers the node (retrying until the apiserver answers), then starts the lease and status loops. */
  async start(signal: AbortSignal): Promise<void> {
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        await this.register();
        break;
      } catch (e) {
        this.opts.logger.warn({ err: e, attempt }, 'node registration failed; retrying');
        await new Promise((r) => setTimeout(r, Math.min(7000, 500 * 2 ** attempt)));
      }
    }
    if (signal.aborted) return;
    const { leaseDurationSeconds, statusUpdateFrequencyMs } = this.opts;
    await this.renewLease().catch((e: unknown) => this.opts.logger.warn({ err: e }, 'lease renewal failed'));
    this.timers.push(
      setInterval(() => {
        if (!this.stopped) this.renewLease().catch((e: unknown) => this.opts.logger.warn({ err: e }, 'lease renewal failed'));
      }, (leaseDurationSeconds * 1000) / 4),
      setInterval(() => {
        if (!this.stopped) this.updateStatus().catch((e: unknown) => this.opts.logger.warn({ err: e }, 'node status update failed'));
      }, statusUpdateFrequencyMs),
    );
  }

  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
  }

  private nodes() {
    return this.opts.client.resource<corev1.Node>(refs.nodes);
  }

  private publish(node: corev1.Node): void {
    this.node = node;
    for (const l of this.listeners) l(node);
  }

  private async register(): Promise<void> {
    const { identity, facts } = this.opts;
    const now = new Date().toISOString();
    const health = await this.opts.health();
    try {
      this.publish(await this.nodes().create(newNode(identity, facts, health, now)));
      this.opts.logger.info({ node: identity.nodeName }, 'node registered');
      return;
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
    }
    // Re-registration (kubelet restart): reconcile our labels and the podCIDR we were told to use, keep the rest.
    const existing = await this.nodes().get(identity.nodeName);
    const labels = { ...(existing.metadata?.labels ?? {}), ...nodeLabels(identity, facts) };
    const patch: Record<string, unknown> = { metadata: { labels } };
    if (identity.podCIDR && !existing.spec?.podCIDR) patch['spec'] = { podCIDR: identity.podCIDR, podCIDRs: [identity.podCIDR] };
    this.publish(await this.nodes().patch(identity.nodeName, 'merge', patch));
    await this.updateStatus();
    this.opts.logger.info({ node: identity.nodeName }, 'node already registered; status updated');
  }

  async updateStatus(): Promise<void> {
    const { identity, facts } = this.opts;
    const health = await this.opts.health();
    const status = nodeStatus(identity, facts, health, this.node?.status?.conditions, new Date().toISOString());
    try {
      this.publish(await this.nodes().patchStatus(identity.nodeName, 'merge', { status }));
    } catch (e) {
      // Someone deleted our Node: register again, as the kubelet does.
      if (isNotFound(e)) await this.register();
      else throw e;
    }
  }

  private async renewLease(): Promise<void> {
    const name = this.opts.identity.nodeName;
    const leases = this.opts.client.resource<Lease>(refs.leases).namespace('kube-node-lease');
    const spec = { holderIdentity: name, leaseDurationSeconds: this.opts.leaseDurationSeconds, renewTime: microTime() };
    try {
      await leases.patch(name, 'merge', { spec });
    } catch (e) {
      if (!isNotFound(e)) throw e;
      const uid = this.node?.metadata?.uid;
      try {
        await leases.create({
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name, namespace: 'kube-node-lease', ...(uid ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid }] } : {}) },
          spec,
        });
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
      }
    }
  }
}
