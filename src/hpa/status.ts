/**
 * status.currentMetrics entries, shaped as the controller writes them (horizontal.go
 * computeStatusFor*Metric). Values are milli quantities printed canonically.
 * @module
 */
import type {
  V2CrossVersionObjectReference,
  V2MetricIdentifier,
  V2MetricStatus,
  V2MetricValueStatus,
} from '@kubernetes/client-node';
import { formatMilli } from './parse-cache.js';

/** MetricValueStatus{AverageUtilization, AverageValue} for a utilization target. */
export function utilizationValue(
  utilizationPercent: number,
  rawAverageMilli: number,
): V2MetricValueStatus {
  return { averageUtilization: utilizationPercent, averageValue: formatMilli(rawAverageMilli) };
}

/** MetricValueStatus{AverageValue}. */
export function averageValue(milli: number): V2MetricValueStatus {
  return { averageValue: formatMilli(milli) };
}

/** MetricValueStatus{Value}. */
export function plainValue(milli: number): V2MetricValueStatus {
  return { value: formatMilli(milli) };
}

/** The metric identifier echoed into status: the spec's name and selector. */
function identifier(metric: V2MetricIdentifier): V2MetricIdentifier {
  return metric.selector === undefined
    ? { name: metric.name }
    : { name: metric.name, selector: metric.selector };
}

/** ResourceMetricStatus. */
export function resourceStatus(name: string, current: V2MetricValueStatus): V2MetricStatus {
  return { type: 'Resource', resource: { name, current } };
}

/** ContainerResourceMetricStatus. */
export function containerResourceStatus(
  name: string,
  container: string,
  current: V2MetricValueStatus,
): V2MetricStatus {
  return { type: 'ContainerResource', containerResource: { name, container, current } };
}

/** PodsMetricStatus. */
export function podsStatus(
  metric: V2MetricIdentifier,
  current: V2MetricValueStatus,
): V2MetricStatus {
  return { type: 'Pods', pods: { metric: identifier(metric), current } };
}

/**
 * ObjectMetricStatus. Upstream leaves describedObject out for AverageValue targets although the
 * API marks it required; it is always included here.
 */
export function objectStatus(
  describedObject: V2CrossVersionObjectReference,
  metric: V2MetricIdentifier,
  current: V2MetricValueStatus,
): V2MetricStatus {
  return { type: 'Object', object: { describedObject, metric: identifier(metric), current } };
}

/** ExternalMetricStatus. */
export function externalStatus(
  metric: V2MetricIdentifier,
  current: V2MetricValueStatus,
): V2MetricStatus {
  return { type: 'External', external: { metric: identifier(metric), current } };
}
