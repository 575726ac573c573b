import { describe, expect, it } from 'vitest';
import { advance, type MetricsPoint } from '../../../src/store/index.js';
import {
  ContainerSeries,
  PodSeries,
  findContainer,
  namespaceOf,
  podValue,
} from '../../../src/store/resource-series.js';

const opts = {
  metricResolutionMs: 15_000,
  freshRule: false,
  restartReason: 'container_restart' as const,
};
const p = (timestampMs: number, cpu: number): MetricsPoint => ({
  startTimeMs: 0,
  timestampMs,
  cpuUsageCoreSeconds: cpu,
  memoryWorkingSetBytes: 64,
});

/** A container that saw points at `t1` and `t2` (ms), using one core in between. */
function paired(name: string, t1: number, t2: number): ContainerSeries {
  const c = new ContainerSeries(name);
  advance(c, false, p(t1, 1), opts, {});
  advance(c, true, p(t2, 1 + (t2 - t1) / 1000), opts, {});
  return c;
}

function pod(key: string, ...containers: ContainerSeries[]): PodSeries {
  const series = new PodSeries(key);
  series.containers = containers;
  series.servable = containers.every((c) => c.hasPrev);
  return series;
}

describe('podValue', () => {
  it.each([
    {
      name: 'takes the earliest container time and its window',
      series: pod('ns/web', paired('a', 100_000, 120_000), paired('b', 105_000, 110_000)),
      oldestMs: 0,
      expected: { namespace: 'ns', name: 'web', timestampMs: 110_000, windowMs: 5_000 },
    },
    {
      name: 'is undefined when a container is stale',
      series: pod('ns/web', paired('a', 100_000, 120_000), paired('b', 105_000, 110_000)),
      oldestMs: 115_000,
      expected: undefined,
    },
    {
      name: 'is undefined when the pod is not servable',
      series: pod('ns/web', new ContainerSeries('a')),
      oldestMs: 0,
      expected: undefined,
    },
    {
      name: 'is undefined for a pod without containers',
      series: Object.assign(pod('ns/web'), { servable: true }),
      oldestMs: 0,
      expected: undefined,
    },
  ])('$name', ({ series, oldestMs, expected }) => {
    const value = podValue(series, oldestMs);
    if (expected === undefined) expect(value).toBeUndefined();
    else
      expect(value).toMatchObject({
        ...expected,
        containers: [
          { name: 'a', usage: { cpuNanoCores: 1e9, memoryBytes: 64 } },
          { name: 'b', usage: { cpuNanoCores: 1e9, memoryBytes: 64 } },
        ],
      });
  });
});

describe('helpers', () => {
  it('namespaceOf splits at the first slash', () => {
    expect(namespaceOf('kube-system/coredns-1')).toBe('kube-system');
  });

  it('findContainer finds by name or gives undefined', () => {
    const a = new ContainerSeries('a');
    expect(findContainer([new ContainerSeries('b'), a], 'a')).toBe(a);
    expect(findContainer([a], 'z')).toBeUndefined();
  });
});
