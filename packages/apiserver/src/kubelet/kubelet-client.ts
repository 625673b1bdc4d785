// How the apiserver reaches a kubelet: the Node's address (by --kubelet-preferred-address-types) and kubelet port,
// over TLS with the apiserver's kubelet-client certificate. The kubelet's serving certificate is only verified
// when --kubelet-certificate-authority is given, as in Kubernetes.
import { Agent, request } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { connect, type TLSSocket } from 'node:tls';
import { isJsonObject, type JsonObject } from '@k8ts/api-machinery';
import { ApiError, errors } from '../api/errors.js';
import type { ApiContext } from '../api/context.js';

/** The order this apiserver tries a Node's addresses in (kubeadm's choice: the IP first; Hostname may not resolve). */
export const DEFAULT_PREFERRED_ADDRESS_TYPES = ['InternalIP', 'Hostname', 'InternalDNS', 'ExternalDNS', 'ExternalIP'];
export const DEFAULT_KUBELET_PORT = 10250;
const CONNECT_TIMEOUT_MS = 5000;

export interface KubeletClientConfig {
  /** PEM client certificate and key presented to kubelets. */
  cert: string | Buffer;
  key: string | Buffer;
  /** PEM CA bundle to verify kubelets' serving certificates; absent = not verified. */
  ca?: string | Buffer | undefined;
  preferredAddressTypes: string[];
}

export interface KubeletTarget {
  nodeName: string;
  host: string;
  port: number;
}

/** The Node's kubelet endpoint, or a Status error saying why there is none. */
export function nodeEndpoint(node: JsonObject, preferred: readonly string[]): KubeletTarget {
  const name = String((node.metadata as JsonObject | undefined)?.name ?? '');
  const status = isJsonObject(node.status) ? node.status : {};
  const addresses = (Array.isArray(status.addresses) ? status.addresses : []).filter(isJsonObject);
  let host: string | undefined;
  for (const type of preferred) {
    const a = addresses.find((x) => x.type === type && typeof x.address === 'string' && x.address !== '');
    if (a) {
      host = String(a.address);
      break;
    }
  }
  if (!host) {
    const known = addresses.map((a) => `${String(a.type)}:${String(a.address)}`).join(' ');
    throw errors.internal(`no preferred addresses found; known addresses: [${known}]`);
  }
  const endpoints = isJsonObject(status.daemonEndpoints) ? status.daemonEndpoints : {};
  const kubelet = isJsonObject(endpoints.kubeletEndpoint) ? endpoints.kubeletEndpoint : {};
  const port = typeof kubelet.Port === 'number' && kubelet.Port > 0 ? kubelet.Port : DEFAULT_KUBELET_PORT;
  return { nodeName: name, host, port };
}

export async function kubeletTargetFor(ctx: ApiContext, cfg: KubeletClientConfig, nodeName: string): Promise<KubeletTarget> {
  const node = await ctx.registryFor('', 'v1', 'nodes').get(undefined, nodeName);
  return nodeEndpoint(node, cfg.preferredAddressTypes);
}

function hostPort(t: KubeletTarget): string {
  return t.host.includes(':') ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`;
}

/** A connection failure as Kubernetes words it (`dial tcp ...: connect: connection refused`), as a 500 Status. */
export function dialError(t: KubeletTarget, method: string, path: string, e: unknown): ApiError {
  const err = e as NodeJS.ErrnoException;
  const why = err.code === 'ECONNREFUSED' ? 'connect: connection refused' : err.code === 'ETIMEDOUT' ? 'i/o timeout' : err.message;
  return errors.internal(`error dialing backend: ${method} "https://${hostPort(t)}${path}": dial tcp ${hostPort(t)}: ${why}`);
}

export class KubeletClient {
  private readonly agent: Agent;

  constructor(readonly config: KubeletClientConfig) {
    this.agent = new Agent({
      keepAlive: true,
      cert: config.cert || undefined,
      key: config.key || undefined,
      ca: config.ca,
      rejectUnauthorized: config.ca !== undefined,
    });
  }

  /** One HTTP request to a kubelet; resolves with the response head (the body is the caller's to read or destroy). */
  request(
    target: KubeletTarget,
    opts: { method: string; path: string; headers?: IncomingHttpHeaders; body?: Buffer; signal?: AbortSignal; timeoutMs?: number },
  ): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const req = request(
        { host: target.host, port: target.port, method: opts.method, path: opts.path, headers: opts.headers, agent: this.agent, signal: opts.signal },
        resolve,
      );
      // Only the wait for the response head is bounded: a followed log may stay silent for hours.
      const timer = setTimeout(() => req.destroy(Object.assign(new Error('timeout awaiting response headers'), { code: 'ETIMEDOUT' })), opts.timeoutMs ?? CONNECT_TIMEOUT_MS);
      req.once('response', () => clearTimeout(timer));
      req.once('error', (e) => {
        clearTimeout(timer);
        reject(dialError(target, opts.method, opts.path, e));
      });
      req.end(opts.body);
    });
  }

  /** A raw TLS connection to the kubelet, for relaying an upgrade. */
  dial(target: KubeletTarget, path: string): Promise<TLSSocket> {
    return new Promise((resolve, reject) => {
      const socket = connect({
        host: target.host,
        port: target.port,
        cert: this.config.cert || undefined,
        key: this.config.key || undefined,
        ca: this.config.ca,
        rejectUnauthorized: this.config.ca !== undefined,
        // SNI only carries host names, never IP addresses.
        ...(/^[\d.]+$|:/.test(target.host) ? {} : { servername: target.host }),
      });
      const timer = setTimeout(() => socket.destroy(Object.assign(new Error('timeout'), { code: 'ETIMEDOUT' })), CONNECT_TIMEOUT_MS);
      socket.once('secureConnect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(socket);
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(dialError(target, 'GET', path, e));
      });
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
