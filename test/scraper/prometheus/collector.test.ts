import { afterEach, describe, expect, it } from 'vitest';
import { parseRulesConfig, type RelistSchedule } from '../../../src/config/index.js';
import { everything, parseSelector } from '../../../src/k8s/index.js';
import {
  createLogger,
  createSelfMetrics,
  type SelfMetrics,
} from '../../../src/observability/index.js';
import { CustomMetricsStore } from '../../../src/store/index.js';
import { PrometheusCollector } from '../../../scraper/prometheus/collector.js';
import { PrometheusError } from '../../../scraper/prometheus/errors.js';
import { FakeTime } from '../../support/fake-time.js';
import { FakePrometheus, sample, type QueryAnswer } from './fake-prometheus.js';

const rules = parseRulesConfig(`
rules:
- seriesQuery: '{__name__="http_requests_total",namespace!="",pod!=""}'
  resources: {overrides: {namespace: {resource: namespace}, pod: {resource: pod}}}
  name: {matches: ^(.*)_total$, as: "\${1}_per_second"}
  metricsQuery: sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)
- seriesQuery: '{__name__="node_load",node!=""}'
  resources: {template: <<.Resource>>}
  metricsQuery: max(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)
externalRules:
- seriesQuery: '{__name__="queue_messages_ready",queue!=""}'
  resources: {overrides: {namespace: {resource: namespace}}}
  metricsQuery: sum(<<.Series>>{<<.LabelMatchers>>}) by (queue)
- seriesQuery: '{__name__="global_backlog"}'
  resources: {namespaced: false}
  metricsQuery: sum(<<.Series>>{<<.LabelMatchers>>})
`).config!;

const q = {
  podRates: 'sum(rate(http_requests_total{namespace=~".+",pod=~".+"}[2m])) by (pod,namespace)',
  nsRates: 'sum(rate(http_requests_total{namespace=~".+"}[2m])) by (namespace)',
  nodeLoad: 'max(node_load{node=~".+"}) by (node)',
  queueShop: 'sum(queue_messages_ready{namespace="shop"}) by (queue)',
  queueOther: 'sum(queue_messages_ready{namespace="other"}) by (queue)',
  backlog: 'sum(global_backlog{})',
};

function seriesFixture(fake: FakePrometheus): void {
  fake.seriesByQuery.set(rules.rules[0]!.seriesQuery, [
    { __name__: 'http_requests_total', namespace: 'shop', pod: 'web-1' },
    { __name__: 'http_requests_total', namespace: 'other', pod: 'web-1' },
  ]);
  fake.seriesByQuery.set(rules.rules[1]!.seriesQuery, [{ __name__: 'node_load', node: 'n1' }]);
  fake.seriesByQuery.set(rules.externalRules[0]!.seriesQuery, [
    { __name__: 'queue_messages_ready', namespace: 'shop', queue: 'orders' },
    { __name__: 'queue_messages_ready', namespace: 'other', queue: 'orders' },
  ]);
  fake.seriesByQuery.set(rules.externalRules[1]!.seriesQuery, [{ __name__: 'global_backlog' }]);
}

function answers(
  time: FakeTime,
  overrides: Record<string, QueryAnswer> = {},
): (promql: string) => QueryAnswer {
  return (promql) => {
    if (promql in overrides) return overrides[promql]!;
    const t = time.now();
    const table: Record<string, QueryAnswer> = {
      [q.podRates]: [
        sample({ pod: 'web-1', namespace: 'shop' }, 3, t),
        sample({ pod: 'web-1', namespace: 'other' }, 4, t),
      ],
      [q.nsRates]: [sample({ namespace: 'shop' }, 3, t), sample({ namespace: 'other' }, 4, t)],
      [q.nodeLoad]: [sample({ node: 'n1' }, 0.5, t), sample({ node: 'n2' }, NaN, t)],
      [q.queueShop]: [sample({ queue: 'orders' }, 42, t)],
      [q.queueOther]: [sample({ queue: 'orders' }, 100, t)],
      [q.backlog]: { resultType: 'scalar', sample: { timestampMs: t, value: 9 }, malformed: 0 },
    };
    return (
      table[promql] ?? new PrometheusError('prometheus_bad_data', `unexpected query ${promql}`)
    );
  };
}

interface Harness {
  time: FakeTime;
  fake: FakePrometheus;
  store: CustomMetricsStore;
  collector: PrometheusCollector;
  metrics: SelfMetrics;
  logs: Record<string, unknown>[];
}

const running: PrometheusCollector[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.stop()));
});

function harness(relist: RelistSchedule = { kind: 'period', periodMs: 60_000 }): Harness {
  const time = new FakeTime();
  const fake = new FakePrometheus();
  fake.answer = answers(time);
  seriesFixture(fake);
  const logs: Record<string, unknown>[] = [];
  const write = (line: string): boolean =>
    logs.push(JSON.parse(line) as Record<string, unknown>) > 0;
  const logger = createLogger({ stream: { write } });
  const store = new CustomMetricsStore({ now: () => time.now(), maxAgeMs: 30_000 });
  const metrics = createSelfMetrics();
  const collector = new PrometheusCollector({
    api: fake,
    rules,
    store,
    relist,
    collectPeriodMs: 10_000,
    maxAgeMs: 30_000,
    clock: time,
    sleep: time.sleep,
    logger,
    metrics,
  });
  store.setSelectorSource(collector.selectorSource);
  running.push(collector);
  return { time, fake, store, collector, metrics, logs };
}

const pods = { group: '', resource: 'pods' };
const podRate = { groupResource: pods, metric: 'http_requests_per_second', namespaced: true };

async function counter(
  metrics: SelfMetrics,
  name: 'droppedPoints' | 'scrapeFailures' | 'prometheusQueries',
  labels: Record<string, string>,
): Promise<number> {
  const all = (await metrics[name].get()).values;
  return all
    .filter((v) =>
      Object.entries(labels).every(([k, val]) => v.labels[k as keyof typeof v.labels] === val),
    )
    .reduce((s, v) => s + v.value, 0);
}

describe('PrometheusCollector', () => {
  it('discovers, then collects one query per metric and group resource, into the store', async () => {
    const h = harness();
    h.collector.start();
    await h.time.advance(0);
    expect(h.fake.seriesCalls.map((c) => c.startMs)).toEqual([
      h.time.now() - 30_000,
      h.time.now() - 30_000,
      h.time.now() - 30_000,
      h.time.now() - 30_000,
    ]);
    expect(h.fake.queries.map((x) => x.promql).sort()).toEqual(Object.values(q).sort());
    expect(h.collector.health.check()).toEqual({ ok: true });
    expect(
      h.store
        .listCustomMetrics()
        .map((i) => `${i.groupResource.resource}/${i.metric}/${i.namespaced}`)
        .sort(),
    ).toEqual([
      'namespaces/http_requests_per_second/false',
      'nodes/node_load/false',
      'pods/http_requests_per_second/true',
    ]);
    expect(h.store.listExternalMetrics()).toEqual([
      { metric: 'queue_messages_ready' },
      { metric: 'global_backlog' },
    ]);
    const shop = await h.store.getCustomMetrics(podRate, 'shop', ['web-1'], everything);
    expect(shop).toEqual([
      {
        namespace: 'shop',
        name: 'web-1',
        metric: 'http_requests_per_second',
        value: 3,
        timestampMs: h.time.now(),
        labels: { pod: 'web-1', namespace: 'shop' },
      },
    ]);
    expect(
      (await h.store.getCustomMetrics(podRate, 'other', undefined, everything)).map((s) => s.value),
    ).toEqual([4]);
    expect(
      (await h.store.getExternalMetric('other', 'queue_messages_ready', everything)).map(
        (s) => s.value,
      ),
    ).toEqual([100]);
    expect(
      (await h.store.getExternalMetric('anywhere', 'global_backlog', everything)).map((s) => [
        s.labels,
        s.value,
      ]),
    ).toEqual([[{}, 9]]);
  });

  it('drops NaN values and counts them', async () => {
    const h = harness();
    h.collector.start();
    await h.time.advance(0);
    const nodes = await h.store.getCustomMetrics(
      { groupResource: { group: '', resource: 'nodes' }, metric: 'node_load', namespaced: false },
      undefined,
      ['n1', 'n2'],
      everything,
    );
    expect(nodes.map((n) => n.name)).toEqual(['n1']);
    expect(
      await counter(h.metrics, 'droppedPoints', {
        source: 'prometheus',
        reason: 'non_finite_value',
      }),
    ).toBe(1);
  });

  it('collects on a fixed grid and relists on its own period', async () => {
    const h = harness();
    const origin = h.time.now();
    h.collector.start();
    await h.time.advance(0);
    await h.time.advance(35_000);
    const times = h.fake.queries.filter((x) => x.promql === q.nodeLoad).map((x) => x.timeMs);
    expect(times).toEqual([origin, origin + 10_000, origin + 20_000, origin + 30_000]);
    expect(h.fake.seriesCalls).toHaveLength(4);
    await h.time.advance(30_000);
    expect(h.fake.seriesCalls).toHaveLength(8);
  });

  it('relists on a cron schedule', async () => {
    const h = harness({ kind: 'cron', expression: '*/30 * * * * *' });
    h.collector.start();
    await h.time.advance(0);
    const before = h.fake.seriesCalls.length;
    await h.time.advance(61_000);
    // Two or three :00/:30 boundaries fall in any 61 s; each relists all four selectors.
    expect((h.fake.seriesCalls.length - before) / 4).toBeGreaterThanOrEqual(2);
    for (const call of h.fake.seriesCalls.slice(before))
      expect((call.startMs! + 30_000) % 30_000).toBe(0);
  });

  it('keeps the previous values of a failed query until they are stale, and logs the cause once', async () => {
    const h = harness();
    h.collector.start();
    await h.time.advance(0);
    h.fake.answer = answers(h.time, {
      [q.podRates]: new PrometheusError('prometheus_timeout', 'query timed out'),
    });
    await h.time.advance(20_000);
    const kept = await h.store.getCustomMetrics(podRate, 'shop', ['web-1'], everything);
    expect(kept.map((s) => s.value)).toEqual([3]);
    expect(
      (await h.store.getExternalMetric('shop', 'queue_messages_ready', everything))[0]!.timestampMs,
    ).toBe(h.time.now());
    expect(
      await counter(h.metrics, 'scrapeFailures', {
        source: 'prometheus',
        reason: 'prometheus_timeout',
      }),
    ).toBe(2);
    expect(h.logs.filter((l) => l.msg === 'prometheus query failed')).toHaveLength(1);
    await h.time.advance(20_000);
    expect(await h.store.getCustomMetrics(podRate, 'shop', ['web-1'], everything)).toEqual([]);
    h.fake.answer = answers(h.time);
    await h.time.advance(10_000);
    expect(
      (await h.store.getCustomMetrics(podRate, 'shop', ['web-1'], everything)).map((s) => s.value),
    ).toEqual([3]);
    expect(h.logs.filter((l) => l.msg === 'prometheus query recovered')).toEqual([
      expect.objectContaining({ subject: 'custom pods/http_requests_per_second' }),
    ]);
  });

  it('is not ready while Prometheus cannot be reached, and says why', async () => {
    const h = harness();
    for (const key of h.fake.seriesByQuery.keys())
      h.fake.seriesByQuery.set(
        key,
        new PrometheusError('connection', 'connect ECONNREFUSED 127.0.0.1:9090'),
      );
    h.collector.start();
    await h.time.advance(0);
    expect(h.collector.health.check()).toEqual({
      ok: false,
      reason: expect.stringContaining('ECONNREFUSED'),
    });
    expect(h.store.ready()).toBe(false);
    expect(h.fake.queries).toEqual([]);
    seriesFixture(h.fake);
    await h.time.advance(60_000);
    await h.time.advance(10_000);
    expect(h.collector.health.check()).toEqual({ ok: true });
  });

  // Issue 14 item 11: with Prometheus down at start, nothing was collected until the next relist
  // (10 minutes by default).
  it('retries a failed first relist with a doubling delay, long before the relist interval', async () => {
    const h = harness({ kind: 'period', periodMs: 600_000 });
    const down = new PrometheusError('connection', 'connect ECONNREFUSED 127.0.0.1:9090');
    for (const key of h.fake.seriesByQuery.keys()) h.fake.seriesByQuery.set(key, down);
    const origin = h.time.now();
    h.collector.start();
    await h.time.advance(0);
    expect(h.collector.health.informational).toBe(true);
    expect(h.collector.health.check()).toEqual({
      ok: false,
      reason: expect.stringMatching(/ECONNREFUSED.*; relist retried in 1s$/),
    });
    expect((await h.metrics.prometheusUp.get()).values[0]?.value).toBe(0);
    await h.time.advance(5_000);
    seriesFixture(h.fake);
    await h.time.advance(15_000);
    // Relists at 0 s, then retries 1, 2 and 4 s apart: 1 s, 3 s, 7 s (the first with an answer).
    const relists = [...new Set(h.fake.seriesCalls.map((c) => c.startMs! + 30_000 - origin))];
    expect(relists).toEqual([0, 1_000, 3_000, 7_000]);
    expect(h.collector.health.check()).toEqual({ ok: true });
    expect((await h.metrics.prometheusUp.get()).values[0]?.value).toBe(1);
    expect(
      (await h.store.getCustomMetrics(podRate, 'shop', ['web-1'], everything)).map((v) => v.value),
    ).toEqual([3]);
    // Once complete, relists wait for the interval again.
    await h.time.advance(100_000);
    expect(h.fake.seriesCalls).toHaveLength(16);
  });

  // Issue 14 item 10: the last successful cycle advanced while every query failed.
  it('a cycle whose every query fails is not a successful cycle', async () => {
    const h = harness();
    h.collector.start();
    await h.time.advance(0);
    const last = async (): Promise<number | undefined> =>
      (await h.metrics.lastSuccessfulCycle.get()).values.find(
        (v) => v.labels.source === 'prometheus',
      )?.value;
    const before = await last();
    expect(before).toBe(h.time.now() / 1000);
    expect(
      (await h.metrics.storeMemoryBytes.get()).values.find((v) => v.labels.store === 'custom')
        ?.value,
    ).toBeGreaterThan(0);
    h.fake.answer = () => new PrometheusError('http_503', 'service unavailable');
    await h.time.advance(30_000);
    expect(await last()).toBe(before);
    expect((await h.metrics.prometheusUp.get()).values[0]?.value).toBe(0);
    expect(h.collector.health.check()).toEqual({
      ok: false,
      reason: 'every query of the last collection failed, first: service unavailable',
    });
    h.fake.answer = answers(h.time);
    await h.time.advance(10_000);
    expect(await last()).toBe(h.time.now() / 1000);
    expect(h.collector.health.check()).toEqual({ ok: true });
  });

  it('keeps the previous series of a selector whose relist failed', async () => {
    const h = harness();
    h.collector.start();
    await h.time.advance(0);
    h.fake.seriesByQuery.set(
      rules.rules[0]!.seriesQuery,
      new PrometheusError('http_503', 'unavailable'),
    );
    await h.time.advance(60_000);
    expect(h.store.listCustomMetrics().map((i) => i.metric)).toContain('http_requests_per_second');
    expect(
      await counter(h.metrics, 'prometheusQueries', { endpoint: 'series', outcome: 'error' }),
    ).toBe(1);
  });

  it('answers a new metricSelector with the upstream query, then collects it each cycle', async () => {
    const h = harness();
    const exact =
      'sum(rate(http_requests_total{verb="GET",namespace="shop",pod="web-1"}[2m])) by (pod)';
    const cycle =
      'sum(rate(http_requests_total{verb="GET",namespace=~".+",pod=~".+"}[2m])) by (pod,namespace)';
    h.fake.answer = answers(h.time, {
      [exact]: [sample({ pod: 'web-1' }, 1)],
      [cycle]: [sample({ pod: 'web-1', namespace: 'shop' }, 1.5, h.time.now())],
    });
    h.collector.start();
    await h.time.advance(0);
    const first = await h.store.getCustomMetrics(
      podRate,
      'shop',
      ['web-1'],
      parseSelector('verb=GET'),
    );
    expect(first.map((s) => [s.namespace, s.name, s.value])).toEqual([['shop', 'web-1', 1]]);
    expect(h.fake.sent(exact)).toHaveLength(1);
    await h.time.advance(10_000);
    expect(h.fake.sent(cycle)).toHaveLength(1);
    const later = await h.store.getCustomMetrics(
      podRate,
      'shop',
      ['web-1'],
      parseSelector('verb=GET'),
    );
    expect(later.map((s) => s.value)).toEqual([1.5]);
    expect(h.fake.sent(exact)).toHaveLength(1);
  });

  it('stops both loops', async () => {
    const h = harness();
    h.collector.start();
    await h.time.advance(0);
    expect(h.time.pendingTimers).toBe(2);
    await h.collector.stop();
    expect(h.time.pendingTimers).toBe(0);
  });
});
