// One etcd watch over the gateway's streaming POST /v3/watch: the create request is the whole request body, frames
// arrive as `{"result":WatchResponse}\n` lines, and closing the connection is the only way to cancel.

import { decodeWatchResponse, obj, type Json } from './codec.js';
import { EtcdConnectionError, EtcdRequestError, GrpcCode, toConnectionError } from './errors.js';
import type { OpenStream } from './transport.js';
import type { WatchResponse } from './types.js';

/** Frames buffered before the stream stops being read (TCP back-pressure then reaches the server). */
const HIGH_WATER = 1024;

/**
 * An async iterable of the watch's frames, in order: the `created` frame first, then events (and progress
 * notifications). Iteration ends after cancel(), or after a server-side cancel frame (e.g. compacted start revision,
 * whose `compactRevision` tells where history now begins). A broken or ended stream throws from the iterator:
 * reconnecting (from the last seen revision + 1) is the caller's decision.
 */
export class Watch implements AsyncIterable<WatchResponse> {
  /** Resolves with the `created` frame; rejects if the watch fails before it. */
  readonly created: Promise<WatchResponse>;
  /** The client URL serving this watch, once connected. */
  endpoint = '';

  private readonly queue: WatchResponse[] = [];
  private waiter: (() => void) | undefined;
  private drainWaiter: (() => void) | undefined;
  private conn: OpenStream | undefined;
  private error: Error | undefined;
  /** No more frames will be queued (cancel, server cancel, error). */
  private ended = false;
  /** The caller canceled: stop delivering at once. */
  private canceledByUser = false;
  private resolveCreated!: (r: WatchResponse) => void;
  private rejectCreated!: (e: Error) => void;
  private createdSettled = false;

  constructor(
    open: () => Promise<OpenStream>,
    private readonly onDone: (w: Watch) => void,
  ) {
    this.created = new Promise<WatchResponse>((resolve, reject) => {
      this.resolveCreated = resolve;
      this.rejectCreated = reject;
    });
    // Nobody has to await `created`; do not turn its rejection into an unhandled one.
    this.created.catch(() => {});
    void this.pump(open);
  }

  /** Closes the stream; a pending or later next() returns done. Safe to call repeatedly. */
  cancel(): void {
    if (this.canceledByUser) return;
    this.canceledByUser = true;
    this.queue.length = 0;
    this.finish(undefined);
  }

  /** True once no more frames will arrive. */
  get done(): boolean {
    return this.ended;
  }

  private async pump(open: () => Promise<OpenStream>): Promise<void> {
    let conn: OpenStream;
    try {
      conn = await open();
    } catch (err) {
      this.finish(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    if (this.ended) {
      conn.destroy();
      return;
    }
    this.conn = conn;
    this.endpoint = conn.endpoint;
    let buf = '';
    try {
      for await (const chunk of conn.body) {
        buf += chunk as string;
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line !== '') this.onLine(line);
          if (this.ended) return;
        }
        if (this.queue.length >= HIGH_WATER) {
          await new Promise<void>((resolve) => (this.drainWaiter = resolve));
          if (this.ended) return;
        }
      }
      if (!this.ended) {
        this.finish(new EtcdConnectionError(`${conn.endpoint}: watch stream ended by the server`, conn.endpoint, 'EOF', true));
      }
    } catch (err) {
      if (!this.ended) this.finish(toConnectionError(err, conn.endpoint));
    }
  }

  private onLine(line: string): void {
    let msg: Json;
    try {
      msg = obj(JSON.parse(line));
    } catch {
      this.finish(new EtcdRequestError(200, GrpcCode.UNKNOWN, `invalid watch frame: ${line.slice(0, 200)}`, this.endpoint));
      return;
    }
    if (msg.error !== undefined) {
      // grpc-gateway's in-stream error: {"error":{"grpc_code":N,"http_code":N,"message":"..."}}
      const e = obj(msg.error);
      const code = typeof e.grpc_code === 'number' ? e.grpc_code : GrpcCode.UNKNOWN;
      const http = typeof e.http_code === 'number' ? e.http_code : 500;
      const text = typeof e.message === 'string' ? e.message : JSON.stringify(msg.error);
      this.finish(new EtcdRequestError(http, code, text, this.endpoint));
      return;
    }
    const r = decodeWatchResponse(obj(msg.result));
    this.queue.push(r);
    if (r.created && !this.createdSettled) {
      this.createdSettled = true;
      this.resolveCreated(r);
    }
    this.wake();
    // Each stream carries exactly one watch, so its cancel frame ends the stream.
    if (r.canceled) this.finish(undefined);
  }

  private finish(err: Error | undefined): void {
    if (this.ended) return;
    this.ended = true;
    if (err) this.error = err;
    if (!this.createdSettled) {
      this.createdSettled = true;
      this.rejectCreated(err ?? new Error('watch canceled before it was created'));
    }
    this.conn?.destroy();
    this.onDone(this);
    this.wake();
    const d = this.drainWaiter;
    this.drainWaiter = undefined;
    d?.();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.();
  }

  private async next(): Promise<IteratorResult<WatchResponse>> {
    for (;;) {
      if (this.canceledByUser) return { done: true, value: undefined };
      const r = this.queue.shift();
      if (r) {
        if (this.queue.length < HIGH_WATER / 2 && this.drainWaiter) {
          const d = this.drainWaiter;
          this.drainWaiter = undefined;
          d();
        }
        return { done: false, value: r };
      }
      if (this.error) {
        const e = this.error;
        this.error = undefined; // thrown once; later next() calls report done
        throw e;
      }
      if (this.ended) return { done: true, value: undefined };
      await new Promise<void>((resolve) => (this.waiter = resolve));
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<WatchResponse> {
    return {
      next: () => this.next(),
      return: async () => {
        this.cancel();
        return { done: true, value: undefined };
      },
    };
  }
}
