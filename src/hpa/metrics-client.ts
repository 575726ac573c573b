/**
 * The snapshot's stand-in for the controller's metrics client (pkg/controller/podautoscaler/metrics
 * client.go): it selects the values the metrics APIs would have answered with and turns them into
 * the shapes the replica calculator works on. "No values" is the failed fetch.
 * @module
 */
import { selectorFromLabelSelector, type Selector } from '../k8s/index.js';
import { MetricError } from './errors.js';
import type { ParseCache } from './parse-cache.js';
import type {
  DescribedObject,
  ExternalMetricValue,
  MetricValue,
  ObjectReference,
  PodMetrics,
} from './types.js';
import type { V1LabelSelector } from '@kubernetes/client-node';

/** One pod's value of a metric (metrics.PodMetric), in thousandths. */
export interface PodMetric {
  value: number;
  timestampMs: number;
  windowMs: number;
}

/** Metric values by pod name (metrics.PodMetricsInfo). */
export type PodMetricsInfo = Map<string, PodMetric>;

/** The window the controller assumes for custom metrics without windowSeconds (metricServerDefaultMetricWindow). */
const defaultCustomMetricWindowMs = 60_000;

/** What the metrics APIs would serve for this HPA's namespace and pods. */
export interface MetricSources {
  namespace: string | undefined;
  /** Names of the pods the scale selector picks; the APIs filter by that selector. */
  podNames: ReadonlySet<string>;
  podMetrics: readonly PodMetrics[];
  customMetrics: readonly MetricValue[];
  externalMetrics: readonly ExternalMetricValue[];
  cache: ParseCache;
}

/** A list of values and the first item's timestamp, as the controller's client returns them. */
export interface PodMetricsResult {
  metrics: PodMetricsInfo;
  timestampMs: number;
}

function inNamespace(src: MetricSources, namespace: string | undefined): boolean {
  return namespace === undefined || src.namespace === undefined || namespace === src.namespace;
}

/**
 * client.go resourceMetricsClient.GetResourceMetric: the selected pods' metrics.k8s.io values; each
 * pod is the sum of its containers (getPodMetrics, missing if any container lacks the resource) or
 * the named container (getContainerMetrics, an error if a pod does not report it).
 */
export function getResourceMetric(
  src: MetricSources,
  resource: string,
  container: string,
): PodMetricsResult {
  const items = src.podMetrics.filter(
    (m) => src.podNames.has(m.metadata.name) && inNamespace(src, m.metadata.namespace),
  );
  if (items.length === 0) throw new MetricError('no metrics returned from resource metrics API');
  const metrics: PodMetricsInfo = new Map();
  for (const item of items) {
    const value =
      container === ''
        ? podSum(item, resource, src.cache)
        : containerValue(item, resource, container, src);
    if (value === undefined) continue;
    metrics.set(item.metadata.name, {
      value,
      timestampMs: src.cache.timeMs(item.timestamp) ?? 0,
      windowMs: src.cache.durationMs(item.window),
    });
  }
  return { metrics, timestampMs: src.cache.timeMs(items[0]!.timestamp) ?? 0 };
}

/** client.go getPodMetrics for one pod: undefined (missing) without containers or with one lacking the resource. */
function podSum(item: PodMetrics, resource: string, cache: ParseCache): number | undefined {
  if (item.containers.length === 0) return undefined;
  let sum = 0;
  for (const c of item.containers) {
    const usage = c.usage[resource];
    if (usage === undefined) return undefined;
    sum += cache.milli(usage);
  }
  return sum;
}

/** client.go getContainerMetrics for one pod. */
function containerValue(
  item: PodMetrics,
  resource: string,
  container: string,
  src: MetricSources,
): number | undefined {
  const c = item.containers.find((x) => x.name === container);
  if (c === undefined) {
    const ns = item.metadata.namespace ?? src.namespace ?? '';
    throw new MetricError(
      `failed to get container metrics: container ${container} not present in metrics for pod ${ns}/${item.metadata.name}`,
    );
  }
  const usage = c.usage[resource];
  return usage === undefined ? undefined : src.cache.milli(usage);
}

/** Canonical text of a metric selector, or undefined when the spec names none. */
export function selectorKey(selector: V1LabelSelector | undefined): string | undefined {
  return selector === undefined ? undefined : selectorFromLabelSelector(selector).toString();
}

/** Whether a served value was computed for the selector the spec asks for (no selector: any). */
function sameSelector(wanted: string | undefined, served: V1LabelSelector | undefined): boolean {
  return wanted === undefined || wanted === selectorFromLabelSelector(served).toString();
}

/** client.go customMetricsClient.GetRawMetric: the selected pods' values of a Pods metric. */
export function getRawMetric(
  src: MetricSources,
  metricName: string,
  wantedSelector: string | undefined,
): PodMetricsResult {
  const items = src.customMetrics.filter(
    (m) =>
      m.describedObject.kind === 'Pod' &&
      m.metric.name === metricName &&
      src.podNames.has(m.describedObject.name) &&
      inNamespace(src, m.describedObject.namespace) &&
      sameSelector(wantedSelector, m.metric.selector),
  );
  if (items.length === 0) throw new MetricError('no metrics returned from custom metrics API');
  const metrics: PodMetricsInfo = new Map();
  for (const m of items) {
    metrics.set(m.describedObject.name, {
      value: src.cache.milli(m.value),
      timestampMs: src.cache.timeMs(m.timestamp) ?? 0,
      windowMs:
        m.windowSeconds === undefined ? defaultCustomMetricWindowMs : m.windowSeconds * 1000,
    });
  }
  return { metrics, timestampMs: src.cache.timeMs(items[0]!.timestamp) ?? 0 };
}

/** The API group of an apiVersion ("apps/v1" → "apps", "v1" → ""). */
function groupOf(apiVersion: string | undefined): string | undefined {
  if (apiVersion === undefined) return undefined;
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Whether a served value describes the object the spec names. */
function describes(src: MetricSources, served: DescribedObject, ref: ObjectReference): boolean {
  const group = groupOf(ref.apiVersion);
  if (ref.kind === 'Namespace' && (group ?? '') === '') {
    // client.go GetObjectMetric: a Namespace reference always means the HPA's own namespace.
    return (
      served.kind === 'Namespace' && (src.namespace === undefined || served.name === src.namespace)
    );
  }
  if (served.kind !== ref.kind || served.name !== ref.name || !inNamespace(src, served.namespace))
    return false;
  const servedGroup = groupOf(served.apiVersion);
  return group === undefined || servedGroup === undefined || group === servedGroup;
}

/** client.go customMetricsClient.GetObjectMetric: the one value for the described object. */
export function getObjectMetric(
  src: MetricSources,
  metricName: string,
  ref: ObjectReference,
  wantedSelector: string | undefined,
): { value: number; timestampMs: number } {
  const items = src.customMetrics.filter(
    (m) =>
      m.metric.name === metricName &&
      describes(src, m.describedObject, ref) &&
      sameSelector(wantedSelector, m.metric.selector),
  );
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
  const item = items[0]!;
  return { value: src.cache.milli(item.value), timestampMs: src.cache.timeMs(item.timestamp) ?? 0 };
}

/** client.go externalMetricsClient.GetExternalMetric: every value of the metric whose labels match. */
export function getExternalMetric(
  src: MetricSources,
  metricName: string,
  selector: Selector,
): { values: number[]; timestampMs: number } {
  const items = src.externalMetrics.filter(
    (m) => m.metricName === metricName && selector.matches(m.metricLabels),
  );
  if (items.length === 0) throw new MetricError('no metrics returned from external metrics API');
  return {
    values: items.map((m) => src.cache.milli(m.value)),
    timestampMs: src.cache.timeMs(items[0]!.timestamp) ?? 0,
  };
}
