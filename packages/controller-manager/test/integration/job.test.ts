// Jobs and CronJobs reconciled by a real k8ts-controller-manager (job, cronjob and ttl-after-finished controllers)
// against a real apiserver and store, with a hollow node standing in for the kubelet (it runs, fails and completes
// pods on demand) and the real kubectl. The CronJobs are created first, for the next whole minute, so that their
// one wait overlaps the Job tests; Forbid and Replace are shown by giving their CronJobs an active Job made with
// `kubectl create job --from=cronjob/...` before the scheduled time.
import t from 'tap';
import { type ComponentProcess, type ControlPlane, eventually, type HollowNode, sleep, startComponent, startControlPlane, startHollowNode } from '@k8ts/testing';

const NODE = 'hollow-1';

interface Meta {
  name: string;
  uid: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: Array<{ kind: string; name: string; uid: string; controller?: boolean }>;
  deletionTimestamp?: string;
}
interface PodJson {
  metadata: Meta;
  spec: { hostname?: string; containers: Array<{ env?: Array<{ name: string; valueFrom?: { fieldRef?: { fieldPath: string } } }> }> };
  status?: { phase?: string };
}
interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}
interface JobJson {
  metadata: Meta;
  status?: {
    active?: number;
    ready?: number;
    succeeded?: number;
    failed?: number;
    terminating?: number;
    startTime?: string;
    completionTime?: string;
    completedIndexes?: string;
    conditions?: Condition[];
    uncountedTerminatedPods?: Record<string, string[]>;
  };
}
interface CronJobJson {
  metadata: Meta;
  status?: { active?: Array<{ name: string; uid: string }>; lastScheduleTime?: string; lastSuccessfulTime?: string };
}


const jobYaml = (name: string, spec: string, podSpec = ''): string => `apiVersion: batch/v1
kind: Job
metadata: {name: ${name}}
spec:
${spec}
  template:
    spec:
      nodeName: ${NODE}
      restartPolicy: Never
      terminationGracePeriodSeconds: 1
      containers: [{name: work, image: busybox, command: [sh, -c, "true"]${podSpec}}]
`;

const cronJobYaml = (name: string, schedule: string, policy: string, timeZone?: string): string => `apiVersion: batch/v1
kind: CronJob
metadata: {name: ${name}}
spec:
  schedule: "${schedule}"
${timeZone ? `  timeZone: ${timeZone}\n` : ''}  concurrencyPolicy: ${policy}
  jobTemplate:
    metadata: {labels: {cron: ${name}}}
    spec:
      template:
        spec:
          nodeName: ${NODE}
          restartPolicy: Never
          containers: [{name: tick, image: busybox}]
`;

t.test('job, cronjob and ttl-after-finished controllers', async (t) => {
  const cp: ControlPlane = await startControlPlane('k8ts');
  let manager: ComponentProcess | undefined;
  let node: HollowNode | undefined;
  t.teardown(async () => {
    await node?.stop();
    await manager?.kill();
    await cp.stop();
  });
  const ok = (args: string[], input?: string): string => {
    const r = cp.kubectl(args, input === undefined ? {} : { input });
    if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  const json = <T>(args: string[]): T => JSON.parse(ok([...args, '-o', 'json'])) as T;
  const job = (name: string): JobJson => json<JobJson>(['get', 'job', name]);
  const cronJob = (name: string): CronJobJson => json<CronJobJson>(['get', 'cronjob', name]);
  const podsOf = (jobName: string): PodJson[] => json<{ items: PodJson[] }>(['get', 'pods', '-l', `batch.kubernetes.io/job-name=${jobName}`]).items;
  const running = (jobName: string): PodJson[] => podsOf(jobName).filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp);
  const condition = (j: JobJson, type: string): Condition | undefined => j.status?.conditions?.find((c) => c.type === type && c.status === 'True');
  const patchStatus = async (path: string, body: unknown): Promise<void> => {
    const r = await fetch(`${cp.httpUrl}${path}/status`, { method: 'PATCH', headers: { 'content-type': 'application/merge-patch+json' }, body: JSON.stringify(body) });
    if (!r.ok) throw new Error(`PATCH ${path}/status: ${r.status} ${await r.text()}`);
  };

  node = await startHollowNode({ apiUrl: cp.httpUrl, name: NODE });
  manager = await startComponent('controller-manager', {
    kubeconfig: cp.kubeconfig,
    args: ['--controllers', 'job,cronjob,ttl-after-finished', '--job-backoff-base', '300ms', '--leader-elect=false'],
  });

  // ---- CronJobs for the next whole minute (at least 25 s away, to set up Forbid and Replace in time) ----
  let fireAt = Math.ceil((Date.now() + 1) / 60_000) * 60_000;
  if (fireAt - Date.now() < 25_000) fireAt += 60_000;
  const utcMinute = new Date(fireAt).getUTCMinutes();
  // Asia/Kolkata is UTC+05:30: the same instant is minute (m + 30) % 60 there.
  ok(['apply', '-f', '-'], cronJobYaml('allow', `${(utcMinute + 30) % 60} * * * *`, 'Allow', 'Asia/Kolkata'));
  // Without a time zone the schedule is read in the manager's zone, which is this process's.
  ok(['apply', '-f', '-'], cronJobYaml('forbid', `${new Date(fireAt).getMinutes()} * * * *`, 'Forbid'));
  ok(['apply', '-f', '-'], cronJobYaml('replace', `${utcMinute} * * * *`, 'Replace', 'Etc/UTC'));
  for (const cj of ['forbid', 'replace']) {
    ok(['create', 'job', `${cj}-manual`, `--from=cronjob/${cj}`]);
    const manual = job(`${cj}-manual`);
    await patchStatus(`/apis/batch/v1/namespaces/default/cronjobs/${cj}`, {
      status: { active: [{ kind: 'Job', apiVersion: 'batch/v1', namespace: 'default', name: `${cj}-manual`, uid: manual.metadata.uid }] },
    });
  }
  const expectedJob = (cj: string): string => `${cj}-${fireAt / 60_000}`;

  t.test('a Job with completions and parallelism', async (t) => {
    ok(['apply', '-f', '-'], jobYaml('para', '  completions: 3\n  parallelism: 2'));
    const first = await eventually('2 running pods', () => running('para'), (p) => p.length === 2);
    for (const p of first) {
      t.match(p.metadata.name, /^para-[a-z0-9]{5}$/, 'generateName <job>-');
      t.same(p.metadata.finalizers, ['batch.kubernetes.io/job-tracking'], 'the tracking finalizer');
      t.equal(p.metadata.ownerReferences?.[0]?.kind, 'Job');
      t.equal(p.metadata.labels?.['batch.kubernetes.io/job-name'], 'para');
    }
    const mid = await eventually('active 2, ready 2', () => job('para'), (j) => j.status?.active === 2 && j.status.ready === 2);
    t.ok(mid.status?.startTime, 'startTime');
    t.equal(mid.status?.terminating, 0);
    const done = new Set<string>();
    while (done.size < 3) {
      const next = await eventually('a running pod', () => running('para').filter((p) => !done.has(p.metadata.name)), (p) => p.length > 0);
      t.ok(running('para').length <= 2, 'never more than parallelism');
      await node!.succeed(next[0]!.metadata.name);
      done.add(next[0]!.metadata.name);
    }
    const complete = await eventually('Complete', () => job('para'), (j) => condition(j, 'Complete') !== undefined);
    t.equal(complete.status?.succeeded, 3);
    t.equal(complete.status?.active, undefined, 'no active pods (zero is omitted)');
    t.ok(complete.status?.completionTime, 'completionTime');
    t.same(
      complete.status?.conditions?.map((c) => [c.type, c.status, c.reason, c.message]),
      [
        ['SuccessCriteriaMet', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
        ['Complete', 'True', 'CompletionsReached', 'Reached expected number of succeeded pods'],
      ],
    );
    t.same(complete.status?.uncountedTerminatedPods, {});
    t.equal(podsOf('para').length, 3, 'exactly completions pods were made');
    t.ok(podsOf('para').every((p) => (p.metadata.finalizers ?? []).length === 0), 'every pod lost its finalizer');
    const described = await eventually('events', () => ok(['describe', 'job', 'para']), (d) => /Completed/.test(d));
    t.match(described, /Normal\s+SuccessfulCreate\s+\S+\s+job-controller\s+Created pod: para-/);
    t.match(described, /Normal\s+Completed\s+\S+\s+job-controller\s+Job completed/);
    t.match(ok(['get', 'job', 'para']), /para\s+Complete\s+3\/3/, 'kubectl get shows it complete');
  });

  t.test('a Job with failures and backoffLimit', async (t) => {
    ok(['apply', '-f', '-'], jobYaml('flaky', '  backoffLimit: 2'));
    const failedPods: string[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await eventually(`pod ${i + 1}`, () => running('flaky').filter((x) => !failedPods.includes(x.metadata.name)), (x) => x.length === 1);
      await node!.fail(p[0]!.metadata.name, 'default', { exitCode: 3 });
      failedPods.push(p[0]!.metadata.name);
      if (i < 2) await eventually('failure counted', () => job('flaky'), (j) => j.status?.failed === i + 1);
    }
    const failed = await eventually('Failed', () => job('flaky'), (j) => condition(j, 'Failed') !== undefined);
    t.equal(failed.status?.failed, 3, 'backoffLimit + 1 failures');
    t.equal(condition(failed, 'Failed')?.reason, 'BackoffLimitExceeded');
    t.equal(condition(failed, 'Failed')?.message, 'Job has reached the specified backoff limit');
    t.equal(condition(failed, 'FailureTarget')?.reason, 'BackoffLimitExceeded', 'FailureTarget came first');
    t.equal(failed.status?.completionTime, undefined);
    await sleep(1500);
    t.equal(podsOf('flaky').length, 3, 'no pod after the Job failed');
    const described = await eventually('events', () => ok(['describe', 'job', 'flaky']), (d) => /BackoffLimitExceeded/.test(d));
    t.match(described, /Warning\s+BackoffLimitExceeded\s+\S+\s+job-controller\s+Job has reached the specified backoff limit/);
  });

  t.test('activeDeadlineSeconds', async (t) => {
    ok(['apply', '-f', '-'], jobYaml('slow', '  completions: 2\n  parallelism: 2\n  activeDeadlineSeconds: 3'));
    await eventually('2 running pods', () => running('slow'), (p) => p.length === 2);
    const failed = await eventually('Failed', () => job('slow'), (j) => condition(j, 'Failed') !== undefined, 20_000);
    t.equal(condition(failed, 'Failed')?.reason, 'DeadlineExceeded');
    t.equal(condition(failed, 'Failed')?.message, 'Job was active longer than specified deadline');
    t.equal(failed.status?.failed, 2, 'the running pods count as failed');
    t.equal(failed.status?.terminating, 0, 'Failed only once no pod terminates');
    const start = Date.parse(failed.status?.startTime ?? '');
    const end = Date.parse(condition(failed, 'FailureTarget')?.lastTransitionTime ?? '');
    t.ok(end - start >= 3000, `failed after the deadline (${end - start} ms)`);
    await eventually('the pods are gone', () => podsOf('slow'), (p) => p.length === 0);
    t.match(ok(['describe', 'job', 'slow']), /DeadlineExceeded/);
  });

  t.test('an Indexed Job', async (t) => {
    ok(['apply', '-f', '-'], jobYaml('idx', '  completions: 3\n  parallelism: 3\n  completionMode: Indexed'));
    const pods = await eventually('3 running pods', () => running('idx'), (p) => p.length === 3);
    const byIndex = new Map(pods.map((p) => [p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'], p]));
    t.same([...byIndex.keys()].sort(), ['0', '1', '2'], 'one pod per index');
    for (const [ix, p] of byIndex) {
      t.match(p.metadata.name, new RegExp(`^idx-${ix}-[a-z0-9]{5}$`), 'named <job>-<index>-<random>');
      t.equal(p.metadata.labels?.['batch.kubernetes.io/job-completion-index'], ix, 'the index label');
      t.equal(p.spec.hostname, `idx-${ix}`, 'hostname <job>-<index>');
      t.same(p.spec.containers[0]?.env?.find((e) => e.name === 'JOB_COMPLETION_INDEX')?.valueFrom?.fieldRef?.fieldPath, "metadata.labels['batch.kubernetes.io/job-completion-index']");
    }
    await node!.succeed(byIndex.get('2')!.metadata.name);
    await node!.fail(byIndex.get('1')!.metadata.name);
    const partial = await eventually('index 2 completed', () => job('idx'), (j) => j.status?.completedIndexes === '2' && j.status.failed === 1);
    t.equal(partial.status?.succeeded, 1);
    const retry = await eventually('index 1 runs again', () => running('idx').filter((p) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'] === '1'), (p) => p.length === 1);
    t.not(retry[0]!.metadata.name, byIndex.get('1')!.metadata.name);
    await node!.succeed(retry[0]!.metadata.name);
    await node!.succeed(byIndex.get('0')!.metadata.name);
    const complete = await eventually('Complete', () => job('idx'), (j) => condition(j, 'Complete') !== undefined);
    t.equal(complete.status?.completedIndexes, '0-2');
    t.equal(complete.status?.succeeded, 3);
  });

  t.test('suspend and resume', async (t) => {
    ok(['apply', '-f', '-'], jobYaml('held', '  suspend: true'));
    const suspended = await eventually('Suspended', () => job('held'), (j) => condition(j, 'Suspended') !== undefined);
    t.equal(condition(suspended, 'Suspended')?.reason, 'JobSuspended');
    t.equal(suspended.status?.startTime, undefined, 'not started');
    t.equal(podsOf('held').length, 0);
    ok(['patch', 'job', 'held', '--type=merge', '-p', '{"spec":{"suspend":false}}']);
    await eventually('a pod', () => running('held'), (p) => p.length === 1);
    const resumed = job('held');
    t.equal(resumed.status?.conditions?.find((c) => c.type === 'Suspended')?.status, 'False');
    t.ok(resumed.status?.startTime, 'started on resume');
    ok(['patch', 'job', 'held', '--type=merge', '-p', '{"spec":{"suspend":true}}']);
    await eventually('its pod removed', () => podsOf('held').filter((p) => !p.metadata.deletionTimestamp), (p) => p.length === 0);
    const again = await eventually('active 0', () => job('held'), (j) => (j.status?.active ?? 0) === 0 && condition(j, 'Suspended') !== undefined);
    t.equal(again.status?.failed, undefined, 'a pod removed by suspend is not a failure');
  });

  t.test('ttlSecondsAfterFinished', async (t) => {
    ok(['apply', '-f', '-'], jobYaml('brief', '  ttlSecondsAfterFinished: 2'));
    const p = await eventually('a pod', () => running('brief'), (x) => x.length === 1);
    await node!.succeed(p[0]!.metadata.name);
    const done = await eventually('Complete', () => job('brief'), (j) => condition(j, 'Complete') !== undefined);
    // completionTime is written by the controller (same clock) and truncated to seconds, so the deletion, due 2 s after
    // the real completion, cannot be seen less than 2 s after it; polling delays only make the gap larger.
    const completedAt = Date.parse(String(done.status?.completionTime));
    t.ok(Number.isFinite(completedAt), 'completionTime set');
    await eventually('the Job is deleted', () => cp.kubectl(['get', 'job', 'brief']).code, (code) => code !== 0, 15_000);
    t.ok(Date.now() - completedAt >= 2000, 'not before the TTL');
    t.match(cp.kubectl(['get', 'job', 'brief']).stderr, /NotFound/);
  });

  t.test('CronJobs fire on schedule under each concurrency policy', async (t) => {
    t.ok(cronJob('forbid').status?.active?.some((a) => a.name === 'forbid-manual'), 'Forbid has a Job running');
    const wait = fireAt - Date.now() + 15_000;
    t.comment(`waiting up to ${Math.round(wait / 1000)} s for ${new Date(fireAt).toISOString()}`);

    const allowJob = await eventually('the Allow run', () => cp.kubectl(['get', 'job', expectedJob('allow'), '-o', 'json']), (r) => r.code === 0, wait);
    const aj = JSON.parse(allowJob.stdout) as JobJson;
    t.equal(aj.metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'], new Date(fireAt + 5.5 * 3600_000).toISOString().replace(/\.000Z$/, '+05:30'), 'scheduled time in the CronJob time zone');
    t.equal(aj.metadata.ownerReferences?.[0]?.kind, 'CronJob');
    t.equal(aj.metadata.labels?.['cron'], 'allow', 'the template labels');
    const allow = await eventually('allow status', () => cronJob('allow'), (c) => (c.status?.active ?? []).some((a) => a.name === expectedJob('allow')));
    t.equal(Date.parse(allow.status?.lastScheduleTime ?? ''), fireAt, 'lastScheduleTime');

    const replaced = await eventually('the Replace run', () => cronJob('replace'), (c) => (c.status?.active ?? []).some((a) => a.name === expectedJob('replace')), 15_000);
    t.same(replaced.status?.active?.map((a) => a.name), [expectedJob('replace')], 'the manual Job was replaced');
    await eventually('the replaced Job is deleted', () => cp.kubectl(['get', 'job', 'replace-manual']).code, (c) => c !== 0);
    t.match(ok(['describe', 'cronjob', 'replace']), /Normal\s+SuccessfulDelete\s+\S+\s+cronjob-controller\s+Deleted job replace-manual/);
    t.equal(Date.parse(job(expectedJob('replace')).metadata.annotations?.['batch.kubernetes.io/cronjob-scheduled-timestamp'] ?? ''), fireAt, 'UTC annotation');

    const forbidden = await eventually('JobAlreadyActive', () => ok(['describe', 'cronjob', 'forbid']), (d) => /JobAlreadyActive/.test(d), 15_000);
    t.match(forbidden, /Normal\s+JobAlreadyActive\s+\S+\s+cronjob-controller\s+Not starting job because prior execution is running and concurrency policy is Forbid/);
    t.equal(cp.kubectl(['get', 'job', expectedJob('forbid')]).code, 1, 'Forbid started nothing');
    t.same(cronJob('forbid').status?.active?.map((a) => a.name), ['forbid-manual']);

    // Completing the run: the CronJob sees it and records the success.
    const pod = await eventually('the Allow run has a pod', () => running(expectedJob('allow')), (p) => p.length === 1);
    await node!.succeed(pod[0]!.metadata.name);
    const seen = await eventually('lastSuccessfulTime', () => cronJob('allow'), (c) => c.status?.lastSuccessfulTime !== undefined && (c.status.active ?? []).length === 0);
    t.ok(Date.parse(seen.status!.lastSuccessfulTime!) >= fireAt);
    const described = ok(['describe', 'cronjob', 'allow']);
    t.match(described, /Normal\s+SuccessfulCreate\s+\S+\s+cronjob-controller\s+Created job allow-\d+/);
    t.match(described, new RegExp(`Normal\\s+SawCompletedJob\\s+\\S+\\s+cronjob-controller\\s+Saw completed job: ${expectedJob('allow')}, condition: Complete`));
  });
});
