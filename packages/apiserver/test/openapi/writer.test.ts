// The protobuf writer against the reader it mirrors (src/protobuf/wire.ts) and against byte layouts from the
// protobuf encoding documentation.
import t from 'tap';
import { WireReader } from '../../src/protobuf/wire.js';
import { WireWriter } from '../../src/protobuf/writer.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

t.test('byte layouts of the protobuf documentation', async (t) => {
  t.equal(hex(new WireWriter().varint(1, 150).finish()), '089601', 'Test1.a = 150');
  t.equal(hex(new WireWriter().string(2, 'testing').finish()), '120774657374696e67', 'Test2.b = "testing"');
  t.equal(hex(new WireWriter().message(3, (m) => m.varint(1, 150)).finish()), '1a03089601', 'Test3.c.a = 150');
  t.equal(hex(new WireWriter().varint(1, -1).finish()), '08ffffffffffffffffff01', 'negative int32: 10 bytes');
  t.equal(hex(new WireWriter().bool(1, false).finish()), '0800', 'false is written when asked (oneof presence)');
});

t.test('varints round-trip through the reader', async (t) => {
  const values: (number | bigint)[] = [0, 1, 127, 128, 300, 16383, 16384, 2 ** 31 - 1, 2 ** 32, 2 ** 53 - 1, 2n ** 63n, 2n ** 64n - 1n];
  const w = new WireWriter();
  values.forEach((v, i) => w.varint(i + 1, v));
  const r = new WireReader(w.finish());
  values.forEach((v, i) => {
    t.same(r.tag(), { field: i + 1, wireType: 0 });
    t.equal(r.varint(), BigInt(v), `varint ${v}`);
  });
  t.ok(r.eof());

  const signed = new WireReader(new WireWriter().varint(1, -2147483648).varint(2, -5).varint(3, -(2 ** 40)).finish());
  signed.tag();
  t.equal(signed.int32(), -2147483648);
  signed.tag();
  t.equal(signed.int64(), -5);
  signed.tag();
  t.equal(signed.int64(), -(2 ** 40));

  t.throws(() => new WireWriter().varint(1, 1.5), RangeError);
  t.throws(() => new WireWriter().tag(0, 0), /invalid field number/);
  t.same(new WireReader(new WireWriter().tag(536870911, 5).finish()).tag(), { field: 536870911, wireType: 5 }, 'largest field number');
});

t.test('scalars of every wire type', async (t) => {
  const w = new WireWriter()
    .string(1, 'héllo ✓ 😀')
    .bytes(2, Uint8Array.of(0, 1, 255))
    .bool(3, true)
    .double(4, -2.25)
    .float(5, 1.5)
    .fixed32(6, 0xdeadbeef)
    .fixed64(7, 2n ** 63n + 5n);
  const r = new WireReader(w.finish());
  t.same(r.tag(), { field: 1, wireType: 2 });
  t.equal(r.string(), 'héllo ✓ 😀');
  t.same(r.tag(), { field: 2, wireType: 2 });
  t.same([...r.bytes()], [0, 1, 255]);
  t.same(r.tag(), { field: 3, wireType: 0 });
  t.equal(r.bool(), true);
  t.same(r.tag(), { field: 4, wireType: 1 });
  t.equal(r.double(), -2.25);
  t.same(r.tag(), { field: 5, wireType: 5 });
  t.equal(r.float(), 1.5);
  t.same(r.tag(), { field: 6, wireType: 5 });
  t.equal(r.fixed32(), 0xdeadbeef);
  t.same(r.tag(), { field: 7, wireType: 1 });
  t.equal(r.fixed64(), 2n ** 63n + 5n);
  t.ok(r.eof());
});

t.test('nested and repeated messages', async (t) => {
  const names = ['a', 'b'.repeat(200), 'c'];
  const w = new WireWriter().message(1, (outer) => {
    for (const n of names) outer.message(2, (m) => m.string(1, n).message(2, (leaf) => leaf.varint(1, n.length)));
    outer.message(3, () => undefined);
  });
  const bytes = w.finish();
  const r = new WireReader(bytes);
  t.same(r.tag(), { field: 1, wireType: 2 });
  const outerBytes = r.bytes();
  t.ok(r.eof());
  t.ok(outerBytes.length > 200, 'a length prefix of more than one byte');

  const outer = new WireReader(outerBytes);
  const seen: [string, bigint][] = [];
  for (let i = 0; i < names.length; i++) {
    t.same(outer.tag(), { field: 2, wireType: 2 }, 'repeated field, in order');
    const m = new WireReader(outer.bytes());
    m.tag();
    const name = m.string();
    t.same(m.tag(), { field: 2, wireType: 2 });
    const leaf = new WireReader(m.bytes());
    leaf.tag();
    seen.push([name, leaf.varint()]);
    t.ok(m.eof() && leaf.eof());
  }
  t.same(seen, names.map((n) => [n, BigInt(n.length)]));
  t.same(outer.tag(), { field: 3, wireType: 2 });
  t.equal(outer.bytes().length, 0, 'an empty message is still written');
  t.ok(outer.eof());
});

t.test('the buffer grows past its first allocation without losing bytes', async (t) => {
  const w = new WireWriter();
  const chunk = new Uint8Array(1000).map((_, i) => i % 251);
  for (let i = 0; i < 50; i++) w.bytes(1, chunk);
  const out = w.finish();
  t.equal(out.length, 50 * (1 + 2 + 1000));
  const r = new WireReader(out);
  let count = 0;
  while (!r.eof()) {
    r.tag();
    t.same(r.bytes(), chunk);
    count++;
  }
  t.equal(count, 50);
  t.equal(w.length, out.length);
});
