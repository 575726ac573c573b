/**
 * Facts the engine reports on its decision so that explainers read them instead of deriving the
 * controller's rules a second time: why each pod was set aside, and the tolerance band used.
 * @module
 */

/**
 * Why groupPods (replica_calculator.go) set a pod aside: `deleted`, `phase-failed` and
 * `phase-succeeded` pods are ignored; `pending` pods are unready, and for CPU so are pods without
 * a Ready condition or start time (`no-readiness`), not Ready during the CPU initialization period
 * (`not-ready`), sampled less than one window after becoming Ready in that period
 * (`sampled-too-soon`), or not Ready after it without ever having been (`never-ready`); pods
 * without a value are missing (`no-metrics`).
 */
export type PodReasonCode =
  | 'deleted'
  | 'phase-failed'
  | 'phase-succeeded'
  | 'pending'
  | 'no-readiness'
  | 'not-ready'
  | 'sampled-too-soon'
  | 'never-ready'
  | 'no-metrics';

/** One pod a metric did not count as ready with a value, and the rule that decided it. */
export interface PodReason {
  pod: string;
  group: 'ignored' | 'unready' | 'missing';
  reason: PodReasonCode;
}

/**
 * The tolerances the sync used (horizontal.go tolerancesForHpa): per direction, spec.behavior's
 * tolerance when set, else the controller's --horizontal-pod-autoscaler-tolerance.
 */
export interface ToleranceFacts {
  scaleUp: number;
  scaleDown: number;
  scaleUpFrom: 'spec' | 'flag';
  scaleDownFrom: 'spec' | 'flag';
  /** The usage ratios between which (inclusive) the size is kept (Tolerances.isWithin). */
  minRatio: number;
  maxRatio: number;
}
