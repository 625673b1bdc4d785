// Runs the real kubectl against a throwaway fake apiserver, captures the protobuf request bodies its typed
// clients send, and checks what decodeKubernetesProtobuf makes of them.
import t, { type Test } from 'tap';
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import type { JsonObject } from '@k8ts/api-machinery';
import { decodeKubernetesProtobuf, hasKubernetesProtobufMagic, isKubernetesProtobuf } from '../../src/protobuf/index.js';
import { startFakeApiserver, type CapturedRequest, type FakeApiserver } from './helpers/fake-apiserver.js';

function onPath(cmd: string): boolean {
  return (process.env['PATH'] ?? '').split(delimiter).some((d) => {
    try {
      accessSync(join(d, cmd), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

// A throwaway self-signed P-256 pair for `create secret tls` (kubectl checks that the key matches the cert).
const TLS_CRT = `-----BEGIN CERTIFICATE-----
MIIBfjCCASWgAwIBAgIUeq6zNarPUAKv5CvjnEqTXOYPFhYwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJazh0cy50ZXN0MCAXDTI2MTEyMzIwMDgyOFoYDzIxMjYxMDMw
MjAwODI4WjAUMRIwEAYDVQQDDAlrOHRzLnRlc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQ9jOUZj65nrVFmzoLiDItnm1IAESfX+IATOqnwbiWPvHM++2zEaK8Q
Y9pJrNkovfmM1DHYLohxbtWcqthoyYcDo1MwUTAdBgNVHQ4EFgQU3+0ZvAw9HgNO
b1tsEumRBAkiXI0wHwYDVR0jBBgwFoAU3+0ZvAw9HgNOb1tsEumRBAkiXI0wDwYD
VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNHADBEAiAGPxgvZZAwOx9BXzJyWRtf
i1AdZ0Q9Z99CaIjB5SOiDQIgeQPwjWgBLxwlQHQYd/S6C43BQvK3HCK5E7uTDh47
a+0=
-----END CERTIFICATE-----
`;
const TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgkCS6Jt15kSfFGVvX
Eb3m+BgIffXCF6yzELSMkbgq2HahRANCAAQ9jOUZj65nrVFmzoLiDItnm1IAESfX
+IATOqnwbiWPvHM++2zEaK8QY9pJrNkovfmM1DHYLohxbtWcqthoyYcD
-----END PRIVATE KEY-----
`;
const b64 = (s: string | Uint8Array): string => Buffer.from(s).toString('base64');

interface Case {
  args: string[];
  /** Expected protobuf requests in order (DELETEs are sorted by path since drain runs them concurrently). */
  requests: { method: string; path: string; body: JsonObject }[];
  stdout?: RegExp;
  /** Objects to (re)create before running, e.g. the pods a drain deletes. */
  setup?: (server: FakeApiserver) => void;
}

const create = (path: string, body: JsonObject): Case['requests'][number] => ({ method: 'POST', path, body });
const ns = (res: string): string => `/api/v1/namespaces/default/${res}`;
const RBAC = 'rbac.authorization.k8s.io/v1';

function cases(dir: string): Case[] {
  return [
    {
      args: ['create', 'deployment', 'web', '--image=nginx:1.25', '--replicas=0', '--port=80'],
      requests: [
        create('/apis/apps/v1/namespaces/default/deployments', {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'web', labels: { app: 'web' } },
          spec: {
            replicas: 0, // *int32: a present zero is kept
            selector: { matchLabels: { app: 'web' } },
            template: {
              metadata: { labels: { app: 'web' } },
              // kubectl leaves protocol empty; the server defaults it to TCP.
              spec: { containers: [{ name: 'nginx', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] },
            },
          },
        }),
      ],
      stdout: /deployment.apps\/web created/,
    },
    {
      args: ['create', 'deployment', 'multi', '--image=nginx', '--image=redis:7', '-n', 'other'],
      requests: [
        create('/apis/apps/v1/namespaces/other/deployments', {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'multi', namespace: 'other', labels: { app: 'multi' } },
          spec: {
            replicas: 1,
            selector: { matchLabels: { app: 'multi' } },
            template: {
              metadata: { labels: { app: 'multi' } },
              spec: { containers: [{ name: 'nginx', image: 'nginx' }, { name: 'redis', image: 'redis:7' }] },
            },
          },
        }),
      ],
    },
    {
      args: ['create', 'namespace', 'ns1'],
      requests: [create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns1' } })],
      stdout: /namespace\/ns1 created/,
    },
    {
      args: ['create', 'namespace', 'dry', '--dry-run=server'],
      requests: [create('/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'dry' } })],
      stdout: /server dry run/,
    },
    {
      args: ['create', 'configmap', 'cm', '--from-literal=a=1', '--from-literal=empty=', `--from-file=bin=${join(dir, 'bin.dat')}`],
      requests: [
        create(ns('configmaps'), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: '1', empty: '' }, binaryData: { bin: 'AP/+Ymlu' } }),
      ],
    },
    {
      args: ['create', 'secret', 'generic', 's', '--from-literal=a=b', '--type=Opaque'],
      requests: [create(ns('secrets'), { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, data: { a: 'Yg==' }, type: 'Opaque' })],
    },
    {
      args: ['create', 'secret', 'tls', 't', `--cert=${join(dir, 'tls.crt')}`, `--key=${join(dir, 'tls.key')}`],
      requests: [
        create(ns('secrets'), {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 't' },
          data: { 'tls.crt': b64(TLS_CRT), 'tls.key': b64(TLS_KEY) },
          type: 'kubernetes.io/tls',
        }),
      ],
    },
    {
      args: ['create', 'secret', 'docker-registry', 'd', '--docker-server=r.example', '--docker-username=u', '--docker-password=p', '--docker-email=e@x.io'],
      requests: [
        create(ns('secrets'), {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'd' },
          data: { '.dockerconfigjson': b64(JSON.stringify({ auths: { 'r.example': { username: 'u', password: 'p', email: 'e@x.io', auth: b64('u:p') } } })) },
          type: 'kubernetes.io/dockerconfigjson',
        }),
      ],
    },
    {
      args: ['create', 'service', 'clusterip', 'c', '--tcp=80:8080', '--tcp=443:https'],
      requests: [
        create(ns('services'), {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'c', labels: { app: 'c' } },
          spec: {
            ports: [
              { name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080 },
              { name: '443-https', protocol: 'TCP', port: 443, targetPort: 'https' },
            ],
            selector: { app: 'c' },
            type: 'ClusterIP',
          },
        }),
      ],
    },
    {
      args: ['create', 'service', 'clusterip', 'h', '--clusterip=None'],
      requests: [
        create(ns('services'), { apiVersion: 'v1', kind: 'Service', metadata: { name: 'h', labels: { app: 'h' } }, spec: { selector: { app: 'h' }, clusterIP: 'None', type: 'ClusterIP' } }),
      ],
    },
    {
      args: ['create', 'service', 'nodeport', 'n', '--tcp=80:8080', '--node-port=30080'],
      requests: [
        create(ns('services'), {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'n', labels: { app: 'n' } },
          spec: { ports: [{ name: '80-8080', protocol: 'TCP', port: 80, targetPort: 8080, nodePort: 30080 }], selector: { app: 'n' }, type: 'NodePort' },
        }),
      ],
    },
    {
      args: ['create', 'service', 'loadbalancer', 'lb', '--tcp=443:8443'],
      requests: [
        create(ns('services'), {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'lb', labels: { app: 'lb' } },
          spec: { ports: [{ name: '443-8443', protocol: 'TCP', port: 443, targetPort: 8443 }], selector: { app: 'lb' }, type: 'LoadBalancer' },
        }),
      ],
    },
    {
      args: ['create', 'service', 'externalname', 'e', '--external-name=example.com'],
      requests: [
        create(ns('services'), {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'e', labels: { app: 'e' } },
          spec: { selector: { app: 'e' }, type: 'ExternalName', externalName: 'example.com' },
        }),
      ],
    },
    {
      args: ['create', 'serviceaccount', 'sa'],
      requests: [create(ns('serviceaccounts'), { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa' } })],
    },
    {
      args: ['create', 'job', 'j', '--image=busybox', '--', 'echo', 'hi'],
      requests: [
        create('/apis/batch/v1/namespaces/default/jobs', {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: { name: 'j' },
          spec: { template: { spec: { containers: [{ name: 'j', image: 'busybox', command: ['echo', 'hi'] }], restartPolicy: 'Never' } } },
        }),
      ],
    },
    {
      args: ['create', 'cronjob', 'cj', '--image=busybox', '--schedule=*/5 * * * *', '--restart=OnFailure', '--', 'date'],
      requests: [
        create('/apis/batch/v1/namespaces/default/cronjobs', {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata: { name: 'cj' },
          spec: {
            schedule: '*/5 * * * *',
            jobTemplate: {
              metadata: { name: 'cj' },
              spec: { template: { spec: { containers: [{ name: 'cj', image: 'busybox', command: ['date'] }], restartPolicy: 'OnFailure' } } },
            },
          },
        }),
      ],
    },
    {
      args: ['create', 'role', 'r', '--verb=get,list', '--resource=pods,deployments.apps,deployments/scale', '--resource-name=x'],
      requests: [
        create(`/apis/${RBAC}/namespaces/default/roles`, {
          apiVersion: RBAC,
          kind: 'Role',
          metadata: { name: 'r' },
          rules: [
            { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'], resourceNames: ['x'] },
            { verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments', 'deployments/scale'], resourceNames: ['x'] },
          ],
        }),
      ],
    },
    {
      args: ['create', 'clusterrole', 'cr', '--verb=get', '--non-resource-url=/logs/*'],
      requests: [create(`/apis/${RBAC}/clusterroles`, { apiVersion: RBAC, kind: 'ClusterRole', metadata: { name: 'cr' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/logs/*'] }] })],
    },
    {
      args: ['create', 'clusterrole', 'agg', '--aggregation-rule=rbac.example.com/aggregate=true'],
      requests: [
        create(`/apis/${RBAC}/clusterroles`, {
          apiVersion: RBAC,
          kind: 'ClusterRole',
          metadata: { name: 'agg' },
          aggregationRule: { clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate': 'true' } }] },
        }),
      ],
    },
    {
      args: ['create', 'rolebinding', 'rb', '--role=r', '--user=alice', '--group=devs', '--serviceaccount=default:sa'],
      requests: [
        create(`/apis/${RBAC}/namespaces/default/rolebindings`, {
          apiVersion: RBAC,
          kind: 'RoleBinding',
          metadata: { name: 'rb' },
          subjects: [
            { kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'alice' },
            { kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: 'devs' },
            { kind: 'ServiceAccount', name: 'sa', namespace: 'default' },
          ],
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' },
        }),
      ],
    },
    {
      args: ['create', 'clusterrolebinding', 'crb', '--clusterrole=cr', '--user=bob'],
      requests: [
        create(`/apis/${RBAC}/clusterrolebindings`, {
          apiVersion: RBAC,
          kind: 'ClusterRoleBinding',
          metadata: { name: 'crb' },
          subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'bob' }],
          roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cr' },
        }),
      ],
    },
    {
      args: ['create', 'ingress', 'ing', '--class=nginx', '--rule=foo.com/bar*=svc1:8080,tls=my-cert', '--rule=/x=svc2:http', '--default-backend=defsvc:80', '--annotation=a=b'],
      requests: [
        create('/apis/networking.k8s.io/v1/namespaces/default/ingresses', {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'Ingress',
          metadata: { name: 'ing', annotations: { a: 'b' } },
          spec: {
            defaultBackend: { service: { name: 'defsvc', port: { number: 80 } } },
            tls: [{ hosts: ['foo.com'], secretName: 'my-cert' }],
            rules: [
              { host: 'foo.com', http: { paths: [{ path: '/bar', backend: { service: { name: 'svc1', port: { number: 8080 } } }, pathType: 'Prefix' }] } },
              { http: { paths: [{ path: '/x', backend: { service: { name: 'svc2', port: { name: 'http' } } }, pathType: 'Exact' }] } },
            ],
            ingressClassName: 'nginx',
          },
        }),
      ],
    },
    {
      args: ['create', 'quota', 'q', '--hard=cpu=1,memory=1G,pods=2', '--scopes=BestEffort'],
      requests: [create(ns('resourcequotas'), { apiVersion: 'v1', kind: 'ResourceQuota', metadata: { name: 'q' }, spec: { hard: { cpu: '1', memory: '1G', pods: '2' }, scopes: ['BestEffort'] } })],
    },
    {
      args: ['create', 'poddisruptionbudget', 'pdb', '--selector=app=web', '--min-available=0'],
      requests: [
        create('/apis/policy/v1/namespaces/default/poddisruptionbudgets', {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name: 'pdb' },
          spec: { minAvailable: 0, selector: { matchLabels: { app: 'web' } } }, // *IntOrString zero kept
        }),
      ],
    },
    {
      args: ['create', 'poddisruptionbudget', 'pdb2', '--selector=app=web', '--max-unavailable=50%'],
      requests: [
        create('/apis/policy/v1/namespaces/default/poddisruptionbudgets', {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name: 'pdb2' },
          spec: { selector: { matchLabels: { app: 'web' } }, maxUnavailable: '50%' },
        }),
      ],
    },
    {
      args: ['create', 'priorityclass', 'pc', '--value=1000', '--description=high', '--preemption-policy=Never', '--global-default'],
      requests: [
        create('/apis/scheduling.k8s.io/v1/priorityclasses', {
          apiVersion: 'scheduling.k8s.io/v1',
          kind: 'PriorityClass',
          metadata: { name: 'pc' },
          value: 1000,
          globalDefault: true,
          description: 'high',
          preemptionPolicy: 'Never',
        }),
      ],
    },
    {
      args: ['auth', 'can-i', 'create', 'pods'],
      requests: [
        create('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes: { namespace: 'default', verb: 'create', resource: 'pods' } },
        }),
      ],
      stdout: /^yes$/m,
    },
    {
      args: ['auth', 'can-i', 'list', 'deployments.apps', '-n', 'kube-system', '--subresource=scale'],
      requests: [
        create('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes: { namespace: 'kube-system', verb: 'list', group: 'apps', resource: 'deployments', subresource: 'scale' } },
        }),
      ],
    },
    {
      args: ['auth', 'can-i', 'get', '/logs'],
      requests: [
        create('/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { nonResourceAttributes: { path: '/logs', verb: 'get' } },
        }),
      ],
    },
    {
      args: ['auth', 'can-i', '--list'],
      requests: [
        create('/apis/authorization.k8s.io/v1/selfsubjectrulesreviews', { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectRulesReview', spec: { namespace: 'default' } }),
      ],
      stdout: /pods/,
    },
    {
      args: ['create', 'token', 'sa', '--duration=10m', '--audience=api'],
      requests: [create(ns('serviceaccounts/sa/token'), { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { audiences: ['api'], expirationSeconds: 600 } })],
      stdout: /fake-token/,
    },
    {
      args: ['autoscale', 'deployment', 'web', '--min=2', '--max=5', '--cpu-percent=80'],
      requests: [
        create('/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers', {
          apiVersion: 'autoscaling/v1',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name: 'web' },
          spec: { scaleTargetRef: { kind: 'Deployment', name: 'web', apiVersion: 'apps/v1' }, minReplicas: 2, maxReplicas: 5, targetCPUUtilizationPercentage: 80 },
        }),
      ],
    },
    // Typed DELETEs: drain without the eviction API deletes pods with a protobuf DeleteOptions body.
    {
      args: ['drain', 'n1', '--disable-eviction', '--grace-period=0', '--dry-run=server'],
      setup: seedPods,
      requests: ['p1', 'p2'].map((p) => ({
        method: 'DELETE',
        path: ns(`pods/${p}`),
        body: { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 0, dryRun: ['All'] }, // *int64 zero kept
      })),
    },
    {
      args: ['drain', 'n1', '--disable-eviction', '--grace-period=7', '--timeout=20s'],
      setup: seedPods,
      requests: ['p1', 'p2'].map((p) => ({ method: 'DELETE', path: ns(`pods/${p}`), body: { apiVersion: 'v1', kind: 'DeleteOptions', gracePeriodSeconds: 7 } })),
      stdout: /node\/n1 drained/,
    },
  ];
}

function seedPods(server: FakeApiserver): void {
  for (const p of ['p1', 'p2']) {
    server.objects.set(ns(`pods/${p}`), {
      kind: 'Pod',
      apiVersion: 'v1',
      metadata: { name: p, namespace: 'default', uid: `u-${p}`, resourceVersion: '1', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u-rs', controller: true }] },
      spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x' }] },
      status: { phase: 'Running' },
    });
  }
}

function seed(server: FakeApiserver): void {
  server.objects.set('/api/v1/nodes/n1', { kind: 'Node', apiVersion: 'v1', metadata: { name: 'n1', uid: 'u-n1', resourceVersion: '1' }, spec: {}, status: {} });
  server.objects.set('/apis/apps/v1/namespaces/default/deployments/web', {
    kind: 'Deployment',
    apiVersion: 'apps/v1',
    metadata: { name: 'web', namespace: 'default', uid: 'u-web', resourceVersion: '1' },
    spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
  });
}

function runKubectl(server: FakeApiserver, cacheDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', server.kubeconfig, '--cache-dir', cacheDir, ...args], { timeout: 20_000, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function check(t: Test, server: FakeApiserver, cacheDir: string, c: Case): Promise<void> {
  c.setup?.(server);
  const before = server.captured.length;
  const res = await runKubectl(server, cacheDir, c.args);
  t.equal(res.code, 0, `exit code (stderr: ${res.stderr.trim()})`);
  if (c.stdout) t.match(res.stdout, c.stdout, 'output');
  const got = server.captured
    .slice(before)
    .filter((r: CapturedRequest) => r.method !== 'PATCH')
    .sort((a, b) => (a.method === 'DELETE' && b.method === 'DELETE' ? a.path.localeCompare(b.path) : 0));
  t.equal(got.length, c.requests.length, 'number of body-carrying requests');
  c.requests.forEach((want, i) => {
    const r = got[i];
    if (!r) return;
    t.equal(`${r.method} ${r.path}`, `${want.method} ${want.path}`);
    t.ok(isKubernetesProtobuf(r.contentType), `protobuf content type (${r.contentType})`);
    t.ok(hasKubernetesProtobufMagic(r.body), 'k8s\\0 magic');
    t.strictSame(decodeKubernetesProtobuf(r.body), want.body, 'decoded body');
  });
}

if (!onPath('kubectl')) {
  if (process.env['CI'] === 'true') t.fail('kubectl must be on PATH under CI');
  else t.plan(0, 'kubectl not on PATH');
} else {
  const server = await startFakeApiserver();
  t.teardown(() => server.close());
  await writeFile(join(server.dir, 'tls.crt'), TLS_CRT);
  await writeFile(join(server.dir, 'tls.key'), TLS_KEY);
  await writeFile(join(server.dir, 'bin.dat'), Uint8Array.of(0x00, 0xff, 0xfe, 0x62, 0x69, 0x6e));
  seed(server);

  // kubectl 1.32 (what our server reports) sends protobuf from its typed clients.
  for (const c of cases(server.dir)) {
    await t.test(`kubectl ${c.args.join(' ')}`, (t) => check(t, server, server.cacheDir, c));
  }

  // kubectl 1.33 too (1.27–1.31 send JSON). The dispatcher caches its version pick in the cache dir, hence a new one.
  await t.test('kubectl 1.33', async (t) => {
    server.minor = '33';
    seed(server);
    const cache33 = join(server.dir, 'cache-33');
    const wanted = ['create deployment web', 'create secret generic s', 'create service nodeport n', 'auth can-i create pods', 'drain n1 --disable-eviction --grace-period=0'];
    for (const c of cases(server.dir).filter((c) => wanted.some((w) => c.args.join(' ').startsWith(w)))) {
      await t.test(`kubectl ${c.args.join(' ')}`, (t) => check(t, server, cache33, c));
    }
    const ua = server.captured.at(-1)?.userAgent ?? '';
    t.match(ua, /^kubectl\/v1\.33\./, 'the 1.33 binary ran');
  });
}
