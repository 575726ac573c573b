/**
 * The seam between the engine and whatever reads the metrics APIs. The controller's replica
 * calculator calls its metrics client in the middle of a sync (metrics/interfaces.go
 * MetricsClient); the engine is pure, so the caller makes those calls first, one per metric spec
 * ({@link metricCall} says which), and passes the answers in as {@link MetricFetch}es. The
 * calculators read them through {@link MetricsSource}, named after upstream's methods.
 * @module
 */
import type {
  V1LabelSelector,
  V2HorizontalPodAutoscaler,
  V2MetricSpec,
} from '@kubernetes/client-node';
import {
  everything,
  selectorFromLabelSelector,
  SelectorError,
  type Selector,
} from '../k8s/index.js';
import { MetricError } from './errors.js';
import type {
  ExternalMetricResult,
  ObjectMetricResult,
  PodMetricsResult,
} from './metric-results.js';
import type { ObjectReference } from './types.js';

/** The metrics client as the calculators see it, bound to one HPA's namespace and scale selector. Throws MetricError. */
export interface MetricsSource {
  getResourceMetric(resource: string, container: string): PodMetricsResult;
  /** `metricSelector`: canonical selector text, undefined when the spec names none. */
  getRawMetric(metricName: string, metricSelector: string | undefined): PodMetricsResult;
  getObjectMetric(
    metricName: string,
    ref: ObjectReference,
    metricSelector: string | undefined,
  ): ObjectMetricResult;
  getExternalMetric(metricName: string, selector: Selector): ExternalMetricResult;
}

/** pkg/apis/autoscaling/v2 defaults.go: an HPA without metrics targets 80% CPU utilization. */
export const defaultMetricSpec: V2MetricSpec = Object.freeze({
  type: 'Resource',
  resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } },
});

/** The HPA's metric specs, defaulted as the API server defaults them; MetricFetch indexes follow these. */
export function metricSpecs(hpa: V2HorizontalPodAutoscaler): readonly V2MetricSpec[] {
  const metrics = hpa.spec?.metrics;
  return metrics !== undefined && metrics.length > 0 ? metrics : [defaultMetricSpec];
}

/** The metrics client call a metric spec makes (horizontal.go computeStatusFor*Metric). */
export type MetricCall =
  | { kind: 'resource'; resource: string; container: string }
  | { kind: 'raw'; metricName: string; metricSelector?: V1LabelSelector }
  | { kind: 'object'; metricName: string; ref: ObjectReference; metricSelector?: V1LabelSelector }
  | { kind: 'external'; metricName: string; metricSelector?: V1LabelSelector };

/** What the metrics client answered for one metric spec, or the error it returned. */
export type MetricFetch =
  | { kind: 'pods'; result: PodMetricsResult }
  | { kind: 'object'; result: ObjectMetricResult }
  | { kind: 'external'; result: ExternalMetricResult }
  | { kind: 'error'; error: string };

/** The call `spec` makes; undefined for a spec without its source, which fails before any call. */
export function metricCall(spec: V2MetricSpec): MetricCall | undefined {
  switch (spec.type) {
    case 'Resource':
      return spec.resource && { kind: 'resource', resource: spec.resource.name, container: '' };
    case 'ContainerResource': {
      const s = spec.containerResource;
      return s && { kind: 'resource', resource: s.name, container: s.container };
    }
    case 'Pods':
      return spec.pods && { kind: 'raw', ...identifier(spec.pods.metric) };
    case 'Object': {
      const s = spec.object;
      return s && { kind: 'object', ref: s.describedObject, ...identifier(s.metric) };
    }
    case 'External':
      return spec.external && { kind: 'external', ...identifier(spec.external.metric) };
    default:
      return undefined;
  }
}

function identifier(m: { name: string; selector?: V1LabelSelector }): {
  metricName: string;
  metricSelector?: V1LabelSelector;
} {
  return m.selector == null
    ? { metricName: m.name }
    : { metricName: m.name, metricSelector: m.selector };
}

/** Canonical text of a metric selector, or undefined when the spec names none. */
export function selectorKey(selector: V1LabelSelector | undefined): string | undefined {
  return selector == null ? undefined : selectorFromLabelSelector(selector).toString();
}

/** A metric's selector as the clients send it: a nil selector goes on the wire as none, which selects everything. */
export function labelSelectorOf(selector: V1LabelSelector | undefined): Selector {
  return selector == null ? everything : selectorFromLabelSelector(selector);
}

/** Makes `call` on a synchronous source, keeping a failure as the answer. */
export function fetchFrom(source: MetricsSource, call: MetricCall): MetricFetch {
  try {
    switch (call.kind) {
      case 'resource':
        return {
          kind: 'pods',
          result: source.getResourceMetric(call.resource, call.container),
        };
      case 'raw':
        return {
          kind: 'pods',
          result: source.getRawMetric(call.metricName, selectorKey(call.metricSelector)),
        };
      case 'object':
        return {
          kind: 'object',
          result: source.getObjectMetric(
            call.metricName,
            call.ref,
            selectorKey(call.metricSelector),
          ),
        };
      case 'external':
        return {
          kind: 'external',
          result: source.getExternalMetric(call.metricName, labelSelectorOf(call.metricSelector)),
        };
    }
  } catch (err) {
    if (err instanceof MetricError || err instanceof SelectorError)
      return { kind: 'error', error: err.message };
    throw err;
  }
}

/** Results by the kind of call that produced them. */
interface Answers {
  pods: PodMetricsResult;
  object: ObjectMetricResult;
  external: ExternalMetricResult;
}

function answer<K extends keyof Answers>(fetch: MetricFetch | undefined, kind: K): Answers[K] {
  if (fetch === undefined) throw new MetricError('no metrics were fetched for this metric');
  if (fetch.kind === 'error') throw new MetricError(fetch.error);
  if (fetch.kind !== kind)
    throw new MetricError(`metrics were fetched as ${fetch.kind} values, not ${kind} values`);
  return fetch.result as Answers[K];
}

/**
 * The source that answers with what was fetched for one metric spec. The calculators edit the
 * per-pod map (removeMetricsForPods), so each read gets a copy and the input stays as it was.
 */
export function answeredMetrics(fetch: MetricFetch | undefined): MetricsSource {
  const pods = (): PodMetricsResult => {
    const r = answer(fetch, 'pods');
    return { metrics: new Map(r.metrics), timestampMs: r.timestampMs };
  };
  return {
    getResourceMetric: pods,
    getRawMetric: pods,
    getObjectMetric: () => ({ ...answer(fetch, 'object') }),
    getExternalMetric: () => {
      const r = answer(fetch, 'external');
      return { values: [...r.values], timestampMs: r.timestampMs };
    },
  };
}
