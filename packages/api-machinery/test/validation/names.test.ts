// Name rules: good/bad cases and message texts from Kubernetes 1.32 (util/validation and its tests).
import t, { type Test } from 'tap';
import {
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isEnvVarName,
  isPathSegmentName,
  isPathSegmentPrefix,
  isQualifiedName,
  isValidCIDR,
  isValidIP,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  nameIsDNS1035Label,
  nameIsDNSLabel,
  nameIsDNSSubdomain,
  validatePathSegmentName,
} from '../../src/validation/names.js';

const DNS1123_LABEL_MSG =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name', or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const DNS1123_SUBDOMAIN_MSG =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_MSG =
  "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name', or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_MSG =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_MSG =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

function checkAll(t: Test, check: (v: string) => string[], good: string[], bad: string[]): void {
  for (const v of good) t.same(check(v), [], `good: ${JSON.stringify(v)}`);
  for (const v of bad) t.not(check(v).length, 0, `bad: ${JSON.stringify(v)}`);
}

t.test('DNS-1123 labels', async (t) => {
  checkAll(
    t,
    isDNS1123Label,
    ['a', 'ab', 'abc', 'a1', 'a-1', 'a--1--2--b', '0', '01', '012', '1a', '1-a', '1--a--b--2', 'a'.repeat(63)],
    ['', 'A', 'ABC', 'aBc', 'A1', 'A-1', '1-A', '-', 'a-', '-a', '1-', '-1', '_', 'a_', '_a', 'a_b', '1_', '_1', '1_2', '.', 'a.', '.a', 'a.b', '1.', '.1', '1.2', ' ', 'a ', ' a', 'a b', '1 ', ' 1', '1 2', 'a'.repeat(64)],
  );
  t.same(isDNS1123Label('My-Pod'), [DNS1123_LABEL_MSG]);
  t.same(isDNS1123Label('a.b'), ['must not contain dots']);
  t.same(isDNS1123Label('a'.repeat(64)), ['must be no more than 63 characters']);
  t.same(isDNS1123Label(`${'a'.repeat(64)}-`), ['must be no more than 63 characters', DNS1123_LABEL_MSG]);
});

t.test('DNS-1123 subdomains', async (t) => {
  checkAll(
    t,
    isDNS1123Subdomain,
    ['a', 'ab', 'a.b', 'a-1.b-2', '0.1', 'a--1.b', `${'a'.repeat(63)}.${'b'.repeat(63)}`, 'a'.repeat(253)],
    ['', 'A', 'a..b', '.a', 'a.', 'a_b', 'a b', '-a.b', 'a.b-', 'a'.repeat(254)],
  );
  t.same(isDNS1123Subdomain('Foo'), [DNS1123_SUBDOMAIN_MSG]);
  t.same(isDNS1123Subdomain('a'.repeat(254)), ['must be no more than 253 characters']);
});

t.test('DNS-1035 labels', async (t) => {
  checkAll(t, isDNS1035Label, ['a', 'ab', 'a-1', 'a--1--2--b', 'a'.repeat(63)], ['', '0', '1a', 'A', 'a-', 'a.b', 'a_b', 'a'.repeat(64)]);
  t.same(isDNS1035Label('1abc'), [DNS1035_MSG]);
});

t.test('qualified names (label keys)', async (t) => {
  checkAll(
    t,
    isQualifiedName,
    [
      'simple',
      'now-with-dashes',
      '1-starts-with-num',
      '1234',
      'simple/simple',
      'now.with.dots/simple',
      '1.2.3.4/5678',
      'Uppercase_Is_OK_123',
      'example.com/Uppercase_Is_OK_123',
      'requests.storage-foo',
      'a'.repeat(63),
      `${'a'.repeat(253)}/${'b'.repeat(63)}`,
    ],
    ['nospecialchars%^=@', 'cantendwithadash-', '-cantstartwithadash-', 'only/one/slash', 'Example.com/abc', 'example_com/abc', 'example.com/', '/simple', 'a'.repeat(64), `${'a'.repeat(254)}/abc`],
  );
  t.same(isQualifiedName('-bad'), [NAME_PART_MSG]);
  t.same(isQualifiedName('example.com/'), ['name part must be non-empty', NAME_PART_MSG]);
  t.same(isQualifiedName('/simple'), ['prefix part must be non-empty']);
  t.same(isQualifiedName('Example.com/abc'), [`prefix part ${DNS1123_SUBDOMAIN_MSG}`]);
  t.same(isQualifiedName('a'.repeat(64)), ['name part must be no more than 63 characters']);
  t.same(isQualifiedName('only/one/slash'), [
    "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
  ]);
});

t.test('label values', async (t) => {
  checkAll(t, isValidLabelValue, ['', 'simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', 'a'.repeat(63), 'My_Value.1'], ['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes', '-starts-with-dash', 'ends-with-dash-', '.starts.with.dot', 'ends.with.dot.', 'a'.repeat(64)]);
  t.same(isValidLabelValue('-x'), [LABEL_VALUE_MSG]);
  t.same(isValidLabelValue(`${'a'.repeat(63)}-`), ['must be no more than 63 characters', LABEL_VALUE_MSG]);
});

t.test('environment variable names (relaxed rule of 1.32)', async (t) => {
  checkAll(
    t,
    isEnvVarName,
    ['-', ':', '_', '+a', '>a', '<a', 'a.', 'a..', '*a', '%a', '?a', 'a:a', 'a_a', 'aAz', '~a', '|a', 'a0a', 'a9', '/a', 'a ', '#a', '0a', '0 a', "'a", '(a', '@a'],
    ['', '=', 'a=', '1=a', 'a=b', '#%=&&', '\u0001abc', '\u0082abc', 'Ç ç', 'Ä ä', 'Ñ ñ', 'Ø ø'],
  );
  t.same(isEnvVarName(''), ['environment variable name must be non-empty']);
  t.same(isEnvVarName('a=b=c'), ["a valid environment variable name must consist only of printable ASCII characters other than '='"]);
  t.same(isEnvVarName('tab\t'), ["a valid environment variable name must consist only of printable ASCII characters other than '='"]);
});

t.test('config map keys', async (t) => {
  checkAll(t, isConfigMapKey, ['a', 'good', 'good-good', 'still.good', 'this.is.also.good', '.so.is.this', 'THIS_IS_GOOD', 'so_is_this_17'], ['.', '..', '..bad', 'b*d', 'bad!&bad']);
  t.same(isConfigMapKey('.'), ["must not be '.'"]);
  t.same(isConfigMapKey('..'), ["must not be '..'"]);
  t.same(isConfigMapKey('..bad'), ["must not start with '..'"]);
  t.same(isConfigMapKey('b*d'), [
    "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', or 'KEY_NAME', or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
  ]);
  t.same(isConfigMapKey('a'.repeat(254)), ['must be no more than 253 characters']);
});

t.test('port numbers and names', async (t) => {
  for (const p of [1, 80, 65535]) t.same(isValidPortNum(p), []);
  for (const p of [0, -1, 65536]) t.same(isValidPortNum(p), ['must be between 1 and 65535, inclusive']);
  checkAll(
    t,
    isValidPortName,
    ['telnet', 're-mail-ck', 'pop3', 'a', 'a-1', '1-a', 'a-1-b-2-c', '1-a-2-b-3'],
    ['longerthan15characters', '', 'a'.repeat(16), '12345', '1-2-3-4', '-begin', 'end-', 'two--hyphens', 'whois++'],
  );
  t.same(isValidPortName('HTTP'), ['must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'must contain at least one letter (a-z)']);
  t.same(isValidPortName('12345'), ['must contain at least one letter (a-z)']);
  t.same(isValidPortName('two--hyphens'), ['must not contain consecutive hyphens']);
  t.same(isValidPortName('-begin'), ['must not begin or end with a hyphen']);
  t.same(isValidPortName('longerthan15characters'), ['must be no more than 15 characters']);
});

t.test('IP addresses (sloppy parsing, leading zeros allowed)', async (t) => {
  const good = ['1.2.3.4', '0.0.0.0', '255.255.255.255', '1234::abcd', '::', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff', '0:0:0:0:0:0:0:0', '0001:002:03:4::', '1234::ABCD', '1.1.1.01', '::ffff:1.1.1.1', '::1', '1::', '1:2:3:4:5:6:1.2.3.4'];
  const bad = ['', 'aaaaaaa', 'myhost.mydomain', '1.2.3.0/24', '1.2.3.400', '-1.0.0.0', '2001:db8::10005', '1.2.3.4:80', '[2001:db8::1]', '[2001:db8::1]:80', 'example.com:80', '1234::abcd%eth0', '169.254.0.0%eth0', '1.2.3', '1.2.3.4.5', '1::2::3', '1:2:3:4:5:6:7:8:9', '1:2:3:4:5:6:7::8', ':1::', '1:'];
  for (const v of good) t.same(isValidIP(v), [], `good: ${v}`);
  for (const v of bad) t.same(isValidIP(v), ['must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'], `bad: ${v}`);
});

t.test('CIDRs', async (t) => {
  const good = ['1.0.0.0/8', '0.0.0.0/0', '1.1.1.1/32', '2001:4860:4860::/48', '::/0', '::1/128', '2a00:79e0:2:0::/64', '2001:DB8::/64', '1.1.01.0/24', '::ffff:1.1.1.0/24', '::ffff:1.1.1.0/120', '1.2.3.4/24', '2001:db8::1/64', '192.168.0.0/016'];
  const bad = ['', 'aaaaaaa', '1.2.3.4', '192.168.0.1/healthz', '192.168.0.1/0/99', '192.168.0.0/-16', '192.168.0.0/+16', '1.2.3.4/33', '::/129', '1.2.3.4/'];
  for (const v of good) t.same(isValidCIDR(v), [], `good: ${v}`);
  for (const v of bad) t.same(isValidCIDR(v), ['must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'], `bad: ${v}`);
});

t.test('path segment names', async (t) => {
  t.same(isPathSegmentName('ok:name'), []);
  t.same(isPathSegmentName('.'), ["may not be '.'"]);
  t.same(isPathSegmentName('..'), ["may not be '..'"]);
  t.same(isPathSegmentName('a/b%c'), ["may not contain '/'", "may not contain '%'"]);
  t.same(isPathSegmentPrefix('..'), []);
  t.same(validatePathSegmentName('..', true), []);
  t.same(validatePathSegmentName('..', false), ["may not be '..'"]);
});

t.test('name functions for generateName prefixes', async (t) => {
  t.same(nameIsDNSSubdomain('web-', true), []);
  t.not(nameIsDNSSubdomain('web-', false).length, 0);
  t.same(nameIsDNSLabel('pod-', true), []);
  t.same(nameIsDNS1035Label('svc-', true), []);
  // Kubernetes drops the last two characters before appending "a": "a.-" is checked as "aa".
  t.same(nameIsDNSLabel('a.-', true), []);
  t.same(nameIsDNSLabel('-', true), [DNS1123_LABEL_MSG]);
});
