// The pod-template-hash label of a Deployment's ReplicaSets (and the hash in ControllerRevision names): a 32-bit
// FNV-1a of the template (plus the collision count, so a collision yields a new name), printed in the alphabet of
// k8s.io/apimachinery's rand.SafeEncodeString (no vowels, no look-alike digits) so it never spells words.
// Kubernetes hashes Go's printed form of the struct; we hash canonical JSON, so the values differ from Kubernetes'
// but have the same shape and the same properties (stable, changes with the template).
import type { JsonValue } from '@k8ts/api-machinery';

const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: JsonValue | undefined): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}

export function safeEncodeString(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += SAFE_ALPHABET[s.charCodeAt(i) % SAFE_ALPHABET.length];
  return out;
}

/** controller.ComputeHash: the template's hash, varied by the collision count when there is one. */
export function computeTemplateHash(template: unknown, collisionCount?: number): string {
  let text = canonicalJson(template as JsonValue);
  if (collisionCount !== undefined && collisionCount !== null) text += `#${collisionCount}`;
  return safeEncodeString(String(fnv1a32(text)));
}
