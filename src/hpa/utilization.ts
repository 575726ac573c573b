/**
 * Usage ratios, with Go's int64 arithmetic: integer division truncates, so 33.3% is 33.
 * @module
 */
import { MetricError } from './errors.js';
import type { PodMetricsInfo } from './metric-results.js';

/** The result of getResourceUtilizationRatio. */
export interface UtilizationRatio {
  usageRatio: number;
  /** Whole percent of request, truncated. */
  utilization: number;
  /** Average value per pod, in thousandths, truncated. */
  rawAverageValue: number;
}

/**
 * metrics/utilization.go GetResourceUtilizationRatio: the sum of usage over the sum of requests of
 * the pods that have both, as a truncated percentage, over the target percentage.
 * @throws MetricError "no metrics returned matched known pods" when no metric has a request.
 */
export function getResourceUtilizationRatio(
  metrics: PodMetricsInfo,
  requests: ReadonlyMap<string, number>,
  targetUtilization: number,
): UtilizationRatio {
  let metricsTotal = 0;
  let requestsTotal = 0;
  let numEntries = 0;
  for (const [podName, metric] of metrics) {
    const request = requests.get(podName);
    // Missing requests are reported elsewhere; a metric without one is extraneous.
    if (request === undefined) continue;
    metricsTotal += metric.value;
    requestsTotal += request;
    numEntries++;
  }
  if (requestsTotal === 0) throw new MetricError('no metrics returned matched known pods');
  if (!Number.isSafeInteger(metricsTotal * 100) || !Number.isSafeInteger(requestsTotal)) {
    return exactUtilizationRatio(metrics, requests, targetUtilization);
  }
  // Integer division of values below 2^53 by float division and truncation is exact.
  const utilization = Math.trunc((metricsTotal * 100) / requestsTotal);
  return {
    usageRatio: utilization / targetUtilization,
    utilization,
    rawAverageValue: Math.trunc(metricsTotal / numEntries),
  };
}

/**
 * The same arithmetic in BigInt, for totals beyond 2^53 (memory in thousandths of bytes across
 * many pods), where float sums and quotients would drift from upstream's int64 results.
 */
function exactUtilizationRatio(
  metrics: PodMetricsInfo,
  requests: ReadonlyMap<string, number>,
  targetUtilization: number,
): UtilizationRatio {
  let metricsTotal = 0n;
  let requestsTotal = 0n;
  let numEntries = 0n;
  for (const [podName, metric] of metrics) {
    const request = requests.get(podName);
    if (request === undefined) continue;
    metricsTotal += toInt64(metric.value);
    requestsTotal += toInt64(request);
    numEntries++;
  }
  const utilization = Number((metricsTotal * 100n) / requestsTotal);
  return {
    usageRatio: utilization / targetUtilization,
    utilization,
    rawAverageValue: Number(metricsTotal / numEntries),
  };
}

/** metrics/utilization.go GetMetricUsageRatio: the truncated average over the target. */
export function getMetricUsageRatio(
  metrics: PodMetricsInfo,
  targetUsage: number,
): { usageRatio: number; usage: number } {
  let metricsTotal = 0;
  for (const metric of metrics.values()) metricsTotal += metric.value;
  let usage: number;
  if (Number.isSafeInteger(metricsTotal)) {
    usage = Math.trunc(metricsTotal / metrics.size);
  } else {
    // Beyond 2^53 the float sum drifts; upstream falls back to exact arithmetic too.
    let exact = 0n;
    for (const metric of metrics.values()) exact += toInt64(metric.value);
    usage = Number(exact / BigInt(metrics.size));
  }
  return { usageRatio: usage / targetUsage, usage };
}

/** A milli value as int64: truncated, saturated (a quantity beyond int64 saturates upstream too). */
function toInt64(value: number): bigint {
  if (Number.isNaN(value)) return 0n;
  if (value >= 2 ** 63) return 2n ** 63n - 1n;
  if (value <= -(2 ** 63)) return -(2n ** 63n);
  return BigInt(Math.trunc(value));
}
