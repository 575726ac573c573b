/**
 * Object and External metrics to a replica proposal (replica_calculator.go GetObjectMetricReplicas,
 * GetObjectPerPodMetricReplicas, GetExternalMetricReplicas, GetExternalPerPodMetricReplicas).
 * These read one value (or a sum) rather than one value per pod.
 * @module
 */
import type { V1LabelSelector } from '@kubernetes/client-node';
import { MetricError } from './errors.js';
import { readyCondition } from './group-pods.js';
import { labelSelectorOf } from './metric-fetch.js';
import { formatMilli } from './parse-cache.js';
import {
  ceilInt32,
  wrapped,
  type CalculatorContext,
  type CalculationDetail,
  type ReplicaCalculation,
} from './calculation.js';
import type { ObjectReference, ReplicaRule } from './types.js';

const maxInt64 = 2 ** 63 - 1;

function detailOf(rule: ReplicaRule, usageRatio: number, readyPods?: number): CalculationDetail {
  return {
    rule,
    usageRatio,
    readyPods,
    ignoredPods: [],
    unreadyPods: [],
    missingPods: [],
    podReasons: [],
  };
}

/**
 * The fetch error upstream formats as "unable to get metric %s: %v on %s %s/%s" with its arguments
 * out of order; this is the message it means to print.
 */
function objectPrefix(ctx: CalculatorContext, metricName: string, ref: ObjectReference): string {
  return `unable to get metric ${metricName} on ${ref.kind} ${ctx.namespace ?? ''}/${ref.name}: `;
}

/** replica_calculator.go GetObjectMetricReplicas: an Object metric with a Value target. */
export function getObjectMetricReplicas(
  ctx: CalculatorContext,
  currentReplicas: number,
  targetUsage: number,
  metricName: string,
  ref: ObjectReference,
  metricSelector: string | undefined,
): ReplicaCalculation {
  const { value: usage, timestampMs } = wrapped(objectPrefix(ctx, metricName, ref), () =>
    ctx.metrics.getObjectMetric(metricName, ref, metricSelector),
  );
  const usageRatio = usage / targetUsage;
  const { replicaCount, detail } = getUsageRatioReplicaCount(ctx, currentReplicas, usageRatio);
  return { replicaCount, usage, timestampMs, detail };
}

/**
 * replica_calculator.go getUsageRatioReplicaCount: ceil(ratio × ready pods) outside tolerance; from
 * zero replicas, ceil(ratio) without tolerance, which is what lets Object and External metrics
 * scale a target up from zero.
 */
function getUsageRatioReplicaCount(
  ctx: CalculatorContext,
  currentReplicas: number,
  usageRatio: number,
): { replicaCount: number; detail: CalculationDetail } {
  if (currentReplicas === 0) {
    return { replicaCount: ceilInt32(usageRatio), detail: detailOf('scale-from-zero', usageRatio) };
  }
  if (ctx.tolerances.isWithin(usageRatio)) {
    return { replicaCount: currentReplicas, detail: detailOf('within-tolerance', usageRatio) };
  }
  const readyPods = wrapped('unable to calculate ready pods: ', () => getReadyPodsCount(ctx));
  return {
    replicaCount: ceilInt32(usageRatio * readyPods),
    detail: detailOf('proportional', usageRatio, readyPods),
  };
}

/** replica_calculator.go getReadyPodsCount: Running pods whose Ready condition is True. */
function getReadyPodsCount(ctx: CalculatorContext): number {
  if (ctx.pods.length === 0)
    throw new MetricError('no pods returned by selector while calculating replica count');
  let ready = 0;
  for (const pod of ctx.pods) {
    if (pod.status?.phase === 'Running' && readyCondition(pod)?.status === 'True') ready++;
  }
  return ready;
}

/** replica_calculator.go GetObjectPerPodMetricReplicas: an Object metric with an AverageValue target. */
export function getObjectPerPodMetricReplicas(
  ctx: CalculatorContext,
  statusReplicas: number,
  targetAverageUsage: number,
  metricName: string,
  ref: ObjectReference,
  metricSelector: string | undefined,
): ReplicaCalculation {
  const { value: usage, timestampMs } = wrapped(objectPrefix(ctx, metricName, ref), () =>
    ctx.metrics.getObjectMetric(metricName, ref, metricSelector),
  );
  const proposal = perPodProposal(ctx, statusReplicas, targetAverageUsage, usage);
  return {
    replicaCount: proposal.replicaCount,
    usage: proposal.usage,
    timestampMs,
    detail: proposal.detail,
  };
}

/**
 * The shared arithmetic of the two AverageValue calculators: the total over (target × current
 * pods), and when outside tolerance ceil(total / target); the status shows the per-pod average.
 */
function perPodProposal(
  ctx: CalculatorContext,
  statusReplicas: number,
  targetAverageUsage: number,
  usage: number,
): Omit<ReplicaCalculation, 'timestampMs'> {
  const usageRatio = usage / (targetAverageUsage * statusReplicas);
  let replicaCount = statusReplicas;
  let rule: ReplicaRule = 'within-tolerance';
  if (!ctx.tolerances.isWithin(usageRatio)) {
    replicaCount = ceilInt32(usage / targetAverageUsage);
    rule = 'per-pod-average';
  }
  // Upstream divides by zero replicas into an undefined int64; the total is the honest average of nothing.
  const average =
    statusReplicas === 0 ? usage : Math.min(maxInt64, Math.ceil(usage / statusReplicas));
  const detail = detailOf(rule, usageRatio);
  detail.total = formatMilli(usage);
  return { replicaCount, usage: average, detail };
}

/** Sums external values in thousandths, saturating at the int64 maximum as upstream does. */
function sumExternal(values: readonly number[]): number {
  let usage = 0;
  for (const v of values) {
    if (v > 0 && usage > maxInt64 - v) return maxInt64;
    usage += v;
  }
  return usage;
}

/** Fetches and sums an External metric, with upstream's error context. */
function fetchExternal(
  ctx: CalculatorContext,
  metricName: string,
  metricSelector: V1LabelSelector | undefined,
): { usage: number; timestampMs: number } {
  // A nil selector goes on the wire as no selector, which the API answers with every series.
  const selector = labelSelectorOf(metricSelector);
  const prefix = `unable to get external metric ${ctx.namespace ?? ''}/${metricName}/${selector.toString()}: `;
  const { values, timestampMs } = wrapped(prefix, () =>
    ctx.metrics.getExternalMetric(metricName, selector),
  );
  return { usage: sumExternal(values), timestampMs };
}

/** replica_calculator.go GetExternalMetricReplicas: an External metric with a Value target. */
export function getExternalMetricReplicas(
  ctx: CalculatorContext,
  currentReplicas: number,
  targetUsage: number,
  metricName: string,
  metricSelector: V1LabelSelector | undefined,
): ReplicaCalculation {
  const { usage, timestampMs } = fetchExternal(ctx, metricName, metricSelector);
  const { replicaCount, detail } = getUsageRatioReplicaCount(
    ctx,
    currentReplicas,
    usage / targetUsage,
  );
  return { replicaCount, usage, timestampMs, detail };
}

/** replica_calculator.go GetExternalPerPodMetricReplicas: an External metric with an AverageValue target. */
export function getExternalPerPodMetricReplicas(
  ctx: CalculatorContext,
  statusReplicas: number,
  targetUsagePerPod: number,
  metricName: string,
  metricSelector: V1LabelSelector | undefined,
): ReplicaCalculation {
  const { usage, timestampMs } = fetchExternal(ctx, metricName, metricSelector);
  const proposal = perPodProposal(ctx, statusReplicas, targetUsagePerPod, usage);
  return {
    replicaCount: proposal.replicaCount,
    usage: proposal.usage,
    timestampMs,
    detail: proposal.detail,
  };
}
