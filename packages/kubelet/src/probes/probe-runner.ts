// One probe attempt (Kubernetes' prober.runProbe plus pkg/probe/{exec,http,tcp}): the handler's verdict and the
// output the kubelet puts into Unhealthy events. Scheduling, thresholds and events live in the ProbeManager.
import type { corev1 } from '@k8ts/api-machinery';
import { goQuote } from './go-errors.js';
import { httpGet, MAX_RESPONSE_BODY_BYTES } from './http-get.js';
import { resolveContainerPort } from './container-port.js';
import { tcpConnect } from './tcp-socket.js';

export interface ExecResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs a command in a container (docker exec); `timeoutMs` 0 means no timeout. */
export type ExecInContainer = (containerId: string, cmd: string[], timeoutMs: number) => Promise<ExecResult>;

export interface ProbeTarget {
  podIP: string;
  containerId: string;
  container: corev1.Container;
}

export interface ProbeRunnerDeps {
  exec: ExecInContainer;
}

/**
 * success / failure as Kubernetes' probe.Result; 'unknown' is a prober error (the probe could not be run at all),
 * which the kubelet reports as "probe errored" and does not count against the thresholds.
 */
export type ProbeResult = 'success' | 'failure' | 'unknown';

export interface ProbeOutcome {
  result: ProbeResult;
  output: string;
  /** Set for a success that deserves a ProbeWarning event (a redirect to another host that was not followed). */
  warning?: boolean;
}

export const DEFAULT_PROBE_TIMEOUT_SECONDS = 1;

export type RunProbe = (probe: corev1.Probe, target: ProbeTarget, deps: ProbeRunnerDeps) => Promise<ProbeOutcome>;

export async function runProbe(probe: corev1.Probe, target: ProbeTarget, deps: ProbeRunnerDeps): Promise<ProbeOutcome> {
  const timeoutMs = (probe.timeoutSeconds || DEFAULT_PROBE_TIMEOUT_SECONDS) * 1000;
  if (probe.exec) return runExecProbe(probe.exec.command ?? [], target.containerId, timeoutMs, deps.exec);
  if (probe.httpGet) return runHttpProbe(probe.httpGet, target, timeoutMs);
  if (probe.tcpSocket) {
    const port = resolveContainerPort(probe.tcpSocket.port, target.container);
    if ('error' in port) return { result: 'failure', output: port.error };
    const r = await tcpConnect(probe.tcpSocket.host || target.podIP, port.port, timeoutMs);
    return r.ok ? { result: 'success', output: '' } : { result: 'failure', output: r.message };
  }
  if (probe.grpc) {
    return { result: 'failure', output: `gRPC probes are not supported by this kubelet (port ${probe.grpc.port ?? '?'}): use exec, httpGet or tcpSocket` };
  }
  return { result: 'unknown', output: `missing probe handler for ${target.container.name}` };
}

async function runExecProbe(command: string[], containerId: string, timeoutMs: number, exec: ExecInContainer): Promise<ProbeOutcome> {
  let r: ExecResult;
  try {
    r = await exec(containerId, command, timeoutMs);
  } catch (err) {
    return { result: 'unknown', output: err instanceof Error ? err.message : String(err) };
  }
  // The kubelet's exec prober writes stdout and stderr into one buffer capped at 10 KiB.
  const output = (r.stdout + r.stderr).slice(0, MAX_RESPONSE_BODY_BYTES);
  // Worded as the CRI runtime's TimeoutError, which the exec prober turns into the output.
  if (r.timedOut) return { result: 'failure', output: `command ${goQuote(command.join(' '))} timed out` };
  if (r.exitCode === null) return { result: 'unknown', output: output || `command ${goQuote(command.join(' '))} did not report an exit code` };
  return { result: r.exitCode === 0 ? 'success' : 'failure', output };
}

async function runHttpProbe(action: corev1.HTTPGetAction, target: ProbeTarget, timeoutMs: number): Promise<ProbeOutcome> {
  const r = await httpGet(action, target, { component: 'probe', timeoutMs });
  // Transport errors are failures, not prober errors: that is how Kubernetes catches timeouts.
  if (r.kind === 'error') return { result: 'failure', output: r.message };
  if (r.statusCode >= 200 && r.statusCode < 400) {
    if (r.statusCode >= 300) return { result: 'success', output: `Probe terminated redirects, Response body: ${r.body}`, warning: true };
    return { result: 'success', output: r.body };
  }
  // Never the body here: Kubernetes keeps response bodies out of user-facing failure messages (issue 99425).
  return { result: 'failure', output: `HTTP probe failed with statuscode: ${r.statusCode}` };
}
