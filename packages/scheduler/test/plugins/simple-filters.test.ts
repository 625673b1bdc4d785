import t from 'tap';
import { CycleState } from '../../src/framework/interface.js';
import { NodeInfo } from '../../src/framework/node-info.js';
import { ERR_REASON_NODE_NAME, NodeName } from '../../src/plugins/node-name.js';
import { ERR_REASON_NODE_PORTS, NodePorts } from '../../src/plugins/node-ports.js';
import { ERR_REASON_UNSCHEDULABLE, NodeUnschedulable } from '../../src/plugins/node-unschedulable.js';
import { makeNode, makePod, nodeInfo } from '../helpers/fixtures.js';

t.test('NodeUnschedulable: cordoned nodes, unless the pod tolerates the unschedulable taint', async (t) => {
  const plugin = new NodeUnschedulable();
  const cordoned = nodeInfo(makeNode({ name: 'n', unschedulable: true }));
  t.same(plugin.filter(undefined, makePod({ name: 'p' }), cordoned)?.reasons, [ERR_REASON_UNSCHEDULABLE]);
  t.equal(plugin.filter(undefined, makePod({ name: 'p' }), cordoned)?.code, 'UnschedulableAndUnresolvable');
  const tolerant = makePod({ name: 'd', tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] });
  t.equal(plugin.filter(undefined, tolerant, cordoned), undefined);
  t.equal(plugin.filter(undefined, makePod({ name: 'p' }), nodeInfo(makeNode({ name: 'ok' }))), undefined);
});

t.test('NodeName: only the named node', async (t) => {
  const plugin = new NodeName();
  t.same(plugin.filter(undefined, makePod({ name: 'p', nodeName: 'a' }), nodeInfo(makeNode({ name: 'b' })))?.reasons, [ERR_REASON_NODE_NAME]);
  t.equal(plugin.filter(undefined, makePod({ name: 'p', nodeName: 'a' }), nodeInfo(makeNode({ name: 'a' }))), undefined);
});

t.test('NodePorts: protocol, address and port conflicts; 0.0.0.0 conflicts with every address', async (t) => {
  const plugin = new NodePorts();
  const node = makeNode({ name: 'n' });
  const existing = [makePod({ name: 'web', hostPorts: [{ port: 80 }, { port: 53, protocol: 'UDP', hostIP: '10.0.0.1' }] })];
  const ni = nodeInfo(node, existing);
  const check = (hostPorts: { port: number; protocol?: 'TCP' | 'UDP'; hostIP?: string }[]) => {
    const pod = makePod({ name: 'new', hostPorts });
    const state = new CycleState();
    const pre = plugin.preFilter(state, pod);
    if (pre?.code === 'Skip') return 'skip';
    return plugin.filter(state, pod, ni)?.reasons[0] ?? 'fits';
  };
  t.equal(check([{ port: 80 }]), ERR_REASON_NODE_PORTS);
  t.equal(check([{ port: 80, protocol: 'UDP' }]), 'fits', 'other protocol');
  t.equal(check([{ port: 80, hostIP: '10.0.0.2' }]), ERR_REASON_NODE_PORTS, 'the existing 0.0.0.0:80 covers every address');
  t.equal(check([{ port: 53, protocol: 'UDP', hostIP: '10.0.0.2' }]), 'fits', 'different specific address');
  t.equal(check([{ port: 53, protocol: 'UDP' }]), ERR_REASON_NODE_PORTS, 'a new 0.0.0.0 conflicts with any address');
  t.equal(check([]), 'skip');
  const freed = ni.clone();
  freed.removePod('uid-default-web');
  t.equal(freed.usedPorts.size, 0, 'removing the pod frees its ports');
  t.equal(ni.usedPorts.size, 2, 'the clone is independent');
  t.equal(new NodeInfo().usedPorts.size, 0);
});
