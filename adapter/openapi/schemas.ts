/**
 * OpenAPI schemas of the types we serve, under the definition names Kubernetes uses
 * (`io.k8s.metrics.pkg.apis.metrics.v1beta1.NodeMetrics`, ...), so the kube-aggregator merges
 * them beside the cluster's own. Shapes follow k8s.io/metrics; the meta/v1 blocks live in
 * meta-schemas.ts.
 * @module
 */

import {
  gvk,
  int64,
  list,
  META,
  metaSchemas,
  object,
  OBJECT_REFERENCE,
  QUANTITY,
  str,
  stringMap,
  typeMeta,
  type Ref,
  type Schema,
} from './meta-schemas.js';

export { reachable, type Ref, type Schema } from './meta-schemas.js';

export const METRICS = 'io.k8s.metrics.pkg.apis.metrics.v1beta1.';
export const CUSTOM_V1BETA1 = 'io.k8s.metrics.pkg.apis.custom_metrics.v1beta1.';
export const CUSTOM_V1BETA2 = 'io.k8s.metrics.pkg.apis.custom_metrics.v1beta2.';
export const EXTERNAL = 'io.k8s.metrics.pkg.apis.external_metrics.v1beta1.';

function resourceMetricsSchemas(ref: Ref): Record<string, Schema> {
  const usage = {
    type: 'object',
    additionalProperties: ref(QUANTITY),
    description: 'The memory usage is the memory working set.',
  };
  const window = { type: 'string', description: 'A Go duration, such as 30s.' };
  const timed = { timestamp: ref(`${META}Time`), window };
  return {
    [`${METRICS}ContainerMetrics`]: object(
      'Resource usage of a container.',
      { name: str(), usage },
      ['name', 'usage'],
    ),
    [`${METRICS}NodeMetrics`]: {
      ...object(
        'Resource usage of a node.',
        { ...typeMeta, metadata: ref(`${META}ObjectMeta`), ...timed, usage },
        ['timestamp', 'window', 'usage'],
      ),
      ...gvk('metrics.k8s.io', 'v1beta1', 'NodeMetrics'),
    },
    [`${METRICS}PodMetrics`]: {
      ...object(
        'Resource usage of a pod.',
        {
          ...typeMeta,
          metadata: ref(`${META}ObjectMeta`),
          ...timed,
          containers: { type: 'array', items: ref(`${METRICS}ContainerMetrics`) },
        },
        ['timestamp', 'window', 'containers'],
      ),
      ...gvk('metrics.k8s.io', 'v1beta1', 'PodMetrics'),
    },
    [`${METRICS}NodeMetricsList`]: list(
      ref,
      'A list of NodeMetrics.',
      `${METRICS}NodeMetrics`,
      'metrics.k8s.io',
      'v1beta1',
      'NodeMetricsList',
    ),
    [`${METRICS}PodMetricsList`]: list(
      ref,
      'A list of PodMetrics.',
      `${METRICS}PodMetrics`,
      'metrics.k8s.io',
      'v1beta1',
      'PodMetricsList',
    ),
  };
}

function customMetricsSchemas(ref: Ref): Record<string, Schema> {
  const common = {
    describedObject: ref(OBJECT_REFERENCE),
    timestamp: ref(`${META}Time`),
    value: ref(QUANTITY),
  };
  const group = 'custom.metrics.k8s.io';
  return {
    [`${CUSTOM_V1BETA1}MetricValue`]: object(
      'A metric value for some object.',
      {
        ...typeMeta,
        ...common,
        metricName: str(),
        window: int64,
        selector: ref(`${META}LabelSelector`),
      },
      ['describedObject', 'metricName', 'timestamp', 'value'],
    ),
    [`${CUSTOM_V1BETA1}MetricValueList`]: list(
      ref,
      'Values of a metric for some objects.',
      `${CUSTOM_V1BETA1}MetricValue`,
      group,
      'v1beta1',
      'MetricValueList',
    ),
    [`${CUSTOM_V1BETA2}MetricIdentifier`]: object(
      'A metric name and optional selector.',
      { name: str(), selector: ref(`${META}LabelSelector`) },
      ['name'],
    ),
    [`${CUSTOM_V1BETA2}MetricValue`]: object(
      'A metric value for some object.',
      {
        ...typeMeta,
        ...common,
        metric: ref(`${CUSTOM_V1BETA2}MetricIdentifier`),
        windowSeconds: int64,
      },
      ['describedObject', 'metric', 'timestamp', 'value'],
    ),
    [`${CUSTOM_V1BETA2}MetricValueList`]: list(
      ref,
      'Values of a metric for some objects.',
      `${CUSTOM_V1BETA2}MetricValue`,
      group,
      'v1beta2',
      'MetricValueList',
    ),
  };
}

function externalMetricsSchemas(ref: Ref): Record<string, Schema> {
  return {
    [`${EXTERNAL}ExternalMetricValue`]: object(
      'One series of an external metric.',
      {
        ...typeMeta,
        metricName: str(),
        metricLabels: stringMap,
        timestamp: ref(`${META}Time`),
        window: int64,
        value: ref(QUANTITY),
      },
      ['metricName', 'metricLabels', 'timestamp', 'value'],
    ),
    [`${EXTERNAL}ExternalMetricValueList`]: list(
      ref,
      'Series of an external metric.',
      `${EXTERNAL}ExternalMetricValue`,
      'external.metrics.k8s.io',
      'v1beta1',
      'ExternalMetricValueList',
    ),
  };
}

/** Every schema, references built with `ref`. */
export function allSchemas(ref: Ref): Record<string, Schema> {
  return {
    ...metaSchemas(ref),
    ...resourceMetricsSchemas(ref),
    ...customMetricsSchemas(ref),
    ...externalMetricsSchemas(ref),
  };
}
