import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PodMetricsInfo } from '../../../src/hpa/metrics-client.js';
import { getMetricUsageRatio, getResourceUtilizationRatio } from '../../../src/hpa/utilization.js';

function metrics(values: Record<string, number>): PodMetricsInfo {
  return new Map(
    Object.entries(values).map(([k, value]) => [k, { value, timestampMs: 0, windowMs: 0 }]),
  );
}

describe('getResourceUtilizationRatio', () => {
  const cases: {
    name: string;
    m: Record<string, number>;
    r: Record<string, number>;
    target: number;
    ratio: number;
    util: number;
    raw: number;
  }[] = [
    {
      name: 'sum of usage over sum of requests',
      m: { a: 300, b: 500 },
      r: { a: 1000, b: 1000 },
      target: 20,
      ratio: 2,
      util: 40,
      raw: 400,
    },
    {
      name: 'percent truncates like Go integer division (33.3% is 33)',
      m: { a: 100 },
      r: { a: 300 },
      target: 33,
      ratio: 1,
      util: 33,
      raw: 100,
    },
    {
      name: 'metrics without a request are extraneous',
      m: { a: 500, ghost: 9000 },
      r: { a: 1000 },
      target: 50,
      ratio: 1,
      util: 50,
      raw: 500,
    },
    {
      name: 'raw average truncates',
      m: { a: 1, b: 2 },
      r: { a: 10, b: 10 },
      target: 15,
      ratio: 1,
      util: 15,
      raw: 1,
    },
  ];
  it.each(cases)('$name', (c) => {
    const got = getResourceUtilizationRatio(metrics(c.m), new Map(Object.entries(c.r)), c.target);
    expect(got.utilization).toBe(c.util);
    expect(got.usageRatio).toBeCloseTo(c.ratio, 10);
    expect(got.rawAverageValue).toBe(c.raw);
  });

  it('matches int64 arithmetic for totals beyond 2^53 (property)', () => {
    // Values are multiples of 2^12 so every one is an exact double up to 2^62.
    const big = fc.bigInt({ min: 1n, max: 2n ** 50n }).map((v) => v * 4096n);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(big, big), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 1, max: 500 }),
        (pairs, target) => {
          const m: Record<string, number> = {};
          const r: Record<string, number> = {};
          let usage = 0n;
          let request = 0n;
          pairs.forEach(([u, q], i) => {
            m[`p${i}`] = Number(u);
            r[`p${i}`] = Number(q);
            usage += u;
            request += q;
          });
          const got = getResourceUtilizationRatio(metrics(m), new Map(Object.entries(r)), target);
          expect(got.utilization).toBe(Number((usage * 100n) / request));
          expect(got.rawAverageValue).toBe(Number(usage / BigInt(pairs.length)));
        },
      ),
    );
  });

  it('fails when no metric matches a known pod', () => {
    expect(() =>
      getResourceUtilizationRatio(metrics({ ghost: 1 }), new Map([['a', 1000]]), 50),
    ).toThrow('no metrics returned matched known pods');
  });
});

describe('getMetricUsageRatio', () => {
  const cases = [
    {
      name: 'average over target',
      m: { a: 20000, b: 10000, c: 30000 },
      target: 15000,
      ratio: 20000 / 15000,
      usage: 20000,
    },
    {
      name: 'average truncates (20666.67 is 20666)',
      m: { a: 20000, b: 21000, c: 21000 },
      target: 20000,
      ratio: 20666 / 20000,
      usage: 20666,
    },
    {
      name: 'totals beyond 2^53 average exactly',
      m: { a: 2 ** 53, b: 2 ** 53 + 2, c: 2 ** 53 + 4 },
      target: 2 ** 53,
      ratio: (2 ** 53 + 2) / 2 ** 53,
      usage: 2 ** 53 + 2,
    },
  ];
  it.each(cases)('$name', (c) => {
    const got = getMetricUsageRatio(metrics(c.m), c.target);
    expect(got.usage).toBe(c.usage);
    expect(got.usageRatio).toBeCloseTo(c.ratio, 12);
  });
});
