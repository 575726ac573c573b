/**
 * The store's {@link SelectorQuerySource}: a metricSelector the store holds no values for is
 * answered by the query prometheus-adapter would send for that very request (provider.go
 * buildQuery, external provider GetExternalMetric), through a short cache that also merges
 * identical requests in flight; and the selector is remembered so the next cycles collect it with
 * the rest, after which the store answers it without asking Prometheus. Interest lapses when a
 * selector has not been asked for in `interestTtlMs`; at most `maxInterests` are kept (least
 * recently asked dropped first), which bounds the extra queries per cycle.
 * @module
 */
import { internalError, type Selector } from '../../src/k8s/index.js';
import type { Clock, SelfMetrics } from '../../src/observability/index.js';
import {
  selectorKey,
  type CustomMetricInfo,
  type CustomMetricSample,
  type ExternalMetricSample,
  type SelectorQuerySource,
} from '../../src/store/index.js';
import type { PrometheusApi } from './client.js';
import type { QueryResult } from './decode.js';
import { PrometheusError } from './errors.js';
import type { CollectionPlan } from './discovery.js';
import { customPlanKey } from './naming.js';
import type { SelectorInterest } from './jobs.js';
import { allObjects } from './query-builder.js';
import { customSamples, externalSamples } from './results.js';

export interface OnDemandOptions {
  api: PrometheusApi;
  plan: () => CollectionPlan;
  clock: Clock;
  metrics: SelfMetrics;
  /** How long one answer is reused; default 5 s. */
  cacheTtlMs?: number;
  /** How long a selector stays collected after it was last asked for; default 10 min. */
  interestTtlMs?: number;
  /** Most selectors collected each cycle; default 256. */
  maxInterests?: number;
}

type Interest =
  | { kind: 'custom'; info: CustomMetricInfo; selector: Selector }
  | { kind: 'external'; namespace: string; metric: string; selector: Selector };

const maxCachedQueries = 1024;

export class OnDemandSelectorSource implements SelectorQuerySource {
  private readonly interests = new Map<string, { interest: Interest; lastMs: number }>();
  private readonly cache = new Map<string, { atMs: number; result: Promise<QueryResult> }>();

  constructor(private readonly o: OnDemandOptions) {}

  async custom(
    info: CustomMetricInfo,
    namespace: string | undefined,
    names: readonly string[] | undefined,
    selector: Selector,
  ): Promise<CustomMetricSample[]> {
    this.remember(`c\u0000${customPlanKey(info)}\u0000${selectorKey(selector)}`, {
      kind: 'custom',
      info,
      selector,
    });
    const plan = this.o.plan().custom.get(customPlanKey(info));
    // Upstream refuses to query without object names (series_registry.go QueryForMetric).
    if (!plan || names?.length === 0) return [];
    const { namer, seriesName } = plan;
    const ns = info.namespaced ? namespace : undefined;
    const query = namer.query.build(
      seriesName,
      info.groupResource,
      ns,
      [],
      selector,
      names ?? allObjects,
    );
    const result = await this.fetch(query);
    // MatchValuesToNames keys results by the resource label alone: the query already fixed the namespace.
    const { samples } = customSamples(result, {
      metric: info.metric,
      resourceLabel: namer.query.labelFor(info.groupResource),
    });
    const wanted = names === undefined ? undefined : new Set(names);
    return samples
      .filter((s) => !wanted || wanted.has(s.name))
      .map((s) => (ns === undefined ? s : { ...s, namespace: ns }));
  }

  async external(
    namespace: string,
    metric: string,
    selector: Selector,
  ): Promise<ExternalMetricSample[]> {
    this.remember(`e\u0000${namespace}\u0000${metric}\u0000${selectorKey(selector)}`, {
      kind: 'external',
      namespace,
      metric,
      selector,
    });
    const plan = this.o.plan().external.get(metric);
    if (!plan) return [];
    let query: string;
    try {
      query = plan.namer.query.buildExternal(plan.seriesName, namespace, selector);
    } catch (err) {
      // A namespaced rule without a namespace label (no `resources`): prometheus-adapter fails
      // every request of the metric; the cause is the rule, so the Status says so.
      if (!(err instanceof PrometheusError)) throw err;
      throw internalError(
        new Error(
          `${err.message} (externalRules[${plan.namer.index}] for ${metric}: map the namespace label with resources.overrides or resources.template, or set resources.namespaced: false)`,
        ),
      );
    }
    const result = await this.fetch(query);
    return externalSamples(result, metric).samples;
  }

  /** Selectors to collect this cycle; lapsed ones are forgotten. */
  activeInterest(): SelectorInterest {
    const oldest = this.o.clock.now() - (this.o.interestTtlMs ?? 600_000);
    const out: SelectorInterest = { custom: [], external: [] };
    for (const [key, { interest, lastMs }] of this.interests) {
      if (lastMs < oldest) this.interests.delete(key);
      else if (interest.kind === 'custom')
        out.custom.push({ info: interest.info, selector: interest.selector });
      else
        out.external.push({
          namespace: interest.namespace,
          metric: interest.metric,
          selector: interest.selector,
        });
    }
    return out;
  }

  private remember(key: string, interest: Interest): void {
    this.interests.delete(key);
    this.interests.set(key, { interest, lastMs: this.o.clock.now() });
    const max = this.o.maxInterests ?? 256;
    // Map iteration is insertion order, and a re-asked selector was re-inserted: the first is the stalest.
    while (this.interests.size > max) this.interests.delete(this.interests.keys().next().value!);
  }

  private fetch(query: string): Promise<QueryResult> {
    const now = this.o.clock.now();
    const hit = this.cache.get(query);
    if (hit && now - hit.atMs < (this.o.cacheTtlMs ?? 5000)) return hit.result;
    const result = this.o.api.query(query, now);
    this.cache.set(query, { atMs: now, result });
    result.then(
      () => this.o.metrics.prometheusQueries.inc({ endpoint: 'query', outcome: 'success' }),
      (err: unknown) => {
        this.o.metrics.prometheusQueries.inc({ endpoint: 'query', outcome: 'error' });
        // By reason, as the collector's queries: an over-size answer shows as response_too_large.
        const reason = err instanceof PrometheusError ? err.reason : 'connection';
        this.o.metrics.scrapeFailures.inc({ source: 'prometheus', reason });
        // A failure is not reused: the next request asks again.
        if (this.cache.get(query)?.result === result) this.cache.delete(query);
      },
    );
    for (const [key, entry] of this.cache) {
      if (this.cache.size <= maxCachedQueries && now - entry.atMs < (this.o.cacheTtlMs ?? 5000))
        break;
      this.cache.delete(key);
    }
    return result;
  }
}
