import type { V2MetricSpec } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { computeReplicasForMetric, metricDescription } from '../../../src/hpa/compute-metric.js';
import {
  containerUtilization,
  externalMetric,
  objectMetric,
  podsMetric,
  resourceAverageValue,
  resourceUtilization,
} from '../../support/hpa-builders.js';
import { calcContext, calcPods } from '../../support/hpa-calc.js';

describe('metricDescription (the metricNameProposal of computeStatusFor*Metric)', () => {
  const cases: { name: string; spec: V2MetricSpec; text: string }[] = [
    {
      name: 'Resource utilization',
      spec: resourceUtilization('cpu', 50),
      text: 'cpu resource utilization (percentage of request)',
    },
    {
      name: 'Resource average value',
      spec: resourceAverageValue('memory', '1Gi'),
      text: 'memory resource',
    },
    {
      name: 'ContainerResource utilization',
      spec: containerUtilization('cpu', 'app', 50),
      text: 'cpu container resource utilization (percentage of request)',
    },
    { name: 'Pods', spec: podsMetric('qps', '1'), text: 'pods metric qps' },
    { name: 'Object', spec: objectMetric('qps', { value: '1' }), text: 'Deployment metric qps' },
    {
      name: 'External without selector',
      spec: externalMetric('qps', { value: '1' }),
      text: 'external metric qps',
    },
    {
      name: 'External with selector',
      spec: externalMetric('qps', { value: '1' }, { matchLabels: { queue: 'a' } }),
      text: 'external metric qps(queue=a)',
    },
  ];
  it.each(cases)('$name', (c) => expect(metricDescription(c.spec)).toBe(c.text));
});

describe('computeReplicasForMetric: invalid sources become conditions', () => {
  const ctx = calcContext(calcPods({ currentReplicas: 2 }), {});
  const cases: { name: string; spec: V2MetricSpec; reason: string; error: string }[] = [
    {
      name: 'Resource with neither target',
      spec: { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization' } } },
      reason: 'FailedGetResourceMetric',
      error:
        'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set',
    },
    {
      name: 'Object with neither target',
      spec: {
        type: 'Object',
        object: {
          describedObject: { kind: 'Deployment', name: 'd' },
          metric: { name: 'q' },
          target: { type: 'Value' },
        },
      },
      reason: 'FailedGetObjectMetric',
      error:
        'invalid object metric source: neither a value target nor an average value target was set',
    },
    {
      name: 'External with neither target',
      spec: { type: 'External', external: { metric: { name: 'q' }, target: { type: 'Value' } } },
      reason: 'FailedGetExternalMetric',
      error:
        'invalid external metric source: neither a value target nor an average value target was set',
    },
    {
      name: 'a source object that is not set',
      spec: { type: 'Pods' },
      reason: 'FailedGetPodsMetric',
      error: 'invalid pods metric source: the source is not set',
    },
    {
      name: 'an invalid metric selector',
      spec: {
        type: 'Pods',
        pods: {
          metric: { name: 'q', selector: { matchExpressions: [{ key: 'a', operator: 'Near' }] } },
          target: { type: 'AverageValue', averageValue: '1' },
        },
      },
      reason: 'FailedGetPodsMetric',
      error: 'is not a valid label selector operator',
    },
  ];
  it.each(cases)('$name', (c) => {
    const got = computeReplicasForMetric(ctx, c.spec, 0);
    expect(got.ok).toBe(false);
    if (got.ok) return;
    expect(got.reason).toBe(c.reason);
    expect(got.message).toContain(`the HPA was unable to compute the replica count: `);
    expect(got.message).toContain(c.error);
    expect(got.explanation).toMatchObject({ ok: false, rule: 'failed', reason: c.reason });
  });
});
