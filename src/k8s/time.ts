/**
 * metav1.Time on the wire: RFC 3339 in UTC at whole seconds. apimachinery's Time.MarshalJSON
 * formats with time.RFC3339 after truncating to the second (meta/v1/time.go), so any fraction is
 * dropped, never rounded.
 * @module
 */

/** Formats a Unix time in milliseconds the way metav1.Time marshals it, e.g. `2026-01-01T12:00:00Z`. */
export function formatTime(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}Z`;
}
