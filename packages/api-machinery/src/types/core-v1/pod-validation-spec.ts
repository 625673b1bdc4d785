// ValidatePodSpec: the rules that tie the parts of a pod spec together (containers against volumes and claims, init
// and ephemeral container restrictions, probes against the grace period, DNS against the DNS policy, OS-specific
// fields). It runs wherever a PodSpec appears, in pods and in the templates of workloads alike.
import { isJsonObject, type JsonObject, type JsonValue } from '../../json.js';
import type { Validator } from '../../schema/module.js';
import { child, fieldErrors, index, type FieldError } from '../../validation/field-error.js';
import {
  inclusiveRangeError,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidIP,
  isValidPortName,
  isValidPortNum,
  nameIsDNSSubdomain,
} from '../../validation/names.js';
import { arr, bool, has, items, num, obj, str, strings } from './pod-access.js';
import { httpHeaderNameErrors } from './pod-formats.js';
import { IS_NEGATIVE_ERROR_MSG, invalidEach, labelsErrors, localDescendingPathErrors, MAX_INT32, noBackstepErrors, resourceRequirementsErrors, sorted } from './pod-validation-common.js';

interface SpecContext {
  spec: JsonObject;
  path: string;
  volumes: Map<string, JsonObject>;
  claimNames: Set<string>;
  gracePeriod: number | undefined;
  hostUsers: boolean;
}

function containerList(spec: JsonObject, field: string): [number, JsonObject][] {
  return items(spec, field);
}

// ---- handlers, probes, lifecycle ----

function portNumOrNameErrors(port: JsonValue | undefined, path: string): FieldError[] {
  if (typeof port === 'string') return invalidEach(path, port, isValidPortName(port));
  const n = typeof port === 'number' ? port : 0;
  return isValidPortNum(n).map((m) => fieldErrors.invalid(path, n, m));
}

const PROBE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const LIFECYCLE_HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'sleep'];

/** validateHandler: exactly one handler; only the first one given is validated. */
function handlerErrors(h: JsonObject, kinds: string[], gracePeriod: number | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  for (const kind of kinds) {
    const action = obj(h, kind);
    if (!action) continue;
    const p = child(path, kind);
    if (n++ > 0) {
      errs.push(fieldErrors.forbidden(p, 'may not specify more than 1 handler type'));
      continue;
    }
    switch (kind) {
      case 'exec':
        if (arr(action, 'command').length === 0) errs.push(fieldErrors.required(child(p, 'command')));
        break;
      case 'httpGet':
        if ((str(action, 'path') ?? '') === '') errs.push(fieldErrors.required(child(p, 'path')));
        errs.push(...portNumOrNameErrors(action.port, child(p, 'port')));
        for (const [, header] of items(action, 'httpHeaders')) {
          const name = str(header, 'name') ?? '';
          errs.push(...invalidEach(child(p, 'httpHeaders'), name, httpHeaderNameErrors(name)));
        }
        break;
      case 'tcpSocket':
        errs.push(...portNumOrNameErrors(action.port, child(p, 'port')));
        break;
      case 'grpc':
        errs.push(...portNumOrNameErrors(num(action, 'port') ?? 0, child(p, 'port')));
        break;
      case 'sleep': {
        const seconds = num(action, 'seconds') ?? 0;
        if (gracePeriod !== undefined && (seconds <= 0 || seconds > gracePeriod)) {
          errs.push(
            fieldErrors.invalid(
              p,
              seconds,
              `must be greater than 0 and less than terminationGracePeriodSeconds (${gracePeriod}). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.`,
            ),
          );
        }
        break;
      }
    }
  }
  if (n === 0) errs.push(fieldErrors.required(path, 'must specify a handler type'));
  return errs;
}

function probeErrors(probe: JsonObject, kind: 'livenessProbe' | 'readinessProbe' | 'startupProbe', gracePeriod: number | undefined, path: string): FieldError[] {
  const errs = handlerErrors(probe, PROBE_HANDLERS, gracePeriod, path);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold']) {
    const v = num(probe, f);
    if (v !== undefined && v < 0) errs.push(fieldErrors.invalid(child(path, f), v, IS_NEGATIVE_ERROR_MSG));
  }
  const tgps = num(probe, 'terminationGracePeriodSeconds');
  if (tgps !== undefined && tgps <= 0) errs.push(fieldErrors.invalid(child(path, 'terminationGracePeriodSeconds'), tgps, 'must be greater than 0'));
  if (kind === 'readinessProbe') {
    if (tgps !== undefined) errs.push(fieldErrors.invalid(child(path, 'terminationGracePeriodSeconds'), tgps, 'must not be set for readinessProbes'));
  } else {
    const st = num(probe, 'successThreshold') ?? 0;
    if (st !== 1) errs.push(fieldErrors.invalid(child(path, 'successThreshold'), st, 'must be 1'));
  }
  return errs;
}

/** Lifecycle hooks and the three probes, for regular containers and sidecars. */
function lifecycleAndProbeErrors(c: JsonObject, gracePeriod: number | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const lifecycle = obj(c, 'lifecycle');
  if (lifecycle) {
    for (const hook of ['postStart', 'preStop']) {
      const h = obj(lifecycle, hook);
      if (h) errs.push(...handlerErrors(h, LIFECYCLE_HANDLERS, gracePeriod, child(child(path, 'lifecycle'), hook)));
    }
  }
  for (const kind of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const probe = obj(c, kind);
    if (probe) errs.push(...probeErrors(probe, kind, gracePeriod, child(path, kind)));
  }
  return errs;
}

// ---- volume mounts and devices ----

function volumeMountErrors(c: JsonObject, ctx: SpecContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountsPath = child(path, 'volumeMounts');
  const devices = new Map(items(c, 'volumeDevices').map(([, d]) => [str(d, 'name') ?? '', str(d, 'devicePath') ?? '']));
  const devicePaths = new Set(devices.values());
  const privileged = bool(obj(c, 'securityContext'), 'privileged') === true;
  const mountPaths = new Set<string>();
  for (const [i, m] of items(c, 'volumeMounts')) {
    const p = index(mountsPath, i);
    const name = str(m, 'name') ?? '';
    const mountPath = str(m, 'mountPath') ?? '';
    if (!ctx.volumes.has(name)) errs.push(fieldErrors.notFound(child(p, 'name'), name));
    if (mountPaths.has(mountPath)) errs.push(fieldErrors.invalid(child(p, 'mountPath'), mountPath, 'must be unique'));
    mountPaths.add(mountPath);
    if (devices.has(name)) errs.push(fieldErrors.invalid(child(p, 'name'), name, 'must not already exist in volumeDevices'));
    if (devicePaths.has(mountPath)) errs.push(fieldErrors.invalid(child(p, 'mountPath'), mountPath, 'must not already exist as a path in volumeDevices'));
    const subPath = str(m, 'subPath') ?? '';
    const subPathExpr = str(m, 'subPathExpr') ?? '';
    if (obj(ctx.volumes.get(name), 'image')) {
      if (subPath !== '') errs.push(fieldErrors.invalid(child(p, 'subPath'), subPath, 'not allowed in image volume sources'));
      if (subPathExpr !== '') errs.push(fieldErrors.invalid(child(p, 'subPathExpr'), subPathExpr, 'not allowed in image volume sources'));
    }
    // Kubernetes reports these under the list path (volumeMounts.subPath), not the item.
    if (subPath !== '') errs.push(...localDescendingPathErrors(subPath, child(mountsPath, 'subPath')));
    if (subPathExpr !== '') {
      if (subPath !== '') errs.push(fieldErrors.invalid(child(p, 'subPathExpr'), subPathExpr, 'subPathExpr and subPath are mutually exclusive'));
      errs.push(...localDescendingPathErrors(subPathExpr, child(mountsPath, 'subPathExpr')));
    }
    const propagation = str(m, 'mountPropagation');
    if (propagation !== undefined) {
      const propPath = child(mountsPath, 'mountPropagation');
      if (!['Bidirectional', 'HostToContainer', 'None'].includes(propagation)) {
        errs.push(fieldErrors.notSupported(propPath, propagation, ['Bidirectional', 'HostToContainer', 'None']));
      }
      if (propagation === 'Bidirectional' && !privileged) errs.push(fieldErrors.forbidden(propPath, 'Bidirectional mount propagation is available only to privileged containers'));
    }
    const rro = str(m, 'recursiveReadOnly');
    if (rro !== undefined) {
      const rroPath = child(mountsPath, 'recursiveReadOnly');
      if (rro === 'Enabled' || rro === 'IfPossible') {
        if (bool(m, 'readOnly') !== true) errs.push(fieldErrors.forbidden(rroPath, 'may only be specified when readOnly is true'));
        if (propagation !== undefined && propagation !== 'None') errs.push(fieldErrors.forbidden(rroPath, 'may only be specified when mountPropagation is None or not specified'));
      } else if (rro !== 'Disabled') {
        errs.push(fieldErrors.notSupported(rroPath, rro, ['Disabled', 'Enabled', 'IfPossible']));
      }
    }
  }
  return errs;
}

function volumeDeviceErrors(c: JsonObject, ctx: SpecContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const devicesPath = child(path, 'volumeDevices');
  const mounts = new Map(items(c, 'volumeMounts').map(([, m]) => [str(m, 'name') ?? '', str(m, 'mountPath') ?? '']));
  const mountPaths = new Set(mounts.values());
  const names = new Set<string>();
  const paths = new Set<string>();
  for (const [i, d] of items(c, 'volumeDevices')) {
    const p = index(devicesPath, i);
    const name = str(d, 'name') ?? '';
    const devicePath = str(d, 'devicePath') ?? '';
    const vol = ctx.volumes.get(name);
    if (names.has(name)) errs.push(fieldErrors.invalid(child(p, 'name'), name, 'must be unique'));
    if (vol && !obj(vol, 'persistentVolumeClaim') && !obj(vol, 'ephemeral')) {
      errs.push(fieldErrors.invalid(child(p, 'name'), name, 'can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode'));
    }
    if (!vol) errs.push(fieldErrors.notFound(child(p, 'name'), name));
    if (paths.has(devicePath)) errs.push(fieldErrors.invalid(child(p, 'devicePath'), devicePath, 'must be unique'));
    if (devicePath !== '' && noBackstepErrors(devicePath, '').length > 0) errs.push(fieldErrors.invalid(child(p, 'devicePath'), devicePath, "can not contain backsteps ('..')"));
    else paths.add(devicePath);
    if (mounts.has(name)) errs.push(fieldErrors.invalid(child(p, 'name'), name, 'must not already exist in volumeMounts'));
    if (mountPaths.has(devicePath)) errs.push(fieldErrors.invalid(child(p, 'devicePath'), devicePath, 'must not already exist as a path in volumeMounts'));
    if (name !== '') names.add(name);
  }
  return errs;
}

// ---- containers ----

/** validateResourceClaimNames: each container claim must name an entry of spec.resourceClaims. */
function containerClaimErrors(c: JsonObject, ctx: SpecContext, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const claimsPath = child(child(path, 'resources'), 'claims');
  const seen = new Set<string>();
  for (const [i, claim] of items(obj(c, 'resources'), 'claims')) {
    const p = index(claimsPath, i);
    const name = str(claim, 'name') ?? '';
    if (name === '') {
      errs.push(fieldErrors.required(p));
      continue;
    }
    if (seen.has(name)) {
      errs.push(fieldErrors.duplicate(p, name));
    } else {
      let k = name;
      const request = str(claim, 'request') ?? '';
      if (request !== '') {
        errs.push(...invalidEach(child(p, 'request'), request, isDNS1123Label(request)));
        k += `/${request}`;
      }
      if (seen.has(k)) errs.push(fieldErrors.duplicate(p, k));
      else if (request === '') for (const s of seen) if (s.startsWith(`${name}/`)) errs.push(fieldErrors.duplicate(p, name));
      seen.add(k);
    }
    if (!ctx.claimNames.has(name)) {
      const names = sorted(ctx.claimNames);
      const e = fieldErrors.notFound(p, name);
      e.detail = `must be one of the names in pod.spec.resourceClaims${names.length === 0 ? ' which is empty' : `: ${names.join(', ')}`}`;
      errs.push(e);
    }
  }
  return errs;
}

function resizePolicyErrors(c: JsonObject, restartPolicy: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const listPath = child(path, 'resizePolicy');
  const seen = new Set<string>();
  for (const [i, p] of items(c, 'resizePolicy')) {
    const resource = str(p, 'resourceName') ?? '';
    const policy = str(p, 'restartPolicy') ?? '';
    if (seen.has(resource)) errs.push(fieldErrors.duplicate(index(listPath, i), resource));
    seen.add(resource);
    if (resource === '') errs.push(fieldErrors.required(listPath));
    else if (resource !== 'cpu' && resource !== 'memory') errs.push(fieldErrors.notSupported(listPath, resource, ['cpu', 'memory']));
    if (policy === '') errs.push(fieldErrors.required(listPath));
    else if (policy !== 'NotRequired' && policy !== 'RestartContainer') errs.push(fieldErrors.notSupported(listPath, policy, ['NotRequired', 'RestartContainer']));
    if (restartPolicy === 'Never' && policy !== 'NotRequired') errs.push(fieldErrors.invalid(listPath, policy, "must be 'NotRequired' when `restartPolicy` is 'Never'"));
  }
  return errs;
}

/** validateContainerCommon, the parts that need the rest of the pod (the others are Container's own hooks). */
function containerCommonErrors(c: JsonObject, ctx: SpecContext, path: string): FieldError[] {
  const errs = [...volumeMountErrors(c, ctx, path), ...volumeDeviceErrors(c, ctx, path), ...containerClaimErrors(c, ctx, path)];
  errs.push(...resizePolicyErrors(c, str(ctx.spec, 'restartPolicy') ?? '', path));
  const procMount = str(obj(c, 'securityContext'), 'procMount');
  if (ctx.hostUsers && procMount === 'Unmasked') {
    errs.push(fieldErrors.invalid(child(child(path, 'securityContext'), 'procMount'), procMount, '`hostUsers` must be false to use `Unmasked`'));
  }
  return errs;
}

/** checkHostPortConflicts: one protocol/hostIP/hostPort may be used once among the given containers. */
function hostPortConflictErrors(containers: [number, JsonObject][], listPath: string): FieldError[] {
  const errs: FieldError[] = [];
  const used = new Set<string>();
  for (const [ci, c] of containers) {
    for (const [pi, port] of items(c, 'ports')) {
      const hostPort = num(port, 'hostPort') ?? 0;
      if (hostPort === 0) continue;
      const k = `${str(port, 'protocol') ?? ''}/${str(port, 'hostIP') ?? ''}/${hostPort}`;
      if (used.has(k)) errs.push(fieldErrors.duplicate(child(index(child(index(listPath, ci), 'ports'), pi), 'hostPort'), k));
      else used.add(k);
    }
  }
  return errs;
}

const EPHEMERAL_FORBIDDEN = ['ports', 'resources', 'resizePolicy', 'restartPolicy', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle'];

/** Go's zero-value test for validateFieldAllowList, with empty lists and maps counted as unset. */
function isZero(v: JsonValue | undefined): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isJsonObject(v)) return Object.values(v).every(isZero);
  return false;
}

function containersErrors(ctx: SpecContext): FieldError[] {
  const { spec, path, gracePeriod } = ctx;
  const errs: FieldError[] = [];
  const regular = containerList(spec, 'containers');
  const init = containerList(spec, 'initContainers');
  const ephemeral = containerList(spec, 'ephemeralContainers');

  const regularPath = child(path, 'containers');
  const names = new Set<string>();
  for (const [i, c] of regular) {
    const p = index(regularPath, i);
    errs.push(...containerCommonErrors(c, ctx, p));
    const name = str(c, 'name') ?? '';
    if (names.has(name)) errs.push(fieldErrors.duplicate(child(p, 'name'), name));
    else names.add(name);
    errs.push(...lifecycleAndProbeErrors(c, gracePeriod, p));
    if (has(c, 'restartPolicy')) errs.push(fieldErrors.forbidden(child(p, 'restartPolicy'), 'may not be set for non-init containers'));
  }
  errs.push(...hostPortConflictErrors(regular, regularPath));

  const initPath = child(path, 'initContainers');
  for (const [i, c] of init) {
    const p = index(initPath, i);
    errs.push(...containerCommonErrors(c, ctx, p));
    const restartPolicy = str(c, 'restartPolicy');
    if (restartPolicy !== undefined && restartPolicy !== 'Always') errs.push(fieldErrors.notSupported(child(p, 'restartPolicy'), restartPolicy, ['Always']));
    const name = str(c, 'name') ?? '';
    if (names.has(name)) errs.push(fieldErrors.duplicate(child(p, 'name'), name));
    else if (name !== '') names.add(name);
    // Init containers run one by one, so their host ports only have to be unique within each.
    errs.push(...hostPortConflictErrors([[i, c]], initPath));
    if (restartPolicy === 'Always') {
      errs.push(...lifecycleAndProbeErrors(c, gracePeriod, p));
    } else {
      for (const f of ['lifecycle', 'livenessProbe', 'readinessProbe', 'startupProbe']) {
        if (has(c, f)) errs.push(fieldErrors.forbidden(child(p, f), 'may not be set for init containers without restartPolicy=Always'));
      }
    }
    if (arr(c, 'resizePolicy').length > 0) errs.push(fieldErrors.invalid(child(p, 'resizePolicy'), c.resizePolicy, 'must not be set for init containers'));
  }

  if (ephemeral.length > 0) {
    const ephemeralPath = child(path, 'ephemeralContainers');
    const others = new Set([...regular, ...init].map(([, c]) => str(c, 'name') ?? ''));
    const all = new Set(others);
    for (const [i, c] of ephemeral) {
      const p = index(ephemeralPath, i);
      errs.push(...containerCommonErrors(c, ctx, p));
      errs.push(...imageWhitespaceErrors(c, p));
      const name = str(c, 'name') ?? '';
      if (all.has(name)) errs.push(fieldErrors.duplicate(child(p, 'name'), name));
      else all.add(name);
      const target = str(c, 'targetContainerName') ?? '';
      if (target !== '' && !others.has(target)) errs.push(fieldErrors.notFound(child(p, 'targetContainerName'), target));
      for (const f of EPHEMERAL_FORBIDDEN) if (!isZero(c[f])) errs.push(fieldErrors.forbidden(child(p, f), 'cannot be set for an Ephemeral Container'));
      for (const [j, m] of items(c, 'volumeMounts')) {
        const mp = index(child(p, 'volumeMounts'), j);
        if ((str(m, 'subPath') ?? '') !== '') errs.push(fieldErrors.forbidden(child(mp, 'subPath'), 'cannot be set for an Ephemeral Container'));
        if ((str(m, 'subPathExpr') ?? '') !== '') errs.push(fieldErrors.forbidden(child(mp, 'subPathExpr'), 'cannot be set for an Ephemeral Container'));
      }
    }
  }
  return errs;
}

/** validateContainerOnlyForPod: pods (not templates) may not have an image padded with whitespace. */
export function imageWhitespaceErrors(c: JsonObject, path: string): FieldError[] {
  const image = str(c, 'image') ?? '';
  return image.trim() !== image ? [fieldErrors.invalid(child(path, 'image'), image, 'must not have leading or trailing whitespace')] : [];
}

// ---- pod-wide rules ----

function volumesErrors(spec: JsonObject, path: string, volumes: Map<string, JsonObject>): FieldError[] {
  const errs: FieldError[] = [];
  for (const [i, v] of items(spec, 'volumes')) {
    const name = str(v, 'name') ?? '';
    if (name === '') continue;
    if (volumes.has(name)) errs.push(fieldErrors.duplicate(child(index(child(path, 'volumes'), i), 'name'), name));
    else volumes.set(name, v);
  }
  return errs;
}

function resourceClaimsErrors(spec: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  for (const [i, claim] of items(spec, 'resourceClaims')) {
    const p = index(child(path, 'resourceClaims'), i);
    const name = str(claim, 'name') ?? '';
    if (name === '') errs.push(fieldErrors.required(child(p, 'name')));
    else if (names.has(name)) errs.push(fieldErrors.duplicate(child(p, 'name'), name));
    else {
      errs.push(...invalidEach(child(p, 'name'), name, isDNS1123Label(name)));
      names.add(name);
    }
    const claimName = str(claim, 'resourceClaimName');
    const templateName = str(claim, 'resourceClaimTemplateName');
    if (claimName !== undefined && templateName !== undefined) {
      errs.push(fieldErrors.invalid(p, claim, 'at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified'));
    }
    if (claimName === undefined && templateName === undefined) errs.push(fieldErrors.invalid(p, claim, 'must specify one of: `resourceClaimName`, `resourceClaimTemplateName`'));
    if (claimName !== undefined) errs.push(...invalidEach(child(p, 'resourceClaimName'), claimName, nameIsDNSSubdomain(claimName, false)));
    if (templateName !== undefined) errs.push(...invalidEach(child(p, 'resourceClaimTemplateName'), templateName, nameIsDNSSubdomain(templateName, false)));
  }
  return errs;
}

function dnsConfigErrors(spec: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const p = child(path, 'dnsConfig');
  const config = obj(spec, 'dnsConfig');
  const nameservers = strings(config, 'nameservers');
  if (str(spec, 'dnsPolicy') === 'None') {
    if (!config) return [fieldErrors.required(p, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (nameservers.length === 0) return [fieldErrors.required(child(p, 'nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!config) return errs;
  if (nameservers.length > 3) errs.push(fieldErrors.invalid(child(p, 'nameservers'), config.nameservers, 'must not have more than 3 nameservers'));
  for (const [i, ns] of nameservers) errs.push(...invalidEach(index(child(p, 'nameservers'), i), ns, isValidIP(ns)));
  const searches = strings(config, 'searches');
  if (searches.length > 32) errs.push(fieldErrors.invalid(child(p, 'searches'), config.searches, 'must not have more than 32 search paths'));
  if (searches.map(([, s]) => s).join(' ').length > 2048) {
    errs.push(fieldErrors.invalid(child(p, 'searches'), config.searches, 'must not have more than 2048 characters (including spaces) in the search list'));
  }
  for (const [i, s] of searches) {
    const trimmed = s.endsWith('.') ? s.slice(0, -1) : s;
    errs.push(...invalidEach(index(child(p, 'searches'), i), trimmed, isDNS1123Subdomain(trimmed)));
  }
  for (const [i, o] of items(config, 'options')) {
    if ((str(o, 'name') ?? '') === '') errs.push(fieldErrors.required(index(child(p, 'options'), i), 'must not be empty'));
  }
  return errs;
}

/** utilsysctl.GetNamespace: which namespace a sysctl belongs to ('/' or '.' separated). */
function sysctlNamespace(name: string): 'net' | 'ipc' | undefined {
  const firstSep = name.search(/[./]/);
  const normalized = firstSep >= 0 && name[firstSep] === '/' ? name.replace(/[./]/g, (c) => (c === '/' ? '.' : '/')) : name;
  if (normalized === 'kernel.sem' || ['kernel.shm', 'kernel.msg', 'fs.mqueue.'].some((p) => normalized.startsWith(p))) return 'ipc';
  if (normalized.startsWith('net.')) return 'net';
  return undefined;
}

/** The PodSecurityContext rules that need PodSpec fields (hostPID, hostNetwork and hostIPC live in PodSpec in v1). */
function podSecurityContextErrors(spec: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const sc = obj(spec, 'securityContext');
  if (!sc) return errs;
  const scPath = child(path, 'securityContext');
  if (bool(spec, 'shareProcessNamespace') === true && bool(spec, 'hostPID') === true) {
    errs.push(fieldErrors.invalid(child(scPath, 'shareProcessNamespace'), true, 'ShareProcessNamespace and HostPID cannot both be enabled'));
  }
  for (const [i, s] of items(sc, 'sysctls')) {
    const name = str(s, 'name') ?? '';
    const ns = sysctlNamespace(name);
    const p = child(index(child(scPath, 'sysctls'), i), 'name');
    if (bool(spec, 'hostNetwork') === true && ns === 'net') errs.push(fieldErrors.invalid(p, name, "may not be specified when 'hostNetwork' is true"));
    else if (bool(spec, 'hostIPC') === true && ns === 'ipc') errs.push(fieldErrors.invalid(p, name, "may not be specified when 'hostIPC' is true"));
  }
  return errs;
}

/** podshelper.VisitContainersWithPath order: init, regular, ephemeral. */
function allContainers(spec: JsonObject, path: string): [JsonObject, string][] {
  return ['initContainers', 'containers', 'ephemeralContainers'].flatMap((f) => containerList(spec, f).map(([i, c]): [JsonObject, string] => [c, index(child(path, f), i)]));
}

function windowsHostProcessErrors(spec: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const podHostProcess = bool(obj(obj(spec, 'securityContext'), 'windowsOptions'), 'hostProcess');
  let count = 0;
  let hostProcessCount = 0;
  for (const [c, p] of allContainers(spec, path)) {
    count++;
    const hp = bool(obj(obj(c, 'securityContext'), 'windowsOptions'), 'hostProcess');
    if (podHostProcess !== undefined && hp !== undefined && podHostProcess !== hp) {
      errs.push(fieldErrors.invalid(child(p, 'securityContext.windowsOptions.hostProcess'), hp, `pod hostProcess value must be identical if both are specified, was ${podHostProcess}`));
    }
    if (hp === true || (hp === undefined && podHostProcess === true)) hostProcessCount++;
  }
  if (hostProcessCount > 0) {
    if (hostProcessCount !== count) errs.push(fieldErrors.invalid(path, '', 'If pod contains any hostProcess containers then all containers must be HostProcess containers'));
    if (bool(spec, 'hostNetwork') !== true) errs.push(fieldErrors.invalid(child(path, 'hostNetwork'), false, 'hostNetwork must be true if pod contains any hostProcess containers'));
  }
  return errs;
}

function osErrors(spec: JsonObject, path: string): FieldError[] {
  const os = obj(spec, 'os');
  if (!os) return [];
  const osPath = child(path, 'os');
  const name = str(os, 'name') ?? '';
  if (name === '') return [fieldErrors.required(child(osPath, 'name'), 'cannot be empty')];
  if (name !== 'linux' && name !== 'windows') return [fieldErrors.notSupported(osPath, name, ['linux', 'windows'])];
  const errs: FieldError[] = [];
  const sc = obj(spec, 'securityContext');
  const scPath = child(path, 'securityContext');
  if (name === 'linux') {
    if (obj(sc, 'windowsOptions')) errs.push(fieldErrors.forbidden(child(scPath, 'windowsOptions'), 'windows options cannot be set for a linux pod'));
    for (const [c, p] of allContainers(spec, path)) {
      if (obj(obj(c, 'securityContext'), 'windowsOptions')) {
        errs.push(fieldErrors.forbidden(child(child(p, 'securityContext'), 'windowsOptions'), 'windows options cannot be set for a linux pod'));
      }
    }
    return errs;
  }
  const forbid = (p: string): void => {
    errs.push(fieldErrors.forbidden(p, 'cannot be set for a windows pod'));
  };
  if (sc) {
    for (const f of ['appArmorProfile', 'seLinuxOptions']) if (has(sc, f)) forbid(child(scPath, f));
  }
  if (has(spec, 'hostUsers')) forbid(child(path, 'hostUsers'));
  if (bool(spec, 'hostPID') === true) forbid(child(path, 'hostPID'));
  if (bool(spec, 'hostIPC') === true) forbid(child(path, 'hostIPC'));
  if (sc) {
    if (has(sc, 'seccompProfile')) forbid(child(scPath, 'seccompProfile'));
    if (has(sc, 'fsGroup')) forbid(child(scPath, 'fsGroup'));
    if (has(sc, 'fsGroupChangePolicy')) forbid(child(scPath, 'fsGroupChangePolicy'));
    if (arr(sc, 'sysctls').length > 0) forbid(child(scPath, 'sysctls'));
  }
  if (has(spec, 'shareProcessNamespace')) forbid(child(path, 'shareProcessNamespace'));
  if (sc) {
    for (const f of ['runAsUser', 'runAsGroup', 'supplementalGroups', 'supplementalGroupsPolicy', 'seLinuxChangePolicy']) if (has(sc, f)) forbid(child(scPath, f));
  }
  for (const [c, p] of allContainers(spec, path)) {
    const csc = obj(c, 'securityContext');
    if (!csc) continue;
    const cp = child(p, 'securityContext');
    for (const f of ['appArmorProfile', 'seLinuxOptions', 'seccompProfile', 'capabilities', 'readOnlyRootFilesystem', 'privileged', 'allowPrivilegeEscalation', 'procMount', 'runAsUser', 'runAsGroup']) {
      if (has(csc, f)) forbid(child(cp, f));
    }
  }
  return errs;
}

function nameField(spec: JsonObject, field: string, path: string, check: (v: string) => string[], emptyToo = false): FieldError[] {
  const v = str(spec, field);
  if (v === undefined || (v === '' && !emptyToo)) return [];
  return invalidEach(child(path, field), v, check(v));
}

/** ValidatePodSpec (the keyword-checked fields and the per-component rules aside). */
export const validatePodSpec: Validator = (spec, path) => {
  const errs: FieldError[] = [];
  const gracePeriod = num(spec, 'terminationGracePeriodSeconds');
  if (gracePeriod === undefined) errs.push(fieldErrors.required(child(path, 'terminationGracePeriodSeconds')));
  const volumes = new Map<string, JsonObject>();
  errs.push(...volumesErrors(spec, path, volumes));
  errs.push(...resourceClaimsErrors(spec, path));
  const ctx: SpecContext = {
    spec,
    path,
    volumes,
    claimNames: new Set(items(spec, 'resourceClaims').map(([, c]) => str(c, 'name') ?? '').filter((n) => n !== '')),
    gracePeriod,
    hostUsers: bool(spec, 'hostUsers') !== false,
  };
  errs.push(...containersErrors(ctx));

  // With hostNetwork a template may leave hostPort unset (it is defaulted in the pod), but not set it differently.
  if (bool(spec, 'hostNetwork') === true) {
    for (const [i, c] of containerList(spec, 'containers')) {
      for (const [j, port] of items(c, 'ports')) {
        const hp = num(port, 'hostPort') ?? 0;
        const cp = num(port, 'containerPort') ?? 0;
        if (hp !== 0 && hp !== cp) {
          errs.push(fieldErrors.invalid(child(index(child(index(child(path, 'containers'), i), 'ports'), j), 'hostPort'), hp, 'must match `containerPort` when `hostNetwork` is true'));
        }
      }
    }
  }
  errs.push(...labelsErrors(spec, 'nodeSelector', child(path, 'nodeSelector')));
  errs.push(...podSecurityContextErrors(spec, path));
  errs.push(...dnsConfigErrors(spec, path));

  const gates = new Set<string>();
  for (const [i, g] of items(spec, 'schedulingGates')) {
    const name = str(g, 'name') ?? '';
    const p = index(child(path, 'schedulingGates'), i);
    errs.push(...invalidEach(p, name, isQualifiedName(name)));
    if (gates.has(name)) errs.push(fieldErrors.duplicate(p, name));
    gates.add(name);
  }
  const constraints = items(spec, 'topologySpreadConstraints');
  constraints.forEach(([i, c], n) => {
    const k = str(c, 'topologyKey') ?? '';
    const action = str(c, 'whenUnsatisfiable') ?? '';
    if (constraints.slice(n + 1).some(([, o]) => (str(o, 'topologyKey') ?? '') === k && (str(o, 'whenUnsatisfiable') ?? '') === action)) {
      errs.push(fieldErrors.duplicate(child(index(child(path, 'topologySpreadConstraints'), i), '{topologyKey, whenUnsatisfiable}'), `{${k}, ${action}}`));
    }
  });
  errs.push(...windowsHostProcessErrors(spec, path));
  if (bool(spec, 'hostUsers') === false) {
    const msg = 'when `pod.Spec.HostUsers` is false';
    if (bool(spec, 'hostNetwork') === true) errs.push(fieldErrors.forbidden(child(path, 'hostNetwork'), msg));
    if (bool(spec, 'hostPID') === true) errs.push(fieldErrors.forbidden(child(path, 'HostPID'), msg));
    if (bool(spec, 'hostIPC') === true) errs.push(fieldErrors.forbidden(child(path, 'HostIPC'), msg));
  }
  errs.push(...nameField(spec, 'serviceAccountName', path, (v) => nameIsDNSSubdomain(v, false)));
  errs.push(...nameField(spec, 'nodeName', path, (v) => nameIsDNSSubdomain(v, false)));
  const deadline = num(spec, 'activeDeadlineSeconds');
  if (deadline !== undefined && (deadline < 1 || deadline > MAX_INT32)) {
    errs.push(fieldErrors.invalid(child(path, 'activeDeadlineSeconds'), deadline, inclusiveRangeError(1, MAX_INT32)));
  }
  errs.push(...nameField(spec, 'hostname', path, isDNS1123Label));
  errs.push(...nameField(spec, 'subdomain', path, isDNS1123Label));
  errs.push(...nameField(spec, 'priorityClassName', path, (v) => nameIsDNSSubdomain(v, false)));
  errs.push(...nameField(spec, 'runtimeClassName', path, (v) => nameIsDNSSubdomain(v, false), true));
  const overhead = obj(spec, 'overhead');
  if (overhead) errs.push(...resourceRequirementsErrors({ limits: overhead }, child(path, 'overhead')));
  errs.push(...osErrors(spec, path));
  return errs;
};
