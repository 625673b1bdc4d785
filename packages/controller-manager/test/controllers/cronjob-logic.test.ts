// The CronJob controller's decisions with a fake clock: cron times in time zones (daylight saving included), missed
// and late runs, startingDeadlineSeconds, each concurrency policy, suspend, the Jobs it creates, history limits,
// and the TTL-after-finished decision.
import t from 'tap';
import type { CronJob, Job } from '@k8ts/api-machinery';
import { FakeClock } from '@k8ts/client';
import {
  NEXT_SCHEDULE_DELTA_MS,
  SCHEDULED_TIMESTAMP_ANNOTATION,
  historyToDelete,
  jobFromTemplate,
  jobNameFor,
  jobReference,
  mostRecentScheduleTime,
  nextScheduleDelayMs,
  removeFromActive,
  scheduleDecision,
  type ScheduleDecision,
} from '../../src/controllers/cronjob/cronjob-logic.js';
import { TimeZone, formatRfc1123zUtc, formatRfc3339In, scheduleFor, type Schedule } from '../../src/controllers/cronjob/schedule.js';
import { needsCleanup, ttlDecision } from '../../src/controllers/ttl-after-finished/ttl-logic.js';

const MIN = 60_000;
const T0 = Date.parse('2026-11-23T12:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

function sched(spec: string, tz?: string): Schedule {
  const r = scheduleFor(spec, tz);
  if (!r.ok) throw new Error(r.error);
  return r.schedule;
}

function times(spec: string, tz: string | undefined, from: string, n: number): string[] {
  const s = sched(spec, tz);
  const out: string[] = [];
  let at = Date.parse(from);
  for (let i = 0; i < n; i++) {
    const next = s.next(at);
    if (next === undefined) break;
    out.push(formatRfc3339In(next, s.zone));
    at = next;
  }
  return out;
}

interface CjOpts {
  schedule?: string;
  timeZone?: string;
  created?: number;
  lastSchedule?: number;
  startingDeadlineSeconds?: number;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  suspend?: boolean;
  active?: string[];
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
}

function cronJob(o: CjOpts = {}): CronJob {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'tick', namespace: 'default', uid: 'cj-uid', creationTimestamp: iso(o.created ?? T0 - 90 * 1000) },
    spec: {
      schedule: o.schedule ?? '*/5 * * * *',
      ...(o.timeZone !== undefined ? { timeZone: o.timeZone } : {}),
      ...(o.startingDeadlineSeconds !== undefined ? { startingDeadlineSeconds: o.startingDeadlineSeconds } : {}),
      concurrencyPolicy: o.concurrencyPolicy ?? 'Allow',
      suspend: o.suspend ?? false,
      successfulJobsHistoryLimit: o.successfulJobsHistoryLimit ?? 3,
      failedJobsHistoryLimit: o.failedJobsHistoryLimit ?? 1,
      jobTemplate: {
        metadata: { labels: { app: 'tick' }, annotations: { note: 'x' } },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } },
      },
    },
    status: {
      ...(o.lastSchedule !== undefined ? { lastScheduleTime: iso(o.lastSchedule) } : {}),
      ...(o.active ? { active: o.active.map((name) => ({ kind: 'Job', namespace: 'default', name, uid: `uid-${name}`, apiVersion: 'batch/v1' })) } : {}),
    },
  };
}

function finishedJob(name: string, type: 'Complete' | 'Failed', startMs: number | undefined): Job {
  return {
    metadata: { name, namespace: 'default', uid: `uid-${name}` },
    status: {
      ...(startMs !== undefined ? { startTime: iso(startMs) } : {}),
      conditions: [{ type, status: 'True', lastTransitionTime: iso(startMs ?? T0) }],
    },
  };
}

t.test('cron times', async (t) => {
  t.same(times('*/15 * * * *', 'UTC', '2024-01-01T10:07:30Z', 3), ['2024-01-01T10:15:00Z', '2024-01-01T10:30:00Z', '2024-01-01T10:45:00Z']);
  t.same(times('0 9 * * 1-5', 'Europe/Berlin', '2024-01-05T12:00:00Z', 2), ['2024-01-08T09:00:00+01:00', '2024-01-09T09:00:00+01:00'], 'weekdays, in the zone');
  t.same(
    times('30 2 * * *', 'America/New_York', '2024-03-09T00:00:00Z', 3),
    ['2024-03-09T02:30:00-05:00', '2024-03-11T02:30:00-04:00', '2024-03-12T02:30:00-04:00'],
    'a time in the spring-forward gap is skipped that day (as cron does)',
  );
  t.same(
    times('30 1 * * *', 'America/New_York', '2024-11-02T12:00:00Z', 3),
    ['2024-11-03T01:30:00-04:00', '2024-11-03T01:30:00-05:00', '2024-11-04T01:30:00-05:00'],
    'a time in the fall-back repeat runs twice',
  );
  t.same(times('0 0 1,15 * 5', 'UTC', '2024-01-01T00:00:00Z', 4), ['2024-01-05T00:00:00Z', '2024-01-12T00:00:00Z', '2024-01-15T00:00:00Z', '2024-01-19T00:00:00Z'], 'both day fields restricted: either matches');
  t.same(times('0 0 * * 5', 'UTC', '2024-01-01T00:00:00Z', 2), ['2024-01-05T00:00:00Z', '2024-01-12T00:00:00Z'], 'day of month a star: the weekday decides');
  t.same(times('@weekly', 'Asia/Kolkata', '2024-01-01T00:00:00Z', 2), ['2024-01-07T00:00:00+05:30', '2024-01-14T00:00:00+05:30']);
  t.same(times('@every 90s', 'UTC', '2024-01-01T00:00:00.500Z', 2), ['2024-01-01T00:01:30Z', '2024-01-01T00:03:00Z']);
  t.same(times('TZ=Asia/Tokyo 0 0 * * *', undefined, '2024-01-01T00:00:00Z', 1), ['2024-01-02T00:00:00+09:00'], 'TZ= in the schedule');
  t.same(times('0 0 29 2 *', 'UTC', '2024-03-01T00:00:00Z', 1), ['2028-02-29T00:00:00Z'], 'leap days');
  t.same(times('0 0 31 2 *', 'UTC', '2024-01-01T00:00:00Z', 1), [], 'never: nothing within five years');
  t.same(times('59 23 31 12 *', 'UTC', '2024-12-31T23:59:00Z', 1), ['2025-12-31T23:59:00Z'], 'strictly after');
  t.equal(new TimeZone(undefined).name, Intl.DateTimeFormat().resolvedOptions().timeZone, 'no zone: the manager’s own');
  t.throws(() => new TimeZone('Mars/Olympus'));
  t.same(scheduleFor('* * *', 'UTC'), { ok: false, error: 'expected exactly 5 fields, found 3: [* * *]' });
  t.equal(formatRfc1123zUtc(Date.parse('2026-01-02T03:04:05Z')), 'Fri, 02 Jan 2026 03:04:05 +0000');
});

t.test('the most recent scheduled time', async (t) => {
  const s = sched('*/5 * * * *', 'UTC');
  const cj = cronJob({ created: T0 - 90_000 });
  t.same(mostRecentScheduleTime(cj, T0 - 60_000, s, true), { earliestMs: T0 - 90_000, mostRecentMs: undefined, missed: 'none' }, 'not due yet');
  t.same(mostRecentScheduleTime(cj, T0 + 1000, s, true), { earliestMs: T0 - 90_000, mostRecentMs: T0, missed: 'none' }, 'due');
  const few = mostRecentScheduleTime(cj, T0 + 12 * MIN, s, true);
  t.same([few.mostRecentMs, few.missed], [T0 + 10 * MIN, 'few'], 'three missed: the latest one is run');
  const many = mostRecentScheduleTime(cj, T0 + 1000 * MIN, s, true);
  t.same([many.mostRecentMs, many.missed], [T0 + 1000 * MIN, 'many']);
  const withDeadline = mostRecentScheduleTime(cronJob({ created: T0 - 90_000, startingDeadlineSeconds: 120 }), T0 + 1000 * MIN, s, true);
  t.same([withDeadline.mostRecentMs, withDeadline.missed], [T0 + 1000 * MIN, 'none'], 'startingDeadlineSeconds bounds how far back it looks');
  t.same(mostRecentScheduleTime(cronJob({ lastSchedule: T0 }), T0 + MIN, s, true).mostRecentMs, undefined, 'counted from lastScheduleTime');
  const irregular = sched('30 6-16/4 * * 1-5', 'UTC');
  const r = mostRecentScheduleTime(cronJob({ created: Date.parse('2026-11-20T00:00:00Z') }), Date.parse('2026-11-24T12:00:00Z'), irregular, false);
  t.equal(iso(r.mostRecentMs!), '2026-11-24T10:30:00Z', 'irregular schedules find the exact latest time');
  const never = mostRecentScheduleTime(cronJob(), T0, sched('0 0 31 2 *', 'UTC'), true);
  t.equal(never.error, 'time difference between two schedules is less than 1 second');
  t.equal(nextScheduleDelayMs(cronJob({ created: T0 - 90_000 }), T0 - 60_000, s), 60_000 + NEXT_SCHEDULE_DELTA_MS, 'wake up just after the next time');
  t.equal(nextScheduleDelayMs(cronJob({ lastSchedule: T0 }), T0 + 1000, s), 5 * MIN - 1000 + NEXT_SCHEDULE_DELTA_MS);
});

const kindOf = (d: ScheduleDecision): string => d.kind;
const reasons = (d: ScheduleDecision): string[] => d.events.map((e) => e.reason);

t.test('scheduling decisions', async (t) => {
  const start = scheduleDecision(cronJob(), T0 + 500);
  t.same([kindOf(start), start.kind === 'start' && start.scheduledMs, start.kind === 'start' && start.replace], ['start', T0, false]);
  t.equal(start.kind === 'start' ? start.requeueAfterMs : 0, 5 * MIN - 500 + NEXT_SCHEDULE_DELTA_MS, 'the next wake-up counts from the run just started');

  const wait = scheduleDecision(cronJob(), T0 - 60_000);
  t.same([kindOf(wait), wait.kind === 'wait' && wait.requeueAfterMs], ['wait', 60_000 + NEXT_SCHEDULE_DELTA_MS]);

  t.same(kindOf(scheduleDecision(cronJob({ suspend: true }), T0 + 500)), 'idle', 'suspended: nothing, no wake-up');
  t.same(kindOf(scheduleDecision({ ...cronJob(), metadata: { ...cronJob().metadata, deletionTimestamp: iso(T0) } }, T0 + 500)), 'idle');

  // The deadline moves the earliest time considered, so a run later than it is never seen (the MissSchedule branch
  // of Kubernetes cannot fire for regular schedules): the controller waits for the next time.
  const late = scheduleDecision(cronJob({ startingDeadlineSeconds: 10 }), T0 + 30_000);
  t.same([kindOf(late), reasons(late), late.kind === 'wait' && late.requeueAfterMs], ['wait', [], 5 * MIN - 30_000 + NEXT_SCHEDULE_DELTA_MS], 'too late for startingDeadlineSeconds');
  t.same(kindOf(scheduleDecision(cronJob({ startingDeadlineSeconds: 60 }), T0 + 30_000)), 'start', 'within the deadline');

  const processed = scheduleDecision(cronJob({ lastSchedule: T0 }), T0 + 500);
  t.same(kindOf(processed), 'wait', 'the time was run already');
  const byName = scheduleDecision(cronJob({ active: [jobNameFor('tick', T0)] }), T0 + 500);
  t.same(kindOf(byName), 'wait', 'its Job is active already');

  const forbid = scheduleDecision(cronJob({ concurrencyPolicy: 'Forbid', active: ['tick-1'], lastSchedule: T0 - 5 * MIN }), T0 + 500);
  t.same([kindOf(forbid), reasons(forbid)], ['wait', ['JobAlreadyActive']]);
  t.equal(forbid.events[0]?.message, 'Not starting job because prior execution is running and concurrency policy is Forbid');
  t.same(kindOf(scheduleDecision(cronJob({ concurrencyPolicy: 'Forbid', lastSchedule: T0 - 5 * MIN }), T0 + 500)), 'start', 'Forbid with nothing running starts');
  const replace = scheduleDecision(cronJob({ concurrencyPolicy: 'Replace', active: ['tick-1'], lastSchedule: T0 - 5 * MIN }), T0 + 500);
  t.same([kindOf(replace), replace.kind === 'start' && replace.replace], ['start', true]);
  const allow = scheduleDecision(cronJob({ concurrencyPolicy: 'Allow', active: ['tick-1'], lastSchedule: T0 - 5 * MIN }), T0 + 500);
  t.same([kindOf(allow), allow.kind === 'start' && allow.replace], ['start', false], 'Allow runs alongside');

  const many = scheduleDecision(cronJob({ schedule: '* * * * *', created: T0 - 1000 * MIN }), T0 + 500);
  t.same([kindOf(many), reasons(many), many.kind === 'start' && many.scheduledMs], ['start', ['TooManyMissedTimes'], T0], 'warns, then starts the latest');
  t.equal(many.events[0]?.message, 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew');

  const badTz = scheduleDecision(cronJob({ timeZone: 'Mars/Olympus' }), T0);
  t.same([kindOf(badTz), reasons(badTz)], ['idle', ['UnknownTimeZone']]);
  t.equal(badTz.events[0]?.message, 'invalid timeZone: "Mars/Olympus": unknown time zone Mars/Olympus');
  const tzInSchedule = scheduleDecision(cronJob({ schedule: 'TZ=UTC */5 * * * *' }), T0 + 500);
  t.same([kindOf(tzInSchedule), reasons(tzInSchedule)], ['start', ['UnsupportedSchedule']]);
  const invalid = scheduleDecision(cronJob({ schedule: '0 0 31 2 *' }), T0);
  t.same([kindOf(invalid), reasons(invalid)], ['idle', ['InvalidSchedule']]);
  const unparseable = scheduleDecision(cronJob({ schedule: 'every day' }), T0);
  t.same([kindOf(unparseable), reasons(unparseable)], ['idle', ['UnparseableSchedule']]);

  // 09:00 in Tokyo is 00:00 UTC.
  const tokyo = cronJob({ schedule: '0 9 * * *', timeZone: 'Asia/Tokyo', created: Date.parse('2026-11-23T23:00:00Z') });
  const tk = scheduleDecision(tokyo, Date.parse('2026-11-24T00:00:01Z'));
  t.same([kindOf(tk), tk.kind === 'start' && iso(tk.scheduledMs)], ['start', '2026-11-24T00:00:00Z'], 'the schedule is read in spec.timeZone');
});

t.test('the Job of a run', async (t) => {
  const j = jobFromTemplate(cronJob(), T0);
  t.equal(j.metadata?.name, `tick-${T0 / 60_000}`, 'named by minutes since the epoch');
  t.same(j.metadata?.labels, { app: 'tick' });
  t.same(j.metadata?.annotations, { note: 'x', [SCHEDULED_TIMESTAMP_ANNOTATION]: '2026-11-23T12:00:00Z' }, 'UTC without a time zone');
  t.same(j.metadata?.ownerReferences, [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'tick', uid: 'cj-uid', controller: true, blockOwnerDeletion: true }]);
  t.same(j.spec?.template?.spec?.containers?.[0]?.image, 'busybox');
  const inZone = jobFromTemplate(cronJob({ timeZone: 'Europe/Paris' }), T0);
  t.equal(inZone.metadata?.annotations?.[SCHEDULED_TIMESTAMP_ANNOTATION], '2026-11-23T13:00:00+01:00', 'in the CronJob time zone');
  t.same(jobReference({ metadata: { name: 'a', namespace: 'default', uid: 'u', resourceVersion: '7' } }), {
    kind: 'Job',
    namespace: 'default',
    name: 'a',
    uid: 'u',
    apiVersion: 'batch/v1',
    resourceVersion: '7',
  });
  const cj = cronJob({ active: ['a', 'b'] });
  removeFromActive(cj, 'uid-a');
  t.same(cj.status?.active?.map((r) => r.name), ['b']);
  removeFromActive(cj, 'uid-b');
  t.equal(cj.status?.active, undefined, 'an empty list is left out');
});

t.test('history limits', async (t) => {
  const jobs = [
    finishedJob('ok-3', 'Complete', T0 - 1 * MIN),
    finishedJob('ok-1', 'Complete', T0 - 3 * MIN),
    finishedJob('ok-2', 'Complete', T0 - 2 * MIN),
    finishedJob('ok-x', 'Complete', undefined),
    finishedJob('bad-1', 'Failed', T0 - 5 * MIN),
    finishedJob('bad-2', 'Failed', T0 - 4 * MIN),
    { metadata: { name: 'running', uid: 'uid-running' }, status: { startTime: iso(T0 - 10 * MIN) } },
  ];
  t.same(
    historyToDelete(cronJob({ successfulJobsHistoryLimit: 2, failedJobsHistoryLimit: 1 }), jobs).map((j) => j.metadata?.name),
    ['ok-1', 'ok-2', 'bad-1'],
    'oldest first; never-started ones count as newest; running Jobs are not history',
  );
  t.same(historyToDelete(cronJob({ successfulJobsHistoryLimit: 0, failedJobsHistoryLimit: 0 }), jobs).length, 6);
  const noLimits = cronJob();
  delete noLimits.spec!.successfulJobsHistoryLimit;
  delete noLimits.spec!.failedJobsHistoryLimit;
  t.same(historyToDelete(noLimits, jobs), []);
});

/**
 * A CronJob replayed minute by minute on a fake clock: the decisions are applied as the controller applies them
 * (Replace deletes the active Jobs, Forbid waits), and Jobs finish when the test says.
 */
async function replay(policy: 'Allow' | 'Forbid' | 'Replace', jobMinutes: number, minutes: number): Promise<{ started: string[]; deleted: string[]; skipped: number }> {
  const clock = new FakeClock(T0 - 30_000);
  const cj = cronJob({ schedule: '* * * * *', concurrencyPolicy: policy, created: T0 - 30_000 });
  const running = new Map<string, number>();
  const started: string[] = [];
  const deleted: string[] = [];
  let skipped = 0;
  const tick = (): void => {
    // Jobs finish after jobMinutes.
    for (const [name, startedAt] of running) {
      if (clock.now() - startedAt >= jobMinutes * MIN) {
        running.delete(name);
        removeFromActive(cj, `uid-${name}`);
      }
    }
    const d = scheduleDecision(cj, clock.now());
    if (d.events.some((e) => e.reason === 'JobAlreadyActive')) skipped++;
    if (d.kind !== 'start') return;
    if (d.replace) {
      for (const ref of cj.status?.active ?? []) {
        deleted.push(ref.name ?? '');
        running.delete(ref.name ?? '');
      }
      cj.status = { ...cj.status, active: [] };
    }
    const name = jobNameFor('tick', d.scheduledMs);
    started.push(name);
    running.set(name, clock.now());
    cj.status = { ...cj.status, active: [...(cj.status?.active ?? []), { kind: 'Job', name, namespace: 'default', uid: `uid-${name}` }], lastScheduleTime: iso(d.scheduledMs) };
  };
  for (let i = 0; i < minutes; i++) {
    await clock.advance(MIN);
    tick();
  }
  return { started, deleted, skipped };
}

t.test('concurrency policies over time', async (t) => {
  const allow = await replay('Allow', 3, 6);
  t.equal(allow.started.length, 6, 'Allow: a Job every minute, overlapping');
  const forbid = await replay('Forbid', 3, 6);
  t.same([forbid.started.length, forbid.skipped], [2, 4], 'Forbid: a run is skipped while the previous one runs');
  const replace = await replay('Replace', 3, 4);
  t.same(replace.started.length, 4, 'Replace: every run starts ...');
  t.same(replace.deleted, replace.started.slice(0, 3), '... and replaces the one before');
  t.ok(allow.started.every((n, i) => n === `tick-${T0 / MIN + i}`), 'one Job per scheduled minute, named by it');
});

t.test('TTL after finished', async (t) => {
  const finished = (ttl: number | undefined, at: string | undefined): Job => ({
    metadata: { name: 'j', namespace: 'default' },
    spec: { ...(ttl !== undefined ? { ttlSecondsAfterFinished: ttl } : {}) },
    status: { conditions: [{ type: 'Complete', status: 'True', ...(at ? { lastTransitionTime: at } : {}) }] },
  });
  t.equal(needsCleanup(finished(10, iso(T0))), true);
  t.equal(needsCleanup(finished(undefined, iso(T0))), false, 'no TTL');
  t.equal(needsCleanup({ spec: { ttlSecondsAfterFinished: 0 }, status: {} }), false, 'not finished');
  t.same(ttlDecision(finished(10, iso(T0)), T0 + 4000), { action: 'wait', afterMs: 6000 });
  t.same(ttlDecision(finished(10, iso(T0)), T0 + 10_000), { action: 'delete', expiredAtMs: T0 + 10_000 });
  t.same(ttlDecision(finished(0, iso(T0)), T0), { action: 'delete', expiredAtMs: T0 }, 'TTL 0: at once');
  t.same(ttlDecision({ ...finished(10, iso(T0)), metadata: { name: 'j', deletionTimestamp: iso(T0) } }, T0 + 20_000), { action: 'none' }, 'already going');
  t.same(ttlDecision(finished(10, undefined), T0), { action: 'error', message: 'unable to find the time when the Job default/j finished' });
  const failed: Job = { spec: { ttlSecondsAfterFinished: 5 }, status: { conditions: [{ type: 'Failed', status: 'True', lastTransitionTime: iso(T0) }] } };
  t.same(ttlDecision(failed, T0 + 5000).action, 'delete', 'failed Jobs too');
});
