/**
 * The two renderings the runtime still writes as the APIs do: metav1.Time (RFC 3339) for the
 * times it publishes, and prometheus-adapter's milli quantity for values it prints. The store's
 * values reach the engine as numbers (store-metrics-client.ts), never through these strings.
 * @module
 */
import { Quantity } from '../k8s/index.js';

/** RFC 3339 in UTC, whole seconds without a fraction (metav1.Time). */
export function rfc3339(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** A float as a milli quantity, truncated toward zero; undefined for NaN and infinities, which no API serves. */
export function milliQuantity(value: number): string | undefined {
  return Number.isFinite(value) ? Quantity.fromNumber(value).toString() : undefined;
}
