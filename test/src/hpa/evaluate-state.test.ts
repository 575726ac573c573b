/**
 * What a sync writes back: status.currentMetrics, conditions with their transition times, and the
 * controller memory that the next sync reads (recommendations and scale events).
 */
import type { V2MetricSpec, V2MetricStatus } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { evaluate, type Scenario } from '../../../src/hpa/index.js';
import {
  NOW,
  at,
  containerUtilization,
  cpuMetrics,
  externalMetric,
  externalMetricValue,
  hpa,
  objectMetric,
  objectMetricValue,
  pod,
  podCustomMetric,
  podMetrics,
  podsMetric,
  resourceAverageValue,
  resourceUtilization,
  scenario,
  type ScenarioOptions,
} from '../../support/hpa-builders.js';

const pods3 = [0, 1, 2].map((i) => pod({ name: `test-pod-${i}`, cpuRequest: '500m' }));

function withMetric(metric: V2MetricSpec, extra: ScenarioOptions = {}): Scenario {
  return scenario({
    hpa: hpa({ minReplicas: 1, maxReplicas: 10, metrics: [metric] }),
    pods: pods3,
    podMetrics: [300, 500, 700].map((l, i) => cpuMetrics(`test-pod-${i}`, l / 2)),
    customMetrics: [
      podCustomMetric('test-pod-0', 'qps', '2'),
      podCustomMetric('test-pod-1', 'qps', '4'),
      objectMetricValue('qps', '20'),
    ],
    externalMetrics: [externalMetricValue('qps', '8600m')],
    ...extra,
  });
}

describe('currentMetrics (as computeStatusFor*Metric writes status)', () => {
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'some-deployment' };
  const cases: { name: string; metric: V2MetricSpec; status: V2MetricStatus }[] = [
    {
      name: 'Resource Utilization',
      metric: resourceUtilization('cpu', 30),
      status: {
        type: 'Resource',
        resource: { name: 'cpu', current: { averageUtilization: 50, averageValue: '500m' } },
      },
    },
    {
      name: 'Resource AverageValue',
      metric: resourceAverageValue('cpu', '400m'),
      status: { type: 'Resource', resource: { name: 'cpu', current: { averageValue: '500m' } } },
    },
    {
      name: 'ContainerResource Utilization',
      metric: containerUtilization('cpu', 'container1', 30),
      status: {
        type: 'ContainerResource',
        containerResource: {
          name: 'cpu',
          container: 'container1',
          current: { averageUtilization: 50, averageValue: '250m' },
        },
      },
    },
    {
      name: 'Pods AverageValue (missing pods are not in the average)',
      metric: podsMetric('qps', '2'),
      status: { type: 'Pods', pods: { metric: { name: 'qps' }, current: { averageValue: '3' } } },
    },
    {
      name: 'Object Value',
      metric: objectMetric('qps', { value: '15' }),
      status: {
        type: 'Object',
        object: { describedObject: deployment, metric: { name: 'qps' }, current: { value: '20' } },
      },
    },
    {
      name: 'Object AverageValue',
      metric: objectMetric('qps', { averageValue: '5' }),
      status: {
        type: 'Object',
        object: {
          describedObject: deployment,
          metric: { name: 'qps' },
          current: { averageValue: '6667m' },
        },
      },
    },
    {
      name: 'External Value',
      metric: externalMetric('qps', { value: '4' }),
      status: {
        type: 'External',
        external: { metric: { name: 'qps' }, current: { value: '8600m' } },
      },
    },
    {
      name: 'External AverageValue',
      metric: externalMetric('qps', { averageValue: '2' }),
      status: {
        type: 'External',
        external: { metric: { name: 'qps' }, current: { averageValue: '2867m' } },
      },
    },
  ];
  it.each(cases)('$name', (c) => {
    expect(evaluate(withMetric(c.metric)).currentMetrics).toEqual([c.status]);
  });

  it('pod-level requests are the utilization denominator', () => {
    const s = withMetric(resourceUtilization('cpu', 30), {
      pods: [0, 1, 2].map((i) =>
        pod({
          name: `test-pod-${i}`,
          podRequests: { cpu: '2' },
          containers: [{ name: 'container1' }, { name: 'container2' }],
        }),
      ),
    });
    expect(evaluate(s).metrics[0]?.current).toBe('25%');
  });

  it('memory utilization reads the memory usage', () => {
    const s = withMetric(resourceUtilization('memory', 50), {
      pods: [
        pod({
          name: 'test-pod-0',
          containers: [{ name: 'c', resources: { requests: { memory: '1Gi' } } }],
        }),
      ],
      podMetrics: [podMetrics('test-pod-0', { c: { cpu: '1', memory: '768Mi' } })],
    });
    expect(evaluate(s).metrics[0]).toMatchObject({ current: '75%', proposal: 2 });
  });
});

describe('conditions', () => {
  it('keep the previous lastTransitionTime while the status holds, and move it when it changes', () => {
    const s = withMetric(resourceUtilization('cpu', 30), {
      hpa: hpa({
        minReplicas: 1,
        maxReplicas: 10,
        metrics: [resourceUtilization('cpu', 30)],
        status: {
          desiredReplicas: 3,
          conditions: [
            {
              type: 'AbleToScale',
              status: 'True',
              reason: 'ReadyForNewScale',
              lastTransitionTime: new Date(at(-3600)),
            },
            {
              type: 'ScalingActive',
              status: 'False',
              reason: 'FailedGetResourceMetric',
              lastTransitionTime: new Date(at(-60)),
            },
          ],
        },
      }),
    });
    const d = evaluate(s);
    expect(d.conditions.map((c) => [c.type, c.lastTransitionTime])).toEqual([
      ['AbleToScale', at(-3600)],
      ['ScalingActive', NOW],
      ['ScalingLimited', NOW],
    ]);
  });

  it('messages follow the controller', () => {
    const d = evaluate(withMetric(resourceUtilization('cpu', 30)));
    expect(d.conditions.map((c) => c.message)).toEqual([
      'the HPA controller was able to update the target scale to 5',
      'the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request)',
      'the desired count is within the acceptable range',
    ]);
  });
});

describe('controller memory', () => {
  it('a sync records its unstabilized recommendation', () => {
    const d = evaluate(withMetric(resourceUtilization('cpu', 30)));
    expect(d.history).toEqual({
      recommendations: [{ timestamp: NOW, replicas: 5 }],
      scaleUpEvents: [],
      scaleDownEvents: [],
    });
  });

  it('the first sync also records the current size (recordInitialRecommendation)', () => {
    const d = evaluate(withMetric(resourceUtilization('cpu', 30), { firstSync: true }));
    expect(d.history.recommendations).toEqual([
      { timestamp: NOW, replicas: 3 },
      { timestamp: NOW, replicas: 5 },
    ]);
  });

  it('without behavior no scale events are stored', () => {
    expect(evaluate(withMetric(resourceUtilization('cpu', 30))).history.scaleUpEvents).toEqual([]);
  });

  it('with behavior a rescale is stored as a scale event and old ones age out', () => {
    const s = withMetric(resourceUtilization('cpu', 30), {
      hpa: hpa({
        minReplicas: 1,
        maxReplicas: 10,
        metrics: [resourceUtilization('cpu', 30)],
        behavior: { scaleUp: { policies: [{ type: 'Pods', value: 10, periodSeconds: 60 }] } },
      }),
      history: {
        scaleUpEvents: [
          { timestamp: at(-30), replicaChange: 1 },
          { timestamp: at(-90), replicaChange: 4 },
        ],
      },
    });
    expect(evaluate(s).history.scaleUpEvents).toEqual([
      { timestamp: at(-30), replicaChange: 1 },
      { timestamp: NOW, replicaChange: 2 },
    ]);
  });

  it('feeding the history back limits the next sync (default behavior: +100% per 15s)', () => {
    const base = withMetric(resourceUtilization('cpu', 10), {
      hpa: hpa({
        minReplicas: 1,
        maxReplicas: 100,
        metrics: [resourceUtilization('cpu', 10)],
        behavior: {},
      }),
      pods: [pod({ name: 'test-pod-0', cpuRequest: '500m' })],
      podMetrics: [cpuMetrics('test-pod-0', 500)],
      specReplicas: 1,
    });
    const first = evaluate(base);
    expect(first.desiredReplicas).toBe(5); // +4 pods beats +100%
    const second = evaluate({
      ...base,
      now: at(10),
      scale: { specReplicas: 5, statusReplicas: 5, selector: 'name=test-pod' },
      history: first.history,
    });
    expect(second.desiredReplicas).toBe(5); // the 4 added 10s ago still count: limit max(1+4, 2) = 5
    expect(second.conditions.find((c) => c.type === 'ScalingLimited')?.reason).toBe('ScaleUpLimit');
    const third = evaluate({
      ...base,
      now: at(20),
      scale: { specReplicas: 5, statusReplicas: 5, selector: 'name=test-pod' },
      history: second.history,
    });
    expect(third.desiredReplicas).toBe(10);
  });

  it('the behavior path scales down only after the stabilization window', () => {
    const s = withMetric(resourceUtilization('cpu', 90), {
      hpa: hpa({
        minReplicas: 1,
        maxReplicas: 10,
        metrics: [resourceUtilization('cpu', 90)],
        behavior: { scaleDown: { stabilizationWindowSeconds: 120 } },
      }),
      history: { recommendations: [{ timestamp: at(-100), replicas: 3 }] },
    });
    const held = evaluate(s);
    expect(held.desiredReplicas).toBe(3);
    expect(held.conditions[0]?.reason).toBe('ScaleDownStabilized');
    expect(
      evaluate({ ...s, history: { recommendations: [{ timestamp: at(-130), replicas: 3 }] } })
        .desiredReplicas,
    ).toBe(2);
  });

  it('a scale-down with behavior is stored as a scale-down event', () => {
    const s = withMetric(resourceUtilization('cpu', 90), {
      hpa: hpa({
        minReplicas: 1,
        maxReplicas: 10,
        metrics: [resourceUtilization('cpu', 90)],
        behavior: { scaleDown: { stabilizationWindowSeconds: 0 } },
      }),
    });
    expect(evaluate(s).history.scaleDownEvents).toEqual([{ timestamp: NOW, replicaChange: 1 }]);
  });
});
