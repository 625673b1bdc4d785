// /portForward/{ns}/{pod}?ports=a,b over a WebSocket (v4.channel.k8s.io, as the JS client and the kubelet speak it):
// port i gets data channel 2i and error channel 2i+1, each opened with the port as 2 bytes little-endian; the data
// channel is piped to a TCP connection to that port inside the pod, and a failure is written on the error channel.
import type { Duplex } from 'node:stream';
import type { RawData, WebSocket } from 'ws';
import type { Logger } from '@k8ts/observability';
import { decodeFrame, encodeFrame, portChannels, portPreamble, type ChannelProtocol } from './channel-protocol.js';
import { errorStatus } from './status.js';
import type { PodRef, StreamingRuntime } from './streaming-runtime.js';

const HIGH_WATER_BYTES = 1 << 20;

/** The requested ports (`ports=80,8080` or repeated `ports`), or a message saying what is wrong. */
export function parsePorts(q: URLSearchParams): number[] | string {
  const raw = q.getAll('ports').flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  if (raw.length === 0) return 'query parameter "port" is required';
  const ports: number[] = [];
  for (const r of raw) {
    const n = Number(r);
    if (!Number.isInteger(n) || n < 1 || n > 65535) return `invalid port "${r}": must be between 1 and 65535`;
    ports.push(n);
  }
  return ports;
}

export function runPortForward(ws: WebSocket, protocol: ChannelProtocol, runtime: StreamingRuntime, pod: PodRef, ports: number[], logger: Logger): void {
  const conns = new Map<number, Duplex>();
  const pending = new Map<number, Buffer[]>();
  let open = ports.length;
  const send = (channel: number, payload: Uint8Array | string, onSent?: () => void): void => {
    if (ws.readyState === ws.OPEN) ws.send(encodeFrame(protocol, channel, payload), onSent);
  };

  ports.forEach((port, i) => {
    const { data, error } = portChannels(i);
    send(data, portPreamble(port));
    send(error, portPreamble(port));
  });

  const portEnded = (): void => {
    open -= 1;
    // Every port's connection is done: nothing more can flow, so the tunnel ends.
    if (open === 0 && ws.readyState === ws.OPEN) ws.close(1000);
  };

  ports.forEach((port, i) => {
    const { data, error } = portChannels(i);
    pending.set(data, []);
    runtime.portForward(pod, port).then(
      (conn) => {
        if (ws.readyState !== ws.OPEN) {
          conn.destroy();
          return;
        }
        conns.set(data, conn);
        for (const chunk of pending.get(data) ?? []) conn.write(chunk);
        pending.delete(data);
        conn.on('data', (chunk: Buffer) => {
          send(data, chunk, () => {
            if (ws.bufferedAmount < HIGH_WATER_BYTES && conn.isPaused()) conn.resume();
          });
          if (ws.bufferedAmount >= HIGH_WATER_BYTES) conn.pause();
        });
        let ended = false;
        const end = (): void => {
          if (ended) return;
          ended = true;
          conns.delete(data);
          portEnded();
        };
        conn.once('end', end);
        conn.once('close', end);
        conn.once('error', (e: Error) => {
          send(error, `error forwarding port ${port} to pod ${pod.namespace}/${pod.name}: ${e.message}`);
          end();
        });
      },
      (e: unknown) => {
        pending.delete(data);
        send(error, `error forwarding port ${port} to pod ${pod.namespace}/${pod.name}: ${errorStatus(e).message}`);
        logger.debug({ err: e, port }, 'port-forward connect failed');
        portEnded();
      },
    );
  });

  ws.on('message', (message: RawData, isBinary: boolean) => {
    const raw = Array.isArray(message) ? Buffer.concat(message) : Buffer.isBuffer(message) ? message : Buffer.from(message);
    const frame = decodeFrame(protocol, isBinary ? raw : raw.toString('utf8'));
    if (!frame || frame.payload.length === 0 || frame.channel % 2 !== 0) return;
    const conn = conns.get(frame.channel);
    if (conn) conn.write(frame.payload);
    else pending.get(frame.channel)?.push(Buffer.from(frame.payload));
  });
  ws.on('close', () => {
    for (const conn of conns.values()) conn.destroy();
    conns.clear();
  });
}
