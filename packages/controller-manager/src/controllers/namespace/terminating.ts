// The 403 an apiserver gives a create in a namespace that is being deleted (StatusCause NamespaceTerminating):
// controllers that create content in every namespace treat it as "nothing to do", not as a failure.
import { isApiError, isForbidden } from '@k8ts/client';

export const NAMESPACE_TERMINATING_CAUSE = 'NamespaceTerminating';

export function isNamespaceTerminating(err: unknown): boolean {
  return isApiError(err) && isForbidden(err) && (err.status.details?.causes ?? []).some((c) => c.reason === NAMESPACE_TERMINATING_CAUSE);
}
