// The schema engine: decode (types, unknown fields, nulls), defaulting (keywords and hooks) and validation.
import t from 'tap';
import { SchemaRegistry } from '../../src/schema/registry.js';
import { decodeObject } from '../../src/schema/decode.js';
import { applyDefaults } from '../../src/schema/defaulting.js';
import { validateObject } from '../../src/schema/validation.js';
import { s } from '../../src/schema/schema.js';
import { fieldErrors } from '../../src/validation/field-error.js';
import type { JsonObject } from '../../src/json.js';

const reg = new SchemaRegistry([
  {
    schemas: {
      'x.Thing': s.object({
        apiVersion: s.string(),
        kind: s.string(),
        spec: s.ref('x.ThingSpec'),
      }),
      'x.ThingSpec': s.object(
        {
          mode: s.enumOf(['Fast', 'Slow'], 'speed', { default: 'Fast' }),
          port: s.int32('port', { validate: ['port-number'] }),
          name: s.string('name', { immutable: true }),
          items: s.array(s.ref('x.Item'), 'items', { mergeKey: 'key' }),
          limit: s.quantity('limit'),
          labels: s.map(s.string()),
        },
        'spec',
        { required: ['items'] },
      ),
      'x.Item': s.object({ key: s.string(), value: s.string() }, 'item', { required: ['key'] }),
    },
    defaulters: {
      'x.Item': (o) => {
        if (o.value === undefined) o.value = `of-${String(o.key)}`;
      },
    },
    validators: {
      'x.ThingSpec': (o, path) => (o.mode === 'Slow' && o.port === 1 ? [fieldErrors.forbidden(`${path}.port`, 'slow things may not use port 1')] : []),
    },
  },
]);

t.test('decode checks JSON types in Go words, prunes unknown fields and nulls', async (t) => {
  const ok = decodeObject(reg, 'x.Thing', { kind: 'Thing', spec: { port: 80, extra: 1, name: null, items: [{ key: 'a', junk: true }], limit: 2 } });
  t.equal(ok.typeError, undefined);
  t.same(ok.unknownFields, ['spec.extra', 'spec.items[0].junk']);
  t.same(ok.object, { kind: 'Thing', spec: { port: 80, items: [{ key: 'a' }], limit: '2' } });
  const bad = decodeObject(reg, 'x.Thing', { spec: { port: 'eighty' } });
  t.equal(bad.typeError, 'json: cannot unmarshal string into Go struct field ThingSpec.spec.port of type int32');
  t.match(decodeObject(reg, 'x.Thing', { spec: { items: [{ key: 3 }] } }).typeError, /Go struct field Item\.spec\.items\.key of type string/);
});

t.test('defaults come from keywords and component hooks, everywhere the component appears', async (t) => {
  const obj: JsonObject = { spec: { mode: '', items: [{ key: 'a' }, { key: 'b', value: 'set' }] } };
  applyDefaults(reg, 'x.Thing', obj);
  t.same(obj, { spec: { mode: 'Fast', items: [{ key: 'a', value: 'of-a' }, { key: 'b', value: 'set' }] } });
});

t.test('validation: required, enum, formats, hooks, immutability on update', async (t) => {
  const errs = validateObject(reg, 'x.Thing', { spec: { mode: 'Warp', port: 70000, items: [{ value: 'x' }] } });
  t.same(errs.map((e) => `${e.type} ${e.field}`).sort(), ['FieldValueInvalid spec.port', 'FieldValueNotSupported spec.mode', 'FieldValueRequired spec.items[0].key']);
  t.same(validateObject(reg, 'x.Thing', { spec: {} }).map((e) => e.field), ['spec.items']);
  t.same(validateObject(reg, 'x.Thing', { spec: { mode: 'Slow', port: 1, items: [{ key: 'k' }] } }).map((e) => e.type), ['FieldValueForbidden']);
  const old = { spec: { name: 'a', items: [{ key: 'k' }] } };
  const upd = validateObject(reg, 'x.Thing', { spec: { name: 'b', items: [{ key: 'k' }] } }, old);
  t.same(upd.map((e) => [e.field, e.detail]), [['spec.name', 'field is immutable']]);
  t.same(validateObject(reg, 'x.Thing', { spec: { name: 'a', items: [{ key: 'k' }] } }, old), []);
});

t.test('dangling references are reported', async (t) => {
  const r = new SchemaRegistry([{ schemas: { 'y.A': s.object({ b: s.ref('y.Missing') }) } }]);
  t.same(r.danglingReferences(), ['y.Missing']);
});
