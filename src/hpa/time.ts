/**
 * Timestamps inside the engine are milliseconds since the epoch. Kubernetes objects carry Date
 * (client-node) or RFC 3339 strings (JSON snapshots); both are accepted.
 * @module
 */

/** Milliseconds for a Date or an RFC 3339 string; undefined when absent or unparsable. */
export function timeMs(value: Date | string | undefined | null): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === 'string' ? Date.parse(value) : value.getTime();
  return Number.isNaN(ms) ? undefined : ms;
}

/** RFC 3339 in UTC, without a fraction when the time is on a whole second (as metav1.Time writes it). */
export function formatTime(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}
