// Narrowing accessors over plain JSON for the pod hooks: optional, possibly mistyped fields read without casts.
import { isJsonObject, type JsonObject, type JsonValue } from '../../json.js';

export function obj(o: JsonObject | undefined, k: string): JsonObject | undefined {
  const v = o?.[k];
  return isJsonObject(v) ? v : undefined;
}

export function str(o: JsonObject | undefined, k: string): string | undefined {
  const v = o?.[k];
  return typeof v === 'string' ? v : undefined;
}

export function num(o: JsonObject | undefined, k: string): number | undefined {
  const v = o?.[k];
  return typeof v === 'number' ? v : undefined;
}

export function bool(o: JsonObject | undefined, k: string): boolean | undefined {
  const v = o?.[k];
  return typeof v === 'boolean' ? v : undefined;
}

export function arr(o: JsonObject | undefined, k: string): JsonValue[] {
  const v = o?.[k];
  return Array.isArray(v) ? v : [];
}

/** The object elements of a list field, with their index in the list (for field paths). */
export function items(o: JsonObject | undefined, k: string): [number, JsonObject][] {
  const out: [number, JsonObject][] = [];
  arr(o, k).forEach((v, i) => {
    if (isJsonObject(v)) out.push([i, v]);
  });
  return out;
}

/** The string elements of a list field, with their index. */
export function strings(o: JsonObject | undefined, k: string): [number, string][] {
  const out: [number, string][] = [];
  arr(o, k).forEach((v, i) => {
    if (typeof v === 'string') out.push([i, v]);
  });
  return out;
}

/** A map[string]string field as entries sorted by key (Go iterates maps in random order; sorted is stable). */
export function stringMap(o: JsonObject | undefined, k: string): [string, string][] {
  const m = obj(o, k);
  if (!m) return [];
  return Object.keys(m)
    .sort()
    .flatMap((key): [string, string][] => {
      const v = m[key];
      return typeof v === 'string' ? [[key, v]] : [];
    });
}

/** Go treats an absent string, number or bool as its zero value. */
export const has = (o: JsonObject | undefined, k: string): boolean => o !== undefined && o[k] !== undefined && o[k] !== null;
