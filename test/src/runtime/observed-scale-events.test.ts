import { describe, expect, it } from 'vitest';
import type { ParsedHistory } from '../../../src/hpa/index.js';
import { historyFromObservation } from '../../../src/runtime/observed-scale-events.js';

const now = Date.parse('2026-01-01T00:10:00Z');
const earlier = Date.parse('2026-01-01T00:09:00Z');
const ms = Date.parse;

function engineHistory(extra: Partial<ParsedHistory> = {}): ParsedHistory {
  return {
    recommendations: [{ timestampMs: now, replicas: 6 }],
    scaleUpEvents: [],
    scaleDownEvents: [],
    ...extra,
  };
}

describe('historyFromObservation', () => {
  const cases = [
    {
      name: "the engine's own proposed rescale is not remembered as a scale event",
      engine: engineHistory({ scaleUpEvents: [{ timestampMs: now, replicaChange: 3 }] }),
      previous: { specReplicas: 3, lastScaleTimeMs: earlier },
      current: { specReplicas: 3, lastScaleTimeMs: earlier },
      up: [],
      down: [],
    },
    {
      name: 'a rescale by the controller (lastScaleTime advanced) is remembered with its own time',
      engine: engineHistory(),
      previous: { specReplicas: 3, lastScaleTimeMs: earlier },
      current: { specReplicas: 5, lastScaleTimeMs: ms('2026-01-01T00:09:50Z') },
      up: [{ timestampMs: ms('2026-01-01T00:09:50Z'), replicaChange: 2 }],
      down: [],
    },
    {
      name: 'a scale-down by the controller is remembered as a positive change',
      engine: engineHistory(),
      previous: { specReplicas: 5, lastScaleTimeMs: earlier },
      current: { specReplicas: 2, lastScaleTimeMs: ms('2026-01-01T00:09:55Z') },
      up: [],
      down: [{ timestampMs: ms('2026-01-01T00:09:55Z'), replicaChange: 3 }],
    },
    {
      name: 'a manual kubectl scale (lastScaleTime unchanged) is ignored, as the controller ignores it',
      engine: engineHistory(),
      previous: { specReplicas: 3, lastScaleTimeMs: earlier },
      current: { specReplicas: 7, lastScaleTimeMs: earlier },
      up: [],
      down: [],
    },
    {
      name: 'earlier observed events the engine kept are carried on',
      engine: engineHistory({ scaleDownEvents: [{ timestampMs: earlier, replicaChange: 1 }] }),
      previous: { specReplicas: 3, lastScaleTimeMs: earlier },
      current: { specReplicas: 3, lastScaleTimeMs: earlier },
      up: [],
      down: [{ timestampMs: earlier, replicaChange: 1 }],
    },
    {
      name: 'the first sync has nothing to compare with',
      engine: engineHistory(),
      previous: undefined,
      current: { specReplicas: 4, lastScaleTimeMs: earlier },
      up: [],
      down: [],
    },
  ];
  it.each(cases)('$name', ({ engine, previous, current, up, down }) => {
    const history = historyFromObservation(engine, previous, current, now);
    expect(history.recommendations).toEqual(engine.recommendations);
    expect(history.scaleUpEvents).toEqual(up);
    expect(history.scaleDownEvents).toEqual(down);
  });
});
