/**
 * The resource store's per-series records and the rule that turns a pod's records into the
 * value metrics.k8s.io serves. Internal to src/store: not exported from the folder's index.
 * @module
 */
import type { PodKey } from './model.js';
import { SeriesPair, usageOf, windowMsOf } from './rate.js';
import type { ContainerMetricsValue, PodMetricsValue } from './readers.js';

/** A node's pair, stamped with the last tick that reported it. */
export class NodeSeries extends SeriesPair {
  seenTick = 0;
}

/** A container's pair; its name comes from the first batch that reported it. */
export class ContainerSeries extends SeriesPair {
  constructor(readonly name: string) {
    super();
  }
}

/** A pod's containers, in a small array: pods have few containers and arrays are cheaper than maps. */
export class PodSeries {
  containers: ContainerSeries[] = [];
  seenTick = 0;
  /** Every container has a pair. */
  servable = false;

  constructor(readonly key: PodKey) {}
}

/** The namespace part of a pod key (names and namespaces never contain '/'). */
export function namespaceOf(key: PodKey): string {
  return key.slice(0, key.indexOf('/'));
}

/** The container named `name`, by a linear scan of a pod's few containers. */
export function findContainer(
  containers: ContainerSeries[],
  name: string,
): ContainerSeries | undefined {
  for (const c of containers) if (c.name === name) return c;
  return undefined;
}

/**
 * The served value of a pod whose every container has a fresh pair, else undefined. Its time
 * and window are its earliest container's, so the HPA sees the oldest sample it relies on
 * (metrics-server pod.go GetMetrics).
 */
export function podValue(series: PodSeries, oldestMs: number): PodMetricsValue | undefined {
  if (!series.servable) return undefined;
  const containers: ContainerMetricsValue[] = [];
  let earliest: ContainerSeries | undefined;
  for (const c of series.containers) {
    if (c.lastTimestampMs < oldestMs) return undefined;
    containers.push({ name: c.name, usage: usageOf(c) });
    if (earliest === undefined || c.lastTimestampMs < earliest.lastTimestampMs) earliest = c;
  }
  if (earliest === undefined) return undefined;
  const namespace = namespaceOf(series.key);
  return {
    namespace,
    name: series.key.slice(namespace.length + 1),
    timestampMs: earliest.lastTimestampMs,
    windowMs: windowMsOf(earliest),
    containers,
  };
}
