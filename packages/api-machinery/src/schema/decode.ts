// Decoding a request body against a kind's schema, as Kubernetes' JSON decoder does: wrong JSON types are a decode
// error (400), unknown fields are reported (for fieldValidation Strict/Warn) and dropped, `null` means "not set".
// The result is a fresh object; the input is not modified.
import { isJsonObject, type JsonObject, type JsonValue } from '../json.js';
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

/**
 * @param path field path with indices (for unknown-field messages)
 * @param goPath field path without indices (Go's error messages use it)
 * @param structName Go struct that holds the current field
 */
function walk(w: Walk, schemaIn: Schema, value: JsonValue, path: string, goPath: string, structName: string): JsonValue | undefined {
  const { schema, component } = w.reg.resolve(schemaIn);
  const typeError = (): undefined => {
    if (w.typeError === undefined) {
      w.typeError = `json: cannot unmarshal ${jsonTypeName(value)} into Go struct field ${structName}.${goPath} of type ${goTypeName(w.reg, schemaIn)}`;
    }
    return undefined;
  };
  if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties) return value;
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    return typeError();
  }
  if (schema['x-k8ts-quantity']) {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    return typeError();
  }
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') return typeError();
      if (schema.format === 'byte' && !BASE64.test(value.replace(/\s/g, ''))) {
        w.typeError ??= `illegal base64 data at input byte ${firstBadBase64Byte(value)}`;
        return undefined;
      }
      return value;
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value)) return typeError();
      return value;
    case 'number':
      if (typeof value !== 'number') return typeError();
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') return typeError();
      return value;
    case 'array': {
      if (!Array.isArray(value)) return typeError();
      const out: JsonValue[] = [];
      value.forEach((item, i) => {
        if (item === null) {
          // Go decodes null into the element's zero value; for objects that is {}, for strings "".
          const r = schema.items ? w.reg.resolve(schema.items).schema : {};
          out.push(r.type === 'object' ? {} : r.type === 'string' ? '' : r.type === 'integer' || r.type === 'number' ? 0 : r.type === 'boolean' ? false : null);
          return;
        }
        const d = schema.items ? walk(w, schema.items, item, `${path}[${i}]`, goPath, structName) : item;
        if (d !== undefined) out.push(d);
      });
      return out;
    }
    case 'object': {
      if (!isJsonObject(value)) return typeError();
      const childStruct = component ? component.slice(component.lastIndexOf('.') + 1) : structName;
      const out: JsonObject = {};
      for (const [k, v] of Object.entries(value)) {
        const prop = schema.properties?.[k];
        const childPath = path === '' ? k : `${path}.${k}`;
        const childGoPath = goPath === '' ? k : `${goPath}.${k}`;
        if (prop) {
          if (v === null) continue;
          const d = walk(w, prop, v, childPath, childGoPath, childStruct);
          if (d !== undefined) out[k] = d;
        } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
          if (v === null) continue;
          const d = walk(w, schema.additionalProperties, v, `${path}[${k}]`, goPath, structName);
          if (d !== undefined) out[k] = d;
        } else if (schema.additionalProperties === true || schema['x-kubernetes-preserve-unknown-fields']) {
          out[k] = v;
        } else {
          w.unknown.push(childPath);
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
  const w: Walk = { reg, unknown: [] };
  const root = reg.component(component);
  const name = component.slice(component.lastIndexOf('.') + 1);
  const out = walk(w, root, value, '', '', name);
  if (!isJsonObject(out)) {
    return { object: {}, unknownFields: w.unknown, typeError: w.typeError ?? `json: cannot unmarshal ${jsonTypeName(value)} into Go value of type v1.${name}` };
  }
  return { object: out, unknownFields: w.unknown, typeError: w.typeError };
}
