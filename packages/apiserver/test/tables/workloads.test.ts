import t from 'tap';
import type { JsonObject } from '@k8ts/api-machinery';
import { ago, cellsByName, columnNames, h, m, meta, s } from './helpers/fixtures.js';

const template = (labels: Record<string, string> = { app: 'web' }): JsonObject => ({
  metadata: { labels },
  spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }, { name: 'log', image: 'busybox' }] },
});

t.test('deployments', async (t) => {
  t.same(columnNames('apps', 'deployments'), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
  const dep: JsonObject = {
    metadata: meta('web'),
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: 'web', tier: 'fe' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'canary'] }] },
      template: template(),
    },
    status: { replicas: 3, readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
  };
  t.same(cellsByName('apps', 'deployments', dep), {
    Name: 'web',
    Ready: '2/3',
    'Up-to-date': 3,
    Available: 2,
    Age: '5m',
    Containers: 'nginx,log',
    Images: 'nginx:1.27,busybox',
    Selector: 'app=web,env in (canary,prod),tier=fe',
  });
  const fresh = cellsByName('apps', 'deployments', { metadata: meta('new'), spec: { template: template() } });
  t.same([fresh['Ready'], fresh['Up-to-date'], fresh['Available'], fresh['Selector']], ['0/1', 0, 0, ''], 'defaults; nil selector prints empty');
  const bad = cellsByName('apps', 'deployments', { metadata: meta('x'), spec: { selector: { matchExpressions: [{ key: 'a', operator: 'Foo' }] } } });
  t.equal(bad['Selector'], '<invalid>');
});

t.test('replicasets and replicationcontrollers', async (t) => {
  t.same(columnNames('apps', 'replicasets'), ['Name', 'Desired', 'Current', 'Ready', 'Age', 'Containers', 'Images', 'Selector']);
  const rs: JsonObject = {
    metadata: meta('web-5d4f8'),
    spec: { replicas: 2, selector: { matchLabels: { app: 'web', 'pod-template-hash': '5d4f8' } }, template: template() },
    status: { replicas: 2, readyReplicas: 1 },
  };
  t.same(Object.values(cellsByName('apps', 'replicasets', rs)), ['web-5d4f8', 2, 2, 1, '5m', 'nginx,log', 'nginx:1.27,busybox', 'app=web,pod-template-hash=5d4f8']);
  t.equal(cellsByName('apps', 'replicasets', { metadata: meta('x'), spec: { selector: {} } })['Selector'], '<none>');
  t.equal(
    cellsByName('apps', 'replicasets', { metadata: meta('x'), spec: { selector: { matchExpressions: [{ key: 'a', operator: 'Exists', values: ['z'] }] } } })['Selector'],
    '<error>',
  );

  const rc: JsonObject = { metadata: meta('legacy'), spec: { replicas: 1, selector: { b: '2', a: '1' }, template: template() }, status: { replicas: 1, readyReplicas: 1 } };
  t.same(Object.values(cellsByName('', 'replicationcontrollers', rc)), ['legacy', 1, 1, 1, '5m', 'nginx,log', 'nginx:1.27,busybox', 'a=1,b=2']);
});

t.test('statefulsets and daemonsets', async (t) => {
  t.same(columnNames('apps', 'statefulsets'), ['Name', 'Ready', 'Age', 'Containers', 'Images']);
  const sts: JsonObject = { metadata: meta('db'), spec: { replicas: 3, template: template() }, status: { readyReplicas: 3 } };
  t.same(Object.values(cellsByName('apps', 'statefulsets', sts)), ['db', '3/3', '5m', 'nginx,log', 'nginx:1.27,busybox']);

  t.same(columnNames('apps', 'daemonsets'), [
    'Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age', 'Containers', 'Images', 'Selector',
  ]);
  const ds: JsonObject = {
    metadata: meta('kube-proxy'),
    spec: {
      selector: { matchLabels: { k8s: 'proxy' } },
      template: { spec: { nodeSelector: { 'kubernetes.io/os': 'linux' }, containers: [{ name: 'kube-proxy', image: 'registry.k8s.io/kube-proxy:v1.32.0' }] } },
    },
    status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, numberReady: 2, updatedNumberScheduled: 3, numberAvailable: 2 },
  };
  t.same(Object.values(cellsByName('apps', 'daemonsets', ds)), [
    'kube-proxy', 3, 3, 2, 3, 2, 'kubernetes.io/os=linux', '5m', 'kube-proxy', 'registry.k8s.io/kube-proxy:v1.32.0', 'k8s=proxy',
  ]);
  t.equal(cellsByName('apps', 'daemonsets', { metadata: meta('x') })['Node Selector'], '<none>');
});

t.test('jobs', async (t) => {
  t.same(columnNames('batch', 'jobs'), ['Name', 'Status', 'Completions', 'Duration', 'Age', 'Containers', 'Images', 'Selector']);
  const job = (spec: JsonObject, status: JsonObject, metadata: JsonObject = {}): JsonObject => ({
    metadata: meta('pi', metadata),
    spec: { template: { spec: { containers: [{ name: 'pi', image: 'perl:5.34' }] } }, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } }, ...spec },
    status,
  });
  const complete = cellsByName(
    'batch',
    'jobs',
    job({ completions: 1, parallelism: 1 }, {
      succeeded: 1,
      startTime: ago(m(5)),
      completionTime: ago(m(5) - s(42)),
      conditions: [{ type: 'SuccessCriteriaMet', status: 'True' }, { type: 'Complete', status: 'True' }],
    }),
  );
  t.same(Object.values(complete), ['pi', 'Complete', '1/1', '42s', '5m', 'pi', 'perl:5.34', 'batch.kubernetes.io/controller-uid=u1']);

  const runningJob = cellsByName('batch', 'jobs', job({ completions: 5, parallelism: 2 }, { succeeded: 2, active: 2, startTime: ago(m(3) + s(10)) }));
  t.same([runningJob['Status'], runningJob['Completions'], runningJob['Duration']], ['Running', '2/5', '3m10s']);

  t.equal(cellsByName('batch', 'jobs', job({ parallelism: 3 }, {}))['Completions'], '0/1 of 3', 'work queue with parallelism');
  t.equal(cellsByName('batch', 'jobs', job({}, {}))['Completions'], '0/1');
  t.equal(cellsByName('batch', 'jobs', job({}, {}))['Duration'], '', 'not started');
  t.equal(cellsByName('batch', 'jobs', job({}, { conditions: [{ type: 'Failed', status: 'True', reason: 'BackoffLimitExceeded' }] }))['Status'], 'Failed');
  t.equal(cellsByName('batch', 'jobs', job({ suspend: true }, { conditions: [{ type: 'Suspended', status: 'True' }] }))['Status'], 'Suspended');
  t.equal(cellsByName('batch', 'jobs', job({}, { conditions: [{ type: 'FailureTarget', status: 'True' }] }))['Status'], 'FailureTarget');
  t.equal(cellsByName('batch', 'jobs', job({}, { conditions: [{ type: 'Complete', status: 'False' }] }))['Status'], 'Running');
  t.equal(
    cellsByName('batch', 'jobs', job({}, { conditions: [{ type: 'Suspended', status: 'True' }] }, { deletionTimestamp: ago(s(1)) }))['Status'],
    'Terminating',
    'deletion outranks suspension',
  );
  t.equal(
    cellsByName('batch', 'jobs', job({}, { conditions: [{ type: 'Complete', status: 'True' }] }, { deletionTimestamp: ago(s(1)) }))['Status'],
    'Complete',
    'a finished job stays Complete while deleted',
  );
});

t.test('cronjobs', async (t) => {
  t.same(columnNames('batch', 'cronjobs'), [
    'Name', 'Schedule', 'Timezone', 'Suspend', 'Active', 'Last Schedule', 'Age', 'Containers', 'Images', 'Selector',
  ]);
  const cj: JsonObject = {
    metadata: meta('backup', { creationTimestamp: ago(h(30)) }),
    spec: {
      schedule: '*/5 * * * *',
      timeZone: 'Europe/Paris',
      suspend: false,
      jobTemplate: { spec: { template: { spec: { containers: [{ name: 'backup', image: 'restic:0.16' }] } } } },
    },
    status: { active: [{ name: 'backup-28624080' }], lastScheduleTime: ago(m(2)) },
  };
  t.same(Object.values(cellsByName('batch', 'cronjobs', cj)), ['backup', '*/5 * * * *', 'Europe/Paris', 'False', 1, '2m', '30h', 'backup', 'restic:0.16', '<none>']);
  const plain = cellsByName('batch', 'cronjobs', { metadata: meta('x'), spec: { schedule: '@hourly', suspend: true } });
  t.same([plain['Timezone'], plain['Suspend'], plain['Active'], plain['Last Schedule']], ['<none>', 'True', 0, '<none>']);
});

t.test('controllerrevisions', async (t) => {
  t.same(columnNames('apps', 'controllerrevisions'), ['Name', 'Controller', 'Revision', 'Age']);
  const cr: JsonObject = {
    metadata: meta('db-7c9f', { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'db', uid: 'u', controller: true }] }),
    revision: 2,
  };
  t.same(Object.values(cellsByName('apps', 'controllerrevisions', cr)), ['db-7c9f', 'statefulset.apps/db', 2, '5m']);
  t.equal(cellsByName('apps', 'controllerrevisions', { metadata: meta('orphan'), revision: 1 })['Controller'], '<none>');
  const core = { metadata: meta('c', { ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', controller: true }] }) };
  t.equal(cellsByName('apps', 'controllerrevisions', core)['Controller'], 'pod/p');
});

t.test('poddisruptionbudgets', async (t) => {
  t.same(columnNames('policy', 'poddisruptionbudgets'), ['Name', 'Min Available', 'Max Unavailable', 'Allowed Disruptions', 'Age']);
  t.same(Object.values(cellsByName('policy', 'poddisruptionbudgets', { metadata: meta('web'), spec: { minAvailable: 2 }, status: { disruptionsAllowed: 1 } })), [
    'web', '2', 'N/A', 1, '5m',
  ]);
  t.same(Object.values(cellsByName('policy', 'poddisruptionbudgets', { metadata: meta('db'), spec: { maxUnavailable: '25%' } })), ['db', 'N/A', '25%', 0, '5m']);
});

t.test('horizontalpodautoscalers', async (t) => {
  t.same(columnNames('autoscaling', 'horizontalpodautoscalers'), ['Name', 'Reference', 'Targets', 'MinPods', 'MaxPods', 'Replicas', 'Age']);
  const hpa: JsonObject = {
    metadata: meta('web'),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
        { type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '1024Mi' } } },
        { type: 'Pods', pods: { metric: { name: 'qps' }, target: { type: 'AverageValue', averageValue: '1k' } } },
      ],
    },
    status: {
      currentReplicas: 3,
      currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 45, averageValue: '120m' } } }],
    },
  };
  t.same(Object.values(cellsByName('autoscaling', 'horizontalpodautoscalers', hpa)), [
    'web',
    'Deployment/web',
    'cpu: 45%/80%, memory: <unknown>/1Gi + 1 more...',
    '2',
    10,
    3,
    '5m',
  ]);
  const v1: JsonObject = {
    metadata: meta('api'),
    spec: { scaleTargetRef: { kind: 'Deployment', name: 'api' }, maxReplicas: 5, targetCPUUtilizationPercentage: 70 },
    status: { currentReplicas: 1 },
  };
  const c = cellsByName('autoscaling', 'horizontalpodautoscalers', v1);
  t.same([c['Targets'], c['MinPods']], ['cpu: <unknown>/70%', '1']);
  const none = cellsByName('autoscaling', 'horizontalpodautoscalers', { metadata: meta('n'), spec: { metrics: [] } });
  t.equal(none['Targets'], '<none>');
  const external = cellsByName('autoscaling', 'horizontalpodautoscalers', {
    metadata: meta('e'),
    spec: { metrics: [{ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '30' } } }] },
    status: { currentMetrics: [{ type: 'External', external: { current: { value: '12' } } }] },
  });
  t.equal(external['Targets'], '12/30');
});

t.test('podtemplates', async (t) => {
  t.same(columnNames('', 'podtemplates'), ['Name', 'Containers', 'Images', 'Pod Labels']);
  t.same(Object.values(cellsByName('', 'podtemplates', { metadata: meta('tpl'), template: template({ b: '2', a: '1' }) })), [
    'tpl', 'nginx,log', 'nginx:1.27,busybox', 'a=1,b=2',
  ]);
});

