/**
 * The catalogue of reasons a kubelet sample is not stored or served. Each value is a stable
 * snake_case label value of `scaleplane_dropped_points_total{reason}` (design habit 13): renaming
 * one is a breaking change for dashboards, so the list is pinned by a test.
 * @module
 */
import type { DropCounts } from './readers.js';

/** Every drop reason the decoders and the resource store report. */
export const DropReason = {
  // --- decoders: one container, node or pod in one kubelet answer ---------------------------
  /** No cumulative CPU sample for the container or node. */
  missingCpu: 'missing_cpu',
  /** No working-set sample for the container or node. */
  missingMemory: 'missing_memory',
  /** CPU counter exactly zero: upstream treats it as "not measured yet" (decodeCPU). */
  zeroCpu: 'zero_cpu',
  /** Working set exactly zero: upstream treats it as "not measured yet" (decodeMemory). */
  zeroMemory: 'zero_memory',
  /** No usable sample time (summary `cpu.time` absent or not a time). */
  missingTimestamp: 'missing_timestamp',
  /** A sample time at or before the Unix epoch (Go's zero time, as a broken kubelet sends). */
  invalidTimestamp: 'invalid_timestamp',
  /** No usable container start time in a Summary body (upstream decodePodStats requires it). */
  missingStartTime: 'missing_start_time',
  /** NaN or ±Inf sample value. */
  nonFiniteValue: 'non_finite_value',
  /** A negative counter, gauge or start time. */
  negativeValue: 'negative_value',
  /** A container series without its `namespace`, `pod` or `container` label. */
  missingLabels: 'missing_labels',
  /** The same series twice in one answer; the later sample wins, as upstream's map writes. */
  duplicateSeries: 'duplicate_series',
  /** A Summary pod or container entry of the wrong JSON shape. */
  malformedEntry: 'malformed_entry',
  /** A pod with no container entries: nothing could ever be served for it. */
  emptyPod: 'empty_pod',
  /** The kubelet said its own collection failed (`resource_scrape_error 1`); data is kept. */
  kubeletScrapeError: 'kubelet_scrape_error',
  /** A pod dropped whole because one of its containers was dropped (upstream decodeBatch). */
  incompletePod: 'incomplete_pod',

  // --- merging per-node answers into one tick ---------------------------------------------
  /** Two nodes reported the same pod in one tick; the newer one is kept. */
  duplicatePod: 'duplicate_pod',
  /** Two answers for the same node name in one tick; the newer one is kept. */
  duplicateNode: 'duplicate_node',

  // --- store: a series' pair of points cannot give a rate ---------------------------------
  /** Cumulative CPU went down without a start-time change. */
  counterReset: 'counter_reset',
  /** The container started after the stored point (pod.go Store restart check). */
  containerRestart: 'container_restart',
  /** The node started after the stored point (node.go Store restart check). */
  nodeRestart: 'node_restart',
  /** The start time moved backwards between two points (types.go resourceUsage). */
  startTimeDecreased: 'start_time_decreased',
  /** The new point is not newer than the one it would be paired with: no positive window. */
  nonIncreasingTimestamp: 'non_increasing_timestamp',
} as const;

export type DropReason = (typeof DropReason)[keyof typeof DropReason];

/** Adds `n` drops of `reason` to `counts`. */
export function addDrop(counts: DropCounts, reason: DropReason, n = 1): void {
  counts[reason] = (counts[reason] ?? 0) + n;
}

/** Adds every count of `from` into `into` and returns `into`. */
export function mergeDropCounts(into: DropCounts, from: Readonly<DropCounts>): DropCounts {
  for (const reason of Object.keys(from)) {
    into[reason] = (into[reason] ?? 0) + (from[reason] ?? 0);
  }
  return into;
}
