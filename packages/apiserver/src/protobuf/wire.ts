// Minimal protobuf wire-format reader: just what Kubernetes' gogo-generated messages use.

/** A malformed or unsupported protobuf body. `unsupportedKind` is set when only the object's kind is unknown to us. */
export class ProtobufDecodeError extends Error {
  readonly unsupportedKind: string | undefined;
  constructor(message: string, unsupportedKind?: string) {
    super(message);
    this.name = 'ProtobufDecodeError';
    this.unsupportedKind = unsupportedKind;
  }
}

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

const utf8 = new TextDecoder('utf-8');

export interface Tag {
  field: number;
  wireType: number;
}

export class WireReader {
  private pos: number;
  private readonly end: number;

  constructor(
    private readonly buf: Uint8Array,
    start = 0,
    end = buf.length,
  ) {
    this.pos = start;
    this.end = end;
  }

  eof(): boolean {
    return this.pos >= this.end;
  }

  tag(): Tag {
    const v = this.varint();
    if (v > 0xffffffffn) throw new ProtobufDecodeError(`field tag out of range at offset ${this.pos}`);
    const n = Number(v);
    const field = Math.floor(n / 8);
    if (field === 0) throw new ProtobufDecodeError(`field number 0 at offset ${this.pos}`);
    return { field, wireType: n & 7 };
  }

  /** Unsigned 64-bit varint (at most 10 bytes). */
  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProtobufDecodeError('truncated varint');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
      shift += 7n;
    }
    throw new ProtobufDecodeError('varint longer than 10 bytes');
  }

  /** int32: negative values are sign-extended to 10 bytes on the wire; keep the low 32 bits. */
  int32(): number {
    return Number(BigInt.asIntN(32, this.varint()));
  }

  /** int64 as a JS number (JSON has no wider integers anyway). */
  int64(): number {
    return Number(BigInt.asIntN(64, this.varint()));
  }

  uint64(): bigint {
    return this.varint();
  }

  bool(): boolean {
    return this.varint() !== 0n;
  }

  fixed32(): number {
    return this.view(4).getUint32(0, true);
  }

  fixed64(): bigint {
    return this.view(8).getBigUint64(0, true);
  }

  float(): number {
    return this.view(4).getFloat32(0, true);
  }

  double(): number {
    return this.view(8).getFloat64(0, true);
  }

  /** Length-delimited payload; a view into the input, not a copy. */
  bytes(): Uint8Array {
    const len = this.varint();
    if (len > BigInt(this.end - this.pos)) throw new ProtobufDecodeError(`length ${len} runs past the end of the buffer`);
    const start = this.pos;
    this.pos += Number(len);
    return this.buf.subarray(start, this.pos);
  }

  string(): string {
    return utf8.decode(this.bytes());
  }

  /** Skips one value of the given wire type (unknown fields). Groups (3, 4) are not used by Kubernetes. */
  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_FIXED64:
        this.advance(8);
        return;
      case WIRE_LEN:
        this.bytes();
        return;
      case WIRE_FIXED32:
        this.advance(4);
        return;
      default:
        throw new ProtobufDecodeError(`unsupported wire type ${wireType}`);
    }
  }

  private advance(n: number): number {
    if (this.end - this.pos < n) throw new ProtobufDecodeError(`truncated ${n}-byte fixed value`);
    const start = this.pos;
    this.pos += n;
    return start;
  }

  private view(n: number): DataView {
    const start = this.advance(n);
    return new DataView(this.buf.buffer, this.buf.byteOffset + start, n);
  }
}
