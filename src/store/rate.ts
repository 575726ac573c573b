/**
 * Two-point rate math for cumulative kubelet counters: which stored point a new sample pairs
 * with, and the CPU rate over that pair. Reproduces metrics-server pkg/storage (pod.go and
 * node.go `Store`, types.go `resourceUsage`), with one difference: a pair that cannot give a
 * rate is refused when it is stored, with a reason, instead of failing every read.
 * @module
 */
import { DropReason, addDrop } from './drop-reasons.js';
import type { MetricsPoint } from './model.js';
import type { DropCounts, ResourceUsage } from './readers.js';

/** A container started this recently is paired with a synthetic zero point at its start time. */
export const freshContainerMinAgeMs = 10_000;

/**
 * The only state kept per series: the newest point and, when the pair gives a rate, the one
 * before it. Plain number fields, updated in place every tick, so a steady tick allocates
 * nothing and the batch's point objects can be collected young.
 */
export class SeriesPair {
  lastStartTimeMs = 0;
  lastTimestampMs = 0;
  lastCpuCoreSeconds = 0;
  lastMemoryBytes = 0;
  /** Whether `prev*` hold a point that, with `last*`, gives a valid rate. */
  hasPrev = false;
  prevStartTimeMs = 0;
  prevTimestampMs = 0;
  prevCpuCoreSeconds = 0;
}

export interface AdvanceOptions {
  /** Scrape period; a container younger than this may pair with its start (pod.go Store). */
  metricResolutionMs: number;
  /** Whether the fresh-container rule applies (containers yes, nodes no, as upstream). */
  freshRule: boolean;
  /** Reason to report when the series restarted between the two points. */
  restartReason: DropReason;
}

/**
 * Moves `point` into `series` (whose stored point is meaningful only when `known`), following
 * pod.go `Store`: a young container (10s ≤ age < resolution) pairs with a zero point at its
 * start time; else a point whose start time precedes the stored timestamp continues the series
 * and pairs with `last` when newer, or keeps `prev` when it lands between the two; else the
 * series restarted. A pair whose counter went down or whose start time moved back is refused
 * (types.go resourceUsage errors), so only pairs with a positive window and a non-negative rate
 * survive. Why a known series lost its pair is added to `dropped`.
 */
export function advance(
  series: SeriesPair,
  known: boolean,
  point: MetricsPoint,
  opts: AdvanceOptions,
  dropped: DropCounts,
): void {
  const reason = choosePrev(series, known, point, opts);
  series.lastStartTimeMs = point.startTimeMs;
  series.lastTimestampMs = point.timestampMs;
  series.lastCpuCoreSeconds = point.cpuUsageCoreSeconds;
  series.lastMemoryBytes = point.memoryWorkingSetBytes;
  if (reason !== undefined) {
    series.hasPrev = false;
    if (reason !== newSeries) addDrop(dropped, reason);
  }
}

const newSeries = 'new_series';

/** Sets `prev*` to the point `point` pairs with; returns why there is none, if so. */
function choosePrev(
  s: SeriesPair,
  known: boolean,
  point: MetricsPoint,
  opts: AdvanceOptions,
): DropReason | typeof newSeries | undefined {
  const ageMs = point.timestampMs - point.startTimeMs;
  if (opts.freshRule && ageMs < opts.metricResolutionMs && ageMs >= freshContainerMinAgeMs) {
    setPrev(s, point.startTimeMs, point.startTimeMs, 0);
  } else if (!known) {
    return newSeries;
  } else if (point.startTimeMs >= s.lastTimestampMs) {
    // Upstream compares the new start time with the stored timestamp, not with the stored
    // start time, so a start time reported with jitter does not look like a restart.
    return opts.restartReason;
  } else if (point.timestampMs > s.lastTimestampMs) {
    setPrev(s, s.lastStartTimeMs, s.lastTimestampMs, s.lastCpuCoreSeconds);
  } else if (!s.hasPrev || s.prevTimestampMs >= point.timestampMs) {
    return DropReason.nonIncreasingTimestamp;
  }
  if (point.startTimeMs < s.prevStartTimeMs) return DropReason.startTimeDecreased;
  if (point.cpuUsageCoreSeconds < s.prevCpuCoreSeconds) return DropReason.counterReset;
  return undefined;
}

function setPrev(
  s: SeriesPair,
  startTimeMs: number,
  timestampMs: number,
  cpuCoreSeconds: number,
): void {
  s.hasPrev = true;
  s.prevStartTimeMs = startTimeMs;
  s.prevTimestampMs = timestampMs;
  s.prevCpuCoreSeconds = cpuCoreSeconds;
}

/** The window of a paired series, in ms. */
export function windowMsOf(s: SeriesPair): number {
  return s.lastTimestampMs - s.prevTimestampMs;
}

/** A counter in core-seconds as metrics-server holds it: whole nanoseconds, truncated (decode.go). */
function cpuNanoSeconds(coreSeconds: number): number {
  return Math.trunc(coreSeconds * 1e9);
}

/**
 * CPU and memory over a paired series (types.go resourceUsage): CPU is the delta of the two
 * counters in whole nanoseconds over the window in seconds, truncated to whole nanocores as
 * upstream's uint64 conversion does, so both serve the same quantity for the same samples (the
 * parity test compares Table cells such as `14999999n`); memory is the newer gauge.
 */
export function usageOf(s: SeriesPair): ResourceUsage {
  const nanoSeconds = cpuNanoSeconds(s.lastCpuCoreSeconds) - cpuNanoSeconds(s.prevCpuCoreSeconds);
  return {
    cpuNanoCores: Math.trunc(nanoSeconds / (windowMsOf(s) / 1000)),
    memoryBytes: s.lastMemoryBytes,
  };
}
