import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDuration, Quantity } from '../../../src/k8s/index.js';
import { MetricError } from '../../../src/hpa/errors.js';
import { formatMilli, ParseCache } from '../../../src/hpa/parse-cache.js';

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

describe('ParseCache.durationMs', () => {
  it.each(['30s', '1m0s', '15s', '1m30s', '1h', '500ms', '1.5s'])(
    '%s agrees with parseDuration',
    (text) => {
      expect(new ParseCache().durationMs(text)).toBe(parseDuration(text));
    },
  );

  it('an invalid duration is a MetricError', () => {
    expect(() => new ParseCache().durationMs('soon')).toThrow(MetricError);
  });
});

describe('ParseCache times', () => {
  it('parses RFC 3339 and reports unparsable text as undefined', () => {
    const cache = new ParseCache();
    expect(cache.timeMs('2026-01-01T12:00:00Z')).toBe(Date.UTC(2026, 0, 1, 12));
    expect(cache.timeMs('yesterday')).toBeUndefined();
  });

  it('writes whole seconds without a fraction, and keeps seeded canonical text', () => {
    const cache = new ParseCache();
    const ms = Date.UTC(2026, 0, 1, 12);
    expect(cache.formatTime(ms)).toBe('2026-01-01T12:00:00Z');
    expect(cache.formatTime(ms + 250)).toBe('2026-01-01T12:00:00.250Z');
    cache.seedTime(ms + 1000, '2026-01-01T12:00:01+00:00');
    expect(cache.formatTime(ms + 1000)).toBe('2026-01-01T12:00:01Z');
  });
});

describe('formatMilli', () => {
  it.each([
    { milli: 20000, text: '20' },
    { milli: 8600, text: '8600m' },
    { milli: 0, text: '0' },
    { milli: 2 ** 70, text: '9223372036854775807m' },
  ])('$milli -> $text', (c) => expect(formatMilli(c.milli)).toBe(c.text));
});
