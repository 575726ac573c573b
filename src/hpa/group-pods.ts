/**
 * Sorting the target's pods into those whose metrics count, those that are not ready, those without
 * metrics and those to ignore: the heart of how the controller avoids reacting to start-up noise.
 * @module
 */
import type { V1Pod, V1PodCondition } from '@kubernetes/client-node';
import type { PodMetricsInfo } from './metric-results.js';
import { timeMs } from './time.js';
import type { PodReasonCode } from './types.js';

/** The result of groupPods: counts and pod names per group, and the rule that put each pod aside. */
export interface PodGroups {
  readyPodCount: number;
  unreadyPods: Set<string>;
  missingPods: Set<string>;
  ignoredPods: Set<string>;
  reasons: Map<string, PodReasonCode>;
}

/** Timing rules for CPU readiness (the controller's --horizontal-pod-autoscaler-* flags). */
export interface ReadinessTiming {
  nowMs: number;
  cpuInitializationPeriodMs: number;
  delayOfInitialReadinessStatusMs: number;
}

/**
 * replica_calculator.go groupPods. Deleted pods and pods in a terminal phase are ignored (Failed
 * upstream; Succeeded since kubernetes#141302). Pending pods are unready. Pods without a metric
 * are missing. For CPU only, a pod is also unready when it has no Ready condition or start time,
 * when during the CPU initialization period it is not ready or its sample was taken less than one
 * window after it became ready, or when after that period it is not ready and has never been
 * ready (its last transition came within the initial readiness delay of its start).
 */
export function groupPods(
  pods: readonly V1Pod[],
  metrics: PodMetricsInfo,
  resource: string,
  timing: ReadinessTiming,
): PodGroups {
  const groups: PodGroups = {
    readyPodCount: 0,
    unreadyPods: new Set(),
    missingPods: new Set(),
    ignoredPods: new Set(),
    reasons: new Map(),
  };
  const aside = (set: Set<string>, name: string, reason: PodReasonCode): void => {
    set.add(name);
    groups.reasons.set(name, reason);
  };
  for (const pod of pods) {
    const name = pod.metadata?.name ?? '';
    const phase = pod.status?.phase;
    if (pod.metadata?.deletionTimestamp != null) {
      aside(groups.ignoredPods, name, 'deleted');
      continue;
    }
    if (phase === 'Failed' || phase === 'Succeeded') {
      aside(groups.ignoredPods, name, phase === 'Failed' ? 'phase-failed' : 'phase-succeeded');
      continue;
    }
    if (phase === 'Pending') {
      aside(groups.unreadyPods, name, 'pending');
      continue;
    }
    const metric = metrics.get(name);
    if (metric === undefined) {
      aside(groups.missingPods, name, 'no-metrics');
      continue;
    }
    const cpuUnready =
      resource === 'cpu'
        ? cpuUnreadyReason(pod, metric.timestampMs, metric.windowMs, timing)
        : undefined;
    if (cpuUnready !== undefined) {
      aside(groups.unreadyPods, name, cpuUnready);
      continue;
    }
    groups.readyPodCount++;
  }
  return groups;
}

/**
 * The CPU branch of groupPods: why a sample of this pod may still carry start-up CPU, or
 * undefined when it counts.
 */
function cpuUnreadyReason(
  pod: V1Pod,
  sampleMs: number,
  windowMs: number,
  timing: ReadinessTiming,
): PodReasonCode | undefined {
  const condition = readyCondition(pod);
  const startMs = timeMs(pod.status?.startTime);
  if (condition === undefined || startMs === undefined) return 'no-readiness';
  // A Ready condition without a transition time is Go's zero time: earlier than anything.
  const transitionMs = timeMs(condition.lastTransitionTime) ?? Number.NEGATIVE_INFINITY;
  if (startMs + timing.cpuInitializationPeriodMs > timing.nowMs) {
    if (condition.status === 'False') return 'not-ready';
    return sampleMs < transitionMs + windowMs ? 'sampled-too-soon' : undefined;
  }
  const neverReady =
    condition.status === 'False' && startMs + timing.delayOfInitialReadinessStatusMs > transitionMs;
  return neverReady ? 'never-ready' : undefined;
}

/** podutil.GetPodCondition(status, PodReady). */
export function readyCondition(pod: V1Pod): V1PodCondition | undefined {
  const conditions = pod.status?.conditions;
  if (conditions === undefined) return undefined;
  for (const c of conditions) if (c.type === 'Ready') return c;
  return undefined;
}

/** replica_calculator.go removeMetricsForPods. */
export function removeMetricsForPods(metrics: PodMetricsInfo, pods: ReadonlySet<string>): void {
  for (const name of pods) metrics.delete(name);
}
