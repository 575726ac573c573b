import { describe, expect, it } from 'vitest';
import {
  rfc3339,
  toExternalMetricValue,
  toMetricValue,
  toPodMetrics,
} from '../../../src/runtime/index.js';

const T = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('metric values: should pass', () => {
  const podCases = [
    {
      name: 'whole millicores',
      cpuNanoCores: 250_000_000,
      memoryBytes: 128 * 1024 * 1024,
      windowMs: 15_000,
      cpu: '250m',
      memory: '128Mi',
      window: '15s',
    },
    {
      name: 'nanocore precision (memory under 1Ki prints as DecimalSI, as Go does)',
      cpuNanoCores: 123_456_789,
      memoryBytes: 1_000,
      windowMs: 90_000,
      cpu: '123456789n',
      memory: '1k',
      window: '1m30s',
    },
    {
      name: 'fractional nanocores round',
      cpuNanoCores: 1.6,
      memoryBytes: 0,
      windowMs: 500,
      cpu: '2n',
      memory: '0',
      window: '500ms',
    },
  ];
  it.each(podCases)(
    'PodMetrics: $name',
    ({ cpuNanoCores, memoryBytes, windowMs, cpu, memory, window }) => {
      const got = toPodMetrics({
        namespace: 'a',
        name: 'p',
        timestampMs: T,
        windowMs,
        containers: [{ name: 'c', usage: { cpuNanoCores, memoryBytes } }],
      });
      expect(got).toEqual({
        apiVersion: 'metrics.k8s.io/v1beta1',
        kind: 'PodMetrics',
        metadata: { name: 'p', namespace: 'a' },
        timestamp: '2026-01-01T12:00:00Z',
        window,
        containers: [{ name: 'c', usage: { cpu, memory } }],
      });
    },
  );

  const valueCases = [
    { name: 'an integer', value: 42, want: '42' },
    { name: 'a fraction keeps milli precision', value: 0.5, want: '500m' },
    { name: 'below a milli truncates to zero', value: 0.0004, want: '0' },
    { name: 'a negative value', value: -1.25, want: '-1250m' },
  ];
  it.each(valueCases)('MetricValue: $name', ({ value, want }) => {
    const got = toMetricValue(
      { name: 'p', metric: 'm', value, timestampMs: T },
      { kind: 'Pod', name: 'p' },
      { name: 'm' },
    );
    expect(got?.value).toBe(want);
    expect(toExternalMetricValue({ metric: 'm', labels: {}, value, timestampMs: T })?.value).toBe(
      want,
    );
  });

  it('timestamps keep sub-second precision only when present', () => {
    expect(rfc3339(T)).toBe('2026-01-01T12:00:00Z');
    expect(rfc3339(T + 250)).toBe('2026-01-01T12:00:00.250Z');
  });
});

describe('metric values: should fail', () => {
  const bad = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  it.each(bad)('%s is not a servable value', (value) => {
    expect(
      toMetricValue(
        { name: 'p', metric: 'm', value, timestampMs: T },
        { kind: 'Pod', name: 'p' },
        { name: 'm' },
      ),
    ).toBeUndefined();
    expect(
      toExternalMetricValue({ metric: 'm', labels: {}, value, timestampMs: T }),
    ).toBeUndefined();
  });
});
