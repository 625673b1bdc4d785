// A tiny protobuf writer for building test bodies by hand (field by field, like gogo's marshaller would).
const enc = new TextEncoder();

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

/** Unsigned LEB128 of a 64-bit value; negative numbers are written as their two's complement (10 bytes). */
export function varintBytes(v: number | bigint): Uint8Array {
  let x = BigInt.asUintN(64, BigInt(v));
  const out: number[] = [];
  do {
    let b = Number(x & 0x7fn);
    x >>= 7n;
    if (x !== 0n) b |= 0x80;
    out.push(b);
  } while (x !== 0n);
  return Uint8Array.from(out);
}

export const key = (field: number, wireType: number): Uint8Array => varintBytes(field * 8 + wireType);

export const varint = (field: number, v: number | bigint | boolean): Uint8Array =>
  concat(key(field, 0), varintBytes(typeof v === 'boolean' ? (v ? 1 : 0) : v));

export const bytes = (field: number, b: Uint8Array): Uint8Array => concat(key(field, 2), varintBytes(b.length), b);

export const str = (field: number, s: string): Uint8Array => bytes(field, enc.encode(s));

/** A nested message field. */
export const msg = (field: number, ...fields: Uint8Array[]): Uint8Array => bytes(field, concat(...fields));

/** A map<string, …> entry; `value` is the already-encoded field 2 (or absent). */
export const entry = (field: number, k: string, value?: Uint8Array): Uint8Array => msg(field, str(1, k), ...(value ? [value] : []));

export function fixed32(field: number, v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, true);
  return concat(key(field, 5), b);
}

export function fixed64(field: number, v: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, v, true);
  return concat(key(field, 1), b);
}

/** `k8s\0` + runtime.Unknown{typeMeta{apiVersion, kind}, raw}. */
export function envelope(apiVersion: string, kind: string, raw: Uint8Array, ...extra: Uint8Array[]): Uint8Array {
  return concat(Uint8Array.of(0x6b, 0x38, 0x73, 0x00), msg(1, str(1, apiVersion), str(2, kind)), bytes(2, raw), ...extra);
}
