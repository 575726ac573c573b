import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeExternalMetrics, type FakeExternalSample } from '../../support/fake-readers.js';
import { json, startApp, type Running } from '../serve.js';
import type { ExternalMetricValueDoc, ListDoc } from '../docs.js';
import { shapeIssues } from '../shapes.js';

const T = Date.UTC(2024, 4, 1, 11, 59, 0);
const s = (
  namespace: string,
  metric: string,
  labels: Record<string, string>,
  value: number,
): FakeExternalSample => ({ namespace, metric, labels, value, timestampMs: T });
const samples = [
  s('default', 'queue_messages', { queue: 'orders' }, 120),
  s('default', 'queue_messages', { queue: 'emails' }, 3.25),
  s('default', 'queue_messages', {}, Infinity),
  s('other', 'queue_messages', { queue: 'orders' }, 9),
  s('default', 'lag_seconds', { topic: 'a' }, Number.NaN),
];

const BASE = '/apis/external.metrics.k8s.io/v1beta1';
let app: Running;
let failing: Running;
beforeAll(async () => {
  app = await startApp({ external: new FakeExternalMetrics(samples) });
  const broken = new FakeExternalMetrics(samples);
  broken.behaviour = { kind: 'fail', error: new Error('secret upstream detail') };
  failing = await startApp({ external: broken });
});
afterAll(async () => {
  await app.close();
  await failing.close();
});

const values = (body: ListDoc<ExternalMetricValueDoc>) =>
  body.items.map((i) => `${JSON.stringify(i.metricLabels)}=${i.value}`);

describe('external.metrics.k8s.io: should pass', () => {
  const cases = [
    {
      name: 'GET for external metric',
      path: '/namespaces/default/queue_messages',
      want: ['{"queue":"orders"}=120', '{"queue":"emails"}=3250m'],
    },
    {
      name: 'GET for external metric with selector',
      path: '/namespaces/default/queue_messages?labelSelector=queue%3Dorders',
      want: ['{"queue":"orders"}=120'],
    },
    {
      name: 'GET in another namespace sees only its series',
      path: '/namespaces/other/queue_messages',
      want: ['{"queue":"orders"}=9'],
    },
    {
      name: 'GET with a selector matching nothing is an empty list',
      path: '/namespaces/default/queue_messages?labelSelector=queue%3Dnone',
      want: [],
    },
    { name: 'NaN serves as 0', path: '/namespaces/default/lag_seconds', want: ['{"topic":"a"}=0'] },
  ];
  it.each(cases)('$name', async ({ path, want }) => {
    const { code, body } = await json<ListDoc<ExternalMetricValueDoc>>(
      await app.get(`${BASE}${path}`),
    );
    expect(code).toBe(200);
    expect(shapeIssues('ExternalMetricValueList', body)).toEqual([]);
    expect(values(body)).toEqual(want);
  });

  it('writes ExternalMetricValue in Go field order', async () => {
    const text = await (await app.get(`${BASE}/namespaces/other/queue_messages`)).text();
    expect(text).toBe(
      '{"kind":"ExternalMetricValueList","apiVersion":"external.metrics.k8s.io/v1beta1","metadata":{},"items":[' +
        '{"metricName":"queue_messages","metricLabels":{"queue":"orders"},"timestamp":"2024-05-01T11:59:00Z","value":"9"}]}',
    );
  });
});

describe('external.metrics.k8s.io: should fail', () => {
  const NOT_FOUND = 'the server could not find the requested resource';
  const cases = [
    { name: 'GET at root scope', path: '/nonexistent-metric', code: 404, message: NOT_FOUND },
    { name: 'GET without metric name', path: '/namespaces/foo', code: 404, message: NOT_FOUND },
    {
      name: 'GET for metric with slashes',
      path: '/namespaces/foo/group/metric',
      code: 404,
      message: NOT_FOUND,
    },
    {
      name: 'GET for nonexistent metric',
      path: '/namespaces/default/nonexistent-metric',
      code: 404,
      message: 'the server could not find the metric nonexistent-metric for namespaces',
    },
    {
      name: 'bad selector',
      path: '/namespaces/default/queue_messages?labelSelector=!',
      code: 400,
      message: /^unable to parse labelSelector/,
    },
  ];
  it.each(cases)('$name', async ({ path, code, message }) => {
    const res = await json(await app.get(`${BASE}${path}`));
    expect(res.code).toBe(code);
    expect(shapeIssues('Status', res.body)).toEqual([]);
    if (typeof message === 'string') expect(res.body.message).toBe(message);
    else expect(res.body.message).toMatch(message);
  });

  it('a failing store is 500 without its details', async () => {
    const res = await json(await failing.get(`${BASE}/namespaces/default/queue_messages`));
    expect(res.code).toBe(500);
    expect(res.body.message).toBe('Internal error occurred: unable to fetch metrics');
  });

  it('DELETE is 405', async () => {
    const res = await app.get(`${BASE}/namespaces/default/queue_messages`, { method: 'DELETE' });
    expect(res.status).toBe(405);
  });
});
