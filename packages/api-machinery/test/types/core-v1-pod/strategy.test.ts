import t from 'tap';
import type { JsonObject } from '../../../src/json.js';
import { podQOSClass, preparePodForCreate, syncPodStatusIPs } from '../../../src/types/core-v1/pod.js';

const withResources = (...rs: JsonObject[]): JsonObject => ({ containers: rs.map((resources, i) => ({ name: `c${i}`, image: 'x', resources })) });

t.test('QoS class', async (t) => {
  t.equal(podQOSClass(withResources({})), 'BestEffort');
  t.equal(podQOSClass(withResources({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1024Mi' } })), 'Guaranteed');
  t.equal(podQOSClass(withResources({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m', memory: '1Gi' } })), 'Burstable');
  t.equal(podQOSClass(withResources({ limits: { cpu: '1' }, requests: { cpu: '1' } })), 'Burstable', 'memory limit missing');
  t.equal(podQOSClass(withResources({ limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } }, {})), 'Burstable', 'one container without limits');
  t.equal(podQOSClass(withResources({ requests: { 'example.com/gpu': '1' } })), 'BestEffort', 'only cpu and memory count');
  t.equal(podQOSClass(undefined), 'BestEffort');
});

t.test('preparePodForCreate resets the status and merges affinity label keys', async (t) => {
  const pod: JsonObject = {
    metadata: { name: 'p', labels: { app: 'web', tier: 'fe' } },
    spec: {
      containers: [{ name: 'c', image: 'x' }],
      schedulingGates: [{ name: 'wait' }],
      affinity: {
        podAntiAffinity: {
          requiredDuringSchedulingIgnoredDuringExecution: [
            { topologyKey: 'zone', labelSelector: { matchLabels: { app: 'web' } }, matchLabelKeys: ['tier', 'absent'], mismatchLabelKeys: ['app'] },
          ],
        },
      },
    },
    status: { phase: 'Running', podIP: '1.2.3.4' },
  };
  preparePodForCreate(pod);
  t.same(pod.status, {
    phase: 'Pending',
    qosClass: 'BestEffort',
    conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' }],
  });
  const term = (((pod.spec as JsonObject).affinity as JsonObject).podAntiAffinity as JsonObject).requiredDuringSchedulingIgnoredDuringExecution as JsonObject[];
  t.same(term[0]!.labelSelector, {
    matchLabels: { app: 'web' },
    matchExpressions: [
      { key: 'tier', operator: 'In', values: ['fe'] },
      { key: 'app', operator: 'NotIn', values: ['web'] },
    ],
  });
  const plain: JsonObject = { spec: { containers: [] } };
  preparePodForCreate(plain);
  t.same(plain.status, { phase: 'Pending', qosClass: 'BestEffort' });
});

t.test('syncPodStatusIPs mirrors the single and list forms', async (t) => {
  const a: JsonObject = { podIP: '10.0.0.1', hostIP: '192.168.0.1' };
  syncPodStatusIPs(a);
  t.same(a, { podIP: '10.0.0.1', hostIP: '192.168.0.1', podIPs: [{ ip: '10.0.0.1' }], hostIPs: [{ ip: '192.168.0.1' }] });
  const b: JsonObject = { podIPs: [{ ip: 'fd00::1' }, { ip: '10.0.0.2' }] };
  syncPodStatusIPs(b);
  t.same(b, { podIPs: [{ ip: 'fd00::1' }, { ip: '10.0.0.2' }], podIP: 'fd00::1' });
  const empty: JsonObject = {};
  syncPodStatusIPs(empty);
  t.same(empty, {});
});
