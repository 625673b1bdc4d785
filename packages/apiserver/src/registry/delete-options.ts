// DeleteOptions from the request body (kubectl) or the query string (the JS client), merged as Kubernetes does.
import { isJsonObject, type JsonValue } from '@k8ts/api-machinery';
import { errors } from '../api/errors.js';
import type { ApiContext } from '../api/context.js';
import { isDryRun, type ResourceQuery } from '../http/query.js';
import type { DeleteOptions } from './generic-registry.js';

const POLICIES = ['Orphan', 'Background', 'Foreground'] as const;

export function parseDeleteOptions(_ctx: ApiContext, body: JsonValue | undefined, q: ResourceQuery): DeleteOptions {
  if (body !== undefined && !isJsonObject(body)) throw errors.badRequest('DeleteOptions must be an object');
  const b = body ?? {};
  if (b.kind !== undefined && b.kind !== 'DeleteOptions') {
    throw errors.badRequest(`the kind in the data (${String(b.kind)}) does not match the expected kind (DeleteOptions)`);
  }
  const grace = b.gracePeriodSeconds ?? q.gracePeriodSeconds;
  if (grace !== undefined && (typeof grace !== 'number' || !Number.isInteger(grace))) throw errors.badRequest('gracePeriodSeconds must be an integer');
  let policy = (b.propagationPolicy ?? q.propagationPolicy) as DeleteOptions['propagationPolicy'] | undefined;
  if (policy !== undefined && !POLICIES.includes(policy)) {
    throw errors.invalid('DeleteOptions', 'meta.k8s.io', '', [
      { type: 'FieldValueNotSupported', field: 'propagationPolicy', badValue: String(policy), supported: [...POLICIES] },
    ]);
  }
  const orphan = b.orphanDependents ?? q.orphanDependents;
  if (orphan !== undefined && policy !== undefined) {
    throw errors.invalid('DeleteOptions', 'meta.k8s.io', '', [
      { type: 'FieldValueInvalid', field: 'propagationPolicy', badValue: String(policy), detail: 'orphanDependents and deletionPropagation cannot be both set' },
    ]);
  }
  if (orphan === true) policy = 'Orphan';
  if (orphan === false) policy = 'Background';
  const pre = isJsonObject(b.preconditions) ? b.preconditions : undefined;
  return {
    dryRun: isDryRun(q, b.dryRun),
    gracePeriodSeconds: grace as number | undefined,
    propagationPolicy: policy,
    preconditions: pre
      ? {
          uid: typeof pre.uid === 'string' ? pre.uid : undefined,
          resourceVersion: typeof pre.resourceVersion === 'string' ? pre.resourceVersion : undefined,
        }
      : undefined,
  };
}
