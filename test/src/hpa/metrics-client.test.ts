import { describe, expect, it } from 'vitest';
import { everything, parseSelector } from '../../../src/k8s/index.js';
import { MetricError } from '../../../src/hpa/errors.js';
import {
  getExternalMetric,
  getObjectMetric,
  getRawMetric,
  getResourceMetric,
  selectorKey,
  type MetricSources,
} from '../../../src/hpa/metrics-client.js';
import { ParseCache } from '../../../src/hpa/parse-cache.js';
import type { MetricValue } from '../../../src/hpa/types.js';
import {
  NAMESPACE,
  NOW_MS,
  externalMetricValue,
  objectMetricValue,
  podCustomMetric,
  podMetrics,
} from '../../support/hpa-builders.js';

function sources(o: Partial<MetricSources>): MetricSources {
  return {
    namespace: NAMESPACE,
    podNames: new Set(['a', 'b']),
    podMetrics: [],
    customMetrics: [],
    externalMetrics: [],
    cache: new ParseCache(),
    ...o,
  };
}

describe('getResourceMetric', () => {
  it('sums containers, keeps the sample time and window (client.go getPodMetrics)', () => {
    const got = getResourceMetric(
      sources({
        podMetrics: [
          podMetrics(
            'a',
            { c1: { cpu: '100m' }, c2: { cpu: '250m' } },
            { sampledSecondsAgo: 5, window: '30s' },
          ),
        ],
      }),
      'cpu',
      '',
    );
    expect(got.metrics.get('a')).toEqual({
      value: 350,
      timestampMs: NOW_MS - 5000,
      windowMs: 30_000,
    });
    expect(got.timestampMs).toBe(NOW_MS - 5000);
  });

  const missing: { name: string; containers: Record<string, Record<string, string>> }[] = [
    {
      name: 'a container without the resource makes the pod missing',
      containers: { c1: { cpu: '1' }, c2: { memory: '1Mi' } },
    },
    { name: 'a pod without containers is missing', containers: {} },
  ];
  it.each(missing)('$name', (c) => {
    const got = getResourceMetric(
      sources({
        podMetrics: [podMetrics('a', c.containers), podMetrics('b', { c1: { cpu: '1' } })],
      }),
      'cpu',
      '',
    );
    expect([...got.metrics.keys()]).toEqual(['b']);
  });

  const ignored = [
    { name: 'pods the selector does not pick', m: podMetrics('zz', { c: { cpu: '1' } }) },
    {
      name: 'pods in another namespace',
      m: podMetrics('a', { c: { cpu: '1' } }, { namespace: 'other' }),
    },
  ];
  it.each(ignored)('values of $name are not served', (c) => {
    expect(() => getResourceMetric(sources({ podMetrics: [c.m] }), 'cpu', '')).toThrow(
      new MetricError('no metrics returned from resource metrics API'),
    );
  });
});

describe('getRawMetric (Pods metrics)', () => {
  const selected: MetricValue = {
    ...podCustomMetric('a', 'qps', '5'),
    metric: { name: 'qps', selector: { matchLabels: { verb: 'GET' } } },
  };
  const cases = [
    {
      name: 'by metric name, for the selected pods',
      items: [
        podCustomMetric('a', 'qps', '2'),
        podCustomMetric('b', 'rps', '3'),
        podCustomMetric('zz', 'qps', '4'),
      ],
      wanted: undefined,
      pods: ['a'],
    },
    {
      name: 'a spec selector must equal the served one',
      items: [
        podCustomMetric('a', 'qps', '2'),
        { ...selected, describedObject: { ...selected.describedObject, name: 'b' } },
      ],
      wanted: 'verb=GET',
      pods: ['b'],
    },
    {
      name: 'without a spec selector any served selector is accepted',
      items: [selected],
      wanted: undefined,
      pods: ['a'],
    },
  ];
  it.each(cases)('$name', (c) => {
    expect([
      ...getRawMetric(sources({ customMetrics: c.items }), 'qps', c.wanted).metrics.keys(),
    ]).toEqual(c.pods);
  });

  it('uses windowSeconds, or 60s when absent', () => {
    const got = getRawMetric(
      sources({
        customMetrics: [
          podCustomMetric('a', 'qps', '1'),
          { ...podCustomMetric('b', 'qps', '1'), windowSeconds: 30 },
        ],
      }),
      'qps',
      undefined,
    );
    expect([got.metrics.get('a')?.windowMs, got.metrics.get('b')?.windowMs]).toEqual([
      60_000, 30_000,
    ]);
  });

  it('selectorKey is the canonical selector text', () => {
    expect(selectorKey({ matchLabels: { b: '2', a: '1' } })).toBe('a=1,b=2');
    expect(selectorKey(undefined)).toBeUndefined();
  });
});

describe('getObjectMetric', () => {
  const deployment = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'some-deployment' };
  it('the value of the described object', () => {
    expect(
      getObjectMetric(
        sources({
          customMetrics: [
            objectMetricValue('qps', '20'),
            objectMetricValue('qps', '99', 'Deployment', 'other'),
          ],
        }),
        'qps',
        deployment,
        undefined,
      ).value,
    ).toBe(20000);
  });

  it('a Namespace reference means the HPA namespace', () => {
    const ns: MetricValue = {
      describedObject: { kind: 'Namespace', name: NAMESPACE, apiVersion: 'v1' },
      metric: { name: 'qps' },
      timestamp: '2026-01-01T12:00:00Z',
      value: '7',
    };
    expect(
      getObjectMetric(
        sources({ customMetrics: [ns] }),
        'qps',
        { apiVersion: 'v1', kind: 'Namespace', name: 'ignored' },
        undefined,
      ).value,
    ).toBe(7000);
  });

  it('another API group is another object', () => {
    const other: MetricValue = {
      ...objectMetricValue('qps', '20'),
      describedObject: {
        kind: 'Deployment',
        name: 'some-deployment',
        apiVersion: 'extensions/v1beta1',
      },
    };
    expect(() =>
      getObjectMetric(sources({ customMetrics: [other] }), 'qps', deployment, undefined),
    ).toThrow(MetricError);
  });

  it('more than one value is an error, as the custom metrics client insists on exactly one', () => {
    expect(() =>
      getObjectMetric(
        sources({ customMetrics: [objectMetricValue('qps', '1'), objectMetricValue('qps', '2')] }),
        'qps',
        deployment,
        undefined,
      ),
    ).toThrow('the custom metrics API server returned 2 results when we asked for exactly one');
  });
});

describe('getExternalMetric', () => {
  it('every value whose labels match, in thousandths', () => {
    const got = getExternalMetric(
      sources({
        externalMetrics: [
          externalMetricValue('q', '1', { a: '1' }),
          externalMetricValue('q', '2', { a: '2' }),
          externalMetricValue('q', '3'),
        ],
      }),
      'q',
      parseSelector('a'),
    );
    expect(got.values).toEqual([1000, 2000]);
  });

  it('no value is the failed fetch', () => {
    expect(() => getExternalMetric(sources({}), 'q', everything)).toThrow(
      'no metrics returned from external metrics API',
    );
  });
});
