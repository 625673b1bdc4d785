import t from 'tap';
import { conditionPatch, NOTE_LENGTH_LIMIT, truncateMessage, unschedulableCondition } from '../src/events-and-status.js';
import { makePod } from './helpers/fixtures.js';

t.test('PodScheduled=False: new transition time on change, none written when identical', async (t) => {
  const now = new Date('2024-05-01T10:00:00.123Z');
  const pod = makePod({ name: 'p' });
  const first = unschedulableCondition(pod, 'Unschedulable', 'msg', now)!;
  t.same(first, { type: 'PodScheduled', status: 'False', lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'Unschedulable', message: 'msg' });
  pod.status = { phase: 'Pending', conditions: [first] };
  t.equal(unschedulableCondition(pod, 'Unschedulable', 'msg', new Date()), undefined);
  const changed = unschedulableCondition(pod, 'Unschedulable', 'other', new Date('2030-01-01T00:00:00Z'))!;
  t.equal(changed.lastTransitionTime, '2024-05-01T10:00:00Z', 'status stayed False: the transition time stays');
  t.same(conditionPatch(changed), {
    status: { conditions: [{ type: 'PodScheduled', status: 'False', lastProbeTime: null, lastTransitionTime: '2024-05-01T10:00:00Z', reason: 'Unschedulable', message: 'other' }] },
  });
});

t.test('event notes are cut at 1024 bytes with " ..."', async (t) => {
  t.equal(truncateMessage('short'), 'short');
  const long = truncateMessage('x'.repeat(2000));
  t.equal(Buffer.byteLength(long), NOTE_LENGTH_LIMIT);
  t.ok(long.endsWith('x ...'));
});
