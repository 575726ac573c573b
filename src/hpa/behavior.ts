/**
 * spec.behavior: the API's defaults and the rate limits its policies impose.
 * @module
 */
import type {
  V2HorizontalPodAutoscalerBehavior,
  V2HPAScalingPolicy,
  V2HPAScalingRules,
} from '@kubernetes/client-node';
import type { PolicyLimit } from './types.js';

/** HPAScalingRules with every default filled in. */
export interface ScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: string;
  policies: V2HPAScalingPolicy[];
}

/** Both directions' rules, defaulted. */
export interface Behavior {
  scaleUp: ScalingRules;
  scaleDown: ScalingRules;
}

/** A remembered scale event with its time parsed. */
export interface ScaleEvent {
  timestampMs: number;
  replicaChange: number;
}

/** pkg/apis/autoscaling/v2 defaults.go defaultHPAScaleUpRules: +4 pods or +100% per 15 s, the larger. */
const defaultScaleUpPolicies: readonly V2HPAScalingPolicy[] = [
  { type: 'Pods', value: 4, periodSeconds: 15 },
  { type: 'Percent', value: 100, periodSeconds: 15 },
];
/** defaults.go defaultHPAScaleDownRules: -100% per 15 s. */
const defaultScaleDownPolicies: readonly V2HPAScalingPolicy[] = [
  { type: 'Percent', value: 100, periodSeconds: 15 },
];

/** defaults.go copyHPAScalingRules: every field set in `from` wins over the default. */
function copyHPAScalingRules(from: V2HPAScalingRules | undefined, to: ScalingRules): ScalingRules {
  return {
    stabilizationWindowSeconds: from?.stabilizationWindowSeconds ?? to.stabilizationWindowSeconds,
    selectPolicy: from?.selectPolicy ?? to.selectPolicy,
    policies: from?.policies ?? to.policies,
  };
}

/** defaults.go GenerateHPAScaleUpRules. */
export function generateHPAScaleUpRules(rules: V2HPAScalingRules | undefined): ScalingRules {
  return copyHPAScalingRules(rules, {
    stabilizationWindowSeconds: 0,
    selectPolicy: 'Max',
    policies: [...defaultScaleUpPolicies],
  });
}

/**
 * defaults.go GenerateHPAScaleDownRules, with the window horizontal.go
 * maybeInitScaleDownStabilizationWindow fills from --horizontal-pod-autoscaler-downscale-stabilization.
 */
export function generateHPAScaleDownRules(
  rules: V2HPAScalingRules | undefined,
  downscaleWindowSeconds: number,
): ScalingRules {
  return copyHPAScalingRules(rules, {
    stabilizationWindowSeconds: downscaleWindowSeconds,
    selectPolicy: 'Max',
    policies: [...defaultScaleDownPolicies],
  });
}

/** defaults.go SetDefaults_HorizontalPodAutoscalerBehavior for a behavior that is set. */
export function behaviorWithDefaults(
  behavior: V2HorizontalPodAutoscalerBehavior,
  downscaleWindowSeconds: number,
): Behavior {
  return {
    scaleUp: generateHPAScaleUpRules(behavior.scaleUp),
    scaleDown: generateHPAScaleDownRules(behavior.scaleDown, downscaleWindowSeconds),
  };
}

/** horizontal.go calculateScaleUpLimit: without behavior, at most double or 4, whichever is more. */
export function calculateScaleUpLimit(currentReplicas: number): number {
  return Math.trunc(Math.max(2.0 * currentReplicas, 4.0));
}

/** horizontal.go getReplicasChangePerPeriod: the changes strictly inside the last `periodSeconds`. */
export function getReplicasChangePerPeriod(
  periodSeconds: number,
  events: readonly ScaleEvent[],
  nowMs: number,
): number {
  const cutoffMs = nowMs - periodSeconds * 1000;
  let replicas = 0;
  for (const e of events) if (e.timestampMs > cutoffMs) replicas += e.replicaChange;
  return replicas;
}

/** horizontal.go getLongestPolicyPeriod. */
export function getLongestPolicyPeriod(rules: ScalingRules): number {
  let longest = 0;
  for (const p of rules.policies) if (p.periodSeconds > longest) longest = p.periodSeconds;
  return longest;
}

/** The replica count each policy allows and the one selectPolicy picks. */
export interface PolicyOutcome {
  limit: number;
  policies: PolicyLimit[];
}

const maxInt32 = 2 ** 31 - 1;
const minInt32 = -(2 ** 31);

/**
 * horizontal.go calculateScaleUpLimitWithScalingRules: per policy, the size at the start of its
 * period (current minus recent scale-ups plus recent scale-downs) plus the allowance (Pods: +value;
 * Percent: rounded up so a small percentage still adds a pod); Max picks the largest, Min the
 * smallest, Disabled keeps the current size.
 */
export function calculateScaleUpLimitWithScalingRules(
  currentReplicas: number,
  scaleUpEvents: readonly ScaleEvent[],
  scaleDownEvents: readonly ScaleEvent[],
  rules: ScalingRules,
  nowMs: number,
): PolicyOutcome {
  if (rules.selectPolicy === 'Disabled') return { limit: currentReplicas, policies: [] };
  const pickMin = rules.selectPolicy === 'Min';
  let result = pickMin ? maxInt32 : minInt32;
  const policies: PolicyLimit[] = [];
  for (const policy of rules.policies) {
    const start = periodStartReplicas(
      currentReplicas,
      policy,
      scaleUpEvents,
      scaleDownEvents,
      nowMs,
    );
    let proposed = start;
    if (policy.type === 'Pods') proposed = start + policy.value;
    else if (policy.type === 'Percent') proposed = Math.ceil(start * (1 + policy.value / 100));
    policies.push({ ...policyIdentity(policy), periodStartReplicas: start, limit: proposed });
    result = pickMin ? Math.min(result, proposed) : Math.max(result, proposed);
  }
  return { limit: result, policies };
}

/**
 * horizontal.go calculateScaleDownLimitWithBehaviors: the mirror image; Percent truncates toward
 * zero; Max (the most change) picks the smallest count, Min the largest.
 */
export function calculateScaleDownLimitWithBehaviors(
  currentReplicas: number,
  scaleUpEvents: readonly ScaleEvent[],
  scaleDownEvents: readonly ScaleEvent[],
  rules: ScalingRules,
  nowMs: number,
): PolicyOutcome {
  if (rules.selectPolicy === 'Disabled') return { limit: currentReplicas, policies: [] };
  const pickMax = rules.selectPolicy === 'Min';
  let result = pickMax ? minInt32 : maxInt32;
  const policies: PolicyLimit[] = [];
  for (const policy of rules.policies) {
    const start = periodStartReplicas(
      currentReplicas,
      policy,
      scaleUpEvents,
      scaleDownEvents,
      nowMs,
    );
    let proposed = start;
    if (policy.type === 'Pods') proposed = start - policy.value;
    else if (policy.type === 'Percent') proposed = Math.trunc(start * (1 - policy.value / 100));
    policies.push({ ...policyIdentity(policy), periodStartReplicas: start, limit: proposed });
    result = pickMax ? Math.max(result, proposed) : Math.min(result, proposed);
  }
  return { limit: result, policies };
}

function periodStartReplicas(
  currentReplicas: number,
  policy: V2HPAScalingPolicy,
  scaleUpEvents: readonly ScaleEvent[],
  scaleDownEvents: readonly ScaleEvent[],
  nowMs: number,
): number {
  const added = getReplicasChangePerPeriod(policy.periodSeconds, scaleUpEvents, nowMs);
  const deleted = getReplicasChangePerPeriod(policy.periodSeconds, scaleDownEvents, nowMs);
  return currentReplicas - added + deleted;
}

function policyIdentity(
  policy: V2HPAScalingPolicy,
): Pick<PolicyLimit, 'type' | 'value' | 'periodSeconds'> {
  return { type: policy.type, value: policy.value, periodSeconds: policy.periodSeconds };
}
