// The one error type of the Docker client: the engine's HTTP status and its `{"message": ...}` text.

export class DockerError extends Error {
  override readonly name = 'DockerError';

  constructor(
    readonly statusCode: number,
    message: string,
    /** What we asked for, e.g. `POST /containers/create`, so logs say which call failed. */
    readonly operation?: string,
  ) {
    // The message stays exactly the engine's text, so callers can match on it ("is not running", "No such container").
    super(message);
  }

  /** For logs: `POST /containers/create: No such image: x (HTTP 404)`. */
  describe(): string {
    return `${this.operation ? `${this.operation}: ` : ''}${this.message} (HTTP ${this.statusCode})`;
  }

  get notFound(): boolean {
    return this.statusCode === 404;
  }

  get conflict(): boolean {
    return this.statusCode === 409;
  }

  get notModified(): boolean {
    return this.statusCode === 304;
  }
}

/** Extracts Docker's `{"message": "..."}`; falls back to the raw text (some proxies answer plain text). */
export function dockerErrorMessage(body: string): string {
  const text = body.trim();
  if (text.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (isRecord(parsed) && typeof parsed.message === 'string') return parsed.message;
    } catch {
      // not JSON after all: use the text as it is
    }
  }
  return text || 'no message';
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
