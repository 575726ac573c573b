/**
 * The bounds a stabilized recommendation is clamped to: minReplicas, maxReplicas and the rate
 * limit (legacy: max(2x, 4); with behavior: the scaling policies over their periods).
 * @module
 */
import {
  calculateScaleDownLimitWithBehaviors,
  calculateScaleUpLimit,
  calculateScaleUpLimitWithScalingRules,
  type Behavior,
  type ScaleEvent,
} from './behavior.js';
import type { RateLimitExplanation } from './types.js';

/** The clamped count with the ScalingLimited reason and message. */
export interface Converted {
  replicas: number;
  reason: string;
  message: string;
  rate?: RateLimitExplanation;
}

/** What the behavior rate limits read. */
export interface RateInput {
  currentReplicas: number;
  minReplicas: number;
  maxReplicas: number;
  nowMs: number;
  scaleUpEvents: readonly ScaleEvent[];
  scaleDownEvents: readonly ScaleEvent[];
}

const withinRange = {
  reason: 'DesiredWithinRange',
  message: 'the desired count is within the acceptable range',
};
const tooFew = {
  reason: 'TooFewReplicas',
  message: 'the desired replica count is less than the minimum replica count',
};
const tooMany = {
  reason: 'TooManyReplicas',
  message: 'the desired replica count is more than the maximum replica count',
};
const upLimit = {
  reason: 'ScaleUpLimit',
  message: 'the desired replica count is increasing faster than the maximum scale rate',
};
const downLimit = {
  reason: 'ScaleDownLimit',
  message: 'the desired replica count is decreasing faster than the maximum scale rate',
};

/**
 * horizontal.go convertDesiredReplicasWithRules: between minReplicas and the smaller of
 * maxReplicas and calculateScaleUpLimit (a guard against bogus usage spikes, kubernetes#32304).
 */
export function convertDesiredReplicasWithRules(
  currentReplicas: number,
  desiredReplicas: number,
  minReplicas: number,
  maxReplicas: number,
): Converted {
  const scaleUpLimit = calculateScaleUpLimit(currentReplicas);
  const limitedByRate = maxReplicas > scaleUpLimit;
  const maximumAllowed = limitedByRate ? scaleUpLimit : maxReplicas;
  const rate: RateLimitExplanation | undefined =
    desiredReplicas > currentReplicas
      ? { direction: 'up', limit: scaleUpLimit, policies: [] }
      : undefined;
  if (desiredReplicas < minReplicas) return { replicas: minReplicas, ...tooFew, rate };
  if (desiredReplicas > maximumAllowed) {
    return { replicas: maximumAllowed, ...(limitedByRate ? upLimit : tooMany), rate };
  }
  return { replicas: desiredReplicas, ...withinRange, rate };
}

/** The scale-up half: the policies' limit, never below the current size, or maxReplicas. */
function limitScaleUp(input: RateInput, desiredReplicas: number, behavior: Behavior): Converted {
  const { currentReplicas, scaleUpEvents, scaleDownEvents, nowMs } = input;
  const rules = behavior.scaleUp;
  const outcome = calculateScaleUpLimitWithScalingRules(
    currentReplicas,
    scaleUpEvents,
    scaleDownEvents,
    rules,
    nowMs,
  );
  // Recent scale-ups can push the limit below the current size: hold until they age out.
  const scaleUpLimit = Math.max(outcome.limit, currentReplicas);
  const rate: RateLimitExplanation = {
    direction: 'up',
    selectPolicy: rules.selectPolicy,
    limit: scaleUpLimit,
    policies: outcome.policies,
  };
  const limitedByRate = input.maxReplicas > scaleUpLimit;
  const maximumAllowed = limitedByRate ? scaleUpLimit : input.maxReplicas;
  if (desiredReplicas > maximumAllowed) {
    return { replicas: maximumAllowed, ...(limitedByRate ? upLimit : tooMany), rate };
  }
  return { replicas: desiredReplicas, ...withinRange, rate };
}

/** The scale-down half: the policies' limit, never above the current size, or minReplicas. */
function limitScaleDown(input: RateInput, desiredReplicas: number, behavior: Behavior): Converted {
  const { currentReplicas, scaleUpEvents, scaleDownEvents, nowMs } = input;
  const rules = behavior.scaleDown;
  const outcome = calculateScaleDownLimitWithBehaviors(
    currentReplicas,
    scaleUpEvents,
    scaleDownEvents,
    rules,
    nowMs,
  );
  const scaleDownLimit = Math.min(outcome.limit, currentReplicas);
  const rate: RateLimitExplanation = {
    direction: 'down',
    selectPolicy: rules.selectPolicy,
    limit: scaleDownLimit,
    policies: outcome.policies,
  };
  const limitedByRate = input.minReplicas < scaleDownLimit;
  const minimumAllowed = limitedByRate ? scaleDownLimit : input.minReplicas;
  if (desiredReplicas < minimumAllowed) {
    return { replicas: minimumAllowed, ...(limitedByRate ? downLimit : tooFew), rate };
  }
  return { replicas: desiredReplicas, ...withinRange, rate };
}

/**
 * horizontal.go convertDesiredReplicasWithBehaviorRate: a scale-up stops at the policies' limit
 * or maxReplicas, a scale-down at the policies' limit or minReplicas.
 */
export function convertDesiredReplicasWithBehaviorRate(
  input: RateInput,
  desiredReplicas: number,
  behavior: Behavior,
): Converted {
  if (desiredReplicas > input.currentReplicas)
    return limitScaleUp(input, desiredReplicas, behavior);
  if (desiredReplicas < input.currentReplicas)
    return limitScaleDown(input, desiredReplicas, behavior);
  return { replicas: desiredReplicas, ...withinRange };
}
