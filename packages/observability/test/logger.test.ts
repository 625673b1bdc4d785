import t from 'tap';
import { Writable } from 'node:stream';
import { createLogger } from '../src/index.js';

function sink(): { stream: Writable; lines: () => Array<Record<string, unknown>> } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { stream, lines: () => chunks.join('').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>) };
}

t.test('logs JSON lines with the component and honours the level', async (t) => {
  const s = sink();
  const log = createLogger({ component: 'etcd', level: 'warn', destination: s.stream, base: { member: 'm1' } });
  log.info('hidden');
  log.warn({ term: 3 }, 'shown');
  const lines = s.lines();
  t.equal(lines.length, 1);
  t.equal(lines[0]?.['component'], 'etcd');
  t.equal(lines[0]?.['member'], 'm1');
  t.equal(lines[0]?.['term'], 3);
  t.equal(lines[0]?.['msg'], 'shown');
});

t.test('an invalid level is a clear error', async (t) => {
  t.throws(() => createLogger({ component: 'x', level: 'loud' }), /invalid log level "loud"/);
});
