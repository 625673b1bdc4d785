// `bytes` fields: Go's base64.StdEncoding as encoding/json applies it (etcd 3.4's gateway). Go is strict about the
// alphabet and padding but skips '\r' and '\n' anywhere and ignores non-zero trailing bits, and it reports the
// first bad byte as `illegal base64 data at input byte N`. Node's decoder accepts almost anything, so canonical
// input takes the fast path and everything else is decoded by a port of Go's decodeQuantum.
import { Errors, type EtcdError } from './types.js';

const DECODE = new Int16Array(256).fill(-1);
{
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) DECODE[alphabet.charCodeAt(i)] = i;
}

function sextet(c: number): number {
  return c < 256 ? DECODE[c]! : -1;
}

/**
 * True for the one spelling Node and Go agree on: padded, no line breaks, zero trailing bits. Node's decoder skips
 * or maps anything else, so re-encoding differs exactly when the input was not canonical (and this is native-fast).
 */
export function isCanonicalBase64(s: string): boolean {
  return (s.length & 3) === 0 && Buffer.from(s, 'base64').toString('base64') === s;
}

function corrupt(offset: number): EtcdError {
  return Errors.invalidArgument(`illegal base64 data at input byte ${offset}`);
}

/** Go's StdEncoding.Decode, quantum by quantum (encoding/base64 decodeQuantum), on a JS string. */
function goDecode(s: string): Buffer {
  const n = s.length;
  const out = Buffer.allocUnsafe(Math.floor(n / 4) * 3 + 3);
  let w = 0;
  let si = 0;
  const isNewline = (c: number): boolean => c === 0x0a || c === 0x0d;
  while (si < n) {
    const dbuf = [0, 0, 0, 0];
    let dlen = 4;
    let trailing = -1;
    let done = false;
    for (let j = 0; j < 4; j++) {
      if (si === n) {
        if (j === 0) {
          done = true;
          break;
        }
        throw corrupt(si - j); // StdEncoding pads, so a short final quantum is an error
      }
      const c = s.charCodeAt(si);
      si++;
      const v = sextet(c);
      if (v >= 0) {
        dbuf[j] = v;
        continue;
      }
      if (isNewline(c)) {
        j--;
        continue;
      }
      if (c !== 0x3d) throw corrupt(si - 1);
      // Padding: only after two or three symbols.
      if (j === 0 || j === 1) throw corrupt(si - 1);
      if (j === 2) {
        while (si < n && isNewline(s.charCodeAt(si))) si++;
        if (si === n) throw corrupt(n);
        if (s.charCodeAt(si) !== 0x3d) throw corrupt(si - 1);
        si++;
      }
      while (si < n && isNewline(s.charCodeAt(si))) si++;
      if (si < n) trailing = si;
      dlen = j;
      break;
    }
    if (done) break;
    const val = (dbuf[0]! << 18) | (dbuf[1]! << 12) | (dbuf[2]! << 6) | dbuf[3]!;
    if (dlen >= 2) out[w++] = (val >> 16) & 0xff;
    if (dlen >= 3) out[w++] = (val >> 8) & 0xff;
    if (dlen === 4) out[w++] = val & 0xff;
    if (trailing >= 0) throw corrupt(trailing);
  }
  return out.subarray(0, w);
}

/** Decodes a `bytes` field's JSON string, throwing etcd's InvalidArgument error for bad input. */
export function decodeBase64(s: string): Buffer {
  if ((s.length & 3) === 0) {
    const buf = Buffer.from(s, 'base64');
    if (buf.toString('base64') === s) return buf;
  }
  return goDecode(s);
}

/** A `bytes` field as a binary (latin1) string, the internal key form. */
export function decodeBase64Key(s: string): string {
  if (s.length === 0) return '';
  return decodeBase64(s).toString('latin1');
}

/** A `bytes` field kept as base64 (internal value form): validated, and re-encoded only if not canonical. */
export function normalizeBase64(s: string): string {
  if (isCanonicalBase64(s)) return s;
  return goDecode(s).toString('base64');
}
