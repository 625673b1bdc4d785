// Parsing a resource URL into what it names, like Kubernetes' RequestInfoFactory:
//   /api/v1/namespaces/{ns}/{resource}[/{name}[/{subresource}]]
//   /api/v1/{resource}[/{name}[/{subresource}]]        (cluster-scoped, or all namespaces)
//   /api/v1/namespaces/{name}[/status|/finalize]       (the namespace itself)
//   /api/v1/watch/...                                  (legacy watch paths)

export interface ResourceRequest {
  namespace?: string | undefined;
  resource: string;
  name?: string | undefined;
  subresource?: string | undefined;
  /** Came through a legacy /watch/ path. */
  legacyWatch: boolean;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

/** `rest` is the path after /api/v1/ or /apis/{group}/{version}/ without the query string. Undefined: not a resource path. */
export function parseResourcePath(rest: string): ResourceRequest | undefined {
  let parts = rest.split('/').filter((p) => p !== '').map((p) => decodeURIComponent(p));
  let legacyWatch = false;
  if (parts[0] === 'watch') {
    legacyWatch = true;
    parts = parts.slice(1);
  }
  if (parts.length === 0) return undefined;
  let namespace: string | undefined;
  if (parts[0] === 'namespaces' && parts.length > 1) {
    namespace = parts[1];
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2]!)) parts = parts.slice(2);
  }
  const [resource, name, subresource, ...extra] = parts;
  if (extra.length > 0 && subresource !== 'proxy') return undefined;
  if (resource === 'namespaces' && namespace !== undefined && parts[0] === 'namespaces') {
    // /namespaces/{name}[/status]: the namespace object itself.
    return { resource, name: namespace, subresource: parts[2], legacyWatch };
  }
  return { namespace, resource: resource!, name, subresource, legacyWatch };
}
