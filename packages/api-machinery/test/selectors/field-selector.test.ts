// Field selectors: fields.ParseSelector of Kubernetes 1.32 (terms, escapes, error texts, matching).
import t from 'tap';
import { escapeFieldValue, FieldSelector, parseFieldSelector, SelectorParseError, unescapeFieldValue } from '../../src/selectors/index.js';

function fieldsOf(obj: Record<string, string>): (field: string) => string | undefined {
  return (field) => obj[field];
}

t.test('parses terms with =, == and !=', async (t) => {
  const s = parseFieldSelector('metadata.name=web,spec.nodeName==node-1,status.phase!=Running');
  t.same(s.requirements, [
    { field: 'metadata.name', operator: '=', value: 'web' },
    { field: 'spec.nodeName', operator: '=', value: 'node-1' },
    { field: 'status.phase', operator: '!=', value: 'Running' },
  ]);
  t.equal(s.toString(), 'metadata.name=web,spec.nodeName=node-1,status.phase!=Running');
  t.same(s.fields(), ['metadata.name', 'spec.nodeName', 'status.phase']);
});

t.test('sorts terms as raw text, as Kubernetes does', async (t) => {
  t.equal(parseFieldSelector('b=2,a=1').toString(), 'a=1,b=2');
  t.same(parseFieldSelector('a=1,a!=2').fields(), ['a']);
});

t.test('accepts empty values and empty terms; drops a bare "="', async (t) => {
  const s = parseFieldSelector('involvedObject.namespace=');
  t.same(s.requirements, [{ field: 'involvedObject.namespace', operator: '=', value: '' }]);
  t.equal(s.matches(fieldsOf({})), true);
  t.equal(s.matches(fieldsOf({ 'involvedObject.namespace': 'x' })), false);
  t.equal(parseFieldSelector('').isEmpty(), true);
  t.equal(parseFieldSelector(',,').isEmpty(), true);
  t.equal(parseFieldSelector('=').isEmpty(), true);
  t.equal(parseFieldSelector('a=b,=').toString(), 'a=b');
  t.equal(FieldSelector.everything().matches(fieldsOf({})), true);
});

t.test('unescapes values and escapes them back', async (t) => {
  const s = parseFieldSelector('a=x\\,y\\=z\\\\w');
  t.same(s.requirements, [{ field: 'a', operator: '=', value: 'x,y=z\\w' }]);
  t.equal(s.toString(), 'a=x\\,y\\=z\\\\w');
  t.equal(escapeFieldValue('a,b=c\\'), 'a\\,b\\=c\\\\');
  t.equal(unescapeFieldValue('plain'), 'plain');
  // The first operator splits: the field part has no escaping.
  t.same(parseFieldSelector('a!=b\\=\\=').requirements, [{ field: 'a', operator: '!=', value: 'b==' }]);
  t.same(parseFieldSelector('a=!b').requirements, [{ field: 'a', operator: '=', value: '!b' }]);
});

t.test('reports malformed selectors in Kubernetes words', async (t) => {
  const cases: Array<[string, string]> = [
    ['x', "invalid selector: 'x'; can't understand 'x'"],
    ['a=b,c', "invalid selector: 'a=b,c'; can't understand 'c'"],
    ['a=\\x', 'invalid field selector: invalid escape sequence: \\x'],
    ['a=b\\', 'invalid field selector: invalid escape sequence: \\'],
    ['a=b=c', 'invalid field selector: unescaped character in value: 61'],
    ['a==b=c', 'invalid field selector: unescaped character in value: 61'],
    // Terms are sorted first, so the error names the first bad term in sorted order.
    ['z,y', "invalid selector: 'z,y'; can't understand 'y'"],
  ];
  for (const [text, message] of cases) t.throws(() => parseFieldSelector(text), new SelectorParseError(message), text);
});

t.test('matches objects by field values; absent fields read as ""', async (t) => {
  const pod = fieldsOf({ 'metadata.name': 'web', 'spec.nodeName': 'n1', 'status.phase': 'Running' });
  t.equal(parseFieldSelector('metadata.name=web').matches(pod), true);
  t.equal(parseFieldSelector('metadata.name=db').matches(pod), false);
  t.equal(parseFieldSelector('spec.nodeName!=n2,status.phase=Running').matches(pod), true);
  t.equal(parseFieldSelector('spec.nodeName!=n1').matches(pod), false);
  t.equal(parseFieldSelector('metadata.namespace!=').matches(pod), false);
  t.equal(parseFieldSelector('metadata.namespace=').matches(pod), true);
});

t.test('tells which value a field must have', async (t) => {
  const s = parseFieldSelector('spec.nodeName!=a,metadata.name==web,spec.nodeName=n1');
  t.equal(s.requiresExactMatch('metadata.name'), 'web');
  t.equal(s.requiresExactMatch('spec.nodeName'), 'n1');
  t.equal(s.requiresExactMatch('status.phase'), undefined);
  t.equal(parseFieldSelector('a!=b').requiresExactMatch('a'), undefined);
});
