/**
 * Per-pod metrics to a replica proposal (replica_calculator.go GetResourceReplicas,
 * GetRawResourceReplicas, GetMetricReplicas, calcPlainMetricReplicas). Object and External metrics
 * live in replica-calculator-object.ts.
 * @module
 */
import { MetricError } from './errors.js';
import { wrapped, type CalculatorContext, type ReplicaCalculation } from './calculation.js';
import { groupPods, removeMetricsForPods, type PodGroups } from './group-pods.js';
import type { PodMetricsInfo } from './metric-results.js';
import { decideWithPodGroups } from './replica-decision.js';
import { calculatePodRequests } from './requests.js';
import { getMetricUsageRatio, getResourceUtilizationRatio } from './utilization.js';

export type { CalculatorContext, CalculationDetail, ReplicaCalculation } from './calculation.js';
export { ceilInt32, wrapped } from './calculation.js';

/** replica_calculator.go GetResourceReplicas: a utilization target, in percent of request. */
export function getResourceReplicas(
  ctx: CalculatorContext,
  currentReplicas: number,
  targetUtilization: number,
  resource: string,
  container: string,
): ReplicaCalculation {
  const { metrics, timestampMs } = wrapped(`unable to get metrics for resource ${resource}: `, () =>
    ctx.metrics.getResourceMetric(resource, container),
  );
  const groups = groupReadyPods(ctx, metrics, resource);
  const requests = calculatePodRequests(ctx.pods, container, resource, ctx.quantities);
  const ratio = getResourceUtilizationRatio(metrics, requests, targetUtilization);
  // On a scale-down a missing pod counts as using all of its request, or the target when above 100%.
  const fallbackPercent = Math.max(100, targetUtilization);
  const decided = decideWithPodGroups({
    currentReplicas,
    usageRatio: ratio.usageRatio,
    groups,
    metrics,
    tolerances: ctx.tolerances,
    fallbackValue: (pod) => Math.trunc(((requests.get(pod) ?? 0) * fallbackPercent) / 100),
    recompute: (m) => getResourceUtilizationRatio(m, requests, targetUtilization).usageRatio,
  });
  if (decided.detail.missingFill === 'target') decided.detail.missingFillPercent = fallbackPercent;
  return {
    replicaCount: decided.replicaCount,
    usage: ratio.utilization,
    rawUsage: ratio.rawAverageValue,
    timestampMs,
    detail: decided.detail,
  };
}

/** replica_calculator.go GetRawResourceReplicas: an average-value target on a resource. */
export function getRawResourceReplicas(
  ctx: CalculatorContext,
  currentReplicas: number,
  targetUsage: number,
  resource: string,
  container: string,
): ReplicaCalculation {
  const { metrics, timestampMs } = wrapped(`unable to get metrics for resource ${resource}: `, () =>
    ctx.metrics.getResourceMetric(resource, container),
  );
  const calc = calcPlainMetricReplicas(ctx, metrics, currentReplicas, targetUsage, resource);
  return { replicaCount: calc.replicaCount, usage: calc.usage, timestampMs, detail: calc.detail };
}

/** replica_calculator.go GetMetricReplicas: a Pods metric with an average-value target. */
export function getMetricReplicas(
  ctx: CalculatorContext,
  currentReplicas: number,
  targetUsage: number,
  metricName: string,
  metricSelector: string | undefined,
): ReplicaCalculation {
  const { metrics, timestampMs } = wrapped(`unable to get metric ${metricName}: `, () =>
    ctx.metrics.getRawMetric(metricName, metricSelector),
  );
  const calc = calcPlainMetricReplicas(ctx, metrics, currentReplicas, targetUsage, '');
  return { replicaCount: calc.replicaCount, usage: calc.usage, timestampMs, detail: calc.detail };
}

/** replica_calculator.go calcPlainMetricReplicas: averages against a plain (non-percentage) target. */
function calcPlainMetricReplicas(
  ctx: CalculatorContext,
  metrics: PodMetricsInfo,
  currentReplicas: number,
  targetUsage: number,
  resource: string,
): Omit<ReplicaCalculation, 'timestampMs'> {
  const groups = groupReadyPods(ctx, metrics, resource);
  const ratio = getMetricUsageRatio(metrics, targetUsage);
  const decided = decideWithPodGroups({
    currentReplicas,
    usageRatio: ratio.usageRatio,
    groups,
    metrics,
    tolerances: ctx.tolerances,
    // On a scale-down a missing pod counts as using exactly the target.
    fallbackValue: () => targetUsage,
    recompute: (m) => getMetricUsageRatio(m, targetUsage).usageRatio,
  });
  return { replicaCount: decided.replicaCount, usage: ratio.usage, detail: decided.detail };
}

/** The shared start of both calculators: group the pods and keep only the metrics that count. */
function groupReadyPods(
  ctx: CalculatorContext,
  metrics: PodMetricsInfo,
  resource: string,
): PodGroups {
  if (ctx.pods.length === 0)
    throw new MetricError('no pods returned by selector while calculating replica count');
  const groups = groupPods(ctx.pods, metrics, resource, ctx.timing);
  removeMetricsForPods(metrics, groups.ignoredPods);
  removeMetricsForPods(metrics, groups.unreadyPods);
  if (metrics.size === 0)
    throw new MetricError('did not receive metrics for targeted pods (pods might be unready)');
  return groups;
}
