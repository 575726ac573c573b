/**
 * The embedded cluster's read-only Kubernetes API over the real simulated cluster: discovery that
 * client-go (kubectl top, hpa explain) reads, lists with label selectors, gets, the Deployment's
 * Scale, NotFound Status and 405 on writes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubeRouter } from '../../../adapter/index.js';
import { SimCluster, SimWorld, walkthroughHpa, walkthroughWorld } from '../../../src/sim/index.js';
import { json, startApp, NOW_MS, type Running } from '../serve.js';

// Loosely typed on purpose: each case reads the fields of its own document kind.
type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
let app: Running;

beforeAll(async () => {
  const world = new SimWorld(walkthroughWorld({ startMs: NOW_MS }));
  world.setReplicas('default', 'php-apache', 3);
  const sim = new SimCluster({
    world,
    clock: { now: () => NOW_MS },
    hpas: [walkthroughHpa(NOW_MS)],
  });
  app = await startApp({ firstRoutes: (a) => void a.use(kubeRouter({ reader: sim })) });
});
afterAll(() => app.close());

describe('embedded Kubernetes API: should pass', () => {
  const cases = [
    {
      name: '/api lists the core version',
      path: '/api',
      check: (b: Doc) => expect(b).toMatchObject({ kind: 'APIVersions', versions: ['v1'] }),
    },
    {
      name: '/apis lists apps and autoscaling before the metrics groups',
      path: '/apis',
      check: (b: Doc) =>
        expect(b.groups.map((g: { name: string }) => g.name)).toEqual([
          'apps',
          'autoscaling',
          'metrics.k8s.io',
          'custom.metrics.k8s.io',
          'external.metrics.k8s.io',
        ]),
    },
    {
      name: '/apis/apps/v1 has deployments with a scale subresource',
      path: '/apis/apps/v1',
      check: (b: Doc) =>
        expect(b.resources.map((r: { name: string }) => r.name)).toEqual([
          'deployments',
          'deployments/scale',
        ]),
    },
    {
      name: 'nodes are listed',
      path: '/api/v1/nodes',
      check: (b: Doc) => {
        expect(b.kind).toBe('NodeList');
        expect(b.items).toHaveLength(3);
      },
    },
    {
      name: 'pods by label selector',
      path: '/api/v1/namespaces/default/pods?labelSelector=run%3Dphp-apache',
      check: (b: Doc) => expect(b.items).toHaveLength(3),
    },
    {
      name: 'a selector that matches nothing',
      path: '/api/v1/namespaces/default/pods?labelSelector=run%3Dother',
      check: (b: Doc) => expect(b.items).toEqual([]),
    },
    {
      name: 'the Deployment scale: spec, status and selector',
      path: '/apis/apps/v1/namespaces/default/deployments/php-apache/scale',
      check: (b: Doc) =>
        expect(b).toMatchObject({
          kind: 'Scale',
          apiVersion: 'autoscaling/v1',
          spec: { replicas: 3 },
          status: { replicas: 3, selector: 'run=php-apache' },
        }),
    },
    {
      name: 'the HPA by name',
      path: '/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers/php-apache',
      check: (b: Doc) => expect(b.spec.maxReplicas).toBe(10),
    },
  ];
  it.each(cases)('$name', async ({ path, check }) => {
    const res = await app.get(path);
    expect(res.status).toBe(200);
    check((await json<Doc>(res)).body);
  });
});

describe('embedded Kubernetes API: should fail', () => {
  const cases = [
    {
      name: 'a missing pod is a NotFound Status',
      path: '/api/v1/namespaces/default/pods/nope',
      code: 404,
      message: 'pods "nope" not found',
    },
    {
      name: 'a Deployment in another namespace is not found',
      path: '/apis/apps/v1/namespaces/other/deployments/php-apache',
      code: 404,
      message: 'deployments.apps "php-apache" not found',
    },
    {
      name: 'a bad label selector is a BadRequest',
      path: '/api/v1/pods?labelSelector=%3D%3D',
      code: 400,
      message: 'unable to parse labelSelector',
    },
  ];
  it.each(cases)('$name', async ({ path, code, message }) => {
    const res = await app.get(path);
    expect(res.status).toBe(code);
    expect((await json(res)).body.message).toContain(message);
  });

  it('writes are refused with 405', async () => {
    const res = await app.get('/api/v1/nodes', { method: 'DELETE' });
    expect(res.status).toBe(405);
  });
});
