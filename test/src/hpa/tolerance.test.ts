import { describe, expect, it } from 'vitest';
import { ParseCache } from '../../../src/hpa/parse-cache.js';
import { Tolerances, tolerancesForHpa } from '../../../src/hpa/tolerance.js';

describe('Tolerances.isWithin', () => {
  const cases = [
    { name: 'ratio 1 is within', down: 0.1, up: 0.1, ratio: 1, within: true },
    { name: 'the lower edge is inclusive', down: 0.1, up: 0.1, ratio: 0.9, within: true },
    { name: 'the upper edge is inclusive', down: 0.1, up: 0.1, ratio: 1.1, within: true },
    { name: 'below the band scales down', down: 0.1, up: 0.1, ratio: 0.89, within: false },
    { name: 'above the band scales up', down: 0.1, up: 0.1, ratio: 1.11, within: false },
    {
      name: 'per-direction: small up tolerance reacts to +6%',
      down: 0.5,
      up: 0.05,
      ratio: 1.06,
      within: false,
    },
    {
      name: 'per-direction: large down tolerance ignores -20%',
      down: 0.5,
      up: 0.05,
      ratio: 0.8,
      within: true,
    },
    { name: 'zero tolerance: any change counts', down: 0, up: 0, ratio: 1.0001, within: false },
  ];
  it.each(cases)('$name', (c) => {
    expect(new Tolerances(c.down, c.up).isWithin(c.ratio)).toBe(c.within);
  });

  it('prints like upstream', () => {
    expect(new Tolerances(0.1, 0.05).toString()).toBe('[down:10.0%, up:5.0%]');
  });
});

describe('tolerancesForHpa', () => {
  const cases = [
    {
      name: 'no behavior: the global tolerance both ways',
      behavior: undefined,
      down: 0.1,
      up: 0.1,
    },
    {
      name: 'behavior without tolerance: global',
      behavior: { scaleUp: { stabilizationWindowSeconds: 0 } },
      down: 0.1,
      up: 0.1,
    },
    {
      name: 'scale-up tolerance overrides up only (KEP-4951)',
      behavior: { scaleUp: { tolerance: '0.05' } },
      down: 0.1,
      up: 0.05,
    },
    {
      name: 'scale-down tolerance overrides down only',
      behavior: { scaleDown: { tolerance: '500m' } },
      down: 0.5,
      up: 0.1,
    },
    {
      name: 'both directions',
      behavior: { scaleUp: { tolerance: '0' }, scaleDown: { tolerance: '0.2' } },
      down: 0.2,
      up: 0,
    },
    {
      name: 'an unparsable tolerance keeps the global one',
      behavior: { scaleUp: { tolerance: 'lots' } },
      down: 0.1,
      up: 0.1,
    },
  ];
  it.each(cases)('$name', (c) => {
    const t = tolerancesForHpa(c.behavior, 0.1, new ParseCache());
    expect(t.scaleDown).toBeCloseTo(c.down, 12);
    expect(t.scaleUp).toBeCloseTo(c.up, 12);
  });
});
