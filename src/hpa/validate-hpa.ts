/**
 * Validation of the scenario's HorizontalPodAutoscaler, following the API server's rules for
 * autoscaling/v2 (pkg/apis/autoscaling/validation validation.go) where they apply to a snapshot.
 * @module
 */
import type { V2HorizontalPodAutoscaler } from '@kubernetes/client-node';
import type { Checker, Json } from './checker.js';

const metricTypes = ['Resource', 'ContainerResource', 'Pods', 'Object', 'External'] as const;
type TargetType = 'Utilization' | 'Value' | 'AverageValue';

/** validation.go validateMetricTarget for the target types this source allows. */
function validateTarget(
  c: Checker,
  value: unknown,
  path: string,
  allowed: readonly TargetType[],
): void {
  const target = c.object(value, path);
  if (target === undefined) return;
  const type = c.oneOf(target.type, `${path}.type`, allowed);
  if (type === 'Utilization')
    c.integer(target.averageUtilization, `${path}.averageUtilization`, { required: true, min: 1 });
  if (type === 'AverageValue')
    c.quantity(target.averageValue, `${path}.averageValue`, { required: true, sign: 'positive' });
  if (type === 'Value')
    c.quantity(target.value, `${path}.value`, { required: true, sign: 'positive' });
}

/** MetricIdentifier: a name and an optional label selector. */
function validateIdentifier(c: Checker, value: unknown, path: string): void {
  const metric = c.object(value, path);
  if (metric === undefined) return;
  c.string(metric.name, `${path}.name`, { required: true, nonEmpty: true });
  c.labelSelector(metric.selector, `${path}.selector`);
}

/** validation.go validateMetricSpec: the source object matching `type` must be set and valid. */
function validateMetric(c: Checker, value: unknown, path: string): void {
  const metric = c.object(value, path);
  if (metric === undefined) return;
  const type = c.oneOf(metric.type, `${path}.type`, metricTypes);
  if (type === undefined) return;
  const key = type.charAt(0).toLowerCase() + type.slice(1);
  const source = c.object(metric[key], `${path}.${key}`);
  if (source === undefined) return;
  const at = `${path}.${key}`;
  switch (type) {
    case 'Resource':
    case 'ContainerResource':
      c.string(source.name, `${at}.name`, { required: true, nonEmpty: true });
      if (type === 'ContainerResource')
        c.string(source.container, `${at}.container`, { required: true, nonEmpty: true });
      validateTarget(c, source.target, `${at}.target`, ['Utilization', 'AverageValue']);
      return;
    case 'Pods':
      validateIdentifier(c, source.metric, `${at}.metric`);
      validateTarget(c, source.target, `${at}.target`, ['AverageValue']);
      return;
    case 'Object': {
      const described = c.object(source.describedObject, `${at}.describedObject`);
      if (described !== undefined) {
        c.string(described.kind, `${at}.describedObject.kind`, { required: true, nonEmpty: true });
        c.string(described.name, `${at}.describedObject.name`, { required: true, nonEmpty: true });
      }
      validateIdentifier(c, source.metric, `${at}.metric`);
      validateTarget(c, source.target, `${at}.target`, ['Value', 'AverageValue']);
      return;
    }
    case 'External':
      validateIdentifier(c, source.metric, `${at}.metric`);
      validateTarget(c, source.target, `${at}.target`, ['Value', 'AverageValue']);
  }
}

/** validation.go validateScalingRules. */
function validateRules(c: Checker, value: unknown, path: string): void {
  const rules = c.object(value, path, false);
  if (rules === undefined) return;
  c.integer(rules.stabilizationWindowSeconds, `${path}.stabilizationWindowSeconds`, {
    min: 0,
    max: 3600,
  });
  c.oneOf(rules.selectPolicy, `${path}.selectPolicy`, ['Max', 'Min', 'Disabled'], false);
  c.quantity(rules.tolerance, `${path}.tolerance`, { sign: 'non-negative' });
  const policies = c.array(rules.policies, `${path}.policies`, false);
  if (policies === undefined) return;
  if (policies.length === 0) c.add(`${path}.policies`, 'must specify at least one policy');
  policies.forEach((p, i) => {
    const policy = c.object(p, `${path}.policies[${i}]`);
    if (policy === undefined) return;
    c.oneOf(policy.type, `${path}.policies[${i}].type`, ['Pods', 'Percent']);
    c.integer(policy.value, `${path}.policies[${i}].value`, { required: true, min: 1 });
    c.integer(policy.periodSeconds, `${path}.policies[${i}].periodSeconds`, {
      required: true,
      min: 1,
      max: 1800,
    });
  });
}

function validateSpec(c: Checker, value: unknown): void {
  const spec = c.object(value, 'hpa.spec');
  if (spec === undefined) return;
  const ref = c.object(spec.scaleTargetRef, 'hpa.spec.scaleTargetRef');
  if (ref !== undefined) {
    c.string(ref.kind, 'hpa.spec.scaleTargetRef.kind', { required: true, nonEmpty: true });
    c.string(ref.name, 'hpa.spec.scaleTargetRef.name', { required: true, nonEmpty: true });
  }
  const min = c.integer(spec.minReplicas, 'hpa.spec.minReplicas', { min: 0 });
  const max = c.integer(spec.maxReplicas, 'hpa.spec.maxReplicas', { required: true, min: 1 });
  if (min !== undefined && max !== undefined && max < min)
    c.add('hpa.spec.maxReplicas', 'must be >= minReplicas');
  c.array(spec.metrics, 'hpa.spec.metrics', false)?.forEach((m, i) =>
    validateMetric(c, m, `hpa.spec.metrics[${i}]`),
  );
  const behavior = c.object(spec.behavior, 'hpa.spec.behavior', false);
  if (behavior !== undefined) {
    validateRules(c, behavior.scaleUp, 'hpa.spec.behavior.scaleUp');
    validateRules(c, behavior.scaleDown, 'hpa.spec.behavior.scaleDown');
  }
}

/** The previous status, with its times as Dates; only the conditions' times matter to the engine. */
function convertStatus(c: Checker, value: unknown): Json | undefined {
  const status = c.object(value, 'hpa.status', false);
  if (status === undefined) return undefined;
  const lastScaleTime = c.time(status.lastScaleTime, 'hpa.status.lastScaleTime');
  const conditions = c.array(status.conditions, 'hpa.status.conditions', false)?.map((raw, i) => {
    const path = `hpa.status.conditions[${i}]`;
    const condition = c.object(raw, path);
    if (condition === undefined) return raw;
    c.string(condition.type, `${path}.type`, { required: true });
    c.string(condition.status, `${path}.status`, { required: true });
    const lastTransitionTime = c.time(condition.lastTransitionTime, `${path}.lastTransitionTime`);
    return lastTransitionTime === undefined ? condition : { ...condition, lastTransitionTime };
  });
  return { ...status, ...(lastScaleTime && { lastScaleTime }), ...(conditions && { conditions }) };
}

/** Validates `hpa` and returns it with the status times as Dates (the client-node types). */
export function validateHpa(c: Checker, value: unknown): V2HorizontalPodAutoscaler | undefined {
  const hpa = c.object(value, 'hpa');
  if (hpa === undefined) return undefined;
  const metadata = c.object(hpa.metadata, 'hpa.metadata', false);
  if (metadata !== undefined) {
    c.string(metadata.name, 'hpa.metadata.name');
    c.string(metadata.namespace, 'hpa.metadata.namespace');
  }
  validateSpec(c, hpa.spec);
  const status = convertStatus(c, hpa.status);
  // Validated above field by field; the JSON is now what the client-node type describes.
  const validated: unknown = status === undefined ? hpa : { ...hpa, status };
  return validated as V2HorizontalPodAutoscaler;
}
