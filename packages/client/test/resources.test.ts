// The ResourceRef constants must match what the apiserver serves (api-machinery's registry), and paths follow
// Kubernetes' layout.
import t from 'tap';
import { allKinds } from '@k8ts/api-machinery';
import { apiVersionOf, refForKind, refs, resourcePath, type ResourceRef } from '../src/index.js';

t.test('every constant is a served kind with the right scope, and every served kind has a constant', async (t) => {
  const served = new Map(allKinds.map((k) => [`${k.group}/${k.version}/${k.plural}`, k]));
  const constants = Object.values(refs) as ResourceRef[];
  for (const ref of constants) {
    const def = served.get(`${ref.group}/${ref.version}/${ref.resource}`);
    t.ok(def, `${ref.group}/${ref.resource} is served`);
    t.equal(def?.kind, ref.kind, `${ref.resource} kind`);
    t.equal(def?.namespaced, ref.namespaced, `${ref.resource} scope`);
  }
  const covered = new Set(constants.map((r) => `${r.group}/${r.version}/${r.resource}`));
  for (const key of served.keys()) t.ok(covered.has(key), `${key} has a constant`);
});

t.test('refForKind and apiVersionOf', async (t) => {
  t.same(refForKind('apps/v1', 'ReplicaSet'), refs.replicaSets);
  t.same(refForKind('v1', 'Pod'), refs.pods);
  t.equal(refForKind('apps/v1', 'Pod'), undefined);
  t.equal(apiVersionOf(refs.pods), 'v1');
  t.equal(apiVersionOf(refs.leases), 'coordination.k8s.io/v1');
});

t.test('paths', async (t) => {
  t.equal(resourcePath(refs.pods), '/api/v1/pods');
  t.equal(resourcePath(refs.pods, 'kube-system'), '/api/v1/namespaces/kube-system/pods');
  t.equal(resourcePath(refs.pods, 'ns', 'p', 'binding'), '/api/v1/namespaces/ns/pods/p/binding');
  t.equal(resourcePath(refs.deployments, 'ns', 'web', 'scale'), '/apis/apps/v1/namespaces/ns/deployments/web/scale');
  t.equal(resourcePath(refs.nodes, 'ignored', 'n1'), '/api/v1/nodes/n1', 'cluster-scoped ignores a namespace');
  t.equal(resourcePath(refs.configMaps, 'ns', 'a b'), '/api/v1/namespaces/ns/configmaps/a%20b');
  t.throws(() => resourcePath(refs.pods, 'ns', ''), /empty name/);
});
