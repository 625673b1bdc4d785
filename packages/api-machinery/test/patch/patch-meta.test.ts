import t from 'tap';
import { NO_PATCH_META, patchMetaFromSchema, type FieldPatchMeta, type PatchMeta } from '../../src/patch/index.js';
import { s, type Schema } from '../../src/schema/schema.js';
import { components, deploymentMeta, podMeta, widgetMeta } from './helpers/schemas.js';

function field(meta: PatchMeta | undefined, ...path: string[]): FieldPatchMeta | undefined {
  let current: FieldPatchMeta | undefined;
  let level = meta;
  for (const name of path) {
    current = level?.field(name);
    level = current?.elem;
  }
  return current;
}

t.test('object fields resolve through $ref and described allOf wrappers', async (t) => {
  const spec = field(deploymentMeta, 'spec');
  t.equal(spec?.kind, 'object');
  const containers = field(deploymentMeta, 'spec', 'template', 'spec', 'containers');
  t.equal(containers?.kind, 'list');
  t.equal(containers?.mergeKey, 'name');
  t.same(containers?.strategies, ['merge']);
  t.equal(containers?.itemIsObject, true);
  t.equal(containers?.listType, 'map');
  t.same(containers?.listMapKeys, ['name']);
  t.equal(field(deploymentMeta, 'spec', 'template', 'spec', 'containers', 'image')?.kind, 'primitive');
});

t.test('strategies are split on commas; retainKeys sits on the allOf wrapper of a reference', async (t) => {
  t.same(field(podMeta, 'spec', 'volumes')?.strategies, ['merge', 'retainKeys']);
  const strategy = field(deploymentMeta, 'spec', 'strategy');
  t.equal(strategy?.kind, 'object');
  t.same(strategy?.strategies, ['retainKeys']);
  t.equal(field(deploymentMeta, 'spec', 'strategy', 'rollingUpdate', 'maxSurge')?.kind, 'primitive');
});

t.test('maps: the elem meta answers every key with the value meta', async (t) => {
  const labels = field(podMeta, 'metadata', 'labels');
  t.equal(labels?.kind, 'map');
  t.equal(labels?.elem.field('anything')?.kind, 'primitive');
  t.equal(labels?.elem.field('app.kubernetes.io/name')?.kind, 'primitive');
  const limits = field(podMeta, 'spec', 'containers', 'resources', 'limits');
  t.equal(limits?.kind, 'map');
});

t.test('primitive lists and lists of objects without merge key', async (t) => {
  const finalizers = field(podMeta, 'metadata', 'finalizers');
  t.equal(finalizers?.kind, 'list');
  t.equal(finalizers?.itemIsObject, false);
  t.same(finalizers?.strategies, ['merge']);
  t.equal(finalizers?.listType, 'set');
  const command = field(podMeta, 'spec', 'containers', 'command');
  t.equal(command?.kind, 'list');
  t.same(command?.strategies, []);
  t.equal(command?.mergeKey, undefined);
  const tolerations = field(podMeta, 'spec', 'tolerations');
  t.equal(tolerations?.itemIsObject, true);
  t.equal(tolerations?.listType, 'atomic');
});

t.test('list-map keys carry their schema defaults', async (t) => {
  const ports = field(podMeta, 'spec', 'containers', 'ports');
  t.same(ports?.listMapKeys, ['containerPort', 'protocol']);
  t.same(ports?.listMapKeyDefaults, { protocol: 'TCP' });
  t.equal(field(podMeta, 'spec', 'containers', 'env')?.listMapKeyDefaults, undefined);
});

t.test('map-type of a referenced component is visible on the field', async (t) => {
  t.equal(field(deploymentMeta, 'spec', 'selector')?.mapType, 'atomic');
});

t.test('unknown fields, preserve-unknown-fields and NO_PATCH_META', async (t) => {
  t.equal(podMeta.field('nope'), undefined);
  t.equal(field(podMeta, 'spec', 'containers', 'nope'), undefined);
  t.equal(widgetMeta.field('spec'), undefined, 'x-kubernetes-preserve-unknown-fields is unknown');
  t.equal(NO_PATCH_META.field('anything'), undefined);
  t.equal(field(podMeta, 'spec', 'nodeSelector', 'x', 'y'), undefined, 'a primitive has no fields');
});

t.test('recursive schemas resolve lazily to any depth', async (t) => {
  const deep = field(widgetMeta, 'schema', 'properties', 'a', 'properties', 'b', 'items', 'items', 'required');
  t.equal(deep?.kind, 'list');
  t.equal(deep?.itemIsObject, false);
  t.equal(field(widgetMeta, 'schema', 'properties')?.kind, 'map');
  t.equal(field(widgetMeta, 'schema', 'properties', 'x')?.kind, 'object');
});

t.test('lookups are cached and stable', async (t) => {
  t.equal(podMeta.field('spec'), podMeta.field('spec'));
  const a = field(podMeta, 'spec', 'containers');
  t.equal(a?.elem.field('env'), a?.elem.field('env'));
});

t.test('unresolvable references and reference loops are unknown, not errors', async (t) => {
  const root: Schema = s.object({ missing: s.ref('Nowhere'), loop: s.ref('A') });
  const loops: Record<string, Schema> = { A: { $ref: '#/components/schemas/B' }, B: { $ref: '#/components/schemas/A' } };
  const meta = patchMetaFromSchema(root, loops);
  t.equal(meta.field('missing'), undefined);
  t.equal(meta.field('loop'), undefined);
});

t.test('a root given as a reference is resolved too', async (t) => {
  const meta = patchMetaFromSchema({ $ref: '#/components/schemas/io.k8s.api.core.v1.Pod' }, components);
  t.equal(meta.field('spec')?.kind, 'object');
  t.equal(field(meta, 'spec', 'containers')?.mergeKey, 'name');
});

t.test('free-form objects and additionalProperties: true', async (t) => {
  const meta = patchMetaFromSchema(s.object({ free: { type: 'object', additionalProperties: true }, plain: { type: 'object' } }), {});
  t.equal(meta.field('free')?.kind, 'object');
  t.equal(meta.field('free')?.elem.field('x'), undefined);
  t.equal(meta.field('plain')?.kind, 'object');
});
