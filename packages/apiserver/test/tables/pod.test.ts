import t from 'tap';
import type { JsonObject } from '@k8ts/api-machinery';
import { buildTable } from '../../src/tables/index.js';
import { NOW, ago, cellsByName, columnNames, h, m, meta, s } from './helpers/fixtures.js';

const running = (startedAgo = m(5)): JsonObject => ({ running: { startedAt: ago(startedAgo) } });
const ready = (name: string, extra: JsonObject = {}): JsonObject => ({
  name,
  ready: true,
  started: true,
  restartCount: 0,
  image: `${name}:1`,
  imageID: '',
  state: running(),
  ...extra,
});
const cond = (type: string, status: string, extra: JsonObject = {}): JsonObject => ({ type, status, ...extra });

interface PodOpts {
  containers?: string[];
  initContainers?: JsonObject[];
  phase?: string;
  reason?: string;
  statuses?: JsonObject[];
  initStatuses?: JsonObject[];
  conditions?: JsonObject[];
  metadata?: JsonObject;
  spec?: JsonObject;
  status?: JsonObject;
}

function pod(o: PodOpts): JsonObject {
  const status: JsonObject = {
    phase: o.phase ?? 'Running',
    conditions: o.conditions ?? [cond('Initialized', 'True'), cond('Ready', 'True'), cond('PodScheduled', 'True')],
    containerStatuses: o.statuses ?? [],
    ...(o.initStatuses ? { initContainerStatuses: o.initStatuses } : {}),
    ...(o.reason ? { reason: o.reason } : {}),
    ...(o.status ?? {}),
  };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: meta('web-0', o.metadata ?? {}),
    spec: {
      containers: (o.containers ?? ['app']).map((n) => ({ name: n, image: `${n}:1` })),
      ...(o.initContainers ? { initContainers: o.initContainers } : {}),
      ...(o.spec ?? {}),
    },
    status,
  };
}

const row = (p: JsonObject) => cellsByName('', 'pods', p);
const summary = (p: JsonObject) => {
  const c = row(p);
  return [c['Ready'], c['Status'], c['Restarts']];
};

t.test('pod columns match Kubernetes 1.32', async (t) => {
  t.same(columnNames('', 'pods'), ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
  const defs = buildTable('', 'pods', [], { now: NOW, includeObject: 'None' }).columnDefinitions;
  t.same(
    defs.map((c) => [c.type, c.format, c.priority]),
    [
      ['string', 'name', 0],
      ['string', '', 0],
      ['string', '', 0],
      ['string', '', 0],
      ['string', '', 0],
      ['string', '', 1],
      ['string', '', 1],
      ['string', '', 1],
      ['string', '', 1],
    ],
  );
});

t.test('pod status cases', async (t) => {
  // 1. Healthy running pod.
  t.same(summary(pod({ statuses: [ready('app')] })), ['1/1', 'Running', '0'], 'running');

  // 2. Pending, nothing reported yet.
  t.same(summary(pod({ phase: 'Pending', conditions: [], statuses: [] })), ['0/1', 'Pending', '0'], 'pending');

  // 3. Image pull failure: waiting reason wins.
  t.same(
    summary(pod({ phase: 'Pending', statuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ErrImagePull', message: 'x' } } }] })),
    ['0/1', 'ErrImagePull', '0'],
    'ErrImagePull',
  );

  // 4. CrashLoopBackOff with restarts "ago" from lastState.terminated.finishedAt.
  t.same(
    summary(
      pod({
        statuses: [
          {
            name: 'app',
            ready: false,
            restartCount: 3,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(m(5) + s(30)) } },
          },
        ],
      }),
    ),
    ['0/1', 'CrashLoopBackOff', '3 (5m30s ago)'],
    'CrashLoopBackOff',
  );

  // 5. Completed (all containers terminated with reason Completed).
  t.same(
    summary(pod({ phase: 'Succeeded', statuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }] })),
    ['0/1', 'Completed', '0'],
    'Completed',
  );

  // 6. Terminated without reason, by signal.
  t.same(
    summary(pod({ phase: 'Failed', statuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 137, signal: 9 } } }] })),
    ['0/1', 'Signal:9', '0'],
    'Signal:9',
  );

  // 7. Terminated without reason, by exit code.
  t.same(
    summary(pod({ phase: 'Failed', statuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 1 } } }] })),
    ['0/1', 'ExitCode:1', '0'],
    'ExitCode:1',
  );

  // 8. One container completed, another still running and the pod is Ready -> Running.
  const mixed = (podReady: string) =>
    pod({
      containers: ['app', 'helper'],
      conditions: [cond('Initialized', 'True'), cond('Ready', podReady)],
      statuses: [ready('app'), { name: 'helper', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
    });
  t.same(summary(mixed('True')), ['1/2', 'Running', '0'], 'completed + running, pod ready');
  // 9. Same but the pod is not Ready -> NotReady.
  t.same(summary(mixed('False')), ['1/2', 'NotReady', '0'], 'completed + running, pod not ready');

  // 10. First container's reason wins (statuses are walked from the end).
  t.same(
    summary(
      pod({
        containers: ['a', 'b'],
        statuses: [
          { name: 'a', ready: false, restartCount: 1, state: { waiting: { reason: 'ContainerCreating' } } },
          { name: 'b', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } },
        ],
      }),
    ),
    ['0/2', 'ContainerCreating', '3'],
    'first container reason, restarts summed, no "ago" without finishedAt',
  );

  // 11. Init container running: Init:0/2.
  const inits = [{ name: 'migrate', image: 'm' }, { name: 'seed', image: 's' }];
  t.same(
    summary(
      pod({
        phase: 'Pending',
        initContainers: inits,
        conditions: [cond('Initialized', 'False')],
        initStatuses: [
          { name: 'migrate', ready: false, restartCount: 0, state: running() },
          { name: 'seed', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
        ],
        statuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
      }),
    ),
    ['0/1', 'Init:0/2', '0'],
    'Init:0/2',
  );

  // 12. Second init container pending after the first succeeded: Init:1/2.
  t.same(
    summary(
      pod({
        phase: 'Pending',
        initContainers: inits,
        conditions: [cond('Initialized', 'False')],
        initStatuses: [
          { name: 'migrate', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } },
          { name: 'seed', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } },
        ],
      }),
    ),
    ['0/1', 'Init:1/2', '0'],
    'Init:1/2',
  );

  // 13. Init container crash-looping; restarts count init restarts with "ago".
  t.same(
    summary(
      pod({
        phase: 'Pending',
        initContainers: inits,
        conditions: [cond('Initialized', 'False')],
        initStatuses: [
          {
            name: 'migrate',
            ready: false,
            restartCount: 4,
            state: { waiting: { reason: 'CrashLoopBackOff' } },
            lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(m(2)) } },
          },
        ],
      }),
    ),
    ['0/1', 'Init:CrashLoopBackOff', '4 (2m ago)'],
    'Init:CrashLoopBackOff',
  );

  // 14. Init container failed with reason Error.
  t.same(
    summary(
      pod({
        phase: 'Failed',
        initContainers: inits,
        conditions: [cond('Initialized', 'False')],
        initStatuses: [{ name: 'migrate', ready: false, restartCount: 0, state: { terminated: { exitCode: 2, reason: 'Error' } } }],
      }),
    ),
    ['0/1', 'Init:Error', '0'],
    'Init:Error',
  );

  // 15. Init container failed without reason: Init:ExitCode / Init:Signal.
  const initTerm = (term: JsonObject) =>
    pod({
      phase: 'Pending',
      initContainers: inits,
      conditions: [cond('Initialized', 'False')],
      initStatuses: [{ name: 'migrate', ready: false, restartCount: 0, state: { terminated: term } }],
    });
  t.equal(row(initTerm({ exitCode: 3 }))['Status'], 'Init:ExitCode:3', 'Init:ExitCode');
  t.equal(row(initTerm({ exitCode: 137, signal: 9 }))['Status'], 'Init:Signal:9', 'Init:Signal');

  // 16. Sidecar (restartable init container) started and ready: counts toward READY, pod Running.
  const sidecarPod = (started: boolean, initialized: string) =>
    pod({
      initContainers: [{ name: 'proxy', image: 'envoy', restartPolicy: 'Always' }],
      conditions: [cond('Initialized', initialized), cond('Ready', 'True')],
      initStatuses: [
        {
          name: 'proxy',
          ready: started,
          started,
          restartCount: 2,
          state: started ? running() : { waiting: { reason: 'PodInitializing' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: ago(h(1) + m(10)) } },
        },
      ],
      statuses: started ? [ready('app')] : [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
    });
  t.same(summary(sidecarPod(true, 'True')), ['2/2', 'Running', '2 (70m ago)'], 'sidecar running');
  // 17. Sidecar not started yet: the pod is still initialising.
  t.same(summary(sidecarPod(false, 'False')), ['0/2', 'Init:0/1', '2 (70m ago)'], 'sidecar starting');

  // 18. Terminating: deletionTimestamp on a running pod.
  t.equal(
    row(pod({ statuses: [ready('app')], metadata: { deletionTimestamp: ago(s(10)), deletionGracePeriodSeconds: 30 } }))['Status'],
    'Terminating',
  );
  // 19. A finished pod being deleted keeps its final status.
  t.equal(
    row(
      pod({
        phase: 'Succeeded',
        statuses: [{ name: 'app', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed' } } }],
        metadata: { deletionTimestamp: ago(s(10)) },
      }),
    )['Status'],
    'Completed',
  );
  // 20. NodeLost + deletion -> Unknown.
  t.equal(
    row(pod({ reason: 'NodeLost', statuses: [ready('app')], metadata: { deletionTimestamp: ago(s(10)) } }))['Status'],
    'Unknown',
  );

  // 21. status.reason (e.g. Evicted) overrides the phase.
  t.same(
    summary(pod({ phase: 'Failed', reason: 'Evicted', conditions: [], statuses: [] })),
    ['0/1', 'Evicted', '0'],
    'Evicted',
  );

  // 22. Scheduling gates.
  t.equal(
    row(pod({ phase: 'Pending', conditions: [cond('PodScheduled', 'False', { reason: 'SchedulingGated' })], statuses: [] }))['Status'],
    'SchedulingGated',
  );

  // 23. Running but container not ready yet: counts 0 ready, status stays Running.
  t.same(
    summary(pod({ conditions: [cond('Ready', 'False')], statuses: [ready('app', { ready: false })] })),
    ['0/1', 'Running', '0'],
    'running not ready',
  );
});

t.test('restarts take the latest finishedAt across containers', async (t) => {
  const p = pod({
    containers: ['a', 'b'],
    statuses: [
      ready('a', { restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: ago(h(5)) } } }),
      ready('b', { restartCount: 1, lastState: { terminated: { exitCode: 1, finishedAt: ago(m(3) + s(15)) } } }),
    ],
  });
  t.equal(row(p)['Restarts'], '2 (3m15s ago)');
});

t.test('wide pod cells', async (t) => {
  const p = pod({
    statuses: [ready('app')],
    spec: { nodeName: 'node-1', readinessGates: [{ conditionType: 'example.com/lb' }, { conditionType: 'example.com/dns' }] },
    conditions: [cond('Ready', 'True'), cond('example.com/lb', 'True'), cond('example.com/dns', 'False')],
    status: { podIP: '10.244.0.7', podIPs: [{ ip: '10.244.0.7' }, { ip: 'fd00::7' }], nominatedNodeName: 'node-2' },
  });
  const c = row(p);
  t.equal(c['Name'], 'web-0');
  t.equal(c['Age'], '5m');
  t.equal(c['IP'], '10.244.0.7');
  t.equal(c['Node'], 'node-1');
  t.equal(c['Nominated Node'], 'node-2');
  t.equal(c['Readiness Gates'], '1/2');

  const bare = row(pod({ statuses: [] }));
  t.same([bare['IP'], bare['Node'], bare['Nominated Node'], bare['Readiness Gates']], ['<none>', '<none>', '<none>', '<none>']);
  t.equal(row(pod({ status: { podIP: '10.0.0.9' } }))['IP'], '10.0.0.9', 'singular podIP still shows');
  const noTs = pod({});
  (noTs['metadata'] as JsonObject)['creationTimestamp'] = null;
  t.equal(row(noTs)['Age'], '<unknown>');
});

t.test('finished pods carry a Completed row condition', async (t) => {
  const done = buildTable('', 'pods', [pod({ phase: 'Succeeded' }), pod({ phase: 'Failed' }), pod({})], { now: NOW, includeObject: 'None' });
  t.same(done.rows[0]?.conditions, [{ type: 'Completed', status: 'True', reason: 'Succeeded', message: 'The pod has completed successfully.' }]);
  t.same(done.rows[1]?.conditions, [{ type: 'Completed', status: 'True', reason: 'Failed', message: 'The pod failed.' }]);
  t.notOk('conditions' in (done.rows[2] ?? {}));
});

t.test('a malformed pod does not throw', async (t) => {
  const c = row({ metadata: { name: 'x' }, spec: 'oops', status: { containerStatuses: [null, 3, { state: null }] } });
  t.same([c['Ready'], c['Status'], c['Restarts'], c['Age']], ['0/0', '', '0', '<unknown>']);
});
