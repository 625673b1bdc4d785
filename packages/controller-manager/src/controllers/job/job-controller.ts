// The Job controller (pkg/controller/job): runs a Job's pods to completions with parallelism, replaces failed pods
// after an exponential backoff until backoffLimit, enforces activeDeadlineSeconds, suspends and resumes, and runs
// Indexed Jobs one pod per index. Pods carry the batch.kubernetes.io/job-tracking finalizer until their outcome is
// in the Job's status, so a pod deleted early (by a user or the pod GC) is still counted. Decisions are in
// job-logic.ts; this file reads the caches and makes the API calls in between.
import { labelSelectorFromObject, type Job, type JobStatus, type Pod } from '@k8ts/api-machinery';
import {
  Controller,
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
import type { ControllerContext, ControllerDescriptor } from '../../controller-context.js';
import { claimDependents } from '../../shared/claim.js';
import { controllerRefOf, newControllerRef } from '../../shared/controller-ref.js';
import { Expectations } from '../../shared/expectations.js';
import { isPodReady } from '../../shared/pod-state.js';
import { podFromTemplate } from '../../shared/pod-template.js';
import { slowStartBatches } from '../replicaset/replica-set-logic.js';
import { FinalizerExpectations } from './finalizer-expectations.js';
import { indexedGenerateName } from './indexes.js';
import {
  JOB_TRACKING_FINALIZER,
  NO_BACKOFF,
  SYNC_JOB_BATCH_PERIOD_MS,
  activeDeadlineRemainingMs,
  assessJob,
  cleanUncounted,
  decideManage,
  enactFinished,
  finishedEvents,
  hasTrackingFinalizer,
  isComplete,
  isJobFinished,
  managedElsewhere,
  metaTime,
  planTracking,
  podTemplateFor,
  successCondition,
  suspendTransition,
  type BackoffRecord,
  type JobSyncState,
} from './job-logic.js';

const COMPONENT = 'job-controller';

type JobWithStatus = Job & { status: JobStatus };

export class JobController {
  readonly controller: Controller;
  /** Orphaned pods that still carry the tracking finalizer (their Job is gone or let them go). */
  readonly orphans: Controller;
  private readonly jobs: Lister<Job>;
  private readonly pods: Lister<Pod>;
  private readonly jobClient: ResourceClient<Job>;
  private readonly podClient: ResourceClient<Pod>;
  private readonly expectations: Expectations;
  private readonly finalizerExpectations = new FinalizerExpectations();
  /** Failures since the last success, per Job key: the pod creation backoff. */
  private readonly backoffs = new Map<string, BackoffRecord>();
  private readonly recorder: EventRecorder;
  private readonly syncables;

  constructor(private readonly ctx: ControllerContext) {
    const jobInformer = ctx.informers.informerFor<Job>(refs.jobs);
    const podInformer = ctx.informers.informerFor<Pod>(refs.pods);
    this.jobs = jobInformer.lister();
    this.pods = podInformer.lister();
    this.jobClient = ctx.client.resource<Job>(refs.jobs);
    this.podClient = ctx.client.resource<Pod>(refs.pods);
    this.expectations = new Expectations(() => ctx.clock.now());
    this.recorder = ctx.recorder(COMPONENT);
    this.syncables = [jobInformer, podInformer];
    const common = { logger: ctx.logger, metrics: ctx.workQueueMetrics, clock: ctx.clock };
    this.controller = new Controller({ name: 'job', reconcile: (key) => this.sync(key), workers: ctx.settings.concurrentSyncs, ...common });
    this.orphans = new Controller({ name: 'job_orphan_pod', reconcile: (key) => this.syncOrphanPod(key), ...common });
    jobInformer.addEventHandler({
      onAdd: (job) => this.controller.enqueue(job),
      onUpdate: (old, job) => this.jobUpdated(old, job),
      onDelete: (job) => this.jobDeleted(job),
    });
    podInformer.addEventHandler({
      onAdd: (pod) => this.podAdded(pod),
      onUpdate: (old, pod) => this.podUpdated(old, pod),
      onDelete: (pod) => this.podDeleted(objectOf(pod), true),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    await Promise.all([this.controller.run(signal, this.syncables), this.orphans.run(signal, this.syncables)]);
  }

  // ---- events → keys ----

  private enqueueBatched(job: Job): void {
    this.controller.enqueueAfter(metaNamespaceKey(job), SYNC_JOB_BATCH_PERIOD_MS);
  }

  private resolve(namespace: string, pod: Pod, ref = controllerRefOf(pod)): Job | undefined {
    if (!ref || ref.kind !== 'Job') return undefined;
    const job = this.jobs.namespace(namespace).get(ref.name);
    return job?.metadata?.uid === ref.uid ? job : undefined;
  }

  private jobsSelecting(pod: Pod): Job[] {
    return this.jobs
      .namespace(pod.metadata?.namespace ?? '')
      .list()
      .filter((j) => j.spec?.selector !== undefined && labelSelectorFromObject(j.spec.selector).matches(pod.metadata?.labels));
  }

  private podAdded(pod: Pod): void {
    if (pod.metadata?.deletionTimestamp) {
      // Seen for the first time already terminating (e.g. after a restart): not a creation we wait for.
      this.podDeleted(pod, false);
      return;
    }
    const ref = controllerRefOf(pod);
    if (ref) {
      const job = this.resolve(pod.metadata?.namespace ?? '', pod, ref);
      if (!job) return;
      this.expectations.creationObserved(metaNamespaceKey(job));
      this.enqueueBatched(job);
      return;
    }
    if (hasTrackingFinalizer(pod)) this.orphans.enqueue(pod);
    for (const job of this.jobsSelecting(pod)) this.enqueueBatched(job);
  }

  private podUpdated(old: Pod, pod: Pod): void {
    if (old.metadata?.resourceVersion === pod.metadata?.resourceVersion) return;
    if (pod.metadata?.deletionTimestamp) {
      this.podDeleted(pod, false);
      return;
    }
    const namespace = pod.metadata?.namespace ?? '';
    const uid = pod.metadata?.uid ?? '';
    const finalizerRemoved = !hasTrackingFinalizer(pod);
    const ref = controllerRefOf(pod);
    const oldRef = controllerRefOf(old);
    const refChanged = JSON.stringify(ref ?? null) !== JSON.stringify(oldRef ?? null);
    if (refChanged && oldRef) {
      const oldJob = this.resolve(namespace, old, oldRef);
      if (oldJob) {
        if (finalizerRemoved) this.finalizerExpectations.removalObserved(metaNamespaceKey(oldJob), uid);
        this.enqueueBatched(oldJob);
      }
    }
    if (ref) {
      const job = this.resolve(namespace, pod, ref);
      if (!job) return;
      if (finalizerRemoved) this.finalizerExpectations.removalObserved(metaNamespaceKey(job), uid);
      this.enqueueBatched(job);
      return;
    }
    if (hasTrackingFinalizer(pod)) this.orphans.enqueue(pod);
    const labelsChanged = JSON.stringify(old.metadata?.labels ?? {}) !== JSON.stringify(pod.metadata?.labels ?? {});
    if (labelsChanged || refChanged) for (const job of this.jobsSelecting(pod)) this.enqueueBatched(job);
  }

  /** `final`: the pod is gone from the store (not just marked for deletion). */
  private podDeleted(pod: Pod, final: boolean): void {
    const hasFinalizer = hasTrackingFinalizer(pod);
    const ref = controllerRefOf(pod);
    if (!ref) {
      if (hasFinalizer) this.orphans.enqueue(pod);
      return;
    }
    const job = this.resolve(pod.metadata?.namespace ?? '', pod, ref);
    if (!job || isJobFinished(job)) {
      if (hasFinalizer && !final) this.orphans.enqueue(pod);
      return;
    }
    const key = metaNamespaceKey(job);
    this.expectations.deletionObserved(key, metaNamespaceKey(pod));
    if (final || !hasFinalizer) this.finalizerExpectations.removalObserved(key, pod.metadata?.uid ?? '');
    this.enqueueBatched(job);
  }

  private jobUpdated(old: Job, job: Job): void {
    const key = metaNamespaceKey(job);
    // A spec change is acted on at once; status updates (mostly our own) are batched like pod events.
    if (old.metadata?.generation === job.metadata?.generation) this.enqueueBatched(job);
    else this.controller.enqueue(key);
    if (isJobFinished(job)) this.cleanupPodFinalizers(job);
    const ads = job.spec?.activeDeadlineSeconds;
    if (job.status?.startTime && ads !== undefined && old.spec?.activeDeadlineSeconds !== ads) {
      this.controller.enqueueAfter(key, Math.max(0, activeDeadlineRemainingMs(job, this.ctx.clock.now()) ?? 0));
    }
  }

  private jobDeleted(jobOrTombstone: Job | DeletedFinalStateUnknown<Job>): void {
    const job = objectOf(jobOrTombstone);
    this.controller.enqueue(job);
    this.cleanupPodFinalizers(job);
  }

  /** Pods of a finished or deleted Job keep no finalizer: the orphan worker removes what is left. */
  private cleanupPodFinalizers(job: Job): void {
    for (const pod of this.pods.namespace(job.metadata?.namespace ?? '').list()) {
      if (controllerRefOf(pod)?.uid === job.metadata?.uid && hasTrackingFinalizer(pod)) this.orphans.enqueue(pod);
    }
  }

  // ---- orphan pods ----

  private async syncOrphanPod(key: string): Promise<void> {
    const { namespace = '', name } = splitMetaNamespaceKey(key);
    const pod = this.pods.namespace(namespace).get(name);
    if (!pod || !hasTrackingFinalizer(pod)) return;
    const ref = controllerRefOf(pod);
    if (ref) {
      // Only batch/v1 Jobs' pods are ours to clean; an adopted pod of a running Job keeps its finalizer.
      if (ref.kind !== 'Job' || ref.apiVersion !== 'batch/v1') return;
      const job = this.resolve(namespace, pod, ref);
      if (job && managedElsewhere(job)) return;
      if (job && !isJobFinished(job)) return;
    }
    await this.removeFinalizer(pod);
  }

  private async removeFinalizer(pod: Pod): Promise<void> {
    try {
      await this.podClient
        .namespace(pod.metadata?.namespace ?? '')
        .patch(pod.metadata?.name ?? '', 'strategic', { metadata: { [`$deleteFromPrimitiveList/finalizers`]: [JOB_TRACKING_FINALIZER] } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  // ---- reconcile ----

  private async sync(key: string): Promise<void> {
    const { namespace = '', name } = splitMetaNamespaceKey(key);
    const shared = this.jobs.namespace(namespace).get(name);
    if (!shared) {
      this.expectations.forget(key);
      this.finalizerExpectations.forget(key);
      this.backoffs.delete(key);
      return;
    }
    if (managedElsewhere(shared)) return;
    if (isJobFinished(shared)) {
      this.backoffs.delete(key);
      return;
    }
    const mode = shared.spec?.completionMode;
    if (mode !== undefined && mode !== 'NonIndexed' && mode !== 'Indexed') {
      this.recorder.event(shared, 'Warning', 'UnknownCompletionMode', 'Skipped Job sync because completion mode is unknown');
      return;
    }
    // Expectations first: a pod that shows up after this read is seen by the next sync.
    const satisfied = this.expectations.satisfied(key);
    const pods = await this.podsForJob(shared);
    const nowMs = this.ctx.clock.now();
    const now = metaTime(nowMs);
    const state = assessJob({
      job: shared,
      pods,
      expectedRmFinalizers: this.finalizerExpectations.expected(key),
      backoff: this.backoffs.get(key) ?? NO_BACKOFF,
      nowMs,
    });
    if (state.deadlineRequeueMs !== undefined) this.controller.enqueueAfter(key, Math.max(0, state.deadlineRequeueMs));

    let manageError: unknown;
    let suspendChanged = false;
    if (state.finishedCondition) {
      const removed = await this.deletePods(state.job, state.activePods, false, key);
      // Not finished while pods remain that the Job could not delete or the cache does not show yet.
      if (removed.deleted !== state.active || !satisfied) state.finishedCondition = undefined;
      state.active -= removed.deleted;
      state.terminating += removed.deleted;
      state.ready -= removed.deletedReady;
      manageError = removed.error;
    } else {
      let managed = false;
      if (satisfied && !state.job.metadata?.deletionTimestamp) {
        manageError = await this.manageJob(key, state, nowMs);
        managed = true;
      }
      if (isComplete(state.job, state.succeeded, state.active)) {
        state.finishedCondition = successCondition(now);
      } else if (managed) {
        const t = suspendTransition(state.job, now);
        if (t.event) {
          suspendChanged = true;
          state.job.status.conditions = t.conditions;
          this.recorder.event(state.job, 'Normal', t.event.reason, t.event.message);
          // activeDeadlineSeconds counts time active without interruption.
          if (t.resetStartTime) state.job.status.startTime = now;
        }
      }
    }

    const status = state.job.status;
    const needsUpdate = suspendChanged || state.active !== (status.active ?? 0) || state.ready !== status.ready || state.terminating !== status.terminating;
    status.active = state.active;
    status.ready = state.ready;
    status.terminating = state.terminating;
    await this.trackStatus(key, state, needsUpdate, now);
    if (manageError !== undefined) throw manageError;
  }

  /** Pods the Job owns after adopting matching orphans (adding the tracking finalizer) and releasing strays. */
  private podsForJob(job: Job): Promise<Pod[]> {
    const namespace = job.metadata?.namespace ?? '';
    const selector = labelSelectorFromObject(job.spec?.selector);
    return claimDependents(
      job,
      selector,
      this.pods.namespace(namespace).list(),
      newControllerRef(job, 'batch/v1', 'Job'),
      {
        getOwner: () => this.jobClient.namespace(namespace).get(job.metadata?.name ?? ''),
        patchDependent: (name, patch) => this.podClient.namespace(namespace).patch(name, 'strategic', patch),
      },
      { adopt: { finalizers: [JOB_TRACKING_FINALIZER] }, release: { [`$deleteFromPrimitiveList/finalizers`]: [JOB_TRACKING_FINALIZER] } },
    );
  }

  /** Creates or deletes pods as decided; updates the counts in `state`. Returns the first API error, if any. */
  private async manageJob(key: string, state: JobSyncState, nowMs: number): Promise<unknown> {
    const decision = decideManage(state, { baseMs: this.ctx.settings.jobBackoffBaseMs, maxMs: this.ctx.settings.jobBackoffMaxMs }, nowMs);
    if (decision.action === 'none') return undefined;
    if (decision.action === 'wait') {
      this.controller.enqueueAfter(key, Math.max(decision.delayMs, SYNC_JOB_BATCH_PERIOD_MS));
      return undefined;
    }
    if (decision.action === 'delete') {
      const removed = await this.deletePods(state.job, decision.pods, true, key);
      state.active -= removed.deleted;
      state.terminating += removed.deleted;
      state.ready -= removed.deletedReady;
      return removed.error;
    }
    const job = state.job;
    const namespace = job.metadata?.namespace ?? '';
    const ref = newControllerRef(job, 'batch/v1', 'Job');
    const indexes = decision.indexes ? [...decision.indexes] : undefined;
    this.expectations.expectCreations(key, decision.count);
    const base = podTemplateFor(job, undefined);
    let remaining = decision.count;
    let firstError: unknown;
    for (const batch of slowStartBatches(decision.count)) {
      const results = await Promise.allSettled(
        Array.from({ length: batch }, () => {
          const index = indexes?.shift();
          const template = index === undefined ? base : podTemplateFor(job, index);
          const pod = podFromTemplate(template, namespace, job.metadata?.name ?? '', ref);
          if (index !== undefined) pod.metadata = { ...pod.metadata, generateName: indexedGenerateName(job.metadata?.name ?? '', index) };
          return this.podClient.namespace(namespace).create(pod);
        }),
      );
      remaining -= batch;
      let failed = 0;
      for (const r of results) {
        if (r.status === 'fulfilled') {
          state.active++;
          this.recorder.event(job, 'Normal', 'SuccessfulCreate', `Created pod: ${r.value.metadata?.name ?? ''}`);
          continue;
        }
        failed++;
        firstError ??= r.reason;
        this.recorder.event(job, 'Warning', 'FailedCreate', `Error creating: ${errorMessage(r.reason)}`);
      }
      if (failed > 0) {
        // Neither the failed creations nor the batches never tried will be observed; the next sync retries.
        this.expectations.lowerCreations(key, failed + remaining);
        break;
      }
    }
    return firstError;
  }

  /**
   * Deletes pods. `dropFinalizer`: the pods leave without counting (scale-down, suspend); otherwise (the Job fails)
   * they keep the finalizer and are counted as failed.
   */
  private async deletePods(job: Job, pods: Pod[], dropFinalizer: boolean, key: string): Promise<{ deleted: number; deletedReady: number; error: unknown }> {
    const client = this.podClient.namespace(job.metadata?.namespace ?? '');
    if (dropFinalizer) this.expectations.expectDeletions(key, pods.map((p) => metaNamespaceKey(p)));
    const results = await Promise.allSettled(
      pods.map(async (pod) => {
        const name = pod.metadata?.name ?? '';
        if (dropFinalizer && hasTrackingFinalizer(pod)) await this.removeFinalizer(pod);
        await client.delete(name, { preconditions: { uid: pod.metadata?.uid } });
      }),
    );
    let deleted = 0;
    let deletedReady = 0;
    let error: unknown;
    results.forEach((r, i) => {
      const pod = pods[i]!;
      const ok = r.status === 'fulfilled' || isNotFound(r.reason);
      if (r.status === 'rejected' && dropFinalizer) this.expectations.deletionObserved(key, metaNamespaceKey(pod));
      if (!ok) {
        error ??= r.reason;
        this.recorder.event(job, 'Warning', 'FailedDelete', `Error deleting: ${errorMessage(r.reason)}`);
        return;
      }
      deleted++;
      if (isPodReady(pod)) deletedReady++;
      if (r.status === 'fulfilled') this.recorder.event(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata?.name ?? ''}`);
    });
    return { deleted, deletedReady, error };
  }

  /**
   * Counts finished pods: writes them to status.uncountedTerminatedPods, removes their finalizers, moves them to the
   * counters, then sets the final condition once nothing is left to count or terminating.
   */
  private async trackStatus(key: string, state: JobSyncState, needsUpdate: boolean, now: string): Promise<void> {
    const plan = planTracking(state, needsUpdate, now);
    let needsFlush = plan.needsFlush;
    if (needsFlush) {
      state.job = await this.updateStatus(state.job);
      this.backoffs.set(key, state.newBackoff);
      needsFlush = false;
    }
    let removeError: unknown;
    if (plan.podsToRemoveFinalizer.length > 0) {
      const uids = plan.podsToRemoveFinalizer.map((p) => p.metadata?.uid ?? '');
      this.finalizerExpectations.expectRemovals(key, uids);
      const results = await Promise.allSettled(plan.podsToRemoveFinalizer.map((p) => this.removeFinalizer(p)));
      results.forEach((r, i) => {
        if (r.status === 'fulfilled') {
          plan.uidsWithFinalizer.delete(uids[i]!);
          return;
        }
        // No update will show this removal.
        this.finalizerExpectations.removalObserved(key, uids[i]!);
        removeError ??= r.reason;
      });
    }
    if (cleanUncounted(state.job.status, plan.uidsWithFinalizer)) needsFlush = true;
    if (removeError !== undefined) {
      if (needsFlush) await this.updateStatus(state.job);
      throw removeError;
    }
    const finished = !plan.reachedMaxUncounted && enactFinished(state, now);
    if (finished) needsFlush = true;
    if (!needsFlush) return;
    state.job = await this.updateStatus(state.job);
    if (finished && state.finishedCondition) {
      for (const e of finishedEvents(state.job, state.finishedCondition)) this.recorder.event(state.job, e.type, e.reason, e.message);
    }
  }

  private async updateStatus(job: JobWithStatus): Promise<JobWithStatus> {
    const status: JobStatus = { ...job.status };
    // int32 counters are omitted when zero, as Kubernetes writes them; ready and terminating are always there.
    for (const k of ['active', 'succeeded', 'failed'] as const) if (status[k] === 0) delete status[k];
    const updated = await this.jobClient.namespace(job.metadata?.namespace ?? '').updateStatus({ ...job, status });
    return { ...updated, status: { ...updated.status, uncountedTerminatedPods: updated.status?.uncountedTerminatedPods ?? {} } };
  }
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export const jobControllerDescriptor: ControllerDescriptor = {
  name: 'job',
  enabledByDefault: true,
  start: (ctx: ControllerContext, signal: AbortSignal) => new JobController(ctx).run(signal),
};
