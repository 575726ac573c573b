import { describe, expect, it } from 'vitest';
import type { V2MetricSpec } from '@kubernetes/client-node';
import { collectInputs, type InputSources } from '../../../src/runtime/index.js';
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

function sources(o: Partial<InputSources> = {}): InputSources {
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

describe('collectInputs: should pass', () => {
  it('selects the pods by the scale selector in the HPA namespace, with their resource metrics', async () => {
    const got = await collectInputs(sources(), hpaObject({ name: 'h', target }), scale);
    expect(got.pods.map((p) => p.metadata?.name)).toEqual(['web-1', 'web-2']);
    expect(got.podMetrics).toEqual([
      {
        apiVersion: 'metrics.k8s.io/v1beta1',
        kind: 'PodMetrics',
        metadata: { name: 'web-1', namespace: 'shop' },
        timestamp: '2027-01-15T08:00:00Z',
        window: '30s',
        containers: [{ name: 'app', usage: { cpu: '150m', memory: '64Mi' } }],
      },
      expect.objectContaining({ metadata: { name: 'web-2', namespace: 'shop' } }),
    ]);
    expect(got.fetchErrors).toEqual([]);
  });

  const cases: Array<{
    name: string;
    metrics: V2MetricSpec[];
    want: (g: Awaited<ReturnType<typeof collectInputs>>) => unknown;
    expected: unknown;
  }> = [
    {
      name: 'a Pods metric reads the selected pods only, as MetricValues of Pods',
      metrics: [pod('rps')],
      want: (g) =>
        g.customMetrics.map((m) => [
          m.describedObject.kind,
          m.describedObject.name,
          m.value,
          m.windowSeconds,
        ]),
      expected: [
        ['Pod', 'web-1', '10500m', undefined],
        ['Pod', 'web-2', '12', 30],
      ],
    },
    {
      name: 'an Object metric reads its described object through the kind table',
      metrics: [
        {
          type: 'Object',
          object: {
            describedObject: { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', name: 'main' },
            metric: { name: 'hits' },
            target: { type: 'Value', value: '1k' },
          },
        },
      ],
      want: (g) => g.customMetrics,
      expected: [
        {
          describedObject: {
            kind: 'Ingress',
            name: 'main',
            namespace: 'shop',
            apiVersion: 'networking.k8s.io/v1',
          },
          metric: { name: 'hits' },
          timestamp: '2027-01-15T08:00:00Z',
          value: '2k',
        },
      ],
    },
    {
      name: 'a Namespace Object metric is the HPA namespace, root-scoped',
      metrics: [
        {
          type: 'Object',
          object: {
            describedObject: { apiVersion: 'v1', kind: 'Namespace', name: 'whatever' },
            metric: { name: 'queue' },
            target: { type: 'Value', value: '5' },
          },
        },
      ],
      want: (g) =>
        g.customMetrics.map((m) => [m.describedObject.kind, m.describedObject.name, m.value]),
      expected: [['Namespace', 'shop', '7']],
    },
    {
      name: 'an External metric reads the series its selector matches; NaN is left out',
      metrics: [
        {
          type: 'External',
          external: { metric: { name: 'sqs_depth' }, target: { type: 'Value', value: '10' } },
        },
      ],
      want: (g) => g.externalMetrics.map((m) => [m.metricLabels.queue, m.value]),
      expected: [
        ['orders', '30'],
        ['mail', '5'],
      ],
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
      want: (g) => g.externalMetrics.map((m) => m.metricLabels.queue),
      expected: ['orders'],
    },
    {
      name: 'the same metric in two specs is read once',
      metrics: [pod('rps'), pod('rps')],
      want: (g) => g.customMetrics.length,
      expected: 2,
    },
    {
      name: 'no Resource metric: no resource metrics are read',
      metrics: [pod('rps')],
      want: (g) => g.podMetrics,
      expected: [],
    },
  ];
  it.each(cases)('$name', async ({ metrics, want, expected }) => {
    expect(
      want(await collectInputs(sources(), hpaObject({ name: 'h', target, metrics }), scale)),
    ).toEqual(expected);
  });

  it('a pluggable resolver names the described object resource', async () => {
    const metrics: V2MetricSpec[] = [
      {
        type: 'Object',
        object: {
          describedObject: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
          metric: { name: 'lag' },
          target: { type: 'Value', value: '1' },
        },
      },
    ];
    const seen: string[] = [];
    const objectResources = (apiVersion: string | undefined, kind: string) => (
      seen.push(`${apiVersion}/${kind}`),
      Promise.resolve({ group: 'apps', resource: 'deployments' })
    );
    const got = await collectInputs(
      sources({ objectResources }),
      hpaObject({ name: 'h', target, metrics }),
      scale,
    );
    expect(seen).toEqual(['apps/v1/Deployment']);
    expect(got.customMetrics.map((m) => m.value)).toEqual(['3']);
  });
});

describe('collectInputs: should fail softly', () => {
  const selectors = [
    { name: 'an empty scale selector selects no pods', selector: '' },
    { name: 'an invalid scale selector selects no pods', selector: 'app in (' },
  ];
  it.each(selectors)('$name', async ({ selector }) => {
    const got = await collectInputs(sources(), hpaObject({ name: 'h', target }), {
      ...scale,
      selector,
    });
    expect(got.pods).toEqual([]);
    expect(got.podMetrics).toEqual([]);
  });

  it('a store failure is recorded per metric and the other metrics are still read', async () => {
    const broken = new FakeCustomMetrics(custom);
    broken.behaviour = { kind: 'fail', error: new Error('prometheus timed out') };
    const metrics: V2MetricSpec[] = [
      pod('rps'),
      {
        type: 'External',
        external: { metric: { name: 'sqs_depth' }, target: { type: 'Value', value: '1' } },
      },
    ];
    const got = await collectInputs(
      sources({ customMetrics: broken }),
      hpaObject({ name: 'h', target, metrics }),
      scale,
    );
    expect(got.fetchErrors).toEqual([{ index: 0, metric: 'rps', error: 'prometheus timed out' }]);
    expect(got.externalMetrics.length).toBe(2);
  });

  it('an invalid metric selector is a fetch error of that metric', async () => {
    const metrics = [pod('rps', { matchExpressions: [{ key: 'a', operator: 'Bogus' }] })];
    const got = await collectInputs(sources(), hpaObject({ name: 'h', target, metrics }), scale);
    expect(got.fetchErrors).toEqual([
      {
        index: 0,
        metric: 'rps',
        error: expect.stringContaining('"Bogus" is not a valid label selector operator'),
      },
    ]);
  });
});
