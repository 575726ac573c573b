/**
 * Reads what the HPA controller reads for one HPA at one sync: the pods the target's scale
 * selector picks in the HPA's namespace (its pod lister) and, through a MetricsClient, each
 * metric's values (metrics/client.go). A metric that cannot be read is that metric's failure,
 * carried to the engine as its answer; the engine reports it as the controller would.
 * @module
 */
import type { V1Pod, V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { ClusterView, TargetScale } from '../cluster/index.js';
import type { MetricFetch } from '../hpa/index.js';
import { parseSelector, type Selector } from '../k8s/index.js';
import { fetchMetrics, type FetchError, type MetricsClient } from './metrics-client.js';

export type { FetchError } from './metrics-client.js';

/** Everything the engine needs besides the HPA, the scale, the history and the clock. */
export interface ScenarioInputs {
  pods: V1Pod[];
  /** The metrics client's answers by metric spec index. */
  metrics: (MetricFetch | undefined)[];
  fetchErrors: FetchError[];
}

/** The scale's selector; undefined for an empty or invalid one, which the engine reports before reading metrics. */
export function scaleSelector(scale: TargetScale): Selector | undefined {
  if (scale.selector.trim() === '') return undefined;
  try {
    return parseSelector(scale.selector);
  } catch {
    return undefined;
  }
}

/** One HPA's reads, the metrics in parallel. */
export async function collectInputs(
  cluster: ClusterView,
  client: MetricsClient,
  hpa: V2HorizontalPodAutoscaler,
  scale: TargetScale,
): Promise<ScenarioInputs> {
  const namespace = hpa.metadata?.namespace ?? 'default';
  const selector = scaleSelector(scale);
  if (selector === undefined) return { pods: [], metrics: [], fetchErrors: [] };
  const pods = cluster.listPods(namespace, selector);
  const { answers, fetchErrors } = await fetchMetrics(client, hpa, namespace, selector);
  return { pods, metrics: answers, fetchErrors };
}
