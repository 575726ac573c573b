/**
 * Scale events in recommend mode. The controller stores a scale event only after it really
 * rescaled the target (horizontal.go storeScaleEvent, called after a successful UpdateScale), and
 * behavior policies count those events. Watching a cluster where the real controller acts, we must
 * not remember the rescales our engine merely proposed: we remember the ones we saw happen, i.e.
 * the target's spec.replicas moving while the HPA's status.lastScaleTime advanced (the controller's
 * own write; a manual `kubectl scale` leaves lastScaleTime alone and the controller ignores it too).
 * @module
 */
import type { ParsedHistory, ScaleEvent } from '../hpa/index.js';

/** What recommend mode remembers of the target between syncs to see the controller's rescales. */
export interface ObservedTarget {
  specReplicas: number;
  lastScaleTimeMs?: number;
}

/**
 * The history for the next sync: the engine's recommendations as returned, and scale events
 * replaced by those observed. `engineHistory` has already aged entries out of every window.
 */
export function historyFromObservation(
  engineHistory: ParsedHistory,
  previous: ObservedTarget | undefined,
  current: ObservedTarget,
  nowMs: number,
): ParsedHistory {
  // The engine appends its own proposal as an event stamped `now`; it did not happen.
  const observedOnly = (events: ScaleEvent[]) => events.filter((e) => e.timestampMs !== nowMs);
  const history: ParsedHistory = {
    recommendations: engineHistory.recommendations,
    scaleUpEvents: observedOnly(engineHistory.scaleUpEvents),
    scaleDownEvents: observedOnly(engineHistory.scaleDownEvents),
  };
  if (previous === undefined) return history;
  const change = current.specReplicas - previous.specReplicas;
  const at = current.lastScaleTimeMs;
  if (change === 0 || at === undefined || at === previous.lastScaleTimeMs) return history;
  // Stamped with the controller's own lastScaleTime, so periods are measured from its rescale.
  const event = { timestampMs: at, replicaChange: Math.abs(change) };
  if (change > 0) history.scaleUpEvents = [...history.scaleUpEvents, event];
  else history.scaleDownEvents = [...history.scaleDownEvents, event];
  return history;
}
