/**
 * The operations each served group version offers, described once and rendered into OpenAPI v2
 * and v3 by documents.ts. Paths, parameters and operation ids follow what the apiserver's
 * installer generates for metrics-server and custom-metrics-apiserver (cmhandlers.go,
 * emhandlers.go): GET only, list and read actions, `x-kubernetes-*` extensions.
 * @module
 */
import { META } from './meta-schemas.js';
import { CUSTOM_V1BETA1, CUSTOM_V1BETA2, EXTERNAL, METRICS } from './schemas.js';

export interface Parameter {
  name: string;
  in: 'path' | 'query';
  description: string;
  type: 'string' | 'boolean' | 'integer';
}

export interface Operation {
  path: string;
  operationId: string;
  description: string;
  action: 'list' | 'get';
  tag: string;
  /** Definition name of the 200 response. */
  response: string;
  gvk?: { group: string; version: string; kind: string };
  parameters: Parameter[];
}

export interface GroupVersionOps {
  group: string;
  version: string;
  operations: Operation[];
}

const pathParam = (name: string, description: string): Parameter => ({
  name,
  in: 'path',
  description,
  type: 'string',
});
const queryParam = (
  name: string,
  description: string,
  type: Parameter['type'] = 'string',
): Parameter => ({ name, in: 'query', description, type });

const PRETTY = queryParam('pretty', "If 'true', then the output is pretty printed.");
const LABEL_SELECTOR = queryParam(
  'labelSelector',
  'A selector to restrict the list of returned objects by their labels. Defaults to everything.',
);
const FIELD_SELECTOR = queryParam(
  'fieldSelector',
  'A selector to restrict the list of returned objects by their fields (metadata.name, metadata.namespace).',
);
const METRIC_LABEL_SELECTOR = queryParam(
  'metricLabelSelector',
  'A selector to restrict the list of returned metrics by their labels.',
);
const NAMESPACE = pathParam(
  'namespace',
  'object name and auth scope, such as for teams and projects',
);
const NAME = (what: string): Parameter => pathParam('name', `name of the ${what}`);

function capital(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** `metrics.k8s.io` + `v1beta1` → `MetricsV1beta1`, the operation id infix the installer derives. */
function infix(group: string, version: string): string {
  const words = group.replace(/\.k8s\.io$/, '').split('.');
  return words.map(capital).join('') + capital(version);
}

function discoveryOp(group: string, version: string, tag: string): Operation {
  return {
    path: `/apis/${group}/${version}/`,
    operationId: `get${infix(group, version)}APIResources`,
    description: 'get available resources',
    action: 'get',
    tag,
    response: `${META}APIResourceList`,
    parameters: [],
  };
}

function resourceMetricsOps(): Operation[] {
  const base = '/apis/metrics.k8s.io/v1beta1';
  const tag = 'metrics_v1beta1';
  const id = infix('metrics.k8s.io', 'v1beta1');
  const node = { group: 'metrics.k8s.io', version: 'v1beta1', kind: 'NodeMetrics' };
  const pod = { ...node, kind: 'PodMetrics' };
  const listParams = [
    LABEL_SELECTOR,
    FIELD_SELECTOR,
    PRETTY,
    queryParam('limit', 'Accepted and ignored: lists are not paginated.', 'integer'),
  ];
  return [
    discoveryOp('metrics.k8s.io', 'v1beta1', tag),
    {
      path: `${base}/nodes`,
      operationId: `list${id}NodeMetrics`,
      description: 'list objects of kind NodeMetrics',
      action: 'list',
      tag,
      response: `${METRICS}NodeMetricsList`,
      gvk: node,
      parameters: listParams,
    },
    {
      path: `${base}/nodes/{name}`,
      operationId: `read${id}NodeMetrics`,
      description: 'read the specified NodeMetrics',
      action: 'get',
      tag,
      response: `${METRICS}NodeMetrics`,
      gvk: node,
      parameters: [NAME('NodeMetrics'), PRETTY],
    },
    {
      path: `${base}/pods`,
      operationId: `list${id}PodMetricsForAllNamespaces`,
      description: 'list objects of kind PodMetrics',
      action: 'list',
      tag,
      response: `${METRICS}PodMetricsList`,
      gvk: pod,
      parameters: listParams,
    },
    {
      path: `${base}/namespaces/{namespace}/pods`,
      operationId: `list${id}NamespacedPodMetrics`,
      description: 'list objects of kind PodMetrics',
      action: 'list',
      tag,
      response: `${METRICS}PodMetricsList`,
      gvk: pod,
      parameters: [NAMESPACE, ...listParams],
    },
    {
      path: `${base}/namespaces/{namespace}/pods/{name}`,
      operationId: `read${id}NamespacedPodMetrics`,
      description: 'read the specified PodMetrics',
      action: 'get',
      tag,
      response: `${METRICS}PodMetrics`,
      gvk: pod,
      parameters: [NAMESPACE, NAME('PodMetrics'), PRETTY],
    },
  ];
}

function customMetricsOps(version: 'v1beta1' | 'v1beta2'): Operation[] {
  const group = 'custom.metrics.k8s.io';
  const base = `/apis/${group}/${version}`;
  const tag = `customMetrics_${version}`;
  const id = infix(group, version);
  const response = `${version === 'v1beta1' ? CUSTOM_V1BETA1 : CUSTOM_V1BETA2}MetricValueList`;
  const gvk = { group, version, kind: 'MetricValueList' };
  const doc = 'list custom metrics describing an object or objects';
  const resource = pathParam('resource', 'the name of the resource');
  const described = pathParam(
    'name',
    "name of the described resource, or '*' for every object the labelSelector picks",
  );
  const metric = pathParam('subresource', 'the name of the metric');
  const query = [LABEL_SELECTOR, METRIC_LABEL_SELECTOR, FIELD_SELECTOR, PRETTY];
  return [
    discoveryOp(group, version, tag),
    {
      path: `${base}/{resource}/{name}/{subresource}`,
      operationId: `list${id}MetricValue`,
      description: doc,
      action: 'list',
      tag,
      response,
      gvk,
      parameters: [resource, described, metric, ...query],
    },
    {
      path: `${base}/namespaces/{namespace}/{resource}/{name}/{subresource}`,
      operationId: `list${id}NamespacedMetricValue`,
      description: doc,
      action: 'list',
      tag,
      response,
      gvk,
      parameters: [NAMESPACE, resource, described, metric, ...query],
    },
    {
      path: `${base}/namespaces/{namespace}/metrics/{name}`,
      operationId: `read${id}MetricValueForNamespace`,
      description: doc,
      action: 'list',
      tag,
      response,
      gvk,
      parameters: [
        NAMESPACE,
        pathParam('name', 'the name of the metric'),
        METRIC_LABEL_SELECTOR,
        PRETTY,
      ],
    },
  ];
}

function externalMetricsOps(): Operation[] {
  const group = 'external.metrics.k8s.io';
  const tag = 'externalMetrics_v1beta1';
  const id = infix(group, 'v1beta1');
  return [
    discoveryOp(group, 'v1beta1', tag),
    {
      path: `/apis/${group}/v1beta1/namespaces/{namespace}/{resource}`,
      operationId: `list${id}NamespacedExternalMetricValue`,
      description: 'list external metric values',
      action: 'list',
      tag,
      response: `${EXTERNAL}ExternalMetricValueList`,
      gvk: { group, version: 'v1beta1', kind: 'ExternalMetricValueList' },
      parameters: [
        NAMESPACE,
        pathParam('resource', 'the name of the metric'),
        queryParam('labelSelector', 'A selector on the metric labels.'),
        PRETTY,
      ],
    },
  ];
}

/** Every served group version and its operations. */
export const GROUP_VERSION_OPS: readonly GroupVersionOps[] = [
  { group: 'metrics.k8s.io', version: 'v1beta1', operations: resourceMetricsOps() },
  { group: 'custom.metrics.k8s.io', version: 'v1beta1', operations: customMetricsOps('v1beta1') },
  { group: 'custom.metrics.k8s.io', version: 'v1beta2', operations: customMetricsOps('v1beta2') },
  { group: 'external.metrics.k8s.io', version: 'v1beta1', operations: externalMetricsOps() },
];
