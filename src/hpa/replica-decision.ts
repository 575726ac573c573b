/**
 * The common tail of the per-pod calculators (replica_calculator.go GetResourceReplicas and
 * calcPlainMetricReplicas): how missing and unready pods change a proposal.
 * @module
 */
import { ceilInt32, type CalculationDetail, type ReplicaCalculation } from './calculation.js';
import type { PodGroups } from './group-pods.js';
import type { PodMetricsInfo } from './metric-results.js';
import type { Tolerances } from './tolerance.js';
import type { PodReason, ReplicaRule } from './types.js';

/** The ratio, the pod groups and how to assume and recompute values. */
export interface DecideArgs {
  currentReplicas: number;
  usageRatio: number;
  groups: PodGroups;
  /** Metrics of the ready pods; filled in with assumed values for missing and unready pods. */
  metrics: PodMetricsInfo;
  tolerances: Tolerances;
  fallbackValue: (podName: string) => number;
  recompute: (metrics: PodMetricsInfo) => number;
}

/**
 * The common tail of GetResourceReplicas and calcPlainMetricReplicas. With no missing pods and no
 * scale-up past unready pods, the proposal is ceil(ratio × ready pods) unless within tolerance.
 * Otherwise missing pods count as the target on a scale-down and as zero on a scale-up, unready
 * pods as zero on a scale-up, and the ratio is recomputed; the current size is kept when the new
 * ratio is within tolerance, reverses direction, or the new count moves against the ratio.
 */
export function decideWithPodGroups(
  a: DecideArgs,
): Omit<ReplicaCalculation, 'usage' | 'timestampMs'> {
  const { groups, usageRatio, currentReplicas, tolerances, metrics } = a;
  const detail: CalculationDetail = {
    rule: 'proportional',
    usageRatio,
    readyPods: groups.readyPodCount,
    ignoredPods: [...groups.ignoredPods],
    unreadyPods: [...groups.unreadyPods],
    missingPods: [...groups.missingPods],
    podReasons: podReasons(groups),
  };
  const keep = (rule: ReplicaRule): Omit<ReplicaCalculation, 'usage' | 'timestampMs'> => {
    detail.rule = rule;
    return { replicaCount: currentReplicas, detail };
  };
  const scaleUpWithUnready = groups.unreadyPods.size > 0 && usageRatio > 1.0;
  if (!scaleUpWithUnready && groups.missingPods.size === 0) {
    if (tolerances.isWithin(usageRatio)) return keep('within-tolerance');
    return { replicaCount: ceilInt32(usageRatio * groups.readyPodCount), detail };
  }
  fillAssumedValues(a, scaleUpWithUnready, detail);
  const newUsageRatio = a.recompute(metrics);
  detail.adjustedUsageRatio = newUsageRatio;
  if (tolerances.isWithin(newUsageRatio)) return keep('recomputed-within-tolerance');
  if ((usageRatio < 1.0 && newUsageRatio > 1.0) || (usageRatio > 1.0 && newUsageRatio < 1.0)) {
    return keep('direction-reversed');
  }
  const newReplicas = ceilInt32(newUsageRatio * metrics.size);
  if (
    (newUsageRatio < 1.0 && newReplicas > currentReplicas) ||
    (newUsageRatio > 1.0 && newReplicas < currentReplicas)
  ) {
    return keep('count-reversed');
  }
  detail.rule = 'recomputed';
  return { replicaCount: newReplicas, detail };
}

/** The pods set aside, ignored first, then unready, then missing, each with groupPods' rule. */
function podReasons(groups: PodGroups): PodReason[] {
  const out: PodReason[] = [];
  const add = (names: Set<string>, group: PodReason['group']): void => {
    for (const pod of names)
      out.push({ pod, group, reason: groups.reasons.get(pod) ?? 'no-metrics' });
  };
  add(groups.ignoredPods, 'ignored');
  add(groups.unreadyPods, 'unready');
  add(groups.missingPods, 'missing');
  return out;
}

/** Adds the values decideWithPodGroups assumes for missing and unready pods to `a.metrics`. */
function fillAssumedValues(
  a: DecideArgs,
  scaleUpWithUnready: boolean,
  detail: CalculationDetail,
): void {
  const { groups, usageRatio, metrics } = a;
  // At a ratio of exactly 1 upstream assumes nothing, so missing pods simply drop out.
  if (groups.missingPods.size > 0 && usageRatio !== 1.0) {
    detail.missingFill = usageRatio < 1.0 ? 'target' : 'zero';
    for (const pod of groups.missingPods) {
      const value = usageRatio < 1.0 ? a.fallbackValue(pod) : 0;
      metrics.set(pod, { value, timestampMs: 0, windowMs: 0 });
    }
  }
  if (scaleUpWithUnready) {
    detail.unreadyCountedAsZero = true;
    for (const pod of groups.unreadyPods)
      metrics.set(pod, { value: 0, timestampMs: 0, windowMs: 0 });
  }
}
