// Label selectors: grammar, printing, matching and error texts of Kubernetes 1.32 (labels/selector_test.go facts).
import t from 'tap';
import { labelSelectorFromObject, LabelSelector, newRequirement, parseLabelSelector, SelectorParseError } from '../../src/selectors/index.js';

const LABEL_VALUE_DETAIL =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
const NAME_PART_DETAIL =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

function parseError(text: string): string {
  try {
    parseLabelSelector(text);
  } catch (err) {
    if (err instanceof SelectorParseError) return err.message;
    throw err;
  }
  return '<parsed>';
}

t.test('parses good selectors and prints them without spaces', async (t) => {
  for (const text of ['x=a,y=b,z=c', '', 'x!=a,y=b', 'x=', 'x= ', 'x=,z= ', 'x= ,z= ', '!x', 'x>1', 'x>1,z<5']) {
    t.equal(parseLabelSelector(text).toString(), text.replaceAll(' ', ''), JSON.stringify(text));
  }
  t.equal(parseLabelSelector(' a = b ,\tc\n').toString(), 'a=b,c');
  t.equal(parseLabelSelector('x==a').toString(), 'x==a');
  t.equal(parseLabelSelector('x in (foo,,baz),y,z notin ()').toString(), 'x in (,baz,foo),y,z notin ()');
  t.equal(parseLabelSelector('x in (b, a, a)').toString(), 'x in (a,b)');
  t.equal(parseLabelSelector('x in (),y').toString(), 'x in (),y');
  t.equal(parseLabelSelector('x in (,a)').toString(), 'x in (,a)');
  t.equal(parseLabelSelector('example.com/app=web').toString(), 'example.com/app=web');
});

t.test('sorts requirements by key for a deterministic form', async (t) => {
  t.equal(parseLabelSelector('x=a,a=x').toString(), parseLabelSelector('a=x,x=a').toString());
  t.equal(parseLabelSelector('z,!b,a in (2,1)').toString(), 'a in (1,2),!b,z');
  t.same(parseLabelSelector('b=1,a notin (y,x)').requirements, [
    { key: 'a', operator: 'notin', values: ['x', 'y'] },
    { key: 'b', operator: '=', values: ['1'] },
  ]);
});

t.test('treats in/notin as identifiers where a value is expected', async (t) => {
  t.equal(parseLabelSelector('notin=in').matches({ notin: 'in' }), true);
  t.equal(parseLabelSelector('x in (in,notin)').toString(), 'x in (in,notin)');
  t.equal(parseLabelSelector('in').toString(), 'in');
});

t.test('reports bad selectors in Kubernetes words', async (t) => {
  const cases: Array<[string, string]> = [
    ['x=a||y=b', `unable to parse requirement: values[0][x]: Invalid value: "a||y": ${LABEL_VALUE_DETAIL}`],
    ['x==a==b', "found '==', expected: ',' or 'end of string'"],
    ['!x=a', "found '=', expected: ',' or 'end of string'"],
    ['x<a', `unable to parse requirement: values[0]: Invalid value: "a": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x>', `unable to parse requirement: values[0]: Invalid value: "": for 'Gt', 'Lt' operators, the value must be an integer`],
    ['x,', "found '', expected: identifier after ','"],
    ['x=a,=b', "found '=', expected: identifier after ','"],
    ['(', "found '(', expected: !, identifier, or 'end of string'"],
    ['!x y', "found 'y', expected: ',' or 'end of string'"],
    ['x y', "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt"],
    ['x (', "unable to parse requirement: found '(', expected: in, notin, =, ==, !=, gt, lt"],
    ['!', "unable to parse requirement: found '', expected: identifier"],
    ['x=(', "unable to parse requirement: found '(', expected: identifier"],
    ['x in', "unable to parse requirement: found '' expected: '('"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['x in (a b)', "unable to parse requirement: found 'b', expected: ',' or ')'"],
    ['x in (=)', "unable to parse requirement: found '=', expected: ',', ')' or identifier"],
    ['x in (a,=)', "unable to parse requirement: found '=', expected: ',', or identifier"],
    // Kubernetes 1.32 consumes the second comma of ",," and then finds ')' where a value should be.
    ['x in (a,,)', "unable to parse requirement: found ')', expected: ',', or identifier"],
    ['k_=v', `unable to parse requirement: <nil>: Invalid value: "k_": ${NAME_PART_DETAIL}`],
    ['-k', `unable to parse requirement: <nil>: Invalid value: "-k": ${NAME_PART_DETAIL}`],
    ['a/', `unable to parse requirement: <nil>: Invalid value: "a/": name part must be non-empty; ${NAME_PART_DETAIL}`],
    [`x=${'a'.repeat(64)}`, `unable to parse requirement: values[0][x]: Invalid value: "${'a'.repeat(64)}": must be no more than 63 characters`],
    ['x>-1', `unable to parse requirement: values[0][x]: Invalid value: "-1": ${LABEL_VALUE_DETAIL}`],
    ['x in (b_,a_)', `unable to parse requirement: [values[0][x]: Invalid value: "a_": ${LABEL_VALUE_DETAIL}, values[1][x]: Invalid value: "b_": ${LABEL_VALUE_DETAIL}]`],
    ['x="a"', `unable to parse requirement: values[0][x]: Invalid value: "\\"a\\"": ${LABEL_VALUE_DETAIL}`],
  ];
  for (const [text, message] of cases) t.equal(parseError(text), message, text);
});

t.test('matches labels', async (t) => {
  const matches = (selector: string, labels: Record<string, string> | undefined): boolean => parseLabelSelector(selector).matches(labels);
  t.equal(matches('', { x: 'y' }), true);
  t.equal(matches('', undefined), true);
  t.equal(matches('x=y', { x: 'y' }), true);
  t.equal(matches('x=y,z=w', { x: 'y', z: 'w' }), true);
  t.equal(matches('x!=y,z!=w', { x: 'z', z: 'a' }), true);
  t.equal(matches('x', { x: 'z' }), true);
  t.equal(matches('!x', { y: 'z' }), true);
  t.equal(matches('x>1', { x: '2' }), true);
  t.equal(matches('x<1', { x: '0' }), true);
  t.equal(matches('x=z', {}), false);
  t.equal(matches('x=y', { x: 'z' }), false);
  t.equal(matches('x=y,z=w', { x: 'w', z: 'w' }), false);
  t.equal(matches('x!=y,z!=w', { x: 'z', z: 'w' }), false);
  t.equal(matches('x', { y: 'z' }), false);
  t.equal(matches('!x', { x: 'z' }), false);
  t.equal(matches('x>1', { x: '0' }), false);
  t.equal(matches('x<1', { x: '2' }), false);
  t.equal(matches('x>1', { x: 'abc' }), false);
  t.equal(matches('x>1', {}), false);
  t.equal(matches('x in (a,b)', { x: 'b' }), true);
  t.equal(matches('x in (a,b)', {}), false);
  t.equal(matches('x notin (a,b)', {}), true);
  t.equal(matches('x notin (a,b)', { x: 'a' }), false);
  t.equal(matches('x notin (a,b)', { x: 'c' }), true);
  t.equal(matches('x=', { x: '' }), true);
  t.equal(matches('x in ()', { x: '' }), true);
  // Labels are own properties only.
  t.equal(matches('toString', {}), false);
  t.equal(matches('!constructor', {}), true);
  const labelset = { foo: 'bar', baz: 'blah' };
  t.equal(matches('foo=bar,baz=blah', labelset), true);
  t.equal(matches('foo=bar,foobar=bar,baz=blah', labelset), false);
});

t.test('reports empty, everything, nothing and exact matches', async (t) => {
  t.equal(parseLabelSelector('').isEmpty(), true);
  t.equal(LabelSelector.everything().isEmpty(), true);
  t.equal(LabelSelector.nothing().isEmpty(), false);
  t.equal(LabelSelector.nothing().matches({}), false);
  t.equal(LabelSelector.nothing().matchesNothing(), true);
  t.equal(LabelSelector.nothing().toString(), '');
  t.equal(parseLabelSelector('a=b').isEmpty(), false);
  const s = parseLabelSelector('a=1,b==2,c in (3),d in (4,5),e!=6,f');
  t.equal(s.requiresExactMatch('a'), '1');
  t.equal(s.requiresExactMatch('b'), '2');
  t.equal(s.requiresExactMatch('c'), '3');
  t.equal(s.requiresExactMatch('d'), undefined);
  t.equal(s.requiresExactMatch('e'), undefined);
  t.equal(s.requiresExactMatch('f'), undefined);
  t.equal(s.requiresExactMatch('g'), undefined);
});

t.test('converts LabelSelector objects (LabelSelectorAsSelector)', async (t) => {
  t.equal(labelSelectorFromObject(null).matchesNothing(), true);
  t.equal(labelSelectorFromObject(undefined).matches({}), false);
  t.equal(labelSelectorFromObject({}).isEmpty(), true);
  t.equal(labelSelectorFromObject({ matchLabels: {}, matchExpressions: [] }).matches({ a: 'b' }), true);
  const s = labelSelectorFromObject({
    matchLabels: { app: 'web', tier: 'front' },
    matchExpressions: [
      { key: 'env', operator: 'In', values: ['prod', 'dev'] },
      { key: 'canary', operator: 'DoesNotExist' },
      { key: 'zone', operator: 'Exists', values: [] },
      { key: 'track', operator: 'NotIn', values: ['beta'] },
    ],
  });
  t.equal(s.toString(), 'app=web,!canary,env in (dev,prod),tier=front,track notin (beta),zone');
  t.equal(s.matches({ app: 'web', tier: 'front', env: 'prod', zone: 'a' }), true);
  t.equal(s.matches({ app: 'web', tier: 'front', env: 'prod', zone: 'a', canary: 'x' }), false);
  t.equal(s.matches({ app: 'web', tier: 'front', env: 'qa', zone: 'a' }), false);
  t.equal(s.requiresExactMatch('app'), 'web');
});

t.test('refuses invalid LabelSelector objects with Kubernetes messages', async (t) => {
  const cases: Array<[Parameters<typeof labelSelectorFromObject>[0], string]> = [
    [{ matchExpressions: [{ key: 'a', operator: 'Foo' }] }, '"Foo" is not a valid label selector operator'],
    [{ matchExpressions: [{ key: 'a', operator: 'in', values: ['x'] }] }, '"in" is not a valid label selector operator'],
    [{ matchExpressions: [{ key: 'a', operator: 'In' }] }, "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"],
    [{ matchExpressions: [{ key: 'a', operator: 'Exists', values: ['x'] }] }, 'values: Invalid value: []string{"x"}: values set must be empty for exists and does not exist'],
    [{ matchLabels: { 'a b': 'c' } }, `key: Invalid value: "a b": ${NAME_PART_DETAIL}`],
    [{ matchLabels: { a: 'b c' } }, `values[0][a]: Invalid value: "b c": ${LABEL_VALUE_DETAIL}`],
    [{ matchLabels: { '-a': '-b' } }, `[key: Invalid value: "-a": ${NAME_PART_DETAIL}, values[0][-a]: Invalid value: "-b": ${LABEL_VALUE_DETAIL}]`],
  ];
  for (const [obj, message] of cases) t.throws(() => labelSelectorFromObject(obj), new SelectorParseError(message), JSON.stringify(obj));
});

t.test('builds single requirements (NewRequirement)', async (t) => {
  t.same(newRequirement('x', 'in', ['a']), { key: 'x', operator: 'in', values: ['a'] });
  t.throws(() => newRequirement('x', '=', ['a', 'b']), new SelectorParseError('values: Invalid value: []string{"a", "b"}: exact-match compatibility requires one single value'));
  t.throws(() => newRequirement('x', 'gt', []), new SelectorParseError("values: Invalid value: []string{}: for 'Gt', 'Lt' operators, exactly one value is required"));
  t.throws(() => newRequirement('a'.repeat(254), 'exists', []), { message: /^key: Invalid value: "a{254}": name part must be no more than 63 characters$/ });
  t.same(newRequirement('x', 'gt', ['9223372036854775807']).values, ['9223372036854775807']);
  t.throws(() => newRequirement('x', 'gt', ['9223372036854775808']), { message: /the value must be an integer$/ });
});
