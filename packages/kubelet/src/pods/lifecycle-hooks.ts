// postStart and preStop handlers (Kubernetes' pkg/kubelet/lifecycle handlerRunner): exec in the container, an HTTP
// GET (any response counts as success: the kubelet does not look at the status code of a hook), or a sleep.
//
// What the caller (the pod syncer) does with a failure, as the kubelet does:
// - postStart: record a Warning event FailedPostStartHook with `message`, kill the container, and show it waiting
//   with reason PostStartHookError (POST_START_HOOK_ERROR) and `message` until it is restarted (restart policy and
//   back-off apply as for any other exit).
// - preStop: record a Warning event FailedPreStopHook with `message` ("PreStopHook failed": the details stay in the
//   log so that secrets in commands or output do not reach events) and stop the container anyway with what is left
//   of the grace period. Run it with `timeoutMs` = the grace period remaining.
import type { corev1 } from '@k8ts/api-machinery';
import { realClock, type Clock } from '@k8ts/client';
import { goQuote } from '../probes/go-errors.js';
import { httpGet } from '../probes/http-get.js';
import type { ExecInContainer } from '../probes/probe-runner.js';
import { formatPod } from './backoff.js';

export const POST_START_HOOK_ERROR = 'PostStartHookError';

export type HookKind = 'PostStart' | 'PreStop';

export interface HookTarget {
  pod: corev1.Pod;
  container: corev1.Container;
  containerId: string;
  podIP: string;
  /** Deadline for the handler: the remaining grace period for preStop. No deadline when unset. */
  timeoutMs?: number;
  /** Which hook this is; inferred from the container's lifecycle when unset. */
  hook?: HookKind;
}

export interface HookDeps {
  exec: ExecInContainer;
  /** Times sleep handlers (FakeClock in tests); realClock by default. */
  clock?: Clock;
  /** Aborts the handler (the container is being killed). */
  signal?: AbortSignal;
}

export interface HookResult {
  ok: boolean;
  /** The event message Kubernetes records for a failure ('' on success). */
  message: string;
  /** Kubernetes' full failure description (for the log; equal to message for postStart). */
  detail?: string;
  /** Event reason for a failure. */
  reason?: 'FailedPostStartHook' | 'FailedPreStopHook';
}

/** Binds the deps: the shape the pod syncer takes as `runHook`. */
export function createHookRunner(deps: HookDeps): (handler: corev1.LifecycleHandler, target: HookTarget) => Promise<HookResult> {
  return (handler, target) => runHandler(handler, target, deps);
}

export async function runHandler(handler: corev1.LifecycleHandler, target: HookTarget, deps: HookDeps): Promise<HookResult> {
  const hook = target.hook ?? (handler === target.container.lifecycle?.preStop ? 'PreStop' : 'PostStart');
  const detail = await failureOf(handler, target, deps);
  if (detail === undefined) return { ok: true, message: '' };
  if (hook === 'PreStop') return { ok: false, message: 'PreStopHook failed', detail, reason: 'FailedPreStopHook' };
  return { ok: false, message: detail, detail, reason: 'FailedPostStartHook' };
}

/** Kubernetes' handlerRunner.Run message for a failed handler; undefined when it succeeded. */
async function failureOf(handler: corev1.LifecycleHandler, target: HookTarget, deps: HookDeps): Promise<string | undefined> {
  const where = `for Container ${goQuote(target.container.name)} in Pod ${goQuote(formatPod(target.pod))}`;
  if (handler.exec) {
    const command = handler.exec.command ?? [];
    const err = await execHook(command, target, deps);
    if (!err) return undefined;
    return `Exec lifecycle hook ([${command.join(' ')}]) ${where} failed - error: ${err.error}, message: ${goQuote(err.output)}`;
  }
  if (handler.httpGet) {
    const err = await httpHook(handler.httpGet, target, deps);
    return err === undefined ? undefined : `HTTP lifecycle hook (${handler.httpGet.path ?? ''}) ${where} failed - error: ${err}`;
  }
  if (handler.sleep) {
    const seconds = handler.sleep.seconds ?? 0;
    const err = await sleepHook(seconds, target.timeoutMs, deps);
    return err === undefined ? undefined : `Sleep lifecycle hook (${seconds}) ${where} failed - error: ${err}`;
  }
  // tcpSocket is accepted by the API for compatibility only; the kubelet refuses to run it.
  const kind = handler.tcpSocket ? 'tcpSocket is not supported as a lifecycle handler' : 'no action set';
  return `Cannot run handler: invalid handler: ${kind}`;
}

async function execHook(command: string[], target: HookTarget, deps: HookDeps): Promise<{ error: string; output: string } | undefined> {
  try {
    const r = await deps.exec(target.containerId, command, target.timeoutMs ?? 0);
    const output = r.stdout + r.stderr;
    if (r.timedOut) return { error: `command ${goQuote(command.join(' '))} timed out`, output };
    if (r.exitCode === 0) return undefined;
    // The CRI runtime's CodeExitError wording.
    return { error: `command '${command.join(' ')}' exited with ${r.exitCode ?? 'no code'}: ${r.stderr}`, output };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err), output: '' };
  }
}

async function httpHook(action: corev1.HTTPGetAction, target: HookTarget, deps: HookDeps): Promise<string | undefined> {
  const opts = { component: 'lifecycle' as const, timeoutMs: target.timeoutMs, signal: deps.signal };
  const r = await httpGet(action, target, opts);
  if (r.kind === 'response') return undefined;
  // An HTTPS hook answered by a plain HTTP server is retried over HTTP without credentials, as the kubelet does.
  if (r.tlsProtocolError && action.scheme === 'HTTPS') {
    const withoutAuth = { ...action, httpHeaders: (action.httpHeaders ?? []).filter((h) => h.name?.toLowerCase() !== 'authorization') };
    const retry = await httpGet(withoutAuth, target, { ...opts, scheme: 'HTTP' });
    if (retry.kind === 'response') return undefined;
  }
  return r.message;
}

/** Sleeps `seconds`; cut short by the deadline (grace period) or the abort signal, which Kubernetes reports as an error. */
function sleepHook(seconds: number, timeoutMs: number | undefined, deps: HookDeps): Promise<string | undefined> {
  const clock = deps.clock ?? realClock;
  return new Promise((resolve) => {
    const timers: Array<{ cancel(): void }> = [];
    const finish = (err: string | undefined): void => {
      for (const t of timers) t.cancel();
      deps.signal?.removeEventListener('abort', onAbort);
      resolve(err);
    };
    const interrupted = 'container terminated before sleep hook finished';
    const onAbort = (): void => finish(interrupted);
    if (deps.signal?.aborted) return finish(interrupted);
    timers.push(clock.setTimer(() => finish(undefined), seconds * 1000));
    if (timeoutMs !== undefined && timeoutMs < seconds * 1000) timers.push(clock.setTimer(() => finish(interrupted), timeoutMs));
    deps.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
