/**
 * Ported from replica_calculator_test.go (TestReplicaCalcResourceScale and the TestReplicaCalc*
 * cases): pods `test-pod-N` with two containers each requesting requests[i] and each using
 * levels[i] millicores, so a pod's usage and request are twice the listed numbers.
 */
import { describe, expect, it } from 'vitest';
import { MetricError } from '../../../src/hpa/errors.js';
import {
  getMetricReplicas,
  getRawResourceReplicas,
  getResourceReplicas,
} from '../../../src/hpa/replica-calculator.js';
import { Tolerances } from '../../../src/hpa/tolerance.js';
import { podCustomMetric, podMetrics } from '../../support/hpa-builders.js';
import { calcContext, calcPodMetrics, calcPods, type CalcFixture } from '../../support/hpa-calc.js';

const ones = (n: number): string[] => Array.from({ length: n }, () => '1.0');

interface ResourceCase {
  name: string;
  f: CalcFixture;
  target: number;
  replicas: number;
  utilization: number;
  raw: number;
  rule?: string;
}

const resourceCases: ResourceCase[] = [
  {
    name: 'scale up',
    f: { currentReplicas: 3, requests: ones(3), levels: [300, 500, 700] },
    target: 30,
    replicas: 5,
    utilization: 50,
    raw: 1000,
    rule: 'proportional',
  },
  {
    name: 'scale up: unready pods are counted at 0% on a scale-up, so it scales less',
    f: {
      currentReplicas: 3,
      requests: ones(3),
      levels: [300, 500, 700],
      podReadiness: ['False', 'True', 'True'],
    },
    target: 30,
    replicas: 4,
    utilization: 60,
    raw: 1200,
    rule: 'recomputed',
  },
  {
    name: 'scale up: a hot-CPU pod (CPU initialization period) scales less',
    f: {
      currentReplicas: 3,
      requests: ones(3),
      levels: [300, 500, 700],
      podStartTime: ['hot', 'cool', 'cool'],
    },
    target: 30,
    replicas: 4,
    utilization: 60,
    raw: 1200,
  },
  {
    name: 'no scale up: with unready pods at 0% the ratio reverses direction',
    f: {
      currentReplicas: 3,
      requests: ones(3),
      levels: [400, 500, 700],
      podReadiness: ['True', 'False', 'False'],
    },
    target: 30,
    replicas: 3,
    utilization: 40,
    raw: 800,
    rule: 'direction-reversed',
  },
  {
    name: 'no scale: hot-CPU unready pods',
    f: {
      currentReplicas: 3,
      requests: ones(3),
      levels: [400, 500, 700],
      podReadiness: ['True', 'False', 'False'],
      podStartTime: ['cool', 'hot', 'hot'],
    },
    target: 30,
    replicas: 3,
    utilization: 40,
    raw: 800,
  },
  {
    name: 'scale up ignores Failed pods',
    f: {
      currentReplicas: 2,
      requests: ones(4),
      levels: [500, 700],
      podReadiness: ['True', 'True', 'False', 'False'],
      podPhase: ['Running', 'Running', 'Failed', 'Failed'],
    },
    target: 30,
    replicas: 4,
    utilization: 60,
    raw: 1200,
  },
  {
    name: 'scale up ignores Succeeded pods',
    f: {
      currentReplicas: 2,
      requests: ones(4),
      levels: [500, 700],
      podPhase: ['Running', 'Running', 'Succeeded', 'Succeeded'],
    },
    target: 30,
    replicas: 4,
    utilization: 60,
    raw: 1200,
  },
  {
    name: 'scale up ignores deleted pods',
    f: {
      currentReplicas: 2,
      requests: ones(4),
      levels: [500, 700],
      podReadiness: ['True', 'True', 'False', 'False'],
      podDeletionTimestamp: [false, false, true, true],
    },
    target: 30,
    replicas: 4,
    utilization: 60,
    raw: 1200,
  },
  {
    name: 'scale down',
    f: { currentReplicas: 5, requests: ones(5), levels: [100, 300, 500, 250, 250] },
    target: 50,
    replicas: 3,
    utilization: 28,
    raw: 560,
  },
  {
    name: 'scale down: unready pods are left out',
    f: {
      currentReplicas: 5,
      requests: ones(5),
      levels: [100, 300, 500, 250, 250],
      podReadiness: ['True', 'True', 'True', 'False', 'False'],
    },
    target: 50,
    replicas: 2,
    utilization: 30,
    raw: 600,
  },
  {
    name: 'scale down: pending pods are unready, not missing',
    f: {
      currentReplicas: 5,
      requests: ones(5),
      levels: [100],
      podReadiness: ['True', 'False', 'False', 'False', 'False'],
      podPhase: ['Running', 'Pending', 'Pending', 'Pending', 'Pending'],
    },
    target: 50,
    replicas: 1,
    utilization: 10,
    raw: 200,
  },
  {
    name: 'scale down: hot-CPU pods are left out',
    f: {
      currentReplicas: 5,
      requests: ones(5),
      levels: [100, 300, 500, 250, 250],
      podStartTime: ['cool', 'cool', 'cool', 'hot', 'hot'],
    },
    target: 50,
    replicas: 2,
    utilization: 30,
    raw: 600,
  },
  {
    name: 'scale down ignores Failed pods',
    f: {
      currentReplicas: 5,
      requests: ones(7),
      levels: [100, 300, 500, 250, 250],
      podPhase: ['Running', 'Running', 'Running', 'Running', 'Running', 'Failed', 'Failed'],
    },
    target: 50,
    replicas: 3,
    utilization: 28,
    raw: 560,
  },
  {
    name: 'scale down ignores deleted pods',
    f: {
      currentReplicas: 5,
      requests: ones(7),
      levels: [100, 300, 500, 250, 250],
      podDeletionTimestamp: [false, false, false, false, false, true, true],
      podPhase: Array(7).fill('Running'),
    },
    target: 50,
    replicas: 3,
    utilization: 28,
    raw: 560,
  },
  {
    name: 'no change: within the default tolerance',
    f: { currentReplicas: 3, requests: ['0.9', '1.0', '1.1'], levels: [1010, 1030, 1020] },
    target: 100,
    replicas: 3,
    utilization: 102,
    raw: 2040,
    rule: 'within-tolerance',
  },
  {
    name: 'metrics for pods the selector does not pick are not read',
    f: { currentReplicas: 4, requests: ones(4), levels: [4000, 9500, 3000, 7000, 3200, 2000] },
    target: 100,
    replicas: 24,
    utilization: 587,
    raw: 11750,
  },
  {
    name: 'missing metrics are counted at 100% of request on a scale-down',
    f: { currentReplicas: 4, requests: ones(4), levels: [400, 95] },
    target: 100,
    replicas: 3,
    utilization: 24,
    raw: 495,
    rule: 'recomputed',
  },
  {
    name: 'missing metrics at a ratio of exactly 1: no change',
    f: { currentReplicas: 2, requests: ones(2), levels: [1000] },
    target: 100,
    replicas: 2,
    utilization: 100,
    raw: 2000,
    rule: 'recomputed-within-tolerance',
  },
  {
    name: 'missing metrics counted at 0% on a scale-up bring the ratio within tolerance: no change',
    f: { currentReplicas: 2, requests: ones(2), levels: [1900] },
    target: 100,
    replicas: 2,
    utilization: 190,
    raw: 3800,
    rule: 'recomputed-within-tolerance',
  },
  {
    name: 'missing metrics on a scale-down that lands on the current size',
    f: { currentReplicas: 2, requests: ones(2), levels: [600] },
    target: 100,
    replicas: 2,
    utilization: 60,
    raw: 1200,
    rule: 'recomputed',
  },
  {
    name: 'missing pods at 100% on a scale-down reverse the direction: no change',
    f: {
      currentReplicas: 3,
      requests: ones(3),
      levels: [100, 450],
      podReadiness: ['False', 'True', 'True'],
    },
    target: 50,
    replicas: 3,
    utilization: 45,
    raw: 900,
    rule: 'direction-reversed',
  },
  {
    name: 'missing and hot-CPU pods: no change',
    f: {
      currentReplicas: 3,
      requests: ones(3),
      levels: [100, 450],
      podStartTime: ['hot', 'cool', 'cool'],
    },
    target: 50,
    replicas: 3,
    utilization: 45,
    raw: 900,
  },
  {
    name: 'missing and unready pods on a scale-up: both at 0%',
    f: {
      currentReplicas: 3,
      requests: ones(3),
      levels: [100, 2000],
      podReadiness: ['False', 'True', 'True'],
    },
    target: 50,
    replicas: 4,
    utilization: 200,
    raw: 4000,
    rule: 'recomputed',
  },
  {
    name: 'missing and hot-CPU unready pods on a scale-up',
    f: {
      currentReplicas: 3,
      requests: ones(3),
      levels: [100, 2000],
      podReadiness: ['False', 'True', 'True'],
      podStartTime: ['hot', 'cool', 'cool'],
    },
    target: 50,
    replicas: 4,
    utilization: 200,
    raw: 4000,
  },
  {
    name: 'missing and unready pods on a scale-down',
    f: {
      currentReplicas: 4,
      requests: ones(4),
      levels: [100, 100, 100],
      podReadiness: ['False', 'True', 'True', 'True'],
    },
    target: 50,
    replicas: 3,
    utilization: 10,
    raw: 200,
  },
  {
    name: 'rolling update with max surge: the extra pod would turn a scale-down into a scale-up',
    f: {
      currentReplicas: 2,
      requests: ones(3),
      levels: [100, 100],
      podPhase: ['Running', 'Running', 'Running'],
    },
    target: 50,
    replicas: 2,
    utilization: 10,
    raw: 200,
    rule: 'count-reversed',
  },
  {
    // TestReplicaCalcComputedToleranceAlgImplementation: 50% used of a 56% target is just outside 10%.
    name: 'computed tolerance: just outside the band scales',
    f: {
      currentReplicas: 10,
      requests: ['400m', '200m', '310m', '290m', '302m', '298m', '301m', '299m', '300m', '300m'],
      levels: Array(10).fill(150),
    },
    target: 56,
    replicas: 9,
    utilization: 50,
    raw: 300,
  },
  {
    name: 'computed tolerance: just inside the band does not',
    f: {
      currentReplicas: 10,
      requests: ['400m', '200m', '310m', '290m', '302m', '298m', '301m', '299m', '300m', '300m'],
      levels: Array(10).fill(150),
    },
    target: 55,
    replicas: 10,
    utilization: 50,
    raw: 300,
    rule: 'within-tolerance',
  },
];

interface FailCase {
  name: string;
  f: CalcFixture;
  error: string;
}

const resourceFailCases: FailCase[] = [
  {
    name: 'empty metrics',
    f: { currentReplicas: 4, requests: ones(4), levels: [] },
    error: 'unable to get metrics for resource cpu: no metrics returned from resource metrics API',
  },
  {
    name: 'metrics only for a pod the selector does not pick',
    f: { currentReplicas: 1, requests: ones(1), levels: [100], podNames: ['an-older-pod-name'] },
    error: 'unable to get metrics for resource cpu: no metrics returned from resource metrics API',
  },
  {
    name: 'missing CPU request',
    f: { currentReplicas: 1, requests: [], levels: [200] },
    error: 'missing request for cpu in container container1 of Pod test-pod-0',
  },
  {
    name: 'every pod with a metric is unready',
    f: {
      currentReplicas: 2,
      requests: ones(2),
      levels: [100, 100],
      podReadiness: ['False', 'False'],
    },
    error: 'did not receive metrics for targeted pods (pods might be unready)',
  },
  {
    name: 'requests of zero match no known pod',
    f: { currentReplicas: 1, requests: ['0'], levels: [100] },
    error: 'no metrics returned matched known pods',
  },
];

describe('getResourceReplicas (Resource, Utilization)', () => {
  describe('should pass', () => {
    it.each(resourceCases)('$name', (c) => {
      const ctx = calcContext(calcPods(c.f), { podMetrics: calcPodMetrics(c.f) });
      const got = getResourceReplicas(ctx, c.f.currentReplicas, c.target, 'cpu', '');
      expect(got.replicaCount).toBe(c.replicas);
      expect(got.usage).toBe(c.utilization);
      expect(got.rawUsage).toBe(c.raw);
      if (c.rule !== undefined) expect(got.detail.rule).toBe(c.rule);
    });
  });
  describe('should fail', () => {
    it.each(resourceFailCases)('$name', (c) => {
      const ctx = calcContext(calcPods(c.f), { podMetrics: calcPodMetrics(c.f) });
      expect(() => getResourceReplicas(ctx, c.f.currentReplicas, 50, 'cpu', '')).toThrow(
        new MetricError(c.error),
      );
    });
  });

  it('no pods: fails before reading requests', () => {
    const ctx = calcContext([], {
      podMetrics: calcPodMetrics({ currentReplicas: 0, levels: [100] }),
    });
    expect(() => getResourceReplicas(ctx, 0, 50, 'cpu', '')).toThrow(MetricError);
  });

  it('explains which pods were missing, unready and ignored', () => {
    const f: CalcFixture = {
      currentReplicas: 4,
      requests: ones(5),
      levels: [100, 100, 100],
      podReadiness: ['False', 'True', 'True', 'True', 'True'],
      podPhase: ['Running', 'Running', 'Running', 'Running', 'Failed'],
    };
    const got = getResourceReplicas(
      calcContext(calcPods(f), { podMetrics: calcPodMetrics(f) }),
      4,
      50,
      'cpu',
      '',
    );
    expect(got.detail).toMatchObject({
      unreadyPods: ['test-pod-0'],
      missingPods: ['test-pod-3'],
      ignoredPods: ['test-pod-4'],
      missingFill: 'target',
      readyPods: 2,
    });
  });

  it('a target above 100% counts missing pods at the target on a scale-down', () => {
    const f: CalcFixture = { currentReplicas: 3, requests: ones(3), levels: [200, 200] };
    const got = getResourceReplicas(
      calcContext(calcPods(f), { podMetrics: calcPodMetrics(f) }),
      3,
      150,
      'cpu',
      '',
    );
    // 20% of a 150% target; the missing pod is assumed at 150%: (400+400+3000)/6000 = 63% -> ceil(0.42 x 3) = 2.
    expect(got.detail.missingFillPercent).toBe(150);
    expect(got.replicaCount).toBe(2);
  });
});

describe('getResourceReplicas (ContainerResource)', () => {
  const pods = calcPods({ currentReplicas: 3, requests: ones(3) });
  const metrics = [300, 500, 700].map((v, i) =>
    podMetrics(`test-pod-${i}`, { container1: { cpu: '1' }, container2: { cpu: `${v}m` } }),
  );

  it('scale up: only the named container counts', () => {
    const got = getResourceReplicas(
      calcContext(pods, { podMetrics: metrics }),
      3,
      30,
      'cpu',
      'container2',
    );
    expect(got).toMatchObject({ replicaCount: 5, usage: 50, rawUsage: 500 });
  });

  it('fails when a pod does not report the container', () => {
    const partial = [podMetrics('test-pod-0', { container1: { cpu: '1' } }), ...metrics.slice(1)];
    expect(() =>
      getResourceReplicas(calcContext(pods, { podMetrics: partial }), 3, 30, 'cpu', 'container2'),
    ).toThrow(
      'unable to get metrics for resource cpu: failed to get container metrics: container container2 not present in metrics for pod test-namespace/test-pod-0',
    );
  });

  it('a container without the resource makes its pod missing', () => {
    const partial = [
      podMetrics('test-pod-0', { container1: { cpu: '1' }, container2: { memory: '1Mi' } }),
      ...metrics.slice(1),
    ];
    const got = getResourceReplicas(
      calcContext(pods, { podMetrics: partial }),
      3,
      30,
      'cpu',
      'container2',
    );
    expect(got.detail.missingPods).toEqual(['test-pod-0']);
  });
});

describe('getRawResourceReplicas (Resource, AverageValue)', () => {
  const cases = [
    {
      name: 'scale up on average CPU',
      levels: [300, 500, 700],
      target: 500,
      replicas: 6,
      usage: 1000,
    },
    {
      name: 'scale down on average CPU',
      levels: [100, 100, 100],
      target: 1000,
      replicas: 1,
      usage: 200,
    },
    { name: 'within tolerance', levels: [500, 500, 500], target: 1050, replicas: 3, usage: 1000 },
  ];
  it.each(cases)('$name', (c) => {
    const f: CalcFixture = { currentReplicas: 3, levels: c.levels };
    const got = getRawResourceReplicas(
      calcContext(calcPods(f), { podMetrics: calcPodMetrics(f) }),
      3,
      c.target,
      'cpu',
      '',
    );
    expect(got.replicaCount).toBe(c.replicas);
    expect(got.usage).toBe(c.usage);
  });

  it('memory: missing pods count at the target on a scale-down', () => {
    const pods = calcPods({ currentReplicas: 3 });
    const mem = (name: string): ReturnType<typeof podMetrics> =>
      podMetrics(name, { container1: { memory: '100Mi' } });
    // 100Mi each against 1Gi: the missing pod counts as 1Gi -> (200Mi + 1Gi)/3 vs 1Gi = 0.4 -> ceil(1.2) = 2.
    const got = getRawResourceReplicas(
      calcContext(pods, { podMetrics: [mem('test-pod-0'), mem('test-pod-1')] }),
      3,
      1024 ** 3 * 1000,
      'memory',
      '',
    );
    expect(got.replicaCount).toBe(2);
    expect(got.detail.missingFill).toBe('target');
  });
});

describe('getMetricReplicas (Pods)', () => {
  const cases = [
    {
      name: 'scale up',
      f: { currentReplicas: 3 },
      levels: [20000, 10000, 30000],
      target: 15000,
      replicas: 4,
      usage: 20000,
    },
    {
      name: 'unready and hot pods still count for custom metrics',
      f: {
        currentReplicas: 3,
        podReadiness: ['True', 'True', 'False'],
        podStartTime: ['cool', 'cool', 'hot'],
      } as CalcFixture,
      levels: [50000, 10000, 30000],
      target: 15000,
      replicas: 6,
      usage: 30000,
    },
    {
      name: 'unready hot pods with a would-be scale-down',
      f: {
        currentReplicas: 3,
        podReadiness: ['False', 'True', 'False'],
        podStartTime: ['hot', 'cool', 'hot'],
      } as CalcFixture,
      levels: [50000, 15000, 30000],
      target: 15000,
      replicas: 7,
      usage: 31666,
    },
    {
      name: 'scale down',
      f: { currentReplicas: 5 },
      levels: [12000, 12000, 12000, 12000, 12000],
      target: 20000,
      replicas: 3,
      usage: 12000,
    },
    {
      name: 'tolerance',
      f: { currentReplicas: 3 },
      levels: [20000, 21000, 21000],
      target: 20000,
      replicas: 3,
      usage: 20666,
    },
    {
      name: 'missing metrics count as the target on a scale-down',
      f: { currentReplicas: 4 },
      levels: [5000, 5000],
      target: 10000,
      replicas: 3,
      usage: 5000,
    },
  ];
  it.each(cases)('$name', (c) => {
    const custom = c.levels.map((v, i) => podCustomMetric(`test-pod-${i}`, 'qps', `${v}m`));
    const got = getMetricReplicas(
      calcContext(calcPods(c.f), { customMetrics: custom }),
      c.f.currentReplicas,
      c.target,
      'qps',
      undefined,
    );
    expect(got.replicaCount).toBe(c.replicas);
    expect(got.usage).toBe(c.usage);
  });

  it('fails without values for the pods', () => {
    const ctx = calcContext(calcPods({ currentReplicas: 2 }), {
      customMetrics: [podCustomMetric('other', 'qps', '1')],
    });
    expect(() => getMetricReplicas(ctx, 2, 1000, 'qps', undefined)).toThrow(
      'unable to get metric qps: no metrics returned from custom metrics API',
    );
  });

  it('per-direction tolerance changes the outcome', () => {
    const custom = [10600, 10600].map((v, i) => podCustomMetric(`test-pod-${i}`, 'qps', `${v}m`));
    const pods = calcPods({ currentReplicas: 2 });
    const loose = getMetricReplicas(
      calcContext(pods, { customMetrics: custom }),
      2,
      10000,
      'qps',
      undefined,
    );
    const tight = getMetricReplicas(
      calcContext(pods, { customMetrics: custom }, { tolerances: new Tolerances(0.1, 0.05) }),
      2,
      10000,
      'qps',
      undefined,
    );
    expect(loose.replicaCount).toBe(2);
    expect(tight.replicaCount).toBe(3);
  });
});
