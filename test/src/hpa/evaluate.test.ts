/**
 * Whole syncs through evaluate(), ported from horizontal_test.go: pods `test-pod-N` with two
 * containers; `levels` are each pod's total CPU in millicores, `requests` each container's request.
 */
import type { V2HorizontalPodAutoscalerBehavior, V2MetricSpec } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { evaluate, type HpaHistory, type Scenario } from '../../../src/hpa/index.js';
import {
  cpuMetrics,
  externalMetric,
  externalMetricValue,
  hpa,
  objectMetric,
  objectMetricValue,
  pod,
  podCustomMetric,
  podsMetric,
  resourceUtilization,
  scenario,
} from '../../support/hpa-builders.js';

interface CpuFixture {
  spec: number;
  status?: number;
  min?: number;
  max?: number;
  target?: number;
  metrics?: V2MetricSpec[];
  levels?: number[];
  requests?: string[];
  readiness?: ('True' | 'False')[];
  hot?: boolean[];
  phases?: string[];
  deleted?: boolean[];
  behavior?: V2HorizontalPodAutoscalerBehavior;
  history?: Partial<HpaHistory>;
  firstSync?: boolean;
  customLevels?: number[];
  objectLevel?: number;
  externalLevels?: number[];
}

/** horizontal_test.go's testCase, as a scenario. */
function sync(f: CpuFixture): Scenario {
  const count = Math.max(f.status ?? f.spec, f.phases?.length ?? 0);
  const pods = Array.from({ length: count }, (_, i) =>
    pod({
      name: `test-pod-${i}`,
      cpuRequest: f.requests?.[i] ?? '500m',
      ready: f.readiness?.[i] ?? 'True',
      startedSecondsAgo: f.hot?.[i] === true ? 0 : 3600,
      phase: f.phases?.[i] ?? 'Running',
      deleted: f.deleted?.[i] ?? false,
    }),
  );
  return scenario({
    hpa: hpa({
      minReplicas: f.min ?? 2,
      maxReplicas: f.max ?? 6,
      metrics: f.metrics ?? [resourceUtilization('cpu', f.target ?? 30)],
      behavior: f.behavior,
    }),
    pods,
    specReplicas: f.spec,
    statusReplicas: f.status ?? f.spec,
    podMetrics: (f.levels ?? []).map((level, i) => cpuMetrics(`test-pod-${i}`, level / 2)),
    customMetrics: [
      ...(f.customLevels ?? []).map((v, i) => podCustomMetric(`test-pod-${i}`, 'qps', `${v}m`)),
      ...(f.objectLevel === undefined ? [] : [objectMetricValue('qps', `${f.objectLevel}m`)]),
    ],
    externalMetrics: (f.externalLevels ?? []).map((v) => externalMetricValue('qps', `${v}m`)),
    history: f.history,
    firstSync: f.firstSync,
  });
}

interface Case {
  name: string;
  f: CpuFixture;
  desired: number;
  conditions?: Record<string, string>;
}

const qpsPods = [podsMetric('qps', '15')];
const qpsObject = [objectMetric('qps', { value: '15' })];

const cases: Case[] = [
  {
    name: 'TestScaleUp',
    f: { spec: 3, levels: [300, 500, 700] },
    desired: 5,
    conditions: {
      AbleToScale: 'SucceededRescale',
      ScalingActive: 'ValidMetricFound',
      ScalingLimited: 'DesiredWithinRange',
    },
  },
  {
    name: 'TestScaleUpUnreadyLessScale: unready pods at 0%',
    f: { spec: 3, levels: [300, 500, 700], readiness: ['False', 'True', 'True'] },
    desired: 4,
  },
  {
    name: 'TestScaleUpHotCpuLessScale: CPU initialization period',
    f: { spec: 3, levels: [300, 500, 700], hot: [true, false, false] },
    desired: 4,
  },
  {
    name: 'TestScaleUpUnreadyNoScale: the recomputed ratio reverses direction',
    f: { spec: 3, levels: [400, 500, 700], readiness: ['True', 'False', 'False'] },
    desired: 3,
    conditions: {
      AbleToScale: 'ReadyForNewScale',
      ScalingActive: 'ValidMetricFound',
      ScalingLimited: 'DesiredWithinRange',
    },
  },
  {
    name: 'TestScaleUpIgnoresFailedPods',
    f: {
      spec: 2,
      levels: [500, 700],
      readiness: ['True', 'True', 'False', 'False'],
      phases: ['Running', 'Running', 'Failed', 'Failed'],
    },
    desired: 4,
  },
  {
    name: 'TestScaleUpIgnoresDeletionPods',
    f: {
      spec: 2,
      levels: [500, 700],
      deleted: [false, false, true, true],
      phases: Array(4).fill('Running'),
    },
    desired: 4,
  },
  {
    name: 'TestScaleUpCM (Pods metric)',
    f: { spec: 3, metrics: qpsPods, customLevels: [20000, 10000, 30000] },
    desired: 4,
  },
  {
    name: 'TestScaleUpCMUnreadyAndHotCpuNoLessScale: readiness does not matter for custom metrics',
    f: {
      spec: 3,
      metrics: qpsPods,
      customLevels: [50000, 10000, 30000],
      readiness: ['True', 'True', 'False'],
      hot: [false, true, true],
    },
    desired: 6,
  },
  {
    name: 'TestScaleUpCMObject (Object, Value)',
    f: { spec: 3, metrics: qpsObject, objectLevel: 20000 },
    desired: 4,
  },
  {
    name: 'TestScaleUpPerPodCMObject (Object, AverageValue)',
    f: { spec: 3, metrics: [objectMetric('qps', { averageValue: '2' })], objectLevel: 20000 },
    desired: 6,
  },
  {
    name: 'TestScaleUpCMExternal (External, Value)',
    f: { spec: 3, metrics: [externalMetric('qps', { value: '6666m' })], externalLevels: [8600] },
    desired: 4,
  },
  {
    name: 'TestScaleUpPerPodCMExternal (External, AverageValue)',
    f: {
      spec: 3,
      metrics: [externalMetric('qps', { averageValue: '2222m' })],
      externalLevels: [8600],
    },
    desired: 4,
  },
  {
    name: 'TestScaleUpFromZeroCMObject: minReplicas 0 with an Object metric scales from zero',
    f: { spec: 0, min: 0, metrics: qpsObject, objectLevel: 20000 },
    desired: 2,
    conditions: { AbleToScale: 'SucceededRescale', ScalingActive: 'ValidMetricFound' },
  },
  {
    name: 'TestScaleUpFromZeroIgnoresToleranceCMObject',
    f: { spec: 0, min: 0, metrics: [objectMetric('qps', { value: '1' })], objectLevel: 1005 },
    desired: 2,
  },
  {
    name: 'scale up from zero with an External metric (minReplicas 0)',
    f: {
      spec: 0,
      min: 0,
      metrics: [externalMetric('qps', { value: '1' })],
      externalLevels: [2500],
    },
    desired: 3,
  },
  {
    name: 'TestScaleDown',
    f: { spec: 5, levels: [100, 300, 500, 250, 250], target: 50 },
    desired: 3,
  },
  {
    name: 'TestScaleDownCM',
    f: {
      spec: 5,
      metrics: [podsMetric('qps', '20')],
      customLevels: [12000, 12000, 12000, 12000, 12000],
    },
    desired: 3,
  },
  {
    name: 'TestScaleDownCMObject',
    f: { spec: 5, metrics: [objectMetric('qps', { value: '20' })], objectLevel: 12000 },
    desired: 3,
  },
  {
    name: 'TestScaleDownPerPodCMObject',
    f: { spec: 5, metrics: [objectMetric('qps', { averageValue: '2' })], objectLevel: 6000 },
    desired: 3,
  },
  {
    name: 'TestScaleDownCMExternal',
    f: { spec: 5, metrics: [externalMetric('qps', { value: '14334m' })], externalLevels: [8600] },
    desired: 3,
  },
  {
    name: 'TestScaleDownIncludeUnreadyPods',
    f: {
      spec: 5,
      levels: [100, 300, 500, 250, 250],
      target: 50,
      readiness: ['True', 'True', 'True', 'False', 'False'],
    },
    desired: 2,
  },
  {
    name: 'TestScaleDownIgnoreHotCpuPods',
    f: {
      spec: 5,
      levels: [100, 300, 500, 250, 250],
      target: 50,
      hot: [false, false, false, true, true],
    },
    desired: 2,
  },
  {
    name: 'TestScaleDownIgnoresFailedPods',
    f: {
      spec: 5,
      levels: [100, 300, 500, 250, 250],
      target: 50,
      phases: ['Running', 'Running', 'Running', 'Running', 'Running', 'Failed', 'Failed'],
    },
    desired: 3,
  },
  {
    name: 'scale down ignores Succeeded pods',
    f: {
      spec: 5,
      levels: [100, 300, 500, 250, 250],
      target: 50,
      phases: ['Running', 'Running', 'Running', 'Running', 'Running', 'Succeeded', 'Succeeded'],
    },
    desired: 3,
  },
  {
    name: 'TestScaleDownStabilizeInitialSize: the first sync records the current size, which holds a scale-down',
    f: { spec: 5, levels: [100, 300, 500, 250, 250], target: 50, firstSync: true },
    desired: 5,
    conditions: {
      AbleToScale: 'ScaleDownStabilized',
      ScalingActive: 'ValidMetricFound',
      ScalingLimited: 'DesiredWithinRange',
    },
  },
  {
    name: 'TestStabilizeDownscale: a recommendation in the window holds',
    f: {
      spec: 4,
      min: 1,
      max: 5,
      target: 100,
      levels: [50, 50, 50],
      requests: ['50m', '50m', '50m', '50m'],
      history: {
        recommendations: [
          { timestamp: '2026-01-01T11:50:00Z', replicas: 10 },
          { timestamp: '2026-01-01T11:59:00Z', replicas: 4 },
        ],
      },
    },
    desired: 4,
    conditions: { AbleToScale: 'ScaleDownStabilized' },
  },
  {
    name: 'TestTolerance',
    f: {
      spec: 3,
      min: 1,
      max: 5,
      target: 100,
      levels: [1010, 1030, 1020],
      requests: ['450m', '500m', '550m'],
    },
    desired: 3,
    conditions: { AbleToScale: 'ReadyForNewScale' },
  },
  {
    name: 'TestToleranceCM',
    f: { spec: 3, metrics: [podsMetric('qps', '20')], customLevels: [20000, 21000, 21000] },
    desired: 3,
  },
  {
    name: 'TestToleranceCMObject',
    f: { spec: 3, metrics: [objectMetric('qps', { value: '20' })], objectLevel: 20666 },
    desired: 3,
  },
  {
    name: 'TestToleranceCMExternal',
    f: { spec: 4, metrics: [externalMetric('qps', { value: '8888m' })], externalLevels: [8600] },
    desired: 4,
  },
  {
    name: 'TestTolerancePerPodCMObject',
    f: { spec: 4, metrics: [objectMetric('qps', { averageValue: '5' })], objectLevel: 20166 },
    desired: 4,
  },
  {
    name: 'TestTolerancePerPodCMExternal',
    f: {
      spec: 4,
      metrics: [externalMetric('qps', { averageValue: '2200m' })],
      externalLevels: [8600],
    },
    desired: 4,
  },
  {
    name: 'TestMinReplicas: clamped up to minReplicas',
    f: {
      spec: 3,
      min: 2,
      max: 5,
      target: 90,
      levels: [10, 95, 10],
      requests: ['450m', '500m', '550m'],
    },
    desired: 2,
    conditions: { ScalingLimited: 'TooFewReplicas' },
  },
  {
    name: 'TestMinReplicasDesiredZero',
    f: { spec: 3, min: 2, max: 5, target: 90, levels: [0, 0, 0] },
    desired: 2,
    conditions: { ScalingLimited: 'TooFewReplicas' },
  },
  {
    name: 'TestZeroMinReplicasDesiredZero',
    f: { spec: 3, min: 0, max: 5, target: 90, levels: [0, 0, 0] },
    desired: 0,
    conditions: { ScalingLimited: 'DesiredWithinRange' },
  },
  {
    name: 'TestMaxReplicas: clamped down to maxReplicas',
    f: { spec: 3, min: 2, max: 5, target: 90, levels: [8000, 9500, 1000] },
    desired: 5,
    conditions: { ScalingLimited: 'TooManyReplicas' },
  },
  {
    name: 'TestSuperfluousMetrics',
    f: { spec: 4, min: 2, max: 6, target: 100, levels: [4000, 9500, 3000, 7000, 3200, 2000] },
    desired: 6,
    conditions: { ScalingLimited: 'TooManyReplicas' },
  },
  {
    name: 'TestMissingMetrics',
    f: { spec: 4, min: 2, max: 6, target: 100, levels: [400, 95] },
    desired: 3,
  },
  {
    name: 'TestZeroReplicas: spec.replicas 0 disables scaling',
    f: { spec: 0, min: 3, max: 5, levels: [] },
    desired: 0,
    conditions: { AbleToScale: 'SucceededGetScale', ScalingActive: 'ScalingDisabled' },
  },
  {
    name: 'TestTooFewReplicas: below minReplicas scales up without metrics',
    f: { spec: 3, min: 4, max: 5, levels: [] },
    desired: 4,
    conditions: { AbleToScale: 'SucceededRescale' },
  },
  {
    name: 'TestTooManyReplicas: above maxReplicas scales down without metrics',
    f: { spec: 10, min: 3, max: 5, levels: [] },
    desired: 5,
    conditions: { AbleToScale: 'SucceededRescale' },
  },
  {
    name: 'TestUpscaleCap: without behavior at most double',
    f: {
      spec: 3,
      min: 1,
      max: 100,
      target: 10,
      levels: [100, 200, 300],
      requests: ['50m', '50m', '50m'],
    },
    desired: 6,
    conditions: { ScalingLimited: 'ScaleUpLimit' },
  },
  {
    name: 'TestUpscaleCapGreaterThanMaxReplicas',
    f: {
      spec: 3,
      min: 1,
      max: 20,
      target: 10,
      levels: [100, 200, 300],
      requests: ['50m', '50m', '50m'],
    },
    desired: 6,
    conditions: { ScalingLimited: 'ScaleUpLimit' },
  },
  {
    name: 'maxReplicas below the upscale cap: TooManyReplicas',
    f: {
      spec: 3,
      min: 1,
      max: 5,
      target: 10,
      levels: [100, 200, 300],
      requests: ['50m', '50m', '50m'],
    },
    desired: 5,
    conditions: { ScalingLimited: 'TooManyReplicas' },
  },
  {
    name: 'TestEmptyMetrics: every metric failed, no rescale',
    f: { spec: 4, min: 2, max: 6, target: 100, levels: [] },
    desired: 4,
    conditions: { AbleToScale: 'SucceededGetScale', ScalingActive: 'FailedGetResourceMetric' },
  },
  {
    name: 'TestEmptyCPURequest: a missing request fails the metric',
    f: { spec: 1, min: 1, max: 5, target: 100, levels: [200], requests: [] },
    desired: 1,
    conditions: { ScalingActive: 'FailedGetResourceMetric' },
  },
];

describe('evaluate: horizontal_test.go syncs', () => {
  it.each(cases)('$name', (c) => {
    const s = sync(c.f);
    if (c.name.startsWith('TestEmptyCPURequest'))
      s.pods = s.pods.map((p) => ({ ...p, spec: { containers: [{ name: 'container1' }] } }));
    const d = evaluate(s);
    expect(d.desiredReplicas).toBe(c.desired);
    for (const [type, reason] of Object.entries(c.conditions ?? {})) {
      expect(d.conditions.find((x) => x.type === type)?.reason, type).toBe(reason);
    }
  });
});

describe('evaluate: multiple metrics (computeReplicasForMetrics)', () => {
  const cpuAndQps: V2MetricSpec[] = [
    resourceUtilization('cpu', 50),
    externalMetric('qps', { value: '1' }),
  ];

  it('the largest proposal wins', () => {
    const d = evaluate(
      sync({
        spec: 3,
        max: 20,
        metrics: cpuAndQps,
        levels: [500, 500, 500],
        externalLevels: [5000],
      }),
    );
    expect(d.metrics.map((m) => m.proposal)).toEqual([3, 15]);
    expect(d.desiredReplicas).toBe(6); // capped at double without behavior
    expect(d.conditions.find((c) => c.type === 'ScalingActive')?.message).toBe(
      'the HPA was able to successfully calculate a replica count from external metric qps',
    );
  });

  it('TestScaleUpOneMetricEmpty: one metric failed, the others scale up', () => {
    const d = evaluate(
      sync({
        spec: 3,
        metrics: [resourceUtilization('cpu', 30), externalMetric('qps', { value: '100m' })],
        levels: [300, 400, 500],
      }),
    );
    expect(d.desiredReplicas).toBe(4);
    expect(d.conditions.map((c) => c.reason)).toEqual([
      'SucceededRescale',
      'ValidMetricFound',
      'DesiredWithinRange',
    ]);
    expect(d.currentMetrics.map((m) => m.type)).toEqual(['Resource']);
    expect(d.explanation.join('\n')).toContain(
      'a metric failed, but the others propose at least the current size',
    );
  });

  it('TestNoScaleDownOneMetricEmpty: one metric failed and the others scale down, so no rescale', () => {
    const d = evaluate(
      sync({
        spec: 5,
        metrics: [resourceUtilization('cpu', 50), externalMetric('qps', { value: '1' })],
        levels: [100, 300, 500, 250, 250],
      }),
    );
    expect(d.desiredReplicas).toBe(5);
    expect(d.rescale).toBe(false);
    expect(d.conditions.map((c) => [c.type, c.reason])).toEqual([
      ['AbleToScale', 'SucceededGetScale'],
      ['ScalingActive', 'FailedGetExternalMetric'],
    ]);
  });

  it('TestNoScaleDownOneMetricInvalid: an unknown metric type is InvalidMetricSourceType', () => {
    const d = evaluate(
      sync({
        spec: 5,
        metrics: [resourceUtilization('cpu', 50), { type: 'CheddarCheese' }],
        levels: [100, 300, 500, 250, 250],
      }),
    );
    expect(d.desiredReplicas).toBe(5);
    expect(d.conditions.find((c) => c.type === 'ScalingActive')).toMatchObject({
      status: 'False',
      reason: 'InvalidMetricSourceType',
      message:
        'the HPA was unable to compute the replica count: unknown metric source type "CheddarCheese"',
    });
  });

  it('TestScaleUpBothMetricsEmpty: all failing, the first failure is the condition', () => {
    const d = evaluate(
      sync({
        spec: 3,
        metrics: [resourceUtilization('cpu', 30), externalMetric('qps', { value: '1' })],
      }),
    );
    expect(d.desiredReplicas).toBe(3);
    expect(d.conditions.find((c) => c.type === 'ScalingActive')).toMatchObject({
      status: 'False',
      reason: 'FailedGetResourceMetric',
      message:
        'the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
    });
    expect(d.explanation.join('\n')).toContain(
      'no metric could be computed, so the controller does not scale',
    );
  });
});

describe('evaluate: failure conditions per metric type (TestConditionFailedGetMetrics)', () => {
  const failing: { name: string; metric: V2MetricSpec; reason: string }[] = [
    { name: 'Resource', metric: resourceUtilization('cpu', 10), reason: 'FailedGetResourceMetric' },
    {
      name: 'ContainerResource',
      metric: {
        type: 'ContainerResource',
        containerResource: {
          name: 'cpu',
          container: 'container1',
          target: { type: 'Utilization', averageUtilization: 10 },
        },
      },
      reason: 'FailedGetContainerResourceMetric',
    },
    { name: 'Pods', metric: podsMetric('qps', '10'), reason: 'FailedGetPodsMetric' },
    {
      name: 'Object',
      metric: objectMetric('qps', { value: '10' }),
      reason: 'FailedGetObjectMetric',
    },
    {
      name: 'External',
      metric: externalMetric('qps', { value: '10' }),
      reason: 'FailedGetExternalMetric',
    },
  ];
  it.each(failing)('$name', (c) => {
    const d = evaluate(sync({ spec: 3, metrics: [c.metric] }));
    expect(d.desiredReplicas).toBe(3);
    expect(d.conditions.map((x) => [x.type, x.status, x.reason])).toEqual([
      ['AbleToScale', 'True', 'SucceededGetScale'],
      ['ScalingActive', 'False', c.reason],
    ]);
  });
});

describe('evaluate: selector conditions', () => {
  it('TestConditionInvalidSelectorMissing', () => {
    const d = evaluate({
      ...sync({ spec: 3, levels: [300, 500, 700] }),
      scale: { specReplicas: 3, statusReplicas: 3, selector: '' },
    });
    expect(d.desiredReplicas).toBe(3);
    expect(d.conditions.find((c) => c.type === 'ScalingActive')).toMatchObject({
      reason: 'InvalidSelector',
      message: "the HPA target's scale is missing a selector",
    });
  });

  it('TestConditionInvalidSelectorUnparsable', () => {
    const d = evaluate({
      ...sync({ spec: 3, levels: [300, 500, 700] }),
      scale: { specReplicas: 3, statusReplicas: 3, selector: 'cheddar cheese' },
    });
    const active = d.conditions.find((c) => c.type === 'ScalingActive');
    expect(active?.reason).toBe('InvalidSelector');
    expect(active?.message).toMatch(
      /^couldn't convert selector into a corresponding internal selector object: /,
    );
  });

  it("pods outside the HPA's namespace or selector are not read", () => {
    const s = sync({ spec: 3, levels: [300, 500, 700] });
    s.pods.push(
      pod({ name: 'stranger', labels: { name: 'other' }, cpuRequest: '1m' }),
      pod({ name: 'test-pod-9', namespace: 'elsewhere', cpuRequest: '1m' }),
    );
    expect(evaluate(s).desiredReplicas).toBe(5);
  });
});

describe('evaluate: defaults and options', () => {
  it('without metrics the HPA targets 80% CPU utilization', () => {
    const s = sync({ spec: 2, min: 1, max: 10, levels: [1800, 1800] });
    s.hpa.spec!.metrics = undefined;
    const d = evaluate(s);
    expect(d.metrics[0]).toMatchObject({
      name: 'cpu resource utilization (percentage of request)',
      target: '80%',
      current: '180%',
    });
    expect(d.desiredReplicas).toBe(4);
  });

  it('without minReplicas the minimum is 1', () => {
    const s = sync({ spec: 3, max: 10, levels: [0, 0, 0] });
    s.hpa.spec!.minReplicas = undefined;
    expect(evaluate(s).desiredReplicas).toBe(1);
  });

  it('the global tolerance option widens the dead band', () => {
    const s = sync({ spec: 3, levels: [400, 400, 400] }); // 40% of a 30% target: ratio 1.33
    expect(evaluate(s).desiredReplicas).toBe(4);
    expect(evaluate({ ...s, options: { tolerance: 0.5 } }).desiredReplicas).toBe(3);
  });

  it('per-direction tolerance from behavior.scaleUp.tolerance (KEP-4951)', () => {
    const s = sync({
      spec: 3,
      levels: [320, 320, 320],
      behavior: { scaleUp: { tolerance: '0.05' } },
    }); // ratio 32/30 = 1.067
    expect(evaluate(s).desiredReplicas).toBe(4);
    expect(evaluate(sync({ spec: 3, levels: [320, 320, 320] })).desiredReplicas).toBe(3);
  });

  it('the CPU initialization period option decides which pods are hot', () => {
    const s = sync({ spec: 3, levels: [300, 500, 700] });
    s.pods[0] = pod({
      name: 'test-pod-0',
      cpuRequest: '500m',
      startedSecondsAgo: 200,
      readySinceSecondsAgo: 30,
    });
    expect(evaluate(s).desiredReplicas).toBe(5);
    expect(
      evaluate({ ...s, options: { cpuInitializationPeriodSeconds: 300 } }).desiredReplicas,
    ).toBe(4);
  });

  it('the downscale stabilization window option bounds the legacy stabilization', () => {
    const s = sync({
      spec: 5,
      levels: [100, 300, 500, 250, 250],
      target: 50,
      history: { recommendations: [{ timestamp: '2026-01-01T11:58:00Z', replicas: 5 }] },
    });
    expect(evaluate(s).desiredReplicas).toBe(5);
    expect(
      evaluate({ ...s, options: { downscaleStabilizationWindowSeconds: 60 } }).desiredReplicas,
    ).toBe(3);
  });
});
