/**
 * One metric spec to a proposal, a status entry and, on failure, the ScalingActive condition the
 * controller would set (horizontal.go computeReplicasForMetric and computeStatusFor*Metric).
 * @module
 */
import type { V2MetricSpec, V2MetricStatus } from '@kubernetes/client-node';
import { SelectorError } from '../k8s/index.js';
import type { MetricContext } from './calculation.js';
import { computeByType, type Computed } from './compute-status.js';
import { MetricError } from './errors.js';
import { selectorKey } from './metric-fetch.js';
import type { MetricExplanation } from './types.js';

export type { MetricContext } from './calculation.js';

/** A metric that produced a proposal and a status entry. */
export interface MetricSuccess {
  ok: true;
  replicas: number;
  /** The controller's description of the metric, used in ValidMetricFound and rescale reasons. */
  metricName: string;
  timestampMs: number;
  status: V2MetricStatus;
  explanation: MetricExplanation;
}

/** A metric that could not be computed, with the condition it sets. */
export interface MetricFailure {
  ok: false;
  /** ScalingActive=False reason: FailedGetResourceMetric, ..., InvalidMetricSourceType. */
  reason: string;
  /** ScalingActive=False message. */
  message: string;
  explanation: MetricExplanation;
}

/** computeReplicasForMetric's result. */
export type MetricOutcome = MetricSuccess | MetricFailure;

const failureReasons: Readonly<Record<string, string>> = {
  Resource: 'FailedGetResourceMetric',
  ContainerResource: 'FailedGetContainerResourceMetric',
  Pods: 'FailedGetPodsMetric',
  Object: 'FailedGetObjectMetric',
  External: 'FailedGetExternalMetric',
};

/** The controller's name for a metric (the metricNameProposal of computeStatusFor*Metric). */
export function metricDescription(spec: V2MetricSpec): string {
  switch (spec.type) {
    case 'Resource':
    case 'ContainerResource': {
      const source = spec.type === 'Resource' ? spec.resource : spec.containerResource;
      const name = source?.name ?? '';
      if (source?.target.averageValue !== undefined) return `${name} resource`;
      const kind = spec.type === 'Resource' ? 'resource' : 'container resource';
      return `${name} ${kind} utilization (percentage of request)`;
    }
    case 'Pods':
      return `pods metric ${spec.pods?.metric.name ?? ''}`;
    case 'Object':
      // Upstream calls AverageValue object metrics "external metric"; the object's kind is clearer.
      return `${spec.object?.describedObject.kind ?? ''} metric ${spec.object?.metric.name ?? ''}`;
    case 'External': {
      // Upstream prints the selector struct with %+v; the selector's text reads better.
      const selector = safeSelectorText(spec.external?.metric.selector);
      return `external metric ${spec.external?.metric.name ?? ''}${selector === '' ? '' : `(${selector})`}`;
    }
    default:
      return `${spec.type} metric`;
  }
}

function safeSelectorText(selector: Parameters<typeof selectorKey>[0]): string {
  try {
    return selectorKey(selector) ?? '';
  } catch {
    return 'invalid selector';
  }
}

/** The explanation record for one metric, built with one fixed shape. */
function explanationOf(
  index: number,
  spec: V2MetricSpec,
  name: string,
  computed?: Computed,
): MetricExplanation {
  const calc = computed?.calc;
  const detail = calc?.detail;
  return {
    index,
    type: spec.type,
    name,
    ok: computed !== undefined,
    reason: undefined,
    error: undefined,
    proposal: calc?.replicaCount,
    rule: detail?.rule ?? 'failed',
    current: computed?.current,
    target: computed?.target,
    usageRatio: detail?.usageRatio,
    total: detail?.total,
    adjustedUsageRatio: detail?.adjustedUsageRatio,
    readyPods: detail?.readyPods,
    ignoredPods: detail?.ignoredPods ?? [],
    unreadyPods: detail?.unreadyPods ?? [],
    missingPods: detail?.missingPods ?? [],
    podReasons: detail?.podReasons ?? [],
    missingFill: detail?.missingFill,
    missingFillPercent: detail?.missingFillPercent,
    unreadyCountedAsZero: detail?.unreadyCountedAsZero,
  };
}

/** horizontal.go computeReplicasForMetric for one spec. Never throws on bad snapshot data. */
export function computeReplicasForMetric(
  ctx: MetricContext,
  spec: V2MetricSpec,
  index: number,
): MetricOutcome {
  const metricName = metricDescription(spec);
  const reason = failureReasons[spec.type];
  if (reason === undefined) {
    return failure(
      'InvalidMetricSourceType',
      `unknown metric source type "${spec.type}"`,
      explanationOf(index, spec, metricName),
    );
  }
  let computed: Computed;
  try {
    computed = computeByType(ctx, spec);
  } catch (err) {
    if (err instanceof MetricError || err instanceof SelectorError)
      return failure(reason, err.message, explanationOf(index, spec, metricName));
    throw err;
  }
  return {
    ok: true,
    replicas: computed.calc.replicaCount,
    metricName,
    timestampMs: computed.calc.timestampMs,
    status: computed.status,
    explanation: explanationOf(index, spec, metricName, computed),
  };
}

/** horizontal.go getUnableComputeReplicaCountCondition. */
function failure(reason: string, error: string, explanation: MetricExplanation): MetricFailure {
  explanation.reason = reason;
  explanation.error = error;
  return {
    ok: false,
    reason,
    message: `the HPA was unable to compute the replica count: ${error}`,
    explanation,
  };
}
