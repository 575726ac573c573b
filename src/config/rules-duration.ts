/**
 * Prometheus durations (`5m`, `1h30m`, `2d`, `1w`, `1y`), the format of resourceRules.window,
 * which prometheus-adapter declares as prometheus/common model.Duration. This is not Go's
 * time.ParseDuration: units may not repeat or appear out of order, fractions are not allowed, and
 * `d`, `w`, `y` exist (model/time.go ParseDuration).
 * @module
 */

const pattern = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const unitMs = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];
/** model.Duration is nanoseconds in an int64. */
const maxMs = Number.MAX_SAFE_INTEGER;
const maxNanos = 2n ** 63n - 1n;

/** Milliseconds for a Prometheus duration, or an error message in model.ParseDuration's words. */
export function parsePrometheusDuration(text: string): { ms: number } | { error: string } {
  if (text === '0') return { ms: 0 };
  if (text === '') return { error: 'empty duration string' };
  const m = pattern.exec(text);
  if (!m) return { error: `not a valid duration string: ${JSON.stringify(text)}` };
  let totalMs = 0n;
  unitMs.forEach((unit, i) => {
    const part = m[i + 1];
    if (part !== undefined) totalMs += BigInt(part) * BigInt(unit);
  });
  if (totalMs * 1_000_000n > maxNanos || totalMs > BigInt(maxMs))
    return { error: 'duration out of range' };
  return { ms: Number(totalMs) };
}
