/**
 * The MetricsClient over the cluster's own metrics APIs, for `hpa explain`: the calls the
 * controller's client makes (metrics/client.go), each failure wrapped as it wraps them ("unable
 * to fetch metrics from <api>: ..."), quantities parsed to thousandths and times to ms. The items
 * are kept as served, so the explanation can be saved as a scenario that reproduces it.
 * @module
 */
import type {
  ApiDiscovery,
  CustomMetricValueItem,
  ExternalMetricValueItem,
  MetricsApiClient,
  PodMetricsItem,
} from '../cluster/index.js';
import {
  externalMetricOf,
  MetricError,
  objectMetricOf,
  rawMetricsOf,
  resourceMetricsOf,
  type ExternalMetricResult,
  type ObjectMetricResult,
  type ObjectReference,
  type PodMetricsResult,
  type PodUsageItem,
  type TimedValue,
} from '../hpa/index.js';
import { parseDuration, Quantity, type Selector } from '../k8s/index.js';
import { commandError, type CallContext } from './explain-errors.js';
import { MetricsReadError, type MetricsClient } from './metrics-client.js';
import { groupOfApiVersion, resolveObjectResource } from './object-resource.js';

export interface ApiMetricsClientOptions {
  metrics: MetricsApiClient;
  discovery: Pick<ApiDiscovery, 'resourceForKind'>;
  /** The API server URL, named in error lines. */
  server: string;
}

/** The metrics API items as served, in the scenario's shapes. */
export interface ServedItems {
  podMetrics: PodMetricsItem[];
  customMetrics: CustomMetricValueItem[];
  externalMetrics: ExternalMetricValueItem[];
}

/** A served quantity in thousandths (MilliValue); a malformed one fails the metric. */
function milli(text: string): number {
  try {
    return Quantity.parse(text).milliValue();
  } catch (err) {
    throw new MetricError(`invalid quantity "${text}": ${(err as Error).message}`);
  }
}

function ms(text: string): number {
  const t = Date.parse(text);
  return Number.isNaN(t) ? 0 : t;
}

function podUsage(item: PodMetricsItem): PodUsageItem {
  let windowMs: number;
  try {
    windowMs = parseDuration(item.window);
  } catch (err) {
    throw new MetricError(`invalid window "${item.window}": ${(err as Error).message}`);
  }
  return {
    name: item.metadata.name,
    namespace: item.metadata.namespace,
    timestampMs: ms(item.timestamp),
    windowMs,
    containers: item.containers.map((c) => ({
      name: c.name,
      usage: Object.fromEntries(Object.entries(c.usage).map(([k, q]) => [k, milli(q)])),
    })),
  };
}

const timed = (m: { value: string; timestamp: string }): TimedValue => ({
  value: milli(m.value),
  timestampMs: ms(m.timestamp),
});

/** The cluster's metrics APIs as the controller's metrics client. */
export class ApiMetricsClient implements MetricsClient {
  readonly served: ServedItems = { podMetrics: [], customMetrics: [], externalMetrics: [] };
  // One list serves every resource metric: the controller's calls would return the same items.
  private readonly podMetricLists = new Map<string, Promise<PodMetricsItem[]>>();

  constructor(private readonly o: ApiMetricsClientOptions) {}

  /** One call; a 403 or a missing API ends the command, other failures are this metric's. */
  private async call<T>(
    api: string,
    ctx: Pick<CallContext, 'verb' | 'resource' | 'namespace'>,
    fetch: () => Promise<T>,
  ): Promise<T> {
    try {
      return await fetch();
    } catch (err) {
      const fatal = commandError(err, { ...ctx, server: this.o.server }, false);
      if (fatal !== undefined) throw fatal;
      const reason = err instanceof Error ? err.message : String(err);
      throw new MetricsReadError(`unable to fetch metrics from ${api}: ${reason}`, { cause: err });
    }
  }

  async getResourceMetric(
    resource: string,
    namespace: string,
    selector: Selector,
    container: string,
  ): Promise<PodMetricsResult> {
    const key = `${namespace}\u0000${selector.toString()}`;
    let list = this.podMetricLists.get(key);
    if (list === undefined) {
      list = this.call(
        'resource metrics API',
        { verb: 'list', resource: 'pods.metrics.k8s.io', namespace },
        () => this.o.metrics.listPodMetrics(namespace, selector.toString()),
      );
      this.podMetricLists.set(key, list);
      this.served.podMetrics.push(...(await list));
    }
    return resourceMetricsOf((await list).map(podUsage), resource, container, namespace);
  }

  async getRawMetric(
    metricName: string,
    namespace: string,
    selector: Selector,
    metricSelector: Selector,
  ): Promise<PodMetricsResult> {
    const items = await this.call(
      'custom metrics API',
      { verb: 'get', resource: 'pods.custom.metrics.k8s.io', namespace },
      () =>
        this.o.metrics.getPodsMetric(
          namespace,
          metricName,
          selector.toString(),
          metricSelector.toString(),
        ),
    );
    this.served.customMetrics.push(...items);
    return rawMetricsOf(
      items.map((m) => ({
        pod: m.describedObject.name,
        ...timed(m),
        ...(m.windowSeconds === undefined ? {} : { windowMs: m.windowSeconds * 1000 }),
      })),
    );
  }

  async getObjectMetric(
    metricName: string,
    namespace: string,
    objectRef: ObjectReference,
    metricSelector: Selector,
  ): Promise<ObjectMetricResult> {
    const selector = metricSelector.toString();
    let items: CustomMetricValueItem[];
    // metrics/client.go GetObjectMetric: a core Namespace is the root-scoped form for the HPA's namespace.
    if (objectRef.kind === 'Namespace' && (groupOfApiVersion(objectRef.apiVersion) ?? '') === '') {
      items = await this.call(
        'custom metrics API',
        { verb: 'get', resource: 'namespaces.custom.metrics.k8s.io', namespace },
        () => this.o.metrics.getNamespaceMetric(namespace, metricName, selector),
      );
    } else {
      const gr = await resolveObjectResource(
        objectRef.apiVersion,
        objectRef.kind,
        async (apiVersion, kind) =>
          this.o.discovery.resourceForKind(groupOfApiVersion(apiVersion) ?? '', kind),
      );
      const qualified = gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
      items = await this.call(
        'custom metrics API',
        { verb: 'get', resource: `${gr.resource}.custom.metrics.k8s.io`, namespace },
        () =>
          this.o.metrics.getObjectMetric(
            namespace,
            qualified,
            objectRef.name,
            metricName,
            selector,
          ),
      );
    }
    this.served.customMetrics.push(...items);
    return objectMetricOf(items.map(timed), metricName, objectRef);
  }

  async getExternalMetric(
    metricName: string,
    namespace: string,
    selector: Selector,
  ): Promise<ExternalMetricResult> {
    const items = await this.call(
      'external metrics API',
      { verb: 'get', resource: `${metricName}.external.metrics.k8s.io`, namespace },
      () => this.o.metrics.getExternalMetric(namespace, metricName, selector.toString()),
    );
    this.served.externalMetrics.push(...items);
    return externalMetricOf(items.map(timed));
  }
}
