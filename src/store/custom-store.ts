/**
 * The store behind custom.metrics.k8s.io and external.metrics.k8s.io: what the Prometheus
 * collector gathered in its last cycle, so serving never waits on Prometheus (prometheus-adapter
 * queries per request instead, pkg/custom-provider/provider.go buildQuery). A cycle is swapped in
 * whole by one assignment; entries whose query failed keep their previous values until those are
 * older than `maxAgeMs` by sample timestamp.
 *
 * A non-empty metricSelector narrows the series *before* prometheus-adapter aggregates them
 * (metrics_query.go Build adds its requirements as label matchers). Reads with one are answered,
 * in order: from values collected for that very selector (the collector learns the selectors that
 * are asked for and collects them each cycle); else by filtering the stored series when every
 * series carries every label the selector names (filtering after `sum by (...)` on a grouped label
 * equals filtering before); else through the injected {@link SelectorQuerySource}, which asks
 * Prometheus the exact upstream query once and registers the selector for later cycles. The same
 * source answers an external metric in a namespace the collected series never showed.
 * @module
 */
import type { Selector } from '../k8s/index.js';
import {
  buildCustomEntry,
  buildExternalEntry,
  customKey,
  externalKey,
  readCustom,
  selectorCovered,
  statsOf,
  selectorKey,
  type CustomEntry,
  type ExternalEntry,
} from './custom-index.js';
import type { CustomMetricInfo, ExternalMetricInfo } from './model.js';
import type {
  CustomMetricsSink,
  CustomStoreCycle,
  CustomStoreOptions,
  CustomStoreStats,
  SelectorQuerySource,
} from './custom-types.js';
import type {
  CustomMetricSample,
  CustomMetricsReader,
  DropCounts,
  ExternalMetricSample,
  ExternalMetricsReader,
  StoreStatus,
} from './readers.js';

export { customKey, externalKey, selectorKey, CustomStoreDropReason } from './custom-index.js';
export type * from './custom-types.js';

interface State {
  customMetrics: readonly CustomMetricInfo[];
  externalMetrics: readonly ExternalMetricInfo[];
  custom: Map<string, CustomEntry>;
  external: Map<string, ExternalEntry>;
  stats: CustomStoreStats;
}

const emptyState: State = {
  customMetrics: [],
  externalMetrics: [],
  custom: new Map(),
  external: new Map(),
  stats: {
    customMetrics: 0,
    externalMetrics: 0,
    customSamples: 0,
    externalSamples: 0,
    approxBytes: 0,
  },
};

export class CustomMetricsStore
  implements CustomMetricsReader, ExternalMetricsReader, CustomMetricsSink, StoreStatus
{
  private state: State = emptyState;
  private stored = false;
  private source: SelectorQuerySource | undefined;
  private readonly maxSamples: number;

  constructor(private readonly o: CustomStoreOptions) {
    this.maxSamples = o.maxSamples ?? 1_000_000;
  }

  /** Wires the on-demand path for selectors not yet collected (main.ts passes the collector's). */
  setSelectorSource(source: SelectorQuerySource | undefined): void {
    this.source = source;
  }

  replace(cycle: CustomStoreCycle): DropCounts {
    const dropped: DropCounts = {};
    const budget = { left: this.maxSamples };
    const custom = new Map<string, CustomEntry>();
    const external = new Map<string, ExternalEntry>();
    for (const key of cycle.retain) {
      const c = this.state.custom.get(key);
      if (c && budget.left >= c.size) {
        custom.set(key, c);
        budget.left -= c.size;
      }
      const e = this.state.external.get(key);
      if (e && budget.left >= e.samples.length) {
        external.set(key, e);
        budget.left -= e.samples.length;
      }
    }
    for (const v of cycle.custom)
      custom.set(
        customKey(v.info, v.selector),
        buildCustomEntry(v.info, v.selector, v.samples, budget, dropped),
      );
    for (const v of cycle.external) {
      external.set(
        externalKey(v.metric, v.namespace, v.selector),
        buildExternalEntry(v.metric, v.namespace, v.selector, v.samples, budget, dropped),
      );
    }
    this.state = {
      customMetrics: [...cycle.customMetrics],
      externalMetrics: [...cycle.externalMetrics],
      custom,
      external,
      stats: statsOf(cycle, custom, external),
    };
    this.stored = true;
    return dropped;
  }

  /** True once a cycle has been stored (metrics-server's storage.Ready()). */
  ready(): boolean {
    return this.stored;
  }

  stats(): CustomStoreStats {
    return this.state.stats;
  }

  listCustomMetrics(): CustomMetricInfo[] {
    return [...this.state.customMetrics];
  }

  listExternalMetrics(): ExternalMetricInfo[] {
    return [...this.state.externalMetrics];
  }

  async getCustomMetrics(
    info: CustomMetricInfo,
    namespace: string | undefined,
    names: readonly string[] | undefined,
    metricSelector: Selector,
  ): Promise<CustomMetricSample[]> {
    const minTs = this.o.now() - this.o.maxAgeMs;
    const sel = selectorKey(metricSelector);
    const { custom } = this.state;
    const base = custom.get(customKey(info, ''));
    if (sel === '') return readCustom(base, namespace, names, minTs);
    const selected = custom.get(customKey(info, sel));
    if (selected) return readCustom(selected, namespace, names, minTs);
    const labelSets = [...(base?.byNamespace.values() ?? [])].flatMap((m) =>
      [...m.values()].map((s) => s.labels),
    );
    if (!selectorCovered(metricSelector, labelSets) && this.source)
      return this.source.custom(info, namespace, names, metricSelector);
    return readCustom(base, namespace, names, minTs, metricSelector);
  }

  async getExternalMetric(
    namespace: string,
    metric: string,
    selector: Selector,
  ): Promise<ExternalMetricSample[]> {
    const minTs = this.o.now() - this.o.maxAgeMs;
    const sel = selectorKey(selector);
    const entry = (s: string): ExternalEntry | undefined =>
      this.state.external.get(externalKey(metric, namespace, s)) ??
      this.state.external.get(externalKey(metric, undefined, s));
    const fresh = (e: ExternalEntry | undefined): ExternalMetricSample[] =>
      (e?.samples ?? []).filter((s) => s.timestampMs >= minTs);
    if (sel === '') {
      const collected = entry('');
      // A namespace no collected series carried (a metricsQuery that ignores the namespace
      // matcher, say): prometheus-adapter runs the query for it, so the source does, once, and
      // the namespace is collected every cycle from then on.
      if (collected === undefined && this.source)
        return this.source.external(namespace, metric, selector);
      return fresh(collected);
    }
    const selected = entry(sel);
    if (selected) return fresh(selected);
    const base = entry('');
    if (
      !selectorCovered(
        selector,
        (base?.samples ?? []).map((s) => s.labels),
      ) &&
      this.source
    )
      return this.source.external(namespace, metric, selector);
    return fresh(base).filter((s) => selector.matches(s.labels));
  }
}
