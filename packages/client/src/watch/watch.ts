// The watch wire format: one JSON object {type, object} per line on a long-lived response. ERROR events carry a
// Status and end the watch; a 410 there is how the server says "your resourceVersion is too old, re-list".
import { ApiError } from '../errors.js';
import type { ResponseStream } from '../rest/rest-client.js';
import type { Status } from '../types.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent<T> {
  type: WatchEventType;
  /** For BOOKMARK only metadata.resourceVersion (and kind/apiVersion) is meaningful. */
  object: T;
}

export type RawWatchEvent = { type: WatchEventType; object: unknown } | { type: 'ERROR'; object: Status };

/** The watch stream carried something that is not a watch event. */
export class WatchDecodeError extends Error {
  override readonly name = 'WatchDecodeError';
}

const TYPES = new Set(['ADDED', 'MODIFIED', 'DELETED', 'BOOKMARK', 'ERROR']);

/** Parses one line of a watch response. */
export function parseWatchLine(line: string): RawWatchEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    throw new WatchDecodeError(`malformed watch event: ${line.slice(0, 200)}`);
  }
  if (typeof parsed !== 'object' || parsed === null) throw new WatchDecodeError(`watch event is not an object: ${line.slice(0, 200)}`);
  const { type, object } = parsed as { type?: unknown; object?: unknown };
  if (typeof type !== 'string' || !TYPES.has(type)) throw new WatchDecodeError(`unknown watch event type ${JSON.stringify(type)}`);
  if (typeof object !== 'object' || object === null) throw new WatchDecodeError(`watch event ${type} without an object`);
  return { type, object } as RawWatchEvent;
}

/** Splits a byte stream into lines (chunks may end mid-line or mid-character) and parses each. */
export class WatchLineDecoder {
  private buffered = '';
  private readonly decoder = new TextDecoder();

  push(chunk: Uint8Array | string): RawWatchEvent[] {
    this.buffered += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const events: RawWatchEvent[] = [];
    let newline: number;
    while ((newline = this.buffered.indexOf('\n')) >= 0) {
      const line = this.buffered.slice(0, newline).trim();
      this.buffered = this.buffered.slice(newline + 1);
      if (line) events.push(parseWatchLine(line));
    }
    return events;
  }

  /** The end of the stream: a last line without a newline still counts. */
  end(): RawWatchEvent[] {
    const rest = (this.buffered + this.decoder.decode()).trim();
    this.buffered = '';
    return rest ? [parseWatchLine(rest)] : [];
  }
}

/** The Status of an ERROR event as an ApiError (code 410 → isExpired/isGone). */
export function watchErrorToApiError(status: Status): ApiError {
  return new ApiError(status.code ?? 500, status);
}

/**
 * A running watch. Iterate it for ADDED/MODIFIED/DELETED/BOOKMARK events; iteration ends when the server closes the
 * watch (timeoutSeconds) or after close(), and throws ApiError for an ERROR event and NetworkError for a broken
 * connection. Iterate once.
 */
export class WatchStream<T> implements AsyncIterable<WatchEvent<T>> {
  private iterated = false;

  constructor(private readonly response: ResponseStream) {}

  close(): void {
    this.response.close();
  }

  get closed(): boolean {
    return this.response.closed;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<WatchEvent<T>> {
    if (this.iterated) throw new Error('a WatchStream can be iterated only once');
    this.iterated = true;
    const decoder = new WatchLineDecoder();
    try {
      for await (const chunk of this.response.chunks) {
        for (const ev of decoder.push(chunk)) {
          if (ev.type === 'ERROR') throw watchErrorToApiError(ev.object);
          yield ev as WatchEvent<T>;
          if (this.response.closed) return;
        }
      }
      if (this.response.closed) return;
      for (const ev of decoder.end()) {
        if (ev.type === 'ERROR') throw watchErrorToApiError(ev.object);
        yield ev as WatchEvent<T>;
      }
    } finally {
      this.response.close();
    }
  }
}
