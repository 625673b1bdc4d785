// storage.k8s.io/v1 validation hooks, and StorageClasses through the schema engine.
import t from 'tap';
import type { JsonObject } from '../../../src/json.js';
import { applyDefaults } from '../../../src/schema/defaulting.js';
import { validateObject } from '../../../src/schema/validation.js';
import { storageModule } from '../../../src/types/storage-v1/index.js';
import { CREATE, messages, registryWith, update } from '../workloads/helpers/modules.js';

const SC = 'io.k8s.api.storage.v1.StorageClass';
const validate = storageModule.validators![SC]!;
const term = storageModule.validators!['io.k8s.api.core.v1.TopologySelectorTerm']!;

const zone = (values: string[]): JsonObject => ({ matchLabelExpressions: [{ key: 'topology.kubernetes.io/zone', values }] });

t.test('provisioner and parameters', async (t) => {
  t.same(validate({ provisioner: 'ebs.csi.aws.com', parameters: { type: 'gp3' } }, '', CREATE), []);
  // Compared in lower case, so capitals in the prefix are fine.
  t.same(validate({ provisioner: 'Example.COM/Fast' }, '', CREATE), []);
  t.match(messages(validate({ provisioner: 'a/b/c' }, '', CREATE))[0], /^provisioner: Invalid value: "a\/b\/c": a qualified name must consist of/);
  t.same(messages(validate({ provisioner: 'p', parameters: { '': 'x' } }, '', CREATE)), ['parameters: Invalid value: "": field can not be empty.']);
  const many: JsonObject = {};
  for (let i = 0; i < 513; i++) many[`k${i}`] = 'v';
  t.same(messages(validate({ provisioner: 'p', parameters: many }, '', CREATE)), ['parameters: Too long: may not be more than 512 bytes']);
  t.same(messages(validate({ provisioner: 'p', parameters: { big: 'x'.repeat(256 * 1024) } }, '', CREATE)), ['parameters: Too long: may not be more than 262144 bytes']);
});

t.test('allowed topologies', async (t) => {
  t.same(validate({ provisioner: 'p', allowedTopologies: [zone(['a']), zone(['b'])] }, '', CREATE), []);
  t.same(messages(validate({ provisioner: 'p', allowedTopologies: [zone(['a', 'b']), zone(['b', 'a'])] }, '', CREATE)), [
    'allowedTopologies[1].matchLabelExpressions: Duplicate value: [{"key":"topology.kubernetes.io/zone","values":["b","a"]}]',
  ]);
  const dupes = {
    matchLabelExpressions: [
      { key: 'zone', values: ['a', 'a'] },
      { key: 'zone', values: ['b'] },
    ],
  };
  t.same(messages(term(dupes, 'allowedTopologies[0]', CREATE)), [
    'allowedTopologies[0].matchLabelExpressions[0].values[1]: Duplicate value: "a"',
    'allowedTopologies[0].matchLabelExpressions[1].key: Duplicate value: "zone"',
  ]);
});

t.test('updates may not change provisioner, parameters or reclaim policy', async (t) => {
  const old = { provisioner: 'p', parameters: { type: 'gp3' }, reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' };
  t.same(validate({ ...old, allowVolumeExpansion: true, mountOptions: ['ro'] }, '', update(old)), []);
  t.same(messages(validate({ ...old, provisioner: 'q', parameters: { type: 'io2' }, reclaimPolicy: 'Retain' }, '', update(old))), [
    'parameters: Forbidden: updates to parameters are forbidden.',
    'provisioner: Forbidden: updates to provisioner are forbidden.',
    'reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.',
  ]);
});

t.test('StorageClasses through the schema engine', async (t) => {
  const reg = registryWith(storageModule);
  const sc: JsonObject = { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name: 'fast' }, provisioner: 'ebs.csi.aws.com' };
  applyDefaults(reg, SC, sc);
  t.equal(sc.reclaimPolicy, 'Delete');
  t.equal(sc.volumeBindingMode, 'Immediate');
  t.same(validateObject(reg, SC, sc), []);

  t.same(messages(validateObject(reg, SC, { metadata: { name: 'x' }, reclaimPolicy: 'Recycle', volumeBindingMode: 'Later' })), [
    'provisioner: Required value',
    'reclaimPolicy: Unsupported value: "Recycle": supported values: "Delete", "Retain"',
    'volumeBindingMode: Unsupported value: "Later": supported values: "Immediate", "WaitForFirstConsumer"',
  ]);
  const changed = { ...sc, volumeBindingMode: 'WaitForFirstConsumer' };
  t.same(messages(validateObject(reg, SC, changed, sc)), ['volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable']);
  t.same(messages(validateObject(reg, SC, { ...sc, allowedTopologies: [{ matchLabelExpressions: [{ key: 'zone' }] }] })), [
    'allowedTopologies[0].matchLabelExpressions[0].values: Required value',
  ]);
});
