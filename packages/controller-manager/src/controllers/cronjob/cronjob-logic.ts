// The CronJob decisions (pkg/controller/cronjob, the v2 controller of Kubernetes 1.32), pure: which scheduled time
// is due, whether it was missed or is too late for startingDeadlineSeconds, what the concurrency policy says, the
// Job made for a scheduled time, when to look again, and which finished Jobs the history limits remove.
import type { CronJob, Job, ObjectReference } from '@k8ts/api-machinery';
import { newControllerRef } from '../../shared/controller-ref.js';
import { finishedConditionOf } from '../job/job-logic.js';
import { TimeZone, formatRfc1123zUtc, formatRfc3339In, scheduleFor, type Schedule } from './schedule.js';

export const SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';
/** Syncs are scheduled this long after the due time, against clock skew. */
export const NEXT_SCHEDULE_DELTA_MS = 100;
/** More missed start times than this and the controller warns (it still starts the most recent one). */
export const MANY_MISSED = 100;

function timeOf(ts: string | undefined | null): number | undefined {
  if (!ts) return undefined;
  const t = Date.parse(ts);
  return Number.isNaN(t) ? undefined : t;
}

export type MissedSchedules = 'none' | 'few' | 'many';

export interface MostRecent {
  /** The last schedule time, else the CronJob's creation (moved up to now - startingDeadlineSeconds when asked). */
  earliestMs: number;
  /** The latest due time not after now that is after earliest; undefined when none is due. */
  mostRecentMs: number | undefined;
  missed: MissedSchedules;
  error?: string | undefined;
}

/**
 * mostRecentScheduleTime: the latest scheduled time in (earliest, now]. The number of missed times is estimated from
 * the interval between the next two times, so a long outage costs two schedule computations, not one per miss.
 */
export function mostRecentScheduleTime(cj: CronJob, nowMs: number, schedule: Schedule, includeStartingDeadline: boolean): MostRecent {
  let earliest = timeOf(cj.status?.lastScheduleTime) ?? timeOf(cj.metadata?.creationTimestamp) ?? nowMs;
  const sds = cj.spec?.startingDeadlineSeconds;
  if (includeStartingDeadline && sds !== undefined && sds !== null) {
    // Nothing older than the deadline would be started anyway.
    const deadline = nowMs - sds * 1000;
    if (deadline > earliest) earliest = deadline;
  }
  const t1 = schedule.next(earliest);
  const t2 = t1 === undefined ? undefined : schedule.next(t1);
  if (t1 !== undefined && nowMs < t1) return { earliestMs: earliest, mostRecentMs: undefined, missed: 'none' };
  if (t1 !== undefined && t2 !== undefined && nowMs < t2) return { earliestMs: earliest, mostRecentMs: t1, missed: 'none' };
  // A schedule that never fires (e.g. February 30th) has no interval.
  const between = t1 === undefined || t2 === undefined ? 0 : Math.round((t2 - t1) / 1000);
  if (between < 1) return { earliestMs: earliest, mostRecentMs: undefined, missed: 'none', error: 'time difference between two schedules is less than 1 second' };
  const first = t1!;
  const elapsed = Math.trunc((nowMs - first) / 1000);
  const missedCount = Math.trunc(elapsed / between) + 1;
  // Start two intervals before the estimate and let the schedule find the exact times (irregular schedules).
  let mostRecent: number | undefined;
  for (let t = schedule.next(first + (missedCount - 2) * between * 1000); t !== undefined && t <= nowMs; t = schedule.next(t)) mostRecent = t;
  const missed: MissedSchedules = missedCount > MANY_MISSED ? 'many' : missedCount > 0 ? 'few' : 'none';
  return { earliestMs: earliest, mostRecentMs: mostRecent, missed };
}

/** How long until the next scheduled time (plus the skew delta), from the last one or now. Undefined: never. */
export function nextScheduleDelayMs(cj: CronJob, nowMs: number, schedule: Schedule): number | undefined {
  const r = mostRecentScheduleTime(cj, nowMs, schedule, false);
  let from: number;
  if (r.error !== undefined) from = nowMs;
  else if (r.mostRecentMs !== undefined) from = r.mostRecentMs;
  else from = r.missed === 'none' ? r.earliestMs : nowMs;
  const next = schedule.next(from);
  return next === undefined ? undefined : next + NEXT_SCHEDULE_DELTA_MS - nowMs;
}

/** "<cronjob>-<scheduled time in minutes since the epoch>": the same time always gives the same name. */
export function jobNameFor(cronJobName: string, scheduledMs: number): string {
  return `${cronJobName}-${Math.trunc(Math.trunc(scheduledMs / 1000) / 60)}`;
}

/** The Job of one scheduled run: the template's labels, annotations and spec, owned by the CronJob. */
export function jobFromTemplate(cj: CronJob, scheduledMs: number): Job {
  const template = cj.spec?.jobTemplate ?? {};
  // The annotation is written in the CronJob's time zone, in UTC without one.
  const zone = new TimeZone(cj.spec?.timeZone ?? 'UTC');
  const labels = { ...template.metadata?.labels };
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: jobNameFor(cj.metadata?.name ?? '', scheduledMs),
      namespace: cj.metadata?.namespace ?? '',
      ...(Object.keys(labels).length > 0 ? { labels } : {}),
      annotations: { ...template.metadata?.annotations, [SCHEDULED_TIMESTAMP_ANNOTATION]: formatRfc3339In(scheduledMs, zone) },
      ownerReferences: [newControllerRef(cj, 'batch/v1', 'CronJob')],
    },
    spec: structuredClone(template.spec ?? {}),
  };
}

/** The reference kept in status.active. */
export function jobReference(job: Job): ObjectReference {
  return {
    kind: 'Job',
    namespace: job.metadata?.namespace ?? '',
    name: job.metadata?.name ?? '',
    uid: job.metadata?.uid ?? '',
    apiVersion: 'batch/v1',
    resourceVersion: job.metadata?.resourceVersion ?? '',
  };
}

export function inActiveList(cj: CronJob, uid: string | undefined): boolean {
  return (cj.status?.active ?? []).some((r) => r.uid === uid);
}

export function removeFromActive(cj: CronJob, uid: string | undefined): void {
  const active = (cj.status?.active ?? []).filter((r) => r.uid !== uid);
  const { active: _dropped, ...rest } = cj.status ?? {};
  // An empty list is left out, as Kubernetes writes it.
  cj.status = active.length > 0 ? { ...rest, active } : rest;
}

/** Oldest first by status.startTime (never-started Jobs last), then by name. */
export function compareByStartTime(a: Job, b: Job): number {
  const sa = timeOf(a.status?.startTime);
  const sb = timeOf(b.status?.startTime);
  if (sa === undefined && sb !== undefined) return 1;
  if (sa !== undefined && sb === undefined) return -1;
  if (sa === sb) return (a.metadata?.name ?? '') < (b.metadata?.name ?? '') ? -1 : (a.metadata?.name ?? '') > (b.metadata?.name ?? '') ? 1 : 0;
  return sa! - sb!;
}

/** Finished Jobs beyond successfulJobsHistoryLimit / failedJobsHistoryLimit, oldest first. */
export function historyToDelete(cj: CronJob, jobs: Job[]): Job[] {
  const successfulLimit = cj.spec?.successfulJobsHistoryLimit;
  const failedLimit = cj.spec?.failedJobsHistoryLimit;
  const over = (type: string, limit: number | undefined | null): Job[] => {
    if (limit === undefined || limit === null) return [];
    const finished = jobs.filter((j) => finishedConditionOf(j)?.type === type).sort(compareByStartTime);
    return finished.slice(0, Math.max(0, finished.length - limit));
  };
  return [...over('Complete', successfulLimit), ...over('Failed', failedLimit)];
}

export interface CronEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export type ScheduleDecision =
  /** Nothing to do and nothing to wait for (being deleted, suspended, or a spec the controller cannot use). */
  | { kind: 'idle'; events: CronEvent[] }
  /** Nothing to start now; look again after `requeueAfterMs`. */
  | { kind: 'wait'; requeueAfterMs: number | undefined; events: CronEvent[] }
  /** Start the Job of `scheduledMs` (after deleting the active ones when `replace`). */
  | { kind: 'start'; scheduledMs: number; replace: boolean; requeueAfterMs: number | undefined; events: CronEvent[] };

/**
 * The scheduling half of syncCronJob, after the active list is up to date: is a run due, may it start, and when to
 * look again.
 */
export function scheduleDecision(cj: CronJob, nowMs: number): ScheduleDecision {
  const events: CronEvent[] = [];
  if (cj.metadata?.deletionTimestamp) return { kind: 'idle', events };
  const tz = cj.spec?.timeZone;
  if (tz !== undefined && tz !== null) {
    try {
      new TimeZone(tz);
    } catch {
      events.push({ type: 'Warning', reason: 'UnknownTimeZone', message: `invalid timeZone: ${JSON.stringify(tz)}: unknown time zone ${tz}` });
      return { kind: 'idle', events };
    }
  }
  if (cj.spec?.suspend === true) return { kind: 'idle', events };
  const spec = cj.spec?.schedule ?? '';
  if (spec.includes('TZ')) {
    events.push({
      type: 'Warning',
      reason: 'UnsupportedSchedule',
      message: `CRON_TZ or TZ used in schedule ${JSON.stringify(spec)} is not officially supported, see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/ for more details`,
    });
  }
  const parsed = scheduleFor(spec, spec.includes('TZ') ? undefined : (tz ?? undefined));
  if (!parsed.ok) {
    events.push({ type: 'Warning', reason: 'UnparseableSchedule', message: `unparseable schedule: ${JSON.stringify(spec)} : ${parsed.error}` });
    return { kind: 'idle', events };
  }
  const schedule = parsed.schedule;
  const recent = mostRecentScheduleTime(cj, nowMs, schedule, true);
  const scheduled = recent.mostRecentMs !== undefined && recent.mostRecentMs <= nowMs ? recent.mostRecentMs : undefined;
  if (scheduled !== undefined && recent.missed === 'many') {
    events.push({ type: 'Warning', reason: 'TooManyMissedTimes', message: 'too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew' });
  }
  if (recent.error !== undefined) {
    events.push({ type: 'Warning', reason: 'InvalidSchedule', message: `invalid schedule: ${spec} : ${recent.error}` });
    return { kind: 'idle', events };
  }
  const later = (c: CronJob = cj): number | undefined => nextScheduleDelayMs(c, nowMs, schedule);
  if (scheduled === undefined) return { kind: 'wait', requeueAfterMs: later(), events };
  const sds = cj.spec?.startingDeadlineSeconds;
  if (sds !== undefined && sds !== null && scheduled + sds * 1000 < nowMs) {
    events.push({ type: 'Warning', reason: 'MissSchedule', message: `Missed scheduled time to start a job: ${formatRfc1123zUtc(scheduled)}` });
    return { kind: 'wait', requeueAfterMs: later(), events };
  }
  const name = jobNameFor(cj.metadata?.name ?? '', scheduled);
  const active = cj.status?.active ?? [];
  if (active.some((r) => r.name === name && r.namespace === cj.metadata?.namespace) || timeOf(cj.status?.lastScheduleTime) === scheduled) {
    return { kind: 'wait', requeueAfterMs: later(), events };
  }
  const policy = cj.spec?.concurrencyPolicy ?? 'Allow';
  if (policy === 'Forbid' && active.length > 0) {
    // Seen from the active list only: a Job the status does not show yet can still overlap.
    events.push({ type: 'Normal', reason: 'JobAlreadyActive', message: 'Not starting job because prior execution is running and concurrency policy is Forbid' });
    return { kind: 'wait', requeueAfterMs: later(), events };
  }
  const afterStart: CronJob = { ...cj, status: { ...cj.status, lastScheduleTime: new Date(scheduled).toISOString().replace(/\.\d{3}Z$/, 'Z') } };
  return { kind: 'start', scheduledMs: scheduled, replace: policy === 'Replace', requeueAfterMs: later(afterStart), events };
}
