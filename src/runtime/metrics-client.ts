/**
 * One seam for the HPA's metric inputs, shaped like the controller's (kubernetes
 * pkg/controller/podautoscaler/metrics interfaces.go MetricsClient): per-pod values with their
 * sample times and windows, one object's value, or an external metric's values, in thousandths.
 * The runtime reads them from the store (StoreMetricsClient), `hpa explain` from the cluster's
 * metrics APIs (ApiMetricsClient); test/contract/metrics-client.case.ts holds both to one contract.
 * fetchMetrics makes the calls an HPA's specs need and hands the answers to the engine.
 * @module
 */
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import {
  labelSelectorOf,
  metricCall,
  metricSpecs,
  MetricError,
  type ExternalMetricResult,
  type MetricCall,
  type MetricFetch,
  type ObjectMetricResult,
  type ObjectReference,
  type PodMetricsResult,
} from '../hpa/index.js';
import { SelectorError, type Selector } from '../k8s/index.js';

/**
 * The controller's metrics client. Rejects with MetricError when the API answered without a
 * usable value (as client.go's own checks do), with {@link MetricsReadError} when the values
 * could not be read, and with anything else when the caller should stop altogether.
 */
export interface MetricsClient {
  /** metrics.k8s.io values of the pods `selector` picks: each pod's containers summed, or `container`'s. */
  getResourceMetric(
    resource: string,
    namespace: string,
    selector: Selector,
    container: string,
  ): Promise<PodMetricsResult>;
  /** custom.metrics.k8s.io values of a metric of the pods `selector` picks. */
  getRawMetric(
    metricName: string,
    namespace: string,
    selector: Selector,
    metricSelector: Selector,
  ): Promise<PodMetricsResult>;
  /** custom.metrics.k8s.io value of a metric of one object (a core Namespace: the HPA's own). */
  getObjectMetric(
    metricName: string,
    namespace: string,
    objectRef: ObjectReference,
    metricSelector: Selector,
  ): Promise<ObjectMetricResult>;
  /** external.metrics.k8s.io values of every series of the metric whose labels match. */
  getExternalMetric(
    metricName: string,
    namespace: string,
    selector: Selector,
  ): Promise<ExternalMetricResult>;
}

/** The values could not be read (the API or the store failed); the metric fails, the sync goes on. */
export class MetricsReadError extends Error {
  override readonly name = 'MetricsReadError';
}

/** A metric whose values could not be read, by its index in the HPA's metric specs. */
export interface FetchError {
  index: number;
  metric: string;
  error: string;
}

/** The engine's answers by spec index, and which reads failed. */
export interface FetchedMetrics {
  answers: (MetricFetch | undefined)[];
  fetchErrors: FetchError[];
}

function callName(call: MetricCall): string {
  return call.kind === 'resource' ? call.resource : call.metricName;
}

async function answer(
  client: MetricsClient,
  call: MetricCall,
  namespace: string,
  selector: Selector,
): Promise<MetricFetch> {
  switch (call.kind) {
    case 'resource':
      return {
        kind: 'pods',
        result: await client.getResourceMetric(call.resource, namespace, selector, call.container),
      };
    case 'raw':
      return {
        kind: 'pods',
        result: await client.getRawMetric(
          call.metricName,
          namespace,
          selector,
          labelSelectorOf(call.metricSelector),
        ),
      };
    case 'object':
      return {
        kind: 'object',
        result: await client.getObjectMetric(
          call.metricName,
          namespace,
          call.ref,
          labelSelectorOf(call.metricSelector),
        ),
      };
    case 'external':
      return {
        kind: 'external',
        result: await client.getExternalMetric(
          call.metricName,
          namespace,
          labelSelectorOf(call.metricSelector),
        ),
      };
  }
}

/**
 * Makes the call each of the HPA's metric specs makes (metricCall), in parallel, for the pods the
 * scale `selector` picks in `namespace`. A MetricError or MetricsReadError is that metric's
 * answer; any other rejection rejects the whole fetch.
 */
export async function fetchMetrics(
  client: MetricsClient,
  hpa: V2HorizontalPodAutoscaler,
  namespace: string,
  selector: Selector,
): Promise<FetchedMetrics> {
  const fetchErrors: FetchError[] = [];
  const answers = await Promise.all(
    metricSpecs(hpa).map(async (spec, index): Promise<MetricFetch | undefined> => {
      const call = metricCall(spec);
      if (call === undefined) return undefined;
      try {
        return await answer(client, call, namespace, selector);
      } catch (err) {
        if (err instanceof MetricsReadError)
          fetchErrors.push({ index, metric: callName(call), error: err.message });
        // A spec's unparsable selector fails that metric; the engine names it.
        else if (!(err instanceof MetricError || err instanceof SelectorError)) throw err;
        return { kind: 'error', error: err.message };
      }
    }),
  );
  return { answers, fetchErrors: fetchErrors.sort((a, b) => a.index - b.index) };
}
