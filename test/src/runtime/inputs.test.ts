import { describe, expect, it } from 'vitest';
import type { V2MetricSpec } from '@kubernetes/client-node';
import type { MetricFetch } from '../../../src/hpa/index.js';
import {
  collectInputs,
  StoreMetricsClient,
  type StoreMetricsClientOptions,
} from '../../../src/runtime/index.js';
import { FakeClusterView } from '../../support/fake-cluster.js';
import { hpaObject, runningPod } from '../../support/fake-hpa-source.js';
import {
  FakeCustomMetrics,
  FakeExternalMetrics,
  FakeResourceMetrics,
  type FakeCustomSample,
  type FakeExternalSample,
} from '../../support/fake-readers.js';

const T = 1_800_000_000_000;
const web = { app: 'web' };
const pods = [
  runningPod({ name: 'web-1', labels: web, nowMs: T }),
  runningPod({ name: 'web-2', labels: web, nowMs: T }),
  runningPod({ name: 'db-1', labels: { app: 'db' }, nowMs: T }),
  runningPod({ namespace: 'other', name: 'web-9', labels: web, nowMs: T }),
];
const usage = (name: string, ns = 'shop') => ({
  namespace: ns,
  name,
  timestampMs: T,
  windowMs: 30_000,
  containers: [
    { name: 'app', usage: { cpuNanoCores: 150_000_000, memoryBytes: 64 * 1024 * 1024 } },
  ],
});
const podsGr = { group: '', resource: 'pods' };
const custom: FakeCustomSample[] = [
  {
    groupResource: podsGr,
    namespace: 'shop',
    name: 'web-1',
    metric: 'rps',
    value: 10.5,
    timestampMs: T,
  },
  {
    groupResource: podsGr,
    namespace: 'shop',
    name: 'web-2',
    metric: 'rps',
    value: 12,
    timestampMs: T,
    windowSeconds: 30,
  },
  {
    groupResource: podsGr,
    namespace: 'shop',
    name: 'db-1',
    metric: 'rps',
    value: 99,
    timestampMs: T,
  },
  {
    groupResource: { group: 'networking.k8s.io', resource: 'ingresses' },
    namespace: 'shop',
    name: 'main',
    metric: 'hits',
    value: 2000,
    timestampMs: T,
  },
  {
    groupResource: { group: '', resource: 'namespaces' },
    name: 'shop',
    metric: 'queue',
    value: 7,
    timestampMs: T,
  },
  {
    groupResource: { group: 'apps', resource: 'deployments' },
    namespace: 'shop',
    name: 'web',
    metric: 'lag',
    value: 3,
    timestampMs: T,
  },
];
const external: FakeExternalSample[] = [
  {
    namespace: 'shop',
    metric: 'sqs_depth',
    labels: { queue: 'orders' },
    value: 30,
    timestampMs: T,
  },
  { namespace: 'shop', metric: 'sqs_depth', labels: { queue: 'mail' }, value: 5, timestampMs: T },
  {
    namespace: 'shop',
    metric: 'sqs_depth',
    labels: { queue: 'nan' },
    value: Number.NaN,
    timestampMs: T,
  },
];

function sources(o: Partial<StoreMetricsClientOptions> = {}): StoreMetricsClientOptions {
  return {
    cluster: new FakeClusterView({ pods }),
    resourceMetrics: new FakeResourceMetrics(
      [],
      [usage('web-1'), usage('web-2'), usage('db-1'), usage('web-9', 'other')],
    ),
    customMetrics: new FakeCustomMetrics(custom),
    externalMetrics: new FakeExternalMetrics(external),
    ...o,
  };
}

const target = { kind: 'Deployment', name: 'web' };
const scale = { specReplicas: 2, statusReplicas: 2, selector: 'app=web' };
const pod = (metric: string, selector?: object): V2MetricSpec => ({
  type: 'Pods',
  pods: {
    metric: { name: metric, ...(selector ? { selector } : {}) },
    target: { type: 'AverageValue', averageValue: '10' },
  },
});

async function collect(
  metrics: V2MetricSpec[] | undefined,
  o: Partial<StoreMetricsClientOptions> = {},
  s = scale,
) {
  const src = sources(o);
  return collectInputs(
    src.cluster,
    new StoreMetricsClient(src),
    hpaObject({ name: 'h', target, ...(metrics ? { metrics } : {}) }),
    s,
  );
}

/** The values of an answer, by pod (Resource and Pods metrics) or in order (Object, External). */
function values(f: MetricFetch | undefined): unknown {
  if (f === undefined) return undefined;
  if (f.kind === 'pods') return Object.fromEntries([...f.result.metrics].map(([k, v]) => [k, v]));
  if (f.kind === 'object') return f.result.value;
  if (f.kind === 'external') return f.result.values;
  return f.error;
}

describe('collectInputs: should pass', () => {
  it('selects the pods by the scale selector in the HPA namespace, with their resource metrics in thousandths', async () => {
    const got = await collect(undefined);
    expect(got.pods.map((p) => p.metadata?.name)).toEqual(['web-1', 'web-2']);
    const sample = { value: 150, timestampMs: T, windowMs: 30_000 };
    expect(values(got.metrics[0])).toEqual({ 'web-1': sample, 'web-2': sample });
    expect(got.fetchErrors).toEqual([]);
  });

  const objectSpec = (apiVersion: string, kind: string, name: string, metric: string) =>
    ({
      type: 'Object',
      object: {
        describedObject: { apiVersion, kind, name },
        metric: { name: metric },
        target: { type: 'Value', value: '1' },
      },
    }) as V2MetricSpec;
  const cases: Array<{ name: string; metrics: V2MetricSpec[]; expected: unknown[] }> = [
    {
      name: 'a Pods metric reads the selected pods only; no windowSeconds is the 60 s default',
      metrics: [pod('rps')],
      expected: [
        {
          'web-1': { value: 10_500, timestampMs: T, windowMs: 60_000 },
          'web-2': { value: 12_000, timestampMs: T, windowMs: 30_000 },
        },
      ],
    },
    {
      name: 'an Object metric reads its described object through the kind table',
      metrics: [objectSpec('networking.k8s.io/v1', 'Ingress', 'main', 'hits')],
      expected: [2_000_000],
    },
    {
      name: 'a Namespace Object metric is the HPA namespace, root-scoped',
      metrics: [objectSpec('v1', 'Namespace', 'whatever', 'queue')],
      expected: [7000],
    },
    {
      name: 'an External metric reads the series its selector matches; NaN is left out',
      metrics: [
        {
          type: 'External',
          external: { metric: { name: 'sqs_depth' }, target: { type: 'Value', value: '10' } },
        },
      ],
      expected: [[30_000, 5000]],
    },
    {
      name: 'an External metric selector narrows the series',
      metrics: [
        {
          type: 'External',
          external: {
            metric: { name: 'sqs_depth', selector: { matchLabels: { queue: 'orders' } } },
            target: { type: 'Value', value: '10' },
          },
        },
      ],
      expected: [[30_000]],
    },
  ];
  it.each(cases)('$name', async ({ metrics, expected }) => {
    const got = await collect(metrics);
    expect(got.metrics.map(values)).toEqual(expected);
  });

  it('a pluggable resolver names the described object resource', async () => {
    const seen: string[] = [];
    const objectResources = (apiVersion: string | undefined, kind: string) => (
      seen.push(`${apiVersion}/${kind}`),
      Promise.resolve({ group: 'apps', resource: 'deployments' })
    );
    const got = await collect([objectSpec('apps/v1', 'Deployment', 'web', 'lag')], {
      objectResources,
    });
    expect(seen).toEqual(['apps/v1/Deployment']);
    expect(got.metrics.map(values)).toEqual([3000]);
  });
});

describe('collectInputs: should fail softly', () => {
  const selectors = [
    { name: 'an empty scale selector selects no pods and reads nothing', selector: '' },
    { name: 'an invalid scale selector selects no pods and reads nothing', selector: 'app in (' },
  ];
  it.each(selectors)('$name', async ({ selector }) => {
    const got = await collect(undefined, {}, { ...scale, selector });
    expect(got.pods).toEqual([]);
    expect(got.metrics).toEqual([]);
  });

  it('a store failure is the answer and a fetch error of that metric; the others are still read', async () => {
    const broken = new FakeCustomMetrics(custom);
    broken.behaviour = { kind: 'fail', error: new Error('prometheus timed out') };
    const got = await collect(
      [
        pod('rps'),
        {
          type: 'External',
          external: { metric: { name: 'sqs_depth' }, target: { type: 'Value', value: '1' } },
        },
      ],
      { customMetrics: broken },
    );
    const error = 'the store could not be read: prometheus timed out';
    expect(got.fetchErrors).toEqual([{ index: 0, metric: 'rps', error }]);
    expect(got.metrics.map(values)).toEqual([error, [30_000, 5000]]);
  });

  it('an invalid metric selector fails that metric', async () => {
    const got = await collect([
      pod('rps', { matchExpressions: [{ key: 'a', operator: 'Bogus' }] }),
    ]);
    expect(values(got.metrics[0])).toEqual(
      expect.stringContaining('"Bogus" is not a valid label selector operator'),
    );
  });
});
