import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hpaRouter } from '../../../adapter/index.js';
import { createSelfMetrics, silentLogger } from '../../../src/observability/index.js';
import { HpaRuntime } from '../../../src/runtime/index.js';
import { FakeClusterView } from '../../support/fake-cluster.js';
import { FakeHpaSource, hpaObject, runningPod } from '../../support/fake-hpa-source.js';
import {
  FakeCustomMetrics,
  FakeExternalMetrics,
  FakeResourceMetrics,
} from '../../support/fake-readers.js';
import { FakeTime } from '../../support/fake-time.js';
import type { HpaDecisionRecord } from '../../../src/runtime/index.js';
import type { StatusDoc } from '../docs.js';
import { json, startApp, type Running } from '../serve.js';

interface HpaListDoc {
  kind: string;
  items: HpaDecisionRecord[];
}

const WEB = { kind: 'Deployment', name: 'web' };
let app: Running;
let runtime: HpaRuntime;

/** Real records: the runtime evaluates shop/web (scales 2 → 4, controller has 2) twice, and shop/ghost (no target). */
beforeAll(async () => {
  const time = new FakeTime();
  const source = new FakeHpaSource();
  source.hpas = [
    hpaObject({ name: 'web', target: WEB, status: { desiredReplicas: 2 } }),
    hpaObject({ name: 'ghost', target: { kind: 'Deployment', name: 'missing' } }),
    hpaObject({ namespace: 'blog', name: 'api', target: WEB }),
  ];
  source.setScale('shop', WEB, { specReplicas: 2, statusReplicas: 2, selector: 'app=web' });
  const pods = ['web-1', 'web-2'].map((name) =>
    runningPod({ name, labels: { app: 'web' }, nowMs: time.now() }),
  );
  const usage = { cpuNanoCores: 180e6, memoryBytes: 1e8 };
  const resource = new FakeResourceMetrics(
    [],
    pods.map((p) => ({
      namespace: 'shop',
      name: p.metadata!.name!,
      timestampMs: time.now(),
      windowMs: 30_000,
      containers: [{ name: 'app', usage }],
    })),
  );
  runtime = new HpaRuntime({
    hpas: source,
    cluster: new FakeClusterView({ pods }),
    resourceMetrics: resource,
    customMetrics: new FakeCustomMetrics(),
    externalMetrics: new FakeExternalMetrics(),
    clock: time,
    sleep: time.sleep,
    logger: silentLogger,
    metrics: createSelfMetrics(new Registry()),
  });
  await runtime.syncOnce();
  await runtime.syncOnce();
  app = await startApp({ extraRoutes: (a) => a.use(hpaRouter(runtime)) });
});
afterAll(() => app.close());

describe('/hpa: should pass', () => {
  it('GET /hpa lists every record as JSON', async () => {
    const { code, type, body } = await json<HpaListDoc>(await app.get('/hpa'));
    expect(code).toBe(200);
    expect(type).toBe('application/json');
    expect(body.kind).toBe('HpaDecisionList');
    expect(body.items.map((r) => `${r.hpa.namespace}/${r.hpa.name}:${r.result}`)).toEqual([
      'blog/api:failed',
      'shop/ghost:failed',
      'shop/web:scaled',
    ]);
  });

  it('GET /hpa/{namespace} lists one namespace', async () => {
    const { body } = await json<HpaListDoc>(await app.get('/hpa/shop'));
    expect(body.items.map((r) => r.hpa.name)).toEqual(['ghost', 'web']);
  });

  it('GET /hpa/{namespace}/{name} is the record as JSON', async () => {
    const { code, body } = await json<HpaDecisionRecord>(await app.get('/hpa/shop/web'));
    expect(code).toBe(200);
    expect(body).toEqual(JSON.parse(JSON.stringify(runtime.getDecision('shop', 'web'))));
    expect(body).toMatchObject({
      result: 'scaled',
      agrees: false,
      controllerDesiredReplicas: 2,
      decision: { desiredReplicas: 4, currentReplicas: 2 },
    });
  });

  it('?format=text renders the decision and the comparison with the controller', async () => {
    const res = await app.get('/hpa/shop/web?format=text');
    expect(res.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    const text = await res.text();
    const lines = text.split('\n');
    expect(lines[0]).toMatch(
      /^hpa shop\/web \(target Deployment\/web\), evaluated at 2027-01-15T08:00:00Z: scaled$/,
    );
    expect(lines[1]).toBe('desired replicas: 4 (current 2, rescale from 2)');
    expect(text).toContain(
      '  - cpu resource utilization (percentage of request): current 90% against target 50%, usage ratio 1.8\n',
    );
    expect(lines.at(-2)).toBe(
      'controller: status.desiredReplicas 2; differs: scaleplane recommends 4 (metric cpu resource utilization (percentage of request): 90% of target 50%), controller has 2',
    );
  });

  it('?format=text on a list is one line per HPA', async () => {
    const text = await (await app.get('/hpa?format=text')).text();
    expect(text).toBe(
      'blog/api: failed, desired 0 (current 0, controller -)\n' +
        'shop/ghost: failed, desired 0 (current 0, controller -)\n' +
        'shop/web: scaled, desired 4 (current 2, controller 2, differs)\n',
    );
  });

  it('a failed HPA explains itself in text', async () => {
    const text = await (await app.get('/hpa/shop/ghost?format=text')).text();
    expect(text).toContain('AbleToScale     False  FailedGetScale');
    expect(text).toContain('could not be read: deployments "missing" not found');
    expect(text.trimEnd().split('\n').at(-1)).toBe('controller: no status.desiredReplicas yet');
  });
});

describe('/hpa: should fail', () => {
  it('an unknown HPA is a 404 NotFound Status', async () => {
    const { code, body } = await json(await app.get('/hpa/shop/nope'));
    expect(code).toBe(404);
    expect(body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'horizontalpodautoscalers.autoscaling "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: 'autoscaling', kind: 'horizontalpodautoscalers' },
      code: 404,
    });
  });

  const cases = [
    {
      name: 'an unknown format',
      path: '/hpa/shop/web?format=yaml',
      method: 'GET',
      code: 400,
      reason: 'BadRequest',
    },
    {
      name: 'a write method',
      path: '/hpa/shop/web',
      method: 'DELETE',
      code: 405,
      reason: 'MethodNotAllowed',
    },
    {
      name: 'a deeper path',
      path: '/hpa/shop/web/extra',
      method: 'GET',
      code: 404,
      reason: 'NotFound',
    },
  ];
  it.each(cases)('$name', async ({ path, method, code, reason }) => {
    const res = await app.get(path, { method });
    expect(res.status).toBe(code);
    expect(((await res.json()) as StatusDoc).reason).toBe(reason);
  });
});
