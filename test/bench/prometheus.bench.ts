/**
 * What serving custom metrics from the collector's store saves over prometheus-adapter's
 * query-per-request path, and what a collection cycle costs. A loopback HTTP server plays
 * Prometheus (answers computed from the query, like a TSDB that always has the data). Baseline:
 * a custom-metric read for 50 pods by one PromQL query through the real client, as upstream's
 * GetMetricBySelector does (the on-demand path with its cache off). Candidate: the same read from
 * the CustomMetricsStore. Also: one collection cycle (5 metrics × 2,000 pods, queried, decoded
 * and swapped into the store), and the store's size estimate against the measured heap.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { parseRulesConfig } from '../../src/config/index.js';
import { everything } from '../../src/k8s/index.js';
import {
  createSelfMetrics,
  realSleep,
  silentLogger,
  systemClock,
} from '../../src/observability/index.js';
import { CustomMetricsStore, type CustomMetricInfo } from '../../src/store/index.js';
import {
  OnDemandSelectorSource,
  PrometheusClient,
  PrometheusCollector,
} from '../../scraper/prometheus/index.js';

const NAMESPACES = 20;
const PODS_PER_NAMESPACE = 100;
const METRICS = ['http_requests', 'http_errors', 'queue_jobs', 'cache_misses', 'db_calls'];
const ASKED = 50;

const rules = parseRulesConfig(`
rules:
- seriesQuery: '{__name__=~"^(${METRICS.join('|')})_total$",namespace!="",pod!=""}'
  resources: {overrides: {namespace: {resource: namespace}, pod: {resource: pod}}}
  name: {matches: ^(.*)_total$}
  metricsQuery: sum(rate(<<.Series>>{<<.LabelMatchers>>}[2m])) by (<<.GroupBy>>)
`).config!;

const podName = (n: number, i: number): string =>
  `web-${n}-7d9f8b6c5d-${i.toString(36).padStart(5, 'x')}`;

/** Answers /api/v1/series with every series and /api/v1/query with one sample per matched pod. */
function fakePrometheus(): Server {
  const series = METRICS.flatMap((m) =>
    Array.from({ length: NAMESPACES * PODS_PER_NAMESPACE }, (_, k) => ({
      __name__: `${m}_total`,
      namespace: `ns-${Math.floor(k / PODS_PER_NAMESPACE)}`,
      pod: podName(Math.floor(k / PODS_PER_NAMESPACE), k % PODS_PER_NAMESPACE),
    })),
  );
  return createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const now = Date.now() / 1000;
    let data: unknown = series;
    if (url.pathname.endsWith('/query')) {
      const q = url.searchParams.get('query') ?? '';
      const ns = /namespace="([^"]+)"/.exec(q)?.[1];
      const names = /pod=~?"([^"]+)"/.exec(q)?.[1];
      const all = names === '.+' ? undefined : new Set(names?.split('|'));
      const result = series
        .filter(
          (s) =>
            s.__name__ === series[0]!.__name__ &&
            (!ns || s.namespace === ns) &&
            (!all || all.has(s.pod)),
        )
        .map((s, i) => ({
          metric: { namespace: s.namespace, pod: s.pod },
          value: [now, String(1 + i / 7)],
        }));
      data = { resultType: 'vector', result };
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'success', data }));
  });
}

async function timeEach(n: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < Math.min(20, n); i++) await fn();
  const start = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return (performance.now() - start) / n;
}

function heapUsed(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

export default async function (): Promise<void> {
  const server = fakePrometheus();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const api = await PrometheusClient.create({ url, timeoutMs: 10_000, clock: systemClock });
  const metrics = createSelfMetrics();
  const heapBefore = heapUsed();
  const store = new CustomMetricsStore({ now: () => Date.now(), maxAgeMs: 600_000 });
  const collector = new PrometheusCollector({
    api,
    rules,
    store,
    relist: { kind: 'period', periodMs: 600_000 },
    collectPeriodMs: 600_000,
    maxAgeMs: 600_000,
    clock: systemClock,
    sleep: realSleep,
    logger: silentLogger,
    metrics,
  });
  await collector.discoverNow();
  const cycleMs = await timeEach(5, () => collector.collectNow());
  const heapStore = heapUsed() - heapBefore;
  const stats = store.stats();

  const info: CustomMetricInfo = {
    groupResource: { group: '', resource: 'pods' },
    metric: METRICS[0]!,
    namespaced: true,
  };
  const names = Array.from({ length: ASKED }, (_, i) => podName(3, i));
  const plan = (): typeof collector.currentPlan => collector.currentPlan;
  const perRequest = new OnDemandSelectorSource({
    api,
    plan,
    clock: systemClock,
    metrics,
    cacheTtlMs: 0,
  });
  const baselineMs = await timeEach(300, () => perRequest.custom(info, 'ns-3', names, everything));
  const candidateMs = await timeEach(20_000, () =>
    store.getCustomMetrics(info, 'ns-3', names, everything),
  );
  const check = await store.getCustomMetrics(info, 'ns-3', names, everything);
  server.close();

  console.log(`## Prometheus source: serving from the store vs querying per request\n`);
  console.log(
    `${NAMESPACES * PODS_PER_NAMESPACE} pods × ${METRICS.length} metrics; a read asks for ${ASKED} pods (${check.length} returned).\n`,
  );
  console.log('| scenario | mean latency | ratio |');
  console.log('|---|---:|---:|');
  console.log(
    `| baseline: one PromQL query per read (prometheus-adapter) | ${(baselineMs * 1000).toFixed(1)} µs | 1.00 |`,
  );
  console.log(
    `| candidate: read from CustomMetricsStore | ${(candidateMs * 1000).toFixed(1)} µs | ${(baselineMs / candidateMs).toFixed(0)}× faster |`,
  );
  console.log(
    `| one collection cycle (${METRICS.length} queries, ${stats.customSamples} samples stored) | ${cycleMs.toFixed(1)} ms | — |`,
  );
  console.log(
    `\nStore size: estimate ${(stats.approxBytes / 1024 / 1024).toFixed(2)} MiB, measured heap growth ${(heapStore / 1024 / 1024).toFixed(2)} MiB (with --expose-gc).\n`,
  );
}
