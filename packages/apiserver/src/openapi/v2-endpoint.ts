// GET /openapi/v2 as kube-apiserver serves it (kube-openapi's handler): the Accept header picks JSON or the gnostic
// protobuf (kubectl asks only for protobuf), both carry the ETag of the JSON body and a Last-Modified, and a matching
// If-None-Match (or an If-Modified-Since not older than the document) answers 304 with no body.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { JsonObject } from '@k8ts/api-machinery';
import { encodeGnosticDocument } from './gnostic-v2.js';

/** What clients send: the old subtype with '@' (client-go) and the newer one with '.'. */
const PROTOBUF_SUBTYPES = ['com.github.proto-openapi.spec.v2@v1.0+protobuf', 'com.github.proto-openapi.spec.v2.v1.0+protobuf'];
/** What kube-apiserver answers for either protobuf subtype (kube-openapi since 2023). */
export const OPENAPI_V2_PROTOBUF_CONTENT_TYPE = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

interface Representation {
  contentType: string;
  body: Buffer;
}

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  params: number;
}

/** Accept clauses by preference: q first, then the more specific range (as goautoneg sorts them). */
export function parseAccept(accept: string | undefined): MediaRange[] {
  const out: MediaRange[] = [];
  for (const part of (accept?.trim() ? accept : '*/*').split(',')) {
    const [range = '', ...params] = part.split(';');
    const [type = '', subtype, ...rest] = range.trim().split('/');
    if (rest.length > 0 || (subtype === undefined && type !== '*')) continue;
    let q = 1;
    let count = 0;
    for (const p of params) {
      const [k, v] = p.split('=').map((x) => x.trim());
      if (k === 'q' && v !== undefined) q = Number.parseFloat(v);
      else if (k) count++;
    }
    if (!(q > 0)) continue;
    out.push({ type: type.trim(), subtype: (subtype ?? '*').trim(), q, params: count });
  }
  const wild = (s: string): number => (s === '*' ? 1 : 0);
  return out.sort((a, b) => b.q - a.q || wild(a.type) - wild(b.type) || wild(a.subtype) - wild(b.subtype) || b.params - a.params);
}

export function openapiV2Endpoint(doc: JsonObject): (req: FastifyRequest, reply: FastifyReply) => Promise<FastifyReply> {
  const json = Buffer.from(JSON.stringify(doc));
  // Encoded on first use (~65 ms): only kubectl's client-side validation (of `kind: List` files) asks for it.
  let protobufBody: Buffer | undefined;
  const protobuf: Representation = {
    contentType: OPENAPI_V2_PROTOBUF_CONTENT_TYPE,
    get body(): Buffer {
      protobufBody ??= Buffer.from(encodeGnosticDocument(doc));
      return protobufBody;
    },
  };
  // Ordered like kube-openapi's table: a wildcard clause picks JSON.
  const representations: [string, Representation][] = [
    ['json', { contentType: 'application/json', body: json }],
    ...PROTOBUF_SUBTYPES.map((s): [string, Representation] => [s, protobuf]),
  ];
  // One ETag for both: responses vary by Accept, like kube-apiserver's.
  const etag = `"${createHash('sha512').update(json).digest('hex').toUpperCase()}"`;
  const lastModified = new Date(Math.floor(Date.now() / 1000) * 1000);

  const choose = (accept: string | undefined): Representation | undefined => {
    for (const clause of parseAccept(accept)) {
      if (clause.type !== 'application' && clause.type !== '*') continue;
      const hit = representations.find(([subtype]) => clause.subtype === '*' || clause.subtype === subtype);
      if (hit) return hit[1];
    }
    return undefined;
  };
  const notModified = (req: FastifyRequest): boolean => {
    const inm = req.headers['if-none-match'];
    if (inm !== undefined) return inm.split(',').some((t) => t.trim() === '*' || t.trim().replace(/^W\//, '') === etag);
    const ims = Date.parse(req.headers['if-modified-since'] ?? '');
    return !Number.isNaN(ims) && lastModified.getTime() <= ims;
  };

  return async function handle(req, reply) {
    reply.header('vary', 'Accept');
    const r = choose(req.headers.accept);
    if (!r) return reply.code(406).send();
    reply.header('content-type', r.contentType).header('etag', etag).header('last-modified', lastModified.toUTCString());
    if (notModified(req)) return reply.code(304).send();
    return reply.send(r.body);
  };
}
