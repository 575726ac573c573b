import { describe, expect, it } from 'vitest';
import {
  stabilizeRecommendation,
  stabilizeRecommendationWithBehaviors,
  type Recommendation,
} from '../../../src/hpa/stabilization.js';
import { NOW_MS } from '../../support/hpa-builders.js';

const minutesAgo = (m: number): number => NOW_MS - m * 60_000;
const rec = (replicas: number, minutes: number): Recommendation => ({
  replicas,
  timestampMs: minutesAgo(minutes),
});

// Ported from horizontal_test.go TestNormalizeDesiredReplicas (5-minute downscale window).
describe('stabilizeRecommendation (no behavior)', () => {
  const cases = [
    { name: 'empty log', recs: [], desired: 5, expected: 5, kept: 1 },
    { name: 'stabilize', recs: [rec(4, 2), rec(5, 1)], desired: 3, expected: 5, kept: 3 },
    { name: 'no stabilize', recs: [rec(1, 2), rec(2, 1)], desired: 3, expected: 3, kept: 3 },
    {
      name: 'no stabilize - old recommendations',
      recs: [rec(10, 10), rec(9, 9)],
      desired: 3,
      expected: 3,
      kept: 1,
    },
    {
      name: 'stabilize - old recommendations',
      recs: [rec(10, 10), rec(4, 1), rec(5, 2), rec(9, 9)],
      desired: 3,
      expected: 5,
      kept: 3,
    },
    {
      name: 'a recommendation exactly at the window edge no longer counts',
      recs: [rec(9, 5)],
      desired: 3,
      expected: 3,
      kept: 1,
    },
  ];
  it.each(cases)('$name', (c) => {
    const got = stabilizeRecommendation(c.recs, c.desired, NOW_MS, 300);
    expect(got.recommendation).toBe(c.expected);
    expect(got.recommendations).toHaveLength(c.kept);
    expect(got.recommendations.at(-1)).toEqual({ replicas: c.desired, timestampMs: NOW_MS });
  });
});

// Ported from horizontal_test.go TestNormalizeDesiredReplicasWithBehavior.
describe('stabilizeRecommendationWithBehaviors', () => {
  const cases = [
    {
      name: 'empty recommendations for scaling down',
      recs: [],
      current: 100,
      desired: 5,
      up: 0,
      down: 0,
      expected: 5,
      kept: [5],
    },
    {
      name: 'simple scale down stabilization',
      recs: [rec(4, 2), rec(5, 1)],
      current: 100,
      desired: 3,
      up: 0,
      down: 180,
      expected: 5,
      kept: [4, 5, 3],
    },
    {
      name: 'simple scale up stabilization',
      recs: [rec(4, 2), rec(5, 1)],
      current: 1,
      desired: 7,
      up: 300,
      down: 0,
      expected: 4,
      kept: [4, 5, 7],
    },
    {
      name: 'no scale down stabilization',
      recs: [rec(1, 2), rec(2, 1)],
      current: 100,
      desired: 3,
      up: 300,
      down: 0,
      expected: 3,
      kept: [1, 2, 3],
    },
    {
      name: 'no scale up stabilization',
      recs: [rec(4, 2), rec(5, 1)],
      current: 1,
      desired: 3,
      up: 0,
      down: 300,
      expected: 3,
      kept: [4, 5, 3],
    },
    {
      name: 'no scale down stabilization, expired recommendations dropped',
      recs: [rec(10, 10), rec(9, 9)],
      current: 100,
      desired: 3,
      up: 0,
      down: 300,
      expected: 3,
      kept: [3],
    },
    {
      name: 'no scale up stabilization, expired recommendations dropped',
      recs: [rec(10, 10), rec(9, 9)],
      current: 1,
      desired: 100,
      up: 0,
      down: 300,
      expected: 100,
      kept: [100],
    },
    {
      name: 'scale down stabilization ignores expired recommendations',
      recs: [rec(10, 10), rec(4, 1), rec(5, 2), rec(9, 9)],
      current: 100,
      desired: 3,
      up: 0,
      down: 180,
      expected: 5,
      kept: [4, 5, 3],
    },
    {
      name: 'scale up stabilization keeps what the longer window still uses',
      recs: [rec(10, 100), rec(6, 1), rec(5, 2), rec(9, 3)],
      current: 1,
      desired: 100,
      up: 300,
      down: 300,
      expected: 5,
      kept: [6, 5, 9, 100],
    },
    {
      name: 'do not scale up when the prenormalized recommendation goes down',
      recs: [rec(2, 100), rec(3, 3)],
      current: 2,
      desired: 1,
      up: 300,
      down: 300,
      expected: 2,
      kept: [3, 1],
    },
    {
      name: 'do not scale down when the prenormalized recommendation goes up',
      recs: [rec(2, 100), rec(1, 3)],
      current: 2,
      desired: 3,
      up: 300,
      down: 300,
      expected: 2,
      kept: [1, 3],
    },
  ];
  it.each(cases)('$name', (c) => {
    const got = stabilizeRecommendationWithBehaviors(c.recs, {
      currentReplicas: c.current,
      desiredReplicas: c.desired,
      scaleUpWindowSeconds: c.up,
      scaleDownWindowSeconds: c.down,
      nowMs: NOW_MS,
    });
    expect(got.recommendation).toBe(c.expected);
    expect(got.recommendations.map((r) => r.replicas)).toEqual(c.kept);
  });

  it('names the direction it held', () => {
    const args = { scaleUpWindowSeconds: 300, scaleDownWindowSeconds: 300, nowMs: NOW_MS };
    expect(
      stabilizeRecommendationWithBehaviors([], { ...args, currentReplicas: 2, desiredReplicas: 3 })
        .reason,
    ).toBe('ScaleUpStabilized');
    expect(
      stabilizeRecommendationWithBehaviors([], { ...args, currentReplicas: 3, desiredReplicas: 2 })
        .reason,
    ).toBe('ScaleDownStabilized');
  });
});
