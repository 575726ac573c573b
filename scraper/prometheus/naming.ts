/**
 * From rules and the series Prometheus lists to the metrics the API serves (prometheus-adapter
 * pkg/naming metric_namer.go NamersFromConfig, and pkg/custom-provider series_registry.go
 * SetSeries / pkg/external-provider external_series_registry.go filterAndStoreMetrics): series
 * filters, `name.matches`/`as` naming, resource association from labels. Pure; the collector
 * supplies the series.
 * @module
 */
import {
  compileGoRegex,
  goExpand,
  goRegexTest,
  parseGoTemplate,
  type DiscoveryRule,
  type GoRegex,
} from '../../src/config/index.js';
import { groupResourceString, type CustomMetricInfo } from '../../src/store/index.js';
import type { Labels } from './decode.js';
import { MetricsQuery } from './query-builder.js';
import { namespacesResource, ResourceConverter, type ResourceCatalog } from './resources.js';

export type RuleKind = 'custom' | 'external';

/** One rule, compiled (naming.metricNamer). */
export interface MetricNamer {
  readonly kind: RuleKind;
  /** Position in `rules` or `externalRules`, for logs. */
  readonly index: number;
  readonly seriesQuery: string;
  readonly converter: ResourceConverter;
  readonly query: MetricsQuery;
  /** FilterSeries: the series whose name passes every filter (and `name.matches`). */
  filterSeries(series: readonly Labels[]): Labels[];
  /** MetricNameForSeries: the API name for a series name, or undefined when it does not match. */
  metricNameFor(seriesName: string): string | undefined;
}

interface ReMatcher {
  re: GoRegex;
  positive: boolean;
}

/**
 * NamersFromConfig for validated rules (parseRulesConfig has already reported anything that would
 * make this throw, and has defaulted `name.as`).
 */
export function namersFromRules(
  rules: readonly DiscoveryRule[],
  kind: RuleKind,
  catalog: ResourceCatalog,
): MetricNamer[] {
  return rules.map((rule, index) => {
    const converter = new ResourceConverter(rule.resources, catalog);
    const query = new MetricsQuery(
      parseGoTemplate(rule.metricsQuery),
      converter,
      rule.resources.namespaced ?? true,
      rule.labelValueReplacements,
    );
    const matchers: ReMatcher[] = rule.seriesFilters.map((f) => ({
      re: compileGoRegex(f.is ?? f.isNot),
      positive: f.is !== undefined,
    }));
    // A name pattern is also an implicit filter (NamersFromConfig appends it to seriesMatchers).
    if (rule.name.matches !== '')
      matchers.push({ re: compileGoRegex(rule.name.matches), positive: true });
    const nameRe = compileGoRegex(rule.name.matches === '' ? '.*' : rule.name.matches);
    const as = rule.name.as === '' ? (nameRe.groupCount === 1 ? '$1' : '$0') : rule.name.as;
    const passes = memoByName((name) =>
      matchers.every((m) => goRegexTest(m.re, name) === m.positive),
    );
    return {
      kind,
      index,
      seriesQuery: rule.seriesQuery,
      converter,
      query,
      filterSeries: (series) => series.filter((s) => passes(s.__name__ ?? '')),
      metricNameFor: memoByName((seriesName) => goExpand(nameRe, as, seriesName)),
    };
  });
}

/** A custom metric to collect: which series and rule answer it. */
export interface CustomMetricPlan {
  info: CustomMetricInfo;
  seriesName: string;
  namer: MetricNamer;
}

/** Above this many distinct series names a memo starts over, so a name flood cannot grow it. */
const maxMemoNames = 50_000;

/**
 * Thousands of series share one name (one per pod), so each rule's regexes run once per distinct
 * name: re2js matches in linear time but costs more per call than the backtracking RegExp it
 * replaced (test/bench/regex.bench.ts).
 */
function memoByName<T>(fn: (name: string) => T): (name: string) => T {
  const memo = new Map<string, T>();
  return (name) => {
    if (memo.has(name)) return memo.get(name) as T;
    if (memo.size >= maxMemoNames) memo.clear();
    const value = fn(name);
    memo.set(name, value);
    return value;
  };
}

/** An external metric to collect, with the namespaces its series were seen in. */
export interface ExternalMetricPlan {
  metric: string;
  seriesName: string;
  namer: MetricNamer;
  /** Values of the rule's namespace label across the metric's series; empty when it has none. */
  namespaces: string[];
}

/** Key of a custom metric plan: group resource and metric name. */
export function customPlanKey(info: Pick<CustomMetricInfo, 'groupResource' | 'metric'>): string {
  return `${groupResourceString(info.groupResource)}/${info.metric}`;
}

/**
 * SetSeries: every (resource label, metric name) pair of the filtered series becomes a metric;
 * a later rule producing the same metric replaces an earlier one, as upstream's map assignment.
 * Scope comes from the catalog (upstream counts namespaces, nodes and persistentvolumes as root-scoped).
 */
export function planCustomMetrics(
  namers: readonly MetricNamer[],
  seriesByNamer: readonly (readonly Labels[])[],
  catalog: ResourceCatalog,
): Map<string, CustomMetricPlan> {
  const plans = new Map<string, CustomMetricPlan>();
  namers.forEach((namer, i) => {
    const seen = new Set<string>();
    for (const series of seriesByNamer[i] ?? []) {
      const seriesName = series.__name__ ?? '';
      const metric = namer.metricNameFor(seriesName);
      if (metric === undefined) continue;
      for (const label of Object.keys(series)) {
        const gr = namer.converter.resourceForLabel(label);
        if (!gr) continue;
        const info: CustomMetricInfo = {
          groupResource: gr,
          namespaced: catalog.isNamespaced(gr),
          metric,
        };
        const key = customPlanKey(info);
        if (seen.has(`${key}\u0000${seriesName}`)) continue;
        seen.add(`${key}\u0000${seriesName}`);
        plans.set(key, { info, seriesName, namer });
      }
    }
  });
  return plans;
}

/** filterAndStoreMetrics: one external metric per API name; the last rule naming it wins. */
export function planExternalMetrics(
  namers: readonly MetricNamer[],
  seriesByNamer: readonly (readonly Labels[])[],
): Map<string, ExternalMetricPlan> {
  const plans = new Map<string, ExternalMetricPlan>();
  const namespaces = new Map<string, Set<string>>();
  namers.forEach((namer, i) => {
    let nsLabel: string | undefined;
    try {
      nsLabel = namer.query.namespaced
        ? namer.converter.labelForResource(namespacesResource)
        : undefined;
    } catch {
      nsLabel = undefined;
    }
    for (const series of seriesByNamer[i] ?? []) {
      const seriesName = series.__name__ ?? '';
      const metric = namer.metricNameFor(seriesName);
      if (metric === undefined) continue;
      const previous = plans.get(metric);
      if (previous?.namer !== namer) namespaces.set(metric, new Set());
      plans.set(metric, { metric, seriesName, namer, namespaces: [] });
      const ns = nsLabel === undefined ? undefined : series[nsLabel];
      if (ns !== undefined && ns !== '') namespaces.get(metric)!.add(ns);
    }
  });
  for (const [metric, plan] of plans) plan.namespaces = [...(namespaces.get(metric) ?? [])].sort();
  return plans;
}
