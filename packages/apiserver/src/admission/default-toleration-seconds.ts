// The DefaultTolerationSeconds admission plugin (on by default in kube-apiserver): every pod tolerates the
// not-ready and unreachable NoExecute taints for 300 s unless it says otherwise, so that a node that goes away for a
// moment does not evict everything at once, and one that stays away evicts its pods after five minutes.
import { isJsonObject, type JsonObject } from '@k8ts/api-machinery';

export const DEFAULT_TOLERATION_SECONDS = 300;

/** Whether `t` already tolerates the NoExecute taint `key` (any value). */
function tolerates(t: JsonObject, key: string): boolean {
  const effect = t.effect;
  if (effect !== undefined && effect !== '' && effect !== 'NoExecute') return false;
  // An empty key with Exists tolerates every taint.
  if (t.key === undefined || t.key === '') return t.operator === 'Exists';
  return t.key === key;
}

export interface TolerationSeconds {
  notReady: number;
  unreachable: number;
}

export function addDefaultTolerationSeconds(
  pod: JsonObject,
  seconds: TolerationSeconds = { notReady: DEFAULT_TOLERATION_SECONDS, unreachable: DEFAULT_TOLERATION_SECONDS },
): void {
  const spec = isJsonObject(pod.spec) ? pod.spec : undefined;
  if (!spec) return;
  const tolerations = Array.isArray(spec.tolerations) ? spec.tolerations.filter(isJsonObject) : [];
  const wanted: Array<[string, number]> = [
    ['node.kubernetes.io/not-ready', seconds.notReady],
    ['node.kubernetes.io/unreachable', seconds.unreachable],
  ];
  const added = wanted
    .filter(([key]) => !tolerations.some((t) => tolerates(t, key)))
    .map(([key, s]): JsonObject => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: s }));
  if (added.length > 0) spec.tolerations = [...(Array.isArray(spec.tolerations) ? spec.tolerations : []), ...added];
}
