// Named formats: every FormatName, its Kubernetes detail texts, and no opinion on values of another JSON type.
import t from 'tap';
import type { JsonValue } from '../../src/json.js';
import type { FormatName } from '../../src/schema/schema.js';
import { fieldErrorMessage } from '../../src/validation/field-error.js';
import { formatValidators } from '../../src/validation/formats.js';
import { QUANTITY_FORMAT_ERROR } from '../../src/quantity/index.js';

function check(format: FormatName, value: JsonValue): string[] {
  return formatValidators[format](value, 'spec.field').map(fieldErrorMessage);
}

const ALL_FORMATS: FormatName[] = [
  'dns1123-subdomain',
  'dns1123-label',
  'dns1035-label',
  'qualified-name',
  'label-value',
  'env-var-name',
  'config-map-key',
  'port-number',
  'port-name',
  'quantity',
  'non-negative-quantity',
  'ip',
  'cidr',
  'absolute-path',
  'relative-path',
  'path-segment-name',
  'non-negative',
];

t.test('every format has a validator', async (t) => {
  t.same(Object.keys(formatValidators).sort(), [...ALL_FORMATS].sort());
});

t.test('values of another JSON type pass (the type check reports them)', async (t) => {
  const stringFormats = ALL_FORMATS.filter((f) => !['port-number', 'non-negative', 'quantity', 'non-negative-quantity'].includes(f));
  for (const f of stringFormats) for (const v of [5, true, null, [], {}] as JsonValue[]) t.same(check(f, v), [], `${f} ${JSON.stringify(v)}`);
  for (const f of ['port-number', 'non-negative'] as FormatName[]) for (const v of ['80', true, null] as JsonValue[]) t.same(check(f, v), [], `${f} ${JSON.stringify(v)}`);
  for (const f of ['quantity', 'non-negative-quantity'] as FormatName[]) for (const v of [true, null, {}] as JsonValue[]) t.same(check(f, v), [], `${f} ${JSON.stringify(v)}`);
});

t.test('name formats report one FieldValueInvalid per problem', async (t) => {
  t.same(check('dns1123-subdomain', 'my.app'), []);
  t.same(check('dns1123-label', 'a.b'), ['spec.field: Invalid value: "a.b": must not contain dots']);
  t.equal(check('dns1123-subdomain', `${'A'.repeat(254)}`).length, 2);
  t.same(check('dns1035-label', 'svc-1'), []);
  t.equal(check('dns1035-label', '1svc').length, 1);
  t.same(check('qualified-name', 'example.com/name'), []);
  t.same(check('qualified-name', '/x'), ['spec.field: Invalid value: "/x": prefix part must be non-empty']);
  t.same(check('label-value', ''), []);
  t.same(check('env-var-name', 'MY VAR.1'), []);
  t.same(check('env-var-name', 'A=B'), ["spec.field: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='"]);
  t.same(check('config-map-key', '..x'), [
    "spec.field: Invalid value: \"..x\": must not start with '..'",
  ]);
  t.same(check('port-name', 'http'), []);
  t.same(check('port-name', 'http--x'), ['spec.field: Invalid value: "http--x": must not contain consecutive hyphens']);
  t.same(check('path-segment-name', 'system:admin'), []);
  t.same(check('path-segment-name', 'a/b'), ["spec.field: Invalid value: \"a/b\": may not contain '/'"]);
  const errs = formatValidators['dns1123-label']('Bad', 'metadata.name');
  t.equal(errs[0]!.type, 'FieldValueInvalid');
  t.equal(errs[0]!.badValue, 'Bad');
});

t.test('numbers: ports and non-negative integers', async (t) => {
  t.same(check('port-number', 8080), []);
  t.same(check('port-number', 0), ['spec.field: Invalid value: 0: must be between 1 and 65535, inclusive']);
  t.same(check('port-number', 70000), ['spec.field: Invalid value: 70000: must be between 1 and 65535, inclusive']);
  t.same(check('non-negative', 0), []);
  t.same(check('non-negative', -1), ['spec.field: Invalid value: -1: must be greater than or equal to 0']);
});

t.test('quantities, as strings or JSON numbers', async (t) => {
  t.same(check('quantity', '100m'), []);
  t.same(check('quantity', '-1Gi'), []);
  t.same(check('quantity', 1.5), []);
  t.same(check('quantity', ' 1 '), []);
  t.same(check('quantity', '1GB'), [`spec.field: Invalid value: "1GB": ${QUANTITY_FORMAT_ERROR}`]);
  t.same(check('quantity', '1Gm'), [`spec.field: Invalid value: "1Gm": unable to parse quantity's suffix`]);
  t.same(check('quantity', 'abc'), [`spec.field: Invalid value: "abc": ${QUANTITY_FORMAT_ERROR}`]);
  t.same(check('non-negative-quantity', '0'), []);
  t.same(check('non-negative-quantity', '2Gi'), []);
  // The bad value shown is the canonical form, as ValidateNonnegativeQuantity prints value.String().
  t.same(check('non-negative-quantity', '-1000m'), ['spec.field: Invalid value: "-1": must be greater than or equal to 0']);
  t.same(check('non-negative-quantity', -2), ['spec.field: Invalid value: "-2": must be greater than or equal to 0']);
  t.same(check('non-negative-quantity', 'x'), [`spec.field: Invalid value: "x": ${QUANTITY_FORMAT_ERROR}`]);
});

t.test('IP addresses and CIDRs', async (t) => {
  t.same(check('ip', '10.96.0.1'), []);
  t.same(check('ip', 'fd00::1'), []);
  t.same(check('ip', '10.96.0.256'), ['spec.field: Invalid value: "10.96.0.256": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']);
  t.same(check('cidr', '10.244.0.0/16'), []);
  t.same(check('cidr', '10.244.0.0'), ['spec.field: Invalid value: "10.244.0.0": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)']);
});

t.test('paths', async (t) => {
  t.same(check('relative-path', 'conf/app.yaml'), []);
  t.same(check('relative-path', ''), []);
  t.same(check('relative-path', 'a..b/c'), []);
  t.same(check('relative-path', '/etc/passwd'), ['spec.field: Invalid value: "/etc/passwd": must be a relative path']);
  t.same(check('relative-path', '../../x'), ["spec.field: Invalid value: \"../../x\": must not contain '..'"]);
  t.same(check('relative-path', '/a/../b'), ['spec.field: Invalid value: "/a/../b": must be a relative path', "spec.field: Invalid value: \"/a/../b\": must not contain '..'"]);
  t.same(check('absolute-path', '/var/lib/data'), []);
  t.same(check('absolute-path', 'data'), ['spec.field: Invalid value: "data": must be an absolute path']);
  t.same(check('absolute-path', '/data/..'), ["spec.field: Invalid value: \"/data/..\": must not contain '..'"]);
});
