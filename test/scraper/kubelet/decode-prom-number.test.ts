import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimal } from '../../../scraper/kubelet/decode-prom-number.js';

const parse = (text: string) => parseDecimal(Buffer.from(text, 'latin1'), 0, text.length);

describe('parseDecimal: should pass', () => {
  it.each([
    { text: '0', expected: 0 },
    { text: '-0', expected: -0 },
    { text: '1.042432e+07', expected: 10424320 },
    { text: '1.782468834e+09', expected: 1782468834 },
    { text: '62.148052', expected: 62.148052 },
    { text: '0.000123', expected: 0.000123 },
    { text: '5.', expected: 5 },
    { text: '.5E-3', expected: 0.0005 },
    { text: '1e308', expected: 1e308 },
    { text: '4.9e-324', expected: 5e-324 },
    { text: '123456789012345678901234567890', expected: 1.2345678901234568e29 },
    { text: 'NaN', expected: NaN },
    { text: 'nan', expected: NaN },
    { text: '+Inf', expected: Infinity },
    { text: '-Inf', expected: -Infinity },
    { text: 'Infinity', expected: Infinity },
  ])('$text', ({ text, expected }) => {
    expect(parse(text)).toBe(expected);
  });

  it('agrees with Number() on every double, however it is printed', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }),
        fc.integer({ min: 1, max: 21 }),
        (value, digits) => {
          for (const text of [String(value), value.toExponential(), value.toPrecision(digits)]) {
            expect(Object.is(parse(text), Number(text)), text).toBe(true);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('parses a slice of a larger buffer', () => {
    expect(parseDecimal(Buffer.from('xx 3.25 yy'), 3, 7)).toBe(3.25);
  });
});

describe('parseDecimal: should fail', () => {
  it.each([
    '',
    '.',
    '+',
    '-',
    'e5',
    '1e',
    '1e+',
    '1.2.3',
    '0x10',
    '1_000',
    '12a',
    'infinite',
    '--1',
    '1e5.5',
  ])('%j', (text) => {
    expect(parse(text)).toBeUndefined();
  });
});
