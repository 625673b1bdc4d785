import t from 'tap';
import type { JsonObject } from '@k8ts/api-machinery';
import { buildTable, eventInterval } from '../../src/tables/index.js';
import { NOW, ago, cellsByName, columnNames, d, h, m, meta, s } from './helpers/fixtures.js';

const node = (opts: { conditions?: JsonObject[]; labels?: Record<string, string>; unschedulable?: boolean; status?: JsonObject }): JsonObject => ({
  metadata: { name: 'node-1', creationTimestamp: ago(d(3) + h(4)), labels: opts.labels ?? {} },
  spec: opts.unschedulable ? { unschedulable: true } : {},
  status: {
    conditions: opts.conditions ?? [
      { type: 'MemoryPressure', status: 'False' },
      { type: 'Ready', status: 'True', reason: 'KubeletReady' },
    ],
    nodeInfo: {
      kubeletVersion: 'v1.32.2',
      osImage: 'Debian GNU/Linux 12 (bookworm)',
      kernelVersion: '6.1.0-18-amd64',
      containerRuntimeVersion: 'containerd://1.7.13',
    },
    addresses: [
      { type: 'Hostname', address: 'node-1' },
      { type: 'InternalIP', address: '172.18.0.2' },
      { type: 'InternalIP', address: '172.18.0.3' },
    ],
    ...(opts.status ?? {}),
  },
});

t.test('node columns and wide cells', async (t) => {
  t.same(columnNames('', 'nodes'), ['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime']);
  t.same(Object.values(cellsByName('', 'nodes', node({ labels: { 'node-role.kubernetes.io/control-plane': '' } }))), [
    'node-1',
    'Ready',
    'control-plane',
    '3d4h',
    'v1.32.2',
    '172.18.0.2',
    '<none>',
    'Debian GNU/Linux 12 (bookworm)',
    '6.1.0-18-amd64',
    'containerd://1.7.13',
  ]);
  const bare = cellsByName('', 'nodes', { metadata: { name: 'n' } });
  t.same(Object.values(bare), ['n', 'Unknown', '<none>', '<unknown>', '', '<none>', '<none>', '<unknown>', '<unknown>', '<unknown>']);
});

t.test('node status', async (t) => {
  const status = (o: Parameters<typeof node>[0]) => cellsByName('', 'nodes', node(o))['Status'];
  t.equal(status({}), 'Ready');
  t.equal(status({ unschedulable: true }), 'Ready,SchedulingDisabled');
  t.equal(status({ conditions: [{ type: 'Ready', status: 'False' }] }), 'NotReady');
  t.equal(status({ conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' }] }), 'NotReady', 'Unknown status reads NotReady');
  t.equal(status({ conditions: [] }), 'Unknown');
  t.equal(status({ conditions: [{ type: 'DiskPressure', status: 'True' }], unschedulable: true }), 'Unknown,SchedulingDisabled');
});

t.test('node roles', async (t) => {
  const roles = (labels: Record<string, string>) => cellsByName('', 'nodes', node({ labels }))['Roles'];
  t.equal(roles({}), '<none>');
  t.equal(roles({ 'node-role.kubernetes.io/worker': 'true', 'node-role.kubernetes.io/control-plane': '', 'kubernetes.io/role': 'infra' }), 'control-plane,infra,worker');
  t.equal(roles({ 'node-role.kubernetes.io/': 'x', 'kubernetes.io/role': '' }), '<none>', 'empty role names ignored');
  t.equal(roles({ 'kubernetes.io/role': 'master', 'node-role.kubernetes.io/master': '' }), 'master', 'de-duplicated');
});

t.test('namespaces', async (t) => {
  t.same(columnNames('', 'namespaces'), ['Name', 'Status', 'Age']);
  t.same(Object.values(cellsByName('', 'namespaces', { metadata: { name: 'kube-system', creationTimestamp: ago(d(40)) }, status: { phase: 'Active' } })), [
    'kube-system',
    'Active',
    '40d',
  ]);
  t.equal(cellsByName('', 'namespaces', { metadata: { name: 'x', deletionTimestamp: ago(s(3)) }, status: { phase: 'Terminating' } })['Status'], 'Terminating');
});

t.test('events (core/v1)', async (t) => {
  t.same(columnNames('', 'events'), ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject', 'Source', 'Message', 'First Seen', 'Count', 'Name']);
  const defs = buildTable('', 'events', [], { now: NOW, includeObject: 'None' }).columnDefinitions;
  t.same(defs.map((c) => c.priority), [0, 0, 0, 0, 1, 1, 0, 1, 1, 1]);
  t.equal(defs[9]?.format, 'name', 'the Name column carries format=name');

  const ev: JsonObject = {
    metadata: meta('web-0.17d3c5a1b2'),
    involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-0', fieldPath: 'spec.containers{app}' },
    reason: 'BackOff',
    message: '  Back-off restarting failed container app\n',
    source: { component: 'kubelet', host: 'node-1' },
    firstTimestamp: ago(m(10)),
    lastTimestamp: ago(m(1)),
    count: 5,
    type: 'Warning',
  };
  t.same(Object.values(cellsByName('', 'events', ev)), [
    '60s',
    'Warning',
    'BackOff',
    'pod/web-0',
    'spec.containers{app}',
    'kubelet, node-1',
    'Back-off restarting failed container app',
    '10m',
    5,
    'web-0.17d3c5a1b2',
  ]);
});

t.test('event last-seen forms', async (t) => {
  const cells = (e: JsonObject) => cellsByName('', 'events', { metadata: meta('e'), involvedObject: { kind: 'Node' }, ...e });
  // Only eventTime (new-style event written through core/v1): both ages come from it, count defaults to 1.
  // 149.877s ago truncates to whole seconds: 2m29s.
  const micro = cells({ eventTime: '2024-06-01T11:57:30.123456Z', reportingComponent: 'scheduler', reportingInstance: 'sched-1' });
  t.same([micro['Last Seen'], micro['First Seen'], micro['Count'], micro['Source'], micro['Object']], ['2m29s', '2m29s', 1, 'scheduler, sched-1', 'node']);
  // Series: last seen from lastObservedTime, count from the series.
  const series = cells({ eventTime: ago(h(2)), series: { count: 7, lastObservedTime: ago(s(30)) }, count: 2 });
  t.same([series['Last Seen'], series['First Seen'], series['Count']], ['30s', '120m', 7]);
  // No timestamps at all.
  const none = cells({});
  t.same([none['Last Seen'], none['First Seen'], none['Count'], none['Source']], ['<unknown>', '<unknown>', 1, '']);
  // First timestamp only: last seen falls back to it.
  const firstOnly = cells({ firstTimestamp: ago(d(2) + h(3)), count: 1, source: { component: 'kubelet' } });
  t.same([firstOnly['Last Seen'], firstOnly['First Seen'], firstOnly['Source']], ['2d3h', '2d3h', 'kubelet']);
});

t.test('events.k8s.io/v1 events use the same columns', async (t) => {
  const ev: JsonObject = {
    metadata: meta('x.1'),
    eventTime: ago(m(4)),
    reportingController: 'default-scheduler',
    reportingInstance: 'default-scheduler-cp-1',
    action: 'Binding',
    reason: 'Scheduled',
    regarding: { kind: 'Pod', name: 'web-1', namespace: 'default' },
    note: 'Successfully assigned default/web-1 to node-2',
    type: 'Normal',
  };
  t.same(Object.values(cellsByName('events.k8s.io', 'events', ev)), [
    '4m', 'Normal', 'Scheduled', 'pod/web-1', '', 'default-scheduler, default-scheduler-cp-1', 'Successfully assigned default/web-1 to node-2', '4m', 1, 'x.1',
  ]);
});

t.test('eventInterval (kubectl events / describe form, not used in tables)', async (t) => {
  t.equal(eventInterval({ firstTimestamp: ago(m(10)), lastTimestamp: ago(m(5)), count: 5 }, NOW), '5m (x5 over 10m)');
  t.equal(eventInterval({ firstTimestamp: ago(m(10)), lastTimestamp: ago(m(10)), count: 1 }, NOW), '10m');
  t.equal(eventInterval({ eventTime: ago(h(1)), series: { count: 3, lastObservedTime: ago(s(20)) } }, NOW), '20s (x3 over 60m)');
  t.equal(eventInterval({}, NOW), '<unknown>');
});

t.test('leases', async (t) => {
  t.same(columnNames('coordination.k8s.io', 'leases'), ['Name', 'Holder', 'Age']);
  t.same(Object.values(cellsByName('coordination.k8s.io', 'leases', { metadata: meta('kube-scheduler'), spec: { holderIdentity: 'cp-1_6f1c' } })), [
    'kube-scheduler', 'cp-1_6f1c', '5m',
  ]);
  t.equal(cellsByName('coordination.k8s.io', 'leases', { metadata: meta('free'), spec: {} })['Holder'], '');
});

t.test('role bindings and cluster role bindings', async (t) => {
  for (const res of ['rolebindings', 'clusterrolebindings']) {
    t.same(columnNames('rbac.authorization.k8s.io', res), ['Name', 'Role', 'Age', 'Users', 'Groups', 'ServiceAccounts']);
  }
  const rb: JsonObject = {
    metadata: meta('viewers'),
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' },
    subjects: [
      { kind: 'User', name: 'alice', apiGroup: 'rbac.authorization.k8s.io' },
      { kind: 'User', name: 'bob' },
      { kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', name: 'ci', namespace: 'tools' },
    ],
  };
  t.same(Object.values(cellsByName('rbac.authorization.k8s.io', 'rolebindings', rb)), ['viewers', 'ClusterRole/view', '5m', 'alice, bob', 'devs', 'tools/ci']);
  const crb = cellsByName('rbac.authorization.k8s.io', 'clusterrolebindings', { metadata: meta('x'), roleRef: { kind: 'ClusterRole', name: 'admin' } });
  t.same([crb['Role'], crb['Users'], crb['Groups'], crb['ServiceAccounts']], ['ClusterRole/admin', '', '', '']);
});

t.test('roles and cluster roles use the generic table', async (t) => {
  t.same(columnNames('rbac.authorization.k8s.io', 'roles'), ['Name', 'Created At']);
  t.same(Object.values(cellsByName('rbac.authorization.k8s.io', 'clusterroles', { metadata: { name: 'view', creationTimestamp: '2024-05-01T08:30:00Z' } })), [
    'view',
    '2024-05-01T08:30:00Z',
  ]);
});

t.test('resourcequotas', async (t) => {
  t.same(columnNames('', 'resourcequotas'), ['Name', 'Request', 'Limit', 'Age']);
  const rq: JsonObject = {
    metadata: meta('compute'),
    status: {
      hard: { 'requests.cpu': '2', 'requests.memory': '4096Mi', 'limits.cpu': '4', pods: '10', 'limits.memory': '8Gi' },
      used: { 'requests.cpu': '500m', 'requests.memory': '1Gi', 'limits.cpu': '1', pods: '3' },
    },
  };
  t.same(Object.values(cellsByName('', 'resourcequotas', rq)), [
    'compute',
    'pods: 3/10, requests.cpu: 500m/2, requests.memory: 1Gi/4Gi',
    'limits.cpu: 1/4, limits.memory: 0/8Gi',
    '5m',
  ]);
});

t.test('priorityclasses, runtimeclasses, CSRs, component statuses, webhooks', async (t) => {
  t.same(Object.values(cellsByName('scheduling.k8s.io', 'priorityclasses', { metadata: meta('high'), value: 1000000, globalDefault: false })), [
    'high', 1000000, false, '5m', 'PreemptLowerPriority',
  ]);
  t.same(Object.values(cellsByName('node.k8s.io', 'runtimeclasses', { metadata: meta('gvisor'), handler: 'runsc' })), ['gvisor', 'runsc', '5m']);
  const csr: JsonObject = {
    metadata: meta('csr-1'),
    spec: { signerName: 'kubernetes.io/kube-apiserver-client', username: 'alice', expirationSeconds: 86400 },
    status: { conditions: [{ type: 'Approved', status: 'True' }], certificate: 'LS0t' },
  };
  t.same(Object.values(cellsByName('certificates.k8s.io', 'certificatesigningrequests', csr)), [
    'csr-1', '5m', 'kubernetes.io/kube-apiserver-client', 'alice', '24h', 'Approved,Issued',
  ]);
  t.equal(cellsByName('certificates.k8s.io', 'certificatesigningrequests', { metadata: meta('p'), spec: {} })['Condition'], 'Pending');
  t.same(Object.values(cellsByName('', 'componentstatuses', { metadata: { name: 'etcd-0' }, conditions: [{ type: 'Healthy', status: 'True', message: 'ok' }] })), [
    'etcd-0', 'Healthy', 'ok', '',
  ]);
  t.same(Object.values(cellsByName('admissionregistration.k8s.io', 'validatingwebhookconfigurations', { metadata: meta('v'), webhooks: [{}, {}] })), ['v', 2, '5m']);
});

t.test('flow schemas print in precedence order', async (t) => {
  const fs = (name: string, prec: number): JsonObject => ({
    metadata: meta(name),
    spec: { priorityLevelConfiguration: { name: 'workload-low' }, matchingPrecedence: prec, distinguisherMethod: { type: 'ByUser' } },
    status: { conditions: [{ type: 'Dangling', status: 'False' }] },
  });
  const table = buildTable('flowcontrol.apiserver.k8s.io', 'flowschemas', [fs('b', 9000), fs('a', 9000), fs('exempt', 1)], { now: NOW, includeObject: 'None' });
  t.same(table.rows.map((r) => r.cells[0]), ['exempt', 'a', 'b']);
  t.same(table.rows[0]?.cells, ['exempt', 'workload-low', 1, 'ByUser', '5m', 'False']);
});
