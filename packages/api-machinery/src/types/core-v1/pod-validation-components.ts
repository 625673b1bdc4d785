// Validation hooks of the pod building blocks whose rules need no other part of the pod: ports, environment,
// resources, security contexts, affinity terms, tolerations and spread constraints.
import type { JsonObject } from '../../json.js';
import type { Validator } from '../../schema/module.js';
import { child, fieldErrors, index, type FieldError } from '../../validation/field-error.js';
import { isDNS1123Label, isDNS1123Subdomain, isEnvVarName, isQualifiedName, isValidIP, isValidLabelValue, isValidPortName, isValidPortNum, nameIsDNSSubdomain } from '../../validation/names.js';
import { arr, bool, items, num, obj, str, strings } from './pod-access.js';
import { uidGidErrors } from './pod-formats.js';
import {
  ENV_FIELD_PATHS,
  IS_NOT_POSITIVE_ERROR_MSG,
  invalidEach,
  keySelectorErrors,
  labelNameErrors,
  listPath,
  localDescendingPathErrors,
  objectFieldSelectorErrors,
  resourceFieldSelectorErrors,
  resourceRequirementsErrors,
} from './pod-validation-common.js';
import { coreV1 } from './pod-schemas.js';

/** validateContainerPorts: names are IANA service names unique in the container, port numbers 1-65535. */
const validateContainer: Validator = (c, path) => {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  for (const [i, port] of items(c, 'ports')) {
    const p = index(child(path, 'ports'), i);
    const name = str(port, 'name') ?? '';
    if (name !== '') {
      const msgs = isValidPortName(name);
      if (msgs.length > 0) errs.push(...invalidEach(child(p, 'name'), name, msgs));
      else if (names.has(name)) errs.push(fieldErrors.duplicate(child(p, 'name'), name));
      else names.add(name);
    }
    const containerPort = num(port, 'containerPort') ?? 0;
    if (containerPort === 0) errs.push(fieldErrors.required(child(p, 'containerPort')));
    else errs.push(...isValidPortNum(containerPort).map((m) => fieldErrors.invalid(child(p, 'containerPort'), containerPort, m)));
    const hostPort = num(port, 'hostPort') ?? 0;
    if (hostPort !== 0) errs.push(...isValidPortNum(hostPort).map((m) => fieldErrors.invalid(child(p, 'hostPort'), hostPort, m)));
  }
  return errs;
};

/** validateEnvVarValueFrom: exactly one source, and no literal value beside it. */
const validateEnvVar: Validator = (ev, path) => {
  const from = obj(ev, 'valueFrom');
  if (!from) return [];
  const p = child(path, 'valueFrom');
  const errs: FieldError[] = [];
  let n = 0;
  const fieldRef = obj(from, 'fieldRef');
  if (fieldRef) {
    n++;
    errs.push(...objectFieldSelectorErrors(fieldRef, ENV_FIELD_PATHS, child(p, 'fieldRef')));
  }
  const resourceFieldRef = obj(from, 'resourceFieldRef');
  if (resourceFieldRef) {
    n++;
    errs.push(...resourceFieldSelectorErrors(resourceFieldRef, child(p, 'resourceFieldRef'), false));
  }
  if (obj(from, 'configMapKeyRef')) n++;
  if (obj(from, 'secretKeyRef')) n++;
  if (n === 0) errs.push(fieldErrors.invalid(p, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
  else if ((str(ev, 'value') ?? '') !== '') errs.push(fieldErrors.invalid(p, '', 'may not be specified when `value` is not empty'));
  else if (n > 1) errs.push(fieldErrors.invalid(p, '', 'may not have more than one field specified at a time'));
  return errs;
};

/** ValidateEnvFrom; the source-count errors are reported at the envFrom list itself, as Kubernetes does. */
const validateEnvFrom: Validator = (ef, path) => {
  const errs: FieldError[] = [];
  const prefix = str(ef, 'prefix') ?? '';
  if (prefix !== '') errs.push(...invalidEach(child(path, 'prefix'), prefix, isEnvVarName(prefix)));
  let n = 0;
  for (const kind of ['configMapRef', 'secretRef']) {
    const ref = obj(ef, kind);
    if (!ref) continue;
    n++;
    const name = str(ref, 'name') ?? '';
    const namePath = child(child(path, kind), 'name');
    if (name === '') errs.push(fieldErrors.required(namePath));
    else errs.push(...invalidEach(namePath, name, nameIsDNSSubdomain(name, true)));
  }
  if (n === 0) errs.push(fieldErrors.invalid(listPath(path), '', 'must specify one of: `configMapRef` or `secretRef`'));
  else if (n > 1) errs.push(fieldErrors.invalid(listPath(path), '', 'may not have more than one field specified at a time'));
  return errs;
};

/** Resource requirements of containers; a status copy is what the kubelet observed and is not checked. */
const validateResourceRequirements: Validator = (rr, path) => (path.startsWith('status') ? [] : resourceRequirementsErrors(rr, path));

function idErrors(o: JsonObject, field: string, path: string): FieldError[] {
  const v = num(o, field);
  return v === undefined ? [] : uidGidErrors(v).map((m) => fieldErrors.invalid(child(path, field), v, m));
}

/** ValidateSecurityContext, except the procMount rule that depends on the pod's hostUsers (PodSpec checks it). */
const validateSecurityContext: Validator = (sc, path) => {
  const errs = [...idErrors(sc, 'runAsUser', path), ...idErrors(sc, 'runAsGroup', path)];
  if (bool(sc, 'allowPrivilegeEscalation') === false) {
    if (bool(sc, 'privileged') === true) errs.push(fieldErrors.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `privileged` to true'));
    for (const [, cap] of strings(obj(sc, 'capabilities'), 'add')) {
      if (cap === 'CAP_SYS_ADMIN') errs.push(fieldErrors.invalid(path, sc, 'cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN'));
    }
  }
  return errs;
};

const SYSCTL_FMT = '([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?';
const sysctlRe = new RegExp(`^${SYSCTL_FMT}$`);

/** validatePodSpecSecurityContext, except the rules that need other PodSpec fields (hostPID, hostNetwork, hostIPC). */
const validatePodSecurityContext: Validator = (sc, path) => {
  const errs = [...idErrors(sc, 'fsGroup', path), ...idErrors(sc, 'runAsUser', path), ...idErrors(sc, 'runAsGroup', path)];
  arr(sc, 'supplementalGroups').forEach((g, i) => {
    if (typeof g === 'number') errs.push(...uidGidErrors(g).map((m) => fieldErrors.invalid(index(child(path, 'supplementalGroups'), i), g, m)));
  });
  const seen = new Set<string>();
  for (const [i, s] of items(sc, 'sysctls')) {
    const p = child(index(child(path, 'sysctls'), i), 'name');
    const name = str(s, 'name') ?? '';
    if (name === '') errs.push(fieldErrors.required(p));
    else if (name.length > 253 || !sysctlRe.test(name)) errs.push(fieldErrors.invalid(p, name, `must have at most 253 characters and match regex ^${SYSCTL_FMT}$`));
    else if (seen.has(name)) errs.push(fieldErrors.duplicate(p, name));
    seen.add(name);
  }
  return errs;
};

const SECCOMP_TYPES = ['Localhost', 'RuntimeDefault', 'Unconfined'];

const validateSeccompProfile: Validator = (sp, path) => {
  const errs: FieldError[] = [];
  const type = str(sp, 'type') ?? '';
  if (type === '') errs.push(fieldErrors.required(child(path, 'type'), 'type is required when seccompProfile is set'));
  else if (!SECCOMP_TYPES.includes(type)) errs.push(fieldErrors.notSupported(child(path, 'type'), type, SECCOMP_TYPES));
  const profile = str(sp, 'localhostProfile');
  if (type === 'Localhost') {
    if (profile === undefined) errs.push(fieldErrors.required(child(path, 'localhostProfile'), 'must be set when seccomp type is Localhost'));
    else errs.push(...localDescendingPathErrors(profile, child(path, 'localhostProfile')));
  } else if (profile !== undefined) {
    errs.push(fieldErrors.invalid(child(path, 'localhostProfile'), sp, 'can only be set when seccomp type is Localhost'));
  }
  return errs;
};

const validateAppArmorProfile: Validator = (ap, path) => {
  const errs: FieldError[] = [];
  const type = str(ap, 'type') ?? '';
  const profile = str(ap, 'localhostProfile');
  const profilePath = child(path, 'localhostProfile');
  if (type === 'Localhost') {
    if (profile === undefined) errs.push(fieldErrors.required(profilePath, 'must be set when AppArmor type is Localhost'));
    else {
      if (profile.trim() !== profile) errs.push(fieldErrors.invalid(profilePath, profile, 'must not be padded with whitespace'));
      else if (profile === '') errs.push(fieldErrors.required(profilePath, 'must be set when AppArmor type is Localhost'));
      if (Buffer.byteLength(profile) > 4095) errs.push(fieldErrors.tooLong(profilePath, '', 4095));
    }
  } else if (type === 'RuntimeDefault' || type === 'Unconfined') {
    if (profile !== undefined) errs.push(fieldErrors.invalid(profilePath, profile, 'can only be set when AppArmor type is Localhost'));
  } else if (type === '') {
    errs.push(fieldErrors.required(child(path, 'type'), 'type is required when appArmorProfile is set'));
  } else {
    errs.push(fieldErrors.notSupported(child(path, 'type'), type, ['Localhost', 'RuntimeDefault', 'Unconfined']));
  }
  return errs;
};

const NETBIOS_DOMAIN = /^[^\\/:*?"<>|.][^\\/:*?"<>|]{0,14}$/;
const DNS_LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?';
const DNS_DOMAIN = new RegExp(`^${DNS_LABEL}(?:\\.${DNS_LABEL})*$`);

const validateWindowsOptions: Validator = (wo, path) => {
  const errs: FieldError[] = [];
  const specName = str(wo, 'gmsaCredentialSpecName');
  if (specName !== undefined) errs.push(...invalidEach(child(path, 'gmsaCredentialSpecName'), specName, isDNS1123Subdomain(specName)));
  const spec = str(wo, 'gmsaCredentialSpec');
  if (spec !== undefined) {
    if (spec.length === 0) errs.push(fieldErrors.invalid(child(path, 'gmsaCredentialSpec'), spec, 'gmsaCredentialSpec cannot be an empty string'));
    else if (Buffer.byteLength(spec) > 64 * 1024) errs.push(fieldErrors.invalid(child(path, 'gmsaCredentialSpec'), spec, 'gmsaCredentialSpec size must be under 64 KiB'));
  }
  const user = str(wo, 'runAsUserName');
  if (user === undefined) return errs;
  const p = child(path, 'runAsUserName');
  const bad = (msg: string): void => {
    errs.push(fieldErrors.invalid(p, user, msg));
  };
  const parts = user.split('\\');
  if (user.length === 0) bad('runAsUserName cannot be an empty string');
  else if (/[\x00-\x1f\x7f]/.test(user)) bad('runAsUserName cannot contain control characters');
  else if (parts.length > 2) bad('runAsUserName cannot contain more than one backslash');
  else {
    const [domain, name] = parts.length === 1 ? ['', parts[0]!] : [parts[0]!, parts[1]!];
    if (domain.length >= 256) bad("runAsUserName's Domain length must be under 256 characters");
    if (parts.length === 2 && !(NETBIOS_DOMAIN.test(domain) || DNS_DOMAIN.test(domain))) bad("runAsUserName's Domain doesn't match the NetBios nor the DNS format");
    if (name.length === 0) bad("runAsUserName's User cannot be empty");
    else if (name.length > 104) bad("runAsUserName's User length must not be longer than 104 characters");
    if (/^[. ]+$/.test(name)) bad("runAsUserName's User cannot contain only periods or spaces");
    if (/["/\\:;|=,+*?<>@[\]]/.test(name)) bad('runAsUserName\'s User cannot contain the following characters: "/\\:;|=,+*?<>@[]');
  }
  return errs;
};

// ---- scheduling ----

const validateNodeSelector: Validator = (ns, path) =>
  arr(ns, 'nodeSelectorTerms').length === 0 ? [fieldErrors.required(child(path, 'nodeSelectorTerms'), 'must have at least one node selector term')] : [];

/** ValidateNodeSelectorRequirement; label values of preferred terms are not checked (they may still match one node). */
function nodeSelectorRequirementErrors(rq: JsonObject, checkValues: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const values = strings(rq, 'values');
  const operator = str(rq, 'operator') ?? '';
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) errs.push(fieldErrors.required(child(path, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length > 0) errs.push(fieldErrors.forbidden(child(path, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (values.length !== 1) errs.push(fieldErrors.required(child(path, 'values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(fieldErrors.invalid(child(path, 'operator'), operator, 'not a valid selector operator'));
  }
  errs.push(...labelNameErrors(str(rq, 'key') ?? '', child(path, 'key')));
  if (checkValues) for (const [i, v] of values) errs.push(...invalidEach(index(child(path, 'values'), i), v, isValidLabelValue(v)));
  return errs;
}

/** ValidateNodeFieldSelectorRequirement: only metadata.name, with In/NotIn and one value. */
function nodeFieldSelectorRequirementErrors(rq: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const operator = str(rq, 'operator') ?? '';
  const values = strings(rq, 'values');
  if (operator === 'In' || operator === 'NotIn') {
    if (values.length !== 1) errs.push(fieldErrors.required(child(path, 'values'), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
  } else {
    errs.push(fieldErrors.invalid(child(path, 'operator'), operator, 'not a valid selector operator'));
  }
  const k = str(rq, 'key') ?? '';
  if (k !== 'metadata.name') errs.push(fieldErrors.invalid(child(path, 'key'), k, 'not a valid field selector key'));
  else for (const [i, v] of values) errs.push(...invalidEach(index(child(path, 'values'), i), v, nameIsDNSSubdomain(v, false)));
  return errs;
}

const validateNodeSelectorTerm: Validator = (term, path) => {
  const checkValues = !path.includes('preferredDuringSchedulingIgnoredDuringExecution');
  return [
    ...items(term, 'matchExpressions').flatMap(([i, rq]) => nodeSelectorRequirementErrors(rq, checkValues, index(child(path, 'matchExpressions'), i))),
    ...items(term, 'matchFields').flatMap(([i, rq]) => nodeFieldSelectorRequirementErrors(rq, index(child(path, 'matchFields'), i))),
  ];
};

function weightErrors(o: JsonObject, path: string): FieldError[] {
  const w = num(o, 'weight') ?? 0;
  return w <= 0 || w > 100 ? [fieldErrors.invalid(child(path, 'weight'), w, 'must be in the range 1-100')] : [];
}

function selectorKeys(sel: JsonObject | undefined): string[] {
  return [...Object.keys(obj(sel, 'matchLabels') ?? {}), ...items(sel, 'matchExpressions').map(([, e]) => str(e, 'key') ?? '')];
}

/** validateLabelKeys: label names, only allowed beside a labelSelector. */
function labelKeysErrors(keys: [number, string][], selector: JsonObject | undefined, path: string): FieldError[] {
  if (keys.length === 0) return [];
  if (!selector) return [fieldErrors.forbidden(path, 'must not be specified when labelSelector is not set')];
  return keys.flatMap(([i, k]) => labelNameErrors(k, index(path, i)));
}

const validatePodAffinityTerm: Validator = (term, path) => {
  const errs: FieldError[] = [];
  // Kubernetes reports bad namespace names under the singular `namespace`.
  for (const [, ns] of strings(term, 'namespaces')) errs.push(...invalidEach(child(path, 'namespace'), ns, isDNS1123Label(ns)));
  const selector = obj(term, 'labelSelector');
  const matchKeys = strings(term, 'matchLabelKeys');
  const mismatchKeys = strings(term, 'mismatchLabelKeys');
  errs.push(...labelKeysErrors(matchKeys, selector, child(path, 'matchLabelKeys')));
  errs.push(...labelKeysErrors(mismatchKeys, selector, child(path, 'mismatchLabelKeys')));
  if (selector) {
    const indexOf = new Map(matchKeys.map(([i, k]) => [k, i]));
    const keys = new Set(Object.keys(obj(selector, 'matchLabels') ?? {}));
    for (const [, e] of items(selector, 'matchExpressions')) {
      const k = str(e, 'key') ?? '';
      const i = indexOf.get(k);
      // The index is relative to the term itself (fldPath.Index), a quirk kept for identical messages.
      if (i !== undefined && keys.has(k)) errs.push(fieldErrors.invalid(index(path, i), k, 'exists in both matchLabelKeys and labelSelector'));
      keys.add(k);
    }
  }
  const mismatch = new Set(mismatchKeys.map(([, k]) => k));
  for (const [i, k] of matchKeys) {
    if (mismatch.has(k)) errs.push(fieldErrors.invalid(index(child(path, 'matchLabelKeys'), i), k, 'exists in both matchLabelKeys and mismatchLabelKeys'));
  }
  const topologyKey = str(term, 'topologyKey') ?? '';
  if (topologyKey === '') errs.push(fieldErrors.required(child(path, 'topologyKey'), 'can not be empty'));
  errs.push(...labelNameErrors(topologyKey, child(path, 'topologyKey')));
  return errs;
};

/** ValidateTolerations for one toleration. */
const validateToleration: Validator = (t, path) => {
  const errs: FieldError[] = [];
  const k = str(t, 'key') ?? '';
  const operator = str(t, 'operator') ?? '';
  const value = str(t, 'value') ?? '';
  const effect = str(t, 'effect') ?? '';
  if (k !== '') errs.push(...labelNameErrors(k, child(path, 'key')));
  if (k === '' && operator !== 'Exists') {
    errs.push(fieldErrors.invalid(child(path, 'operator'), operator, 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
  }
  if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && effect !== 'NoExecute') {
    errs.push(fieldErrors.invalid(child(path, 'effect'), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
  }
  if (operator === 'Equal' || operator === '') {
    const msgs = isValidLabelValue(value);
    if (msgs.length > 0) errs.push(fieldErrors.invalid(child(path, 'operator'), value, msgs.join(';')));
  } else if (operator === 'Exists') {
    if (value !== '') errs.push(fieldErrors.invalid(child(path, 'operator'), value, "value must be empty when `operator` is 'Exists'"));
  } else {
    errs.push(fieldErrors.notSupported(child(path, 'operator'), operator, ['Equal', 'Exists']));
  }
  if (effect !== '' && !['NoSchedule', 'PreferNoSchedule', 'NoExecute'].includes(effect)) {
    errs.push(fieldErrors.notSupported(child(path, 'effect'), effect, ['NoSchedule', 'PreferNoSchedule', 'NoExecute']));
  }
  return errs;
};

/** validateTopologySpreadConstraints for one constraint (the duplicate check is PodSpec's). */
const validateTopologySpreadConstraint: Validator = (c, path) => {
  const errs: FieldError[] = [];
  const maxSkew = num(c, 'maxSkew') ?? 0;
  if (maxSkew <= 0) errs.push(fieldErrors.invalid(child(path, 'maxSkew'), maxSkew, IS_NOT_POSITIVE_ERROR_MSG));
  if ((str(c, 'topologyKey') ?? '') === '') errs.push(fieldErrors.required(child(path, 'topologyKey'), 'can not be empty'));
  const action = str(c, 'whenUnsatisfiable');
  // An absent action is Go's "", which the schema enum cannot see.
  if (action === undefined) errs.push(fieldErrors.notSupported(child(path, 'whenUnsatisfiable'), '', ['DoNotSchedule', 'ScheduleAnyway']));
  const minDomains = num(c, 'minDomains');
  if (minDomains !== undefined) {
    if (minDomains <= 0) errs.push(fieldErrors.invalid(child(path, 'minDomains'), minDomains, IS_NOT_POSITIVE_ERROR_MSG));
    if (action !== 'DoNotSchedule') {
      errs.push(fieldErrors.invalid(child(path, 'minDomains'), minDomains, `can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ${action ?? ''}`));
    }
  }
  const matchKeys = strings(c, 'matchLabelKeys');
  if (matchKeys.length > 0) {
    const selector = obj(c, 'labelSelector');
    const keyPath = child(path, 'matchLabelKeys');
    if (!selector) errs.push(fieldErrors.forbidden(keyPath, 'must not be specified when labelSelector is not set'));
    const inSelector = new Set(selectorKeys(selector));
    for (const [i, k] of matchKeys) {
      errs.push(...labelNameErrors(k, index(keyPath, i)));
      if (inSelector.has(k)) errs.push(fieldErrors.invalid(index(keyPath, i), k, 'exists in both matchLabelKeys and labelSelector'));
    }
  }
  return errs;
};

const validateHostAlias: Validator = (ha, path) => {
  const ip = str(ha, 'ip') ?? '';
  return invalidEach(child(path, 'ip'), ip, isValidIP(ip));
};

const validateReadinessGate: Validator = (g, path) => {
  const t = str(g, 'conditionType') ?? '';
  return invalidEach(child(path, 'conditionType'), t, isQualifiedName(t));
};

const keySelector: Validator = (sel, path) => keySelectorErrors(sel, path);

export const podComponentValidators: Record<string, Validator> = {
  [coreV1('Container')]: validateContainer,
  [coreV1('EphemeralContainer')]: validateContainer,
  [coreV1('EnvVar')]: validateEnvVar,
  [coreV1('EnvFromSource')]: validateEnvFrom,
  [coreV1('ConfigMapKeySelector')]: keySelector,
  [coreV1('SecretKeySelector')]: keySelector,
  [coreV1('ResourceRequirements')]: validateResourceRequirements,
  [coreV1('SecurityContext')]: validateSecurityContext,
  [coreV1('PodSecurityContext')]: validatePodSecurityContext,
  [coreV1('SeccompProfile')]: validateSeccompProfile,
  [coreV1('AppArmorProfile')]: validateAppArmorProfile,
  [coreV1('WindowsSecurityContextOptions')]: validateWindowsOptions,
  [coreV1('NodeSelector')]: validateNodeSelector,
  [coreV1('NodeSelectorTerm')]: validateNodeSelectorTerm,
  [coreV1('PreferredSchedulingTerm')]: (t, path) => weightErrors(t, path),
  [coreV1('WeightedPodAffinityTerm')]: (t, path) => weightErrors(t, path),
  [coreV1('PodAffinityTerm')]: validatePodAffinityTerm,
  [coreV1('Toleration')]: validateToleration,
  [coreV1('TopologySpreadConstraint')]: validateTopologySpreadConstraint,
  [coreV1('HostAlias')]: validateHostAlias,
  [coreV1('PodReadinessGate')]: validateReadinessGate,
};
