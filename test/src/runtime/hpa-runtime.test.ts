import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ScaleError } from '../../../src/cluster/index.js';
import {
  createSelfMetrics,
  silentLogger,
  type SelfMetrics,
} from '../../../src/observability/index.js';
import { HpaRuntime, type HpaDecisionRecord } from '../../../src/runtime/index.js';
import { FakeClusterView } from '../../support/fake-cluster.js';
import {
  FakeEventRecorder,
  FakeHpaSource,
  FakeScaleWriter,
  hpaObject,
  runningPod,
  type HpaInit,
} from '../../support/fake-hpa-source.js';
import {
  FakeCustomMetrics,
  FakeExternalMetrics,
  FakeResourceMetrics,
} from '../../support/fake-readers.js';
import { FakeTime } from '../../support/fake-time.js';

const WEB = { kind: 'Deployment', name: 'web' };
const SYNC_MS = 15_000;

/** A cluster with Deployment shop/web (2 pods requesting 200m CPU) and the runtime over fakes. */
function harness(o: { hpas?: HpaInit[]; writer?: boolean; custom?: FakeCustomMetrics } = {}) {
  const time = new FakeTime();
  const source = new FakeHpaSource();
  source.hpas = (
    o.hpas ?? [{ name: 'web', target: WEB, status: { desiredReplicas: 2, currentReplicas: 2 } }]
  ).map(hpaObject);
  source.setScale('shop', WEB, { specReplicas: 2, statusReplicas: 2, selector: 'app=web' });
  const pods = ['web-1', 'web-2'].map((name) =>
    runningPod({ name, labels: { app: 'web' }, nowMs: time.now() }),
  );
  const resource = new FakeResourceMetrics();
  const events = new FakeEventRecorder();
  const metrics = createSelfMetrics(new Registry());
  const writer = o.writer ? new FakeScaleWriter(source) : undefined;
  const syncs: number[] = [];
  const runtime = new HpaRuntime({
    hpas: source,
    cluster: new FakeClusterView({ pods }),
    resourceMetrics: resource,
    customMetrics: o.custom ?? new FakeCustomMetrics(),
    externalMetrics: new FakeExternalMetrics(),
    clock: time,
    sleep: time.sleep,
    logger: silentLogger,
    metrics,
    events,
    scaleWriter: writer,
    onSync: () => syncs.push(time.now()),
  });
  /** Every web pod uses `millicores` CPU, measured now. */
  const load = (millicores: number): void => {
    resource.pods.length = 0;
    for (const p of pods) {
      resource.pods.push({
        namespace: 'shop',
        name: p.metadata!.name!,
        timestampMs: time.now(),
        windowMs: 30_000,
        containers: [{ name: 'app', usage: { cpuNanoCores: millicores * 1e6, memoryBytes: 1e8 } }],
      });
    }
  };
  /** Sets the load, syncs, and moves time one sync period on; returns web's record. */
  const syncAt = async (millicores: number, name = 'web'): Promise<HpaDecisionRecord> => {
    load(millicores);
    await runtime.syncOnce();
    await time.advance(SYNC_MS);
    return runtime.getDecision('shop', name)!;
  };
  return { time, source, runtime, events, metrics, writer, syncAt, syncs };
}

async function series(
  metrics: SelfMetrics,
  name: 'hpaDesiredReplicas' | 'hpaCurrentReplicas' | 'hpaDisagreements',
): Promise<Array<[string, number]>> {
  return (await metrics[name].get()).values.map((v): [string, number] => [
    `${v.labels.namespace}/${v.labels.name}`,
    v.value,
  ]);
}

async function evaluations(metrics: SelfMetrics): Promise<Record<string, number>> {
  return Object.fromEntries(
    (await metrics.hpaEvaluations.get()).values.map((v): [string, number] => [
      String(v.labels.result),
      v.value,
    ]),
  );
}

describe('HpaRuntime recommend mode: should pass', () => {
  it('an HPA whose load rises scales up in its decision, and the explanation says why', async () => {
    const h = harness();
    const calm = await h.syncAt(100);
    expect(calm).toMatchObject({
      result: 'unchanged',
      decision: { desiredReplicas: 2, currentReplicas: 2, rescale: false },
    });
    const busy = await h.syncAt(180);
    expect(busy).toMatchObject({
      result: 'scaled',
      decision: { desiredReplicas: 4, rescale: true },
      controllerDesiredReplicas: 2,
    });
    expect(busy.decision.explanation).toContain(
      'cpu resource utilization (percentage of request): current 90% against target 50%, usage ratio 1.8',
    );
    expect(busy.decision.explanation.at(-1)).toBe(
      'scale from 2 to 4 replicas (cpu resource utilization (percentage of request) above target)',
    );
    expect(await series(h.metrics, 'hpaDesiredReplicas')).toEqual([['shop/web', 4]]);
    expect(await series(h.metrics, 'hpaCurrentReplicas')).toEqual([['shop/web', 2]]);
    expect(await evaluations(h.metrics)).toEqual({ unchanged: 1, scaled: 1 });
  });

  it('history is carried across syncs: downscale stabilization holds the high recommendation, then lets go', async () => {
    const h = harness();
    await h.syncAt(100); // t=0: initial recommendation 2, proposal 2
    await h.syncAt(180); // t=15s: proposal 4
    for (let t = 30; t <= 300; t += 15) {
      const low = await h.syncAt(20); // proposal 1, but 4 was recommended within the last 300 s
      expect(low.decision.desiredReplicas, `t=${t}s`).toBe(4);
    }
    const held = h.runtime.getDecision('shop', 'web')!;
    expect(held.decision.explanation).toContain(
      'scale-down stabilized: the highest recommendation of the last 300s is 4, so 4 instead of 1',
    );
    const released = await h.syncAt(20); // t=315s: the 4 from t=15s is out of the window
    expect(released.decision.desiredReplicas).toBe(1);
  });

  it('the first sync records the current size as a recommendation (no history passed)', async () => {
    const h = harness();
    const first = await h.syncAt(20);
    expect(first.decision.desiredReplicas).toBe(2);
    expect(first.decision.history.recommendations).toEqual([
      { timestamp: '2027-01-15T08:00:00Z', replicas: 2 },
      { timestamp: '2027-01-15T08:00:00Z', replicas: 1 },
    ]);
  });

  it('syncs every period on the clock, without drift, until stopped', async () => {
    const h = harness();
    const start = h.time.now();
    h.runtime.start();
    await h.time.advance(SYNC_MS * 3 + 1);
    await h.runtime.stop();
    await h.time.advance(SYNC_MS * 2);
    expect(h.syncs.map((t) => t - start)).toEqual([0, 15_000, 30_000, 45_000]);
  });
});

describe('HpaRuntime recommend mode: failures stay with their HPA', () => {
  it('an HPA whose target is missing fails alone; the other is evaluated', async () => {
    const h = harness({
      hpas: [
        { name: 'web', target: WEB },
        {
          name: 'ghost',
          target: { kind: 'Deployment', name: 'missing' },
          status: { currentReplicas: 3, desiredReplicas: 3 },
        },
      ],
    });
    h.source.setScale(
      'shop',
      { kind: 'Deployment', name: 'missing' },
      new ScaleError('not_found', 'deployments.apps "missing" not found'),
    );
    await h.syncAt(180);
    const ghost = h.runtime.getDecision('shop', 'ghost')!;
    expect(ghost).toMatchObject({
      result: 'failed',
      agrees: true,
      decision: { desiredReplicas: 3, currentReplicas: 3, rescale: false },
    });
    expect(ghost.decision.conditions).toContainEqual(
      expect.objectContaining({
        type: 'AbleToScale',
        status: 'False',
        reason: 'FailedGetScale',
        message: `the HPA controller was unable to get the target's current scale: deployments.apps "missing" not found`,
      }),
    );
    expect(ghost.decision.explanation[0]).toBe(
      'the scale of the target Deployment/missing could not be read: deployments.apps "missing" not found',
    );
    expect(h.runtime.getDecision('shop', 'web')).toMatchObject({
      result: 'scaled',
      decision: { desiredReplicas: 4 },
    });
    expect(await evaluations(h.metrics)).toEqual({ scaled: 1, failed: 1 });
  });

  it('a metric the store does not have is a failed condition and explained; history starts only with a readable scale', async () => {
    const rps = {
      type: 'Pods',
      pods: {
        metric: { name: 'requests_per_second' },
        target: { type: 'AverageValue', averageValue: '10' },
      },
    };
    const h = harness({ hpas: [{ name: 'web', target: WEB, metrics: [rps] }] });
    const r = await h.syncAt(100);
    expect(r.result).toBe('failed');
    expect(r.decision.conditions).toContainEqual(
      expect.objectContaining({
        type: 'ScalingActive',
        status: 'False',
        reason: 'FailedGetPodsMetric',
      }),
    );
    expect(r.decision.explanation.join('\n')).toContain('no metric could be computed');
  });

  it('a store failure is named in the explanation and the condition', async () => {
    const rps = {
      type: 'Pods',
      pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '10' } },
    } as const;
    const custom = new FakeCustomMetrics();
    custom.behaviour = { kind: 'fail', error: new Error('prometheus timed out') };
    const h = harness({ hpas: [{ name: 'web', target: WEB, metrics: [rps] }], custom });
    const r = await h.syncAt(100);
    // The store's reason is the metric's error, as the controller names its client's error.
    const cause = 'unable to get metric rps: the store could not be read: prometheus timed out';
    expect(r.decision.explanation).toContain(
      `pods metric rps: could not be computed (FailedGetPodsMetric): ${cause}`,
    );
    expect(r.decision.conditions).toContainEqual(
      expect.objectContaining({
        type: 'ScalingActive',
        reason: 'FailedGetPodsMetric',
        message: `the HPA was unable to compute the replica count: ${cause}`,
      }),
    );
  });
});

describe('HpaRuntime recommend mode: disagreement with the controller', () => {
  it('is reported after two syncs, once per change, as a Warning Event and a counter', async () => {
    const h = harness();
    const first = await h.syncAt(180);
    expect(first).toMatchObject({
      agrees: true,
      decision: { desiredReplicas: 4 },
      controllerDesiredReplicas: 2,
    });
    expect(h.events.events).toEqual([]);
    const second = await h.syncAt(180);
    const difference =
      'scaleplane recommends 4 (metric cpu resource utilization (percentage of request): 90% of target 50%), controller has 2';
    expect(second).toMatchObject({ agrees: false, difference });
    await h.syncAt(180);
    expect(h.events.events).toEqual([
      {
        object: {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          namespace: 'shop',
          name: 'web',
          uid: 'uid-web',
          resourceVersion: undefined,
        },
        type: 'Warning',
        reason: 'RecommendationDiffers',
        message: difference,
      },
    ]);
    expect(await series(h.metrics, 'hpaDisagreements')).toEqual([['shop/web', 2]]);
  });

  it('agreement resets it; a new difference is reported again', async () => {
    const h = harness();
    await h.syncAt(180);
    await h.syncAt(180);
    h.source.hpas = [hpaObject({ name: 'web', target: WEB, status: { desiredReplicas: 4 } })];
    expect(await h.syncAt(180)).toMatchObject({ agrees: true });
    h.source.hpas = [hpaObject({ name: 'web', target: WEB, status: { desiredReplicas: 3 } })];
    await h.syncAt(180);
    await h.syncAt(180);
    expect(h.events.events.map((e) => e.message.split(',').at(-1))).toEqual([
      ' controller has 2',
      ' controller has 3',
    ]);
  });

  it('a controller that has not written a status is not a disagreement', async () => {
    const h = harness({ hpas: [{ name: 'web', target: WEB }] });
    await h.syncAt(180);
    expect(await h.syncAt(180)).toMatchObject({ agrees: true });
    expect(h.events.events).toEqual([]);
  });
});

describe('HpaRuntime: deleted HPAs', () => {
  it('their records and metric series are removed', async () => {
    const h = harness({
      hpas: [
        { name: 'web', target: WEB, status: { desiredReplicas: 2 } },
        { name: 'api', target: WEB, status: { desiredReplicas: 2 } },
      ],
    });
    await h.syncAt(180);
    await h.syncAt(180);
    expect((await series(h.metrics, 'hpaDesiredReplicas')).map(([k]) => k)).toEqual([
      'shop/web',
      'shop/api',
    ]);
    h.source.hpas = h.source.hpas.filter((x) => x.metadata?.name === 'web');
    await h.syncAt(180);
    expect(h.runtime.getDecision('shop', 'api')).toBeUndefined();
    expect(h.runtime.listDecisions().map((r) => r.hpa.name)).toEqual(['web']);
    for (const m of ['hpaDesiredReplicas', 'hpaCurrentReplicas', 'hpaDisagreements'] as const)
      expect((await series(h.metrics, m)).map(([k]) => k)).toEqual(['shop/web']);
  });

  it('a re-created HPA (new uid) starts without history', async () => {
    const h = harness();
    await h.syncAt(100);
    await h.syncAt(180); // recommends 4
    h.source.hpas = [
      hpaObject({ name: 'web', target: WEB, uid: 'uid-2', status: { desiredReplicas: 2 } }),
    ];
    const fresh = await h.syncAt(20); // a remembered 4 would hold; a fresh start remembers only the current 2
    expect(fresh.decision.desiredReplicas).toBe(2);
  });
});

describe('HpaRuntime as the controller (ScaleWriter)', () => {
  const behavior = {
    scaleUp: {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    },
  };

  it('writes the replicas, records the scale event and hands its status to the next sync', async () => {
    const h = harness({ writer: true, hpas: [{ name: 'web', target: WEB, behavior }] });
    const r = await h.syncAt(180);
    expect(h.writer!.writes).toEqual([
      {
        namespace: 'shop',
        ref: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
        replicas: 4,
      },
    ]);
    expect(r).toMatchObject({ result: 'scaled', agrees: true, controllerDesiredReplicas: 4 });
    expect(r.decision.history.scaleUpEvents).toEqual([
      { timestamp: '2027-01-15T08:00:00Z', replicaChange: 2 },
    ]);
    expect(h.events.events).toMatchObject([
      {
        type: 'Normal',
        reason: 'SuccessfulRescale',
        message:
          'New size: 4; reason: cpu resource utilization (percentage of request) above target',
      },
    ]);
    const next = await h.syncAt(100);
    expect(next.decision.currentReplicas).toBe(4);
    expect(next.decision.conditions.find((c) => c.type === 'AbleToScale')?.lastTransitionTime).toBe(
      '2027-01-15T08:00:00Z',
    );
  });

  it('a failed write keeps the recommendation but not the scale event, and says so', async () => {
    const h = harness({
      writer: true,
      hpas: [
        { name: 'web', target: WEB, behavior, status: { desiredReplicas: 2, currentReplicas: 2 } },
      ],
    });
    h.writer!.error = new Error('deployments.apps "web" is forbidden');
    const r = await h.syncAt(180);
    expect(r.result).toBe('failed');
    expect(r.decision.history.scaleUpEvents).toEqual([]);
    expect(r.decision.history.recommendations.map((x) => x.replicas)).toEqual([2, 4]);
    expect(r.decision.conditions).toContainEqual(
      expect.objectContaining({
        type: 'AbleToScale',
        status: 'False',
        reason: 'FailedUpdateScale',
      }),
    );
    expect(r.controllerDesiredReplicas).toBe(2);
    expect(h.events.events).toMatchObject([{ type: 'Warning', reason: 'FailedRescale' }]);
    h.writer!.error = undefined;
    const retried = await h.syncAt(180);
    expect(retried).toMatchObject({ result: 'scaled', controllerDesiredReplicas: 4 });
    expect(h.source.scaleOf('shop', WEB)).toMatchObject({ specReplicas: 4 });
  });
});
