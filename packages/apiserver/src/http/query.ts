// The query parameters of resource requests. The JSON schema is what fastify validates and coerces with; the
// same schema is published as the parameters of every operation in the OpenAPI documents.
import { parse as parseQs } from 'node:querystring';

export const resourceQuerySchema = {
  type: 'object',
  properties: {
    pretty: { type: 'string', description: 'Ignored: responses are always compact JSON.' },
    labelSelector: { type: 'string', description: 'Only objects whose labels match this selector.' },
    fieldSelector: { type: 'string', description: 'Only objects whose fields match this selector.' },
    limit: { type: 'integer', minimum: 0, description: 'Maximum number of items in a list page.' },
    continue: { type: 'string', description: 'Token from a previous page to fetch the next one.' },
    resourceVersion: { type: 'string', description: 'Read or watch from this version (see Kubernetes resourceVersion semantics).' },
    resourceVersionMatch: { type: 'string', enum: ['Exact', 'NotOlderThan', ''], description: 'How resourceVersion applies to a list.' },
    watch: { type: 'boolean', description: 'Stream changes instead of returning a list.' },
    allowWatchBookmarks: { type: 'boolean', description: 'Allow BOOKMARK events carrying only a resourceVersion.' },
    sendInitialEvents: { type: 'boolean', description: 'Start a watch with the current state as ADDED events.' },
    timeoutSeconds: { type: 'integer', minimum: 0, description: 'End the list or watch call after this many seconds.' },
    includeObject: { type: 'string', enum: ['None', 'Metadata', 'Object'], description: 'What Table rows carry as their object.' },
    dryRun: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }], description: 'All: process the request but persist nothing.' },
    fieldManager: { type: 'string', maxLength: 128, description: 'Name of the actor making the change.' },
    fieldValidation: { type: 'string', enum: ['Strict', 'Warn', 'Ignore', ''], description: 'What to do with unknown or duplicate fields.' },
    force: { type: 'boolean', description: 'Server-side apply: take ownership of conflicting fields.' },
    gracePeriodSeconds: { type: 'integer', description: 'Seconds before the object is removed on delete.' },
    // No enum here: like Kubernetes, an unknown policy is a 422 Invalid DeleteOptions (parseDeleteOptions), not a 400.
    propagationPolicy: { type: 'string', description: 'What happens to dependents on delete: Orphan, Background or Foreground.' },
    orphanDependents: { type: 'boolean', description: 'Deprecated: use propagationPolicy.' },
    // Accepted for exec/attach/log style requests that share the resource routes.
    container: { type: 'string' },
  },
  additionalProperties: true,
} as const;

/** The boolean parameters above, which Kubernetes parses with Go's strconv.ParseBool. */
const BOOLEAN_PARAMS = Object.entries(resourceQuerySchema.properties)
  .filter(([, schema]) => 'type' in schema && schema.type === 'boolean')
  .map(([name]) => name);

const GO_BOOLEANS: Record<string, 'true' | 'false'> = {
  '1': 'true', t: 'true', T: 'true', TRUE: 'true', true: 'true', True: 'true',
  '0': 'false', f: 'false', F: 'false', FALSE: 'false', false: 'false', False: 'false',
};

/**
 * fastify's query string parser with booleans spelled as Go accepts them (`?watch=1`, `?watch=T`): the schema's
 * coercion only knows "true" and "false". Anything else is left alone for the schema to reject.
 */
export function parseQueryString(raw: string): Record<string, string | string[]> {
  const query = parseQs(raw) as Record<string, string | string[]>;
  for (const name of BOOLEAN_PARAMS) {
    const value = query[name];
    if (typeof value === 'string' && value in GO_BOOLEANS) query[name] = GO_BOOLEANS[value]!;
  }
  return query;
}

export interface ResourceQuery {
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: string;
  watch?: boolean;
  allowWatchBookmarks?: boolean;
  sendInitialEvents?: boolean;
  timeoutSeconds?: number;
  includeObject?: 'None' | 'Metadata' | 'Object';
  dryRun?: string | string[];
  fieldManager?: string;
  fieldValidation?: 'Strict' | 'Warn' | 'Ignore' | '';
  force?: boolean;
  gracePeriodSeconds?: number;
  propagationPolicy?: 'Orphan' | 'Background' | 'Foreground';
  orphanDependents?: boolean;
}

/** kubectl sends Strict explicitly; like Kubernetes, other clients get Warn by default. */
export function fieldValidationOf(q: ResourceQuery): 'Strict' | 'Warn' | 'Ignore' {
  return q.fieldValidation === 'Strict' || q.fieldValidation === 'Ignore' ? q.fieldValidation : 'Warn';
}

export function isDryRun(q: ResourceQuery, bodyDryRun?: unknown): boolean {
  const values = [q.dryRun ?? [], Array.isArray(bodyDryRun) ? bodyDryRun : []].flat();
  return values.includes('All');
}
