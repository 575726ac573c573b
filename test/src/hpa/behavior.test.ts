import { describe, expect, it } from 'vitest';
import {
  behaviorWithDefaults,
  calculateScaleDownLimitWithBehaviors,
  calculateScaleUpLimit,
  calculateScaleUpLimitWithScalingRules,
  generateHPAScaleDownRules,
  generateHPAScaleUpRules,
  getLongestPolicyPeriod,
  getReplicasChangePerPeriod,
} from '../../../src/hpa/behavior.js';
import { NOW_MS } from '../../support/hpa-builders.js';
import { eventsUniform, scalingRules } from '../../support/hpa-events.js';

describe('behavior API defaults (pkg/apis/autoscaling/v2 defaults.go)', () => {
  it('scale-up: no stabilization, +4 pods or +100% per 15s, the larger', () => {
    expect(generateHPAScaleUpRules(undefined)).toEqual({
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    });
  });

  it('scale-down: the flag window (300s by default), -100% per 15s', () => {
    expect(generateHPAScaleDownRules(undefined, 300)).toEqual({
      stabilizationWindowSeconds: 300,
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    });
  });

  const partial = [
    {
      name: 'a set window keeps the default policies',
      rules: { stabilizationWindowSeconds: 60 },
      window: 60,
      policies: 1,
      select: 'Max',
    },
    {
      name: 'set policies replace the defaults',
      rules: { policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
      window: 120,
      policies: 1,
      select: 'Max',
    },
    {
      name: 'a set selectPolicy keeps the rest',
      rules: { selectPolicy: 'Min' },
      window: 120,
      policies: 1,
      select: 'Min',
    },
  ];
  it.each(partial)('scale-down: $name', (c) => {
    const got = generateHPAScaleDownRules(c.rules, 120);
    expect(got.stabilizationWindowSeconds).toBe(c.window);
    expect(got.policies).toHaveLength(c.policies);
    expect(got.selectPolicy).toBe(c.select);
  });

  it('fills both directions when only one is set', () => {
    const b = behaviorWithDefaults({ scaleDown: { stabilizationWindowSeconds: 30 } }, 300);
    expect(b.scaleUp.policies).toHaveLength(2);
    expect(b.scaleDown.stabilizationWindowSeconds).toBe(30);
  });
});

describe('calculateScaleUpLimit (no behavior)', () => {
  const cases = [
    { name: 'doubles', current: 10, limit: 20 },
    { name: 'at least 4', current: 1, limit: 4 },
    { name: 'from zero', current: 0, limit: 4 },
  ];
  it.each(cases)('$name', (c) => expect(calculateScaleUpLimit(c.current)).toBe(c.limit));
});

describe('getReplicasChangePerPeriod', () => {
  const events = eventsUniform([1, 5, 9], 120); // 100s, 60s and 20s ago
  const cases = [
    { name: 'all events inside a 120s period', period: 120, change: 15 },
    { name: 'only the later half inside 60s (the boundary is exclusive)', period: 60, change: 9 },
    { name: 'none inside 10s', period: 10, change: 0 },
  ];
  it.each(cases)('$name', (c) =>
    expect(getReplicasChangePerPeriod(c.period, events, NOW_MS)).toBe(c.change),
  );
});

describe('getLongestPolicyPeriod', () => {
  it('is the largest periodSeconds', () => {
    expect(
      getLongestPolicyPeriod(generateHPAScaleDownRules(scalingRules(1, 30, 10, 90, 0), 0)),
    ).toBe(90);
  });
});

describe('scale limits with policies', () => {
  it('reports each policy with its period-start size', () => {
    const got = calculateScaleUpLimitWithScalingRules(
      10,
      [],
      [],
      generateHPAScaleUpRules(scalingRules(2, 60, 100, 60, 0)),
      NOW_MS,
    );
    expect(got.limit).toBe(20);
    expect(got.policies).toEqual([
      { type: 'Pods', value: 2, periodSeconds: 60, periodStartReplicas: 10, limit: 12 },
      { type: 'Percent', value: 100, periodSeconds: 60, periodStartReplicas: 10, limit: 20 },
    ]);
  });

  it('scale-down with selectPolicy Min takes the smallest change (TestCalculateScaleDownLimitWithBehaviors)', () => {
    const rules = generateHPAScaleDownRules(
      { ...scalingRules(2, 60, 50, 60, 300), selectPolicy: 'Min' },
      300,
    );
    expect(calculateScaleDownLimitWithBehaviors(5, [], [], rules, NOW_MS).limit).toBe(3);
  });

  it('scale-down Percent truncates toward zero', () => {
    const rules = generateHPAScaleDownRules(scalingRules(0, 0, 30, 60, 300), 300);
    expect(calculateScaleDownLimitWithBehaviors(7, [], [], rules, NOW_MS).limit).toBe(4);
  });

  it('recent scale-downs raise the period start of a scale-up', () => {
    const rules = generateHPAScaleUpRules(scalingRules(0, 0, 100, 60, 0));
    expect(
      calculateScaleUpLimitWithScalingRules(4, [], eventsUniform([2], 60), rules, NOW_MS).limit,
    ).toBe(12);
  });
});
