/**
 * Scale-event and scaling-rule helpers ported from horizontal_test.go (generateScalingRules,
 * generateEventsUniformDistribution), for behavior and normalization tables.
 */
import type { V2HPAScalingRules } from '@kubernetes/client-node';
import type { ScaleEvent } from '../../src/hpa/behavior.js';
import { NOW_MS } from './hpa-builders.js';

/** Max-select rules with a Pods and/or a Percent policy (a zero value leaves the policy out). */
export function scalingRules(
  pods: number,
  podsPeriod: number,
  percent: number,
  percentPeriod: number,
  window: number,
): V2HPAScalingRules {
  const policies = [];
  if (pods !== 0) policies.push({ type: 'Pods', value: pods, periodSeconds: podsPeriod });
  if (percent !== 0)
    policies.push({ type: 'Percent', value: percent, periodSeconds: percentPeriod });
  return { stabilizationWindowSeconds: window, selectPolicy: 'Max', policies };
}

/**
 * Events spread evenly over the last `periodSeconds`, each in the middle of its segment, so for
 * [1, 5, 9] over 120 s they fall 100 s, 60 s and 20 s before NOW.
 */
export function eventsUniform(changes: number[], periodSeconds: number): ScaleEvent[] {
  const segment = periodSeconds / changes.length;
  return changes.map((replicaChange, i) => ({
    replicaChange,
    timestampMs: NOW_MS - (periodSeconds - segment * (i + 1) + segment / 2) * 1000,
  }));
}
