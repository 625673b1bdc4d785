// Deployments reconciled by a real k8ts-controller-manager (deployment + replicaset controllers) against a real
// apiserver and store, with hollow nodes standing in for kubelets, driven with the real kubectl: scaling, rolling
// updates within maxSurge/maxUnavailable (checked at every watch event), revisions and `kubectl rollout
// history/undo/restart/pause/resume/status`, a rollout stuck past its progress deadline, Recreate,
// revisionHistoryLimit, minReadySeconds and adoption.
import t from 'tap';
import { computeTemplateHash } from '../../src/shared/template-hash.js';
import { type ComponentProcess, type ControlPlane, eventually, type HollowNode, sleep, startComponent, startControlPlane, startHollowNode } from '@k8ts/testing';


interface Meta {
  name: string;
  uid: string;
  generation?: number;
  resourceVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  deletionTimestamp?: string;
  ownerReferences?: Array<{ kind: string; name: string; uid: string; controller?: boolean }>;
}
interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}
interface PodJson {
  metadata: Meta;
  spec: { nodeName?: string; containers: Array<{ image: string }> };
  status?: { phase?: string; conditions?: Condition[] };
}
interface RsJson {
  metadata: Meta;
  spec: { replicas?: number; selector: { matchLabels?: Record<string, string> }; template: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> }; spec: { containers: Array<{ image: string }> } } };
  status?: { replicas?: number; availableReplicas?: number };
}
interface DeploymentJson {
  metadata: Meta;
  spec: { replicas: number; paused?: boolean; template: { spec: { containers: Array<{ image: string }> } } };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions?: Condition[];
  };
}
interface EventJson {
  reason: string;
  message: string;
  type: string;
  source?: { component?: string };
}


const isReady = (p: PodJson): boolean => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
const isActive = (p: PodJson): boolean => !p.metadata.deletionTimestamp && p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed';

interface DeploySpec {
  name: string;
  replicas: number;
  image: string;
  node: string;
  strategy?: string;
  extra?: string;
}
const deployment = (o: DeploySpec): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${o.name}}
spec:
  replicas: ${o.replicas}
  selector: {matchLabels: {app: ${o.name}}}
  strategy: ${o.strategy ?? '{type: RollingUpdate, rollingUpdate: {maxSurge: 25%, maxUnavailable: 25%}}'}
${o.extra ?? ''}
  template:
    metadata: {labels: {app: ${o.name}}}
    spec:
      nodeName: ${o.node}
      terminationGracePeriodSeconds: 1
      containers: [{name: c, image: ${o.image}, command: [sleep, "3600"]}]
`;

/** A list + watch of one collection over the plain-HTTP port, calling `onChange` with the full state after every event. */
function watchCollection<T extends { metadata: Meta }>(baseUrl: string, path: string, onChange: (items: Map<string, T>) => void): { stop(): Promise<void>; events(): number } {
  const items = new Map<string, T>();
  const abort = new AbortController();
  let events = 0;
  const run = (async (): Promise<void> => {
    const list = (await (await fetch(`${baseUrl}${path}`, { signal: abort.signal })).json()) as { metadata: { resourceVersion: string }; items: T[] };
    for (const item of list.items) items.set(item.metadata.name, item);
    onChange(items);
    const sep = path.includes('?') ? '&' : '?';
    const res = await fetch(`${baseUrl}${path}${sep}watch=true&resourceVersion=${list.metadata.resourceVersion}`, { signal: abort.signal });
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffered += decoder.decode(value, { stream: true });
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (!line) continue;
        const event = JSON.parse(line) as { type: string; object: T };
        if (event.type === 'BOOKMARK' || event.type === 'ERROR') continue;
        if (event.type === 'DELETED') items.delete(event.object.metadata.name);
        else items.set(event.object.metadata.name, event.object);
        events++;
        onChange(items);
      }
    }
  })().catch((err: unknown) => {
    if (!abort.signal.aborted) throw err;
  });
  return {
    async stop() {
      abort.abort();
      await run;
    },
    events: () => events,
  };
}

t.test('deployment controller', async (t) => {
  const cp: ControlPlane = await startControlPlane('k8ts');
  const nodes: HollowNode[] = [];
  let manager: ComponentProcess | undefined;
  t.teardown(async () => {
    await manager?.kill();
    for (const n of nodes) await n.stop();
    await cp.stop();
  });
  nodes.push(await startHollowNode({ apiUrl: cp.httpUrl, name: 'node-a' }));
  // Its kubelet never starts anything: pods bound here stay Pending and never become ready.
  nodes.push(await startHollowNode({ apiUrl: cp.httpUrl, name: 'node-stuck', runPods: false }));
  manager = await startComponent('controller-manager', {
    kubeconfig: cp.kubeconfig,
    args: ['--controllers', 'replicaset,deployment', '--leader-elect=false'],
  });

  const run = (args: string[], input?: string): { code: number; stdout: string; stderr: string } =>
    cp.kubectl(args, input === undefined ? { timeoutMs: 60_000 } : { input, timeoutMs: 60_000 });
  const ok = (args: string[], input?: string): string => {
    const r = run(args, input);
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout;
  };
  // The hollow nodes live in this process: a long kubectl must not block the event loop (spawnSync would).
  const rolloutStatus = async (name: string, timeout: string): Promise<{ code: number | null; output: string }> => {
    const bg = cp.kubectlAsync(['rollout', 'status', `deployment/${name}`, `--timeout=${timeout}`]);
    const code = await bg.done;
    return { code, output: bg.output() };
  };
  const getJson = <T>(args: string[]): T => JSON.parse(ok(['get', ...args, '-o', 'json'])) as T;
  const deploy = (name: string): DeploymentJson => getJson<DeploymentJson>(['deployment', name]);
  const replicaSets = (app: string): RsJson[] => getJson<{ items: RsJson[] }>(['rs', '-l', `app=${app}`]).items;
  const pods = (app: string): PodJson[] => getJson<{ items: PodJson[] }>(['pods', '-l', `app=${app}`]).items;
  const events = (name: string): EventJson[] =>
    getJson<{ items: EventJson[] }>(['events', '--field-selector', `involvedObject.kind=Deployment,involvedObject.name=${name}`]).items;
  const condition = (d: DeploymentJson, type: string): Condition | undefined => d.status?.conditions?.find((c) => c.type === type);
  const rolledOut = async (name: string, timeoutMs = 30_000): Promise<DeploymentJson> =>
    eventually(
      `${name} rolled out`,
      () => deploy(name),
      (d) =>
        (d.status?.observedGeneration ?? 0) >= (d.metadata.generation ?? 1) &&
        d.status?.updatedReplicas === d.spec.replicas &&
        d.status?.replicas === d.spec.replicas &&
        d.status?.availableReplicas === d.spec.replicas &&
        condition(d, 'Progressing')?.reason === 'NewReplicaSetAvailable',
      timeoutMs,
    );
  const rsOf = (app: string, image: string): RsJson | undefined => replicaSets(app).find((rs) => rs.spec.template.spec.containers[0]?.image === image);
  const revision = (obj: { metadata: Meta }): string | undefined => obj.metadata.annotations?.['deployment.kubernetes.io/revision'];

  await t.test('create: a pod-template-hash ReplicaSet, revision 1, status, conditions, events, `rollout status`', async (t) => {
    ok(['apply', '-f', '-'], deployment({ name: 'web', replicas: 10, image: 'v1', node: 'node-a' }));
    const status = await rolloutStatus('web', '40s');
    t.equal(status.code, 0, `rollout status succeeds: ${status.output}`);
    t.match(status.output, /deployment "web" successfully rolled out/);
    const d = await rolledOut('web');
    t.equal(d.status?.observedGeneration, d.metadata.generation, 'observedGeneration');
    t.same([d.status?.replicas, d.status?.updatedReplicas, d.status?.readyReplicas, d.status?.availableReplicas, d.status?.unavailableReplicas], [10, 10, 10, 10, 0]);
    t.match(condition(d, 'Available'), { status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' });
    const [rs, ...others] = replicaSets('web');
    t.equal(others.length, 0, 'one ReplicaSet');
    const hash = rs!.metadata.labels?.['pod-template-hash'];
    t.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]+$/, 'a pod-template-hash label');
    t.equal(rs!.metadata.name, `web-${hash}`, 'named <deployment>-<hash>');
    t.equal(rs!.spec.selector.matchLabels?.['pod-template-hash'], hash, 'the hash is in the selector');
    t.equal(rs!.spec.template.metadata?.labels?.['pod-template-hash'], hash, 'and in the pod template');
    t.match(rs!.metadata.ownerReferences, [{ kind: 'Deployment', name: 'web', uid: d.metadata.uid, controller: true }]);
    t.match(rs!.metadata.annotations, {
      'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '10',
      'deployment.kubernetes.io/max-replicas': '13',
    });
    t.equal(revision(d), '1', 'the Deployment carries its revision');
    t.match(condition(d, 'Progressing'), { status: 'True', reason: 'NewReplicaSetAvailable', message: `ReplicaSet "web-${hash}" has successfully progressed.` });
    t.ok(pods('web').every((p) => p.metadata.labels?.['pod-template-hash'] === hash), 'pods carry the hash');
    const e = await eventually('the scale-up event', () => events('web'), (es) => es.some((x) => x.reason === 'ScalingReplicaSet'));
    t.match(e.find((x) => x.reason === 'ScalingReplicaSet'), { type: 'Normal', message: `Scaled up replica set web-${hash} from 0 to 10`, source: { component: 'deployment-controller' } });
  });

  await t.test('scale 10 -> 3 -> 10', async (t) => {
    const rsName = replicaSets('web')[0]!.metadata.name;
    ok(['scale', 'deployment/web', '--replicas=3']);
    await eventually('3 pods', () => pods('web').filter(isActive), (p) => p.length === 3);
    let d = await rolledOut('web');
    t.same([d.status?.replicas, d.status?.availableReplicas], [3, 3]);
    ok(['scale', 'deployment/web', '--replicas=10']);
    await eventually('10 ready pods', () => pods('web').filter((p) => isActive(p) && isReady(p)), (p) => p.length === 10);
    d = await rolledOut('web');
    t.same([d.status?.replicas, d.status?.availableReplicas], [10, 10]);
    t.equal(replicaSets('web').length, 1, 'scaling makes no new ReplicaSet');
    const messages = (await eventually('scale events', () => events('web'), (es) => es.filter((x) => x.reason === 'ScalingReplicaSet').length >= 3)).map((x) => x.message);
    t.ok(messages.includes(`Scaled down replica set ${rsName} to 3 from 10`), 'scale-down event');
    t.ok(messages.includes(`Scaled up replica set ${rsName} to 10 from 3`), 'scale-up event');
  });

  await t.test('rolling update v1 -> v2 stays within maxSurge and maxUnavailable at every observation', async (t) => {
    // 10 replicas, 25%: at most 13 pods, at least 8 available (pods: Ready and not terminating).
    const violations: string[] = [];
    let observations = 0;
    let maxPods = 0;
    let minAvailable = Infinity;
    const podWatch = watchCollection<PodJson>(cp.httpUrl, '/api/v1/namespaces/default/pods?labelSelector=app%3Dweb', (items) => {
      observations++;
      const active = [...items.values()].filter(isActive);
      const available = active.filter(isReady).length;
      maxPods = Math.max(maxPods, active.length);
      minAvailable = Math.min(minAvailable, available);
      if (active.length > 13) violations.push(`${active.length} pods`);
      if (available < 8) violations.push(`${available} available`);
    });
    const rsWatch = watchCollection<RsJson>(cp.httpUrl, '/apis/apps/v1/namespaces/default/replicasets?labelSelector=app%3Dweb', (items) => {
      observations++;
      const sum = [...items.values()].reduce((n, rs) => n + (rs.spec.replicas ?? 0), 0);
      if (sum > 13) violations.push(`ReplicaSets sized ${sum}`);
      const available = [...items.values()].reduce((n, rs) => n + (rs.status?.availableReplicas ?? 0), 0);
      if (available < 8) violations.push(`ReplicaSets report ${available} available`);
    });
    try {
      await sleep(300);
      ok(['set', 'image', 'deployment/web', 'c=v2']);
      const status = await rolloutStatus('web', '60s');
      t.equal(status.code, 0, `rollout status: ${status.output}`);
      t.match(status.output, /Waiting for deployment "web" rollout to finish: \d+ (out of 10 new replicas have been updated|old replicas are pending termination|of 10 updated replicas are available)/, 'progress lines');
      t.match(status.output, /deployment "web" successfully rolled out/);
      await rolledOut('web');
      await eventually('old pods gone', () => pods('web'), (p) => p.length === 10 && p.every((x) => x.spec.containers[0]?.image === 'v2'));
    } finally {
      await podWatch.stop();
      await rsWatch.stop();
    }
    t.same(violations, [], `no observation broke the bounds (${observations} observations, at most ${maxPods} pods, at least ${minAvailable} available)`);
    t.ok(maxPods > 10, 'the rollout surged');
    const v1 = rsOf('web', 'v1')!;
    const v2 = rsOf('web', 'v2')!;
    t.equal(v1.spec.replicas, 0, 'the old ReplicaSet is kept, scaled to zero');
    t.equal(revision(v2), '2');
    t.equal(revision(deploy('web')), '2');
    const messages = events('web').map((e) => e.message);
    t.ok(messages.includes(`Scaled up replica set ${v2.metadata.name} from 0 to 3`), 'the new ReplicaSet starts at maxSurge');
    t.ok(messages.some((m) => m.startsWith(`Scaled down replica set ${v1.metadata.name} to `)), 'the old one is scaled down');
  });

  await t.test('rollout history, undo, undo --to-revision', async (t) => {
    const history = ok(['rollout', 'history', 'deployment/web']);
    t.match(history, /REVISION\s+CHANGE-CAUSE\n1\s+<none>\n2\s+<none>/);
    const detail = ok(['rollout', 'history', 'deployment/web', '--revision=1']);
    t.match(detail, /Image:\s+v1/, 'a revision shows its template');

    t.match(ok(['rollout', 'undo', 'deployment/web']), /deployment.apps\/web rolled back/);
    let d = await rolledOut('web');
    t.equal(d.spec.template.spec.containers[0]?.image, 'v1', 'the template of revision 1 is back');
    const v1 = rsOf('web', 'v1')!;
    t.equal(revision(v1), '3', 'the re-used ReplicaSet moves to revision 3');
    t.equal(v1.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1', 'remembering it was revision 1');
    t.equal(replicaSets('web').length, 2, 'no new ReplicaSet for an old template');
    t.equal(v1.spec.replicas, 10);
    t.match(ok(['rollout', 'history', 'deployment/web']), /REVISION\s+CHANGE-CAUSE\n2\s+<none>\n3\s+<none>/);

    t.match(ok(['rollout', 'undo', 'deployment/web', '--to-revision=2']), /rolled back/);
    d = await rolledOut('web');
    t.equal(d.spec.template.spec.containers[0]?.image, 'v2');
    t.equal(revision(rsOf('web', 'v2')!), '4');
    t.equal(revision(d), '4');
    const missing = run(['rollout', 'undo', 'deployment/web', '--to-revision=9']);
    t.not(missing.code, 0, 'an unknown revision is an error');
    t.match(missing.stderr, /unable to find specified revision 9 in history/);
  });

  await t.test('rollout restart replaces every pod', async (t) => {
    const before = new Set(pods('web').map((p) => p.metadata.name));
    ok(['rollout', 'restart', 'deployment/web']);
    await eventually('a restarted ReplicaSet', () => replicaSets('web'), (rss) => rss.length === 3);
    await rolledOut('web');
    const after = await eventually('old pods gone', () => pods('web'), (p) => p.length === 10);
    t.ok(after.every((p) => !before.has(p.metadata.name)), 'all pods are new');
    const newest = replicaSets('web').find((rs) => rs.spec.template.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt'] !== undefined);
    t.ok(newest, 'the new template has restartedAt');
    t.equal(revision(newest!), '5');
  });

  await t.test('pause and resume', async (t) => {
    ok(['rollout', 'pause', 'deployment/web']);
    ok(['set', 'image', 'deployment/web', 'c=v3']);
    const paused = await eventually(
      'paused condition',
      () => deploy('web'),
      (d) => condition(d, 'Progressing')?.reason === 'DeploymentPaused' && d.status?.observedGeneration === d.metadata.generation,
    );
    t.match(condition(paused, 'Progressing'), { status: 'Unknown', message: 'Deployment is paused' });
    await sleep(1000);
    t.equal(rsOf('web', 'v3'), undefined, 'no rollout while paused');
    const waiting = await rolloutStatus('web', '2s');
    t.not(waiting.code, 0, 'rollout status times out on a paused rollout');
    t.match(waiting.output, /Waiting for deployment "web" rollout to finish: 0 out of 10 new replicas have been updated/);
    // Scaling still works while paused.
    ok(['scale', 'deployment/web', '--replicas=6']);
    await eventually('6 pods while paused', () => pods('web').filter(isActive), (p) => p.length === 6);

    ok(['rollout', 'resume', 'deployment/web']);
    const done = await rolloutStatus('web', '40s');
    t.equal(done.code, 0, `resumed rollout completes: ${done.output}`);
    const d = await rolledOut('web');
    t.equal(rsOf('web', 'v3')?.spec.replicas, 6);
    t.equal(d.status?.availableReplicas, 6);
  });

  await t.test('revisionHistoryLimit removes the oldest idle ReplicaSets', async (t) => {
    ok(['patch', 'deployment/web', '-p', '{"spec":{"revisionHistoryLimit":1}}']);
    const rss = await eventually('only the newest old ReplicaSet kept', () => replicaSets('web'), (r) => r.length === 2);
    t.same(rss.map((rs) => rs.spec.template.spec.containers[0]?.image).sort(), ['v2', 'v3'], 'v3 and the latest old one (the restart, v2) remain');
  });

  await t.test('a rollout that cannot progress is reported after progressDeadlineSeconds', async (t) => {
    ok(['apply', '-f', '-'], deployment({ name: 'stuck', replicas: 4, image: 'v1', node: 'node-a', extra: '  progressDeadlineSeconds: 5' }));
    await rolledOut('stuck');
    // v2 lands on a node whose kubelet never runs anything: its pods never become ready.
    ok(['patch', 'deployment/stuck', '-p', '{"spec":{"template":{"spec":{"nodeName":"node-stuck","containers":[{"name":"c","image":"v2"}]}}}}']);
    const started = Date.now();
    const status = await rolloutStatus('stuck', '40s');
    const took = Date.now() - started;
    t.equal(status.code, 1, 'rollout status fails');
    t.match(status.output, /error: deployment "stuck" exceeded its progress deadline/);
    t.ok(took >= 3000, `not before the deadline (${took} ms)`);
    const d = deploy('stuck');
    const v2 = rsOf('stuck', 'v2')!;
    t.match(condition(d, 'Progressing'), { status: 'False', reason: 'ProgressDeadlineExceeded', message: `ReplicaSet "${v2.metadata.name}" has timed out progressing.` });
    t.match(condition(d, 'Available'), { status: 'True' }, 'the old pods keep it available');
    t.equal(d.status?.availableReplicas, 3, 'maxUnavailable 25% of 4 = 1: three old pods stay');
    t.equal(d.status?.updatedReplicas, 2, 'the new ReplicaSet grew by maxSurge + maxUnavailable and stopped');
    // Scaling in the middle of a rollout spreads the change in proportion: 3 old + 2 new sized for 5 (4 + surge 1)
    // become 6 + 4 for 10 (8 + surge 2).
    const v1 = rsOf('stuck', 'v1')!;
    ok(['scale', 'deployment/stuck', '--replicas=8']);
    await eventually('proportional sizes', () => [rsOf('stuck', 'v1')?.spec.replicas, rsOf('stuck', 'v2')?.spec.replicas], (s) => s[0] === 6 && s[1] === 4);
    const messages = await eventually('proportional events', () => events('stuck').map((e) => e.message), (m) => m.some((x) => x.includes(' to 6 from 3')));
    t.ok(messages.includes(`Scaled up replica set ${v1.metadata.name} to 6 from 3`), 'the old ReplicaSet takes its share');
    t.ok(messages.includes(`Scaled up replica set ${v2.metadata.name} to 4 from 2`), 'the new one too');
    t.match(rsOf('stuck', 'v2')!.metadata.annotations, { 'deployment.kubernetes.io/desired-replicas': '8', 'deployment.kubernetes.io/max-replicas': '10' });
    // Getting out of it: undo brings the working template back.
    ok(['rollout', 'undo', 'deployment/stuck']);
    const back = await rolledOut('stuck');
    t.match(condition(back, 'Progressing'), { status: 'True', reason: 'NewReplicaSetAvailable' });
    await eventually('stuck pods gone', () => pods('stuck'), (p) => p.length === 8 && p.every((x) => x.spec.nodeName === 'node-a'));
  });

  await t.test('Recreate: every old pod is gone before a new one exists', async (t) => {
    ok(['apply', '-f', '-'], deployment({ name: 'rec', replicas: 3, image: 'v1', node: 'node-a', strategy: '{type: Recreate}' }));
    await rolledOut('rec');
    const overlaps: string[] = [];
    let observations = 0;
    const watch = watchCollection<PodJson>(cp.httpUrl, '/api/v1/namespaces/default/pods?labelSelector=app%3Drec', (items) => {
      observations++;
      const all = [...items.values()];
      const old = all.filter((p) => p.spec.containers[0]?.image === 'v1').length;
      const fresh = all.filter((p) => p.spec.containers[0]?.image === 'v2').length;
      if (old > 0 && fresh > 0) overlaps.push(`${old} old (incl. terminating) next to ${fresh} new`);
    });
    try {
      await sleep(300);
      ok(['set', 'image', 'deployment/rec', 'c=v2']);
      await rolledOut('rec');
      await eventually('3 new pods', () => pods('rec'), (p) => p.length === 3 && p.every((x) => x.spec.containers[0]?.image === 'v2' && isReady(x)));
    } finally {
      await watch.stop();
    }
    t.same(overlaps, [], `old and new pods never coexist (${observations} observations)`);
    const v1 = rsOf('rec', 'v1')!;
    const v2 = rsOf('rec', 'v2')!;
    const messages = events('rec').map((e) => e.message);
    t.ok(messages.includes(`Scaled down replica set ${v1.metadata.name} to 0 from 3`));
    t.ok(messages.includes(`Scaled up replica set ${v2.metadata.name} from 0 to 3`), 'created at full size');
  });

  await t.test('minReadySeconds: ready pods count as available only after it', async (t) => {
    ok(['apply', '-f', '-'], deployment({ name: 'slow', replicas: 2, image: 'v1', node: 'node-a', extra: '  minReadySeconds: 3' }));
    const early = await eventually('ready but not yet available', () => deploy('slow'), (d) => d.status?.readyReplicas === 2);
    t.equal(early.status?.availableReplicas ?? 0, 0, 'not available yet');
    t.match(condition(early, 'Available'), { status: 'False', reason: 'MinimumReplicasUnavailable' });
    const d = await rolledOut('slow', 15_000);
    t.equal(d.status?.availableReplicas, 2, 'available after minReadySeconds');
  });

  await t.test('an orphan ReplicaSet matching the selector is adopted (and, being old, scaled down)', async (t) => {
    ok(['apply', '-f', '-'], `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: orphan, labels: {app: adopt}}
spec:
  replicas: 1
  selector: {matchLabels: {app: adopt}}
  template:
    metadata: {labels: {app: adopt}}
    spec:
      nodeName: node-a
      containers: [{name: c, image: old, command: [sleep, "3600"]}]
`);
    await eventually('the orphan runs', () => pods('adopt').filter(isReady), (p) => p.length === 1);
    ok(['apply', '-f', '-'], deployment({ name: 'adopt', replicas: 2, image: 'v1', node: 'node-a' }));
    const d = await rolledOut('adopt');
    const orphan = getJson<RsJson>(['rs', 'orphan']);
    t.match(orphan.metadata.ownerReferences, [{ kind: 'Deployment', name: 'adopt', uid: d.metadata.uid, controller: true }], 'adopted');
    t.equal(orphan.spec.replicas, 0, 'an old template: scaled down by the rollout');
    t.equal(revision(rsOf('adopt', 'v1')!), '1');
  });

  await t.test('a hash collision bumps status.collisionCount and picks another name', async (t) => {
    // Paused, the Deployment creates nothing: time to squat on the name its template hashes to.
    ok(['apply', '-f', '-'], deployment({ name: 'coll', replicas: 1, image: 'v1', node: 'node-a', extra: '  paused: true' }));
    const d = await eventually('observed', () => deploy('coll'), (x) => x.status?.observedGeneration === x.metadata.generation);
    const template = (getJson<{ spec: { template: unknown } }>(['deployment', 'coll'])).spec.template;
    const taken = `coll-${computeTemplateHash(template)}`;
    ok(['apply', '-f', '-'], `apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: ${taken}, labels: {app: squatter}}
spec:
  replicas: 0
  selector: {matchLabels: {app: squatter}}
  template:
    metadata: {labels: {app: squatter}}
    spec: {containers: [{name: c, image: other}]}
`);
    ok(['rollout', 'resume', 'deployment/coll']);
    const done = await rolledOut('coll');
    t.equal((done.status as { collisionCount?: number }).collisionCount, 1, 'collisionCount');
    const rss = replicaSets('coll');
    t.same(rss.map((rs) => rs.metadata.name), [`coll-${computeTemplateHash(template, 1)}`], 'named with the hash of the template and the collision count');
    t.equal(getJson<RsJson>(['rs', taken]).metadata.ownerReferences, undefined, 'the squatter is left alone');
    t.equal(d.metadata.name, 'coll');
  });

  t.notOk(/"level":(50|60)/.test(manager.logs()), 'no errors in the controller-manager log');
});
