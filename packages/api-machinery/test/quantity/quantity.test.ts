// resource.Quantity: cases from Kubernetes 1.32's quantity_test.go (facts: inputs and the answers Kubernetes gives).
import t from 'tap';
import {
  isValidQuantity,
  parseQuantity,
  parseQuantityJson,
  Quantity,
  QuantityParseError,
  QUANTITY_FORMAT_ERROR,
  QUANTITY_NUMERIC_ERROR,
  QUANTITY_SUFFIX_ERROR,
} from '../../src/quantity/index.js';

/** [input, the value as unscaled*10^scale, format] (TestQuantityParse). */
const PARSED: Array<[string, bigint, number, Quantity['format']]> = [
  ['0', 0n, 0, 'DecimalSI'],
  ['0n', 0n, 0, 'DecimalSI'],
  ['0m', 0n, 0, 'DecimalSI'],
  ['0Ki', 0n, 0, 'BinarySI'],
  ['0Ti', 0n, 0, 'BinarySI'],
  ['1', 1n, 0, 'DecimalSI'],
  ['1Ki', 1024n, 0, 'BinarySI'],
  ['7Mi', 7n * 1024n * 1024n, 0, 'BinarySI'],
  ['5Ti', 5n * 1024n ** 4n, 0, 'BinarySI'],
  ['4Pi', 4n * 1024n ** 5n, 0, 'BinarySI'],
  ['3Ei', 3n * 1024n ** 6n, 0, 'BinarySI'],
  ['5n', 5n, -9, 'DecimalSI'],
  ['4u', 4n, -6, 'DecimalSI'],
  ['3m', 3n, -3, 'DecimalSI'],
  ['50k', 5n, 4, 'DecimalSI'],
  ['300T', 3n, 14, 'DecimalSI'],
  ['1E', 1n, 18, 'DecimalSI'],
  ['1E-3', 1n, -3, 'DecimalExponent'],
  ['1e3', 1n, 3, 'DecimalExponent'],
  ['1e14', 1n, 14, 'DecimalExponent'],
  ['100.035k', 100035n, 0, 'DecimalSI'],
  ['0.0005k', 5n, -1, 'DecimalSI'],
  ['0.00500', 5n, -3, 'DecimalSI'],
  ['0.5e-2', 5n, -3, 'DecimalExponent'],
  ['1.3E+6', 13n, 5, 'DecimalExponent'],
  ['1.7E18', 17n, 17, 'DecimalExponent'],
  ['6.987654321G', 6987654321n, 0, 'DecimalSI'],
  ['1.01E', 101n, 16, 'DecimalSI'],
  // Rounded up to 1n, never down to zero.
  ['3.001n', 4n, -9, 'DecimalSI'],
  ['1.1E-9', 2n, -9, 'DecimalExponent'],
  ['0.0000000001', 1n, -9, 'DecimalSI'],
  ['0.5e-9', 1n, -9, 'DecimalExponent'],
  ['0.00000012345', 124n, -9, 'DecimalSI'],
  // BinarySI is capped at 2^63-1.
  ['9Ei', 9223372036854775807n, 0, 'BinarySI'],
  ['9223372036854775807Ki', 9223372036854775807n, 0, 'BinarySI'],
  ['12E', 12n, 18, 'DecimalSI'],
  ['100.035Ki', 10243584n, -2, 'BinarySI'],
  ['0.5Mi', 524288n, 0, 'BinarySI'],
  ['0.05Gi', 536870912n, -1, 'BinarySI'],
  ['0.025Ti', 274877906944n, -1, 'BinarySI'],
  // A fraction of one byte switches to DecimalSI.
  ['0.000000000001Ki', 2n, -9, 'DecimalSI'],
  ['.001', 1n, -3, 'DecimalSI'],
  ['.0001k', 100n, -3, 'DecimalSI'],
  ['1.', 1n, 0, 'DecimalSI'],
  ['1.G', 1n, 9, 'DecimalSI'],
];

t.test('parses values and formats as Kubernetes does', async (t) => {
  for (const [input, unscaled, scale, format] of PARSED) {
    const expected = Quantity.fromScaled(unscaled, scale, format);
    for (const [text, sign] of [
      [input, 1],
      [`+${input}`, 1],
      [`-${input}`, -1],
    ] as const) {
      const q = parseQuantity(text);
      t.equal(q.cmp(sign === 1 ? expected : expected.neg()), 0, `${text} value`);
      t.equal(q.format, format, `${text} format`);
    }
  }
});

t.test('refuses malformed quantities with Kubernetes messages', async (t) => {
  const cases: Array<[string, string]> = [
    ['', QUANTITY_FORMAT_ERROR],
    ['1.1.M', QUANTITY_FORMAT_ERROR],
    ['1+1.0M', QUANTITY_FORMAT_ERROR],
    ['0.1am', QUANTITY_FORMAT_ERROR],
    ['aoeu', QUANTITY_FORMAT_ERROR],
    [' 1', QUANTITY_FORMAT_ERROR],
    ['1 ', QUANTITY_FORMAT_ERROR],
    ['0.1mi', QUANTITY_SUFFIX_ERROR],
    ['.5i', QUANTITY_SUFFIX_ERROR],
    ['1i', QUANTITY_SUFFIX_ERROR],
    ['-3.01i', QUANTITY_SUFFIX_ERROR],
    ['-3.01e-', QUANTITY_SUFFIX_ERROR],
    ['1e', QUANTITY_SUFFIX_ERROR],
    ['1e99999999999999999999', QUANTITY_SUFFIX_ERROR],
    ['Pi', QUANTITY_NUMERIC_ERROR],
    ['e-10', QUANTITY_NUMERIC_ERROR],
  ];
  for (const [input, message] of cases) {
    t.throws(() => parseQuantity(input), new QuantityParseError(message), JSON.stringify(input));
    t.equal(isValidQuantity(input), false, JSON.stringify(input));
  }
  t.equal(QUANTITY_FORMAT_ERROR, "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
});

t.test('accepts what the lenient Kubernetes scanner accepts', async (t) => {
  for (const input of ['Ki', '.', '-', '+.', '00', '-0', '1.Ki']) t.equal(isValidQuantity(input), true, input);
  t.equal(parseQuantity('-0').toString(), '0');
  t.equal(parseQuantity('Ki').isZero(), true);
});

t.test('serializes in canonical form (TestQuantityParseEmit, TestQuantityString)', async (t) => {
  const cases: Array<[string, string]> = [
    ['1Ki', '1Ki'],
    ['1024Mi', '1Gi'],
    ['1000M', '1G'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
    ['1000m', '1'],
    ['0.5', '500m'],
    ['1.5Gi', '1536Mi'],
    ['1.5', '1500m'],
    ['0.1', '100m'],
    ['1e3', '1e3'],
    ['100M', '100M'],
    ['307200Ki', '300Mi'],
    ['1025024Mi', '1001Gi'],
    ['1024Gi', '1Ti'],
    ['5000m', '5'],
    ['0.001T', '1G'],
    ['1000u', '1m'],
    ['1.08', '1080m'],
    ['1080000000n', '1080m'],
    ['.001e12', '1e9'],
    ['0.001e0', '1e-3'],
    ['1000e-12', '1e-9'],
    ['1.2e3', '1200'],
    ['1e1', '10'],
    ['00', '0'],
    ['0.5Ki', '512'],
    ['1023', '1023'],
    ['100.035Ki', '102435840m'],
    ['9Ei', '9223372036854775807'],
    ['2048Ki', '2Mi'],
    ['1536Ki', '1536Ki'],
  ];
  for (const [input, canonical] of cases) {
    t.equal(parseQuantity(input).toString(), canonical, input);
    t.equal(JSON.stringify({ q: parseQuantity(input) }), `{"q":"${canonical}"}`, `${input} toJSON`);
    if (canonical !== '0') t.equal(parseQuantity(`-${input}`).toString(), `-${canonical}`, `-${input}`);
  }
});

t.test('keeps the text as written when Kubernetes judges it canonical', async (t) => {
  for (const input of ['1Gi', '300Mi', '6Ki', '1001Gi', '5', '500m', '1G', '1m', '80m', '1080m', '300M', '1T', '1025', '1e9', '80e-3', '1n', '1080n', '3k']) {
    t.equal(parseQuantity(input).toString(), input, input);
  }
  // Kubernetes' canonical check looks at the digits only: a sign, leading zeros or an upper-case E survive too.
  t.equal(parseQuantity('+1').toString(), '+1');
  t.equal(parseQuantity('01').toString(), '01');
  t.equal(parseQuantity('1E3').toString(), '1E3');
  t.equal(parseQuantity('+1').canonical(), '1');
  t.equal(parseQuantity('1E3').canonical(), '1e3');
  // Arithmetic produces a new value, printed canonically.
  t.equal(parseQuantity('+1').add(Quantity.zero()).toString(), '1');
});

t.test('keeps Kubernetes quirks of the suffix table', async (t) => {
  // No decimal suffix exists for 10^21: Kubernetes prints the mantissa alone.
  t.equal(parseQuantity('1000E').toString(), '1');
  t.equal(parseQuantity('1000E').cmp(parseQuantity('1e21')), 0);
  t.equal(parseQuantity('1e21').toString(), '1e21');
});

t.test('milliValue and value round up, away from zero', async (t) => {
  const cases: Array<[string, bigint, bigint]> = [
    ['100m', 100n, 1n],
    ['1', 1000n, 1n],
    ['0.1m', 1n, 1n],
    ['1.5', 1500n, 2n],
    ['-1.5', -1500n, -2n],
    ['1Ki', 1024000n, 1024n],
    ['1n', 1n, 1n],
    ['12E', 12000000000000000000000n, 12000000000000000000n],
    ['0', 0n, 0n],
  ];
  for (const [input, milli, value] of cases) {
    const q = parseQuantity(input);
    t.equal(q.milliValue(), milli, `${input} milli`);
    t.equal(q.value(), value, `${input} value`);
  }
  t.equal(parseQuantity('1.5').scaledValue(-6), 1500000n);
  t.equal(parseQuantity('1500').scaledValue(3), 2n);
});

t.test('compares, adds and subtracts exactly', async (t) => {
  const cmp = (a: string, b: string): number => parseQuantity(a).cmp(parseQuantity(b));
  t.equal(cmp('0', '0'), 0);
  t.equal(cmp('100m', '50m'), 1);
  t.equal(cmp('50m', '100m'), -1);
  t.equal(cmp('10000T', '100Gi'), 1);
  t.equal(cmp('1Ki', '1024'), 0);
  t.equal(cmp('-1', '1m'), -1);
  t.equal(cmp('-2', '-1'), -1);
  t.equal(cmp('1e1000000', '1'), 1);
  t.equal(cmp('-1e1000000', '-1'), -1);
  t.equal(parseQuantity('1e1000000').equals(parseQuantity('1e1000000')), true);

  t.equal(parseQuantity('0.1').add(parseQuantity('0.2')).toString(), '300m');
  t.equal(parseQuantity('100m').add(parseQuantity('900m')).toString(), '1');
  t.equal(parseQuantity('1Gi').add(parseQuantity('512Mi')).toString(), '1536Mi');
  t.equal(parseQuantity('1Gi').sub(parseQuantity('1Gi')).isZero(), true);
  t.equal(parseQuantity('1').sub(parseQuantity('1500m')).toString(), '-500m');
  // Adding to zero takes the other's format (TestQuantityAddZeroPreservesSuffix).
  for (const text of ['100m', '1Gi']) {
    const value = parseQuantity(text);
    t.equal(value.add(parseQuantity('0')).toString(), text);
    t.equal(parseQuantity('0').add(value).toString(), text);
    t.equal(value.sub(parseQuantity('0')).toString(), text);
    t.equal(parseQuantity('0').sub(value).toString(), value.neg().toString());
  }
  t.equal(parseQuantity('1').sign(), 1);
  t.equal(parseQuantity('-1m').sign(), -1);
  t.equal(parseQuantity('0Ki').sign(), 0);
});

t.test('constructs values directly', async (t) => {
  t.equal(Quantity.fromScaled(100, -3).toString(), '100m');
  t.equal(Quantity.fromScaled(5n, 0, 'BinarySI').toString(), '5');
  t.equal(Quantity.fromScaled(1024n * 1024n, 0, 'BinarySI').toString(), '1Mi');
  t.equal(Quantity.fromScaled(3, 3, 'DecimalExponent').toString(), '3e3');
  t.equal(Quantity.fromScaled(1234567, -3, 'BinarySI').toString(), '1234567m');
  t.equal(Quantity.zero().toString(), '0');
});

t.test('reads JSON values as Quantity.UnmarshalJSON does', async (t) => {
  t.equal(parseQuantityJson(' 1').toString(), '1');
  t.equal(parseQuantityJson('1 ').toString(), '1');
  t.equal(parseQuantityJson(10).toString(), '10');
  t.equal(parseQuantityJson(-1).toString(), '-1');
  t.equal(parseQuantityJson(0.5).toString(), '500m');
  t.equal(parseQuantityJson(null).toString(), '0');
  t.throws(() => parseQuantityJson(true), new QuantityParseError(QUANTITY_FORMAT_ERROR));
  t.throws(() => parseQuantityJson({}), new QuantityParseError(QUANTITY_FORMAT_ERROR));
});

t.test('stays exact and fast on extreme exponents', async (t) => {
  t.equal(parseQuantity('1e-1000000000').toString(), '1e-9');
  // The exponent is lowered to a multiple of three, as always.
  t.equal(parseQuantity('1e1000000000').toString(), '10e999999999');
  t.equal(parseQuantity('1e999999999').toString(), '1e999999999');
});
