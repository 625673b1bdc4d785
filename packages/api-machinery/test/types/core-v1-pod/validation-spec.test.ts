import t from 'tap';
import type { JsonObject } from '../../../src/json.js';
import { isDNS1123Label } from '../../../src/validation/names.js';
import { podModule } from '../../../src/types/core-v1/pod.js';
import { run, V1, validSpec } from './helpers/pod-test-kit.js';

const S = 'spec';
const spec = (patch: JsonObject): JsonObject => ({ ...validSpec(), ...patch });
const ctr = (patch: JsonObject): JsonObject => ({ name: 'app', image: 'nginx', terminationMessagePolicy: 'File', imagePullPolicy: 'Always', resources: {}, ...patch });

t.test('a valid spec passes', async (t) => {
  t.same(run('PodSpec', validSpec(), S), []);
});

t.test('terminationGracePeriodSeconds is required (it is always defaulted)', async (t) => {
  const s = validSpec();
  delete s.terminationGracePeriodSeconds;
  t.same(run('PodSpec', s, S), ['spec.terminationGracePeriodSeconds: Required value']);
});

t.test('container names are unique across containers and init containers', async (t) => {
  const s = spec({ containers: [ctr({}), ctr({})], initContainers: [ctr({}), ctr({ name: 'init' }), ctr({ name: 'init' })] });
  t.same(run('PodSpec', s, S), [
    'spec.containers[1].name: Duplicate value: "app"',
    'spec.initContainers[0].name: Duplicate value: "app"',
    'spec.initContainers[2].name: Duplicate value: "init"',
  ]);
});

t.test('volumes: unique names, mounts must refer to one', async (t) => {
  const s = spec({
    volumes: [{ name: 'data', emptyDir: {} }, { name: 'data', emptyDir: {} }, { name: 'img', image: { reference: 'x' } }],
    containers: [
      ctr({
        volumeMounts: [
          { name: 'data', mountPath: '/data' },
          { name: 'cache', mountPath: '/data' },
          { name: 'data', mountPath: '/sub', subPath: '../up' },
          { name: 'data', mountPath: '/e', subPath: 'a', subPathExpr: '$(POD)' },
          { name: 'img', mountPath: '/img', subPath: 'x' },
          { name: 'data', mountPath: '/p', mountPropagation: 'Bidirectional' },
          { name: 'data', mountPath: '/r', recursiveReadOnly: 'Enabled' },
        ],
      }),
    ],
  });
  t.same(run('PodSpec', s, S), [
    'spec.volumes[1].name: Duplicate value: "data"',
    'spec.containers[0].volumeMounts[1].name: Not found: "cache"',
    'spec.containers[0].volumeMounts[1].mountPath: Invalid value: "/data": must be unique',
    `spec.containers[0].volumeMounts.subPath: Invalid value: "../up": must not contain '..'`,
    'spec.containers[0].volumeMounts[3].subPathExpr: Invalid value: "$(POD)": subPathExpr and subPath are mutually exclusive',
    'spec.containers[0].volumeMounts[4].subPath: Invalid value: "x": not allowed in image volume sources',
    'spec.containers[0].volumeMounts.mountPropagation: Forbidden: Bidirectional mount propagation is available only to privileged containers',
    'spec.containers[0].volumeMounts.recursiveReadOnly: Forbidden: may only be specified when readOnly is true',
  ]);
});

t.test('volume devices need a PVC or ephemeral volume', async (t) => {
  const s = spec({
    volumes: [{ name: 'blk', persistentVolumeClaim: { claimName: 'c' } }, { name: 'tmp', emptyDir: {} }],
    containers: [ctr({ volumeDevices: [{ name: 'blk', devicePath: '/dev/xvda' }, { name: 'tmp', devicePath: '/dev/xvdb' }, { name: 'nope', devicePath: '/dev/xvda' }] })],
  });
  t.same(run('PodSpec', s, S), [
    'spec.containers[0].volumeDevices[1].name: Invalid value: "tmp": can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode',
    'spec.containers[0].volumeDevices[2].name: Not found: "nope"',
    'spec.containers[0].volumeDevices[2].devicePath: Invalid value: "/dev/xvda": must be unique',
  ]);
});

t.test('probes and lifecycle hooks', async (t) => {
  const s = spec({
    containers: [
      ctr({
        livenessProbe: { httpGet: { path: '/', port: 0, scheme: 'HTTP' }, successThreshold: 2, periodSeconds: -1 },
        readinessProbe: { exec: { command: [] }, tcpSocket: { port: 'http' }, terminationGracePeriodSeconds: 5, successThreshold: 3 },
        startupProbe: { successThreshold: 1 },
        lifecycle: { preStop: { sleep: { seconds: 60 } }, postStart: { httpGet: { path: '/', port: 'Bad_Port', httpHeaders: [{ name: 'bad header', value: 'x' }] } } },
      }),
    ],
  });
  t.same(run('PodSpec', s, S), [
    'spec.containers[0].lifecycle.postStart.httpGet.port: Invalid value: "Bad_Port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
    `spec.containers[0].lifecycle.postStart.httpGet.httpHeaders: Invalid value: "bad header": a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')`,
    'spec.containers[0].lifecycle.preStop.sleep: Invalid value: 60: must be greater than 0 and less than terminationGracePeriodSeconds (30). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep.',
    'spec.containers[0].livenessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive',
    'spec.containers[0].livenessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0',
    'spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1',
    'spec.containers[0].readinessProbe.exec.command: Required value',
    'spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type',
    'spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes',
    'spec.containers[0].startupProbe: Required value: must specify a handler type',
  ]);
  const grpc = spec({ containers: [ctr({ livenessProbe: { grpc: { port: 70000 }, successThreshold: 1 } })] });
  t.same(run('PodSpec', grpc, S), ['spec.containers[0].livenessProbe.grpc.port: Invalid value: 70000: must be between 1 and 65535, inclusive']);
});

t.test('init containers: restartPolicy Always makes a sidecar, others may not have probes', async (t) => {
  const s = spec({
    initContainers: [
      ctr({ name: 'setup', livenessProbe: { exec: { command: ['true'] } }, lifecycle: {}, restartPolicy: 'OnFailure', resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'NotRequired' }] }),
      ctr({ name: 'proxy', restartPolicy: 'Always', readinessProbe: { exec: { command: ['true'] }, successThreshold: 1 } }),
    ],
  });
  t.same(run('PodSpec', s, S), [
    'spec.initContainers[0].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"',
    'spec.initContainers[0].lifecycle: Forbidden: may not be set for init containers without restartPolicy=Always',
    'spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always',
    'spec.initContainers[0].resizePolicy: Invalid value: [{"resourceName":"cpu","restartPolicy":"NotRequired"}]: must not be set for init containers',
  ]);
  t.same(run('PodSpec', spec({ containers: [ctr({ restartPolicy: 'Always' })] }), S), ['spec.containers[0].restartPolicy: Forbidden: may not be set for non-init containers']);
});

t.test('ephemeral containers', async (t) => {
  const s = spec({
    ephemeralContainers: [
      { name: 'debug', image: 'busybox ', targetContainerName: 'ghost', ports: [{ containerPort: 80 }], resources: {}, volumeMounts: [{ name: 'v', mountPath: '/v', subPath: 'x' }] },
      { name: 'app', image: 'busybox', lifecycle: { preStop: { exec: { command: ['x'] } } } },
    ],
    volumes: [{ name: 'v', emptyDir: {} }],
  });
  t.same(run('PodSpec', s, S), [
    'spec.ephemeralContainers[0].image: Invalid value: "busybox ": must not have leading or trailing whitespace',
    'spec.ephemeralContainers[0].targetContainerName: Not found: "ghost"',
    'spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container',
    'spec.ephemeralContainers[0].volumeMounts[0].subPath: Forbidden: cannot be set for an Ephemeral Container',
    'spec.ephemeralContainers[1].name: Duplicate value: "app"',
    'spec.ephemeralContainers[1].lifecycle: Forbidden: cannot be set for an Ephemeral Container',
  ]);
});

t.test('host ports: conflicts and hostNetwork', async (t) => {
  const s = spec({
    containers: [
      ctr({ ports: [{ containerPort: 80, hostPort: 8080, protocol: 'TCP' }] }),
      ctr({ name: 'b', ports: [{ containerPort: 81, hostPort: 8080, protocol: 'TCP' }, { containerPort: 82, hostPort: 8080, protocol: 'UDP' }] }),
    ],
  });
  t.same(run('PodSpec', s, S), ['spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080"']);
  const hostNet = spec({ hostNetwork: true, containers: [ctr({ ports: [{ containerPort: 80, hostPort: 8080 }, { containerPort: 81 }] })] });
  t.same(run('PodSpec', hostNet, S), ['spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true']);
});

t.test('resource claims and container claims', async (t) => {
  const s = spec({
    resourceClaims: [{ name: 'gpu', resourceClaimName: 'gpu-claim' }, { name: 'gpu', resourceClaimTemplateName: 't' }, { name: 'x' }, { name: 'y', resourceClaimName: 'a', resourceClaimTemplateName: 'b' }],
    containers: [ctr({ resources: { claims: [{ name: 'gpu' }, { name: 'gpu' }, { name: 'tpu' }, { name: '' }] } })],
  });
  t.same(run('PodSpec', s, S), [
    'spec.resourceClaims[1].name: Duplicate value: "gpu"',
    'spec.resourceClaims[2]: Invalid value: {"name":"x"}: must specify one of: `resourceClaimName`, `resourceClaimTemplateName`',
    'spec.resourceClaims[3]: Invalid value: {"name":"y","resourceClaimName":"a","resourceClaimTemplateName":"b"}: at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified',
    'spec.containers[0].resources.claims[1]: Duplicate value: "gpu"',
    'spec.containers[0].resources.claims[2]: Not found: "tpu"',
    'spec.containers[0].resources.claims[3]: Required value',
  ]);
  const fe = podModule.validators![`${V1}.PodSpec`]!(spec({ containers: [ctr({ resources: { claims: [{ name: 'a' }] } })] }), S, { operation: 'create' });
  t.same(fe.map((e) => [e.type, e.field, e.detail]), [['FieldValueNotFound', 'spec.containers[0].resources.claims[0]', 'must be one of the names in pod.spec.resourceClaims which is empty']]);
});

t.test('resize policy', async (t) => {
  const s = spec({ restartPolicy: 'Never', containers: [ctr({ resizePolicy: [{ resourceName: 'cpu', restartPolicy: 'RestartContainer' }, { resourceName: 'cpu', restartPolicy: 'NotRequired' }, { resourceName: 'gpu', restartPolicy: 'Later' }] })] });
  t.same(run('PodSpec', s, S), [
    `spec.containers[0].resizePolicy: Invalid value: "RestartContainer": must be 'NotRequired' when \`restartPolicy\` is 'Never'`,
    'spec.containers[0].resizePolicy[1]: Duplicate value: "cpu"',
    'spec.containers[0].resizePolicy: Unsupported value: "gpu": supported values: "cpu", "memory"',
    'spec.containers[0].resizePolicy: Unsupported value: "Later": supported values: "NotRequired", "RestartContainer"',
    `spec.containers[0].resizePolicy: Invalid value: "Later": must be 'NotRequired' when \`restartPolicy\` is 'Never'`,
  ]);
});

t.test('DNS policy None needs a dnsConfig; dnsConfig limits', async (t) => {
  t.same(run('PodSpec', spec({ dnsPolicy: 'None' }), S), ['spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None']);
  t.same(run('PodSpec', spec({ dnsPolicy: 'None', dnsConfig: {} }), S), ['spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None']);
  t.same(run('PodSpec', spec({ dnsPolicy: 'None', dnsConfig: { nameservers: ['1.1.1.1'], searches: ['svc.cluster.local.'] } }), S), []);
  const msgs = run('PodSpec', spec({ dnsConfig: { nameservers: ['1.1.1.1', '8.8.8.8', '9.9.9.9', 'dns'], searches: ['Bad_Domain'], options: [{ value: '1' }] } }), S);
  t.equal(msgs[0], 'spec.dnsConfig.nameservers: Invalid value: ["1.1.1.1","8.8.8.8","9.9.9.9","dns"]: must not have more than 3 nameservers');
  t.equal(msgs[1], 'spec.dnsConfig.nameservers[3]: Invalid value: "dns": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)');
  t.match(msgs[2], 'spec.dnsConfig.searches[0]: Invalid value: "Bad_Domain": a lowercase RFC 1123 subdomain');
  t.equal(msgs[3], 'spec.dnsConfig.options[0]: Required value: must not be empty');
});

t.test('node selector, scheduling gates, spread constraint duplicates', async (t) => {
  const msgs = run(
    'PodSpec',
    spec({
      nodeSelector: { 'disk type': 'ssd' },
      schedulingGates: [{ name: 'example.com/gate' }, { name: 'example.com/gate' }],
      topologySpreadConstraints: [
        { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' },
        { maxSkew: 2, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule' },
      ],
    }),
    S,
  );
  t.match(msgs[0], 'spec.nodeSelector: Invalid value: "disk type": name part must consist of alphanumeric characters');
  t.equal(msgs[1], 'spec.schedulingGates[1]: Duplicate value: "example.com/gate"');
  t.equal(msgs[2], 'spec.topologySpreadConstraints[0].{topologyKey, whenUnsatisfiable}: Duplicate value: "{zone, DoNotSchedule}"');
  t.equal(msgs.length, 3);
});

t.test('names and numbers of the spec', async (t) => {
  const msgs = run('PodSpec', spec({ serviceAccountName: 'Bad', nodeName: 'node_1', hostname: 'a.b', subdomain: 'sub', priorityClassName: 'high', runtimeClassName: '', activeDeadlineSeconds: 0 }), S);
  t.match(msgs[0], 'spec.serviceAccountName: Invalid value: "Bad": a lowercase RFC 1123 subdomain');
  t.match(msgs[1], 'spec.nodeName: Invalid value: "node_1": a lowercase RFC 1123 subdomain');
  t.equal(msgs[2], 'spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive');
  t.equal(msgs[3], `spec.hostname: Invalid value: "a.b": ${isDNS1123Label('a.b')[0]}`);
  t.match(msgs[4], 'spec.runtimeClassName: Invalid value: "": a lowercase RFC 1123 subdomain');
  t.equal(msgs.length, 5);
  t.same(run('PodSpec', spec({ serviceAccountName: '', nodeName: '' }), S), [], 'empty optional names are not checked');
});

t.test('security context rules that involve the spec', async (t) => {
  const s = spec({
    hostPID: true,
    hostNetwork: true,
    shareProcessNamespace: true,
    securityContext: { sysctls: [{ name: 'net.core.somaxconn', value: '1' }, { name: 'kernel.shm_rmid_forced', value: '1' }] },
    hostIPC: true,
    containers: [ctr({ securityContext: { procMount: 'Unmasked' } })],
  });
  t.same(run('PodSpec', s, S), [
    'spec.containers[0].securityContext.procMount: Invalid value: "Unmasked": `hostUsers` must be false to use `Unmasked`',
    'spec.securityContext.shareProcessNamespace: Invalid value: true: ShareProcessNamespace and HostPID cannot both be enabled',
    "spec.securityContext.sysctls[0].name: Invalid value: \"net.core.somaxconn\": may not be specified when 'hostNetwork' is true",
    "spec.securityContext.sysctls[1].name: Invalid value: \"kernel.shm_rmid_forced\": may not be specified when 'hostIPC' is true",
  ]);
  t.same(run('PodSpec', spec({ hostUsers: false, hostNetwork: true, hostPID: true }), S), [
    'spec.hostNetwork: Forbidden: when `pod.Spec.HostUsers` is false',
    'spec.HostPID: Forbidden: when `pod.Spec.HostUsers` is false',
  ]);
});

t.test('overhead is validated like container limits', async (t) => {
  t.same(run('PodSpec', spec({ overhead: { cpu: '250m', memory: '-1' } }), S), ['spec.overhead.limits[memory]: Invalid value: "-1": must be greater than or equal to 0']);
});

t.test('os: linux and windows restrictions', async (t) => {
  t.same(run('PodSpec', spec({ os: {} }), S), ['spec.os.name: Required value: cannot be empty']);
  t.same(run('PodSpec', spec({ os: { name: 'plan9' } }), S), ['spec.os: Unsupported value: "plan9": supported values: "linux", "windows"']);
  t.same(run('PodSpec', spec({ os: { name: 'linux' }, containers: [ctr({ securityContext: { windowsOptions: {} } })] }), S), [
    'spec.containers[0].securityContext.windowsOptions: Forbidden: windows options cannot be set for a linux pod',
  ]);
  t.same(run('PodSpec', spec({ os: { name: 'windows' }, hostPID: true, securityContext: { runAsUser: 1 }, containers: [ctr({ securityContext: { privileged: false } })] }), S), [
    'spec.hostPID: Forbidden: cannot be set for a windows pod',
    'spec.securityContext.runAsUser: Forbidden: cannot be set for a windows pod',
    'spec.containers[0].securityContext.privileged: Forbidden: cannot be set for a windows pod',
  ]);
});

t.test('windows host process containers', async (t) => {
  const s = spec({
    securityContext: { windowsOptions: { hostProcess: true } },
    containers: [ctr({ securityContext: { windowsOptions: { hostProcess: false } } }), ctr({ name: 'inherits' })],
  });
  t.same(run('PodSpec', s, S), [
    'spec.containers[0].securityContext.windowsOptions.hostProcess: Invalid value: false: pod hostProcess value must be identical if both are specified, was true',
    'spec: Invalid value: "": If pod contains any hostProcess containers then all containers must be HostProcess containers',
    'spec.hostNetwork: Invalid value: false: hostNetwork must be true if pod contains any hostProcess containers',
  ]);
});
