// Where the apiserver is and how to authenticate, from a kubeconfig file (as kubectl reads it), from the in-cluster
// service account, or from a bare URL (tests).
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { parse } from 'yaml';

/** Everything the RestClient needs to reach one apiserver. */
export interface ClusterConnection {
  /** Base URL, e.g. https://127.0.0.1:6443 (a path prefix is kept). */
  server: string;
  /** PEM bundle to verify the server with; the system roots when absent. */
  ca?: string | undefined;
  insecureSkipTLSVerify?: boolean | undefined;
  /** SNI / certificate name to expect instead of the server URL's host. */
  tlsServerName?: string | undefined;
  /** PEM client certificate and key (mutual TLS). */
  clientCertificate?: string | undefined;
  clientKey?: string | undefined;
  /** Bearer token. */
  token?: string | undefined;
  /** File holding the bearer token, re-read now and then (rotated service account tokens). */
  tokenFile?: string | undefined;
  /** The context's namespace, else "default". */
  namespace: string;
  /** The kubeconfig context this came from, if any. */
  contextName?: string | undefined;
}

export class KubeconfigError extends Error {
  override readonly name = 'KubeconfigError';
}

export interface LoadKubeconfigOptions {
  /** Use this context instead of current-context. */
  context?: string | undefined;
}

type Doc = Record<string, unknown>;

interface Named {
  name: string;
  body: Doc;
  /** Directory of the file it came from: relative paths in it resolve against this (as client-go does). */
  dir: string;
}

interface MergedConfig {
  clusters: Map<string, Named>;
  users: Map<string, Named>;
  contexts: Map<string, Named>;
  currentContext: string | undefined;
  sources: string[];
}

/** $KUBECONFIG (a list separated by ":"), else ~/.kube/config. */
export function defaultKubeconfigPaths(env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = env['KUBECONFIG'];
  if (fromEnv) return fromEnv.split(process.platform === 'win32' ? ';' : ':').filter(Boolean);
  return [join(homedir(), '.kube', 'config')];
}

/**
 * Reads a kubeconfig (or, with several paths, merges them as kubectl does: the first file to define a name or the
 * current-context wins) and resolves the current (or named) context to a connection.
 */
export function loadKubeconfig(path?: string | string[], opts: LoadKubeconfigOptions = {}): ClusterConnection {
  const paths = path === undefined ? defaultKubeconfigPaths() : Array.isArray(path) ? path : [path];
  const merged: MergedConfig = { clusters: new Map(), users: new Map(), contexts: new Map(), currentContext: undefined, sources: [] };
  for (const p of paths) {
    const file = resolve(p);
    if (!existsSync(file)) {
      if (paths.length === 1) throw new KubeconfigError(`kubeconfig ${file} does not exist`);
      continue;
    }
    mergeFile(merged, file, readFileSync(file, 'utf8'));
  }
  if (merged.sources.length === 0) throw new KubeconfigError(`none of the kubeconfig files exist: ${paths.join(', ')}`);
  return resolveContext(merged, opts.context);
}

/** Parses kubeconfig text; relative file paths in it resolve against `baseDir`. */
export function parseKubeconfig(text: string, opts: LoadKubeconfigOptions & { baseDir?: string; source?: string } = {}): ClusterConnection {
  const merged: MergedConfig = { clusters: new Map(), users: new Map(), contexts: new Map(), currentContext: undefined, sources: [] };
  mergeFile(merged, opts.source ?? join(opts.baseDir ?? process.cwd(), '<kubeconfig>'), text);
  return resolveContext(merged, opts.context);
}

function mergeFile(into: MergedConfig, file: string, text: string): void {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new KubeconfigError(`kubeconfig ${file} is not valid YAML: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (doc === null || doc === undefined) doc = {};
  if (!isDoc(doc)) throw new KubeconfigError(`kubeconfig ${file} is not a YAML mapping`);
  into.sources.push(file);
  const dir = dirname(file);
  const section = (key: 'clusters' | 'users' | 'contexts', inner: string, target: Map<string, Named>): void => {
    const list = doc[key];
    if (list === undefined || list === null) return;
    if (!Array.isArray(list)) throw new KubeconfigError(`kubeconfig ${file}: "${key}" must be a list`);
    for (const entry of list) {
      if (!isDoc(entry) || typeof entry['name'] !== 'string') throw new KubeconfigError(`kubeconfig ${file}: every entry of "${key}" needs a name`);
      const body = entry[inner];
      if (!target.has(entry['name'])) target.set(entry['name'], { name: entry['name'], body: isDoc(body) ? body : {}, dir });
    }
  };
  section('clusters', 'cluster', into.clusters);
  section('users', 'user', into.users);
  section('contexts', 'context', into.contexts);
  const current = doc['current-context'];
  if (into.currentContext === undefined && typeof current === 'string' && current !== '') into.currentContext = current;
}

function resolveContext(cfg: MergedConfig, wanted: string | undefined): ClusterConnection {
  const where = cfg.sources.join(', ');
  const contextName = wanted ?? cfg.currentContext;
  if (!contextName) throw new KubeconfigError(`kubeconfig ${where}: no current-context is set and no context was given`);
  const context = cfg.contexts.get(contextName);
  if (!context) {
    const known = [...cfg.contexts.keys()];
    throw new KubeconfigError(`kubeconfig ${where}: context "${contextName}" not found${known.length ? ` (contexts: ${known.join(', ')})` : ' (it defines no contexts)'}`);
  }
  const clusterName = str(context.body, 'cluster');
  if (!clusterName) throw new KubeconfigError(`kubeconfig ${where}: context "${contextName}" names no cluster`);
  const cluster = cfg.clusters.get(clusterName);
  if (!cluster) throw new KubeconfigError(`kubeconfig ${where}: cluster "${clusterName}" (of context "${contextName}") not found`);
  const server = str(cluster.body, 'server');
  if (!server) throw new KubeconfigError(`kubeconfig ${where}: cluster "${clusterName}" has no server`);
  try {
    new URL(server);
  } catch {
    throw new KubeconfigError(`kubeconfig ${where}: cluster "${clusterName}" has an invalid server URL "${server}"`);
  }
  const userName = str(context.body, 'user');
  const user = userName ? cfg.users.get(userName) : undefined;
  if (userName && !user) throw new KubeconfigError(`kubeconfig ${where}: user "${userName}" (of context "${contextName}") not found`);

  const conn: ClusterConnection = {
    server,
    namespace: str(context.body, 'namespace') || 'default',
    contextName,
    insecureSkipTLSVerify: cluster.body['insecure-skip-tls-verify'] === true,
    tlsServerName: str(cluster.body, 'tls-server-name'),
    ca: pem(cluster, 'certificate-authority-data', 'certificate-authority'),
  };
  if (user) {
    if (user.body['exec'] !== undefined || user.body['auth-provider'] !== undefined) {
      throw new KubeconfigError(`kubeconfig ${where}: user "${user.name}" uses exec/auth-provider credentials, which @k8ts/client does not support`);
    }
    conn.clientCertificate = pem(user, 'client-certificate-data', 'client-certificate');
    conn.clientKey = pem(user, 'client-key-data', 'client-key');
    if (Boolean(conn.clientCertificate) !== Boolean(conn.clientKey)) {
      throw new KubeconfigError(`kubeconfig ${where}: user "${user.name}" needs both a client certificate and a client key`);
    }
    conn.token = str(user.body, 'token');
    const tokenFile = str(user.body, 'tokenFile') ?? str(user.body, 'token-file');
    if (!conn.token && tokenFile) conn.tokenFile = absolute(user.dir, tokenFile);
  }
  return conn;
}

/** Inline base64 data wins over a file path, as in client-go. */
function pem(entry: Named, dataKey: string, fileKey: string): string | undefined {
  const data = str(entry.body, dataKey);
  if (data) return Buffer.from(data, 'base64').toString('utf8');
  const file = str(entry.body, fileKey);
  if (!file) return undefined;
  const path = absolute(entry.dir, file);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new KubeconfigError(`kubeconfig: cannot read ${fileKey} ${path} of "${entry.name}": ${err instanceof Error ? err.message : String(err)}`);
  }
}

const absolute = (dir: string, p: string): string => (isAbsolute(p) ? p : join(dir, p));

function str(doc: Doc, key: string): string | undefined {
  const v = doc[key];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function isDoc(v: unknown): v is Doc {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A connection from a URL and loose options: for tests and tools. */
export function connectionFromUrl(
  url: string,
  opts: { token?: string; ca?: string; insecureSkipTLSVerify?: boolean; namespace?: string; clientCertificate?: string; clientKey?: string } = {},
): ClusterConnection {
  new URL(url); // throws a clear TypeError on garbage
  return { server: url, namespace: opts.namespace ?? 'default', ...opts };
}

const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** The pod's own service account, as client-go's InClusterConfig: KUBERNETES_SERVICE_HOST/PORT plus the mounted token. */
export function inClusterConnection(env: NodeJS.ProcessEnv = process.env, dir = SERVICE_ACCOUNT_DIR): ClusterConnection {
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'];
  if (!host || !port) throw new KubeconfigError('not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set');
  const tokenFile = join(dir, 'token');
  if (!existsSync(tokenFile)) throw new KubeconfigError(`not running in a cluster: ${tokenFile} is missing`);
  const hostPart = host.includes(':') ? `[${host}]` : host;
  const nsFile = join(dir, 'namespace');
  const caFile = join(dir, 'ca.crt');
  return {
    server: `https://${hostPart}:${port}`,
    tokenFile,
    ca: existsSync(caFile) ? readFileSync(caFile, 'utf8') : undefined,
    namespace: existsSync(nsFile) ? readFileSync(nsFile, 'utf8').trim() || 'default' : 'default',
  };
}
