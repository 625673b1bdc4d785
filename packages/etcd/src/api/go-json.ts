// Go encoding/json compatibility: etcd 3.4's gateway decodes request bodies with Go's json.Decoder plus
// golang/protobuf 1.3 jsonpb, so its syntax errors, its number and string handling and its escaping of response
// strings are Go's. This module reproduces them byte for byte where a client can observe them.
//
// Parsing is split in two: a fast recursive-descent parser builds the value (the common path), and a port of Go's
// scanner state machine (scanner.go) produces the exact error message, run only once the fast parser has rejected
// the input. The two accept exactly the same inputs (a property test checks this).
import { isUtf8 } from 'node:buffer';

/**
 * A JSON number whose literal text matters to Go: jsonpb hands the raw text to strconv, so `1.0`, `1e3` and
 * `99999999999999999999` give errors quoting that text. Small plain integers are parsed to JS numbers instead.
 */
export class JsonNumber {
  constructor(readonly raw: string) {}
}

/**
 * A JSON string whose raw bytes differ from its decoded value (escapes or invalid UTF-8). jsonpb reads int64 and
 * enum strings from the raw bytes without unquoting, so `"\u0030"` is not the number 0 there.
 */
export class JsonString {
  constructor(
    readonly value: string,
    /** The bytes between the quotes, as a binary (latin1) string. */
    readonly raw: string,
  ) {}
}

/** The parsed JSON tree: plain JS values, null-prototype objects, and the two wrappers above for exotic leaves. */
export type JsonValue = null | boolean | number | string | JsonNumber | JsonString | JsonValue[] | { [key: string]: JsonValue };

/** Go's limit on nesting (encoding/json maxNestingDepth). */
const MAX_DEPTH = 10000;

// ------------------------------------------------------------------------------------------------ Go scanner port

/** Scanner results that callers distinguish (Go's scanContinue etc. collapse into CONTINUE). */
export const SCAN_CONTINUE = 0;
export const SCAN_END_OBJECT = 1;
export const SCAN_END_ARRAY = 2;
export const SCAN_END = 3;
export const SCAN_ERROR = 4;
export const SCAN_SKIP_SPACE = 5;

// Step states (functions in Go).
const S_BEGIN_VALUE = 0;
const S_BEGIN_VALUE_OR_EMPTY = 1;
const S_BEGIN_STRING_OR_EMPTY = 2;
const S_BEGIN_STRING = 3;
const S_END_VALUE = 4;
const S_END_TOP = 5;
const S_IN_STRING = 6;
const S_IN_STRING_ESC = 7;
const S_ESC_U = 8;
const S_ESC_U1 = 9;
const S_ESC_U12 = 10;
const S_ESC_U123 = 11;
const S_NEG = 12;
const S_1 = 13;
const S_0 = 14;
const S_DOT = 15;
const S_DOT0 = 16;
const S_E = 17;
const S_ESIGN = 18;
const S_E0 = 19;
const S_T = 20;
const S_TR = 21;
const S_TRU = 22;
const S_F = 23;
const S_FA = 24;
const S_FAL = 25;
const S_FALS = 26;
const S_N = 27;
const S_NU = 28;
const S_NUL = 29;
const S_ERROR = 30;

const PARSE_OBJECT_KEY = 0;
const PARSE_OBJECT_VALUE = 1;
const PARSE_ARRAY_VALUE = 2;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}
function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** A port of Go's encoding/json scanner (Go 1.19, as etcd 3.4.23 is built with). */
export class GoScanner {
  private state = S_BEGIN_VALUE;
  private readonly stack: number[] = [];
  /** The syntax error message, once one occurred. */
  err: string | undefined;
  /** True once the top-level value is complete. */
  endTop = false;

  reset(): void {
    this.state = S_BEGIN_VALUE;
    this.stack.length = 0;
    this.err = undefined;
    this.endTop = false;
  }

  get depth(): number {
    return this.stack.length;
  }

  /** json.Unmarshal's end-of-input step: SCAN_END if the input held one complete value, else SCAN_ERROR. */
  eof(): number {
    if (this.err !== undefined) return SCAN_ERROR;
    if (this.endTop) return SCAN_END;
    this.step(0x20);
    if (this.endTop) return SCAN_END;
    if (this.err === undefined) this.err = 'unexpected end of JSON input';
    return SCAN_ERROR;
  }

  private error(c: number, context: string): number {
    this.state = S_ERROR;
    this.err = `invalid character ${quoteChar(c)} ${context}`;
    return SCAN_ERROR;
  }

  private push(c: number, parseState: number, success: number): number {
    this.stack.push(parseState);
    if (this.stack.length <= MAX_DEPTH) return success;
    return this.error(c, 'exceeded max depth');
  }

  private beginValue(c: number): number {
    if (isSpace(c)) return SCAN_SKIP_SPACE;
    switch (c) {
      case 0x7b: // {
        this.state = S_BEGIN_STRING_OR_EMPTY;
        return this.push(c, PARSE_OBJECT_KEY, SCAN_CONTINUE);
      case 0x5b: // [
        this.state = S_BEGIN_VALUE_OR_EMPTY;
        return this.push(c, PARSE_ARRAY_VALUE, SCAN_CONTINUE);
      case 0x22:
        this.state = S_IN_STRING;
        return SCAN_CONTINUE;
      case 0x2d:
        this.state = S_NEG;
        return SCAN_CONTINUE;
      case 0x30:
        this.state = S_0;
        return SCAN_CONTINUE;
      case 0x74:
        this.state = S_T;
        return SCAN_CONTINUE;
      case 0x66:
        this.state = S_F;
        return SCAN_CONTINUE;
      case 0x6e:
        this.state = S_N;
        return SCAN_CONTINUE;
    }
    if (c >= 0x31 && c <= 0x39) {
      this.state = S_1;
      return SCAN_CONTINUE;
    }
    return this.error(c, 'looking for beginning of value');
  }

  private beginString(c: number): number {
    if (isSpace(c)) return SCAN_SKIP_SPACE;
    if (c === 0x22) {
      this.state = S_IN_STRING;
      return SCAN_CONTINUE;
    }
    return this.error(c, 'looking for beginning of object key string');
  }

  private endValue(c: number): number {
    const n = this.stack.length;
    if (n === 0) {
      this.state = S_END_TOP;
      this.endTop = true;
      return this.endTopStep(c);
    }
    if (isSpace(c)) {
      this.state = S_END_VALUE;
      return SCAN_SKIP_SPACE;
    }
    switch (this.stack[n - 1]) {
      case PARSE_OBJECT_KEY:
        if (c === 0x3a) {
          this.stack[n - 1] = PARSE_OBJECT_VALUE;
          this.state = S_BEGIN_VALUE;
          return SCAN_CONTINUE;
        }
        return this.error(c, 'after object key');
      case PARSE_OBJECT_VALUE:
        if (c === 0x2c) {
          this.stack[n - 1] = PARSE_OBJECT_KEY;
          this.state = S_BEGIN_STRING;
          return SCAN_CONTINUE;
        }
        if (c === 0x7d) {
          this.pop();
          return SCAN_END_OBJECT;
        }
        return this.error(c, 'after object key:value pair');
      default:
        if (c === 0x2c) {
          this.state = S_BEGIN_VALUE;
          return SCAN_CONTINUE;
        }
        if (c === 0x5d) {
          this.pop();
          return SCAN_END_ARRAY;
        }
        return this.error(c, 'after array element');
    }
  }

  private pop(): void {
    this.stack.pop();
    if (this.stack.length === 0) {
      this.state = S_END_TOP;
      this.endTop = true;
    } else {
      this.state = S_END_VALUE;
    }
  }

  private endTopStep(c: number): number {
    // Go records the error but still reports the end; json.Decoder ignores it, json.Unmarshal does not.
    if (!isSpace(c)) this.error(c, 'after top-level value');
    return SCAN_END;
  }

  step(c: number): number {
    switch (this.state) {
      case S_BEGIN_VALUE:
        return this.beginValue(c);
      case S_BEGIN_VALUE_OR_EMPTY:
        if (isSpace(c)) return SCAN_SKIP_SPACE;
        if (c === 0x5d) return this.endValue(c);
        return this.beginValue(c);
      case S_BEGIN_STRING_OR_EMPTY:
        if (isSpace(c)) return SCAN_SKIP_SPACE;
        if (c === 0x7d) {
          this.stack[this.stack.length - 1] = PARSE_OBJECT_VALUE;
          return this.endValue(c);
        }
        return this.beginString(c);
      case S_BEGIN_STRING:
        return this.beginString(c);
      case S_END_VALUE:
        return this.endValue(c);
      case S_END_TOP:
        return this.endTopStep(c);
      case S_IN_STRING:
        if (c === 0x22) {
          this.state = S_END_VALUE;
          return SCAN_CONTINUE;
        }
        if (c === 0x5c) {
          this.state = S_IN_STRING_ESC;
          return SCAN_CONTINUE;
        }
        if (c < 0x20) return this.error(c, 'in string literal');
        return SCAN_CONTINUE;
      case S_IN_STRING_ESC:
        switch (c) {
          case 0x62: case 0x66: case 0x6e: case 0x72: case 0x74: case 0x5c: case 0x2f: case 0x22: // b f n r t \ / "
            this.state = S_IN_STRING;
            return SCAN_CONTINUE;
          case 0x75:
            this.state = S_ESC_U;
            return SCAN_CONTINUE;
        }
        return this.error(c, 'in string escape code');
      case S_ESC_U:
      case S_ESC_U1:
      case S_ESC_U12:
      case S_ESC_U123:
        if (isHex(c)) {
          this.state = this.state === S_ESC_U123 ? S_IN_STRING : this.state + 1;
          return SCAN_CONTINUE;
        }
        return this.error(c, 'in \\u hexadecimal character escape');
      case S_NEG:
        if (c === 0x30) {
          this.state = S_0;
          return SCAN_CONTINUE;
        }
        if (c >= 0x31 && c <= 0x39) {
          this.state = S_1;
          return SCAN_CONTINUE;
        }
        return this.error(c, 'in numeric literal');
      case S_1:
        if (isDigit(c)) return SCAN_CONTINUE;
        return this.state0(c);
      case S_0:
        return this.state0(c);
      case S_DOT:
        if (isDigit(c)) {
          this.state = S_DOT0;
          return SCAN_CONTINUE;
        }
        return this.error(c, 'after decimal point in numeric literal');
      case S_DOT0:
        if (isDigit(c)) return SCAN_CONTINUE;
        if (c === 0x65 || c === 0x45) {
          this.state = S_E;
          return SCAN_CONTINUE;
        }
        return this.endValue(c);
      case S_E:
        if (c === 0x2b || c === 0x2d) {
          this.state = S_ESIGN;
          return SCAN_CONTINUE;
        }
        return this.eSign(c);
      case S_ESIGN:
        return this.eSign(c);
      case S_E0:
        if (isDigit(c)) return SCAN_CONTINUE;
        return this.endValue(c);
      case S_T:
        return this.literal(c, 0x72, S_TR, "in literal true (expecting 'r')");
      case S_TR:
        return this.literal(c, 0x75, S_TRU, "in literal true (expecting 'u')");
      case S_TRU:
        return this.literal(c, 0x65, S_END_VALUE, "in literal true (expecting 'e')");
      case S_F:
        return this.literal(c, 0x61, S_FA, "in literal false (expecting 'a')");
      case S_FA:
        return this.literal(c, 0x6c, S_FAL, "in literal false (expecting 'l')");
      case S_FAL:
        return this.literal(c, 0x73, S_FALS, "in literal false (expecting 's')");
      case S_FALS:
        return this.literal(c, 0x65, S_END_VALUE, "in literal false (expecting 'e')");
      case S_N:
        return this.literal(c, 0x75, S_NU, "in literal null (expecting 'u')");
      case S_NU:
        return this.literal(c, 0x6c, S_NUL, "in literal null (expecting 'l')");
      case S_NUL:
        return this.literal(c, 0x6c, S_END_VALUE, "in literal null (expecting 'l')");
      default:
        return SCAN_ERROR;
    }
  }

  private state0(c: number): number {
    if (c === 0x2e) {
      this.state = S_DOT;
      return SCAN_CONTINUE;
    }
    if (c === 0x65 || c === 0x45) {
      this.state = S_E;
      return SCAN_CONTINUE;
    }
    return this.endValue(c);
  }

  private eSign(c: number): number {
    if (isDigit(c)) {
      this.state = S_E0;
      return SCAN_CONTINUE;
    }
    return this.error(c, 'in exponent of numeric literal');
  }

  private literal(c: number, want: number, next: number, context: string): number {
    if (c === want) {
      this.state = next;
      return SCAN_CONTINUE;
    }
    return this.error(c, context);
  }
}

/** Go's quoteChar: how a byte is shown in a syntax error (a byte >= 0x80 is shown as the Latin-1 rune, as Go does). */
export function quoteChar(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === 0x22) return `'"'`;
  const q = goQuote(String.fromCharCode(c), false);
  return `'${q.slice(1, -1)}'`;
}

/**
 * What json.Decoder.Decode reports for the first value of `bytes[start..]` (etcd's request decoding):
 * the end offset of a complete value, `eof` for whitespace only (the gateway then uses `{}`), or the error message.
 */
export function goDecoderScan(bytes: Uint8Array, start: number): { end: number } | { eof: true } | { error: string } {
  const s = new GoScanner();
  let sawValue = false;
  for (let i = start; i < bytes.length; i++) {
    const c = bytes[i]!;
    const r = s.step(c);
    if (r === SCAN_END) return { end: i };
    if (r === SCAN_ERROR) return { error: s.err ?? 'syntax error' };
    if (r !== SCAN_SKIP_SPACE) sawValue = true;
    if ((r === SCAN_END_OBJECT || r === SCAN_END_ARRAY) && s.depth === 0) return { end: i + 1 };
  }
  if (s.step(0x20) === SCAN_END) return { end: bytes.length };
  return sawValue ? { error: 'unexpected EOF' } : { eof: true };
}

/** json.Unmarshal's validity check of a whole input: undefined if valid, else Go's message. */
export function goCheckValid(bytes: Uint8Array): string | undefined {
  const s = new GoScanner();
  for (let i = 0; i < bytes.length; i++) {
    if (s.step(bytes[i]!) === SCAN_ERROR) return s.err;
  }
  return s.eof() === SCAN_ERROR ? s.err : undefined;
}

// ------------------------------------------------------------------------------------------------ fast parser

class ParseFail extends Error {}
const FAIL = new ParseFail('json syntax');

/** Per byte inside a string: 0 = plain ASCII; else the quote, or a byte needing the careful path. */
const STRING_CLASS = new Uint8Array(256);
for (let c = 0; c < 0x20; c++) STRING_CLASS[c] = 1;
for (let c = 0x80; c < 0x100; c++) STRING_CLASS[c] = 1;
STRING_CLASS[0x22] = 2;
STRING_CLASS[0x5c] = 1;
const SMALL_INT = /^-?(?:0|[1-9]\d{0,14})$/;

class FastParser {
  pos: number;
  private depth = 0;
  constructor(
    private readonly buf: Buffer,
    start: number,
  ) {
    this.pos = start;
  }

  skipSpace(): void {
    const b = this.buf;
    let p = this.pos;
    while (p < b.length) {
      const c = b[p]!;
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      p++;
    }
    this.pos = p;
  }

  /** One value, iteratively: nesting up to Go's 10000 levels must not exhaust the JS stack. */
  value(): JsonValue {
    const b = this.buf;
    // Open containers: an array, or an object with the key whose value is being parsed.
    const stack: Array<JsonValue[] | { o: { [key: string]: JsonValue }; k: string }> = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= b.length) throw FAIL;
      const c = b[this.pos]!;
      let v: JsonValue;
      if (c === 0x7b) {
        this.enter();
        const o = Object.create(null) as { [key: string]: JsonValue };
        this.pos++;
        this.skipSpace();
        if (b[this.pos] === 0x7d) {
          this.pos++;
          this.depth--;
          v = o;
        } else {
          stack.push({ o, k: this.key() });
          continue;
        }
      } else if (c === 0x5b) {
        this.enter();
        const a: JsonValue[] = [];
        this.pos++;
        this.skipSpace();
        if (b[this.pos] === 0x5d) {
          this.pos++;
          this.depth--;
          v = a;
        } else {
          stack.push(a);
          continue;
        }
      } else if (c === 0x22) v = this.string();
      else if (c === 0x74) v = this.word('true', true);
      else if (c === 0x66) v = this.word('false', false);
      else if (c === 0x6e) v = this.word('null', null);
      else if (c === 0x2d || isDigit(c)) v = this.number();
      else throw FAIL;
      // Attach the completed value to its container; close containers that end here.
      for (;;) {
        const top = stack[stack.length - 1];
        if (top === undefined) return v;
        this.skipSpace();
        const d = b[this.pos++];
        if (Array.isArray(top)) {
          top.push(v);
          if (d === 0x2c) break;
          if (d !== 0x5d) throw FAIL;
          v = top;
        } else {
          top.o[top.k] = v;
          if (d === 0x2c) {
            this.skipSpace();
            top.k = this.key();
            break;
          }
          if (d !== 0x7d) throw FAIL;
          v = top.o;
        }
        stack.pop();
        this.depth--;
      }
    }
  }

  /** An object key and its colon. */
  private key(): string {
    const b = this.buf;
    if (b[this.pos] !== 0x22) throw FAIL;
    const k = this.string();
    this.skipSpace();
    if (b[this.pos] !== 0x3a) throw FAIL;
    this.pos++;
    return typeof k === 'string' ? k : k.value;
  }

  private word<T>(w: string, v: T): T {
    const b = this.buf;
    for (let i = 0; i < w.length; i++) if (b[this.pos + i] !== w.charCodeAt(i)) throw FAIL;
    this.pos += w.length;
    return v;
  }

  private number(): number | JsonNumber {
    const b = this.buf;
    const start = this.pos;
    let p = start;
    if (b[p] === 0x2d) p++;
    if (b[p] === 0x30) p++;
    else if (p < b.length && b[p]! >= 0x31 && b[p]! <= 0x39) while (p < b.length && isDigit(b[p]!)) p++;
    else throw FAIL;
    if (b[p] === 0x2e) {
      p++;
      if (!(p < b.length && isDigit(b[p]!))) throw FAIL;
      while (p < b.length && isDigit(b[p]!)) p++;
    }
    if (b[p] === 0x65 || b[p] === 0x45) {
      p++;
      if (b[p] === 0x2b || b[p] === 0x2d) p++;
      if (!(p < b.length && isDigit(b[p]!))) throw FAIL;
      while (p < b.length && isDigit(b[p]!)) p++;
    }
    this.pos = p;
    const raw = b.toString('latin1', start, p);
    return SMALL_INT.test(raw) && raw !== '-0' ? Number(raw) : new JsonNumber(raw);
  }

  string(): string | JsonString {
    const b = this.buf;
    const start = this.pos + 1;
    // One table lookup per byte: stops at the closing quote or at anything needing care.
    let p = start;
    const n = b.length;
    while (p < n && STRING_CLASS[b[p]!] === 0) p++;
    if (p < n && b[p] === 0x22) {
      this.pos = p + 1;
      return b.toString('latin1', start, p);
    }
    return this.stringSlow(start);
  }

  /** Strings with escapes, control bytes or non-ASCII: Go's unquote, including its U+FFFD replacements. */
  private stringSlow(start: number): string | JsonString {
    const b = this.buf;
    let p = start;
    let escaped = false;
    let nonAscii = false;
    // Find the end first (validating escapes and control bytes as Go's scanner does).
    for (;;) {
      if (p >= b.length) throw FAIL;
      const c = b[p]!;
      if (c === 0x22) break;
      if (c < 0x20) throw FAIL;
      if (c >= 0x80) nonAscii = true;
      if (c === 0x5c) {
        escaped = true;
        const e = b[p + 1];
        if (e === 0x75) {
          for (let k = 2; k < 6; k++) if (p + k >= b.length || !isHex(b[p + k]!)) throw FAIL;
          p += 6;
          continue;
        }
        if (e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74 || e === 0x5c || e === 0x2f || e === 0x22) {
          p += 2;
          continue;
        }
        throw FAIL;
      }
      p++;
    }
    const end = p;
    this.pos = end + 1;
    if (!escaped) {
      const slice = b.subarray(start, end);
      if (!nonAscii || isUtf8(slice)) return b.toString('utf8', start, end);
      return new JsonString(goDecodeUtf8(slice), b.toString('latin1', start, end));
    }
    return new JsonString(goUnquote(b.subarray(start, end)), b.toString('latin1', start, end));
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) throw FAIL;
  }
}

/** The first JSON value of `buf[start..]` the way json.Decoder reads it (anything after it is not looked at). */
export function parseFirstValue(buf: Buffer, start = 0): { value: JsonValue; end: number } | { eof: true } | { error: string } {
  const p = new FastParser(buf, start);
  p.skipSpace();
  if (p.pos >= buf.length) return { eof: true };
  try {
    const value = p.value();
    return { value, end: p.pos };
  } catch (e) {
    if (!(e instanceof ParseFail)) throw e;
    const r = goDecoderScan(buf, start);
    // The fast parser and the scanner accept the same language; 'unexpected EOF' is the safe answer if not.
    return 'error' in r ? r : { error: 'unexpected EOF' };
  }
}

/** Parses bytes already known to hold exactly one valid value (from the stream splitter). */
export function parseValidValue(buf: Buffer): JsonValue {
  return new FastParser(buf, 0).value();
}

// ------------------------------------------------------------------------------------------------ Go unquote / UTF-8

/** utf8.DecodeRune-style decoding: each byte of an invalid sequence becomes one U+FFFD, as Go does. */
export function goDecodeUtf8(b: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < b.length) {
    const [cp, size] = decodeRune(b, i);
    out += String.fromCodePoint(cp);
    i += size;
  }
  return out;
}

/** Go's utf8.DecodeRune: (rune, size), with (U+FFFD, 1) for anything invalid. */
function decodeRune(b: Uint8Array, i: number): [number, number] {
  const c0 = b[i]!;
  if (c0 < 0x80) return [c0, 1];
  const n = b.length - i;
  const cont = (k: number): number => (i + k < b.length ? b[i + k]! : -1);
  const isCont = (x: number): boolean => x >= 0x80 && x <= 0xbf;
  if (c0 >= 0xc2 && c0 <= 0xdf) {
    const c1 = cont(1);
    if (n >= 2 && isCont(c1)) return [((c0 & 0x1f) << 6) | (c1 & 0x3f), 2];
    return [0xfffd, 1];
  }
  if (c0 >= 0xe0 && c0 <= 0xef) {
    const c1 = cont(1);
    const c2 = cont(2);
    const lo = c0 === 0xe0 ? 0xa0 : 0x80;
    const hi = c0 === 0xed ? 0x9f : 0xbf;
    if (n >= 3 && c1 >= lo && c1 <= hi && isCont(c2)) return [((c0 & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f), 3];
    return [0xfffd, 1];
  }
  if (c0 >= 0xf0 && c0 <= 0xf4) {
    const c1 = cont(1);
    const c2 = cont(2);
    const c3 = cont(3);
    const lo = c0 === 0xf0 ? 0x90 : 0x80;
    const hi = c0 === 0xf4 ? 0x8f : 0xbf;
    if (n >= 4 && c1 >= lo && c1 <= hi && isCont(c2) && isCont(c3)) {
      return [((c0 & 0x07) << 18) | ((c1 & 0x3f) << 12) | ((c2 & 0x3f) << 6) | (c3 & 0x3f), 4];
    }
    return [0xfffd, 1];
  }
  return [0xfffd, 1];
}

function hex4(b: Uint8Array, i: number): number {
  if (i + 6 > b.length || b[i] !== 0x5c || b[i + 1] !== 0x75) return -1;
  return parseInt(String.fromCharCode(b[i + 2]!, b[i + 3]!, b[i + 4]!, b[i + 5]!), 16);
}

/** Go's encoding/json unquote of already-validated string contents (surrogate handling included). */
function goUnquote(b: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    if (c === 0x5c) {
      const e = b[i + 1]!;
      switch (e) {
        case 0x62: out += '\b'; i += 2; continue;
        case 0x66: out += '\f'; i += 2; continue;
        case 0x6e: out += '\n'; i += 2; continue;
        case 0x72: out += '\r'; i += 2; continue;
        case 0x74: out += '\t'; i += 2; continue;
        case 0x75: {
          let r = hex4(b, i);
          i += 6;
          if (r >= 0xd800 && r < 0xe000) {
            const r2 = hex4(b, i);
            if (r < 0xdc00 && r2 >= 0xdc00 && r2 < 0xe000) {
              out += String.fromCodePoint(0x10000 + ((r - 0xd800) << 10) + (r2 - 0xdc00));
              i += 6;
              continue;
            }
            r = 0xfffd;
          }
          out += String.fromCharCode(r);
          continue;
        }
        default: out += String.fromCharCode(e); i += 2; continue; // " \ /
      }
    }
    if (c < 0x80) {
      out += String.fromCharCode(c);
      i++;
      continue;
    }
    const [cp, size] = decodeRune(b, i);
    out += String.fromCodePoint(cp);
    i += size;
  }
  return out;
}

// ------------------------------------------------------------------------------------------------ Go quoting

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S}]$/u;

function isGoPrint(cp: number): boolean {
  if (cp < 0x20 || cp === 0x7f) return false;
  if (cp < 0x7f) return true;
  return PRINTABLE.test(String.fromCodePoint(cp));
}

/**
 * strconv.Quote. `bytes` true reads `s` as a binary string (one char per byte, invalid UTF-8 shown as \xNN as Go
 * does for a []byte or a string holding arbitrary bytes); false reads it as text.
 */
export function goQuote(s: string, bytes: boolean): string {
  let out = '"';
  const push = (cp: number, invalidByte: boolean): void => {
    if (invalidByte) {
      out += '\\x' + cp.toString(16).padStart(2, '0');
      return;
    }
    if (cp === 0x22 || cp === 0x5c) {
      out += '\\' + String.fromCharCode(cp);
      return;
    }
    if (isGoPrint(cp)) {
      out += String.fromCodePoint(cp);
      return;
    }
    switch (cp) {
      case 0x07: out += '\\a'; return;
      case 0x08: out += '\\b'; return;
      case 0x0c: out += '\\f'; return;
      case 0x0a: out += '\\n'; return;
      case 0x0d: out += '\\r'; return;
      case 0x09: out += '\\t'; return;
      case 0x0b: out += '\\v'; return;
    }
    if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp < 0x10000) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  };
  if (bytes) {
    const b = Buffer.from(s, 'latin1');
    let i = 0;
    while (i < b.length) {
      const [cp, size] = decodeRune(b, i);
      const invalid = cp === 0xfffd && size === 1;
      push(invalid ? b[i]! : cp, invalid);
      i += size;
    }
  } else {
    for (const ch of s) {
      const cp = ch.codePointAt(0)!;
      // A lone surrogate is not valid UTF-8 in Go; it would have been replaced.
      push(cp >= 0xd800 && cp < 0xe000 ? 0xfffd : cp, false);
    }
  }
  return out + '"';
}

// ------------------------------------------------------------------------------------------------ Go string encoding

/** Characters Go's json encoder escapes (HTML-safe mode, as jsonpb uses): controls, " \ < > & and U+2028/2029. */
const NEEDS_ESCAPE = /[\x00-\x1f"\\<>&\u2028\u2029\ud800-\udfff]/;
const HEX = '0123456789abcdef';

/** A JSON string literal exactly as Go's encoding/json writes it (etcd's error messages, names, URLs). */
export function goJsonString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return '"' + s + '"';
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) out += '\\"';
    else if (c === 0x5c) out += '\\\\';
    else if (c === 0x0a) out += '\\n';
    else if (c === 0x0d) out += '\\r';
    else if (c === 0x09) out += '\\t';
    else if (c < 0x20 || c === 0x3c || c === 0x3e || c === 0x26) out += '\\u00' + HEX[c >> 4]! + HEX[c & 0xf]!;
    else if (c === 0x2028 || c === 0x2029) out += '\\u202' + HEX[c & 0xf]!;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) < 0xe000) {
      out += s[i]! + s[i + 1]!;
      i++;
    } else if (c >= 0xd800 && c < 0xe000) out += '\\ufffd'; // lone surrogate: invalid UTF-8 for Go
    else out += s[i]!;
  }
  return out + '"';
}
