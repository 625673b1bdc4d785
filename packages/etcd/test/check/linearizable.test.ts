import t, { type Test } from 'tap';
import { checkLinearizable, type CheckResult, type HistoryEntry } from '../../src/check/index.js';
import { cas, del, failed, get, history, onKey, put } from './helpers/build.js';
import { bruteForceLinearizable } from './helpers/oracle.js';
import { clientLoad } from './helpers/gen.js';

function ok(t: Test, h: HistoryEntry[], name: string): void {
  const r = checkLinearizable(h);
  t.same(r, { ok: true }, name);
  t.ok(bruteForceLinearizable(h), `${name} (oracle agrees)`);
}

/** Asserts a violation and returns its explanation; `mentions` must all appear in it. */
function bad(t: Test, h: HistoryEntry[], name: string, mentions: (string | RegExp)[] = []): string {
  const r: CheckResult = checkLinearizable(h);
  if (r.ok !== false) {
    t.fail(`${name}: expected a violation, got ${JSON.stringify(r)}`);
    return '';
  }
  t.pass(name);
  if (h.length <= 12) t.notOk(bruteForceLinearizable(h), `${name} (oracle agrees)`);
  for (const m of mentions) t.match(r.explanation, m, `${name}: explanation mentions ${String(m)}`);
  t.ok(r.window.length > 0, `${name}: window names the ops`);
  return r.explanation;
}

t.test('linearizable histories pass', async (t) => {
  t.same(checkLinearizable([]), { ok: true }, 'empty history');

  ok(
    t,
    history(
      put(1, 0, 10, 'a'),
      get(1, 20, 30, 'a'),
      put(2, 40, 50, 'b'),
      get(3, 60, 70, 'b'),
      del(1, 80, 90, 1),
      get(2, 100, 110, null),
      del(3, 120, 130, 0),
      cas(1, 140, 150, { version: 0 }, 'c', true),
      get(2, 160, 170, 'c'),
      cas(3, 180, 190, { value: 'c' }, 'd', true),
      cas(1, 200, 210, { value: 'c' }, 'e', false, { kv: { value: 'd' } }),
    ),
    'sequential put/get/delete/cas',
  );

  ok(
    t,
    history(
      put(1, 0, 10, 'a', { revision: 2, prevKv: null }),
      get(2, 20, 30, 'a', { mod: 2, ver: 1, rev: 2 }),
      put(1, 40, 50, 'b', { revision: 5 }), // revisions 3-4 went to other keys
      get(2, 60, 70, 'b', { mod: 5, ver: 2, rev: 7 }),
      del(3, 80, 90, 1, { revision: 8, prevKv: { value: 'b', modRevision: 5, version: 2 } }),
      get(2, 100, 110, null, { rev: 9 }),
      put(1, 120, 130, 'c', { revision: 10, prevKv: null }),
      cas(3, 140, 150, { modRevision: 10 }, 'd', true, { revision: 11 }),
      cas(1, 160, 170, { modRevision: 10 }, 'e', false, { revision: 12, kv: { value: 'd', modRevision: 11, version: 2 } }),
      get(2, 180, 190, 'd', { mod: 11, ver: 2, rev: 12 }),
    ),
    'sequential, with header revisions, mod revisions and versions',
  );

  // Concurrent writes: readers during the overlap may see either, but everybody agrees afterwards.
  ok(
    t,
    history(put(1, 0, 100, 'a'), put(2, 0, 100, 'b'), get(3, 10, 50, 'a'), get(4, 60, 90, 'b'), get(3, 110, 120, 'b')),
    'overlapping writes, a then b',
  );
  ok(
    t,
    history(put(1, 0, 100, 'a'), put(2, 0, 100, 'b'), get(3, 10, 50, 'b'), get(4, 60, 90, 'a'), get(3, 110, 120, 'a')),
    'overlapping writes, b then a',
  );
  ok(
    t,
    history(put(1, 0, 100, 'a'), get(2, 10, 20, null), get(3, 30, 40, 'a'), get(4, 50, 60, 'a')),
    'a read during a write sees it or not, later reads see it',
  );

  ok(
    t,
    history(put(1, 0, 10, 'a'), put(2, 20, null, 'b'), get(3, 30, 40, 'a'), get(3, 1000, 1010, 'b')),
    'an unknown-outcome write may take effect long after its call',
  );
  ok(
    t,
    history(put(1, 0, 10, 'a'), put(2, 20, null, 'b'), get(3, 30, 40, 'a'), get(3, 1000, 1010, 'a')),
    'an unknown-outcome write may never take effect',
  );
  ok(
    t,
    history(put(1, 0, 10, 'a'), del(2, 20, null, 0), cas(3, 25, null, { value: 'a' }, 'z', false), get(1, 30, 40, null)),
    'unknown delete took effect, unknown cas did not',
  );
  ok(
    t,
    history(put(1, 0, 10, 'a'), cas(2, 20, null, { value: 'a' }, 'b', true), get(3, 30, 40, 'b'), get(1, 50, 60, 'b')),
    'unknown cas took effect',
  );
  ok(t, history(put(1, 0, 10, 'a'), failed(put(2, 20, 30, 'b')), get(3, 40, 50, 'a')), 'a failed write is ignored');
  ok(
    t,
    history(put(1, 0, 10, 'a'), put(2, 20, null, 'b'), get(3, 30, 40, 'b', { mod: 7, rev: 7 }), put(1, 50, 60, 'c', { revision: 9 })),
    'an unknown write gets its revision from the read that saw it',
  );
  // Ops that touch at an instant are concurrent: the read may still go before put b.
  ok(t, history(put(1, 0, 10, 'a'), put(2, 10, 20, 'b'), get(3, 20, 30, 'a')), 'touching intervals overlap');
  ok(
    t,
    history(put(1, 0, 10, Buffer.from('välue')), get(2, 20, 30, 'välue')),
    'byte values and strings compare as UTF-8 bytes',
  );
  ok(
    t,
    history(onKey('x', put(1, 0, 10, 'a')), onKey('y', put(2, 5, 15, 'b')), onKey('x', get(3, 20, 30, 'a')), onKey('y', get(4, 20, 30, 'b'))),
    'keys are independent registers',
  );
});

t.test('violations are caught', async (t) => {
  bad(t, history(put(1, 0, 10, 'a'), put(2, 20, 30, 'b'), get(3, 40, 50, 'a')), 'stale read after a completed write', [
    /#2 get\(\) → "a"/,
    /#1 put\("b"\)/,
    /is stale/,
  ]);
  bad(t, history(put(1, 0, 10, 'a'), get(2, 20, 30, 'zzz')), 'a read of a value never written', [/no op wrote "zzz"/]);
  bad(t, history(put(1, 0, 10, 'a'), failed(put(2, 20, 30, 'b')), get(3, 40, 50, 'b')), 'a read of a failed write');
  bad(t, history(get(1, 0, 10, 'b'), put(2, 20, 30, 'b')), 'a read from the future', [/returned before any write/]);
  bad(t, history(put(1, 0, 10, 'a'), get(2, 20, 30, null)), 'lost acknowledged write (read absent after it)');
  bad(
    t,
    history(put(1, 0, 10, 'a'), put(2, 20, 30, 'b'), put(3, 25, 35, 'c'), get(1, 40, 50, 'c'), get(2, 60, 70, 'a')),
    'lost acknowledged write (an older value comes back)',
  );
  bad(
    t,
    history(put(1, 0, 10, 'a', { revision: 5 }), get(2, 20, 30, null, { rev: 6 })),
    'lost acknowledged write, with revisions',
  );
  bad(
    t,
    history(put(1, 0, 10, 'a'), put(2, 20, 30, 'b'), cas(3, 40, 50, { value: 'a' }, 'c', true)),
    'a successful cas from a stale value',
  );
  bad(
    t,
    history(put(1, 0, 10, 'a', { revision: 2 }), put(2, 20, 30, 'b', { revision: 3 }), cas(3, 40, 50, { modRevision: 2 }, 'c', true, { revision: 4 })),
    'a successful cas from a stale mod revision',
  );
  const twoCas = bad(
    t,
    history(put(1, 0, 10, 'a'), cas(2, 20, 40, { value: 'a' }, 'b', true), cas(3, 25, 45, { value: 'a' }, 'c', true)),
    'two successful cas from the same value',
    [/✗ it would overwrite "a" for good, but #[12] .* still has to see it/],
  );
  t.match(twoCas, /longest linearizable prefix/);
  bad(
    t,
    history(
      put(1, 0, 10, 'a', { revision: 2 }),
      cas(2, 20, 40, { modRevision: 2 }, 'b', true, { revision: 3 }),
      cas(3, 25, 45, { modRevision: 2 }, 'c', true, { revision: 4 }),
    ),
    'two successful cas from the same mod revision',
  );
  bad(
    t,
    history(put(1, 0, 10, 'a'), put(2, 20, 200, 'b'), get(3, 30, 40, 'b'), get(4, 50, 60, 'a')),
    'non-monotonic reads across clients',
    [/#3 client 4/],
  );
  bad(
    t,
    history(put(1, 0, 10, 'a', { revision: 5 }), get(2, 20, 30, 'a', { mod: 5, rev: 9 }), get(3, 40, 50, 'a', { mod: 5, rev: 7 })),
    'read revision going backwards',
    [/revisions went backwards/],
  );
  bad(t, history(put(1, 0, 10, 'a', { revision: 5 }), put(2, 20, 30, 'b', { revision: 4 })), 'write revision going backwards');
  bad(
    t,
    history(put(1, 0, 10, 'a', { revision: 5 }), get(2, 20, 30, 'a', { mod: 6, rev: 6 })),
    'a read of a mod revision its writer did not make',
  );
  bad(t, history(put(1, 0, 10, 'a'), put(2, 20, 30, 'b'), get(3, 40, 50, 'b', { ver: 1 })), 'version not counting writes');
  bad(t, history(get(1, 0, 10, null), del(2, 20, 30, 1)), 'deleting a key that is absent');
  bad(
    t,
    history(put(1, 0, 10, 'a'), cas(2, 20, 30, { value: 'a' }, 'b', false)),
    'a failed cas whose compare must have held',
  );
  bad(
    t,
    history(put(1, 0, 10, 'a'), put(2, 20, null, 'b'), get(3, 30, 40, 'b'), get(4, 50, 60, 'a')),
    'an unknown write seen, then unseen',
  );
  bad(
    t,
    history(put(1, 0, null, 'a'), get(2, 10, 20, 'a', { mod: 5, rev: 5 }), get(3, 30, 40, 'a', { mod: 6, rev: 6 })),
    'an unknown write seen with two different mod revisions',
  );
  const r = checkLinearizable(
    history(onKey('x', put(1, 0, 10, 'a')), onKey('y', put(2, 0, 10, 'a')), onKey('y', put(2, 20, 30, 'b')), onKey('y', get(3, 40, 50, 'a'))),
  );
  t.equal(r.ok === false && r.key, 'y', 'the failing key is reported');
});

t.test('the window of a search-found violation lists the ops around the failing point', async (t) => {
  const h = history(
    put(1, 0, 10, 'a'),
    get(2, 20, 30, 'a'),
    cas(2, 40, 60, { value: 'a' }, 'b', true),
    cas(3, 45, 65, { value: 'a' }, 'c', true),
    get(1, 70, 80, 'c'),
  );
  const r = checkLinearizable(h);
  t.equal(r.ok, false);
  if (r.ok !== false) return;
  const ids = r.window.map((e) => e.id);
  t.ok(ids.includes(2) && ids.includes(3), `window ${ids.join(',')} holds both cas ops`);
  t.match(r.explanation, /Then nothing can be linearized next/);
});

t.test('time budget: gives up with unknown rather than hanging', async (t) => {
  const h = clientLoad({ seed: 7, clients: 16, ops: 3000, cfg: { revisions: true, meta: true, valuePool: 0 } });
  const r = checkLinearizable(h, { timeoutMs: 0 });
  t.equal(r.ok, 'unknown');
  if (r.ok === 'unknown') t.match(r.reason, /time budget exhausted/);
});

t.test('malformed entries are rejected', async (t) => {
  const [e] = history(put(1, 0, 10, 'a'));
  t.throws(() => checkLinearizable([{ ...e!, result: undefined }]), /needs ret and result/);
  t.throws(() => checkLinearizable([{ ...e!, ret: -1n }]), /returns before it was called/);
  const [g] = history(get(1, 0, 10, 'a'));
  t.throws(() => checkLinearizable([{ ...g!, result: { revision: 3 } }]), /needs kv/);
  const [d] = history(del(1, 0, 10, 1));
  t.throws(() => checkLinearizable([{ ...d!, result: { deleted: 2 } }]), /cannot delete 2/);
});
