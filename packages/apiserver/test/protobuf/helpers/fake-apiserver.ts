// A throwaway HTTP server that looks just enough like an apiserver for kubectl's typed clients to send their
// protobuf bodies: /version (minor 32), legacy discovery, echoing creates, a few canned objects and deletes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JsonObject } from '@k8ts/api-machinery';
import { decodeKubernetesProtobuf, isKubernetesProtobuf } from '../../../src/protobuf/index.js';

export interface CapturedRequest {
  method: string;
  path: string;
  query: string;
  contentType: string;
  userAgent: string;
  body: Buffer;
}

interface Res {
  name: string;
  kind: string;
  namespaced: boolean;
  verbs?: string[];
  group?: string;
  version?: string;
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const r = (name: string, kind: string, namespaced: boolean, extra: Partial<Res> = {}): Res => ({ name, kind, namespaced, ...extra });

/** group version → resources; only what the commands under test resolve. */
const DISCOVERY: Record<string, Res[]> = {
  v1: [
    r('namespaces', 'Namespace', false), r('configmaps', 'ConfigMap', true), r('secrets', 'Secret', true),
    r('services', 'Service', true), r('serviceaccounts', 'ServiceAccount', true),
    r('serviceaccounts/token', 'TokenRequest', true, { verbs: ['create'], group: 'authentication.k8s.io', version: 'v1' }),
    r('resourcequotas', 'ResourceQuota', true), r('pods', 'Pod', true),
    r('pods/eviction', 'Eviction', true, { verbs: ['create'], group: 'policy', version: 'v1' }),
    r('nodes', 'Node', false),
  ],
  'apps/v1': [
    r('deployments', 'Deployment', true),
    r('deployments/scale', 'Scale', true, { verbs: ['get', 'patch', 'update'], group: 'autoscaling', version: 'v1' }),
  ],
  'batch/v1': [r('jobs', 'Job', true), r('cronjobs', 'CronJob', true)],
  'rbac.authorization.k8s.io/v1': [
    r('roles', 'Role', true), r('clusterroles', 'ClusterRole', false),
    r('rolebindings', 'RoleBinding', true), r('clusterrolebindings', 'ClusterRoleBinding', false),
  ],
  'networking.k8s.io/v1': [r('ingresses', 'Ingress', true), r('ingressclasses', 'IngressClass', false)],
  'policy/v1': [r('poddisruptionbudgets', 'PodDisruptionBudget', true)],
  'scheduling.k8s.io/v1': [r('priorityclasses', 'PriorityClass', false)],
  'authorization.k8s.io/v1': [
    r('selfsubjectaccessreviews', 'SelfSubjectAccessReview', false, { verbs: ['create'] }),
    r('selfsubjectrulesreviews', 'SelfSubjectRulesReview', true, { verbs: ['create'] }),
  ],
  'autoscaling/v2': [r('horizontalpodautoscalers', 'HorizontalPodAutoscaler', true)],
  'autoscaling/v1': [r('horizontalpodautoscalers', 'HorizontalPodAutoscaler', true)],
};

function resourceList(gv: string): JsonObject {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: gv,
    resources: DISCOVERY[gv]!.map((x) => {
      const e: JsonObject = {
        name: x.name,
        singularName: x.name.includes('/') ? '' : x.kind.toLowerCase(),
        namespaced: x.namespaced,
        kind: x.kind,
        verbs: x.verbs ?? CRUD,
      };
      if (x.group !== undefined) e['group'] = x.group;
      if (x.version !== undefined) e['version'] = x.version;
      return e;
    }),
  };
}

function groupList(): JsonObject {
  const groups = new Map<string, string[]>();
  for (const gv of Object.keys(DISCOVERY)) {
    if (!gv.includes('/')) continue;
    const [g, v] = gv.split('/') as [string, string];
    groups.set(g, [...(groups.get(g) ?? []), v]);
  }
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...groups].map(([name, versions]) => ({
      name,
      versions: versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0]! },
    })),
  };
}

export interface FakeApiserver {
  url: string;
  dir: string;
  kubeconfig: string;
  cacheDir: string;
  captured: CapturedRequest[];
  /** Objects answered to GET (JSON), keyed by path. DELETE removes them. */
  objects: Map<string, JsonObject>;
  /** The `minor` /version reports; the kubectl dispatcher on PATH runs the matching kubectl.1.<minor>. */
  minor: string;
  close(): Promise<void>;
}

function send(res: ServerResponse, code: number, body: JsonObject): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function notFound(res: ServerResponse, path: string): void {
  send(res, 404, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: `${path} not found`, reason: 'NotFound', code: 404 });
}

/** Echo a created object the way a real server would answer: JSON, with server-set metadata and a status. */
function echo(obj: JsonObject, path: string): JsonObject {
  const meta = typeof obj['metadata'] === 'object' && obj['metadata'] !== null && !Array.isArray(obj['metadata']) ? obj['metadata'] : {};
  const out: JsonObject = { ...obj, metadata: { ...meta, uid: '00000000-0000-0000-0000-000000000001', resourceVersion: '1', creationTimestamp: '2024-01-02T03:04:05Z' } };
  if (obj['kind'] === 'SelfSubjectAccessReview') out['status'] = { allowed: true };
  if (obj['kind'] === 'SelfSubjectRulesReview') {
    out['status'] = { resourceRules: [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], nonResourceRules: [], incomplete: false };
  }
  if (obj['kind'] === 'TokenRequest') out['status'] = { token: 'fake-token', expirationTimestamp: '2030-01-01T00:00:00Z' };
  if (obj['kind'] === 'Eviction') return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201, details: { name: path } };
  return out;
}

export async function startFakeApiserver(): Promise<FakeApiserver> {
  const dir = await mkdtemp(join(tmpdir(), 'k8ts-pb-'));
  const captured: CapturedRequest[] = [];
  const objects = new Map<string, JsonObject>();

  const state = { minor: '32' };
  const handle = (req: IncomingMessage, body: Buffer, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (method !== 'GET') {
      captured.push({ method, path, query: url.search, contentType: String(req.headers['content-type'] ?? ''), userAgent: String(req.headers['user-agent'] ?? ''), body });
    }
    if (method === 'GET') {
      if (path === '/version') {
        send(res, 200, { major: '1', minor: state.minor, gitVersion: `v1.${state.minor}.0`, gitCommit: 'k8ts', gitTreeState: 'clean', buildDate: '2024-01-01T00:00:00Z', goVersion: 'go1.23', compiler: 'gc', platform: 'linux/amd64' });
      } else if (path === '/api') {
        send(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
      } else if (path === '/apis') {
        send(res, 200, groupList());
      } else if (path === '/api/v1') {
        send(res, 200, resourceList('v1'));
      } else if (path.startsWith('/apis/') && DISCOVERY[path.slice(6)]) {
        send(res, 200, resourceList(path.slice(6)));
      } else if (objects.has(path)) {
        send(res, 200, objects.get(path)!);
      } else if (path === '/api/v1/pods' || path === '/api/v1/namespaces/default/pods') {
        const items = [...objects].filter(([p]) => p.startsWith('/api/v1/namespaces/') && p.includes('/pods/')).map(([, o]) => o);
        send(res, 200, { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items });
      } else notFound(res, path);
      return;
    }
    // Deletes always delete (even dry-run ones): kubectl drain waits for the pods to disappear either way.
    const dryRun = url.searchParams.get('dryRun') === 'All';
    if (method === 'DELETE') {
      const existed = objects.delete(path);
      if (!existed) return notFound(res, path);
      send(res, 200, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: path.split('/').pop()! } });
      return;
    }
    if (method === 'PATCH') {
      const obj = objects.get(path);
      if (!obj) return notFound(res, path);
      send(res, 200, obj);
      return;
    }
    // POST / PUT: echo what we understood.
    let obj: JsonObject;
    try {
      obj = isKubernetesProtobuf(req.headers['content-type']) ? decodeKubernetesProtobuf(body) : (JSON.parse(body.toString('utf8')) as JsonObject);
    } catch (e) {
      send(res, 400, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: String(e), reason: 'BadRequest', code: 400 });
      return;
    }
    // An eviction removes its pod, so drain's wait for deletion ends.
    if (path.endsWith('/eviction') && !dryRun) objects.delete(path.slice(0, -'/eviction'.length));
    send(res, method === 'POST' ? 201 : 200, echo(obj, path));
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, Buffer.concat(chunks), res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: fake',
      '  cluster:',
      `    server: ${url}`,
      'users:',
      '- name: fake',
      '  user:',
      '    token: fake-token',
      'contexts:',
      '- name: fake',
      '  context:',
      '    cluster: fake',
      '    user: fake',
      '    namespace: default',
      'current-context: fake',
      '',
    ].join('\n'),
  );
  return {
    get minor() {
      return state.minor;
    },
    set minor(m: string) {
      state.minor = m;
    },
    url,
    dir,
    kubeconfig,
    cacheDir: join(dir, 'cache'),
    captured,
    objects,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await rm(dir, { recursive: true, force: true });
    },
  };
}
