import { describe, expect, it } from 'vitest';
import { evaluate, formatDecisionText } from '../../../src/hpa/index.js';
import { cpuMetrics, hpa, pod, resourceUtilization, scenario } from '../../support/hpa-builders.js';

describe('formatDecisionText', () => {
  it('shows the outcome, aligned conditions, metrics and the reasons', () => {
    const d = evaluate(
      scenario({
        hpa: hpa({ minReplicas: 1, maxReplicas: 10, metrics: [resourceUtilization('cpu', 30)] }),
        pods: [0, 1, 2].map((i) => pod({ name: `test-pod-${i}`, cpuRequest: '500m' })),
        podMetrics: [300, 500, 700].map((l, i) => cpuMetrics(`test-pod-${i}`, l / 2)),
      }),
    );
    expect(formatDecisionText(d)).toBe(
      [
        'desired replicas: 5 (current 3, rescale from 3)',
        'conditions:',
        '  AbleToScale     True   SucceededRescale    the HPA controller was able to update the target scale to 5',
        '  ScalingActive   True   ValidMetricFound    the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
        '  ScalingLimited  False  DesiredWithinRange  the desired count is within the acceptable range',
        'metrics:',
        '  cpu resource utilization (percentage of request): 50% / target 30% -> 5 replicas',
        'why:',
        '  - cpu resource utilization (percentage of request): current 50% against target 30%, usage ratio 1.667',
        '  - cpu resource utilization (percentage of request): proposes ceil(1.667 x 3 pods ready) = 5',
        '  - scale from 3 to 5 replicas (cpu resource utilization (percentage of request) above target)',
        '',
      ].join('\n'),
    );
  });

  it('shows a failed metric by its reason', () => {
    const d = evaluate(
      scenario({
        hpa: hpa({ metrics: [resourceUtilization('cpu', 30)] }),
        pods: [pod({ name: 'test-pod-0', cpuRequest: '1' })],
      }),
    );
    expect(formatDecisionText(d)).toContain(
      '  cpu resource utilization (percentage of request): failed (FailedGetResourceMetric)\n',
    );
    expect(formatDecisionText(d)).toContain('desired replicas: 1 (current 1, no rescale)');
  });
});
