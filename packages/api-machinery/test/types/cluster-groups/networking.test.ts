// networking.k8s.io/v1 defaulting and validation hooks, and the kinds through the schema engine.
import t from 'tap';
import type { JsonObject } from '../../../src/json.js';
import { applyDefaults } from '../../../src/schema/defaulting.js';
import type { Validator } from '../../../src/schema/module.js';
import { validateObject } from '../../../src/schema/validation.js';
import { cidrContains, networkingModule, parseCidr } from '../../../src/types/networking-v1/index.js';
import { CREATE, messages, registryWith, update } from '../workloads/helpers/modules.js';

const N = 'io.k8s.api.networking.v1';
const validator = (n: string): Validator => networkingModule.validators![`${N}.${n}`]!;
const svc = (port: JsonObject): JsonObject => ({ service: { name: 'web', port } });

t.test('NetworkPolicy policyTypes default from the rules', async (t) => {
  const d = networkingModule.defaulters![`${N}.NetworkPolicySpec`]!;
  const ingressOnly: JsonObject = { ingress: [{}] };
  d(ingressOnly);
  t.same(ingressOnly.policyTypes, ['Ingress']);
  const both: JsonObject = { egress: [{}] };
  d(both);
  t.same(both.policyTypes, ['Ingress', 'Egress']);
  const explicit: JsonObject = { egress: [{}], policyTypes: ['Egress'] };
  d(explicit);
  t.same(explicit.policyTypes, ['Egress']);
});

t.test('Ingress backends', async (t) => {
  const v = validator('IngressBackend');
  const p = 'spec.defaultBackend';
  t.same(v(svc({ number: 80 }), p, CREATE), []);
  t.same(v(svc({ name: 'http' }), p, CREATE), []);
  t.same(v({ resource: { apiGroup: 'k8s.example.com', kind: 'StorageBucket', name: 'static' } }, p, CREATE), []);
  t.same(messages(v({}, p, CREATE)), ['spec.defaultBackend: Invalid value: "": resource or service backend is required']);
  t.same(messages(v({ ...svc({ number: 80 }), resource: { kind: 'K', name: 'n' } }, p, CREATE)), [
    'spec.defaultBackend: Invalid value: "": cannot set both resource and service backends',
  ]);
  t.same(messages(v(svc({ name: 'http', number: 80 }), p, CREATE)), ['spec.defaultBackend: Invalid value: "": cannot set both port name & port number']);
  t.same(messages(v(svc({}), p, CREATE)), ['spec.defaultBackend: Required value: port name or number is required']);
  t.same(messages(v(svc({ number: 70000 }), p, CREATE)), ['spec.defaultBackend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive']);
  t.same(messages(v({ service: { port: { number: 80 } } }, p, CREATE)), ['spec.defaultBackend.service.name: Required value']);
  t.match(messages(v({ service: { name: '1web', port: { number: 80 } } }, p, CREATE))[0], /^spec\.defaultBackend\.service\.name: Invalid value: "1web": a DNS-1035 label/);
  t.same(messages(v({ resource: { name: 'x/y' } }, p, CREATE)), [
    'spec.defaultBackend.resource.kind: Required value: kind is required',
    "spec.defaultBackend.resource.name: Invalid value: \"x/y\": may not contain '/'",
  ]);
});

t.test('Ingress paths, rules, TLS and spec', async (t) => {
  const path = validator('HTTPIngressPath');
  const p = 'spec.rules[0].http.paths[0]';
  const backend = svc({ number: 80 });
  t.same(path({ path: '/api', pathType: 'Prefix', backend }, p, CREATE), []);
  t.same(path({ pathType: 'ImplementationSpecific', backend }, p, CREATE), []);
  t.same(messages(path({ path: '/api', backend }, p, CREATE)), ['spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified']);
  t.same(messages(path({ path: 'api//x/.', pathType: 'Exact', backend }, p, CREATE)), [
    'spec.rules[0].http.paths[0].path: Invalid value: "api//x/.": must be an absolute path',
    "spec.rules[0].http.paths[0].path: Invalid value: \"api//x/.\": must not contain '//'",
    "spec.rules[0].http.paths[0].path: Invalid value: \"api//x/.\": cannot end with '/.'",
  ]);
  t.same(messages(path({ path: '/', pathType: 'Prefix' }, p, CREATE)), ['spec.rules[0].http.paths[0].backend: Invalid value: "": resource or service backend is required']);

  const rule = validator('IngressRule');
  t.same(rule({ host: 'foo.example.com' }, 'spec.rules[0]', CREATE), []);
  t.same(rule({ host: '*.example.com' }, 'spec.rules[0]', CREATE), []);
  t.same(messages(rule({ host: '10.0.0.1' }, 'spec.rules[0]', CREATE)), ['spec.rules[0].host: Invalid value: "10.0.0.1": must be a DNS name, not an IP address']);
  t.match(messages(rule({ host: 'foo.*.com' }, 'spec.rules[0]', CREATE))[0], /^spec\.rules\[0\]\.host: Invalid value: "foo\.\*\.com": a wildcard DNS-1123 subdomain must start with '\*\.'/);
  t.match(messages(rule({ host: 'Foo.com' }, 'spec.rules[0]', CREATE))[0], /a lowercase RFC 1123 subdomain/);

  const tls = validator('IngressTLS');
  t.same(tls({ hosts: ['a.example.com', '*.example.com'], secretName: 'tls-cert' }, 'spec.tls[0]', CREATE), []);
  t.same(tls({ hosts: ['a.example.com'] }, 'spec.tls[0]', CREATE), [], 'the secret may be omitted');
  t.match(messages(tls({ secretName: 'Bad_Name' }, 'spec.tls[0]', CREATE))[0], /^spec\.tls\[0\]\.secretName: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/);

  const spec = validator('IngressSpec');
  t.same(messages(spec({}, 'spec', CREATE)), ['spec: Invalid value: null: either `defaultBackend` or `rules` must be specified']);
  t.same(spec({ defaultBackend: backend }, 'spec', CREATE), []);
});

t.test('Ingress class annotation must agree with ingressClassName on create', async (t) => {
  const v = validator('Ingress');
  const ing = (annotation: string, className: string): JsonObject => ({
    metadata: { annotations: { 'kubernetes.io/ingress.class': annotation } },
    spec: { ingressClassName: className },
  });
  t.same(v(ing('nginx', 'nginx'), '', CREATE), []);
  t.same(messages(v(ing('nginx', 'traefik'), '', CREATE)), [
    'annotations.kubernetes.io/ingress.class: Invalid value: "nginx": must match `ingressClassName` when both are specified',
  ]);
  t.same(v(ing('nginx', 'traefik'), '', update({})), []);
});

t.test('Ingress load balancer status', async (t) => {
  const v = validator('IngressLoadBalancerIngress');
  t.same(v({ ip: '192.0.2.1', hostname: 'lb.example.com' }, 'status.loadBalancer.ingress[0]', CREATE), []);
  t.same(messages(v({ ip: 'nope', hostname: '1.2.3.4' }, 'status.loadBalancer.ingress[0]', CREATE)), [
    'status.loadBalancer.ingress[0].ip: Invalid value: "nope": must be a valid IP address',
    'status.loadBalancer.ingress[0].hostname: Invalid value: "1.2.3.4": must be a DNS name, not an IP address',
  ]);
});

t.test('IngressClass controller and parameters', async (t) => {
  const spec = validator('IngressClassSpec');
  t.same(spec({ controller: 'example.com/ingress-controller' }, 'spec', CREATE), []);
  t.same(messages(spec({}, 'spec', CREATE)), ['spec.controller: Required value']);
  t.same(messages(spec({ controller: 'nginx' }, 'spec', CREATE)), ['spec.controller: Invalid value: "nginx": must be a domain-prefixed path (such as "acme.io/foo")']);
  const params = validator('IngressClassParametersReference');
  const p = 'spec.parameters';
  t.same(params({ kind: 'Params', name: 'p', scope: 'Cluster' }, p, CREATE), []);
  t.same(params({ kind: 'Params', name: 'p', scope: 'Namespace', namespace: 'ops' }, p, CREATE), []);
  t.same(messages(params({ kind: 'Params', name: 'p', scope: 'Namespace' }, p, CREATE)), [
    "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'",
  ]);
  t.same(messages(params({ kind: 'Params', name: 'p', scope: 'Cluster', namespace: 'ops' }, p, CREATE)), [
    "spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'",
  ]);
  t.same(messages(params({ scope: 'Cluster' }, p, CREATE)), ['spec.parameters.kind: Required value: kind is required', 'spec.parameters.name: Required value: name is required']);
});

t.test('NetworkPolicy ports, peers, ip blocks and policy types', async (t) => {
  const port = validator('NetworkPolicyPort');
  const pp = 'spec.ingress[0].ports[0]';
  t.same(port({ protocol: 'TCP', port: 80, endPort: 90 }, pp, CREATE), []);
  t.same(port({ protocol: 'TCP', port: 'http' }, pp, CREATE), []);
  t.same(messages(port({ port: 90, endPort: 80 }, pp, CREATE)), ['spec.ingress[0].ports[0].endPort: Invalid value: 90: must be greater than or equal to `port`']);
  t.same(messages(port({ port: 'http', endPort: 80 }, pp, CREATE)), ['spec.ingress[0].ports[0].endPort: Invalid value: 80: may not be specified when `port` is non-numeric']);
  t.same(messages(port({ endPort: 80 }, pp, CREATE)), ['spec.ingress[0].ports[0].endPort: Invalid value: 80: may not be specified when `port` is not specified']);
  t.same(messages(port({ port: 0 }, pp, CREATE)), ['spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive']);
  t.same(messages(port({ port: 'HTTP' }, pp, CREATE)), [
    'spec.ingress[0].ports[0].port: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    'spec.ingress[0].ports[0].port: Invalid value: "HTTP": must contain at least one letter (a-z)',
  ]);

  const peer = validator('NetworkPolicyPeer');
  const fp = 'spec.ingress[0].from[0]';
  t.same(peer({ podSelector: {}, namespaceSelector: { matchLabels: { team: 'a' } } }, fp, CREATE), []);
  t.same(messages(peer({}, fp, CREATE)), ['spec.ingress[0].from[0]: Required value: must specify a peer']);
  t.same(messages(peer({ podSelector: {}, ipBlock: { cidr: '10.0.0.0/8' } }, fp, CREATE)), ['spec.ingress[0].from[0]: Forbidden: may not specify both ipBlock and another peer']);

  const block = validator('IPBlock');
  const bp = `${fp}.ipBlock`;
  t.same(block({ cidr: '10.0.0.0/8', except: ['10.1.0.0/16'] }, bp, CREATE), []);
  t.same(block({ cidr: '2001:db8::/32', except: ['2001:db8:1::/48'] }, bp, CREATE), []);
  t.same(messages(block({ cidr: '10.0.0.0/33' }, bp, CREATE)), ['spec.ingress[0].from[0].ipBlock.cidr: Invalid value: "10.0.0.0/33": not a valid CIDR']);
  t.same(messages(block({ cidr: '10.0.0.0/8', except: ['11.0.0.0/16', '10.0.0.0/8', 'x'] }, bp, CREATE)), [
    'spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: "11.0.0.0/16": must be a strict subset of `cidr`',
    'spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: "10.0.0.0/8": must be a strict subset of `cidr`',
    'spec.ingress[0].from[0].ipBlock.except[2]: Invalid value: "x": not a valid CIDR',
  ]);

  const spec = validator('NetworkPolicySpec');
  t.same(messages(spec({ podSelector: {}, policyTypes: ['Ingress', 'Egress', 'Ingress'] }, 'spec', CREATE)), [
    'spec.policyTypes: Invalid value: ["Ingress","Egress","Ingress"]: may not specify more than two policyTypes',
  ]);
});

t.test('CIDR arithmetic', async (t) => {
  const outer = parseCidr('192.168.0.0/16')!;
  t.same(outer, { family: 4, network: 0xc0a80000n, prefix: 16 });
  t.ok(cidrContains(outer, parseCidr('192.168.5.0/24')!));
  t.notOk(cidrContains(outer, parseCidr('192.169.0.0/24')!));
  t.notOk(cidrContains(outer, parseCidr('::/0')!));
  t.equal(parseCidr('192.168.1.7/24')?.network, 0xc0a80100n, 'host bits are cleared');
  t.equal(parseCidr('010.0.0.0/8')?.network, 0x0a000000n, 'leading zeros are accepted');
  t.ok(parseCidr('::ffff:10.0.0.0/104'));
  t.equal(parseCidr('1.2.3.4'), undefined);
  t.equal(parseCidr('1::2::3/64'), undefined);
});

t.test('networking kinds through the schema engine', async (t) => {
  const reg = registryWith(networkingModule);
  const np: JsonObject = { metadata: { name: 'deny' }, spec: { egress: [{ ports: [{ port: 53 }] }] } };
  applyDefaults(reg, `${N}.NetworkPolicy`, np);
  const spec = np.spec as JsonObject;
  t.same(spec.podSelector, {});
  t.same(spec.policyTypes, ['Ingress', 'Egress']);
  t.same(spec.egress, [{ ports: [{ port: 53, protocol: 'TCP' }] }]);
  t.same(validateObject(reg, `${N}.NetworkPolicy`, np), []);
  const empty: JsonObject = { metadata: { name: 'default-deny' } };
  applyDefaults(reg, `${N}.NetworkPolicy`, empty);
  t.same(empty.spec, { podSelector: {}, policyTypes: ['Ingress'] });

  const ic: JsonObject = { metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx', parameters: { kind: 'P', name: 'p' } } };
  applyDefaults(reg, `${N}.IngressClass`, ic);
  t.equal(((ic.spec as JsonObject).parameters as JsonObject).scope, 'Cluster');
  t.same(validateObject(reg, `${N}.IngressClass`, ic), []);
  const changed = structuredClone(ic);
  (changed.spec as JsonObject).controller = 'k8s.io/other';
  t.same(messages(validateObject(reg, `${N}.IngressClass`, changed, ic)), ['spec.controller: Invalid value: "k8s.io/other": field is immutable']);

  const ing: JsonObject = {
    metadata: { name: 'web' },
    spec: { ingressClassName: 'nginx', rules: [{ host: 'web.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: svc({ number: 80 }) }] } }] },
  };
  t.same(validateObject(reg, `${N}.Ingress`, ing), []);
  const noPaths: JsonObject = { metadata: { name: 'web' }, spec: { rules: [{ http: { paths: [] } }] } };
  t.same(messages(validateObject(reg, `${N}.Ingress`, noPaths)), ['spec.rules[0].http.paths: Required value']);
});
