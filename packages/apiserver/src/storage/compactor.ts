// Store compaction, as kube-apiserver does it (--etcd-compaction-interval, default 5 minutes). Without it etcd keeps
// every revision of every object forever: k8ts-etcd's memory and etcd's database grow without bound until etcd's space
// quota stops all writes. Every interval, each apiserver tries to bump the version of one shared key in a
// compare-and-swap; the one that wins compacts the store to the revision it saw one interval earlier, so a watch or a
// paginated list always has at least one interval of history, and several apiservers compact once per interval, not
// once each.
import type { EtcdClient } from '@k8ts/etcd-client';
import type { Logger } from '@k8ts/observability';

/** Kubernetes' key (outside /registry): its version counts compactions, its value is the last compacted revision. */
export const COMPACT_REV_KEY = 'compact_rev_key';

export interface CompactorState {
  /** The version of COMPACT_REV_KEY this apiserver expects (0: it has never been written). */
  version: number;
  /** The store revision seen at the previous attempt: what the next winning attempt compacts to. */
  revision: number;
}

export interface CompactOutcome extends CompactorState {
  /** The revision this attempt compacted to, if it won and had an earlier revision to compact to. */
  compacted?: number;
}

/**
 * One compaction attempt (Kubernetes' compact()): succeed the compare-and-swap on COMPACT_REV_KEY's version and compact
 * to `state.revision`, or learn the version another apiserver wrote. Either way the store's current revision becomes
 * the next attempt's target.
 */
export async function compactOnce(client: EtcdClient, state: CompactorState): Promise<CompactOutcome> {
  const resp = await client.txn({
    compare: [{ key: COMPACT_REV_KEY, target: 'VERSION', version: state.version }],
    success: [{ put: { key: COMPACT_REV_KEY, value: String(state.revision) } }],
    failure: [{ range: { key: COMPACT_REV_KEY } }],
  });
  const revision = resp.header.revision;
  if (!resp.succeeded) {
    const op = resp.responses[0];
    const kv = op && 'range' in op ? op.range.kvs[0] : undefined;
    return { version: kv?.version ?? 0, revision };
  }
  const next = { version: state.version + 1, revision };
  // The first win only records a revision: compacting to it happens one interval later.
  if (state.revision === 0) return next;
  await client.compact(state.revision);
  return { ...next, compacted: state.revision };
}

export interface Compactor {
  stop(): void;
}

/** Runs compactOnce every `intervalMs` until stopped; a failed attempt is logged and tried again next interval. */
export function startCompactor(client: EtcdClient, intervalMs: number, log?: Logger): Compactor {
  let state: CompactorState = { version: 0, revision: 0 };
  let running = false;
  const timer = setInterval(() => {
    if (running) return; // a slow store: never two attempts at once
    running = true;
    compactOnce(client, state)
      .then((outcome) => {
        state = { version: outcome.version, revision: outcome.revision };
        if (outcome.compacted !== undefined) log?.info({ revision: outcome.compacted }, 'compacted the store');
      })
      .catch((err: unknown) => log?.warn({ err: err instanceof Error ? err.message : String(err) }, 'store compaction failed'))
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
