/**
 * The real collector against a real Prometheus on loopback: series served by a test exporter,
 * scraped every second, discovered and collected with a prometheus-adapter rules file, and read
 * back through the store as the adapter would.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRulesConfig } from '../../src/config/index.js';
import { everything, parseSelector } from '../../src/k8s/index.js';
import {
  createSelfMetrics,
  realSleep,
  silentLogger,
  systemClock,
} from '../../src/observability/index.js';
import { CustomMetricsStore, type CustomMetricInfo } from '../../src/store/index.js';
import {
  PrometheusClient,
  PrometheusCollector,
  type PrometheusApi,
} from '../../scraper/prometheus/index.js';
import { repoRoot } from '../support/fixtures.js';
import {
  PROMETHEUS_START_TIMEOUT_MS,
  startExporter,
  startPrometheus,
  type Exporter,
  type PrometheusServer,
} from '../support/prometheus-server.js';

const startedMs = Date.now();
/** Counters grow linearly with real time, so their rate is the given per-second value. */
const counters = [
  { labels: 'namespace="shop",pod="web-1",method="GET"', perSecond: 10 },
  { labels: 'namespace="shop",pod="web-1",method="POST"', perSecond: 2 },
  { labels: 'namespace="shop",pod="web-2",method="GET"', perSecond: 20 },
  { labels: 'namespace="other",pod="web-1",method="GET"', perSecond: 5 },
];

function exposition(): string {
  const elapsedS = (Date.now() - startedMs) / 1000;
  return [
    '# TYPE http_requests_total counter',
    ...counters.map(
      (c) => `http_requests_total{${c.labels}} ${(c.perSecond * elapsedS).toFixed(3)}`,
    ),
    '# TYPE queue_length gauge',
    'queue_length{namespace="shop",pod="worker-1"} 7',
    'queue_length{namespace="shop",pod="worker-2"} NaN',
    '# TYPE queue_messages_ready gauge',
    'queue_messages_ready{namespace="shop",queue="orders",env="prod"} 42',
    'queue_messages_ready{namespace="shop",queue="billing",env="dev"} 5',
    'queue_messages_ready{namespace="other",queue="orders",env="prod"} 100',
    '',
  ].join('\n');
}

const pods = { group: '', resource: 'pods' };
const namespaces = { group: '', resource: 'namespaces' };
const info = (groupResource: typeof pods, metric: string, namespaced = true): CustomMetricInfo => ({
  groupResource,
  metric,
  namespaced,
});

async function eventually<T>(
  what: string,
  read: () => Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('Prometheus collector against a real Prometheus', () => {
  let exporter: Exporter;
  let prometheus: PrometheusServer;
  let collector: PrometheusCollector;
  let store: CustomMetricsStore;
  const metrics = createSelfMetrics();
  const sent: string[] = [];

  beforeAll(async () => {
    exporter = await startExporter(exposition);
    prometheus = await startPrometheus([exporter.target]);
    // irate() needs two scrapes of every counter.
    await prometheus.waitForQuery('irate(http_requests_total[5s])', counters.length);
    const parsed = parseRulesConfig(
      readFileSync(
        join(repoRoot, 'test/scraper/prometheus/testdata/integration-rules.yaml'),
        'utf8',
      ),
    );
    expect(parsed.issues).toBeUndefined();
    store = new CustomMetricsStore({ now: () => Date.now(), maxAgeMs: 60_000 });
    const client = await PrometheusClient.create({
      url: prometheus.url,
      timeoutMs: 5000,
      clock: systemClock,
    });
    const api: PrometheusApi = {
      series: (m, r, s) => client.series(m, r, s),
      query: (q, t, s) => {
        sent.push(q);
        return client.query(q, t, s);
      },
    };
    collector = new PrometheusCollector({
      api,
      rules: parsed.config!,
      store,
      relist: { kind: 'period', periodMs: 2000 },
      collectPeriodMs: 1000,
      maxAgeMs: 60_000,
      clock: systemClock,
      sleep: realSleep,
      logger: silentLogger,
      metrics,
      onDemand: { cacheTtlMs: 300 },
    });
    store.setSelectorSource(collector.selectorSource);
    collector.start();
    await eventually(
      'first collection',
      () => Promise.resolve(collector.health.check().ok),
      (ok) => ok,
    );
  }, PROMETHEUS_START_TIMEOUT_MS);

  afterAll(async () => {
    await collector?.stop();
    await prometheus?.stop();
    await exporter?.close();
  });

  it('discovers the metrics prometheus-adapter would list', () => {
    const listed = store.listCustomMetrics().map((i) => `${i.groupResource.resource}/${i.metric}`);
    expect(listed).toEqual(
      expect.arrayContaining([
        'pods/http_requests_per_second',
        'namespaces/http_requests_per_second',
        'pods/queue_length',
        'namespaces/queue_length',
      ]),
    );
    // The template rule maps every label of its form: Prometheus's `job` label is jobs.batch.
    expect(listed).toContain('jobs/queue_length');
    expect(store.listExternalMetrics()).toEqual([{ metric: 'queue_messages_ready' }]);
  });

  it('serves per-pod rates, keeping pods of the same name in different namespaces apart', async () => {
    const shop = await store.getCustomMetrics(
      info(pods, 'http_requests_per_second'),
      'shop',
      ['web-1', 'web-2'],
      everything,
    );
    expect(shop.map((s) => s.name)).toEqual(['web-1', 'web-2']);
    expect(shop[0]!.value).toBeCloseTo(12, 0);
    expect(shop[1]!.value).toBeCloseTo(20, 0);
    expect(Math.abs(Date.now() - shop[0]!.timestampMs)).toBeLessThan(10_000);
    const other = await store.getCustomMetrics(
      info(pods, 'http_requests_per_second'),
      'other',
      undefined,
      everything,
    );
    expect(other).toHaveLength(1);
    expect(other[0]!.value).toBeCloseTo(5, 0);
  });

  it('serves namespace metrics as root-scoped objects', async () => {
    const values = await store.getCustomMetrics(
      info(namespaces, 'http_requests_per_second', false),
      undefined,
      ['shop', 'other'],
      everything,
    );
    expect(values.map((v) => [v.name, Math.round(v.value)])).toEqual([
      ['shop', 32],
      ['other', 5],
    ]);
  });

  it('drops NaN samples and counts them', async () => {
    const values = await store.getCustomMetrics(
      info(pods, 'queue_length'),
      'shop',
      ['worker-1', 'worker-2'],
      everything,
    );
    expect(values.map((v) => [v.name, v.value])).toEqual([['worker-1', 7]]);
    const dropped = (await metrics.droppedPoints.get()).values.find(
      (v) => v.labels.source === 'prometheus' && v.labels.reason === 'non_finite_value',
    );
    expect(dropped?.value).toBeGreaterThan(0);
  });

  it('answers a custom metricSelector with the query prometheus-adapter sends, then from collected values', async () => {
    const get = (): Promise<number | undefined> =>
      store
        .getCustomMetrics(
          info(pods, 'http_requests_per_second'),
          'shop',
          ['web-1'],
          parseSelector('method=GET'),
        )
        .then((v) => v[0]?.value);
    expect(await get()).toBeCloseTo(10, 0);
    const exact =
      'sum(irate(http_requests_total{method="GET",namespace="shop",pod="web-1"}[5s])) by (pod)';
    expect(sent).toContain(exact);
    await collector.collectNow();
    expect(sent).toContain(
      'sum(irate(http_requests_total{method="GET",namespace=~".+",pod=~".+"}[5s])) by (pod,namespace)',
    );
    const asked = sent.filter((q) => q === exact).length;
    await new Promise((r) => setTimeout(r, 400));
    expect(await get()).toBeCloseTo(10, 0);
    // Past the on-demand cache, the answer now comes from the collected selector, not a new query.
    expect(sent.filter((q) => q === exact).length).toBe(asked);
  });

  it('serves external series per namespace, filtered by selector', async () => {
    const all = await store.getExternalMetric('shop', 'queue_messages_ready', everything);
    expect(all.map((s) => [s.labels.queue, s.value]).sort()).toEqual([
      ['billing', 5],
      ['orders', 42],
    ]);
    const orders = await store.getExternalMetric(
      'shop',
      'queue_messages_ready',
      parseSelector('queue=orders'),
    );
    expect(orders.map((s) => s.value)).toEqual([42]);
    const other = await store.getExternalMetric(
      'other',
      'queue_messages_ready',
      parseSelector('queue=orders'),
    );
    expect(other.map((s) => s.value)).toEqual([100]);
    // `env` is aggregated away by `sum ... by (queue)`: the selector must reach Prometheus.
    const prod = await store.getExternalMetric(
      'shop',
      'queue_messages_ready',
      parseSelector('env=prod'),
    );
    expect(prod.map((s) => [s.labels, s.value])).toEqual([[{ queue: 'orders' }, 42]]);
  });
});
