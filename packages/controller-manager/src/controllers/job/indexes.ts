// Completion indexes of Indexed Jobs (pkg/controller/job/indexed_job_utils.go): which index a pod runs, the
// compressed "1,3-5,7" form of status.completedIndexes, which indexes still need a pod, and which active pods
// duplicate an index or have none.
import type { Pod } from '@k8ts/api-machinery';

export const COMPLETION_INDEX_ANNOTATION = 'batch.kubernetes.io/job-completion-index';
export const COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';

/** The pod's index, or undefined when it has none or an unreadable one. */
export function completionIndexOf(pod: Pod): number | undefined {
  const raw = pod.metadata?.annotations?.[COMPLETION_INDEX_ANNOTATION];
  if (raw === undefined || !/^[+-]?[0-9]+$/.test(raw)) return undefined;
  const n = Number.parseInt(raw, 10);
  return n >= 0 && Number.isSafeInteger(n) ? n : undefined;
}

export interface Interval {
  first: number;
  last: number;
}

/** Disjoint, increasing, non-adjacent intervals of indexes. */
export class OrderedIntervals {
  constructor(readonly intervals: readonly Interval[] = []) {}

  /** status.completedIndexes as written by the controller; corrupt parts are skipped, indexes >= completions dropped. */
  static parse(text: string | undefined, completions: number): OrderedIntervals {
    if (!text) return new OrderedIntervals();
    const out: Interval[] = [];
    for (const part of text.split(',')) {
      const limits = part.split('-');
      const first = atoi(limits[0]!);
      if (first === undefined) continue;
      if (first >= completions) break;
      let last = first;
      if (limits.length > 1) {
        const l = atoi(limits[1]!);
        if (l === undefined) continue;
        last = Math.min(l, completions - 1);
      }
      const prev = out[out.length - 1];
      if (prev && prev.last === first - 1) prev.last = last;
      else out.push({ first, last });
    }
    return new OrderedIntervals(out);
  }

  /** These intervals plus `indexes` (increasing), merged. */
  withIndexes(indexes: readonly number[]): OrderedIntervals {
    const out: Interval[] = [];
    const push = (iv: Interval): void => {
      const prev = out[out.length - 1];
      if (!prev || iv.first > prev.last + 1) out.push({ ...iv });
      else if (prev.last < iv.last) prev.last = iv.last;
    };
    let i = 0;
    let j = 0;
    while (i < this.intervals.length && j < indexes.length) {
      if (this.intervals[i]!.first < indexes[j]!) push(this.intervals[i++]!);
      else {
        push({ first: indexes[j]!, last: indexes[j]! });
        j++;
      }
    }
    for (; i < this.intervals.length; i++) push(this.intervals[i]!);
    for (; j < indexes.length; j++) push({ first: indexes[j]!, last: indexes[j]! });
    return new OrderedIntervals(out);
  }

  total(): number {
    return this.intervals.reduce((n, iv) => n + iv.last - iv.first + 1, 0);
  }

  has(ix: number): boolean {
    return this.intervals.some((iv) => iv.first <= ix && ix <= iv.last);
  }

  /** "1,3-5,7": a pair of neighbours is written "3,4", longer runs with a dash. */
  toString(): string {
    return this.intervals
      .map((iv) => (iv.last === iv.first ? `${iv.first}` : iv.last === iv.first + 1 ? `${iv.first},${iv.last}` : `${iv.first}-${iv.last}`))
      .join(',');
  }
}

function atoi(s: string): number | undefined {
  return /^[+-]?[0-9]+$/.test(s) ? Number.parseInt(s, 10) : undefined;
}

/** The first `count` indexes below `completions` that neither succeeded nor have an active pod. */
export function firstPendingIndexes(activePods: Pod[], succeeded: OrderedIntervals, count: number, completions: number): number[] {
  if (count <= 0) return [];
  const active = [...new Set(activePods.map(completionIndexOf).filter((ix): ix is number => ix !== undefined))].sort((a, b) => a - b);
  const nonPending = succeeded.withIndexes(active);
  const result: number[] = [];
  let candidate = 0;
  for (const iv of nonPending.intervals) {
    for (; candidate < completions && result.length < count && candidate < iv.first; candidate++) result.push(candidate);
    if (candidate < iv.last + 1) candidate = iv.last + 1;
  }
  for (; candidate < completions && result.length < count; candidate++) result.push(candidate);
  return result;
}

/**
 * Active pods an Indexed Job removes whatever its parallelism: those without an index or with one out of range,
 * and all but one of the pods sharing an index (the one kept is the one ranked last for deletion).
 */
export function surplusIndexedPods(pods: Pod[], completions: number, rankForDeletion: (a: Pod, b: Pod) => number): { remove: Pod[]; keep: Pod[] } {
  const remove: Pod[] = [];
  const keep: Pod[] = [];
  const byIndex = new Map<number, Pod[]>();
  for (const pod of pods) {
    const ix = completionIndexOf(pod);
    if (ix === undefined || ix >= completions) {
      remove.push(pod);
      continue;
    }
    const same = byIndex.get(ix);
    if (same) same.push(pod);
    else byIndex.set(ix, [pod]);
  }
  for (const ix of [...byIndex.keys()].sort((a, b) => a - b)) {
    const same = byIndex.get(ix)!;
    if (same.length === 1) {
      keep.push(same[0]!);
      continue;
    }
    const sorted = [...same].sort(rankForDeletion);
    remove.push(...sorted.slice(0, -1));
    keep.push(sorted[sorted.length - 1]!);
  }
  return { remove, keep };
}

/** generateName of an index's pods: "<job>-<index>-", the job name cut so that the whole stays within 58 characters. */
export function indexedGenerateName(jobName: string, index: number): string {
  const suffix = `-${index}-`;
  const MAX_GENERATED_NAME_LENGTH = 58;
  const prefix = jobName + suffix;
  return prefix.length > MAX_GENERATED_NAME_LENGTH ? jobName.slice(0, MAX_GENERATED_NAME_LENGTH - suffix.length) + suffix : prefix;
}
