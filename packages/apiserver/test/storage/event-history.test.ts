// The bounded event history behind watches from older revisions.
import t from 'tap';
import { EventHistory, type StoreWatchEvent } from '../../src/storage/index.js';

const ev = (revision: number, key = `k${revision}`): StoreWatchEvent => ({ type: 'ADDED', object: {}, revision, key });
const revs = (h: EventHistory, from: number): number[] => [...h.since(from)].map((e) => e.revision);

t.test('keeps the newest events and knows where it starts', async (t) => {
  const h = new EventHistory(3);
  h.reset(10);
  t.equal(h.startRevision, 10);
  t.same(revs(h, 10), []);
  for (const r of [12, 13, 15]) h.push(ev(r));
  t.same(revs(h, 10), [12, 13, 15]);
  t.same(revs(h, 12), [13, 15]);
  t.same(revs(h, 14), [15]);
  h.push(ev(16));
  t.equal(h.startRevision, 12, 'dropping the event at 12 means a watch must start at 12 or later');
  t.same(revs(h, 12), [13, 15, 16]);
  for (const r of [17, 18, 19, 20]) h.push(ev(r));
  t.equal(h.length, 3);
  t.equal(h.startRevision, 17);
  t.same(revs(h, 0), [18, 19, 20]);
  h.reset(30);
  t.equal(h.length, 0);
  t.equal(h.startRevision, 30);
});

t.test('events sharing a revision (one txn) are dropped as a group boundary', async (t) => {
  const h = new EventHistory(2);
  h.reset(1);
  h.push(ev(2, 'a'));
  h.push(ev(2, 'b'));
  h.push(ev(3));
  t.equal(h.startRevision, 2, 'one event of revision 2 is gone, so 1 can no longer be served');
  t.same(revs(h, 2), [3]);
  t.throws(() => new EventHistory(0), TypeError);
});
