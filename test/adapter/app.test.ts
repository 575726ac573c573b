import type { RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupLabel, versionJson } from '../../adapter/index.js';
import { unauthorized } from '../../src/k8s/index.js';
import { FakeClusterView, node } from '../support/fake-cluster.js';
import { FakeCustomMetrics, FakeResourceMetrics } from '../support/fake-readers.js';
import { json, startApp, type Running } from './serve.js';
import type { VersionDoc } from './docs.js';
import { shapeIssues } from './shapes.js';

const hanging = new FakeCustomMetrics([
  {
    groupResource: { group: '', resource: 'nodes' },
    name: 'n1',
    metric: 'm',
    value: 1,
    timestampMs: 0,
  },
]);
hanging.behaviour = { kind: 'hang' };

/** A guard that refuses requests without a token, in the shape adapter/auth's guard takes. */
const guard: RequestHandler = (req, _res, next) =>
  req.headers.authorization === 'Bearer ok' ? next() : next(unauthorized());
const auth = { headers: { authorization: 'Bearer ok' } };

let app: Running;
let guarded: Running;
beforeAll(async () => {
  app = await startApp({
    resource: new FakeResourceMetrics([
      { name: 'n1', timestampMs: 0, windowMs: 1000, usage: { cpuNanoCores: 1, memoryBytes: 1 } },
    ]),
    cluster: new FakeClusterView({ nodes: [node('n1')] }),
    custom: hanging,
    limits: { requestTimeoutMs: 100 },
    extraRoutes: (a) =>
      a.get('/hpa/:namespace/:name', (req, res) =>
        res.json({ hpa: `${req.params.namespace}/${req.params.name}` }),
      ),
    version: { gitVersion: 'v0.3.1', gitCommit: 'abc123', buildDate: '2024-05-01T00:00:00Z' },
  });
  guarded = await startApp({ guard });
});
afterAll(async () => {
  await app.close();
  await guarded.close();
});

async function counter(r: Running, name: string): Promise<Record<string, number>> {
  const metric = (await r.metrics.registry.getMetricsAsJSON()).find((m) => m.name === name)!;
  return Object.fromEntries(metric.values.map((v) => [Object.values(v.labels).join('|'), v.value]));
}

describe('application: should pass', () => {
  it('/version reports version.Info', async () => {
    const { code, body } = await json<VersionDoc>(await app.get('/version'));
    expect(code).toBe(200);
    expect(body).toMatchObject({
      major: '0',
      minor: '3',
      gitVersion: 'v0.3.1',
      gitCommit: 'abc123',
      buildDate: '2024-05-01T00:00:00Z',
      compiler: 'node',
    });
    expect(body.platform).toMatch(/^\w+\/\w+$/);
  });

  it('extra routes are mounted after the API', async () => {
    const { code, body } = await json<{ hpa: string }>(await app.get('/hpa/default/web'));
    expect(code).toBe(200);
    expect(body).toEqual({ hpa: 'default/web' });
  });

  it('every response is counted by group and code, and timed', async () => {
    await app.get('/apis/metrics.k8s.io/v1beta1/nodes');
    await app.get('/apis/metrics.k8s.io/v1beta1/nodes/none');
    await app.get('/livez');
    const requests = await counter(app, 'scaleplane_api_requests_total');
    expect(requests['metrics.k8s.io|200']).toBeGreaterThanOrEqual(1);
    expect(requests['metrics.k8s.io|404']).toBeGreaterThanOrEqual(1);
    expect(requests['health|200']).toBeGreaterThanOrEqual(1);
    const histogram = (await app.metrics.registry.getMetricsAsJSON()).find(
      (m) => m.name === 'scaleplane_api_request_duration_seconds',
    )!;
    const count = histogram.values.find(
      (v) =>
        (v as { metricName?: string }).metricName ===
          'scaleplane_api_request_duration_seconds_count' && v.labels.group === 'metrics.k8s.io',
    );
    expect(count?.value).toBeGreaterThanOrEqual(2);
  });

  it('the guard runs before every route and its refusal is a Status', async () => {
    const refused = await json(await guarded.get('/apis'));
    expect(refused.code).toBe(401);
    expect(shapeIssues('Status', refused.body)).toEqual([]);
    expect((await guarded.get('/livez')).status).toBe(401);
    expect((await guarded.get('/apis', auth)).status).toBe(200);
  });

  const labels = [
    { path: '/apis/custom.metrics.k8s.io/v1beta1/nodes/n/m', want: 'custom.metrics.k8s.io' },
    { path: '/apis', want: 'discovery' },
    { path: '/apis/apps/v1', want: 'discovery' },
    { path: '/openapi/v2', want: 'openapi' },
    { path: '/readyz/ping', want: 'health' },
    { path: '/metrics', want: 'metrics' },
    { path: '/x/y', want: 'other' },
  ];
  it.each(labels)('group label of $path is $want', ({ path, want }) =>
    expect(groupLabel(path)).toBe(want),
  );

  it('versionJson derives major and minor from gitVersion', () => {
    expect(JSON.parse(versionJson({ gitVersion: 'v1.32.4-scaleplane' }))).toMatchObject({
      major: '1',
      minor: '32',
    });
  });
});

describe('application: should fail', () => {
  const cases = [
    {
      name: 'an unknown top-level path',
      path: '/nope',
      method: 'GET',
      code: 404,
      reason: 'unknown_path',
    },
    {
      name: 'a path that does not decode',
      path: '/apis/metrics.k8s.io/v1beta1/nodes/%E0%A4%A',
      method: 'GET',
      code: 400,
      reason: 'bad_request',
    },
    {
      name: 'PUT on /version',
      path: '/version',
      method: 'PUT',
      code: 405,
      reason: 'method_not_allowed',
    },
    {
      name: 'a handler past its deadline',
      path: '/apis/custom.metrics.k8s.io/v1beta2/nodes/n1/m',
      method: 'GET',
      code: 504,
      reason: 'timeout',
    },
  ];
  it.each(cases)('$name', async ({ path, method, code, reason }) => {
    const before = (await counter(app, 'scaleplane_api_rejected_requests_total'))[reason] ?? 0;
    const res = await json(await app.get(path, { method }));
    expect(res.code).toBe(code);
    expect(shapeIssues('Status', res.body)).toEqual([]);
    expect((await counter(app, 'scaleplane_api_rejected_requests_total'))[reason]).toBe(before + 1);
  });

  it('the deadline answer has the apiserver wording', async () => {
    const res = await json(await app.get('/apis/custom.metrics.k8s.io/v1beta1/nodes/n1/m'));
    expect(res.body.reason).toBe('Timeout');
    expect(res.body.message).toBe(
      'Timeout: request did not complete within requested timeout - context deadline exceeded',
    );
  });
});
