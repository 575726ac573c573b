import { afterEach, describe, expect, it } from 'vitest';
import {
  KubeApiError,
  LeaderElector,
  LeaderGatedEventRecorder,
  formatMicroTime,
  type EventRecorder,
} from '../../../src/cluster/index.js';
import { createLogger, createSelfMetrics } from '../../../src/observability/index.js';
import { FakeLeaseApi } from '../../support/fake-lease-api.js';
import { FakeTime, seededRandom } from '../../support/fake-time.js';

const NS = 'kube-system';
const NAME = 'scaleplane';
const START = Date.UTC(2026, 0, 1, 12, 0, 0);

interface Candidate {
  elector: LeaderElector;
  gauge: () => Promise<number | undefined>;
  logs: string[];
}

const running: LeaderElector[] = [];

function candidate(api: FakeLeaseApi, time: FakeTime, identity: string): Candidate {
  const logs: string[] = [];
  const metrics = createSelfMetrics();
  const elector = new LeaderElector({
    api: api.client(identity),
    namespace: NS,
    name: NAME,
    identity,
    leaseDurationMs: 15_000,
    renewDeadlineMs: 10_000,
    retryPeriodMs: 2_000,
    clock: time,
    sleep: time.sleep,
    random: seededRandom(identity.length),
    logger: createLogger({ stream: { write: (l: string) => logs.push(l) > 0 } }),
    metrics,
  });
  running.push(elector);
  return {
    elector,
    logs,
    gauge: async () =>
      (await metrics.leader.get()).values.find((v) => v.labels.lease === `${NS}/${NAME}`)?.value,
  };
}

const conflict = (): KubeApiError =>
  new KubeApiError(409, 'Conflict', 'the object has been modified', 'PUT', '/');

afterEach(async () => {
  await Promise.all(running.splice(0).map((e) => e.stop()));
});

describe('LeaderElector: should pass', () => {
  it('acquire: creates the Lease with client-go record fields when none exists', async () => {
    const api = new FakeLeaseApi();
    const time = new FakeTime(START);
    const a = candidate(api, time, 'pod-a_1');
    a.elector.start();
    await time.advance(0);
    expect(a.elector.isLeader()).toBe(true);
    expect(await a.gauge()).toBe(1);
    expect(api.spec(NS, NAME)).toEqual({
      holderIdentity: 'pod-a_1',
      leaseDurationSeconds: 15,
      acquireTime: '2026-01-01T12:00:00.000000Z',
      renewTime: '2026-01-01T12:00:00.000000Z',
      leaseTransitions: 0,
    });
  });

  it('renew: every retry period, keeping acquireTime, with a resourceVersion precondition', async () => {
    const api = new FakeLeaseApi();
    const time = new FakeTime(START);
    const a = candidate(api, time, 'pod-a_1');
    a.elector.start();
    await time.advance(0);
    await time.advance(2_000);
    await time.advance(2_000);
    expect(api.writes.map((w) => w.method)).toEqual(['POST', 'PUT', 'PUT']);
    expect(api.spec(NS, NAME)).toMatchObject({
      holderIdentity: 'pod-a_1',
      acquireTime: formatMicroTime(START),
      renewTime: formatMicroTime(START + 4_000),
      leaseTransitions: 0,
    });
    expect(a.elector.isLeader()).toBe(true);
  });

  it('a live holder keeps a candidate out; only one leads at any time', async () => {
    const api = new FakeLeaseApi();
    const time = new FakeTime(START);
    const a = candidate(api, time, 'pod-a_1');
    const b = candidate(api, time, 'pod-b_2');
    a.elector.start();
    await time.advance(0);
    b.elector.start();
    for (let i = 0; i < 60; i++) {
      await time.advance(1_000);
      expect([a.elector.isLeader(), b.elector.isLeader()]).toEqual([true, false]);
    }
    expect(await b.gauge()).toBe(0);
    expect(api.writes.every((w) => w.by === 'pod-a_1')).toBe(true);
  });

  it('takeover after expiry: a holder that stops renewing loses the Lease one lease duration after its last change', async () => {
    const api = new FakeLeaseApi();
    const time = new FakeTime(START);
    const a = candidate(api, time, 'pod-a_1');
    const b = candidate(api, time, 'pod-b_2');
    a.elector.start();
    await time.advance(0);
    b.elector.start();
    await time.advance(3_000);
    // pod-a is cut off from the API server: its renewals fail from now on.
    api.fail = (_req, caller) =>
      caller === 'pod-a_1'
        ? new KubeApiError(0, 'Transport', 'connect ECONNREFUSED', 'GET', '/')
        : undefined;
    const cutMs = time.now();
    let aStoppedMs: number | undefined;
    let bLeadsMs: number | undefined;
    while (bLeadsMs === undefined && time.now() - cutMs < 40_000) {
      await time.advance(250);
      if (aStoppedMs === undefined && !a.elector.isLeader()) aStoppedMs = time.now();
      if (b.elector.isLeader()) bLeadsMs = time.now();
      // Never two leaders.
      expect(a.elector.isLeader() && b.elector.isLeader()).toBe(false);
    }
    // pod-a steps down within its renew deadline; pod-b waits out the lease duration (+ jitter).
    expect(aStoppedMs! - cutMs).toBeLessThanOrEqual(10_000);
    expect(bLeadsMs! - cutMs).toBeGreaterThanOrEqual(15_000 - 2_000);
    expect(bLeadsMs! - cutMs).toBeLessThan(15_000 + 2 * 2_000 * 1.2 + 1_000);
    expect(api.spec(NS, NAME)).toMatchObject({ holderIdentity: 'pod-b_2', leaseTransitions: 1 });
    expect(await a.gauge()).toBe(0);
  });

  it('release: a stopping leader clears the holder, and a candidate takes over on its next attempt', async () => {
    const api = new FakeLeaseApi();
    const time = new FakeTime(START);
    const a = candidate(api, time, 'pod-a_1');
    const b = candidate(api, time, 'pod-b_2');
    a.elector.start();
    await time.advance(0);
    b.elector.start();
    await time.advance(5_000);
    await a.elector.stop();
    expect(a.elector.isLeader()).toBe(false);
    expect(await a.gauge()).toBe(0);
    expect(api.spec(NS, NAME)).toEqual({
      leaseDurationSeconds: 1,
      acquireTime: formatMicroTime(START + 5_000),
      renewTime: formatMicroTime(START + 5_000),
      leaseTransitions: 0,
    });
    await time.advance(2_000 * 2.2);
    expect(b.elector.isLeader()).toBe(true);
    expect(api.spec(NS, NAME)).toMatchObject({ holderIdentity: 'pod-b_2', leaseTransitions: 1 });
  });
});

describe('LeaderElector: should fail', () => {
  it('lose on conflict: renewals refused with 409 past the renew deadline end leadership', async () => {
    const api = new FakeLeaseApi();
    const time = new FakeTime(START);
    const a = candidate(api, time, 'pod-a_1');
    a.elector.start();
    await time.advance(0);
    api.fail = (req) => (req.method === 'PUT' ? conflict() : undefined);
    await time.advance(8_000);
    expect(a.elector.isLeader()).toBe(true);
    await time.advance(2_100);
    expect(a.elector.isLeader()).toBe(false);
    await time.advance(2_000);
    expect(await a.gauge()).toBe(0);
    expect(a.logs.filter((l) => l.includes('"msg":"lease attempt failed"'))).toHaveLength(1);
    expect(a.logs.some((l) => l.includes('"reason":"renew deadline passed"'))).toBe(true);
  });

  it('a peer that wrote first wins the round: two candidates racing for a missing Lease elect one', async () => {
    const api = new FakeLeaseApi();
    const time = new FakeTime(START);
    const a = candidate(api, time, 'pod-a_1');
    const b = candidate(api, time, 'pod-b_2');
    a.elector.start();
    b.elector.start();
    await time.advance(0);
    expect([a.elector.isLeader(), b.elector.isLeader()].filter(Boolean)).toHaveLength(1);
    expect(api.writes.filter((w) => w.method === 'POST')).toHaveLength(1);
  });

  it('a stuck renewal stops isLeader at the renew deadline, before the loop notices', async () => {
    const api = new FakeLeaseApi();
    const time = new FakeTime(START);
    const a = candidate(api, time, 'pod-a_1');
    a.elector.start();
    await time.advance(0);
    // From now on the API server accepts connections and never answers.
    api.hang = () => true;
    await time.advance(9_000);
    expect(a.elector.isLeader()).toBe(true);
    await time.advance(1_500);
    expect(a.elector.isLeader()).toBe(false);
    // stop() does not wait on the hung call.
    await a.elector.stop();
  });

  it.each([
    { name: 'lease duration not above renew deadline', lease: 10_000, renew: 10_000, retry: 2_000 },
    {
      name: 'renew deadline not above 1.2 x retry period',
      lease: 15_000,
      renew: 2_400,
      retry: 2_000,
    },
  ])('refuses timings: $name', ({ lease, renew, retry }) => {
    expect(
      () =>
        new LeaderElector({
          api: new FakeLeaseApi().client('x'),
          namespace: NS,
          name: NAME,
          identity: 'x',
          leaseDurationMs: lease,
          renewDeadlineMs: renew,
          retryPeriodMs: retry,
          clock: new FakeTime(),
          sleep: new FakeTime().sleep,
          random: Math.random,
          logger: createLogger({ stream: { write: () => true } }),
          metrics: createSelfMetrics(),
        }),
    ).toThrow(RangeError);
  });
});

describe('LeaderGatedEventRecorder', () => {
  const object = { kind: 'HorizontalPodAutoscaler', namespace: 'shop', name: 'web' };
  const cases = [
    { name: 'the leader writes', leader: true, written: 1 },
    { name: 'a follower leaves the Event to the leader', leader: false, written: 0 },
  ];
  it.each(cases)('$name', async ({ leader, written }) => {
    const sent: string[] = [];
    const inner: EventRecorder = {
      recordEvent: (_o, _t, reason) => {
        sent.push(reason);
        return Promise.resolve();
      },
    };
    const gated = new LeaderGatedEventRecorder({
      inner,
      gate: { isLeader: () => leader },
      logger: createLogger({ stream: { write: () => true } }),
    });
    await gated.recordEvent(object, 'Warning', 'RecommendationDiffers', 'm');
    expect(sent).toHaveLength(written);
  });
});
