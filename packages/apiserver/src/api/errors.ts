// Kubernetes `Status` errors: every failure the API returns is one of these, with the code, reason, message and
// details the real apiserver uses (kubectl prints them as `Error from server (<reason>): <message>`).
import { aggregateFieldErrors, fieldErrorBody, type FieldError, type JsonObject } from '@k8ts/api-machinery';

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Gone'
  | 'Expired'
  | 'Invalid'
  | 'MethodNotAllowed'
  | 'NotAcceptable'
  | 'RequestEntityTooLarge'
  | 'UnsupportedMediaType'
  | 'TooManyRequests'
  | 'InternalError'
  | 'ServiceUnavailable'
  | 'Timeout'
  | '';

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: { reason: string; message: string; field: string }[];
  retryAfterSeconds?: number;
}

/** The resource an error is about: group and plural resource (kind for Invalid). */
export interface ErrorTarget {
  group: string;
  resource: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
    /** Extra response headers (Retry-After). */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  toStatus(): JsonObject {
    const st: JsonObject = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: this.message };
    if (this.reason) st.reason = this.reason;
    if (this.details && Object.keys(this.details).length) st.details = this.details as unknown as JsonObject;
    st.code = this.code;
    return st;
  }
}

function qualified(t: ErrorTarget): string {
  return t.group === '' ? t.resource : `${t.resource}.${t.group}`;
}

function targetDetails(t: ErrorTarget, name: string): StatusDetails {
  const d: StatusDetails = {};
  if (name) d.name = name;
  if (t.group) d.group = t.group;
  d.kind = t.resource;
  return d;
}

export const errors = {
  badRequest: (message: string): ApiError => new ApiError(400, 'BadRequest', message),
  notFound: (t: ErrorTarget, name: string): ApiError => new ApiError(404, 'NotFound', `${qualified(t)} "${name}" not found`, targetDetails(t, name)),
  /** A URL that matches no resource at all. */
  pathNotFound: (): ApiError => new ApiError(404, 'NotFound', 'the server could not find the requested resource', {}),
  alreadyExists: (t: ErrorTarget, name: string): ApiError =>
    new ApiError(409, 'AlreadyExists', `${qualified(t)} "${name}" already exists`, targetDetails(t, name)),
  conflict: (t: ErrorTarget, name: string, why: string): ApiError =>
    new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualified(t)} "${name}": ${why}`, targetDetails(t, name)),
  staleUpdate: (t: ErrorTarget, name: string): ApiError =>
    errors.conflict(t, name, 'the object has been modified; please apply your changes to the latest version and try again'),
  invalid: (kind: string, group: string, name: string, causes: FieldError[]): ApiError => {
    const qualifiedKind = group === '' ? kind : `${kind}.${group}`;
    const d: StatusDetails = { name, ...(group ? { group } : {}), kind };
    d.causes = causes.map((c) => ({ reason: c.type, message: fieldErrorBody(c), field: c.field }));
    return new ApiError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${aggregateFieldErrors(causes)}`, d);
  },
  gone: (message: string): ApiError => new ApiError(410, 'Expired', message),
  methodNotAllowed: (message = 'the server does not allow this method on the requested resource'): ApiError =>
    new ApiError(405, 'MethodNotAllowed', message),
  notAcceptable: (message: string): ApiError => new ApiError(406, 'NotAcceptable', message),
  unsupportedMediaType: (contentType: string, accepted: string[]): ApiError =>
    new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
      contentType ? {} : undefined,
    ),
  tooLarge: (): ApiError => new ApiError(413, 'RequestEntityTooLarge', 'Request entity too large: limit is 3145728'),
  tooManyRequests: (message: string, retryAfterSeconds: number): ApiError =>
    new ApiError(429, 'TooManyRequests', message, { retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) }),
  forbidden: (t: ErrorTarget, name: string, why: string): ApiError =>
    new ApiError(403, 'Forbidden', `${qualified(t)}${name ? ` "${name}"` : ''} is forbidden: ${why}`, targetDetails(t, name)),
  internal: (message: string): ApiError =>
    new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ reason: '', message, field: '' }] }),
  unavailable: (message: string): ApiError => new ApiError(503, 'ServiceUnavailable', message),
  timeout: (message: string): ApiError => new ApiError(504, 'Timeout', message),
};
