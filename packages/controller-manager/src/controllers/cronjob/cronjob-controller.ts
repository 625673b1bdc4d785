// The CronJob controller (pkg/controller/cronjob, ControllerV2): keeps each CronJob's status.active in step with its
// Jobs, removes finished Jobs beyond the history limits, and at each scheduled time (in the CronJob's time zone)
// creates the Job of that time under the concurrency policy, then sleeps until the next one. Decisions are in
// cronjob-logic.ts; this file reads the caches and makes the API calls.
import type { CronJob, Job } from '@k8ts/api-machinery';
import {
  Controller,
  isAlreadyExists,
  isNotFound,
  metaNamespaceKey,
  objectOf,
  refs,
  splitMetaNamespaceKey,
  type DeletedFinalStateUnknown,
  type EventRecorder,
  type Lister,
  type ResourceClient,
} from '@k8ts/client';
import { type ControllerContext, type ControllerDescriptor, newController } from '../../controller-context.js';
import { controllerRefOf } from '../../shared/controller-ref.js';
import { finishedConditionOf, isJobFinished, isJobSucceeded } from '../job/job-logic.js';
import {
  historyToDelete,
  inActiveList,
  jobFromTemplate,
  jobReference,
  nextScheduleDelayMs,
  removeFromActive,
  scheduleDecision,
  type CronEvent,
} from './cronjob-logic.js';
import { scheduleFor } from './schedule.js';

const COMPONENT = 'cronjob-controller';

export class CronJobController {
  readonly controller: Controller;
  private readonly cronJobs: Lister<CronJob>;
  private readonly jobs: Lister<Job>;
  private readonly cronJobClient: ResourceClient<CronJob>;
  private readonly jobClient: ResourceClient<Job>;
  private readonly recorder: EventRecorder;
  private readonly syncables;

  constructor(private readonly ctx: ControllerContext) {
    const cronJobInformer = ctx.informers.informerFor<CronJob>(refs.cronJobs);
    const jobInformer = ctx.informers.informerFor<Job>(refs.jobs);
    this.cronJobs = cronJobInformer.lister();
    this.jobs = jobInformer.lister();
    this.cronJobClient = ctx.client.resource<CronJob>(refs.cronJobs);
    this.jobClient = ctx.client.resource<Job>(refs.jobs);
    this.recorder = ctx.recorder(COMPONENT);
    this.syncables = [cronJobInformer, jobInformer];
    this.controller = newController(ctx, 'cronjob', (key) => this.sync(key), ctx.settings.concurrentSyncs);
    cronJobInformer.addEventHandler({
      onAdd: (cj) => this.controller.enqueue(cj),
      onUpdate: (old, cj) => this.cronJobUpdated(old, cj),
      onDelete: (cj) => this.controller.enqueue(cj),
    });
    jobInformer.addEventHandler({
      onAdd: (job) => this.jobChanged(job),
      onUpdate: (old, job) => {
        if (old.metadata?.resourceVersion === job.metadata?.resourceVersion) return;
        if (JSON.stringify(controllerRefOf(old) ?? null) !== JSON.stringify(controllerRefOf(job) ?? null)) this.jobChanged(old);
        this.jobChanged(job);
      },
      onDelete: (job: Job | DeletedFinalStateUnknown<Job>) => this.jobChanged(objectOf(job)),
    });
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal, this.syncables);
  }

  // ---- events → keys ----

  /** Wakes the CronJob that controls `job`, if it is still the same object. */
  private jobChanged(job: Job): void {
    const ref = controllerRefOf(job);
    if (!ref || ref.kind !== 'CronJob') return;
    const cj = this.cronJobs.namespace(job.metadata?.namespace ?? '').get(ref.name);
    if (cj?.metadata?.uid === ref.uid) this.controller.enqueue(cj);
  }

  private cronJobUpdated(old: CronJob, cj: CronJob): void {
    if (old.spec?.schedule === cj.spec?.schedule && old.spec?.timeZone === cj.spec?.timeZone) {
      this.controller.enqueue(cj);
      return;
    }
    // A new schedule: wake up at its next time (an earlier wake-up already queued still happens and finds nothing).
    const spec = cj.spec?.schedule ?? '';
    const parsed = scheduleFor(spec, spec.includes('TZ') ? undefined : (cj.spec?.timeZone ?? undefined));
    if (!parsed.ok) {
      this.recorder.event(cj, 'Warning', 'UnParseableCronJobSchedule', `unparseable schedule for cronjob: ${spec}`);
      return;
    }
    const delay = nextScheduleDelayMs(cj, this.ctx.clock.now(), parsed.schedule);
    if (delay !== undefined) this.controller.enqueueAfter(metaNamespaceKey(cj), delay);
  }

  // ---- reconcile ----

  private async sync(key: string): Promise<{ requeueAfterMs?: number } | void> {
    const { namespace = '', name } = splitMetaNamespaceKey(key);
    const cached = this.cronJobs.namespace(namespace).get(name);
    if (!cached) return;
    // Every Job whose controller reference names this CronJob, including ones whose labels no longer match.
    const children = this.jobs
      .namespace(namespace)
      .list()
      .filter((j) => controllerRefOf(j)?.name === name);
    const cj = structuredClone(cached);
    const changes = { updateStatus: await this.cleanupFinishedJobs(cj, children) };
    let requeueAfterMs: number | undefined;
    let syncError: unknown;
    try {
      requeueAfterMs = await this.syncCronJob(cj, children, changes);
    } catch (err) {
      syncError = err;
    }
    // Whatever happened, status changes made so far (e.g. Jobs already replaced) are written.
    if (changes.updateStatus) {
      try {
        await this.cronJobClient.namespace(namespace).updateStatus(cj);
      } catch (err) {
        if (isNotFound(err)) return;
        throw err;
      }
    }
    if (syncError !== undefined) throw syncError;
    if (requeueAfterMs !== undefined) return { requeueAfterMs: Math.max(0, requeueAfterMs) };
  }

  private emit(cj: CronJob, events: CronEvent[]): void {
    for (const e of events) this.recorder.event(cj, e.type, e.reason, e.message);
  }

  /** syncCronJob: updates `cj.status` in place (flagging it in `changes`); returns when to look again. */
  private async syncCronJob(cj: CronJob, children: Job[], changes: { updateStatus: boolean }): Promise<number | undefined> {
    const namespace = cj.metadata?.namespace ?? '';
    const childUids = new Set(children.map((j) => j.metadata?.uid));
    for (const job of children) {
      const found = inActiveList(cj, job.metadata?.uid);
      if (!found && !isJobFinished(job)) {
        // Maybe our own status write is not in the cache yet: ask the apiserver before complaining.
        const fresh = await this.cronJobClient.namespace(namespace).get(cj.metadata?.name ?? '');
        if (inActiveList(fresh, job.metadata?.uid)) continue;
        this.recorder.event(cj, 'Warning', 'UnexpectedJob', `Saw a job that the controller did not create or forgot: ${job.metadata?.name ?? ''}`);
      } else if (isJobFinished(job)) {
        if (found) {
          removeFromActive(cj, job.metadata?.uid);
          this.recorder.event(cj, 'Normal', 'SawCompletedJob', `Saw completed job: ${job.metadata?.name ?? ''}, condition: ${finishedConditionOf(job)?.type ?? ''}`);
          changes.updateStatus = true;
        }
        const completion = job.status?.completionTime;
        if (isJobSucceeded(job) && completion) {
          const last = cj.status?.lastSuccessfulTime;
          if (!last || Date.parse(completion) > Date.parse(last)) {
            cj.status = { ...cj.status, lastSuccessfulTime: completion };
            changes.updateStatus = true;
          }
        }
      }
    }
    // An active Job that no longer exists would keep the CronJob "running" forever (and block Forbid).
    for (const ref of [...(cj.status?.active ?? [])]) {
      if (childUids.has(ref.uid)) continue;
      try {
        await this.jobClient.namespace(ref.namespace ?? namespace).get(ref.name ?? '');
      } catch (err) {
        if (!isNotFound(err)) throw err;
        this.recorder.event(cj, 'Normal', 'MissingJob', `Active job went missing: ${ref.name ?? ''}`);
        removeFromActive(cj, ref.uid);
        changes.updateStatus = true;
      }
    }

    const decision = scheduleDecision(cj, this.ctx.clock.now());
    this.emit(cj, decision.events);
    if (decision.kind === 'idle') return undefined;
    if (decision.kind === 'wait') return decision.requeueAfterMs;

    if (decision.replace) {
      for (const ref of [...(cj.status?.active ?? [])]) {
        let job: Job;
        try {
          job = await this.jobClient.namespace(ref.namespace ?? namespace).get(ref.name ?? '');
        } catch (err) {
          this.recorder.event(cj, 'Warning', 'FailedGet', `Get job: ${errorMessage(err)}`);
          throw err;
        }
        if (!(await this.deleteJob(cj, job))) throw new Error(`could not replace job ${job.metadata?.namespace ?? ''}/${job.metadata?.name ?? ''}`);
        changes.updateStatus = true;
      }
    }

    const request = jobFromTemplate(cj, decision.scheduledMs);
    let created: Job;
    let alreadyExisted = false;
    try {
      created = await this.jobClient.namespace(namespace).create(request);
    } catch (err) {
      if (!isAlreadyExists(err)) {
        this.recorder.event(cj, 'Warning', 'FailedCreate', `Error creating job: ${errorMessage(err)}`);
        throw err;
      }
      // Created before, but the status write that followed was lost: record it now, unless someone else made it.
      alreadyExisted = true;
      created = await this.jobClient.namespace(namespace).get(request.metadata?.name ?? '');
      if (controllerRefOf(created)?.uid !== cj.metadata?.uid) return undefined;
      if (inActiveList(cj, created.metadata?.uid)) return undefined;
    }
    if (!alreadyExisted) this.recorder.event(cj, 'Normal', 'SuccessfulCreate', `Created job ${created.metadata?.name ?? ''}`);
    cj.status = {
      ...cj.status,
      active: [...(cj.status?.active ?? []), jobReference(created)],
      lastScheduleTime: new Date(decision.scheduledMs).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    };
    changes.updateStatus = true;
    return decision.requeueAfterMs;
  }

  /** Finished Jobs beyond the history limits go (with their pods, in the background). True if the status changed. */
  private async cleanupFinishedJobs(cj: CronJob, children: Job[]): Promise<boolean> {
    let changed = false;
    for (const job of historyToDelete(cj, children)) if (await this.deleteJob(cj, job)) changed = true;
    return changed;
  }

  /** Deletes a Job and its reference in the active list; false (with a FailedDelete event) when the delete fails. */
  private async deleteJob(cj: CronJob, job: Job): Promise<boolean> {
    try {
      await this.jobClient.namespace(job.metadata?.namespace ?? '').delete(job.metadata?.name ?? '', { propagationPolicy: 'Background' });
    } catch (err) {
      this.recorder.event(cj, 'Warning', 'FailedDelete', `Deleted job: ${errorMessage(err)}`);
      this.ctx.logger.error({ err: errorMessage(err), job: job.metadata?.name, cronjob: cj.metadata?.name }, 'error deleting job from cronjob');
      return false;
    }
    removeFromActive(cj, job.metadata?.uid);
    this.recorder.event(cj, 'Normal', 'SuccessfulDelete', `Deleted job ${job.metadata?.name ?? ''}`);
    return true;
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export const cronJobControllerDescriptor: ControllerDescriptor = {
  name: 'cronjob',
  enabledByDefault: true,
  start: (ctx: ControllerContext, signal: AbortSignal) => new CronJobController(ctx).run(signal),
};
