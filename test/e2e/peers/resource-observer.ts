/**
 * Watches what a resource-metrics peer serves after each of its scrapes. Polls the node and pod
 * lists (nodes, pods, nodes again) and files each consistent poll under the scrape it reflects:
 * a node's (or its pods') timestamp is the moment the scripted kubelet served that body to the
 * peer, which the kubelets' log maps to the scrape index. A poll during which the peer stored a
 * new batch (node timestamps differ before and after) is discarded.
 * @module
 */
import { parseDuration, Quantity } from '../../../src/k8s/index.js';
import type { PeerProcess } from './process.js';
import type { ScriptedKubelets } from './scripted-kubelets.js';

export interface UsageView {
  cpuCores: number;
  memoryBytes: number;
}

export interface PodView {
  timestampS: number;
  /** The timestamp as served: null is metav1.Time's zero value. */
  timestamp: string | null;
  windowMs: number;
  containers: Map<string, UsageView>;
}

export interface NodeView extends UsageView {
  timestampS: number;
  windowMs: number;
}

/** What the peer served for one node's pods right after its scrape `index` of that node. */
export interface Observation {
  node?: NodeView;
  pods: Map<string, PodView>;
}

interface MetricsList<T> {
  items: T[];
}
interface RawNode {
  metadata: { name: string };
  timestamp: string;
  window: string;
  usage: { cpu: string; memory: string };
}
interface RawPod {
  metadata: { name: string; namespace: string };
  timestamp: string | null;
  window: string;
  containers: { name: string; usage: { cpu: string; memory: string } }[];
}

/** metav1.Time marshals the zero time as null. */
const seconds = (t: string | null): number => (t === null ? NaN : Math.floor(Date.parse(t) / 1000));
const usage = (u: { cpu: string; memory: string }): UsageView => ({
  cpuCores: Quantity.parse(u.cpu).asApproximateFloat64(),
  memoryBytes: Quantity.parse(u.memory).asApproximateFloat64(),
});

/** Observations of one peer, keyed `node#index`. */
export class ResourceObserver {
  readonly observations = new Map<string, Observation>();
  polls = 0;
  discarded = 0;

  constructor(
    private readonly peer: PeerProcess,
    /** The kubelets' name for this peer's requests. */
    readonly client: string,
    private readonly kubelets: ScriptedKubelets,
    /** Node of each served pod, `namespace/name` → node. */
    private readonly nodeOf: ReadonlyMap<string, string>,
    private readonly nodes: readonly string[],
  ) {}

  get(node: string, index: number): Observation | undefined {
    return this.observations.get(`${node}#${index}`);
  }

  /** The scrape index whose body `client` was served within second `timestampS`. */
  private indexAt(node: string, timestampS: number): number | undefined {
    return this.kubelets
      .servedTo(this.client, node)
      .find((s) => Math.floor(s.atMs / 1000) === timestampS)?.index;
  }

  async poll(): Promise<void> {
    this.polls += 1;
    const nodesBefore = await this.peer.getJson<MetricsList<RawNode>>(
      '/apis/metrics.k8s.io/v1beta1/nodes',
    );
    const pods = await this.peer.getJson<MetricsList<RawPod>>('/apis/metrics.k8s.io/v1beta1/pods');
    const nodesAfter = await this.peer.getJson<MetricsList<RawNode>>(
      '/apis/metrics.k8s.io/v1beta1/nodes',
    );
    const stamp = (l: MetricsList<RawNode>): string =>
      l.items
        .map((n) => `${n.metadata.name}=${n.timestamp}`)
        .sort()
        .join(',');
    if (stamp(nodesBefore) !== stamp(nodesAfter)) {
      this.discarded += 1;
      return;
    }
    const byNode = new Map<string, Observation & { index?: number }>(
      this.nodes.map((n) => [n, { pods: new Map() }]),
    );
    for (const raw of nodesAfter.items) {
      const o = byNode.get(raw.metadata.name);
      if (!o) continue;
      o.node = {
        ...usage(raw.usage),
        timestampS: seconds(raw.timestamp),
        windowMs: parseDuration(raw.window),
      };
      o.index = this.indexAt(raw.metadata.name, o.node.timestampS);
    }
    for (const raw of pods.items) {
      const key = `${raw.metadata.namespace}/${raw.metadata.name}`;
      const node = this.nodeOf.get(key);
      const o = node === undefined ? undefined : byNode.get(node);
      if (!o) throw new Error(`${this.peer.name} served pod ${key}, which no scripted node runs`);
      const view: PodView = {
        timestampS: seconds(raw.timestamp),
        timestamp: raw.timestamp,
        windowMs: parseDuration(raw.window),
        containers: new Map(raw.containers.map((ct) => [ct.name, usage(ct.usage)])),
      };
      o.pods.set(key, view);
      // A node without node-level metrics is placed by its pods' timestamps.
      o.index ??= this.indexAt(node!, view.timestampS);
    }
    for (const [node, o] of byNode) {
      if (o.index === undefined) continue;
      const key = `${node}#${o.index}`;
      if (!this.observations.has(key)) this.observations.set(key, { node: o.node, pods: o.pods });
    }
  }

  /** True once every node in `nodes` has been observed at `index`. */
  reached(nodes: readonly string[], index: number): boolean {
    return nodes.every((n) => this.observations.has(`${n}#${index}`));
  }
}
