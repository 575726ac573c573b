/**
 * The Prometheus side of the resourceRules end-to-end test: an exporter that serves the series
 * kube-prometheus' resource rules read (cAdvisor's container_cpu_usage_seconds_total and
 * container_memory_working_set_bytes, the kubelet's node_cpu_usage_seconds_total and
 * node_memory_working_set_bytes), for the pods and nodes the test names, plus a queue gauge with
 * no namespace label; a real Prometheus scraping it every second; and the chart values that
 * configure scaleplane with those rules, as a kube-prometheus user's prometheus-adapter config.
 * @module
 */
import { parse } from 'yaml';
import {
  startExporter,
  startPrometheus,
  type Exporter,
  type PrometheusServer,
} from '../../support/prometheus-server.js';
import { kubePrometheusRules } from '../../support/resource-rules.js';

/** CPU cores used and working set bytes of one container or node. */
export interface Usage {
  cores: number;
  bytes: number;
}

/**
 * Chart values: kube-prometheus' resourceRules (window 5m), and a namespaced external rule whose
 * metricsQuery does not use the label matchers, so the HPA's namespace never reaches the series,
 * which carry none.
 */
export const RESOURCE_RULES_VALUES = {
  resourceRules: (parse(kubePrometheusRules) as { resourceRules: unknown }).resourceRules,
  externalRules: [
    {
      seriesQuery: '{__name__="queue_messages_ready",queue!=""}',
      resources: { overrides: { namespace: { resource: 'namespace' } } },
      name: { matches: '^queue_messages_ready$', as: 'queue_depth' },
      metricsQuery: 'sum(<<.Series>>) by (queue)',
    },
  ],
};

interface Counter {
  usage: Usage;
  /** Core-seconds accumulated before `sinceMs`, so a usage change keeps the counter monotonic. */
  base: number;
  sinceMs: number;
}

export class ResourceRulesWorld {
  private readonly containers = new Map<string, Counter>();
  private readonly nodes = new Map<string, Counter>();
  /** queue → queue_messages_ready (no namespace label). */
  readonly queues = new Map<string, number>([['jobs', 0]]);
  private exporter: Exporter | undefined;
  prometheus: PrometheusServer | undefined;

  /** Sets the usage of container `container` of pod `namespace/pod`. */
  setContainer(namespace: string, pod: string, container: string, usage: Usage): void {
    this.set(this.containers, `${namespace}/${pod}/${container}`, usage);
  }

  setNode(name: string, usage: Usage): void {
    this.set(this.nodes, name, usage);
  }

  private set(map: Map<string, Counter>, key: string, usage: Usage): void {
    const now = Date.now();
    const old = map.get(key);
    const base = old ? old.base + (old.usage.cores * (now - old.sinceMs)) / 1000 : 1000;
    map.set(key, { usage, base, sinceMs: now });
  }

  render(): string {
    const now = Date.now();
    const counter = (c: Counter): string =>
      (c.base + (c.usage.cores * (now - c.sinceMs)) / 1000).toFixed(6);
    const lines = [
      '# TYPE container_cpu_usage_seconds_total counter',
      '# TYPE container_memory_working_set_bytes gauge',
    ];
    for (const [key, c] of this.containers) {
      const [namespace, pod, container] = key.split('/');
      const labels = `namespace="${namespace}",pod="${pod}",container="${container}"`;
      lines.push(`container_cpu_usage_seconds_total{${labels}} ${counter(c)}`);
      lines.push(`container_memory_working_set_bytes{${labels}} ${c.usage.bytes}`);
    }
    lines.push(
      '# TYPE node_cpu_usage_seconds_total counter',
      '# TYPE node_memory_working_set_bytes gauge',
    );
    for (const [node, c] of this.nodes) {
      lines.push(`node_cpu_usage_seconds_total{node="${node}"} ${counter(c)}`);
      lines.push(`node_memory_working_set_bytes{node="${node}"} ${c.usage.bytes}`);
    }
    lines.push('# TYPE queue_messages_ready gauge');
    for (const [queue, v] of this.queues) lines.push(`queue_messages_ready{queue="${queue}"} ${v}`);
    // Each sample carries the time its counter was computed for: irate() is then exact however
    // late a loaded machine serves the scrape.
    return `${lines.map((l) => (l.startsWith('#') ? l : `${l} ${now}`)).join('\n')}\n`;
  }

  /** Starts the exporter and a real Prometheus scraping it every second, on loopback. */
  async start(): Promise<string> {
    this.exporter = await startExporter(() => this.render());
    this.prometheus = await startPrometheus([this.exporter.target], 1);
    await this.prometheus.waitForSeries('queue_messages_ready', 1);
    return this.prometheus.url;
  }

  async stop(): Promise<void> {
    await this.prometheus?.stop();
    await this.exporter?.close();
  }
}
