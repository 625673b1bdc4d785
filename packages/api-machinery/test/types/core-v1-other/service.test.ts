// Service defaulting and validation hooks, called directly on already-decoded objects.
import t from 'tap';
import type { JsonObject } from '../../../src/json.js';
import type { ValidationContext } from '../../../src/schema/module.js';
import { fieldErrorMessage } from '../../../src/validation/field-error.js';
import { coreModule } from '../../../src/types/core-v1/core.js';
import { normalizeServiceClusterIPsOnUpdate } from '../../../src/types/core-v1/service.js';

const SPEC = 'io.k8s.api.core.v1.ServiceSpec';
const PORT = 'io.k8s.api.core.v1.ServicePort';
const create: ValidationContext = { operation: 'create' };

function defaulted(spec: JsonObject): JsonObject {
  // Mimic the engine: schema defaults at this level first, then the hook, then children.
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  coreModule.defaulters![SPEC]!(spec);
  for (const p of (spec.ports ?? []) as JsonObject[]) {
    p.protocol ??= 'TCP';
    coreModule.defaulters![PORT]!(p);
  }
  return spec;
}

const svc = (spec: JsonObject, metadata: JsonObject = { name: 's', namespace: 'default' }): JsonObject => ({ metadata, spec });
const messages = (obj: JsonObject, ctx: ValidationContext = create): string[] =>
  coreModule.validators!['io.k8s.api.core.v1.Service']!(obj, '', ctx).map(fieldErrorMessage);

t.test('defaulting', async (t) => {
  const cluster = defaulted({ ports: [{ port: 80 }], clusterIP: '10.0.0.5' });
  t.same(cluster, {
    ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    clusterIP: '10.0.0.5',
    clusterIPs: ['10.0.0.5'],
    type: 'ClusterIP',
    sessionAffinity: 'None',
    internalTrafficPolicy: 'Cluster',
  });
  const lb = defaulted({ type: 'LoadBalancer', ports: [{ port: 443, targetPort: 'https' }] });
  t.equal(lb.externalTrafficPolicy, 'Cluster');
  t.equal(lb.allocateLoadBalancerNodePorts, true);
  t.equal((lb.ports as JsonObject[])[0]!.targetPort, 'https', 'an explicit targetPort is kept');
  const ext = defaulted({ type: 'ExternalName', externalName: 'example.com' });
  t.equal(ext.internalTrafficPolicy, undefined, 'no internal traffic policy for ExternalName');
  t.equal(ext.externalTrafficPolicy, undefined);
  const withExternalIPs = defaulted({ ports: [{ port: 1 }], externalIPs: ['1.2.3.4'] });
  t.equal(withExternalIPs.externalTrafficPolicy, 'Cluster', 'ClusterIP with external IPs is externally accessible');
  const sticky = defaulted({ ports: [{ port: 1 }], sessionAffinity: 'ClientIP' });
  t.same(sticky.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
  const keep = defaulted({ ports: [{ port: 1 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } });
  t.same(keep.sessionAffinityConfig, { clientIP: { timeoutSeconds: 60 } });
  const none = defaulted({ ports: [{ port: 1 }], sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } } });
  t.equal(none.sessionAffinityConfig, undefined, 'config dropped when affinity is None');
  const zeroTarget = defaulted({ ports: [{ port: 8080, targetPort: 0 }] });
  t.equal((zeroTarget.ports as JsonObject[])[0]!.targetPort, 8080);
});

t.test('a defaulted ClusterIP service is valid', async (t) => {
  t.same(messages(svc(defaulted({ ports: [{ port: 80 }], selector: { app: 'web' } }))), []);
  t.same(messages(svc(defaulted({ clusterIP: 'None', selector: { app: 'web' } }))), [], 'headless services need no ports');
  t.same(messages(svc(defaulted({ type: 'ExternalName', externalName: 'db.example.com.' }))), [], 'trailing dot allowed');
});

t.test('ports', async (t) => {
  t.same(messages(svc(defaulted({}))), ['spec.ports: Required value']);
  t.same(messages(svc(defaulted({ ports: [{ port: 80 }, { port: 81 }] }))), ['spec.ports[0].name: Required value', 'spec.ports[1].name: Required value']);
  t.same(messages(svc(defaulted({ ports: [{ name: 'a', port: 80 }, { name: 'a', port: 81 }] }))), ['spec.ports[1].name: Duplicate value: "a"']);
  t.same(messages(svc(defaulted({ ports: [{ name: 'a', port: 80 }, { name: 'b', port: 80 }] }))), [
    'spec.ports[1]: Duplicate value: {"port":80,"protocol":"TCP"}',
  ]);
  t.same(messages(svc(defaulted({ ports: [{ port: 80, nodePort: 30000 }] }))), ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"]);
  t.same(messages(svc(defaulted({ ports: [{ port: 80, targetPort: 'Web_1' }] }))), [
    'spec.ports[0].targetPort: Invalid value: "Web_1": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
  ]);
  t.same(messages(svc(defaulted({ ports: [{ port: 80, targetPort: 70000 }] }))), [
    'spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
  ]);
  t.same(messages(svc(defaulted({ ports: [{ protocol: 'TCP' }] }))), ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']);
  t.same(messages(svc(defaulted({ type: 'NodePort', ports: [{ name: 'a', port: 80, nodePort: 30001 }, { name: 'b', port: 81, nodePort: 30001 }] }))), [
    'spec.ports[1].nodePort: Duplicate value: 30001',
  ]);
});

t.test('type-specific rules', async (t) => {
  t.same(messages(svc(defaulted({ type: 'ExternalName' }))), ['spec.externalName: Required value']);
  t.same(messages(svc(defaulted({ type: 'ExternalName', externalName: 'x.com', clusterIP: '10.0.0.1' }))), [
    'spec.clusterIPs: Forbidden: may not be set for ExternalName services',
  ]);
  t.same(messages(svc(defaulted({ type: 'NodePort', clusterIP: 'None', ports: [{ port: 1 }] }))), [
    `spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services`,
  ]);
  t.same(messages(svc(defaulted({ type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ port: 1 }] }))), ['spec.healthCheckNodePort: Required value']);
  t.same(messages(svc(defaulted({ ports: [{ port: 1 }], loadBalancerSourceRanges: ['10.0.0.0/8'] }))), [
    "spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'",
  ]);
  t.same(messages(svc(defaulted({ ports: [{ port: 1 }], loadBalancerClass: 'x/y' }))), ["spec.loadBalancerClass: Forbidden: may only be used when `type` is 'LoadBalancer'"]);
  t.same(messages(svc(defaulted({ ports: [{ port: 1 }], trafficDistribution: 'Anywhere' }))), [
    'spec.trafficDistribution: Unsupported value: "Anywhere": supported values: "PreferClose"',
  ]);
  t.same(messages(svc(defaulted({ ports: [{ port: 1 }], sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 0 } } }))), [
    'spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400',
  ]);
  t.same(messages(svc(defaulted({ ports: [{ port: 1 }], externalIPs: ['127.0.0.1'] }))), [
    'spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)',
  ]);
});

t.test('cluster IP consistency', async (t) => {
  t.same(messages(svc({ ...defaulted({ ports: [{ port: 1 }] }), clusterIPs: ['10.0.0.1'] })), [
    'spec.clusterIPs: Invalid value: ["10.0.0.1"]: must be empty when `clusterIP` is not specified',
  ]);
  t.same(messages(svc(defaulted({ ports: [{ port: 1 }], clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.2'] }))), [
    'spec.clusterIPs: Invalid value: ["10.0.0.2"]: first value must match `clusterIP`',
  ]);
  t.same(messages(svc(defaulted({ ports: [{ port: 1 }], clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', '10.0.0.2'] }))), [
    'spec.clusterIPs: Invalid value: ["10.0.0.1","10.0.0.2"]: may specify no more than one IP for each IP family',
  ]);
  t.same(messages(svc(defaulted({ ports: [{ port: 1 }], clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1', 'fd00::1'], ipFamilies: ['IPv6', 'IPv4'] }))), [
    'spec.clusterIPs[0]: Invalid value: "10.0.0.1": expected an IPv6 value as indicated by `ipFamilies[0]`',
    'spec.clusterIPs[1]: Invalid value: "fd00::1": expected an IPv4 value as indicated by `ipFamilies[1]`',
  ]);
  t.same(messages(svc(defaulted({ ports: [{ port: 1 }], clusterIP: 'bogus' }))), [
    'spec.clusterIPs[0]: Invalid value: "bogus": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
  ]);
});

t.test('update: cluster IPs may not change once set', async (t) => {
  const old = svc(defaulted({ ports: [{ port: 80 }], clusterIP: '10.96.99.37' }));
  const ctx: ValidationContext = { operation: 'update', old };
  const headless = svc(defaulted({ ports: [{ port: 80 }], clusterIP: 'None', clusterIPs: ['None'] }));
  t.same(messages(headless, ctx), ['spec.clusterIPs[0]: Invalid value: ["None"]: may not change once set']);
  t.same(messages(svc(defaulted({ ports: [{ port: 80 }], clusterIP: '10.96.99.37' })), ctx), []);
  const toExternal = svc(defaulted({ type: 'ExternalName', externalName: 'x.example.com' }));
  t.same(messages(toExternal, ctx), [], 'switching to ExternalName releases the IP');
  const released = svc({ ...defaulted({ ports: [{ port: 80 }] }) });
  t.same(messages(released, ctx), ['spec.clusterIPs[0]: Invalid value: []: primary clusterIP can not be unset']);
});

t.test('update: load balancer class and health check port', async (t) => {
  const lbSpec = (extra: JsonObject): JsonObject =>
    defaulted({ type: 'LoadBalancer', ports: [{ port: 80, nodePort: 30080 }], clusterIP: '10.0.0.9', ...extra });
  const old = svc(lbSpec({ loadBalancerClass: 'example.com/a', externalTrafficPolicy: 'Local', healthCheckNodePort: 31000 }));
  const now = svc(lbSpec({ loadBalancerClass: 'example.com/b', externalTrafficPolicy: 'Local', healthCheckNodePort: 31001 }));
  t.same(messages(now, { operation: 'update', old }), [
    'spec.loadBalancerClass: Invalid value: "example.com/b": may not change once set',
    'spec.healthCheckNodePort: Forbidden: field is immutable',
  ]);
});

t.test('update normalization of clusterIPs (for the Service strategy)', async (t) => {
  const oldSpec: JsonObject = { clusterIP: '10.0.0.1', clusterIPs: ['10.0.0.1'] };
  const dropped: JsonObject = { clusterIP: '10.0.0.1' };
  normalizeServiceClusterIPsOnUpdate(dropped, oldSpec);
  t.same(dropped.clusterIPs, ['10.0.0.1'], 'an old client that omitted clusterIPs keeps them');
  const changed: JsonObject = { clusterIP: 'None', clusterIPs: ['10.0.0.1'] };
  normalizeServiceClusterIPsOnUpdate(changed, oldSpec);
  t.same(changed.clusterIPs, ['None'], 'clusterIPs follow a changed clusterIP');
  const cleared: JsonObject = { clusterIP: '', clusterIPs: ['10.0.0.1'] };
  normalizeServiceClusterIPsOnUpdate(cleared, oldSpec);
  t.equal(cleared.clusterIPs, undefined, 'clearing clusterIP clears clusterIPs');
});
