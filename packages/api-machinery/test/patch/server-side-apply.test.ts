import t from 'tap';
import { applyServerSideApply, NO_PATCH_META, type PatchMeta } from '../../src/patch/index.js';
import type { JsonObject, JsonValue } from '../../src/json.js';
import { deploymentMeta, nodeMeta, podMeta, widgetMeta } from './helpers/schemas.js';
import { rejectsWith } from './helpers/rejects.js';

function live(): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', uid: 'u-1', resourceVersion: '7', labels: { app: 'web' }, finalizers: ['a', 'b'] },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web', tier: 'fe' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.25',
              imagePullPolicy: 'IfNotPresent',
              command: ['nginx', '-g', 'daemon off;'],
              env: [
                { name: 'A', value: '1' },
                { name: 'B', value: '2' },
              ],
              ports: [{ containerPort: 80, protocol: 'TCP', name: 'http' }],
            },
          ],
          tolerations: [{ key: 'a', operator: 'Exists' }],
        },
      },
    },
    status: { replicas: 1 },
  };
}

function apply(liveObject: JsonObject, applied: JsonValue, meta: PatchMeta = deploymentMeta): JsonObject {
  return applyServerSideApply(liveObject, applied as JsonObject, meta);
}

function container(obj: JsonObject, index = 0): JsonObject {
  const spec = (obj.spec as JsonObject).template as JsonObject;
  return ((spec.spec as JsonObject).containers as JsonObject[])[index] as JsonObject;
}

function containers(obj: JsonObject): JsonValue[] {
  return (((obj.spec as JsonObject).template as JsonObject).spec as JsonObject).containers as JsonValue[];
}

const CONFIG: JsonObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: { replicas: 3, template: { spec: { containers: [{ name: 'nginx', image: 'nginx:1.26' }] } } },
};

t.test('applied fields are set over the live object; everything else is kept', async (t) => {
  const out = apply(live(), CONFIG);
  const expected = live();
  (expected.spec as JsonObject).replicas = 3;
  container(expected).image = 'nginx:1.26';
  t.same(out, expected);
});

t.test('containers merge by name: live-only containers stay, new ones follow the applied order', async (t) => {
  const out = apply(live(), {
    spec: { template: { spec: { containers: [{ name: 'sidecar', image: 'busybox' }, { name: 'nginx', image: 'nginx:1.26' }] } } },
  });
  t.same(
    containers(out).map((c) => (c as JsonObject).name),
    ['sidecar', 'nginx'],
  );
  t.equal(container(out, 1).imagePullPolicy, 'IfNotPresent');
  const appended = apply(live(), { spec: { template: { spec: { containers: [{ name: 'nginx' }, { name: 'sidecar' }] } } } });
  t.same(
    containers(appended).map((c) => (c as JsonObject).name),
    ['nginx', 'sidecar'],
  );
});

t.test('env merges by name; atomic and untagged lists are replaced', async (t) => {
  const out = apply(live(), {
    spec: { template: { spec: { containers: [{ name: 'nginx', env: [{ name: 'B', value: 'two' }, { name: 'C', value: '3' }], command: ['nginx'] }], tolerations: [] } } },
  });
  t.same(container(out).env, [
    { name: 'A', value: '1' },
    { name: 'B', value: 'two' },
    { name: 'C', value: '3' },
  ]);
  t.same(container(out).command, ['nginx']);
  t.same((((out.spec as JsonObject).template as JsonObject).spec as JsonObject).tolerations, []);
});

t.test('ports are keyed by containerPort+protocol, an absent protocol taking its default TCP', async (t) => {
  const merged = apply(live(), { spec: { template: { spec: { containers: [{ name: 'nginx', ports: [{ containerPort: 80, name: 'web' }] }] } } } });
  t.same(container(merged).ports, [{ containerPort: 80, protocol: 'TCP', name: 'web' }]);
  const dns = apply(live(), {
    spec: {
      template: {
        spec: { containers: [{ name: 'nginx', ports: [{ containerPort: 53, protocol: 'UDP' }, { containerPort: 53, protocol: 'TCP' }, { containerPort: 80, protocol: 'TCP' }] }] },
      },
    },
  });
  t.same(container(dns).ports, [
    { containerPort: 53, protocol: 'UDP' },
    { containerPort: 53, protocol: 'TCP' },
    { containerPort: 80, protocol: 'TCP', name: 'http' },
  ]);
});

t.test('set lists take the union in structured-merge-diff order', async (t) => {
  const finalizers = (applied: string[], liveValues: string[]) => {
    const obj = live();
    (obj.metadata as JsonObject).finalizers = liveValues;
    return (apply(obj, { metadata: { finalizers: applied } }).metadata as JsonObject).finalizers;
  };
  t.same(finalizers(['b', 'c'], ['a', 'b']), ['a', 'b', 'c']);
  t.same(finalizers(['c', 'a'], ['a', 'b']), ['c', 'a', 'b']);
  t.same(finalizers(['c', 'a'], ['a', 'b', 'c']), ['b', 'c', 'a']);
  t.same(finalizers([], ['a']), ['a'], 'without ownership nothing is removed');
  const node = apply({ spec: { podCIDRs: ['10.0.0.0/24'] } }, { spec: { podCIDRs: ['fd00::/64'] } }, nodeMeta);
  t.same((node.spec as JsonObject).podCIDRs, ['10.0.0.0/24', 'fd00::/64'], 'a merge-strategy primitive list is a set');
});

t.test('atomic maps (LabelSelector) are replaced', async (t) => {
  const out = apply(live(), { spec: { selector: { matchLabels: { app: 'web' } } } });
  t.same((out.spec as JsonObject).selector, { matchLabels: { app: 'web' } });
});

t.test('maps merge recursively and null removes a field', async (t) => {
  const out = apply(live(), { metadata: { labels: { tier: 'fe', app: null } }, status: null });
  t.same((out.metadata as JsonObject).labels, { tier: 'fe' });
  t.equal(out.status, undefined);
  const nested = apply({}, { metadata: { labels: { a: 'x', b: null } } });
  t.same(nested, { metadata: { labels: { a: 'x' } } }, 'nulls in new values are not stored');
});

t.test('a list keyed by a merge key without a list type merges by that key', async (t) => {
  const pod: JsonObject = { spec: { initContainers: [{ name: 'i1', image: 'a' }, { name: 'i2', image: 'b' }] } };
  const out = apply(pod, { spec: { initContainers: [{ name: 'i2', image: 'c' }] } }, podMeta);
  t.same((out.spec as JsonObject).initContainers, [{ name: 'i1', image: 'a' }, { name: 'i2', image: 'c' }]);
});

t.test('ownerReferences by uid and volumes by name', async (t) => {
  const pod: JsonObject = {
    metadata: { ownerReferences: [{ uid: 'u1', name: 'rs' }] },
    spec: { volumes: [{ name: 'data', emptyDir: {} }] },
  };
  const out = apply(pod, { metadata: { ownerReferences: [{ uid: 'u1', controller: true }, { uid: 'u2', name: 'x' }] }, spec: { volumes: [{ name: 'cfg', configMap: { name: 'cm' } }] } }, podMeta);
  t.same(out, {
    metadata: { ownerReferences: [{ uid: 'u1', name: 'rs', controller: true }, { uid: 'u2', name: 'x' }] },
    spec: { volumes: [{ name: 'data', emptyDir: {} }, { name: 'cfg', configMap: { name: 'cm' } }] },
  });
});

t.test('unknown fields: maps merge, lists are replaced', async (t) => {
  const widget: JsonObject = { spec: { a: { b: 1 }, list: [{ name: 'x' }] } };
  t.same(apply(widget, { spec: { a: { c: 2 }, list: [{ name: 'y' }] } }, widgetMeta), { spec: { a: { b: 1, c: 2 }, list: [{ name: 'y' }] } });
  t.same(apply({ x: [1] }, { x: [2], y: { z: null } }, NO_PATCH_META), { x: [2], y: {} });
});

t.test('duplicate live entries collapse into the applied one', async (t) => {
  const obj = live();
  container(obj).env = [
    { name: 'A', value: '1' },
    { name: 'A', value: 'dup' },
    { name: 'B', value: '2' },
  ];
  const out = apply(obj, { spec: { template: { spec: { containers: [{ name: 'nginx', env: [{ name: 'A', value: 'new' }] }] } } } });
  t.same(container(out).env, [
    { name: 'A', value: 'new' },
    { name: 'B', value: '2' },
  ]);
});

t.test('422 errors in structured-merge-diff words', async (t) => {
  rejectsWith(
    t,
    () => apply(live(), { spec: { template: { spec: { containers: [{ name: 'x' }, { name: 'x' }] } } } }),
    422,
    '.spec.template.spec.containers: duplicate entries for key [name="x"]',
  );
  rejectsWith(
    t,
    () => apply(live(), { spec: { template: { spec: { containers: [{ name: 'nginx', ports: [{ containerPort: 80 }, { containerPort: 80, protocol: 'TCP' }] }] } } } }),
    422,
    '.spec.template.spec.containers[name="nginx"].ports: duplicate entries for key [containerPort=80,protocol="TCP"]',
  );
  rejectsWith(
    t,
    () => apply(live(), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }),
    422,
    `.spec.template.spec.containers: element 0: associative list with keys has an element that omits all key fields ["name"] (and doesn't have default values for any key fields)`,
  );
  rejectsWith(
    t,
    () => apply(live(), { spec: { template: { spec: { containers: ['nginx'] } } } }),
    422,
    '.spec.template.spec.containers: element 0: associative list with keys may not have non-map elements',
  );
  rejectsWith(t, () => apply(live(), { metadata: { finalizers: [{ a: 1 }] } }), 422, ".metadata.finalizers: element 0: associative list without keys has an element that's a map type");
  rejectsWith(t, () => apply(live(), { metadata: { finalizers: ['x', 'x'] } }), 422, '.metadata.finalizers: duplicate entries for key [="x"]');
});

t.test('inputs are never modified and the result shares nothing with them', async (t) => {
  const obj = live();
  const applied = structuredClone(CONFIG);
  const out = apply(obj, applied);
  t.same(obj, live());
  t.same(applied, CONFIG);
  container(out).image = 'changed';
  ((out.metadata as JsonObject).labels as JsonObject).app = 'changed';
  t.same(obj, live());
  t.same(applied, CONFIG);
});
