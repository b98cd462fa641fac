/** shared/quantity.ts: the one quantity grammar and its conversions (table-driven). */
import {
  ZERO,
  addQuantities,
  canonicalQuantity,
  formatQuantity,
  isQuantity,
  maxResourceLists,
  milliValue,
  milliValueRoundedUp,
  parseQuantity,
  quantityNumber,
  quantityText,
  sumResourceLists,
  value,
  valueRoundedUp,
  type Quantity,
} from '../../shared/quantity';

const q = (s: string): Quantity => parseQuantity(s)!;

describe('parseQuantity', () => {
  test.each<[string | number, bigint, Quantity['format']]>([
    ['1', 1_000_000_000n, 'DecimalSI'],
    ['500m', 500_000_000n, 'DecimalSI'],
    ['0.5', 500_000_000n, 'DecimalSI'],
    ['.5', 500_000_000n, 'DecimalSI'],
    ['5.', 5_000_000_000n, 'DecimalSI'],
    ['+2', 2_000_000_000n, 'DecimalSI'],
    ['-1.5', -1_500_000_000n, 'DecimalSI'],
    ['1n', 1n, 'DecimalSI'],
    ['1u', 1_000n, 'DecimalSI'],
    ['2k', 2_000_000_000_000n, 'DecimalSI'],
    ['1E', 10n ** 27n, 'DecimalSI'], // E alone is exa, not an exponent
    ['2e3', 2_000_000_000_000n, 'DecimalSI'],
    ['1.5E-3', 1_500_000n, 'DecimalSI'],
    ['1Ki', 1024n * 1_000_000_000n, 'BinarySI'],
    ['1.5Gi', 1_610_612_736n * 1_000_000_000n, 'BinarySI'],
    ['8Ei', 8n * 2n ** 60n * 1_000_000_000n, 'BinarySI'], // beyond a double's integer range, exact
    [' 100m ', 100_000_000n, 'DecimalSI'], // trimmed
    [3, 3_000_000_000n, 'DecimalSI'], // numbers are read as their decimal text
    ['0.1n', 1n, 'DecimalSI'], // sub-nano rounds up…
    ['-0.1n', -1n, 'DecimalSI'], // …away from zero
    ['1e-20', 1n, 'DecimalSI'],
  ])('%p → %p nano, %s', (input, nano, format) => expect(parseQuantity(input)).toEqual({ nano, format }));

  test.each<unknown>([undefined, null, '', ' ', '.', '+', '-', 'abc', '1e', '1ki', '1KI', '1K', '1.2.3', '1e3k', '--1', '1 Gi', '1GB', '1e1.5', 'Ki'])(
    'rejects %p',
    (input) => {
      expect(parseQuantity(input as string)).toBeUndefined();
      if (typeof input === 'string') expect(isQuantity(input)).toBe(false);
    },
  );

  test.each(['1', '1.', '.5', '-1', '+1', '1m', '1Ki', '1e3', '1E-3', '1E'])('isQuantity(%p)', (s) => expect(isQuantity(s)).toBe(true));
  test('isQuantity does not trim', () => expect(isQuantity(' 1')).toBe(false));
});

describe('canonical form', () => {
  test.each<[string, string]>([
    ['0', '0'],
    ['0Gi', '0'],
    ['-0', '0'],
    ['1000', '1k'],
    ['1500m', '1500m'],
    ['1.5', '1500m'],
    ['0.1', '100m'],
    ['1e3', '1k'], // formatQuantity has no exponent family
    ['1Gi', '1Gi'],
    ['1024Mi', '1Gi'],
    ['1.5Gi', '1536Mi'],
    ['1536Ki', '1536Ki'],
    ['512', '512'],
    ['100Ki', '100Ki'],
    ['0.5Ki', '512'], // binary under 1024 prints decimal
    ['1023', '1023'],
    ['0.5Gi', '512Mi'],
    ['1.5Ki', '1536'],
    ['-2Gi', '-2Gi'],
    ['-1.5', '-1500m'],
    ['1E', '1E'],
    ['1000E', '1000E'], // past exa the mantissa grows
    ['0.1n', '1n'],
    ['123456789n', '123456789n'],
  ])('formatQuantity(%p) = %p', (input, want) => expect(formatQuantity(q(input))).toBe(want));

  test.each<[unknown, string]>([
    [undefined, '0'],
    [null, '0'],
    ['', '0'],
    ['1.5Gi', '1536Mi'],
    ['1000', '1k'],
    [1000, '1k'],
    ['2e3', '2e3'], // the exponent family is kept
    ['1500e-3', '1500e-3'],
    ['1.5e3', '1500'],
    ['1e4', '10e3'],
    ['1e-10', '1e-9'], // rounded up to 1n
    ['0e3', '0'],
    ['-2e3', '-2e3'],
    ['  10Gi ', '10Gi'],
    ['lots', 'lots'], // unparseable: as given
    [' lots ', 'lots'],
  ])('canonicalQuantity(%p) = %p', (input, want) => expect(canonicalQuantity(input)).toBe(want));
});

describe('integer values', () => {
  test.each<[string, number, number]>([
    // input, milliValue (truncates), value (toward +∞)
    ['1', 1000, 1],
    ['1.5', 1500, 2],
    ['0.5m', 0, 1],
    ['1500m', 1500, 2],
    ['-1.5', -1500, -1],
    ['-0.5m', 0, 0],
    ['4Gi', 4 * 2 ** 30 * 1000, 4 * 2 ** 30],
  ])('%p: milliValue %p, value %p', (input, milli, whole) => {
    expect(milliValue(q(input))).toBe(milli);
    expect(value(q(input))).toBe(whole);
  });

  test.each<[unknown, number, number]>([
    // input, milliValueRoundedUp, valueRoundedUp (magnitude rounded up)
    ['1', 1000, 1],
    ['500m', 500, 1],
    ['0.5', 500, 1],
    ['0.0001', 1, 1],
    ['1m', 1, 1],
    ['2e3', 2_000_000, 2000],
    ['2e3m', 0, 0], // `m` after an exponent: not a quantity
    ['1k', 1_000_000, 1000],
    ['0.1n', 1, 1],
    ['4Gi', 4 * 2 ** 30 * 1000, 4 * 2 ** 30],
    ['1.5Gi', 1.5 * 2 ** 30 * 1000, 1.5 * 2 ** 30],
    ['-1.5', -1500, -2], // away from zero for strings
    ['-0.1m', -1, -1],
    [2, 2000, 2], // numbers: Math.ceil
    [1.5, 1500, 2],
    [-1.5, -1500, -1],
    [Infinity, 0, 0],
    ['junk', 0, 0],
    [undefined, 0, 0],
    [{}, 0, 0],
  ])('%p: milli %p, value %p', (input, milli, whole) => {
    expect(milliValueRoundedUp(input)).toBe(milli);
    expect(valueRoundedUp(input)).toBe(whole);
  });
});

describe('quantityNumber', () => {
  test.each<[unknown, number | undefined]>([
    ['500m', 0.5],
    ['1.1', 1.1],
    ['128Mi', 128 * 2 ** 20],
    ['1G', 1e9],
    ['2e3', 2000],
    ['9.835e2', 983.5], // the exponent form is read whole, correctly rounded
    ['-1Ki', -1024],
    [' 2 ', 2],
    [7, 7],
    [0.25, 0.25],
    ['1e400', undefined], // beyond MAX_EXPONENT: not a quantity
    [NaN, undefined],
    [Infinity, undefined],
    ['1.2.3', undefined],
    ['lots', undefined],
    [true, undefined],
    [undefined, undefined],
  ])('%p → %p', (input, want) => expect(quantityNumber(input)).toBe(want));

  test('orders like the exact values', () => {
    expect(quantityNumber('1100m')).toBe(quantityNumber('1.1'));
    expect(quantityNumber('1Gi')! > quantityNumber('1G')!).toBe(true);
  });

  test.each<[unknown, string]>([
    ['1Gi', '1Gi'],
    [1.5, '1.5'],
    [undefined, ''],
    [null, ''],
  ])('quantityText(%p) = %p', (input, want) => expect(quantityText(input)).toBe(want));
});

describe('arithmetic', () => {
  test.each<[Quantity, Quantity, string]>([
    [q('1Gi'), q('512Mi'), '1536Mi'],
    [q('512Mi'), q('100m'), '536870912100m'], // keeps the receiver's format, but not whole
    [q('100m'), q('900m'), '1'],
    [q('1'), q('1Gi'), '1073741825'], // decimal receiver stays decimal
    [ZERO, q('1Gi'), '1Gi'], // the zero value takes the other's format
    [q('0'), q('1Gi'), '1073741824'], // a parsed zero does not
    [q('1'), q('-1'), '0'],
  ])('%p + %p = %p', (a, b, want) => expect(formatQuantity(addQuantities(a, b))).toBe(want));

  test('sumResourceLists adds per resource, skipping absent lists and junk', () => {
    const sum = sumResourceLists([{ cpu: '100m', memory: '1Gi' }, undefined, { cpu: 1, memory: '1Gi', gpu: 'junk' }]);
    expect(Object.fromEntries(Object.entries(sum).map(([k, v]) => [k, formatQuantity(v)]))).toEqual({ cpu: '1100m', memory: '2Gi' });
  });

  test('maxResourceLists takes the larger per resource', () => {
    const m = maxResourceLists({ cpu: q('1'), memory: q('1Gi') }, { cpu: q('2'), memory: q('1Mi'), gpu: q('1') });
    expect(Object.fromEntries(Object.entries(m).map(([k, v]) => [k, formatQuantity(v)]))).toEqual({ cpu: '2', memory: '1Gi', gpu: '1' });
  });
});

test('absurd magnitudes are not quantities (exact arithmetic on them would stall)', () => {
  const { isQuantity, parseQuantity } = require('../../shared/quantity');
  const start = Date.now();
  expect(isQuantity('1e999999999')).toBe(false);
  expect(parseQuantity('1e999999999')).toBeUndefined();
  expect(parseQuantity('9'.repeat(100))).toBeUndefined();
  expect(Date.now() - start).toBeLessThan(1000);
});
