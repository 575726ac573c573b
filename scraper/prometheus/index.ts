/**
 * The Prometheus source: prometheus-adapter-compatible rules turned into scheduled discovery and
 * collection into the custom metrics store. main.ts builds a {@link PrometheusClient} and a
 * {@link PrometheusCollector}; the pure pieces are exported for tests and benchmarks.
 * @module
 */
export { PrometheusClient, type PrometheusApi, type PrometheusClientOptions } from './client.js';
export {
  PrometheusCollector,
  type CollectorCycleReport,
  type PrometheusCollectorOptions,
} from './collector.js';
export {
  decodeEnvelope,
  decodeQueryData,
  decodeSeriesData,
  parsePromValue,
  type Labels,
  type PromSample,
  type QueryResult,
  type SeriesResult,
} from './decode.js';
export { discover, type CollectionPlan, type DiscoveryResult } from './discovery.js';
export { PrometheusError, reasonForErrorType, type PrometheusFailureReason } from './errors.js';
export { customJob, externalJob, planJobs, type QueryJob, type SelectorInterest } from './jobs.js';
export {
  customPlanKey,
  namersFromRules,
  planCustomMetrics,
  planExternalMetrics,
  type CustomMetricPlan,
  type ExternalMetricPlan,
  type MetricNamer,
} from './naming.js';
export { OnDemandSelectorSource, type OnDemandOptions } from './on-demand.js';
export { previewDiscovery, type PreviewOptions } from './preview.js';
export { allObjects, MetricsQuery } from './query-builder.js';
export {
  ResourceCatalog,
  ResourceConverter,
  namespacesResource,
  pluralOf,
  sanitizeGroup,
  singularOf,
  type CatalogEntry,
} from './resources.js';
export { customSamples, externalSamples } from './results.js';
export { runJobs } from './run-jobs.js';
export {
  cronSchedule,
  fixedPeriod,
  relistSchedule,
  runSchedule,
  type Schedule,
} from './schedule.js';
export {
  PrometheusResourceCollector,
  resourceSource,
  type ResourceCollectorOptions,
  type ResourceCycleReport,
} from './resource-collector.js';
export {
  ResourceRulesPlan,
  assembleNodes,
  assemblePods,
  type ResourceQuery,
} from './resource-rules.js';
