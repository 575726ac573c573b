import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeExternalMetricValueList,
  decodeMetricValueList,
  decodePodMetricsList,
  KubeApiError,
  KubeHttpClient,
  MetricsApiClient,
  MetricsApiError,
  MetricsDecodeError,
} from '../../../src/cluster/index.js';
import { API_SERVER, testKubeConfig } from '../../support/fake-cluster-api.js';
import { nockMetricsGroup, status } from '../../support/nock-cluster.js';

const client = (): MetricsApiClient =>
  new MetricsApiClient({ api: new KubeHttpClient({ kubeConfig: testKubeConfig() }) });

const TS = '2026-01-01T12:00:00Z';
const podMetricsItem = {
  metadata: { name: 'web-1', namespace: 'shop', labels: { app: 'web' } },
  timestamp: TS,
  window: '15s',
  containers: [{ name: 'c', usage: { cpu: '100m', memory: '1Mi' } }],
};
const metricValue = {
  describedObject: { kind: 'Pod', namespace: 'shop', name: 'web-1', apiVersion: '/v1' },
  metric: { name: 'rps' },
  timestamp: TS,
  windowSeconds: 60,
  value: '10',
};
const externalValue = {
  metricName: 'queue_depth',
  metricLabels: { queue: 'jobs' },
  timestamp: TS,
  value: '42',
};
const list = (items: unknown[]) => ({ kind: 'List', metadata: {}, items });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());

describe('MetricsApiClient: the controller calls, should pass', () => {
  const cases: Array<{
    name: string;
    path: string;
    query: Record<string, string>;
    body: object;
    call: (c: MetricsApiClient) => Promise<unknown>;
    want: unknown;
  }> = [
    {
      name: 'PodMetrics list by label selector',
      path: '/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods',
      query: { labelSelector: 'app=web' },
      body: list([podMetricsItem]),
      call: (c) => c.listPodMetrics('shop', 'app=web'),
      want: [{ apiVersion: 'metrics.k8s.io/v1beta1', kind: 'PodMetrics', ...podMetricsItem }],
    },
    {
      name: 'Pods metric: pods/* with labelSelector and metricLabelSelector',
      path: '/apis/custom.metrics.k8s.io/v1beta2/namespaces/shop/pods/*/rps',
      query: { labelSelector: 'app=web', metricLabelSelector: 'verb=GET' },
      body: list([metricValue]),
      call: (c) => c.getPodsMetric('shop', 'rps', 'app=web', 'verb=GET'),
      want: [metricValue],
    },
    {
      name: 'Pods metric: an empty metric selector is left out',
      path: '/apis/custom.metrics.k8s.io/v1beta2/namespaces/shop/pods/*/rps',
      query: { labelSelector: 'app=web' },
      body: list([]),
      call: (c) => c.getPodsMetric('shop', 'rps', 'app=web', ''),
      want: [],
    },
    {
      name: 'Object metric of a Deployment: the qualified resource names the path',
      path: '/apis/custom.metrics.k8s.io/v1beta2/namespaces/shop/deployments.apps/web/rps',
      query: {},
      body: list([
        {
          ...metricValue,
          describedObject: {
            kind: 'Deployment',
            namespace: 'shop',
            name: 'web',
            apiVersion: 'apps/v1',
          },
        },
      ]),
      call: (c) => c.getObjectMetric('shop', 'deployments.apps', 'web', 'rps', ''),
      want: [
        {
          ...metricValue,
          describedObject: {
            kind: 'Deployment',
            namespace: 'shop',
            name: 'web',
            apiVersion: 'apps/v1',
          },
        },
      ],
    },
    {
      name: 'Object metric of the Namespace: the root-scoped metrics form',
      path: '/apis/custom.metrics.k8s.io/v1beta2/namespaces/shop/metrics/queue',
      query: { metricLabelSelector: 'q=a' },
      body: list([]),
      call: (c) => c.getNamespaceMetric('shop', 'queue', 'q=a'),
      want: [],
    },
    {
      name: 'External metric by label selector',
      path: '/apis/external.metrics.k8s.io/v1beta1/namespaces/shop/queue_depth',
      query: { labelSelector: 'queue=jobs' },
      body: list([externalValue]),
      call: (c) => c.getExternalMetric('shop', 'queue_depth', 'queue=jobs'),
      want: [externalValue],
    },
  ];
  it.each(cases)('$name', async (c) => {
    const scope = nock(API_SERVER).get(c.path).query(c.query).reply(200, c.body);
    expect(await c.call(client())).toEqual(c.want);
    expect(scope.isDone()).toBe(true);
  });
});

describe('MetricsApiClient: errors, should fail', () => {
  it('a 404 from an unregistered group is MetricsApiError', async () => {
    nock(API_SERVER)
      .get('/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods')
      .query(true)
      .reply(404, '404 page not found');
    nockMetricsGroup('metrics.k8s.io/v1beta1', false);
    const err = await client()
      .listPodMetrics('shop', 'app=web')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MetricsApiError);
    expect((err as MetricsApiError).group).toBe('metrics.k8s.io');
  });

  it('a 404 from a registered group (metric not found) stays the API error', async () => {
    nock(API_SERVER)
      .get('/apis/custom.metrics.k8s.io/v1beta2/namespaces/shop/pods/*/rps')
      .query(true)
      .reply(404, status(404, 'NotFound', 'the server could not find the metric rps for pods'));
    nockMetricsGroup('custom.metrics.k8s.io/v1beta2', true);
    const err = await client()
      .getPodsMetric('shop', 'rps', 'app=web', '')
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubeApiError);
    expect((err as KubeApiError).message).toBe('the server could not find the metric rps for pods');
  });

  it('a 503 is passed through without probing discovery', async () => {
    nock(API_SERVER)
      .get('/apis/external.metrics.k8s.io/v1beta1/namespaces/shop/q')
      .query(true)
      .reply(503, status(503, 'ServiceUnavailable', 'down'));
    const err = await client()
      .getExternalMetric('shop', 'q', '')
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ statusCode: 503, message: 'down' });
  });
});

describe('decoders: should fail on bodies that are not the promised list', () => {
  const cases: Array<{
    name: string;
    decode: (b: unknown) => unknown;
    body: unknown;
    message: string;
  }> = [
    {
      name: 'PodMetricsList without items',
      decode: decodePodMetricsList,
      body: { kind: 'Status' },
      message: 'the server did not answer with a PodMetricsList: no items array',
    },
    {
      name: 'PodMetrics without a name',
      decode: decodePodMetricsList,
      body: list([{ ...podMetricsItem, metadata: {} }]),
      message: 'PodMetricsList items[0]: no metadata.name',
    },
    {
      name: 'PodMetrics container without usage',
      decode: decodePodMetricsList,
      body: list([{ ...podMetricsItem, containers: [{ name: 'c' }] }]),
      message: 'PodMetricsList items[0]: a container without name or usage',
    },
    {
      name: 'MetricValue without a value',
      decode: decodeMetricValueList,
      body: list([{ ...metricValue, value: 10 }]),
      message: 'MetricValueList items[0]: no timestamp or value',
    },
    {
      name: 'MetricValue with a bad window',
      decode: decodeMetricValueList,
      body: list([{ ...metricValue, windowSeconds: '60' }]),
      message: 'MetricValueList items[0]: windowSeconds is not a number',
    },
    {
      name: 'ExternalMetricValue with non-string labels',
      decode: decodeExternalMetricValueList,
      body: list([{ ...externalValue, metricLabels: { a: 1 } }]),
      message: 'ExternalMetricValueList items[0]: metricLabels is not a string map',
    },
  ];
  it.each(cases)('$name', (c) => {
    expect(() => c.decode(c.body)).toThrow(MetricsDecodeError);
    expect(() => c.decode(c.body)).toThrow(c.message);
  });

  it('absent metricLabels decode as an empty map', () => {
    const noLabels: Partial<typeof externalValue> = { ...externalValue };
    delete noLabels.metricLabels;
    expect(decodeExternalMetricValueList(list([noLabels]))).toEqual([
      { ...noLabels, metricLabels: {} },
    ]);
  });
});
