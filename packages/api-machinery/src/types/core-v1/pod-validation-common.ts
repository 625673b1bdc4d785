// Checks shared by several pod validators (pkg/apis/core/validation): paths inside volumes, resource names and
// quantities, downward API selectors, label maps. Each returns Kubernetes' field errors for the path it is given.
import type { JsonObject, JsonValue } from '../../json.js';
import { Quantity, QuantityParseError } from '../../quantity/index.js';
import { child, fieldErrors, key, type FieldError } from '../../validation/field-error.js';
import { isConfigMapKey, isQualifiedName, isValidLabelValue, nameIsDNSSubdomain } from '../../validation/names.js';
import { obj, str, stringMap } from './pod-access.js';

export const IS_NEGATIVE_ERROR_MSG = 'must be greater than or equal to 0';
export const IS_NOT_POSITIVE_ERROR_MSG = 'must be greater than zero';
export const FILE_MODE_ERROR_MSG = 'must be a number between 0 and 0777 (octal), both inclusive';
export const MAX_INT32 = 2147483647;

export const invalidEach = (path: string, value: string, msgs: string[]): FieldError[] => msgs.map((m) => fieldErrors.invalid(path, value, m));

/** Go's sets.List: the values sorted (byte order). */
export const sorted = (values: Iterable<string>): string[] => [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

/** validatePathNoBacksteps: one error, even for `../../..`. */
export function noBackstepErrors(p: string, path: string): FieldError[] {
  return p.split('/').includes('..') ? [fieldErrors.invalid(path, p, "must not contain '..'")] : [];
}

/** validateLocalDescendingPath: relative and without '..' elements. */
export function localDescendingPathErrors(p: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.startsWith('/')) errs.push(fieldErrors.invalid(path, p, 'must be a relative path'));
  errs.push(...noBackstepErrors(p, path));
  return errs;
}

/** ValidateLocalNonReservedPath: also refuses names starting with '..' (kubelet keeps its own ..data links there). */
export function localNonReservedPathErrors(p: string, path: string): FieldError[] {
  const errs = localDescendingPathErrors(p, path);
  if (p.startsWith('..') && !p.startsWith('../')) errs.push(fieldErrors.invalid(path, p, "must not start with '..'"));
  return errs;
}

/** File permission bits: 0 to 0777. */
export function fileModeErrors(o: JsonObject, field: string, path: string): FieldError[] {
  const mode = o[field];
  return typeof mode === 'number' && (mode > 0o777 || mode < 0) ? [fieldErrors.invalid(child(path, field), mode, FILE_MODE_ERROR_MSG)] : [];
}

/** unversioned ValidateLabelName: a qualified name, errors at the given path. */
export const labelNameErrors = (name: string, path: string): FieldError[] => invalidEach(path, name, isQualifiedName(name));

/** unversioned ValidateLabels: note that Kubernetes reports keys and values at the map's own path. */
export function labelsErrors(o: JsonObject | undefined, field: string, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of stringMap(o, field)) {
    errs.push(...labelNameErrors(k, path));
    errs.push(...invalidEach(path, v, isValidLabelValue(v)));
  }
  return errs;
}

/** Parses a quantity field value, or undefined if absent or malformed (the schema's quantity format reports that). */
export function quantityOf(v: JsonValue | undefined): Quantity | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  try {
    return Quantity.parse(String(v).trim());
  } catch (err) {
    if (err instanceof QuantityParseError) return undefined;
    throw err;
  }
}

// ---- resource names (pkg/apis/core/helper) ----

const STANDARD_CONTAINER_RESOURCES = new Set(['cpu', 'memory', 'ephemeral-storage']);
const STANDARD_RESOURCES = new Set([
  'cpu',
  'memory',
  'ephemeral-storage',
  'requests.cpu',
  'requests.memory',
  'requests.ephemeral-storage',
  'limits.cpu',
  'limits.memory',
  'limits.ephemeral-storage',
  'pods',
  'services',
  'replicationcontrollers',
  'resourcequotas',
  'secrets',
  'configmaps',
  'persistentvolumeclaims',
  'requests.storage',
  'services.nodeports',
  'services.loadbalancers',
]);
const INTEGER_RESOURCES = new Set(['pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims', 'services.nodeports', 'services.loadbalancers']);

export const isHugePageResourceName = (n: string): boolean => n.startsWith('hugepages-');
export const isNativeResource = (n: string): boolean => !n.includes('/') || n.includes('kubernetes.io/');
export function isExtendedResourceName(n: string): boolean {
  if (isNativeResource(n) || n.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${n}`).length === 0;
}
export const isOvercommitAllowed = (n: string): boolean => isNativeResource(n) && !isHugePageResourceName(n);
const isIntegerResourceName = (n: string): boolean => INTEGER_RESOURCES.has(n) || isExtendedResourceName(n);

/** validateContainerResourceName. */
export function containerResourceNameErrors(n: string, path: string): FieldError[] {
  const errs = invalidEach(path, n, isQualifiedName(n));
  if (errs.length === 0 && !n.includes('/') && !STANDARD_RESOURCES.has(n) && !n.startsWith('hugepages-') && !n.startsWith('requests.hugepages-')) {
    errs.push(fieldErrors.invalid(path, n, 'must be a standard resource type or fully qualified'));
  }
  if (!n.includes('/')) {
    if (!STANDARD_CONTAINER_RESOURCES.has(n) && !isHugePageResourceName(n)) errs.push(fieldErrors.invalid(path, n, 'must be a standard resource for containers'));
  } else if (!isNativeResource(n) && !isExtendedResourceName(n)) {
    errs.push(fieldErrors.invalid(path, n, "doesn't follow extended resource name standard"));
  }
  return errs;
}

/** ValidateResourceQuantityValue: not negative, and whole for integer resources (extended ones included). */
export function resourceQuantityValueErrors(n: string, q: Quantity, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (q.sign() < 0) errs.push(fieldErrors.invalid(path, q.toString(), IS_NEGATIVE_ERROR_MSG));
  if (isIntegerResourceName(n) && q.milliValue() % 1000n !== 0n) errs.push(fieldErrors.invalid(path, q.toString(), 'must be an integer'));
  return errs;
}

function hugePageValueErrors(n: string, q: Quantity, path: string): FieldError[] {
  const page = quantityOf(n.slice('hugepages-'.length));
  const divisible = page !== undefined && page.sign() > 0 && page.milliValue() % 1000n === 0n && q.value() % page.value() === 0n;
  return divisible ? [] : [fieldErrors.invalid(path, q.toString(), `${q.toString()} is not positive integer multiple of ${n}`)];
}

/** validateResourceRequirements with validateContainerResourceName (claims are checked against the pod, elsewhere). */
export function resourceRequirementsErrors(rr: JsonObject, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const limPath = child(path, 'limits');
  const reqPath = child(path, 'requests');
  const limits = obj(rr, 'limits') ?? {};
  const requests = obj(rr, 'requests') ?? {};
  let cpuOrMemory = false;
  let hugePages = false;
  const limitQuantities = new Map<string, Quantity>();
  for (const n of Object.keys(limits).sort()) {
    const p = key(limPath, n);
    errs.push(...containerResourceNameErrors(n, p));
    const q = quantityOf(limits[n]);
    if (!q) continue;
    limitQuantities.set(n, q);
    errs.push(...resourceQuantityValueErrors(n, q, p));
    if (isHugePageResourceName(n)) {
      hugePages = true;
      errs.push(...hugePageValueErrors(n, q, p));
    }
    if (n === 'cpu' || n === 'memory') cpuOrMemory = true;
  }
  for (const n of Object.keys(requests).sort()) {
    const p = key(reqPath, n);
    errs.push(...containerResourceNameErrors(n, p));
    const q = quantityOf(requests[n]);
    if (!q) continue;
    errs.push(...resourceQuantityValueErrors(n, q, p));
    const lim = limitQuantities.get(n);
    if (lim) {
      if (q.cmp(lim) !== 0 && !isOvercommitAllowed(n)) {
        errs.push(fieldErrors.invalid(reqPath, q.toString(), `must be equal to ${n} limit of ${lim.toString()}`));
      } else if (q.cmp(lim) > 0) {
        errs.push(fieldErrors.invalid(reqPath, q.toString(), `must be less than or equal to ${n} limit of ${lim.toString()}`));
      }
    } else if (!isOvercommitAllowed(n) && limits[n] === undefined) {
      errs.push(fieldErrors.required(limPath, 'Limit must be set for non overcommitable resources'));
    }
    if (isHugePageResourceName(n)) {
      hugePages = true;
      errs.push(...hugePageValueErrors(n, q, p));
    }
    if (n === 'cpu' || n === 'memory') cpuOrMemory = true;
  }
  if (!cpuOrMemory && hugePages) errs.push(fieldErrors.forbidden(path, 'HugePages require cpu or memory'));
  return errs;
}

// ---- downward API selectors ----

export const ENV_FIELD_PATHS = new Set(['metadata.name', 'metadata.namespace', 'metadata.uid', 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.hostIPs', 'status.podIP', 'status.podIPs']);
export const VOLUME_FIELD_PATHS = new Set(['metadata.name', 'metadata.namespace', 'metadata.labels', 'metadata.annotations', 'metadata.uid']);
/** Every field label ConvertDownwardAPIFieldLabel knows for pods. */
const CONVERTIBLE_FIELD_PATHS = new Set([
  'metadata.annotations',
  'metadata.labels',
  'metadata.name',
  'metadata.namespace',
  'metadata.uid',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.serviceAccountName',
  'spec.schedulerName',
  'status.phase',
  'status.hostIP',
  'status.hostIPs',
  'status.podIP',
  'status.podIPs',
]);

/** fieldpath.SplitMaybeSubscriptedPath: `metadata.labels['app']` → ['metadata.labels', 'app']. */
export function splitSubscriptedPath(p: string): [string, string] | undefined {
  if (!p.endsWith("']")) return undefined;
  const s = p.slice(0, -2);
  const at = s.indexOf("['");
  if (at <= 0) return undefined;
  return [s.slice(0, at), s.slice(at + 2)];
}

/** validateObjectFieldSelector against the expressions allowed where the selector is used. */
export function objectFieldSelectorErrors(fs: JsonObject, expressions: Set<string>, path: string): FieldError[] {
  const apiVersion = str(fs, 'apiVersion') ?? '';
  const fieldPath = str(fs, 'fieldPath') ?? '';
  const fpPath = child(path, 'fieldPath');
  if (apiVersion === '') return [fieldErrors.required(child(path, 'apiVersion'))];
  if (fieldPath === '') return [fieldErrors.required(fpPath)];
  const convertError = (msg: string): FieldError[] => [fieldErrors.invalid(fpPath, fieldPath, `error converting fieldPath: ${msg}`)];
  if (apiVersion !== 'v1') return convertError(`unsupported pod version: ${apiVersion}`);
  const sub = splitSubscriptedPath(fieldPath);
  if (sub) {
    const [base, subscript] = sub;
    if (base === 'metadata.annotations') return invalidEach(path, subscript.toLowerCase(), isQualifiedName(subscript.toLowerCase()));
    if (base === 'metadata.labels') return invalidEach(path, subscript, isQualifiedName(subscript));
    return convertError(`field label does not support subscript: ${fieldPath}`);
  }
  if (!CONVERTIBLE_FIELD_PATHS.has(fieldPath) && fieldPath !== 'spec.host') return convertError(`field label not supported: ${fieldPath}`);
  const internal = fieldPath === 'spec.host' ? 'spec.nodeName' : fieldPath;
  return expressions.has(internal) ? [] : [fieldErrors.notSupported(fpPath, internal, sorted(expressions))];
}

const RESOURCE_FIELD_PATHS = new Set(['limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.ephemeral-storage']);
const BYTE_DIVISORS = new Set(['1', '1k', '1M', '1G', '1T', '1P', '1E', '1Ki', '1Mi', '1Gi', '1Ti', '1Pi', '1Ei']);
const BYTE_DIVISOR_LIST = '1, 1k, 1M, 1G, 1T, 1P, 1E, 1Ki, 1Mi, 1Gi, 1Ti, 1Pi, 1Ei';

/** validateContainerResourceFieldSelector; `volume` is true in downward API volumes, where containerName is required. */
export function resourceFieldSelectorErrors(fs: JsonObject, path: string, volume: boolean): FieldError[] {
  const errs: FieldError[] = [];
  const resource = str(fs, 'resource') ?? '';
  if (volume && !str(fs, 'containerName')) errs.push(fieldErrors.required(child(path, 'containerName')));
  else if (resource === '') errs.push(fieldErrors.required(child(path, 'resource')));
  else if (!RESOURCE_FIELD_PATHS.has(resource) && !resource.startsWith('requests.hugepages-') && !resource.startsWith('limits.hugepages-')) {
    errs.push(fieldErrors.notSupported(child(path, 'resource'), resource, sorted(RESOURCE_FIELD_PATHS)));
  }
  const divisor = quantityOf(fs.divisor);
  if (!divisor || divisor.isZero()) return errs;
  const d = divisor.toString();
  const divPath = child(path, 'divisor');
  if ((resource === 'limits.cpu' || resource === 'requests.cpu') && d !== '1m' && d !== '1') {
    errs.push(fieldErrors.invalid(divPath, resource, "only divisor's values 1m and 1 are supported with the cpu resource"));
  } else if ((resource === 'limits.memory' || resource === 'requests.memory') && !BYTE_DIVISORS.has(d)) {
    errs.push(fieldErrors.invalid(divPath, resource, `only divisor's values ${BYTE_DIVISOR_LIST} are supported with the memory resource`));
  } else if ((resource === 'limits.ephemeral-storage' || resource === 'requests.ephemeral-storage') && !BYTE_DIVISORS.has(d)) {
    errs.push(fieldErrors.invalid(divPath, resource, `only divisor's values ${BYTE_DIVISOR_LIST} are supported with the local ephemeral storage resource`));
  }
  if ((resource.startsWith('requests.hugepages-') || resource.startsWith('limits.hugepages-')) && !BYTE_DIVISORS.has(d)) {
    errs.push(fieldErrors.invalid(divPath, resource, `only divisor's values ${BYTE_DIVISOR_LIST} are supported with the hugepages resource`));
  }
  return errs;
}

/** validateConfigMapKeySelector / validateSecretKeySelector: the name is checked even when empty. */
export function keySelectorErrors(sel: JsonObject, path: string): FieldError[] {
  const name = str(sel, 'name') ?? '';
  const errs = invalidEach(child(path, 'name'), name, nameIsDNSSubdomain(name, false));
  const k = str(sel, 'key') ?? '';
  if (k === '') errs.push(fieldErrors.required(child(path, 'key')));
  else errs.push(...invalidEach(child(path, 'key'), k, isConfigMapKey(k)));
  return errs;
}

/** Where a list element's errors go when Kubernetes reports them at the list itself: `a.b[3]` → `a.b`. */
export const listPath = (itemPath: string): string => itemPath.replace(/\[[^\]]*\]$/, '');

