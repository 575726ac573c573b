/**
 * Stabilization windows: the controller remembers each sync's unstabilized recommendation and,
 * within a window, will not move further than those recommendations allow.
 * @module
 */

/** A remembered recommendation with its time parsed. */
export interface Recommendation {
  timestampMs: number;
  replicas: number;
}

/** A stabilized value and the memory to keep for later syncs. */
export interface Stabilized {
  recommendation: number;
  /** Recommendations still inside a window, plus this sync's. */
  recommendations: Recommendation[];
}

/**
 * horizontal.go stabilizeRecommendation (no behavior): the highest recommendation of the last
 * --horizontal-pod-autoscaler-downscale-stabilization window, this one included. Upstream reuses
 * one expired slot per sync; here every expired entry is dropped, which changes no decision.
 */
export function stabilizeRecommendation(
  recommendations: readonly Recommendation[],
  prenormalizedDesiredReplicas: number,
  nowMs: number,
  windowSeconds: number,
): Stabilized {
  const cutoffMs = nowMs - windowSeconds * 1000;
  let max = prenormalizedDesiredReplicas;
  const kept: Recommendation[] = [];
  for (const rec of recommendations) {
    if (rec.timestampMs <= cutoffMs) continue;
    if (rec.replicas > max) max = rec.replicas;
    kept.push(rec);
  }
  kept.push({ timestampMs: nowMs, replicas: prenormalizedDesiredReplicas });
  return { recommendation: max, recommendations: kept };
}

/** Arguments of stabilizeRecommendationWithBehaviors. */
export interface BehaviorStabilization {
  currentReplicas: number;
  desiredReplicas: number;
  scaleUpWindowSeconds: number;
  scaleDownWindowSeconds: number;
  nowMs: number;
}

/** The stabilized value, the memory to keep and the AbleToScale reason if it held the value. */
export interface StabilizedWithBehaviors extends Stabilized {
  reason: 'ScaleUpStabilized' | 'ScaleDownStabilized';
  message: string;
}

/**
 * horizontal.go stabilizeRecommendationWithBehaviors: a scale-up may go no higher than the lowest
 * recommendation of the scale-up window, a scale-down no lower than the highest of the scale-down
 * window; the result is the current size brought within those bounds.
 */
export function stabilizeRecommendationWithBehaviors(
  recommendations: readonly Recommendation[],
  args: BehaviorStabilization,
): StabilizedWithBehaviors {
  const upCutoffMs = args.nowMs - args.scaleUpWindowSeconds * 1000;
  const downCutoffMs = args.nowMs - args.scaleDownWindowSeconds * 1000;
  const oldestUsefulMs = Math.min(upCutoffMs, downCutoffMs);
  let upRecommendation = args.desiredReplicas;
  let downRecommendation = args.desiredReplicas;
  const kept: Recommendation[] = [];
  for (const rec of recommendations) {
    if (rec.timestampMs > upCutoffMs) upRecommendation = Math.min(rec.replicas, upRecommendation);
    if (rec.timestampMs > downCutoffMs)
      downRecommendation = Math.max(rec.replicas, downRecommendation);
    if (rec.timestampMs > oldestUsefulMs) kept.push(rec);
  }
  let recommendation = args.currentReplicas;
  if (recommendation < upRecommendation) recommendation = upRecommendation;
  if (recommendation > downRecommendation) recommendation = downRecommendation;
  kept.push({ timestampMs: args.nowMs, replicas: args.desiredReplicas });
  return args.desiredReplicas >= args.currentReplicas
    ? {
        recommendation,
        recommendations: kept,
        reason: 'ScaleUpStabilized',
        message:
          'recent recommendations were lower than current one, applying the lowest recent recommendation',
      }
    : {
        recommendation,
        recommendations: kept,
        reason: 'ScaleDownStabilized',
        message:
          'recent recommendations were higher than current one, applying the highest recent recommendation',
      };
}
