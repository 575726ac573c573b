import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customResources, externalResources } from '../../../adapter/discovery/index.js';
import { FakeCustomMetrics, FakeExternalMetrics } from '../../support/fake-readers.js';
import { json, startApp, type Running } from '../serve.js';
import type { APIGroupDoc, APIGroupListDoc, APIResourceListDoc } from '../docs.js';
import { shapeIssues } from '../shapes.js';

const custom = new FakeCustomMetrics(
  [],
  [
    { groupResource: { group: '', resource: 'pods' }, namespaced: true, metric: 'http_requests' },
    {
      groupResource: { group: 'apps', resource: 'deployments' },
      namespaced: true,
      metric: 'replicas_wanted',
    },
    { groupResource: { group: '', resource: 'nodes' }, namespaced: false, metric: 'node_load' },
    { groupResource: { group: '', resource: 'pods' }, namespaced: true, metric: 'http_requests' },
  ],
);
const external = new FakeExternalMetrics([
  { namespace: 'default', metric: 'queue_messages', labels: {}, value: 1, timestampMs: 0 },
]);

let app: Running;
let empty: Running;
beforeAll(async () => {
  app = await startApp({ custom, external });
  empty = await startApp();
});
afterAll(async () => {
  await app.close();
  await empty.close();
});

describe('discovery: should pass', () => {
  it('/apis lists the three groups with preferred versions', async () => {
    const { code, body } = await json<APIGroupListDoc>(await app.get('/apis'));
    expect(code).toBe(200);
    expect(body.kind).toBe('APIGroupList');
    expect(
      body.groups.map((g) => [
        g.name,
        g.preferredVersion.version,
        g.versions.map((v) => v.groupVersion),
      ]),
    ).toEqual([
      ['metrics.k8s.io', 'v1beta1', ['metrics.k8s.io/v1beta1']],
      [
        'custom.metrics.k8s.io',
        'v1beta2',
        ['custom.metrics.k8s.io/v1beta2', 'custom.metrics.k8s.io/v1beta1'],
      ],
      ['external.metrics.k8s.io', 'v1beta1', ['external.metrics.k8s.io/v1beta1']],
    ]);
  });

  it('/apis/custom.metrics.k8s.io is an APIGroup preferring v1beta2', async () => {
    const { body } = await json<APIGroupDoc>(await app.get('/apis/custom.metrics.k8s.io'));
    expect(body).toEqual({
      kind: 'APIGroup',
      apiVersion: 'v1',
      name: 'custom.metrics.k8s.io',
      versions: [
        { groupVersion: 'custom.metrics.k8s.io/v1beta2', version: 'v1beta2' },
        { groupVersion: 'custom.metrics.k8s.io/v1beta1', version: 'v1beta1' },
      ],
      preferredVersion: { groupVersion: 'custom.metrics.k8s.io/v1beta2', version: 'v1beta2' },
    });
  });

  const lists = [
    {
      name: 'metrics.k8s.io lists nodes and pods',
      path: '/apis/metrics.k8s.io/v1beta1',
      want: [
        ['nodes', false, 'NodeMetrics', ['get', 'list']],
        ['pods', true, 'PodMetrics', ['get', 'list']],
      ],
    },
    {
      name: 'custom v1beta1 lists every metric as resource/metric, once, sorted',
      path: '/apis/custom.metrics.k8s.io/v1beta1',
      want: [
        ['deployments.apps/replicas_wanted', true, 'MetricValueList', ['get']],
        ['nodes/node_load', false, 'MetricValueList', ['get']],
        ['pods/http_requests', true, 'MetricValueList', ['get']],
      ],
    },
    {
      name: 'custom v1beta2 lists the same',
      path: '/apis/custom.metrics.k8s.io/v1beta2/',
      want: [
        ['deployments.apps/replicas_wanted', true, 'MetricValueList', ['get']],
        ['nodes/node_load', false, 'MetricValueList', ['get']],
        ['pods/http_requests', true, 'MetricValueList', ['get']],
      ],
    },
    {
      name: 'external lists metric names',
      path: '/apis/external.metrics.k8s.io/v1beta1',
      want: [['queue_messages', true, 'ExternalMetricValueList', ['get']]],
    },
  ];
  it.each(lists)('$name', async ({ path, want }) => {
    const { code, body } = await json<APIResourceListDoc>(await app.get(path));
    expect(code).toBe(200);
    expect(shapeIssues('APIResourceList', body)).toEqual([]);
    expect(body.resources.map((r) => [r.name, r.namespaced, r.kind, r.verbs])).toEqual(want);
  });

  const placeholders = [
    {
      name: 'custom v1beta1 with no metrics is never an empty list',
      path: '/apis/custom.metrics.k8s.io/v1beta1',
      want: 'custommetrics',
    },
    {
      name: 'custom v1beta2 with no metrics',
      path: '/apis/custom.metrics.k8s.io/v1beta2',
      want: 'custommetrics',
    },
    {
      name: 'external with no metrics',
      path: '/apis/external.metrics.k8s.io/v1beta1',
      want: 'externalmetrics',
    },
  ];
  it.each(placeholders)('$name', async ({ path, want }) => {
    const { body } = await json<APIResourceListDoc>(await empty.get(path));
    expect(body.resources).toHaveLength(1);
    expect(body.resources[0]!.name).toBe(want);
    expect(body.resources[0]!.verbs).toEqual(['get']);
  });

  it('documents follow the store: a new metric appears without a restart', () => {
    expect(customResources([]).map((r) => r.name)).toEqual(['custommetrics']);
    expect(
      externalResources([{ metric: 'b' }, { metric: 'a' }, { metric: 'b' }]).map((r) => r.name),
    ).toEqual(['a', 'b']);
  });
});

describe('discovery: should fail', () => {
  const cases = [
    { name: 'an unknown group', path: '/apis/apps', code: 404 },
    { name: 'an unknown version of a served group', path: '/apis/metrics.k8s.io/v1', code: 404 },
    { name: 'the legacy core API', path: '/api', code: 404 },
  ];
  it.each(cases)('$name', async ({ path, code }) => {
    const res = await json(await app.get(path));
    expect(res.code).toBe(code);
    expect(res.body.message).toBe('the server could not find the requested resource');
    expect(res.body.details).toEqual({});
  });

  it('POST to /apis is 405 with the generic wording', async () => {
    const res = await json(await app.get('/apis', { method: 'POST' }));
    expect(res.code).toBe(405);
    expect(res.body.message).toBe(
      'the server does not allow this method on the requested resource',
    );
  });
});
