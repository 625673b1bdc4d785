// Value checks the core/v1 and small-group validators need inside hooks, beyond the shared name rules
// (validation/names.ts, re-exported here) and quantities (quantity/): IP classification, resource-name rules of
// pkg/apis/core/helper, and quantity comparisons with Kubernetes' messages.
import { isIPv6 } from 'node:net';
import { Quantity, QuantityParseError } from '../../quantity/index.js';
import { fieldErrors, type FieldError } from '../../validation/field-error.js';
import {
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidCIDR,
  isValidIP,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
} from '../../validation/names.js';

export {
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
};

/** Each message of `msgs` as an Invalid error at `field` (how apimachinery wraps the Is* checks). */
export function invalidEach(field: string, value: string, msgs: string[]): FieldError[] {
  return msgs.map((m) => fieldErrors.invalid(field, value, m));
}

export function validateLabelsAt(labels: Record<string, string>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [k, v] of Object.entries(labels)) {
    errs.push(...invalidEach(field, k, isQualifiedName(k)));
    errs.push(...invalidEach(field, v, isValidLabelValue(v)));
  }
  return errs;
}

// ---- IP addresses (Go's sloppy parser: IPv4 octets may carry leading zeros) ----

function parseIPv4(s: string): Uint8Array | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i]!;
    if (!/^[0-9]{1,3}$/.test(p)) return null;
    const n = Number(p);
    if (n > 255) return null;
    out[i] = n;
  }
  return out;
}

function parseIPv6(s: string): Uint8Array | null {
  if (s.includes('%') || !isIPv6(s)) return null;
  let text = s;
  const lastColon = text.lastIndexOf(':');
  const last = text.slice(lastColon + 1);
  if (last.includes('.')) {
    // An embedded IPv4 tail becomes the last two 16-bit groups.
    const v4 = parseIPv4(last);
    if (!v4) return null;
    text = `${text.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const [head = '', rest] = text.includes('::') ? text.split('::') : [text, undefined];
  const hs = head ? head.split(':') : [];
  const rs = rest ? rest.split(':') : [];
  const groups = rest === undefined ? hs : [...hs, ...Array<string>(8 - hs.length - rs.length).fill('0'), ...rs];
  if (groups.length !== 8) return null;
  const words = groups.map((g) => parseInt(g, 16));
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** 4 bytes for IPv4 (including IPv4-mapped IPv6, as Go's To4 does), 16 for IPv6, null if not an IP. */
export function parseIP(s: string): Uint8Array | null {
  const v4 = parseIPv4(s);
  if (v4) return v4;
  const v6 = parseIPv6(s);
  if (!v6) return null;
  const mapped = v6.slice(0, 10).every((b) => b === 0) && v6[10] === 0xff && v6[11] === 0xff;
  return mapped ? v6.slice(12) : v6;
}

export function isIPv6String(s: string): boolean {
  return parseIP(s)?.length === 16;
}

export function validateIP(field: string, value: string): FieldError[] {
  return invalidEach(field, value, isValidIP(value));
}

export function validateIPv4(field: string, value: string): FieldError[] {
  return parseIP(value)?.length === 4 ? [] : [fieldErrors.invalid(field, value, 'must be a valid IPv4 address')];
}

export function validateIPv6(field: string, value: string): FieldError[] {
  return parseIP(value)?.length === 16 ? [] : [fieldErrors.invalid(field, value, 'must be a valid IPv6 address')];
}

export function validateCIDR(field: string, value: string): FieldError[] {
  return invalidEach(field, value, isValidCIDR(value));
}

/** True when the addresses (or CIDRs) include both an IPv4 and an IPv6 one. */
export function isDualStack(values: string[]): boolean {
  let v4 = false;
  let v6 = false;
  for (const v of values) {
    const ip = parseIP(v.split('/')[0]!);
    if (ip?.length === 16) v6 = true;
    else if (ip) v4 = true;
  }
  return v4 && v6;
}

/** Endpoints, EndpointSlices and external IPs may not use unspecified, loopback or link-local addresses. */
export function validateNonSpecialIP(field: string, value: string): FieldError[] {
  const ip = parseIP(value);
  if (!ip) return [fieldErrors.invalid(field, value, 'must be a valid IP address')];
  const errs: FieldError[] = [];
  const v4 = ip.length === 4;
  if (ip.every((b) => b === 0)) errs.push(fieldErrors.invalid(field, value, `may not be unspecified (${value})`));
  const loopback = v4 ? ip[0] === 127 : ip.slice(0, 15).every((b) => b === 0) && ip[15] === 1;
  if (loopback) errs.push(fieldErrors.invalid(field, value, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
  const linkLocalUnicast = v4 ? ip[0] === 169 && ip[1] === 254 : ip[0] === 0xfe && (ip[1]! & 0xc0) === 0x80;
  if (linkLocalUnicast) errs.push(fieldErrors.invalid(field, value, 'may not be in the link-local range (169.254.0.0/16, fe80::/10)'));
  const linkLocalMulticast = v4 ? ip[0] === 224 && ip[1] === 0 && ip[2] === 0 : ip[0] === 0xff && (ip[1]! & 0x0f) === 0x02;
  if (linkLocalMulticast) errs.push(fieldErrors.invalid(field, value, 'may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)'));
  return errs;
}

export function validateFQDN(field: string, value: string): FieldError[] {
  if (value.length === 0) return [fieldErrors.required(field)];
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  const sub = isDNS1123Subdomain(name);
  if (sub.length) return [fieldErrors.invalid(field, name, sub.join(','))];
  const labels = name.split('.');
  if (labels.length < 2) return [fieldErrors.invalid(field, name, 'should be a domain with at least two segments separated by dots')];
  for (const l of labels) {
    const e = isDNS1123Label(l);
    if (e.length) return [fieldErrors.invalid(field, l, e.join(','))];
  }
  return [];
}

// ---- Quantities ----

/** The quantity, or undefined when the text does not parse (the schema's quantity format reports that). */
export function parseQ(text: string | undefined): Quantity | undefined {
  if (text === undefined) return undefined;
  try {
    return Quantity.parse(text);
  } catch (err) {
    if (err instanceof QuantityParseError) return undefined;
    throw err;
  }
}

/** -1, 0 or 1; undefined if either side does not parse. */
export function compareQuantities(a: string, b: string): number | undefined {
  const x = parseQ(a);
  const y = parseQ(b);
  return x && y ? x.cmp(y) : undefined;
}

/** The text Kubernetes prints for a quantity (Quantity.String()), or the input if it does not parse. */
export const quantityText = (text: string): string => parseQ(text)?.toString() ?? text;

// ---- Resource names (pkg/apis/core/helper) ----

const STANDARD_QUOTA_RESOURCES = new Set([
  'cpu', 'memory', 'ephemeral-storage', 'requests.cpu', 'requests.memory', 'requests.storage', 'requests.ephemeral-storage',
  'limits.cpu', 'limits.memory', 'limits.ephemeral-storage', 'pods', 'resourcequotas', 'services', 'replicationcontrollers',
  'secrets', 'persistentvolumeclaims', 'configmaps', 'services.nodeports', 'services.loadbalancers',
]);
const STANDARD_RESOURCES = new Set([...STANDARD_QUOTA_RESOURCES, 'storage']);
const INTEGER_RESOURCES = new Set([
  'pods', 'resourcequotas', 'services', 'replicationcontrollers', 'secrets', 'configmaps', 'persistentvolumeclaims',
  'services.nodeports', 'services.loadbalancers',
]);

const isHugePages = (n: string): boolean => n.startsWith('hugepages-');
const isQuotaHugePages = (n: string): boolean => n.startsWith('hugepages-') || n.startsWith('requests.hugepages-');
export const isNativeResource = (n: string): boolean => !n.includes('/') || n.includes('kubernetes.io/');
export const isOvercommitAllowed = (n: string): boolean => isNativeResource(n) && !isHugePages(n);
function isExtendedResource(n: string): boolean {
  if (isNativeResource(n) || n.startsWith('requests.')) return false;
  return isQualifiedName(`requests.${n}`).length === 0;
}
export const isStandardQuotaResource = (n: string): boolean => STANDARD_QUOTA_RESOURCES.has(n) || isQuotaHugePages(n);
export const isIntegerResource = (n: string): boolean => INTEGER_RESOURCES.has(n) || isExtendedResource(n);

export function validateResourceName(name: string, field: string): FieldError[] {
  const errs = invalidEach(field, name, isQualifiedName(name));
  if (errs.length) return errs;
  if (!name.includes('/') && !(STANDARD_RESOURCES.has(name) || isQuotaHugePages(name)))
    return [fieldErrors.invalid(field, name, 'must be a standard resource type or fully qualified')];
  return [];
}

export function validateContainerResourceName(name: string, field: string): FieldError[] {
  const errs = validateResourceName(name, field);
  if (!name.includes('/')) {
    if (!(['cpu', 'memory', 'ephemeral-storage'].includes(name) || isHugePages(name)))
      return [...errs, fieldErrors.invalid(field, name, 'must be a standard resource for containers')];
  } else if (!isNativeResource(name) && !isExtendedResource(name)) {
    return [...errs, fieldErrors.invalid(field, name, "doesn't follow extended resource name standard")];
  }
  return errs;
}

/** Non-negative, and whole for countable resources (ValidateResourceQuantityValue). */
export function validateResourceQuantityValue(resource: string, value: string, field: string): FieldError[] {
  const q = parseQ(value);
  if (!q) return [];
  const errs: FieldError[] = [];
  if (q.sign() < 0) errs.push(fieldErrors.invalid(field, q.toString(), 'must be greater than or equal to 0'));
  if (isIntegerResource(resource) && q.milliValue() % 1000n !== 0n) errs.push(fieldErrors.invalid(field, q.toString(), 'must be an integer'));
  return errs;
}

export function validatePositiveQuantity(value: string, field: string): FieldError[] {
  const q = parseQ(value);
  return q && q.sign() <= 0 ? [fieldErrors.invalid(field, q.toString(), 'must be greater than zero')] : [];
}
