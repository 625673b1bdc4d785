// etcd client failures translated into the storage contract's errors, so the REST layer sees one error vocabulary.
import { EtcdConnectionError, EtcdRequestError, GrpcCode } from '@k8ts/etcd-client';
import { StorageError } from './contract.js';

/**
 * A continued list whose revision was compacted. Like Kubernetes, it carries a fresh token (rv -1: continue at the
 * latest revision from the same key) that the REST layer puts in the Status' metadata.continue.
 */
export class ContinueExpiredError extends StorageError {
  constructor(readonly continueToken: string) {
    super(
      'Expired',
      'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
    );
  }
}

export function isCompacted(err: unknown): boolean {
  return err instanceof EtcdRequestError && err.code === GrpcCode.OUT_OF_RANGE && err.message.includes('compacted');
}

function isFutureRevision(err: unknown): boolean {
  return err instanceof EtcdRequestError && err.code === GrpcCode.OUT_OF_RANGE && err.message.includes('future revision');
}

function isTooLarge(err: EtcdRequestError): boolean {
  // etcd's own limit (--max-request-bytes) and the gateway's gRPC message limit.
  return (
    (err.code === GrpcCode.INVALID_ARGUMENT && err.message.includes('request is too large')) ||
    (err.code === GrpcCode.RESOURCE_EXHAUSTED && err.message.includes('larger than max'))
  );
}

/**
 * The StorageError for an etcd failure, or `err` unchanged when it is not one we classify. `revision` is the
 * revision the failed request asked for, used in Expired messages.
 */
export function toStorageError(err: unknown, revision?: number): unknown {
  if (err instanceof StorageError) return err;
  if (err instanceof EtcdConnectionError) return new StorageError('Unavailable', err.message);
  if (!(err instanceof EtcdRequestError)) return err;
  if (isCompacted(err)) {
    return new StorageError('Expired', revision ? `too old resource version: ${revision}` : `too old resource version: ${err.message}`);
  }
  if (isFutureRevision(err)) {
    // Kubernetes answers "Too large resource version" with a retry hint: the revision may exist soon.
    return new StorageError('Unavailable', revision ? `Too large resource version: ${revision}` : `Too large resource version: ${err.message}`);
  }
  if (isTooLarge(err)) return new StorageError('TooLarge', err.message);
  if (
    err.code === GrpcCode.UNAVAILABLE ||
    err.code === GrpcCode.DEADLINE_EXCEEDED ||
    err.httpStatus === 503 ||
    err.httpStatus === 504
  ) {
    return new StorageError('Unavailable', err.message);
  }
  return err;
}
