// core/v1 Event validation and the local value checks.
import t from 'tap';
import type { JsonObject } from '../../../src/json.js';
import { fieldErrorMessage } from '../../../src/validation/field-error.js';
import { coreModule } from '../../../src/types/core-v1/core.js';
import { strictValidateEventCreate, strictValidateEventUpdate } from '../../../src/types/core-v1/event.js';
import {
  compareQuantities,
  isDualStack,
  isIPv6String,
  parseIP,
  validateFQDN,
  validateNonSpecialIP,
  validateResourceName,
} from '../../../src/types/core-v1/checks.js';

const legacy = (ev: JsonObject): string[] => coreModule.validators!['io.k8s.api.core.v1.Event']!(ev, '', { operation: 'create' }).map(fieldErrorMessage);

t.test('old-style events: namespaces must agree', async (t) => {
  t.same(legacy({ metadata: { namespace: 'team' }, involvedObject: { kind: 'Pod', namespace: 'team' } }), []);
  t.same(legacy({ metadata: { namespace: 'default' }, involvedObject: { kind: 'Node' } }), [], 'cluster-scoped objects report into default');
  t.same(legacy({ metadata: { namespace: 'team' }, involvedObject: { kind: 'Pod', namespace: 'other' } }), [
    'involvedObject.namespace: Invalid value: "other": does not match event.namespace',
  ]);
  t.same(legacy({ metadata: { namespace: 'team' }, involvedObject: { kind: 'Node' } }), ['involvedObject.namespace: Invalid value: "": does not match event.namespace']);
});

t.test('new-style events need the reporting fields', async (t) => {
  const ev: JsonObject = {
    metadata: { namespace: 'team' },
    involvedObject: { kind: 'Pod', namespace: 'team' },
    eventTime: '2024-01-01T00:00:00.000000Z',
    reportingComponent: 'kubelet',
    reportingInstance: 'node-1',
    action: 'Pulling',
    reason: 'Pulling',
    type: 'Normal',
  };
  t.same(legacy(ev), []);
  const missing = legacy({ ...ev, reportingComponent: '', reportingInstance: '', action: '', reason: '' });
  t.same(missing.filter((m) => m.includes('Required')), [
    'reportingController: Required value',
    'reportingInstance: Required value',
    'action: Required value',
    'reason: Required value',
  ]);
  t.same(legacy({ ...ev, message: 'x'.repeat(1025) }), ['message: Invalid value: "": can have at most 1024 characters']);
  t.same(legacy({ ...ev, metadata: { namespace: 'team' }, involvedObject: { kind: 'Node' } }), ['involvedObject.namespace: Invalid value: "": does not match event.namespace']);
  t.same(legacy({ ...ev, metadata: { namespace: 'kube-system' }, involvedObject: { kind: 'Node' } }), []);
});

t.test('strict rules used for events.k8s.io writes', async (t) => {
  const ev: JsonObject = {
    metadata: { namespace: 'team' },
    involvedObject: { kind: 'Pod', namespace: 'team' },
    eventTime: '2024-01-01T00:00:00.000000Z',
    reportingComponent: 'example.com/ctl',
    reportingInstance: 'i-1',
    action: 'Sync',
    reason: 'Synced',
    type: 'Normal',
    source: {},
  };
  t.same(strictValidateEventCreate(ev).map(fieldErrorMessage), []);
  t.same(strictValidateEventCreate({ ...ev, type: 'Info', count: 3, series: { count: 1 } }).map(fieldErrorMessage), [
    'series.count: Invalid value: "": should be at least 2',
    'series.lastObservedTime: Required value',
    'type: Invalid value: "": has invalid value: Info',
    'count: Invalid value: "": needs to be unset',
  ]);
  t.same(strictValidateEventUpdate({ ...ev, series: { count: 2, lastObservedTime: '2024-01-01T00:01:00.000000Z' } }, ev).map(fieldErrorMessage), [], 'series may change');
  t.same(strictValidateEventUpdate({ ...ev, reason: 'Other', reportingComponent: 'example.com/x' }, ev).map(fieldErrorMessage), [
    'reason: Invalid value: "Other": field is immutable',
    'reportingController: Invalid value: "example.com/x": field is immutable',
  ]);
});

t.test('IP helpers', async (t) => {
  t.same(Array.from(parseIP('010.001.2.3') ?? []), [10, 1, 2, 3], 'leading zeros are accepted, as Go does');
  t.equal(parseIP('::ffff:1.2.3.4')?.length, 4, 'IPv4-mapped addresses count as IPv4');
  t.equal(parseIP('2001:db8::1')?.length, 16);
  t.same(Array.from(parseIP('::1') ?? []).slice(14), [0, 1]);
  t.equal(parseIP('fe80::1%eth0'), null, 'zones are rejected');
  t.equal(parseIP('1.2.3'), null);
  t.ok(isIPv6String('fd00::1'));
  t.notOk(isIPv6String('10.0.0.1'));
  t.ok(isDualStack(['10.0.0.0/24', 'fd00::/64']));
  t.notOk(isDualStack(['10.0.0.0/24', '10.1.0.0/24']));
  t.same(validateNonSpecialIP('f', '0.0.0.0').map(fieldErrorMessage), ['f: Invalid value: "0.0.0.0": may not be unspecified (0.0.0.0)']);
  t.same(validateNonSpecialIP('f', 'ff02::1').map(fieldErrorMessage), [
    'f: Invalid value: "ff02::1": may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)',
  ]);
  t.same(validateNonSpecialIP('f', '10.0.0.1'), []);
});

t.test('FQDN, quantities and resource names', async (t) => {
  t.same(validateFQDN('a', 'example.com.'), []);
  t.same(validateFQDN('a', 'localhost').map(fieldErrorMessage), ['a: Invalid value: "localhost": should be a domain with at least two segments separated by dots']);
  t.same(validateFQDN('a', '').map(fieldErrorMessage), ['a: Required value']);
  t.equal(compareQuantities('1Gi', '1024Mi'), 0);
  t.equal(compareQuantities('500m', '1'), -1);
  t.equal(compareQuantities('x', '1'), undefined);
  t.same(validateResourceName('example.com/foo', 'r'), []);
  t.same(validateResourceName('widgets', 'r').map(fieldErrorMessage), ['r: Invalid value: "widgets": must be a standard resource type or fully qualified']);
});
