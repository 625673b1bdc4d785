// Namespace lifecycle admission: nothing is created in a namespace that does not exist or is being terminated.
import { isJsonObject } from '@k8ts/api-machinery';
import { ApiError, errors } from '../api/errors.js';
import type { ObjectStore, WatchCache } from '../storage/index.js';

export function namespaceLifecycle(store: ObjectStore, namespaces: WatchCache) {
  return async function checkNamespace(namespace: string, operation: 'create' | 'update'): Promise<void> {
    const key = store.key('namespaces', undefined, namespace);
    // The cache may lag a namespace created a moment ago; the store is the authority when the cache misses.
    const found = namespaces.get(key) ?? (await store.get(key));
    if (!found) throw errors.notFound({ group: '', resource: 'namespaces' }, namespace);
    if (operation !== 'create') return;
    const meta = isJsonObject(found.object.metadata) ? found.object.metadata : {};
    const status = isJsonObject(found.object.status) ? found.object.status : {};
    if (meta.deletionTimestamp !== undefined || status.phase === 'Terminating') {
      throw new ApiError(403, 'Forbidden', `unable to create new content in namespace ${namespace} because it is being terminated`, {
        name: namespace,
        kind: 'namespaces',
        causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
      });
    }
  };
}
