// ControllerRevision history shared by the DaemonSet and StatefulSet controllers (pkg/controller/history): each
// distinct pod template becomes an immutable ControllerRevision named <owner>-<hash>, numbered in rollout order, so a
// controller knows which pods are up to date (their controller-revision-hash label), `kubectl rollout history/undo`
// works, and old revisions not used by any live pod are trimmed to revisionHistoryLimit.
import { cloneJson, type ControllerRevision, type JsonValue, type OwnerReference, type PodTemplateSpec } from '@k8ts/api-machinery';
import { isAlreadyExists, isNotFound, type ResourceClient } from '@k8ts/client';
import { canonicalJson, computeTemplateHash } from '../../shared/template-hash.js';

export const CONTROLLER_REVISION_HASH_LABEL = 'controller-revision-hash';
/** A name is at most 253 characters; the hash suffix needs room (history.ControllerRevisionName). */
const MAX_PREFIX = 223;
export const DEFAULT_REVISION_HISTORY_LIMIT = 10;

/** The revision's data: a strategic-merge patch replacing the template (getPatch of both controllers). */
export function templatePatch(template: PodTemplateSpec | undefined): JsonValue {
  const copy = cloneJson((template ?? {}) as unknown as JsonValue) as { [key: string]: JsonValue };
  return { spec: { template: { ...copy, $patch: 'replace' } } };
}

/** The template a revision recorded (ApplyRevision for our own patches). */
export function templateOfRevision(rev: ControllerRevision): PodTemplateSpec {
  const data = rev.data as { spec?: { template?: { [key: string]: JsonValue } } } | null | undefined;
  const template = { ...(data?.spec?.template ?? {}) };
  delete template['$patch'];
  return cloneJson(template as JsonValue) as unknown as PodTemplateSpec;
}

export function hashRevision(data: JsonValue, collisionCount: number): string {
  return computeTemplateHash(data, collisionCount);
}

export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.length > MAX_PREFIX ? prefix.slice(0, MAX_PREFIX) : prefix}-${hash}`;
}

/** history.NewControllerRevision: labels from the template plus the hash label, owned by the parent. */
export function newControllerRevision(
  namespace: string,
  parentName: string,
  ownerRef: OwnerReference,
  templateLabels: Record<string, string> | undefined,
  data: JsonValue,
  revision: number,
  collisionCount: number,
): ControllerRevision {
  const hash = hashRevision(data, collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(parentName, hash),
      namespace,
      labels: { ...(templateLabels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ownerReferences: [{ ...ownerRef }],
    },
    data,
    revision,
  };
}

/** Oldest first: by revision, then creation, then name (history.SortControllerRevisions). */
export function sortRevisions(revisions: readonly ControllerRevision[]): ControllerRevision[] {
  return [...revisions].sort((a, b) => {
    if (a.revision !== b.revision) return a.revision - b.revision;
    const ca = a.metadata?.creationTimestamp ?? '';
    const cb = b.metadata?.creationTimestamp ?? '';
    if (ca !== cb) return ca < cb ? -1 : 1;
    const na = a.metadata?.name ?? '';
    const nb = b.metadata?.name ?? '';
    return na < nb ? -1 : na > nb ? 1 : 0;
  });
}

export function nextRevision(revisions: readonly ControllerRevision[]): number {
  return revisions.reduce((max, r) => Math.max(max, r.revision), 0) + 1;
}

/** Same recorded template (history.EqualRevision compares the raw data). */
export function equalRevision(a: ControllerRevision | undefined, b: ControllerRevision | undefined): boolean {
  if (!a || !b) return a === b;
  return canonicalJson(a.data ?? null) === canonicalJson(b.data ?? null);
}

export function findEqualRevisions(revisions: readonly ControllerRevision[], needle: ControllerRevision): ControllerRevision[] {
  return sortRevisions(revisions.filter((r) => equalRevision(r, needle)));
}

/**
 * The revisions to delete: the oldest beyond `limit` among those no live pod uses (`live` holds revision names and
 * hashes in use) — a revision a pod still runs must stay, or that pod could never be identified as old.
 */
export function revisionsToTruncate(revisions: readonly ControllerRevision[], live: ReadonlySet<string>, limit: number): ControllerRevision[] {
  const unused = sortRevisions(revisions).filter((r) => !live.has(r.metadata?.name ?? '') && !live.has(r.metadata?.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? ''));
  const excess = unused.length - Math.max(0, limit);
  return excess > 0 ? unused.slice(0, excess) : [];
}

/** The revision writes, with the name-collision handling of history.realHistory. */
export class RevisionWriter {
  constructor(private readonly client: ResourceClient<ControllerRevision>) {}

  /**
   * Creates `revision`; when the name is taken by a different template, bumps `collision.count` and retries with a
   * new hash. Returns the stored revision (an equal one that already existed counts as created).
   */
  async create(revision: ControllerRevision, collision: { count: number }): Promise<ControllerRevision> {
    const ns = revision.metadata?.namespace ?? '';
    const labels = { ...(revision.metadata?.labels ?? {}) };
    for (let attempt = 0; attempt < 100; attempt++) {
      const hash = hashRevision(revision.data ?? null, collision.count);
      const parentName = revision.metadata?.ownerReferences?.[0]?.name ?? '';
      const candidate: ControllerRevision = {
        ...revision,
        metadata: { ...revision.metadata, name: controllerRevisionName(parentName, hash), labels: { ...labels, [CONTROLLER_REVISION_HASH_LABEL]: hash } },
      };
      try {
        return await this.client.namespace(ns).create(candidate);
      } catch (err) {
        if (!isAlreadyExists(err)) throw err;
        const existing = await this.client.namespace(ns).get(candidate.metadata?.name ?? '');
        if (equalRevision(existing, candidate)) return existing;
        collision.count++;
      }
    }
    throw new Error(`no free ControllerRevision name for ${revision.metadata?.name ?? ''} after 100 collisions`);
  }

  /** Renumbers a revision (a rollback to an earlier template makes it the newest). */
  async updateRevision(revision: ControllerRevision, number: number): Promise<ControllerRevision> {
    if (revision.revision === number) return revision;
    return this.client.namespace(revision.metadata?.namespace ?? '').update({ ...revision, revision: number });
  }

  async delete(revision: ControllerRevision): Promise<void> {
    try {
      await this.client.namespace(revision.metadata?.namespace ?? '').delete(revision.metadata?.name ?? '', { preconditions: { uid: revision.metadata?.uid } });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }
}
