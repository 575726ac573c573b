import nock from 'nock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KubeEventRecorder, KubeHttpClient } from '../../../src/cluster/index.js';
import { createLogger } from '../../../src/observability/index.js';
import { API_SERVER, testKubeConfig } from '../../support/fake-cluster-api.js';
import { FakeTime } from '../../support/fake-time.js';

const hpa = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  namespace: 'shop',
  name: 'web',
  uid: 'u1',
};
const EVENTS = '/api/v1/namespaces/shop/events';

function recorder(time: FakeTime, lines: string[] = []): KubeEventRecorder {
  const logger = createLogger({ stream: { write: (l: string) => lines.push(l) > 0 } });
  return new KubeEventRecorder({
    api: new KubeHttpClient({ kubeConfig: testKubeConfig() }),
    clock: time,
    logger,
    source: { component: 'scaleplane', host: 'node-a' },
  });
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  expect(nock.pendingMocks()).toEqual([]);
  nock.cleanAll();
});

describe('KubeEventRecorder: should pass', () => {
  it('creates a core/v1 Event about the object', async () => {
    const time = new FakeTime(Date.UTC(2026, 0, 1, 12, 0, 0));
    let sent: Record<string, unknown> & { metadata?: { name?: string } } = {};
    nock(API_SERVER)
      .post(EVENTS, (b: typeof sent) => ((sent = b), true))
      .reply(201, {});
    await recorder(time).recordEvent(
      hpa,
      'Warning',
      'RecommendationDiffers',
      'scaleplane recommends 5, controller has 3',
    );
    expect(sent).toMatchObject({
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { namespace: 'shop' },
      involvedObject: hpa,
      type: 'Warning',
      reason: 'RecommendationDiffers',
      message: 'scaleplane recommends 5, controller has 3',
      count: 1,
      firstTimestamp: '2026-01-01T12:00:00Z',
      lastTimestamp: '2026-01-01T12:00:00Z',
      source: { component: 'scaleplane', host: 'node-a' },
      reportingComponent: 'scaleplane',
      reportingInstance: 'node-a',
    });
    expect(sent.metadata?.name).toMatch(/^web\.[0-9a-f]+$/);
  });

  it('an identical event patches the count of the first one', async () => {
    const time = new FakeTime(Date.UTC(2026, 0, 1, 12, 0, 0));
    const r = recorder(time);
    let name = '';
    nock(API_SERVER)
      .post(EVENTS, (b: { metadata: { name: string } }) => ((name = b.metadata.name), true))
      .reply(201, {});
    await r.recordEvent(hpa, 'Warning', 'X', 'same');
    await time.advance(30_000);
    let patch: unknown;
    nock(API_SERVER)
      .patch(`${EVENTS}/${name}`, (b) => ((patch = b), true))
      .matchHeader('content-type', 'application/merge-patch+json')
      .reply(200, {});
    await r.recordEvent(hpa, 'Warning', 'X', 'same');
    expect(patch).toEqual({ count: 2, lastTimestamp: '2026-01-01T12:00:30Z', message: 'same' });
  });

  it('an expired event is created again, with its count, when the patch finds it gone (recordToSink)', async () => {
    const time = new FakeTime();
    const r = recorder(time);
    nock(API_SERVER).post(EVENTS).reply(201, {});
    await r.recordEvent(hpa, 'Normal', 'X', 'same');
    nock(API_SERVER)
      .patch(/\/events\//)
      .reply(404, { kind: 'Status', reason: 'NotFound', message: 'events "web.1" not found' });
    let created: { count?: number } = {};
    nock(API_SERVER)
      .post(EVENTS, (b: { count: number }) => ((created = b), true))
      .reply(201, {});
    await r.recordEvent(hpa, 'Normal', 'X', 'same');
    expect(created.count).toBe(2);
  });

  it('a cluster-scoped object reports to the default namespace', async () => {
    nock(API_SERVER).post('/api/v1/namespaces/default/events').reply(201, {});
    await recorder(new FakeTime()).recordEvent({ kind: 'Node', name: 'n1' }, 'Normal', 'X', 'm');
  });
});

describe('KubeEventRecorder: should fail', () => {
  it('a failed write resolves and is logged, and later events still go out', async () => {
    const lines: string[] = [];
    const r = recorder(new FakeTime(), lines);
    nock(API_SERVER)
      .post(EVENTS)
      .reply(403, { kind: 'Status', reason: 'Forbidden', message: 'events is forbidden' });
    await expect(r.recordEvent(hpa, 'Warning', 'X', 'a')).resolves.toBeUndefined();
    expect(lines.map((l) => JSON.parse(l) as unknown)).toMatchObject([
      {
        level: 'warn',
        msg: 'event not recorded',
        reason: 'X',
        err: { message: 'events is forbidden' },
      },
    ]);
    nock(API_SERVER).post(EVENTS).reply(201, {});
    await r.recordEvent(hpa, 'Warning', 'X', 'b');
  });
});
