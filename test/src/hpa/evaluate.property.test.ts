/**
 * Property tests over random well-formed snapshots: evaluate never throws, keeps the decision
 * within [minReplicas, maxReplicas] unless scaling is disabled, is deterministic and leaves its
 * input alone; its JSON form is valid input for the CLI.
 */
import type {
  V1Pod,
  V2HorizontalPodAutoscalerBehavior,
  V2HPAScalingRules,
  V2MetricSpec,
  V2MetricTarget,
} from '@kubernetes/client-node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, parseScenario, type Scenario } from '../../../src/hpa/index.js';
import {
  at,
  container,
  externalMetricValue,
  hpa,
  objectMetricValue,
  pod,
  podCustomMetric,
  podMetrics,
  scenario,
} from '../../support/hpa-builders.js';

const milli = (max: number): fc.Arbitrary<string> =>
  fc.integer({ min: 0, max }).map((v) => `${v}m`);
const positiveMilli = (max: number): fc.Arbitrary<string> =>
  fc.integer({ min: 1, max }).map((v) => `${v}m`);

const podArb = (i: number): fc.Arbitrary<V1Pod> =>
  fc
    .record({
      phase: fc.constantFrom('Running', 'Running', 'Running', 'Pending', 'Failed', 'Succeeded'),
      ready: fc.constantFrom<'True' | 'False' | 'Unknown' | 'none'>(
        'True',
        'True',
        'False',
        'Unknown',
        'none',
      ),
      started: fc.option(fc.integer({ min: 0, max: 3600 }), { nil: null }),
      readyAfter: fc.integer({ min: 0, max: 600 }),
      deleted: fc.boolean(),
      request: fc.option(positiveMilli(2000), { nil: undefined }),
      memory: fc.option(
        fc.integer({ min: 1, max: 4096 }).map((v) => `${v}Mi`),
        { nil: undefined },
      ),
    })
    .map((p) => {
      const requests: Record<string, string> = {};
      if (p.request !== undefined) requests.cpu = p.request;
      if (p.memory !== undefined) requests.memory = p.memory;
      return pod({
        name: `test-pod-${i}`,
        phase: p.phase,
        ready: p.ready,
        startedSecondsAgo: p.started,
        readySinceSecondsAgo: p.started === null ? null : Math.max(0, p.started - p.readyAfter),
        deleted: p.deleted,
        containers: [container('container1', requests), container('container2', requests)],
      });
    });

const targetArb = (
  types: ('Utilization' | 'Value' | 'AverageValue')[],
): fc.Arbitrary<V2MetricTarget> =>
  fc
    .constantFrom(...types)
    .chain((type) =>
      type === 'Utilization'
        ? fc
            .integer({ min: 1, max: 300 })
            .map((averageUtilization): V2MetricTarget => ({ type, averageUtilization }))
        : positiveMilli(100_000).map((q): V2MetricTarget =>
            type === 'Value' ? { type, value: q } : { type, averageValue: q },
          ),
    );

const metricArb: fc.Arbitrary<V2MetricSpec> = fc.oneof(
  fc
    .record({
      name: fc.constantFrom('cpu', 'memory'),
      target: targetArb(['Utilization', 'AverageValue']),
    })
    .map((r) => ({ type: 'Resource', resource: r })),
  targetArb(['Utilization', 'AverageValue']).map((target) => ({
    type: 'ContainerResource',
    containerResource: { name: 'cpu', container: 'container1', target },
  })),
  targetArb(['AverageValue']).map((target) => ({
    type: 'Pods',
    pods: { metric: { name: 'qps' }, target },
  })),
  targetArb(['Value', 'AverageValue']).map((target) => ({
    type: 'Object',
    object: {
      describedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'some-deployment' },
      metric: { name: 'qps' },
      target,
    },
  })),
  targetArb(['Value', 'AverageValue']).map((target) => ({
    type: 'External',
    external: { metric: { name: 'qps' }, target },
  })),
);

const rulesArb: fc.Arbitrary<V2HPAScalingRules | undefined> = fc.option(
  fc.record(
    {
      stabilizationWindowSeconds: fc.integer({ min: 0, max: 3600 }),
      selectPolicy: fc.constantFrom('Max', 'Min', 'Disabled'),
      policies: fc.array(
        fc.record({
          type: fc.constantFrom('Pods', 'Percent'),
          value: fc.integer({ min: 1, max: 500 }),
          periodSeconds: fc.integer({ min: 1, max: 1800 }),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      tolerance: fc.integer({ min: 0, max: 500 }).map((v) => `${v}m`),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

const behaviorArb: fc.Arbitrary<V2HorizontalPodAutoscalerBehavior | undefined> = fc.option(
  fc.record({ scaleUp: rulesArb, scaleDown: rulesArb }).map((b) => ({
    ...(b.scaleUp && { scaleUp: b.scaleUp }),
    ...(b.scaleDown && { scaleDown: b.scaleDown }),
  })),
  { nil: undefined },
);

const eventsArb = fc.array(
  fc.record({
    timestamp: fc.integer({ min: 0, max: 3600 }).map((s) => at(-s)),
    replicaChange: fc.integer({ min: 0, max: 50 }),
  }),
  { maxLength: 4 },
);

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    podCount: fc.integer({ min: 0, max: 12 }),
    min: fc.integer({ min: 0, max: 5 }),
    span: fc.integer({ min: 0, max: 20 }),
    specReplicas: fc.integer({ min: 0, max: 30 }),
    statusReplicas: fc.integer({ min: 0, max: 30 }),
    metrics: fc.option(fc.array(metricArb, { minLength: 1, maxLength: 3 }), { nil: undefined }),
    behavior: behaviorArb,
    seed: fc.array(fc.tuple(milli(4000), milli(4000), fc.boolean(), milli(50_000)), {
      minLength: 12,
      maxLength: 12,
    }),
    external: fc.array(milli(1_000_000), { maxLength: 3 }),
    object: fc.option(milli(1_000_000), { nil: undefined }),
    history: fc.option(
      fc.record({
        recommendations: fc.array(
          fc.record({
            timestamp: fc.integer({ min: 0, max: 3600 }).map((s) => at(-s)),
            replicas: fc.integer({ min: 0, max: 40 }),
          }),
          { maxLength: 5 },
        ),
        scaleUpEvents: eventsArb,
        scaleDownEvents: eventsArb,
      }),
      { nil: undefined },
    ),
    options: fc.record({
      tolerance: fc.double({ min: 0, max: 1, noNaN: true }),
      cpuInitializationPeriodSeconds: fc.integer({ min: 0, max: 600 }),
      initialReadinessDelaySeconds: fc.integer({ min: 0, max: 120 }),
      downscaleStabilizationWindowSeconds: fc.integer({ min: 0, max: 900 }),
    }),
  })
  .chain((r) =>
    fc.tuple(fc.constant(r), fc.tuple(...Array.from({ length: r.podCount }, (_, i) => podArb(i)))),
  )
  .map(([r, pods]) => {
    const s = scenario({
      hpa: hpa({
        minReplicas: r.min,
        maxReplicas: Math.max(1, r.min + r.span),
        metrics: r.metrics,
        behavior: r.behavior,
      }),
      pods,
      specReplicas: r.specReplicas,
      statusReplicas: r.statusReplicas,
      podMetrics: pods
        .map((p, i) => ({ p, seed: r.seed[i]! }))
        .filter(({ seed }) => seed[2])
        .map(({ p, seed }) =>
          podMetrics(p.metadata!.name!, {
            container1: { cpu: seed[0], memory: '10Mi' },
            container2: { cpu: seed[1], memory: '20Mi' },
          }),
        ),
      customMetrics: [
        ...pods.map((p, i) => podCustomMetric(p.metadata!.name!, 'qps', r.seed[i]![3])),
        ...(r.object === undefined ? [] : [objectMetricValue('qps', r.object)]),
      ],
      externalMetrics: r.external.map((v, i) =>
        externalMetricValue('qps', v, { shard: String(i) }),
      ),
      options: r.options,
      firstSync: r.history === undefined,
      history: r.history,
    });
    return s;
  });

describe('evaluate (properties)', () => {
  it('never throws and keeps minReplicas <= desired <= maxReplicas unless scaling is disabled', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const d = evaluate(s);
        const min = s.hpa.spec!.minReplicas ?? 1;
        const max = s.hpa.spec!.maxReplicas;
        if (s.scale.specReplicas === 0 && min !== 0) {
          expect(d.desiredReplicas).toBe(0);
          expect(d.conditions.find((c) => c.type === 'ScalingActive')?.reason).toBe(
            'ScalingDisabled',
          );
        } else {
          expect(d.desiredReplicas).toBeGreaterThanOrEqual(min);
          expect(d.desiredReplicas).toBeLessThanOrEqual(max);
        }
        expect(Number.isInteger(d.desiredReplicas)).toBe(true);
        expect(d.rescale).toBe(d.desiredReplicas !== s.scale.specReplicas);
        expect(d.explanation.length).toBeGreaterThan(0);
      }),
      { numRuns: 400 },
    );
  });

  it('the generator reaches every outcome (so the properties are not vacuous)', () => {
    const seen = new Set<string>();
    for (const s of fc.sample(scenarioArb, { numRuns: 400, seed: 42 })) {
      const d = evaluate(s);
      for (const c of d.conditions) seen.add(c.reason);
    }
    for (const reason of [
      'SucceededRescale',
      'ReadyForNewScale',
      'ScalingDisabled',
      'ValidMetricFound',
      'FailedGetResourceMetric',
      'DesiredWithinRange',
      'TooFewReplicas',
      'TooManyReplicas',
    ]) {
      expect(seen, reason).toContain(reason);
    }
  });

  it('is deterministic and does not modify its input', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const before = JSON.stringify(s);
        const first = evaluate(s);
        expect(JSON.stringify(s)).toBe(before);
        expect(evaluate(s)).toEqual(first);
      }),
      { numRuns: 100 },
    );
  });

  it('its JSON round-trips through parseScenario to the same decision, and its history is valid input', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const parsed = parseScenario(JSON.parse(JSON.stringify(s)));
        if (!('scenario' in parsed)) throw new Error(JSON.stringify(parsed.issues));
        const d = evaluate(parsed.scenario);
        expect(d).toEqual(evaluate(s));
        const next = parseScenario(JSON.parse(JSON.stringify({ ...s, history: d.history })));
        expect('scenario' in next).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
