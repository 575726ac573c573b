/**
 * The MetricsClient over scaleplane's own store: the values the metrics APIs would serve, read
 * without a round trip and converted straight to thousandths, as the controller's client would
 * have parsed them (metrics-server serves cpu in nanocores and memory in bytes; custom and
 * external values are prometheus-adapter's milli quantities, truncated toward zero).
 * @module
 */
import {
  externalMetricOf,
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
import type { ClusterView } from '../cluster/index.js';
import type { Selector } from '../k8s/index.js';
import type {
  CustomMetricSample,
  CustomMetricsReader,
  ExternalMetricsReader,
  GroupResource,
  PodMetricsValue,
  ResourceMetricsReader,
} from '../store/index.js';
import { MetricsReadError, type MetricsClient } from './metrics-client.js';
import {
  groupOfApiVersion,
  resolveObjectResource,
  type ObjectResourceResolver,
} from './object-resource.js';

export interface StoreMetricsClientOptions {
  cluster: ClusterView;
  resourceMetrics: ResourceMetricsReader;
  customMetrics: CustomMetricsReader;
  externalMetrics: ExternalMetricsReader;
  /** Group resource of Object metrics' described objects (discovery in serve). */
  objectResources?: ObjectResourceResolver;
}

const PODS: GroupResource = { group: '', resource: 'pods' };
const NAMESPACES: GroupResource = { group: '', resource: 'namespaces' };

/** Nanocores as MilliValue() reads the `n` quantity metrics-server writes: rounded up. */
export function milliCpu(nanoCores: number): number {
  const n = Math.round(nanoCores);
  const rest = n % 1e6;
  // Exact integer steps: the quotient of the multiple, then one more away from zero for a rest.
  return (n - rest) / 1e6 + (rest === 0 ? 0 : Math.sign(n));
}

/** Bytes in thousandths (metrics-server writes whole bytes). */
export function milliBytes(bytes: number): number {
  return Math.round(bytes) * 1000;
}

/**
 * A float sample in thousandths, truncated toward zero, as prometheus-adapter converts it
 * (NewMilliQuantity(int64(v*1000))); undefined for NaN and infinities, which no API serves.
 */
export function milliSample(value: number): number | undefined {
  return Number.isFinite(value) ? Math.trunc(value * 1000) + 0 : undefined;
}

function podUsage(v: PodMetricsValue): PodUsageItem {
  return {
    name: v.name,
    namespace: v.namespace,
    timestampMs: v.timestampMs,
    windowMs: v.windowMs,
    containers: v.containers.map((c) => ({
      name: c.name,
      usage: { cpu: milliCpu(c.usage.cpuNanoCores), memory: milliBytes(c.usage.memoryBytes) },
    })),
  };
}

function timed(s: { value: number; timestampMs: number }): TimedValue | undefined {
  const value = milliSample(s.value);
  return value === undefined ? undefined : { value, timestampMs: s.timestampMs };
}

const defined = <T>(x: T | undefined): x is T => x !== undefined;

/** The store as the controller's metrics client. */
export class StoreMetricsClient implements MetricsClient {
  constructor(private readonly o: StoreMetricsClientOptions) {}

  private podNames(namespace: string, selector: Selector): string[] {
    return this.o.cluster
      .listPods(namespace, selector)
      .map((p) => p.metadata?.name ?? '')
      .filter((n) => n !== '');
  }

  /** A store failure fails the metric, with the store's reason. */
  private async read<T>(read: () => Promise<T> | T): Promise<T> {
    try {
      return await read();
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new MetricsReadError(`the store could not be read: ${reason}`, { cause: err });
    }
  }

  async getResourceMetric(
    resource: string,
    namespace: string,
    selector: Selector,
    container: string,
  ): Promise<PodMetricsResult> {
    const names = this.podNames(namespace, selector);
    const values =
      names.length === 0
        ? []
        : await this.read(() => this.o.resourceMetrics.getPodMetrics(namespace, names));
    return resourceMetricsOf(values.map(podUsage), resource, container, namespace);
  }

  async getRawMetric(
    metricName: string,
    namespace: string,
    selector: Selector,
    metricSelector: Selector,
  ): Promise<PodMetricsResult> {
    const names = this.podNames(namespace, selector);
    const info = { groupResource: PODS, namespaced: true, metric: metricName };
    const samples =
      names.length === 0
        ? []
        : await this.read(() =>
            this.o.customMetrics.getCustomMetrics(info, namespace, names, metricSelector),
          );
    const items = samples.flatMap((s) => {
      const value = milliSample(s.value);
      if (value === undefined) return [];
      const windowMs = s.windowSeconds === undefined ? {} : { windowMs: s.windowSeconds * 1000 };
      return [{ pod: s.name, value, timestampMs: s.timestampMs, ...windowMs }];
    });
    return rawMetricsOf(items);
  }

  async getObjectMetric(
    metricName: string,
    namespace: string,
    objectRef: ObjectReference,
    metricSelector: Selector,
  ): Promise<ObjectMetricResult> {
    let samples: CustomMetricSample[];
    // client.go GetObjectMetric: a core Namespace is the HPA's own namespace, a root-scoped object.
    if (objectRef.kind === 'Namespace' && (groupOfApiVersion(objectRef.apiVersion) ?? '') === '') {
      const info = { groupResource: NAMESPACES, namespaced: false, metric: metricName };
      samples = await this.read(() =>
        this.o.customMetrics.getCustomMetrics(info, undefined, [namespace], metricSelector),
      );
    } else {
      const groupResource = await resolveObjectResource(
        objectRef.apiVersion,
        objectRef.kind,
        this.o.objectResources,
      );
      const info = { groupResource, namespaced: true, metric: metricName };
      samples = (
        await this.read(() =>
          this.o.customMetrics.getCustomMetrics(info, namespace, [objectRef.name], metricSelector),
        )
      ).filter((s) => s.name === objectRef.name);
    }
    // The API serves one value per object: the store's latest series for it.
    const values = samples.map(timed).filter(defined).slice(-1);
    return objectMetricOf(values, metricName, objectRef);
  }

  async getExternalMetric(
    metricName: string,
    namespace: string,
    selector: Selector,
  ): Promise<ExternalMetricResult> {
    const samples = await this.read(() =>
      this.o.externalMetrics.getExternalMetric(namespace, metricName, selector),
    );
    // One value per series, as the API lists them.
    const bySeries = new Map<string, TimedValue>();
    for (const s of samples) {
      const value = timed(s);
      if (value !== undefined) bySeries.set(JSON.stringify(Object.entries(s.labels).sort()), value);
    }
    return externalMetricOf([...bySeries.values()]);
  }
}
