// pods/exec, pods/attach and pods/portforward: an upgrade-aware proxy, as Kubernetes' UpgradeAwareHandler. The
// client's upgrade request is sent on to the kubelet (path rewritten, Sec-WebSocket-* and the query kept); once the
// kubelet answers 101 its response head goes back to the client and the two sockets are piped both ways, so any
// subprotocol works. A non-101 answer is relayed as it is.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError, errors } from '../api/errors.js';
import type { ApiContext } from '../api/context.js';
import { kubeletTargetFor, type KubeletClient } from './kubelet-client.js';
import { checkPodRunning, resolvePodTarget } from './pod-target.js';

const POD_STREAM_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach|portforward)\/?$/;
/** The kubelet's response head must arrive within this; a kubelet that accepts and says nothing is cut off. */
const RESPONSE_HEAD_TIMEOUT_MS = 10_000;
const MAX_HEAD_BYTES = 64 * 1024;

/** Headers not relayed to the kubelet: the client's credentials are for the apiserver, Host is rewritten. */
const DROPPED = new Set(['host', 'authorization', 'proxy-authorization', 'content-length']);

export interface StreamRoute {
  namespace: string;
  pod: string;
  subresource: 'exec' | 'attach' | 'portforward';
  query: URLSearchParams;
}

/** The pod stream subresource an upgrade request is for, or undefined for any other path. */
export function matchPodStream(url: string): StreamRoute | undefined {
  const u = new URL(url, 'http://apiserver.invalid');
  const m = POD_STREAM_PATH.exec(u.pathname);
  if (!m) return undefined;
  try {
    return { namespace: decodeURIComponent(m[1]!), pod: decodeURIComponent(m[2]!), subresource: m[3] as StreamRoute['subresource'], query: u.searchParams };
  } catch {
    return undefined;
  }
}

function statusText(code: number): string {
  return code === 400 ? 'Bad Request' : code === 403 ? 'Forbidden' : code === 404 ? 'Not Found' : code === 503 ? 'Service Unavailable' : 'Internal Server Error';
}

/** Answers an upgrade that will not happen with a Status, on the raw socket. */
export function writeStatus(socket: Duplex, e: ApiError): void {
  const body = JSON.stringify(e.toStatus());
  socket.end(`HTTP/1.1 ${e.code} ${statusText(e.code)}\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
}

/** The kubelet path for a pod stream request. */
export function kubeletPath(route: StreamRoute, container: string | undefined): string {
  const ns = encodeURIComponent(route.namespace);
  const pod = encodeURIComponent(route.pod);
  const qs = route.query.toString();
  const base = route.subresource === 'portforward' ? `/portForward/${ns}/${pod}` : `/${route.subresource}/${ns}/${pod}/${encodeURIComponent(container ?? '')}`;
  return qs ? `${base}?${qs}` : base;
}

function requestHead(req: IncomingMessage, path: string, host: string): string {
  let head = `${req.method ?? 'GET'} ${path} HTTP/1.1\r\nHost: ${host}\r\n`;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!;
    if (!DROPPED.has(name.toLowerCase())) head += `${name}: ${req.rawHeaders[i + 1]!}\r\n`;
  }
  return `${head}\r\n`;
}

/** Reads the kubelet's response up to the end of its head; resolves with everything read so far. */
function readResponseHead(upstream: Duplex): Promise<{ statusCode: number; buffered: Buffer }> {
  return new Promise((resolve, reject) => {
    let buffered = Buffer.alloc(0);
    const timer = setTimeout(() => fail(new Error('timeout awaiting the kubelet\'s response')), RESPONSE_HEAD_TIMEOUT_MS);
    const cleanup = (): void => {
      clearTimeout(timer);
      upstream.off('data', onData);
      upstream.off('error', fail);
      upstream.off('end', onEnd);
    };
    const fail = (e: Error): void => {
      cleanup();
      reject(e);
    };
    const onEnd = (): void => fail(new Error('the kubelet closed the connection without a response'));
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) {
        if (buffered.length > MAX_HEAD_BYTES) fail(new Error('the kubelet\'s response head is too large'));
        return;
      }
      cleanup();
      upstream.pause();
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(buffered.subarray(0, end).toString('latin1'));
      if (!m) return reject(new Error('the kubelet sent a malformed response'));
      resolve({ statusCode: Number(m[1]), buffered });
    };
    upstream.on('data', onData);
    upstream.once('error', fail);
    upstream.once('end', onEnd);
  });
}

function splice(client: Duplex, upstream: Duplex): void {
  client.pipe(upstream);
  upstream.pipe(client);
  const teardown = (): void => {
    client.destroy();
    upstream.destroy();
  };
  client.once('close', teardown);
  upstream.once('close', teardown);
  client.on('error', teardown);
  upstream.on('error', teardown);
}

/** Relays one upgrade request for a pod stream subresource to its kubelet. */
export async function proxyPodStream(ctx: ApiContext, kubelet: KubeletClient, route: StreamRoute, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
  try {
    let container: string | undefined;
    let nodeName: string;
    if (route.subresource === 'portforward') {
      const pod = await ctx.registryFor('', 'v1', 'pods').get(route.namespace, route.pod);
      const spec = (pod.spec ?? {}) as { nodeName?: unknown };
      nodeName = typeof spec.nodeName === 'string' ? spec.nodeName : '';
      if (!nodeName) throw errors.badRequest(`pod ${route.pod} does not have a host assigned`);
    } else {
      const target = await resolvePodTarget(ctx, route.namespace, route.pod, route.query.get('container'), { needsStarted: false });
      checkPodRunning(target.pod);
      container = target.container;
      nodeName = target.nodeName;
    }
    const endpoint = await kubeletTargetFor(ctx, kubelet.config, nodeName);
    const path = kubeletPath(route, container);
    if (socket.destroyed) return;
    const upstream = await kubelet.dial(endpoint, path);
    socket.once('close', () => upstream.destroy());
    upstream.write(requestHead(req, path, `${endpoint.host}:${endpoint.port}`));
    if (head.length) upstream.write(head);
    const { statusCode, buffered } = await readResponseHead(upstream).catch((e: Error) => {
      upstream.destroy();
      throw errors.internal(`error upgrading connection: ${e.message}`);
    });
    socket.write(buffered);
    if (statusCode === 101) {
      splice(socket, upstream);
      upstream.resume();
      return;
    }
    // Not upgraded: the kubelet's answer (a Status) goes back as it is, and the exchange ends with it.
    upstream.pipe(socket);
    upstream.resume();
    upstream.once('error', () => socket.destroy());
  } catch (e) {
    const api = e instanceof ApiError ? e : errors.internal(e instanceof Error ? e.message : String(e));
    if (!(e instanceof ApiError)) ctx.logger.warn({ err: e, url: req.url }, 'pod stream proxy failed');
    if (!socket.destroyed) writeStatus(socket, api);
  }
}
