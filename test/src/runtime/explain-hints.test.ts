import type { V2MetricSpec } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import {
  evaluate,
  type Decision,
  type MetricExplanation,
  type PodReasonCode,
  type Scenario,
  type ToleranceFacts,
} from '../../../src/hpa/index.js';
import {
  metricThreshold,
  podNotes,
  whatWouldScale,
  type PodNote,
} from '../../../src/runtime/explain-hints.js';
import {
  NOW,
  cpuMetrics,
  hpa,
  pod,
  resourceUtilization,
  scenario as engineScenario,
} from '../../support/hpa-builders.js';

const tol: ToleranceFacts = {
  scaleUp: 0.1,
  scaleDown: 0.2,
  scaleUpFrom: 'flag',
  scaleDownFrom: 'spec',
  minRatio: 0.8,
  maxRatio: 1.1,
};
const okMetric = (o: Partial<MetricExplanation> = {}): MetricExplanation => ({
  index: 0,
  type: 'Resource',
  name: 'm',
  ok: true,
  rule: 'proportional',
  ignoredPods: [],
  unreadyPods: [],
  missingPods: [],
  podReasons: [],
  readyPods: 2,
  ...o,
});

function scenario(
  o: { min?: number; max?: number; specReplicas?: number; behavior?: object } = {},
): Scenario {
  return {
    now: NOW,
    hpa: {
      spec: {
        scaleTargetRef: { kind: 'Deployment', name: 'web' },
        minReplicas: o.min ?? 1,
        maxReplicas: o.max ?? 10,
        ...(o.behavior ? { behavior: o.behavior } : {}),
      },
    },
    scale: { specReplicas: o.specReplicas ?? 3, statusReplicas: 3, selector: 'a=b' },
    pods: [],
    podMetrics: [],
    customMetrics: [],
    externalMetrics: [],
  };
}

const decision = (desired: number, metrics: MetricExplanation[] = []): Decision => ({
  desiredReplicas: desired,
  currentReplicas: 3,
  rescale: desired !== 3,
  metricsFailed: false,
  tolerances: tol,
  currentMetrics: [],
  conditions: [],
  history: { recommendations: [], scaleUpEvents: [], scaleDownEvents: [] },
  explanation: [],
  metrics,
});

describe('metricThreshold', () => {
  const cases: Array<{
    name: string;
    spec: V2MetricSpec;
    m?: MetricExplanation;
    want: string | undefined;
  }> = [
    {
      name: 'utilization band across the ready pods',
      spec: {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } },
      },
      want: 'm must exceed 66% (target 60%, tolerance up 10% / down 20%) across 2 ready pods to scale up, or fall below 48% to scale down',
    },
    {
      name: 'average value per pod',
      spec: {
        type: 'Pods',
        pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '500m' } },
      },
      want: 'm per pod must exceed 550m (target 500m, tolerance up 10% / down 20%) across 2 ready pods to scale up, or fall below 400m to scale down',
    },
    {
      name: 'a single value',
      spec: {
        type: 'External',
        external: { metric: { name: 'q' }, target: { type: 'Value', value: '100' } },
      },
      want: 'm must exceed 110 (target 100, tolerance up 10% / down 20%) to scale up, or fall below 80 to scale down',
    },
    {
      name: 'a failed metric has no band',
      spec: {
        type: 'Resource',
        resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } },
      },
      m: okMetric({ ok: false, rule: 'failed' }),
      want: undefined,
    },
  ];
  it.each(cases)('$name', (c) =>
    expect(metricThreshold(c.spec, c.m ?? okMetric(), tol)).toBe(c.want),
  );
});

describe("the explainer follows the engine's tolerance facts", () => {
  const cpu60 = resourceUtilization('cpu', 60);
  it('a band the engine reports is the band explained, whatever rule produced it', () => {
    // A stand-in for a changed tolerance rule: only the decision's facts differ.
    const wide: ToleranceFacts = { ...tol, minRatio: 0.5, maxRatio: 1.5 };
    expect(metricThreshold(cpu60, okMetric(), wide)).toBe(
      'm must exceed 90% (target 60%, tolerance up 10% / down 20%) across 2 ready pods to scale up, or fall below 30% to scale down',
    );
  });

  it("spec.behavior tolerances reach the explanation through the engine's decision", () => {
    const d = evaluate(
      engineScenario({
        hpa: hpa({
          metrics: [cpu60],
          behavior: { scaleUp: { tolerance: '50m' } },
        }),
        podMetrics: [cpuMetrics('test-pod-0', 300)],
        pods: [pod({ name: 'test-pod-0', cpuRequest: '1' })],
      }),
    );
    expect(d.tolerances).toEqual({
      scaleUp: 0.05,
      scaleDown: 0.1,
      scaleUpFrom: 'spec',
      scaleDownFrom: 'flag',
      minRatio: 0.9,
      maxRatio: 1.05,
    });
    const hints = whatWouldScale(engineScenario(), d, [cpu60], new Map());
    expect(hints).toContainEqual(
      expect.stringMatching(
        /must exceed 63% \(target 60%, tolerance up 5% \/ down 10%\) across 1 ready pod to scale up, or fall below 54% to scale down/,
      ),
    );
  });
});

describe('podNotes', () => {
  it('names the rule for deleted, Pending and missing pods', () => {
    const m = okMetric({
      ignoredPods: ['gone'],
      unreadyPods: ['new'],
      missingPods: ['quiet'],
      podReasons: [
        { pod: 'gone', group: 'ignored', reason: 'deleted' },
        { pod: 'new', group: 'unready', reason: 'pending' },
        { pod: 'quiet', group: 'missing', reason: 'no-metrics' },
      ],
      missingFill: 'target',
      missingFillPercent: 100,
    });
    expect(podNotes(m, 300)).toEqual([
      { pod: 'gone', group: 'ignored', rule: 'being deleted: ignored' },
      {
        pod: 'new',
        group: 'unready',
        rule: 'phase Pending: counted as not ready; left out of the ratio',
      },
      {
        pod: 'quiet',
        group: 'missing',
        rule: 'no metrics returned for this pod; counted at 100% of its request because the proposal was a scale-down',
      },
    ]);
  });
});

describe('podNotes: every engine reason has its rule in words', () => {
  const cases: Array<{
    name: string;
    reason: PodReasonCode;
    group: PodNote['group'];
    rule: RegExp;
  }> = [
    { name: 'Failed', reason: 'phase-failed', group: 'ignored', rule: /^phase Failed: ignored$/ },
    {
      name: 'no readiness',
      reason: 'no-readiness',
      group: 'unready',
      rule: /cannot be trusted; left out/,
    },
    {
      name: 'never ready',
      reason: 'never-ready',
      group: 'unready',
      rule: /never Ready since it started/,
    },
    {
      name: 'sampled too soon',
      reason: 'sampled-too-soon',
      group: 'initializing',
      rule: /within the 300s cpu initialization period/,
    },
  ];
  it.each(cases)('$name', (c) => {
    const group = c.reason === 'phase-failed' ? 'ignored' : 'unready';
    const [note] = podNotes(okMetric({ podReasons: [{ pod: 'p', group, reason: c.reason }] }), 300);
    expect(note?.group).toBe(c.group);
    expect(note?.rule).toMatch(c.rule);
  });
});

describe('whatWouldScale', () => {
  const cases: Array<{ name: string; s: Scenario; d: Decision; want: string[] }> = [
    {
      name: 'at maxReplicas',
      s: scenario({ max: 3 }),
      d: decision(3),
      want: ['at maxReplicas 3: no metric can scale it higher; raise spec.maxReplicas'],
    },
    {
      name: 'at minReplicas',
      s: scenario({ min: 3 }),
      d: decision(3),
      want: ['at minReplicas 3: no metric can scale it lower; lower spec.minReplicas'],
    },
    {
      name: 'scaled to zero by hand',
      s: scenario({ specReplicas: 0 }),
      d: decision(2),
      want: [
        "the target's spec.replicas is 0, which disables autoscaling: scale the target up by hand to re-enable it",
      ],
    },
    {
      name: 'a failed metric names the API error',
      s: scenario(),
      d: decision(2, [
        okMetric({ ok: false, rule: 'failed', reason: 'FailedGetPodsMetric', error: 'no metrics' }),
      ]),
      want: ['fix m: FailedGetPodsMetric: unable to fetch: boom'],
    },
  ];
  it.each(cases)('$name', (c) =>
    expect(whatWouldScale(c.s, c.d, [], new Map([[0, 'unable to fetch: boom']]))).toEqual(c.want),
  );
});
