/**
 * All of an HPA's metrics to one proposal (horizontal.go computeReplicasForMetrics): the largest
 * proposal wins; the scale selector picks the pods every metric reads.
 * @module
 */
import type { V1Pod, V2MetricSpec, V2MetricStatus } from '@kubernetes/client-node';
import { parseSelector, SelectorError } from '../k8s/index.js';
import { computeReplicasForMetric, type MetricContext } from './compute-metric.js';
import type { MetricsSource } from './metric-fetch.js';
import type { MetricExplanation } from './types.js';

/** The ScalingActive condition computeReplicasForMetrics leaves behind. */
export interface ScalingActiveCondition {
  status: 'True' | 'False';
  reason: string;
  message: string;
}

/** The outcome; `ok` false is upstream's -1: the controller does not rescale this sync. */
export interface MetricsOutcome {
  ok: boolean;
  replicas: number;
  metricName: string;
  statuses: V2MetricStatus[];
  metrics: MetricExplanation[];
  condition: ScalingActiveCondition;
  /** The error the controller returns (its FailedComputeMetricsReplicas event), if any metric failed. */
  error?: string;
}

/** Everything but the pods and the metrics, which this step picks by the scale selector and the spec. */
export type MetricsInput = Omit<MetricContext, 'metrics' | 'pods'> & {
  /** Every pod in the snapshot; those the selector picks in the HPA's namespace are used. */
  allPods: readonly V1Pod[];
  scaleSelector: string;
  /** The metrics client's answers for spec.metrics[index]. */
  metricsFor(index: number): MetricsSource;
};

/**
 * The pods the scale's selector picks in the HPA's namespace (the controller's pod lister query),
 * or the InvalidSelector condition for an empty or unparsable selector.
 */
export function selectPods(
  allPods: readonly V1Pod[],
  scaleSelector: string,
  namespace: string | undefined,
): V1Pod[] | ScalingActiveCondition {
  if (scaleSelector === '') {
    return {
      status: 'False',
      reason: 'InvalidSelector',
      message: "the HPA target's scale is missing a selector",
    };
  }
  let selector;
  try {
    selector = parseSelector(scaleSelector);
  } catch (err) {
    if (!(err instanceof SelectorError)) throw err;
    const message = `couldn't convert selector into a corresponding internal selector object: ${err.message}`;
    return { status: 'False', reason: 'InvalidSelector', message };
  }
  return allPods.filter((pod) => {
    const ns = pod.metadata?.namespace;
    return (
      (namespace === undefined || ns === undefined || ns === namespace) &&
      selector.matches(pod.metadata?.labels)
    );
  });
}

/** Every metric's outcome folded into the largest proposal and the first failure. */
interface Tally {
  replicas: number;
  metricName: string;
  invalidCount: number;
  firstFailure?: ScalingActiveCondition;
  firstError?: string;
  statuses: V2MetricStatus[];
  metrics: MetricExplanation[];
}

function tally(input: MetricsInput, pods: V1Pod[], specs: readonly V2MetricSpec[]): Tally {
  const t: Tally = { replicas: 0, metricName: '', invalidCount: 0, statuses: [], metrics: [] };
  specs.forEach((spec, index) => {
    const ctx: MetricContext = {
      namespace: input.namespace,
      quantities: input.quantities,
      tolerances: input.tolerances,
      timing: input.timing,
      specReplicas: input.specReplicas,
      statusReplicas: input.statusReplicas,
      pods,
      metrics: input.metricsFor(index),
    };
    const outcome = computeReplicasForMetric(ctx, spec, index);
    t.metrics.push(outcome.explanation);
    if (!outcome.ok) {
      if (t.invalidCount === 0) {
        t.firstFailure = { status: 'False', reason: outcome.reason, message: outcome.message };
        t.firstError = outcome.explanation.error;
      }
      t.invalidCount++;
      return;
    }
    t.statuses.push(outcome.status);
    // The first of equal proposals names the metric (upstream compares with >).
    if (t.replicas === 0 || outcome.replicas > t.replicas) {
      t.replicas = outcome.replicas;
      t.metricName = outcome.metricName;
    }
  });
  return t;
}

function failed(
  condition: ScalingActiveCondition,
  error: string | undefined,
  t?: Tally,
): MetricsOutcome {
  const statuses = t?.statuses ?? [];
  return {
    ok: false,
    replicas: -1,
    metricName: '',
    statuses,
    metrics: t?.metrics ?? [],
    condition,
    error,
  };
}

/**
 * horizontal.go computeReplicasForMetrics: each metric proposes; the largest proposal (the first
 * on ties) wins. If every metric failed, or one failed while the others propose to scale below
 * spec.replicas, the first failure's condition stands and nothing is rescaled; otherwise
 * ScalingActive is ValidMetricFound.
 */
export function computeReplicasForMetrics(
  input: MetricsInput,
  specs: readonly V2MetricSpec[],
): MetricsOutcome {
  const selected = selectPods(input.allPods, input.scaleSelector, input.namespace);
  if (!Array.isArray(selected)) {
    return failed(selected, input.scaleSelector === '' ? 'selector is required' : selected.message);
  }
  const t = tally(input, selected, specs);
  const error =
    t.firstError === undefined
      ? undefined
      : `invalid metrics (${t.invalidCount} invalid out of ${specs.length}), first error is: ${t.firstError}`;
  const partialScaleDown = t.invalidCount > 0 && t.replicas < input.specReplicas;
  if (t.firstFailure !== undefined && (t.invalidCount >= specs.length || partialScaleDown)) {
    return failed(t.firstFailure, error, t);
  }
  const message = `the HPA was able to successfully calculate a replica count from ${t.metricName}`;
  return {
    ok: true,
    replicas: t.replicas,
    metricName: t.metricName,
    statuses: t.statuses,
    metrics: t.metrics,
    condition: { status: 'True', reason: 'ValidMetricFound', message },
    error,
  };
}
