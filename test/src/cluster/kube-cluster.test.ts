import nock from 'nock';
import { Registry } from 'prom-client';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubeCluster } from '../../../src/cluster/index.js';
import { createSelfMetrics, silentLogger } from '../../../src/observability/index.js';
import {
  API_SERVER,
  eventually,
  listBody,
  nockDiscovery,
  nockList,
  nockUnreachable,
  nockWatch,
  object,
  testKubeConfig,
  type WatchStream,
} from '../../support/fake-cluster-api.js';
import { FakeTime } from '../../support/fake-time.js';

const HPAS = '/apis/autoscaling/v2/horizontalpodautoscalers';
let cluster: KubeCluster | undefined;

beforeAll(() => nock.disableNetConnect());
afterEach(async () => {
  await cluster?.stop();
  cluster = undefined;
  nock.cleanAll();
});

function build(time: FakeTime, watchHpas = true): KubeCluster {
  cluster = new KubeCluster({
    kubeConfig: testKubeConfig(),
    clock: time,
    sleep: time.sleep,
    random: () => 0,
    logger: silentLogger,
    metrics: createSelfMetrics(new Registry()),
    watchHpas,
  });
  return cluster;
}

function coreInformers(): { pods: WatchStream } {
  nockList('/api/v1/nodes', listBody([object('Node', 'n1')], '1'));
  nockList(
    '/api/v1/pods',
    listBody([object('Pod', 'web-1', { namespace: 'shop', labels: { app: 'web' } })], '1'),
  );
  nockList('/api/v1/namespaces', listBody([object('Namespace', 'shop')], '1'));
  nockWatch('/api/v1/nodes');
  nockWatch('/api/v1/namespaces');
  return { pods: nockWatch('/api/v1/pods') };
}

const hpa = object('HorizontalPodAutoscaler', 'web', {
  namespace: 'shop',
  extra: {
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
      maxReplicas: 5,
    },
  },
});

describe('KubeCluster: should pass', () => {
  it('serves the view and the HPAs, and is ready once every informer listed', async () => {
    coreInformers();
    nockList(HPAS, listBody([hpa], '1'));
    nockWatch(HPAS);
    const c = build(new FakeTime());
    await c.start();
    expect(c.health.check()).toEqual({ ok: true });
    expect(c.hpaSource?.listHpas().map((h) => h.metadata?.name)).toEqual(['web']);
    expect(c.view.listPods('shop').map((p) => p.metadata?.name)).toEqual(['web-1']);
    nockDiscovery();
    nock(API_SERVER)
      .get('/apis/apps/v1/namespaces/shop/deployments/web/scale')
      .reply(200, { spec: { replicas: 2 }, status: { replicas: 2, selector: 'app=web' } });
    expect(
      await c.hpaSource!.getScale('shop', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: 'web',
      }),
    ).toEqual({ specReplicas: 2, statusReplicas: 2, selector: 'app=web' });
  });

  it('without HPA watching there is no HpaSource and readiness covers the view only', async () => {
    coreInformers();
    const c = build(new FakeTime(), false);
    await c.start();
    expect(c.hpaSource).toBeUndefined();
    expect(c.health.check()).toEqual({ ok: true });
  });

  it('maps a kind to its group resource through discovery', async () => {
    nockDiscovery();
    const c = build(new FakeTime(), false);
    expect(await c.resourceForKind('apps/v1', 'Deployment')).toEqual({
      group: 'apps',
      resource: 'deployments',
    });
    expect(await c.resourceForKind('v1', 'Service')).toEqual({ group: '', resource: 'services' });
    expect(await c.resourceForKind('apps/v1', 'Nope')).toBeUndefined();
  });
});

describe('KubeCluster: should fail, never crash', () => {
  it('not ready until the HPA list succeeds; then ready', async () => {
    const time = new FakeTime();
    coreInformers();
    nockList(
      HPAS,
      {
        kind: 'Status',
        reason: 'Forbidden',
        message: 'horizontalpodautoscalers.autoscaling is forbidden',
      },
      () => true,
      403,
    );
    const c = build(time);
    await c.start();
    expect(c.health.check()).toEqual({
      ok: false,
      reason:
        'waiting for the initial list of horizontalpodautoscalers: horizontalpodautoscalers.autoscaling is forbidden',
    });
    nockList(HPAS, listBody([hpa], '2'));
    nockWatch(HPAS);
    await time.advance(800);
    await eventually(() => c.health.check().ok);
  });

  it('a lost API server degrades readiness after the grace period, and the last pods stay served', async () => {
    const time = new FakeTime();
    const { pods } = coreInformers();
    const c = build(time, false);
    await c.start();
    nockUnreachable('/api/v1/pods', true, 50);
    pods.close();
    await eventually(
      () => c.view.states()[1]!.brokenSinceMs !== undefined && time.pendingTimers === 1,
    );
    await time.advance(90_000);
    expect(c.health.check().ok).toBe(true);
    await time.advance(1_000);
    expect(c.health.check()).toEqual({
      ok: false,
      reason: expect.stringMatching(
        /^watch of pods broken for 91s: request to .* failed, reason: connect ECONNREFUSED 127\.0\.0\.1:6443$/,
      ),
    });
    expect(c.view.listPods('shop').map((p) => p.metadata?.name)).toEqual(['web-1']);
  });
});
