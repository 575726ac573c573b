/**
 * The metrics model between scraper and store. A batch is the unit of one collection tick
 * (metrics-server pkg/storage types.go MetricsBatch): the scraper builds one per tick from every
 * node that answered and the store swaps it in whole.
 * @module
 */

/** One cumulative kubelet sample (metrics-server storage.MetricsPoint). */
export interface MetricsPoint {
  /**
   * When the container (or node) started. A start time that moves between two points means a
   * restart, so the pair cannot give a rate (metrics-server pkg/storage/types.go resourceUsage).
   */
  startTimeMs: number;
  /** When the kubelet took the sample. */
  timestampMs: number;
  /** Cumulative CPU time consumed, in core-seconds (a counter). */
  cpuUsageCoreSeconds: number;
  /** Working set memory at `timestampMs` (a gauge). */
  memoryWorkingSetBytes: number;
}

export interface PodMetricsPoint {
  /** Container name to its point; a pod is served only when every container has CPU and memory. */
  containers: Map<string, MetricsPoint>;
}

/** `namespace/name`, the store's pod key. */
export type PodKey = string;

export function podKey(namespace: string, name: string): PodKey {
  return `${namespace}/${name}`;
}

export interface MetricsBatch {
  nodes: Map<string, MetricsPoint>;
  pods: Map<PodKey, PodMetricsPoint>;
}

export function emptyBatch(): MetricsBatch {
  return { nodes: new Map(), pods: new Map() };
}

/** A Kubernetes group and resource, such as `{ group: '', resource: 'pods' }` or `apps/deployments`. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** `resource` or `resource.group`, as custom-metrics-apiserver prints a GroupResource. */
export function groupResourceString(gr: GroupResource): string {
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
}

/** One custom metric the store can serve (custom-metrics-apiserver provider.CustomMetricInfo). */
export interface CustomMetricInfo {
  groupResource: GroupResource;
  namespaced: boolean;
  metric: string;
}

/** One external metric name the store can serve (provider.ExternalMetricInfo). */
export interface ExternalMetricInfo {
  metric: string;
}
