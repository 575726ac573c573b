/**
 * Map-backed fakes of the store's reader seams (src/store/readers.ts), built from plain arrays,
 * and a loader that turns the shared NodeMetricsList/PodMetricsList fixtures into reader data.
 * Each fake can be told to fail or to hang, for the adapter's 500 and 504 paths.
 */
import { parseDuration, Quantity } from '../../src/k8s/index.js';
import type { Selector } from '../../src/k8s/index.js';
import type {
  CustomMetricInfo,
  CustomMetricSample,
  CustomMetricsReader,
  ExternalMetricInfo,
  ExternalMetricSample,
  ExternalMetricsReader,
  GroupResource,
  NodeMetricsValue,
  PodMetricsValue,
  ResourceMetricsReader,
} from '../../src/store/index.js';
import { node, pod } from './fake-cluster.js';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { readFixture } from './fixtures.js';

/** How an async fake answers: normally, by rejecting with `error`, or never. */
export type FakeBehaviour = { kind: 'ok' } | { kind: 'fail'; error: Error } | { kind: 'hang' };

function answer<T>(behaviour: FakeBehaviour, value: () => T): Promise<T> {
  if (behaviour.kind === 'fail') return Promise.reject(behaviour.error);
  if (behaviour.kind === 'hang') return new Promise<T>(() => undefined);
  return Promise.resolve(value());
}

export class FakeResourceMetrics implements ResourceMetricsReader {
  constructor(
    readonly nodes: NodeMetricsValue[] = [],
    readonly pods: PodMetricsValue[] = [],
  ) {}

  getNodeMetrics(names?: readonly string[]): NodeMetricsValue[] {
    if (names === undefined) return [...this.nodes];
    const wanted = new Set(names);
    return this.nodes.filter((n) => wanted.has(n.name));
  }

  getPodMetrics(namespace: string | undefined, names?: readonly string[]): PodMetricsValue[] {
    const wanted = names === undefined ? undefined : new Set(names);
    return this.pods.filter(
      (p) =>
        (namespace === undefined || p.namespace === namespace) && (!wanted || wanted.has(p.name)),
    );
  }
}

/** A custom sample with the group resource it describes. */
export interface FakeCustomSample extends CustomMetricSample {
  groupResource: GroupResource;
}

function sampleKey(gr: GroupResource, metric: string, namespace: string | undefined): string {
  return `${gr.group}\u0000${gr.resource}\u0000${metric}\u0000${namespace ?? ''}`;
}

export class FakeCustomMetrics implements CustomMetricsReader {
  readonly metrics: CustomMetricInfo[];
  behaviour: FakeBehaviour = { kind: 'ok' };
  /** Samples by resource, metric and namespace, as the store indexes them. */
  readonly #index = new Map<string, FakeCustomSample[]>();

  /** `metrics` defaults to one entry per (resource, scope, metric) found in `samples`. */
  constructor(
    readonly samples: FakeCustomSample[] = [],
    metrics?: CustomMetricInfo[],
  ) {
    this.metrics = metrics ?? FakeCustomMetrics.infosOf(samples);
    for (const s of samples) {
      const key = sampleKey(s.groupResource, s.metric, s.namespace);
      const list = this.#index.get(key) ?? [];
      list.push(s);
      this.#index.set(key, list);
    }
  }

  static infosOf(samples: readonly FakeCustomSample[]): CustomMetricInfo[] {
    const seen = new Map<string, CustomMetricInfo>();
    for (const s of samples) {
      const namespaced = s.namespace !== undefined;
      seen.set(`${s.groupResource.group}/${s.groupResource.resource}/${s.metric}/${namespaced}`, {
        groupResource: s.groupResource,
        namespaced,
        metric: s.metric,
      });
    }
    return [...seen.values()];
  }

  listCustomMetrics(): CustomMetricInfo[] {
    return this.metrics;
  }

  getCustomMetrics(
    info: CustomMetricInfo,
    namespace: string | undefined,
    names: readonly string[] | undefined,
    metricSelector: Selector,
  ): Promise<CustomMetricSample[]> {
    return answer(this.behaviour, () => {
      const wanted = names === undefined ? undefined : new Set(names);
      const scope = this.#index.get(sampleKey(info.groupResource, info.metric, namespace)) ?? [];
      return scope.filter(
        (s) => (!wanted || wanted.has(s.name)) && metricSelector.matches(s.labels),
      );
    });
  }
}

/** An external sample with the namespace it is served in. */
export interface FakeExternalSample extends ExternalMetricSample {
  namespace: string;
}

export class FakeExternalMetrics implements ExternalMetricsReader {
  behaviour: FakeBehaviour = { kind: 'ok' };
  constructor(readonly samples: FakeExternalSample[] = []) {}

  listExternalMetrics(): ExternalMetricInfo[] {
    return [...new Set(this.samples.map((s) => s.metric))].map((metric) => ({ metric }));
  }

  getExternalMetric(
    namespace: string,
    metric: string,
    selector: Selector,
  ): Promise<ExternalMetricSample[]> {
    return answer(this.behaviour, () =>
      this.samples.filter(
        (s) => s.namespace === namespace && s.metric === metric && selector.matches(s.labels),
      ),
    );
  }
}

/** The shape of the metrics.k8s.io fixtures (only the fields we read). */
interface FixtureItem {
  metadata: { name: string; namespace?: string };
  timestamp: string;
  window: string;
  usage?: Record<string, string>;
  containers?: { name: string; usage: Record<string, string> }[];
}

function usageOf(u: Record<string, string>): { cpuNanoCores: number; memoryBytes: number } {
  return {
    cpuNanoCores: Quantity.parse(u.cpu!).scaledValue(-9),
    memoryBytes: Quantity.parse(u.memory!).value(),
  };
}

function itemsOf(name: 'nodeMetricsList' | 'podMetricsList'): FixtureItem[] {
  return (JSON.parse(readFixture(name).toString('utf8')) as { items: FixtureItem[] }).items;
}

/** Reader data, nodes and pods from the shared NodeMetricsList and PodMetricsList fixtures. */
export function metricsFromFixtures(): {
  reader: FakeResourceMetrics;
  nodes: V1Node[];
  pods: V1Pod[];
} {
  const nodeItems = itemsOf('nodeMetricsList');
  const podItems = itemsOf('podMetricsList');
  const nodeValues: NodeMetricsValue[] = nodeItems.map((i) => ({
    name: i.metadata.name,
    timestampMs: Date.parse(i.timestamp),
    windowMs: parseDuration(i.window),
    usage: usageOf(i.usage!),
  }));
  const podValues: PodMetricsValue[] = podItems.map((i) => ({
    namespace: i.metadata.namespace!,
    name: i.metadata.name,
    timestampMs: Date.parse(i.timestamp),
    windowMs: parseDuration(i.window),
    containers: i.containers!.map((c) => ({ name: c.name, usage: usageOf(c.usage) })),
  }));
  return {
    reader: new FakeResourceMetrics(nodeValues, podValues),
    nodes: nodeItems.map((i) => node(i.metadata.name)),
    pods: podItems.map((i) => pod(i.metadata.namespace!, i.metadata.name)),
  };
}
