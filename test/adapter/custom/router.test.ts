import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeClusterView, node, pod } from '../../support/fake-cluster.js';
import { FakeCustomMetrics, type FakeCustomSample } from '../../support/fake-readers.js';
import { json, startApp, type Running } from '../serve.js';
import type { ListDoc, MetricValueDoc } from '../docs.js';
import { shapeIssues } from '../shapes.js';

const T = Date.UTC(2024, 4, 1, 11, 59, 45, 500);
const PODS = { group: '', resource: 'pods' };
const sample = (
  s: Partial<FakeCustomSample> &
    Pick<FakeCustomSample, 'groupResource' | 'name' | 'metric' | 'value'>,
): FakeCustomSample => ({ timestampMs: T, ...s });

const samples: FakeCustomSample[] = [
  sample({
    groupResource: PODS,
    namespace: 'default',
    name: 'web-1',
    metric: 'http_requests',
    value: 1.5,
    labels: { verb: 'GET' },
  }),
  sample({
    groupResource: PODS,
    namespace: 'default',
    name: 'web-1',
    metric: 'http_requests',
    value: 7,
    labels: { verb: 'POST' },
  }),
  sample({
    groupResource: PODS,
    namespace: 'default',
    name: 'web-2',
    metric: 'http_requests',
    value: 0.25,
  }),
  sample({
    groupResource: PODS,
    namespace: 'default',
    name: 'web-2',
    metric: 'errors',
    value: Infinity,
  }),
  sample({
    groupResource: { group: '', resource: 'nodes' },
    name: 'n1',
    metric: 'node_load',
    value: 2,
    windowSeconds: 60,
  }),
  sample({
    groupResource: { group: '', resource: 'namespaces' },
    name: 'default',
    metric: 'queue_depth',
    value: 42,
  }),
  sample({
    groupResource: { group: 'apps', resource: 'deployments' },
    namespace: 'default',
    name: 'web',
    metric: 'replicas_wanted',
    value: 3,
  }),
  sample({
    groupResource: { group: '', resource: 'services' },
    namespace: 'default',
    name: 'frontend',
    metric: 'rps',
    value: 100.5,
    windowSeconds: 30,
  }),
  sample({
    groupResource: { group: 'example.com', resource: 'widgets' },
    namespace: 'default',
    name: 'w1',
    metric: 'temperature',
    value: Number.NaN,
  }),
  sample({
    groupResource: { group: '', resource: 'gizmos' },
    namespace: 'default',
    name: 'g1',
    metric: 'spin',
    value: 1,
  }),
];

const cluster = new FakeClusterView({
  nodes: [node('n1', { role: 'worker' }), node('n2')],
  pods: [
    pod('default', 'web-1', { app: 'web' }),
    pod('default', 'web-2', { app: 'web' }),
    pod('default', 'db-0', { app: 'db' }),
  ],
  objects: {
    'deployments.apps': [{ namespace: 'default', name: 'web', labels: { app: 'web' } }],
    namespaces: [{ name: 'default' }],
    services: [{ namespace: 'default', name: 'frontend', labels: { tier: 'fe' } }],
    'widgets.example.com': [{ namespace: 'default', name: 'w1' }],
  },
});

let app: Running;
let failing: Running;
beforeAll(async () => {
  app = await startApp({ custom: new FakeCustomMetrics(samples), cluster });
  const broken = new FakeCustomMetrics(samples);
  broken.behaviour = { kind: 'fail', error: new Error('connection refused to prometheus:9090') };
  failing = await startApp({ custom: broken, cluster });
});
afterAll(async () => {
  await app.close();
  await failing.close();
});

const VERSIONS = ['v1beta1', 'v1beta2'] as const;
const base = (v: string) => `/apis/custom.metrics.k8s.io/${v}`;
/** The metric name and selector of an item, whichever version wrote it. */
const metricOf = (item: MetricValueDoc) =>
  item.metric ?? { name: item.metricName, selector: item.selector };
const described = (body: ListDoc<MetricValueDoc>) =>
  body.items.map(
    (i) =>
      `${i.describedObject.kind}:${i.describedObject.namespace ?? ''}/${i.describedObject.name}=${i.value}`,
  );

describe.each(VERSIONS)('custom.metrics.k8s.io/%s: should pass', (version) => {
  const shape = version === 'v1beta1' ? 'MetricValueListV1beta1' : 'MetricValueListV1beta2';
  const cases = [
    {
      name: 'GET for all pods (namespaced)',
      path: '/namespaces/default/pods/*/http_requests',
      want: ['Pod:default/web-1=1500m', 'Pod:default/web-2=250m'],
    },
    {
      name: 'GET for label selected pods (namespaced)',
      path: '/namespaces/default/pods/*/http_requests?labelSelector=app%3Dweb',
      want: ['Pod:default/web-1=1500m', 'Pod:default/web-2=250m'],
    },
    {
      name: 'GET for pods by metric label selector',
      path: '/namespaces/default/pods/*/http_requests?metricLabelSelector=verb%3DPOST',
      want: ['Pod:default/web-1=7'],
    },
    {
      name: 'GET for single pod (namespaced) takes the first series',
      path: '/namespaces/default/pods/web-1/http_requests',
      want: ['Pod:default/web-1=1500m'],
    },
    {
      name: 'GET for a wildcard narrowed by fieldSelector metadata.name',
      path: '/namespaces/default/pods/*/http_requests?fieldSelector=metadata.name%3Dweb-2',
      want: ['Pod:default/web-2=250m'],
    },
    { name: 'GET for all nodes (root)', path: '/nodes/*/node_load', want: ['Node:/n1=2'] },
    {
      name: 'GET for label selected nodes (root)',
      path: '/nodes/*/node_load?labelSelector=role%3Dworker',
      want: ['Node:/n1=2'],
    },
    { name: 'GET for single node (root)', path: '/nodes/n1/node_load', want: ['Node:/n1=2'] },
    {
      name: 'GET for namespace',
      path: '/namespaces/default/metrics/queue_depth',
      want: ['Namespace:/default=42'],
    },
    {
      name: 'GET for an object metric by name (apps group)',
      path: '/namespaces/default/deployments.apps/web/replicas_wanted',
      want: ['Deployment:default/web=3'],
    },
    {
      name: 'GET for object metrics by selector',
      path: '/namespaces/default/deployments.apps/*/replicas_wanted?labelSelector=app%3Dweb',
      want: ['Deployment:default/web=3'],
    },
    {
      name: 'GET for a service metric',
      path: '/namespaces/default/services/frontend/rps',
      want: ['Service:default/frontend=100500m'],
    },
    {
      name: 'GET for a resource outside the kind table; NaN serves as 0',
      path: '/namespaces/default/widgets.example.com/w1/temperature',
      want: ['Widget:default/w1=0'],
    },
  ];

  it.each(cases)('$name', async ({ path, want }) => {
    const { code, type, body } = await json<ListDoc<MetricValueDoc>>(
      await app.get(`${base(version)}${path}`),
    );
    expect(code).toBe(200);
    expect(type).toBe('application/json');
    expect(shapeIssues(shape, body)).toEqual([]);
    expect(described(body)).toEqual(want);
  });

  // metav1.ParseToLabelSelector rejects `!=`; we write its equivalent NotIn instead of failing the request.
  it('the metric selector is echoed as a LabelSelector', async () => {
    const { body } = await json<ListDoc<MetricValueDoc>>(
      await app.get(
        `${base(version)}/namespaces/default/pods/*/http_requests?metricLabelSelector=verb%3DGET,env!%3Dprod,tier%20notin%20(a,b)`,
      ),
    );
    expect(body.items).toHaveLength(1);
    expect(metricOf(body.items[0]!)).toEqual({
      name: 'http_requests',
      selector: {
        matchLabels: { verb: 'GET' },
        matchExpressions: [
          { key: 'env', operator: 'NotIn', values: ['prod'] },
          { key: 'tier', operator: 'NotIn', values: ['a', 'b'] },
        ],
      },
    });
  });

  it('no metric selector is a null selector', async () => {
    const { body } = await json<ListDoc<MetricValueDoc>>(
      await app.get(`${base(version)}/nodes/n1/node_load`),
    );
    expect(metricOf(body.items[0]!)).toEqual({ name: 'node_load', selector: null });
  });
});

describe('custom.metrics.k8s.io version differences: should pass', () => {
  it('v1beta1 writes metricName, window and selector', async () => {
    const text = await (await app.get(`${base('v1beta1')}/nodes/n1/node_load`)).text();
    expect(text).toBe(
      '{"kind":"MetricValueList","apiVersion":"custom.metrics.k8s.io/v1beta1","metadata":{},"items":[{"describedObject":{"kind":"Node","name":"n1","apiVersion":"v1"},' +
        '"metricName":"node_load","timestamp":"2024-05-01T11:59:45Z","window":60,"value":"2","selector":null}]}',
    );
  });

  it('v1beta2 writes metric {name, selector} and windowSeconds', async () => {
    const text = await (
      await app.get(`${base('v1beta2')}/namespaces/default/services/frontend/rps`)
    ).text();
    expect(text).toBe(
      '{"kind":"MetricValueList","apiVersion":"custom.metrics.k8s.io/v1beta2","metadata":{},"items":[{"describedObject":{"kind":"Service","namespace":"default","name":"frontend","apiVersion":"v1"},' +
        '"metric":{"name":"rps","selector":null},"timestamp":"2024-05-01T11:59:45Z","windowSeconds":30,"value":"100500m"}]}',
    );
  });
});

describe.each(VERSIONS)('custom.metrics.k8s.io/%s: should fail', (version) => {
  const NOT_FOUND = 'the server could not find the requested resource';
  const cases = [
    { name: 'root GET missing storage', path: '/blah', code: 404, message: NOT_FOUND },
    { name: 'GET at root resource leaf', path: '/nodes/foo', code: 404, message: NOT_FOUND },
    {
      name: 'GET at namespaced resource leaf',
      path: '/namespaces/ns/pods/bar',
      code: 404,
      message: NOT_FOUND,
    },
    {
      name: 'GET for metric with slashes',
      path: '/namespaces/default/pods/web-1/a/b',
      code: 404,
      message: NOT_FOUND,
    },
    {
      name: 'GET with an empty segment',
      path: '/namespaces//pods/*/http_requests',
      code: 404,
      message: NOT_FOUND,
    },
    {
      name: 'GET for an unknown metric',
      path: '/namespaces/default/pods/*/nope',
      code: 404,
      message: 'the server could not find the metric nope for pods',
    },
    {
      name: 'GET for a namespaced metric at root scope',
      path: '/pods/*/http_requests',
      code: 404,
      message: 'the server could not find the metric http_requests for pods',
    },
    {
      // prometheus-adapter QueryForMetric refuses an empty name list ("no resource names requested").
      name: 'GET for pods matching nothing',
      path: '/namespaces/default/pods/*/http_requests?labelSelector=app%3Dnone',
      code: 404,
      message: 'the server could not find the metric http_requests for pods',
    },
    {
      name: 'GET for an object without a value',
      path: '/namespaces/default/pods/db-0/http_requests',
      code: 404,
      message: 'the server could not find the metric http_requests for pods db-0',
    },
    {
      name: 'GET by name where the metric selector matches nothing',
      path: '/namespaces/default/pods/web-2/http_requests?metricLabelSelector=verb%3DGET',
      code: 404,
      message:
        'the server could not find the metric http_requests for pods web-2 with selector verb=GET',
    },
    {
      name: 'GET for an infinite value',
      path: '/namespaces/default/pods/web-2/errors',
      code: 404,
      message: 'the server could not find the metric errors for pods web-2',
    },
    {
      name: 'GET for an object metric in the wrong group',
      path: '/namespaces/default/deployments.extensions/web/replicas_wanted',
      code: 404,
      message: 'the server could not find the metric replicas_wanted for deployments.extensions',
    },
    {
      // Upstream's root route matches, but its RequestInfo sees namespace + bare resource (get.go).
      name: 'GET for a namespace as a root-scoped object',
      path: '/namespaces/default/queue_depth',
      code: 400,
      message: 'invalid request path',
    },
    {
      name: 'GET for every namespace as root-scoped objects',
      path: '/namespaces/*/queue_depth',
      code: 400,
      message: 'invalid request path',
    },
    {
      name: 'bad label selector',
      path: '/namespaces/default/pods/*/http_requests?labelSelector=app%3D%3D%3D',
      code: 400,
      message: /^unable to parse labelSelector/,
    },
    {
      name: 'bad metric label selector',
      path: '/namespaces/default/pods/*/http_requests?metricLabelSelector=(',
      code: 400,
      message: /^unable to parse metricLabelSelector/,
    },
    {
      name: 'unknown field selector',
      path: '/namespaces/default/pods/*/http_requests?fieldSelector=status.phase%3DRunning',
      code: 400,
      message: /is not a known field selector/,
    },
    {
      name: 'oversized metric selector',
      path: `/namespaces/default/pods/*/http_requests?metricLabelSelector=a%3D${'b'.repeat(8200)}`,
      code: 400,
      message: 'metricLabelSelector is longer than the limit of 8192 bytes',
    },
    {
      name: 'selector over a resource the cluster cannot list',
      path: '/namespaces/default/gizmos/*/spin',
      code: 500,
      message: 'Internal error occurred: unable to list matching resources',
    },
  ];

  it.each(cases)('$name', async ({ path, code, message }) => {
    const res = await json(await app.get(`${base(version)}${path}`));
    expect(res.code).toBe(code);
    expect(shapeIssues('Status', res.body)).toEqual([]);
    if (typeof message === 'string') expect(res.body.message).toBe(message);
    else expect(res.body.message).toMatch(message);
  });

  it('a failing store is 500 without its details', async () => {
    const res = await json(
      await failing.get(`${base(version)}/namespaces/default/pods/*/http_requests`),
    );
    expect(res.code).toBe(500);
    expect(res.body.reason).toBe('InternalError');
    expect(res.body.message).toBe('Internal error occurred: unable to fetch metrics');
    expect(JSON.stringify(res.body)).not.toContain('prometheus:9090');
  });

  it('POST is 405', async () => {
    const res = await app.get(`${base(version)}/namespaces/default/pods/*/http_requests`, {
      method: 'POST',
    });
    expect(res.status).toBe(405);
    expect((await json(res)).body.reason).toBe('MethodNotAllowed');
  });

  it('Table-only Accept is 406 (no Table form for custom metrics)', async () => {
    const res = await app.get(`${base(version)}/nodes/n1/node_load`, {
      headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io' },
    });
    expect(res.status).toBe(406);
  });
});
