// Shared fixtures for table tests: a fixed clock and timestamp helpers so every age is deterministic.
import type { JsonObject, JsonValue } from '@k8ts/api-machinery';
import { buildTable, type IncludeObject } from '../../../src/tables/index.js';

export const NOW = new Date('2024-06-01T12:00:00Z');

/** RFC 3339 timestamp `ms` milliseconds before NOW (whole seconds, as the apiserver stores them). */
export function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const s = (n: number): number => n * 1000;
export const m = (n: number): number => n * 60_000;
export const h = (n: number): number => n * 3_600_000;
export const d = (n: number): number => n * 86_400_000;

export function meta(name: string, extra: JsonObject = {}): JsonObject {
  return { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: ago(m(5)), ...extra };
}

/** The single row's cells for one object, keyed by column name (all columns, wide ones included). */
export function cellsByName(group: string, resource: string, obj: JsonObject, includeObject: IncludeObject = 'None'): Record<string, JsonValue> {
  const t = buildTable(group, resource, [obj], { now: NOW, includeObject });
  const row = t.rows[0];
  if (!row) throw new Error('no row');
  const out: Record<string, JsonValue> = {};
  t.columnDefinitions.forEach((c, i) => {
    out[c.name] = row.cells[i] ?? null;
  });
  return out;
}

/** Column names of a resource's table, in order. */
export function columnNames(group: string, resource: string): string[] {
  return buildTable(group, resource, [], { now: NOW, includeObject: 'None' }).columnDefinitions.map((c) => c.name);
}
