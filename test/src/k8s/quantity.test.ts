import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Quantity, QuantityError, type QuantityFormat } from '../../../src/k8s/index.js';

const q = (
  mantissa: number | bigint,
  exponent: number,
  format: QuantityFormat = 'DecimalSI',
): Quantity => Quantity.fromScaled(mantissa, exponent, format);

const MAX_INT64 = 2n ** 63n - 1n;

describe('Quantity.parse: should pass (quantity_test.go TestQuantityParse)', () => {
  const cases: { name: string; input: string; expect: Quantity; format: QuantityFormat }[] = [
    ...['0', '0n', '0u', '0m', '0k', '0M', '0G', '0T'].map((input) => ({
      name: `zero ${input}`,
      input,
      expect: q(0, 0),
      format: 'DecimalSI' as const,
    })),
    ...['0Ki', '0Mi', '0Gi', '0Ti'].map((input) => ({
      name: `zero ${input}`,
      input,
      expect: q(0, 0),
      format: 'BinarySI' as const,
    })),
    { name: 'suffixless', input: '1', expect: q(1, 0), format: 'DecimalSI' },
    { name: 'binary Ki', input: '1Ki', expect: q(1024, 0), format: 'BinarySI' },
    { name: 'binary 8Ki', input: '8Ki', expect: q(8 * 1024, 0), format: 'BinarySI' },
    { name: 'binary Mi', input: '7Mi', expect: q(7 * 2 ** 20, 0), format: 'BinarySI' },
    { name: 'binary Gi', input: '6Gi', expect: q(6 * 2 ** 30, 0), format: 'BinarySI' },
    { name: 'binary Ti', input: '5Ti', expect: q(5 * 2 ** 40, 0), format: 'BinarySI' },
    { name: 'binary Pi', input: '4Pi', expect: q(4n * 2n ** 50n, 0), format: 'BinarySI' },
    { name: 'binary Ei', input: '3Ei', expect: q(3n * 2n ** 60n, 0), format: 'BinarySI' },
    { name: 'binary 100Ti', input: '100Ti', expect: q(100 * 2 ** 40, 0), format: 'BinarySI' },
    { name: 'nano', input: '5n', expect: q(5, -9), format: 'DecimalSI' },
    { name: 'micro', input: '4u', expect: q(4, -6), format: 'DecimalSI' },
    { name: 'milli', input: '3m', expect: q(3, -3), format: 'DecimalSI' },
    { name: 'kilo', input: '8k', expect: q(8, 3), format: 'DecimalSI' },
    { name: 'kilo 50k', input: '50k', expect: q(5, 4), format: 'DecimalSI' },
    { name: 'mega', input: '7M', expect: q(7, 6), format: 'DecimalSI' },
    { name: 'giga', input: '6G', expect: q(6, 9), format: 'DecimalSI' },
    { name: 'tera 300T', input: '300T', expect: q(3, 14), format: 'DecimalSI' },
    { name: 'peta', input: '2P', expect: q(2, 15), format: 'DecimalSI' },
    { name: 'exa', input: '1E', expect: q(1, 18), format: 'DecimalSI' },
    { name: 'exponent E-3', input: '1E-3', expect: q(1, -3), format: 'DecimalExponent' },
    { name: 'exponent e3', input: '1e3', expect: q(1, 3), format: 'DecimalExponent' },
    { name: 'exponent E18', input: '1E18', expect: q(1, 18), format: 'DecimalExponent' },
    { name: 'exponent e14', input: '1e14', expect: q(1, 14), format: 'DecimalExponent' },
    { name: 'exponent 1e6', input: '1e6', expect: q(1, 6), format: 'DecimalExponent' },
    { name: 'fraction with k', input: '100.035k', expect: q(100035, 0), format: 'DecimalSI' },
    { name: 'fraction 0.001', input: '0.001', expect: q(1, -3), format: 'DecimalSI' },
    { name: 'fraction 0.0005k', input: '0.0005k', expect: q(5, -1), format: 'DecimalSI' },
    { name: 'trailing zeros 0.00500', input: '0.00500', expect: q(5, -3), format: 'DecimalSI' },
    { name: 'fraction with e-2', input: '0.5e-2', expect: q(5, -3), format: 'DecimalExponent' },
    { name: 'fraction with E+6', input: '1.3E+6', expect: q(13, 5), format: 'DecimalExponent' },
    { name: 'fraction with E12', input: '1.53E12', expect: q(153, 10), format: 'DecimalExponent' },
    { name: 'fraction with E18', input: '1.7E18', expect: q(17, 17), format: 'DecimalExponent' },
    { name: 'fraction 9.01', input: '9.01', expect: q(901, -2), format: 'DecimalSI' },
    {
      name: 'fraction 6.987654321G',
      input: '6.987654321G',
      expect: q(6987654321, 0),
      format: 'DecimalSI',
    },
    { name: 'fraction 1.01E', input: '1.01E', expect: q(101, 16), format: 'DecimalSI' },
    { name: 'rounds up below nano', input: '3.001n', expect: q(4, -9), format: 'DecimalSI' },
    { name: 'rounds up 1.1E-9', input: '1.1E-9', expect: q(2, -9), format: 'DecimalExponent' },
    { name: 'rounds tiny up to 1n', input: '0.0000000001', expect: q(1, -9), format: 'DecimalSI' },
    { name: 'rounds 0.5e-9 up', input: '0.5e-9', expect: q(1, -9), format: 'DecimalExponent' },
    { name: 'rounds 0.9n up', input: '0.9n', expect: q(1, -9), format: 'DecimalSI' },
    {
      name: 'rounds 0.00000012345 up',
      input: '0.00000012345',
      expect: q(124, -9),
      format: 'DecimalSI',
    },
    { name: 'binary cap 9Ei', input: '9Ei', expect: q(MAX_INT64, 0), format: 'BinarySI' },
    {
      name: 'binary cap huge Ki',
      input: '9223372036854775807Ki',
      expect: q(MAX_INT64, 0),
      format: 'BinarySI',
    },
    { name: 'decimal not capped 12E', input: '12E', expect: q(12, 18), format: 'DecimalSI' },
    { name: 'fractional binary', input: '100.035Ki', expect: q(10243584, -2), format: 'BinarySI' },
    { name: 'fractional 0.5Mi', input: '0.5Mi', expect: q(2 ** 19, 0), format: 'BinarySI' },
    {
      name: 'fractional 0.025Ti',
      input: '0.025Ti',
      expect: q(274877906944, -1),
      format: 'BinarySI',
    },
    {
      name: 'binary below one becomes DecimalSI',
      input: '0.000000000001Ki',
      expect: q(2, -9),
      format: 'DecimalSI',
    },
    { name: 'leading point', input: '.001', expect: q(1, -3), format: 'DecimalSI' },
    { name: 'leading point with k', input: '.0001k', expect: q(100, -3), format: 'DecimalSI' },
    {
      name: 'trailing point (upstream accepts)',
      input: '1.',
      expect: q(1, 0),
      format: 'DecimalSI',
    },
    { name: 'trailing point with suffix', input: '1.G', expect: q(1, 9), format: 'DecimalSI' },
    {
      name: 'big decimal keeps value',
      input: '18446744073709551616',
      expect: q(2n ** 64n, 0),
      format: 'DecimalSI',
    },
  ];

  it.each(cases)('$name', ({ input, expect: want, format }) => {
    const got = Quantity.parse(input);
    expect(got.cmp(want)).toBe(0);
    expect(got.format).toBe(format);
  });

  it.each(cases)('negated: $name', ({ input, expect: want, format }) => {
    const got = Quantity.parse(`-${input}`);
    expect(got.cmp(Quantity.parse(`-${want.toString()}`))).toBe(0);
    expect(got.format).toBe(format);
    expect(got.sign()).toBe(want.isZero() ? 0 : -1);
  });

  it.each(cases)('explicit plus: $name', ({ input, expect: want }) => {
    expect(Quantity.parse(`+${input}`).cmp(want)).toBe(0);
  });
});

describe('Quantity.parse: should fail', () => {
  const cases = [
    { name: 'empty', input: '' },
    { name: 'leading space', input: ' 1' },
    { name: 'trailing space', input: '1 ' },
    { name: 'lone point', input: '.' },
    { name: 'lone sign', input: '+' },
    { name: 'suffix only', input: 'Ki' },
    { name: 'unknown suffix Kb', input: '1Kb' },
    { name: 'exponent without digits', input: '1e' },
    { name: 'exponent with bare sign', input: '-3.01e-' },
    { name: 'double sign', input: '++1' },
    { name: 'two points', input: '1.1.M' },
    { name: 'sign in the middle', input: '1+1.0M' },
    { name: 'milli-binary', input: '0.1mi' },
    { name: 'atto', input: '0.1am' },
    { name: 'letters', input: 'aoeu' },
    { name: 'bare i', input: '1i' },
    { name: 'leading point with i', input: '.5i' },
    { name: 'negative with i', input: '-3.01i' },
    { name: 'exponent beyond int32 (upstream wraps silently)', input: '1e4294967296' },
    { name: 'longer than the cap', input: '1'.repeat(1025) },
  ];

  it.each(cases)('$name', ({ input }) => {
    let thrown: unknown;
    try {
      Quantity.parse(input);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(QuantityError);
    const error = thrown as QuantityError;
    expect(error.code).toBe('InvalidQuantity');
    expect(error.input).toBe(input);
    expect(error.message.startsWith(`invalid quantity ${JSON.stringify(input).slice(0, 20)}`)).toBe(
      true,
    );
  });
});

describe('Quantity.toString: canonical forms (TestQuantityString, TestQuantityParseEmit)', () => {
  // `capped`: parsing the canonical text caps it at 2^63-1, as upstream does (kubernetes#140674).
  const cases: {
    name: string;
    value: Quantity;
    expect: string;
    alternate?: string;
    capped?: boolean;
  }[] = [
    { name: '1Gi', value: q(2 ** 30, 0, 'BinarySI'), expect: '1Gi', alternate: '1024Mi' },
    {
      name: '300Mi',
      value: q(300 * 2 ** 20, 0, 'BinarySI'),
      expect: '300Mi',
      alternate: '307200Ki',
    },
    { name: '6Ki', value: q(6 * 1024, 0, 'BinarySI'), expect: '6Ki' },
    {
      name: '1001Gi',
      value: q(1001 * 2 ** 30, 0, 'BinarySI'),
      expect: '1001Gi',
      alternate: '1025024Mi',
    },
    { name: '1Ti', value: q(2 ** 40, 0, 'BinarySI'), expect: '1Ti', alternate: '1024Gi' },
    {
      name: 'small binary prints decimal',
      value: q(5, 0, 'BinarySI'),
      expect: '5',
      alternate: '5000m',
    },
    {
      name: 'binary fraction prints milli',
      value: q(500, -3, 'BinarySI'),
      expect: '500m',
      alternate: '0.5',
    },
    { name: '1G', value: q(1, 9), expect: '1G', alternate: '1000M' },
    { name: '1G from 1000e6', value: q(1000, 6), expect: '1G', alternate: '0.001T' },
    { name: '1G from 1e9 units', value: q(1_000_000_000, 0), expect: '1G' },
    { name: '1m', value: q(1, -3), expect: '1m', alternate: '1000u' },
    { name: '80m', value: q(80, -3), expect: '80m' },
    { name: '1080m', value: q(1080, -3), expect: '1080m', alternate: '1.08' },
    { name: '1080m from 108e-2', value: q(108, -2), expect: '1080m', alternate: '1080000000n' },
    { name: '1080m from 10800e-4', value: q(10800, -4), expect: '1080m' },
    { name: '300M', value: q(300, 6), expect: '300M' },
    { name: '1T', value: q(1, 12), expect: '1T' },
    { name: '1E', value: q(1, 18), expect: '1E' },
    { name: 'beyond E falls back to e21', value: q(1, 21), expect: '1e21', alternate: '1000E' },
    { name: 'beyond E 5e21', value: q(5, 21), expect: '5e21', alternate: '5000E' },
    { name: 'beyond E 1e24', value: q(1, 24), expect: '1e24', alternate: '1000000E' },
    { name: '1234567M', value: q(1234567, 6), expect: '1234567M' },
    { name: 'binary milli', value: q(1234567, -3, 'BinarySI'), expect: '1234567m' },
    { name: '3k', value: q(3, 3), expect: '3k' },
    { name: 'binary 1025', value: q(1025, 0, 'BinarySI'), expect: '1025' },
    { name: 'zero', value: q(0, 0), expect: '0' },
    { name: 'binary zero', value: q(0, 0, 'BinarySI'), expect: '0' },
    { name: '1e9', value: q(1, 9, 'DecimalExponent'), expect: '1e9', alternate: '.001e12' },
    { name: '1e-3', value: q(1, -3, 'DecimalExponent'), expect: '1e-3', alternate: '0.001e0' },
    { name: '1e-9', value: q(1, -9, 'DecimalExponent'), expect: '1e-9', alternate: '1000e-12' },
    { name: '80e-3', value: q(80, -3, 'DecimalExponent'), expect: '80e-3' },
    { name: '300e6', value: q(300, 6, 'DecimalExponent'), expect: '300e6' },
    { name: '3e3', value: q(3, 3, 'DecimalExponent'), expect: '3e3' },
    { name: 'exponent zero', value: q(0, 0, 'DecimalExponent'), expect: '0', alternate: '00' },
    { name: '1n', value: q(1, -9), expect: '1n' },
    { name: '1080n', value: q(1080, -9), expect: '1080n' },
    { name: '1080n from 108e-8', value: q(108, -8), expect: '1080n' },
    { name: '1080n from 10800e-10', value: q(10800, -10), expect: '1080n' },
    { name: '1u', value: q(1, -6), expect: '1u' },
    { name: '1080u', value: q(1080, -6), expect: '1080u' },
    {
      name: '2^63 in BinarySI is 8Ei',
      value: q(2n ** 63n, 0, 'BinarySI'),
      expect: '8Ei',
      capped: true,
    },
  ];

  it.each(cases)('$name', ({ value, expect: want, alternate, capped }) => {
    expect(value.toString()).toBe(want);
    expect(JSON.stringify({ v: value })).toBe(`{"v":"${want}"}`);
    if (capped) return;
    expect(Quantity.parse(want).toString()).toBe(want);
    if (alternate !== undefined) expect(Quantity.parse(alternate).toString()).toBe(want);
    if (!value.isZero()) expect(Quantity.parse(`-${want}`).toString()).toBe(`-${want}`);
  });

  const emitted = [
    ['500m', '500m'],
    ['129e6', '129e6'],
    ['1.5Gi', '1536Mi'],
    ['0.1', '100m'],
    ['1000m', '1'],
    ['100Mi', '100Mi'],
    ['1.1', '1100m'],
    ['1.2345', '1234500u'],
    ['1024Mi', '1Gi'],
    ['1000M', '1G'],
    ['.001Ki', '1024m'],
    ['.000001Ki', '1024u'],
    ['.000000001Ki', '1024n'],
    ['.000000000001Ki', '2n'],
    ['9Ei', '9223372036854775807'],
    ['-0', '0'],
  ].map(([input, output]) => ({ name: `${input} -> ${output}`, input: input!, output: output! }));

  it.each(emitted)('emits $name', ({ input, output }) => {
    expect(Quantity.parse(input).toString()).toBe(output);
  });
});

describe('Quantity constructors (TestMilliNewSet, TestNewSet, TestNewScaledSet)', () => {
  const milli = [
    { name: '1m', value: 1, format: 'DecimalSI' as const, expect: '1m', exact: true },
    { name: '1', value: 1000, format: 'DecimalSI' as const, expect: '1', exact: true },
    { name: '1234', value: 1_234_000, format: 'DecimalSI' as const, expect: '1234', exact: true },
    {
      name: 'binary below 1024 prints milli',
      value: 1024,
      format: 'BinarySI' as const,
      expect: '1024m',
      exact: false,
    },
    {
      name: 'binary fraction prints milli',
      value: 1024 * 1024,
      format: 'BinarySI' as const,
      expect: '1048576m',
      exact: false,
    },
  ];
  it.each(milli)('fromMilli $name', ({ value, format, expect: want, exact }) => {
    const got = Quantity.fromMilli(value, format);
    expect(got.toString()).toBe(want);
    if (exact) expect(Quantity.parse(want).milliValue()).toBe(value);
  });

  const whole = [
    { name: '1', value: 1, format: 'DecimalSI' as const, expect: '1' },
    { name: '1k', value: 1000, format: 'DecimalSI' as const, expect: '1k' },
    { name: '1234k', value: 1_234_000, format: 'DecimalSI' as const, expect: '1234k' },
    { name: '1Ki', value: 1024, format: 'BinarySI' as const, expect: '1Ki' },
    { name: '1e6', value: 1_000_000, format: 'DecimalExponent' as const, expect: '1e6' },
    { name: '1Mi', value: 1024 * 1024, format: 'BinarySI' as const, expect: '1Mi' },
  ];
  it.each(whole)('fromValue $name', ({ value, format, expect: want }) => {
    expect(Quantity.fromValue(value, format).toString()).toBe(want);
    expect(Quantity.parse(want).value()).toBe(value);
  });

  const scaled = [
    { name: '1n', value: 1, scale: -9, expect: '1n' },
    { name: '1000n is 1u', value: 1000, scale: -9, expect: '1u' },
    { name: '1u', value: 1, scale: -6, expect: '1u' },
    { name: '1000u is 1m', value: 1000, scale: -6, expect: '1m' },
    { name: '1m', value: 1, scale: -3, expect: '1m' },
    { name: '1000m is 1', value: 1000, scale: -3, expect: '1' },
    { name: '0n', value: 0, scale: -9, expect: '0' },
    {
      name: 'nanocores as metrics-server writes them',
      value: 250_000_000,
      scale: -9,
      expect: '250m',
    },
  ];
  it.each(scaled)('fromScaled $name', ({ value, scale, expect: want }) => {
    expect(Quantity.fromScaled(value, scale).toString()).toBe(want);
    expect(Quantity.parse(want).scaledValue(scale)).toBe(value);
  });

  const numbers = [
    { name: 'milli precision', n: 1.2345, expect: '1234m' },
    { name: 'truncates toward zero', n: -0.0019, expect: '-1m' },
    { name: 'below a milli is zero', n: 0.0004, expect: '0' },
    { name: 'whole number', n: 42, expect: '42' },
  ];
  it.each(numbers)('fromNumber $name', ({ n, expect: want }) => {
    expect(Quantity.fromNumber(n).toString()).toBe(want);
  });

  it.each([NaN, Infinity, -Infinity])('fromNumber rejects %s', (n) => {
    expect(() => Quantity.fromNumber(n)).toThrow(RangeError);
  });

  it('rejects fractional integers in the integer constructors', () => {
    expect(() => Quantity.fromMilli(1.5)).toThrow(RangeError);
    expect(() => Quantity.fromValue(0.1)).toThrow(RangeError);
    expect(() => Quantity.fromScaled(1, 0.5)).toThrow(RangeError);
    expect(() => Quantity.fromValue(1).scaledValue(-1.5)).toThrow(RangeError);
  });
});

describe('Quantity numbers', () => {
  const scaledValue = [
    [-9, -9, 1],
    [-9, -6, 1],
    [-9, -3, 1],
    [-9, 0, 1],
    [-6, -9, 1000],
    [-6, -6, 1],
    [-6, -3, 1],
    [-6, 0, 1],
    [-3, -9, 1_000_000],
    [-3, -6, 1000],
    [-3, -3, 1],
    [-3, 0, 1],
    [0, -9, 1_000_000_000],
    [0, -6, 1_000_000],
    [0, -3, 1000],
    [0, 0, 1],
    [2, -2, 10_000],
  ].map(([from, to, want]) => ({
    name: `1e${from} in 1e${to} units`,
    from: from!,
    to: to!,
    want: want!,
  }));
  it.each(scaledValue)('scaledValue (TestScaledValue) $name', ({ from, to, want }) => {
    expect(Quantity.fromScaled(1, from).scaledValue(to)).toBe(want);
  });

  const rounding = [
    { name: '9.01 value rounds up', input: '9.01', value: 10, milli: 9010 },
    { name: '-9.01 value rounds away from zero', input: '-9.01', value: -10, milli: -9010 },
    { name: '1n milli rounds up', input: '1n', value: 1, milli: 1 },
    { name: '-1n milli rounds away from zero', input: '-1n', value: -1, milli: -1 },
    { name: '1.5 value', input: '1.5', value: 2, milli: 1500 },
    { name: '100Mi', input: '100Mi', value: 104_857_600, milli: 104_857_600_000 },
    { name: 'zero', input: '0', value: 0, milli: 0 },
    { name: 'beyond floats is infinite', input: '1e400', value: Infinity, milli: Infinity },
  ];
  it.each(rounding)('value/milliValue $name', ({ input, value, milli }) => {
    const got = Quantity.parse(input);
    expect(got.value()).toBe(value);
    expect(got.milliValue()).toBe(milli);
  });

  const floats = [
    { name: '2Ki', input: '2Ki', want: 2048 },
    { name: '1.1Ki', input: '1.1Ki', want: 1126.4 },
    { name: '1Mi', input: '1Mi', want: 1.048576e6 },
    { name: '2Gi', input: '2Gi', want: 2.147483648e9 },
    { name: '12E', input: '12E', want: 1.2e19 },
    { name: 'max int64', input: '9223372036854775807', want: 2 ** 63 },
    { name: 'overflow to infinity', input: '12e500', want: Infinity },
    { name: 'negative overflow', input: '-12e500', want: -Infinity },
    { name: 'milli', input: '7340032e-1', want: 734003.2 },
  ];
  it.each(floats)('asApproximateFloat64 $name', ({ input, want }) => {
    expect(Quantity.parse(input).asApproximateFloat64()).toBe(want);
  });

  const comparisons = [
    { name: 'zeros', x: '0', y: '0', want: 0 },
    { name: 'milli greater', x: '100m', y: '50m', want: 1 },
    { name: 'milli less', x: '50m', y: '100m', want: -1 },
    { name: 'tera vs gibi', x: '10000T', y: '100Gi', want: 1 },
    { name: 'same value, different suffix', x: '1Ki', y: '1024', want: 0 },
    { name: 'negatives', x: '-2', y: '-1', want: -1 },
    { name: 'sign decides', x: '-1e30', y: '1n', want: -1 },
    { name: 'far exponents stay cheap', x: '1e2000000000', y: '9e1999999999', want: 1 },
    { name: 'tiny against zero', x: '1n', y: '0', want: 1 },
  ];
  it.each(comparisons)('cmp (TestQuantityCmp) $name', ({ x, y, want }) => {
    expect(Quantity.parse(x).cmp(Quantity.parse(y))).toBe(want);
    expect(Quantity.parse(y).cmp(Quantity.parse(x))).toBe(want === 0 ? 0 : -want);
  });
});

describe('Quantity properties', () => {
  const int64 = fc.bigInt(-(2n ** 63n) + 1n, 2n ** 63n - 1n);

  it('parse(toString(q)) keeps the value and the canonical text', () => {
    const decimal = fc.record({
      mantissa: int64,
      scale: fc.integer({ min: -9, max: 30 }),
      format: fc.constantFrom<QuantityFormat>('DecimalSI', 'DecimalExponent'),
    });
    // BinarySI parsing caps at 2^63-1, so binary values stay within int64.
    const binary = fc.record({
      mantissa: int64,
      scale: fc.integer({ min: -9, max: 0 }),
      format: fc.constant<QuantityFormat>('BinarySI'),
    });
    const powersOf1024 = fc
      .record({
        base: fc.integer({ min: -1023, max: 1023 }),
        power: fc.integer({ min: 0, max: 5 }),
      })
      .map(({ base, power }) => ({
        mantissa: BigInt(base) * 1024n ** BigInt(power),
        scale: 0,
        format: 'BinarySI' as const,
      }));
    fc.assert(
      fc.property(fc.oneof(decimal, binary, powersOf1024), ({ mantissa, scale, format }) => {
        const original = Quantity.fromScaled(mantissa, scale, format);
        const text = original.toString();
        const parsed = Quantity.parse(text);
        expect(parsed.cmp(original)).toBe(0);
        expect(parsed.toString()).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('parse throws nothing but QuantityError, and what it accepts round-trips', () => {
    const alphabet = fc.constantFrom(...'0123456789.+-eEinumkKMGTPab \t'.split(''));
    const inputs = fc.oneof(
      fc.string({ unit: alphabet, maxLength: 24 }),
      fc.string({ maxLength: 24 }),
    );
    fc.assert(
      fc.property(inputs, (input) => {
        let parsed: Quantity;
        try {
          parsed = Quantity.parse(input);
        } catch (err) {
          expect(err).toBeInstanceOf(QuantityError);
          return;
        }
        expect(Quantity.parse(parsed.toString()).cmp(parsed)).toBe(0);
      }),
      { numRuns: 2000 },
    );
  });
});
