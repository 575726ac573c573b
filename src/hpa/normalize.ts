/**
 * From the metrics' proposal to the size the controller sets: stabilization, then rate limits and
 * the min/max bounds (scale-limits.ts), with the AbleToScale and ScalingLimited conditions.
 * @module
 */
import type { Behavior, ScaleEvent } from './behavior.js';
import {
  convertDesiredReplicasWithBehaviorRate,
  convertDesiredReplicasWithRules,
  type Converted,
} from './scale-limits.js';
import {
  stabilizeRecommendation,
  stabilizeRecommendationWithBehaviors,
  type Recommendation,
} from './stabilization.js';
import type { LimitsExplanation, StabilizationExplanation } from './types.js';

export {
  convertDesiredReplicasWithBehaviorRate,
  convertDesiredReplicasWithRules,
} from './scale-limits.js';

/** What normalization reads: the proposal, the bounds, the time and the controller memory. */
export interface NormalizeInput {
  currentReplicas: number;
  prenormalizedDesiredReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  nowMs: number;
  recommendations: readonly Recommendation[];
  scaleUpEvents: readonly ScaleEvent[];
  scaleDownEvents: readonly ScaleEvent[];
}

/** A condition's status, reason and message. */
export interface ConditionState {
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** The normalized size, the memory to keep, the two conditions and what held the number. */
export interface Normalized {
  desiredReplicas: number;
  recommendations: Recommendation[];
  ableToScale: ConditionState;
  scalingLimited: ConditionState;
  limits: LimitsExplanation;
}

const ready: ConditionState = {
  status: 'True',
  reason: 'ReadyForNewScale',
  message: 'recommended size matches current size',
};

/**
 * What both normalize functions return: AbleToScale names the stabilization if it changed the
 * proposal; ScalingLimited is True when the bounds changed the stabilized value.
 */
function normalized(
  input: NormalizeInput,
  recommendations: Recommendation[],
  stabilization: StabilizationExplanation,
  stabilizedState: ConditionState,
  converted: Converted,
): Normalized {
  const pre = input.prenormalizedDesiredReplicas;
  const stabilized = stabilization.stabilized;
  return {
    desiredReplicas: converted.replicas,
    recommendations,
    ableToScale: stabilized !== pre ? stabilizedState : ready,
    scalingLimited: {
      status: converted.replicas === stabilized ? 'False' : 'True',
      reason: converted.reason,
      message: converted.message,
    },
    limits: {
      prenormalized: pre,
      stabilization,
      rate: converted.rate,
      minReplicas: input.minReplicas,
      maxReplicas: input.maxReplicas,
      limitReason: converted.reason,
    },
  };
}

/**
 * horizontal.go normalizeDesiredReplicas (no spec.behavior): the highest recommendation of the
 * downscale stabilization window, then convertDesiredReplicasWithRules.
 */
export function normalizeDesiredReplicas(
  input: NormalizeInput,
  downscaleWindowSeconds: number,
): Normalized {
  const pre = input.prenormalizedDesiredReplicas;
  const s = stabilizeRecommendation(
    input.recommendations,
    pre,
    input.nowMs,
    downscaleWindowSeconds,
  );
  const converted = convertDesiredReplicasWithRules(
    input.currentReplicas,
    s.recommendation,
    input.minReplicas,
    input.maxReplicas,
  );
  const state: ConditionState = {
    status: 'True',
    reason: 'ScaleDownStabilized',
    message:
      'recent recommendations were higher than current one, applying the highest recent recommendation',
  };
  const stabilization: StabilizationExplanation = {
    downWindowSeconds: downscaleWindowSeconds,
    recommendation: pre,
    stabilized: s.recommendation,
    reason: s.recommendation !== pre ? 'ScaleDownStabilized' : undefined,
  };
  return normalized(input, s.recommendations, stabilization, state, converted);
}

/**
 * horizontal.go normalizeDesiredReplicasWithBehaviors: stabilize within both windows, then
 * convertDesiredReplicasWithBehaviorRate.
 */
export function normalizeDesiredReplicasWithBehaviors(
  input: NormalizeInput,
  behavior: Behavior,
): Normalized {
  const pre = input.prenormalizedDesiredReplicas;
  const s = stabilizeRecommendationWithBehaviors(input.recommendations, {
    currentReplicas: input.currentReplicas,
    desiredReplicas: pre,
    scaleUpWindowSeconds: behavior.scaleUp.stabilizationWindowSeconds,
    scaleDownWindowSeconds: behavior.scaleDown.stabilizationWindowSeconds,
    nowMs: input.nowMs,
  });
  const converted = convertDesiredReplicasWithBehaviorRate(input, s.recommendation, behavior);
  const stabilization: StabilizationExplanation = {
    upWindowSeconds: behavior.scaleUp.stabilizationWindowSeconds,
    downWindowSeconds: behavior.scaleDown.stabilizationWindowSeconds,
    recommendation: pre,
    stabilized: s.recommendation,
    reason: s.recommendation !== pre ? s.reason : undefined,
  };
  const state: ConditionState = { status: 'True', reason: s.reason, message: s.message };
  return normalized(input, s.recommendations, stabilization, state, converted);
}
