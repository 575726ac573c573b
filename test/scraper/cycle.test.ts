import { describe, expect, it } from 'vitest';
import {
  TickScope,
  jitterStepMs,
  jitterWindowMs,
  scrapeOne,
  scrapeTargets,
  type CycleDeps,
} from '../../scraper/cycle.js';
import { KubeletScrapeError } from '../../scraper/kubelet/errors.js';
import { FakeNodeGetter, fakeTargets } from '../support/fake-kubelet.js';
import { FakeTime, seededRandom } from '../support/fake-time.js';

function deps(time: FakeTime, getter: FakeNodeGetter, o: Partial<CycleDeps> = {}): CycleDeps {
  return {
    getter,
    clock: time,
    sleep: time.sleep,
    random: seededRandom(1),
    maxConcurrency: 4,
    requestTimeoutMs: 1_000,
    resolutionMs: 15_000,
    ...o,
  };
}

describe('jitterWindowMs', () => {
  const cases = [
    {
      name: '8 ms per node (scraper.go delayPerSourceMs)',
      nodes: 100,
      resolutionMs: 15_000,
      requestTimeoutMs: 10_000,
      want: 800,
    },
    {
      name: 'at most 4 s (scraper.go maxDelayMs)',
      nodes: 5_000,
      resolutionMs: 15_000,
      requestTimeoutMs: 10_000,
      want: 4_000,
    },
    {
      name: 'jitter plus timeout fit in one resolution',
      nodes: 5_000,
      resolutionMs: 10_000,
      requestTimeoutMs: 9_000,
      want: 1_000,
    },
    {
      name: 'no nodes, no jitter',
      nodes: 0,
      resolutionMs: 15_000,
      requestTimeoutMs: 10_000,
      want: 0,
    },
  ];
  it.each(cases)('$name', ({ nodes, resolutionMs, requestTimeoutMs, want }) => {
    expect(jitterWindowMs(nodes, { resolutionMs, requestTimeoutMs })).toBe(want);
  });
});

describe('jitterStepMs', () => {
  const cases = [
    {
      name: 'about one concurrency per wave',
      nodes: 5_000,
      windowMs: 4_000,
      concurrency: 64,
      want: 51,
    },
    { name: 'at most 500 ms apart', nodes: 100, windowMs: 800, concurrency: 64, want: 500 },
    { name: 'at least 10 ms apart', nodes: 100_000, windowMs: 4_000, concurrency: 64, want: 10 },
  ];
  it.each(cases)('$name', ({ nodes, windowMs, concurrency, want }) => {
    expect(jitterStepMs(nodes, windowMs, concurrency)).toBe(want);
  });
});

describe('scrapeOne', () => {
  it('times out a getter that ignores its abort signal', async () => {
    const time = new FakeTime();
    const getter = new FakeNodeGetter(time);
    getter.behaviours.set('node-0', { kind: 'deaf' });
    const p = scrapeOne(
      fakeTargets(1)[0]!,
      deps(time, getter),
      new TickScope(new AbortController().signal),
    );
    await time.advance(1_000);
    const out = await p;
    expect(out.ok).toBe(false);
    expect(!out.ok && [out.error.reason, out.penalise]).toEqual(['timeout', true]);
  });

  const cut = [{ kind: 'hang' as const }, { kind: 'deaf' as const }];
  it.each(cut)(
    "a request cut by the tick is not the node's fault: $kind getter",
    async ({ kind }) => {
      const time = new FakeTime();
      const getter = new FakeNodeGetter(time);
      getter.behaviours.set('node-0', { kind });
      const tick = new AbortController();
      const p = scrapeOne(fakeTargets(1)[0]!, deps(time, getter), new TickScope(tick.signal));
      await time.advance(10);
      tick.abort(new KubeletScrapeError('cycle_deadline', 'deadline'));
      const out = await p;
      expect(!out.ok && [out.error.reason, out.penalise]).toEqual(['cycle_deadline', false]);
    },
  );

  it('wraps an untyped getter error as a connection failure', async () => {
    const time = new FakeTime();
    const getter = { getNodeMetrics: () => Promise.reject(new Error('boom')) };
    const out = await scrapeOne(
      fakeTargets(1)[0]!,
      { ...deps(time, new FakeNodeGetter(time)), getter },
      new TickScope(new AbortController().signal),
    );
    expect(!out.ok && [out.error.reason, out.error.message]).toEqual(['connection', 'boom']);
  });
});

describe('scrapeTargets', () => {
  it('returns an outcome per target and leaves no timer behind', async () => {
    const time = new FakeTime();
    const getter = new FakeNodeGetter(time);
    getter.behaviours.set('node-3', { kind: 'fail', reason: 'decode' });
    const p = scrapeTargets(
      fakeTargets(10),
      deps(time, getter),
      time.now(),
      new AbortController().signal,
    );
    await time.advance(200);
    const outcomes = await p;
    expect(outcomes.map((o) => o.target.nodeName).sort()).toEqual(
      fakeTargets(10)
        .map((t) => t.nodeName)
        .sort(),
    );
    expect(outcomes.filter((o) => !o.ok).map((o) => o.target.nodeName)).toEqual(['node-3']);
    expect(time.pendingTimers).toBe(0);
  });

  it('targets still waiting for their jittered start fail without penalty when the tick is aborted', async () => {
    const time = new FakeTime();
    const getter = new FakeNodeGetter(time);
    const tick = new AbortController();
    const p = scrapeTargets(fakeTargets(50), deps(time, getter), time.now(), tick.signal);
    await time.advance(100);
    tick.abort(new KubeletScrapeError('aborted', 'stopped'));
    const outcomes = await p;
    const notStarted = outcomes.filter((o) => !o.ok);
    expect(notStarted.length).toBeGreaterThan(0);
    expect(notStarted.length + getter.calls.length).toBe(50);
    for (const o of notStarted)
      expect(!o.ok && [o.error.reason, o.penalise]).toEqual(['aborted', false]);
  });
});
