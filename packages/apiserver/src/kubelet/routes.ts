// The routes that reach kubelets (pods/log, nodes/proxy, and the plain-HTTP face of exec/attach/portforward) and
// serviceaccounts/token. They are registered as their own fastify routes, which win over the generic resource
// routes, and the WebSocket upgrades of exec/attach/portforward are taken off the HTTP server before fastify.
import { ServerResponse, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { errors } from '../api/errors.js';
import type { ApiContext } from '../api/context.js';
import type { KubeletClient } from './kubelet-client.js';
import { proxyPodLog } from './log-proxy.js';
import { proxyNode } from './node-proxy.js';
import { createToken, type TokenSigner } from './token-request.js';
import { matchPodStream, proxyPodStream } from './upgrade-proxy.js';

type PodParams = { Params: { namespace: string; name: string } };

export function kubeletRoutes(ctx: ApiContext, kubelet: KubeletClient, signer: TokenSigner) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.get<PodParams>('/api/v1/namespaces/:namespace/pods/:name/log', (req, reply) => proxyPodLog(ctx, kubelet, req, reply));
    for (const sub of ['exec', 'attach', 'portforward']) {
      // Reached only without an Upgrade header: the upgrades are relayed before fastify sees them.
      app.route({
        method: ['GET', 'POST'],
        url: `/api/v1/namespaces/:namespace/pods/:name/${sub}`,
        handler: async () => {
          throw errors.badRequest('Upgrade request required');
        },
      });
    }
    const nodeProxy = { method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const };
    app.route<{ Params: { name: string; '*'?: string } }>({ ...nodeProxy, method: [...nodeProxy.method], url: '/api/v1/nodes/:name/proxy', handler: (req, reply) => proxyNode(ctx, kubelet, req, reply) });
    app.route<{ Params: { name: string; '*'?: string } }>({ ...nodeProxy, method: [...nodeProxy.method], url: '/api/v1/nodes/:name/proxy/*', handler: (req, reply) => proxyNode(ctx, kubelet, req, reply) });
    app.post<PodParams>('/api/v1/namespaces/:namespace/serviceaccounts/:name/token', (req, reply) => createToken(ctx, signer, req, reply));
  };
}

/**
 * Relays exec/attach/portforward upgrades to kubelets. Any other upgrade request is served as the plain request
 * it would have been without an 'upgrade' listener (Node only routes upgrades here once one exists).
 */
export function installUpgradeProxy(server: Server, ctx: ApiContext, kubelet: KubeletClient): void {
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const route = matchPodStream(req.url ?? '/');
    if (route) {
      void proxyPodStream(ctx, kubelet, route, req, socket, head);
      return;
    }
    if (head.length) socket.unshift(head);
    const res = new ServerResponse(req);
    res.shouldKeepAlive = false;
    res.assignSocket(socket as Socket);
    res.once('finish', () => socket.end());
    server.emit('request', req, res);
  });
}
