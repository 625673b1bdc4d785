import t from 'tap';
import { isValidLabelValue } from '../../../src/validation/names.js';
import { run } from './helpers/pod-test-kit.js';

const C = 'spec.containers[0]';

t.test('Container ports: names, numbers, duplicates', async (t) => {
  t.same(run('Container', { name: 'a', image: 'x', ports: [{ containerPort: 80, name: 'http' }, { containerPort: 443, name: 'https', hostPort: 8443 }] }, C), []);
  t.same(
    run('Container', { name: 'a', image: 'x', ports: [{ name: 'http' }, { containerPort: 70000, name: 'http' }, { containerPort: 0, hostPort: 70000 }, { containerPort: 1, name: 'Web--' }] }, C),
    [
      `${C}.ports[0].containerPort: Required value`,
      `${C}.ports[1].name: Duplicate value: "http"`,
      `${C}.ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive`,
      `${C}.ports[2].containerPort: Required value`,
      `${C}.ports[2].hostPort: Invalid value: 70000: must be between 1 and 65535, inclusive`,
      `${C}.ports[3].name: Invalid value: "Web--": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`,
      `${C}.ports[3].name: Invalid value: "Web--": must not contain consecutive hyphens`,
      `${C}.ports[3].name: Invalid value: "Web--": must not begin or end with a hyphen`,
    ],
  );
  t.same(run('Container', { ports: [{ containerPort: 1, name: 'a-very-long-port-name' }, { containerPort: 2, name: '8080' }] }, C), [
    `${C}.ports[0].name: Invalid value: "a-very-long-port-name": must be no more than 15 characters`,
    `${C}.ports[1].name: Invalid value: "8080": must contain at least one letter (a-z)`,
  ]);
  t.same(run('EphemeralContainer', { ports: [{ containerPort: 0 }] }, 'spec.ephemeralContainers[0]'), ['spec.ephemeralContainers[0].ports[0].containerPort: Required value']);
});

t.test('EnvVar valueFrom: exactly one source, not with a value, valid selectors', async (t) => {
  const P = `${C}.env[0]`;
  t.same(run('EnvVar', { name: 'A', value: 'x' }, P), []);
  t.same(run('EnvVar', { name: 'A', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.name' } } }, P), []);
  t.same(run('EnvVar', { name: 'A', valueFrom: {} }, P), [`${P}.valueFrom: Invalid value: "": must specify one of: \`fieldRef\`, \`resourceFieldRef\`, \`configMapKeyRef\` or \`secretKeyRef\``]);
  t.same(run('EnvVar', { name: 'A', value: 'v', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' } } }, P), [`${P}.valueFrom: Invalid value: "": may not be specified when \`value\` is not empty`]);
  t.same(run('EnvVar', { name: 'A', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' }, secretKeyRef: { name: 's', key: 'k' } } }, P), [
    `${P}.valueFrom: Invalid value: "": may not have more than one field specified at a time`,
  ]);
  t.same(run('EnvVar', { name: 'A', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.labels' } } }, P), [
    `${P}.valueFrom.fieldRef.fieldPath: Unsupported value: "metadata.labels": supported values: "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName", "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"`,
  ]);
  t.same(run('EnvVar', { name: 'A', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.bogus' } } }, P), [
    `${P}.valueFrom.fieldRef.fieldPath: Invalid value: "spec.bogus": error converting fieldPath: field label not supported: spec.bogus`,
  ]);
  t.same(run('EnvVar', { name: 'A', valueFrom: { fieldRef: { apiVersion: 'v2', fieldPath: 'metadata.name' } } }, P), [
    `${P}.valueFrom.fieldRef.fieldPath: Invalid value: "metadata.name": error converting fieldPath: unsupported pod version: v2`,
  ]);
  t.same(run('EnvVar', { name: 'A', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.labels['app']" } } }, P), [], 'subscripted labels are fine');
  t.same(run('EnvVar', { name: 'A', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: "metadata.name['x']" } } }, P), [
    `${P}.valueFrom.fieldRef.fieldPath: Invalid value: "metadata.name['x']": error converting fieldPath: field label does not support subscript: metadata.name['x']`,
  ]);
  t.same(run('EnvVar', { name: 'A', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }, P), [`${P}.valueFrom.fieldRef.apiVersion: Required value`]);
  t.same(run('EnvVar', { name: 'A', valueFrom: { resourceFieldRef: { resource: 'limits.gpu' } } }, P), [
    `${P}.valueFrom.resourceFieldRef.resource: Unsupported value: "limits.gpu": supported values: "limits.cpu", "limits.ephemeral-storage", "limits.memory", "requests.cpu", "requests.ephemeral-storage", "requests.memory"`,
  ]);
  t.same(run('EnvVar', { name: 'A', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1Mi' } } }, P), [
    `${P}.valueFrom.resourceFieldRef.divisor: Invalid value: "limits.cpu": only divisor's values 1m and 1 are supported with the cpu resource`,
  ]);
  t.same(run('EnvVar', { name: 'A', valueFrom: { resourceFieldRef: { resource: 'requests.memory', divisor: '1Mi' } } }, P), []);
  t.same(run('EnvVar', { name: 'A', valueFrom: { resourceFieldRef: {} } }, P), [`${P}.valueFrom.resourceFieldRef.resource: Required value`]);
});

t.test('key selectors: name checked even when empty, key required and a config key', async (t) => {
  const P = `${C}.env[0].valueFrom.configMapKeyRef`;
  t.same(run('ConfigMapKeySelector', { name: 'cfg', key: 'app.conf' }, P), []);
  t.same(run('ConfigMapKeySelector', {}, P), [
    `${P}.name: Invalid value: "": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    `${P}.key: Required value`,
  ]);
  t.same(run('SecretKeySelector', { name: 's', key: '..' }, P), [`${P}.key: Invalid value: "..": must not be '..'`]);
});

t.test('EnvFromSource: one source, at the list path', async (t) => {
  const P = `${C}.envFrom[0]`;
  t.same(run('EnvFromSource', { configMapRef: { name: 'c' }, prefix: 'APP_' }, P), []);
  t.same(run('EnvFromSource', {}, P), [`${C}.envFrom: Invalid value: "": must specify one of: \`configMapRef\` or \`secretRef\``]);
  t.same(run('EnvFromSource', { configMapRef: { name: 'c' }, secretRef: { name: 's' } }, P), [`${C}.envFrom: Invalid value: "": may not have more than one field specified at a time`]);
  t.same(run('EnvFromSource', { secretRef: {} }, P), [`${P}.secretRef.name: Required value`]);
  t.same(run('EnvFromSource', { prefix: 'A=B', configMapRef: { name: 'Bad' } }, P), [
    `${P}.prefix: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
    `${P}.configMapRef.name: Invalid value: "Bad": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
  ]);
});

t.test('ResourceRequirements: names, quantities, requests within limits', async (t) => {
  const P = `${C}.resources`;
  t.same(run('ResourceRequirements', { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '512Mi' } }, P), []);
  t.same(run('ResourceRequirements', { limits: { cpu: '1' }, requests: { cpu: '2' } }, P), [`${P}.requests: Invalid value: "2": must be less than or equal to cpu limit of 1`]);
  t.same(run('ResourceRequirements', { limits: { cpu: '1000m' }, requests: { cpu: '1500m' } }, P), [
    `${P}.requests: Invalid value: "1500m": must be less than or equal to cpu limit of 1`,
  ]);
  t.same(run('ResourceRequirements', { requests: { cpu: '-1' } }, P), [`${P}.requests[cpu]: Invalid value: "-1": must be greater than or equal to 0`]);
  t.same(run('ResourceRequirements', { limits: { gpu: '1' } }, P), [
    `${P}.limits[gpu]: Invalid value: "gpu": must be a standard resource type or fully qualified`,
    `${P}.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers`,
  ]);
  t.same(run('ResourceRequirements', { limits: { 'example.com/gpu': '1' }, requests: { 'example.com/gpu': '2' } }, P), [
    `${P}.requests: Invalid value: "2": must be equal to example.com/gpu limit of 1`,
  ]);
  t.same(run('ResourceRequirements', { requests: { 'example.com/gpu': '500m' } }, P), [
    `${P}.requests[example.com/gpu]: Invalid value: "500m": must be an integer`,
    `${P}.limits: Required value: Limit must be set for non overcommitable resources`,
  ]);
  t.same(run('ResourceRequirements', { limits: { 'hugepages-2Mi': '3Mi' } }, P), [
    `${P}.limits[hugepages-2Mi]: Invalid value: "3Mi": 3Mi is not positive integer multiple of hugepages-2Mi`,
    `${P}: Forbidden: HugePages require cpu or memory`,
  ]);
  t.same(run('ResourceRequirements', { limits: { cpu: '5' } }, 'status.containerStatuses[0].resources'), [], 'status copies are not validated');
});

t.test('SecurityContext', async (t) => {
  const P = `${C}.securityContext`;
  t.same(run('SecurityContext', { runAsUser: 1000, runAsGroup: 0, privileged: true }, P), []);
  t.same(run('SecurityContext', { runAsUser: -1, runAsGroup: 2147483648 }, P), [
    `${P}.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive`,
    `${P}.runAsGroup: Invalid value: 2147483648: must be between 0 and 2147483647, inclusive`,
  ]);
  const msgs = run('SecurityContext', { allowPrivilegeEscalation: false, privileged: true, capabilities: { add: ['CAP_SYS_ADMIN'] } }, P);
  t.equal(msgs.length, 2);
  t.match(msgs[0], /cannot set `allowPrivilegeEscalation` to false and `privileged` to true$/);
  t.match(msgs[1], /cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN$/);
});

t.test('PodSecurityContext: ids and sysctls', async (t) => {
  const P = 'spec.securityContext';
  t.same(run('PodSecurityContext', { fsGroup: 2000, supplementalGroups: [1, 2], sysctls: [{ name: 'net.ipv4.ip_forward', value: '1' }] }, P), []);
  t.same(run('PodSecurityContext', { fsGroup: -5, supplementalGroups: [1, -2] }, P), [
    `${P}.fsGroup: Invalid value: -5: must be between 0 and 2147483647, inclusive`,
    `${P}.supplementalGroups[1]: Invalid value: -2: must be between 0 and 2147483647, inclusive`,
  ]);
  t.same(run('PodSecurityContext', { sysctls: [{ value: '1' }, { name: 'Net.Bad' }, { name: 'kernel.msgmax' }, { name: 'kernel.msgmax' }] }, P), [
    `${P}.sysctls[0].name: Required value`,
    `${P}.sysctls[1].name: Invalid value: "Net.Bad": must have at most 253 characters and match regex ^([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?$`,
    `${P}.sysctls[3].name: Duplicate value: "kernel.msgmax"`,
  ]);
});

t.test('SeccompProfile and AppArmorProfile', async (t) => {
  const S = 'spec.securityContext.seccompProfile';
  t.same(run('SeccompProfile', { type: 'RuntimeDefault' }, S), []);
  t.same(run('SeccompProfile', {}, S), [`${S}.type: Required value: type is required when seccompProfile is set`]);
  t.same(run('SeccompProfile', { type: 'Custom' }, S), [`${S}.type: Unsupported value: "Custom": supported values: "Localhost", "RuntimeDefault", "Unconfined"`]);
  t.same(run('SeccompProfile', { type: 'Localhost' }, S), [`${S}.localhostProfile: Required value: must be set when seccomp type is Localhost`]);
  t.same(run('SeccompProfile', { type: 'Localhost', localhostProfile: '/abs/p.json' }, S), [`${S}.localhostProfile: Invalid value: "/abs/p.json": must be a relative path`]);
  t.equal(run('SeccompProfile', { type: 'Unconfined', localhostProfile: 'x' }, S)[0]?.endsWith('can only be set when seccomp type is Localhost'), true);
  const A = 'spec.securityContext.appArmorProfile';
  t.same(run('AppArmorProfile', { type: 'Localhost', localhostProfile: 'k8s-nginx' }, A), []);
  t.same(run('AppArmorProfile', {}, A), [`${A}.type: Required value: type is required when appArmorProfile is set`]);
  t.same(run('AppArmorProfile', { type: 'Localhost', localhostProfile: ' x ' }, A), [`${A}.localhostProfile: Invalid value: " x ": must not be padded with whitespace`]);
  t.same(run('AppArmorProfile', { type: 'RuntimeDefault', localhostProfile: 'x' }, A), [`${A}.localhostProfile: Invalid value: "x": can only be set when AppArmor type is Localhost`]);
  t.same(run('AppArmorProfile', { type: 'Other' }, A), [`${A}.type: Unsupported value: "Other": supported values: "Localhost", "RuntimeDefault", "Unconfined"`]);
});

t.test('WindowsSecurityContextOptions', async (t) => {
  const W = 'spec.securityContext.windowsOptions';
  t.same(run('WindowsSecurityContextOptions', { runAsUserName: 'NT AUTHORITY\\NETWORK SERVICE', gmsaCredentialSpecName: 'webapp' }, W), []);
  t.same(run('WindowsSecurityContextOptions', { runAsUserName: '' }, W), [`${W}.runAsUserName: Invalid value: "": runAsUserName cannot be an empty string`]);
  t.same(run('WindowsSecurityContextOptions', { runAsUserName: 'a\\b\\c' }, W), [`${W}.runAsUserName: Invalid value: "a\\\\b\\\\c": runAsUserName cannot contain more than one backslash`]);
  t.same(run('WindowsSecurityContextOptions', { runAsUserName: 'dom\\us@er' }, W), [
    `${W}.runAsUserName: Invalid value: "dom\\\\us@er": runAsUserName's User cannot contain the following characters: "/\\:;|=,+*?<>@[]`,
  ]);
  t.same(run('WindowsSecurityContextOptions', { gmsaCredentialSpec: '' }, W), [`${W}.gmsaCredentialSpec: Invalid value: "": gmsaCredentialSpec cannot be an empty string`]);
});

t.test('node affinity terms', async (t) => {
  const R = 'spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution';
  t.same(run('NodeSelector', { nodeSelectorTerms: [] }, R), [`${R}.nodeSelectorTerms: Required value: must have at least one node selector term`]);
  const T = `${R}.nodeSelectorTerms[0]`;
  t.same(
    run(
      'NodeSelectorTerm',
      {
        matchExpressions: [
          { key: 'zone', operator: 'In' },
          { key: 'disk', operator: 'Exists', values: ['ssd'] },
          { key: 'cores', operator: 'Gt', values: ['1', '2'] },
          { key: 'x', operator: 'Like' },
          { key: 'tier', operator: 'In', values: ['not valid!'] },
        ],
        matchFields: [{ key: 'metadata.uid', operator: 'In', values: ['a'] }, { key: 'metadata.name', operator: 'Exists' }],
      },
      T,
    ),
    [
      `${T}.matchExpressions[0].values: Required value: must be specified when \`operator\` is 'In' or 'NotIn'`,
      `${T}.matchExpressions[1].values: Forbidden: may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`,
      `${T}.matchExpressions[2].values: Required value: must be specified single value when \`operator\` is 'Lt' or 'Gt'`,
      `${T}.matchExpressions[3].operator: Invalid value: "Like": not a valid selector operator`,
      `${T}.matchExpressions[4].values[0]: Invalid value: "not valid!": ${isValidLabelValue('not valid!')[0]}`,
      `${T}.matchFields[0].key: Invalid value: "metadata.uid": not a valid field selector key`,
      `${T}.matchFields[1].operator: Invalid value: "Exists": not a valid selector operator`,
    ],
  );
  const P = 'spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference';
  t.same(run('NodeSelectorTerm', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['not valid!'] }] }, P), [], 'preferred terms accept any value');
  t.same(run('PreferredSchedulingTerm', { weight: 0, preference: {} }, 'x'), ['x.weight: Invalid value: 0: must be in the range 1-100']);
  t.same(run('WeightedPodAffinityTerm', { weight: 101, podAffinityTerm: {} }, 'x'), ['x.weight: Invalid value: 101: must be in the range 1-100']);
});

t.test('pod affinity terms', async (t) => {
  const P = 'spec.affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]';
  t.same(run('PodAffinityTerm', { labelSelector: { matchLabels: { app: 'db' } }, topologyKey: 'kubernetes.io/hostname', namespaces: ['prod'] }, P), []);
  const msgs = run('PodAffinityTerm', { namespaces: ['Bad_NS'], matchLabelKeys: ['app'] }, P);
  t.match(msgs[0], `${P}.namespace: Invalid value: "Bad_NS": a lowercase RFC 1123 label`);
  t.equal(msgs[1], `${P}.matchLabelKeys: Forbidden: must not be specified when labelSelector is not set`);
  t.equal(msgs[2], `${P}.topologyKey: Required value: can not be empty`);
  t.equal(msgs[3], `${P}.topologyKey: Invalid value: "": name part must be non-empty`);
  t.same(run('PodAffinityTerm', { labelSelector: {}, topologyKey: 'zone', matchLabelKeys: ['a'], mismatchLabelKeys: ['a'] }, P), [
    `${P}.matchLabelKeys[0]: Invalid value: "a": exists in both matchLabelKeys and mismatchLabelKeys`,
  ]);
});

t.test('tolerations', async (t) => {
  const P = 'spec.tolerations[0]';
  t.same(run('Toleration', { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }, P), []);
  t.same(run('Toleration', { operator: 'Exists' }, P), [], 'an empty key with Exists tolerates everything');
  t.same(run('Toleration', { value: 'x' }, P), [`${P}.operator: Invalid value: "": operator must be Exists when \`key\` is empty, which means "match all values and all keys"`]);
  t.same(run('Toleration', { key: 'k', operator: 'Exists', value: 'v' }, P), [`${P}.operator: Invalid value: "v": value must be empty when \`operator\` is 'Exists'`]);
  t.same(run('Toleration', { key: 'k', operator: 'Like' }, P), [`${P}.operator: Unsupported value: "Like": supported values: "Equal", "Exists"`]);
  t.same(run('Toleration', { key: 'k', effect: 'Evict' }, P), [`${P}.effect: Unsupported value: "Evict": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`]);
  t.same(run('Toleration', { key: 'k', effect: 'NoSchedule', tolerationSeconds: 5 }, P), [`${P}.effect: Invalid value: "NoSchedule": effect must be 'NoExecute' when \`tolerationSeconds\` is set`]);
  t.match(run('Toleration', { key: 'k', value: 'a b' }, P)[0], `${P}.operator: Invalid value: "a b": a valid label must be`);
});

t.test('topology spread constraints', async (t) => {
  const P = 'spec.topologySpreadConstraints[0]';
  t.same(run('TopologySpreadConstraint', { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', minDomains: 2 }, P), []);
  t.same(run('TopologySpreadConstraint', { maxSkew: 0 }, P), [
    `${P}.maxSkew: Invalid value: 0: must be greater than zero`,
    `${P}.topologyKey: Required value: can not be empty`,
    `${P}.whenUnsatisfiable: Unsupported value: "": supported values: "DoNotSchedule", "ScheduleAnyway"`,
  ]);
  t.same(run('TopologySpreadConstraint', { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'ScheduleAnyway', minDomains: 0 }, P), [
    `${P}.minDomains: Invalid value: 0: must be greater than zero`,
    `${P}.minDomains: Invalid value: 0: can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway`,
  ]);
  t.same(run('TopologySpreadConstraint', { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', matchLabelKeys: ['app'] }, P), [
    `${P}.matchLabelKeys: Forbidden: must not be specified when labelSelector is not set`,
  ]);
  t.same(run('TopologySpreadConstraint', { maxSkew: 1, topologyKey: 'zone', whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { app: 'a' } }, matchLabelKeys: ['app'] }, P), [
    `${P}.matchLabelKeys[0]: Invalid value: "app": exists in both matchLabelKeys and labelSelector`,
  ]);
});

t.test('host aliases and readiness gates', async (t) => {
  t.same(run('HostAlias', { ip: '10.0.0.1', hostnames: ['db'] }, 'spec.hostAliases[0]'), []);
  t.same(run('HostAlias', { ip: '10.0.0.300' }, 'spec.hostAliases[0]'), ['spec.hostAliases[0].ip: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']);
  t.same(run('PodReadinessGate', { conditionType: 'example.com/ready' }, 'spec.readinessGates[0]'), []);
  t.same(run('PodReadinessGate', { conditionType: 'a/b/c' }, 'spec.readinessGates[0]').length, 1);
});
