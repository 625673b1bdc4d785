// The networking, rbac and storage modules as a whole: references resolve, hooks sit on their own components, and
// the kinds carry Kubernetes' discovery facts.
import t from 'tap';
import { networkingKinds, networkingModule } from '../../../src/types/networking-v1/index.js';
import { rbacKinds, rbacModule } from '../../../src/types/rbac-v1/index.js';
import { storageKinds, storageModule } from '../../../src/types/storage-v1/index.js';
import { danglingRefs, malformedKinds, registryWith, strayHooks } from '../workloads/helpers/modules.js';

const modules = [networkingModule, rbacModule, storageModule];
const kinds = [...networkingKinds, ...rbacKinds, ...storageKinds];

t.test('every $ref names a component of these modules, meta/v1 or the agreed core/v1 list', async (t) => {
  t.same(danglingRefs(modules), []);
  t.same(registryWith(...modules).danglingReferences(), []);
});

t.test('hooks are attached to components of their own module', async (t) => {
  for (const m of modules) t.same(strayHooks(m), []);
});

t.test('each kind schema has apiVersion, kind, metadata and its GVK', async (t) => {
  t.same(malformedKinds(networkingModule, networkingKinds), []);
  t.same(malformedKinds(rbacModule, rbacKinds), []);
  t.same(malformedKinds(storageModule, storageKinds), []);
});

t.test('discovery facts', async (t) => {
  t.same(
    kinds.map((k) => [k.group, k.plural, k.singular, k.shortNames ?? [], k.namespaced, k.nameRule ?? 'dns1123-subdomain']),
    [
      ['networking.k8s.io', 'ingresses', 'ingress', ['ing'], true, 'dns1123-subdomain'],
      ['networking.k8s.io', 'ingressclasses', 'ingressclass', [], false, 'dns1123-subdomain'],
      ['networking.k8s.io', 'networkpolicies', 'networkpolicy', ['netpol'], true, 'dns1123-subdomain'],
      ['rbac.authorization.k8s.io', 'clusterrolebindings', 'clusterrolebinding', [], false, 'path-segment-name'],
      ['rbac.authorization.k8s.io', 'clusterroles', 'clusterrole', [], false, 'path-segment-name'],
      ['rbac.authorization.k8s.io', 'rolebindings', 'rolebinding', [], true, 'path-segment-name'],
      ['rbac.authorization.k8s.io', 'roles', 'role', [], true, 'path-segment-name'],
      ['storage.k8s.io', 'storageclasses', 'storageclass', ['sc'], false, 'dns1123-subdomain'],
    ],
  );
  t.same(
    kinds.filter((k) => k.statusSubresource).map((k) => k.plural),
    ['ingresses'],
  );
  t.ok(kinds.every((k) => k.version === 'v1' && !k.categories && !k.scale));
});
