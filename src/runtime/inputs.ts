/**
 * Reads what the HPA controller would read for one HPA at one sync, from the cluster view and the
 * store instead of the metrics APIs (podautoscaler/metrics/client.go): the pods the target's scale
 * selector picks in the HPA's namespace, their metrics.k8s.io values, the custom metric values of
 * those pods and of each Object metric's described object, and each External metric's series.
 * A metric the store cannot answer is recorded with its error and left out; the engine then
 * reports that metric as missing, and the runtime adds the store's reason to the explanation.
 * @module
 */
import type {
  V1LabelSelector,
  V1Pod,
  V2HorizontalPodAutoscaler,
  V2MetricSpec,
} from '@kubernetes/client-node';
import type { ClusterView, TargetScale } from '../cluster/index.js';
import {
  defaultMetricSpec,
  type DescribedObject,
  type ExternalMetricValue,
  type MetricValue,
  type PodMetrics,
} from '../hpa/index.js';
import {
  everything,
  parseSelector,
  selectorFromLabelSelector,
  type Selector,
} from '../k8s/index.js';
import type {
  CustomMetricsReader,
  ExternalMetricsReader,
  GroupResource,
  ResourceMetricsReader,
} from '../store/index.js';
import { toExternalMetricValue, toMetricValue, toPodMetrics } from './metric-values.js';
import {
  groupOfApiVersion,
  resolveObjectResource,
  type ObjectResourceResolver,
} from './object-resource.js';

export interface InputSources {
  cluster: ClusterView;
  resourceMetrics: ResourceMetricsReader;
  customMetrics: CustomMetricsReader;
  externalMetrics: ExternalMetricsReader;
  objectResources?: ObjectResourceResolver;
}

/** A metric the store could not read, by its index in spec.metrics. */
export interface FetchError {
  index: number;
  metric: string;
  error: string;
}

export interface ScenarioInputs {
  pods: V1Pod[];
  podMetrics: PodMetrics[];
  customMetrics: MetricValue[];
  externalMetrics: ExternalMetricValue[];
  fetchErrors: FetchError[];
}

const PODS: GroupResource = { group: '', resource: 'pods' };
const NAMESPACES: GroupResource = { group: '', resource: 'namespaces' };

/**
 * A metric's selector as the metrics clients send it: an absent selector becomes an empty
 * labelSelector parameter, which selects everything (LabelSelectorAsSelector(nil).String() is "").
 */
function metricSelector(ls: V1LabelSelector | undefined): Selector {
  return ls === undefined || ls === null ? everything : selectorFromLabelSelector(ls);
}

/** The pods the scale selector picks; none for an empty or invalid selector (the engine reports those). */
function selectedPods(cluster: ClusterView, namespace: string, scale: TargetScale): V1Pod[] {
  if (scale.selector.trim() === '') return [];
  let selector: Selector;
  try {
    selector = parseSelector(scale.selector);
  } catch {
    return [];
  }
  return cluster.listPods(namespace, selector);
}

/** One HPA's reads, collected in parallel. */
class Collector {
  readonly customMetrics = new Map<string, MetricValue>();
  readonly externalMetrics = new Map<string, ExternalMetricValue>();
  readonly fetchErrors: FetchError[] = [];

  constructor(
    private readonly src: InputSources,
    private readonly namespace: string,
    private readonly podNames: string[],
  ) {}

  async read(spec: V2MetricSpec, index: number): Promise<void> {
    const name =
      spec.pods?.metric.name ?? spec.object?.metric.name ?? spec.external?.metric.name ?? '';
    try {
      if (spec.type === 'Pods' && spec.pods) await this.pods(spec.pods.metric);
      if (spec.type === 'Object' && spec.object)
        await this.object(spec.object.describedObject, spec.object.metric);
      if (spec.type === 'External' && spec.external) await this.external(spec.external.metric);
    } catch (err) {
      this.fetchErrors.push({
        index,
        metric: name,
        error: err instanceof Error ? err.message : String(err),
      });
    }
  }

  private add(value: MetricValue | undefined): void {
    if (value === undefined) return;
    const o = value.describedObject;
    const selector = metricSelector(value.metric.selector).toString();
    this.customMetrics.set(
      [o.kind, o.namespace ?? '', o.name, value.metric.name, selector].join('\u0000'),
      value,
    );
  }

  private async pods(metric: { name: string; selector?: V1LabelSelector }): Promise<void> {
    if (this.podNames.length === 0) return;
    const info = { groupResource: PODS, namespaced: true, metric: metric.name };
    const samples = await this.src.customMetrics.getCustomMetrics(
      info,
      this.namespace,
      this.podNames,
      metricSelector(metric.selector),
    );
    for (const s of samples) {
      this.add(
        toMetricValue(
          s,
          { kind: 'Pod', apiVersion: 'v1', namespace: this.namespace, name: s.name },
          metric,
        ),
      );
    }
  }

  private async object(
    ref: { apiVersion?: string; kind: string; name: string },
    metric: { name: string; selector?: V1LabelSelector },
  ): Promise<void> {
    const selector = metricSelector(metric.selector);
    // client.go GetObjectMetric: a Namespace reference is the HPA's own namespace, a root-scoped object.
    if (ref.kind === 'Namespace' && (groupOfApiVersion(ref.apiVersion) ?? '') === '') {
      const info = { groupResource: NAMESPACES, namespaced: false, metric: metric.name };
      const described: DescribedObject = {
        kind: 'Namespace',
        apiVersion: 'v1',
        name: this.namespace,
      };
      for (const s of await this.src.customMetrics.getCustomMetrics(
        info,
        undefined,
        [this.namespace],
        selector,
      ))
        this.add(toMetricValue(s, described, metric));
      return;
    }
    const groupResource = await resolveObjectResource(
      ref.apiVersion,
      ref.kind,
      this.src.objectResources,
    );
    const info = { groupResource, namespaced: true, metric: metric.name };
    const described: DescribedObject = {
      kind: ref.kind,
      name: ref.name,
      namespace: this.namespace,
      ...(ref.apiVersion ? { apiVersion: ref.apiVersion } : {}),
    };
    for (const s of await this.src.customMetrics.getCustomMetrics(
      info,
      this.namespace,
      [ref.name],
      selector,
    )) {
      if (s.name === ref.name) this.add(toMetricValue(s, described, metric));
    }
  }

  private async external(metric: { name: string; selector?: V1LabelSelector }): Promise<void> {
    const selector = metricSelector(metric.selector);
    for (const s of await this.src.externalMetrics.getExternalMetric(
      this.namespace,
      metric.name,
      selector,
    )) {
      const value = toExternalMetricValue(s);
      if (value !== undefined)
        this.externalMetrics.set(
          [s.metric, JSON.stringify(Object.entries(s.labels).sort())].join('\u0000'),
          value,
        );
    }
  }
}

/** Everything the engine needs besides the HPA, the scale, the history and the clock. */
export async function collectInputs(
  src: InputSources,
  hpa: V2HorizontalPodAutoscaler,
  scale: TargetScale,
): Promise<ScenarioInputs> {
  const namespace = hpa.metadata?.namespace ?? 'default';
  const pods = selectedPods(src.cluster, namespace, scale);
  const podNames = pods.map((p) => p.metadata?.name ?? '').filter((n) => n !== '');
  const specs = hpa.spec?.metrics?.length ? hpa.spec.metrics : [defaultMetricSpec];
  const needsResource = specs.some((s) => s.type === 'Resource' || s.type === 'ContainerResource');
  const podMetrics =
    needsResource && podNames.length > 0
      ? src.resourceMetrics.getPodMetrics(namespace, podNames).map(toPodMetrics)
      : [];
  const collector = new Collector(src, namespace, podNames);
  await Promise.all(specs.map((spec, index) => collector.read(spec, index)));
  return {
    pods,
    podMetrics,
    customMetrics: [...collector.customMetrics.values()],
    externalMetrics: [...collector.externalMetrics.values()],
    fetchErrors: collector.fetchErrors.sort((a, b) => a.index - b.index),
  };
}
