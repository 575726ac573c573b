/** Ported from replica_calculator_test.go: the Object and External metric cases. */
import { describe, expect, it } from 'vitest';
import {
  getExternalMetricReplicas,
  getExternalPerPodMetricReplicas,
  getObjectMetricReplicas,
  getObjectPerPodMetricReplicas,
} from '../../../src/hpa/replica-calculator-object.js';
import type { ObjectReference } from '../../../src/hpa/types.js';
import { externalMetricValue, objectMetricValue } from '../../support/hpa-builders.js';
import { calcContext, calcPods, type CalcFixture } from '../../support/hpa-calc.js';

const deployment: ObjectReference = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  name: 'some-deployment',
};
const labelSelector = { matchLabels: { label: 'value' } };

interface Case {
  name: string;
  f: CalcFixture;
  level: number;
  target: number;
  replicas: number;
  usage: number;
  rule?: string;
}

const objectValueCases: Case[] = [
  {
    name: 'scale up: ratio x ready pods',
    f: { currentReplicas: 3 },
    level: 20000,
    target: 15000,
    replicas: 4,
    usage: 20000,
    rule: 'proportional',
  },
  {
    name: 'unready pods are not counted as ready (otherwise 15)',
    f: { currentReplicas: 3, podReadiness: ['False', 'True', 'False'] },
    level: 50000,
    target: 10000,
    replicas: 5,
    usage: 50000,
  },
  {
    name: 'scale down',
    f: { currentReplicas: 5 },
    level: 12000,
    target: 20000,
    replicas: 3,
    usage: 12000,
  },
  {
    name: 'tolerance',
    f: { currentReplicas: 3 },
    level: 20666,
    target: 20000,
    replicas: 3,
    usage: 20666,
    rule: 'within-tolerance',
  },
  {
    name: 'scale from zero: ceil(ratio), no tolerance (minReplicas 0)',
    f: { currentReplicas: 0 },
    level: 20000,
    target: 15000,
    replicas: 2,
    usage: 20000,
    rule: 'scale-from-zero',
  },
  {
    name: 'stay at zero while the metric is zero',
    f: { currentReplicas: 0 },
    level: 0,
    target: 15000,
    replicas: 0,
    usage: 0,
    rule: 'scale-from-zero',
  },
];

describe('getObjectMetricReplicas (Object, Value)', () => {
  it.each(objectValueCases)('$name', (c) => {
    const ctx = calcContext(calcPods(c.f), {
      customMetrics: [objectMetricValue('qps', `${c.level}m`)],
    });
    const got = getObjectMetricReplicas(
      ctx,
      c.f.currentReplicas,
      c.target,
      'qps',
      deployment,
      undefined,
    );
    expect(got.replicaCount).toBe(c.replicas);
    expect(got.usage).toBe(c.usage);
    if (c.rule !== undefined) expect(got.detail.rule).toBe(c.rule);
  });

  it('fails without a value for the object', () => {
    const ctx = calcContext(calcPods({ currentReplicas: 3 }), {
      customMetrics: [objectMetricValue('qps', '1', 'Deployment', 'other')],
    });
    expect(() => getObjectMetricReplicas(ctx, 3, 1000, 'qps', deployment, undefined)).toThrow(
      'unable to get metric qps on Deployment test-namespace/some-deployment: unable to fetch metrics from custom metrics API: no metric qps for Deployment some-deployment',
    );
  });

  it('fails without pods outside tolerance (ready pods cannot be counted)', () => {
    const ctx = calcContext([], { customMetrics: [objectMetricValue('qps', '20')] });
    expect(() => getObjectMetricReplicas(ctx, 3, 15000, 'qps', deployment, undefined)).toThrow(
      'unable to calculate ready pods: no pods returned by selector while calculating replica count',
    );
  });
});

const perPodObjectCases: Case[] = [
  {
    name: 'scale up: ceil(total / target per pod)',
    f: { currentReplicas: 3 },
    level: 20000,
    target: 5000,
    replicas: 4,
    usage: 6667,
    rule: 'per-pod-average',
  },
  {
    name: 'scale down',
    f: { currentReplicas: 5 },
    level: 6000,
    target: 2000,
    replicas: 3,
    usage: 1200,
  },
  {
    name: 'tolerance',
    f: { currentReplicas: 4 },
    level: 20166,
    target: 5000,
    replicas: 4,
    usage: 5042,
    rule: 'within-tolerance',
  },
];

describe('getObjectPerPodMetricReplicas (Object, AverageValue)', () => {
  it.each(perPodObjectCases)('$name', (c) => {
    const ctx = calcContext(calcPods(c.f), {
      customMetrics: [objectMetricValue('qps', `${c.level}m`)],
    });
    const got = getObjectPerPodMetricReplicas(
      ctx,
      c.f.currentReplicas,
      c.target,
      'qps',
      deployment,
      undefined,
    );
    expect(got.replicaCount).toBe(c.replicas);
    expect(got.usage).toBe(c.usage);
    if (c.rule !== undefined) expect(got.detail.rule).toBe(c.rule);
  });
});

const externalValueCases: Case[] = [
  {
    name: 'scale up',
    f: { currentReplicas: 1 },
    level: 8600,
    target: 4400,
    replicas: 2,
    usage: 8600,
  },
  {
    name: 'unready pods are not counted as ready (otherwise 6)',
    f: { currentReplicas: 3, podReadiness: ['False', 'True', 'False'] },
    level: 8600,
    target: 4400,
    replicas: 2,
    usage: 8600,
  },
  {
    name: 'scale down',
    f: { currentReplicas: 5 },
    level: 8600,
    target: 14334,
    replicas: 3,
    usage: 8600,
  },
  {
    name: 'tolerance',
    f: { currentReplicas: 3 },
    level: 8600,
    target: 8888,
    replicas: 3,
    usage: 8600,
  },
];

describe('getExternalMetricReplicas (External, Value)', () => {
  it.each(externalValueCases)('$name', (c) => {
    const ctx = calcContext(calcPods(c.f), {
      externalMetrics: [externalMetricValue('qps', `${c.level}m`, { label: 'value' })],
    });
    const got = getExternalMetricReplicas(ctx, c.f.currentReplicas, c.target, 'qps', labelSelector);
    expect(got.replicaCount).toBe(c.replicas);
    expect(got.usage).toBe(c.usage);
  });

  it('sums every series that matches the selector', () => {
    const ctx = calcContext(calcPods({ currentReplicas: 2 }), {
      externalMetrics: [
        externalMetricValue('qps', '3', { label: 'value', zone: 'a' }),
        externalMetricValue('qps', '5', { label: 'value', zone: 'b' }),
        externalMetricValue('qps', '100', { label: 'other' }),
        externalMetricValue('latency', '100', { label: 'value' }),
      ],
    });
    const got = getExternalMetricReplicas(ctx, 2, 4000, 'qps', labelSelector);
    expect(got.usage).toBe(8000);
    expect(got.replicaCount).toBe(4);
  });

  it('fails when no series matches', () => {
    const ctx = calcContext(calcPods({ currentReplicas: 2 }), {
      externalMetrics: [externalMetricValue('qps', '3', { label: 'other' })],
    });
    expect(() => getExternalMetricReplicas(ctx, 2, 4000, 'qps', labelSelector)).toThrow(
      'unable to get external metric test-namespace/qps/label=value: no metrics returned from external metrics API',
    );
  });
});

const perPodExternalCases: Case[] = [
  {
    name: 'scale up',
    f: { currentReplicas: 3 },
    level: 8600,
    target: 2150,
    replicas: 4,
    usage: 2867,
  },
  {
    name: 'scale down',
    f: { currentReplicas: 5 },
    level: 8600,
    target: 2867,
    replicas: 3,
    usage: 1720,
  },
  {
    name: 'tolerance',
    f: { currentReplicas: 3 },
    level: 8600,
    target: 2900,
    replicas: 3,
    usage: 2867,
  },
];

describe('getExternalPerPodMetricReplicas (External, AverageValue)', () => {
  it.each(perPodExternalCases)('$name', (c) => {
    const ctx = calcContext(calcPods(c.f), {
      externalMetrics: [externalMetricValue('qps', `${c.level}m`, { label: 'value' })],
    });
    const got = getExternalPerPodMetricReplicas(
      ctx,
      c.f.currentReplicas,
      c.target,
      'qps',
      labelSelector,
    );
    expect(got.replicaCount).toBe(c.replicas);
    expect(got.usage).toBe(c.usage);
  });

  it('does not need pods', () => {
    const ctx = calcContext([], { externalMetrics: [externalMetricValue('qps', '500')] });
    expect(getExternalPerPodMetricReplicas(ctx, 10, 1000, 'qps', undefined).replicaCount).toBe(500);
  });
});
