// A "hollow node" for integration tests: a Node object plus a tiny stand-in for its kubelet, talking plain HTTP to
// the apiserver (the loopback URL a test control plane exposes, no credentials needed). It
//  - registers the Node with capacity/allocatable, labels (hostname, zone, os/arch), taints and a Ready condition,
//  - renews its Lease in kube-node-lease like a kubelet (every renewIntervalMs),
//  - watches the pods bound to it (fieldSelector spec.nodeName=<node>) and marks each one Running and Ready through
//    pods/<name>/status (conditions, podIP from its podCIDR, hostIP, startTime, containerStatuses),
//  - finishes graceful deletions (a kubelet confirms a pod is gone with a zero-grace delete),
//  - fails or completes a pod on demand, and goes silent on stop() (no more lease renewals or status writes).
// It has no dependencies, so every package's tests can use it (the scheduler's and the controller-manager's).

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObj = { [key: string]: Json };

const isObj = (v: Json | undefined): v is JsonObj => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: Json | undefined): JsonObj => (isObj(v) ? v : {});
const str = (v: Json | undefined): string => (typeof v === 'string' ? v : '');
const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);

export interface HollowTaint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

export interface HollowNodeOptions {
  /** Plain-HTTP URL of the apiserver (ControlPlane.httpUrl). */
  apiUrl: string;
  name: string;
  /** Default: cpu 4, memory 8Gi, pods 110, ephemeral-storage 100Gi. */
  capacity?: Record<string, string>;
  /** Default: the capacity. */
  allocatable?: Record<string, string>;
  /** Sets topology.kubernetes.io/zone. */
  zone?: string;
  /** Extra labels (kubernetes.io/hostname, kubernetes.io/os and kubernetes.io/arch are always set). */
  labels?: Record<string, string>;
  taints?: HollowTaint[];
  /** Register the node cordoned (spec.unschedulable). */
  unschedulable?: boolean;
  /** Pod IPs come from here; default 10.244.<n>.0/24 with n counting nodes of this process. */
  podCIDR?: string;
  /** Write podCIDR into the Node's spec on registration (default true); false leaves it to node IPAM. */
  setPodCIDR?: boolean;
  /** The node's InternalIP (pods' hostIP); default 172.18.0.<n+1>. */
  internalIP?: string;
  /** Lease renewal period; a kubelet renews every 10 s with a 40 s lease. Default 10 000. */
  renewIntervalMs?: number;
  leaseDurationSeconds?: number;
  /** Mark bound pods Running/Ready automatically (default true). */
  runPods?: boolean;
  /** Delay before a new pod turns Running (default 0). */
  startDelayMs?: number;
  /** Finish graceful deletions of pods on this node (default true). */
  finalizeDeletions?: boolean;
}

export interface HollowPod {
  namespace: string;
  name: string;
  uid: string;
  phase: string;
}

export interface HollowNode {
  readonly name: string;
  /** Pods currently bound here, as last seen. */
  pods(): HollowPod[];
  /** Waits until `predicate` holds for the pods bound here. */
  waitForPods(predicate: (pods: HollowPod[]) => boolean, timeoutMs?: number): Promise<HollowPod[]>;
  /** Marks the pod Failed (its containers terminated with exitCode, reason Error). */
  fail(podName: string, namespace?: string, opts?: { exitCode?: number; message?: string }): Promise<void>;
  /** Marks the pod Succeeded (containers Completed with exit code 0). */
  succeed(podName: string, namespace?: string): Promise<void>;
  /** Sets the Ready condition (e.g. 'False' to simulate a sick kubelet that still renews its lease). */
  setReady(status: 'True' | 'False' | 'Unknown'): Promise<void>;
  /** Goes silent: stops renewing the lease, watching and writing. The Node object stays. */
  stop(): Promise<void>;
  /** stop() and delete the Node object. */
  remove(): Promise<void>;
}

let nodeCounter = 0;

const nowRfc3339 = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
const nowMicro = (): string => new Date().toISOString().replace(/Z$/, '000Z');

class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function call(base: string, method: string, path: string, body?: Json, contentType = 'application/json', signal?: AbortSignal): Promise<JsonObj> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: body === undefined ? { accept: 'application/json' } : { 'content-type': contentType, accept: 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: signal ?? AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new ApiError(res.status, `${method} ${path}: ${res.status} ${text}`);
  return text ? obj(JSON.parse(text) as Json) : {};
}

function podIpAllocator(cidr: string): () => string {
  const base = cidr.split('/')[0]!.split('.').map(Number);
  let next = 0;
  // .1 is the node's bridge address in DESIGN.md's pod network: hand out .2 to .254, then wrap.
  return () => `${base[0]}.${base[1]}.${base[2]}.${(next++ % 253) + 2}`;
}

/** Registers the Node and starts its kubelet stand-in. */
export async function startHollowNode(opts: HollowNodeOptions): Promise<HollowNode> {
  const index = ++nodeCounter;
  const base = opts.apiUrl.replace(/\/$/, '');
  const name = opts.name;
  const capacity = opts.capacity ?? { cpu: '4', memory: '8Gi', pods: '110', 'ephemeral-storage': '100Gi' };
  const allocatable = opts.allocatable ?? capacity;
  const podCIDR = opts.podCIDR ?? `10.244.${index % 256}.0/24`;
  const internalIP = opts.internalIP ?? `172.18.0.${(index % 250) + 1}`;
  const renewMs = opts.renewIntervalMs ?? 10_000;
  const leaseSeconds = opts.leaseDurationSeconds ?? 40;
  const runPods = opts.runPods ?? true;
  const finalizeDeletions = opts.finalizeDeletions ?? true;
  const nextPodIP = podIpAllocator(podCIDR);
  const stopper = new AbortController();
  const pods = new Map<string, HollowPod>();
  const started = new Set<string>();
  const finalizing = new Set<string>();
  let ready: 'True' | 'False' | 'Unknown' = 'True';
  let stopped = false;
  const waiters = new Set<() => void>();
  const notify = (): void => {
    for (const w of waiters) w();
  };

  const labels: Record<string, string> = {
    'kubernetes.io/hostname': name,
    'kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    ...(opts.zone ? { 'topology.kubernetes.io/zone': opts.zone } : {}),
    ...opts.labels,
  };
  const conditions = (): Json[] => {
    const t = nowRfc3339();
    const c = (type: string, status: string, reason: string, message: string): Json => ({
      type,
      status,
      lastHeartbeatTime: t,
      lastTransitionTime: t,
      reason,
      message,
    });
    return [
      c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      ready === 'True'
        ? c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status')
        : c('Ready', ready, 'KubeletNotReady', 'hollow node set NotReady'),
    ];
  };
  const nodeStatus = (): JsonObj => ({
    capacity,
    allocatable,
    conditions: conditions(),
    addresses: [
      { type: 'InternalIP', address: internalIP },
      { type: 'Hostname', address: name },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
    nodeInfo: {
      machineID: `hollow-${name}`,
      systemUUID: `hollow-${name}`,
      bootID: `hollow-${name}`,
      kernelVersion: 'hollow',
      osImage: 'k8ts hollow node',
      containerRuntimeVersion: 'hollow://0.0.0',
      kubeletVersion: 'v1.30.0-k8ts-hollow',
      kubeProxyVersion: 'v1.30.0-k8ts-hollow',
      operatingSystem: 'linux',
      architecture: 'amd64',
    },
  });

  const created = await call(base, 'POST', '/api/v1/nodes', {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels },
    spec: {
      ...(opts.setPodCIDR === false ? {} : { podCIDR, podCIDRs: [podCIDR] }),
      ...(opts.taints ? { taints: opts.taints.map((t) => ({ key: t.key, ...(t.value ? { value: t.value } : {}), effect: t.effect })) } : {}),
      ...(opts.unschedulable ? { unschedulable: true } : {}),
    },
    status: nodeStatus(),
  });
  const nodeUid = str(obj(created['metadata'])['uid']);
  // Some servers drop status on create; writing it through the subresource makes sure it is there.
  if (!isObj(created['status']) || arr(obj(created['status'])['conditions']).length === 0) {
    await call(base, 'PATCH', `/api/v1/nodes/${name}/status`, { status: nodeStatus() }, 'application/merge-patch+json');
  }

  const leasePath = `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${name}`;
  const renewLease = async (): Promise<void> => {
    try {
      await call(base, 'PATCH', leasePath, { spec: { renewTime: nowMicro(), holderIdentity: name, leaseDurationSeconds: leaseSeconds } }, 'application/merge-patch+json');
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 404) throw err;
      await call(base, 'POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name, namespace: 'kube-node-lease', ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: nodeUid }] },
        spec: { holderIdentity: name, leaseDurationSeconds: leaseSeconds, renewTime: nowMicro() },
      });
    }
  };
  await renewLease();
  const leaseTimer = setInterval(() => {
    if (!stopped) renewLease().catch(() => undefined); // a missed renewal is what a flaky kubelet looks like too
  }, renewMs);
  leaseTimer.unref();

  const podPath = (ns: string, podName: string): string => `/api/v1/namespaces/${ns}/pods/${podName}`;
  const writeStatus = async (ns: string, podName: string, status: JsonObj): Promise<void> => {
    if (stopped) return;
    await call(base, 'PATCH', `${podPath(ns, podName)}/status`, { status }, 'application/merge-patch+json');
  };

  const containerNames = (pod: JsonObj): { name: string; image: string }[] =>
    arr(obj(pod['spec'])['containers']).map((c) => ({ name: str(obj(c)['name']), image: str(obj(c)['image']) }));

  const markRunning = async (pod: JsonObj): Promise<void> => {
    const meta = obj(pod['metadata']);
    const ns = str(meta['namespace']);
    const podName = str(meta['name']);
    const t = nowRfc3339();
    const podIP = nextPodIP();
    const cond = (type: string): Json => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: t });
    await writeStatus(ns, podName, {
      phase: 'Running',
      conditions: [cond('PodReadyToStartContainers'), cond('Initialized'), cond('Ready'), cond('ContainersReady'), cond('PodScheduled')],
      hostIP: internalIP,
      hostIPs: [{ ip: internalIP }],
      podIP,
      podIPs: [{ ip: podIP }],
      startTime: t,
      containerStatuses: containerNames(pod).map((c) => ({
        name: c.name,
        image: c.image,
        imageID: `hollow://${c.image}`,
        containerID: `hollow://${str(meta['uid'])}-${c.name}`,
        ready: true,
        started: true,
        restartCount: 0,
        state: { running: { startedAt: t } },
        lastState: {},
      })),
    });
  };

  const terminate = async (ns: string, podName: string, phase: 'Failed' | 'Succeeded', exitCode: number, message?: string): Promise<void> => {
    const pod = await call(base, 'GET', podPath(ns, podName));
    const t = nowRfc3339();
    const reason = phase === 'Failed' ? 'Error' : 'Completed';
    const cond = (type: string, status: string): Json => ({ type, status, lastProbeTime: null, lastTransitionTime: t, ...(status === 'False' ? { reason: 'PodCompleted' } : {}) });
    const startTime = str(obj(pod['status'])['startTime']) || t;
    await writeStatus(ns, podName, {
      phase,
      ...(message ? { message } : {}),
      conditions: [cond('PodReadyToStartContainers', 'False'), cond('Initialized', 'True'), cond('Ready', 'False'), cond('ContainersReady', 'False'), cond('PodScheduled', 'True')],
      startTime,
      containerStatuses: containerNames(pod).map((c) => ({
        name: c.name,
        image: c.image,
        imageID: `hollow://${c.image}`,
        containerID: `hollow://${str(obj(pod['metadata'])['uid'])}-${c.name}`,
        ready: false,
        started: false,
        restartCount: 0,
        state: { terminated: { exitCode, reason, startedAt: startTime, finishedAt: t, ...(message ? { message } : {}) } },
        lastState: {},
      })),
    });
  };

  const finalizeDeletion = async (pod: JsonObj): Promise<void> => {
    const meta = obj(pod['metadata']);
    const key = `${str(meta['namespace'])}/${str(meta['name'])}`;
    if (finalizing.has(key) || stopped) return;
    finalizing.add(key);
    try {
      await call(base, 'DELETE', podPath(str(meta['namespace']), str(meta['name'])), {
        apiVersion: 'v1',
        kind: 'DeleteOptions',
        gracePeriodSeconds: 0,
        preconditions: { uid: str(meta['uid']) },
      });
    } catch {
      // already gone, or replaced by a pod of the same name
    } finally {
      finalizing.delete(key);
    }
  };

  const handlePod = (type: string, pod: JsonObj): void => {
    const meta = obj(pod['metadata']);
    const key = `${str(meta['namespace'])}/${str(meta['name'])}`;
    if (type === 'DELETED') {
      pods.delete(key);
      started.delete(str(meta['uid']));
      notify();
      return;
    }
    const phase = str(obj(pod['status'])['phase']) || 'Pending';
    pods.set(key, { namespace: str(meta['namespace']), name: str(meta['name']), uid: str(meta['uid']), phase });
    notify();
    if (meta['deletionTimestamp'] !== undefined && meta['deletionTimestamp'] !== null) {
      if (finalizeDeletions) void finalizeDeletion(pod);
      return;
    }
    const uid = str(meta['uid']);
    if (runPods && phase === 'Pending' && !started.has(uid)) {
      started.add(uid);
      const run = (): void => {
        markRunning(pod).catch(() => started.delete(uid)); // retried on the next event for the pod
      };
      if (opts.startDelayMs) setTimeout(run, opts.startDelayMs).unref();
      else run();
    }
  };

  /** List, then watch from the list's resourceVersion; relist whenever the watch ends. */
  const watchLoop = async (): Promise<void> => {
    const selector = encodeURIComponent(`spec.nodeName=${name}`);
    while (!stopped) {
      try {
        const list = await call(base, 'GET', `/api/v1/pods?fieldSelector=${selector}`, undefined, undefined, stopper.signal);
        const seen = new Set<string>();
        for (const item of arr(list['items'])) {
          const pod = obj(item);
          const meta = obj(pod['metadata']);
          seen.add(`${str(meta['namespace'])}/${str(meta['name'])}`);
          handlePod('ADDED', pod);
        }
        for (const key of [...pods.keys()]) if (!seen.has(key)) pods.delete(key);
        const rv = str(obj(list['metadata'])['resourceVersion']);
        const res = await fetch(`${base}/api/v1/pods?watch=true&allowWatchBookmarks=true&fieldSelector=${selector}&resourceVersion=${rv}`, {
          signal: stopper.signal,
        });
        if (!res.ok || !res.body) throw new Error(`watch: ${res.status}`);
        const reader = res.body.getReader();
        const decoder = new TextDecoder();
        let buffered = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          buffered += decoder.decode(value, { stream: true });
          let nl: number;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl).trim();
            buffered = buffered.slice(nl + 1);
            if (!line) continue;
            const event = obj(JSON.parse(line) as Json);
            const type = str(event['type']);
            if (type === 'ERROR') throw new Error(`watch error: ${JSON.stringify(event['object'])}`);
            if (type === 'BOOKMARK') continue;
            handlePod(type, obj(event['object']));
          }
        }
      } catch {
        if (stopped) return;
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const watching = watchLoop();

  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    clearInterval(leaseTimer);
    stopper.abort();
    await watching;
  };

  return {
    name,
    pods: () => [...pods.values()],
    async waitForPods(predicate, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const now = [...pods.values()];
        if (predicate(now)) return now;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`hollow node ${name}: pods did not reach the expected state within ${timeoutMs} ms: ${JSON.stringify(now)}`);
        await new Promise<void>((resolve) => {
          const wake = (): void => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, Math.min(left, 500));
          waiters.add(wake);
        });
      }
    },
    fail: (podName, namespace = 'default', o = {}) => terminate(namespace, podName, 'Failed', o.exitCode ?? 1, o.message),
    succeed: (podName, namespace = 'default') => terminate(namespace, podName, 'Succeeded', 0),
    async setReady(status) {
      ready = status;
      await call(base, 'PATCH', `/api/v1/nodes/${name}/status`, { status: { conditions: conditions() } }, 'application/merge-patch+json');
    },
    stop,
    async remove() {
      await stop();
      await call(base, 'DELETE', `/api/v1/nodes/${name}`).catch(() => undefined);
    },
  };
}
