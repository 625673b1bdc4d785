// Rules for a whole Pod (ValidatePodCreate, ValidatePodUpdate, ValidatePodStatusUpdate), a PodTemplateSpec and a
// Binding. PodSpec rules shared with templates are in pod-validation-spec.ts.
import { cloneJson, isJsonObject, jsonEqual, type JsonObject, type JsonValue } from '../../json.js';
import type { ValidationContext, Validator } from '../../schema/module.js';
import { child, fieldErrors, index, key, type FieldError } from '../../validation/field-error.js';
import { inclusiveRangeError, isQualifiedName, isValidIP, nameIsDNSSubdomain } from '../../validation/names.js';
import { arr, has, items, num, obj, str, stringMap } from './pod-access.js';
import { ipFamily } from './pod-formats.js';
import { invalidEach, localDescendingPathErrors, MAX_INT32, quantityOf } from './pod-validation-common.js';
import { imageWhitespaceErrors } from './pod-validation-spec.js';

const MIRROR_POD_ANNOTATION = 'kubernetes.io/config.mirror';
const DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';
const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';
const APPARMOR_CONTAINER_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

/** GetDeletionCostFromPodAnnotations: a decimal int32 without '+' or leading zeros. */
function validDeletionCost(v: string): boolean {
  if (!/^-?\d+$/.test(v)) return false;
  if (!(v[0] === '-' || v === '0' || (v[0]! >= '1' && v[0]! <= '9'))) return false;
  const n = Number(v);
  return n >= -2147483648 && n <= MAX_INT32;
}

function seccompAnnotationErrors(profile: string, path: string): FieldError[] {
  if (profile === 'runtime/default' || profile === 'docker/default' || profile === 'unconfined') return [];
  if (profile.startsWith('localhost/')) return localDescendingPathErrors(profile.slice('localhost/'.length), path);
  return [fieldErrors.invalid(path, profile, 'must be a valid seccomp profile')];
}

function containerNames(spec: JsonObject): Set<string> {
  return new Set(['initContainers', 'containers', 'ephemeralContainers'].flatMap((f) => items(spec, f).map(([, c]) => str(c, 'name') ?? '')));
}

/** ValidatePodSpecificAnnotations: mirror pods, deletion cost, and the deprecated seccomp and AppArmor annotations. */
export function podSpecificAnnotationErrors(meta: JsonObject | undefined, spec: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const annotations = stringMap(meta, 'annotations');
  const names = containerNames(spec);
  for (const [k, v] of annotations) {
    if (k === MIRROR_POD_ANNOTATION && (str(spec, 'nodeName') ?? '') === '') {
      errs.push(fieldErrors.invalid(key(path, k), v, 'must set spec.nodeName if mirror pod annotation is set'));
    }
    if (k === DELETION_COST_ANNOTATION && !validDeletionCost(v)) errs.push(fieldErrors.invalid(key(path, k), v, 'must be a 32bit integer'));
    // Kubernetes builds these paths with Child, not Key.
    if (k === SECCOMP_POD_ANNOTATION || k.startsWith(SECCOMP_CONTAINER_PREFIX)) errs.push(...seccompAnnotationErrors(v, child(path, k)));
    if (k.startsWith(APPARMOR_CONTAINER_PREFIX)) {
      const container = k.slice(APPARMOR_CONTAINER_PREFIX.length);
      if (!names.has(container)) errs.push(fieldErrors.invalid(key(path, k), container, 'container not found'));
      if (v !== '' && v !== 'runtime/default' && v !== 'unconfined' && !v.startsWith('localhost/')) {
        errs.push(fieldErrors.invalid(key(path, k), v, `invalid AppArmor profile name: ${JSON.stringify(v)}`));
      }
    }
  }
  return errs;
}

function annotationUpdateErrors(meta: JsonObject | undefined, oldMeta: JsonObject | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const now = new Map(stringMap(meta, 'annotations'));
  const before = new Map(stringMap(oldMeta, 'annotations'));
  for (const [k, v] of before) {
    if (now.get(k) === v) continue;
    if (k.startsWith(APPARMOR_CONTAINER_PREFIX)) errs.push(fieldErrors.forbidden(key(path, k), 'may not remove or update AppArmor annotations'));
    if (k === MIRROR_POD_ANNOTATION) errs.push(fieldErrors.forbidden(key(path, k), 'may not remove or update mirror pod annotation'));
  }
  for (const k of now.keys()) {
    if (before.has(k)) continue;
    if (k.startsWith(APPARMOR_CONTAINER_PREFIX)) errs.push(fieldErrors.forbidden(key(path, k), 'may not add AppArmor annotations'));
    if (k === MIRROR_POD_ANNOTATION) errs.push(fieldErrors.forbidden(key(path, k), 'may not add mirror pod annotation'));
  }
  return errs;
}

/** The parts of validatePodMetadataAndSpec and ValidatePodCreate that only apply to pods, not templates. */
function podOnlyErrors(pod: JsonObject, spec: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const specPath = child(path, 'spec');
  const volumesPath = child(specPath, 'volumes');
  if ((str(spec, 'serviceAccountName') ?? '') === '') {
    for (const [i, v] of items(spec, 'volumes')) {
      for (const [j, source] of items(obj(v, 'projected'), 'sources')) {
        if (has(source, 'serviceAccountToken')) {
          const p = child(index(child(child(index(volumesPath, i), 'projected'), 'sources'), j), 'serviceAccountToken');
          errs.push(fieldErrors.forbidden(p, 'must not be specified when serviceAccountName is not set'));
        }
      }
    }
  }
  for (const f of ['containers', 'initContainers']) {
    for (const [i, c] of items(spec, f)) errs.push(...imageWhitespaceErrors(c, index(child(specPath, f), i)));
  }
  // Generic ephemeral volumes get a PVC named <pod>-<volume>, which must be a valid name and not be used directly.
  const podName = str(obj(pod, 'metadata'), 'name') ?? '';
  if (podName !== '') {
    const created = new Set<string>();
    for (const [, v] of items(spec, 'volumes')) if (has(v, 'ephemeral')) created.add(`${podName}-${str(v, 'name') ?? ''}`);
    for (const [i, v] of items(spec, 'volumes')) {
      const volName = str(v, 'name') ?? '';
      if (has(v, 'ephemeral') && volName !== '') {
        const pvcName = `${podName}-${volName}`;
        for (const msg of nameIsDNSSubdomain(pvcName, false)) {
          errs.push(fieldErrors.invalid(child(index(volumesPath, i), 'name'), volName, `PVC name ${JSON.stringify(pvcName)}: ${msg}`));
        }
      }
      const claimName = str(obj(v, 'persistentVolumeClaim'), 'claimName');
      if (claimName !== undefined && created.has(claimName)) {
        errs.push(
          fieldErrors.invalid(child(child(index(volumesPath, i), 'persistentVolumeClaim'), 'claimName'), claimName, 'must not reference a PVC that gets created for an ephemeral volume'),
        );
      }
    }
  }
  // In a pod (unlike a template) an unset host port under hostNetwork is an error too; defaulting normally sets it.
  if (spec.hostNetwork === true) {
    for (const [i, c] of items(spec, 'containers')) {
      for (const [j, port] of items(c, 'ports')) {
        const hp = num(port, 'hostPort') ?? 0;
        if (hp === 0 && hp !== (num(port, 'containerPort') ?? 0)) {
          errs.push(fieldErrors.invalid(child(index(child(index(child(specPath, 'containers'), i), 'ports'), j), 'hostPort'), hp, 'must match `containerPort` when `hostNetwork` is true'));
        }
      }
    }
  }
  return errs;
}

const UPDATABLE_POD_SPEC_FIELDS = [
  '`spec.containers[*].image`',
  '`spec.initContainers[*].image`',
  '`spec.activeDeadlineSeconds`',
  '`spec.tolerations` (only additions to existing tolerations)',
  '`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
];

/** Semantic equality as apiequality.Semantic sees it: empty lists equal absent ones, quantities compare by value. */
function normalize(v: JsonValue, parentKey = ''): JsonValue | undefined {
  if (v === null) return undefined;
  if (Array.isArray(v)) {
    if (v.length === 0) return undefined;
    return v.map((x) => normalize(x) ?? null);
  }
  if (isJsonObject(v)) {
    const out: JsonObject = {};
    const quantities = parentKey === 'limits' || parentKey === 'requests' || parentKey === 'overhead';
    for (const [k, x] of Object.entries(v)) {
      const q = quantities ? quantityOf(x) : undefined;
      const n = q ? q.scaledValue(-9).toString() : normalize(x, k);
      if (n !== undefined) out[k] = n;
    }
    return out;
  }
  return v;
}

/** Plain equality first: an update that leaves the spec alone (the usual one) costs no normalized copies. */
const semanticEqual = (a: JsonValue | undefined, b: JsonValue | undefined): boolean =>
  jsonEqual(a, b) || jsonEqual(a === undefined ? undefined : normalize(a), b === undefined ? undefined : normalize(b));

/** A readable account of what changed, standing in for Go's cmp.Diff of the two specs. */
function specDiff(before: JsonValue | undefined, after: JsonValue | undefined, path = ''): string[] {
  if (semanticEqual(before, after)) return [];
  if (isJsonObject(before) && isJsonObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => specDiff(before[k], after[k], path === '' ? k : `${path}.${k}`));
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    return before.flatMap((x, i) => specDiff(x, after[i], `${path}[${i}]`));
  }
  const lines: string[] = [];
  if (before !== undefined && before !== null) lines.push(`- \t${path}: ${JSON.stringify(before)},`);
  if (after !== undefined && after !== null) lines.push(`+ \t${path}: ${JSON.stringify(after)},`);
  return lines;
}

function tolerationMatches(a: JsonObject, b: JsonObject): boolean {
  return ['key', 'operator', 'value', 'effect'].every((k) => (str(a, k) ?? '') === (str(b, k) ?? ''));
}

function nodeSelectorTermOnlyAdds(now: JsonObject | undefined, before: JsonObject | undefined): boolean {
  const oldExprs = arr(before, 'matchExpressions');
  const oldFields = arr(before, 'matchFields');
  const newExprs = arr(now, 'matchExpressions');
  const newFields = arr(now, 'matchFields');
  if (oldExprs.length === 0 && oldFields.length === 0 && (newExprs.length > 0 || newFields.length > 0)) return false;
  if (oldExprs.length > 0 && (newExprs.length < oldExprs.length || !semanticEqual(newExprs.slice(0, oldExprs.length), oldExprs))) return false;
  if (oldFields.length > 0 && (newFields.length < oldFields.length || !semanticEqual(newFields.slice(0, oldFields.length), oldFields))) return false;
  return true;
}

/** Scheduling-gated pods may gain node selectors and node affinity requirements (PodSchedulingReadiness). */
function gatedPodMutationErrors(munged: JsonObject, old: JsonObject, specPath: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!semanticEqual(munged.nodeSelector, old.nodeSelector)) {
    const now = obj(munged, 'nodeSelector') ?? {};
    for (const [k, v] of stringMap(old, 'nodeSelector')) {
      if (now[k] !== v) {
        errs.push(fieldErrors.invalid(child(specPath, 'nodeSelector'), munged.nodeSelector ?? null, 'only additions to spec.nodeSelector are allowed (no mutations or deletions)'));
        break;
      }
    }
    if (old.nodeSelector === undefined) delete munged.nodeSelector;
    else munged.nodeSelector = cloneJson(old.nodeSelector);
  }
  const oldAffinity = obj(old, 'affinity');
  const oldNA = obj(oldAffinity, 'nodeAffinity');
  const mungedAffinity = obj(munged, 'affinity');
  const mungedNA = obj(mungedAffinity, 'nodeAffinity');
  if (!semanticEqual(oldNA, mungedNA)) {
    const termsPath = child(child(child(child(specPath, 'affinity'), 'nodeAffinity'), 'requiredDuringSchedulingIgnoredDuringExecution'), 'nodeSelectorTerms');
    const oldTerms = items(obj(oldNA, 'requiredDuringSchedulingIgnoredDuringExecution'), 'nodeSelectorTerms');
    const newTermsValue = obj(mungedNA, 'requiredDuringSchedulingIgnoredDuringExecution')?.nodeSelectorTerms;
    const newTerms = items(obj(mungedNA, 'requiredDuringSchedulingIgnoredDuringExecution'), 'nodeSelectorTerms');
    if (oldNA && obj(oldNA, 'requiredDuringSchedulingIgnoredDuringExecution')) {
      if (oldTerms.length > 0 && oldTerms.length !== newTerms.length) {
        errs.push(fieldErrors.invalid(termsPath, newTermsValue ?? null, 'no additions/deletions to non-empty NodeSelectorTerms list are allowed'));
      } else {
        oldTerms.forEach(([i, t], n) => {
          if (!nodeSelectorTermOnlyAdds(newTerms[n]?.[1], t)) errs.push(fieldErrors.invalid(index(termsPath, i), newTerms[n]?.[1] ?? null, 'only additions are allowed (no mutations or deletions)'));
        });
      }
    }
    if (!mungedAffinity && oldNA) munged.affinity = { nodeAffinity: cloneJson(oldNA) };
    else if (mungedAffinity && !oldAffinity && !has(mungedAffinity, 'podAffinity') && !has(mungedAffinity, 'podAntiAffinity')) delete munged.affinity;
    else if (mungedAffinity) {
      if (oldNA) mungedAffinity.nodeAffinity = cloneJson(oldNA);
      else delete mungedAffinity.nodeAffinity;
    }
  }
  return errs;
}

/** ValidatePodUpdate: only images, activeDeadlineSeconds, added tolerations and removed scheduling gates may change. */
function podSpecUpdateErrors(spec: JsonObject, old: JsonObject, specPath: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ['containers', 'initContainers']) {
    if (arr(spec, f).length !== arr(old, f).length) return [fieldErrors.forbidden(child(specPath, f), 'pod updates may not add or remove containers')];
  }
  const deadlinePath = child(specPath, 'activeDeadlineSeconds');
  const deadline = num(spec, 'activeDeadlineSeconds');
  const oldDeadline = num(old, 'activeDeadlineSeconds');
  if (deadline !== undefined) {
    if (deadline < 0 || deadline > MAX_INT32) return [...errs, fieldErrors.invalid(deadlinePath, deadline, inclusiveRangeError(0, MAX_INT32))];
    if (oldDeadline !== undefined && oldDeadline < deadline) return [...errs, fieldErrors.invalid(deadlinePath, deadline, 'must be less than or equal to previous value')];
  } else if (oldDeadline !== undefined) {
    errs.push(fieldErrors.invalid(deadlinePath, null, 'must not update from a positive integer to nil value'));
  }
  const newTolerations = items(spec, 'tolerations').map(([, t]) => t);
  for (const [, t] of items(old, 'tolerations')) {
    if (!newTolerations.some((n) => tolerationMatches(t, n))) {
      errs.push(fieldErrors.forbidden(child(specPath, 'tolerations'), 'existing toleration can not be modified except its tolerationSeconds'));
      break;
    }
  }
  const oldGates = new Set(items(old, 'schedulingGates').map(([, g]) => str(g, 'name') ?? ''));
  for (const [i, g] of items(spec, 'schedulingGates')) {
    const name = str(g, 'name') ?? '';
    if (!oldGates.has(name)) {
      errs.push(fieldErrors.forbidden(child(index(child(specPath, 'schedulingGates'), i), 'name'), `only deletion is allowed, but found new scheduling gate '${name}'`));
    }
  }
  if (semanticEqual(spec, old)) return errs;

  const munged = cloneJson(spec);
  for (const f of ['containers', 'initContainers']) {
    const before = arr(old, f);
    arr(munged, f).forEach((c, i) => {
      const o = before[i];
      if (isJsonObject(c) && isJsonObject(o)) {
        if (o.image === undefined) delete c.image;
        else c.image = o.image;
      }
    });
  }
  for (const f of ['activeDeadlineSeconds', 'schedulingGates', 'tolerations']) {
    if (old[f] === undefined) delete munged[f];
    else munged[f] = cloneJson(old[f]!);
  }
  const oldGrace = num(old, 'terminationGracePeriodSeconds');
  if (oldGrace !== undefined && oldGrace < 0 && num(munged, 'terminationGracePeriodSeconds') === 1) munged.terminationGracePeriodSeconds = oldGrace;
  if (oldGates.size > 0) errs.push(...gatedPodMutationErrors(munged, old, specPath));
  if (!semanticEqual(munged, old)) {
    const diff = ['  core.PodSpec{', ...specDiff(old, munged), '  }'].join('\n');
    errs.push(fieldErrors.forbidden(specPath, `pod updates may not change fields other than ${UPDATABLE_POD_SPEC_FIELDS.join(',')}\n${diff}`));
  }
  return errs;
}

/** ValidateContainerStateTransition: containers that may not restart may not leave the terminated state. */
function stateTransitionErrors(now: JsonValue[], before: JsonValue[], path: string, restartPolicy: string, restartable: Set<string>): FieldError[] {
  const errs: FieldError[] = [];
  if (restartPolicy === 'Always') return errs;
  before.forEach((o, i) => {
    if (!isJsonObject(o)) return;
    const terminated = obj(obj(o, 'state'), 'terminated');
    if (!terminated) return;
    if ((num(terminated, 'exitCode') ?? 0) !== 0 && restartPolicy === 'OnFailure') return;
    const name = str(o, 'name') ?? '';
    if (restartable.has(name)) return;
    for (const n of now) {
      if (isJsonObject(n) && (str(n, 'name') ?? '') === name && !obj(obj(n, 'state'), 'terminated')) {
        errs.push(fieldErrors.forbidden(child(index(path, i), 'state'), 'may not be transitioned to non-terminated state'));
      }
    }
  });
  return errs;
}

function ipListErrors(list: [number, JsonObject][], raw: JsonValue | undefined, path: string, duplicatesFirst: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const ips = list.map(([, o]) => str(o, 'ip') ?? '');
  list.forEach(([i], n) => errs.push(...invalidEach(index(path, i), ips[n]!, isValidIP(ips[n]!))));
  if (list.length <= 1) return errs;
  const dupErrs: FieldError[] = [];
  const seen = new Set<string>();
  list.forEach(([i, o], n) => {
    if (seen.has(ips[n]!)) dupErrs.push(fieldErrors.duplicate(index(path, i), o));
    seen.add(ips[n]!);
  });
  const families = ips.map(ipFamily);
  const familyErrs: FieldError[] = [];
  if (families.every((f) => f !== undefined)) {
    const dualStack = families.includes(4) && families.includes(6);
    if (!dualStack || ips.length > 2) familyErrs.push(fieldErrors.invalid(path, raw ?? null, 'may specify no more than one IP for each IP family'));
  }
  return [...errs, ...(duplicatesFirst ? [...dupErrs, ...familyErrs] : [...familyErrs, ...dupErrs])];
}

/** ValidatePodStatusUpdate, applied when an update changes the status (through the status subresource). */
function podStatusUpdateErrors(pod: JsonObject, old: JsonObject, path: string): FieldError[] {
  const status = obj(pod, 'status') ?? {};
  const oldStatus = obj(old, 'status') ?? {};
  if (semanticEqual(status, oldStatus)) return [];
  const errs: FieldError[] = [];
  const statusPath = child(path, 'status');
  const system = new Set(['PodScheduled', 'Ready', 'Initialized']);
  for (const [i, c] of items(status, 'conditions')) {
    const type = str(c, 'type') ?? '';
    // Kubernetes reports condition types under metadata.conditions[i].Type.
    if (!system.has(type)) errs.push(...invalidEach(child(index(child(child(path, 'metadata'), 'conditions'), i), 'Type'), type, isQualifiedName(type)));
  }
  const nominated = str(status, 'nominatedNodeName') ?? '';
  if (nominated !== (str(oldStatus, 'nominatedNodeName') ?? '') && nominated !== '') {
    errs.push(...invalidEach(child(statusPath, 'nominatedNodeName'), nominated, nameIsDNSSubdomain(nominated, false)));
  }
  const qos = str(status, 'qosClass') ?? '';
  if (qos !== (str(oldStatus, 'qosClass') ?? '')) errs.push(fieldErrors.invalid(child(statusPath, 'qosClass'), qos, 'field is immutable'));
  const oldSpec = obj(old, 'spec') ?? {};
  const restartPolicy = str(oldSpec, 'restartPolicy') ?? '';
  const sidecars = new Set(items(oldSpec, 'initContainers').filter(([, c]) => str(c, 'restartPolicy') === 'Always').map(([, c]) => str(c, 'name') ?? ''));
  errs.push(...stateTransitionErrors(arr(status, 'containerStatuses'), arr(oldStatus, 'containerStatuses'), child(statusPath, 'containerStatuses'), restartPolicy, new Set()));
  errs.push(...stateTransitionErrors(arr(status, 'initContainerStatuses'), arr(oldStatus, 'initContainerStatuses'), child(statusPath, 'initContainerStatuses'), restartPolicy, sidecars));
  errs.push(...stateTransitionErrors(arr(status, 'ephemeralContainerStatuses'), arr(oldStatus, 'ephemeralContainerStatuses'), child(statusPath, 'ephemeralContainerStatuses'), 'Never', new Set()));
  const claims = new Set(items(obj(pod, 'spec'), 'resourceClaims').map(([, c]) => str(c, 'name') ?? ''));
  const seenClaims = new Set<string>();
  for (const [i, s] of items(status, 'resourceClaimStatuses')) {
    const p = child(index(child(statusPath, 'resourceClaimStatuses'), i), 'name');
    const name = str(s, 'name') ?? '';
    if (!claims.has(name)) errs.push(fieldErrors.invalid(p, name, 'must match the name of an entry in `spec.resourceClaims`'));
    if (seenClaims.has(name)) errs.push(fieldErrors.duplicate(p, name));
    seenClaims.add(name);
    const claimName = str(s, 'resourceClaimName');
    if (claimName !== undefined) errs.push(...invalidEach(p, claimName, nameIsDNSSubdomain(claimName, false)));
  }
  errs.push(...ipListErrors(items(status, 'podIPs'), status.podIPs, child(statusPath, 'podIPs'), false));
  const hostIPs = items(status, 'hostIPs');
  if (hostIPs.length > 0) {
    const first = str(hostIPs[0]![1], 'ip') ?? '';
    if ((str(status, 'hostIP') ?? '') !== first) errs.push(fieldErrors.invalid(child(index(child(statusPath, 'hostIPs'), 0), 'ip'), first, 'must be equal to `hostIP`'));
    errs.push(...ipListErrors(hostIPs, status.hostIPs, child(statusPath, 'hostIPs'), true));
  }
  return errs;
}

/** Pod: pod-only create rules, and on update the immutability of the spec and the status transition rules. */
export const validatePod: Validator = (pod, path, ctx: ValidationContext) => {
  const spec = obj(pod, 'spec') ?? {};
  const meta = obj(pod, 'metadata');
  const specPath = child(path, 'spec');
  const annotationsPath = child(child(path, 'metadata'), 'annotations');
  const errs = [...podSpecificAnnotationErrors(meta, spec, annotationsPath), ...podOnlyErrors(pod, spec, path)];
  if (ctx.operation === 'create') {
    if (arr(spec, 'ephemeralContainers').length > 0) errs.push(fieldErrors.forbidden(child(specPath, 'ephemeralContainers'), 'cannot be set on create'));
    if ((str(spec, 'nodeName') ?? '') !== '' && arr(spec, 'schedulingGates').length > 0) {
      errs.push(fieldErrors.forbidden(child(specPath, 'nodeName'), 'cannot be set until all schedulingGates have been cleared'));
    }
    return errs;
  }
  if (!isJsonObject(ctx.old)) return errs;
  errs.push(...annotationUpdateErrors(meta, obj(ctx.old, 'metadata'), annotationsPath));
  errs.push(...podSpecUpdateErrors(spec, obj(ctx.old, 'spec') ?? {}, specPath));
  errs.push(...podStatusUpdateErrors(pod, ctx.old, path));
  return errs;
};

/** ValidatePodTemplateSpec: annotations as for pods (under `<template>.annotations`), no ephemeral containers. */
export const validatePodTemplateSpec: Validator = (template, path) => {
  const spec = obj(template, 'spec') ?? {};
  const errs = podSpecificAnnotationErrors(obj(template, 'metadata'), spec, child(path, 'annotations'));
  if (arr(spec, 'ephemeralContainers').length > 0) {
    errs.push(fieldErrors.forbidden(child(child(path, 'spec'), 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  }
  return errs;
};

/** ValidatePodBinding: the target is a node, by name. */
export const validateBinding: Validator = (binding, path) => {
  const errs: FieldError[] = [];
  const target = obj(binding, 'target');
  const targetPath = child(path, 'target');
  const kind = str(target, 'kind') ?? '';
  if (kind !== '' && kind !== 'Node') errs.push(fieldErrors.notSupported(child(targetPath, 'kind'), kind, ['Node', '<empty>']));
  if ((str(target, 'name') ?? '') === '') errs.push(fieldErrors.required(child(targetPath, 'name')));
  return errs;
};
