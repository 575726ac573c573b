/**
 * NodeMetrics and PodMetrics (k8s.io/metrics pkg/apis/metrics/v1beta1 types.go) written straight
 * to JSON text. Field order is Go's struct order, so our bytes read like metrics-server's. Items
 * come from the FragmentCache, so a list is one join of mostly reused text (measured in
 * test/bench/adapter.bench.ts against an object graph + JSON.stringify and per-value Quantity).
 * @module
 */
import { formatDuration } from '../../src/k8s/index.js';
import type {
  ContainerMetricsValue,
  NodeMetricsValue,
  PodMetricsValue,
  ResourceUsage,
} from '../../src/store/index.js';
import type { Fragment, FragmentCache } from './fragments.js';
import { formatBytes, formatNanoCores, formatTime } from './format.js';

export const METRICS_API_VERSION = 'metrics.k8s.io/v1beta1';

/** A node that exists in the cluster and has metrics, joined with its labels. */
export interface NodeItem {
  name: string;
  labels: Readonly<Record<string, string>> | undefined;
  metrics: NodeMetricsValue;
}

/** A pod that exists in the cluster and has metrics, joined with its labels. */
export interface PodItem {
  namespace: string;
  name: string;
  labels: Readonly<Record<string, string>> | undefined;
  metrics: PodMetricsValue;
}

/**
 * Per-response state: the creation timestamp every item shares (metrics-server stamps `now`, as
 * the objects are computed, not stored) and memos for the timestamps and windows that repeat
 * across the items of one tick.
 */
export class Writer {
  readonly creationTimestamp: string;
  #lastTimeMs = Number.NaN;
  #lastTime = '';
  readonly #windows = new Map<number, string>();

  constructor(nowMs: number) {
    this.creationTimestamp = formatTime(nowMs);
  }

  time(ms: number): string {
    if (ms !== this.#lastTimeMs) {
      this.#lastTimeMs = ms;
      this.#lastTime = formatTime(ms);
    }
    return this.#lastTime;
  }

  window(ms: number): string {
    let text = this.#windows.get(ms);
    if (text === undefined) {
      text = formatDuration(ms);
      this.#windows.set(ms, text);
    }
    return text;
  }
}

/** Characters that never need escaping in JSON: every Kubernetes name and most label values. */
const PLAIN = /^[\w.\-/:@+ ]*$/;

/** A JSON string literal; plain text skips JSON.stringify. */
export function jsonString(s: string): string {
  return PLAIN.test(s) ? `"${s}"` : JSON.stringify(s);
}

/** `{"k":"v",…}` in the object's key order, or '' when there are no labels (`omitempty`). */
export function labelsJson(labels: Readonly<Record<string, string>> | undefined): string {
  let out = '';
  if (labels === undefined) return out;
  for (const key in labels) {
    if (!Object.prototype.hasOwnProperty.call(labels, key)) continue;
    out += `${out === '' ? '{' : ','}${jsonString(key)}:${jsonString(labels[key]!)}`;
  }
  return out === '' ? '' : `${out}}`;
}

/** `{"cpu":"…","memory":"…"}`: ResourceList keys in Go's sorted map order. */
export function usageJson(usage: ResourceUsage): string {
  return `{"cpu":"${formatNanoCores(usage.cpuNanoCores)}","memory":"${formatBytes(usage.memoryBytes)}"}`;
}

/** The `containers` array, in the store's order. */
export function containersJson(containers: readonly ContainerMetricsValue[]): string {
  let out = '';
  for (const c of containers)
    out += `${out === '' ? '' : ','}{"name":${jsonString(c.name)},"usage":${usageJson(c.usage)}}`;
  return `[${out}]`;
}

/** A top-level object: the item text with `"kind":…,"apiVersion":…` in front, as a single GET writes it. */
function topLevel(kind: string, w: Writer, f: Fragment): string {
  return `{"kind":"${kind}","apiVersion":"${METRICS_API_VERSION}",${f.pre.slice(1)}${w.creationTimestamp}${f.post}`;
}

/** One NodeMetrics with its kind (a single GET, a Table row with includeObject=Object). */
export function nodeMetricsJson(w: Writer, cache: FragmentCache, item: NodeItem): string {
  return topLevel('NodeMetrics', w, cache.node(w, item));
}

/** One PodMetrics with its kind. */
export function podMetricsJson(w: Writer, cache: FragmentCache, item: PodItem): string {
  return topLevel('PodMetrics', w, cache.pod(w, item));
}

/** A NodeMetricsList or PodMetricsList: one join over the items' cached text. */
export function listJson(
  kind: 'NodeMetricsList' | 'PodMetricsList',
  w: Writer,
  fragments: readonly Fragment[],
): string {
  const parts: string[] = [
    `{"kind":"${kind}","apiVersion":"${METRICS_API_VERSION}","metadata":{},"items":[`,
  ];
  for (let i = 0; i < fragments.length; i++) {
    const f = fragments[i]!;
    parts.push(i === 0 ? f.pre : `,${f.pre}`, w.creationTimestamp, f.post);
  }
  parts.push(']}');
  return parts.join('');
}

/** ObjectMeta alone, for Table rows with includeObject=Metadata (meta.AsPartialObjectMetadata). */
export function partialMetadataJson(
  w: Writer,
  name: string,
  namespace: string | undefined,
  labels: Readonly<Record<string, string>> | undefined,
): string {
  const ns = namespace === undefined ? '' : `,"namespace":${jsonString(namespace)}`;
  const lbls = labelsJson(labels);
  return `{"name":${jsonString(name)}${ns},"creationTimestamp":"${w.creationTimestamp}"${lbls === '' ? '' : `,"labels":${lbls}`}}`;
}
