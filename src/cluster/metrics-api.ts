/**
 * A client for the cluster's own metrics APIs, making the calls the HPA controller's metrics
 * client makes (pkg/controller/podautoscaler/metrics/client.go through k8s.io/metrics'
 * resource, custom_metrics and external_metrics clients): a PodMetrics list by label selector,
 * custom metrics of pods (`pods/*`) or of one described object, and external metrics. Bodies are
 * decoded purely into the metrics API shapes; a 404 is checked against the group's discovery so a
 * missing APIService ({@link MetricsApiError} `not_registered`) is told apart from a missing metric.
 * @module
 */
import { KubeApiError, type KubeApi } from './kube-api.js';

/** The three metrics API groups and the versions the controller reads. */
export const metricsApiVersions = {
  'metrics.k8s.io': 'v1beta1',
  'custom.metrics.k8s.io': 'v1beta2',
  'external.metrics.k8s.io': 'v1beta1',
} as const;

export type MetricsApiGroup = keyof typeof metricsApiVersions;

/** metrics.k8s.io/v1beta1 PodMetrics (k8s.io/metrics pkg/apis/metrics/v1beta1 types.go). */
export interface PodMetricsItem {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  timestamp: string;
  window: string;
  containers: Array<{ name: string; usage: Record<string, string> }>;
}

/** custom.metrics.k8s.io/v1beta2 MetricValue. */
export interface CustomMetricValueItem {
  describedObject: { kind: string; name: string; namespace?: string; apiVersion?: string };
  metric: {
    name: string;
    selector?: {
      matchLabels?: Record<string, string>;
      matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
    };
  };
  timestamp: string;
  windowSeconds?: number;
  value: string;
}

/** external.metrics.k8s.io/v1beta1 ExternalMetricValue. */
export interface ExternalMetricValueItem {
  metricName: string;
  metricLabels: Record<string, string>;
  timestamp: string;
  windowSeconds?: number;
  value: string;
}

/** A metrics API group that has no APIService behind it (its discovery document is 404). */
export class MetricsApiError extends Error {
  readonly code = 'METRICS_API_NOT_REGISTERED';
  constructor(
    readonly group: MetricsApiGroup,
    options?: ErrorOptions,
  ) {
    super(`the ${group} API is not registered`, options);
    this.name = 'MetricsApiError';
  }
}

/** A body that is not the list the API promises. */
export class MetricsDecodeError extends Error {
  readonly code = 'METRICS_BODY_INVALID';
  override readonly name = 'MetricsDecodeError';
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringMap = (v: unknown): v is Record<string, string> =>
  isObject(v) && Object.values(v).every((x) => typeof x === 'string');

function itemsOf(body: unknown, kind: string): unknown[] {
  if (!isObject(body) || !Array.isArray(body.items))
    throw new MetricsDecodeError(`the server did not answer with a ${kind}: no items array`);
  return body.items;
}

function fail(kind: string, index: number, problem: string): never {
  throw new MetricsDecodeError(`${kind} items[${index}]: ${problem}`);
}

/** A PodMetricsList body; every item must carry a name, a timestamp, a window and container usages. */
export function decodePodMetricsList(body: unknown): PodMetricsItem[] {
  return itemsOf(body, 'PodMetricsList').map((raw, i) => {
    const item = isObject(raw) ? raw : fail('PodMetricsList', i, 'not an object');
    const meta = isObject(item.metadata) ? item.metadata : fail('PodMetricsList', i, 'no metadata');
    if (typeof meta.name !== 'string' || meta.name === '')
      fail('PodMetricsList', i, 'no metadata.name');
    if (typeof item.timestamp !== 'string' || typeof item.window !== 'string')
      fail('PodMetricsList', i, 'no timestamp or window');
    if (!Array.isArray(item.containers)) fail('PodMetricsList', i, 'no containers');
    const containers = item.containers.map((c) =>
      isObject(c) && typeof c.name === 'string' && isStringMap(c.usage)
        ? { name: c.name, usage: { ...c.usage } }
        : fail('PodMetricsList', i, 'a container without name or usage'),
    );
    const metadata: PodMetricsItem['metadata'] = { name: meta.name };
    if (typeof meta.namespace === 'string') metadata.namespace = meta.namespace;
    if (isStringMap(meta.labels)) metadata.labels = { ...meta.labels };
    return {
      apiVersion: 'metrics.k8s.io/v1beta1',
      kind: 'PodMetrics',
      metadata,
      timestamp: item.timestamp,
      window: item.window,
      containers,
    };
  });
}

function windowOf(item: Json, kind: string, i: number): number | undefined {
  if (item.windowSeconds === undefined || item.windowSeconds === null) return undefined;
  return typeof item.windowSeconds === 'number' && Number.isFinite(item.windowSeconds)
    ? item.windowSeconds
    : fail(kind, i, 'windowSeconds is not a number');
}

/** A custom.metrics.k8s.io/v1beta2 MetricValueList body. */
export function decodeMetricValueList(body: unknown): CustomMetricValueItem[] {
  const kind = 'MetricValueList';
  return itemsOf(body, kind).map((raw, i) => {
    const item = isObject(raw) ? raw : fail(kind, i, 'not an object');
    const d = isObject(item.describedObject)
      ? item.describedObject
      : fail(kind, i, 'no describedObject');
    if (typeof d.kind !== 'string' || typeof d.name !== 'string')
      fail(kind, i, 'describedObject without kind or name');
    const m = isObject(item.metric) ? item.metric : fail(kind, i, 'no metric');
    if (typeof m.name !== 'string') fail(kind, i, 'no metric.name');
    if (typeof item.timestamp !== 'string' || typeof item.value !== 'string')
      fail(kind, i, 'no timestamp or value');
    const describedObject: CustomMetricValueItem['describedObject'] = {
      kind: d.kind,
      name: d.name,
    };
    if (typeof d.namespace === 'string' && d.namespace !== '')
      describedObject.namespace = d.namespace;
    if (typeof d.apiVersion === 'string' && d.apiVersion !== '')
      describedObject.apiVersion = d.apiVersion;
    const metric: CustomMetricValueItem['metric'] = { name: m.name };
    if (isObject(m.selector)) metric.selector = m.selector;
    const out: CustomMetricValueItem = {
      describedObject,
      metric,
      timestamp: item.timestamp,
      value: item.value,
    };
    const windowSeconds = windowOf(item, kind, i);
    if (windowSeconds !== undefined) out.windowSeconds = windowSeconds;
    return out;
  });
}

/** An external.metrics.k8s.io/v1beta1 ExternalMetricValueList body. */
export function decodeExternalMetricValueList(body: unknown): ExternalMetricValueItem[] {
  const kind = 'ExternalMetricValueList';
  return itemsOf(body, kind).map((raw, i) => {
    const item = isObject(raw) ? raw : fail(kind, i, 'not an object');
    if (typeof item.metricName !== 'string') fail(kind, i, 'no metricName');
    if (typeof item.timestamp !== 'string' || typeof item.value !== 'string')
      fail(kind, i, 'no timestamp or value');
    const labels =
      item.metricLabels === undefined || item.metricLabels === null
        ? {}
        : isStringMap(item.metricLabels)
          ? item.metricLabels
          : fail(kind, i, 'metricLabels is not a string map');
    const out: ExternalMetricValueItem = {
      metricName: item.metricName,
      metricLabels: { ...labels },
      timestamp: item.timestamp,
      value: item.value,
    };
    const windowSeconds = windowOf(item, kind, i);
    if (windowSeconds !== undefined) out.windowSeconds = windowSeconds;
    return out;
  });
}

const seg = encodeURIComponent;

function basePath(group: MetricsApiGroup): string {
  return `/apis/${group}/${metricsApiVersions[group]}`;
}

/** Query parameters as client-go sends them: empty selectors are left out (omitempty). */
function query(params: Record<string, string>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v === '' ? undefined : v]));
}

export interface MetricsApiClientOptions {
  api: KubeApi;
}

/** The controller's three metrics clients over one {@link KubeApi}. */
export class MetricsApiClient {
  constructor(private readonly o: MetricsApiClientOptions) {}

  /** resource metrics client: PodMetricses(ns).List({labelSelector}). */
  async listPodMetrics(namespace: string, labelSelector: string): Promise<PodMetricsItem[]> {
    const path = `${basePath('metrics.k8s.io')}/namespaces/${seg(namespace)}/pods`;
    return decodePodMetricsList(await this.get('metrics.k8s.io', path, query({ labelSelector })));
  }

  /** custom metrics client: NamespacedMetrics(ns).GetForObjects(Pod, selector, metric, metricSelector). */
  async getPodsMetric(
    namespace: string,
    metric: string,
    labelSelector: string,
    metricLabelSelector: string,
  ): Promise<CustomMetricValueItem[]> {
    const path = `${basePath('custom.metrics.k8s.io')}/namespaces/${seg(namespace)}/pods/*/${seg(metric)}`;
    return decodeMetricValueList(
      await this.get('custom.metrics.k8s.io', path, query({ labelSelector, metricLabelSelector })),
    );
  }

  /**
   * custom metrics client GetForObject for a namespaced object; `groupResource` is the qualified
   * resource (`deployments.apps`, `services`), as qualResourceForKind builds it.
   */
  async getObjectMetric(
    namespace: string,
    groupResource: string,
    name: string,
    metric: string,
    metricLabelSelector: string,
  ): Promise<CustomMetricValueItem[]> {
    const path = `${basePath('custom.metrics.k8s.io')}/namespaces/${seg(namespace)}/${seg(groupResource)}/${seg(name)}/${seg(metric)}`;
    return decodeMetricValueList(
      await this.get('custom.metrics.k8s.io', path, query({ metricLabelSelector })),
    );
  }

  /** custom metrics client RootScopedMetrics GetForObject(Namespace): the `namespaces/{ns}/metrics/{metric}` form. */
  async getNamespaceMetric(
    namespace: string,
    metric: string,
    metricLabelSelector: string,
  ): Promise<CustomMetricValueItem[]> {
    const path = `${basePath('custom.metrics.k8s.io')}/namespaces/${seg(namespace)}/metrics/${seg(metric)}`;
    return decodeMetricValueList(
      await this.get('custom.metrics.k8s.io', path, query({ metricLabelSelector })),
    );
  }

  /** external metrics client: NamespacedMetrics(ns).List(metric, selector). */
  async getExternalMetric(
    namespace: string,
    metric: string,
    labelSelector: string,
  ): Promise<ExternalMetricValueItem[]> {
    const path = `${basePath('external.metrics.k8s.io')}/namespaces/${seg(namespace)}/${seg(metric)}`;
    return decodeExternalMetricValueList(
      await this.get('external.metrics.k8s.io', path, query({ labelSelector })),
    );
  }

  /**
   * One GET. A 404 is either a metric the API does not serve or no API at all (the aggregator
   * answers 404 for groups without an APIService); the group's discovery document decides.
   */
  private async get(
    group: MetricsApiGroup,
    path: string,
    q: Record<string, string | undefined>,
  ): Promise<unknown> {
    try {
      return await this.o.api.request({ method: 'GET', path, query: q });
    } catch (err) {
      if (
        err instanceof KubeApiError &&
        err.statusCode === 404 &&
        !(await this.isRegistered(group))
      )
        throw new MetricsApiError(group, { cause: err });
      throw err;
    }
  }

  /** Whether `/apis/{group}/{version}` answers; only a 404 means "not registered". */
  async isRegistered(group: MetricsApiGroup): Promise<boolean> {
    try {
      await this.o.api.request({ method: 'GET', path: basePath(group) });
      return true;
    } catch (err) {
      return !(err instanceof KubeApiError && err.statusCode === 404);
    }
  }
}
