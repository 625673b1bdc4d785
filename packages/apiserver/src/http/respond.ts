// Writing responses: JSON with `Content-Type: application/json` always (clients decode by it), Tables for kubectl,
// and `Warning: 299 - "..."` headers.
import type { FastifyReply } from 'fastify';
import type { JsonObject } from '@k8ts/api-machinery';
import { buildTable } from '../tables/index.js';
import type { ResolvedRequest } from './resource-routes.js';

export function sendObject(reply: FastifyReply, code: number, body: JsonObject): void {
  void reply.code(code).header('content-type', 'application/json').send(JSON.stringify(body));
}

export function sendWarnings(reply: FastifyReply, warnings: string[]): void {
  if (warnings.length) void reply.header('warning', warnings.map((w) => `299 - ${JSON.stringify(w)}`));
}

export interface TableMeta {
  resourceVersion: string;
  continue?: string | undefined;
  remainingItemCount?: number | undefined;
}

export function tableOf(r: Pick<ResolvedRequest, 'kind' | 'format' | 'query'>, items: JsonObject[], meta: TableMeta, noHeaders = false): JsonObject {
  const t = buildTable(r.kind.group, r.kind.plural, items, { now: new Date(), includeObject: r.query.includeObject ?? 'Metadata', noHeaders, tableVersion: r.format.tableVersion });
  const metadata: JsonObject = { resourceVersion: meta.resourceVersion };
  if (meta.continue) metadata.continue = meta.continue;
  if (meta.remainingItemCount !== undefined) metadata.remainingItemCount = meta.remainingItemCount;
  return {
    kind: 'Table',
    apiVersion: `meta.k8s.io/${r.format.tableVersion}`,
    metadata,
    columnDefinitions: t.columnDefinitions as unknown as JsonObject[],
    rows: t.rows as unknown as JsonObject[],
  };
}

export function sendTable(reply: FastifyReply, r: ResolvedRequest, items: JsonObject[], meta: TableMeta): void {
  sendObject(reply, 200, tableOf(r, items, meta));
}
