// etcd's encoding of a key range in (key, range_end), decoded once.
import type { Key } from '../api/types.js';

/**
 * A single key, or the keys start <= k < end (end null: no upper bound).
 * rangeEnd '' selects one key; '\0' selects every key >= key (etcd's mkGteRange); any other end is exclusive,
 * and an end <= key selects nothing.
 */
export type KeyRange = { readonly single: true; readonly key: Key } | { readonly single: false; readonly start: Key; readonly end: Key | null };

export function toKeyRange(key: Key, rangeEnd: Key): KeyRange {
  if (rangeEnd === '') return { single: true, key };
  return { single: false, start: key, end: rangeEnd === '\0' ? null : rangeEnd };
}

export function rangeContains(r: KeyRange, k: Key): boolean {
  if (r.single) return k === r.key;
  return k >= r.start && (r.end === null || k < r.end);
}
