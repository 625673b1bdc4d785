// Kubernetes' list continue tokens (k8s.io/apiserver/pkg/storage: EncodeContinue/DecodeContinue): unpadded base64url
// of {"v":"meta.k8s.io/v1","rv":<revision>,"start":"<next key relative to the list prefix>"}. rv -1 means "continue at
// the latest revision" (what a token handed out with an Expired error carries).
import { isJsonObject } from '@k8ts/api-machinery';
import { StorageError } from './contract.js';

const TOKEN_VERSION = 'meta.k8s.io/v1';

/** Where a continued list resumes: the full start key and the revision to read at (-1: the latest). */
export interface ContinuePosition {
  startKey: string;
  revision: number;
}

export function encodeContinue(nextKey: string, prefix: string, revision: number): string {
  if (!nextKey.startsWith(prefix) || nextKey.length === prefix.length) {
    throw new Error(`unable to encode next field: the key ${JSON.stringify(nextKey)} and key prefix ${JSON.stringify(prefix)} do not match`);
  }
  const json = JSON.stringify({ v: TOKEN_VERSION, rv: revision, start: nextKey.slice(prefix.length) });
  return Buffer.from(json, 'utf8').toString('base64url');
}

/** Throws StorageError('InvalidContinue') with Kubernetes' wording for anything that is not a token of ours. */
export function decodeContinue(token: string, prefix: string): ContinuePosition {
  const invalid = (why: string): StorageError => new StorageError('InvalidContinue', `continue key is not valid: ${why}`);
  // Node's base64url decoder skips characters it does not know; Go's RawURLEncoding (and so Kubernetes) rejects them.
  if (!/^[A-Za-z0-9_-]+$/.test(token) || token.length % 4 === 1) throw invalid('illegal base64 data');
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch (err) {
    throw invalid(err instanceof Error ? err.message : String(err));
  }
  if (!isJsonObject(parsed)) throw invalid('not a JSON object');
  if (parsed.v !== TOKEN_VERSION) {
    throw invalid(`server does not recognize this encoded version ${JSON.stringify(parsed.v ?? '')}`);
  }
  const rv = parsed.rv;
  if (typeof rv !== 'number' || !Number.isSafeInteger(rv) || rv === 0) {
    throw invalid(`incorrect encoded start resourceVersion (version ${TOKEN_VERSION})`);
  }
  const start = parsed.start;
  if (typeof start !== 'string' || start === '') throw invalid(`encoded start key empty (version ${TOKEN_VERSION})`);
  // Kubernetes requires path.Clean(start) == start so a token cannot reach above the list prefix.
  const rooted = start.startsWith('/') ? start : `/${start}`;
  if (!isCleanPath(rooted)) throw invalid(start);
  return { startKey: prefix + rooted.slice(1), revision: rv < 0 ? -1 : rv };
}

/** Go's path.Clean(p) === p for a rooted path: no empty, "." or ".." segments and no trailing slash. */
function isCleanPath(rooted: string): boolean {
  if (rooted === '/') return true;
  return rooted
    .slice(1)
    .split('/')
    .every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}
