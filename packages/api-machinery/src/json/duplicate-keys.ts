// Duplicate object keys in a raw JSON body, found and named as Kubernetes' strict decoding (sigs.k8s.io/json,
// DisallowDuplicateFields) reports them: `metadata.name`, `spec.containers[0].image`. JSON.parse silently keeps the
// last value, so the body is scanned as text: one pass, no value is built, paths are only joined for a duplicate.
import { goQuote } from './go-quote.js';

/** Kubernetes stops recording strict decoding errors after this many. */
export const MAX_STRICT_ERRORS = 100;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** A path element: an object key, or an array index. */
type Segment = string | number;

interface ObjectFrame {
  kind: 'object';
  keys: Set<string>;
}
interface ArrayFrame {
  kind: 'array';
  index: number;
}
type Frame = ObjectFrame | ArrayFrame;

function isWhitespace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** A path as the Go decoder's strictFieldStack joins it: keys with '.', indices as `[i]`. */
function joinPath(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out === '' ? s : `.${s}`;
  }
  return out;
}

class Scanner {
  private pos = 0;
  private readonly frames: Frame[] = [];
  /** The path to the value being read: the keys and indices of the enclosing containers. */
  private readonly path: Segment[] = [];
  private readonly seen = new Set<string>();
  readonly duplicates: string[] = [];

  constructor(private readonly text: string) {}

  private skipWhitespace(): void {
    while (this.pos < this.text.length && isWhitespace(this.text.charCodeAt(this.pos))) this.pos++;
  }

  /** Skips a string starting at its opening quote; returns its raw text between the quotes. */
  private skipString(): string {
    const start = this.pos + 1;
    let from = start;
    for (;;) {
      // Jump from quote to quote; a quote preceded by an odd number of backslashes is escaped.
      const quote = this.text.indexOf('"', from);
      if (quote < 0) throw new SyntaxError('unterminated string');
      let backslashes = 0;
      while (quote - backslashes - 1 >= start && this.text.charCodeAt(quote - backslashes - 1) === BACKSLASH) backslashes++;
      if (backslashes % 2 === 0) {
        this.pos = quote + 1;
        return this.text.slice(start, quote);
      }
      from = quote + 1;
    }
  }

  private readKey(): string {
    const raw = this.skipString();
    // Escapes are rare in keys; only then is the text decoded (JSON.parse is exact for that).
    return raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
  }

  /** Skips a number, true, false or null. */
  private skipLiteral(): void {
    const start = this.pos;
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c === COMMA || c === CLOSE_BRACE || c === CLOSE_BRACKET || isWhitespace(c)) break;
      this.pos++;
    }
    if (this.pos === start) throw new SyntaxError(`unexpected character at ${start}`);
  }

  private recordKey(frame: ObjectFrame, key: string): void {
    if (!frame.keys.has(key)) {
      frame.keys.add(key);
      return;
    }
    const path = joinPath([...this.path, key]);
    if (this.seen.has(path) || this.duplicates.length >= MAX_STRICT_ERRORS) return;
    this.seen.add(path);
    this.duplicates.push(path);
  }

  /**
   * One pass over the text. Containers are tracked on an explicit stack (no recursion), so a deeply nested body
   * cannot overflow the call stack.
   */
  run(): void {
    let expectValue = true;
    for (;;) {
      this.skipWhitespace();
      if (expectValue) {
        expectValue = this.readValue();
        continue;
      }
      const frame = this.frames[this.frames.length - 1];
      if (!frame) return;
      const c = this.text.charCodeAt(this.pos);
      if (frame.kind === 'object' ? c === CLOSE_BRACE : c === CLOSE_BRACKET) {
        this.pos++;
        this.closeFrame();
        continue;
      }
      if (c !== COMMA) throw new SyntaxError(`expected ',' at ${this.pos}`);
      this.pos++;
      this.skipWhitespace();
      if (frame.kind === 'object') {
        this.readMemberKey(frame);
      } else {
        frame.index++;
        this.path.push(frame.index);
      }
      expectValue = true;
    }
  }

  /** Leaves the container just closed, and the path element that led into it. */
  private closeFrame(): void {
    this.frames.pop();
    if (this.frames.length > 0) this.path.pop();
  }

  /** Reads `"key":` of an object member and enters the member's path. */
  private readMemberKey(frame: ObjectFrame): void {
    if (this.text.charCodeAt(this.pos) !== QUOTE) throw new SyntaxError(`expected a key at ${this.pos}`);
    const key = this.readKey();
    this.recordKey(frame, key);
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) !== COLON) throw new SyntaxError(`expected ':' at ${this.pos}`);
    this.pos++;
    this.path.push(key);
  }

  /**
   * Reads the start of a value: a scalar or an empty container entirely, or the opening of a container (and the key
   * of its first member). Returns true when a value is expected next (inside the container just opened).
   */
  private readValue(): boolean {
    const c = this.text.charCodeAt(this.pos);
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      this.pos++;
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) === (c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET)) {
        this.pos++;
        this.leaveScalar();
        return false;
      }
      if (c === OPEN_BRACE) {
        const frame: ObjectFrame = { kind: 'object', keys: new Set() };
        this.frames.push(frame);
        this.readMemberKey(frame);
      } else {
        this.frames.push({ kind: 'array', index: 0 });
        this.path.push(0);
      }
      return true;
    }
    if (c === QUOTE) this.skipString();
    else this.skipLiteral();
    this.leaveScalar();
    return false;
  }

  /** After a scalar (or an empty container) the path element that named it is done. */
  private leaveScalar(): void {
    if (this.frames.length > 0) this.path.pop();
  }
}

/**
 * The paths of duplicated object keys in `jsonText`, each once, in the order found, at most MAX_STRICT_ERRORS.
 * Malformed JSON ends the scan: what was found so far is returned (the body's own parse reports the syntax error).
 */
export function findDuplicateFields(jsonText: string): string[] {
  const scanner = new Scanner(jsonText);
  try {
    scanner.run();
  } catch (err) {
    if (!(err instanceof SyntaxError)) throw err;
  }
  return scanner.duplicates;
}

/** One strict decoding error, e.g. `duplicate field "metadata.name"`. */
export function duplicateFieldMessage(path: string): string {
  return `duplicate field ${goQuote(path)}`;
}

/** The strict decoding error Kubernetes answers with under fieldValidation=Strict (joined with ", "). */
export function strictDecodingErrorMessage(messages: readonly string[]): string {
  return `strict decoding error: ${messages.join(', ')}`;
}
