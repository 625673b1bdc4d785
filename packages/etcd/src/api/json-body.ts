// Request bodies as etcd 3.4's gateway reads them: one json.Decoder.Decode per message. A unary body is its first
// JSON value (bytes after it are never read; whitespace only or empty means `{}`); a streaming body (watch, lease
// keepalive) is a sequence of values, optionally separated by whitespace, arriving in arbitrary chunks.
import { EtcdError } from './types.js';
import {
  GoScanner,
  JsonNumber,
  JsonString,
  parseFirstValue,
  parseValidValue,
  SCAN_END,
  SCAN_END_ARRAY,
  SCAN_END_OBJECT,
  SCAN_ERROR,
  type JsonValue,
} from './go-json.js';

export { JsonNumber, JsonString, type JsonValue };

/**
 * Parses a unary request body. Syntax errors are etcd's: HTTP 400, gRPC code 3, Go's message
 * (`unexpected EOF`, `invalid character 'x' looking for beginning of value`, ...).
 * The result is meant for the decoders in decode.ts (exotic numbers and strings are wrapped, see go-json.ts).
 */
export function parseJsonBody(buf: Buffer): JsonValue {
  const r = parseFirstValue(buf, 0);
  if ('eof' in r) return Object.create(null) as { [key: string]: JsonValue };
  if ('error' in r) throw new EtcdError(400, 3, r.error);
  return r.value;
}

/**
 * A decode failure on a streaming RPC. etcd's gateway returns such an error unwrapped, so it surfaces as gRPC code 2
 * (Unknown) and HTTP 500 when it hits the first message; after the first message etcd just stops reading the body.
 */
export class JsonStreamError extends EtcdError {
  constructor(
    message: string,
    /** Values that completed in the same push() before the error, in order. */
    readonly values: unknown[],
  ) {
    super(500, 2, message);
    this.name = 'JsonStreamError';
  }
}

/** Turns a decoder's error (400/3) into what a streaming RPC answers for a bad first message (500/2). */
export function streamDecodeError(err: EtcdError): EtcdError {
  return new EtcdError(500, 2, err.message);
}

/**
 * Splits a streaming body into JSON values as Go's json.Decoder does: `{...}{...}`, `{...}\n{...}`, values split
 * across chunks at any byte. Each value is parsed as soon as its last byte arrives (a top-level number or literal
 * needs the following byte, or end()). After a syntax error the stream stays failed, like Go's decoder.
 */
export class JsonObjectStream {
  private readonly scanner = new GoScanner();
  /** Bytes of the value in progress from earlier chunks. */
  private parts: Buffer[] = [];
  private inValue = false;
  private failed: JsonStreamError | undefined;
  private ended = false;

  /** Feeds the next chunk; returns the values it completed. Throws JsonStreamError on a syntax error. */
  push(chunk: Buffer): unknown[] {
    if (this.failed) throw this.failed;
    if (this.ended) throw new Error('JsonObjectStream: push() after end()');
    const out: unknown[] = [];
    const s = this.scanner;
    let segStart = 0; // where the value in progress starts within this chunk (if it started here)
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i]!;
      if (!this.inValue) {
        if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
        this.inValue = true;
        s.reset();
        segStart = i;
      }
      const r = s.step(c);
      if (r === SCAN_END) {
        // The value ended before this byte, which starts the next value (or is whitespace).
        out.push(this.complete(chunk, segStart, i));
        i--;
        continue;
      }
      if (r === SCAN_ERROR) {
        this.failed = new JsonStreamError(s.err ?? 'syntax error', out);
        throw this.failed;
      }
      if ((r === SCAN_END_OBJECT || r === SCAN_END_ARRAY) && s.depth === 0) out.push(this.complete(chunk, segStart, i + 1));
    }
    if (this.inValue) {
      this.parts.push(chunk.subarray(segStart));
    }
    return out;
  }

  /**
   * Signals the end of the body. Returns a value completed by it (a trailing top-level number); throws
   * JsonStreamError(`unexpected EOF`) if a value was cut short, as Go's decoder does.
   */
  end(): unknown[] {
    if (this.failed) throw this.failed;
    this.ended = true;
    if (!this.inValue) return [];
    if (this.scanner.step(0x20) === SCAN_END) {
      return [this.complete(Buffer.alloc(0), 0, 0)];
    }
    this.failed = new JsonStreamError('unexpected EOF', []);
    throw this.failed;
  }

  private complete(chunk: Buffer, start: number, end: number): JsonValue {
    const tail = chunk.subarray(start, end);
    const bytes = this.parts.length === 0 ? tail : Buffer.concat([...this.parts, tail]);
    this.parts = [];
    this.inValue = false;
    return parseValidValue(bytes);
  }
}
