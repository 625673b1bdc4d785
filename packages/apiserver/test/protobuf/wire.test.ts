import t from 'tap';
import { ProtobufDecodeError, WireReader } from '../../src/protobuf/index.js';
import { bytes, concat, fixed32, fixed64, key, str, varint, varintBytes } from './helpers/pb-writer.js';

const reader = (...parts: Uint8Array[]): WireReader => new WireReader(concat(...parts));

t.test('varints', async (t) => {
  t.equal(reader(Uint8Array.of(0x00)).varint(), 0n);
  t.equal(reader(Uint8Array.of(0x7f)).varint(), 127n);
  t.equal(reader(Uint8Array.of(0xac, 0x02)).varint(), 300n);
  t.equal(reader(varintBytes(2n ** 64n - 1n)).varint(), 2n ** 64n - 1n, 'max uint64 in 10 bytes');
  t.equal(varintBytes(-1).length, 10, 'negative values are sign-extended to 10 bytes');
  t.equal(reader(varintBytes(-1)).int32(), -1);
  t.equal(reader(varintBytes(-2147483648)).int32(), -2147483648);
  t.equal(reader(varintBytes(2147483647)).int32(), 2147483647);
  t.equal(reader(varintBytes(-5)).int64(), -5);
  t.equal(reader(varintBytes(2 ** 40 + 3)).int64(), 2 ** 40 + 3);
  t.equal(reader(varintBytes(1)).bool(), true);
  t.equal(reader(varintBytes(0)).bool(), false);
  t.throws(() => reader(Uint8Array.of(0x80, 0x80)).varint(), ProtobufDecodeError, 'truncated');
  t.throws(() => reader(new Uint8Array(11).fill(0x80)).varint(), /longer than 10 bytes/);
});

t.test('tags', async (t) => {
  t.same(reader(key(1, 2)).tag(), { field: 1, wireType: 2 });
  t.same(reader(key(17, 0)).tag(), { field: 17, wireType: 0 });
  t.same(reader(key(536870911, 5)).tag(), { field: 536870911, wireType: 5 }, 'largest field number');
  t.throws(() => reader(Uint8Array.of(0x02)).tag(), /field number 0/);
  t.throws(() => reader(varintBytes(2n ** 40n)).tag(), /out of range/);
});

t.test('length-delimited and fixed values', async (t) => {
  const r = reader(str(1, 'héllo'), bytes(2, Uint8Array.of(1, 2, 3)), fixed32(3, 0xdeadbeef), fixed64(4, 2n ** 63n + 5n));
  t.same(r.tag(), { field: 1, wireType: 2 });
  t.equal(r.string(), 'héllo');
  r.tag();
  t.same([...r.bytes()], [1, 2, 3]);
  r.tag();
  t.equal(r.fixed32(), 0xdeadbeef);
  r.tag();
  t.equal(r.fixed64(), 2n ** 63n + 5n);
  t.ok(r.eof());

  const f = new Uint8Array(12);
  new DataView(f.buffer).setFloat32(0, 1.5, true);
  new DataView(f.buffer).setFloat64(4, -2.25, true);
  const fr = new WireReader(f);
  t.equal(fr.float(), 1.5);
  t.equal(fr.double(), -2.25);

  t.throws(() => reader(Uint8Array.of(0x05, 0x61)).bytes(), /runs past the end/);
  t.throws(() => reader(Uint8Array.of(1, 2, 3)).fixed32(), /truncated 4-byte/);
  t.throws(() => reader(Uint8Array.of(1, 2, 3, 4, 5, 6, 7)).fixed64(), /truncated 8-byte/);
});

t.test('a reader over a sub-range reads only that range', async (t) => {
  const buf = concat(Uint8Array.of(0xff, 0xff), varint(1, 150), Uint8Array.of(0xff));
  const r = new WireReader(buf, 2, buf.length - 1);
  t.same(r.tag(), { field: 1, wireType: 0 });
  t.equal(r.varint(), 150n);
  t.ok(r.eof());
});

t.test('skip', async (t) => {
  const r = reader(varint(1, -1), fixed64(2, 1n), str(3, 'skip me'), fixed32(4, 1), varint(5, 42));
  for (let i = 0; i < 4; i++) r.skip(r.tag().wireType);
  t.same(r.tag(), { field: 5, wireType: 0 });
  t.equal(r.varint(), 42n);
  for (const wt of [3, 4, 6, 7]) t.throws(() => reader(Uint8Array.of(0)).skip(wt), /unsupported wire type/, `wire type ${wt}`);
  t.throws(() => reader(Uint8Array.of(1, 2)).skip(5), ProtobufDecodeError, 'truncated fixed32');
});
