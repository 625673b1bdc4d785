// Capped exponential backoff with jitter: what keeps every retry loop in this package from busy-looping when the
// apiserver is down, and from retrying in lockstep with every other client when it comes back.

export interface BackoffOptions {
  /** First delay (default 800 ms, as client-go's reflector). */
  initialMs?: number;
  /** Largest delay (default 30 s). */
  maxMs?: number;
  /** Delays are drawn from [d * (1 - jitter), d]; 0 disables jitter (default 0.5). */
  jitter?: number;
  /** Source of randomness in [0, 1) (tests). */
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly initialMs: number;
  private readonly maxMs: number;
  private readonly jitter: number;
  private readonly random: () => number;

  constructor(opts: BackoffOptions = {}) {
    this.initialMs = opts.initialMs ?? 800;
    this.maxMs = opts.maxMs ?? 30_000;
    this.jitter = Math.min(Math.max(opts.jitter ?? 0.5, 0), 1);
    this.random = opts.random ?? Math.random;
    if (!(this.initialMs > 0) || !(this.maxMs >= this.initialMs)) {
      throw new RangeError(`backoff needs 0 < initialMs <= maxMs, got ${this.initialMs} and ${this.maxMs}`);
    }
  }

  /** The delay before the next attempt; each call doubles the base up to maxMs. */
  next(): number {
    const base = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 52));
    this.attempt++;
    return base * (1 - this.jitter * this.random());
  }

  /** After a success: the next failure starts from initialMs again. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
