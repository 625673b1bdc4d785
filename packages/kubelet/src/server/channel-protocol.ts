// The "channel.k8s.io" WebSocket framing the kubelet speaks for exec, attach and port-forward: every message starts
// with a channel number (binary protocols: one byte; base64 protocols: one ASCII digit followed by base64 text).
// Pure functions only, so the wire format is tested without sockets.

export const CHANNEL_V5 = 'v5.channel.k8s.io';
export const CHANNEL_V4 = 'v4.channel.k8s.io';
export const CHANNEL_V3 = 'v3.channel.k8s.io';
export const CHANNEL_V2 = 'v2.channel.k8s.io';
export const CHANNEL_V1 = 'channel.k8s.io';
export const BASE64_V4 = 'v4.base64.channel.k8s.io';
export const BASE64_V1 = 'base64.channel.k8s.io';

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
export const ERROR = 3;
export const RESIZE = 4;
/** v5: `[255, n]` says the sender closed its side of stream n. */
export const CLOSE = 255;

/** What a negotiated subprotocol allows. */
export interface ChannelProtocol {
  /** The subprotocol name as sent back in Sec-WebSocket-Protocol ('' when the client offered none). */
  name: string;
  /** 1 (channel.k8s.io) to 5. */
  version: number;
  base64: boolean;
}

/** exec/attach: newest first, so the best version both sides know wins. */
export const STREAM_PROTOCOLS: readonly string[] = [CHANNEL_V5, CHANNEL_V4, BASE64_V4, CHANNEL_V3, CHANNEL_V2, CHANNEL_V1, BASE64_V1];
/** port-forward: the kubelet's WebSocket port-forward speaks v4 only (the JS client offers v5 too and must get v4). */
export const PORT_FORWARD_PROTOCOLS: readonly string[] = [CHANNEL_V4, BASE64_V4];

function describe(name: string): ChannelProtocol {
  const base64 = name.includes('base64');
  const m = /^v(\d)\./.exec(name);
  return { name, version: m ? Number(m[1]) : 1, base64 };
}

/**
 * Picks the subprotocol from the client's Sec-WebSocket-Protocol offer, preferring the server's order. No offer at
 * all means the original binary protocol, as Kubernetes' wsstream assumes; an offer with nothing known is undefined.
 */
export function negotiate(
  offered: string | readonly string[] | undefined,
  supported: readonly string[],
  versionWithoutOffer = 1,
): ChannelProtocol | undefined {
  const list = (typeof offered === 'string' ? offered.split(',') : (offered ?? [])).map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) return { name: '', version: versionWithoutOffer, base64: false };
  const chosen = supported.find((p) => list.includes(p));
  return chosen === undefined ? undefined : describe(chosen);
}

/** One message on `channel`: a Buffer for binary protocols, a string for base64 ones. */
export function encodeFrame(protocol: ChannelProtocol, channel: number, payload: Uint8Array | string): Buffer | string {
  const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  if (protocol.base64) return String.fromCharCode(48 + channel) + data.toString('base64');
  const out = Buffer.allocUnsafe(data.length + 1);
  out[0] = channel;
  data.copy(out, 1);
  return out;
}

export interface Frame {
  channel: number;
  payload: Buffer;
}

/** Splits a received message into channel and payload; undefined for an empty message (nothing to route). */
export function decodeFrame(protocol: ChannelProtocol, message: Buffer | string): Frame | undefined {
  if (protocol.base64) {
    const text = typeof message === 'string' ? message : message.toString('utf8');
    if (text.length === 0) return undefined;
    return { channel: text.charCodeAt(0) - 48, payload: Buffer.from(text.slice(1), 'base64') };
  }
  const buf = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
  if (buf.length === 0) return undefined;
  return { channel: buf[0]!, payload: buf.subarray(1) };
}

/** A channel-4 resize message: JSON `{"Width":w,"Height":h}` (kubectl adds a newline). */
export function parseResize(payload: Buffer): { width: number; height: number } | undefined {
  try {
    const v: unknown = JSON.parse(payload.toString('utf8'));
    if (typeof v !== 'object' || v === null) return undefined;
    const { Width, Height } = v as { Width?: unknown; Height?: unknown };
    if (typeof Width !== 'number' || typeof Height !== 'number') return undefined;
    return { width: Width, height: Height };
  } catch {
    return undefined;
  }
}

/** The stream a v5 close message names, or undefined when the message is not a well-formed close. */
export function closedStream(frame: Frame): number | undefined {
  return frame.channel === CLOSE && frame.payload.length >= 1 ? frame.payload[0] : undefined;
}

/** What goes on the error channel when the process ends: a Status for v4+, plain text (or nothing) before. */
export function exitMessage(protocol: ChannelProtocol, exitCode: number | null, error?: string): string | undefined {
  if (protocol.version >= 4) {
    if (error !== undefined) return JSON.stringify({ metadata: {}, status: 'Failure', message: error, reason: 'InternalError', code: 500 });
    if (exitCode === 0 || exitCode === null) return JSON.stringify({ metadata: {}, status: 'Success' });
    return JSON.stringify({
      metadata: {},
      status: 'Failure',
      message: `command terminated with non-zero exit code: error executing command, exit code ${exitCode}`,
      reason: 'NonZeroExitCode',
      details: { causes: [{ reason: 'ExitCode', message: String(exitCode) }] },
    });
  }
  if (error !== undefined) return error;
  if (exitCode !== null && exitCode !== 0) return `command terminated with non-zero exit code: ${exitCode}`;
  return undefined;
}

/** Port-forward: the first message on each of a port's two channels is the port, 2 bytes little-endian. */
export function portPreamble(port: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(port, 0);
  return b;
}

/** Port-forward channels for the i-th requested port. */
export function portChannels(index: number): { data: number; error: number } {
  return { data: index * 2, error: index * 2 + 1 };
}
