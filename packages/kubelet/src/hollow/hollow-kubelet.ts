// --runtime=hollow, kubemark's hollow kubelet: registers and heartbeats like a real node and reports the pods bound
// to it Running (and deletes them when asked) without running anything. For scheduler and controller scale tests
// with hundreds of nodes on one machine; never the default, and the Node says so (nodeInfo, label, annotation).
import { hostname } from 'node:os';
import type { corev1 } from '@k8ts/api-machinery';
import { Controller, KubeClient, refs, SharedInformerFactory, WorkQueueMetrics } from '@k8ts/client';
import { Registry, startComponentServer, type ComponentServer, type Logger } from '@k8ts/observability';
import type { KubeletFlags } from '../cli/flags.js';
import { PodIPAllocator } from '../network/ipam.js';
import { availableMemoryBytes, defaultNodeIP, diskBytes, readHostFacts } from '../node/host-facts.js';
import { NodeAgent } from '../node/node-agent.js';
import { qosClass } from '../pods/container-config.js';
import { StatusManager } from '../pods/status-manager.js';

const nowSeconds = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The status of a pod a hollow node "runs": every container running and ready since its first sync. */
export function hollowPodStatus(pod: corev1.Pod, hostIP: string, podIP: string, now: string): corev1.PodStatus {
  const since = pod.status?.startTime ?? now;
  const cond = (type: string): corev1.PodCondition => ({ type, status: 'True', lastTransitionTime: pod.status?.conditions?.find((c) => c.type === type)?.lastTransitionTime ?? now });
  const scheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled');
  return {
    phase: 'Running',
    conditions: [cond('PodReadyToStartContainers'), cond('Initialized'), cond('Ready'), cond('ContainersReady'), ...(scheduled ? [scheduled] : [])],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP,
    podIPs: [{ ip: podIP }],
    startTime: since,
    containerStatuses: (pod.spec?.containers ?? []).map((c) => ({
      name: c.name,
      image: c.image ?? '',
      imageID: `hollow://${c.image ?? ''}`,
      containerID: `hollow://${pod.metadata?.uid}/${c.name}`,
      ready: true,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: since } },
      lastState: {},
    })),
    qosClass: qosClass(pod),
  };
}

export async function startHollowKubelet(flags: KubeletFlags, logger: Logger): Promise<{ nodeName: string; apiPort: number; stop(): Promise<void> }> {
  const stop = new AbortController();
  const registry = new Registry();
  const client = KubeClient.fromKubeconfig(flags.kubeconfig);
  const nodeIP = flags.nodeIP || defaultNodeIP();
  const facts = readHostFacts('/', { runtimeVersion: 'hollow://k8ts' });
  facts.hostname = hostname();
  let ipam: PodIPAllocator | undefined = flags.podCIDR ? new PodIPAllocator(flags.podCIDR, [nodeIP]) : undefined;
  const agent = new NodeAgent({
    client,
    identity: { nodeName: flags.nodeName, nodeIP, labels: flags.nodeLabels, taints: flags.taints, podCIDR: flags.podCIDR || undefined, kubeletPort: flags.port, maxPods: flags.maxPods, runtime: 'hollow' },
    facts,
    health: async () => ({ runtimeUp: true, memoryAvailableBytes: availableMemoryBytes(), diskAvailableBytes: diskBytes('/').available, networkReady: true }),
    statusUpdateFrequencyMs: flags.nodeStatusUpdateFrequencyMs,
    leaseDurationSeconds: flags.nodeLeaseDurationSeconds,
    logger: logger.child({ part: 'node' }),
  });
  agent.onNode((node) => {
    if (!ipam && node.spec?.podCIDR) ipam = new PodIPAllocator(node.spec.podCIDR, [nodeIP]);
  });
  const status = new StatusManager(client, logger);
  const factory = new SharedInformerFactory(client);
  const pods = factory.informerFor<corev1.Pod>(refs.pods, { fieldSelector: `spec.nodeName=${flags.nodeName}` });
  const controller = new Controller({
    name: 'hollow-pods',
    workers: 4,
    logger,
    metrics: WorkQueueMetrics.for(registry),
    reconcile: async (key) => {
      const pod = pods.lister().get(key);
      if (!pod) return;
      const uid = pod.metadata?.uid ?? '';
      if (pod.metadata?.deletionTimestamp) {
        await status.finalDelete(pod);
        ipam?.release(uid);
        status.forget(uid);
        return;
      }
      if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') return;
      const podIP = pod.spec?.hostNetwork ? nodeIP : ipam?.allocate(uid);
      if (!podIP) return { requeueAfterMs: 1000 };
      await status.setStatus(pod, hollowPodStatus(pod, nodeIP, podIP, pod.status?.startTime ?? nowSeconds()));
      return;
    },
  });
  pods.addEventHandler(controller.handlers());
  let healthz: ComponentServer | undefined;
  if (flags.healthzPort > 0) healthz = await startComponentServer({ host: flags.healthzBindAddress, port: flags.healthzPort, registry });
  await agent.start(stop.signal);
  factory.start();
  const done = controller.run(stop.signal, [pods]);
  logger.info({ node: flags.nodeName }, 'hollow kubelet running');
  return {
    nodeName: flags.nodeName,
    apiPort: 0,
    async stop() {
      stop.abort();
      agent.stop();
      await done.catch(() => undefined);
      await factory.stop();
      await healthz?.close();
    },
  };
}
