/**
 * The store's values in the shapes the metrics APIs serve them, which is what the engine reads
 * (and what the controller would have fetched): metrics.k8s.io PodMetrics with cpu in nanocores
 * and memory in bytes, custom.metrics.k8s.io MetricValue and external.metrics.k8s.io
 * ExternalMetricValue with milli-precision quantities (prometheus-adapter's conversion).
 * @module
 */
import type { V1LabelSelector } from '@kubernetes/client-node';
import type {
  DescribedObject,
  ExternalMetricValue,
  MetricValue,
  PodMetrics,
} from '../hpa/index.js';
import { formatDuration, Quantity } from '../k8s/index.js';
import type { CustomMetricSample, ExternalMetricSample, PodMetricsValue } from '../store/index.js';

/** RFC 3339 in UTC, whole seconds without a fraction (metav1.Time). */
export function rfc3339(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** A float as a milli quantity, truncated toward zero; undefined for NaN and infinities, which no API serves. */
export function milliQuantity(value: number): string | undefined {
  return Number.isFinite(value) ? Quantity.fromNumber(value).toString() : undefined;
}

/** metrics.k8s.io PodMetrics for one pod (metrics-server api/pod.go: cpu `n`, memory `Ki`). */
export function toPodMetrics(v: PodMetricsValue): PodMetrics {
  return {
    apiVersion: 'metrics.k8s.io/v1beta1',
    kind: 'PodMetrics',
    metadata: { name: v.name, namespace: v.namespace },
    timestamp: rfc3339(v.timestampMs),
    window: formatDuration(v.windowMs),
    containers: v.containers.map((c) => ({
      name: c.name,
      usage: {
        cpu: Quantity.fromScaled(Math.round(c.usage.cpuNanoCores), -9).toString(),
        memory: Quantity.fromValue(Math.round(c.usage.memoryBytes), 'BinarySI').toString(),
      },
    })),
  };
}

/** A custom metric sample as the MetricValue the API returns for `describedObject`. */
export function toMetricValue(
  sample: CustomMetricSample,
  describedObject: DescribedObject,
  metric: { name: string; selector?: V1LabelSelector },
): MetricValue | undefined {
  const value = milliQuantity(sample.value);
  if (value === undefined) return undefined;
  const out: MetricValue = {
    describedObject,
    metric,
    timestamp: rfc3339(sample.timestampMs),
    value,
  };
  if (sample.windowSeconds !== undefined) out.windowSeconds = sample.windowSeconds;
  return out;
}

/** An external sample as an ExternalMetricValue. */
export function toExternalMetricValue(
  sample: ExternalMetricSample,
): ExternalMetricValue | undefined {
  const value = milliQuantity(sample.value);
  if (value === undefined) return undefined;
  return {
    metricName: sample.metric,
    metricLabels: { ...sample.labels },
    timestamp: rfc3339(sample.timestampMs),
    value,
  };
}
