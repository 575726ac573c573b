/**
 * prometheus-adapter's `resourceRules` against a real Prometheus on loopback: an exporter serves
 * cAdvisor-, kubelet- and node-exporter-shaped series (counters growing at set rates), Prometheus
 * scrapes it every second, and the resource collector fills the rated store with each real-world
 * rule set; an external rule whose metricsQuery ignores the namespace is answered for a namespace
 * its series never carried, then collected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRulesConfig } from '../../src/config/index.js';
import { everything } from '../../src/k8s/index.js';
import {
  createSelfMetrics,
  realSleep,
  silentLogger,
  systemClock,
} from '../../src/observability/index.js';
import { CustomMetricsStore, RatedResourceStore } from '../../src/store/index.js';
import {
  PrometheusClient,
  PrometheusCollector,
  PrometheusResourceCollector,
  type PrometheusApi,
} from '../../scraper/prometheus/index.js';
import {
  startExporter,
  startPrometheus,
  type Exporter,
  type PrometheusServer,
} from '../support/prometheus-server.js';
import { helmChartRules, kubePrometheusRules } from '../support/resource-rules.js';

const startedMs = Date.now();
const MiB = 1024 * 1024;
/** Containers: namespace, pod, container, CPU cores used, working set. */
const containers = [
  ['shop', 'web-1', 'app', 0.25, 64 * MiB],
  ['shop', 'web-1', 'log', 0.01, 8 * MiB],
  ['other', 'web-1', 'app', 0.5, 32 * MiB],
] as const;
/** Nodes: name, CPU cores used, working set (also MemTotal - MemAvailable). */
const nodes = [
  ['n1', 1.5, 2048 * MiB],
  ['n2', 0.75, 1024 * MiB],
] as const;

function exposition(): string {
  const now = Date.now();
  const s = (now - startedMs) / 1000;
  const lines = ['# TYPE container_cpu_usage_seconds_total counter'];
  for (const [ns, pod, c, cores] of containers)
    lines.push(
      `container_cpu_usage_seconds_total{namespace="${ns}",pod="${pod}",container="${c}"} ${(100 + cores * s).toFixed(4)}`,
    );
  // The pod cgroup series cAdvisor also exports, which the rules' container!="" excludes.
  lines.push(
    `container_cpu_usage_seconds_total{namespace="shop",pod="web-1",container=""} ${(100 + 5 * s).toFixed(4)}`,
  );
  lines.push('# TYPE container_memory_working_set_bytes gauge');
  for (const [ns, pod, c, , bytes] of containers)
    lines.push(
      `container_memory_working_set_bytes{namespace="${ns}",pod="${pod}",container="${c}"} ${bytes}`,
    );
  lines.push(
    '# TYPE node_cpu_usage_seconds_total counter',
    '# TYPE node_cpu_seconds_total counter',
  );
  for (const [node, cores, bytes] of nodes) {
    lines.push(`node_cpu_usage_seconds_total{node="${node}"} ${(1000 + cores * s).toFixed(4)}`);
    lines.push(
      `node_cpu_seconds_total{node="${node}",cpu="0",mode="user"} ${(500 + cores * s).toFixed(4)}`,
    );
    lines.push(
      `node_cpu_seconds_total{node="${node}",cpu="0",mode="idle"} ${(500 + 3 * s).toFixed(4)}`,
    );
    lines.push(`node_memory_working_set_bytes{node="${node}"} ${bytes}`);
    lines.push(`node_memory_MemTotal_bytes{node="${node}"} ${bytes + 4096 * MiB}`);
    lines.push(`node_memory_MemAvailable_bytes{node="${node}"} ${4096 * MiB}`);
  }
  lines.push('# TYPE queue_messages_ready gauge', 'queue_messages_ready{queue="jobs"} 30', '');
  // Each sample carries the time its value was computed for, so rates do not depend on when a
  // loaded machine gets round to the scrape.
  return lines.map((l) => (l === '' || l.startsWith('#') ? l : `${l} ${now}`)).join('\n');
}

describe('resourceRules against a real Prometheus', () => {
  let exporter: Exporter;
  let prometheus: PrometheusServer;
  let api: PrometheusApi;
  const sent: string[] = [];

  beforeAll(async () => {
    exporter = await startExporter(exposition);
    prometheus = await startPrometheus([exporter.target]);
    // irate() and rate() need two scrapes of every counter.
    // rate() over 5s needs a full range of one-second samples.
    await prometheus.waitForQuery('count_over_time(node_cpu_usage_seconds_total[6s]) >= 6', 2);
    const client = await PrometheusClient.create({
      url: prometheus.url,
      timeoutMs: 5000,
      clock: systemClock,
    });
    api = {
      series: (m, r, s) => client.series(m, r, s),
      query: (q, t, s) => {
        sent.push(q);
        return client.query(q, t, s);
      },
    };
  });

  afterAll(async () => {
    await prometheus?.stop();
    await exporter?.close();
  });

  const cases = [
    { name: 'kube-prometheus', yaml: kubePrometheusRules, windowMs: 300_000 },
    {
      // rate() over 3m of a series a few seconds old extrapolates over the missing range: the
      // chart's rules with a 5s range, so a fresh Prometheus holds a full range of samples.
      name: 'prometheus-adapter chart rules.resource',
      yaml: helmChartRules.replaceAll('[3m]', '[5s]'),
      windowMs: 180_000,
    },
  ];
  it.each(cases)('$name: every container and node, rates in millicores', async (c) => {
    const rules = parseRulesConfig(c.yaml).config!.resourceRules!;
    const store = new RatedResourceStore({ now: () => Date.now(), maxAgeMs: 60_000 });
    const collector = new PrometheusResourceCollector({
      api,
      rules,
      sink: store,
      periodMs: 1000,
      clock: systemClock,
      sleep: realSleep,
      logger: silentLogger,
      metrics: createSelfMetrics(),
    });
    const before = sent.length;
    const report = await collector.collectNow();
    expect(report.failures).toEqual({});
    expect(sent.length - before).toBe(4);
    // Scrape times and the exporter's clock differ by milliseconds: within 5% (and 2m).
    const near = (milli: number) => ({
      asymmetricMatch: (n: number) => Math.abs(n / 1e6 - milli) <= Math.max(2, milli * 0.05),
      toString: () => `about ${milli}m`,
    });
    const got = store.getPodMetrics(undefined).map((p) => ({
      key: `${p.namespace}/${p.name}`,
      windowMs: p.windowMs,
      containers: Object.fromEntries(p.containers.map((x) => [x.name, x.usage])),
    }));
    expect(got.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
      {
        key: 'other/web-1',
        windowMs: c.windowMs,
        containers: { app: { cpuNanoCores: near(500), memoryBytes: 32 * MiB } },
      },
      {
        key: 'shop/web-1',
        windowMs: c.windowMs,
        containers: {
          app: { cpuNanoCores: near(250), memoryBytes: 64 * MiB },
          log: { cpuNanoCores: near(10), memoryBytes: 8 * MiB },
        },
      },
    ]);
    const nodeValues = store
      .getNodeMetrics()
      .map((n) => [n.name, n.usage, n.windowMs])
      .sort();
    expect(nodeValues).toEqual([
      ['n1', { cpuNanoCores: near(1500), memoryBytes: 2048 * MiB }, c.windowMs],
      ['n2', { cpuNanoCores: near(750), memoryBytes: 1024 * MiB }, c.windowMs],
    ]);
  });

  it('answers an external metric in a namespace its series never carried, then collects it', async () => {
    const rules = parseRulesConfig(`
externalRules:
- seriesQuery: '{__name__="queue_messages_ready",queue!=""}'
  resources: {overrides: {namespace: {resource: namespace}}}
  name: {as: queue_depth}
  metricsQuery: sum(<<.Series>>) by (queue)
`).config!;
    const store = new CustomMetricsStore({ now: () => Date.now(), maxAgeMs: 60_000 });
    const collector = new PrometheusCollector({
      api,
      rules,
      store,
      relist: { kind: 'period', periodMs: 60_000 },
      collectPeriodMs: 60_000,
      maxAgeMs: 60_000,
      clock: systemClock,
      sleep: realSleep,
      logger: silentLogger,
      metrics: createSelfMetrics(),
      onDemand: { cacheTtlMs: 100 },
    });
    store.setSelectorSource(collector.selectorSource);
    await collector.discoverNow();
    await collector.collectNow();
    const query = 'sum(queue_messages_ready) by (queue)';
    // No selector, as an HPA without one asks.
    const read = () => store.getExternalMetric('e2e', 'queue_depth', everything);
    expect((await read()).map((s) => [s.labels, s.value])).toEqual([[{ queue: 'jobs' }, 30]]);
    expect(sent.filter((q) => q === query)).toHaveLength(1);
    await collector.collectNow();
    expect(sent.filter((q) => q === query)).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 200));
    // Past the on-demand cache, served from the collected entry without another query.
    expect((await read()).map((s) => s.value)).toEqual([30]);
    expect(sent.filter((q) => q === query)).toHaveLength(2);
  });
});
