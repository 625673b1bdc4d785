// The OpenAPI v2 document built from the real registries, and its gnostic protobuf encoding read back field by field
// with the wire reader (field numbers from gnostic-models' OpenAPIv2.proto).
import t from 'tap';
import { allKinds, allSchemaModules, ResourceRegistry, SchemaRegistry, type JsonObject, type JsonValue, type Schema } from '@k8ts/api-machinery';
import { swaggerDocument, toSwaggerSchema } from '../../src/openapi/openapi-v2.js';
import { encodeGnosticDocument, yamlText } from '../../src/openapi/gnostic-v2.js';
import { WireReader } from '../../src/protobuf/wire.js';

const resources = new ResourceRegistry(allKinds);
const schemas = new SchemaRegistry(allSchemaModules);
const doc = swaggerDocument(resources, schemas);
const definitions = doc.definitions as Record<string, JsonObject>;

/** Every schema object in the document (definitions and operation schemas), with where it is. */
function* walk(v: JsonValue, path = '$'): Generator<[string, JsonObject]> {
  if (Array.isArray(v)) for (const [i, x] of v.entries()) yield* walk(x, `${path}[${i}]`);
  else if (v !== null && typeof v === 'object') {
    yield [path, v];
    for (const [k, x] of Object.entries(v)) yield* walk(x, `${path}.${k}`);
  }
}

// --- a small protobuf reader for the assertions: fields by number ---
type Field = { field: number; varint?: bigint; bytes?: Uint8Array; fixed64?: bigint };
function fields(buf: Uint8Array): Field[] {
  const r = new WireReader(buf);
  const out: Field[] = [];
  while (!r.eof()) {
    const { field, wireType } = r.tag();
    if (wireType === 0) out.push({ field, varint: r.varint() });
    else if (wireType === 2) out.push({ field, bytes: r.bytes() });
    else if (wireType === 1) out.push({ field, fixed64: r.fixed64() });
    else throw new Error(`unexpected wire type ${wireType}`);
  }
  return out;
}
const all = (buf: Uint8Array, n: number): Uint8Array[] => fields(buf).filter((f) => f.field === n).map((f) => f.bytes!);
const one = (buf: Uint8Array, n: number): Uint8Array => {
  const found = all(buf, n);
  if (found.length !== 1) throw new Error(`field ${n}: ${found.length} occurrences`);
  return found[0]!;
};
const text = (b: Uint8Array): string => new TextDecoder().decode(b);
const str = (buf: Uint8Array, n: number): string => text(one(buf, n));
const strs = (buf: Uint8Array, n: number): string[] => all(buf, n).map(text);
const varint = (buf: Uint8Array, n: number): bigint | undefined => fields(buf).find((f) => f.field === n)?.varint;
/** Repeated Named*{name = 1; value = 2} as [name, value bytes]. */
const named = (buf: Uint8Array, n: number): [string, Uint8Array][] => all(buf, n).map((e) => [str(e, 1), one(e, 2)]);
/** A message's vendor extensions: name → YAML text of Any (field 2). */
const extensions = (buf: Uint8Array, n: number): Record<string, string> => Object.fromEntries(named(buf, n).map(([k, any]) => [k, str(any, 2)]));

t.test('the v2 document', async (t) => {
  t.equal(doc.swagger, '2.0');
  t.match(doc.info, { title: 'Kubernetes', version: /^v1\.32/ });
  t.same(Object.keys(definitions), [...schemas.all().keys()].sort(), 'every component schema is a definition');

  t.same(definitions['io.k8s.api.core.v1.Pod']?.['x-kubernetes-group-version-kind'], [{ group: '', version: 'v1', kind: 'Pod' }]);
  t.same(definitions['io.k8s.api.apps.v1.Deployment']?.['x-kubernetes-group-version-kind'], [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
  for (const k of allKinds) {
    const gvks = definitions[k.schema]?.['x-kubernetes-group-version-kind'] as JsonObject[] | undefined;
    t.ok(gvks?.some((g) => g.group === k.group && g.version === k.version && g.kind === k.kind), `${k.group}/${k.version} ${k.kind} is found by its GVK`);
  }

  t.same((definitions['io.k8s.api.apps.v1.Deployment']?.properties as JsonObject).spec, {
    $ref: '#/definitions/io.k8s.api.apps.v1.DeploymentSpec',
    description: 'Desired behavior of the Deployment.',
  }, 'a described reference is $ref + description, not allOf');
  t.match((definitions['io.k8s.api.apps.v1.RollingUpdateDeployment']?.properties as JsonObject).maxSurge, { type: 'string', format: 'int-or-string' });

  const v3Only = ['nullable', 'oneOf', 'anyOf', 'not', 'openapi', 'components', 'requestBody', 'content', 'x-kubernetes-int-or-string'];
  let refs = 0;
  for (const [path, o] of walk(doc)) {
    const onlyInSchemas = !path.endsWith('.properties') && !path.endsWith('.paths') && !path.endsWith('.definitions') && !path.endsWith('.responses');
    if (onlyInSchemas) for (const k of Object.keys(o)) if (v3Only.includes(k) || k.startsWith('x-k8ts-')) t.fail(`${path} has ${k}`);
    if (typeof o.$ref === 'string') {
      refs++;
      const target = o.$ref.startsWith('#/definitions/') ? o.$ref.slice('#/definitions/'.length) : undefined;
      if (target === undefined || !definitions[target]) t.fail(`${path}: dangling or non-definition $ref ${o.$ref}`);
      // kubectl's model parser rejects a reference with a type or properties beside it.
      if ('type' in o || 'properties' in o) t.fail(`${path}: $ref with type/properties`);
    }
    if (o.type === 'array' && onlyInSchemas && !path.includes('.parameters[') && !(o.items && typeof o.items === 'object')) t.fail(`${path}: array without items`);
  }
  t.ok(refs > 100, `${refs} references checked`);
});

t.test('paths and operations', async (t) => {
  const paths = doc.paths as Record<string, Record<string, JsonObject>>;
  const item = paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}']!;
  t.match(item.patch, {
    'x-kubernetes-action': 'patch',
    'x-kubernetes-group-version-kind': { group: 'apps', version: 'v1', kind: 'Deployment' },
    operationId: 'patchAppsV1NamespacedDeployment',
    responses: { '200': { schema: { $ref: '#/definitions/io.k8s.api.apps.v1.Deployment' } } },
  });
  // cli-runtime's v2 query-param verifier looks for fieldValidation among the PATCH operation's query parameters.
  t.ok((item.patch!.parameters as JsonObject[]).some((p) => p.name === 'fieldValidation' && p.in === 'query'));
  t.same((item.parameters as unknown as JsonObject[]).map((p) => [p.name, p.in, p.required]), [['name', 'path', true], ['namespace', 'path', true]]);
  t.match(paths['/api/v1/namespaces/{namespace}/pods']?.post, { parameters: [{ name: 'body', in: 'body', schema: { $ref: '#/definitions/io.k8s.api.core.v1.Pod' } }] });
  t.match(paths['/api/v1/pods']?.get, { operationId: 'listCoreV1PodForAllNamespaces', 'x-kubernetes-action': 'list' });
  const ids = Object.values(paths).flatMap((p) => Object.values(p).filter((op) => !Array.isArray(op)).map((op) => op.operationId));
  t.equal(new Set(ids).size, ids.length, `${ids.length} operation ids, all distinct`);
});

t.test('schema translation', async (t) => {
  const known = (n: string): boolean => n === 'io.k8s.Known';
  const tr = (s: Schema | JsonObject): JsonObject => toSwaggerSchema(s as Schema, known);
  t.same(tr({ type: 'string', nullable: true, description: 'd' }), { type: 'string', description: 'd' }, 'nullable dropped');
  t.same(tr({ description: 'x', anyOf: [{ type: 'string' }] }), { description: 'x' }, 'anyOf dropped');
  t.same(tr({ type: 'array' }), { type: 'array', items: {} }, 'an array always has one item schema');
  t.same(tr({ $ref: '#/components/schemas/io.k8s.Known' }), { $ref: '#/definitions/io.k8s.Known' });
  t.same(tr({ allOf: [{ $ref: '#/components/schemas/io.k8s.Known' }], description: 'd', default: {}, 'x-kubernetes-patch-strategy': 'retainKeys', 'x-k8ts-immutable': true }), {
    $ref: '#/definitions/io.k8s.Known',
    description: 'd',
    default: {},
    'x-kubernetes-patch-strategy': 'retainKeys',
  });
  t.same(tr({ allOf: [{ $ref: '#/components/schemas/io.k8s.Missing' }], description: 'd' }), { description: 'd' }, 'no dangling reference');
  t.same(tr({ format: 'int-or-string', 'x-kubernetes-int-or-string': true }), { type: 'string', format: 'int-or-string' });
  t.same(tr({ type: 'object', additionalProperties: false, properties: {} }), { type: 'object', properties: {}, additionalProperties: false });
  t.same(tr({ type: 'object', additionalProperties: { type: 'integer', format: 'int32', minimum: 0 } }), { type: 'object', additionalProperties: { type: 'integer', format: 'int32', minimum: 0 } });
  t.same(tr({ 'x-kubernetes-preserve-unknown-fields': true, description: 'raw' }), { description: 'raw', 'x-kubernetes-preserve-unknown-fields': true });
});

t.test('gnostic encoding: field numbers of every message the document uses', async (t) => {
  const small: JsonObject = {
    swagger: '2.0',
    info: { title: 'T', version: 'v9' },
    paths: {
      '/p/{name}': {
        get: {
          operationId: 'readP',
          consumes: ['*/*'],
          produces: ['application/json'],
          schemes: ['https'],
          parameters: [
            { name: 'limit', in: 'query', type: 'integer', uniqueItems: true, description: 'max' },
            { name: 'body', in: 'body', required: true, schema: { $ref: '#/definitions/P' } },
          ],
          responses: { '200': { description: 'OK', schema: { $ref: '#/definitions/P' } } },
          'x-kubernetes-action': 'get',
          'x-kubernetes-group-version-kind': { group: 'g', version: 'v1', kind: 'P' },
        },
        parameters: [{ name: 'name', in: 'path', required: true, type: 'string' }],
      },
    },
    definitions: {
      P: {
        type: 'object',
        description: 'a P',
        required: ['spec'],
        properties: {
          spec: { $ref: '#/definitions/S', description: 'the spec' },
          tags: { type: 'array', items: { type: 'string' }, 'x-kubernetes-list-type': 'set' },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          closed: { type: 'object', additionalProperties: false },
          mode: { type: 'string', enum: ['A', 'B'], default: 'A', maxLength: 300 },
          ratio: { type: 'number', minimum: 0.5 },
        },
        'x-kubernetes-group-version-kind': [{ group: 'g', version: 'v1', kind: 'P' }],
      },
      S: { type: 'object', properties: {} },
    },
  };
  const pb = encodeGnosticDocument(small);
  t.equal(str(pb, 1), '2.0', 'Document.swagger = 1');
  const info = one(pb, 2);
  t.same([str(info, 1), str(info, 2)], ['T', 'v9'], 'Info.title = 1, version = 2');

  const [[pathName, pathItem]] = named(one(pb, 8), 2) as [[string, Uint8Array]];
  t.equal(pathName, '/p/{name}', 'Paths.path = 2 (NamedPathItem)');
  const pathParam = one(one(one(one(pathItem, 9), 1), 2), 4);
  t.same([varint(pathParam, 1), str(pathParam, 2), str(pathParam, 4), str(pathParam, 5)], [1n, 'path', 'name', 'string'], 'PathItem.parameters = 9 → path sub-schema = 4');

  const op = one(pathItem, 2);
  t.equal(str(op, 5), 'readP', 'PathItem.get = 2, Operation.operation_id = 5');
  t.same([strs(op, 7), strs(op, 6), strs(op, 10)], [['*/*'], ['application/json'], ['https']], 'consumes = 7, produces = 6, schemes = 10');
  const [query, body] = all(op, 8).map((item) => one(item, 1));
  const q = one(one(query!, 2), 3);
  t.same([str(q, 4), str(q, 2), str(q, 6), varint(q, 20), str(q, 3)], ['limit', 'query', 'integer', 1n, 'max'], 'NonBodyParameter.query = 3 fields');
  const b = one(body!, 1);
  t.same([str(b, 2), str(b, 3), varint(b, 4), str(one(b, 5), 1)], ['body', 'body', 1n, '#/definitions/P'], 'BodyParameter fields');
  const [[code, value]] = named(one(op, 9), 1) as [[string, Uint8Array]];
  const response = one(value, 1);
  t.same([code, str(response, 1), str(one(one(response, 2), 1), 1)], ['200', 'OK', '#/definitions/P'], 'Responses → ResponseValue.response → SchemaItem.schema');
  const opExt = extensions(op, 13);
  t.same(JSON.parse(opExt['x-kubernetes-group-version-kind']!), { group: 'g', version: 'v1', kind: 'P' }, 'Operation.vendor_extension = 13');
  t.equal(JSON.parse(opExt['x-kubernetes-action']!), 'get');

  const defs = named(one(pb, 9), 1);
  t.same(defs.map(([n]) => n), ['P', 'S'], 'Definitions.additional_properties = 1, in order');
  const p = defs[0]![1];
  t.same(strs(one(p, 22), 1), ['object'], 'Schema.type = 22 (TypeItem.value)');
  t.equal(str(p, 4), 'a P');
  t.same(strs(p, 19), ['spec'], 'Schema.required = 19');
  t.same(JSON.parse(extensions(p, 31)['x-kubernetes-group-version-kind']!), [{ group: 'g', version: 'v1', kind: 'P' }], 'Schema.vendor_extension = 31');
  const props = Object.fromEntries(named(one(p, 25), 1));
  t.same(Object.keys(props), ['spec', 'tags', 'labels', 'closed', 'mode', 'ratio'], 'Properties keep their order');
  t.same([str(props.spec!, 1), str(props.spec!, 4), all(props.spec!, 22).length], ['#/definitions/S', 'the spec', 0], '$ref = 1 without a type');
  const itemSchema = one(one(props.tags!, 23), 1);
  t.same(strs(one(itemSchema, 22), 1), ['string'], 'ItemsItem.schema = 1');
  t.equal(JSON.parse(extensions(props.tags!, 31)['x-kubernetes-list-type']!), 'set');
  const mapValue = one(one(props.labels!, 21), 1);
  t.same(strs(one(mapValue, 22), 1), ['string'], 'AdditionalPropertiesItem.schema = 1');
  const closed = fields(one(props.closed!, 21));
  t.same(closed, [{ field: 2, varint: 0n }], 'AdditionalPropertiesItem.boolean = 2, false written');
  t.same(all(props.mode!, 20).map((any) => JSON.parse(str(any, 2))), ['A', 'B'], 'Schema.enum = 20 as Any.yaml');
  t.equal(JSON.parse(str(one(props.mode!, 5), 2)), 'A', 'Schema.default = 5');
  t.equal(varint(props.mode!, 11), 300n, 'Schema.max_length = 11');
  const ratio = fields(props.ratio!).find((f) => f.field === 9);
  const dv = new DataView(new ArrayBuffer(8));
  dv.setBigUint64(0, ratio!.fixed64!, true);
  t.equal(dv.getFloat64(0, true), 0.5, 'Schema.minimum = 9 (double)');
  const s = defs[1]![1];
  t.same(fields(one(s, 25)), [], 'empty properties are present (kubectl: an object with no fields)');
});

t.test('gnostic encoding of the real document', async (t) => {
  const pb = encodeGnosticDocument(doc);
  const defs = named(one(pb, 9), 1);
  t.same(defs.map(([n]) => n), Object.keys(definitions));
  const pod = Object.fromEntries(defs)['io.k8s.api.core.v1.Pod']!;
  t.same(JSON.parse(extensions(pod, 31)['x-kubernetes-group-version-kind']!), [{ group: '', version: 'v1', kind: 'Pod' }]);
  t.equal(named(one(pb, 8), 2).length, Object.keys(doc.paths as JsonObject).length);
  t.throws(() => encodeGnosticDocument({ swagger: '2.0', definitions: { X: { oneOf: [] } } }), /\$\.definitions\.X\.oneOf: not representable/);
  t.throws(() => encodeGnosticDocument({ paths: { '/x': { get: { parameters: [{ name: 'c', in: 'cookie' }] } } } }), /unknown parameter location/);
});

t.test('YAML text of vendor extension values', async (t) => {
  t.equal(yamlText([{ group: '', kind: 'Pod' }]), '[{"group":"","kind":"Pod"}]\n');
  t.equal(yamlText('a\u2028b\u0085'), '"a\\u2028b\\u0085"\n', 'characters YAML 1.1 reads as line breaks are escaped');
  t.equal(yamlText('héllo 😀'), '"héllo 😀"\n');
});
