/**
 * What the replica calculators share: their context, their result and two helpers that keep Go's
 * int32 and error-wrapping behaviour.
 * @module
 */
import type { V1Pod } from '@kubernetes/client-node';
import { MetricError } from './errors.js';
import type { ReadinessTiming } from './group-pods.js';
import type { MetricsSource } from './metric-fetch.js';
import type { ParseCache } from './parse-cache.js';
import type { Tolerances } from './tolerance.js';
import type { PodReason, ReplicaRule } from './types.js';

/** What the calculator needs besides the metric spec. */
export interface CalculatorContext {
  /** The HPA's namespace, named in error messages. */
  namespace: string | undefined;
  /** The metrics client's answers for the metric being computed. */
  metrics: MetricsSource;
  /** The Kubernetes objects' quantities (requests, targets), parsed once per evaluation. */
  quantities: ParseCache;
  /** The pods the scale selector picks, in the HPA's namespace. */
  pods: readonly V1Pod[];
  tolerances: Tolerances;
  timing: ReadinessTiming;
}

/** How a proposal came about, for explanations. */
export interface CalculationDetail {
  rule: ReplicaRule;
  usageRatio: number;
  adjustedUsageRatio?: number;
  readyPods?: number;
  ignoredPods: string[];
  unreadyPods: string[];
  missingPods: string[];
  podReasons: PodReason[];
  missingFill?: 'target' | 'zero';
  missingFillPercent?: number;
  unreadyCountedAsZero?: boolean;
  total?: string;
}

/** A replica proposal and the usage the status reports. */
export interface ReplicaCalculation {
  replicaCount: number;
  /** Whole percent for utilization targets; thousandths of the metric otherwise. */
  usage: number;
  /** Average raw value per pod in thousandths (utilization targets only). */
  rawUsage?: number;
  timestampMs: number;
  detail: CalculationDetail;
}

const maxInt32 = 2 ** 31 - 1;

/** int32(math.Ceil(x)), saturated: Go leaves out-of-range conversions undefined, we pin them. */
export function ceilInt32(x: number): number {
  if (Number.isNaN(x)) return 0;
  return Math.min(maxInt32, Math.max(-maxInt32 - 1, Math.ceil(x)));
}

/** Re-throws a metric failure with upstream's context prefix. */
export function wrapped<T>(prefix: string, compute: () => T): T {
  try {
    return compute();
  } catch (err) {
    if (err instanceof MetricError) throw new MetricError(`${prefix}${err.message}`);
    throw err;
  }
}

/** The calculator context plus the scale's two replica counts. */
export interface MetricContext extends CalculatorContext {
  /** scale.spec.replicas: what Resource, Pods and Object/External Value targets scale from. */
  specReplicas: number;
  /** scale.status.replicas: what AverageValue Object/External targets divide by. */
  statusReplicas: number;
}
