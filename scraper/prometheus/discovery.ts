/**
 * Series discovery (prometheus-adapter custom-provider/provider.go cachingMetricsLister
 * updateMetrics): one /api/v1/series call per distinct seriesQuery, looking back `maxAge`, then
 * each rule's filters and naming turn the series into the metrics to collect. Unlike upstream,
 * where one failed selector leaves the whole metric list as it was, a failed selector keeps its
 * own previous series and the others move on.
 * @module
 */
import type { ResourceCatalog } from './resources.js';
import type { PrometheusApi } from './client.js';
import type { Labels } from './decode.js';
import { PrometheusError } from './errors.js';
import {
  planCustomMetrics,
  planExternalMetrics,
  type CustomMetricPlan,
  type ExternalMetricPlan,
  type MetricNamer,
} from './naming.js';

export interface CollectionPlan {
  custom: Map<string, CustomMetricPlan>;
  external: Map<string, ExternalMetricPlan>;
}

export const emptyPlan: CollectionPlan = { custom: new Map(), external: new Map() };

export interface SelectorOutcome {
  seriesQuery: string;
  /** Undefined when the call succeeded. */
  error?: PrometheusError;
  series: number;
  malformed: number;
}

export interface DiscoveryResult {
  plan: CollectionPlan;
  /** Series by seriesQuery, including the previous answer of selectors that failed this time. */
  seriesByQuery: Map<string, readonly Labels[]>;
  outcomes: SelectorOutcome[];
  /** True when every seriesQuery has answered at least once (now or before). */
  complete: boolean;
}

export interface DiscoverOptions {
  api: PrometheusApi;
  custom: readonly MetricNamer[];
  external: readonly MetricNamer[];
  catalog: ResourceCatalog;
  /** Series seen within this long before `nowMs` count (the `start` of the series call). */
  maxAgeMs: number;
  nowMs: number;
  previous: ReadonlyMap<string, readonly Labels[]>;
  signal?: AbortSignal;
}

/** One relist: series for every distinct seriesQuery, in parallel, then the plan. */
export async function discover(o: DiscoverOptions): Promise<DiscoveryResult> {
  const queries = [...new Set([...o.custom, ...o.external].map((n) => n.seriesQuery))];
  const outcomes = await Promise.all(
    queries.map(async (seriesQuery): Promise<SelectorOutcome & { labels?: readonly Labels[] }> => {
      try {
        const r = await o.api.series([seriesQuery], { startMs: o.nowMs - o.maxAgeMs }, o.signal);
        return { seriesQuery, series: r.series.length, malformed: r.malformed, labels: r.series };
      } catch (err) {
        const error =
          err instanceof PrometheusError
            ? err
            : new PrometheusError('connection', String(err), { cause: err });
        return { seriesQuery, error, series: 0, malformed: 0 };
      }
    }),
  );
  const seriesByQuery = new Map<string, readonly Labels[]>();
  for (const out of outcomes) {
    const labels = out.labels ?? o.previous.get(out.seriesQuery);
    if (labels) seriesByQuery.set(out.seriesQuery, labels);
  }
  const seriesFor = (namers: readonly MetricNamer[]): Labels[][] =>
    namers.map((n) => n.filterSeries(seriesByQuery.get(n.seriesQuery) ?? []));
  const plan: CollectionPlan = {
    custom: planCustomMetrics(o.custom, seriesFor(o.custom), o.catalog),
    external: planExternalMetrics(o.external, seriesFor(o.external)),
  };
  return {
    plan,
    seriesByQuery,
    outcomes: outcomes.map(({ labels: _labels, ...rest }) => rest),
    complete: queries.every((q) => seriesByQuery.has(q)),
  };
}
