/**
 * A per-object memo of the JSON text of NodeMetrics and PodMetrics items. Between two
 * collections (15 s by default) every list request writes the same items; re-serialising 1,000
 * pods costs several milliseconds, re-using their text a few hundred microseconds. An entry is
 * reused only when its inputs are equal by value (timestamp, window, every container's usage,
 * every label), so a store that hands out fresh objects each call, or a view that mutates labels
 * in place, still gets exact output. The creation timestamp, which changes every second, is not
 * part of the memo: each entry is the text before and after it.
 * @module
 */
import type { NodeItem, PodItem, Writer } from './serialize.js';
import { containersJson, labelsJson, jsonString, usageJson } from './serialize.js';

/** The item text around its creationTimestamp value: `pre + creationTimestamp + post`. */
export interface Fragment {
  pre: string;
  post: string;
}

interface Entry extends Fragment {
  /** The inputs the text was built from, flattened: timestamp, window, usage, labels. */
  inputs: (string | number)[];
  lastUsedMs: number;
}

/** Entries unused for this long are dropped, so deleted pods do not stay in memory. */
const IDLE_MS = 120_000;

/**
 * Compares `labels` with the flattened key/value pairs stored from `at` on, without allocating,
 * and returns the index after them, or -1 when they differ.
 */
function matchLabels(
  stored: readonly (string | number)[],
  at: number,
  labels: Readonly<Record<string, string>> | undefined,
): number {
  let i = at;
  if (labels !== undefined) {
    for (const key in labels) {
      if (!Object.prototype.hasOwnProperty.call(labels, key)) continue;
      if (stored[i] !== key || stored[i + 1] !== labels[key]) return -1;
      i += 2;
    }
  }
  return i;
}

function pushLabels(
  out: (string | number)[],
  labels: Readonly<Record<string, string>> | undefined,
): void {
  if (labels === undefined) return;
  for (const key in labels)
    if (Object.prototype.hasOwnProperty.call(labels, key)) out.push(key, labels[key]!);
}

/** V8 keeps concatenations as ropes; reading a character flattens one once, so each later join copies flat text. */
function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/** Equal by value to what `podInputs` stored: checked in place, as this runs for every pod of every list. */
function samePod(stored: readonly (string | number)[], item: PodItem): boolean {
  const m = item.metrics;
  if (stored[0] !== m.timestampMs || stored[1] !== m.windowMs || stored[2] !== m.containers.length)
    return false;
  let i = 3;
  for (const c of m.containers) {
    if (
      stored[i] !== c.name ||
      stored[i + 1] !== c.usage.cpuNanoCores ||
      stored[i + 2] !== c.usage.memoryBytes
    )
      return false;
    i += 3;
  }
  return matchLabels(stored, i, item.labels) === stored.length;
}

function podInputs(item: PodItem): (string | number)[] {
  const m = item.metrics;
  const out: (string | number)[] = [m.timestampMs, m.windowMs, m.containers.length];
  for (const c of m.containers) out.push(c.name, c.usage.cpuNanoCores, c.usage.memoryBytes);
  pushLabels(out, item.labels);
  return out;
}

function sameNode(stored: readonly (string | number)[], item: NodeItem): boolean {
  const m = item.metrics;
  if (
    stored[0] !== m.timestampMs ||
    stored[1] !== m.windowMs ||
    stored[2] !== m.usage.cpuNanoCores ||
    stored[3] !== m.usage.memoryBytes
  )
    return false;
  return matchLabels(stored, 4, item.labels) === stored.length;
}

function nodeInputs(item: NodeItem): (string | number)[] {
  const m = item.metrics;
  const out: (string | number)[] = [
    m.timestampMs,
    m.windowMs,
    m.usage.cpuNanoCores,
    m.usage.memoryBytes,
  ];
  pushLabels(out, item.labels);
  return out;
}

function metadataTail(labels: Readonly<Record<string, string>> | undefined): string {
  const text = labelsJson(labels);
  return text === '' ? '"}' : `","labels":${text}}`;
}

export class FragmentCache {
  /** Pods by namespace then name, nodes under the '' pseudo-namespace: no key string built per item. */
  readonly #pods = new Map<string, Map<string, Entry>>();
  readonly #nodes = new Map<string, Entry>();
  #lastSweepMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly now: () => number) {}

  #lookup<T>(
    map: Map<string, Entry>,
    key: string,
    item: T,
    same: (stored: readonly (string | number)[], item: T) => boolean,
    inputs: (item: T) => (string | number)[],
    build: () => Fragment,
  ): Fragment {
    const nowMs = this.now();
    let entry = map.get(key);
    if (!entry || !same(entry.inputs, item)) {
      const f = build();
      entry = { pre: flat(f.pre), post: flat(f.post), inputs: inputs(item), lastUsedMs: nowMs };
      map.set(key, entry);
    }
    entry.lastUsedMs = nowMs;
    return entry;
  }

  /** Drops entries idle for two minutes; called once per response, cheap between sweeps. */
  sweep(): void {
    const nowMs = this.now();
    if (nowMs - this.#lastSweepMs < IDLE_MS) return;
    this.#lastSweepMs = nowMs;
    const idle = (map: Map<string, Entry>): void => {
      for (const [key, entry] of map) if (nowMs - entry.lastUsedMs > IDLE_MS) map.delete(key);
    };
    idle(this.#nodes);
    for (const [namespace, pods] of this.#pods) {
      idle(pods);
      if (pods.size === 0) this.#pods.delete(namespace);
    }
  }

  /** Entries held, nodes and pods together. */
  get size(): number {
    let n = this.#nodes.size;
    for (const pods of this.#pods.values()) n += pods.size;
    return n;
  }

  pod(w: Writer, item: PodItem): Fragment {
    let inNamespace = this.#pods.get(item.namespace);
    if (!inNamespace) this.#pods.set(item.namespace, (inNamespace = new Map<string, Entry>()));
    return this.#lookup(inNamespace, item.name, item, samePod, podInputs, () => ({
      pre: `{"metadata":{"name":${jsonString(item.name)},"namespace":${jsonString(item.namespace)},"creationTimestamp":"`,
      post: `${metadataTail(item.labels)},"timestamp":"${w.time(item.metrics.timestampMs)}","window":"${w.window(item.metrics.windowMs)}","containers":${containersJson(item.metrics.containers)}}`,
    }));
  }

  node(w: Writer, item: NodeItem): Fragment {
    return this.#lookup(this.#nodes, item.name, item, sameNode, nodeInputs, () => ({
      pre: `{"metadata":{"name":${jsonString(item.name)},"creationTimestamp":"`,
      post: `${metadataTail(item.labels)},"timestamp":"${w.time(item.metrics.timestampMs)}","window":"${w.window(item.metrics.windowMs)}","usage":${usageJson(item.metrics.usage)}}`,
    }));
  }
}
