// The kubelet API's paths, parsed into what each handler needs.
import type { PodRef } from './streaming-runtime.js';

export type KubeletRoute =
  | { kind: 'healthz' | 'metrics' | 'stats' | 'pods' }
  | { kind: 'logs'; pod: PodRef; container: string }
  | { kind: 'exec' | 'attach'; pod: PodRef; container: string }
  | { kind: 'portForward'; pod: PodRef };

function segments(path: string): string[] | undefined {
  try {
    return path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
  } catch {
    return undefined;
  }
}

function podRef(namespace: string, name: string, uid?: string): PodRef {
  return uid === undefined ? { namespace, name } : { namespace, name, uid };
}

/** Undefined for a path the kubelet does not serve. */
export function parseKubeletPath(pathname: string): KubeletRoute | undefined {
  const s = segments(pathname);
  if (!s || s.length === 0) return undefined;
  const [head, ...rest] = s as [string, ...string[]];
  switch (head) {
    case 'healthz':
      return rest.length === 0 ? { kind: 'healthz' } : undefined;
    case 'metrics':
      return rest.length === 0 ? { kind: 'metrics' } : undefined;
    case 'pods':
      return rest.length === 0 ? { kind: 'pods' } : undefined;
    case 'stats':
      return rest.length === 1 && rest[0] === 'summary' ? { kind: 'stats' } : undefined;
    case 'containerLogs':
      return rest.length === 3 ? { kind: 'logs', pod: podRef(rest[0]!, rest[1]!), container: rest[2]! } : undefined;
    case 'exec':
    case 'attach':
      // /{verb}/{ns}/{pod}/{container} or /{verb}/{ns}/{pod}/{uid}/{container}
      if (rest.length === 3) return { kind: head, pod: podRef(rest[0]!, rest[1]!), container: rest[2]! };
      if (rest.length === 4) return { kind: head, pod: podRef(rest[0]!, rest[1]!, rest[2]!), container: rest[3]! };
      return undefined;
    case 'portForward':
      if (rest.length === 2) return { kind: 'portForward', pod: podRef(rest[0]!, rest[1]!) };
      if (rest.length === 3) return { kind: 'portForward', pod: podRef(rest[0]!, rest[1]!, rest[2]!) };
      return undefined;
    default:
      return undefined;
  }
}

/** Kubernetes' boolean query parameters: "true" and "1" are true, anything else false. */
export function queryBool(q: URLSearchParams, name: string): boolean {
  const v = q.get(name);
  return v === 'true' || v === '1';
}
