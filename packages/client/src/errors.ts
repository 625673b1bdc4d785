// What can go wrong talking to the apiserver, split the way a controller has to react: an ApiError is the server's
// answer (a Status with code and reason: decide by reason), a NetworkError means no answer (retry later).
import type { Status } from './types.js';

/** The StatusReason values Kubernetes defines (metav1.StatusReason). */
export type StatusReason =
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Invalid'
  | 'ServerTimeout'
  | 'Timeout'
  | 'TooManyRequests'
  | 'BadRequest'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'InternalError'
  | 'Expired'
  | 'ServiceUnavailable'
  | 'Unknown';

/** The reason Kubernetes' client assumes when an error body is not a Status (NewGenericServerResponse). */
function reasonForCode(code: number): StatusReason {
  switch (code) {
    case 400:
      return 'BadRequest';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 404:
      return 'NotFound';
    case 405:
      return 'MethodNotAllowed';
    case 406:
      return 'NotAcceptable';
    case 409:
      return 'Conflict';
    case 410:
      return 'Gone';
    case 413:
      return 'RequestEntityTooLarge';
    case 415:
      return 'UnsupportedMediaType';
    case 422:
      return 'Invalid';
    case 429:
      return 'TooManyRequests';
    case 500:
      return 'InternalError';
    case 503:
      return 'ServiceUnavailable';
    case 504:
      return 'ServerTimeout';
    default:
      return 'Unknown';
  }
}

/** The apiserver answered with an error status. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /** HTTP status code (or the Status' code for watch ERROR events). */
  readonly code: number;
  readonly reason: string;
  readonly status: Status;
  /** From the Retry-After header or the Status details, when the server asked for a pause. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: number, status: Status, opts: { method?: string; path?: string; retryAfterSeconds?: number } = {}) {
    const reason = status.reason || reasonForCode(code);
    const where = opts.method && opts.path ? ` (${opts.method} ${opts.path})` : '';
    super(`${status.message || `the server responded with HTTP ${code}`}${where}`);
    this.code = code;
    this.reason = reason;
    this.status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', ...status, code: status.code ?? code, reason };
    this.retryAfterSeconds = opts.retryAfterSeconds ?? status.details?.retryAfterSeconds;
  }

  /** An ApiError for a response body that is not a Status (a proxy's HTML page, plain text). */
  static fromResponse(code: number, body: string, opts: { method?: string; path?: string; retryAfterSeconds?: number } = {}): ApiError {
    let status: Status | undefined;
    try {
      const parsed: unknown = JSON.parse(body);
      if (typeof parsed === 'object' && parsed !== null && (parsed as Status).kind === 'Status') status = parsed as Status;
    } catch {
      // not JSON: keep the text as the message
    }
    return new ApiError(code, status ?? { message: body.trim().slice(0, 500) || undefined, reason: reasonForCode(code), code }, opts);
  }
}

/** No answer from the apiserver: connection refused or reset, TLS failure, timeout. Always worth retrying later. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  readonly retryable = true;
  /** Node/undici error code, e.g. ECONNREFUSED, UND_ERR_SOCKET, UND_ERR_HEADERS_TIMEOUT, or 'Timeout'. */
  readonly code: string;

  constructor(message: string, code: string, cause?: unknown) {
    super(message, { cause });
    this.code = code;
  }
}

const reasonOf = (err: unknown): string | undefined => (err instanceof ApiError ? err.reason : undefined);
const codeOf = (err: unknown): number | undefined => (err instanceof ApiError ? err.code : undefined);

export const isApiError = (err: unknown): err is ApiError => err instanceof ApiError;
export const isNetworkError = (err: unknown): err is NetworkError => err instanceof NetworkError;
export const isNotFound = (err: unknown): boolean => reasonOf(err) === 'NotFound' || (codeOf(err) === 404 && reasonOf(err) === 'Unknown');
export const isAlreadyExists = (err: unknown): boolean => reasonOf(err) === 'AlreadyExists';
/** 409 Conflict: an update with a stale resourceVersion (also a precondition failure). Re-read and retry. */
export const isConflict = (err: unknown): boolean => reasonOf(err) === 'Conflict';
export const isInvalid = (err: unknown): boolean => reasonOf(err) === 'Invalid';
export const isForbidden = (err: unknown): boolean => reasonOf(err) === 'Forbidden';
export const isBadRequest = (err: unknown): boolean => reasonOf(err) === 'BadRequest';
export const isTooManyRequests = (err: unknown): boolean => reasonOf(err) === 'TooManyRequests' || codeOf(err) === 429;
/** 410 Gone: a watch or list continuation from a resourceVersion the server no longer has. Re-list. */
export const isGone = (err: unknown): boolean => codeOf(err) === 410 || reasonOf(err) === 'Gone';
/** Expired is how the apiserver reports a too-old resourceVersion (code 410, reason Expired or Gone). */
export const isExpired = (err: unknown): boolean => reasonOf(err) === 'Expired' || isGone(err);
export const isServerTimeout = (err: unknown): boolean => reasonOf(err) === 'ServerTimeout' || reasonOf(err) === 'Timeout';
export const isServiceUnavailable = (err: unknown): boolean => codeOf(err) === 503;
export const isInternalError = (err: unknown): boolean => codeOf(err) === 500;

/** Worth retrying unchanged after a pause: no answer, or the server said "not now". */
export function isRetryable(err: unknown): boolean {
  return isNetworkError(err) || isTooManyRequests(err) || isServerTimeout(err) || isServiceUnavailable(err) || isInternalError(err);
}
