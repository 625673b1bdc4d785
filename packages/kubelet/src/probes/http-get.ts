// One HTTP GET as the kubelet's probe and lifecycle-hook client sends it (pkg/probe/http): a fresh connection per
// attempt (no keep-alive, like the kubelet's transport), TLS without verification, no compression, same-host
// redirects only, at most 10 KiB of body read, one deadline over the whole exchange.
import http from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { corev1 } from '@k8ts/api-machinery';
import { resolveContainerPort } from './container-port.js';
import { dialErrorMessage, goQuote, isDialError, joinHostPort, transportErrorMessage } from './go-errors.js';

/** The Kubernetes minor version the kubelet claims in its User-Agent (kube-probe/1.32). */
export const KUBE_VERSION = '1.32';
export const MAX_RESPONSE_BODY_BYTES = 10 * 1024;
const MAX_REDIRECTS = 10;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface HttpGetTarget {
  podIP: string;
  container: corev1.Container;
}

export interface HttpGetOptions {
  /** "probe" or "lifecycle": the User-Agent is kube-<component>/<version> unless the action sets one. */
  component: 'probe' | 'lifecycle';
  /** Deadline for the whole exchange (connect, redirects, body); none when undefined. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Overrides the scheme (the lifecycle runner retries HTTPS hooks over HTTP). */
  scheme?: 'HTTP' | 'HTTPS';
}

export type HttpGetOutcome =
  | {
      kind: 'response';
      statusCode: number;
      /** At most MAX_RESPONSE_BODY_BYTES of the body, as text. */
      body: string;
      /** The last response was a redirect to another host, which is not followed. */
      offHostRedirect: boolean;
    }
  | { kind: 'error'; message: string; tlsProtocolError?: boolean };

/** Builds the request from the action and sends it, following same-host redirects. Never throws. */
export async function httpGet(action: corev1.HTTPGetAction, target: HttpGetTarget, opts: HttpGetOptions): Promise<HttpGetOutcome> {
  const resolved = resolveContainerPort(action.port, target.container);
  if ('error' in resolved) return { kind: 'error', message: resolved.error };
  const scheme = (opts.scheme ?? action.scheme ?? 'HTTP') === 'HTTPS' ? 'https' : 'http';
  const host = action.host || target.podIP;
  let path = action.path ?? '';
  if (!path.startsWith('/')) path = `/${path}`;
  let url: URL;
  try {
    url = new URL(`${scheme}://${joinHostPort(host, resolved.port)}${path}`);
  } catch (err) {
    return { kind: 'error', message: `parse ${goQuote(`${scheme}://${joinHostPort(host, resolved.port)}${path}`)}: ${(err as Error).message}` };
  }
  const { headers, hostHeader } = requestHeaders(action.httpHeaders ?? [], opts.component);

  const deadline = opts.timeoutMs !== undefined ? Date.now() + opts.timeoutMs : undefined;
  const originalHostname = url.hostname;
  let currentHostHeader = hostHeader;
  for (let redirects = 0; ; redirects++) {
    const res = await requestOnce(url, headers, currentHostHeader, deadline, opts.signal);
    if (res.kind === 'error') return res;
    const location = res.location;
    if (!REDIRECT_STATUSES.has(res.statusCode) || location === undefined) return { ...res, offHostRedirect: false };
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      return { kind: 'error', message: `Get ${goQuote(url.href)}: failed to parse Location header ${goQuote(location)}` };
    }
    // Go checks len(via) >= 10 with via = the requests made so far, so the 10th redirect is the one refused.
    // Only the host name counts, as in Kubernetes' RedirectChecker: another port on the same host is followed.
    if (next.hostname !== originalHostname) return { ...res, offHostRedirect: true };
    if (redirects + 1 >= MAX_REDIRECTS) return { kind: 'error', message: `Get ${goQuote(next.href)}: stopped after ${MAX_REDIRECTS} redirects` };
    // Go keeps a custom Host header only through relative redirects.
    if (!isRelativeReference(location)) currentHostHeader = undefined;
    url = next;
  }
}

function isRelativeReference(location: string): boolean {
  return !/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(location) && !location.startsWith('//');
}

/** Go's header canonical form (Content-Type), which is how the kubelet sends names given in any case. */
function canonicalHeaderName(name: string): string {
  return name
    .split('-')
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1).toLowerCase() : w))
    .join('-');
}

function requestHeaders(httpHeaders: corev1.HTTPHeader[], component: string): { headers: Record<string, string[]>; hostHeader: string | undefined } {
  const headers: Record<string, string[]> = {};
  for (const h of httpHeaders) {
    if (!h.name) continue;
    const name = canonicalHeaderName(h.name);
    (headers[name] ??= []).push(h.value ?? '');
  }
  const hostHeader = headers.Host?.[0];
  delete headers.Host;
  if (!headers['User-Agent']) headers['User-Agent'] = [`kube-${component}/${KUBE_VERSION}`];
  // An explicitly empty Accept means "send none", as in NewProbeRequest.
  if (!headers.Accept) headers.Accept = ['*/*'];
  else if (headers.Accept[0] === '') delete headers.Accept;
  // The kubelet's transport disables keep-alive, so Go announces the close.
  headers.Connection = ['close'];
  return { headers, hostHeader };
}

type OnceResult =
  | { kind: 'response'; statusCode: number; body: string; location: string | undefined }
  | { kind: 'error'; message: string; tlsProtocolError?: boolean };

const TIMEOUT = Symbol('timeout');

function requestOnce(url: URL, headers: Record<string, string[]>, hostHeader: string | undefined, deadline: number | undefined, signal: AbortSignal | undefined): Promise<OnceResult> {
  return new Promise<OnceResult>((resolve) => {
    const hostname = url.hostname.replace(/^\[|\]$/g, '');
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const remote = joinHostPort(hostname, port);
    const prefix = `Get ${goQuote(url.href)}`;
    let phase: 'connecting' | 'awaiting headers' | 'reading body' = 'connecting';
    let local: string | undefined;
    let settled = false;
    const finish = (r: OnceResult): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(r);
    };

    const allHeaders: Record<string, string | string[]> = { ...headers };
    if (hostHeader !== undefined) allHeaders.Host = hostHeader;
    const options: https.RequestOptions = {
      protocol: url.protocol,
      hostname,
      port,
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers: allHeaders,
      agent: false,
      rejectUnauthorized: false,
      // Go sends SNI from the URL host (never the Host header), and none for IP literals.
      servername: isIP(hostname) ? '' : hostname,
    };
    const req = (url.protocol === 'https:' ? https : http).request(options);

    const onError = (err: unknown): void => {
      if (settled) return;
      if (err === TIMEOUT) {
        const message =
          phase === 'reading body'
            ? 'context deadline exceeded (Client.Timeout or context cancellation while reading body)'
            : `${prefix}: context deadline exceeded (Client.Timeout exceeded while awaiting headers)`;
        finish({ kind: 'error', message });
        return;
      }
      const code = (err as { code?: string }).code ?? '';
      const tlsProtocolError = code === 'EPROTO' || code.startsWith('ERR_SSL_');
      const detail = phase === 'connecting' && isDialError(err) ? dialErrorMessage(err, hostname, port) : transportErrorMessage(err, remote, local);
      finish({ kind: 'error', message: phase === 'reading body' ? detail : `${prefix}: ${detail}`, tlsProtocolError });
    };
    const onAbort = (): void => onError(signal?.reason ?? new Error('context canceled'));
    const timer = deadline !== undefined ? setTimeout(() => onError(TIMEOUT), Math.max(0, deadline - Date.now())) : undefined;
    if (signal?.aborted) {
      queueMicrotask(onAbort);
    } else {
      signal?.addEventListener('abort', onAbort, { once: true });
    }

    req.on('socket', (socket: Socket) => {
      socket.once('connect', () => {
        phase = 'awaiting headers';
        if (socket.localAddress) local = joinHostPort(socket.localAddress, socket.localPort ?? 0);
      });
      // TLS sockets emit secureConnect after connect; either way the request is on the wire once connected.
    });
    req.on('error', onError);
    req.on('response', (res) => {
      phase = 'reading body';
      const chunks: Buffer[] = [];
      let length = 0;
      const done = (): void => {
        const body = Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BODY_BYTES).toString('utf8');
        const location = res.headers.location;
        finish({ kind: 'response', statusCode: res.statusCode ?? 0, body, location });
      };
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        // Like utilio.ReadAtMost: a long body is truncated, not an error.
        if (length >= MAX_RESPONSE_BODY_BYTES) done();
      });
      res.on('end', done);
      res.on('error', onError);
      res.on('aborted', () => onError(Object.assign(new Error('unexpected EOF'), { code: 'UNEXPECTED_EOF' })));
    });
    req.end();
  });
}
