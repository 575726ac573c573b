import { describe, expect, it } from 'vitest';
import {
  KubeletScrapeLoop,
  type CycleReport,
  type KubeletScrapeLoopOptions,
} from '../../scraper/loop.js';
import {
  createLogger,
  createSelfMetrics,
  type SelfMetrics,
} from '../../src/observability/index.js';
import {
  FakeNodeGetter,
  RecordingSink,
  decodedNode,
  fakeTargets,
} from '../support/fake-kubelet.js';
import { FakeTime, seededRandom } from '../support/fake-time.js';
import { ResourceStore } from '../../src/store/index.js';

interface LogLine {
  level: string;
  msg: string;
  node?: string;
  reason?: string;
  [k: string]: unknown;
}

function harness(nodes: number, overrides: Partial<KubeletScrapeLoopOptions> = {}) {
  const time = new FakeTime();
  const getter = new FakeNodeGetter(time);
  const sink = new RecordingSink();
  const lines: LogLine[] = [];
  const logger = createLogger({
    level: 'debug',
    stream: { write: (s: string) => lines.push(JSON.parse(s) as LogLine) > 0 },
  });
  const metrics = createSelfMetrics();
  const reports: CycleReport[] = [];
  const state = { targets: fakeTargets(nodes) };
  const loop = new KubeletScrapeLoop({
    targets: { targets: () => state.targets },
    getter,
    sink,
    resolutionMs: 10_000,
    requestTimeoutMs: 5_000,
    maxConcurrency: 4,
    clock: time,
    sleep: time.sleep,
    random: seededRandom(7),
    logger,
    metrics,
    onCycle: (r) => reports.push(r),
    ...overrides,
  });
  const tick = async (): Promise<CycleReport> => {
    const p = loop.runOnce();
    await time.advance(10_000);
    return p;
  };
  return { time, getter, sink, lines, metrics, reports, state, loop, tick };
}

async function counter(
  metrics: SelfMetrics,
  name: 'scrapeFailures' | 'droppedPoints',
  reason: string,
): Promise<number> {
  const m = await metrics[name].get();
  return (
    m.values.find((v) => v.labels.reason === reason && v.labels.source === 'kubelet')?.value ?? 0
  );
}

async function gauge(metrics: SelfMetrics, state: string): Promise<number | undefined> {
  return (await metrics.scrapeTargets.get()).values.find((v) => v.labels.state === state)?.value;
}

describe('KubeletScrapeLoop tick', () => {
  it('stores one merged batch per tick with every node that answered', async () => {
    const h = harness(5);
    h.getter.behaviours.set('node-1', {
      kind: 'ok',
      decoded: decodedNode('node-1', [{ namespace: 'ns', name: 'p1' }]),
    });
    const report = await h.tick();
    expect(h.sink.batches).toHaveLength(1);
    expect([...h.sink.last!.nodes.keys()].sort()).toEqual([
      'node-0',
      'node-1',
      'node-2',
      'node-3',
      'node-4',
    ]);
    expect([...h.sink.last!.pods.keys()]).toEqual(['ns/p1']);
    expect(report).toMatchObject({
      targets: 5,
      succeeded: 5,
      skipped: 0,
      failures: {},
      stored: true,
      nodes: 5,
      pods: 1,
    });
    expect(h.loop.health.check()).toEqual({ ok: true });
  });

  it('a failing node is absent from the batch, counted by reason, and the tick still stores', async () => {
    const h = harness(3);
    h.getter.behaviours.set('node-2', { kind: 'fail', reason: 'http_500' });
    const report = await h.tick();
    expect([...h.sink.last!.nodes.keys()].sort()).toEqual(['node-0', 'node-1']);
    expect(report.failures).toEqual({ http_500: 1 });
    expect(await counter(h.metrics, 'scrapeFailures', 'http_500')).toBe(1);
    const errors = h.lines.filter((l) => l.msg === 'scrape failed');
    expect(errors).toEqual([
      expect.objectContaining({
        level: 'error',
        node: 'node-2',
        reason: 'http_500',
        source: 'kubelet',
      }),
    ]);
  });

  it('logs a failing node once per change of cause, and its recovery once', async () => {
    const h = harness(1, { backoff: { maxSkipCycles: 0 } });
    const script: ('timeout' | 'http_500' | 'ok')[] = [
      'timeout',
      'timeout',
      'timeout',
      'http_500',
      'http_500',
      'ok',
      'ok',
      'http_500',
    ];
    for (const step of script) {
      h.getter.behaviours.set(
        'node-0',
        step === 'ok' ? { kind: 'ok' } : { kind: 'fail', reason: step },
      );
      await h.tick();
    }
    const logged = h.lines
      .filter((l) => l.msg === 'scrape failed' || l.msg === 'scrape recovered')
      .map((l) => `${l.msg}:${String(l.reason ?? l.previousReason)}`);
    expect(logged).toEqual([
      'scrape failed:timeout',
      'scrape failed:http_500',
      'scrape recovered:http_500',
      'scrape failed:http_500',
    ]);
    expect(await counter(h.metrics, 'scrapeFailures', 'timeout')).toBe(3);
    expect(await counter(h.metrics, 'scrapeFailures', 'http_500')).toBe(3);
  });

  it('a not-ready node fails at debug level only (scraper.go nodeIsReady)', async () => {
    const h = harness(0);
    h.state.targets = fakeTargets(1, false);
    h.getter.behaviours.set('node-0', { kind: 'fail', reason: 'connection_refused' });
    await h.tick();
    expect(h.lines.find((l) => l.msg === 'scrape failed')).toMatchObject({
      level: 'debug',
      nodeReady: false,
    });
  });

  it('a target without an address fails with no_address and is never requested', async () => {
    const h = harness(0);
    h.state.targets = [
      {
        nodeName: 'n',
        url: undefined,
        unresolvedReason: 'node n has no address of types InternalIP',
        ready: true,
      },
    ];
    const report = await h.tick();
    expect(report.failures).toEqual({ no_address: 1 });
    expect(h.getter.calls).toEqual([]);
  });

  const hostile = [
    { name: 'a kubelet that never answers but honours aborts', kind: 'hang' as const },
    { name: 'a getter that ignores aborts', kind: 'deaf' as const },
  ];
  it.each(hostile)('one hostile node does not delay the others: $name', async ({ kind }) => {
    const h = harness(9, { maxConcurrency: 2 });
    h.getter.behaviours.set('node-0', { kind });
    const report = await h.tick();
    // Every healthy node was asked within the jitter window (8 ms × 9 nodes), long before the
    // hostile one's 5 s timeout.
    const healthy = h.getter.calls.filter((c) => c.node !== 'node-0');
    expect(healthy).toHaveLength(8);
    for (const c of healthy) expect(c.atMs - report.startedMs).toBeLessThan(8 * 9);
    expect(report.failures).toEqual({ timeout: 1 });
    expect(report.durationMs).toBe(
      5_000 + h.getter.calls.find((c) => c.node === 'node-0')!.atMs - report.startedMs,
    );
    expect(h.sink.last!.nodes.size).toBe(8);
  });

  it('keeps at most maxConcurrency requests in flight', async () => {
    const h = harness(20, { maxConcurrency: 3 });
    for (let i = 0; i < 20; i++) h.getter.behaviours.set(`node-${i}`, { kind: 'slow', ms: 100 });
    const report = await h.tick();
    expect(report.succeeded).toBe(20);
    expect(h.getter.maxInFlight).toBe(3);
  });

  it('staggers starts over min(8 ms × nodes, 4 s, resolution − timeout), in waves', async () => {
    const h = harness(1000, { maxConcurrency: 100 });
    const report = await h.tick();
    const offsets = h.getter.calls.map((c) => c.atMs - report.startedMs);
    // Waves every 4000 ms × 100 / 1000 nodes = 400 ms: about one concurrency's worth each.
    expect(new Set(offsets)).toEqual(
      new Set([0, 400, 800, 1200, 1600, 2000, 2400, 2800, 3200, 3600]),
    );
    expect(h.getter.maxInFlight).toBeLessThanOrEqual(100);
  });

  it('a deaf getter cut by the tick deadline does not stall the tick', async () => {
    const h = harness(2, { maxConcurrency: 1, resolutionMs: 10_000, requestTimeoutMs: 9_000 });
    h.getter.behaviours.set('node-0', { kind: 'slow', ms: 5_000 });
    h.getter.behaviours.set('node-1', { kind: 'deaf' });
    const report = await h.tick();
    expect(report.failures).toEqual({ cycle_deadline: 1 });
    expect(report.durationMs).toBe(10_000);
  });

  it('targets not started by the tick deadline fail as cycle_deadline, without backoff', async () => {
    const h = harness(4, { maxConcurrency: 1, resolutionMs: 10_000, requestTimeoutMs: 9_000 });
    for (let i = 0; i < 4; i++) h.getter.behaviours.set(`node-${i}`, { kind: 'slow', ms: 4_000 });
    const report = await h.tick();
    expect(report.succeeded).toBe(2);
    expect(report.failures).toEqual({ cycle_deadline: 2 });
    expect(report.durationMs).toBe(10_000);
    const next = await h.tick();
    expect(next.skipped).toBe(0);
  });

  it('adds decode, merge and store drops to scaleplane_dropped_points_total', async () => {
    const h = harness(0);
    h.state.targets = fakeTargets(2);
    h.getter.behaviours.set('node-0', {
      kind: 'ok',
      decoded: decodedNode('node-0', [{ namespace: 'ns', name: 'p' }], undefined, {
        missing_cpu: 2,
      }),
    });
    h.getter.behaviours.set('node-1', {
      kind: 'ok',
      decoded: decodedNode('node-1', [{ namespace: 'ns', name: 'p' }]),
    });
    h.sink.drops = { counter_reset: 3 };
    const report = await h.tick();
    expect(report.dropped).toEqual({ missing_cpu: 2, duplicate_pod: 1, counter_reset: 3 });
    expect(await counter(h.metrics, 'droppedPoints', 'missing_cpu')).toBe(2);
    expect(await counter(h.metrics, 'droppedPoints', 'duplicate_pod')).toBe(1);
    expect(await counter(h.metrics, 'droppedPoints', 'counter_reset')).toBe(3);
  });

  it('health fails until a tick stores what at least one node answered', async () => {
    const h = harness(1);
    expect(h.loop.health).toMatchObject({ name: 'metric-collection' });
    expect(h.loop.health.check().ok).toBe(false);
    h.getter.behaviours.set('node-0', { kind: 'fail', reason: 'tls' });
    await h.tick();
    expect(h.loop.health.check()).toEqual({
      ok: false,
      reason: 'no kubelet metrics stored yet; last tick: 1 of 1 nodes failed (tls: 1)',
    });
    h.getter.behaviours.delete('node-0');
    await h.tick();
    await h.tick();
    expect(h.loop.health.check()).toEqual({ ok: true });
    const last = (await h.metrics.lastSuccessfulCycle.get()).values[0];
    expect(last).toMatchObject({ labels: { source: 'kubelet' } });
    expect(last!.value).toBeGreaterThan(1_800_000_000);
  });
});

// Issue 14 items 6 and 11: readiness stayed green however long collection had been failing.
describe('KubeletScrapeLoop metric-collection health', () => {
  it('fails 1.5 resolutions after the last successful tick, naming why', async () => {
    const h = harness(2);
    await h.tick();
    expect(h.loop.health.check()).toEqual({ ok: true });
    h.getter.behaviours.set('node-0', { kind: 'fail', reason: 'connection_refused' });
    h.getter.behaviours.set('node-1', { kind: 'fail', reason: 'timeout' });
    const failing = h.loop.runOnce();
    await h.time.advance(5_000);
    await failing;
    // 15 s since the last success: exactly 1.5 × 10 s, still ready.
    expect(h.loop.health.check()).toEqual({ ok: true });
    await h.time.advance(5_000);
    const result = h.loop.health.check();
    expect(result.ok).toBe(false);
    expect(result.reason).toMatch(
      /^no kubelet scrape succeeded for 20(\.\d)?s \(more than 1\.5 × the 10s resolution\); last tick: 2 of 2 nodes failed \(connection_refused: 1, timeout: 1\)$/,
    );
    h.getter.behaviours.clear();
    await h.tick();
    await h.tick();
    expect(h.loop.health.check()).toEqual({ ok: true });
  });

  it('a loop that stopped ticking goes unready', async () => {
    const h = harness(1);
    await h.tick();
    await h.time.advance(15_001);
    expect(h.loop.health.check().ok).toBe(false);
  });
});

// Issue 14 item 10: scaleplane_store_series and scaleplane_store_memory_bytes were never set.
describe('KubeletScrapeLoop store size', () => {
  it('sets the resource store series by kind and its memory estimate after each tick', async () => {
    const time = new FakeTime();
    const store = new ResourceStore({ now: () => time.now() });
    const h = harness(2, { sink: store, clock: time });
    const pods = [
      { namespace: 'ns', name: 'a', containers: ['c0', 'c1'] },
      { namespace: 'ns', name: 'b' },
    ];
    h.getter.behaviours.set('node-0', { kind: 'ok', decoded: decodedNode('node-0', pods) });
    await h.tick();
    const series = Object.fromEntries(
      (await h.metrics.storeSeries.get()).values.map((v) => [v.labels.kind, v.value]),
    );
    expect(series).toEqual({ node: 2, pod: 2, container: 3 });
    const memory = (await h.metrics.storeMemoryBytes.get()).values;
    expect(memory).toEqual([
      expect.objectContaining({ labels: { store: 'resource' }, value: store.stats().approxBytes }),
    ]);
    expect(memory[0]!.value).toBeGreaterThan(0);
  });
});

describe('KubeletScrapeLoop backoff', () => {
  it('retries a persistently failing node every other tick and resets on success', async () => {
    const h = harness(2);
    h.getter.behaviours.set('node-1', { kind: 'fail', reason: 'connection_refused' });
    for (let i = 0; i < 8; i++) await h.tick();
    const attemptedIn = h.reports
      .filter((r) => r.failures.connection_refused === 1)
      .map((r) => r.cycle);
    expect(attemptedIn).toEqual([0, 1, 3, 5, 7]);
    expect(h.getter.callsOf('node-0')).toBe(8);
    expect(await gauge(h.metrics, 'backoff')).toBe(1);
    expect(await gauge(h.metrics, 'failing')).toBe(0);
    expect(await gauge(h.metrics, 'healthy')).toBe(1);
    h.getter.behaviours.delete('node-1');
    const calls = h.getter.callsOf('node-1');
    await h.tick();
    await h.tick();
    expect(h.getter.callsOf('node-1')).toBe(calls + 1);
    expect(h.sink.last!.nodes.has('node-1')).toBe(true);
    expect(await gauge(h.metrics, 'backoff')).toBe(0);
    expect(await gauge(h.metrics, 'healthy')).toBe(2);
  });

  // Issue 14 item 9: a kubelet back after three failed ticks was invisible for up to 8 more.
  const faults = [1, 2, 3, 5].map((failedTicks) => ({
    name: `a node back after ${failedTicks} failed tick(s) is in a batch within two ticks`,
    failedTicks,
  }));
  it.each(faults)('$name', async ({ failedTicks }) => {
    const h = harness(1);
    h.getter.behaviours.set('node-0', { kind: 'fail', reason: 'timeout' });
    while (h.reports.filter((r) => r.failures.timeout === 1).length < failedTicks) await h.tick();
    h.getter.behaviours.delete('node-0');
    await h.tick();
    if (!h.sink.last!.nodes.has('node-0')) await h.tick();
    expect(h.sink.last!.nodes.has('node-0')).toBe(true);
    expect(h.lines.filter((l) => l.msg === 'scrape recovered')).toHaveLength(1);
    expect(h.lines.filter((l) => l.msg === 'scrape failed')).toHaveLength(1);
  });

  // Issue 14 item 10: a node whose last scrape failed was counted as healthy.
  it('a node whose last scrape failed is not counted healthy', async () => {
    const h = harness(3);
    h.getter.behaviours.set('node-2', { kind: 'fail', reason: 'http_500' });
    await h.tick();
    expect(await gauge(h.metrics, 'healthy')).toBe(2);
    expect(await gauge(h.metrics, 'failing')).toBe(1);
    expect(await gauge(h.metrics, 'backoff')).toBe(0);
    await h.tick();
    expect(await gauge(h.metrics, 'healthy')).toBe(2);
    expect(await gauge(h.metrics, 'failing')).toBe(0);
    expect(await gauge(h.metrics, 'backoff')).toBe(1);
  });

  it('forgets nodes that left the target list', async () => {
    const h = harness(2);
    h.getter.behaviours.set('node-1', { kind: 'fail', reason: 'timeout' });
    await h.tick();
    await h.tick();
    h.state.targets = fakeTargets(1);
    const report = await h.tick();
    expect(report).toMatchObject({ targets: 1, skipped: 0 });
    expect(await gauge(h.metrics, 'backoff')).toBe(0);
  });
});

describe('KubeletScrapeLoop ticking', () => {
  it('ticks on a fixed grid from the start time, however long each tick takes', async () => {
    const h = harness(1, { maxConcurrency: 1 });
    h.getter.behaviours.set('node-0', { kind: 'slow', ms: 3_700 });
    h.loop.start();
    await h.time.advance(45_000);
    await h.loop.stop();
    const starts = h.reports.map((r) => r.startedMs - h.reports[0]!.startedMs);
    expect(starts).toEqual([0, 10_000, 20_000, 30_000, 40_000]);
  });

  it('stop aborts the tick in flight and stores no partial batch', async () => {
    const h = harness(3);
    h.getter.behaviours.set('node-2', { kind: 'hang' });
    h.loop.start();
    await h.time.advance(1_000);
    await h.loop.stop();
    expect(h.sink.batches).toHaveLength(0);
    expect(h.reports).toEqual([
      expect.objectContaining({ stored: false, failures: { aborted: 1 } }),
    ]);
    expect(h.getter.inFlight).toBe(0);
    const pending = h.time.pendingTimers;
    await h.time.advance(60_000);
    expect(h.reports).toHaveLength(1);
    expect(pending).toBe(0);
  });

  it('keeps ticking when the store throws, logging each lost tick', async () => {
    const h = harness(2);
    let calls = 0;
    h.sink.store = () => {
      calls += 1;
      throw new Error('store bug');
    };
    h.loop.start();
    await h.time.advance(25_000);
    await h.loop.stop();
    expect(calls).toBe(3);
    expect(h.reports.map((r) => r.stored)).toEqual([false, false, false]);
    expect(h.lines.filter((l) => l.msg === 'storing scraped metrics failed')).toHaveLength(3);
    expect(h.loop.health.check().ok).toBe(false);
  });

  it('records the tick duration and the target gauge', async () => {
    const h = harness(3);
    await h.tick();
    const duration = (await h.metrics.scrapeDuration.get()).values.find(
      (v) => v.metricName === 'scaleplane_scrape_duration_seconds_count',
    );
    expect(duration).toMatchObject({ value: 1, labels: { source: 'kubelet' } });
    expect(await gauge(h.metrics, 'healthy')).toBe(3);
  });
});
