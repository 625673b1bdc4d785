// Compiled schemas: what the walkers skip and what they still reach (recursion, unresolved references, keywords merged
// from the point of use over the target).
import t from 'tap';
import { SchemaRegistry } from '../../src/schema/registry.js';
import { applyDefaults } from '../../src/schema/defaulting.js';
import { decodeObject } from '../../src/schema/decode.js';
import { validateObject } from '../../src/schema/validation.js';
import { s } from '../../src/schema/schema.js';
import type { JsonObject } from '../../src/json.js';

const reg = new SchemaRegistry([
  {
    schemas: {
      // A tree: a component that contains itself.
      't.Node': s.object({
        name: s.string(),
        note: s.string('free text'),
        weight: s.int32('weight', { minimum: 0 }),
        children: s.array(s.ref('t.Node')),
        mode: s.enumOf(['a', 'b'], 'mode', { default: 'a' }),
      }),
      't.Plain': s.object({ a: s.string(), b: s.array(s.string()), c: s.map(s.int64()) }),
      't.Holder': s.object({
        plain: s.ref('t.Plain'),
        // Keywords at the point of use apply on top of the target's.
        described: s.ref('t.Plain', 'described', { immutable: true }),
        missing: s.ref('t.NotDefined'),
      }),
    },
  },
]);

t.test('a recursive component is defaulted and validated at every depth', async (t) => {
  const tree: JsonObject = { name: 'root', children: [{ name: 'kid', children: [{ name: 'grandkid', weight: -1 }] }] };
  applyDefaults(reg, 't.Node', tree);
  t.equal(tree.mode, 'a');
  const grandkid = ((tree.children as JsonObject[])[0]!.children as JsonObject[])[0]!;
  t.equal(grandkid.mode, 'a');
  t.same(
    validateObject(reg, 't.Node', tree).map((e) => e.field),
    ['children[0].children[0].weight'],
  );
});

t.test('subtrees with nothing to default or check are marked so, and the rest are not', async (t) => {
  const plain = reg.compiledComponent('t.Plain');
  t.equal(plain.defaultsAnything, false);
  t.equal(plain.checksAnything, false);
  t.equal(plain.property('a')?.checksAnything, false);
  const node = reg.compiledComponent('t.Node');
  t.equal(node.defaultsAnything, true, 'mode has a default');
  t.equal(node.checksAnything, true, 'weight has a minimum, mode an enum');
  t.equal(node.property('note')?.checksAnything, false);
  t.equal(reg.compiledComponent('t.Holder').property('described')?.checksAnything, true, 'immutable at the point of use');
  t.equal(reg.compile(reg.component('t.Plain')), reg.compile(reg.component('t.Plain')), 'compiled once per schema object');
});

t.test('immutability from the referring schema applies to a described reference', async (t) => {
  const old: JsonObject = { described: { a: 'x' }, plain: { a: 'x' } };
  const errs = validateObject(reg, 't.Holder', { described: { a: 'y' }, plain: { a: 'y' } }, old);
  t.same(errs.map((e) => [e.type, e.field, e.detail]), [['FieldValueInvalid', 'described', 'field is immutable']]);
  t.same(validateObject(reg, 't.Holder', { described: { a: 'x' }, plain: { a: 'y' } }, old), []);
});

t.test('a reference to an undefined component only fails when a value sits there', async (t) => {
  const ok: JsonObject = { plain: { a: 'x' } };
  t.same(validateObject(reg, 't.Holder', ok), []);
  applyDefaults(reg, 't.Holder', ok);
  t.same(decodeObject(reg, 't.Holder', ok).object, { plain: { a: 'x' } });
  t.throws(() => validateObject(reg, 't.Holder', { missing: {} }), /unknown schema component t\.NotDefined/);
  t.throws(() => applyDefaults(reg, 't.Holder', { missing: {} }), /unknown schema component t\.NotDefined/);
  t.throws(() => decodeObject(reg, 't.Holder', { missing: {} }), /unknown schema component t\.NotDefined/);
});

t.test('decode names unknown fields and type errors by their paths at any depth', async (t) => {
  const r = decodeObject(reg, 't.Node', { name: 'r', children: [{ name: 'k', children: [{ nme: 'typo', weight: 'heavy' }] }], extra: 1 });
  t.same(r.unknownFields, ['children[0].children[0].nme', 'extra']);
  t.equal(r.typeError, 'json: cannot unmarshal string into Go struct field Node.children.children.weight of type int32');
  const m = decodeObject(reg, 't.Plain', { c: { k: 'x' } });
  t.equal(m.typeError, 'json: cannot unmarshal string into Go struct field Plain.c of type int64');
});
