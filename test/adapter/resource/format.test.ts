import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatBytes,
  formatDecimalSI,
  formatNanoCores,
  formatTime,
} from '../../../adapter/resource/index.js';
import { Quantity } from '../../../src/k8s/index.js';

describe('formatNanoCores: should pass', () => {
  const cases = [
    { name: 'zero', n: 0, want: '0' },
    { name: 'nanocores stay nanocores', n: 110_691_045, want: '110691045n' },
    { name: 'whole microcores', n: 5_000, want: '5u' },
    { name: 'whole millicores', n: 250_000_000, want: '250m' },
    { name: 'a core and a half is 1500m', n: 1_500_000_000, want: '1500m' },
    { name: 'whole cores', n: 4_000_000_000, want: '4' },
    { name: 'fractions of a nanocore are truncated', n: 999.9, want: '999n' },
    { name: 'negative averages clamp to zero', n: -5, want: '0' },
  ];
  it.each(cases)('$name', ({ n, want }) => expect(formatNanoCores(n)).toBe(want));
});

describe('formatBytes: should pass', () => {
  const cases = [
    { name: 'zero', b: 0, want: '0' },
    { name: 'below 1024 prints DecimalSI', b: 1000, want: '1k' },
    { name: 'below 1024, not a round number', b: 1023, want: '1023' },
    { name: 'exact Ki', b: 801_112 * 1024, want: '801112Ki' },
    { name: 'exact Gi', b: 2 * 1024 ** 3, want: '2Gi' },
    { name: 'not divisible by 1024 stays in bytes', b: 1536, want: '1536' },
    { name: 'fractional bytes truncate', b: 2048.7, want: '2Ki' },
  ];
  it.each(cases)('$name', ({ b, want }) => expect(formatBytes(b)).toBe(want));
});

describe('formatTime: should pass', () => {
  const cases = [
    { name: 'whole second', ms: Date.UTC(2021, 7, 13, 10, 24, 26), want: '2021-08-13T10:24:26Z' },
    {
      name: 'milliseconds are dropped, not rounded',
      ms: Date.UTC(2021, 7, 13, 10, 24, 26, 999),
      want: '2021-08-13T10:24:26Z',
    },
    { name: 'before the epoch floors', ms: -1, want: '1969-12-31T23:59:59Z' },
  ];
  it.each(cases)('$name', ({ ms, want }) => expect(formatTime(ms)).toBe(want));
});

describe('fast formatters agree with src/k8s Quantity: should pass', () => {
  it('nanocores: formatNanoCores(n) = Quantity.fromScaled(n, -9)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.nat(),
          fc.integer({ min: 0, max: 1e6 }).map((n) => n * 1000),
          fc.nat({ max: 2 ** 53 - 1 }),
        ),
        (n) => {
          expect(formatNanoCores(n)).toBe(Quantity.fromScaled(n, -9).toString());
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('bytes: formatBytes(b) = Quantity.fromValue(b, BinarySI)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.nat({ max: 4096 }),
          fc.nat({ max: 2 ** 30 }).map((n) => n * 1024),
          fc.nat({ max: 2 ** 53 - 1 }),
        ),
        (b) => {
          expect(formatBytes(b)).toBe(Quantity.fromValue(b, 'BinarySI').toString());
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('milli values, negative included: formatDecimalSI(m, -3) = Quantity.fromMilli(m)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer(),
          fc.integer({ min: -1e6, max: 1e6 }).map((n) => n * 1000),
          fc.maxSafeInteger(),
        ),
        (m) => {
          expect(formatDecimalSI(m, -3)).toBe(Quantity.fromMilli(m).toString());
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('beyond 2^53 the bigint Quantity takes over', () => {
    expect(formatDecimalSI(2 ** 60, -3)).toBe(Quantity.fromMilli(2n ** 60n).toString());
  });
});
