/**
 * The scenario's stand-in for the controller's metrics client (pkg/controller/podautoscaler/metrics
 * client.go): it selects the values the metrics APIs would have answered with, by the matching
 * rules of the scenario contract, and parses them at this edge into the client's results. "No
 * values" is the failed fetch.
 * @module
 */
import type { V1LabelSelector } from '@kubernetes/client-node';
import { parseDuration, selectorFromLabelSelector, type Selector } from '../k8s/index.js';
import { MetricError } from './errors.js';
import type { MetricsSource } from './metric-fetch.js';
import {
  externalMetricOf,
  objectMetricOf,
  rawMetricsOf,
  resourceMetricsOf,
  type ExternalMetricResult,
  type ObjectMetricResult,
  type PodMetricsResult,
  type PodUsageItem,
} from './metric-results.js';
import type { ParseCache } from './parse-cache.js';
import { timeMs } from './time.js';
import type {
  DescribedObject,
  ExternalMetricValue,
  MetricValue,
  ObjectReference,
  PodMetrics,
} from './types.js';

export type { PodMetric, PodMetricsInfo, PodMetricsResult } from './metric-results.js';
export { selectorKey } from './metric-fetch.js';

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

function inNamespace(src: MetricSources, namespace: string | undefined): boolean {
  return namespace === undefined || src.namespace === undefined || namespace === src.namespace;
}

/** "30s" and "1m0s", the windows metrics-server writes, without the general parser. */
function windowMs(text: string): number {
  const m = /^(?:(\d{1,6})m)?(\d{1,6})s$/.exec(text);
  if (m !== null) return (Number(m[1] ?? 0) * 60 + Number(m[2])) * 1000;
  try {
    return parseDuration(text);
  } catch (err) {
    throw new MetricError(err instanceof Error ? err.message : String(err));
  }
}

/** A PodMetrics item parsed; only the resource asked for is read, as the controller does. */
function podUsage(item: PodMetrics, resource: string, cache: ParseCache): PodUsageItem {
  return {
    name: item.metadata.name,
    namespace: item.metadata.namespace,
    timestampMs: timeMs(item.timestamp) ?? 0,
    windowMs: windowMs(item.window),
    containers: item.containers.map((c) => {
      const q = c.usage[resource];
      return { name: c.name, usage: q === undefined ? {} : { [resource]: cache.milli(q) } };
    }),
  };
}

/** client.go resourceMetricsClient.GetResourceMetric over the selected pods' PodMetrics. */
export function getResourceMetric(
  src: MetricSources,
  resource: string,
  container: string,
): PodMetricsResult {
  const items = src.podMetrics
    .filter((m) => src.podNames.has(m.metadata.name) && inNamespace(src, m.metadata.namespace))
    .map((m) => podUsage(m, resource, src.cache));
  return resourceMetricsOf(items, resource, container, src.namespace);
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
  return rawMetricsOf(
    items.map((m) => ({
      pod: m.describedObject.name,
      value: src.cache.milli(m.value),
      timestampMs: timeMs(m.timestamp) ?? 0,
      ...(m.windowSeconds === undefined ? {} : { windowMs: m.windowSeconds * 1000 }),
    })),
  );
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
): ObjectMetricResult {
  const items = src.customMetrics.filter(
    (m) =>
      m.metric.name === metricName &&
      describes(src, m.describedObject, ref) &&
      sameSelector(wantedSelector, m.metric.selector),
  );
  return objectMetricOf(
    items.map((m) => ({ value: src.cache.milli(m.value), timestampMs: timeMs(m.timestamp) ?? 0 })),
    metricName,
    ref,
  );
}

/** client.go externalMetricsClient.GetExternalMetric: every value of the metric whose labels match. */
export function getExternalMetric(
  src: MetricSources,
  metricName: string,
  selector: Selector,
): ExternalMetricResult {
  const items = src.externalMetrics.filter(
    (m) => m.metricName === metricName && selector.matches(m.metricLabels),
  );
  return externalMetricOf(
    items.map((m) => ({ value: src.cache.milli(m.value), timestampMs: timeMs(m.timestamp) ?? 0 })),
  );
}

/** The scenario's values as a metrics source for the calculators. */
export function snapshotMetrics(src: MetricSources): MetricsSource {
  return {
    getResourceMetric: (resource, container) => getResourceMetric(src, resource, container),
    getRawMetric: (name, selector) => getRawMetric(src, name, selector),
    getObjectMetric: (name, ref, selector) => getObjectMetric(src, name, ref, selector),
    getExternalMetric: (name, selector) => getExternalMetric(src, name, selector),
  };
}
