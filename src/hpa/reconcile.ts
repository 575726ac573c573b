/**
 * The decision branches of horizontal.go reconcileAutoscaler: scaling disabled, a size outside
 * [minReplicas, maxReplicas], or the metrics' proposal normalized.
 * @module
 */
import {
  computeReplicasForMetrics,
  type MetricsInput,
  type MetricsOutcome,
} from './compute-metrics.js';
import { answeredMetrics, metricSpecs } from './metric-fetch.js';
import { normalizeDesiredReplicas, normalizeDesiredReplicasWithBehaviors } from './normalize.js';
import type { Sync, SyncOutcome } from './sync.js';

export { defaultMetricSpec } from './metric-fetch.js';

function shortcut(
  desiredReplicas: number,
  kind: NonNullable<SyncOutcome['shortcut']>,
  rescaleReason?: string,
): SyncOutcome {
  const rescale = kind !== 'disabled';
  return {
    desiredReplicas,
    rescale,
    rescaleReason,
    shortcut: kind,
    statuses: [],
    metrics: [],
    metricsFailed: false,
  };
}

/**
 * reconcileAutoscaler's branches. A target at zero replicas is left alone unless minReplicas is 0
 * (ScalingDisabled); a size outside the bounds is corrected without reading metrics.
 */
export function reconcile(sync: Sync): SyncOutcome {
  const { currentReplicas, minReplicas, maxReplicas } = sync;
  if (currentReplicas === 0 && minReplicas !== 0) {
    const message = 'scaling is disabled since the replica count of the target is zero';
    sync.conditions.set('ScalingActive', 'False', 'ScalingDisabled', message);
    return shortcut(0, 'disabled');
  }
  if (currentReplicas > maxReplicas) {
    return shortcut(maxReplicas, 'above-max', 'Current number of replicas above Spec.MaxReplicas');
  }
  if (currentReplicas < minReplicas) {
    return shortcut(minReplicas, 'below-min', 'Current number of replicas below Spec.MinReplicas');
  }
  return fromMetrics(sync);
}

/** What computeReplicasForMetrics reads from the sync. */
function metricsInput(sync: Sync): MetricsInput {
  const { input } = sync;
  return {
    namespace: input.hpa.metadata?.namespace,
    quantities: sync.cache,
    metricsFor: (index) => answeredMetrics(input.metrics[index]),
    allPods: input.pods,
    scaleSelector: input.scale.selector,
    tolerances: sync.tolerances,
    timing: {
      nowMs: sync.nowMs,
      cpuInitializationPeriodMs: sync.options.cpuInitializationPeriodSeconds * 1000,
      delayOfInitialReadinessStatusMs: sync.options.initialReadinessDelaySeconds * 1000,
    },
    specReplicas: sync.currentReplicas,
    statusReplicas: input.scale.statusReplicas,
  };
}

/** The metrics branch: the largest proposal, stabilized and limited (with or without behavior). */
function fromMetrics(sync: Sync): SyncOutcome {
  const { currentReplicas, conditions } = sync;
  const specs = metricSpecs(sync.input.hpa);
  const outcome = computeReplicasForMetrics(metricsInput(sync), specs);
  conditions.set(
    'ScalingActive',
    outcome.condition.status,
    outcome.condition.reason,
    outcome.condition.message,
  );
  const base = {
    statuses: outcome.statuses,
    metrics: outcome.metrics,
    metricsError: outcome.error,
  };
  if (!outcome.ok)
    return { ...base, desiredReplicas: currentReplicas, rescale: false, metricsFailed: true };
  const normalized = normalize(sync, outcome);
  const rescale = normalized.desiredReplicas !== currentReplicas;
  return {
    ...base,
    desiredReplicas: normalized.desiredReplicas,
    rescale,
    rescaleReason: rescale ? normalized.rescaleReason : undefined,
    metricsFailed: false,
    winningMetric: outcome.metricName,
    limits: normalized.limits,
  };
}

/** normalizeDesiredReplicas(WithBehaviors) with the conditions and memory it updates. */
function normalize(
  sync: Sync,
  outcome: MetricsOutcome,
): Pick<SyncOutcome, 'desiredReplicas' | 'rescaleReason' | 'limits'> {
  const { currentReplicas, conditions, history } = sync;
  // Upstream starts from 0 and takes the proposal only when larger.
  const prenormalized = Math.max(0, outcome.replicas);
  let rescaleReason: string | undefined;
  if (prenormalized > currentReplicas) rescaleReason = `${outcome.metricName} above target`;
  if (prenormalized < currentReplicas) rescaleReason = 'All metrics below target';
  const input = {
    currentReplicas,
    prenormalizedDesiredReplicas: prenormalized,
    minReplicas: sync.minReplicas,
    maxReplicas: sync.maxReplicas,
    nowMs: sync.nowMs,
    recommendations: history.recommendations,
    scaleUpEvents: history.scaleUpEvents,
    scaleDownEvents: history.scaleDownEvents,
  };
  const normalized =
    sync.behavior === undefined
      ? normalizeDesiredReplicas(input, sync.options.downscaleStabilizationWindowSeconds)
      : normalizeDesiredReplicasWithBehaviors(input, sync.behavior);
  const { ableToScale: able, scalingLimited: limited } = normalized;
  conditions.set('AbleToScale', able.status, able.reason, able.message);
  conditions.set('ScalingLimited', limited.status, limited.reason, limited.message);
  sync.history = { ...history, recommendations: normalized.recommendations };
  return { desiredReplicas: normalized.desiredReplicas, rescaleReason, limits: normalized.limits };
}
