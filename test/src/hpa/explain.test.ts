/** The explanation lines an operator reads, checked through whole syncs. */
import { describe, expect, it } from 'vitest';
import { evaluate, type Scenario } from '../../../src/hpa/index.js';
import { formatRatio } from '../../../src/hpa/explain.js';
import {
  at,
  cpuMetrics,
  externalMetric,
  externalMetricValue,
  hpa,
  pod,
  podCustomMetric,
  podsMetric,
  resourceUtilization,
  scenario,
} from '../../support/hpa-builders.js';

function cpu(o: {
  spec: number;
  levels: number[];
  target?: number;
  min?: number;
  max?: number;
  readiness?: ('True' | 'False')[];
  phases?: string[];
}): Scenario {
  const count = Math.max(o.spec, o.phases?.length ?? 0);
  return scenario({
    hpa: hpa({
      minReplicas: o.min ?? 1,
      maxReplicas: o.max ?? 10,
      metrics: [resourceUtilization('cpu', o.target ?? 50)],
    }),
    pods: Array.from({ length: count }, (_, i) =>
      pod({
        name: `test-pod-${i}`,
        cpuRequest: '500m',
        ready: o.readiness?.[i] ?? 'True',
        phase: o.phases?.[i],
      }),
    ),
    specReplicas: o.spec,
    podMetrics: o.levels.map((l, i) => cpuMetrics(`test-pod-${i}`, l / 2)),
  });
}

const cases: { name: string; s: Scenario; lines: string[] }[] = [
  {
    name: 'missing pods on a scale-down count at 100% of their request',
    s: cpu({ spec: 4, levels: [100, 100], target: 100 }),
    lines: [
      'cpu resource utilization (percentage of request): current 10% against target 100%, usage ratio 0.1',
      '2 pods missing metrics were counted at 100% of their request because the proposal was a scale-down: test-pod-2, test-pod-3',
      'cpu resource utilization (percentage of request): with those assumptions the ratio is 0.55, so it proposes 3',
      'scale from 4 to 3 replicas (All metrics below target)',
    ],
  },
  {
    name: 'missing pods of a Pods metric on a scale-down count at 100% of target',
    s: scenario({
      hpa: hpa({ minReplicas: 1, metrics: [podsMetric('qps', '10')] }),
      pods: [0, 1, 2, 3].map((i) => pod({ name: `test-pod-${i}` })),
      customMetrics: [podCustomMetric('test-pod-0', 'qps', '1')],
    }),
    lines: [
      '3 pods missing metrics were counted at 100% of target because the proposal was a scale-down: test-pod-1, test-pod-2, test-pod-3',
    ],
  },
  {
    name: 'missing pods on a scale-up count at 0%',
    s: cpu({ spec: 3, levels: [1000, 1000], target: 50 }),
    lines: [
      '1 pod missing metrics was counted at 0% because the proposal was a scale-up: test-pod-2',
    ],
  },
  {
    name: 'unready pods on a scale-up count at 0%',
    s: cpu({ spec: 3, levels: [300, 500, 700], target: 30, readiness: ['False', 'True', 'True'] }),
    lines: [
      '1 pod not counted as ready (Pending, not Ready, or sampled too soon after starting): test-pod-0',
      '1 pod not ready was counted at 0% because the proposal was a scale-up',
    ],
  },
  {
    name: 'ignored pods are named',
    s: cpu({ spec: 2, levels: [500, 500], target: 50, phases: ['Running', 'Running', 'Failed'] }),
    lines: ['1 pod ignored (deleted, Failed or Succeeded): test-pod-2'],
  },
  {
    name: 'within tolerance',
    s: cpu({ spec: 3, levels: [510, 510, 510], target: 50 }),
    lines: [
      'cpu resource utilization (percentage of request): ratio 1.02 is within the tolerance [down:10.0%, up:10.0%], so it proposes the current size 3',
      'no rescale: the target stays at 3 replicas',
    ],
  },
  {
    name: 'the recomputed ratio reverses direction',
    s: cpu({ spec: 3, levels: [400, 500, 700], target: 30, readiness: ['True', 'False', 'False'] }),
    lines: [
      'cpu resource utilization (percentage of request): with those assumptions the ratio 0.433 points the other way than 1.333, so it proposes the current size 3',
    ],
  },
  {
    name: 'stabilization holds a scale-down',
    s: {
      ...cpu({ spec: 5, levels: [100, 100, 100, 100, 100], target: 50 }),
      history: { recommendations: [{ timestamp: at(-60), replicas: 5 }] },
    },
    lines: [
      'scale-down stabilized: the highest recommendation of the last 300s is 5, so 5 instead of 1',
    ],
  },
  {
    name: 'the legacy scale-up limit',
    s: cpu({ spec: 2, levels: [1000, 1000], target: 10, max: 100 }),
    lines: [
      'scale-up limited to 4 instead of 20: without spec.behavior the controller at most doubles the replicas (or goes to 4)',
    ],
  },
  {
    name: 'a policy limit names each policy',
    s: {
      ...scenario({
        hpa: hpa({
          minReplicas: 1,
          maxReplicas: 1000,
          metrics: [externalMetric('qps', { averageValue: '1' })],
          behavior: {
            scaleUp: {
              policies: [
                { type: 'Pods', value: 2, periodSeconds: 60 },
                { type: 'Percent', value: 100, periodSeconds: 60 },
              ],
            },
          },
        }),
        specReplicas: 10,
        externalMetrics: [externalMetricValue('qps', '500')],
      }),
    },
    lines: [
      'external metric qps: proposes ceil(total 500 / 1 per pod) = 500',
      'scale-up limited to 20 instead of 500: Pods 2 pods per 60s allows 12 (from 10 at the start of the period); Percent 100% per 60s allows 20 (from 10 at the start of the period); selectPolicy Max',
    ],
  },
  {
    name: 'minReplicas',
    s: cpu({ spec: 3, levels: [0, 0, 0], min: 2 }),
    lines: ['0 is below minReplicas 2, so 2'],
  },
  {
    name: 'maxReplicas',
    s: cpu({ spec: 3, levels: [900, 900, 900], target: 50, max: 5 }),
    lines: ['6 is above maxReplicas 5, so 5'],
  },
  {
    name: 'scaling disabled',
    s: cpu({ spec: 0, levels: [] }),
    lines: [
      "scaling is disabled: the target's spec.replicas is 0 (scale it up by hand, or set minReplicas to 0 to let metrics do it)",
    ],
  },
  {
    name: 'above maxReplicas',
    s: cpu({ spec: 12, levels: [], max: 10 }),
    lines: [
      'the target has 12 replicas, above maxReplicas 10: set to 10 without reading metrics',
      'scale from 12 to 10 replicas (Current number of replicas above Spec.MaxReplicas)',
    ],
  },
  {
    name: 'a failed metric names its condition and error',
    s: cpu({ spec: 3, levels: [] }),
    lines: [
      'cpu resource utilization (percentage of request): could not be computed (FailedGetResourceMetric): failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    ],
  },
];

describe('explanation', () => {
  it.each(cases)('$name', (c) => {
    const lines = evaluate(c.s).explanation;
    for (const line of c.lines) expect(lines).toContain(line);
  });

  it('always ends with the outcome', () => {
    expect(evaluate(cpu({ spec: 3, levels: [300, 300, 300], target: 30 })).explanation.at(-1)).toBe(
      'no rescale: the target stays at 3 replicas',
    );
  });
});

describe('formatRatio', () => {
  it.each([
    { name: 'three decimals at most', ratio: 1 / 3, text: '0.333' },
    { name: 'integers stay integers', ratio: 2, text: '2' },
    { name: 'infinity', ratio: Infinity, text: 'Infinity' },
  ])('$name', (c) => expect(formatRatio(c.ratio)).toBe(c.text));
});
