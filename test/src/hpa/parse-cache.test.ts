import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Quantity } from '../../../src/k8s/index.js';
import { MetricError } from '../../../src/hpa/errors.js';
import { ParseCache } from '../../../src/hpa/parse-cache.js';

describe('ParseCache.milli', () => {
  it('agrees with Quantity.parse(...).milliValue() on the fast-path forms (property)', () => {
    const suffix = fc.constantFrom('', 'n', 'u', 'm', 'k', 'M', 'G', 'Ki', 'Mi', 'Gi');
    const digits = fc.oneof(
      fc.integer({ min: 0, max: 999_999 }),
      fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }).map((n) => n % 1e15),
    );
    fc.assert(
      fc.property(digits, suffix, (d, s) => {
        const text = `${d}${s}`;
        expect(new ParseCache().milli(text)).toBe(Quantity.parse(text).milliValue());
      }),
      { numRuns: 2000 },
    );
  });

  const cases = [
    { name: 'millicores', text: '250m', milli: 250 },
    { name: 'nanocores round up like MilliValue', text: '1500001n', milli: 2 },
    { name: 'binary suffix', text: '512Ki', milli: 524288000 },
    { name: 'fractions take the exact parser', text: '0.5', milli: 500 },
    { name: 'exponents take the exact parser', text: '1e3', milli: 1_000_000 },
    { name: 'negative values take the exact parser', text: '-1', milli: -1000 },
  ];
  it.each(cases)('$name', (c) => expect(new ParseCache().milli(c.text)).toBe(c.milli));

  it('an invalid quantity is a MetricError', () => {
    expect(() => new ParseCache().milli('lots')).toThrow(MetricError);
  });
});
