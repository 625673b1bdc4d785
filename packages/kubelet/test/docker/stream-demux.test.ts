// The framing parsers on real bytes: Docker's multiplexed frames and JSON lines, cut at every possible place.
import t from 'tap';
import { StreamDemuxer, StreamDemuxError, demuxStream, encodeFrame, jsonLines, type DemuxedFrame } from '../../src/docker/index.js';

async function* chunksOf(...buffers: Buffer[]): AsyncGenerator<Buffer> {
  for (const buffer of buffers) yield buffer;
}

const joined = (frames: DemuxedFrame[], stream: string): string =>
  Buffer.concat(frames.filter((f) => f.stream === stream).map((f) => f.data)).toString();

t.test('frames cut at every byte boundary decode the same', async (t) => {
  const wire = Buffer.concat([encodeFrame('stdout', 'hello\n'), encodeFrame('stderr', 'oops\n'), encodeFrame('stdout', ''), encodeFrame('stdout', 'x'.repeat(300))]);
  for (let cut = 0; cut <= wire.length; cut++) {
    const frames = [];
    for await (const frame of demuxStream(chunksOf(wire.subarray(0, cut), wire.subarray(cut)))) frames.push(frame);
    if (frames.length !== 4 || joined(frames, 'stdout') !== `hello\n${'x'.repeat(300)}` || joined(frames, 'stderr') !== 'oops\n') {
      t.fail(`cut at ${cut}: got ${JSON.stringify(frames.map((f) => [f.stream, f.data.length]))}`);
      return;
    }
  }
  t.pass('all cuts decode to the same four frames');
});

t.test('one byte at a time, and many frames in one chunk', async (t) => {
  const wire = Buffer.concat(Array.from({ length: 50 }, (_, i) => encodeFrame(i % 2 ? 'stderr' : 'stdout', `line ${i}\n`)));
  const demuxer = new StreamDemuxer();
  const single: DemuxedFrame[] = [];
  for (const byte of wire) single.push(...demuxer.push(Buffer.from([byte])));
  t.equal(single.length, 50);
  t.equal(demuxer.bufferedBytes, 0);
  const whole = new StreamDemuxer().push(wire);
  t.same(whole.map((f) => f.data.toString()), single.map((f) => f.data.toString()));
  t.equal(whole[1]?.stream, 'stderr');
  t.equal(whole[1]?.data.toString(), 'line 1\n');
});

t.test('partial frame is held, not emitted', async (t) => {
  const frame = encodeFrame('stdout', 'abcdef');
  const demuxer = new StreamDemuxer();
  t.same(demuxer.push(frame.subarray(0, 10)), []);
  t.equal(demuxer.bufferedBytes, 10);
  const rest = demuxer.push(frame.subarray(10));
  t.equal(rest.length, 1);
  t.equal(rest[0]?.data.toString(), 'abcdef');
});

t.test('stdin frames are recognised; a header that is not Docker framing throws', async (t) => {
  t.equal(new StreamDemuxer().push(encodeFrame('stdin', 'in'))[0]?.stream, 'stdin');
  t.throws(() => new StreamDemuxer().push(Buffer.from('hello world, no frames here')), StreamDemuxError);
  t.throws(() => new StreamDemuxer().push(Buffer.from([1, 0, 1, 0, 0, 0, 0, 1, 65])), StreamDemuxError);
});

t.test('json lines: split lines, multi-byte characters cut between chunks, no trailing newline', async (t) => {
  const text = Buffer.from('{"a":"é€"}\n\n{"b":2}\n{"c":3}');
  for (let cut = 0; cut <= text.length; cut++) {
    const values = [];
    for await (const v of jsonLines(chunksOf(text.subarray(0, cut), text.subarray(cut)))) values.push(v);
    if (JSON.stringify(values) !== JSON.stringify([{ a: 'é€' }, { b: 2 }, { c: 3 }])) {
      t.fail(`cut at ${cut}: ${JSON.stringify(values)}`);
      return;
    }
  }
  t.pass('every cut parses to the same three documents');
  await t.rejects(async () => {
    for await (const v of jsonLines(chunksOf(Buffer.from('not json\n')))) t.fail(`unexpected ${String(v)}`);
  });
});
