// Typed, forgiving reads from untyped JSON objects: printers must never throw on a partial or odd object,
// so every accessor falls back to Go's zero value for the field (empty string, 0, empty list).
import { isJsonObject, type JsonObject, type JsonValue } from '@k8ts/api-machinery';

export type PathKey = string | number;

export function get(v: JsonValue | undefined, ...path: PathKey[]): JsonValue | undefined {
  let cur: JsonValue | undefined = v;
  for (const k of path) {
    if (typeof k === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[k];
    } else {
      if (!isJsonObject(cur)) return undefined;
      cur = cur[k];
    }
  }
  return cur;
}

/** The value at path when it is a string, else undefined (an unset Go *string). */
export function optStr(v: JsonValue | undefined, ...path: PathKey[]): string | undefined {
  const x = get(v, ...path);
  return typeof x === 'string' ? x : undefined;
}

export function str(v: JsonValue | undefined, ...path: PathKey[]): string {
  return optStr(v, ...path) ?? '';
}

/** The value at path when it is a finite number, else undefined (an unset Go *int32). */
export function optNum(v: JsonValue | undefined, ...path: PathKey[]): number | undefined {
  const x = get(v, ...path);
  return typeof x === 'number' && Number.isFinite(x) ? x : undefined;
}

export function num(v: JsonValue | undefined, ...path: PathKey[]): number {
  return optNum(v, ...path) ?? 0;
}

export function optBool(v: JsonValue | undefined, ...path: PathKey[]): boolean | undefined {
  const x = get(v, ...path);
  return typeof x === 'boolean' ? x : undefined;
}

export function obj(v: JsonValue | undefined, ...path: PathKey[]): JsonObject | undefined {
  const x = get(v, ...path);
  return isJsonObject(x) ? x : undefined;
}

export function list(v: JsonValue | undefined, ...path: PathKey[]): JsonValue[] {
  const x = get(v, ...path);
  return Array.isArray(x) ? x : [];
}

/** The object elements of a list (non-objects are skipped, as a decoder would reject them anyway). */
export function objs(v: JsonValue | undefined, ...path: PathKey[]): JsonObject[] {
  return list(v, ...path).filter(isJsonObject);
}

export function strs(v: JsonValue | undefined, ...path: PathKey[]): string[] {
  return list(v, ...path).filter((x): x is string => typeof x === 'string');
}

/** A map[string]string field; non-string values are skipped. */
export function strMap(v: JsonValue | undefined, ...path: PathKey[]): Record<string, string> {
  const o = obj(v, ...path);
  const out: Record<string, string> = {};
  if (!o) return out;
  for (const [k, x] of Object.entries(o)) if (typeof x === 'string') out[k] = x;
  return out;
}

/** Number of keys of a map field (configmap/secret data). */
export function keyCount(v: JsonValue | undefined, ...path: PathKey[]): number {
  const o = obj(v, ...path);
  return o ? Object.keys(o).length : 0;
}

/** Whether a pointer-typed field is set (present and not null), e.g. metadata.deletionTimestamp. */
export function isSet(v: JsonValue | undefined, ...path: PathKey[]): boolean {
  const x = get(v, ...path);
  return x !== undefined && x !== null;
}
