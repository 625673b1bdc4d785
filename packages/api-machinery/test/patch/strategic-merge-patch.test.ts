import t, { type Test } from 'tap';
import { applyStrategicMergePatch, NO_PATCH_META, patchMetaFromSchema, type PatchMeta } from '../../src/patch/index.js';
import { s } from '../../src/schema/schema.js';
import type { JsonObject, JsonValue } from '../../src/json.js';
import { deploymentMeta, nodeMeta, podMeta, widgetMeta } from './helpers/schemas.js';
import { rejectsWith } from './helpers/rejects.js';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

function liveDeployment(): JsonObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'd-1', annotations: { [LAST_APPLIED]: '{"old":true}' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { app: 'web' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'nginx',
              image: 'nginx:1.25',
              imagePullPolicy: 'IfNotPresent',
              env: [{ name: 'A', value: '1' }],
              ports: [{ containerPort: 80, protocol: 'TCP' }],
            },
          ],
          restartPolicy: 'Always',
        },
      },
    },
  };
}

function smp(original: JsonObject, patch: JsonValue, meta: PatchMeta = deploymentMeta): JsonObject {
  return applyStrategicMergePatch(original, patch as JsonObject, meta);
}

/** Follows object keys and list indices. */
function at(value: JsonValue | undefined, ...path: (string | number)[]): JsonValue | undefined {
  let current = value;
  for (const step of path) {
    if (typeof step === 'number') current = Array.isArray(current) ? current[step] : undefined;
    else current = current !== null && typeof current === 'object' && !Array.isArray(current) ? current[step] : undefined;
  }
  return current;
}

function names(list: JsonValue | undefined, key = 'name'): JsonValue[] {
  return Array.isArray(list) ? list.map((item) => at(item, key) ?? null) : [];
}

/** Every object key anywhere in a value, to check that no directive was stored. */
function allKeys(value: JsonValue | undefined): string[] {
  if (Array.isArray(value)) return value.flatMap(allKeys);
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([k, v]) => [k, ...allKeys(v)]);
}

function assertNoDirectives(t: Test, value: JsonValue): void {
  t.same(allKeys(value).filter((k) => k.startsWith('$')), [], 'no directive keys stored');
}

const CONTAINERS = ['spec', 'template', 'spec', 'containers'] as const;

t.test('kubectl apply (doc §6): $setElementOrder for containers and env, fields merged, server fields kept', async (t) => {
  const patch: JsonObject = {
    metadata: { annotations: { [LAST_APPLIED]: '{"new":true}' } },
    spec: {
      replicas: 3,
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'nginx' }],
          containers: [{ '$setElementOrder/env': [{ name: 'A' }], env: [{ name: 'A', value: '2' }], image: 'nginx:1.26', name: 'nginx' }],
        },
      },
    },
  };
  const out = smp(liveDeployment(), patch);
  const expected = liveDeployment();
  (expected.metadata as JsonObject).annotations = { [LAST_APPLIED]: '{"new":true}' };
  (expected.spec as JsonObject).replicas = 3;
  const container = at(expected, ...CONTAINERS, 0) as JsonObject;
  container.image = 'nginx:1.26';
  container.env = [{ name: 'A', value: '2' }];
  t.same(out, expected);
  assertNoDirectives(t, out);
});

t.test('kubectl apply removing an env entry: $patch delete next to $setElementOrder', async (t) => {
  const live = liveDeployment();
  (at(live, ...CONTAINERS, 0) as JsonObject).env = [
    { name: 'A', value: '1' },
    { name: 'B', value: 'b' },
    { name: 'C', value: 'c' },
  ];
  const patch: JsonObject = {
    spec: {
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'nginx' }],
          containers: [{ '$setElementOrder/env': [{ name: 'A' }, { name: 'C' }], env: [{ $patch: 'delete', name: 'B' }], name: 'nginx' }],
        },
      },
    },
  };
  const out = smp(live, patch);
  t.same(at(out, ...CONTAINERS, 0, 'env'), [
    { name: 'A', value: '1' },
    { name: 'C', value: 'c' },
  ]);
  assertNoDirectives(t, out);
});

t.test('kubectl edit adding a sidecar: $setElementOrder puts it where the user wrote it', async (t) => {
  const patch: JsonObject = {
    spec: {
      template: {
        spec: {
          '$setElementOrder/containers': [{ name: 'nginx' }, { name: 'sidecar' }],
          containers: [{ image: 'busybox', name: 'sidecar', command: ['sleep', '3600'] }],
        },
      },
    },
  };
  const out = smp(liveDeployment(), patch);
  t.same(names(at(out, ...CONTAINERS)), ['nginx', 'sidecar']);
  t.same(at(out, ...CONTAINERS, 1), { image: 'busybox', name: 'sidecar', command: ['sleep', '3600'] });
  t.same(at(out, ...CONTAINERS, 0), at(liveDeployment(), ...CONTAINERS, 0), 'the existing container is untouched');
});

t.test('kubectl edit changing an image and replacing a command list', async (t) => {
  const live = liveDeployment();
  (at(live, ...CONTAINERS, 0) as JsonObject).command = ['nginx', '-g', 'daemon off;'];
  const patch: JsonObject = {
    spec: {
      template: {
        spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ command: ['nginx'], image: 'nginx:1.27', name: 'nginx' }] },
      },
    },
  };
  const container = at(smp(live, patch), ...CONTAINERS, 0) as JsonObject;
  t.same(container.command, ['nginx'], 'lists without a merge key are replaced');
  t.equal(container.image, 'nginx:1.27');
  t.equal(container.imagePullPolicy, 'IfNotPresent');
});

t.test('kubectl patch adding a container without $setElementOrder puts it first, as apimachinery does', async (t) => {
  const out = smp(liveDeployment(), { spec: { template: { spec: { containers: [{ name: 'redis', image: 'redis' }] } } } });
  t.same(names(at(out, ...CONTAINERS)), ['redis', 'nginx']);
});

t.test('kubectl rollout restart: template annotation added, then updated', async (t) => {
  const restart = (at: string) => ({ spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': at } } } } });
  const once = smp(liveDeployment(), restart('2025-01-01T00:00:00Z'));
  t.same(at(once, 'spec', 'template', 'metadata'), {
    labels: { app: 'web' },
    annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-01-01T00:00:00Z' },
  });
  const twice = smp(once, restart('2025-01-02T00:00:00Z'));
  t.equal(at(twice, 'spec', 'template', 'metadata', 'annotations', 'kubectl.kubernetes.io/restartedAt'), '2025-01-02T00:00:00Z');
  t.same(at(twice, ...CONTAINERS), at(liveDeployment(), ...CONTAINERS));
});

t.test('kubectl cordon / uncordon', async (t) => {
  const node: JsonObject = { metadata: { name: 'n1' }, spec: { podCIDR: '10.0.0.0/24' } };
  const cordoned = smp(node, { spec: { unschedulable: true } }, nodeMeta);
  t.same(cordoned.spec, { podCIDR: '10.0.0.0/24', unschedulable: true });
  const uncordoned = smp(cordoned, { spec: { unschedulable: null } }, nodeMeta);
  t.same(uncordoned.spec, { podCIDR: '10.0.0.0/24' });
  t.same(smp(node, { spec: { unschedulable: null } }, nodeMeta), node, 'null for a missing field is a no-op');
});

t.test('finalizers: union with the merge strategy', async (t) => {
  const pod = (finalizers: string[]): JsonObject => ({ metadata: { name: 'p', finalizers } });
  t.same(at(smp(pod(['a', 'b']), { metadata: { finalizers: ['b', 'c'] } }, podMeta), 'metadata', 'finalizers'), ['a', 'b', 'c']);
  t.same(at(smp(pod(['a']), { metadata: { finalizers: ['a'] } }, podMeta), 'metadata', 'finalizers'), ['a'], 'no duplicates');
  // A new value that follows no server value goes first (apimachinery's order-preserving merge).
  t.same(at(smp(pod(['a', 'b']), { metadata: { finalizers: ['c'] } }, podMeta), 'metadata', 'finalizers'), ['c', 'a', 'b']);
  t.same(at(smp({ metadata: {} }, { metadata: { finalizers: ['x'] } }, podMeta), 'metadata', 'finalizers'), ['x']);
});

t.test('finalizers: $deleteFromPrimitiveList', async (t) => {
  const live: JsonObject = { metadata: { finalizers: ['a', 'b', 'b', 'c'] } };
  t.same(at(smp(live, { metadata: { '$deleteFromPrimitiveList/finalizers': ['b'] } }, podMeta), 'metadata', 'finalizers'), ['a', 'c']);
  t.same(at(smp(live, { metadata: { '$deleteFromPrimitiveList/finalizers': ['z'] } }, podMeta), 'metadata', 'finalizers'), ['a', 'b', 'b', 'c']);
  t.same(smp({ metadata: {} }, { metadata: { '$deleteFromPrimitiveList/finalizers': ['z'] } }, podMeta), { metadata: {} }, 'never creates the list');
});

t.test('finalizers as kubectl apply sends them: delete list, order and additions together', async (t) => {
  const live: JsonObject = { metadata: { finalizers: ['a', 'b'] } };
  const patch: JsonObject = { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'], '$setElementOrder/finalizers': ['b', 'c'], finalizers: ['c'] } };
  const out = smp(live, patch, podMeta);
  t.same(out, { metadata: { finalizers: ['b', 'c'] } });
});

t.test('primitive list $setElementOrder keeps server-only values near their neighbours', async (t) => {
  const node: JsonObject = { spec: { podCIDRs: ['10.1.0.0/16', '10.4.0.0/16', '10.2.0.0/16'] } };
  const patch: JsonObject = { spec: { '$setElementOrder/podCIDRs': ['10.3.0.0/16', '10.1.0.0/16', '10.2.0.0/16'], podCIDRs: ['10.3.0.0/16'] } };
  t.same(at(smp(node, patch, nodeMeta), 'spec', 'podCIDRs'), ['10.3.0.0/16', '10.1.0.0/16', '10.4.0.0/16', '10.2.0.0/16']);
});

t.test('volumes: $retainKeys switches a volume from emptyDir to configMap', async (t) => {
  const pod: JsonObject = {
    spec: {
      volumes: [
        { name: 'data', emptyDir: { medium: 'Memory' } },
        { name: 'creds', secret: { secretName: 's' } },
      ],
    },
  };
  const withNull = {
    spec: {
      '$setElementOrder/volumes': [{ name: 'data' }, { name: 'creds' }],
      volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' }, emptyDir: null, name: 'data' }],
    },
  };
  const expected = {
    spec: {
      volumes: [
        { name: 'data', configMap: { name: 'cm' } },
        { name: 'creds', secret: { secretName: 's' } },
      ],
    },
  };
  t.same(smp(pod, withNull, podMeta), expected);
  const retainOnly = { spec: { volumes: [{ $retainKeys: ['configMap', 'name'], configMap: { name: 'cm' }, name: 'data' }] } };
  t.same(smp(pod, retainOnly, podMeta), expected, '$retainKeys alone clears emptyDir');
  const withoutRetain = smp(pod, { spec: { volumes: [{ configMap: { name: 'cm' }, name: 'data' }] } }, podMeta);
  t.same(at(withoutRetain, 'spec', 'volumes', 0), { name: 'data', emptyDir: { medium: 'Memory' }, configMap: { name: 'cm' } });
});

t.test('Deployment strategy RollingUpdate → Recreate with $retainKeys', async (t) => {
  const out = smp(liveDeployment(), { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
  t.same(at(out, 'spec', 'strategy'), { type: 'Recreate' });
  const withNull = smp(liveDeployment(), { spec: { strategy: { $retainKeys: ['type'], rollingUpdate: null, type: 'Recreate' } } });
  t.same(at(withNull, 'spec', 'strategy'), { type: 'Recreate' }, 'null members are allowed beside $retainKeys');
  const plain = smp(liveDeployment(), { spec: { strategy: { type: 'Recreate' } } });
  t.same(at(plain, 'spec', 'strategy', 'rollingUpdate'), { maxSurge: '25%', maxUnavailable: '25%' }, 'without it the old member stays');
});

t.test('$retainKeys errors', async (t) => {
  rejectsWith(t, () => smp(liveDeployment(), { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: {} } } }), 400, 'invalid patch format of retainKeys');
  rejectsWith(t, () => smp(liveDeployment(), { spec: { strategy: { $retainKeys: 'type' } } }), 400, 'invalid patch format of retainKeys');
});

t.test('$patch: delete removes a container and a nested env entry', async (t) => {
  const live = liveDeployment();
  const containers = at(live, ...CONTAINERS) as JsonObject[];
  containers.push({ name: 'sidecar', image: 'busybox', env: [{ name: 'X', value: 'x' }, { name: 'Y', value: 'y' }] });
  const deleted = smp(live, { spec: { template: { spec: { containers: [{ $patch: 'delete', name: 'nginx' }] } } } });
  t.same(names(at(deleted, ...CONTAINERS)), ['sidecar']);
  const envDeleted = smp(live, { spec: { template: { spec: { containers: [{ name: 'sidecar', env: [{ $patch: 'delete', name: 'X' }] }] } } } });
  t.same(at(envDeleted, ...CONTAINERS, 1, 'env'), [{ name: 'Y', value: 'y' }]);
  t.same(names(at(envDeleted, ...CONTAINERS)), ['nginx', 'sidecar']);
  const applied = smp(live, {
    spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ $patch: 'delete', name: 'sidecar' }] } } },
  });
  t.same(names(at(applied, ...CONTAINERS)), ['nginx'], 'kubectl apply removing a container');
  const missing = smp(live, { spec: { template: { spec: { containers: [{ $patch: 'delete', name: 'nope' }] } } } });
  t.same(at(missing, ...CONTAINERS), containers, 'deleting an absent item changes nothing');
});

t.test('$patch: replace on a list replaces it with the other items', async (t) => {
  const out = smp(liveDeployment(), {
    spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'alpine', env: [{ name: 'E', value: null }] }] } } },
  });
  t.same(at(out, ...CONTAINERS), [{ name: 'only', image: 'alpine', env: [{ name: 'E' }] }]);
});

t.test('$patch: replace and delete on maps', async (t) => {
  const live: JsonObject = { metadata: { labels: { a: '1', b: '2' } }, spec: { nodeSelector: { disk: 'ssd' } } };
  t.same(smp(live, { metadata: { labels: { $patch: 'replace', c: '3' } } }, podMeta).metadata, { labels: { c: '3' } });
  // As in apimachinery, deleting an existing map leaves it empty.
  t.same(smp(live, { spec: { nodeSelector: { $patch: 'delete' } } }, podMeta).spec, { nodeSelector: {} });
  t.same(smp({}, { spec: { nodeSelector: { $patch: 'delete' } } }, podMeta), { spec: {} }, 'deleting a missing map stores nothing');
  rejectsWith(t, () => smp(live, { metadata: { labels: { $patch: 'merge', c: '3' } } }, podMeta), 400, 'unknown patch type: merge in map: map[$patch:merge c:3]');
});

t.test('ownerReferences merge by uid', async (t) => {
  const live: JsonObject = { metadata: { ownerReferences: [{ uid: 'u1', kind: 'ReplicaSet', name: 'rs1', controller: true }] } };
  const renamed = smp(live, { metadata: { ownerReferences: [{ uid: 'u1', name: 'rs1b' }] } }, podMeta);
  t.same(at(renamed, 'metadata', 'ownerReferences'), [{ uid: 'u1', kind: 'ReplicaSet', name: 'rs1b', controller: true }]);
  const added = smp(live, { metadata: { ownerReferences: [{ uid: 'u2', kind: 'Foo', name: 'f' }] } }, podMeta);
  t.same(names(at(added, 'metadata', 'ownerReferences'), 'uid'), ['u2', 'u1']);
  const orphaned = smp(live, { metadata: { ownerReferences: [{ $patch: 'delete', uid: 'u1' }] } }, podMeta);
  t.same(at(orphaned, 'metadata', 'ownerReferences'), []);
});

t.test('ports merge by containerPort', async (t) => {
  const live = liveDeployment();
  (at(live, ...CONTAINERS, 0) as JsonObject).ports = [
    { containerPort: 80, protocol: 'TCP', name: 'http' },
    { containerPort: 9090, protocol: 'TCP' },
  ];
  const out = smp(live, {
    spec: { template: { spec: { containers: [{ name: 'nginx', ports: [{ containerPort: 80, name: 'web' }, { containerPort: 443 }] }] } } },
  });
  t.same(at(out, ...CONTAINERS, 0, 'ports'), [
    { containerPort: 80, protocol: 'TCP', name: 'web' },
    { containerPort: 443 },
    { containerPort: 9090, protocol: 'TCP' },
  ]);
});

t.test('$setElementOrder reorders containers without changing them', async (t) => {
  const live = liveDeployment();
  const containers = [{ name: 'a', image: 'a' }, { name: 'b', image: 'b' }, { name: 'c', image: 'c' }];
  (at(live, 'spec', 'template', 'spec') as JsonObject).containers = containers;
  const out = smp(live, { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'c' }, { name: 'a' }, { name: 'b' }] } } } });
  t.same(at(out, ...CONTAINERS), [containers[2], containers[0], containers[1]]);
});

t.test('$setElementOrder with server-only items keeps them by their server neighbours', async (t) => {
  const pod = (list: string[]): JsonObject => ({ spec: { containers: list.map((name) => ({ name })) } });
  const reorder = (order: string[]) => ({ spec: { '$setElementOrder/containers': order.map((name) => ({ name })) } });
  const cases: [string[], string[], string[]][] = [
    [['n1', 'n3', 'n4', 'n2', 's9'], ['n4', 'n2', 'n3', 'n1'], ['n4', 'n2', 'n3', 'n1', 's9']],
    [['n1', 'n2', 's9', 'n3', 'n4'], ['n2', 'n1', 'n4', 'n3'], ['n2', 'n1', 's9', 'n4', 'n3']],
    [['n1', 'n2', 's7', 's9', 's8', 'n3', 'n4'], ['n2', 'n1', 'n4', 'n3'], ['n2', 'n1', 's7', 's9', 's8', 'n4', 'n3']],
  ];
  for (const [live, order, expected] of cases) t.same(names(at(smp(pod(live), reorder(order), podMeta), 'spec', 'containers')), expected);
});

t.test('$setElementOrder with an added item and server-only fields', async (t) => {
  const live: JsonObject = { spec: { containers: [{ name: 'c1', other: 'a' }, { name: 'c2', image: 'i2', other: 'b' }] } };
  const patch: JsonObject = { spec: { '$setElementOrder/containers': [{ name: 'c3' }, { name: 'c1' }, { name: 'c2' }], containers: [{ name: 'c3', image: 'i3' }] } };
  t.same(at(smp(live, patch, podMeta), 'spec', 'containers'), [
    { name: 'c3', image: 'i3' },
    { name: 'c1', other: 'a' },
    { name: 'c2', image: 'i2', other: 'b' },
  ]);
});

t.test('$setElementOrder for a list missing on the server takes the patch list', async (t) => {
  const patch: JsonObject = { spec: { '$setElementOrder/initContainers': [{ name: 'i1' }], initContainers: [{ name: 'i1', image: 'x', $retainKeys: ['name', 'image'] }] } };
  t.same(smp({ spec: {} }, patch, podMeta), { spec: { initContainers: [{ name: 'i1', image: 'x' }] } });
});

t.test('$setElementOrder errors', async (t) => {
  const live: JsonObject = { spec: { containers: [{ name: 'a' }, { name: 'b' }] } };
  rejectsWith(
    t,
    () => smp(live, { spec: { '$setElementOrder/containers': [{ name: 'a' }, { name: 'b' }], containers: [{ name: 'b', image: 'x' }, { name: 'a', image: 'y' }] } }, podMeta),
    400,
    "The order in patch list:\n[map[image:x name:b] map[image:y name:a]]\n doesn't match $setElementOrder list:\n[map[name:a] map[name:b]]\n",
  );
  rejectsWith(t, () => smp(live, { spec: { '$setElementOrder/containers': 'a' } }, podMeta), 400, 'expected a []interface {}, but received a string');
  rejectsWith(t, () => smp(live, { spec: { $setElementOrderContainers: [] } }, podMeta), 400, 'invalid patch format of setElementOrder list');
  rejectsWith(t, () => smp(live, { spec: { '$setElementOrder/containers': ['a', 'b'] } }, podMeta), 400, 'expected a map[string]interface {}, but received a string');
});

t.test('$deleteFromPrimitiveList errors', async (t) => {
  rejectsWith(t, () => smp({ metadata: { finalizers: ['a'] } }, { metadata: { $deleteFromPrimitiveListFinalizers: ['a'] } }, podMeta), 400, 'invalid patch format of primitive list');
  rejectsWith(
    t,
    () => smp({ spec: { containers: [{ name: 'a' }] } }, { spec: { '$deleteFromPrimitiveList/containers': [{ name: 'a' }] } }, podMeta),
    400,
    'invalid patch format of primitive list',
  );
});

t.test('bad $patch values and list items without their merge key', async (t) => {
  const live = liveDeployment();
  rejectsWith(t, () => smp(live, { spec: { template: { $patch: 'foo', a: 'b' } } }), 400, 'unknown patch type: foo in map: map[$patch:foo a:b]');
  rejectsWith(
    t,
    () => smp(live, { spec: { template: { spec: { containers: [{ $patch: 'foo', name: 'nginx' }] } } } }),
    400,
    'unknown patch type: foo in map: map[$patch:foo name:nginx]',
  );
  rejectsWith(
    t,
    () => smp(live, { spec: { template: { spec: { containers: [{ $patch: 'merge', name: 'nginx' }] } } } }),
    400,
    'merging lists cannot yet be specified in the patch',
  );
  rejectsWith(
    t,
    () => smp(live, { spec: { template: { spec: { containers: [{ image: 'nginx:1.26' }] } } } }),
    422,
    'map: map[image:nginx:1.26] does not contain declared merge key: name',
  );
  rejectsWith(
    t,
    () => smp(live, { spec: { template: { spec: { containers: [{ $patch: 'delete' }] } } } }),
    422,
    'map: map[$patch:delete] does not contain declared merge key: name',
  );
  rejectsWith(t, () => smp(live, { spec: { template: { $patch: 7 } } }), 400, 'unknown patch type: %!s(int64=7) in map: map[$patch:7]');
});

t.test('lists of lists and mixed item types are 422', async (t) => {
  rejectsWith(t, () => smp({ spec: { volumes: [{ name: 'a' }] } }, { spec: { volumes: [[1]] } }, podMeta), 422, 'list element types are not identical: [[map[name:a]] [[1]]]');
  rejectsWith(t, () => smp({ spec: { volumes: [[1]] } }, { spec: { volumes: [[2]] } }, podMeta), 422, 'lists of lists are not supported');
  rejectsWith(t, () => smp({ metadata: { finalizers: ['a'] } }, { metadata: { finalizers: [1] } }, podMeta), 422, 'list element types are not identical: [[a] [1]]');
});

t.test('unknown fields merge like a merge patch: maps merge, lists replaced, null deletes', async (t) => {
  const widget: JsonObject = { metadata: { name: 'w' }, spec: { size: 1, items: [{ name: 'a' }], nested: { keep: true, drop: 1 } } };
  const out = smp(widget, { spec: { items: [{ name: 'b' }], nested: { drop: null, add: [1] } } }, widgetMeta);
  t.same(out, { metadata: { name: 'w' }, spec: { size: 1, items: [{ name: 'b' }], nested: { keep: true, add: [1] } } });
  const pod: JsonObject = { spec: { containers: [{ name: 'a', extra: { x: [1], y: 2 } }] }, custom: [1, 2] };
  const patched = smp(pod, { spec: { containers: [{ name: 'a', extra: { x: [3] } }] }, custom: [3] }, podMeta);
  t.same(patched, { spec: { containers: [{ name: 'a', extra: { x: [3], y: 2 } }] }, custom: [3] });
  t.same(smp({ a: [1], b: { c: 1 } }, { a: [2], b: { d: 2 } }, NO_PATCH_META), { a: [2], b: { c: 1, d: 2 } });
});

t.test('lists without the merge strategy are replaced, and replace-strategy objects are replaced', async (t) => {
  const meta = patchMetaFromSchema(
    s.object({ config: s.object({ a: s.string(), b: s.string() }, 'Replaced.', { strategy: 'replace' }), tolerations: s.array(s.object({ key: s.string() })) }),
    {},
  );
  t.same(smp({ config: { a: '1', b: '2' } }, { config: { a: '3' } }, meta), { config: { a: '3' } });
  t.same(smp({ tolerations: [{ key: 'a' }] }, { tolerations: [{ key: 'b', extra: null }] }, meta), { tolerations: [{ key: 'b' }] });
  t.same(at(smp({ spec: { tolerations: [{ key: 'a' }] } }, { spec: { tolerations: [] } }, podMeta), 'spec', 'tolerations'), []);
});

t.test('a value of a different type replaces the server value', async (t) => {
  t.same(smp({ spec: { replicas: 1 } }, { spec: { replicas: '2' } }), { spec: { replicas: '2' } });
  t.same(smp({ spec: { template: 'x' } }, { spec: { template: { metadata: { labels: { a: 'b' } } } } }), {
    spec: { template: { metadata: { labels: { a: 'b' } } } },
  });
});

t.test('directives inside new values are never stored', async (t) => {
  const live = liveDeployment();
  const patch: JsonObject = {
    spec: {
      template: {
        spec: {
          containers: [
            {
              name: 'new',
              '$setElementOrder/env': [{ name: 'E' }],
              env: [{ name: 'E', value: 'e' }, { $patch: 'delete', name: 'F' }],
              resources: { limits: { cpu: '1', memory: null } },
            },
          ],
          volumes: [{ name: 'v', $retainKeys: ['name', 'emptyDir'], emptyDir: {} }],
          '$deleteFromPrimitiveList/args': ['x'],
        },
      },
    },
  };
  const out = smp(live, patch);
  assertNoDirectives(t, out);
  t.same(at(out, ...CONTAINERS, 0), { name: 'new', env: [{ name: 'E', value: 'e' }], resources: { limits: { cpu: '1' } } });
  t.same(at(out, 'spec', 'template', 'spec', 'volumes'), [{ name: 'v', emptyDir: {} }]);
});

t.test('a null list deletes it; untouched fields stay', async (t) => {
  const out = smp(liveDeployment(), { spec: { template: { spec: { containers: null } } } });
  t.same(at(out, 'spec', 'template', 'spec'), { restartPolicy: 'Always' });
  t.same(at(out, 'spec', 'strategy'), at(liveDeployment(), 'spec', 'strategy'));
});

t.test('primitive merge lists: unique values, order of new values', async (t) => {
  const node = (cidrs: string[]): JsonObject => ({ spec: { podCIDRs: cidrs } });
  t.same(at(smp(node(['1', '2']), { spec: { podCIDRs: ['2', '3'] } }, nodeMeta), 'spec', 'podCIDRs'), ['1', '2', '3']);
  t.same(at(smp(node(['1', '2']), { spec: { podCIDRs: ['3', '1'] } }, nodeMeta), 'spec', 'podCIDRs'), ['3', '1', '2']);
  t.same(at(smp(node([]), { spec: { podCIDRs: [] } }, nodeMeta), 'spec', 'podCIDRs'), []);
});

t.test('taints (no merge key) are replaced wholesale', async (t) => {
  const node: JsonObject = { spec: { taints: [{ key: 'a', effect: 'NoSchedule' }] } };
  t.same(smp(node, { spec: { taints: [{ key: 'b', effect: 'NoExecute' }] } }, nodeMeta), { spec: { taints: [{ key: 'b', effect: 'NoExecute' }] } });
});

t.test('inputs are never modified and the result shares nothing with them', async (t) => {
  const live = liveDeployment();
  const patch: JsonObject = {
    spec: {
      strategy: { $retainKeys: ['type'], type: 'Recreate' },
      template: { spec: { '$setElementOrder/containers': [{ name: 'nginx' }], containers: [{ name: 'nginx', env: [{ $patch: 'delete', name: 'A' }] }] } },
    },
  };
  const patchCopy = structuredClone(patch);
  const out = smp(live, patch);
  t.same(live, liveDeployment());
  t.same(patch, patchCopy);
  (at(out, 'metadata') as JsonObject).name = 'changed';
  (at(out, ...CONTAINERS, 0) as JsonObject).image = 'changed';
  t.same(live, liveDeployment());
});

t.test('a top-level $patch: replace or delete on the whole object', async (t) => {
  t.same(smp({ a: 1, b: { c: 2 } }, { $patch: 'replace', d: 3, e: null }, NO_PATCH_META), { d: 3 });
  t.same(smp({ a: 1 }, { $patch: 'delete' }, NO_PATCH_META), {});
});
