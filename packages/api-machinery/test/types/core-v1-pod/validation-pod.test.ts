import t from 'tap';
import { cloneJson, type JsonObject } from '../../../src/json.js';
import type { ValidationContext } from '../../../src/schema/module.js';
import { applyDefaults } from '../../../src/schema/defaulting.js';
import { validateObject } from '../../../src/schema/validation.js';
import { messages, podRegistry, run, V1, validPod } from './helpers/pod-test-kit.js';

const update = (old: JsonObject): ValidationContext => ({ operation: 'update', old });
const specOf = (pod: JsonObject): JsonObject => pod.spec as JsonObject;
const firstContainer = (pod: JsonObject): JsonObject => (specOf(pod).containers as JsonObject[])[0]!;

t.test('create: a valid pod passes', async (t) => {
  t.same(run('Pod', validPod(), ''), []);
});

t.test('create: ephemeral containers and nodeName with scheduling gates are refused', async (t) => {
  const pod = validPod();
  specOf(pod).ephemeralContainers = [{ name: 'dbg', image: 'busybox' }];
  specOf(pod).nodeName = 'node-1';
  specOf(pod).schedulingGates = [{ name: 'example.com/wait' }];
  t.same(run('Pod', pod, ''), [
    'spec.ephemeralContainers: Forbidden: cannot be set on create',
    'spec.nodeName: Forbidden: cannot be set until all schedulingGates have been cleared',
  ]);
});

t.test('pod-only rules: image whitespace, token projections, ephemeral volume PVC names', async (t) => {
  const pod = validPod();
  firstContainer(pod).image = ' nginx';
  specOf(pod).volumes = [
    { name: 'tok', projected: { sources: [{ serviceAccountToken: { path: 't', expirationSeconds: 3600 } }] } },
    { name: 'scratch', ephemeral: { volumeClaimTemplate: { spec: {} } } },
    { name: 'claim', persistentVolumeClaim: { claimName: 'web-scratch' } },
  ];
  t.same(run('Pod', pod, ''), [
    'spec.volumes[0].projected.sources[0].serviceAccountToken: Forbidden: must not be specified when serviceAccountName is not set',
    'spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace',
    'spec.volumes[2].persistentVolumeClaim.claimName: Invalid value: "web-scratch": must not reference a PVC that gets created for an ephemeral volume',
  ]);
  specOf(pod).serviceAccountName = 'default';
  firstContainer(pod).image = 'nginx';
  (pod.metadata as JsonObject).name = 'a'.repeat(250);
  const msgs = run('Pod', pod, '');
  t.equal(msgs.length, 1);
  t.match(msgs[0], /^spec\.volumes\[1\]\.name: Invalid value: "scratch": PVC name "a+-scratch": must be no more than 253 characters$/);
});

t.test('pod annotations', async (t) => {
  const pod = validPod();
  (pod.metadata as JsonObject).annotations = {
    'controller.kubernetes.io/pod-deletion-cost': '+10',
    'kubernetes.io/config.mirror': 'x',
    'seccomp.security.alpha.kubernetes.io/pod': 'bogus',
    'container.apparmor.security.beta.kubernetes.io/ghost': 'bad-profile',
  };
  t.same(run('Pod', pod, ''), [
    'metadata.annotations[container.apparmor.security.beta.kubernetes.io/ghost]: Invalid value: "ghost": container not found',
    'metadata.annotations[container.apparmor.security.beta.kubernetes.io/ghost]: Invalid value: "bad-profile": invalid AppArmor profile name: "bad-profile"',
    'metadata.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "+10": must be a 32bit integer',
    'metadata.annotations[kubernetes.io/config.mirror]: Invalid value: "x": must set spec.nodeName if mirror pod annotation is set',
    'metadata.annotations.seccomp.security.alpha.kubernetes.io/pod: Invalid value: "bogus": must be a valid seccomp profile',
  ]);
  (pod.metadata as JsonObject).annotations = { 'controller.kubernetes.io/pod-deletion-cost': '-100' };
  t.same(run('Pod', pod, ''), []);
});

t.test('update: images, activeDeadlineSeconds and added tolerations may change', async (t) => {
  const old = validPod();
  specOf(old).activeDeadlineSeconds = 600;
  specOf(old).tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }];
  const now = cloneJson(old);
  firstContainer(now).image = 'nginx:1.28';
  specOf(now).activeDeadlineSeconds = 300;
  specOf(now).tolerations = [{ key: 'k', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 30 }, { key: 'other', operator: 'Exists' }];
  t.same(run('Pod', now, '', update(old)), []);
});

t.test('update: other spec changes are forbidden with the fields that may change and a diff', async (t) => {
  const old = validPod();
  const now = cloneJson(old);
  specOf(now).restartPolicy = 'Never';
  const msgs = run('Pod', now, '', update(old));
  t.equal(msgs.length, 1);
  t.ok(
    msgs[0]!.startsWith(
      'spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n',
    ),
  );
  t.match(msgs[0], /- \trestartPolicy: "Always",\n\+ \trestartPolicy: "Never",/);
});

t.test('update: equal quantities and empty lists do not count as changes', async (t) => {
  const old = validPod();
  firstContainer(old).resources = { limits: { cpu: '1', memory: '1Gi' } };
  const now = cloneJson(old);
  firstContainer(now).resources = { limits: { cpu: '1000m', memory: '1024Mi' } };
  specOf(now).volumes = [];
  t.same(run('Pod', now, '', update(old)), []);
});

t.test('update: containers may not be added or removed', async (t) => {
  const old = validPod();
  const now = cloneJson(old);
  (specOf(now).containers as JsonObject[]).push({ name: 'side', image: 'x' });
  t.same(run('Pod', now, '', update(old)), ['spec.containers: Forbidden: pod updates may not add or remove containers']);
});

t.test('update: activeDeadlineSeconds may only be set or lowered', async (t) => {
  const old = validPod();
  specOf(old).activeDeadlineSeconds = 100;
  const raised = cloneJson(old);
  specOf(raised).activeDeadlineSeconds = 200;
  t.same(run('Pod', raised, '', update(old)), ['spec.activeDeadlineSeconds: Invalid value: 200: must be less than or equal to previous value']);
  const removed = cloneJson(old);
  delete specOf(removed).activeDeadlineSeconds;
  t.same(run('Pod', removed, '', update(old)), ['spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value']);
  const fresh = validPod();
  const set = cloneJson(fresh);
  specOf(set).activeDeadlineSeconds = 50;
  t.same(run('Pod', set, '', update(fresh)), []);
});

t.test('update: tolerations may only be added; a negative grace period may become 1', async (t) => {
  const old = validPod();
  specOf(old).tolerations = [{ key: 'k', operator: 'Equal', value: 'a' }];
  specOf(old).terminationGracePeriodSeconds = -1;
  const now = cloneJson(old);
  specOf(now).tolerations = [{ key: 'k', operator: 'Equal', value: 'b' }];
  specOf(now).terminationGracePeriodSeconds = 1;
  t.same(run('Pod', now, '', update(old)), ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
});

t.test('update: scheduling gates may only be removed; gated pods may gain node selectors', async (t) => {
  const old = validPod();
  specOf(old).schedulingGates = [{ name: 'a' }];
  specOf(old).nodeSelector = { zone: 'a' };
  const added = cloneJson(old);
  specOf(added).schedulingGates = [{ name: 'a' }, { name: 'b' }];
  specOf(added).nodeSelector = { zone: 'a', disk: 'ssd' };
  t.same(run('Pod', added, '', update(old)), ["spec.schedulingGates[1].name: Forbidden: only deletion is allowed, but found new scheduling gate 'b'"]);
  const changed = cloneJson(old);
  specOf(changed).schedulingGates = [];
  specOf(changed).nodeSelector = { zone: 'b' };
  t.same(run('Pod', changed, '', update(old)), ['spec.nodeSelector: Invalid value: {"zone":"b"}: only additions to spec.nodeSelector are allowed (no mutations or deletions)']);
  const affinity = cloneJson(old);
  specOf(affinity).affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'x', operator: 'Exists' }] }] } } };
  t.same(run('Pod', affinity, '', update(old)), [], 'node affinity may be set on a gated pod');
  const ungated = validPod();
  const selector = cloneJson(ungated);
  specOf(selector).nodeSelector = { zone: 'a' };
  t.equal(run('Pod', selector, '', update(ungated)).length, 1, 'an ungated pod may not change its node selector');
});

t.test('update: mirror and AppArmor annotations may not change', async (t) => {
  const old = validPod();
  specOf(old).nodeName = 'n1';
  (old.metadata as JsonObject).annotations = { 'kubernetes.io/config.mirror': 'h' };
  const now = cloneJson(old);
  (now.metadata as JsonObject).annotations = { 'container.apparmor.security.beta.kubernetes.io/app': 'runtime/default' };
  t.same(run('Pod', now, '', update(old)), [
    'metadata.annotations[kubernetes.io/config.mirror]: Forbidden: may not remove or update mirror pod annotation',
    'metadata.annotations[container.apparmor.security.beta.kubernetes.io/app]: Forbidden: may not add AppArmor annotations',
  ]);
});

t.test('status updates', async (t) => {
  const old = validPod();
  specOf(old).restartPolicy = 'Never';
  old.status = {
    phase: 'Running',
    qosClass: 'BestEffort',
    containerStatuses: [{ name: 'app', state: { terminated: { exitCode: 0 } }, ready: false, restartCount: 0, image: 'nginx', imageID: '' }],
  };
  const now = cloneJson(old);
  now.status = {
    phase: 'Running',
    qosClass: 'Burstable',
    nominatedNodeName: 'Node_1',
    conditions: [{ type: 'Ready', status: 'True' }, { type: 'bad type', status: 'True' }],
    containerStatuses: [{ name: 'app', state: { running: {} }, ready: true, restartCount: 1, image: 'nginx', imageID: '' }],
    podIP: '10.0.0.1',
    podIPs: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }],
    hostIP: '192.168.0.1',
    hostIPs: [{ ip: '192.168.0.2' }],
  };
  const msgs = run('Pod', now, '', update(old));
  t.match(msgs[0], 'metadata.conditions[1].Type: Invalid value: "bad type": name part must consist of alphanumeric characters');
  t.match(msgs[1], 'status.nominatedNodeName: Invalid value: "Node_1": a lowercase RFC 1123 subdomain');
  t.same(msgs.slice(2), [
    'status.qosClass: Invalid value: "Burstable": field is immutable',
    'status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state',
    'status.podIPs: Invalid value: [{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}]: may specify no more than one IP for each IP family',
    'status.hostIPs[0].ip: Invalid value: "192.168.0.2": must be equal to `hostIP`',
  ]);
  const dual = cloneJson(old);
  dual.status = { ...(old.status as JsonObject), podIP: '10.0.0.1', podIPs: [{ ip: '10.0.0.1' }, { ip: 'fd00::1' }], hostIP: '10.1.0.1', hostIPs: [{ ip: '10.1.0.1' }] };
  t.same(run('Pod', dual, '', update(old)), []);
  const dup = cloneJson(old);
  dup.status = { ...(old.status as JsonObject), podIPs: [{ ip: 'fd00::1' }, { ip: 'fd00::1' }] };
  t.same(run('Pod', dup, '', update(old)), [
    'status.podIPs: Invalid value: [{"ip":"fd00::1"},{"ip":"fd00::1"}]: may specify no more than one IP for each IP family',
    'status.podIPs[1]: Duplicate value: {"ip":"fd00::1"}',
  ]);
});

t.test('PodTemplateSpec: no ephemeral containers, pod annotations under <template>.annotations', async (t) => {
  const P = 'spec.template';
  t.same(run('PodTemplateSpec', { metadata: { labels: { app: 'a' } }, spec: { containers: [] } }, P), []);
  t.same(
    run('PodTemplateSpec', { metadata: { annotations: { 'controller.kubernetes.io/pod-deletion-cost': 'x' } }, spec: { ephemeralContainers: [{ name: 'e', image: 'i' }] } }, P),
    [
      'spec.template.annotations[controller.kubernetes.io/pod-deletion-cost]: Invalid value: "x": must be a 32bit integer',
      'spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template',
    ],
  );
});

t.test('Binding: the target is a node, by name', async (t) => {
  t.same(run('Binding', { metadata: { name: 'web' }, target: { kind: 'Node', name: 'n1' } }, ''), []);
  t.same(run('Binding', { metadata: { name: 'web' }, target: { name: 'n1' } }, ''), []);
  t.same(run('Binding', { metadata: { name: 'web' }, target: { kind: 'Pod' } }, ''), [
    'target.kind: Unsupported value: "Pod": supported values: "Node", "<empty>"',
    'target.name: Required value',
  ]);
  t.same(run('Binding', { metadata: { name: 'web' } }, ''), ['target.name: Required value']);
});

t.test('through the engine: keywords and hooks together on a defaulted pod', async (t) => {
  const reg = podRegistry();
  const pod: JsonObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      restartPolicy: 'Sometimes',
      containers: [
        { name: 'web', image: '', ports: [{ containerPort: 80, protocol: 'tcp' }], resources: { limits: { cpu: '1' }, requests: { cpu: '2' } } },
        { name: 'web', image: 'nginx', volumeMounts: [{ name: 'missing', mountPath: '/m' }] },
      ],
      volumes: [{ name: 'v', emptyDir: {}, secret: { secretName: 's' } }],
    },
  };
  applyDefaults(reg, `${V1}.Pod`, pod);
  t.same(messages(validateObject(reg, `${V1}.Pod`, pod)).sort(), [
    'spec.containers[0].image: Required value',
    'spec.containers[0].ports[0].protocol: Unsupported value: "tcp": supported values: "SCTP", "TCP", "UDP"',
    'spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1',
    'spec.containers[1].name: Duplicate value: "web"',
    'spec.containers[1].volumeMounts[0].name: Not found: "missing"',
    'spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"',
    'spec.volumes[0].secret: Forbidden: may not specify more than 1 volume type',
  ]);
  const empty: JsonObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'e' }, spec: { containers: [] } };
  applyDefaults(reg, `${V1}.Pod`, empty);
  t.same(messages(validateObject(reg, `${V1}.Pod`, empty)), ['spec.containers: Required value']);
});
