import t from 'tap';
import type { corev1 } from '@k8ts/api-machinery';
import {
  containerResourceValue,
  EnvResolutionError,
  expand,
  expandCommand,
  expandSubPathExpr,
  formatMap,
  resolveEnv,
  serviceEnvVars,
  toDockerEnv,
  type EnvInput,
} from '../../src/pods/env.js';

const b64 = (s: string): string => Buffer.from(s).toString('base64');

function pod(container: corev1.Container, spec: Partial<corev1.PodSpec> = {}): corev1.Pod {
  return {
    metadata: { name: 'p', namespace: 'ns', uid: 'uid-1', labels: { app: 'web', tier: 'front' }, annotations: { 'example.com/a': 'x"y' } },
    spec: { nodeName: 'node-1', serviceAccountName: 'sa', containers: [container], ...spec },
  };
}

const configMaps: Record<string, corev1.ConfigMap> = {
  cfg: { metadata: { name: 'cfg', namespace: 'ns' }, data: { color: 'blue', 'bad key': 'x', '1abc': 'y', mode: 'fast' } },
};
const secrets: Record<string, corev1.Secret> = {
  creds: { metadata: { name: 'creds', namespace: 'ns' }, data: { password: b64('s3cret'), user: b64('admin') } },
};
const services: corev1.Service[] = [
  { metadata: { name: 'kubernetes', namespace: 'default' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] } },
  { metadata: { name: 'my-db', namespace: 'ns' }, spec: { clusterIP: '10.96.0.20', ports: [{ name: 'sql', port: 5432 }, { name: 'metrics', port: 9187, protocol: 'UDP' }] } },
  { metadata: { name: 'headless', namespace: 'ns' }, spec: { clusterIP: 'None', ports: [{ port: 80 }] } },
  { metadata: { name: 'elsewhere', namespace: 'other' }, spec: { clusterIP: '10.96.0.30', ports: [{ port: 80 }] } },
];

function input(p: corev1.Pod, over: Partial<EnvInput> = {}): EnvInput {
  return {
    pod: p,
    container: p.spec!.containers[0]!,
    configMaps: (ns, name) => (ns === 'ns' ? configMaps[name] : undefined),
    secrets: async (ns, name) => (ns === 'ns' ? secrets[name] : undefined),
    services,
    podIP: '10.244.1.5',
    hostIP: '172.18.0.2',
    nodeAllocatable: { cpu: '2', memory: '4Gi', 'ephemeral-storage': '10Gi' },
    ...over,
  };
}

const asMap = (env: Array<{ name: string; value: string }>): Record<string, string> => Object.fromEntries(env.map((e) => [e.name, e.value]));

t.test('$(VAR) expansion rules', async (t) => {
  const vars: Record<string, string> = { A: 'a', B: 'b' };
  const lookup = (n: string): string | undefined => vars[n];
  t.equal(expand('$(A)-$(B)', lookup), 'a-b');
  t.equal(expand('$$(A)', lookup), '$(A)', '$$ escapes');
  t.equal(expand('$(MISSING)', lookup), '$(MISSING)', 'unresolvable stays verbatim');
  t.equal(expand('$(A', lookup), '$(A', 'unterminated stays verbatim');
  t.equal(expand('a$', lookup), 'a$');
  t.equal(expand('$x$(A)', lookup), '$xa');
  t.equal(expand('$$$$', lookup), '$$');
  t.equal(expand('', lookup), '');
});

t.test('env values expand against earlier vars and the service env, valueFrom is not expanded', async (t) => {
  const p = pod({
    name: 'app', image: 'busybox:1.36',
    env: [
      { name: 'FIRST', value: 'one' },
      { name: 'SECOND', value: '$(FIRST)-two-$(LATER)' },
      { name: 'LATER', value: 'later' },
      { name: 'ESCAPED', value: '$$(FIRST)' },
      { name: 'SVC', value: 'http://$(MY_DB_SERVICE_HOST):$(MY_DB_SERVICE_PORT)' },
      { name: 'FROMCM', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'color' } } },
      { name: 'FROMSECRET', valueFrom: { secretKeyRef: { name: 'creds', key: 'password' } } },
      { name: 'OPTMISSING', valueFrom: { configMapKeyRef: { name: 'nope', key: 'x', optional: true } } },
      { name: 'OPTKEY', valueFrom: { secretKeyRef: { name: 'creds', key: 'nokey', optional: true } } },
      { name: 'EMPTY' },
    ],
  });
  const { env } = await resolveEnv(input(p));
  const m = asMap(env);
  t.equal(m.SECOND, 'one-two-$(LATER)', 'later vars are not visible');
  t.equal(m.ESCAPED, '$(FIRST)');
  t.equal(m.SVC, 'http://10.96.0.20:5432');
  t.equal(m.FROMCM, 'blue');
  t.equal(m.FROMSECRET, 's3cret');
  t.notOk('OPTMISSING' in m);
  t.notOk('OPTKEY' in m);
  t.equal(m.EMPTY, '');
  t.same(env.slice(0, 3).map((e) => e.name), ['FIRST', 'SECOND', 'LATER'], 'definition order kept');
  t.ok(toDockerEnv(env).includes('FROMCM=blue'));
});

t.test('missing non-optional sources fail with Kubernetes messages', async (t) => {
  const cases: Array<[corev1.EnvVar, string]> = [
    [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'nokey' } } }, "couldn't find key nokey in ConfigMap ns/cfg"],
    [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }, 'configmap "nope" not found'],
    [{ name: 'X', valueFrom: { secretKeyRef: { name: 'creds', key: 'nokey' } } }, "couldn't find key nokey in Secret ns/creds"],
    [{ name: 'X', valueFrom: { secretKeyRef: { name: 'nope', key: 'k' } } }, 'secret "nope" not found'],
  ];
  for (const [variable, message] of cases) {
    const p = pod({ name: 'app', image: 'busybox:1.36', env: [variable] });
    await t.rejects(resolveEnv(input(p)), new EnvResolutionError(message), message);
  }
  const fromMissing = pod({ name: 'app', image: 'busybox:1.36', envFrom: [{ configMapRef: { name: 'nope' } }] });
  await t.rejects(resolveEnv(input(fromMissing)), { message: 'configmap "nope" not found', reason: 'CreateContainerConfigError' });
});

t.test('every fieldRef', async (t) => {
  const fields = ['metadata.name', 'metadata.namespace', 'metadata.uid', "metadata.labels['app']", "metadata.annotations['example.com/a']",
    "metadata.labels['missing']", 'spec.nodeName', 'spec.serviceAccountName', 'status.hostIP', 'status.podIP', 'status.podIPs'];
  const p = pod({ name: 'app', image: 'busybox:1.36', env: fields.map((f, i) => ({ name: `F${i}`, valueFrom: { fieldRef: { fieldPath: f } } })) });
  const m = asMap((await resolveEnv(input(p, { podIPs: ['10.244.1.5', 'fd00::5'] }))).env);
  t.same(fields.map((_, i) => m[`F${i}`]), ['p', 'ns', 'uid-1', 'web', 'x"y', '', 'node-1', 'sa', '172.18.0.2', '10.244.1.5', '10.244.1.5,fd00::5']);
  const bad = pod({ name: 'app', image: 'busybox:1.36', env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'spec.bogus' } } }] });
  await t.rejects(resolveEnv(input(bad)), { message: 'unsupported fieldPath: spec.bogus' });
  t.equal(formatMap({ b: 'two', a: 'line\n"q"' }), 'a="line\\n\\"q\\""\nb="two"');
});

t.test('resourceFieldRef: divisors, cpu rounded up, allocatable when no limit', async (t) => {
  const c: corev1.Container = { name: 'app', image: 'x', resources: { limits: { cpu: '250m', memory: '64Mi' }, requests: { cpu: '100m', memory: '32Mi' } } };
  const alloc = { cpu: '2', memory: '4Gi', 'ephemeral-storage': '10Gi' };
  t.equal(containerResourceValue(c, 'limits.cpu', undefined, alloc), '1', '250m rounds up to 1 core');
  t.equal(containerResourceValue(c, 'limits.cpu', '1m', alloc), '250');
  t.equal(containerResourceValue(c, 'requests.cpu', '1m', alloc), '100');
  t.equal(containerResourceValue(c, 'limits.memory', undefined, alloc), String(64 * 1024 * 1024));
  t.equal(containerResourceValue(c, 'limits.memory', '1Mi', alloc), '64');
  t.equal(containerResourceValue(c, 'requests.memory', '1M', alloc), '34', '32Mi = 33.55 MB rounds up');
  t.equal(containerResourceValue(c, 'limits.ephemeral-storage', '1Gi', alloc), '10', 'no limit: allocatable');
  const none: corev1.Container = { name: 'b', image: 'x' };
  t.equal(containerResourceValue(none, 'limits.cpu', undefined, alloc), '2');
  t.equal(containerResourceValue(none, 'requests.cpu', undefined, alloc), '0');
  t.throws(() => containerResourceValue(none, 'limits.gpu', undefined, alloc), { message: 'unsupported container resource : limits.gpu' });
  const p = pod({ ...c, env: [{ name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } }] });
  t.equal(asMap((await resolveEnv(input(p))).env).MEM, '64');
});

t.test('envFrom with prefixes; invalid keys skipped with a warning; env wins', async (t) => {
  const p = pod({
    name: 'app', image: 'busybox:1.36',
    envFrom: [{ configMapRef: { name: 'cfg' } }, { prefix: 'S_', secretRef: { name: 'creds' } }, { secretRef: { name: 'nope', optional: true } }],
    env: [{ name: 'color', value: 'red' }],
  });
  const { env, warnings } = await resolveEnv(input(p));
  const m = asMap(env);
  t.equal(m.color, 'red');
  t.equal(m.mode, 'fast');
  t.equal(m.S_password, 's3cret');
  t.notOk('bad key' in m);
  t.notOk('1abc' in m);
  t.same(warnings, [{ reason: 'InvalidEnvironmentVariableNames', message: 'Keys [1abc, bad key] from the EnvFrom configMap ns/cfg were skipped since they are considered invalid environment variable names.' }]);
});

t.test('service links: namespace services, kubernetes always, headless and other namespaces never', async (t) => {
  const m = asMap((await resolveEnv(input(pod({ name: 'app', image: 'x' })))).env);
  t.equal(m.KUBERNETES_SERVICE_HOST, '10.96.0.1');
  t.equal(m.KUBERNETES_SERVICE_PORT, '443');
  t.equal(m.KUBERNETES_SERVICE_PORT_HTTPS, '443');
  t.equal(m.KUBERNETES_PORT, 'tcp://10.96.0.1:443');
  t.equal(m.KUBERNETES_PORT_443_TCP_ADDR, '10.96.0.1');
  t.equal(m.MY_DB_SERVICE_HOST, '10.96.0.20');
  t.equal(m.MY_DB_SERVICE_PORT_METRICS, '9187');
  t.equal(m.MY_DB_PORT_9187_UDP, 'udp://10.96.0.20:9187');
  t.equal(m.MY_DB_PORT_9187_UDP_PROTO, 'udp');
  t.equal(m.MY_DB_PORT_5432_TCP_PORT, '5432');
  t.notOk('HEADLESS_SERVICE_HOST' in m);
  t.notOk('ELSEWHERE_SERVICE_HOST' in m);
  const off = asMap((await resolveEnv(input(pod({ name: 'app', image: 'x' }, { enableServiceLinks: false })))).env);
  t.equal(off.KUBERNETES_SERVICE_HOST, '10.96.0.1');
  t.notOk('MY_DB_SERVICE_HOST' in off);
  t.same(serviceEnvVars([services[1]!]).map((e) => e.name).slice(0, 4), ['MY_DB_SERVICE_HOST', 'MY_DB_SERVICE_PORT', 'MY_DB_SERVICE_PORT_SQL', 'MY_DB_SERVICE_PORT_METRICS']);
});

t.test('command/args and subPathExpr expansion', async (t) => {
  const env = [{ name: 'NAME', value: 'world' }, { name: 'EMPTY', value: '' }];
  t.same(expandCommand(['echo', 'hello $(NAME)', '$$(NAME)', '$(NOPE)'], env), ['echo', 'hello world', '$(NAME)', '$(NOPE)']);
  t.same(expandCommand(undefined, env), []);
  t.equal(expandSubPathExpr('logs/$(NAME)', env), 'logs/world');
  t.throws(() => expandSubPathExpr('$(EMPTY)/$(NOPE)', env), { message: 'missing value for EMPTY, NOPE' });
});
