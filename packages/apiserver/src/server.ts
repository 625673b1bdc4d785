// Assembling the apiserver: the store and one watch cache per resource, a generic registry per kind, and the fastify
// plugins (health, metrics, discovery, OpenAPI, resources) behind one error handler that answers with Status.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import {
  patchMetaFromSchema,
  ResourceRegistry,
  SchemaRegistry,
  type KindDefinition,
  type PatchMeta,
} from '@k8ts/api-machinery';
import { EtcdClient } from '@k8ts/etcd-client';
import { createLogger, PROMETHEUS_CONTENT_TYPE, type Logger } from '@k8ts/observability';
import { allKinds, allSchemaModules } from '@k8ts/api-machinery';
import { ServiceAllocators, parsePortRange } from './allocators/service-allocators.js';
import { ApiError, errors } from './api/errors.js';
import type { ApiContext } from './api/context.js';
import { EndpointsReconciler, ensureSystemObjects } from './bootstrap.js';
import { discoveryRoutes } from './discovery/discovery.js';
import { MAX_BODY_BYTES } from './http/body.js';
import { parseQueryString } from './http/query.js';
import { resourceRoutes } from './http/resource-routes.js';
import { DEFAULT_PREFERRED_ADDRESS_TYPES, KubeletClient } from './kubelet/kubelet-client.js';
import { installUpgradeProxy, kubeletRoutes } from './kubelet/routes.js';
import { DEFAULT_SERVICE_ACCOUNT_ISSUER, tokenSigner } from './kubelet/token-request.js';
import { createMetrics } from './metrics.js';
import { startCompactor } from './storage/compactor.js';
import { metricsApiRoutes } from './metrics-api/metrics-api.js';
import { openapiRoutes } from './openapi/openapi.js';
import { GenericRegistry } from './registry/generic-registry.js';
import { namespaceLifecycle } from './registry/namespace-lifecycle.js';
import { strategyFor, type StrategyLookups } from './registry/strategies.js';
import { pickDefaultStorageClass } from './admission/default-storage-class.js';
import { DEFAULT_TOLERATION_SECONDS } from './admission/default-toleration-seconds.js';
import { ObjectStore, WatchCache } from './storage/index.js';

export interface ApiServerOptions {
  etcdServers: string[];
  bindAddress: string;
  /** HTTPS port (0 = any free port). TLS needs tlsCertFile/tlsKeyFile. */
  securePort: number;
  tlsCertFile?: string | undefined;
  tlsKeyFile?: string | undefined;
  /** Plain-HTTP port for loopback use and tests (undefined = none). */
  insecurePort?: number | undefined;
  serviceClusterIpRange: string;
  serviceNodePortRange: string;
  advertiseAddress: string;
  /** DefaultTolerationSeconds admission (kube-apiserver's --default-not-ready/unreachable-toleration-seconds). */
  defaultTolerationSeconds?: { notReady: number; unreachable: number } | undefined;
  /** Events each resource's watch cache keeps for watches that resume (kube-apiserver's --default-watch-cache-size). */
  watchCacheSize?: number | undefined;
  /** kube-apiserver's --min-request-timeout: a watch without timeoutSeconds ends after 1-2x this (default 1800). */
  minRequestTimeoutSeconds?: number | undefined;
  /** kube-apiserver's --etcd-compaction-interval in ms: compact the store this often (default 5 minutes; 0: never). */
  etcdCompactionIntervalMs?: number | undefined;
  /** Client certificate and key (PEM files) presented to kubelets; without them kubelets refuse the apiserver. */
  kubeletClientCertFile?: string | undefined;
  kubeletClientKeyFile?: string | undefined;
  /** CA bundle to verify kubelets' serving certificates (kube-apiserver's --kubelet-certificate-authority). */
  kubeletCertificateAuthority?: string | undefined;
  kubeletPreferredAddressTypes?: string[] | undefined;
  /** RSA key that signs service-account tokens (default: the serving key). */
  serviceAccountSigningKeyFile?: string | undefined;
  serviceAccountIssuer?: string | undefined;
  logLevel?: string | undefined;
  logger?: Logger | undefined;
}

export interface ApiServer {
  /** Plain-HTTP URL if an insecure port is served, else the HTTPS URL. */
  url: string;
  secureUrl?: string | undefined;
  context: ApiContext;
  close(): Promise<void>;
}

function statusBody(e: ApiError): string {
  return JSON.stringify(e.toStatus());
}

/** How much of a rejected request body is read and dropped before answering; beyond it the connection closes. */
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;
const DRAIN_TIMEOUT_MS = 10_000;

function drainRequest(raw: NodeJS.ReadableStream & { destroy(): void }, limit: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    let seen = 0;
    const done = (): void => {
      clearTimeout(timer);
      raw.removeListener('data', onData);
      resolve();
    };
    const onData = (chunk: Buffer): void => {
      seen += chunk.length;
      if (seen > limit) done();
    };
    const timer = setTimeout(done, timeoutMs);
    raw.on('data', onData);
    raw.once('end', done);
    raw.once('error', done);
    raw.resume();
  });
}

function installErrorHandling(app: FastifyInstance, ctx: { logger: Logger }): void {
  app.setErrorHandler((err: FastifyError | ApiError | Error, req: FastifyRequest, reply: FastifyReply) => {
    let api: ApiError;
    if (err instanceof ApiError) api = err;
    else if ('validation' in err && err.validation) api = errors.badRequest(err.message);
    else if ('code' in err && err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') api = errors.tooLarge();
    else if ('statusCode' in err && typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      api = new ApiError(err.statusCode, err.statusCode === 415 ? 'UnsupportedMediaType' : 'BadRequest', err.message);
    } else {
      ctx.logger.error({ err, method: req.method, url: req.url }, 'internal error');
      api = errors.internal(err.message);
    }
    if (api.headers) for (const [k, v] of Object.entries(api.headers)) void reply.header(k, v);
    const send = (): void => void reply.code(api.code).header('content-type', 'application/json').send(statusBody(api));
    // A rejected body that is still arriving (413 decides from Content-Length alone) is read and dropped first, as
    // Go's server does: answering and closing mid-upload makes clients fail with EPIPE instead of seeing the Status.
    if (req.raw.readableEnded || req.raw.destroyed) return send();
    drainRequest(req.raw, DRAIN_LIMIT_BYTES, DRAIN_TIMEOUT_MS).then(send, send);
  });
  app.setNotFoundHandler((_req, reply) => {
    void reply.code(404).header('content-type', 'application/json').send(statusBody(errors.pathNotFound()));
  });
  // Every body is read raw: the handlers parse by media type (JSON, YAML, protobuf, patch types).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_req, body, done) => done(null, body));
}

function requestMetrics(app: FastifyInstance, ctx: ApiContext): void {
  app.addHook('onResponse', async (req, reply) => {
    const url = req.url.split('?')[0]!;
    const m = /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)\/(?:namespaces\/[^/]+\/)?([^/]+)(\/[^/]+)?(?:\/([^/]+))?/.exec(url);
    // Kubernetes' verb label: the method, except that a GET is a WATCH or, on a collection, a LIST.
    const collection = m !== null && m[3] === undefined;
    const verb = req.method !== 'GET' ? req.method : /[?&]watch=(true|1)/.test(req.url) ? 'WATCH' : collection ? 'LIST' : 'GET';
    const labels = { verb, group: m?.[1] ?? '', resource: m?.[2] ?? '', subresource: m?.[4] ?? '' };
    ctx.metrics.requests.inc({ ...labels, code: String(reply.statusCode) });
    if (verb !== 'WATCH') ctx.metrics.requestDuration.observe({ verb, group: labels.group, resource: labels.resource }, reply.elapsedTime / 1000);
  });
}

/** Keep-alive connections per etcd endpoint: above kube-apiserver's default in-flight limits' mutating share. */
const ETCD_CONNECTIONS = 128;

export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const logger = opts.logger ?? createLogger({ component: 'apiserver', level: opts.logLevel });
  // kube-apiserver multiplexes every request on gRPC streams; over HTTP/1.1 each in-flight etcd call holds a
  // connection, so the pool must not be what caps concurrency (16 connections capped 100 clients at ~1,000 writes/s).
  const etcd = new EtcdClient({ endpoints: opts.etcdServers, connectionsPerEndpoint: ETCD_CONNECTIONS });
  const metrics = createMetrics();
  const store = new ObjectStore(etcd, { observer: metrics.store });
  const schemas = new SchemaRegistry(allSchemaModules);
  const resources = new ResourceRegistry(allKinds);
  const allocators = new ServiceAllocators(store, opts.serviceClusterIpRange, parsePortRange(opts.serviceNodePortRange));

  // One watch cache per stored resource (events.k8s.io Events share the core Events cache).
  const caches = new Map<string, WatchCache>();
  for (const k of allKinds) {
    const resource = k.storageResource ?? k.plural;
    if (!caches.has(resource)) caches.set(resource, new WatchCache(etcd, store, store.prefixFor(resource), { logger, historyCapacity: opts.watchCacheSize }));
  }
  await Promise.all([...caches.values()].map((c) => c.start()));

  const patchMetas = new Map<string, PatchMeta>();
  const registries = new Map<string, GenericRegistry>();
  const checkNamespace = namespaceLifecycle(store, caches.get('namespaces')!);
  const ctx: ApiContext = {
    resources,
    schemas,
    registries,
    allocators,
    metrics,
    logger,
    minRequestTimeoutSeconds: opts.minRequestTimeoutSeconds ?? 1800,
    registryFor(group, version, plural) {
      const r = registries.get(`${group}/${version}/${plural}`);
      if (!r) throw new Error(`no registry for ${group}/${version}/${plural}`);
      return r;
    },
    patchMeta(kind: KindDefinition) {
      let m = patchMetas.get(kind.schema);
      if (!m) {
        m = patchMetaFromSchema(schemas.component(kind.schema), Object.fromEntries(schemas.all()));
        patchMetas.set(kind.schema, m);
      }
      return m;
    },
    // The authorization seam: RBAC plugs in here; until then every authenticated request is allowed.
    async authorize() {},
  };
  const lookups: StrategyLookups = {
    tolerationSeconds: opts.defaultTolerationSeconds ?? { notReady: DEFAULT_TOLERATION_SECONDS, unreachable: DEFAULT_TOLERATION_SECONDS },
    // From the watch cache: admission needs no quorum read for a class list that changes rarely.
    defaultStorageClass: async () => pickDefaultStorageClass(caches.get('storageclasses')?.list().items.map((i) => i.object) ?? []),
  };
  for (const kind of allKinds) {
    registries.set(
      `${kind.group}/${kind.version}/${kind.plural}`,
      new GenericRegistry({
        kind,
        schemas,
        store,
        cache: caches.get(kind.storageResource ?? kind.plural)!,
        strategy: strategyFor(kind, allocators, lookups),
        patchMeta: ctx.patchMeta(kind),
        checkNamespace,
      }),
    );
  }

  const kubelet = new KubeletClient({
    cert: opts.kubeletClientCertFile ? readFileSync(opts.kubeletClientCertFile) : '',
    key: opts.kubeletClientKeyFile ? readFileSync(opts.kubeletClientKeyFile) : '',
    ca: opts.kubeletCertificateAuthority ? readFileSync(opts.kubeletCertificateAuthority) : undefined,
    preferredAddressTypes: opts.kubeletPreferredAddressTypes ?? DEFAULT_PREFERRED_ADDRESS_TYPES,
  });
  // Tokens need a key even on a plain-HTTP test server: then one lives only as long as the process.
  const signingKey = opts.serviceAccountSigningKeyFile ?? opts.tlsKeyFile;
  const signer = tokenSigner(
    signingKey ? readFileSync(signingKey) : generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
    opts.serviceAccountIssuer ?? DEFAULT_SERVICE_ACCOUNT_ISSUER,
  );

  let storeHealthy = true;
  const build = (https?: { key: Buffer; cert: Buffer }): FastifyInstance => {
    const common = { logger: false, bodyLimit: MAX_BODY_BYTES, routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1000, querystringParser: parseQueryString } };
    // The HTTPS and plain instances differ only in their server type; handlers treat both alike.
    const app = (https ? Fastify({ ...common, https }) : Fastify(common)) as unknown as FastifyInstance;
    installErrorHandling(app, { logger });
    requestMetrics(app, ctx);
    const health = async (_req: FastifyRequest, reply: FastifyReply): Promise<void> => {
      void reply.header('content-type', 'text/plain; charset=utf-8').send('ok');
    };
    app.get('/healthz', health);
    app.get('/livez', health);
    app.get('/readyz', async (_req, reply) => {
      if (!storeHealthy) return reply.code(500).header('content-type', 'text/plain; charset=utf-8').send('[-]etcd failed: store unreachable\nreadyz check failed');
      return reply.header('content-type', 'text/plain; charset=utf-8').send('ok');
    });
    app.get('/metrics', async (_req, reply) => reply.header('content-type', PROMETHEUS_CONTENT_TYPE).send(metrics.registry.render()));
    void app.register(discoveryRoutes(resources, () => `${opts.advertiseAddress}:${opts.securePort}`));
    void app.register(openapiRoutes(resources, schemas));
    void app.register(kubeletRoutes(ctx, kubelet, signer));
    void app.register(metricsApiRoutes(ctx, kubelet));
    void app.register(resourceRoutes(ctx));
    installUpgradeProxy(app.server, ctx, kubelet);
    return app;
  };

  const apps: FastifyInstance[] = [];
  let secureUrl: string | undefined;
  let plainUrl: string | undefined;
  let securePort = opts.securePort;
  if (opts.tlsCertFile && opts.tlsKeyFile) {
    const app = build({ key: readFileSync(opts.tlsKeyFile), cert: readFileSync(opts.tlsCertFile) });
    await app.listen({ host: opts.bindAddress, port: opts.securePort });
    securePort = (app.server.address() as AddressInfo).port;
    secureUrl = `https://${opts.bindAddress}:${securePort}`;
    apps.push(app);
  }
  if (opts.insecurePort !== undefined) {
    const app = build();
    await app.listen({ host: opts.bindAddress, port: opts.insecurePort });
    plainUrl = `http://${opts.bindAddress}:${(app.server.address() as AddressInfo).port}`;
    apps.push(app);
  }
  if (apps.length === 0) throw new Error('nothing to serve: give --tls-cert-file/--tls-private-key-file or --insecure-port');

  await ensureSystemObjects(ctx, securePort);
  const reconciler = new EndpointsReconciler(ctx, etcd, opts.advertiseAddress, securePort, logger);
  await reconciler.start();
  const healthTimer = setInterval(() => {
    etcd
      .status()
      .then(() => (storeHealthy = true))
      .catch(() => (storeHealthy = false));
  }, 2000);
  healthTimer.unref();
  const compactionMs = opts.etcdCompactionIntervalMs ?? 5 * 60_000;
  const compactor = compactionMs > 0 ? startCompactor(etcd, compactionMs, logger) : undefined;
  logger.info({ secureUrl, plainUrl, etcd: opts.etcdServers }, 'apiserver serving');

  return {
    url: plainUrl ?? secureUrl!,
    secureUrl,
    context: ctx,
    async close() {
      clearInterval(healthTimer);
      compactor?.stop();
      await reconciler.stop();
      await Promise.all(apps.map((a) => a.close()));
      kubelet.close();
      await Promise.all([...caches.values()].map((c) => c.stop()));
      await etcd.close();
    },
  };
}
