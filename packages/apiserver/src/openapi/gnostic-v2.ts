// A Swagger 2.0 JSON document as the gnostic `openapi.v2.Document` protobuf message
// (github.com/google/gnostic-models/openapiv2/OpenAPIv2.proto), the form kubectl asks /openapi/v2 for.
// JSON objects keyed by name (definitions, properties, paths, responses) become repeated Named* messages in key
// order; `x-` keys become vendor extensions whose value is YAML text (we write JSON, which YAML parsers read);
// sum types (type, items, additionalProperties, parameters) pick their oneof branch from the JSON shape.
// A key the table does not know is an error: silently dropping it would hide a document the encoder cannot express.
import { isJsonObject, type JsonObject, type JsonValue } from '@k8ts/api-machinery';
import { WireWriter } from '../protobuf/writer.js';

export const GNOSTIC_V2_MEDIA_TYPE = 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf';

type FieldEncoder = (w: WireWriter, field: number, value: JsonValue, path: string) => void;

interface MessageSpec {
  fields: Record<string, [number, FieldEncoder]>;
  /** Field number of `repeated NamedAny vendor_extension`, if the message has one. */
  vendor?: number;
}

function fail(path: string, what: string): never {
  throw new Error(`gnostic openapi v2 encoding: ${path}: ${what}`);
}

function asObject(v: JsonValue, path: string): JsonObject {
  return isJsonObject(v) ? v : fail(path, 'expected an object');
}

function asArray(v: JsonValue, path: string): JsonValue[] {
  return Array.isArray(v) ? v : fail(path, 'expected an array');
}

// YAML 1.1 (go-yaml v2) treats these as line breaks or non-printable even inside quotes: escape them.
const YAML_UNSAFE = /[\u007f-\u009f\u2028\u2029\ufeff\ufffe\uffff]/g;

/** A JSON value as YAML text: JSON is YAML's flow style, with the characters YAML 1.1 reads differently escaped. */
export function yamlText(v: JsonValue): string {
  return JSON.stringify(v).replace(YAML_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`) + '\n';
}

const str: FieldEncoder = (w, f, v, path) => void w.string(f, typeof v === 'string' ? v : fail(path, 'expected a string'));
const bool: FieldEncoder = (w, f, v, path) => void w.bool(f, typeof v === 'boolean' ? v : fail(path, 'expected a boolean'));
const int64: FieldEncoder = (w, f, v, path) => void w.varint(f, typeof v === 'number' && Number.isInteger(v) ? v : fail(path, 'expected an integer'));
const double: FieldEncoder = (w, f, v, path) => void w.double(f, typeof v === 'number' ? v : fail(path, 'expected a number'));
const strings: FieldEncoder = (w, f, v, path) => asArray(v, path).forEach((s, i) => str(w, f, s, `${path}[${i}]`));
/** Any{yaml = 2}: the value kept as text. */
const any: FieldEncoder = (w, f, v) => void w.message(f, (a) => a.string(2, yamlText(v)));
const anys: FieldEncoder = (w, f, v, path) => asArray(v, path).forEach((x) => any(w, f, x, path));

function message(spec: () => MessageSpec): FieldEncoder {
  return (w, f, v, path) => void w.message(f, (m) => encodeMessage(m, spec(), asObject(v, path), path));
}

function messages(spec: () => MessageSpec): FieldEncoder {
  const one = message(spec);
  return (w, f, v, path) => asArray(v, path).forEach((x, i) => one(w, f, x, `${path}[${i}]`));
}

/** A JSON object keyed by name as `repeated Named<T>{name = 1; value = 2}`; `x-` keys go to `vendor` when given. */
function named(value: FieldEncoder, vendor?: number): FieldEncoder {
  return (w, f, v, path) => {
    const extensions: [string, JsonValue][] = [];
    for (const [name, x] of Object.entries(asObject(v, path))) {
      if (vendor !== undefined && name.startsWith('x-')) extensions.push([name, x]);
      else w.message(f, (n) => value(n.string(1, name), 2, x, `${path}.${name}`));
    }
    if (vendor !== undefined) writeVendorExtensions(w, vendor, extensions);
  };
}

function writeVendorExtensions(w: WireWriter, field: number, extensions: [string, JsonValue][]): void {
  for (const [name, x] of extensions) w.message(field, (n) => any(n.string(1, name), 2, x, name));
}

function encodeMessage(w: WireWriter, spec: MessageSpec, obj: JsonObject, path: string): void {
  const extensions: [string, JsonValue][] = [];
  for (const [key, value] of Object.entries(obj)) {
    const entry = spec.fields[key];
    if (entry) entry[1](w, entry[0], value, `${path}.${key}`);
    else if (key.startsWith('x-') && spec.vendor !== undefined) extensions.push([key, value]);
    else fail(`${path}.${key}`, 'not representable in openapi.v2');
  }
  if (spec.vendor !== undefined) writeVendorExtensions(w, spec.vendor, extensions);
}

// --- Schema and its sum types ---

/** TypeItem{repeated string value = 1}: `type` is a string or a list of strings. */
const typeItem: FieldEncoder = (w, f, v, path) => void w.message(f, (t) => (typeof v === 'string' ? str(t, 1, v, path) : strings(t, 1, v, path)));

/** ItemsItem{repeated Schema schema = 1}: `items` is one schema or a list of them. */
const itemsItem: FieldEncoder = (w, f, v, path) => void w.message(f, (t) => (Array.isArray(v) ? messages(schemaSpec) : message(schemaSpec))(t, 1, v, path));

/** AdditionalPropertiesItem{oneof {Schema schema = 1; bool boolean = 2}}; `false` is written (oneof presence). */
const additionalPropertiesItem: FieldEncoder = (w, f, v, path) => void w.message(f, (t) => (typeof v === 'boolean' ? bool(t, 2, v, path) : message(schemaSpec)(t, 1, v, path)));

/** Properties / Definitions {repeated NamedSchema additional_properties = 1}. */
const namedSchemas: FieldEncoder = (w, f, v, path) => void w.message(f, (t) => named(message(schemaSpec))(t, 1, v, path));

const externalDocsSpec = (): MessageSpec => ({ fields: { description: [1, str], url: [2, str] }, vendor: 3 });

function schemaSpec(): MessageSpec {
  return {
    fields: {
      $ref: [1, str],
      format: [2, str],
      title: [3, str],
      description: [4, str],
      default: [5, any],
      multipleOf: [6, double],
      maximum: [7, double],
      exclusiveMaximum: [8, bool],
      minimum: [9, double],
      exclusiveMinimum: [10, bool],
      maxLength: [11, int64],
      minLength: [12, int64],
      pattern: [13, str],
      maxItems: [14, int64],
      minItems: [15, int64],
      uniqueItems: [16, bool],
      maxProperties: [17, int64],
      minProperties: [18, int64],
      required: [19, strings],
      enum: [20, anys],
      additionalProperties: [21, additionalPropertiesItem],
      type: [22, typeItem],
      items: [23, itemsItem],
      allOf: [24, messages(schemaSpec)],
      properties: [25, namedSchemas],
      discriminator: [26, str],
      readOnly: [27, bool],
      externalDocs: [29, message(externalDocsSpec)],
      example: [30, any],
    },
    vendor: 31,
  };
}

// --- Parameters ---

const jsonReferenceSpec = (): MessageSpec => ({ fields: { $ref: [1, str], description: [2, str] } });

/** The validation keywords shared by the non-body parameter kinds, numbered from `type`'s field number on. */
function primitiveKeywords(typeField: number): MessageSpec['fields'] {
  const n = (offset: number): number => typeField + offset;
  return {
    type: [n(0), str],
    format: [n(1), str],
    items: [n(2), message(primitivesItemsSpec)],
    collectionFormat: [n(3), str],
    default: [n(4), any],
    maximum: [n(5), double],
    exclusiveMaximum: [n(6), bool],
    minimum: [n(7), double],
    exclusiveMinimum: [n(8), bool],
    maxLength: [n(9), int64],
    minLength: [n(10), int64],
    pattern: [n(11), str],
    maxItems: [n(12), int64],
    minItems: [n(13), int64],
    uniqueItems: [n(14), bool],
    enum: [n(15), anys],
    multipleOf: [n(16), double],
  };
}

/** PrimitivesItems: type = 1 … multiple_of = 17, vendor_extension = 18. */
function primitivesItemsSpec(): MessageSpec {
  return { fields: primitiveKeywords(1), vendor: 18 };
}

/** Query and formData sub-schemas have allow_empty_value = 5, so their keywords start at type = 6. */
const queryLikeSpec = (): MessageSpec => ({
  fields: { required: [1, bool], in: [2, str], description: [3, str], name: [4, str], allowEmptyValue: [5, bool], ...primitiveKeywords(6) },
  vendor: 23,
});
/** Path and header sub-schemas: type = 5 … multiple_of = 21, vendor_extension = 22. */
const pathLikeSpec = (): MessageSpec => ({
  fields: { required: [1, bool], in: [2, str], description: [3, str], name: [4, str], ...primitiveKeywords(5) },
  vendor: 22,
});
const bodyParameterSpec = (): MessageSpec => ({
  fields: { description: [1, str], name: [2, str], in: [3, str], required: [4, bool], schema: [5, message(schemaSpec)] },
  vendor: 6,
});

/** NonBodyParameter's oneof: header = 1, formData = 2, query = 3, path = 4. */
const NON_BODY: Record<string, [number, () => MessageSpec]> = { header: [1, pathLikeSpec], formData: [2, queryLikeSpec], query: [3, queryLikeSpec], path: [4, pathLikeSpec] };

/** ParametersItem{oneof {Parameter parameter = 1; JsonReference json_reference = 2}}, Parameter{body = 1 | non-body = 2}. */
const parametersItem: FieldEncoder = (w, f, v, path) => {
  const p = asObject(v, path);
  w.message(f, (item) => {
    if (typeof p.$ref === 'string') return void message(jsonReferenceSpec)(item, 2, p, path);
    item.message(1, (param) => {
      if (p.in === 'body') return void message(bodyParameterSpec)(param, 1, p, path);
      const kind = typeof p.in === 'string' ? NON_BODY[p.in] : undefined;
      if (!kind) fail(`${path}.in`, `unknown parameter location ${JSON.stringify(p.in)}`);
      param.message(2, (nb) => message(kind[1])(nb, kind[0], p, path));
    });
  });
};
const parametersItems: FieldEncoder = (w, f, v, path) => asArray(v, path).forEach((x, i) => parametersItem(w, f, x, `${path}[${i}]`));

// --- Operations, paths, responses ---

/** SchemaItem{oneof {Schema schema = 1; FileSchema file_schema = 2}}: only schemas are published. */
const schemaItem: FieldEncoder = (w, f, v, path) => void w.message(f, (t) => message(schemaSpec)(t, 1, v, path));

const responseSpec = (): MessageSpec => ({ fields: { description: [1, str], schema: [2, schemaItem] }, vendor: 5 });

/** ResponseValue{oneof {Response response = 1; JsonReference json_reference = 2}}. */
const responseValue: FieldEncoder = (w, f, v, path) => {
  const isRef = typeof asObject(v, path).$ref === 'string';
  w.message(f, (t) => (isRef ? message(jsonReferenceSpec)(t, 2, v, path) : message(responseSpec)(t, 1, v, path)));
};

/** Responses{repeated NamedResponseValue response_code = 1; repeated NamedAny vendor_extension = 2}. */
const responses: FieldEncoder = (w, f, v, path) => void w.message(f, (t) => named(responseValue, 2)(t, 1, v, path));

function operationSpec(): MessageSpec {
  return {
    fields: {
      tags: [1, strings],
      summary: [2, str],
      description: [3, str],
      externalDocs: [4, message(externalDocsSpec)],
      operationId: [5, str],
      produces: [6, strings],
      consumes: [7, strings],
      parameters: [8, parametersItems],
      responses: [9, responses],
      schemes: [10, strings],
      deprecated: [11, bool],
    },
    vendor: 13,
  };
}

function pathItemSpec(): MessageSpec {
  const op = message(operationSpec);
  return {
    fields: { $ref: [1, str], get: [2, op], put: [3, op], post: [4, op], delete: [5, op], options: [6, op], head: [7, op], patch: [8, op], parameters: [9, parametersItems] },
    vendor: 10,
  };
}

/** Paths{repeated NamedAny vendor_extension = 1; repeated NamedPathItem path = 2}. */
const pathsField: FieldEncoder = (w, f, v, path) => void w.message(f, (t) => named(message(pathItemSpec), 1)(t, 2, v, path));

const infoSpec = (): MessageSpec => ({ fields: { title: [1, str], version: [2, str], description: [3, str], termsOfService: [4, str] }, vendor: 7 });

const documentSpec = (): MessageSpec => ({
  fields: {
    swagger: [1, str],
    info: [2, message(infoSpec)],
    host: [3, str],
    basePath: [4, str],
    schemes: [5, strings],
    consumes: [6, strings],
    produces: [7, strings],
    paths: [8, pathsField],
    definitions: [9, namedSchemas],
    externalDocs: [15, message(externalDocsSpec)],
  },
  vendor: 16,
});

/** The serialized `openapi.v2.Document` for a Swagger 2.0 JSON document. Throws on keys it cannot represent. */
export function encodeGnosticDocument(doc: JsonObject): Uint8Array {
  const w = new WireWriter();
  encodeMessage(w, documentSpec(), doc, '$');
  return w.finish();
}
