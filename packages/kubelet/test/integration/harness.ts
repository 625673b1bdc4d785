// Shared by the kubelet integration tests: one control plane and one real k8ts-kubelet per test file (its own node
// name and pod CIDR, so files run in parallel), pods bound with spec.nodeName, read back through kubectl, and the
// Docker side inspected with the docker CLI by the `k8ts.node=<node>` label the kubelet puts on its containers.
import { spawnSync } from 'node:child_process';
import type { Test } from 'tap';
import type { corev1, metav1 } from '@k8ts/api-machinery';
import { eventually, removeKubeletRootDir, startControlPlane, startKubeletProcess, type ControlPlane, type KubeletProcess } from '@k8ts/testing';
import { requireDocker } from '../helpers/docker.js';

export const TEST_APP = 'k8ts/test-app:0.1';
export const BUSYBOX = 'busybox:1.36';

/** Short timings so crash loops and pull failures show within seconds. */
export const FAST_KUBELET_ARGS = ['--crashloop-backoff-initial', '2s', '--crashloop-backoff-max', '8s', '--image-pull-backoff-initial', '2s'];

export interface Cluster {
  cp: ControlPlane;
  kubelet: KubeletProcess;
  node: string;
  podCIDR: string;
  /** kubectl; throws with its stderr when it fails unless `allowFail`. */
  kubectl(args: string[], opts?: { input?: string; allowFail?: boolean }): { code: number; stdout: string; stderr: string };
  /** `kubectl apply -f -` of objects (JSON is YAML). */
  apply(...objects: object[]): void;
  pod(name: string): corev1.Pod | undefined;
  waitPod(name: string, what: string, ok: (p: corev1.Pod) => boolean, timeoutMs?: number): Promise<corev1.Pod>;
  /** The STATUS column of `kubectl get pod`. */
  podStatusColumn(name: string): string;
  /** Reasons of the pod's events, oldest first. */
  events(name: string): Array<{ reason: string; message: string; count: number; type: string }>;
  /** Docker containers of this node, optionally of one pod / container name. */
  containers(filter?: { pod?: string; container?: string }): DockerContainer[];
  dockerExec(id: string, cmd: string[]): { code: number; stdout: string; stderr: string };
  /** Deletes the pod and waits until it is gone from the API. */
  deletePod(name: string, timeoutMs?: number, extra?: string[]): Promise<void>;
  /** Replaces the kubelet (restart tests). */
  setKubelet(k: KubeletProcess): void;
}

export interface DockerContainer {
  id: string;
  name: string;
  state: string;
  labels: Record<string, string>;
}

export function docker(args: string[]): { code: number; stdout: string; stderr: string } {
  const r = spawnSync('docker', args, { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

/** Every container (any state) labelled with this node, with its labels. */
export function nodeContainers(node: string, extraFilters: string[] = []): DockerContainer[] {
  const filters = [`label=k8ts.node=${node}`, ...extraFilters].flatMap((f) => ['--filter', f]);
  const r = docker(['ps', '-a', '--no-trunc', ...filters, '--format', '{{json .}}']);
  if (r.code !== 0) throw new Error(`docker ps failed: ${r.stderr}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const row = JSON.parse(l) as { ID: string; Names: string; State: string; Labels: string };
      const labels: Record<string, string> = {};
      for (const kv of row.Labels.split(',')) {
        const eq = kv.indexOf('=');
        if (eq > 0) labels[kv.slice(0, eq)] = kv.slice(eq + 1);
      }
      return { id: row.ID, name: row.Names, state: row.State, labels };
    });
}

export function removeNodeContainers(node: string): void {
  const ids = nodeContainers(node).map((c) => c.id);
  if (ids.length) docker(['rm', '-f', '-v', ...ids]);
}

/**
 * Starts a control plane and a kubelet for `node`; everything is stopped and every container of the node removed
 * in teardown. Undefined when Docker is absent locally (under CI that fails the test).
 */
export async function startCluster(t: Test, opts: { node: string; podCIDR: string; args?: string[] }): Promise<Cluster | undefined> {
  if (!(await requireDocker(t))) return undefined;
  removeNodeContainers(opts.node); // leftovers of an interrupted earlier run
  const cp = await startControlPlane('k8ts', { members: 1 });
  let kubelet: KubeletProcess;
  try {
    kubelet = await startKubeletProcess({ kubeconfig: cp.kubeconfig, nodeName: opts.node, podCIDR: opts.podCIDR, args: opts.args ?? FAST_KUBELET_ARGS });
  } catch (e) {
    await cp.stop();
    throw e;
  }
  const roots = new Set([kubelet.rootDir]);
  t.teardown(async () => {
    await kubelet.stop().catch(() => undefined);
    removeNodeContainers(opts.node);
    await cp.stop();
    for (const r of roots) removeKubeletRootDir(r);
  });

  const kubectl: Cluster['kubectl'] = (args, o = {}) => {
    const r = cp.kubectl(args, o.input !== undefined ? { input: o.input } : {});
    if (r.code !== 0 && !o.allowFail) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r;
  };
  const pod = (name: string): corev1.Pod | undefined => {
    const r = kubectl(['get', 'pod', name, '-o', 'json'], { allowFail: true });
    return r.code === 0 ? (JSON.parse(r.stdout) as corev1.Pod) : undefined;
  };
  const cluster: Cluster = {
    cp,
    get kubelet() {
      return kubelet;
    },
    node: opts.node,
    podCIDR: opts.podCIDR,
    kubectl,
    apply(...objects) {
      // One at a time: kubectl reads a JSON stream as a single document, and validating a `kind: List` fails here.
      for (const o of objects) kubectl(['apply', '-f', '-'], { input: JSON.stringify(o) });
    },
    pod,
    async waitPod(name, what, ok, timeoutMs = 30_000) {
      const p = await eventually(
        `pod ${name}: ${what}`,
        () => pod(name),
        (p) => p !== undefined && ok(p),
        timeoutMs,
        250,
      ).catch((e: unknown) => {
        throw new Error(`${(e as Error).message}\n--- kubelet logs (tail) ---\n${kubelet.logs().slice(-4000)}`);
      });
      return p!;
    },
    podStatusColumn(name) {
      const r = kubectl(['get', 'pod', name, '--no-headers'], { allowFail: true });
      return r.stdout.trim().split(/\s+/)[2] ?? '';
    },
    events(name) {
      const r = kubectl(['get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'json']);
      const items = (JSON.parse(r.stdout) as { items: corev1.Event[] }).items;
      return items
        .sort((a, b) => String(a.lastTimestamp ?? a.eventTime ?? '').localeCompare(String(b.lastTimestamp ?? b.eventTime ?? '')))
        .map((e) => ({ reason: e.reason ?? '', message: e.message ?? '', count: e.count ?? 1, type: e.type ?? '' }));
    },
    containers(filter = {}) {
      const extra: string[] = [];
      if (filter.pod) extra.push(`label=io.kubernetes.pod.name=${filter.pod}`);
      if (filter.container) extra.push(`label=io.kubernetes.container.name=${filter.container}`);
      return nodeContainers(opts.node, extra);
    },
    dockerExec(id, cmd) {
      return docker(['exec', id, ...cmd]);
    },
    async deletePod(name, timeoutMs = 40_000, extra = []) {
      kubectl(['delete', 'pod', name, '--wait=false', ...extra], { allowFail: true });
      await eventually(`pod ${name} gone`, () => pod(name), (p) => p === undefined, timeoutMs, 250);
    },
    setKubelet(k) {
      kubelet = k;
      roots.add(k.rootDir);
    },
  };
  return cluster;
}

/** A pod bound to `node` (no scheduler), short grace period, images used as present. */
export function podObject(name: string, node: string, spec: Partial<corev1.PodSpec> & { containers: corev1.Container[] }, metadata: Partial<metav1.ObjectMeta> = {}): corev1.Pod {
  const withPolicy = (c: corev1.Container): corev1.Container => ({ imagePullPolicy: 'IfNotPresent', ...c });
  const containers = spec.containers.map(withPolicy);
  const initContainers = spec.initContainers?.map(withPolicy);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...metadata },
    spec: { nodeName: node, terminationGracePeriodSeconds: 2, ...spec, containers, ...(initContainers ? { initContainers } : {}) },
  };
}

export const containerStatus = (p: corev1.Pod, name: string, init = false): corev1.ContainerStatus | undefined =>
  (init ? p.status?.initContainerStatuses : p.status?.containerStatuses)?.find((s) => s.name === name);

export const conditionOf = (p: corev1.Pod, type: string): string | undefined => p.status?.conditions?.find((c) => c.type === type)?.status;

/** GET on the pod IP (the test app's port 8080); text body, or undefined when it does not answer. */
export async function podHttp(ip: string, path: string, timeoutMs = 3000): Promise<{ status: number; body: string } | undefined> {
  try {
    const r = await fetch(`http://${ip}:8080${path}`, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: r.status, body: await r.text() };
  } catch {
    return undefined;
  }
}

/** The node must have no container left once its pods are gone. */
export async function assertNoContainersLeft(t: Test, node: string, timeoutMs = 20_000): Promise<void> {
  const left = await eventually(`no containers of node ${node}`, () => nodeContainers(node), (l) => l.length === 0, timeoutMs, 500).catch(() => nodeContainers(node));
  t.same(left.map((c) => c.name), [], `no containers labelled k8ts.node=${node} remain`);
}
