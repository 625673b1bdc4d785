// Narrowing accessors for plain-JSON objects: hooks read optional, possibly mistyped fields without casts.
import { isJsonObject, type JsonObject, type JsonValue } from '../../json.js';

export function objAt(o: JsonObject | undefined, k: string): JsonObject | undefined {
  const v = o?.[k];
  return isJsonObject(v) ? v : undefined;
}

export function strAt(o: JsonObject | undefined, k: string): string | undefined {
  const v = o?.[k];
  return typeof v === 'string' ? v : undefined;
}

export function numAt(o: JsonObject | undefined, k: string): number | undefined {
  const v = o?.[k];
  return typeof v === 'number' ? v : undefined;
}

export function boolAt(o: JsonObject | undefined, k: string): boolean | undefined {
  const v = o?.[k];
  return typeof v === 'boolean' ? v : undefined;
}

export function arrAt(o: JsonObject | undefined, k: string): JsonValue[] | undefined {
  const v = o?.[k];
  return Array.isArray(v) ? v : undefined;
}

/** Array elements that are objects, with their original index (for field paths). */
export function objItems(o: JsonObject | undefined, k: string): [number, JsonObject][] {
  const out: [number, JsonObject][] = [];
  (arrAt(o, k) ?? []).forEach((v, i) => {
    if (isJsonObject(v)) out.push([i, v]);
  });
  return out;
}

/** Array elements that are strings, with their original index. */
export function strItems(o: JsonObject | undefined, k: string): [number, string][] {
  const out: [number, string][] = [];
  (arrAt(o, k) ?? []).forEach((v, i) => {
    if (typeof v === 'string') out.push([i, v]);
  });
  return out;
}

/** A map[string]string, dropping non-string values (the decoder already rejected them). */
export function strMapAt(o: JsonObject | undefined, k: string): Record<string, string> | undefined {
  const v = objAt(o, k);
  if (!v) return undefined;
  const out: Record<string, string> = {};
  for (const [key, val] of Object.entries(v)) if (typeof val === 'string') out[key] = val;
  return out;
}

/** The child object at `k`, created empty when absent (for defaulters). */
export function ensureObj(o: JsonObject, k: string): JsonObject {
  const v = o[k];
  if (isJsonObject(v)) return v;
  const created: JsonObject = {};
  o[k] = created;
  return created;
}
