// Cell formatters shared by several printers: label maps, label selectors, container lists, etc.
// Output strings follow apimachinery's labels/selector String() forms so kubectl users see familiar text.
import type { JsonValue } from '@k8ts/api-machinery';
import { get, objs, str, strMap, strs } from './access.js';

/** "a=1,b=2" sorted, or "<none>" for an empty map (labels.FormatLabels). */
export function formatLabels(labels: Record<string, string>): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
  parts.sort(compareStrings);
  return parts.length ? parts.join(',') : '<none>';
}

/** Byte-wise string order like Go's sort.Strings (fine for the ASCII of label keys). */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

interface Requirement {
  key: string;
  text: string;
}

/**
 * A metav1.LabelSelector rendered as a selector string ("app=web,tier in (a,b),!legacy").
 * Returns null for an invalid selector, "" for a nil selector (matches nothing) or an empty one (everything).
 */
export function labelSelectorString(selector: JsonValue | undefined): string | null {
  if (selector === undefined || selector === null) return '';
  const matchLabels = strMap(selector, 'matchLabels');
  const exprs = objs(selector, 'matchExpressions');
  const reqs: Requirement[] = Object.entries(matchLabels).map(([k, v]) => ({ key: k, text: `${k}=${v}` }));
  for (const e of exprs) {
    const key = str(e, 'key');
    const values = [...strs(e, 'values')].sort(compareStrings);
    const op = str(e, 'operator');
    if (key === '') return null;
    switch (op) {
      case 'In':
      case 'NotIn':
        if (values.length === 0) return null;
        reqs.push({ key, text: `${key} ${op === 'In' ? 'in' : 'notin'} (${values.join(',')})` });
        break;
      case 'Exists':
      case 'DoesNotExist':
        if (values.length !== 0) return null;
        reqs.push({ key, text: op === 'Exists' ? key : `!${key}` });
        break;
      default:
        return null;
    }
  }
  // Requirements print sorted by key; Array.prototype.sort is stable, so equal keys keep input order.
  reqs.sort((a, b) => compareStrings(a.key, b.key));
  return reqs.map((r) => r.text).join(',');
}

/** metav1.FormatLabelSelector: "<none>" when empty/nil, "<error>" when invalid. */
export function formatLabelSelector(selector: JsonValue | undefined): string {
  const s = labelSelectorString(selector);
  if (s === null) return '<error>';
  return s === '' ? '<none>' : s;
}

/** Container names and images of a pod spec, each comma-joined. */
export function containerCells(podSpec: JsonValue | undefined): [string, string] {
  const containers = objs(podSpec, 'containers');
  return [containers.map((c) => str(c, 'name')).join(','), containers.map((c) => str(c, 'image')).join(',')];
}

/** An IntOrString value as text (PDB minAvailable/maxUnavailable). */
export function intOrString(v: JsonValue | undefined): string {
  if (typeof v === 'number') return String(Math.trunc(v));
  if (typeof v === 'string') return v;
  return '0';
}

/** net.JoinHostPort: IPv6 literals get brackets. */
export function joinHostPort(host: string, port: number | string): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** "a,b,c + 2 more..." once more than `max` items exist; "<unset>" when there are none. */
export function listWithMore(items: string[], total: number, max: number): string {
  const shown = items.slice(0, max).join(',');
  if (total > max) return `${shown} + ${total - max} more...`;
  return shown === '' ? '<unset>' : shown;
}

/** Sorted unique IPs (or hostnames when no IP) of a load-balancer status' ingress points. */
export function loadBalancerAddresses(status: JsonValue | undefined): string {
  const set = new Set<string>();
  for (const ing of objs(status, 'ingress')) {
    const ip = str(ing, 'ip');
    const host = str(ing, 'hostname');
    if (ip !== '') set.add(ip);
    else if (host !== '') set.add(host);
  }
  return [...set].sort(compareStrings).join(',');
}

/** "True"/"False" for a *bool, "<unset>" when nil. */
export function boolPtr(v: JsonValue | undefined): string {
  if (typeof v !== 'boolean') return '<unset>';
  return v ? 'True' : 'False';
}

/** The controller owner reference (controller: true), if any. */
export function controllerOf(o: JsonValue | undefined): JsonValue | undefined {
  return objs(o, 'metadata', 'ownerReferences').find((r) => get(r, 'controller') === true);
}
