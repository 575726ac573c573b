import { describe, expect, it } from 'vitest';
import { behaviorWithDefaults, type ScaleEvent } from '../../../src/hpa/behavior.js';
import {
  formatHistory,
  parseHistory,
  pruneHistory,
  rememberedHistory,
  storeScaleEvent,
  type ParsedHistory,
} from '../../../src/hpa/history.js';
import { NOW, NOW_MS, at } from '../../support/hpa-builders.js';
import { scalingRules } from '../../support/hpa-events.js';

const secondsAgo = (replicaChange: number, s: number): ScaleEvent => ({
  replicaChange,
  timestampMs: NOW_MS - s * 1000,
});
const empty: ParsedHistory = { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] };

describe('rememberedHistory and parseHistory', () => {
  it('first sync (no history): records the current size at now (recordInitialRecommendation)', () => {
    expect(rememberedHistory(undefined, 7, NOW_MS)).toEqual({
      ...empty,
      recommendations: [{ timestampMs: NOW_MS, replicas: 7 }],
    });
  });

  it('present but empty history: nothing is seeded', () => {
    expect(rememberedHistory(parseHistory({}), 7, NOW_MS)).toEqual(empty);
  });

  it('parses timestamps', () => {
    const got = parseHistory({
      recommendations: [{ timestamp: at(-60), replicas: 3 }],
      scaleUpEvents: [{ timestamp: at(-5), replicaChange: 2 }],
    });
    expect(got.recommendations).toEqual([{ timestampMs: NOW_MS - 60_000, replicas: 3 }]);
    expect(got.scaleUpEvents).toEqual([{ timestampMs: NOW_MS - 5000, replicaChange: 2 }]);
  });
});

// Ported from horizontal_test.go TestStoreScaleEvents (checked in both directions).
describe('storeScaleEvent', () => {
  const cases = [
    {
      name: 'no behavior: nothing is stored',
      prev: [] as ScaleEvent[],
      rules: undefined,
      expected: [] as number[],
    },
    {
      name: 'empty entries with a two-policy behavior',
      prev: [],
      rules: scalingRules(10, 60, 100, 60, 0),
      expected: [5],
    },
    {
      name: 'no behavior: an outdated entry is kept untouched',
      prev: [secondsAgo(7, 61)],
      rules: undefined,
      expected: [7],
    },
    {
      name: 'an outdated entry is replaced',
      prev: [secondsAgo(7, 61)],
      rules: scalingRules(10, 60, 100, 60, 0),
      expected: [5],
    },
    {
      name: 'a current entry is kept',
      prev: [secondsAgo(7, 58)],
      rules: scalingRules(10, 60, 100, 60, 0),
      expected: [7, 5],
    },
    {
      name: 'two entries, one of them replaced',
      prev: [secondsAgo(7, 61), secondsAgo(6, 59)],
      rules: scalingRules(10, 60, 0, 0, 0),
      expected: [6, 5],
    },
    {
      name: 'policies with different periods: the longest decides',
      prev: [secondsAgo(8, 29), secondsAgo(6, 59), secondsAgo(7, 61), secondsAgo(9, 61)],
      rules: scalingRules(10, 60, 100, 30, 0),
      expected: [8, 6, 5],
    },
    {
      name: 'two entries, both current',
      prev: [secondsAgo(7, 58), secondsAgo(6, 59)],
      rules: scalingRules(10, 120, 100, 30, 0),
      expected: [7, 6, 5],
    },
  ];

  it.each(cases)('up: $name', (c) => {
    const behavior =
      c.rules === undefined ? undefined : behaviorWithDefaults({ scaleUp: c.rules }, 300);
    const got = storeScaleEvent({ ...empty, scaleUpEvents: c.prev }, behavior, 10, 15, NOW_MS);
    expect(got.scaleUpEvents.map((e) => e.replicaChange)).toEqual(c.expected);
    expect(got.scaleDownEvents).toEqual([]);
  });

  it.each(cases)('down: $name', (c) => {
    const behavior =
      c.rules === undefined ? undefined : behaviorWithDefaults({ scaleDown: c.rules }, 300);
    const got = storeScaleEvent({ ...empty, scaleDownEvents: c.prev }, behavior, 10, 5, NOW_MS);
    expect(got.scaleDownEvents.map((e) => e.replicaChange)).toEqual(c.expected);
    expect(got.scaleUpEvents).toEqual([]);
  });
});

describe('pruneHistory', () => {
  const history: ParsedHistory = {
    recommendations: [
      { timestampMs: NOW_MS - 400_000, replicas: 9 },
      { timestampMs: NOW_MS - 100_000, replicas: 4 },
    ],
    scaleUpEvents: [secondsAgo(3, 20), secondsAgo(2, 100)],
    scaleDownEvents: [secondsAgo(1, 10)],
  };

  it('no behavior: recommendations age out with the downscale window; events are untouched', () => {
    const got = pruneHistory(history, undefined, 300, NOW_MS);
    expect(got.recommendations.map((r) => r.replicas)).toEqual([4]);
    expect(got.scaleUpEvents).toEqual(history.scaleUpEvents);
  });

  it('behavior: the longer window keeps recommendations; events age out with the longest policy period', () => {
    const behavior = behaviorWithDefaults(
      {
        scaleUp: {
          stabilizationWindowSeconds: 600,
          policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }],
        },
      },
      300,
    );
    const got = pruneHistory(history, behavior, 300, NOW_MS);
    expect(got.recommendations.map((r) => r.replicas)).toEqual([9, 4]);
    expect(got.scaleUpEvents.map((e) => e.replicaChange)).toEqual([3]);
    expect(got.scaleDownEvents.map((e) => e.replicaChange)).toEqual([1]);
  });
});

describe('formatHistory', () => {
  it('writes RFC 3339 timestamps, without a fraction on whole seconds', () => {
    expect(
      formatHistory({
        ...empty,
        recommendations: [{ timestampMs: NOW_MS, replicas: 2 }],
        scaleDownEvents: [{ timestampMs: NOW_MS + 500, replicaChange: 1 }],
      }),
    ).toEqual({
      recommendations: [{ timestamp: NOW, replicas: 2 }],
      scaleUpEvents: [],
      scaleDownEvents: [{ timestamp: '2026-01-01T12:00:00.500Z', replicaChange: 1 }],
    });
  });
});
