import t from 'tap';
import type { JsonObject } from '@k8ts/api-machinery';
import { assignDefaultStorageClass, pickDefaultStorageClass } from '../../src/admission/default-storage-class.js';
import { addDefaultTolerationSeconds } from '../../src/admission/default-toleration-seconds.js';

t.test('DefaultTolerationSeconds', async (t) => {
  const pod: JsonObject = { spec: { containers: [] } };
  addDefaultTolerationSeconds(pod);
  t.same((pod.spec as JsonObject).tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
  const own: JsonObject = { spec: { tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }] } };
  addDefaultTolerationSeconds(own);
  t.same(
    ((own.spec as JsonObject).tolerations as JsonObject[]).map((x) => [x.key, x.tolerationSeconds]),
    [
      ['node.kubernetes.io/unreachable', 5],
      ['node.kubernetes.io/not-ready', 300],
    ],
    "the pod's own toleration wins; only the missing one is added",
  );
  const all: JsonObject = { spec: { tolerations: [{ operator: 'Exists' }] } };
  addDefaultTolerationSeconds(all);
  t.same((all.spec as JsonObject).tolerations, [{ operator: 'Exists' }], 'tolerating everything already covers both');
  const noSchedule: JsonObject = { spec: { tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }] } };
  addDefaultTolerationSeconds(noSchedule);
  t.equal(((noSchedule.spec as JsonObject).tolerations as JsonObject[]).length, 3, 'a NoSchedule toleration does not cover NoExecute');
});

t.test('DefaultStorageClass', async (t) => {
  const cls = (name: string, isDefault: boolean, created: string): JsonObject => ({
    metadata: { name, creationTimestamp: created, annotations: isDefault ? { 'storageclass.kubernetes.io/is-default-class': 'true' } : {} },
  });
  t.equal(pickDefaultStorageClass([cls('fast', false, '2026-01-01T00:00:00Z'), cls('standard', true, '2026-01-01T00:00:00Z')]), 'standard');
  t.equal(pickDefaultStorageClass([cls('old', true, '2026-01-01T00:00:00Z'), cls('new', true, '2026-02-01T00:00:00Z')]), 'new', 'several defaults: the newest');
  t.equal(pickDefaultStorageClass([cls('fast', false, '2026-01-01T00:00:00Z')]), undefined);
  const unset: JsonObject = { spec: {} };
  await assignDefaultStorageClass(unset, async () => 'standard');
  t.equal((unset.spec as JsonObject).storageClassName, 'standard');
  const none: JsonObject = { spec: { storageClassName: '' } };
  await assignDefaultStorageClass(none, async () => 'standard');
  t.equal((none.spec as JsonObject).storageClassName, '', 'an explicit "" means no class');
});
