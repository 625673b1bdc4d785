// Decoding a request body against a kind's schema, as Kubernetes' JSON decoder does: wrong JSON types are a decode
// error (400), unknown fields are reported (for fieldValidation Strict/Warn) and dropped, `null` means "not set".
// The result is a fresh object; the input is not modified.
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
import type { CompiledSchema } from './compiled.js';
import type { SchemaRegistry } from './registry.js';
import type { Schema } from './schema.js';

export interface DecodeResult {
  object: JsonObject;
  /** Paths of unknown fields, as Kubernetes prints them: `spec.foo`, `spec.containers[0].bar`. */
  unknownFields: string[];
  /** The first type error, in Go's words (`json: cannot unmarshal string into Go struct field …`), if any. */
  typeError?: string | undefined;
}

interface Walk {
  reg: SchemaRegistry;
  unknown: string[];
  typeError?: string | undefined;
  /**
   * The field path of the value being decoded, one entry per step: a field name, or "[i]" / "[key]" for a list
   * index or a map key. Paths are only spelled out for the rare error or unknown field.
   */
  segments: string[];
}

/** The path with indices, as unknown-field messages print it: `spec.containers[0].bar`. */
function fieldPath(segments: readonly string[], last?: string): string {
  let path = '';
  for (const seg of segments) path = seg.startsWith('[') || path === '' ? path + seg : `${path}.${seg}`;
  if (last !== undefined) path = path === '' ? last : `${path}.${last}`;
  return path;
}

/** The path without indices or map keys, as Go's type errors print it: `spec.containers.ports`. */
function goFieldPath(segments: readonly string[]): string {
  let path = '';
  for (const seg of segments) if (!seg.startsWith('[')) path = path === '' ? seg : `${path}.${seg}`;
  return path;
}

function jsonTypeName(v: JsonValue): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'bool';
  return typeof v; // string | number | object
}

function goTypeName(reg: SchemaRegistry, schema: Schema): string {
  const { schema: s, component } = reg.resolve(schema);
  if (component) return `v1.${component.slice(component.lastIndexOf('.') + 1)}`;
  if (s['x-kubernetes-int-or-string']) return 'intstr.IntOrString';
  if (s['x-k8ts-quantity']) return 'resource.Quantity';
  switch (s.type) {
    case 'string':
      return s.format === 'byte' ? '[]uint8' : 'string';
    case 'integer':
      return s.format === 'int64' ? 'int64' : 'int32';
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'array':
      return `[]${s.items ? goTypeName(reg, s.items) : 'interface {}'}`;
    case 'object':
      if (s.additionalProperties && typeof s.additionalProperties === 'object') return `map[string]${goTypeName(reg, s.additionalProperties)}`;
      return 'struct';
    default:
      return 'interface {}';
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function typeError(w: Walk, n: CompiledSchema, value: JsonValue, structName: string): undefined {
  if (w.typeError === undefined) {
    w.typeError = `json: cannot unmarshal ${jsonTypeName(value)} into Go struct field ${structName}.${goFieldPath(w.segments)} of type ${goTypeName(w.reg, n.use)}`;
  }
  return undefined;
}

/** Go decodes a null list element into the element type's zero value: {} for objects, "" for strings. */
function zeroValue(n: CompiledSchema | undefined): JsonValue {
  switch (n?.type) {
    case 'object':
      return {};
    case 'string':
      return '';
    case 'integer':
    case 'number':
      return 0;
    case 'boolean':
      return false;
    default:
      return null;
  }
}

/** @param structName Go struct that holds the current field (Go's type errors name it) */
function walk(w: Walk, n: CompiledSchema, value: JsonValue, structName: string): JsonValue | undefined {
  if (n.unresolved !== undefined) throw n.unresolvedError();
  const schema = n.schema;
  if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) return value;
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    return typeError(w, n, value, structName);
  }
  if (schema['x-k8ts-quantity']) {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    return typeError(w, n, value, structName);
  }
  switch (n.type) {
    case 'string':
      if (typeof value !== 'string') return typeError(w, n, value, structName);
      if (schema.format === 'byte' && !BASE64.test(value.replace(/\s/g, ''))) {
        w.typeError ??= `illegal base64 data at input byte ${firstBadBase64Byte(value)}`;
        return undefined;
      }
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return typeError(w, n, value, structName);
      return value;
    case 'number':
      if (typeof value !== 'number') return typeError(w, n, value, structName);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') return typeError(w, n, value, structName);
      return value;
    case 'array': {
      if (!Array.isArray(value)) return typeError(w, n, value, structName);
      const items = n.items;
      const out: JsonValue[] = [];
      for (let i = 0; i < value.length; i++) {
        const item = value[i]!;
        if (item === null) {
          out.push(zeroValue(items));
          continue;
        }
        if (!items) {
          out.push(item);
          continue;
        }
        w.segments.push(`[${i}]`);
        const d = walk(w, items, item, structName);
        w.segments.pop();
        if (d !== undefined) out.push(d);
      }
      return out;
    }
    case 'object': {
      if (!isJsonObject(value)) return typeError(w, n, value, structName);
      const component = n.component;
      const childStruct = component ? component.slice(component.lastIndexOf('.') + 1) : structName;
      const values = n.additional;
      const keepUnknown = schema.additionalProperties === true || schema['x-kubernetes-preserve-unknown-fields'] === true;
      const out: JsonObject = {};
      for (const k in value) {
        const v = value[k]!;
        const prop = n.property(k);
        if (prop) {
          if (v === null) continue;
          w.segments.push(k);
          const d = walk(w, prop, v, childStruct);
          w.segments.pop();
          if (d !== undefined) out[k] = d;
        } else if (values) {
          if (v === null) continue;
          w.segments.push(`[${k}]`);
          const d = walk(w, values, v, structName);
          w.segments.pop();
          if (d !== undefined) out[k] = d;
        } else if (keepUnknown) {
          out[k] = v;
        } else {
          w.unknown.push(fieldPath(w.segments, k));
        }
      }
      return out;
    }
    default:
      return value;
  }
}

function firstBadBase64Byte(v: string): number {
  for (let i = 0; i < v.length; i++) if (!/[A-Za-z0-9+/=\s]/.test(v[i]!)) return i;
  return Math.max(0, v.length - (v.length % 4));
}

/** Decodes `value` against the named component (a kind's schema). */
export function decodeObject(reg: SchemaRegistry, component: string, value: JsonValue): DecodeResult {
  const w: Walk = { reg, unknown: [], segments: [] };
  const root = reg.compile(reg.component(component));
  const name = component.slice(component.lastIndexOf('.') + 1);
  const out = walk(w, root, value, name);
  if (!isJsonObject(out)) {
    return { object: {}, unknownFields: w.unknown, typeError: w.typeError ?? `json: cannot unmarshal ${jsonTypeName(value)} into Go value of type v1.${name}` };
  }
  return { object: out, unknownFields: w.unknown, typeError: w.typeError };
}
