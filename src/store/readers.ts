/**
 * The store's consumer-owned seams (design habit 2): the adapter and the HPA runtime read through
 * these and nothing else; the scraper writes through the sinks. Readers never see half a tick.
 * @module
 */
import type { Selector } from '../k8s/index.js';
import type { CustomMetricInfo, ExternalMetricInfo, MetricsBatch } from './model.js';

/** CPU and memory over a window, as metrics.k8s.io serves them. */
export interface ResourceUsage {
  /** Average CPU over the window, in nanocores (metrics-server serves `n` precision). */
  cpuNanoCores: number;
  memoryBytes: number;
}

export interface NodeMetricsValue {
  name: string;
  /** End of the window (the newer sample's time), as metrics-server's `timestamp`. */
  timestampMs: number;
  windowMs: number;
  usage: ResourceUsage;
}

export interface ContainerMetricsValue {
  name: string;
  usage: ResourceUsage;
}

export interface PodMetricsValue {
  namespace: string;
  name: string;
  timestampMs: number;
  windowMs: number;
  containers: ContainerMetricsValue[];
}

/** What metrics.k8s.io and the HPA runtime read (metrics-server api.PodMetricsGetter/NodeMetricsGetter). */
export interface ResourceMetricsReader {
  /** Metrics for the named nodes that have data, in no promised order; `undefined` means every node. */
  getNodeMetrics(names?: readonly string[]): NodeMetricsValue[];
  /**
   * Metrics for pods that have data. `namespace` undefined means all namespaces; `names`
   * undefined means every pod in scope.
   */
  getPodMetrics(namespace: string | undefined, names?: readonly string[]): PodMetricsValue[];
}

/** One custom metric value for one object (custom_metrics.MetricValue without the API dressing). */
export interface CustomMetricSample {
  /** The described object; `namespace` is absent for root-scoped resources. */
  namespace?: string;
  name: string;
  metric: string;
  value: number;
  /** The sample's own timestamp, not the time we collected it. */
  timestampMs: number;
  windowSeconds?: number;
  /** Labels of the series the value came from, for metricLabelSelector. */
  labels?: Readonly<Record<string, string>>;
}

/** What custom.metrics.k8s.io reads (custom-metrics-apiserver provider.CustomMetricsProvider). */
export interface CustomMetricsReader {
  listCustomMetrics(): CustomMetricInfo[];
  /**
   * Values of `info.metric` for the named objects in `namespace` (undefined for root-scoped
   * resources); `names` undefined means every object with a value. Objects with no value are
   * absent from the result. `metricSelector` narrows by the metric's own labels.
   */
  getCustomMetrics(
    info: CustomMetricInfo,
    namespace: string | undefined,
    names: readonly string[] | undefined,
    metricSelector: Selector,
  ): Promise<CustomMetricSample[]>;
}

export interface ExternalMetricSample {
  metric: string;
  labels: Readonly<Record<string, string>>;
  value: number;
  timestampMs: number;
}

/** What external.metrics.k8s.io reads (provider.ExternalMetricsProvider). */
export interface ExternalMetricsReader {
  listExternalMetrics(): ExternalMetricInfo[];
  /** Every series of `metric` in `namespace` whose labels match `selector`. */
  getExternalMetric(
    namespace: string,
    metric: string,
    selector: Selector,
  ): Promise<ExternalMetricSample[]>;
}

/** Counts of points the store refused, by reason (`counter_reset`, `container_restart`, ...). */
export type DropCounts = Record<string, number>;

/**
 * What the kubelet scraper writes: one whole tick (metrics-server storage.Storage.Store). The store
 * has no logger or metrics of its own: it returns what it dropped and the caller counts it.
 */
export interface MetricsSink {
  store(batch: MetricsBatch): DropCounts;
  /** What the sink holds after the last store, for `scaleplane_store_*` (ResourceStore has it). */
  stats?(): { nodes: number; pods: number; containers: number; approxBytes: number };
}

/** Freshness of the store, for /readyz and self-metrics. */
export interface StoreStatus {
  /** True once a complete collection has been stored (metrics-server's storage.Ready()). */
  ready(): boolean;
}
