/**
 * The custom store's seams and inputs: what the collector writes (one cycle at a time), the
 * on-demand source for selectors not yet collected, options and stats.
 * @module
 */
import type { Selector } from '../k8s/index.js';
import type { CustomMetricInfo, ExternalMetricInfo } from './model.js';
import type { CustomMetricSample, DropCounts, ExternalMetricSample } from './readers.js';

/** Answers a selector the store holds no values for, straight from the source (the collector). */
export interface SelectorQuerySource {
  custom(
    info: CustomMetricInfo,
    namespace: string | undefined,
    names: readonly string[] | undefined,
    selector: Selector,
  ): Promise<CustomMetricSample[]>;
  external(namespace: string, metric: string, selector: Selector): Promise<ExternalMetricSample[]>;
}

export interface CustomValuesInput {
  info: CustomMetricInfo;
  /** {@link selectorKey} of the selector the values were collected with; '' for none. */
  selector: string;
  samples: readonly CustomMetricSample[];
}

export interface ExternalValuesInput {
  metric: string;
  /** Undefined for rules with `namespaced: false`: the series serve every namespace. */
  namespace: string | undefined;
  selector: string;
  samples: readonly ExternalMetricSample[];
}

/** One collection cycle, replacing the previous one. */
export interface CustomStoreCycle {
  customMetrics: readonly CustomMetricInfo[];
  externalMetrics: readonly ExternalMetricInfo[];
  custom: readonly CustomValuesInput[];
  external: readonly ExternalValuesInput[];
  /** {@link customKey}/{@link externalKey} of entries whose query failed: previous values stay until stale. */
  retain: readonly string[];
}

/** What the Prometheus collector writes through: one whole cycle at a time. */
export interface CustomMetricsSink {
  /** Swaps in a cycle; returns samples not stored, by reason, for the caller to count. */
  replace(cycle: CustomStoreCycle): DropCounts;
  stats(): CustomStoreStats;
}

export interface CustomStoreOptions {
  /** Wall clock, read only to decide staleness when serving. */
  now: () => number;
  /** Samples older than this (by their own timestamp) are not served (`--metrics-max-age`). */
  maxAgeMs: number;
  /** Most samples held at once; more in one cycle are dropped as `sample_limit`. Default 1,000,000. */
  maxSamples?: number;
}

export interface CustomStoreStats {
  customMetrics: number;
  externalMetrics: number;
  customSamples: number;
  externalSamples: number;
  /** Estimate: measured per-sample overhead plus the length of names and labels. */
  approxBytes: number;
}
