/**
 * The two roads into the engine give the same decision: a random cluster world is rendered once
 * as the store holds it (read by the runtime through StoreMetricsClient into the engine's parsed
 * input) and once as the scenario contract's JSON (the metrics APIs' items, parsed at the CLI's
 * edge by parseScenario and evaluate). Any drift in a conversion (nanocores, bytes, milli
 * quantities, RFC 3339 times, Go durations, the history's timestamps) shows up as a difference.
 */
import type { V1Pod, V2HorizontalPodAutoscaler, V2MetricSpec } from '@kubernetes/client-node';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  evaluate,
  evaluateInput,
  formatHistory,
  parseScenario,
  type ParsedHistory,
} from '../../../src/hpa/index.js';
import { formatDuration, Quantity } from '../../../src/k8s/index.js';
import { collectInputs, rfc3339, StoreMetricsClient } from '../../../src/runtime/index.js';
import { FakeClusterView } from '../../support/fake-cluster.js';
import {
  FakeCustomMetrics,
  FakeExternalMetrics,
  FakeResourceMetrics,
  type FakeCustomSample,
} from '../../support/fake-readers.js';
import { NAMESPACE, NOW_MS, container, hpa, pod, testOptions } from '../../support/hpa-builders.js';

interface PodWorld {
  pod: V1Pod;
  usage?: { cpuNanos: [number, number]; memoryBytes: number; agoMs: number; windowMs: number };
  rps?: { value: number; agoMs: number; windowSeconds?: number };
}

interface World {
  pods: PodWorld[];
  hits?: number;
  depth: Array<{ queue: string; value: number }>;
  hpa: V2HorizontalPodAutoscaler;
  specReplicas: number;
  history?: ParsedHistory;
}

const value = fc.double({ min: 0, max: 50_000, noNaN: true });

const podArb = (i: number): fc.Arbitrary<PodWorld> =>
  fc
    .record({
      phase: fc.constantFrom('Running', 'Running', 'Running', 'Pending', 'Failed'),
      ready: fc.constantFrom<'True' | 'False' | 'none'>('True', 'True', 'False', 'none'),
      started: fc.integer({ min: 0, max: 900 }),
      readyAfter: fc.integer({ min: 0, max: 120 }),
      deleted: fc.boolean(),
      selected: fc.boolean().map((b) => b || i === 0),
      request: fc.option(fc.integer({ min: 1, max: 2000 }), { nil: undefined }),
      usage: fc.option(
        fc.record({
          cpuNanos: fc.tuple(fc.nat(2e9), fc.nat(2e9)),
          memoryBytes: fc.nat(2 ** 32),
          agoMs: fc.nat(120_000),
          windowMs: fc.constantFrom(15_000, 30_000, 60_000, 10_500),
        }),
        { nil: undefined },
      ),
      rps: fc.option(
        fc.record(
          {
            value,
            agoMs: fc.nat(60_000),
            windowSeconds: fc.integer({ min: 1, max: 300 }),
          },
          { requiredKeys: ['value', 'agoMs'] },
        ),
        { nil: undefined },
      ),
    })
    .map((p) => {
      const requests =
        p.request === undefined ? undefined : { cpu: `${p.request}m`, memory: '64Mi' };
      return {
        pod: pod({
          name: `pod-${i}`,
          labels: { name: p.selected ? 'test-pod' : 'other' },
          phase: p.phase,
          ready: p.ready,
          startedSecondsAgo: p.started,
          readySinceSecondsAgo: Math.max(0, p.started - p.readyAfter),
          deleted: p.deleted,
          containers: [container('container1', requests), container('container2', requests)],
        }),
        ...(p.usage && { usage: p.usage }),
        ...(p.rps && { rps: p.rps }),
      };
    });

const milliTarget = fc.integer({ min: 1, max: 100_000 }).map((v) => `${v}m`);
const metricArb: fc.Arbitrary<V2MetricSpec> = fc.oneof(
  fc
    .record({
      name: fc.constantFrom('cpu', 'memory'),
      utilization: fc.integer({ min: 1, max: 200 }),
    })
    .map(({ name, utilization }) => ({
      type: 'Resource',
      resource: { name, target: { type: 'Utilization', averageUtilization: utilization } },
    })),
  milliTarget.map((q) => ({
    type: 'ContainerResource',
    containerResource: {
      name: 'cpu',
      container: 'container1',
      target: { type: 'AverageValue', averageValue: q },
    },
  })),
  milliTarget.map((q) => ({
    type: 'Pods',
    pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: q } },
  })),
  fc.tuple(fc.constantFrom('Value', 'AverageValue'), milliTarget).map(([type, q]) => ({
    type: 'Object',
    object: {
      describedObject: { apiVersion: 'v1', kind: 'Service', name: 'web' },
      metric: { name: 'hits' },
      target: type === 'Value' ? { type, value: q } : { type, averageValue: q },
    },
  })),
  fc
    .tuple(fc.constantFrom('Value', 'AverageValue'), milliTarget, fc.boolean())
    .map(([type, q, narrowed]) => ({
      type: 'External',
      external: {
        metric: { name: 'depth', ...(narrowed && { selector: { matchLabels: { queue: 'a' } } }) },
        target: type === 'Value' ? { type, value: q } : { type, averageValue: q },
      },
    })),
);

const entries = <K extends string>(key: K) =>
  fc.array(
    fc.record({ ago: fc.nat(900_000), n: fc.integer({ min: 0, max: 20 }) }).map((e) => ({
      timestampMs: NOW_MS - e.ago,
      [key]: e.n,
    })),
    { maxLength: 4 },
  ) as fc.Arbitrary<Array<{ timestampMs: number } & Record<K, number>>>;

const historyArb: fc.Arbitrary<ParsedHistory | undefined> = fc.option(
  fc.record({
    recommendations: entries('replicas'),
    scaleUpEvents: entries('replicaChange'),
    scaleDownEvents: entries('replicaChange'),
  }),
  { nil: undefined },
);

const worldArb: fc.Arbitrary<World> = fc
  .record({
    pods: fc
      .integer({ min: 1, max: 6 })
      .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => podArb(i)))),
    hits: fc.option(value, { nil: undefined }),
    depth: fc.array(fc.record({ queue: fc.constantFrom('a', 'b', 'c'), value }), { maxLength: 3 }),
    metrics: fc.array(metricArb, { minLength: 1, maxLength: 3 }),
    minReplicas: fc.integer({ min: 1, max: 3 }),
    maxReplicas: fc.integer({ min: 3, max: 20 }),
    specReplicas: fc.integer({ min: 0, max: 8 }),
    behavior: fc.boolean(),
    history: historyArb,
  })
  .map((w) => ({
    pods: w.pods,
    ...(w.hits !== undefined && { hits: w.hits }),
    // One value per series, as an API lists them.
    depth: [...new Map(w.depth.map((d) => [d.queue, d])).values()],
    hpa: hpa({
      metrics: w.metrics,
      minReplicas: w.minReplicas,
      maxReplicas: w.maxReplicas,
      ...(w.behavior && {
        behavior: { scaleUp: { tolerance: '50m', stabilizationWindowSeconds: 60 } },
      }),
    }),
    specReplicas: w.specReplicas,
    ...(w.history && { history: w.history }),
  }));

const scale = (w: World) => ({
  specReplicas: w.specReplicas,
  statusReplicas: w.specReplicas,
  selector: 'name=test-pod',
});
const quantity = (v: number) => Quantity.fromNumber(v).toString();

/** The world as the scenario contract's JSON: what the metrics APIs would have served. */
function asScenarioJson(w: World): unknown {
  const described = (kind: string, name: string) => ({
    kind,
    name,
    namespace: NAMESPACE,
    apiVersion: 'v1',
  });
  return JSON.parse(
    JSON.stringify({
      now: rfc3339(NOW_MS),
      hpa: w.hpa,
      scale: scale(w),
      pods: w.pods.map((p) => p.pod),
      podMetrics: w.pods.flatMap(({ pod: p, usage: u }) =>
        u === undefined
          ? []
          : [
              {
                metadata: { name: p.metadata?.name, namespace: NAMESPACE },
                timestamp: rfc3339(NOW_MS - u.agoMs),
                window: formatDuration(u.windowMs),
                containers: ['container1', 'container2'].map((name, i) => ({
                  name,
                  usage: { cpu: `${u.cpuNanos[i]}n`, memory: String(u.memoryBytes) },
                })),
              },
            ],
      ),
      customMetrics: [
        ...w.pods.flatMap(({ pod: p, rps }) =>
          rps === undefined
            ? []
            : [
                {
                  describedObject: described('Pod', p.metadata?.name ?? ''),
                  metric: { name: 'rps' },
                  timestamp: rfc3339(NOW_MS - rps.agoMs),
                  ...(rps.windowSeconds !== undefined && { windowSeconds: rps.windowSeconds }),
                  value: quantity(rps.value),
                },
              ],
        ),
        ...(w.hits === undefined
          ? []
          : [
              {
                describedObject: described('Service', 'web'),
                metric: { name: 'hits' },
                timestamp: rfc3339(NOW_MS),
                value: quantity(w.hits),
              },
            ]),
      ],
      externalMetrics: w.depth.map((d) => ({
        metricName: 'depth',
        metricLabels: { queue: d.queue },
        timestamp: rfc3339(NOW_MS),
        value: quantity(d.value),
      })),
      ...(w.history && { history: formatHistory(w.history) }),
      options: testOptions,
    }),
  );
}

/** The world as the store holds it, read as the runtime reads it. */
async function viaStore(w: World) {
  const pods = w.pods.map((p) => p.pod);
  const podsGr = { group: '', resource: 'pods' };
  const custom: FakeCustomSample[] = w.pods.flatMap(({ pod: p, rps }) =>
    rps === undefined
      ? []
      : [
          {
            groupResource: podsGr,
            namespace: NAMESPACE,
            name: p.metadata?.name ?? '',
            metric: 'rps',
            value: rps.value,
            timestampMs: NOW_MS - rps.agoMs,
            ...(rps.windowSeconds !== undefined && { windowSeconds: rps.windowSeconds }),
          },
        ],
  );
  if (w.hits !== undefined)
    custom.push({
      groupResource: { group: '', resource: 'services' },
      namespace: NAMESPACE,
      name: 'web',
      metric: 'hits',
      value: w.hits,
      timestampMs: NOW_MS,
    });
  const cluster = new FakeClusterView({ pods });
  const client = new StoreMetricsClient({
    cluster,
    resourceMetrics: new FakeResourceMetrics(
      [],
      w.pods.flatMap(({ pod: p, usage: u }) =>
        u === undefined
          ? []
          : [
              {
                namespace: NAMESPACE,
                name: p.metadata?.name ?? '',
                timestampMs: NOW_MS - u.agoMs,
                windowMs: u.windowMs,
                containers: ['container1', 'container2'].map((name, i) => ({
                  name,
                  usage: { cpuNanoCores: u.cpuNanos[i]!, memoryBytes: u.memoryBytes },
                })),
              },
            ],
      ),
    ),
    customMetrics: new FakeCustomMetrics(custom),
    externalMetrics: new FakeExternalMetrics(
      w.depth.map((d) => ({
        namespace: NAMESPACE,
        metric: 'depth',
        labels: { queue: d.queue },
        value: d.value,
        timestampMs: NOW_MS,
      })),
    ),
  });
  const inputs = await collectInputs(cluster, client, w.hpa, scale(w));
  return evaluateInput({
    nowMs: NOW_MS,
    hpa: w.hpa,
    scale: scale(w),
    pods: inputs.pods,
    metrics: inputs.metrics,
    ...(w.history && { history: w.history }),
    options: testOptions,
  });
}

describe('the engine input (properties)', () => {
  it('the store road (parsed input) and the JSON road (parseScenario, evaluate) give equal decisions', async () => {
    const reached = new Set<string>();
    await fc.assert(
      fc.asyncProperty(worldArb, async (w) => {
        const parsed = parseScenario(asScenarioJson(w));
        if (!('scenario' in parsed)) throw new Error(JSON.stringify(parsed.issues));
        const fromJson = evaluate(parsed.scenario);
        const fromStore = await viaStore(w);
        expect(fromStore.decision).toEqual(fromJson);
        expect(formatHistory(fromStore.history)).toEqual(fromJson.history);
        for (const m of fromJson.metrics) reached.add(`${m.type}:${m.ok ? m.rule : 'failed'}`);
        if (fromJson.rescale) reached.add('rescale');
      }),
      { numRuns: 200 },
    );
    // The worlds reach scaling, failures and the rules that read per-pod values.
    for (const outcome of ['rescale', 'Resource:failed', 'Pods:proportional', 'External:failed'])
      expect(reached).toContain(outcome);
  });
});
