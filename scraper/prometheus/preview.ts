/**
 * One discovery, run for a person instead of the store (`scaleplane config check --prometheus-url`):
 * the same namers, /api/v1/series calls and plan that the collector runs on its schedule, then for
 * each metric that would be served its group resource, scope, series count and the query one
 * collection cycle would send (jobs.ts customJob/externalJob over every object).
 * @module
 */
import { everything } from '../../src/k8s/index.js';
import type { DiscoveryPreview, MetricPreview, RulesConfig } from '../../src/config/index.js';
import { groupResourceString } from '../../src/store/index.js';
import type { PrometheusApi } from './client.js';
import type { Labels } from './decode.js';
import { discover } from './discovery.js';
import type { PrometheusError } from './errors.js';
import { customJob, externalJob } from './jobs.js';
import { namersFromRules, type MetricNamer } from './naming.js';
import { ResourceCatalog } from './resources.js';

export interface PreviewOptions {
  api: PrometheusApi;
  rules: RulesConfig;
  maxAgeMs: number;
  nowMs: number;
  catalog?: ResourceCatalog;
}

const rulePath = (n: MetricNamer): string =>
  `${n.kind === 'custom' ? 'rules' : 'externalRules'}[${n.index}]`;

function queryText(query: string | PrometheusError): string {
  return typeof query === 'string' ? query : `(cannot build the query: ${query.message})`;
}

/**
 * Probes Prometheus, then runs discovery once. Rejects with a {@link PrometheusError} when
 * Prometheus cannot be reached at all; a selector Prometheus refuses is a `failedSelectors` entry.
 */
export async function previewDiscovery(o: PreviewOptions): Promise<DiscoveryPreview> {
  await o.api.query('vector(1)');
  const catalog = o.catalog ?? new ResourceCatalog();
  const custom = namersFromRules(o.rules.rules, 'custom', catalog);
  const external = namersFromRules(o.rules.externalRules, 'external', catalog);
  const result = await discover({
    api: o.api,
    custom,
    external,
    catalog,
    maxAgeMs: o.maxAgeMs,
    nowMs: o.nowMs,
    previous: new Map(),
  });
  const namers = [...custom, ...external];
  const matched = (n: MetricNamer): Labels[] =>
    n.filterSeries(result.seriesByQuery.get(n.seriesQuery) ?? []);
  const metrics: MetricPreview[] = [];
  for (const plan of result.plan.custom.values()) {
    const { info, namer } = plan;
    const gr = groupResourceString(info.groupResource);
    const series = matched(namer).filter(
      (s) =>
        namer.metricNameFor(s.__name__ ?? '') === info.metric &&
        Object.keys(s).some((l) => {
          const r = namer.converter.resourceForLabel(l);
          return r !== undefined && groupResourceString(r) === gr;
        }),
    ).length;
    metrics.push({
      api: 'custom.metrics.k8s.io',
      rule: rulePath(namer),
      metric: info.metric,
      groupResource: gr,
      namespaced: info.namespaced,
      series,
      query: queryText(customJob(plan, everything).query),
    });
  }
  for (const plan of result.plan.external.values()) {
    const series = matched(plan.namer).filter(
      (s) => plan.namer.metricNameFor(s.__name__ ?? '') === plan.metric,
    ).length;
    const namespaced = plan.namer.query.namespaced;
    metrics.push({
      api: 'external.metrics.k8s.io',
      rule: rulePath(plan.namer),
      metric: plan.metric,
      namespaced,
      series,
      query: queryText(externalJob(plan, plan.namespaces[0], everything).query),
      namespaces: plan.namespaces,
    });
  }
  const producing = new Set(metrics.map((m) => m.rule));
  const failed = result.outcomes.filter((out) => out.error !== undefined);
  const failedQueries = new Set(failed.map((f) => f.seriesQuery));
  return {
    metrics: metrics.sort(
      (a, b) =>
        a.api.localeCompare(b.api) ||
        (a.groupResource ?? '').localeCompare(b.groupResource ?? '') ||
        a.metric.localeCompare(b.metric),
    ),
    failedSelectors: failed.map((f) => ({
      rules: namers.filter((n) => n.seriesQuery === f.seriesQuery).map(rulePath),
      seriesQuery: f.seriesQuery,
      error: f.error!.message,
    })),
    rulesWithoutMetrics: namers
      .filter((n) => !failedQueries.has(n.seriesQuery) && !producing.has(rulePath(n)))
      .map(rulePath),
  };
}
