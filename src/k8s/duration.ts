/**
 * Go durations (time.ParseDuration and Duration.String), the text form of every Kubernetes and
 * metrics-server duration flag and of metav1.Duration fields such as PodMetrics `window`. Values
 * cross our API as milliseconds; nanoseconds are kept exactly (as bigint) inside.
 *
 * @example
 * parseDuration('1m30s'); // 90000
 * formatDuration(15_012); // "15.012s"
 * @module
 */

/** A string that is not a Go duration. `input` is the offending string. */
export class DurationError extends Error {
  readonly code = 'InvalidDuration';
  readonly input: string;
  constructor(input: string, reason: string) {
    super(
      `invalid duration ${JSON.stringify(input.length > 80 ? `${input.slice(0, 80)}…` : input)}: ${reason}`,
    );
    this.name = 'DurationError';
    this.input = input;
  }
}

const NS_PER_MS = 1_000_000n;

/** time.unitMap, in nanoseconds; both the micro sign (U+00B5) and Greek mu (U+03BC) spell µs. */
const UNIT_NS: ReadonlyMap<string, bigint> = new Map([
  ['ns', 1n],
  ['us', 1_000n],
  ['\u00b5s', 1_000n],
  ['\u03bcs', 1_000n],
  ['ms', NS_PER_MS],
  ['s', 1_000_000_000n],
  ['m', 60_000_000_000n],
  ['h', 3_600_000_000_000n],
]);

/** A Duration is an int64 of nanoseconds; sums past 2^63 are overflow (time.ParseDuration). */
const MAX_MAGNITUDE_NS = 1n << 63n;

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/**
 * Parses one `<digits>[.<digits>]<unit>` term at `pos`, returning its nanoseconds and the next
 * position. Fraction digits beyond int64 are ignored, and the fraction is converted through a float
 * exactly as Go does (leadingFraction), so results match Go to the nanosecond.
 */
function parseTerm(input: string, s: string, pos: number): [bigint, number] {
  const intStart = pos;
  while (isDigit(s[pos])) pos++;
  const intDigits = s.slice(intStart, pos);
  let fraction = 0n;
  let scale = 1;
  let fractionDigits = 0;
  let overflowed = false;
  if (s[pos] === '.') {
    pos++;
    for (; isDigit(s[pos]); pos++, fractionDigits++) {
      if (overflowed) continue;
      const next = fraction * 10n + BigInt(s.charCodeAt(pos) - 48);
      overflowed = next > MAX_MAGNITUDE_NS;
      if (overflowed) continue;
      fraction = next;
      scale *= 10;
    }
  }
  if (intDigits === '' && fractionDigits === 0) throw new DurationError(input, 'expected a number');
  const unitStart = pos;
  while (pos < s.length && s[pos] !== '.' && !isDigit(s[pos])) pos++;
  if (pos === unitStart) throw new DurationError(input, 'missing unit');
  const unitText = s.slice(unitStart, pos);
  const unit = UNIT_NS.get(unitText);
  if (unit === undefined)
    throw new DurationError(input, `unknown unit ${JSON.stringify(unitText)}`);
  // More than 19 significant digits always overflows; checking first keeps hostile input cheap.
  if (intDigits.replace(/^0+/, '').length > 19)
    throw new DurationError(input, 'overflows int64 nanoseconds');
  const whole = BigInt(intDigits || '0');
  if (whole > MAX_MAGNITUDE_NS / unit)
    throw new DurationError(input, 'overflows int64 nanoseconds');
  let ns = whole * unit;
  if (fraction > 0n) ns += BigInt(Math.trunc(Number(fraction) * (Number(unit) / scale)));
  return [ns, pos];
}

/**
 * Parses a Go duration ("300ms", "1.5h", "1m30s", "-1s", "0") into milliseconds; sub-millisecond
 * parts stay as a fraction ("10us" → 0.01). Like Go, a bare number other than "0" needs a unit.
 * @throws DurationError for anything time.ParseDuration rejects.
 */
export function parseDuration(s: string): number {
  let pos = 0;
  const negative = s[0] === '-';
  if (s[0] === '-' || s[0] === '+') pos++;
  if (s.slice(pos) === '0') return 0;
  if (pos === s.length) throw new DurationError(s, 'empty duration');
  let totalNs = 0n;
  while (pos < s.length) {
    if (s[pos] !== '.' && !isDigit(s[pos])) throw new DurationError(s, 'expected a number');
    const [termNs, next] = parseTerm(s, s, pos);
    totalNs += termNs;
    if (totalNs > MAX_MAGNITUDE_NS) throw new DurationError(s, 'overflows int64 nanoseconds');
    pos = next;
  }
  if (!negative && totalNs === MAX_MAGNITUDE_NS)
    throw new DurationError(s, 'overflows int64 nanoseconds');
  const ms = Number(totalNs / NS_PER_MS) + Number(totalNs % NS_PER_MS) / 1e6;
  return negative && ms !== 0 ? -ms : ms;
}

/** `v` with its last `digits` decimal digits as a fraction, trailing zeros dropped (time.fmtFrac). */
function withFraction(v: bigint, digits: number): string {
  const divisor = 10n ** BigInt(digits);
  const fraction = (v % divisor).toString().padStart(digits, '0').replace(/0+$/, '');
  return fraction === '' ? `${v / divisor}` : `${v / divisor}.${fraction}`;
}

/**
 * Formats milliseconds exactly as Go's Duration.String (rounded to whole nanoseconds): "0s",
 * "500ms", "1.5s", "1µs", "1h2m3s", "-1m0s". This is how metav1.Duration marshals, e.g. the
 * PodMetrics `window` field.
 * @throws RangeError when `ms` is not finite.
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`duration must be finite, got ${ms}`);
  const wholeMs = Math.trunc(ms);
  const ns = BigInt(wholeMs) * NS_PER_MS + BigInt(Math.round((ms - wholeMs) * 1e6));
  const u = ns < 0n ? -ns : ns;
  if (u === 0n) return '0s';
  const sign = ns < 0n ? '-' : '';
  if (u < 1_000n) return `${sign}${u}ns`;
  if (u < NS_PER_MS) return `${sign}${withFraction(u, 3)}\u00b5s`;
  if (u < 1_000_000_000n) return `${sign}${withFraction(u, 6)}ms`;
  // Whole minutes and hours are split off; hours are the largest unit, as days vary in length.
  const totalSeconds = u / 1_000_000_000n;
  const seconds = `${withFraction((totalSeconds % 60n) * 1_000_000_000n + (u % 1_000_000_000n), 9)}s`;
  const totalMinutes = totalSeconds / 60n;
  if (totalMinutes === 0n) return `${sign}${seconds}`;
  const hours = totalMinutes / 60n;
  const minutes = `${totalMinutes % 60n}m${seconds}`;
  return hours === 0n ? `${sign}${minutes}` : `${sign}${hours}h${minutes}`;
}
