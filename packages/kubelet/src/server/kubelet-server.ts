// The kubelet's API server (port 10250): logs, exec/attach and port-forward for the apiserver, stats for
// metrics.k8s.io, healthz and metrics. Only clients with a certificate from the cluster CA (the apiserver's
// kubelet-client certificate) get past /healthz, as a kubelet with --client-ca-file and no anonymous auth.
import { createServer, type Server } from 'node:https';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { TLSSocket } from 'node:tls';
import { WebSocketServer, type WebSocket } from 'ws';
import { PROMETHEUS_CONTENT_TYPE, type Counter, type Logger, type Registry } from '@k8ts/observability';
import { negotiate, PORT_FORWARD_PROTOCOLS, STREAM_PROTOCOLS, type ChannelProtocol } from './channel-protocol.js';
import { serveLogs } from './logs-handler.js';
import { parseKubeletPath, type KubeletRoute } from './paths.js';
import { parsePorts, runPortForward } from './port-forward-handler.js';
import { errorStatus, rejectUpgrade, sendStatus } from './status.js';
import { parseStreamQuery, runStreamSession } from './stream-handler.js';
import type { StreamingRuntime, StreamSession } from './streaming-runtime.js';

export interface KubeletServerOptions {
  runtime: StreamingRuntime;
  nodeName: string;
  bindAddress: string;
  /** 0 picks a free port. */
  port: number;
  tls: { cert: string | Buffer; key: string | Buffer };
  /** PEM bundle of the CAs whose client certificates may call the API (the cluster CA). */
  clientCA: string | Buffer;
  logger: Logger;
  registry: Registry;
  healthz: () => boolean;
}

export interface KubeletServer {
  readonly port: number;
  close(): Promise<void>;
}

function authorized(req: IncomingMessage): boolean {
  return (req.socket as TLSSocket).authorized === true;
}

function requestUrl(req: IncomingMessage): URL {
  return new URL(req.url ?? '/', 'https://kubelet.invalid');
}

export async function startKubeletServer(opts: KubeletServerOptions): Promise<KubeletServer> {
  const { runtime, logger } = opts;
  const requests: Counter = opts.registry.counter('kubelet_http_requests_total', 'Requests the kubelet API server received, by handler and code.', [
    'handler',
    'code',
  ]);
  // Which subprotocol each accepted upgrade negotiated: ws asks through handleProtocols during handleUpgrade.
  const chosen = new WeakMap<IncomingMessage, ChannelProtocol>();
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (_offered, req) => {
      const name = chosen.get(req)?.name;
      return name ? name : false;
    },
  });
  const sockets = new Set<WebSocket>();

  const server: Server = createServer({
    cert: opts.tls.cert,
    key: opts.tls.key,
    ca: opts.clientCA,
    requestCert: true,
    // Authentication is decided per request (so /healthz stays open), not by failing the handshake.
    rejectUnauthorized: false,
  });

  const handleRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = requestUrl(req);
    const route = parseKubeletPath(url.pathname);
    const handler = route?.kind ?? 'notfound';
    res.once('finish', () => requests.inc({ handler, code: String(res.statusCode) }));
    if (route?.kind === 'healthz') {
      const ok = opts.healthz();
      res.writeHead(ok ? 200 : 500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(ok ? 'ok' : '[-]kubelet failed\nhealthz check failed');
      return;
    }
    if (!authorized(req)) return sendStatus(res, 401, 'Unauthorized');
    if (!route) return sendStatus(res, 404, `path ${url.pathname} not found`);
    switch (route.kind) {
      case 'metrics':
        res.writeHead(200, { 'content-type': PROMETHEUS_CONTENT_TYPE });
        res.end(opts.registry.render());
        return;
      case 'stats': {
        if (req.method !== 'GET') return sendStatus(res, 405, `method ${req.method} not allowed`);
        const body = JSON.stringify(await runtime.statsSummary());
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body);
        return;
      }
      case 'pods':
        return sendStatus(res, 404, '/pods is not served by this kubelet');
      case 'logs':
        if (req.method !== 'GET') return sendStatus(res, 405, `method ${req.method} not allowed`);
        return serveLogs(runtime, route.pod, route.container, url.searchParams, res, req);
      case 'exec':
      case 'attach':
      case 'portForward':
        return sendStatus(res, 400, 'Upgrade request required');
    }
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handleRequest(req, res).catch((e: unknown) => {
      const { code, message } = errorStatus(e);
      logger.warn({ err: e, url: req.url }, 'kubelet request failed');
      sendStatus(res, code, message);
    });
  });

  const accept = (req: IncomingMessage, socket: Duplex, head: Buffer, protocol: ChannelProtocol, run: (ws: WebSocket) => void): void => {
    chosen.set(req, protocol);
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.once('close', () => sockets.delete(ws));
      ws.on('error', (e: Error) => logger.debug({ err: e }, 'websocket error'));
      run(ws);
    });
  };

  const handleUpgrade = async (req: IncomingMessage, socket: Duplex, head: Buffer, route: KubeletRoute | undefined, url: URL): Promise<void> => {
    if (!route || (route.kind !== 'exec' && route.kind !== 'attach' && route.kind !== 'portForward')) {
      return rejectUpgrade(socket, 404, `path ${url.pathname} not found`);
    }
    if ((req.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      return rejectUpgrade(socket, 400, `upgrade to ${req.headers.upgrade ?? ''} is not supported: this kubelet speaks WebSocket only`);
    }
    const offered = req.headers['sec-websocket-protocol'];
    if (route.kind === 'portForward') {
      const ports = parsePorts(url.searchParams);
      if (typeof ports === 'string') return rejectUpgrade(socket, 400, ports);
      const protocol = negotiate(offered, PORT_FORWARD_PROTOCOLS, 4);
      if (!protocol) return rejectUpgrade(socket, 400, `none of the offered subprotocols ${String(offered)} is supported for port-forward`);
      return accept(req, socket, head, protocol, (ws) => runPortForward(ws, protocol, runtime, route.pod, ports, logger));
    }
    const parsed = parseStreamQuery(url.searchParams, route.kind === 'exec');
    if (typeof parsed === 'string') return rejectUpgrade(socket, 400, parsed);
    const protocol = negotiate(offered, STREAM_PROTOCOLS);
    if (!protocol) return rejectUpgrade(socket, 400, `none of the offered subprotocols ${String(offered)} is supported`);
    // The session starts before the upgrade completes so that "no such pod/container" is an HTTP answer the
    // apiserver relays, not a socket that opens and closes.
    let session: StreamSession;
    try {
      session =
        route.kind === 'exec'
          ? await runtime.exec(route.pod, route.container, parsed.command, parsed.options)
          : await runtime.attach(route.pod, route.container, parsed.options);
    } catch (e) {
      const { code, message } = errorStatus(e);
      return rejectUpgrade(socket, code, message);
    }
    if (socket.destroyed) {
      session.close();
      return;
    }
    accept(req, socket, head, protocol, (ws) => runStreamSession(ws, protocol, session, logger));
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (e: Error) => logger.debug({ err: e }, 'upgrade socket error'));
    const url = requestUrl(req);
    const route = parseKubeletPath(url.pathname);
    requests.inc({ handler: route?.kind ?? 'notfound', code: authorized(req) ? '101' : '401' });
    if (!authorized(req)) return rejectUpgrade(socket, 401, 'Unauthorized');
    handleUpgrade(req, socket, head, route, url).catch((e: unknown) => {
      logger.warn({ err: e, url: req.url }, 'kubelet upgrade failed');
      if (!socket.destroyed) rejectUpgrade(socket, 500, errorStatus(e).message);
    });
  });
  server.on('tlsClientError', (e: Error) => logger.debug({ err: e }, 'kubelet TLS handshake failed'));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.bindAddress, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  logger.info({ node: opts.nodeName, address: opts.bindAddress, port }, 'kubelet API serving');
  return {
    port,
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
