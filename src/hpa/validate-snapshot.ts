/**
 * Validation of the snapshot around the HPA: pods, metric values, controller memory and flags.
 * Timestamps the engine reads on pods come back as Dates, as client-node types declare them.
 * @module
 */
import type { V1Pod } from '@kubernetes/client-node';
import { parseDuration } from '../k8s/index.js';
import type { Checker, Json } from './checker.js';
import type {
  EngineOptions,
  ExternalMetricValue,
  HpaHistory,
  MetricValue,
  PodMetrics,
} from './types.js';

function validateContainers(c: Checker, value: unknown, path: string, required: boolean): void {
  c.array(value, path, required)?.forEach((raw, i) => {
    const container = c.object(raw, `${path}[${i}]`);
    if (container === undefined) return;
    c.string(container.name, `${path}[${i}].name`, { required: true });
    c.string(container.restartPolicy, `${path}[${i}].restartPolicy`);
    validateRequests(c, container.resources, `${path}[${i}].resources`);
  });
}

function validateRequests(c: Checker, value: unknown, path: string): void {
  const resources = c.object(value, path, false);
  const requests = c.object(resources?.requests, `${path}.requests`, false);
  for (const [name, q] of Object.entries(requests ?? {}))
    c.quantity(q, `${path}.requests.${name}`, { required: true });
}

/** Pod status: phase, start time and conditions, with the times as Dates. */
function convertPodStatus(c: Checker, value: unknown, path: string): Json | undefined {
  const status = c.object(value, path, false);
  if (status === undefined) return undefined;
  c.string(status.phase, `${path}.phase`);
  const startTime = c.time(status.startTime, `${path}.startTime`);
  const conditions = c.array(status.conditions, `${path}.conditions`, false)?.map((raw, i) => {
    const at = `${path}.conditions[${i}]`;
    const condition = c.object(raw, at);
    if (condition === undefined) return raw;
    c.string(condition.type, `${at}.type`, { required: true });
    c.string(condition.status, `${at}.status`, { required: true });
    const lastTransitionTime = c.time(condition.lastTransitionTime, `${at}.lastTransitionTime`);
    return lastTransitionTime === undefined ? condition : { ...condition, lastTransitionTime };
  });
  return { ...status, ...(startTime && { startTime }), ...(conditions && { conditions }) };
}

/** One pod: the fields groupPods and calculateRequests read, with their times as Dates. */
function convertPod(c: Checker, raw: unknown, path: string): V1Pod | undefined {
  const pod = c.object(raw, path);
  if (pod === undefined) return undefined;
  const metadata = c.object(pod.metadata, `${path}.metadata`);
  const named = metadata !== undefined;
  c.string(metadata?.name, `${path}.metadata.name`, { required: named, nonEmpty: true });
  c.string(metadata?.namespace, `${path}.metadata.namespace`);
  c.stringMap(metadata?.labels, `${path}.metadata.labels`);
  const deletionTimestamp = c.time(
    metadata?.deletionTimestamp,
    `${path}.metadata.deletionTimestamp`,
  );
  const spec = c.object(pod.spec, `${path}.spec`, false);
  validateContainers(c, spec?.containers, `${path}.spec.containers`, false);
  validateContainers(c, spec?.initContainers, `${path}.spec.initContainers`, false);
  validateRequests(c, spec?.resources, `${path}.spec.resources`);
  const status = convertPodStatus(c, pod.status, `${path}.status`);
  const newMetadata =
    deletionTimestamp === undefined ? metadata : { ...metadata, deletionTimestamp };
  return { ...pod, metadata: newMetadata, ...(status && { status }) };
}

/** `pods`: each pod validated, its times converted. */
export function validatePods(c: Checker, value: unknown): V1Pod[] {
  const pods: V1Pod[] = [];
  c.array(value, 'pods', false)?.forEach((raw, i) => {
    const pod = convertPod(c, raw, `pods[${i}]`);
    if (pod !== undefined) pods.push(pod);
  });
  return pods;
}

function validatePodMetric(c: Checker, raw: unknown, path: string): void {
  const m = c.object(raw, path);
  if (m === undefined) return;
  const metadata = c.object(m.metadata, `${path}.metadata`);
  c.string(metadata?.name, `${path}.metadata.name`, {
    required: metadata !== undefined,
    nonEmpty: true,
  });
  c.string(metadata?.namespace, `${path}.metadata.namespace`);
  c.time(m.timestamp, `${path}.timestamp`, true);
  const window = c.string(m.window, `${path}.window`, { required: true });
  if (window !== undefined) {
    try {
      parseDuration(window);
    } catch {
      c.add(`${path}.window`, `must be a duration such as "30s" (got "${window}")`);
    }
  }
  c.array(m.containers, `${path}.containers`)?.forEach((rawContainer, i) => {
    const container = c.object(rawContainer, `${path}.containers[${i}]`);
    if (container === undefined) return;
    c.string(container.name, `${path}.containers[${i}].name`, { required: true });
    const usage = c.object(container.usage, `${path}.containers[${i}].usage`);
    for (const [name, q] of Object.entries(usage ?? {}))
      c.quantity(q, `${path}.containers[${i}].usage.${name}`, { required: true });
  });
}

/** `podMetrics`: metrics.k8s.io PodMetrics. */
export function validatePodMetrics(c: Checker, value: unknown): PodMetrics[] {
  const list = c.array(value, 'podMetrics', false) ?? [];
  list.forEach((m, i) => validatePodMetric(c, m, `podMetrics[${i}]`));
  return list as PodMetrics[];
}

/** `customMetrics`: custom.metrics.k8s.io MetricValues. */
export function validateCustomMetrics(c: Checker, value: unknown): MetricValue[] {
  const list = c.array(value, 'customMetrics', false) ?? [];
  list.forEach((raw, i) => {
    const path = `customMetrics[${i}]`;
    const m = c.object(raw, path);
    if (m === undefined) return;
    const described = c.object(m.describedObject, `${path}.describedObject`);
    c.string(described?.kind, `${path}.describedObject.kind`, {
      required: described !== undefined,
      nonEmpty: true,
    });
    c.string(described?.name, `${path}.describedObject.name`, {
      required: described !== undefined,
      nonEmpty: true,
    });
    c.string(described?.namespace, `${path}.describedObject.namespace`);
    c.string(described?.apiVersion, `${path}.describedObject.apiVersion`);
    const metric = c.object(m.metric, `${path}.metric`);
    c.string(metric?.name, `${path}.metric.name`, {
      required: metric !== undefined,
      nonEmpty: true,
    });
    c.labelSelector(metric?.selector, `${path}.metric.selector`);
    c.time(m.timestamp, `${path}.timestamp`, true);
    c.integer(m.windowSeconds, `${path}.windowSeconds`, { min: 0 });
    c.quantity(m.value, `${path}.value`, { required: true });
  });
  return list as MetricValue[];
}

/** `externalMetrics`: external.metrics.k8s.io ExternalMetricValues. */
export function validateExternalMetrics(c: Checker, value: unknown): ExternalMetricValue[] {
  const list = c.array(value, 'externalMetrics', false) ?? [];
  list.forEach((raw, i) => {
    const path = `externalMetrics[${i}]`;
    const m = c.object(raw, path);
    if (m === undefined) return;
    c.string(m.metricName, `${path}.metricName`, { required: true, nonEmpty: true });
    c.stringMap(m.metricLabels, `${path}.metricLabels`);
    c.time(m.timestamp, `${path}.timestamp`, true);
    c.integer(m.windowSeconds, `${path}.windowSeconds`, { min: 0 });
    c.quantity(m.value, `${path}.value`, { required: true });
  });
  return list as ExternalMetricValue[];
}

function validateEntries(
  c: Checker,
  value: unknown,
  path: string,
  countField: 'replicas' | 'replicaChange',
): void {
  c.array(value, path, false)?.forEach((raw, i) => {
    const entry = c.object(raw, `${path}[${i}]`);
    if (entry === undefined) return;
    c.time(entry.timestamp, `${path}[${i}].timestamp`, true);
    c.integer(entry[countField], `${path}[${i}].${countField}`, { required: true, min: 0 });
  });
}

/** `history`: the controller memory, when present. */
export function validateHistory(c: Checker, value: unknown): Partial<HpaHistory> | undefined {
  const history = c.object(value, 'history', false);
  if (history === undefined) return undefined;
  validateEntries(c, history.recommendations, 'history.recommendations', 'replicas');
  validateEntries(c, history.scaleUpEvents, 'history.scaleUpEvents', 'replicaChange');
  validateEntries(c, history.scaleDownEvents, 'history.scaleDownEvents', 'replicaChange');
  return history;
}

/** `options`: the controller flags, when present. */
export function validateOptions(c: Checker, value: unknown): Partial<EngineOptions> | undefined {
  const options = c.object(value, 'options', false);
  if (options === undefined) return undefined;
  c.number(options.tolerance, 'options.tolerance', 0);
  c.integer(options.cpuInitializationPeriodSeconds, 'options.cpuInitializationPeriodSeconds', {
    min: 0,
  });
  c.integer(options.initialReadinessDelaySeconds, 'options.initialReadinessDelaySeconds', {
    min: 0,
  });
  c.integer(
    options.downscaleStabilizationWindowSeconds,
    'options.downscaleStabilizationWindowSeconds',
    { min: 0 },
  );
  return options;
}
