/**
 * The controller's memory between syncs, passed in and returned rather than kept in shared maps
 * (horizontal.go recommendations, scaleUpEvents and scaleDownEvents).
 * @module
 */
import { getLongestPolicyPeriod, type Behavior, type ScaleEvent } from './behavior.js';
import type { Recommendation } from './stabilization.js';
import { formatTime, timeMs } from './time.js';
import type { HpaHistory, TimestampedScaleEvent } from './types.js';

/** History with parsed timestamps. */
export interface ParsedHistory {
  recommendations: Recommendation[];
  scaleUpEvents: ScaleEvent[];
  scaleDownEvents: ScaleEvent[];
}

function parseEntries<T extends { timestamp: string }, U>(
  entries: readonly T[] | undefined,
  map: (entry: T, ms: number) => U,
): U[] {
  const out: U[] = [];
  for (const entry of entries ?? []) {
    const ms = timeMs(entry.timestamp);
    if (ms !== undefined) out.push(map(entry, ms));
  }
  return out;
}

/** The scenario's memory (RFC 3339 timestamps) with times in ms; unparsable entries are dropped. */
export function parseHistory(history: Partial<HpaHistory>): ParsedHistory {
  const event = (e: { replicaChange: number }, ms: number): ScaleEvent => ({
    timestampMs: ms,
    replicaChange: e.replicaChange,
  });
  return {
    recommendations: parseEntries(history.recommendations, (r, ms) => ({
      timestampMs: ms,
      replicas: r.replicas,
    })),
    scaleUpEvents: parseEntries(history.scaleUpEvents, event),
    scaleDownEvents: parseEntries(history.scaleDownEvents, event),
  };
}

/**
 * The remembered state, or on the first sync (no history at all) the current size as a
 * recommendation at `now` (horizontal.go recordInitialRecommendation), so a new HPA does not scale
 * down before it has seen a stabilization window.
 */
export function rememberedHistory(
  history: ParsedHistory | undefined,
  currentReplicas: number,
  nowMs: number,
): ParsedHistory {
  if (history !== undefined) return history;
  return {
    recommendations: [{ timestampMs: nowMs, replicas: currentReplicas }],
    scaleUpEvents: [],
    scaleDownEvents: [],
  };
}

/** Events still inside `periodSeconds`: older ones can never count again (markScaleEventsOutdated). */
function recentEvents(
  events: readonly ScaleEvent[],
  periodSeconds: number,
  nowMs: number,
): ScaleEvent[] {
  const cutoffMs = nowMs - periodSeconds * 1000;
  return events.filter((e) => e.timestampMs > cutoffMs);
}

/**
 * horizontal.go storeScaleEvent: with a behavior, a rescale is remembered as a scale-up or
 * scale-down event; events older than the direction's longest policy period are dropped (upstream
 * marks them outdated and reuses their slots). Without a behavior nothing is stored or touched.
 */
export function storeScaleEvent(
  history: ParsedHistory,
  behavior: Behavior | undefined,
  prevReplicas: number,
  newReplicas: number,
  nowMs: number,
): ParsedHistory {
  if (behavior === undefined) return history;
  if (newReplicas > prevReplicas) {
    const kept = recentEvents(
      history.scaleUpEvents,
      getLongestPolicyPeriod(behavior.scaleUp),
      nowMs,
    );
    return {
      ...history,
      scaleUpEvents: [...kept, { timestampMs: nowMs, replicaChange: newReplicas - prevReplicas }],
    };
  }
  const kept = recentEvents(
    history.scaleDownEvents,
    getLongestPolicyPeriod(behavior.scaleDown),
    nowMs,
  );
  return {
    ...history,
    scaleDownEvents: [...kept, { timestampMs: nowMs, replicaChange: prevReplicas - newReplicas }],
  };
}

/**
 * Drops what no window can use any more: recommendations older than the stabilization window(s)
 * and, with a behavior, events older than each direction's longest policy period.
 */
export function pruneHistory(
  history: ParsedHistory,
  behavior: Behavior | undefined,
  downscaleWindowSeconds: number,
  nowMs: number,
): ParsedHistory {
  const windowSeconds =
    behavior === undefined
      ? downscaleWindowSeconds
      : Math.max(
          behavior.scaleUp.stabilizationWindowSeconds,
          behavior.scaleDown.stabilizationWindowSeconds,
        );
  const cutoffMs = nowMs - windowSeconds * 1000;
  const recommendations = history.recommendations.filter(
    (r) => r.timestampMs > cutoffMs || r.timestampMs === nowMs,
  );
  if (behavior === undefined) return { ...history, recommendations };
  return {
    recommendations,
    scaleUpEvents: recentEvents(
      history.scaleUpEvents,
      getLongestPolicyPeriod(behavior.scaleUp),
      nowMs,
    ),
    scaleDownEvents: recentEvents(
      history.scaleDownEvents,
      getLongestPolicyPeriod(behavior.scaleDown),
      nowMs,
    ),
  };
}

/** The history as the scenario format writes it. */
export function formatHistory(history: ParsedHistory): HpaHistory {
  const event = (e: ScaleEvent): TimestampedScaleEvent => ({
    timestamp: formatTime(e.timestampMs),
    replicaChange: e.replicaChange,
  });
  return {
    recommendations: history.recommendations.map((r) => ({
      timestamp: formatTime(r.timestampMs),
      replicas: r.replicas,
    })),
    scaleUpEvents: history.scaleUpEvents.map(event),
    scaleDownEvents: history.scaleDownEvents.map(event),
  };
}
