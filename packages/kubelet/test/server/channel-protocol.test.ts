import t from 'tap';
import {
  BASE64_V4,
  CHANNEL_V1,
  CHANNEL_V4,
  CHANNEL_V5,
  closedStream,
  decodeFrame,
  encodeFrame,
  exitMessage,
  negotiate,
  parseResize,
  portChannels,
  portPreamble,
  PORT_FORWARD_PROTOCOLS,
  STREAM_PROTOCOLS,
} from '../../src/server/channel-protocol.js';

t.test('negotiation prefers the newest protocol both sides know', async (t) => {
  const js = 'v5.channel.k8s.io,v4.channel.k8s.io,v3.channel.k8s.io,v2.channel.k8s.io,channel.k8s.io';
  t.equal(negotiate(js, STREAM_PROTOCOLS)?.name, CHANNEL_V5);
  t.equal(negotiate(js, STREAM_PROTOCOLS)?.version, 5);
  t.equal(negotiate(['v4.channel.k8s.io', 'channel.k8s.io'], STREAM_PROTOCOLS)?.version, 4);
  t.equal(negotiate('channel.k8s.io', STREAM_PROTOCOLS)?.name, CHANNEL_V1);
  t.equal(negotiate('channel.k8s.io', STREAM_PROTOCOLS)?.version, 1);
  t.same(negotiate(BASE64_V4, STREAM_PROTOCOLS), { name: BASE64_V4, version: 4, base64: true });
  t.equal(negotiate('SPDY/3.1+portforward.k8s.io', STREAM_PROTOCOLS), undefined, 'nothing known: refused');
  t.same(negotiate(undefined, STREAM_PROTOCOLS), { name: '', version: 1, base64: false }, 'no offer: the original protocol');
  // The JS client offers v5 first for port-forward too; the kubelet's port-forward answers v4.
  t.equal(negotiate(js, PORT_FORWARD_PROTOCOLS)?.name, CHANNEL_V4);
  t.equal(negotiate(undefined, PORT_FORWARD_PROTOCOLS, 4)?.version, 4);
});

t.test('binary frames carry the channel in the first byte', async (t) => {
  const p = negotiate(CHANNEL_V5, STREAM_PROTOCOLS)!;
  const f = encodeFrame(p, 1, Buffer.from('hi'));
  t.same([...(f as Buffer)], [1, 0x68, 0x69]);
  t.same(decodeFrame(p, Buffer.from([0, 0x61])), { channel: 0, payload: Buffer.from('a') });
  t.equal(decodeFrame(p, Buffer.alloc(0)), undefined);
  t.equal(closedStream(decodeFrame(p, Buffer.from([255, 0]))!), 0);
  t.equal(closedStream(decodeFrame(p, Buffer.from([1, 0]))!), undefined);
  t.same([...(encodeFrame(p, 3, '') as Buffer)], [3], 'empty payload: just the channel byte');
});

t.test('base64 frames carry the channel as a digit', async (t) => {
  const p = negotiate(BASE64_V4, STREAM_PROTOCOLS)!;
  t.equal(encodeFrame(p, 2, 'hello'), '2' + Buffer.from('hello').toString('base64'));
  t.same(decodeFrame(p, '0' + Buffer.from('input').toString('base64')), { channel: 0, payload: Buffer.from('input') });
});

t.test('resize messages', async (t) => {
  t.same(parseResize(Buffer.from('{"Width":100,"Height":30}\n')), { width: 100, height: 30 });
  t.equal(parseResize(Buffer.from('{"Width":"x"}')), undefined);
  t.equal(parseResize(Buffer.from('nonsense')), undefined);
});

t.test('exit status on the error channel', async (t) => {
  const v5 = negotiate(CHANNEL_V5, STREAM_PROTOCOLS)!;
  const v1 = negotiate(CHANNEL_V1, STREAM_PROTOCOLS)!;
  t.same(JSON.parse(exitMessage(v5, 0)!), { metadata: {}, status: 'Success' });
  const failure = JSON.parse(exitMessage(v5, 3)!) as { status: string; reason: string; details: { causes: unknown[] } };
  t.equal(failure.status, 'Failure');
  t.equal(failure.reason, 'NonZeroExitCode');
  t.same(failure.details.causes, [{ reason: 'ExitCode', message: '3' }]);
  t.equal((JSON.parse(exitMessage(v5, null, 'boom')!) as { message: string }).message, 'boom');
  t.equal(exitMessage(v1, 0), undefined, 'before v4 success says nothing');
  t.match(exitMessage(v1, 2), /exit code: 2/);
});

t.test('port-forward channels and preamble', async (t) => {
  t.same(portChannels(0), { data: 0, error: 1 });
  t.same(portChannels(2), { data: 4, error: 5 });
  t.same([...portPreamble(8080)], [0x90, 0x1f], '8080 little-endian');
});
