import t from 'tap';
import { ActionType } from '../src/framework/interface.js';
import { nodeChangeActions } from '../src/event-handlers.js';
import { makeNode } from './helpers/fixtures.js';

t.test('node updates become the ActionType bits plugins register for', async (t) => {
  const base = makeNode({ name: 'n' });
  t.equal(nodeChangeActions(base, { ...base, status: { ...base.status, conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: 'later' }] } }), 0, 'heartbeats do not count');
  t.equal(nodeChangeActions(base, makeNode({ name: 'n', cpu: '8' })), ActionType.UpdateNodeAllocatable);
  t.equal(nodeChangeActions(base, makeNode({ name: 'n', labels: { a: 'b' } })), ActionType.UpdateNodeLabel);
  t.equal(nodeChangeActions(base, makeNode({ name: 'n', unschedulable: true })), ActionType.UpdateNodeTaint, 'cordon counts as a taint change');
  t.equal(nodeChangeActions(base, makeNode({ name: 'n', taints: [{ key: 'k', effect: 'NoSchedule' }] })), ActionType.UpdateNodeTaint);
  t.equal(nodeChangeActions(base, { ...base, status: { ...base.status, conditions: [{ type: 'Ready', status: 'False' }] } }), ActionType.UpdateNodeCondition);
});
