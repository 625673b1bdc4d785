import t from 'tap';
import { canonicalQuantity, quantityString } from '../../src/tables/quantity.js';
import { formatLabelSelector, formatLabels, labelSelectorString } from '../../src/tables/format.js';

t.test('canonical quantities', async (t) => {
  const cases: [string, string][] = [
    ['0', '0'],
    ['0Gi', '0'],
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['1536Mi', '1536Mi'],
    ['1.5Gi', '1536Mi'],
    ['0.5Gi', '512Mi'],
    ['512Ki', '512Ki'],
    ['0.5Ki', '512'],
    ['100Mi', '100Mi'],
    ['2048', '2048'],
    ['2000', '2k'],
    ['1500', '1500'],
    ['1.5', '1500m'],
    ['0.5', '500m'],
    ['100m', '100m'],
    ['1000m', '1'],
    ['20000', '20k'],
    ['1e3', '1e3'],
    ['12e2', '1200'],
    ['1E', '1E'],
    ['2.5G', '2500M'],
    ['0.0000000001', '1n'],
    ['-1.5', '-1500m'],
    ['+4', '4'],
    ['abc', 'abc'],
  ];
  for (const [input, want] of cases) t.equal(canonicalQuantity(input), want, input);
  t.equal(quantityString(undefined), '0');
  t.equal(quantityString(3), '3');
});

t.test('label formatting', async (t) => {
  t.equal(formatLabels({}), '<none>');
  t.equal(formatLabels({ tier: 'fe', app: 'web' }), 'app=web,tier=fe');
  t.equal(labelSelectorString(undefined), '');
  t.equal(labelSelectorString({}), '');
  t.equal(formatLabelSelector({}), '<none>');
  t.equal(formatLabelSelector(null), '<none>');
  t.equal(
    formatLabelSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'zone', operator: 'NotIn', values: ['b', 'a'] },
        { key: 'canary', operator: 'Exists' },
        { key: 'env', operator: 'In', values: ['prod'] },
      ],
    }),
    'app=web,canary,env in (prod),zone notin (a,b)',
  );
  t.equal(formatLabelSelector({ matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }), '<error>');
});
