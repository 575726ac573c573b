/**
 * Per-type metric computation (horizontal.go computeStatusForResourceMetricGeneric,
 * computeStatusForPodsMetric, computeStatusForObjectMetric, computeStatusForExternalMetric): which
 * calculator a target uses and the status entry it writes.
 * @module
 */
import type {
  V2MetricSpec,
  V2ObjectMetricSource,
  V2MetricStatus,
  V2MetricTarget,
  V2MetricValueStatus,
} from '@kubernetes/client-node';
import type { MetricContext, ReplicaCalculation } from './calculation.js';
import { MetricError } from './errors.js';
import { selectorKey } from './metric-fetch.js';
import { formatMilli } from './parse-cache.js';
import {
  getExternalMetricReplicas,
  getExternalPerPodMetricReplicas,
  getObjectMetricReplicas,
  getObjectPerPodMetricReplicas,
} from './replica-calculator-object.js';
import {
  getMetricReplicas,
  getRawResourceReplicas,
  getResourceReplicas,
  wrapped,
} from './replica-calculator.js';
import * as status from './status.js';

/** What a type-specific computation yields. */
export interface Computed {
  calc: ReplicaCalculation;
  status: V2MetricStatus;
  current: string;
  target: string;
}

function required<T>(source: T | undefined, type: string): T {
  if (source === undefined)
    throw new MetricError(`invalid ${type} metric source: the source is not set`);
  return source;
}

/** Dispatches a metric spec to its type's computation; throws MetricError on failure. */
export function computeByType(ctx: MetricContext, spec: V2MetricSpec): Computed {
  switch (spec.type) {
    case 'Resource': {
      const source = required(spec.resource, 'resource');
      const g = computeStatusForResourceMetricGeneric(ctx, source.target, source.name, '');
      return {
        calc: g.calc,
        current: g.current,
        target: g.target,
        status: status.resourceStatus(source.name, g.value),
      };
    }
    case 'ContainerResource': {
      const source = required(spec.containerResource, 'container resource');
      const g = computeStatusForResourceMetricGeneric(
        ctx,
        source.target,
        source.name,
        source.container,
      );
      return {
        calc: g.calc,
        current: g.current,
        target: g.target,
        status: status.containerResourceStatus(source.name, source.container, g.value),
      };
    }
    case 'Pods':
      return computeStatusForPodsMetric(ctx, spec);
    case 'Object':
      return computeStatusForObjectMetric(ctx, spec);
    default:
      return computeStatusForExternalMetric(ctx, spec);
  }
}

/** horizontal.go computeStatusForResourceMetricGeneric: AverageValue first, then AverageUtilization. */
function computeStatusForResourceMetricGeneric(
  ctx: MetricContext,
  target: V2MetricTarget,
  resource: string,
  container: string,
): Omit<Computed, 'status'> & { value: V2MetricValueStatus } {
  if (target.averageValue !== undefined) {
    const targetMilli = ctx.quantities.milli(target.averageValue);
    const calc = wrapped(`failed to get ${resource} usage: `, () =>
      getRawResourceReplicas(ctx, ctx.specReplicas, targetMilli, resource, container),
    );
    return {
      calc,
      value: status.averageValue(calc.usage),
      current: formatMilli(calc.usage),
      target: target.averageValue,
    };
  }
  const targetUtilization = target.averageUtilization;
  if (targetUtilization === undefined) {
    throw new MetricError(
      'invalid resource metric source: neither an average utilization target nor an average value (usage) target was set',
    );
  }
  const calc = wrapped(`failed to get ${resource} utilization: `, () =>
    getResourceReplicas(ctx, ctx.specReplicas, targetUtilization, resource, container),
  );
  return {
    calc,
    value: status.utilizationValue(calc.usage, calc.rawUsage ?? 0),
    current: `${calc.usage}%`,
    target: `${targetUtilization}%`,
  };
}

/** horizontal.go computeStatusForPodsMetric. */
function computeStatusForPodsMetric(ctx: MetricContext, spec: V2MetricSpec): Computed {
  const source = required(spec.pods, 'pods');
  const metricSelector = selectorKey(source.metric.selector);
  const targetText = source.target.averageValue;
  if (targetText === undefined)
    throw new MetricError('invalid pods metric source: no average value target was set');
  const target = ctx.quantities.milli(targetText);
  const calc = getMetricReplicas(ctx, ctx.specReplicas, target, source.metric.name, metricSelector);
  return {
    calc,
    status: status.podsStatus(source.metric, status.averageValue(calc.usage)),
    current: formatMilli(calc.usage),
    target: targetText,
  };
}

/** horizontal.go computeStatusForObjectMetric: Value scales from spec.replicas, AverageValue from status.replicas. */
function computeStatusForObjectMetric(ctx: MetricContext, spec: V2MetricSpec): Computed {
  const source = required(spec.object, 'object');
  const metricSelector = selectorKey(source.metric.selector);
  const { target } = source;
  if (target.type === 'Value' && target.value !== undefined) {
    return objectMetric(ctx, source, metricSelector, 'Value', target.value);
  }
  if (target.type === 'AverageValue' && target.averageValue !== undefined) {
    return objectMetric(ctx, source, metricSelector, 'AverageValue', target.averageValue);
  }
  throw new MetricError(
    'invalid object metric source: neither a value target nor an average value target was set',
  );
}

function objectMetric(
  ctx: MetricContext,
  source: V2ObjectMetricSource,
  metricSelector: string | undefined,
  type: 'Value' | 'AverageValue',
  targetText: string,
): Computed {
  const { describedObject, metric } = source;
  const target = ctx.quantities.milli(targetText);
  const calc =
    type === 'Value'
      ? getObjectMetricReplicas(
          ctx,
          ctx.specReplicas,
          target,
          metric.name,
          describedObject,
          metricSelector,
        )
      : getObjectPerPodMetricReplicas(
          ctx,
          ctx.statusReplicas,
          target,
          metric.name,
          describedObject,
          metricSelector,
        );
  const value = type === 'Value' ? status.plainValue(calc.usage) : status.averageValue(calc.usage);
  const current = formatMilli(calc.usage);
  return {
    calc,
    status: status.objectStatus(describedObject, metric, value),
    current,
    target: targetText,
  };
}

/** horizontal.go computeStatusForExternalMetric: AverageValue first, then Value. */
function computeStatusForExternalMetric(ctx: MetricContext, spec: V2MetricSpec): Computed {
  const source = required(spec.external, 'external');
  const { target, metric } = source;
  if (target.averageValue !== undefined) {
    const targetMilli = ctx.quantities.milli(target.averageValue);
    const calc = getExternalPerPodMetricReplicas(
      ctx,
      ctx.statusReplicas,
      targetMilli,
      metric.name,
      metric.selector,
    );
    return {
      calc,
      status: status.externalStatus(metric, status.averageValue(calc.usage)),
      current: formatMilli(calc.usage),
      target: target.averageValue,
    };
  }
  if (target.value !== undefined) {
    const calc = getExternalMetricReplicas(
      ctx,
      ctx.specReplicas,
      ctx.quantities.milli(target.value),
      metric.name,
      metric.selector,
    );
    return {
      calc,
      status: status.externalStatus(metric, status.plainValue(calc.usage)),
      current: formatMilli(calc.usage),
      target: target.value,
    };
  }
  throw new MetricError(
    'invalid external metric source: neither a value target nor an average value target was set',
  );
}
