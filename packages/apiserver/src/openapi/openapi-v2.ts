// The OpenAPI v2 (Swagger 2.0) document: one document for every group version, built from the same schemas as the
// v3 documents. kubectl still reads v2 for client-side validation (`kubectl apply -f` of a `kind: List`, and whenever
// server-side field validation is unsupported) and for strategic-merge metadata when v3 is unusable; it finds a
// kind's definition through the definition's `x-kubernetes-group-version-kind`.
import { REF_PREFIX, verbsOf, type GroupVersionKind, type JsonObject, type JsonValue, type KindDefinition, type ResourceRegistry, type Schema, type SchemaRegistry } from '@k8ts/api-machinery';
import { resourceQuerySchema } from '../http/query.js';
import { SERVER_VERSION } from '../discovery/discovery.js';

export const DEFINITIONS_REF = '#/definitions/';

const GVK_EXTENSION = 'x-kubernetes-group-version-kind';
const PATCH_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/strategic-merge-patch+json', 'application/apply-patch+yaml'];
const PRODUCES = ['application/json', 'application/yaml', 'application/vnd.kubernetes.protobuf'];

/** Keywords that mean the same in v2; everything else is either translated below or dropped (nullable, anyOf…). */
const PLAIN_KEYWORDS = ['format', 'description', 'default', 'enum', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'minItems', 'maxItems', 'required'] as const;

/** Vendor extensions worth publishing: Kubernetes' own (patch strategy, list type, GVK…), not k8ts-internal ones. */
function isPublishedExtension(key: string): boolean {
  return key.startsWith('x-') && !key.startsWith('x-k8ts-') && key !== 'x-kubernetes-int-or-string';
}

function extensionsOf(schema: Schema): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(schema)) if (isPublishedExtension(k) && v !== undefined) out[k] = v as JsonValue;
  return out;
}

/** The component a schema points at: `{$ref}` or the described form `{allOf: [{$ref}], description…}`. */
function referencedComponent(schema: Schema): string | undefined {
  const direct = schema.$ref;
  const wrapped = schema.allOf?.length === 1 && schema.type === undefined && schema.properties === undefined ? schema.allOf[0]!.$ref : undefined;
  const ref = direct ?? wrapped;
  return ref?.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : undefined;
}

/**
 * A v3 schema as v2 expresses it. A reference becomes `{$ref: '#/definitions/…'}` with only description, default
 * and extensions beside it (kubectl rejects a $ref that also has a type or properties); int-or-string becomes
 * `type: string, format: int-or-string` as Kubernetes publishes it; `nullable` has no v2 form and is dropped.
 */
export function toSwaggerSchema(schema: Schema, hasDefinition: (name: string) => boolean): JsonObject {
  const target = referencedComponent(schema);
  if (target !== undefined) {
    const out: JsonObject = hasDefinition(target) ? { $ref: DEFINITIONS_REF + target } : {};
    if (schema.description !== undefined) out.description = schema.description;
    if (schema.default !== undefined) out.default = schema.default;
    return { ...out, ...extensionsOf(schema) };
  }
  const out: JsonObject = {};
  if (schema['x-kubernetes-int-or-string']) {
    out.type = 'string';
    out.format = 'int-or-string';
  } else if (schema.type !== undefined) {
    out.type = schema.type;
  }
  for (const k of PLAIN_KEYWORDS) {
    const v = schema[k];
    if (v !== undefined && out[k] === undefined) out[k] = v as JsonValue;
  }
  if (schema.properties !== undefined) {
    out.properties = Object.fromEntries(Object.entries(schema.properties).map(([name, p]) => [name, toSwaggerSchema(p, hasDefinition)]));
  }
  // kubectl's model parser insists on exactly one item schema for an array; an empty schema accepts anything.
  if (schema.items !== undefined) out.items = toSwaggerSchema(schema.items, hasDefinition);
  else if (schema.type === 'array') out.items = {};
  if (typeof schema.additionalProperties === 'boolean') out.additionalProperties = schema.additionalProperties;
  else if (schema.additionalProperties !== undefined) out.additionalProperties = toSwaggerSchema(schema.additionalProperties, hasDefinition);
  if (schema.allOf !== undefined) out.allOf = schema.allOf.map((a) => toSwaggerSchema(a, hasDefinition));
  return { ...out, ...extensionsOf(schema) };
}

function gvkOf(k: KindDefinition): GroupVersionKind {
  return { group: k.group, version: k.version, kind: k.kind };
}

function definitions(resources: ResourceRegistry, schemas: SchemaRegistry): JsonObject {
  const has = (name: string): boolean => schemas.has(name);
  const out: JsonObject = {};
  for (const name of [...schemas.all().keys()].sort()) out[name] = toSwaggerSchema(schemas.component(name), has);
  // Every served kind is findable by its GVK, whether or not its module tagged the component.
  for (const k of resources.kinds) {
    const def = out[k.schema] as JsonObject | undefined;
    if (!def) continue;
    const list = (Array.isArray(def[GVK_EXTENSION]) ? def[GVK_EXTENSION] : []) as JsonObject[];
    if (!list.some((g) => g.group === k.group && g.version === k.version && g.kind === k.kind)) {
      def[GVK_EXTENSION] = [...list, gvkOf(k) as unknown as JsonObject];
    }
  }
  return out;
}

/** `listAppsV1NamespacedDeployment`-style operation ids (unique across the one document, as Swagger requires). */
function groupVersionWord(k: KindDefinition): string {
  const cap = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);
  const group = k.group === '' ? 'core' : k.group.replace(/\.k8s\.io$/, '');
  return group.split(/[.-]/).map(cap).join('') + cap(k.version);
}

function queryParameter(name: string): JsonObject {
  const schema = (resourceQuerySchema.properties as unknown as Record<string, JsonObject | undefined>)[name] ?? {};
  // v2 query parameters carry a plain type; dryRun's "string or list of strings" is a repeated string parameter.
  const type = typeof schema.type === 'string' ? schema.type : 'string';
  const out: JsonObject = { name, in: 'query', type, uniqueItems: true };
  if (typeof schema.description === 'string') out.description = schema.description;
  return out;
}

const pathParameter = (name: string, description: string): JsonObject => ({ name, in: 'path', required: true, type: 'string', uniqueItems: true, description });

function operations(k: KindDefinition, scope: 'collection' | 'item' | 'all-namespaces', schemas: SchemaRegistry): JsonObject {
  const ref = (name: string): JsonObject => ({ $ref: DEFINITIONS_REF + name });
  const itemRef = ref(k.schema);
  const listRef = schemas.has(`${k.schema}List`) ? ref(`${k.schema}List`) : itemRef;
  const verbs = new Set(verbsOf(k));
  const namespaced = k.namespaced && scope !== 'all-namespaces' ? 'Namespaced' : '';
  const suffix = scope === 'all-namespaces' ? 'ForAllNamespaces' : '';
  const op = (action: string, verb: string, params: JsonObject[], response: JsonObject, extra: JsonObject = {}): JsonObject => ({
    description: `${action} ${k.kind}`,
    consumes: ['*/*'],
    produces: PRODUCES,
    schemes: ['https'],
    operationId: `${verb}${groupVersionWord(k)}${namespaced}${k.kind}${suffix}`,
    parameters: params,
    responses: { '200': { description: 'OK', schema: response }, '401': { description: 'Unauthorized' } },
    'x-kubernetes-action': action,
    'x-kubernetes-group-version-kind': gvkOf(k) as unknown as JsonObject,
    ...extra,
  });
  const q = (...names: string[]): JsonObject[] => names.map(queryParameter);
  const body = (schema: JsonObject): JsonObject => ({ name: 'body', in: 'body', required: true, schema });
  const writeParams = ['dryRun', 'fieldManager', 'fieldValidation'];
  const out: JsonObject = {};
  if (scope !== 'item') {
    if (verbs.has('list')) out.get = op('list', 'list', q('labelSelector', 'fieldSelector', 'limit', 'continue', 'resourceVersion', 'resourceVersionMatch', 'watch', 'allowWatchBookmarks', 'timeoutSeconds'), listRef);
    if (scope === 'all-namespaces') return out;
    if (verbs.has('create')) out.post = op('post', 'create', [body(itemRef), ...q(...writeParams)], itemRef);
    if (verbs.has('deletecollection')) out.delete = op('deletecollection', 'deleteCollection', q('labelSelector', 'fieldSelector', 'dryRun', 'gracePeriodSeconds', 'propagationPolicy'), itemRef);
  } else {
    if (verbs.has('get')) out.get = op('get', 'read', [], itemRef);
    if (verbs.has('update')) out.put = op('put', 'replace', [body(itemRef), ...q(...writeParams)], itemRef);
    if (verbs.has('patch')) out.patch = op('patch', 'patch', [body({ type: 'object', description: 'A patch in one of the consumed patch formats.' }), ...q(...writeParams, 'force')], itemRef, { consumes: PATCH_TYPES });
    if (verbs.has('delete')) out.delete = op('delete', 'delete', q('dryRun', 'gracePeriodSeconds', 'propagationPolicy'), itemRef);
  }
  return out;
}

function paths(resources: ResourceRegistry, schemas: SchemaRegistry): JsonObject {
  const namespaceParam = pathParameter('namespace', 'object name and auth scope, such as for teams and projects');
  const out: JsonObject = {};
  for (const k of resources.kinds) {
    const base = k.group === '' ? `/api/${k.version}` : `/apis/${k.group}/${k.version}`;
    const scoped = k.namespaced ? `${base}/namespaces/{namespace}` : base;
    const scopeParams = k.namespaced ? [namespaceParam] : [];
    out[`${scoped}/${k.plural}`] = { ...operations(k, 'collection', schemas), parameters: scopeParams };
    out[`${scoped}/${k.plural}/{name}`] = { ...operations(k, 'item', schemas), parameters: [pathParameter('name', `name of the ${k.kind}`), ...scopeParams] };
    if (k.namespaced) out[`${base}/${k.plural}`] = operations(k, 'all-namespaces', schemas);
  }
  for (const item of Object.values(out) as JsonObject[]) if ((item.parameters as JsonValue[] | undefined)?.length === 0) delete item.parameters;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The whole Swagger 2.0 document served at /openapi/v2. */
export function swaggerDocument(resources: ResourceRegistry, schemas: SchemaRegistry): JsonObject {
  return {
    swagger: '2.0',
    info: { title: 'Kubernetes', version: SERVER_VERSION.gitVersion },
    paths: paths(resources, schemas),
    definitions: definitions(resources, schemas),
  };
}
