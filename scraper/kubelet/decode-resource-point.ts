/**
 * One node's or container's samples while a `/metrics/resource` body is read, and the rule that
 * turns them into a point or a drop reason (metrics-server resource/decode.go: the parse*Metrics
 * helpers and checkContainerMetrics).
 * @module
 */
import { DropReason, addDrop, type DropCounts, type MetricsPoint } from '../../src/store/index.js';

/** Which series a sample belongs to; also its bit in {@link SampleSlot.seen}. */
export const SampleKind = { cpu: 0, memory: 1, start: 2 } as const;
export type SampleKind = (typeof SampleKind)[keyof typeof SampleKind];

/** The value of the current sample line, as the scanner exposes it. */
export interface SampleValue {
  readonly value: number;
  readonly valueFinite: boolean;
}

/** Mutable accumulator; a class so every slot has one hidden shape on the hot path. */
export class SampleSlot {
  cpuCoreSeconds = 0;
  cpuTimestampMs = 0;
  memoryBytes = 0;
  startTimeMs = 0;
  /** Bit set of the kinds seen. */
  seen = 0;
  /** The first reason this slot cannot become a point, if any. */
  reason: DropReason | undefined = undefined;
}

/** Records one sample; a repeated series overwrites, as upstream's map writes do, and is counted. */
export function setSample(
  slot: SampleSlot,
  kind: SampleKind,
  sample: SampleValue,
  timestampMs: number,
  dropped: DropCounts,
): void {
  const bit = 1 << kind;
  if ((slot.seen & bit) !== 0) addDrop(dropped, DropReason.duplicateSeries);
  slot.seen |= bit;
  const value = sample.value;
  if (!sample.valueFinite) {
    slot.reason ??= DropReason.nonFiniteValue;
  } else if (value < 0) {
    slot.reason ??= DropReason.negativeValue;
  } else if (kind === SampleKind.cpu) {
    if (timestampMs <= 0) slot.reason ??= DropReason.invalidTimestamp;
    slot.cpuCoreSeconds = value;
    slot.cpuTimestampMs = timestampMs;
  } else if (kind === SampleKind.memory) {
    slot.memoryBytes = Math.trunc(value);
  } else {
    // Seconds to whole milliseconds, truncating as Go's time.Unix(0, int64(v*1e9)) does.
    slot.startTimeMs = Math.floor(value * 1000);
  }
}

const cpuBit = 1 << SampleKind.cpu;
const memoryBit = 1 << SampleKind.memory;

/**
 * The point a slot describes, or undefined after counting the one reason it cannot be served.
 * Zero CPU or memory counts as not measured yet, as upstream decodeBatch drops it. The point's
 * time is the CPU sample's, so the rate's window matches its counter (storage/types.go).
 */
export function completePoint(slot: SampleSlot, dropped: DropCounts): MetricsPoint | undefined {
  const reason = pointError(slot);
  if (reason !== undefined) {
    addDrop(dropped, reason);
    return undefined;
  }
  return {
    startTimeMs: slot.startTimeMs,
    timestampMs: slot.cpuTimestampMs,
    cpuUsageCoreSeconds: slot.cpuCoreSeconds,
    memoryWorkingSetBytes: slot.memoryBytes,
  };
}

function pointError(slot: SampleSlot): DropReason | undefined {
  if (slot.reason !== undefined) return slot.reason;
  if ((slot.seen & cpuBit) === 0) return DropReason.missingCpu;
  if ((slot.seen & memoryBit) === 0) return DropReason.missingMemory;
  if (slot.cpuCoreSeconds === 0) return DropReason.zeroCpu;
  if (slot.memoryBytes === 0) return DropReason.zeroMemory;
  return undefined;
}
