/**
 * Merging per-node answers into the one batch of a tick (design habit 3). A batch is a pair of
 * maps, so duplicates can only arise here: upstream storage logs "Got duplicate pod point" and
 * keeps the first; we keep the newer sample, because a pod that moved nodes or a kubelet that
 * answered late must not hide fresher data, and count the loser.
 * @module
 */
import { DropReason, addDrop } from './drop-reasons.js';
import type { MetricsBatch, PodMetricsPoint } from './model.js';
import type { DropCounts } from './readers.js';

/**
 * Moves every node and pod of `from` into `into`. On a name collision the point with the newer
 * timestamp stays (for pods, the newest container timestamp); on a tie the one already in `into`
 * stays. Returns the collisions counted as `duplicate_node` and `duplicate_pod`.
 */
export function mergeBatchInto(into: MetricsBatch, from: MetricsBatch): DropCounts {
  const dropped: DropCounts = {};
  for (const [name, point] of from.nodes) {
    const existing = into.nodes.get(name);
    if (existing !== undefined) {
      addDrop(dropped, DropReason.duplicateNode);
      if (point.timestampMs <= existing.timestampMs) continue;
    }
    into.nodes.set(name, point);
  }
  for (const [key, pod] of from.pods) {
    const existing = into.pods.get(key);
    if (existing !== undefined) {
      addDrop(dropped, DropReason.duplicatePod);
      if (newestTimestampMs(pod) <= newestTimestampMs(existing)) continue;
    }
    into.pods.set(key, pod);
  }
  return dropped;
}

/** The newest container sample time of a pod, or -Infinity for a pod without containers. */
export function newestTimestampMs(pod: PodMetricsPoint): number {
  let newest = -Infinity;
  for (const point of pod.containers.values()) {
    if (point.timestampMs > newest) newest = point.timestampMs;
  }
  return newest;
}
