// The watch wire format, line by line: chunk boundaries anywhere, bookmarks, ERROR events and bad input.
import t from 'tap';
import { ApiError, WatchDecodeError, WatchLineDecoder, WatchStream, isExpired, parseWatchLine, type ResponseStream } from '../src/index.js';

const lines = [
  { type: 'ADDED', object: { kind: 'Pod', metadata: { name: 'a', resourceVersion: '5' } } },
  { type: 'MODIFIED', object: { kind: 'Pod', metadata: { name: 'ä-ünïcode', resourceVersion: '6' } } },
  { type: 'BOOKMARK', object: { kind: 'Pod', metadata: { resourceVersion: '9' } } },
  { type: 'DELETED', object: { kind: 'Pod', metadata: { name: 'a', resourceVersion: '10' } } },
];
const wire = Buffer.from(lines.map((l) => JSON.stringify(l)).join('\n') + '\n');

t.test('events survive any chunking, including splits inside multi-byte characters', async (t) => {
  for (let size = 1; size <= wire.length; size += size < 8 ? 1 : 13) {
    const decoder = new WatchLineDecoder();
    const got = [];
    for (let i = 0; i < wire.length; i += size) got.push(...decoder.push(wire.subarray(i, i + size)));
    got.push(...decoder.end());
    if (JSON.stringify(got) !== JSON.stringify(lines)) {
      t.fail(`chunk size ${size}`);
      return;
    }
  }
  t.pass('every chunk size decodes to the same events');
});

t.test('blank lines are skipped; a final line without newline counts', async (t) => {
  const d = new WatchLineDecoder();
  t.same(d.push('\n\n' + JSON.stringify(lines[0]) + '\r\n\n'), [lines[0]]);
  t.same(d.push(JSON.stringify(lines[2])), []);
  t.same(d.end(), [lines[2]]);
});

t.test('ERROR events and malformed lines', async (t) => {
  const err = parseWatchLine('{"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired","message":"too old resource version: 1 (5)"}}');
  t.equal(err.type, 'ERROR');
  t.throws(() => parseWatchLine('{"type":"ADDED"'), WatchDecodeError);
  t.throws(() => parseWatchLine('{"type":"WHAT","object":{}}'), /unknown watch event type/);
  t.throws(() => parseWatchLine('{"type":"ADDED"}'), /without an object/);
  t.throws(() => parseWatchLine('[1]'), WatchDecodeError);
});

function fakeResponse(chunks: string[]): ResponseStream & { closedCount: number } {
  let closed = false;
  const r = {
    closedCount: 0,
    chunks: (async function* () {
      for (const c of chunks) yield Buffer.from(c);
    })(),
    close() {
      closed = true;
      r.closedCount++;
    },
    get closed() {
      return closed;
    },
  };
  return r;
}

t.test('WatchStream yields typed events and turns a 410 ERROR into an Expired ApiError', async (t) => {
  const ok = new WatchStream<{ metadata: { name?: string } }>(fakeResponse([wire.toString()]));
  const types: string[] = [];
  for await (const ev of ok) types.push(ev.type);
  t.same(types, ['ADDED', 'MODIFIED', 'BOOKMARK', 'DELETED']);

  const expired = new WatchStream(
    fakeResponse([JSON.stringify(lines[0]) + '\n', '{"type":"ERROR","object":{"kind":"Status","apiVersion":"v1","status":"Failure","code":410,"reason":"Expired","message":"too old"}}\n']),
  );
  const seen: string[] = [];
  const error = await (async () => {
    try {
      for await (const ev of expired) seen.push(ev.type);
    } catch (e) {
      return e;
    }
    return undefined;
  })();
  t.same(seen, ['ADDED'], 'events before the error are delivered');
  t.ok(error instanceof ApiError);
  t.ok(isExpired(error));
  t.equal((error as ApiError).code, 410);
  t.equal((error as ApiError).message, 'too old');

  const resp = fakeResponse([wire.toString()]);
  const stopped = new WatchStream(resp);
  let n = 0;
  for await (const _ of stopped) {
    n++;
    stopped.close();
  }
  t.equal(n, 1, 'close() ends iteration quietly');
  t.ok(stopped.closed);
  await t.rejects(async () => {
    for await (const _ of stopped) n++;
  }, /only once/);
});
