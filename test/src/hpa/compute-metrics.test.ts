import type { V2MetricSpec } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { computeReplicasForMetrics, type MetricsInput } from '../../../src/hpa/compute-metrics.js';
import {
  externalMetric,
  externalMetricValue,
  objectMetric,
  objectMetricValue,
} from '../../support/hpa-builders.js';
import { calcContext, calcPods } from '../../support/hpa-calc.js';

function input(specReplicas: number, o: { selector?: string } = {}): MetricsInput {
  const pods = calcPods({ currentReplicas: specReplicas });
  const ctx = calcContext(
    pods,
    {
      externalMetrics: [externalMetricValue('a', '4'), externalMetricValue('b', '4')],
      customMetrics: [objectMetricValue('qps', '6')],
    },
    { specReplicas },
  );
  const { metrics, ...shared } = ctx;
  return {
    ...shared,
    metricsFor: () => metrics,
    allPods: pods,
    scaleSelector: o.selector ?? 'name=test-pod',
  };
}

const ext = (name: string, value: string): V2MetricSpec => externalMetric(name, { value });

describe('computeReplicasForMetrics', () => {
  const cases = [
    {
      name: 'the largest proposal wins',
      specs: [ext('a', '2'), ext('b', '1')],
      spec: 2,
      ok: true,
      replicas: 8,
      metric: 'external metric b',
    },
    {
      name: 'on a tie the first metric names the proposal',
      specs: [ext('a', '1'), ext('b', '1')],
      spec: 2,
      ok: true,
      replicas: 8,
      metric: 'external metric a',
    },
    {
      name: 'a failed metric with others at the current size still scales',
      specs: [ext('a', '4'), ext('missing', '1')],
      spec: 2,
      ok: true,
      replicas: 2,
      metric: 'external metric a',
    },
    {
      name: 'a failed metric with others below the current size: no scale',
      specs: [ext('a', '8'), ext('missing', '1')],
      spec: 2,
      ok: false,
      replicas: -1,
      metric: '',
    },
    {
      name: 'every metric failed: no scale',
      specs: [ext('missing', '1'), ext('gone', '1')],
      spec: 2,
      ok: false,
      replicas: -1,
      metric: '',
    },
    {
      name: 'Object and External metrics from zero replicas',
      specs: [objectMetric('qps', { value: '2' })],
      spec: 0,
      ok: true,
      replicas: 3,
      metric: 'Deployment metric qps',
    },
  ];
  it.each(cases)('$name', (c) => {
    const got = computeReplicasForMetrics(input(c.spec), c.specs);
    expect([got.ok, got.replicas, got.metricName]).toEqual([c.ok, c.replicas, c.metric]);
  });

  it('reports the first failure and counts the failures', () => {
    const got = computeReplicasForMetrics(input(2), [ext('missing', '1'), ext('gone', '1')]);
    expect(got.condition.reason).toBe('FailedGetExternalMetric');
    expect(got.condition.message).toContain('missing');
    expect(got.error).toMatch(
      /^invalid metrics \(2 invalid out of 2\), first error is: unable to get external metric test-namespace\/missing\//,
    );
  });

  it('an empty scale selector is InvalidSelector', () => {
    const got = computeReplicasForMetrics(input(2, { selector: '' }), [ext('a', '1')]);
    expect([got.ok, got.condition.reason, got.error]).toEqual([
      false,
      'InvalidSelector',
      'selector is required',
    ]);
  });
});
