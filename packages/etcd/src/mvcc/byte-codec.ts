// Minimal growable binary writer/reader: unsigned varints (exact up to 2^53) and length-prefixed strings.

export class ByteWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initial = 1 << 16) {
    this.buf = Buffer.allocUnsafe(initial);
  }

  get length(): number {
    return this.pos;
  }

  uvarint(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`uvarint out of range: ${n}`);
    this.ensure(8);
    // Arithmetic, not bit operators: those truncate to 32 bits.
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
  }

  /** Signed integers, zigzag-encoded. */
  svarint(n: number): void {
    this.uvarint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  str(s: string, encoding: 'latin1' | 'utf8'): void {
    const len = encoding === 'latin1' ? s.length : Buffer.byteLength(s, 'utf8');
    this.uvarint(len);
    this.ensure(len);
    this.pos += this.buf.write(s, this.pos, len, encoding);
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** The written bytes (a view; valid until the next write). */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /**
   * The written bytes for keeps, when writing is over: the buffer itself if it is nearly full (a large result is not
   * copied again), else a copy of the written part.
   */
  finish(): Buffer {
    if (this.buf.length - this.pos <= this.buf.length / 8) return this.buf.subarray(0, this.pos);
    return Buffer.from(this.view());
  }

  reset(): void {
    this.pos = 0;
  }

  private ensure(extra: number): void {
    // A uvarint of a safe integer takes at most 8 bytes.
    const need = this.pos + extra + 8;
    if (need <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }
}

export class ByteReader {
  private pos = 0;
  private readonly buf: Buffer;

  constructor(data: Uint8Array) {
    this.buf = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  uvarint(): number {
    let n = 0;
    let mul = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw new Error('snapshot truncated');
      const b = this.buf[this.pos++]!;
      n += (b & 0x7f) * mul;
      if (b < 0x80) return n;
      mul *= 0x80;
      if (mul > 2 ** 56) throw new Error('snapshot varint too long');
    }
  }

  svarint(): number {
    const z = this.uvarint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  str(encoding: 'latin1' | 'utf8'): string {
    const len = this.uvarint();
    if (this.pos + len > this.buf.length) throw new Error('snapshot truncated');
    const s = this.buf.toString(encoding, this.pos, this.pos + len);
    this.pos += len;
    return s;
  }

  raw(len: number): Buffer {
    if (this.pos + len > this.buf.length) throw new Error('snapshot truncated');
    const b = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return b;
  }
}
