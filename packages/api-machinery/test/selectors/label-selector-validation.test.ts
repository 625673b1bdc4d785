// ValidateLabelSelector (metav1 validation): field paths, error types and details of Kubernetes 1.32.
import t from 'tap';
import { validateLabelSelector } from '../../src/selectors/index.js';
import { fieldErrorMessage } from '../../src/validation/field-error.js';

const NAME_PART_DETAIL =
  "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName', or 'my.name', or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const LABEL_VALUE_DETAIL =
  "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue', or 'my_value', or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

t.test('accepts valid or absent selectors', async (t) => {
  t.same(validateLabelSelector(undefined, 'spec.selector'), []);
  t.same(validateLabelSelector(null, 'spec.selector'), []);
  t.same(
    validateLabelSelector(
      {
        matchLabels: { app: 'web', 'example.com/tier': '' },
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod'] },
          { key: 'x', operator: 'DoesNotExist' },
        ],
      },
      'spec.selector',
    ),
    [],
  );
});

t.test('reports operator and values rules', async (t) => {
  const errs = validateLabelSelector(
    {
      matchExpressions: [
        { key: 'a', operator: 'In', values: [] },
        { key: 'b', operator: 'NotIn' },
        { key: 'c', operator: 'Exists', values: ['x'] },
        { key: 'd', operator: 'in', values: ['x'] },
        { key: 'e' },
      ],
    },
    'spec.selector',
  );
  t.same(errs.map(fieldErrorMessage), [
    "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    "spec.selector.matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
    "spec.selector.matchExpressions[2].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
    'spec.selector.matchExpressions[3].operator: Invalid value: "in": not a valid selector operator',
    'spec.selector.matchExpressions[4].operator: Invalid value: "": not a valid selector operator',
  ]);
  t.same(validateLabelSelector({ matchExpressions: [{ key: 'd', operator: 'Foo' }] }, 's', { allowUnknownOperatorInRequirement: true }), []);
});

t.test('reports bad keys and values', async (t) => {
  const errs = validateLabelSelector(
    {
      matchLabels: { '-a': 'b_' },
      matchExpressions: [{ key: 'k_', operator: 'In', values: ['ok', '-bad'] }],
    },
    'spec.selector',
  );
  t.same(errs.map(fieldErrorMessage), [
    `spec.selector.matchLabels: Invalid value: "-a": ${NAME_PART_DETAIL}`,
    `spec.selector.matchLabels: Invalid value: "b_": ${LABEL_VALUE_DETAIL}`,
    `spec.selector.matchExpressions[0].key: Invalid value: "k_": ${NAME_PART_DETAIL}`,
    `spec.selector.matchExpressions[0].values[1]: Invalid value: "-bad": ${LABEL_VALUE_DETAIL}`,
  ]);
  t.equal(errs[0]!.type, 'FieldValueInvalid');
  const lenient = validateLabelSelector({ matchExpressions: [{ key: 'k', operator: 'In', values: ['-bad'] }] }, 's', {
    allowInvalidLabelValueInSelector: true,
  });
  t.same(lenient, []);
});
