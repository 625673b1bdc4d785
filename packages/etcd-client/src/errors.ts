/** gRPC status codes that etcd reports in error bodies. */
export const GrpcCode = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

/**
 * An error answer from an etcd member: `code` is the gRPC code from the body, `message` etcd's exact string.
 * Non-JSON answers (the gateway's plain-text 404/405) get code UNIMPLEMENTED (404/405) or UNKNOWN.
 */
export class EtcdRequestError extends Error {
  readonly httpStatus: number;
  readonly code: number;
  readonly endpoint: string;
  constructor(httpStatus: number, code: number, message: string, endpoint: string) {
    super(message);
    this.name = 'EtcdRequestError';
    this.httpStatus = httpStatus;
    this.code = code;
    this.endpoint = endpoint;
  }
}

/**
 * The request got no answer. `requestSent` is false only when the connection was never established
 * (so a write surely was not applied); otherwise the outcome of a write is unknown.
 */
export class EtcdConnectionError extends Error {
  readonly endpoint: string;
  readonly requestSent: boolean;
  /** The underlying error code (ECONNREFUSED, UND_ERR_SOCKET, UND_ERR_HEADERS_TIMEOUT, ...). */
  readonly reason: string;
  constructor(message: string, endpoint: string, reason: string, requestSent: boolean, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'EtcdConnectionError';
    this.endpoint = endpoint;
    this.reason = reason;
    this.requestSent = requestSent;
  }
}

/** Connect-phase failures: the request bytes never left this process. */
const NOT_SENT = new Set(['ECONNREFUSED', 'UND_ERR_CONNECT_TIMEOUT', 'ENOTFOUND', 'EAI_AGAIN', 'EADDRNOTAVAIL']);

/** Wraps a transport failure from undici/net; passes our own errors through. */
export function toConnectionError(err: unknown, endpoint: string): Error {
  if (err instanceof EtcdRequestError || err instanceof EtcdConnectionError) return err;
  const code = errCode(err);
  const msg = err instanceof Error ? err.message : String(err);
  return new EtcdConnectionError(`${endpoint}: ${msg}`, endpoint, code, !NOT_SENT.has(code), err);
}

function errCode(err: unknown): string {
  let e: unknown = err;
  // undici sometimes wraps the net error (e.g. AggregateError for multi-address connects).
  for (let depth = 0; depth < 3 && e !== null && typeof e === 'object'; depth++) {
    const c = (e as { code?: unknown }).code;
    if (typeof c === 'string') return c;
    const inner = (e as { errors?: unknown[]; cause?: unknown }).errors?.[0] ?? (e as { cause?: unknown }).cause;
    e = inner;
  }
  return 'UNKNOWN';
}

/** Transient member-side unavailability that a read may retry elsewhere (503 code 14). */
export function isUnavailable(err: unknown): boolean {
  return err instanceof EtcdRequestError && err.code === GrpcCode.UNAVAILABLE;
}
