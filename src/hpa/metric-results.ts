/**
 * What the controller's metrics client returns (pkg/controller/podautoscaler/metrics
 * interfaces.go and client.go): per-pod values with their sample time and window, one object's
 * value, or an external metric's values, all in thousandths. The conversions from the metrics
 * APIs' items live here once, for every source of those items (a scenario, the store, the API).
 * @module
 */
import { MetricError } from './errors.js';
import type { ObjectReference } from './types.js';

/** One pod's value of a metric (metrics.PodMetric), in thousandths. */
export interface PodMetric {
  value: number;
  timestampMs: number;
  windowMs: number;
}

/** Metric values by pod name (metrics.PodMetricsInfo). */
export type PodMetricsInfo = Map<string, PodMetric>;

/** GetResourceMetric and GetRawMetric: values by pod and the first item's timestamp. */
export interface PodMetricsResult {
  metrics: PodMetricsInfo;
  timestampMs: number;
}

/** GetObjectMetric: the described object's value. */
export interface ObjectMetricResult {
  value: number;
  timestampMs: number;
}

/** GetExternalMetric: every matching series' value. */
export interface ExternalMetricResult {
  values: number[];
  timestampMs: number;
}

/** A metrics.k8s.io PodMetrics item with its quantities in thousandths and its times in ms. */
export interface PodUsageItem {
  name: string;
  namespace?: string;
  timestampMs: number;
  windowMs: number;
  containers: ReadonlyArray<{ name: string; usage: Readonly<Record<string, number>> }>;
}

/** A custom.metrics.k8s.io MetricValue for one pod, parsed. */
export interface PodValueItem {
  pod: string;
  value: number;
  timestampMs: number;
  /** Absent windowSeconds: the controller assumes {@link defaultCustomMetricWindowMs}. */
  windowMs?: number;
}

/** A single value with its sample time (an Object or External metric item), parsed. */
export interface TimedValue {
  value: number;
  timestampMs: number;
}

/** The window the controller assumes for custom metrics without windowSeconds (metricServerDefaultMetricWindow). */
export const defaultCustomMetricWindowMs = 60_000;

/**
 * client.go resourceMetricsClient.GetResourceMetric over the listed items: each pod is the sum of
 * its containers (getPodMetrics: missing when it has none or one lacks the resource) or the named
 * container (getContainerMetrics: an error when a pod does not report it).
 */
export function resourceMetricsOf(
  items: readonly PodUsageItem[],
  resource: string,
  container: string,
  namespace: string | undefined,
): PodMetricsResult {
  if (items.length === 0) throw new MetricError('no metrics returned from resource metrics API');
  const metrics: PodMetricsInfo = new Map();
  for (const item of items) {
    const value =
      container === ''
        ? podSum(item, resource)
        : containerValue(item, resource, container, namespace);
    if (value === undefined) continue;
    metrics.set(item.name, { value, timestampMs: item.timestampMs, windowMs: item.windowMs });
  }
  return { metrics, timestampMs: items[0]!.timestampMs };
}

function podSum(item: PodUsageItem, resource: string): number | undefined {
  if (item.containers.length === 0) return undefined;
  let sum = 0;
  for (const c of item.containers) {
    const usage = c.usage[resource];
    if (usage === undefined) return undefined;
    sum += usage;
  }
  return sum;
}

function containerValue(
  item: PodUsageItem,
  resource: string,
  container: string,
  namespace: string | undefined,
): number | undefined {
  const c = item.containers.find((x) => x.name === container);
  if (c === undefined) {
    const ns = item.namespace ?? namespace ?? '';
    throw new MetricError(
      `failed to get container metrics: container ${container} not present in metrics for pod ${ns}/${item.name}`,
    );
  }
  return c.usage[resource];
}

/** client.go customMetricsClient.GetRawMetric over the returned pod values. */
export function rawMetricsOf(items: readonly PodValueItem[]): PodMetricsResult {
  if (items.length === 0) throw new MetricError('no metrics returned from custom metrics API');
  const metrics: PodMetricsInfo = new Map();
  for (const m of items) {
    metrics.set(m.pod, {
      value: m.value,
      timestampMs: m.timestampMs,
      windowMs: m.windowMs ?? defaultCustomMetricWindowMs,
    });
  }
  return { metrics, timestampMs: items[0]!.timestampMs };
}

/** client.go customMetricsClient.GetObjectMetric: exactly one value for the described object. */
export function objectMetricOf(
  items: readonly TimedValue[],
  metricName: string,
  ref: ObjectReference,
): ObjectMetricResult {
  if (items.length === 0) {
    throw new MetricError(
      `unable to fetch metrics from custom metrics API: no metric ${metricName} for ${ref.kind} ${ref.name}`,
    );
  }
  if (items.length > 1) {
    // custom_metrics client GetForObject insists on exactly one result.
    throw new MetricError(
      `unable to fetch metrics from custom metrics API: the custom metrics API server returned ${items.length} results when we asked for exactly one`,
    );
  }
  return { value: items[0]!.value, timestampMs: items[0]!.timestampMs };
}

/** client.go externalMetricsClient.GetExternalMetric: every value of the matching series. */
export function externalMetricOf(items: readonly TimedValue[]): ExternalMetricResult {
  if (items.length === 0) throw new MetricError('no metrics returned from external metrics API');
  return { values: items.map((m) => m.value), timestampMs: items[0]!.timestampMs };
}
