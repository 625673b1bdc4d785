import t from 'tap';
import { DEFAULT_MEMORY_REQUEST, nonZeroRequests, parseResourceList, podRequests, Resource } from '../../src/framework/resources.js';
import { makePod } from '../helpers/fixtures.js';

const container = (name: string, requests: Record<string, string>, restartPolicy?: string) => ({
  name,
  image: 'x',
  resources: { requests },
  ...(restartPolicy ? { restartPolicy } : {}),
});

t.test('quantities: cpu in millicores, the rest in units, exact', async (t) => {
  const r = parseResourceList({ cpu: '1500m', memory: '1Gi', 'ephemeral-storage': '10G', pods: '110', 'example.com/gpu': '2', bad: 'x' });
  t.same(Object.fromEntries(r), { cpu: 1500, memory: 1024 ** 3, 'ephemeral-storage': 10e9, pods: 110, 'example.com/gpu': 2 });
  t.equal(parseResourceList({ cpu: '0.1' }).get('cpu'), 100);
  t.equal(parseResourceList({ cpu: '1' }).get('cpu'), 1000);
  t.equal(parseResourceList({ cpu: '1u' }).get('cpu'), 1, 'rounded up like MilliValue');
});

t.test('pod requests: containers summed, init containers as a maximum, overhead added (Kubernetes example)', async (t) => {
  const pod = makePod({
    name: 'p',
    containers: [container('c1', { cpu: '2', memory: '1G' }), container('c2', { cpu: '1', memory: '1G' })],
    initContainers: [container('i1', { cpu: '2', memory: '1G' }), container('i2', { cpu: '2', memory: '3G' })],
  });
  t.same(Object.fromEntries(podRequests(pod)), { cpu: 3000, memory: 3e9 });
  const withOverhead = makePod({ name: 'o', cpu: '100m', overhead: { cpu: '250m', memory: '120Mi' } });
  t.same(Object.fromEntries(podRequests(withOverhead)), { cpu: 350, memory: 120 * 1024 * 1024 });
});

t.test('sidecars (restartable init containers) keep running: they add to the sum and to later init steps', async (t) => {
  const pod = makePod({
    name: 'p',
    containers: [container('app', { cpu: '1' })],
    initContainers: [container('sidecar', { cpu: '500m' }, 'Always'), container('init', { cpu: '2' })],
  });
  // app 1 + sidecar 0.5 = 1.5; init step = 2 + sidecar 0.5 = 2.5 → 2.5
  t.equal(podRequests(pod).get('cpu'), 2500);
});

t.test('only limits given: requests = limits', async (t) => {
  const pod = makePod({ name: 'p', containers: [{ name: 'c', image: 'x', resources: { limits: { cpu: '300m', memory: '64Mi' } } }] });
  t.same(Object.fromEntries(podRequests(pod)), { cpu: 300, memory: 64 * 1024 * 1024 });
});

t.test('non-zero defaults apply to missing requests only, not to an explicit zero', async (t) => {
  t.same(Object.fromEntries(nonZeroRequests(makePod({ name: 'a' }))), { cpu: 100, memory: DEFAULT_MEMORY_REQUEST });
  t.same(Object.fromEntries(nonZeroRequests(makePod({ name: 'b', cpu: '0' }))), { cpu: 0, memory: DEFAULT_MEMORY_REQUEST });
  t.same(Object.fromEntries(podRequests(makePod({ name: 'c' }))), {}, 'fit counts nothing for a pod without requests');
});

t.test('Resource adds and subtracts by name', async (t) => {
  const r = Resource.from(new Map([['cpu', 100], ['memory', 5], ['pods', 3], ['x/y', 2]]));
  r.add(new Map([['cpu', 50], ['x/y', 1]]), -1);
  t.same([r.milliCPU, r.memory, r.allowedPodNumber, r.get('x/y'), r.get('absent')], [50, 5, 3, 1, 0]);
  const c = r.clone();
  c.add(new Map([['cpu', 1]]));
  t.equal(r.milliCPU, 50, 'clones are independent');
});
