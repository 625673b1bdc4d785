// Everything a request handler needs, assembled once at start-up.
import type { FastifyRequest } from 'fastify';
import type { KindDefinition, PatchMeta, ResourceRegistry, SchemaRegistry } from '@k8ts/api-machinery';
import type { Logger } from 'pino';
import type { GenericRegistry } from '../registry/generic-registry.js';
import type { ServiceAllocators } from '../allocators/service-allocators.js';
import type { ApiMetrics } from '../metrics.js';

export interface ResourceAttributes {
  kind: KindDefinition;
  info: { namespace?: string | undefined; name?: string | undefined; subresource?: string | undefined };
}

export interface ApiContext {
  resources: ResourceRegistry;
  schemas: SchemaRegistry;
  /** Keyed by `${group}/${version}/${plural}`. */
  registries: Map<string, GenericRegistry>;
  registryFor(group: string, version: string, plural: string): GenericRegistry;
  patchMeta(kind: KindDefinition): PatchMeta;
  allocators: ServiceAllocators;
  metrics: ApiMetrics;
  logger: Logger;
  /** A watch without timeoutSeconds ends after a random 1-2x this many seconds (kube-apiserver's --min-request-timeout). */
  minRequestTimeoutSeconds: number;
  /** The authorization seam: every resource request passes here before its handler (allow-all until RBAC lands). */
  authorize(req: FastifyRequest, attrs: ResourceAttributes): Promise<void>;
}
