/**
 * Readiness of the cluster view: not ready until every informer has listed once, and not ready
 * while a watch has been broken longer than a grace period. A short break (an API server rolling
 * restart) does not flap readiness; the cached objects keep being served throughout.
 * @module
 */
import type { Clock, HealthCheck, HealthResult } from '../observability/index.js';
import type { InformerState } from './informer.js';

/** Anything that reports informer states (KubeClusterView, KubeHpaSource). */
export interface InformerStates {
  states(): InformerState[];
}

export interface ClusterHealthOptions {
  sources: readonly InformerStates[];
  clock: Clock;
  /** How long a watch may stay broken before readiness fails; default 90 s. */
  graceMs?: number;
  /** Default `cluster-view`. */
  name?: string;
}

function verdict(states: readonly InformerState[], nowMs: number, graceMs: number): HealthResult {
  for (const s of states) {
    if (!s.listed) {
      const why = s.lastError === undefined ? '' : `: ${s.lastError}`;
      return { ok: false, reason: `waiting for the initial list of ${s.resource}${why}` };
    }
  }
  for (const s of states) {
    if (s.brokenSinceMs !== undefined && nowMs - s.brokenSinceMs > graceMs) {
      const seconds = Math.round((nowMs - s.brokenSinceMs) / 1000);
      return {
        ok: false,
        reason: `watch of ${s.resource} broken for ${seconds}s: ${s.lastError ?? 'unknown error'}`,
      };
    }
  }
  return { ok: true };
}

/** The `cluster-view` HealthCheck over the given informers. */
export function clusterHealthCheck(o: ClusterHealthOptions): HealthCheck {
  const graceMs = o.graceMs ?? 90_000;
  return {
    name: o.name ?? 'cluster-view',
    check: () =>
      verdict(
        o.sources.flatMap((s) => s.states()),
        o.clock.now(),
        graceMs,
      ),
  };
}
