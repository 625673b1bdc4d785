// One kubelet process: connect to the apiserver and the Docker engine, register the Node, run the pods bound to it,
// serve the kubelet API on 10250 and healthz/metrics on 10248. Everything is wired here; each part is its own module.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { corev1 } from '@k8ts/api-machinery';
import { EventBroadcaster, KubeClient, loadKubeconfig, realClock, refs, SharedInformerFactory } from '@k8ts/client';
import { registerProcessMetrics, Registry, startComponentServer, type ComponentServer, type Logger } from '@k8ts/observability';
import type { KubeletFlags } from './cli/flags.js';
import { DockerClient } from './docker/docker-client.js';
import { PodIPAllocator } from './network/ipam.js';
import { availableMemoryBytes, defaultNodeIP, diskBytes, readHostFacts, type HostFacts } from './node/host-facts.js';
import { NodeAgent } from './node/node-agent.js';
import { RestartBackoff } from './pods/backoff.js';
import { qosClass, verifyRunAsNonRoot } from './pods/container-config.js';
import { resolveEnv } from './pods/env.js';
import { createHookRunner } from './pods/lifecycle-hooks.js';
import { hashContainer } from './pods/naming.js';
import { PodManager } from './pods/pod-manager.js';
import { PodSyncer } from './pods/pod-syncer.js';
import { StatusManager } from './pods/status-manager.js';
import { ProbeManager } from './probes/probe-manager.js';
import { runProbe } from './probes/probe-runner.js';
import { DockerRuntime } from './runtime/docker-runtime.js';
import { DockerStreamingRuntime } from './runtime/docker-streaming.js';
import { collectGarbage } from './runtime/container-gc.js';
import { startKubeletServer, type KubeletServer } from './server/kubelet-server.js';
import { KubeletVolumes } from './volumes/kubelet-volumes.js';

export interface RunningKubelet {
  nodeName: string;
  apiPort: number;
  stop(): Promise<void>;
}

/** A self-signed serving certificate for the kubelet API (the apiserver does not verify it by default). */
function ensureServingCert(dir: string, nodeName: string, ips: string[]): { cert: string; key: string } {
  const certFile = join(dir, 'kubelet.crt');
  const keyFile = join(dir, 'kubelet.key');
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true });
    const san = [...new Set(ips)].map((ip) => `IP:${ip}`).concat([`DNS:${nodeName}`, 'DNS:localhost']).join(',');
    const config = join(dir, 'openssl.cnf');
    writeFileSync(config, `[req]\ndistinguished_name=dn\nx509_extensions=ext\nprompt=no\n[dn]\nCN=${nodeName}@kubelet\n[ext]\nsubjectAltName=${san}\nextendedKeyUsage=serverAuth\n`);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-keyout', keyFile, '-out', certFile, '-config', config], { stdio: 'ignore' });
  }
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}

export async function startKubelet(flags: KubeletFlags, logger: Logger): Promise<RunningKubelet> {
  const stop = new AbortController();
  const registry = new Registry();
  registerProcessMetrics(registry);
  const client = KubeClient.fromKubeconfig(flags.kubeconfig);
  const docker = await DockerClient.connect(flags.runtimeEndpoint);
  const version = await docker.version();
  const info = await docker.info();
  const facts: HostFacts = readHostFacts(flags.rootDir, {
    cpuCores: info.NCPU,
    memoryBytes: info.MemTotal,
    kernelVersion: info.KernelVersion,
    runtimeVersion: `docker://${version.Version}`,
  });
  const nodeIP = flags.nodeIP || defaultNodeIP();
  mkdirSync(flags.rootDir, { recursive: true });
  logger.info({ node: flags.nodeName, nodeIP, docker: version.Version, api: docker.apiVersion }, 'kubelet starting');

  const runtime = new DockerRuntime({
    docker,
    nodeName: flags.nodeName,
    network: flags.podNetwork,
    serviceCIDR: flags.serviceCIDR,
    serviceRouteVia: flags.serviceRouteVia || flags.podNetworkGateway,
    clusterDNS: flags.clusterDNS,
    clusterDomain: flags.clusterDomain,
    sandboxImage: flags.sandboxImage,
    memoryCapacity: facts.memoryBytes,
    logger: logger.child({ part: 'runtime' }),
  });
  await runtime.ensureNetwork(flags.podNetworkCIDR, flags.podNetworkGateway);

  // The kubelet API: only holders of a client certificate from the cluster CA (the apiserver) may use it.
  const connection = loadKubeconfig(flags.kubeconfig);
  const clientCA = flags.clientCAFile ? readFileSync(flags.clientCAFile, 'utf8') : connection.ca;
  if (!clientCA) throw new Error('the kubelet API needs --client-ca-file (the kubeconfig has no certificate-authority either)');
  const tls = flags.tlsCertFile
    ? { cert: readFileSync(flags.tlsCertFile, 'utf8'), key: readFileSync(flags.tlsKeyFile, 'utf8') }
    : ensureServingCert(join(flags.rootDir, 'pki'), flags.nodeName, [nodeIP, '127.0.0.1']);
  const streaming = new DockerStreamingRuntime({ docker, nodeName: flags.nodeName, network: flags.podNetwork, nodeIP, startTime: new Date().toISOString() });
  const server: KubeletServer = await startKubeletServer({
    runtime: streaming,
    nodeName: flags.nodeName,
    bindAddress: flags.address,
    port: flags.port,
    tls,
    clientCA,
    logger: logger.child({ part: 'server' }),
    registry,
    healthz: () => true,
  });
  // The pod CIDR: the flag, else the Node's spec.podCIDR once node IPAM has set it.
  let ipam: PodIPAllocator | undefined = flags.podCIDR ? new PodIPAllocator(flags.podCIDR, [nodeIP, flags.podNetworkGateway]) : undefined;
  const restoreIPs = async (): Promise<void> => {
    if (!ipam) return;
    for (const p of await runtime.listPods()) {
      const ip = p.sandboxes.find((s) => s.ready)?.ip ?? p.sandboxes[0]?.ip;
      if (ip) ipam.restore(p.uid, ip);
    }
  };
  await restoreIPs();

  const nodeAgent = new NodeAgent({
    client,
    identity: {
      nodeName: flags.nodeName,
      nodeIP,
      labels: flags.nodeLabels,
      taints: flags.taints,
      podCIDR: flags.podCIDR || undefined,
      kubeletPort: server.port,
      maxPods: flags.maxPods,
      runtime: 'docker',
    },
    facts,
    health: async () => {
      let runtimeUp = true;
      let runtimeMessage: string | undefined;
      try {
        await docker.ping();
      } catch (e) {
        runtimeUp = false;
        runtimeMessage = (e as Error).message;
      }
      return { runtimeUp, runtimeMessage, memoryAvailableBytes: availableMemoryBytes(), diskAvailableBytes: diskBytes(flags.rootDir).available, networkReady: ipam !== undefined };
    },
    statusUpdateFrequencyMs: flags.nodeStatusUpdateFrequencyMs,
    leaseDurationSeconds: flags.nodeLeaseDurationSeconds,
    logger: logger.child({ part: 'node' }),
  });
  nodeAgent.onNode((node) => {
    const cidr = node.spec?.podCIDR;
    if (!ipam && cidr) {
      ipam = new PodIPAllocator(cidr, [nodeIP, flags.podNetworkGateway]);
      logger.info({ podCIDR: cidr }, 'pod CIDR assigned');
      void restoreIPs().then(() => nodeAgent.updateStatus()).catch((e: unknown) => logger.warn({ err: e }, 'status after podCIDR failed'));
    }
  });

  // Services (for the service environment variables) from a shared informer; ConfigMaps/Secrets read on demand.
  const factory = new SharedInformerFactory(client);
  const services = factory.informerFor<corev1.Service>(refs.services);
  factory.start();

  const broadcaster = new EventBroadcaster({ client, logger: logger.child({ part: 'events' }) });
  const recorder = broadcaster.newRecorder({ component: 'kubelet', host: flags.nodeName });
  const volumes = new KubeletVolumes({ client, rootDir: flags.rootDir, docker, nodeAllocatable: () => nodeAgent.current?.status?.allocatable ?? {} });

  let podManager: PodManager | undefined;
  const exec = (containerId: string, cmd: string[], timeoutMs: number) => runtime.exec(containerId, cmd, timeoutMs);
  const probes = new ProbeManager({
    runProbe: (probe, target) => runProbe(probe, target, { exec }),
    clock: realClock,
    onChange: (podUid, containerName, kind, result, message, details) => {
      const pod = podManager?.podByUid(podUid);
      syncer.probeReported(pod, containerName, kind, details.containerId, result, details.changed);
      if (pod && result === 'failure' && message) recorder.event(pod, 'Warning', 'Unhealthy', message);
      podManager?.enqueue(podUid);
      logger.debug({ podUid, containerName, kind, result }, 'probe result changed');
    },
    logger: logger.child({ part: 'prober' }),
  });
  const runHook = createHookRunner({ exec });
  const syncer = new PodSyncer({
    runtime,
    volumes,
    env: async (pod, container, podIP) => {
      const resolved = await resolveEnv({
        pod,
        container,
        configMaps: (ns, name) => volumes.getConfigMap(ns, name),
        secrets: (ns, name) => volumes.getSecret(ns, name),
        services: services.indexer.list(),
        podIP,
        hostIP: nodeIP,
        nodeAllocatable: nodeAgent.current?.status?.allocatable ?? {},
      });
      for (const w of resolved.warnings) recorder.event(pod, 'Warning', w.reason, w.message);
      return resolved.env;
    },
    probes,
    restartBackoff: new RestartBackoff({ initialMs: flags.backoff.initialMs, maxMs: flags.backoff.maxMs, resetAfterMs: flags.backoff.resetMs }),
    pullBackoff: new RestartBackoff({ initialMs: flags.imagePullBackoff.initialMs, maxMs: flags.imagePullBackoff.maxMs }),
    runHook: (handler, target) => runHook(handler, target),
    hash: hashContainer,
    qosClass,
    runAsNonRootError: (container, pod, imageUser) => verifyRunAsNonRoot(pod, container, imageUser),
    recorder,
    status: new StatusManager(client, logger.child({ part: 'status' })),
    ipam: () => ipam,
    nodeIP,
    logger: logger.child({ part: 'pods' }),
  });
  podManager = new PodManager({
    client,
    nodeName: flags.nodeName,
    runtime,
    syncer,
    workers: 8,
    syncFrequencyMs: flags.syncFrequencyMs,
    housekeepingIntervalMs: flags.housekeepingIntervalMs,
    logger: logger.child({ part: 'pods' }),
    registry,
    housekeeping: async (pods, runtimePods) => {
      await collectGarbage(runtime, runtimePods, pods, { maxPerContainer: flags.maxDeadPerContainer, maxTotal: flags.maxDeadContainers, logger });
      await volumes.cleanupOrphans(new Set(pods.keys()), new Set(runtimePods.map((p) => p.uid)));
    },
  });


  let healthz: ComponentServer | undefined;
  if (flags.healthzPort > 0) {
    healthz = await startComponentServer({ host: flags.healthzBindAddress, port: flags.healthzPort, registry });
  }

  if (flags.registerNode) await nodeAgent.start(stop.signal);
  const podsDone = podManager.run(stop.signal);
  logger.info({ node: flags.nodeName, apiPort: server.port }, 'kubelet running');

  return {
    nodeName: flags.nodeName,
    apiPort: server.port,
    async stop() {
      stop.abort();
      nodeAgent.stop();
      await Promise.race([podsDone, new Promise((r) => setTimeout(r, 5000))]);
      await broadcaster.flush().catch(() => undefined);
      await server.close();
      await healthz?.close();
      await factory.stop();
      await docker.close();
    },
  };
}
