// Minimal protobuf wire-format writer, the counterpart of wire.ts: fields are written in the order they are called,
// nested messages are built by a callback into a child writer and then length-prefixed.
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from './wire.js';

const utf8 = new TextEncoder();

export class WireWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  /** The bytes written so far (a copy: the writer may go on). */
  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  get length(): number {
    return this.len;
  }

  tag(field: number, wireType: number): this {
    if (!Number.isInteger(field) || field < 1 || field > 0x1fffffff) throw new RangeError(`invalid field number ${field}`);
    return this.rawVarint(field * 8 + wireType);
  }

  /**
   * Unsigned varint of a 64-bit value. Negative numbers are written as their 64-bit two's complement (10 bytes),
   * which is how int32/int64 encode them.
   */
  rawVarint(v: number | bigint): this {
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) {
      this.reserve(8);
      let n = v;
      while (n >= 0x80) {
        this.buf[this.len++] = (n % 0x80) | 0x80;
        n = Math.floor(n / 0x80);
      }
      this.buf[this.len++] = n;
      return this;
    }
    if (typeof v === 'number' && !Number.isInteger(v)) throw new RangeError(`varint of a non-integer ${v}`);
    let x = BigInt.asUintN(64, BigInt(v));
    this.reserve(10);
    while (x >= 0x80n) {
      this.buf[this.len++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.buf[this.len++] = Number(x);
    return this;
  }

  rawBytes(b: Uint8Array): this {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  /** int32, int64, uint32, uint64 and enum fields. */
  varint(field: number, v: number | bigint): this {
    return this.tag(field, WIRE_VARINT).rawVarint(v);
  }

  bool(field: number, v: boolean): this {
    return this.tag(field, WIRE_VARINT).rawVarint(v ? 1 : 0);
  }

  bytes(field: number, b: Uint8Array): this {
    return this.tag(field, WIRE_LEN).rawVarint(b.length).rawBytes(b);
  }

  string(field: number, s: string): this {
    return this.bytes(field, utf8.encode(s));
  }

  double(field: number, v: number): this {
    this.tag(field, WIRE_FIXED64).reserve(8);
    new DataView(this.buf.buffer, this.len, 8).setFloat64(0, v, true);
    this.len += 8;
    return this;
  }

  float(field: number, v: number): this {
    this.tag(field, WIRE_FIXED32).reserve(4);
    new DataView(this.buf.buffer, this.len, 4).setFloat32(0, v, true);
    this.len += 4;
    return this;
  }

  fixed32(field: number, v: number): this {
    this.tag(field, WIRE_FIXED32).reserve(4);
    new DataView(this.buf.buffer, this.len, 4).setUint32(0, v >>> 0, true);
    this.len += 4;
    return this;
  }

  fixed64(field: number, v: bigint): this {
    this.tag(field, WIRE_FIXED64).reserve(8);
    new DataView(this.buf.buffer, this.len, 8).setBigUint64(0, BigInt.asUintN(64, v), true);
    this.len += 8;
    return this;
  }

  /** A nested message; it is written even when empty (presence matters for message fields). */
  message(field: number, build: (w: WireWriter) => void): this {
    const child = new WireWriter();
    build(child);
    return this.tag(field, WIRE_LEN).rawVarint(child.len).rawBytes(child.buf.subarray(0, child.len));
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}
