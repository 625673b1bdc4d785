// coordination.k8s.io, discovery.k8s.io and events.k8s.io: module shape, references and kinds.
import t from 'tap';
import type { KindDefinition, SchemaModule } from '../../../src/schema/module.js';
import { refName, type Schema } from '../../../src/schema/schema.js';
import { metaSchemas, OBJECT_META } from '../../../src/types/meta-v1/schemas.js';
import { coreModule } from '../../../src/types/core-v1/core.js';
import { coordinationKinds, coordinationModule } from '../../../src/types/coordination-v1/index.js';
import { discoveryKinds, discoveryModule } from '../../../src/types/discovery-v1/index.js';
import { eventsKinds, eventsModule } from '../../../src/types/events-v1/index.js';

/** Referenced by name from the pod engineer's module. */
const FROM_POD_MODULE = ['io.k8s.api.core.v1.ObjectReference'];

function refsOf(schema: Schema, out: Set<string>): Set<string> {
  const name = refName(schema);
  if (name) out.add(name);
  for (const sub of [...Object.values(schema.properties ?? {}), ...(schema.allOf ?? [])]) refsOf(sub, out);
  if (schema.items) refsOf(schema.items, out);
  if (typeof schema.additionalProperties === 'object') refsOf(schema.additionalProperties, out);
  return out;
}

const groups: [string, SchemaModule, KindDefinition[]][] = [
  ['coordination.k8s.io', coordinationModule, coordinationKinds],
  ['discovery.k8s.io', discoveryModule, discoveryKinds],
  ['events.k8s.io', eventsModule, eventsKinds],
];

t.test('references resolve within the module, meta/v1, core/v1 or the pod module', async (t) => {
  const known = new Set([...Object.keys(metaSchemas), ...Object.keys(coreModule.schemas), ...FROM_POD_MODULE]);
  for (const [group, mod] of groups) {
    const local = new Set([...known, ...Object.keys(mod.schemas)]);
    const dangling = Object.entries(mod.schemas).flatMap(([name, s]) => [...refsOf(s, new Set())].filter((r) => !local.has(r)).map((r) => `${name} -> ${r}`));
    t.same(dangling, [], group);
    for (const hook of [...Object.keys(mod.defaulters ?? {}), ...Object.keys(mod.validators ?? {})]) t.ok(mod.schemas[hook], hook);
  }
});

t.test('kinds', async (t) => {
  for (const [group, mod, kinds] of groups) {
    t.equal(kinds.length, 1);
    const k = kinds[0]!;
    t.equal(k.group, group);
    t.equal(k.version, 'v1');
    t.ok(k.namespaced);
    const schema = mod.schemas[k.schema];
    t.same(schema?.['x-kubernetes-group-version-kind'], [{ group, version: 'v1', kind: k.kind }]);
    t.equal(schema?.properties?.metadata ? refName(schema.properties.metadata) : undefined, OBJECT_META);
    t.equal(schema?.properties?.apiVersion?.type, 'string');
  }
  t.same(
    groups.map(([, , [k]]) => [k!.plural, k!.singular, k!.shortNames ?? []]),
    [
      ['leases', 'lease', []],
      ['endpointslices', 'endpointslice', []],
      ['events', 'event', ['ev']],
    ],
  );
  t.equal(eventsKinds[0]!.storageResource, 'events', 'events.k8s.io Events share storage with core Events');
});

t.test('events.k8s.io field selectors work on either stored shape', async (t) => {
  const sel = eventsKinds[0]!.fieldSelectors!;
  const v1 = { regarding: { kind: 'Pod', name: 'p' }, reportingController: 'ctl', deprecatedSource: {}, type: 'Warning', reason: 'Failed' };
  const core = { involvedObject: { kind: 'Pod', name: 'p' }, reportingComponent: 'ctl', source: { component: 'kubelet' }, type: 'Warning' };
  t.equal(sel['regarding.kind']!(v1), 'Pod');
  t.equal(sel['regarding.name']!(core), 'p');
  t.equal(sel['regarding.uid']!(core), '');
  t.equal(sel.reportingController!(v1), 'ctl');
  t.equal(sel.reportingController!(core), 'ctl');
  t.equal(sel.source!(v1), 'ctl');
  t.equal(sel.source!(core), 'kubelet');
  t.equal(sel.reason!(v1), 'Failed');
  t.equal(sel.type!(core), 'Warning');
});
