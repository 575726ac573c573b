import { describe, expect, it } from 'vitest';
import {
  SampleKind,
  SampleSlot,
  completePoint,
  setSample,
} from '../../../scraper/kubelet/decode-resource-point.js';
import type { DropCounts } from '../../../src/store/index.js';

type Sample = [kind: SampleKind, value: number, timestampMs?: number];

describe('completePoint', () => {
  it.each<{ name: string; samples: Sample[]; reason?: string }>([
    {
      name: 'CPU and memory make a point timed by CPU',
      samples: [
        [SampleKind.cpu, 2, 1000],
        [SampleKind.memory, 5, 2000],
        [SampleKind.start, 0.5],
      ],
    },
    { name: 'no CPU sample', samples: [[SampleKind.memory, 5]], reason: 'missing_cpu' },
    { name: 'no memory sample', samples: [[SampleKind.cpu, 2]], reason: 'missing_memory' },
    { name: 'only a start time', samples: [[SampleKind.start, 1]], reason: 'missing_cpu' },
    {
      name: 'zero CPU',
      samples: [
        [SampleKind.cpu, 0],
        [SampleKind.memory, 5],
      ],
      reason: 'zero_cpu',
    },
    {
      name: 'zero memory',
      samples: [
        [SampleKind.cpu, 1],
        [SampleKind.memory, 0.4],
      ],
      reason: 'zero_memory',
    },
    {
      name: 'non-finite value wins over later good ones',
      samples: [
        [SampleKind.cpu, NaN],
        [SampleKind.cpu, 1],
        [SampleKind.memory, 5],
      ],
      reason: 'non_finite_value',
    },
    {
      name: 'negative start time',
      samples: [
        [SampleKind.cpu, 1],
        [SampleKind.memory, 5],
        [SampleKind.start, -1],
      ],
      reason: 'negative_value',
    },
    {
      name: 'CPU sampled at the epoch',
      samples: [
        [SampleKind.cpu, 1, 0],
        [SampleKind.memory, 5],
      ],
      reason: 'invalid_timestamp',
    },
  ])('$name', ({ samples, reason }) => {
    const slot = new SampleSlot();
    const dropped: DropCounts = {};
    for (const [kind, value, ts] of samples)
      setSample(slot, kind, { value, valueFinite: Number.isFinite(value) }, ts ?? 1000, dropped);
    const point = completePoint(slot, dropped);
    if (reason === undefined) {
      expect(point).toEqual({
        startTimeMs: 500,
        timestampMs: 1000,
        cpuUsageCoreSeconds: 2,
        memoryWorkingSetBytes: 5,
      });
      expect(dropped).toEqual({});
    } else {
      expect(point).toBeUndefined();
      expect(dropped).toMatchObject({ [reason]: 1 });
    }
  });
});
