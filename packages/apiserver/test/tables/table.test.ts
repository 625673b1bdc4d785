import t from 'tap';
import type { JsonObject } from '@k8ts/api-machinery';
import { buildTable, printedResources, printerFor } from '../../src/tables/index.js';
import { NOW, ago, m } from './helpers/fixtures.js';

const cm = (name: string): JsonObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'apps', uid: `u-${name}`, resourceVersion: '42', creationTimestamp: ago(m(3)), labels: { team: 'a' } },
  data: { k: 'v' },
});

t.test('fallback table: Name + Created At', async (t) => {
  const widget: JsonObject = {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    metadata: { name: 'w1', creationTimestamp: '2024-05-31T23:59:59Z' },
    spec: { size: 3 },
  };
  const table = buildTable('example.com', 'widgets', [widget, { metadata: { name: 'no-ts' } }], { now: NOW, includeObject: 'None' });
  t.same(table.columnDefinitions.map(({ name, type, format, priority }) => ({ name, type, format, priority })), [
    { name: 'Name', type: 'string', format: 'name', priority: 0 },
    { name: 'Created At', type: 'date', format: '', priority: 0 },
  ]);
  t.same(table.rows.map((r) => r.cells), [
    ['w1', '2024-05-31T23:59:59Z'],
    ['no-ts', '0001-01-01T00:00:00Z'],
  ]);
  t.same(
    buildTable('', 'limitranges', [{ metadata: { name: 'lr', creationTimestamp: '2024-01-02T03:04:05.678Z' } }], { now: NOW, includeObject: 'None' }).rows[0]?.cells,
    ['lr', '2024-01-02T03:04:05Z'],
    'limitranges have no dedicated printer; fractional seconds dropped',
  );
  t.notOk(printerFor('apps', 'pods'), 'the group matters');
  t.notOk(printerFor('', 'toString'), 'no prototype lookups');
});

t.test('includeObject modes', async (t) => {
  const obj = cm('settings');
  const metaRow = buildTable('', 'configmaps', [obj], { now: NOW, includeObject: 'Metadata' }).rows[0];
  t.same(metaRow?.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj['metadata'] });
  const fullRow = buildTable('', 'configmaps', [obj], { now: NOW, includeObject: 'Object' }).rows[0];
  t.equal(fullRow?.object, obj, 'the object itself');
  const noneRow = buildTable('', 'configmaps', [obj], { now: NOW, includeObject: 'None' }).rows[0];
  t.equal(noneRow?.object, null, 'null, as the real server serialises an omitted object');
  const beta = buildTable('', 'configmaps', [obj], { now: NOW, includeObject: 'Metadata', tableVersion: 'v1beta1' }).rows[0];
  t.equal((beta?.object ?? {})['apiVersion'], 'meta.k8s.io/v1beta1', 'follows the requested Table version');
  const bare = buildTable('', 'configmaps', [{ data: {} }], { now: NOW, includeObject: 'Metadata' }).rows[0];
  t.same(bare?.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: {} });
  t.same(JSON.parse(JSON.stringify(noneRow)), { cells: ['settings', 1, '3m'], object: null }, 'serialises cleanly');
});

t.test('noHeaders and ordering', async (t) => {
  const table = buildTable('', 'configmaps', [cm('b'), cm('a')], { now: NOW, includeObject: 'None', noHeaders: true });
  t.same(table.columnDefinitions, []);
  t.same(table.rows.map((r) => r.cells[0]), ['b', 'a'], 'storage order is kept');
  t.same(buildTable('', 'configmaps', [], { now: NOW, includeObject: 'None' }).rows, []);
});

t.test('column definitions are copies', async (t) => {
  const a = buildTable('', 'pods', [], { now: NOW, includeObject: 'None' });
  const first = a.columnDefinitions[0];
  if (first) first.name = 'Mutated';
  t.equal(buildTable('', 'pods', [], { now: NOW, includeObject: 'None' }).columnDefinitions[0]?.name, 'Name');
});

t.test('every printer: well-formed columns, one cell per column, no throw on a bare object', async (t) => {
  const resources = printedResources();
  t.ok(resources.length >= 40, `${resources.length} printers`);
  for (const r of resources) {
    const dot = r.indexOf('.');
    const [resource, group] = dot < 0 ? [r, ''] : [r.slice(0, dot), r.slice(dot + 1)];
    const table = buildTable(group, resource, [{ metadata: { name: 'x' } }], { now: NOW, includeObject: 'None' });
    const cols = table.columnDefinitions;
    t.equal(cols.filter((c) => c.format === 'name').length >= 1, true, `${r}: a name-format column`);
    for (const c of cols) {
      t.ok(['string', 'integer', 'boolean', 'date', 'number'].includes(c.type), `${r}.${c.name}: type ${c.type}`);
      t.ok(c.priority === 0 || c.priority === 1, `${r}.${c.name}: priority`);
      t.ok(c.description.length > 10, `${r}.${c.name}: described`);
    }
    // The real ipaddresses printer emits an extra Age cell beyond its two columns; mirrored on purpose.
    const extra = r === 'ipaddresses.networking.k8s.io' ? 1 : 0;
    t.equal(table.rows[0]?.cells.length, cols.length + extra, `${r}: cells match columns`);
  }
});
