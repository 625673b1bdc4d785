// hashKV: a crc32 over every retained key revision up to a revision, in revision order, so members that applied
// the same entries (or restored the same snapshot) agree, and any divergence in retained history shows.
import { crc32 } from 'node:zlib';
import { Errors } from '../api/types.js';
import { ByteWriter } from './byte-codec.js';
import type { KvStore } from './kv-store.js';
import { writeKeyRev } from './snapshot-codec.js';

export interface HashKvResult {
  hash: number;
  /** The current revision (etcd's header revision of HashKV). */
  revision: number;
  /** etcd's compact revision: -1 if the store was never compacted. */
  compactRevision: number;
}

const FLUSH_BYTES = 1 << 16;

export function hashKv(kv: KvStore, rev: number): HashKvResult {
  const compactRevision = kv.compactMainRev;
  const revision = kv.currentRev;
  // etcd's HashByRev checks: note <= here, where range uses <.
  if (rev > 0 && rev <= compactRevision) throw Errors.compacted();
  if (rev > 0 && rev > revision) throw Errors.futureRev();
  const upTo = rev === 0 ? revision : rev;

  const w = new ByteWriter(FLUSH_BYTES * 2);
  let hash = 0;
  for (let i = 0; ; i++) {
    const r = kv.logAt(i);
    if (r === undefined || r.main > upTo) break;
    writeKeyRev(w, r);
    if (w.length >= FLUSH_BYTES) {
      hash = crc32(w.view(), hash);
      w.reset();
    }
  }
  hash = crc32(w.view(), hash);
  return { hash, revision, compactRevision };
}
