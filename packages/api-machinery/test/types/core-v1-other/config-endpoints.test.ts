// ConfigMap, Secret and Endpoints hooks.
import t from 'tap';
import type { JsonObject } from '../../../src/json.js';
import type { ValidationContext } from '../../../src/schema/module.js';
import { fieldErrorMessage } from '../../../src/validation/field-error.js';
import { coreModule } from '../../../src/types/core-v1/core.js';

const C = 'io.k8s.api.core.v1';
const run = (component: string, obj: JsonObject, ctx: ValidationContext = { operation: 'create' }, path = ''): string[] =>
  coreModule.validators![`${C}.${component}`]!(obj, path, ctx).map(fieldErrorMessage);
const b64 = (s: string): string => Buffer.from(s).toString('base64');

t.test('configmap keys, overlap and size', async (t) => {
  t.same(run('ConfigMap', { data: { 'app.properties': 'x=1' }, binaryData: { 'logo.png': b64('png') } }), []);
  const bad = run('ConfigMap', { data: { 'a/b': 'x' } });
  t.equal(bad.length, 1);
  t.match(bad[0], /^data\[a\/b\]: Invalid value: "a\/b": a valid config key must consist of alphanumeric characters/);
  t.same(run('ConfigMap', { data: { k: 'x' }, binaryData: { k: b64('y') } }), ['data[k]: Invalid value: "k": duplicate of key present in binaryData']);
  t.same(run('ConfigMap', { data: { big: 'x'.repeat(1024 * 1024 + 1) } }), [': Too long: may not be more than 1048576 bytes']);
});

t.test('configmap immutability', async (t) => {
  const old: JsonObject = { immutable: true, data: { a: '1' } };
  const ctx: ValidationContext = { operation: 'update', old };
  t.same(run('ConfigMap', { immutable: true, data: { a: '1' } }, ctx), []);
  t.same(run('ConfigMap', { immutable: true, data: { a: '2' }, binaryData: { b: b64('x') } }, ctx), [
    'data: Forbidden: field is immutable when `immutable` is set',
    'binaryData: Forbidden: field is immutable when `immutable` is set',
  ]);
  t.same(run('ConfigMap', { data: { a: '1' } }, ctx), ['immutable: Forbidden: field is immutable when `immutable` is set']);
  t.same(run('ConfigMap', { data: { a: '2' } }, { operation: 'update', old: { data: { a: '1' } } }), [], 'mutable configmaps change freely');
});

t.test('secret stringData is folded into data', async (t) => {
  const secret: JsonObject = { data: { a: b64('old'), keep: b64('k') }, stringData: { a: 'new', b: 'héllo' } };
  coreModule.defaulters![`${C}.Secret`]!(secret);
  t.same(secret, { data: { a: b64('new'), keep: b64('k'), b: Buffer.from('héllo', 'utf8').toString('base64') } });
  const plain: JsonObject = { data: { a: b64('x') } };
  coreModule.defaulters![`${C}.Secret`]!(plain);
  t.same(plain, { data: { a: b64('x') } });
  t.equal(coreModule.schemas[`${C}.Secret`]?.properties?.type?.default, 'Opaque');
});

t.test('well-known secret types', async (t) => {
  const secret = (type: string, data: JsonObject = {}, metadata: JsonObject = {}): JsonObject => ({ metadata, type, data });
  t.same(run('Secret', secret('Opaque')), []);
  t.same(run('Secret', secret('kubernetes.io/tls', { 'tls.crt': b64('c') })), ['data[tls.key]: Required value']);
  t.same(run('Secret', secret('kubernetes.io/basic-auth')), ['data[username]: Required value', 'data[password]: Required value']);
  t.same(run('Secret', secret('kubernetes.io/basic-auth', { password: '' })), [], 'either key may be present, even empty');
  t.same(run('Secret', secret('kubernetes.io/ssh-auth', { 'ssh-privatekey': '' })), ['data[ssh-privatekey]: Required value']);
  t.same(run('Secret', secret('kubernetes.io/dockerconfigjson')), ['data[.dockerconfigjson]: Required value']);
  t.same(run('Secret', secret('kubernetes.io/dockerconfigjson', { '.dockerconfigjson': b64('{"auths":{}}') })), []);
  t.same(run('Secret', secret('kubernetes.io/dockerconfigjson', { '.dockerconfigjson': b64('nope') })), [
    `data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": invalid character 'n' looking for beginning of value`,
  ]);
  t.same(run('Secret', secret('kubernetes.io/dockercfg', { '.dockercfg': b64('[]') })), [
    'data[.dockercfg]: Invalid value: "<secret contents redacted>": json: cannot unmarshal array into Go value of type map[string]interface {}',
  ]);
  t.same(run('Secret', secret('kubernetes.io/service-account-token')), ['metadata.annotations[kubernetes.io/service-account.name]: Required value']);
  t.same(run('Secret', secret('kubernetes.io/service-account-token', {}, { annotations: { 'kubernetes.io/service-account.name': 'default' } })), []);
  t.same(run('Secret', secret('Opaque', { big: Buffer.alloc(1024 * 1024 + 1).toString('base64') })), ['data: Too long: may not be more than 1048576 bytes']);
});

t.test('secret immutability', async (t) => {
  const old: JsonObject = { immutable: true, type: 'Opaque', data: { a: b64('1') } };
  t.same(run('Secret', { immutable: false, type: 'Opaque', data: { a: b64('2') } }, { operation: 'update', old }), [
    'immutable: Forbidden: field is immutable when `immutable` is set',
    'data: Forbidden: field is immutable when `immutable` is set',
  ]);
});

t.test('endpoint subsets', async (t) => {
  const run1 = (subset: JsonObject): string[] => run('EndpointSubset', subset, undefined, 'subsets[0]');
  t.same(run1({ addresses: [{ ip: '10.1.2.3', hostname: 'web-0', nodeName: 'n1' }], ports: [{ port: 80, protocol: 'TCP' }] }), []);
  t.same(run1({ ports: [{ port: 80 }] }), ['subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`']);
  t.same(run1({ notReadyAddresses: [{ ip: '169.254.1.1' }] }), [
    'subsets[0].notReadyAddresses[0].ip: Invalid value: "169.254.1.1": may not be in the link-local range (169.254.0.0/16, fe80::/10)',
  ]);
  t.same(run1({ addresses: [{ ip: '10.0.0.1' }], ports: [{ port: 80 }, { name: 'b', port: 81 }] }), ['subsets[0].ports[0].name: Required value']);
  t.same(run1({ addresses: [{ ip: 'x' }] }), [
    'subsets[0].addresses[0].ip: Invalid value: "x": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)',
    'subsets[0].addresses[0].ip: Invalid value: "x": must be a valid IP address',
  ]);
  t.equal(coreModule.schemas[`${C}.EndpointPort`]?.properties?.protocol?.default, 'TCP');
});
