import { describe, expect, it } from 'vitest';
import {
  SeriesPair,
  advance,
  freshContainerMinAgeMs,
  usageOf,
  windowMsOf,
  type AdvanceOptions,
  type DropCounts,
  type MetricsPoint,
} from '../../../src/store/index.js';

const p = (startTimeMs: number, timestampMs: number, cpu: number, mem = 7): MetricsPoint => ({
  startTimeMs,
  timestampMs,
  cpuUsageCoreSeconds: cpu,
  memoryWorkingSetBytes: mem,
});
const container: AdvanceOptions = {
  metricResolutionMs: 15_000,
  freshRule: true,
  restartReason: 'container_restart',
};

/** A series holding `points` in order, and the drops of the last advance. */
function seriesOf(
  points: MetricsPoint[],
  opts = container,
): { s: SeriesPair; dropped: DropCounts } {
  const s = new SeriesPair();
  let dropped: DropCounts = {};
  points.forEach((point, i) => {
    dropped = {};
    advance(s, i > 0, point, opts, dropped);
  });
  return { s, dropped };
}

describe('usageOf', () => {
  it.each([
    { name: 'one core over 5s', points: [p(0, 101_000, 1), p(0, 106_000, 6)], cpu: 1e9 },
    { name: 'a millicore over 15s', points: [p(0, 100_000, 10), p(0, 115_000, 10.015)], cpu: 1e6 },
    {
      name: 'float counters become whole nanoseconds before the delta (decode.go)',
      points: [p(0, 100_000, 2.862868), p(0, 101_000, 3.386871)],
      cpu: 524_003_000,
    },
    {
      name: "a fractional rate truncates to whole nanocores, as metrics-server's uint64 does",
      points: [p(0, 100_000, 1), p(0, 110_000, 1.149999999)],
      cpu: 14_999_999,
    },
    { name: 'an idle container', points: [p(0, 100_000, 3), p(0, 110_000, 3)], cpu: 0 },
  ])('$name', ({ points, cpu }) => {
    const { s } = seriesOf(points);
    expect(s.hasPrev).toBe(true);
    expect(usageOf(s)).toEqual({ cpuNanoCores: cpu, memoryBytes: 7 });
  });
});

describe('advance', () => {
  it.each<{
    name: string;
    points: MetricsPoint[];
    opts?: AdvanceOptions;
    windowMs?: number;
    dropped: DropCounts;
  }>([
    { name: 'a new series has no pair and drops nothing', points: [p(0, 100_000, 1)], dropped: {} },
    {
      name: 'a newer point pairs with the last',
      points: [p(0, 100_000, 1), p(0, 110_000, 2)],
      windowMs: 10_000,
      dropped: {},
    },
    {
      name: 'a fresh container pairs with a zero point at its start',
      points: [p(100_000, 100_000 + freshContainerMinAgeMs, 1)],
      windowMs: freshContainerMinAgeMs,
      dropped: {},
    },
    {
      name: 'the fresh rule is off for nodes',
      points: [p(100_000, 110_000, 1)],
      opts: { ...container, freshRule: false },
      dropped: {},
    },
    {
      name: 'a restart reports the configured reason',
      points: [p(0, 100_000, 9), p(100_000, 200_000, 1)],
      opts: { ...container, restartReason: 'node_restart' },
      dropped: { node_restart: 1 },
    },
    {
      name: 'a counter reset loses the pair',
      points: [p(0, 100_000, 9), p(0, 110_000, 1)],
      dropped: { counter_reset: 1 },
    },
    {
      name: 'a start time moving back loses the pair',
      points: [p(50_000, 100_000, 1), p(40_000, 110_000, 2)],
      dropped: { start_time_decreased: 1 },
    },
    {
      name: 'the same timestamp again has no window',
      points: [p(0, 100_000, 1), p(0, 100_000, 1)],
      dropped: { non_increasing_timestamp: 1 },
    },
    {
      name: 'a point between prev and last keeps prev',
      points: [p(0, 100_000, 1), p(0, 120_000, 5), p(0, 110_000, 3)],
      windowMs: 10_000,
      dropped: {},
    },
  ])('$name', ({ points, opts, windowMs, dropped }) => {
    const { s, dropped: got } = seriesOf(points, opts);
    expect(s.hasPrev ? windowMsOf(s) : undefined).toBe(windowMs);
    expect(got).toEqual(dropped);
    expect(s.lastTimestampMs).toBe(points.at(-1)?.timestampMs);
  });

  it('the synthetic start point has zero CPU', () => {
    const { s } = seriesOf([p(100_000, 112_000, 3)]);
    expect([s.prevTimestampMs, s.prevCpuCoreSeconds, s.prevStartTimeMs]).toEqual([
      100_000, 0, 100_000,
    ]);
    expect(usageOf(s).cpuNanoCores).toBe(250_000_000);
  });
});
