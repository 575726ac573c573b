/**
 * What one discovery over a rules config would serve: the result `scaleplane config check
 * --prometheus-url` prints. Defined here, beside the rules it describes, so the scraper that
 * computes it and the CLI that prints it share one shape.
 * @module
 */

export interface MetricPreview {
  api: 'custom.metrics.k8s.io' | 'external.metrics.k8s.io';
  /** The rule that produces it: `rules[0]`, `externalRules[1]`. */
  rule: string;
  metric: string;
  /** Custom metrics only: `pods`, `deployments.apps`. */
  groupResource?: string;
  namespaced: boolean;
  /** Series behind this metric among those the rule's seriesQuery listed. */
  series: number;
  /** The PromQL one collection cycle sends (for a namespaced external metric, in `namespaces[0]`). */
  query: string;
  /** External metrics: namespaces the series were seen in. */
  namespaces?: string[];
}

export interface SelectorFailure {
  /** The rules sharing this seriesQuery. */
  rules: string[];
  seriesQuery: string;
  error: string;
}

export interface DiscoveryPreview {
  metrics: MetricPreview[];
  failedSelectors: SelectorFailure[];
  /** Rules whose seriesQuery answered but that produce no metric. */
  rulesWithoutMetrics: string[];
}
