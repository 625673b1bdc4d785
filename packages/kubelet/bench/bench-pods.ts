// pnpm bench:pods — pod startup through k8ts next to the Docker floor, in one run (docs/benchmarks.md).
//
// Floor: a pod's containers created and started straight through the Engine API (busybox sandbox with a static IP
// on the pod network + an app container joining its network namespace), no Kubernetes at all.
// k8ts: the same pods as Pod objects through the apiserver, scheduled over 2 kubelets; startup latency is Kubernetes'
// SLI: from the pod's creation to the moment a watch sees it Running with every container running.
// Each side is measured twice: latency with 4 pods in flight (closed loop), throughput with all pods at once.
//
//   pnpm bench:pods [--pods 100] [--write docs/benchmarks.md]
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { startComponent, startControlPlane, startKubeletProcess, type KubeletProcess } from '@k8ts/testing';
import type { corev1 } from '@k8ts/api-machinery';
import { KubeClient, refs } from '@k8ts/client';
import { DockerClient } from '../src/docker/docker-client.js';

const START = '<!-- bench:pods:start -->';
const END = '<!-- bench:pods:end -->';
const IMAGE = 'busybox:1.36';
const FLOOR_NETWORK = 'k8ts-pods';
const IN_FLIGHT = 4;

interface Args {
  pods: number;
  write?: string | undefined;
}

function parseArgs(argv: string[]): Args {
  const args: Args = { pods: 100 };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--pods') args.pods = Number(argv[++i]);
    else if (argv[i] === '--write') args.write = argv[++i];
    else throw new Error(`unknown argument ${argv[i]} (use --pods N, --write FILE)`);
  }
  if (!Number.isInteger(args.pods) || args.pods < 4 || args.pods > 200) throw new Error('--pods must be 4..200');
  return args;
}

interface Phase {
  latenciesMs: number[];
  wallMs: number;
}

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! : NaN;
};

/** Runs `count` jobs with at most `concurrency` in flight; each job's latency is recorded. */
async function closedLoop(count: number, concurrency: number, job: (i: number) => Promise<void>): Promise<Phase> {
  const latenciesMs: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const s = performance.now();
        await job(i);
        latenciesMs.push(performance.now() - s);
      }
    }),
  );
  return { latenciesMs, wallMs: performance.now() - t0 };
}

// ---------------------------------------------------------------- the Docker floor

async function floorPod(docker: DockerClient, i: number, run: string): Promise<void> {
  const ip = `10.244.230.${10 + (i % 200)}`;
  const sandbox = await docker.containerCreate(`k8ts-bench-${run}-pod-${i}`, {
    Image: IMAGE,
    Entrypoint: ['sh', '-c', 'ip route add 10.96.0.0/12 via 10.244.0.1 2>/dev/null; trap "exit 0" TERM; while :; do sleep 3600 & wait $!; done'],
    Labels: { 'k8ts.bench': run },
    HostConfig: { NetworkMode: FLOOR_NETWORK, CapAdd: ['NET_ADMIN'], Init: true },
    NetworkingConfig: { EndpointsConfig: { [FLOOR_NETWORK]: { IPAMConfig: { IPv4Address: ip } } } },
  });
  await docker.containerStart(sandbox);
  const app = await docker.containerCreate(`k8ts-bench-${run}-app-${i}`, {
    Image: IMAGE,
    Cmd: ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 3600 & wait $!; done'],
    Labels: { 'k8ts.bench': run },
    HostConfig: { NetworkMode: `container:${sandbox}` },
  });
  await docker.containerStart(app);
}

async function removeFloor(docker: DockerClient, run: string): Promise<void> {
  const list = await docker.containerList({ all: true, labels: { 'k8ts.bench': run } });
  // Apps before sandboxes (an app holds its sandbox's namespace).
  const apps = list.filter((c) => c.Names.some((n) => n.includes('-app-')));
  const rest = list.filter((c) => !apps.includes(c));
  for (const group of [apps, rest]) {
    for (let i = 0; i < group.length; i += 8) await Promise.all(group.slice(i, i + 8).map((c) => docker.containerRemove(c.Id, { force: true })));
  }
}

async function measureFloor(docker: DockerClient, pods: number): Promise<{ latency: Phase; throughput: Phase }> {
  const latency = await closedLoop(pods, IN_FLIGHT, (i) => floorPod(docker, i, 'lat'));
  await removeFloor(docker, 'lat');
  const throughput = await closedLoop(pods, IN_FLIGHT, (i) => floorPod(docker, i, 'tput'));
  await removeFloor(docker, 'tput');
  return { latency, throughput };
}

// ---------------------------------------------------------------- through k8ts

function benchPod(name: string): corev1.Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { bench: 'pods' } },
    spec: {
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'app', image: IMAGE, imagePullPolicy: 'IfNotPresent', command: ['sh', '-c', 'trap "exit 0" TERM; while :; do sleep 3600 & wait $!; done'] }],
    },
  };
}

const isRunning = (p: corev1.Pod): boolean =>
  p.status?.phase === 'Running' && (p.status.containerStatuses ?? []).length > 0 && (p.status.containerStatuses ?? []).every((c) => c.state?.running);

/** Watches pods and resolves a name's promise when it is first seen Running. */
class RunningWatcher {
  private readonly waiters = new Map<string, (t: number) => void>();
  private readonly seen = new Map<string, number>();
  private readonly abort = new AbortController();

  constructor(private readonly client: KubeClient) {}

  async start(): Promise<void> {
    const stream = await this.client.resource<corev1.Pod>(refs.pods).namespace('default').watch({ labelSelector: 'bench=pods', signal: this.abort.signal });
    void (async () => {
      try {
        for await (const ev of stream) {
          const name = ev.object.metadata?.name ?? '';
          if (ev.type !== 'DELETED' && isRunning(ev.object) && !this.seen.has(name)) {
            const t = performance.now();
            this.seen.set(name, t);
            this.waiters.get(name)?.(t);
          }
        }
      } catch {
        /* closed */
      }
    })();
  }

  running(name: string, timeoutMs: number): Promise<number> {
    const t = this.seen.get(name);
    if (t !== undefined) return Promise.resolve(t);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`pod ${name} not Running after ${timeoutMs} ms`)), timeoutMs);
      this.waiters.set(name, (at) => {
        clearTimeout(timer);
        resolve(at);
      });
    });
  }

  stop(): void {
    this.abort.abort();
  }
}

async function deleteBenchPods(client: KubeClient, docker: DockerClient, nodes: string[]): Promise<void> {
  const pods = client.resource<corev1.Pod>(refs.pods).namespace('default');
  await pods.deleteCollection({ labelSelector: 'bench=pods', gracePeriodSeconds: 0 });
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const left = (await Promise.all(nodes.map((n) => docker.containerList({ all: true, labels: { 'k8ts.node': n } })))).flat();
    const apiLeft = (await pods.list({ labelSelector: 'bench=pods' })).items.length;
    if (left.length === 0 && apiLeft === 0) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error('bench pods were not cleaned up within 120 s');
}

async function measureK8ts(client: KubeClient, docker: DockerClient, pods: number, nodes: string[]): Promise<{ latency: Phase; throughput: Phase }> {
  const podsApi = client.resource<corev1.Pod>(refs.pods).namespace('default');
  const phase = async (prefix: string, concurrency: number): Promise<Phase> => {
    const watcher = new RunningWatcher(client);
    await watcher.start();
    const result = await closedLoop(pods, concurrency, async (i) => {
      const name = `${prefix}-${i}`;
      await podsApi.create(benchPod(name));
      await watcher.running(name, 180_000);
    });
    watcher.stop();
    await deleteBenchPods(client, docker, nodes);
    return result;
  };
  const latency = await phase('lat', IN_FLIGHT);
  const throughput = await phase('tput', pods);
  return { latency, throughput };
}

// ---------------------------------------------------------------- report

interface Row {
  what: string;
  latency: Phase;
  throughput: Phase;
}

function tableOf(rows: Row[], pods: number): string {
  const head = `| | pods | p50 ms (${IN_FLIGHT} in flight) | p99 ms | pods/s (all ${pods} at once) |\n|---|---:|---:|---:|---:|`;
  const lines = rows.map((r) => `| ${r.what} | ${pods} | ${pct(r.latency.latenciesMs, 50).toFixed(0)} | ${pct(r.latency.latenciesMs, 99).toFixed(0)} | ${((pods * 1000) / r.throughput.wallMs).toFixed(2)} |`);
  return [head, ...lines].join('\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const docker = await DockerClient.connect();
  if (!(await docker.imageInspect(IMAGE))) throw new Error(`${IMAGE} is missing: run pnpm images`);
  if (!(await docker.networkInspect(FLOOR_NETWORK))) {
    await docker.networkCreate({ Name: FLOOR_NETWORK, Driver: 'bridge', IPAM: { Config: [{ Subnet: '10.244.0.0/16', Gateway: '10.244.0.1' }] } });
  }
  process.stdout.write('floor: Docker Engine API straight...\n');
  const floor = await measureFloor(docker, args.pods);

  process.stdout.write('k8ts: control plane, scheduler, 2 kubelets...\n');
  const cp = await startControlPlane('k8ts', { members: 1 });
  const scheduler = await startComponent('scheduler', { kubeconfig: cp.kubeconfig });
  const kubelets: KubeletProcess[] = [];
  try {
    for (const [i, name] of ['bench-node-a', 'bench-node-b'].entries()) {
      kubelets.push(await startKubeletProcess({ kubeconfig: cp.kubeconfig, nodeName: name, podCIDR: `10.244.${240 + i}.0/24`, args: ['--sync-frequency', '60s'] }));
    }
    const client = KubeClient.fromKubeconfig(cp.kubeconfig);
    // Wait until both nodes are Ready.
    const nodes = client.resource<corev1.Node>(refs.nodes);
    for (let i = 0; i < 100; i++) {
      const ready = (await nodes.list()).items.filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
      if (ready.length >= 2) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const k8ts = await measureK8ts(client, docker, args.pods, kubelets.map((k) => k.nodeName));
    const rows: Row[] = [
      { what: 'Docker floor (sandbox + app via the Engine API)', ...floor },
      { what: 'k8ts (apiserver → scheduler → 2 kubelets, Running seen by a watch)', ...k8ts },
    ];
    const floorP99 = pct(floor.latency.latenciesMs, 99);
    const oursP99 = pct(k8ts.latency.latenciesMs, 99);
    const floorRate = (args.pods * 1000) / floor.throughput.wallMs;
    const oursRate = (args.pods * 1000) / k8ts.throughput.wallMs;
    const goals =
      `- p99 ${oursP99.toFixed(0)} ms = ${(oursP99 / floorP99).toFixed(2)}× the floor's (goal ≤ 1.5×): ${oursP99 <= 1.5 * floorP99 ? 'met' : 'missed'}\n` +
      `- ${oursRate.toFixed(2)} pods/s = ${(oursRate / floorRate).toFixed(2)}× the floor's (goal ≥ 0.9×): ${oursRate >= 0.9 * floorRate ? 'met' : 'missed'}`;
    const text = `${tableOf(rows, args.pods)}\n\n${goals}\n`;
    process.stdout.write(`\n${text}\n`);
    if (args.write) {
      const section =
        `${START}\n## Pod startup (\`pnpm bench:pods\`)\n\n` +
        `Reproduce: \`pnpm images && pnpm bench:pods --pods ${args.pods} --write docs/benchmarks.md\`. ` +
        `${new Date().toISOString().slice(0, 10)}, ${cpus().length} vCPU (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
        `Docker ${(await docker.version()).Version}; ${((Date.now() - t0) / 1000).toFixed(0)} s in all.\n\n` +
        `Latency: pods created ${IN_FLIGHT} at a time (the next when one is Running); k8ts counts from the create request to ` +
        `the watch event showing it Running (Kubernetes' pod startup SLI, images present). Throughput: all pods created at ` +
        `once, pods/s until the last is Running; the floor starts them with ${IN_FLIGHT} workers (its measured plateau).\n\n${text}${END}`;
      let doc = '';
      try {
        doc = await readFile(args.write, 'utf8');
      } catch {
        doc = '# Benchmarks\n';
      }
      const s = doc.indexOf(START);
      const e = doc.indexOf(END);
      doc = s >= 0 && e > s ? doc.slice(0, s) + section + doc.slice(e + END.length) : `${doc.trimEnd()}\n\n${section}\n`;
      await writeFile(args.write, doc);
    }
  } finally {
    await Promise.all(kubelets.map((k) => k.stop()));
    await scheduler.stop();
    await cp.stop();
    await docker.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:pods: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
