/**
 * --client-qps/--client-burst: a token bucket in front of every Kubernetes API request, measured
 * on fake time: the burst goes at once, the rest at qps, in arrival order.
 */
import { describe, expect, it } from 'vitest';
import {
  TokenBucket,
  clientRateLimiter,
  rateLimitedApi,
  type KubeApi,
  type KubeRequest,
} from '../../../src/cluster/index.js';
import { FakeTime, flushAsync } from '../../support/fake-time.js';

/** Starts `n` requests through a limited fake API; returns the fake time each one reached the API. */
async function run(qps: number, burst: number, n: number, spanMs: number): Promise<number[]> {
  const time = new FakeTime(0);
  const startedAt: number[] = [];
  const order: string[] = [];
  const api: KubeApi = {
    request: <T>(req: KubeRequest) => {
      startedAt.push(time.now());
      order.push(req.path);
      return Promise.resolve(undefined as T);
    },
  };
  const limited = rateLimitedApi(
    api,
    new TokenBucket({ qps, burst, clock: time, sleep: time.sleep }),
  );
  const all = Promise.all(
    Array.from({ length: n }, (_, i) => limited.request({ method: 'GET', path: `/api/v1/${i}` })),
  );
  await flushAsync();
  await time.advance(spanMs);
  await all;
  expect(order).toEqual(Array.from({ length: n }, (_, i) => `/api/v1/${i}`));
  return startedAt;
}

describe('TokenBucket', () => {
  const cases = [
    {
      name: 'burst 3 at qps 2: three at once, then one every 500 ms',
      qps: 2,
      burst: 3,
      n: 6,
      want: [0, 0, 0, 500, 1000, 1500],
    },
    {
      name: 'burst 1 at qps 10: one every 100 ms',
      qps: 10,
      burst: 1,
      n: 4,
      want: [0, 100, 200, 300],
    },
    {
      name: 'within the burst nothing waits',
      qps: 1,
      burst: 5,
      n: 5,
      want: [0, 0, 0, 0, 0],
    },
  ];

  it.each(cases)('$name', async ({ qps, burst, n, want }) => {
    expect(await run(qps, burst, n, 5000)).toEqual(want);
  });

  it('refills while idle, never above the burst', async () => {
    const time = new FakeTime(0);
    const bucket = new TokenBucket({ qps: 1, burst: 2, clock: time, sleep: time.sleep });
    await bucket.wait();
    await bucket.wait();
    await time.advance(10_000);
    let third = false;
    let fourth = false;
    let fifth = false;
    void bucket.wait().then(() => (third = true));
    void bucket.wait().then(() => (fourth = true));
    void bucket.wait().then(() => (fifth = true));
    await flushAsync();
    expect([third, fourth, fifth]).toEqual([true, true, false]);
    await time.advance(1000);
    expect(fifth).toBe(true);
  });

  it('qps 0 means no limiter (the default)', () => {
    const time = new FakeTime(0);
    expect(
      clientRateLimiter({ qps: 0, burst: 10, clock: time, sleep: time.sleep }),
    ).toBeUndefined();
    expect(clientRateLimiter({ qps: 5, burst: 10, clock: time, sleep: time.sleep })).toBeInstanceOf(
      TokenBucket,
    );
  });
});
