// POST .../serviceaccounts/{name}/token (TokenRequest): a service-account JWT signed RS256 with the apiserver's
// service-account key, with Kubernetes' claims, for `kubectl create token` and the kubelet's projected token volumes.
import { createHash, createPrivateKey, createPublicKey, createSign, type KeyObject } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isJsonObject, type JsonObject } from '@k8ts/api-machinery';
import { errors } from '../api/errors.js';
import type { ApiContext } from '../api/context.js';
import { parseObjectBody } from '../http/body.js';
import { sendObject } from '../http/respond.js';

export const DEFAULT_SERVICE_ACCOUNT_ISSUER = 'https://kubernetes.default.svc.cluster.local';
const DEFAULT_EXPIRATION_SECONDS = 3600;
const MIN_EXPIRATION_SECONDS = 600;
const MAX_EXPIRATION_SECONDS = 2 ** 32;

export interface TokenSigner {
  issuer: string;
  key: KeyObject;
  /** Key id as Kubernetes derives it: base64url(sha256(DER public key)). */
  keyId: string;
}

export function tokenSigner(privateKeyPem: string | Buffer, issuer = DEFAULT_SERVICE_ACCOUNT_ISSUER): TokenSigner {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`service-account signing key must be RSA, got ${String(key.asymmetricKeyType)}`);
  const der = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return { issuer, key, keyId: createHash('sha256').update(der).digest('base64url') };
}

const b64url = (v: unknown): string => Buffer.from(JSON.stringify(v)).toString('base64url');

export function signJwt(signer: TokenSigner, claims: JsonObject): string {
  const signingInput = `${b64url({ alg: 'RS256', kid: signer.keyId })}.${b64url(claims)}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(signer.key).toString('base64url');
  return `${signingInput}.${signature}`;
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** The object a token is bound to (Pod or Secret): it must exist, and match the uid when one is given. */
async function boundObject(ctx: ApiContext, namespace: string, ref: JsonObject): Promise<{ kind: string; name: string; uid: string }> {
  const kind = String(ref.kind ?? '');
  const name = String(ref.name ?? '');
  const plural = kind === 'Pod' ? 'pods' : kind === 'Secret' ? 'secrets' : undefined;
  if (!plural) {
    throw errors.invalid('TokenRequest', 'authentication.k8s.io', '', [
      { type: 'FieldValueNotSupported', field: 'spec.boundObjectRef.kind', badValue: kind, detail: 'supported values: "Pod", "Secret"' },
    ]);
  }
  const obj = await ctx.registryFor('', 'v1', plural).get(namespace, name);
  const uid = String((obj.metadata as JsonObject).uid ?? '');
  if (typeof ref.uid === 'string' && ref.uid !== '' && ref.uid !== uid) {
    throw errors.conflict({ group: '', resource: plural }, name, `the UID in the bound object reference (${ref.uid}) does not match the UID in record. The object might have been deleted and then recreated`);
  }
  return { kind, name, uid };
}

export async function createToken(
  ctx: ApiContext,
  signer: TokenSigner,
  req: FastifyRequest<{ Params: { namespace: string; name: string } }>,
  reply: FastifyReply,
): Promise<void> {
  const { namespace, name } = req.params;
  const body = parseObjectBody(req.headers['content-type'], req.body as Buffer | undefined).value;
  const spec = isJsonObject(body) && isJsonObject(body.spec) ? body.spec : {};
  const sa = await ctx.registryFor('', 'v1', 'serviceaccounts').get(namespace, name);
  const saUid = String((sa.metadata as JsonObject).uid ?? '');
  const expirationSeconds = spec.expirationSeconds === undefined || spec.expirationSeconds === null ? DEFAULT_EXPIRATION_SECONDS : Number(spec.expirationSeconds);
  if (!Number.isInteger(expirationSeconds) || expirationSeconds < MIN_EXPIRATION_SECONDS || expirationSeconds > MAX_EXPIRATION_SECONDS) {
    const detail = expirationSeconds < MIN_EXPIRATION_SECONDS ? 'may not specify a duration less than 10 minutes' : 'may not specify a duration larger than 2^32 seconds';
    throw errors.invalid('TokenRequest', 'authentication.k8s.io', name, [{ type: 'FieldValueInvalid', field: 'spec.expirationSeconds', badValue: expirationSeconds, detail }]);
  }
  const audiences = stringList(spec.audiences).length ? stringList(spec.audiences) : [signer.issuer];
  const k8s: JsonObject = { namespace, serviceaccount: { name, uid: saUid } };
  let boundRef: JsonObject | undefined;
  if (isJsonObject(spec.boundObjectRef)) {
    const bound = await boundObject(ctx, namespace, spec.boundObjectRef);
    k8s[bound.kind === 'Pod' ? 'pod' : 'secret'] = { name: bound.name, uid: bound.uid };
    boundRef = { kind: bound.kind, apiVersion: 'v1', name: bound.name, uid: bound.uid };
  }
  const now = Math.floor(Date.now() / 1000);
  const exp = now + expirationSeconds;
  const token = signJwt(signer, {
    aud: audiences,
    exp,
    iat: now,
    iss: signer.issuer,
    'kubernetes.io': k8s,
    nbf: now,
    sub: `system:serviceaccount:${namespace}:${name}`,
  });
  const outSpec: JsonObject = { audiences, expirationSeconds };
  if (boundRef) outSpec.boundObjectRef = boundRef;
  return sendObject(reply, 201, {
    kind: 'TokenRequest',
    apiVersion: 'authentication.k8s.io/v1',
    metadata: { name, namespace, creationTimestamp: new Date(now * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') },
    spec: outSpec,
    status: { token, expirationTimestamp: new Date(exp * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') },
  });
}
