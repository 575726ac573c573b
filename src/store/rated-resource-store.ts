/**
 * The resource store for a source that delivers CPU already averaged over a window: Prometheus
 * resource rules (prometheus-adapter pkg/resourceprovider), whose queries apply `rate()` or
 * `irate()` themselves. metrics-server's two-point rate of {@link ResourceStore} is for cumulative
 * kubelet counters and would be wrong here, so the input says what it is: a
 * {@link RatedMetricsBatch} carries the rated values and the one window they were averaged over
 * (the rules' `window`), and that window is what metrics.k8s.io serves. The read side is the same
 * {@link ResourceMetricsReader} as the kubelet store's, so the adapter, Table output, `kubectl top`
 * and the HPA runtime cannot tell the sources apart.
 * @module
 */
import { DropReason, addDrop } from './drop-reasons.js';
import type { PodKey } from './model.js';
import { podKey } from './model.js';
import type {
  DropCounts,
  NodeMetricsValue,
  PodMetricsValue,
  ResourceMetricsReader,
  StoreStatus,
} from './readers.js';
import { namespaceOf } from './resource-series.js';

/** One sample whose CPU is already a rate over the batch's window. */
export interface RatedPoint {
  /** The sample's own time (the query's evaluation time), served as `timestamp`. */
  timestampMs: number;
  /** Average CPU over the window, in nanocores. */
  cpuNanoCores: number;
  memoryBytes: number;
}

export interface RatedPodPoint {
  /** Container name to its point; served as the pod's containers. */
  containers: Map<string, RatedPoint>;
}

/**
 * One collection of already-rated resource metrics. A part that was not collected this cycle
 * (its query failed) is `undefined`: the store keeps what it had for that part until it is
 * older than `maxAgeMs`, as the custom store keeps a failed metric's values.
 */
export interface RatedMetricsBatch {
  /** The window the CPU values were averaged over; served as every value's `window`. */
  windowMs: number;
  nodes: Map<string, RatedPoint> | undefined;
  pods: Map<PodKey, RatedPodPoint> | undefined;
}

/** What the Prometheus resource collector writes: one collection at a time. */
export interface RatedMetricsSink {
  storeRated(batch: RatedMetricsBatch): DropCounts;
}

export interface RatedResourceStoreOptions {
  /** Wall clock, read only to decide staleness when serving. */
  now: () => number;
  /** Values whose sample time is older than this are not served. */
  maxAgeMs: number;
}

interface PodEntry {
  namespace: string;
  name: string;
  /** Earliest container sample time (the oldest value the HPA relies on, as pod.go). */
  timestampMs: number;
  containers: { name: string; usage: { cpuNanoCores: number; memoryBytes: number } }[];
}

/** The store behind metrics.k8s.io when its source is Prometheus resource rules. */
export class RatedResourceStore implements RatedMetricsSink, ResourceMetricsReader, StoreStatus {
  private windowMs = 0;
  private nodes = new Map<string, RatedPoint>();
  private pods = new Map<PodKey, PodEntry>();
  private byNamespace = new Map<string, PodEntry[]>();
  private stored = false;

  constructor(private readonly o: RatedResourceStoreOptions) {}

  /** Swaps in the collected parts; each part is replaced whole, never merged. */
  storeRated(batch: RatedMetricsBatch): DropCounts {
    const dropped: DropCounts = {};
    this.windowMs = batch.windowMs;
    if (batch.nodes) this.nodes = new Map(batch.nodes);
    if (batch.pods) {
      const pods = new Map<PodKey, PodEntry>();
      const byNamespace = new Map<string, PodEntry[]>();
      for (const [key, pod] of batch.pods) {
        const entry = podEntry(key, pod);
        if (entry === undefined) {
          addDrop(dropped, DropReason.emptyPod);
          continue;
        }
        pods.set(key, entry);
        const list = byNamespace.get(entry.namespace);
        if (list === undefined) byNamespace.set(entry.namespace, [entry]);
        else list.push(entry);
      }
      this.pods = pods;
      this.byNamespace = byNamespace;
    }
    this.stored ||= this.nodes.size > 0 || this.pods.size > 0;
    return dropped;
  }

  getNodeMetrics(names?: readonly string[]): NodeMetricsValue[] {
    const oldestMs = this.o.now() - this.o.maxAgeMs;
    const out: NodeMetricsValue[] = [];
    const add = (name: string, p: RatedPoint | undefined): void => {
      if (p === undefined || p.timestampMs < oldestMs) return;
      out.push({
        name,
        timestampMs: p.timestampMs,
        windowMs: this.windowMs,
        usage: { cpuNanoCores: p.cpuNanoCores, memoryBytes: p.memoryBytes },
      });
    };
    if (names === undefined) for (const [name, p] of this.nodes) add(name, p);
    else for (const name of names) add(name, this.nodes.get(name));
    return out;
  }

  getPodMetrics(namespace: string | undefined, names?: readonly string[]): PodMetricsValue[] {
    const oldestMs = this.o.now() - this.o.maxAgeMs;
    const out: PodMetricsValue[] = [];
    const add = (e: PodEntry | undefined): void => {
      if (e === undefined || e.timestampMs < oldestMs) return;
      out.push({
        namespace: e.namespace,
        name: e.name,
        timestampMs: e.timestampMs,
        windowMs: this.windowMs,
        containers: e.containers.map((c) => ({ name: c.name, usage: { ...c.usage } })),
      });
    };
    const namespaces = namespace === undefined ? [...this.byNamespace.keys()] : [namespace];
    for (const ns of namespaces) {
      if (names === undefined) for (const e of this.byNamespace.get(ns) ?? []) add(e);
      else for (const name of names) add(this.pods.get(podKey(ns, name)));
    }
    return out;
  }

  /** True once a collection stored at least one node or pod. */
  ready(): boolean {
    return this.stored;
  }

  stats(): { nodes: number; pods: number; containers: number } {
    let containers = 0;
    for (const p of this.pods.values()) containers += p.containers.length;
    return { nodes: this.nodes.size, pods: this.pods.size, containers };
  }
}

function podEntry(key: PodKey, pod: RatedPodPoint): PodEntry | undefined {
  if (pod.containers.size === 0) return undefined;
  const namespace = namespaceOf(key);
  let timestampMs = Infinity;
  const containers: PodEntry['containers'] = [];
  for (const [name, p] of pod.containers) {
    timestampMs = Math.min(timestampMs, p.timestampMs);
    containers.push({ name, usage: { cpuNanoCores: p.cpuNanoCores, memoryBytes: p.memoryBytes } });
  }
  return { namespace, name: key.slice(namespace.length + 1), timestampMs, containers };
}
