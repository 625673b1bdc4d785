// Pods: the READY / STATUS / RESTARTS summary kubectl users read every day. The status logic mirrors
// Kubernetes' printPod step by step (init containers, sidecars, container reasons, deletion), because
// users and scripts match on these exact strings.
import type { JsonObject, JsonValue } from '@k8ts/api-machinery';
import { get, isSet, num, obj, objs, optStr, str, strMap } from '../access.js';
import { humanDuration, parseTime } from '../duration.js';
import { containerCells, formatLabels } from '../format.js';
import { AGE_COLUMN, NAME_COLUMN, age, col, name, wide, type Printer } from '../types.js';

/** Status.reason the node lifecycle controller sets on pods of an unreachable node. */
const NODE_UNREACHABLE_REASON = 'NodeLost';

const isRestartable = (c: JsonObject | undefined): boolean => str(c, 'restartPolicy') === 'Always';

function conditionStatus(status: JsonValue | undefined, type: string): string | undefined {
  const c = objs(status, 'conditions').find((x) => str(x, 'type') === type);
  return c ? str(c, 'status') : undefined;
}

/** Any Ready condition with status True (printPod scans them all). */
function hasPodReady(status: JsonValue | undefined): boolean {
  return objs(status, 'conditions').some((c) => str(c, 'type') === 'Ready' && str(c, 'status') === 'True');
}

/** Time of a container's previous termination, if it has one. */
function lastTerminated(cs: JsonObject): number | undefined {
  const t = obj(cs, 'lastState', 'terminated');
  return t ? parseTime(get(t, 'finishedAt')) : undefined;
}

const later = (a: number | undefined, b: number | undefined): number | undefined =>
  b === undefined ? a : a === undefined || a < b ? b : a;

export interface PodSummary {
  ready: string;
  status: string;
  restarts: string;
}

/** READY, STATUS and RESTARTS cells of a pod. */
export function summarizePod(pod: JsonObject, now: Date): PodSummary {
  const spec = obj(pod, 'spec');
  const status = obj(pod, 'status');
  const phase = str(status, 'phase');

  let restarts = 0;
  let sidecarRestarts = 0;
  let lastRestart: number | undefined;
  let lastSidecarRestart: number | undefined;
  let readyContainers = 0;
  let totalContainers = objs(spec, 'containers').length;

  let reason = str(status, 'reason') || phase;
  for (const c of objs(status, 'conditions')) {
    if (str(c, 'type') === 'PodScheduled' && str(c, 'reason') === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initSpecs = objs(spec, 'initContainers');
  const initByName = new Map<string, JsonObject>();
  for (const c of initSpecs) {
    initByName.set(str(c, 'name'), c);
    // Sidecars (restartable init containers) run alongside the app containers and count toward READY.
    if (isRestartable(c)) totalContainers++;
  }

  // Init containers run in order: walk them until the first one that has not finished successfully.
  let initializing = false;
  const initStatuses = objs(status, 'initContainerStatuses');
  for (let i = 0; i < initStatuses.length; i++) {
    const cs = initStatuses[i] as JsonObject;
    const sidecar = isRestartable(initByName.get(str(cs, 'name')));
    restarts += num(cs, 'restartCount');
    lastRestart = later(lastRestart, lastTerminated(cs));
    if (sidecar) {
      sidecarRestarts += num(cs, 'restartCount');
      lastSidecarRestart = later(lastSidecarRestart, lastTerminated(cs));
    }
    const terminated = obj(cs, 'state', 'terminated');
    const waiting = obj(cs, 'state', 'waiting');
    if (terminated && num(terminated, 'exitCode') === 0) continue;
    if (sidecar && get(cs, 'started') === true) {
      if (get(cs, 'ready') === true) readyContainers++;
      continue;
    }
    if (terminated) {
      const r = str(terminated, 'reason');
      if (r !== '') reason = `Init:${r}`;
      else if (num(terminated, 'signal') !== 0) reason = `Init:Signal:${num(terminated, 'signal')}`;
      else reason = `Init:ExitCode:${num(terminated, 'exitCode')}`;
    } else if (waiting && str(waiting, 'reason') !== '' && str(waiting, 'reason') !== 'PodInitializing') {
      reason = `Init:${str(waiting, 'reason')}`;
    } else {
      reason = `Init:${i}/${initSpecs.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionStatus(status, 'Initialized') === 'True') {
    // Once initialised, only sidecar restarts remain relevant among the init containers.
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = objs(status, 'containerStatuses');
    // Walk backwards so the first container's reason wins, as kubectl shows it.
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i] as JsonObject;
      restarts += num(cs, 'restartCount');
      lastRestart = later(lastRestart, lastTerminated(cs));
      const waiting = obj(cs, 'state', 'waiting');
      const terminated = obj(cs, 'state', 'terminated');
      if (waiting && str(waiting, 'reason') !== '') {
        reason = str(waiting, 'reason');
      } else if (terminated && str(terminated, 'reason') !== '') {
        reason = str(terminated, 'reason');
      } else if (terminated) {
        reason =
          num(terminated, 'signal') !== 0 ? `Signal:${num(terminated, 'signal')}` : `ExitCode:${num(terminated, 'exitCode')}`;
      } else if (get(cs, 'ready') === true && obj(cs, 'state', 'running')) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // Some containers completed while others still run: the pod as a whole is still running.
    if (reason === 'Completed' && hasRunning) reason = hasPodReady(status) ? 'Running' : 'NotReady';
  }

  if (isSet(pod, 'metadata', 'deletionTimestamp')) {
    if (str(status, 'reason') === NODE_UNREACHABLE_REASON) reason = 'Unknown';
    else if (phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';
  }

  let restartsCell = String(restarts);
  if (restarts !== 0 && lastRestart !== undefined) {
    restartsCell = `${restarts} (${humanDuration(now.getTime() - lastRestart)} ago)`;
  }
  return { ready: `${readyContainers}/${totalContainers}`, status: reason, restarts: restartsCell };
}

/** "true/total" over spec.readinessGates, or "<none>". */
function readinessGates(pod: JsonObject): string {
  const gates = objs(pod, 'spec', 'readinessGates');
  if (gates.length === 0) return '<none>';
  let ok = 0;
  for (const g of gates) {
    if (conditionStatus(get(pod, 'status'), str(g, 'conditionType')) === 'True') ok++;
  }
  return `${ok}/${gates.length}`;
}

/** First pod IP; older objects may carry only the singular status.podIP. */
function podIP(pod: JsonObject): string {
  const first = optStr(pod, 'status', 'podIPs', 0, 'ip') ?? str(pod, 'status', 'podIP');
  return first === '' ? '<none>' : first;
}

const orNone = (s: string): string => (s === '' ? '<none>' : s);

export const podPrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Ready', 'string', 'Ready containers out of all containers (sidecars included) in the pod.'),
    col('Status', 'string', 'Summary of the pod state, derived from its phase and container states.'),
    col('Restarts', 'string', 'Total container restarts, with the time since the most recent one.'),
    AGE_COLUMN,
    wide('IP', 'string', 'The first IP address assigned to the pod.'),
    wide('Node', 'string', 'The node the pod is bound to.'),
    wide('Nominated Node', 'string', 'The node on which the scheduler expects to place the pod after preemption.'),
    wide('Readiness Gates', 'string', 'Readiness gates whose condition is true, out of all readiness gates.'),
  ],
  cells(pod, now) {
    const s = summarizePod(pod, now);
    return [
      name(pod),
      s.ready,
      s.status,
      s.restarts,
      age(pod, now),
      podIP(pod),
      orNone(str(pod, 'spec', 'nodeName')),
      orNone(str(pod, 'status', 'nominatedNodeName')),
      readinessGates(pod),
    ];
  },
  conditions(pod) {
    const phase = str(pod, 'status', 'phase');
    if (phase === 'Succeeded') {
      return [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }];
    }
    if (phase === 'Failed') return [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }];
    return undefined;
  },
};

export const podTemplatePrinter: Printer = {
  columns: [
    NAME_COLUMN,
    col('Containers', 'string', 'Names of the containers in the template.'),
    col('Images', 'string', 'Images used by the containers in the template.'),
    col('Pod Labels', 'string', 'Labels that pods created from the template carry.'),
  ],
  cells(o) {
    const [names, images] = containerCells(get(o, 'template', 'spec'));
    return [name(o), names, images, formatLabels(strMap(o, 'template', 'metadata', 'labels'))];
  },
};
