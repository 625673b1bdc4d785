import t from 'tap';
import {
  KUBERNETES_PROTOBUF,
  ProtobufDecodeError,
  decodeKubernetesProtobuf,
  decodeProtobufMessage,
  formatGoDuration,
  hasKubernetesProtobufMagic,
  isKubernetesProtobuf,
  supportedProtobufKinds,
  validateDescriptors,
} from '../../src/protobuf/index.js';
import { bytes, concat, entry, envelope, fixed32, key, msg, str, varint, varintBytes } from './helpers/pb-writer.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
// ObjectMeta as gogo writes it for a fresh object: every non-pointer field, zero or not, and creationTimestamp {}.
const objectMeta = (name: string, ...more: Uint8Array[]): Uint8Array =>
  msg(1, str(1, name), str(2, ''), str(3, ''), str(4, ''), str(5, ''), str(6, ''), varint(7, 0), msg(8), ...more);

t.test('descriptor table parses and covers the kinds kubectl sends', async (t) => {
  t.ok(validateDescriptors() > 200);
  const kinds = supportedProtobufKinds();
  for (const k of [
    'apps/v1 Deployment', 'v1 Namespace', 'v1 ConfigMap', 'v1 Secret', 'v1 Service', 'v1 ServiceAccount', 'v1 ResourceQuota',
    'batch/v1 Job', 'batch/v1 CronJob', 'rbac.authorization.k8s.io/v1 Role', 'rbac.authorization.k8s.io/v1 ClusterRole',
    'rbac.authorization.k8s.io/v1 RoleBinding', 'rbac.authorization.k8s.io/v1 ClusterRoleBinding', 'networking.k8s.io/v1 Ingress',
    'policy/v1 PodDisruptionBudget', 'policy/v1 Eviction', 'scheduling.k8s.io/v1 PriorityClass',
    'authorization.k8s.io/v1 SelfSubjectAccessReview', 'authorization.k8s.io/v1 SelfSubjectRulesReview',
    'authentication.k8s.io/v1 TokenRequest', 'autoscaling/v1 HorizontalPodAutoscaler',
  ]) {
    t.ok(kinds.includes(k), k);
  }
});

t.test('content type helpers', async (t) => {
  t.equal(KUBERNETES_PROTOBUF, 'application/vnd.kubernetes.protobuf');
  t.ok(isKubernetesProtobuf('application/vnd.kubernetes.protobuf'));
  t.ok(isKubernetesProtobuf('Application/Vnd.Kubernetes.Protobuf; charset=binary'));
  t.notOk(isKubernetesProtobuf('application/json'));
  t.notOk(isKubernetesProtobuf(undefined));
  t.ok(hasKubernetesProtobufMagic(utf8('k8s\0rest')));
  t.notOk(hasKubernetesProtobufMagic(utf8('{"k8s":1}')));
});

t.test('envelope', async (t) => {
  const ns = envelope('v1', 'Namespace', concat(objectMeta('ns1'), msg(2), msg(3, str(1, ''))), str(4, ''), str(3, ''));
  t.strictSame(decodeKubernetesProtobuf(ns), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'ns1' } });

  t.throws(() => decodeKubernetesProtobuf(utf8('{"kind":"Namespace"}')), ProtobufDecodeError, 'no magic');
  t.throws(() => decodeKubernetesProtobuf(envelope('v1', 'Namespace', new Uint8Array(0), str(3, 'gzip'))), /contentEncoding/);
  t.throws(() => decodeKubernetesProtobuf(envelope('v1', '', new Uint8Array(0))), /no kind/);
  t.throws(() => decodeKubernetesProtobuf(concat(utf8('k8s\0'), varint(1, 5))), /runtime.Unknown field 1: wire type 0/);
  try {
    decodeKubernetesProtobuf(envelope('example.com/v1', 'Widget', new Uint8Array(0)));
    t.fail('should throw');
  } catch (e) {
    t.ok(e instanceof ProtobufDecodeError);
    t.equal((e as ProtobufDecodeError).unsupportedKind, 'example.com/v1 Widget', 'unsupported kind is flagged for a 415');
  }
  // Truncated raw object inside a valid envelope.
  const truncated = envelope('v1', 'Namespace', objectMeta('x')).subarray(0, 30);
  t.throws(() => decodeKubernetesProtobuf(truncated), ProtobufDecodeError);
});

t.test('Deployment with a full pod template, zero values as gogo writes them', async (t) => {
  const port = (name: string, p: number) => msg(6, str(1, name), varint(2, 0), varint(3, p), str(4, 'TCP'), str(5, ''));
  const container = msg(
    2,
    str(1, 'app'),
    str(2, 'nginx:1.25'),
    str(3, 'nginx'),
    str(3, '-g'),
    str(4, 'daemon off;'),
    str(5, ''),
    port('http', 80),
    port('', 443),
    msg(7, str(1, 'A'), str(2, 'x')),
    msg(7, str(1, 'EMPTY'), str(2, '')),
    msg(7, str(1, 'FROM_CM'), str(2, ''), msg(3, msg(3, msg(1, str(1, 'cm')), str(2, 'k'), varint(3, false)))),
    msg(19, str(1, 'P_'), msg(2, msg(1, str(1, 'cm2')))),
    msg(8, entry(1, 'cpu', msg(2, str(1, '500m'))), entry(1, 'memory', msg(2, str(1, '128Mi'))), entry(2, 'cpu', msg(2, str(1, '100m')))),
    msg(9, str(1, 'data'), varint(2, true), str(3, '/data'), str(4, ''), str(6, '')),
    msg(10, msg(1, msg(2, str(1, '/healthz'), msg(2, varint(1, 1), varint(2, 0), str(3, 'http')), str(3, ''), str(4, 'HTTP'))), varint(2, 0), varint(3, 1), varint(4, 10), varint(5, 1), varint(6, 3)),
    msg(11, msg(1, msg(3, msg(1, varint(1, 0), varint(2, 8080), str(3, '')), str(2, ''))), varint(2, 5)),
    msg(12, msg(2, msg(1, str(1, 'sleep'), str(1, '5')))),
    str(13, '/dev/termination-log'),
    str(14, 'IfNotPresent'),
    msg(15, msg(1, str(2, 'ALL')), varint(2, false), varint(4, 0), varint(5, true), varint(7, false)),
    varint(16, false),
    varint(17, false),
    varint(18, false),
    str(20, 'File'),
  );
  const podSpec = concat(
    msg(1, str(1, 'data'), msg(2, msg(2, str(1, '')))),
    msg(1, str(1, 'cfg'), msg(2, msg(19, msg(1, str(1, 'cm')), varint(3, 420)))),
    container,
    str(3, 'Always'),
    varint(4, 30),
    str(6, 'ClusterFirst'),
    entry(7, 'disk', str(2, 'ssd')),
    str(8, ''),
    str(9, ''),
    str(10, ''),
    varint(11, false),
    varint(12, false),
    varint(13, false),
    msg(14),
    str(16, ''),
    str(17, ''),
    str(19, 'default-scheduler'),
    varint(21, false),
    msg(22, str(1, 'k'), str(2, 'Exists'), str(3, ''), str(4, 'NoSchedule')),
    str(24, ''),
  );
  const raw = concat(
    objectMeta('web', entry(11, 'app', str(2, 'web')), entry(12, 'note', str(2, '')), msg(13, str(1, 'ReplicaSet'), str(3, 'rs'), str(4, 'u1'), str(5, 'apps/v1'), varint(6, true))),
    msg(
      2,
      varint(1, 0),
      msg(2, entry(1, 'app', str(2, 'web')), msg(2, str(1, 'tier'), str(2, 'In'), str(3, 'a'), str(3, 'b'))),
      msg(3, msg(1, str(1, ''), msg(8), entry(11, 'app', str(2, 'web'))), msg(2, podSpec)),
      msg(4, str(1, 'RollingUpdate'), msg(2, msg(1, varint(1, 0), varint(2, 0), str(3, '')), msg(2, varint(1, 1), varint(2, 0), str(3, '25%')))),
      varint(5, 0),
      varint(6, 0),
      varint(7, false),
    ),
    msg(3, varint(1, 0), varint(2, 0), varint(3, 0)),
  );
  const got = decodeKubernetesProtobuf(envelope('apps/v1', 'Deployment', raw));
  t.strictSame(got, {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'web',
      labels: { app: 'web' },
      annotations: { note: '' },
      ownerReferences: [{ kind: 'ReplicaSet', name: 'rs', uid: 'u1', apiVersion: 'apps/v1', controller: true }],
    },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['a', 'b'] }] },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          volumes: [
            { name: 'data', emptyDir: {} },
            { name: 'cfg', configMap: { name: 'cm', defaultMode: 420 } },
          ],
          containers: [
            {
              name: 'app',
              image: 'nginx:1.25',
              command: ['nginx', '-g'],
              args: ['daemon off;'],
              ports: [
                { name: 'http', containerPort: 80, protocol: 'TCP' },
                { containerPort: 443, protocol: 'TCP' },
              ],
              env: [
                { name: 'A', value: 'x' },
                { name: 'EMPTY' },
                { name: 'FROM_CM', valueFrom: { configMapKeyRef: { name: 'cm', key: 'k', optional: false } } },
              ],
              resources: { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '100m' } },
              volumeMounts: [{ name: 'data', readOnly: true, mountPath: '/data' }],
              livenessProbe: {
                httpGet: { path: '/healthz', port: 'http', scheme: 'HTTP' },
                timeoutSeconds: 1,
                periodSeconds: 10,
                successThreshold: 1,
                failureThreshold: 3,
              },
              readinessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 5 },
              lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
              terminationMessagePath: '/dev/termination-log',
              imagePullPolicy: 'IfNotPresent',
              securityContext: {
                capabilities: { drop: ['ALL'] },
                privileged: false,
                runAsUser: 0,
                runAsNonRoot: true,
                allowPrivilegeEscalation: false,
              },
              envFrom: [{ prefix: 'P_', configMapRef: { name: 'cm2' } }],
              terminationMessagePolicy: 'File',
            },
          ],
          restartPolicy: 'Always',
          terminationGracePeriodSeconds: 30,
          dnsPolicy: 'ClusterFirst',
          nodeSelector: { disk: 'ssd' },
          securityContext: {},
          schedulerName: 'default-scheduler',
          automountServiceAccountToken: false,
          tolerations: [{ key: 'k', operator: 'Exists', effect: 'NoSchedule' }],
        },
      },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 0, maxSurge: '25%' } },
      revisionHistoryLimit: 0,
    },
  });
});

t.test('Secret and ConfigMap: bytes become base64, map values are kept verbatim', async (t) => {
  const secret = envelope(
    'v1',
    'Secret',
    concat(
      objectMeta('s'),
      entry(2, 'a', bytes(2, utf8('b'))),
      entry(2, 'empty', bytes(2, new Uint8Array(0))),
      entry(2, 'novalue'),
      str(3, 'Opaque'),
      entry(4, 'plain', str(2, 'text')),
      varint(5, false),
    ),
  );
  t.strictSame(decodeKubernetesProtobuf(secret), {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    data: { a: 'Yg==', empty: '', novalue: '' },
    type: 'Opaque',
    stringData: { plain: 'text' },
    immutable: false,
  });
  const cm = envelope('v1', 'ConfigMap', concat(objectMeta('c'), entry(2, 'k', str(2, 'v')), entry(3, 'bin', bytes(2, Uint8Array.of(0, 255)))));
  t.strictSame(decodeKubernetesProtobuf(cm), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { k: 'v' }, binaryData: { bin: 'AP8=' } });
});

t.test('special types', async (t) => {
  // Time keeps whole seconds (like Go's Unmarshal); a present-but-empty pointer Time is Go's zero time → dropped.
  const meta = decodeProtobufMessage('meta.ObjectMeta', concat(str(1, 'n'), msg(8, varint(1, 1704164645), varint(2, 999)), msg(9), varint(10, 0)));
  t.strictSame(meta, { name: 'n', creationTimestamp: '2024-01-02T03:04:05Z', deletionGracePeriodSeconds: 0 });
  t.strictSame(decodeProtobufMessage('meta.ObjectMeta', msg(8, varint(1, 0))), { creationTimestamp: '1970-01-01T00:00:00Z' }, 'epoch is not zero time');

  // MicroTime keeps microseconds.
  const ev = decodeProtobufMessage('core.Event', concat(str(3, 'Started'), msg(10, varint(1, 1704164645), varint(2, 123456789)), varint(8, 0), msg(6), msg(11, varint(1, 2), msg(2, varint(1, 1704164645)))));
  t.strictSame(ev, { reason: 'Started', eventTime: '2024-01-02T03:04:05.123456Z', series: { count: 2, lastObservedTime: '2024-01-02T03:04:05.000000Z' } });

  // RawExtension: embedded JSON, or an embedded protobuf object.
  const rev = decodeProtobufMessage('apps.ControllerRevision', concat(msg(2, bytes(1, utf8('{"spec":{"x":[1,true,null]}}'))), varint(3, 4)));
  t.strictSame(rev, { data: { spec: { x: [1, true, null] } }, revision: 4 });
  const nested = decodeProtobufMessage('apps.ControllerRevision', msg(2, bytes(1, envelope('v1', 'Namespace', objectMeta('inner')))));
  t.strictSame(nested, { data: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'inner' } } });
  t.strictSame(decodeProtobufMessage('apps.ControllerRevision', msg(2)), {}, 'empty RawExtension is null → dropped');
  let deep = envelope('v1', 'Namespace', objectMeta('leaf'));
  for (let i = 0; i < 20; i++) deep = envelope('apps/v1', 'ControllerRevision', msg(2, bytes(1, deep)));
  t.throws(() => decodeKubernetesProtobuf(deep), /nested deeper than 8/, 'nesting through RawExtension is bounded');
  t.strictSame(decodeKubernetesProtobuf(envelope('v1', 'Namespace', objectMeta('after'))), { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'after' } }, 'depth counter reset after an error');
  t.throws(() => decodeProtobufMessage('apps.ControllerRevision', msg(2, bytes(1, utf8('{nope')))), /not valid JSON/);

  // FieldsV1 in managedFields.
  const mf = decodeProtobufMessage(
    'meta.ObjectMeta',
    msg(17, str(1, 'kubectl'), str(2, 'Update'), str(3, 'v1'), msg(4, varint(1, 1704164645)), str(6, 'FieldsV1'), msg(7, bytes(1, utf8('{"f:data":{".":{}}}'))), str(8, '')),
  );
  t.strictSame(mf, {
    managedFields: [{ manager: 'kubectl', operation: 'Update', apiVersion: 'v1', time: '2024-01-02T03:04:05Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:data': { '.': {} } } }],
  });

  // IntOrString: int, string, negative int; Quantity in a non-pointer field.
  t.strictSame(decodeProtobufMessage('core.ServicePort', concat(varint(3, 80), msg(4, varint(1, 0), varint(2, -1), str(3, '')))), { port: 80, targetPort: -1 });
  t.strictSame(decodeProtobufMessage('core.ServicePort', concat(msg(4, varint(1, 1), varint(2, 0), str(3, 'web')))), { targetPort: 'web' });
  t.strictSame(decodeProtobufMessage('core.ServicePort', concat(msg(4, varint(1, 0), varint(2, 0), str(3, '')))), {}, 'zero targetPort dropped');
  t.strictSame(decodeProtobufMessage('core.EmptyDirVolumeSource', msg(2, str(1, '1Gi'))), { sizeLimit: '1Gi' });

  // StringList (authorization ExtraValue) as a map value.
  const sar = decodeKubernetesProtobuf(
    envelope('authorization.k8s.io/v1', 'SubjectAccessReview', concat(objectMeta(''), msg(2, str(3, 'alice'), str(4, 'devs'), entry(5, 'scopes', msg(2, str(1, 'a'), str(1, 'b'))), entry(5, 'none'), str(6, '')), msg(3, varint(1, false), varint(4, false), str(2, ''), str(3, '')))),
  );
  t.strictSame(sar, { apiVersion: 'authorization.k8s.io/v1', kind: 'SubjectAccessReview', spec: { user: 'alice', groups: ['devs'], extra: { scopes: ['a', 'b'], none: [] } } });

  t.equal(formatGoDuration(0n), '0s');
  t.equal(formatGoDuration(1_500_000_000n), '1.5s');
  t.equal(formatGoDuration(3_723_000_000_000n), '1h2m3s');
  t.equal(formatGoDuration(120_000_000_000n), '2m0s');
  t.equal(formatGoDuration(150_000_000n), '150ms');
  t.equal(formatGoDuration(1_500n), '1.5µs');
  t.equal(formatGoDuration(-7n), '-7ns');
});

t.test('DeleteOptions, Eviction and SelfSubjectAccessReview', async (t) => {
  const del = envelope('v1', 'DeleteOptions', concat(varint(1, 0), msg(2, str(1, 'uid-1'), str(2, '')), varint(3, false), str(4, 'Foreground'), str(5, 'All')));
  t.strictSame(decodeKubernetesProtobuf(del), {
    apiVersion: 'v1',
    kind: 'DeleteOptions',
    gracePeriodSeconds: 0,
    preconditions: { uid: 'uid-1', resourceVersion: '' },
    orphanDependents: false,
    propagationPolicy: 'Foreground',
    dryRun: ['All'],
  });
  t.strictSame(decodeKubernetesProtobuf(envelope('meta.k8s.io/v1', 'DeleteOptions', new Uint8Array(0))), { apiVersion: 'meta.k8s.io/v1', kind: 'DeleteOptions' });

  const ev = envelope('policy/v1', 'Eviction', concat(objectMeta('p1', str(3, 'default')), msg(2, varint(1, 30))));
  t.strictSame(decodeKubernetesProtobuf(ev), { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p1', namespace: 'default' }, deleteOptions: { gracePeriodSeconds: 30 } });
  const ev1 = envelope('policy/v1beta1', 'Eviction', objectMeta('p1'));
  t.strictSame(decodeKubernetesProtobuf(ev1), { apiVersion: 'policy/v1beta1', kind: 'Eviction', metadata: { name: 'p1' } });

  const ssar = envelope(
    'authorization.k8s.io/v1',
    'SelfSubjectAccessReview',
    concat(objectMeta(''), msg(2, msg(1, str(1, 'default'), str(2, 'get'), str(3, ''), str(4, ''), str(5, 'pods'), str(6, 'log'), str(7, 'p1'))), msg(3, varint(1, false), varint(4, false), str(2, ''), str(3, ''))),
  );
  t.strictSame(decodeKubernetesProtobuf(ssar), {
    apiVersion: 'authorization.k8s.io/v1',
    kind: 'SelfSubjectAccessReview',
    spec: { resourceAttributes: { namespace: 'default', verb: 'get', resource: 'pods', subresource: 'log', name: 'p1' } },
  });
});

t.test('wire-level robustness', async (t) => {
  // Unknown fields of every wire type are skipped.
  const withUnknown = concat(str(1, 'x'), varint(99, 7), fixed32(98, 1), bytes(97, Uint8Array.of(1, 2)), concat(key(96, 1), new Uint8Array(8)));
  t.strictSame(decodeProtobufMessage('core.LocalObjectReference', withUnknown), { name: 'x' });
  // Wrong wire types for known fields are errors.
  t.throws(() => decodeProtobufMessage('core.LocalObjectReference', varint(1, 5)), /wire type 0, expected 2/);
  t.throws(() => decodeProtobufMessage('core.ContainerPort', str(3, '80')), /containerPort.*wire type 2, expected 0/);
  t.throws(() => decodeProtobufMessage('core.Secret', varint(2, 1)), /data.*wire type 0/);
  t.throws(() => decodeProtobufMessage('core.Secret', entry(2, 'k', varint(2, 1))), /map value: wire type 0/);
  t.throws(() => decodeProtobufMessage('core.ServicePort', msg(4, str(2, 'x'))), /IntOrString field 2/);
  t.throws(() => decodeProtobufMessage('no.Such', new Uint8Array(0)), /no descriptor/);
  // Packed repeated scalars are accepted, as well as gogo's unpacked form.
  const packed = bytes(4, concat(varintBytes(1), varintBytes(150)));
  t.strictSame(decodeProtobufMessage('core.PodSecurityContext', concat(packed, varint(4, 7))), { supplementalGroups: [1, 150, 7] });
  // Negative int32 (sign-extended) and a singular field written twice (last wins).
  t.strictSame(decodeProtobufMessage('core.ContainerPort', concat(varint(3, -1), str(1, 'a'), str(1, 'b'))), { name: 'b', containerPort: -1 });
});
