import { describe, expect, it } from 'vitest';
import { behaviorWithDefaults } from '../../../src/hpa/behavior.js';
import {
  normalizeDesiredReplicas,
  normalizeDesiredReplicasWithBehaviors,
} from '../../../src/hpa/normalize.js';
import { NOW_MS } from '../../support/hpa-builders.js';
import { scalingRules } from '../../support/hpa-events.js';

const base = {
  minReplicas: 1,
  maxReplicas: 100,
  nowMs: NOW_MS,
  scaleUpEvents: [],
  scaleDownEvents: [],
};

describe('normalizeDesiredReplicas (no behavior)', () => {
  const cases = [
    {
      name: 'downscale stabilization: a recent higher recommendation holds',
      current: 5,
      desired: 2,
      recs: [{ timestampMs: NOW_MS - 60_000, replicas: 5 }],
      expected: 5,
      able: 'ScaleDownStabilized',
      limited: 'False',
    },
    {
      name: 'an expired recommendation does not hold',
      current: 5,
      desired: 2,
      recs: [{ timestampMs: NOW_MS - 400_000, replicas: 5 }],
      expected: 2,
      able: 'ReadyForNewScale',
      limited: 'False',
    },
    {
      name: 'scale-up is not stabilized, only limited',
      current: 2,
      desired: 50,
      recs: [],
      expected: 4,
      able: 'ReadyForNewScale',
      limited: 'True',
    },
  ];
  it.each(cases)('$name', (c) => {
    const got = normalizeDesiredReplicas(
      {
        ...base,
        currentReplicas: c.current,
        prenormalizedDesiredReplicas: c.desired,
        recommendations: c.recs,
      },
      300,
    );
    expect(got.desiredReplicas).toBe(c.expected);
    expect(got.ableToScale.reason).toBe(c.able);
    expect(got.scalingLimited.status).toBe(c.limited);
    expect(got.recommendations.at(-1)).toEqual({ timestampMs: NOW_MS, replicas: c.desired });
  });
});

describe('normalizeDesiredReplicasWithBehaviors', () => {
  it('scale-up stabilization holds at the lowest recent recommendation', () => {
    const behavior = behaviorWithDefaults({ scaleUp: { stabilizationWindowSeconds: 300 } }, 300);
    const got = normalizeDesiredReplicasWithBehaviors(
      {
        ...base,
        currentReplicas: 1,
        prenormalizedDesiredReplicas: 7,
        recommendations: [{ timestampMs: NOW_MS - 120_000, replicas: 4 }],
      },
      behavior,
    );
    expect(got.desiredReplicas).toBe(4);
    expect(got.ableToScale.reason).toBe('ScaleUpStabilized');
    expect(got.limits.stabilization).toMatchObject({
      upWindowSeconds: 300,
      stabilized: 4,
      reason: 'ScaleUpStabilized',
    });
  });

  it('the default scale-down window comes from --horizontal-pod-autoscaler-downscale-stabilization', () => {
    const behavior = behaviorWithDefaults({ scaleUp: {} }, 60);
    const got = normalizeDesiredReplicasWithBehaviors(
      {
        ...base,
        currentReplicas: 5,
        prenormalizedDesiredReplicas: 2,
        recommendations: [{ timestampMs: NOW_MS - 120_000, replicas: 5 }],
      },
      behavior,
    );
    expect(got.desiredReplicas).toBe(2);
    expect(got.ableToScale.reason).toBe('ReadyForNewScale');
  });

  it('ScalingLimited is True when a policy held the number', () => {
    const behavior = behaviorWithDefaults({ scaleUp: scalingRules(2, 60, 0, 0, 0) }, 300);
    const got = normalizeDesiredReplicasWithBehaviors(
      { ...base, currentReplicas: 10, prenormalizedDesiredReplicas: 50, recommendations: [] },
      behavior,
    );
    expect(got.desiredReplicas).toBe(12);
    expect(got.scalingLimited).toEqual({
      status: 'True',
      reason: 'ScaleUpLimit',
      message: 'the desired replica count is increasing faster than the maximum scale rate',
    });
    expect(got.limits.rate).toMatchObject({ direction: 'up', limit: 12, selectPolicy: 'Max' });
  });
});
